package exporter

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"gopkg.in/yaml.v3"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/demo"
)

var update = flag.Bool("update", false, "rewrite the golden files (review the diff before committing)")

// caseSettings is a case folder's source.yml: the source's settings and
// the rules its exporter judges under.
type caseSettings struct {
	BranchOffice string            `yaml:"branch_office"`
	Province     string            `yaml:"province"`
	Expected     *ingest.Expected  `yaml:"expected"`
	Checks       ingest.Thresholds `yaml:"checks"`
	// Criteria names the policy (default uhc_2025); Awards overrides tier
	// thresholds, the others keeping their defaults.
	Criteria string          `yaml:"criteria"`
	Awards   criteria.Awards `yaml:"awards"`
}

// volatile lines depend on the clock, not on the workbooks.
var volatile = regexp.MustCompile(`^jkn_source_(ingest_duration_seconds|last_success_timestamp_seconds)\{`)

func loadRef(t testing.TB) *region.Reference {
	t.Helper()
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// readCase reads a testdata case folder's source.yml.
func readCase(t testing.TB, dir string) caseSettings {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "source.yml"))
	if err != nil {
		t.Fatal(err)
	}
	cs := caseSettings{Criteria: "uhc_2025", Awards: criteria.DefaultAwards()}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cs); err != nil {
		t.Fatalf("%s/source.yml: %v", dir, err)
	}
	return cs
}

// rules are the case's criteria.
func (cs caseSettings) rules(t testing.TB) criteria.Rules {
	t.Helper()
	p, err := criteria.Lookup(cs.Criteria)
	if err != nil {
		t.Fatal(err)
	}
	return criteria.Rules{Policy: p, Awards: cs.Awards}
}

