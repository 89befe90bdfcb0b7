package ingest

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// countingDir is a directory source whose files count their reads
// (through the File.Read seam the ingest loads them by).
type countingDir struct {
	*sources.Dir
	reads map[string]int
}

func (d *countingDir) Fetch(ctx context.Context) ([]sources.File, error) {
	files, err := d.Dir.Fetch(ctx)
	for i := range files {
		if read := files[i].Read; read != nil {
			name := files[i].Name
			files[i].Read = func() sources.File { d.reads[name]++; return read() }
		}
	}
	return files, err
}

// TestCacheReusesUnchangedFiles: through a Cache, a file unchanged since
// the last ingest is not read or parsed again and keeps its report;
// touched, it is read and hashed but not parsed; changed by one byte, it
// is parsed; a rejection is given again as it was; Reset reads them all.
func TestCacheReusesUnchangedFiles(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	csv := testtool.CopyIn(t, "../testdata/seed_bengkulu_csv/cakupan_jkn_juli_2024.csv", dir, "cakupan.csv")
	xlsx := testtool.CopyIn(t, "../testdata/seed_palembang/rekap_kepesertaan_sept_2023.xlsx", dir, "rekap.xlsx")
	testtool.CopyIn(t, "../testdata/bad_not_zip/data.xlsx", dir, "rusak.xlsx")
	if err := os.Mkdir(filepath.Join(dir, "folder.xlsx"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := &countingDir{Dir: &sources.Dir{SourceName: "kc", Path: dir}, reads: map[string]int{}}
	s := Settings{BranchOffice: "Test"}
	c := &Cache{}
	tick := func() *Result {
		t.Helper()
		files, err := src.Fetch(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return c.Ingest(files, s, ref)
	}
	reuse := func(res *Result) map[string]Reuse {
		m := map[string]Reuse{}
		for _, f := range res.Files {
			m[f.Name] = f.Reuse
		}
		return m
	}
	want := func(what string, res *Result, reads map[string]int, how map[string]Reuse) {
		t.Helper()
		if !reflect.DeepEqual(src.reads, reads) {
			t.Errorf("%s: reads %v, want %v", what, src.reads, reads)
		}
		if got := reuse(res); !reflect.DeepEqual(got, how) {
			t.Errorf("%s: reuse %v, want %v", what, got, how)
		}
	}

	first := tick()
	want("first ingest", first, map[string]int{"cakupan.csv": 1, "rekap.xlsx": 1, "rusak.xlsx": 1},
		map[string]Reuse{"cakupan.csv": Parsed, "rekap.xlsx": Parsed, "rusak.xlsx": Parsed, "folder.xlsx": Parsed})
	reasons := map[string]string{}
	for _, f := range first.Files {
		reasons[f.Name] = f.Reason
	}
	if len(first.Records) != 5 || reasons["folder.xlsx"] != sources.ReasonNotRegularFile || reasons["rusak.xlsx"] == "" {
		t.Fatalf("first ingest: %d records, reasons %v", len(first.Records), reasons)
	}
	// What a later step adds to a report (Follow's findings) stays in
	// that ingest's result.
	first.addFindings([]jkn.Finding{{File: "cakupan.csv", Row: 1, Check: "added_by_follow"}})

	second := tick()
	want("unchanged", second, map[string]int{"cakupan.csv": 1, "rekap.xlsx": 1, "rusak.xlsx": 1},
		map[string]Reuse{"cakupan.csv": Unchanged, "rekap.xlsx": Unchanged, "rusak.xlsx": Unchanged, "folder.xlsx": Unchanged})
	added := func(what string, res *Result) {
		t.Helper()
		// Full slices: what is appended to them goes to a copy.
		full := cap(res.Findings) == len(res.Findings)
		all := slices.Clone(res.Findings)
		for _, f := range res.Files {
			all = append(all, f.Findings...)
			full = full && cap(f.Findings) == len(f.Findings) && cap(f.Records) == len(f.Records)
		}
		if !full {
			t.Errorf("%s: a finding or record slice has room to append into the cache's array", what)
		}
		for _, fd := range all {
			if fd.Check == "added_by_follow" {
				t.Errorf("%s: a finding added to an earlier result is in this one: %+v", what, fd)
			}
		}
	}
	added("unchanged", second)
	if again := Ingest(mustFetch(t, src.Dir), s, ref); !reflect.DeepEqual(withoutReuse(second), again) {
		t.Errorf("the reused result is not what reading every file gives:\n%+v\n%+v", withoutReuse(second), again)
	}
	expect := withoutReuse(second)
	second.addFindings([]jkn.Finding{{File: "rekap.xlsx", Row: 1, Check: "added_by_follow"}})
	third := tick()
	added("unchanged again", third)
	if !reflect.DeepEqual(withoutReuse(third), expect) {
		t.Errorf("two unchanged ingests differ:\n%+v\n%+v", expect, third)
	}
	// Nor does what is added to a later one change an earlier one (a
	// published snapshot's findings).
	third.addFindings([]jkn.Finding{{File: "rekap.xlsx", Row: 1, Check: "added_later"}})
	if last := second.Findings[len(second.Findings)-1]; last.Check != "added_by_follow" {
		t.Errorf("a finding added to a later result changed an earlier one: %+v", last)
	}

	// Touched: read and hashed, not parsed; the report has the new time.
	touched := time.Now().Add(-time.Minute).Truncate(time.Second)
	if err := os.Chtimes(xlsx, touched, touched); err != nil {
		t.Fatal(err)
	}
	res := tick()
	want("touched", res, map[string]int{"cakupan.csv": 1, "rekap.xlsx": 2, "rusak.xlsx": 1},
		map[string]Reuse{"cakupan.csv": Unchanged, "rekap.xlsx": SameBytes, "rusak.xlsx": Unchanged, "folder.xlsx": Unchanged})
	for _, f := range res.Files {
		if f.Name == "rekap.xlsx" && !f.ModTime.Equal(touched) {
			t.Errorf("touched rekap.xlsx: report's time %v, want %v", f.ModTime, touched)
		}
	}
	want("touched, then unchanged", tick(), map[string]int{"cakupan.csv": 1, "rekap.xlsx": 2, "rusak.xlsx": 1},
		map[string]Reuse{"cakupan.csv": Unchanged, "rekap.xlsx": Unchanged, "rusak.xlsx": Unchanged, "folder.xlsx": Unchanged})

	// One byte changed (Muko Muko's participants): read and parsed.
	data, err := os.ReadFile(csv)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(csv, []byte(strings.Replace(string(data), "199.078", "199.079", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	res = tick()
	want("one byte changed", res, map[string]int{"cakupan.csv": 2, "rekap.xlsx": 2, "rusak.xlsx": 1},
		map[string]Reuse{"cakupan.csv": Parsed, "rekap.xlsx": Unchanged, "rusak.xlsx": Unchanged, "folder.xlsx": Unchanged})
	if p, _ := res.Records[slicesIndex(res.Records, "17.06")].Figure(jkn.FieldParticipants); p != 199079 {
		t.Errorf("Muko Muko after the change: %v participants, want 199079", p)
	}

	// Gone: forgotten. Reset: every file read again.
	if err := os.Remove(filepath.Join(dir, "rusak.xlsx")); err != nil {
		t.Fatal(err)
	}
	want("removed", tick(), map[string]int{"cakupan.csv": 2, "rekap.xlsx": 2, "rusak.xlsx": 1},
		map[string]Reuse{"cakupan.csv": Unchanged, "rekap.xlsx": Unchanged, "folder.xlsx": Unchanged})
	c.Reset()
	want("reset", tick(), map[string]int{"cakupan.csv": 3, "rekap.xlsx": 3, "rusak.xlsx": 1},
		map[string]Reuse{"cakupan.csv": Parsed, "rekap.xlsx": Parsed, "folder.xlsx": Parsed})
	if len(c.files) != 3 {
		t.Errorf("the cache holds %d files, want the 3 of the last ingest", len(c.files))
	}
}

func mustFetch(t *testing.T, d *sources.Dir) []sources.File {
	t.Helper()
	files, err := d.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// withoutReuse is a result as an ingest without a cache makes it.
func withoutReuse(res *Result) *Result {
	out := *res
	out.Files = append([]FileReport(nil), res.Files...)
	for i := range out.Files {
		out.Files[i].Reuse = Parsed
	}
	return &out
}

func slicesIndex(recs []Record, code string) int {
	for i := range recs {
		if recs[i].Region.Code == code {
			return i
		}
	}
	return -1
}
