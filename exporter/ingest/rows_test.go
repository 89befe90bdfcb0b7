package ingest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// ingestRows reads a one-sheet workbook of rows (code, name, population,
// participants) and returns its report.
func ingestRows(t *testing.T, rows ...[]string) FileReport {
	t.Helper()
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	data := hostile.Table("1 Mei 2025", rows...)
	res := Ingest([]sources.File{{Name: "rekap.xlsx", Data: data, Size: int64(len(data)), ModTime: time.Now()}}, Settings{BranchOffice: "Palembang"}, ref)
	if len(res.Files) != 1 || res.Files[0].Rejected() {
		t.Fatalf("file rejected: %+v", res.Files)
	}
	return res.Files[0]
}

// findingsOf lists a report's findings as "column check reason".
func findingsOf(rep FileReport) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, strings.Join([]string{f.Column, f.Check, f.Reason}, " "))
	}
	return out
}

// One region on two rows with other figures: neither row is served, both
// are named; the region is left to its last good figures (issue 14).
func TestDuplicateRegionRejectsBothRows(t *testing.T) {
	rep := ingestRows(t,
		[]string{"16.07", "Kab. Banyuasin", "837062", "817221"},
		[]string{"16.71", "Kota Palembang", "1801367", "1787156"},
		[]string{"16.07", "Kab. Banyuasin", "837062", "800000"},
	)
	if len(rep.Records) != 1 || rep.Records[0].Region.Code != "16.71" {
		t.Fatalf("records %+v: want Palembang only", rep.Records)
	}
	if rep.RejectedRegions["16.07"] != 3 || len(rep.RejectedRegions) != 1 {
		t.Errorf("rejected regions %v, want 16.07 at row 3", rep.RejectedRegions)
	}
	got := findingsOf(rep)
	want := []string{
		"B duplicate_region Kabupaten Banyuasin (16.07) is also on row 5 of this sheet, with other figures: neither row is served; keep one row per region",
		"B duplicate_region Kabupaten Banyuasin (16.07) is also on row 3 of this sheet, with other figures: neither row is served; keep one row per region",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, f := range rep.Findings {
		if !f.Rejected {
			t.Errorf("finding not a rejection: %+v", f)
		}
	}
	// The same row twice is no ambiguity: the first is served.
	rep = ingestRows(t, hostile.GoodRows()[0], hostile.GoodRows()[0])
	if len(rep.Records) != 1 || len(rep.Findings) != 1 || !strings.Contains(rep.Findings[0].Reason, "with the same figures") {
		t.Errorf("same row twice: records %+v findings %v", rep.Records, findingsOf(rep))
	}
}

// Counts beyond any region's are rejected, naming the cell; coverage
// somewhat above 100% is served (issue 14).
func TestImplausibleCountsRejected(t *testing.T) {
	for _, tt := range []struct {
		pop, part, want string
	}{
		{"837062", "1e20", "D implausible_figure Kabupaten Banyuasin: participants 1e+20 is more than the nation's residents (at most 300000000): check the cell"},
		{"837062", "1e308", "D implausible_figure Kabupaten Banyuasin: participants 1e+308 is more"},
		{"400000000", "817221", "C implausible_figure Kabupaten Banyuasin: population 400000000 is more than the nation's residents"},
		{"837062", "9000000", "D implausible_figure Kabupaten Banyuasin: participants 9000000 is more than 10 times the population of 837062: check the cell"},
	} {
		rep := ingestRows(t, []string{"16.07", "Kab. Banyuasin", tt.pop, tt.part}, hostile.GoodRows()[1])
		got := findingsOf(rep)
		if len(rep.Records) != 1 || len(got) != 1 || !strings.HasPrefix(got[0], tt.want) || !rep.Findings[0].Rejected {
			t.Errorf("%s/%s: records %d, findings %v; want one rejection %q", tt.pop, tt.part, len(rep.Records), got, tt.want)
		}
		if rep.RejectedRegions["16.07"] != 3 {
			t.Errorf("%s/%s: rejected regions %v, want 16.07 at row 3", tt.pop, tt.part, rep.RejectedRegions)
		}
	}
	rep := ingestRows(t, []string{"16.07", "Kab. Banyuasin", "837062", "900000"})
	if len(rep.Records) != 1 {
		t.Errorf("coverage 107.5%% not served: %v", findingsOf(rep))
	}
}

// The ingest reads the files of a source one at a time: when it reads a
// file, no earlier file's bytes are reachable any more (issue 14). A weak
// pointer to each file's bytes, checked after a collection, tells.
func TestIngestHoldsOneFileAtATime(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	var held []weak.Pointer[byte]
	var files []sources.File
	for i := range 4 {
		name := fmt.Sprintf("rekap_%d.xlsx", i)
		files = append(files, sources.File{Name: name, Path: name, Size: 1, Read: func() sources.File {
			// Two collections: archive/zip's pool of decompressors keeps
			// the last one, and the reader it wraps, until the pool's
			// victim cache is emptied.
			runtime.GC()
			runtime.GC()
			for j, w := range held {
				if w.Value() != nil {
					t.Errorf("reading %s, the bytes of file %d are still held", name, j)
				}
			}
			data := hostile.Table("1 Mei 2025", hostile.GoodRows()...)
			held = append(held, weak.Make(&data[0]))
			return sources.NewFile(name, name, time.Now(), data)
		}})
	}
	res := Ingest(files, Settings{BranchOffice: "Palembang"}, ref)
	if len(held) != 4 || len(res.Files) != 4 || len(res.Records) != 2 {
		t.Fatalf("%d files read, %d reports, %d records", len(held), len(res.Files), len(res.Records))
	}
}
