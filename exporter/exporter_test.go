package exporter

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/demo"
)

// parse reads an exposition into families, failing on any syntax error.
func parse(t testing.TB, text string) map[string][]model.Metric {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("exposition does not parse: %v", err)
	}
	out := map[string][]model.Metric{}
	for name, mf := range mfs {
		for _, m := range mf.GetMetric() {
			lm := model.Metric{}
			for _, l := range m.GetLabel() {
				lm[model.LabelName(l.GetName())] = model.LabelValue(l.GetValue())
			}
			lm["__value__"] = model.LabelValue(strings.TrimSpace(formatValue(m.GetGauge().GetValue() + m.GetCounter().GetValue())))
			out[name] = append(out[name], lm)
		}
	}
	return out
}

func formatValue(v float64) string { return string(collector.AppendValue(nil, v)) }

// value finds the sample of a family for a region code (and extra labels).
func value(t testing.TB, fams map[string][]model.Metric, name, code string, extra ...string) (string, bool) {
	t.Helper()
outer:
	for _, m := range fams[name] {
		if code != "" && string(m["region_code"]) != code {
			continue
		}
		for i := 0; i+1 < len(extra); i += 2 {
			if string(m[model.LabelName(extra[i])]) != extra[i+1] {
				continue outer
			}
		}
		return string(m["__value__"]), true
	}
	return "", false
}

// TestDemoSeedFigures checks that the embedded demo reproduces the seed
// figures of docs/domain.md exactly.
func TestDemoSeedFigures(t *testing.T) {
	srcs := demoSources(demo.SeedOffices())
	e, reg := newTestExporter(t, srcs, "")
	for _, s := range srcs {
		if snap := e.Ingest(context.Background(), s); !snap.Up {
			t.Fatalf("demo source %s is not up: %+v", s.Name(), snap.Files)
		}
	}
	fams := parse(t, scrape(t, e, reg))
	for _, tc := range []struct {
		name, code string
		want       float64
		extra      []string
	}{
		{"jkn_population", "16.07", 837062, nil},
		{"jkn_participants", "16.07", 817221, nil},
		{"jkn_uninsured", "16.07", 19841, nil},
		{"jkn_coverage_ratio", "16.07", 817221.0 / 837062, nil}, // 97.63%
		{"jkn_segment_participants", "16.07", 38096, []string{"segment", "pbpu_pemda"}},
		{"jkn_coverage_ratio", "16", 8396170.0 / 8755130, nil}, // 95.90%
		{"jkn_participants", "17.06", 199078, nil},
		{"jkn_uninsured", "17.06", 2149, nil},
		{"jkn_coverage_ratio", "19.04", 195157.0 / 202131, nil}, // 96.55%
		{"jkn_active_ratio", "19.04", 151457.0 / 202131, nil},   // 74.93%
		{"jkn_coverage_ratio", "63.03", 581578.0 / 590393, nil}, // 98.51%, not the reported 99.47%
		{"jkn_active_ratio", "63.03", 472638.0 / 590393, nil},   // 80.05%
		{"jkn_uhc_status", "63.03", 1, []string{"status", "meets_targets"}},
		{"jkn_uhc_status", "16.07", 1, []string{"status", "below_coverage_target"}},
		{"jkn_uhc_status", "19.04", 1, []string{"status", "below_both_targets"}},
		{"jkn_uhc_status", "17.06", 1, []string{"status", "unknown"}},
		{"jkn_uhc_status", "17.06", 0, []string{"status", "meets_targets"}},
		{"jkn_data_as_of_timestamp_seconds", "16.07", unix(2023, 9, 1), nil},
		{"jkn_data_as_of_timestamp_seconds", "17.06", unix(2024, 7, 16), nil},
		{"jkn_data_as_of_timestamp_seconds", "19.04", unix(2022, 12, 31), nil}, // semester II 2022
		{"jkn_data_as_of_timestamp_seconds", "63.03", unix(2025, 5, 1), nil},
		{"jkn_data_quality_findings", "", 1, []string{"source", "demo-banjarmasin", "check", "reported_coverage_mismatch"}},
	} {
		got, ok := value(t, fams, tc.name, tc.code, tc.extra...)
		if !ok {
			t.Errorf("%s{region_code=%q %v}: missing", tc.name, tc.code, tc.extra)
			continue
		}
		if f, err := strconv.ParseFloat(got, 64); err != nil || f != tc.want {
			t.Errorf("%s{region_code=%q %v} = %s, want %v", tc.name, tc.code, tc.extra, got, tc.want)
		}
	}
	// The rounded figures of the reports.
	for code, want := range map[string]string{"16.07": "0.9763", "63.03": "0.9851", "17.06": "0.9893", "19.04": "0.9655"} {
		got, _ := value(t, fams, "jkn_coverage_ratio", code)
		f, _ := strconv.ParseFloat(got, 64)
		if r := strconv.FormatFloat(f, 'f', 4, 64); r != want {
			t.Errorf("coverage of %s rounds to %s, want %s", code, r, want)
		}
	}
	// Banyuasin's sheet has no active column: no active series, never 0.
	if v, ok := value(t, fams, "jkn_active_participants", "16.07"); ok {
		t.Errorf("jkn_active_participants for Banyuasin = %s, want absent", v)
	}
	// Exactly the contract's label set.
	for _, m := range fams["jkn_population"] {
		var names []string
		for l := range m {
			names = append(names, string(l))
		}
		if len(m) != 6 || m["region"] == "" || m["level"] == "" || m["province"] == "" || m["branch_office"] == "" {
			t.Errorf("labels %v, want region_code, region, level, province, branch_office", names)
		}
	}
	if got, _ := value(t, fams, "jkn_population", "63.03"); got != "590393" {
		t.Errorf("Banjar population %s", got)
	}
	for _, m := range fams["jkn_population"] {
		if m["region_code"] == "17.06" && (m["region"] != "Kabupaten Mukomuko" || m["branch_office"] != "Bengkulu" || m["level"] != "regency") {
			t.Errorf("Mukomuko labels: %v", m)
		}
	}
}

