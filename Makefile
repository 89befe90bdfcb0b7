# jkn_exporter: `make run` serves the demo, `make test` runs every test
# (installing the Debian tools it runs first when missing), `make package`
# builds the Debian package.
GO        ?= go
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
REVISION  ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
BRANCH    ?= $(shell git rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)
LDFLAGS   := -s -w \
	-X github.com/prometheus/common/version.Version=$(VERSION) \
	-X github.com/prometheus/common/version.Revision=$(REVISION) \
	-X github.com/prometheus/common/version.Branch=$(BRANCH)

.PHONY: all build run test deps lint dashboards fuzz bench package

all: lint test build

# BIN: where the binary goes (make package's tests build it elsewhere).
BIN       ?= jkn_exporter

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/jkn_exporter

run:
	$(GO) run ./cmd/jkn_exporter $(ARGS)

deps:
	./scripts/deps.sh

# `make lint`: gofmt, go vet, then golangci-lint with .golangci.yml
# (staticcheck, revive, misspell, errorlint, and depguard's rules for the
# layering), built once from the Go module proxy into the tool cache the
# tests' Go tools share (scripts/gotool.sh).
GOLANGCI_LINT ?= github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v2.15.0
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed: $$out"; exit 1; fi
	$(GO) vet ./...
	@bin=$$(GO='$(GO)' ./scripts/gotool.sh '$(GOLANGCI_LINT)') && echo "golangci-lint run ./..." && "$$bin" run ./...

test: deps lint
	$(GO) test -race -count=1 -timeout 20m ./...

dashboards:
	$(GO) generate ./grafana/...

# `make fuzz FUZZTIME=30s`: each fuzz target of the parser and the readers
# in turn, for FUZZTIME each; a target is package:Name. Failing inputs land
# in <package>/testdata/fuzz/, where `go test` runs them from then on.
FUZZTIME     ?= 30s
FUZZ_TARGETS := ./sources/table:FuzzParseNumber ./sources/table:FuzzParseDate ./sources/table:FuzzFindHeader \
	./sources/table:FuzzParse ./sources/table:FuzzParseSheet ./sources/read/xlsx:FuzzFastPath \
	./sources/read/xls:FuzzXLS ./sources/read/ods:FuzzODS ./sources/read/html:FuzzHTML ./sources/read/csv:FuzzCSV
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "== $$name in $$pkg ($(FUZZTIME))"; \
		$(GO) test $$pkg -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME); \
	done

# The side-by-side of BENCHMARKS.md: builds, generates the national
# workbooks into benchdata/ (gitignored), measures, updates BENCHMARKS.md.
# A few minutes; BENCH_QUICK=1 skips the slowest comparison servers.
bench:
	./scripts/bench/bench.sh

# `make package`: the Debian package dist/jkn-exporter_<version>-1_amd64.deb
# (deploy/deb/nfpm.yaml: the static binary of `make build`, the systemd unit,
# the example config, the licences, a man page), with nfpm from the Go module
# proxy (deploy/deb/build.sh).
# deploy/deb_test.go builds it the same way and checks it with lintian.
NFPM         ?= $(GO) run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2
PACKAGE_DIR  ?= dist
# The region data's folder: its licence and attribution notices go into the package.
REGION_DATA  ?= region/data
# Debian versions start with a digit: v1.2.3 -> 1.2.3, v1.2.3-4-gabc ->
# 1.2.3.4.gabc; an untagged describe (a commit id, maybe -dirty, even one that starts with a digit) ->
# 0.0.0~git<id>.
DEB_VERSION  ?= $(shell echo '$(VERSION)' | sed -e 's/^v\([0-9]\)/\1/' -e '/^[0-9][0-9]*[.]/!s/^/0.0.0~git/' -e 's/[^A-Za-z0-9.+~]/./g')
package: build
	DEB_VERSION='$(DEB_VERSION)' JKN_REGION_DATA='$(REGION_DATA)' NFPM='$(NFPM)' \
		deploy/deb/build.sh '$(BIN)' '$(PACKAGE_DIR)'
