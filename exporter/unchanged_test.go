package exporter

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// countingDir is a directory source whose files count their reads,
// through the File.Read seam the ingest loads each file by.
type countingDir struct {
	*sources.Dir
	mu    sync.Mutex
	reads map[string]int
}

func (d *countingDir) Fetch(ctx context.Context) ([]sources.File, error) {
	files, err := d.Dir.Fetch(ctx)
	for i := range files {
		if read := files[i].Read; read != nil {
			name := files[i].Name
			files[i].Read = func() sources.File {
				d.mu.Lock()
				d.reads[name]++
				d.mu.Unlock()
				return read()
			}
		}
	}
	return files, err
}

func (d *countingDir) count() map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[string]int{}
	for k, v := range d.reads {
		out[k] = v
	}
	return out
}

// TestUnchangedFileCostsAStat: a directory source's file unchanged since
// the last ingest is not read again, and an ingest that finds nothing
// changed re-renders and saves nothing: the same exposition, the same
// API entries, the same state file; only its times move (it ran and
// succeeded now). Touched, the file is read again but not parsed; one
// byte changed, it is parsed; a rejected file is counted once, not at
// every tick; the manual trigger and a reload that changes the source
// read every file again (issue 18).
func TestUnchangedFileCostsAStat(t *testing.T) {
	inbox, storage := t.TempDir(), t.TempDir()
	csv := testtool.CopyIn(t, "testdata/seed_bengkulu_csv/cakupan_jkn_juli_2024.csv", inbox, "cakupan.csv")
	dir := &countingDir{Dir: &sources.Dir{SourceName: "kc-bengkulu", Path: inbox, MaxFileBytes: DefaultMaxFileBytes, SettleTime: time.Millisecond},
		reads: map[string]int{}}
	src := &Source{Source: dir, Kind: "directory", Location: inbox, Schedule: "@every 3s",
		Settings: ingest.Settings{BranchOffice: "Bengkulu", Province: "Bengkulu", MaxFileBytes: DefaultMaxFileBytes}}
	e, reg := newTestExporter(t, []*Source{src}, storage)
	ctx := context.Background()
	state := filepath.Join(storage, "kc-bengkulu.snapshot.json.gz")

	reads := func(what string, want map[string]int) {
		t.Helper()
		if got := dir.count(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: reads %v, want %v", what, got, want)
		}
	}
	counter := func(name string, labels ...string) string {
		t.Helper()
		v, _ := value(t, parse(t, scrape(t, e, reg)), name, "", labels...)
		return v
	}
	stat := func() os.FileInfo {
		t.Helper()
		info, err := os.Stat(state)
		if err != nil {
			t.Fatal(err)
		}
		return info
	}

	first := e.Ingest(ctx, src)
	if !first.Up || len(first.Records) != 2 {
		t.Fatalf("first ingest: up %v, %d regions", first.Up, len(first.Records))
	}
	reads("first ingest", map[string]int{"cakupan.csv": 1})
	if v := counter("jkn_source_files_unchanged_total"); v != "" {
		t.Errorf("jkn_source_files_unchanged_total before any unchanged file: %q, want no series", v)
	}
	served := e.Exposition().Load()
	saved := stat()
	text := scrape(t, e, reg)

	// Ticks that find nothing changed.
	for tick := 1; tick <= 3; tick++ {
		snap := e.Ingest(ctx, src)
		reads("unchanged", map[string]int{"cakupan.csv": 1})
		now := e.Exposition().Load()
		if now.Rendered.Text != served.Rendered.Text || &now.Rendered.Regions[0] != &served.Rendered.Regions[0] {
			t.Errorf("tick %d: the exposition was rendered again", tick)
		}
		if got := scrape(t, e, reg); stripUnchanged(got) != stripUnchanged(text) {
			t.Errorf("tick %d: the exposition changed:\n%s", tick, diff(text, got))
		}
		st, _ := now.Rendered.Source("kc-bengkulu")
		was, _ := served.Rendered.Source("kc-bengkulu")
		if !st.Attempted.After(was.Attempted) || !st.LastSuccess.Equal(st.Attempted) || st.Duration != was.Duration {
			t.Errorf("tick %d: attempted %v, last success %v, duration %v; before %v, %v, %v", tick,
				st.Attempted, st.LastSuccess, st.Duration, was.Attempted, was.LastSuccess, was.Duration)
		}
		if !snap.LastSuccess.Equal(st.LastSuccess) || !reflect.DeepEqual(snap.Records, first.Records) || !reflect.DeepEqual(snap.Findings, first.Findings) {
			t.Errorf("tick %d: the snapshot is not the first one with new times", tick)
		}
		same, times := *st, *was
		same.Attempted, same.LastSuccess, times.Attempted, times.LastSuccess = time.Time{}, time.Time{}, time.Time{}, time.Time{}
		if !reflect.DeepEqual(same, times) {
			t.Errorf("tick %d: the source's status (the API's and the page's entry) changed:\n%+v\n%+v", tick, same, times)
		}
		if info := stat(); !info.ModTime().Equal(saved.ModTime()) || !os.SameFile(info, saved) {
			t.Errorf("tick %d: the state file was written again", tick)
		}
		if v := counter("jkn_source_files_unchanged_total"); v != string(rune('0'+tick)) {
			t.Errorf("tick %d: jkn_source_files_unchanged_total = %q, want %d", tick, v, tick)
		}
		served, text = now, scrape(t, e, reg)
	}
	// What a full read serves after those ticks: the same.
	forced, err := e.IngestNow("kc-bengkulu")
	if err != nil {
		t.Fatal(err)
	}
	reads("manual trigger", map[string]int{"cakupan.csv": 2})
	if got := scrape(t, e, reg); stripUnchanged(got) != stripUnchanged(text) {
		t.Errorf("the manual trigger serves other figures than the unchanged ticks:\n%s", diff(text, got))
	}
	if !reflect.DeepEqual(forced.Records, first.Records) || e.Exposition().Load().Rendered.Text == served.Rendered.Text {
		t.Error("the manual trigger did not ingest and publish anew")
	}

	// Touched: read and hashed, not parsed again; published anew.
	touched := time.Now().Add(-time.Minute).Truncate(time.Second)
	if err := os.Chtimes(csv, touched, touched); err != nil {
		t.Fatal(err)
	}
	e.Ingest(ctx, src)
	reads("touched", map[string]int{"cakupan.csv": 3})
	if v := counter("jkn_source_files_unchanged_total"); v != "4" {
		t.Errorf("touched: jkn_source_files_unchanged_total = %q, want 4 (read, not parsed)", v)
	}

	// One byte changed: read and parsed.
	data, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(csv, []byte(strings.Replace(string(data), "199.078", "199.079", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(csv, touched, touched); err != nil { // the same size and time: the change time tells
		t.Fatal(err)
	}
	e.Ingest(ctx, src)
	reads("one byte changed", map[string]int{"cakupan.csv": 4})
	if v, _ := value(t, parse(t, scrape(t, e, reg)), "jkn_participants", "17.06"); v != "199079" {
		t.Errorf("after one byte changed: jkn_participants{17.06} = %s, want 199079", v)
	}
	if v := counter("jkn_source_files_unchanged_total"); v != "4" {
		t.Errorf("one byte changed: jkn_source_files_unchanged_total = %q, want 4", v)
	}

	// A rejected file: counted when read, not at every tick; the manual
	// trigger reads it again and counts it again.
	testtool.CopyIn(t, "testdata/bad_not_zip/data.xlsx", inbox, "rusak.xlsx")
	errs := func() string {
		t.Helper()
		fams := parse(t, scrape(t, e, reg))
		for _, m := range fams["jkn_source_ingest_errors_total"] {
			return string(m["reason"]) + "=" + string(m["__value__"])
		}
		return ""
	}
	if s := e.Ingest(ctx, src); s.Up {
		t.Fatal("a rejected file left the source up")
	}
	rejectedAt := e.Store().Get("kc-bengkulu")
	reads("rejected file", map[string]int{"cakupan.csv": 4, "rusak.xlsx": 1})
	once := errs()
	if !strings.HasSuffix(once, "=1") {
		t.Fatalf("errors after the rejection: %q, want one", once)
	}
	for range 2 {
		s := e.Ingest(ctx, src)
		if s.Up || !s.LastSuccess.Equal(rejectedAt.LastSuccess) || !s.Attempted.After(rejectedAt.Attempted) {
			t.Errorf("rejected file, unchanged: up %v, last success %v (was %v), attempted %v (was %v)",
				s.Up, s.LastSuccess, rejectedAt.LastSuccess, s.Attempted, rejectedAt.Attempted)
		}
	}
	reads("rejected file, unchanged", map[string]int{"cakupan.csv": 4, "rusak.xlsx": 1})
	if got := errs(); got != once {
		t.Errorf("errors after unchanged ticks: %q, want %q", got, once)
	}
	if _, err := e.IngestNow("kc-bengkulu"); err != nil {
		t.Fatal(err)
	}
	reads("manual trigger, rejected file", map[string]int{"cakupan.csv": 5, "rusak.xlsx": 2})
	if got := errs(); got != strings.TrimSuffix(once, "1")+"2" {
		t.Errorf("errors after the manual trigger: %q", got)
	}
	if err := os.Remove(filepath.Join(inbox, "rusak.xlsx")); err != nil {
		t.Fatal(err)
	}
	if s := e.Ingest(ctx, src); !s.Up || len(s.Files) != 1 {
		t.Errorf("the rejected file removed: up %v, files %+v", s.Up, s.Files)
	}
	reads("rejected file removed", map[string]int{"cakupan.csv": 5, "rusak.xlsx": 2})

	// A reload that keeps the source as it is keeps its files read; one
	// that changes it (here a check's threshold) reads them again.
	crit, err := criteria.Lookup("uhc_2025")
	if err != nil {
		t.Fatal(err)
	}
	rules := criteria.Rules{Policy: crit}
	same := *src
	if err := e.Apply([]*Source{&same}, rules); err != nil {
		t.Fatal(err)
	}
	e.Ingest(ctx, src)
	reads("reload, same source", map[string]int{"cakupan.csv": 5, "rusak.xlsx": 2})
	changed := *src
	changed.Settings.Checks.CoverageMax = 1.2
	if err := e.Apply([]*Source{&changed}, rules); err != nil {
		t.Fatal(err)
	}
	e.Ingest(ctx, &changed)
	reads("reload, source changed", map[string]int{"cakupan.csv": 6, "rusak.xlsx": 2})
	e.Ingest(ctx, &changed)
	reads("reload, then unchanged", map[string]int{"cakupan.csv": 6, "rusak.xlsx": 2})
}

// stripUnchanged drops the unchanged-files counter, which an unchanged
// tick moves (and its HELP and TYPE), from an exposition.
func stripUnchanged(text string) string {
	var keep []string
	for _, line := range strings.SplitAfter(text, "\n") {
		if !strings.Contains(line, "jkn_source_files_unchanged_total") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "")
}