// TestBadFileKeepsLastGood replaces a good workbook with a broken one: the
// source goes down, but its regions stay served until a good file replaces it.
func TestBadFileKeepsLastGood(t *testing.T) {
	src, dir, path, good := banjarmasinInbox(t, 0)
	e, reg := newTestExporter(t, []*Source{src}, "")
	if s := e.Ingest(context.Background(), src); !s.Up || len(s.Records) == 0 {
		t.Fatalf("good ingest: up=%v records=%d", s.Up, len(s.Records))
	}
	before := parse(t, scrape(t, e, reg))
	if err := os.WriteFile(path, good[:len(good)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	s := e.Ingest(context.Background(), src)
	if s.Up {
		t.Fatal("source still up after a truncated file")
	}
	after := parse(t, scrape(t, e, reg))
	for _, name := range []string{"jkn_population", "jkn_coverage_ratio", "jkn_uhc_status"} {
		if len(after[name]) != len(before[name]) || len(after[name]) == 0 {
			t.Errorf("%s: %d series before, %d after the bad file", name, len(before[name]), len(after[name]))
		}
	}
	if v, _ := value(t, after, "jkn_source_up", ""); v != "0" {
		t.Errorf("jkn_source_up = %s, want 0", v)
	}
	if v, ok := value(t, after, "jkn_source_ingest_errors_total", "", "reason", "corrupt"); !ok || v != "1" {
		t.Errorf("jkn_source_ingest_errors_total{reason=corrupt} = %q", v)
	}
	// The source cannot be read at all: still serving.
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	e.Ingest(context.Background(), src)
	gone := parse(t, scrape(t, e, reg))
	if len(gone["jkn_population"]) != len(before["jkn_population"]) {
		t.Errorf("unreadable source lost its series")
	}
	if v, _ := value(t, gone, "jkn_source_ingest_errors_total", "", "reason", "source_unreadable"); v != "1" {
		t.Errorf("source_unreadable errors = %q", v)
	}
}

// banjarmasinInbox is the seed_banjarmasin case as a directory source of
// its own: its workbook as banjar.xlsx (path) in a temporary directory,
// read under settle.
func banjarmasinInbox(t *testing.T, settle time.Duration) (src *Source, dir, path string, good []byte) {
	t.Helper()
	dir = t.TempDir()
	good, err := os.ReadFile("testdata/seed_banjarmasin/" + firstXLSX(t, "testdata/seed_banjarmasin"))
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, "banjar.xlsx")
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	src = caseSource(t, "testdata/seed_banjarmasin", "testdata/seed_banjarmasin")
	src.Source = &sources.Dir{SourceName: src.Name(), Path: dir, SettleTime: settle}
	return src, dir, path, good
}

func unix(y int, m time.Month, d int) float64 {
	return float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix())
}

func firstXLSX(t testing.TB, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if len(m) == 0 {
		t.Fatalf("no workbook in %s", dir)
	}
	return filepath.Base(m[0])
}

