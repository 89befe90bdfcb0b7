# jkn_exporter: `make run` serves the demo, `make test` runs every test
# (installing promtool, amtool and alertmanager first when missing).
GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION  ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
BRANCH    ?= $(shell git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)
LDFLAGS   := -s -w \
	-X github.com/prometheus/common/version.Version=$(VERSION) \
	-X github.com/prometheus/common/version.Revision=$(REVISION) \
	-X github.com/prometheus/common/version.Branch=$(BRANCH)

.PHONY: all build run test deps lint dashboards fuzz bench

all: lint test build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o jkn_exporter ./cmd/jkn_exporter

run:
	$(GO) run ./cmd/jkn_exporter $(ARGS)

deps:
	./scripts/deps.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...

test: deps lint
	$(GO) test -race -count=1 -timeout 20m ./...

dashboards:
	$(GO) generate ./grafana/...

# `make fuzz FUZZTIME=30s`: each fuzz target of the parser in turn, for
# FUZZTIME each. Failing inputs land in sources/workbook/testdata/fuzz/,
# where `go test` runs them from then on.
FUZZTIME     ?= 30s
FUZZ_TARGETS := FuzzParseNumber FuzzParseDate FuzzFindHeader FuzzParse FuzzParseSheet FuzzFastPath
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "== $$t ($(FUZZTIME))"; \
		$(GO) test ./sources/workbook -run='^$$' -fuzz="^$$t\$$" -fuzztime=$(FUZZTIME); \
	done

# The side-by-side of BENCHMARKS.md: builds, generates the national
# workbooks into benchdata/ (gitignored), measures, updates BENCHMARKS.md.
# A few minutes; BENCH_QUICK=1 skips the slowest comparison servers.
bench:
	./scripts/bench/bench.sh