// caseSteps are the inboxes a case's source reads one after the other:
// its step1/, step2/, ... folders, each the inbox as it is at that ingest
// (a sheet a month), or the case folder itself when it has none.
func caseSteps(t testing.TB, dir string) []string {
	t.Helper()
	steps, err := filepath.Glob(filepath.Join(dir, "step*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) == 0 {
		return []string{dir}
	}
	sort.Slice(steps, func(i, j int) bool {
		return len(steps[i]) < len(steps[j]) || len(steps[i]) == len(steps[j]) && steps[i] < steps[j]
	})
	return steps
}

// caseSource reads a testdata case folder as a directory source, reading
// the inbox path (the folder or one of its steps).
func caseSource(t testing.TB, dir, inbox string) *Source {
	t.Helper()
	cs := readCase(t, dir)
	name := strings.ReplaceAll(filepath.Base(dir), "_", "-")
	s := &Source{
		Source: &sources.Dir{SourceName: name, Path: testtool.CaseInbox(t, inbox), MaxFileBytes: DefaultMaxFileBytes},
		Kind:   "directory",
		Settings: ingest.Settings{BranchOffice: cs.BranchOffice, Province: cs.Province, MaxFileBytes: DefaultMaxFileBytes,
			Checks: cs.Checks},
	}
	if cs.Expected != nil {
		s.Settings.Expected = *cs.Expected
	}
	return s
}

// scrape returns what /metrics serves, less the clock-dependent lines.
func scrape(t testing.TB, e *Exporter, reg *prometheus.Registry) string {
	t.Helper()
	h := &collector.Handler{Exposition: e.Exposition(), Gatherer: reg, Logger: quietLogger()}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != 200 {
		t.Fatalf("scrape: %d %s", rec.Code, rec.Body)
	}
	var keep []string
	for _, line := range strings.SplitAfter(rec.Body.String(), "\n") {
		if !volatile.MatchString(line) {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}

func newTestExporter(t testing.TB, srcs []*Source, storage string) (*Exporter, *prometheus.Registry) {
	t.Helper()
	crit, err := criteria.Lookup("uhc_2025")
	if err != nil {
		t.Fatal(err)
	}
	return newRulesExporter(t, srcs, storage, criteria.Rules{Policy: crit})
}

func newRulesExporter(t testing.TB, srcs []*Source, storage string, rules criteria.Rules) (*Exporter, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	e, err := New(Options{Logger: quietLogger(), Reference: loadRef(t), Registerer: reg, StoragePath: storage}, srcs, rules)
	if err != nil {
		t.Fatal(err)
	}
	return e, reg
}

// TestGolden reads every testdata/<case>/ folder as one source and compares
// the exposition with <case>.prom and the check report with <case>.check.
// A case with step folders is ingested once per step, in order, as a
// source is month after month; its .check has each step's report (what
// `check` says of the step's inbox before it is ingested, against what
// the source served after the step before), its <case>.<step>.prom the
// exposition after each step but the last, and its .prom after the last.
func TestGolden(t *testing.T) {
	dirs, err := filepath.Glob("testdata/*/source.yml")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	for _, sy := range dirs {
		dir := filepath.Dir(sy)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			steps := caseSteps(t, dir)
			e, reg := newRulesExporter(t, nil, "", readCase(t, dir).rules(t))
			var report, id bytes.Buffer
			en, idp := lang.For(lang.EN), lang.For(lang.ID)
			var findings []jkn.Finding
			for i, step := range steps {
				src := caseSource(t, dir, step)
				if len(steps) > 1 {
					fmt.Fprintf(&report, "== %s\n", filepath.Base(step))
					fmt.Fprintf(&id, "== %s\n", filepath.Base(step))
				}
				res, err := e.Check(context.Background(), src)
				if err != nil {
					t.Fatal(err)
				}
				for i := range res.Files {
					WriteReport(&report, &res.Files[i], e.renderer.Load(), en)
					WriteReport(&id, &res.Files[i], e.renderer.Load(), idp)
					findings = append(findings, res.Files[i].Findings...)
				}
				WriteCompleteness(&report, res.Completeness, en)
				WriteCompleteness(&id, res.Completeness, idp)
				e.Ingest(context.Background(), src)
				if i < len(steps)-1 {
					compareGolden(t, filepath.Join("testdata", name+"."+filepath.Base(step)+".prom"), scrape(t, e, reg))
				}
			}
			compareGolden(t, filepath.Join("testdata", name+".prom"), scrape(t, e, reg))
			compareGolden(t, filepath.Join("testdata", name+".check"), report.String())
			for _, f := range findings {
				if f.Message.Key == "" {
					t.Errorf("finding without a message (not translatable): %s", f)
				}
				checkKeys(t, f.Message)
			}
			if indonesianGolden[name] {
				compareGolden(t, filepath.Join("testdata", name+".id.check"), id.String())
			}
		})
	}
}

// indonesianGolden are the cases whose check report is also kept in
// Indonesian (<case>.id.check, check's default language): figures, bad
// cells and unknown regions, a file rejected whole, old codes, a title's
// regency scoping district and village names, totals summed from segments.
var indonesianGolden = map[string]bool{"seed_palembang": true, "bad_rows": true, "bad_not_zip": true, "old_codes_papua": true, "mixed_good_bad": true,
	"district_in_title": true, "village_in_title": true, "segments_split": true}

// checkKeys fails when m or a message inside it has a key the catalogue
// lacks: it would be written in English on an Indonesian page.
func checkKeys(t *testing.T, m jkn.Message) {
	t.Helper()
	if !lang.Has(m.Key) {
		t.Errorf("message key %q is not in the catalogue (%s)", m.Key, m)
	}
	for _, a := range m.Args {
		if n, ok := a.(jkn.Message); ok {
			checkKeys(t, n)
		}
		if n, ok := a.(interface{ Msg() jkn.Message }); ok {
			checkKeys(t, n.Msg())
		}
	}
}

func compareGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./exporter -run TestGolden -update, then review the file)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (run with -update and review the diff):\n%s", path, diff(string(want), got))
	}
}

// diff shows the first differing lines, enough to see what changed.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, "- "+a, "+ "+b)
		}
		if len(out) > 30 {
			break
		}
	}
	return strings.Join(out, "\n")
}

// TestPromtoolCheckMetrics runs the real promtool on the whole exposition of
// every case at once (all sources in one exporter, as in production).
func TestPromtoolCheckMetrics(t *testing.T) {
	promtool := testtool.Need(t, "promtool")
	dirs, _ := filepath.Glob("testdata/*/source.yml")
	var srcs []*Source
	for _, sy := range dirs {
		steps := caseSteps(t, filepath.Dir(sy))
		srcs = append(srcs, caseSource(t, filepath.Dir(sy), steps[len(steps)-1]))
	}
	srcs = append(srcs, demoSources(demo.SeedOffices())...)
	e, reg := newTestExporter(t, srcs, "")
	for _, s := range srcs {
		e.Ingest(context.Background(), s)
	}
	out := scrape(t, e, reg)
	if !strings.Contains(out, "jkn_coverage_ratio{") {
		t.Fatal("no region series to check")
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(out)
	res, err := cmd.CombinedOutput()
	if err != nil || len(bytes.TrimSpace(res)) > 0 {
		t.Fatalf("promtool check metrics: %v\n%s", err, res)
	}
}