// TestRestartServesSavedSnapshot: a new exporter on the same storage path
// serves the saved figures before any ingest, and ignores a corrupt file.
func TestRestartServesSavedSnapshot(t *testing.T) {
	storage := t.TempDir()
	src := caseSource(t, "testdata/seed_palembang", "testdata/seed_palembang")
	e, reg := newTestExporter(t, []*Source{src}, storage)
	e.Ingest(context.Background(), src)
	want := parse(t, scrape(t, e, reg))["jkn_coverage_ratio"]

	e2, reg2 := newTestExporter(t, []*Source{src}, storage)
	e2.Restore()
	got := parse(t, scrape(t, e2, reg2))["jkn_coverage_ratio"]
	if len(got) == 0 || len(got) != len(want) {
		t.Fatalf("restored %d coverage series, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i]["__value__"] != want[i]["__value__"] {
			t.Errorf("restored %v, want %v", got[i], want[i])
		}
	}

	// Corrupt the state file: it must be ignored, never served.
	files, _ := filepath.Glob(filepath.Join(storage, "*.snapshot.json.gz"))
	if len(files) != 1 {
		t.Fatalf("state files: %v", files)
	}
	data, _ := os.ReadFile(files[0])
	if err := os.WriteFile(files[0], data[:len(data)-9], 0o644); err != nil {
		t.Fatal(err)
	}
	e3, reg3 := newTestExporter(t, []*Source{src}, storage)
	e3.Restore()
	fams := parse(t, scrape(t, e3, reg3))
	if len(fams["jkn_coverage_ratio"]) != 0 {
		t.Fatal("a truncated state file was served")
	}
	if v, _ := value(t, fams, "jkn_snapshot_persist_errors_total", "", "op", "restore"); v != "1" {
		t.Errorf("persist errors = %q, want 1", v)
	}
}

// TestScrapeDuringIngest scrapes continuously while ingests run: every
// scrape parses, and all series of a region come from one as-of date.
func TestScrapeDuringIngest(t *testing.T) {
	a := caseSource(t, "testdata/conflict_two_files", "testdata/conflict_two_files")
	b := caseSource(t, "testdata/seed_palembang", "testdata/seed_palembang")
	e, reg := newTestExporter(t, []*Source{a, b}, t.TempDir())
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	var ingests atomic.Int64
	for _, s := range []*Source{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && ingests.Load() < 200 {
				// Forced: an unchanged source would publish nothing new.
				if _, err := e.IngestNow(s.Name()); err != nil {
					t.Error(err)
					return
				}
				ingests.Add(1)
			}
		}()
	}
	scrapes := 0
	for ctx.Err() == nil && ingests.Load() < 200 {
		fams := parse(t, scrape(t, e, reg))
		asOf := map[string]string{}
		for _, m := range fams["jkn_data_as_of_timestamp_seconds"] {
			asOf[string(m["region_code"])] = string(m["__value__"])
		}
		if n := len(fams["jkn_population"]); n > 0 && n != len(asOf) {
			t.Fatalf("torn scrape: %d population series, %d as-of series", n, len(asOf))
		}
		scrapes++
	}
	cancel()
	wg.Wait()
	if scrapes < 10 || ingests.Load() < 4 {
		t.Fatalf("only %d scrapes and %d ingests ran", scrapes, ingests.Load())
	}
	t.Logf("%d scrapes during %d ingests", scrapes, ingests.Load())
}

func sleep() { time.Sleep(25 * time.Millisecond) }

// TestPendingFilesInStatus: the files a source's fetch leaves to settle
// are in its snapshot and its status, where the page and the API read
// them; once settled they are read.
func TestPendingFilesInStatus(t *testing.T) {
	src, _, path, _ := banjarmasinInbox(t, time.Hour)
	e, _ := newTestExporter(t, []*Source{src}, "")
	snap := e.Ingest(context.Background(), src)
	st, ok := e.Exposition().Load().Rendered.Source(src.Name())
	if !ok || !slices.Equal(snap.Pending, []string{"banjar.xlsx"}) || !slices.Equal(st.Pending, snap.Pending) || len(snap.Records) != 0 {
		t.Fatalf("snapshot pending %v (records %d), status %+v: want banjar.xlsx pending", snap.Pending, len(snap.Records), st)
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	snap = e.Ingest(context.Background(), src)
	if st, _ := e.Exposition().Load().Rendered.Source(src.Name()); len(snap.Pending) != 0 || len(st.Pending) != 0 || st.Regions == 0 {
		t.Errorf("settled file still pending: %v, status %+v", snap.Pending, st)
	}
}

// TestFollowAcrossRestart: what the checks between sheets compare with is
// in the persisted state. After a restart on May's state, June's sheets
// are compared with May's figures (population_changed, participants_dropped)
// and miss the region May carried (region_missing, jkn_region_missing),
// also when May's file is gone from the inbox; reading June again gives
// the same findings.
func TestFollowAcrossRestart(t *testing.T) {
	storage := t.TempDir()
	sources := func(inboxes map[string]string) []*Source {
		var out []*Source
		for _, c := range []string{"between_sheets", "region_dropped"} {
			out = append(out, caseSource(t, filepath.Join("testdata", c), inboxes[c]))
		}
		return out
	}
	may := map[string]string{"between_sheets": "testdata/between_sheets/step1", "region_dropped": "testdata/region_dropped/step1"}
	june := map[string]string{"between_sheets": "testdata/between_sheets/step2", "region_dropped": "testdata/region_dropped/step2"}
	e, _ := newTestExporter(t, sources(may), storage)
	for _, s := range sources(may) {
		e.Ingest(context.Background(), s)
	}
	if s := e.Store().Get("region-dropped"); s.Completeness == nil || s.Completeness.Expected != 5 || len(s.Completeness.Missing) != 0 {
		t.Fatalf("May: completeness %+v", s.Completeness)
	}

	// The restart: a new exporter on the same state, reading June.
	e2, reg := newTestExporter(t, sources(june), storage)
	e2.Restore()
	if s := e2.Store().Get("between-sheets"); s == nil || len(s.Priors) != 0 || len(s.Records) != 10 {
		t.Fatalf("restored May: %+v", s)
	}
	want := map[string]int{"population_changed": 1, "participants_dropped": 1, "coverage_implausible": 1,
		"population_dukcapil_mismatch": 1, "segments_sum_mismatch": 1, "active_exceeds_participants": 1}
	for round := range 2 { // June read twice: the same findings
		for _, s := range sources(june) {
			e2.Ingest(context.Background(), s)
		}
		st, _ := e2.Exposition().Load().Rendered.Source("between-sheets")
		got := st.FindingsByCheck
		if !maps.Equal(got, want) {
			t.Errorf("June, read %d: findings %v, want %v", round+1, got, want)
		}
		if s := e2.Store().Get("between-sheets"); len(s.Priors) != 10 || !s.Priors[0].AsOf.Equal(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("June, read %d: priors %d, first %+v", round+1, len(s.Priors), s.Priors[0])
		}
		c := e2.Store().Get("region-dropped").Completeness
		if c == nil || c.Expected != 5 || c.Reported != 4 || len(c.Missing) != 1 || c.Missing[0].Region.Code != "16.10" || c.Missing[0].LastFile != "rekap_mei_2025.xlsx" {
			t.Errorf("June, read %d: completeness %+v", round+1, c)
		}
	}
	out := scrape(t, e2, reg)
	for _, want := range []string{
		`jkn_region_missing{region_code="16.10",region="Kabupaten Ogan Ilir",level="regency",province="Sumatera Selatan",branch_office="Palembang",source="region-dropped"} 1`,
		`jkn_source_expected_regions{branch_office="Palembang",source="region-dropped"} 5`,
		`jkn_source_reported_regions{branch_office="Palembang",source="region-dropped"} 4`,
		`jkn_data_quality_findings{branch_office="Banjarmasin",check="population_changed",source="between-sheets"} 1`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("scrape lacks %s", want)
		}
	}
	// A third restart, still on June: the missing region is remembered
	// although no record of it is left.
	e3, _ := newTestExporter(t, sources(june), storage)
	e3.Restore()
	e3.Ingest(context.Background(), sources(june)[1])
	if c := e3.Store().Get("region-dropped").Completeness; c == nil || len(c.Missing) != 1 || c.Missing[0].Region.Code != "16.10" {
		t.Errorf("after a second restart: %+v", c)
	}
}

// A source's expected regions are checked against the reference when the
// config is applied: an unknown code fails the start or the reload.
func TestApplyRejectsUnknownExpected(t *testing.T) {
	src := caseSource(t, "testdata/expected_within", "testdata/expected_within")
	src.Settings.Expected = ingest.Expected{Codes: []string{"19.99"}}
	reg := prometheus.NewRegistry()
	_, err := New(Options{Logger: quietLogger(), Reference: loadRef(t), Registerer: reg}, []*Source{src}, criteria.Rules{})
	if err == nil || err.Error() != `source "expected-within": expected code "19.99" is no Kemendagri region` {
		t.Errorf("got %v", err)
	}
}
