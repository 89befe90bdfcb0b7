package ingest

import (
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

var (
	refOnce sync.Once
	refData *region.Reference
)

func testRef(t *testing.T) *region.Reference {
	t.Helper()
	refOnce.Do(func() {
		var err error
		if refData, err = region.Load(); err != nil {
			panic(err)
		}
	})
	return refData
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// sheetRec is a record of region code on row row of file, with population
// in column C and participants in D.
func sheetRec(t *testing.T, code, file string, asOf time.Time, row int, pop, part float64) Record {
	t.Helper()
	reg, ok := testRef(t).Lookup(code)
	if !ok {
		t.Fatalf("no region %s", code)
	}
	figs := map[jkn.Field]float64{jkn.FieldPopulation: pop, jkn.FieldParticipants: part}
	return Record{Region: reg, BranchOffice: "Banjarmasin", AsOf: asOf, File: file, Sheet: "Data", Row: row,
		Figures: jkn.FiguresOf(figs), Cells: jkn.CellsOf(map[jkn.Field]string{jkn.FieldPopulation: "C", jkn.FieldParticipants: "D"})}
}

// result is an ingest of files, each a name, an as-of date and records.
func result(files ...FileReport) *Result {
	res := &Result{Files: files}
	res.Records, res.Findings = merge(res.Files, nil)
	return res
}

func sheetFile(name string, asOf time.Time, recs ...Record) FileReport {
	return FileReport{Name: name, Table: &table.Table{File: name, Sheet: "Data", AsOf: asOf}, Records: recs}
}

// snapshotOf is what a source serves after res: the Before of its next ingest.
func snapshotOf(res *Result) Before {
	return Before{Records: res.Records, Priors: res.Priors, Completeness: res.Completeness}
}

func findingLines(fs []jkn.Finding, checks ...string) []string {
	var out []string
	for _, f := range fs {
		for _, c := range checks {
			if f.Check == c {
				out = append(out, f.Check+" "+f.File+" row "+strconv.Itoa(f.Row)+" "+f.Column+": "+f.Reason)
			}
		}
	}
	return out
}

func TestCheckReference(t *testing.T) {
	ref := testRef(t)
	for _, tc := range []struct {
		name      string
		code      string
		pop, part float64
		th        Thresholds
		want      []string
	}{
		{"Banjar as Dukcapil counts it", "63.03", 590393, 581578, Thresholds{}, nil},
		{"coverage 112% is implausible", "63.71", 681693, 763496, Thresholds{},
			[]string{"coverage_implausible: Kota Banjarmasin: 763496 participants (D7) for 681693 residents (C7) is coverage 112.00%, above the 110% a sheet can plausibly show"}},
		{"coverage 105% is real enough", "63.71", 681693, 715778, Thresholds{}, nil},
		{"coverage 105% above a limit of 104%", "63.71", 681693, 715778, Thresholds{CoverageMax: 1.04},
			[]string{"coverage_implausible: Kota Banjarmasin: 715778 participants (D7) for 681693 residents (C7) is coverage 105.00%, above the 104% a sheet can plausibly show"}},
		{"coverage check off", "63.71", 681693, 763496, Thresholds{CoverageMax: -1}, nil},
		{"population 18.57% above Dukcapil's", "63.03", 700000, 690000, Thresholds{},
			[]string{"population_dukcapil_mismatch: Kabupaten Banjar: population 700000 (C7) is 18.57% off Dukcapil's 2025 figure 590393 (reference data, population_2025.csv), more than 10%"}},
		{"population 8.4% above Dukcapil's", "63.03", 640000, 630000, Thresholds{}, nil},
		// Banyuasin's real 2023 sheets: 837,062 against 888,324 in 2025.
		{"Banyuasin 2023, 5.77% under", "16.07", 837062, 817221, Thresholds{}, nil},
		{"Banyuasin 2023 under a 5% limit", "16.07", 837062, 817221, Thresholds{DukcapilPopulation: 0.05},
			[]string{"population_dukcapil_mismatch: Kabupaten Banyuasin: population 837062 (C7) is 5.77% off Dukcapil's 2025 figure 888324 (reference data, population_2025.csv), more than 5%"}},
		{"a district has no Dukcapil figure here", "63.03.01", 100, 99, Thresholds{DukcapilPopulation: 0.0001}, nil},
	} {
		r := sheetRec(t, tc.code, "f.xlsx", day(2025, 5, 1), 7, tc.pop, tc.part)
		var got []string
		for _, f := range checkReference(&r, tc.th, ref) {
			got = append(got, f.Check+": "+f.Reason)
			if f.Rejected || f.Row != 7 || f.File != "f.xlsx" {
				t.Errorf("%s: %+v must locate its row and never reject it", tc.name, f)
			}
		}
		if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, got, tc.want)
		}
	}
}

// Population moving within a semester and participants falling are
// measured against the sheet served before; a re-read of the same sheet,
// or a corrected one of the same date, is measured against the same
// prior, so its findings stay while it is served.
func TestFollowBetweenSheets(t *testing.T) {
	ref := testRef(t)
	s := Settings{}
	may := result(sheetFile("mei.xlsx", day(2025, 5, 1),
		sheetRec(t, "63.01", "mei.xlsx", day(2025, 5, 1), 5, 369818, 360000),
		sheetRec(t, "63.03", "mei.xlsx", day(2025, 5, 1), 6, 590393, 581578),
		sheetRec(t, "63.71", "mei.xlsx", day(2025, 5, 1), 7, 681693, 668240),
		sheetRec(t, "63.72", "mei.xlsx", day(2025, 5, 1), 8, 285546, 283905),
	))
	may.Follow(Before{}, s, ref)
	if len(may.Priors) != 0 || len(findingLines(may.Findings, "population_changed", "participants_dropped")) != 0 {
		t.Fatalf("a first sheet has no prior: %+v %v", may.Priors, may.Findings)
	}
	june := func() *Result {
		return result(sheetFile("juni.xlsx", day(2025, 6, 1),
			sheetRec(t, "63.01", "juni.xlsx", day(2025, 6, 1), 5, 399403, 360000), // +8%: fires
			sheetRec(t, "63.03", "juni.xlsx", day(2025, 6, 1), 6, 608105, 581578), // +3%: does not
			sheetRec(t, "63.71", "juni.xlsx", day(2025, 6, 1), 7, 681693, 588051), // -12%: fires
			sheetRec(t, "63.72", "juni.xlsx", day(2025, 6, 1), 8, 285546, 269710), // -5%: does not
		))
	}
	want := []string{
		`population_changed juni.xlsx row 5 C: Kabupaten Tanah Laut: population 399403 (juni.xlsx, sheet "Data", cell C5, as of 2025-06-01) moved 8% from 369818 (mei.xlsx, sheet "Data", cell C5, as of 2025-05-01) within semester I 2025; Dukcapil's figure changes once a semester, more than 5% within one is not expected`,
		`participants_dropped juni.xlsx row 7 D: Kota Banjarmasin: participants 588051 (juni.xlsx, sheet "Data", cell D7, as of 2025-06-01) fell 12% from 668240 (mei.xlsx, sheet "Data", cell D7, as of 2025-05-01), more than 10%`,
	}
	jun := june()
	jun.Follow(snapshotOf(may), s, ref)
	if got := findingLines(jun.Findings, "population_changed", "participants_dropped"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("June after May:\ngot  %q\nwant %q", got, want)
	}
	// The file's report carries them too, for check and the upload API.
	if got := findingLines(jun.Files[0].Findings, "population_changed", "participants_dropped"); len(got) != 2 {
		t.Errorf("the file report has %q", got)
	}
	// The same sheet read again (the next scheduled ingest): same findings.
	again := june()
	again.Follow(snapshotOf(jun), s, ref)
	if got := findingLines(again.Findings, "population_changed", "participants_dropped"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("June read again:\ngot  %q\nwant %q", got, want)
	}
	// A corrected June sheet: Tanah Laut's population fixed. It is
	// compared with May, not with the wrong June figure.
	fixed := june()
	fixed.Files[0].Records[0].Figures.Set(jkn.FieldPopulation, 370100)
	fixed.Records, _ = merge(fixed.Files, nil)
	fixed.Follow(snapshotOf(again), s, ref)
	if got := findingLines(fixed.Findings, "population_changed", "participants_dropped"); strings.Join(got, "\n") != strings.Join(want[1:], "\n") {
		t.Errorf("corrected June:\ngot  %q\nwant %q", got, want[1:])
	}
	// July is another semester: a new Dukcapil figure may move the
	// population by 8%; participants falling is still measured.
	jul := result(sheetFile("juli.xlsx", day(2025, 7, 1),
		sheetRec(t, "63.01", "juli.xlsx", day(2025, 7, 1), 5, 399708, 360000),
		sheetRec(t, "63.71", "juli.xlsx", day(2025, 7, 1), 7, 681693, 500000),
	))
	jul.Follow(snapshotOf(fixed), s, ref)
	wantJul := []string{`participants_dropped juli.xlsx row 7 D: Kota Banjarmasin: participants 500000 (juli.xlsx, sheet "Data", cell D7, as of 2025-07-01) fell 14.97% from 588051 (juni.xlsx, sheet "Data", cell D7, as of 2025-06-01), more than 10%`}
	if got := findingLines(jul.Findings, "population_changed", "participants_dropped"); strings.Join(got, "\n") != strings.Join(wantJul, "\n") {
		t.Errorf("July:\ngot  %q\nwant %q", got, wantJul)
	}
	// Checks turned off, or with another threshold.
	off := june()
	off.Follow(snapshotOf(may), Settings{Checks: Thresholds{PopulationChange: -1, ParticipantsDrop: 0.15}}, ref)
	if got := findingLines(off.Findings, "population_changed", "participants_dropped"); len(got) != 0 {
		t.Errorf("checks off or above the change: %q", got)
	}
	// Nothing served changes.
	if len(jun.Records) != 4 || jun.Records[2].Figures.String() != june().Records[2].Figures.String() {
		t.Error("Follow changed the records")
	}
}

func missingLines(c *Completeness) []string {
	var out []string
	for _, m := range c.Missing {
		out = append(out, m.Region.Code+" last "+m.LastFile+" "+m.LastAsOf.Format(time.DateOnly))
	}
	return out
}

// A source's expected regions: the regions it has carried (learned), or
// its configured list; a region reported before and missing from the
// newest sheet is a finding and stays missing until a sheet carries it.
func TestCompleteness(t *testing.T) {
	ref := testRef(t)
	s := Settings{}
	rec := func(code, f string, asOf time.Time) Record { return sheetRec(t, code, f, asOf, 5, 1000, 990) }
	may, jun, jul := day(2025, 5, 1), day(2025, 6, 1), day(2025, 7, 1)

	first := result(sheetFile("mei.xlsx", may, rec("63.01", "mei.xlsx", may), rec("63.03", "mei.xlsx", may), rec("63.71", "mei.xlsx", may)))
	first.Follow(Before{}, s, ref)
	if c := first.Completeness; c == nil || c.Basis != BasisLearned || c.Expected != 3 || c.Reported != 3 || len(c.Missing) != 0 ||
		!c.AsOf.Equal(may) || strings.Join(c.Sheets, ",") != "mei.xlsx" {
		t.Fatalf("first sheet: %+v", c)
	}
	// June leaves out Kota Banjarmasin; the office replaced the May file.
	second := result(sheetFile("juni.xlsx", jun, rec("63.01", "juni.xlsx", jun), rec("63.03", "juni.xlsx", jun)))
	second.Follow(snapshotOf(first), s, ref)
	c := second.Completeness
	if c.Expected != 3 || c.Reported != 2 || strings.Join(missingLines(c), ";") != "63.71 last mei.xlsx 2025-05-01" {
		t.Errorf("June: %+v %q", c, missingLines(c))
	}
	want := `region_missing juni.xlsx row 0 : Kota Banjarmasin (63.71) is not in this sheet, as of 2025-06-01, but the source's earlier sheets carried it (last mei.xlsx, as of 2025-05-01)`
	if got := findingLines(second.Files[0].Findings, "region_missing"); strings.Join(got, "") != want || len(findingLines(second.Findings, "region_missing")) != 1 {
		t.Errorf("June's finding: %q, want %q", got, want)
	}
	// July, still without it: the region is no longer among the records
	// served, yet still expected (the persisted completeness remembers).
	third := result(sheetFile("juli.xlsx", jul, rec("63.01", "juli.xlsx", jul), rec("63.03", "juli.xlsx", jul)))
	third.Follow(snapshotOf(second), s, ref)
	if c := third.Completeness; c.Expected != 3 || c.Reported != 2 || strings.Join(missingLines(c), ";") != "63.71 last mei.xlsx 2025-05-01" {
		t.Errorf("July: %+v %q", c, missingLines(c))
	}
	// August brings it back.
	aug := day(2025, 8, 1)
	fourth := result(sheetFile("agustus.xlsx", aug, rec("63.01", "agustus.xlsx", aug), rec("63.03", "agustus.xlsx", aug), rec("63.71", "agustus.xlsx", aug)))
	fourth.Follow(snapshotOf(third), s, ref)
	if c := fourth.Completeness; c.Expected != 3 || c.Reported != 3 || len(c.Missing) != 0 || len(findingLines(fourth.Findings, "region_missing")) != 0 {
		t.Errorf("August: %+v", c)
	}

	// Both months in the inbox at once: May's region is served from May,
	// and missing from June, the newest sheet.
	both := result(
		sheetFile("juni.xlsx", jun, rec("63.01", "juni.xlsx", jun)),
		sheetFile("mei.xlsx", may, rec("63.01", "mei.xlsx", may), rec("63.71", "mei.xlsx", may)))
	both.Follow(Before{}, s, ref)
	if c := both.Completeness; c.Expected != 2 || c.Reported != 1 || strings.Join(missingLines(c), ";") != "63.71 last mei.xlsx 2025-05-01" || len(both.Records) != 2 {
		t.Errorf("May and June together: %+v %q", c, missingLines(c))
	}
	// Sheets of the same month are one report: per-regency files sent on
	// different days.
	split := result(
		sheetFile("banjar_juni.xlsx", day(2025, 6, 3), rec("63.03", "banjar_juni.xlsx", day(2025, 6, 3))),
		sheetFile("tanah_laut_juni.xlsx", jun, rec("63.01", "tanah_laut_juni.xlsx", jun)),
		sheetFile("banjarmasin_mei.xlsx", may, rec("63.71", "banjarmasin_mei.xlsx", may)))
	split.Follow(Before{}, s, ref)
	if c := split.Completeness; c.Reported != 2 || strings.Join(c.Sheets, ",") != "banjar_juni.xlsx,tanah_laut_juni.xlsx" || !c.AsOf.Equal(day(2025, 6, 3)) ||
		strings.Join(missingLines(c), ";") != "63.71 last banjarmasin_mei.xlsx 2025-05-01" {
		t.Errorf("June in two files: %+v", c)
	}
	if got := findingLines(split.Findings, "region_missing"); len(got) != 1 || !strings.Contains(got[0], "banjar_juni.xlsx row 0 : Kota Banjarmasin (63.71) is not in the source's sheets of June 2025 (banjar_juni.xlsx, tanah_laut_juni.xlsx), as of 2025-06-03") {
		t.Errorf("June in two files: %q", got)
	}
	// The newest file rejected whole: its regions from its last good read
	// are kept (snapshot.Build), so they are not missing.
	rejected := result(FileReport{Name: "juni.xlsx", Reason: jkn.ReasonCorrupt})
	rejected.Follow(snapshotOf(second), s, ref)
	if c := rejected.Completeness; c.Reported != 2 || strings.Join(c.Sheets, ",") != "juni.xlsx" || strings.Join(missingLines(c), ";") != "63.71 last mei.xlsx 2025-05-01" {
		t.Errorf("June rejected: %+v %q", c, missingLines(c))
	}
	// A region whose row in the newest sheet is rejected (a bad cell) is
	// in the sheet all the same: reported, not missing; the rejection is
	// its own finding and snapshot.Build keeps its last good figures.
	badCell := sheetFile("juni.xlsx", jun, rec("63.01", "juni.xlsx", jun), rec("63.03", "juni.xlsx", jun))
	badCell.RejectedRegions = map[string]int{"63.71": 7}
	badRow := result(badCell)
	badRow.Follow(snapshotOf(first), s, ref)
	if c := badRow.Completeness; c.Expected != 3 || c.Reported != 3 || len(c.Missing) != 0 || len(findingLines(badRow.Findings, "region_missing")) != 0 {
		t.Errorf("June with Banjarmasin's row rejected: %+v %q", c, missingLines(c))
	}
	// Nothing read, nothing expected.
	none := result()
	none.Follow(Before{}, s, ref)
	if none.Completeness != nil {
		t.Errorf("no sheet: %+v", none.Completeness)
	}
}

func TestCompletenessConfigured(t *testing.T) {
	ref := testRef(t)
	rec := func(code string) Record { return sheetRec(t, code, "juni.xlsx", day(2025, 6, 1), 5, 1000, 990) }
	s := Settings{Expected: Expected{Codes: []string{"63.03", "63.71", "63.72"}}}
	res := result(sheetFile("juni.xlsx", day(2025, 6, 1), rec("63.03"), rec("63.71"), rec("63.01")))
	res.Follow(Before{}, s, ref)
	c := res.Completeness
	// Tanah Laut (63.01) is carried but not expected: not counted.
	if c.Basis != BasisConfigured || c.Expected != 3 || c.Reported != 2 || strings.Join(missingLines(c), ";") != "63.72 last  0001-01-01" {
		t.Errorf("configured: %+v %q", c, missingLines(c))
	}
	want := `region_missing juni.xlsx row 0 : Kota Banjarbaru (63.72) is not in this sheet, as of 2025-06-01, but the source is configured to report it (expected)`
	if got := findingLines(res.Findings, "region_missing"); strings.Join(got, "") != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// The list dropped: the learned set starts from the records, and what
	// only the list expected is not carried over.
	res2 := result(sheetFile("juli.xlsx", day(2025, 7, 1), sheetRec(t, "63.03", "juli.xlsx", day(2025, 7, 1), 5, 1000, 990)))
	res2.Follow(snapshotOf(res), Settings{}, ref)
	if c := res2.Completeness; c.Basis != BasisLearned || c.Expected != 3 || strings.Join(missingLines(c), ";") != "63.01 last juni.xlsx 2025-06-01;63.71 last juni.xlsx 2025-06-01" {
		t.Errorf("list dropped: %+v %q", c, missingLines(c))
	}
	// Nothing read yet: every expected region is missing, without a
	// finding (there is no sheet to name).
	empty := result()
	empty.Follow(Before{}, s, ref)
	if c := empty.Completeness; c == nil || c.Expected != 3 || c.Reported != 0 || len(c.Missing) != 3 || len(empty.Findings) != 0 {
		t.Errorf("no sheet yet: %+v", c)
	}
}

func TestExpectedRegions(t *testing.T) {
	ref := testRef(t)
	for _, tc := range []struct {
		e     Expected
		count int
		first string
		err   string
	}{
		{e: Expected{Within: []string{"63"}, Level: jkn.LevelRegency}, count: 13, first: "63.01"},
		{e: Expected{Within: []string{"16.07"}, Level: jkn.LevelDistrict}, count: 21, first: "16.07.01"},
		{e: Expected{Within: []string{"63.72"}, Level: jkn.LevelVillage}, count: 20, first: "63.72.02.1003"},
		{e: Expected{Within: []string{"63"}, Level: jkn.LevelDistrict, Codes: []string{"63", "63.03.01"}}, count: 157, first: "63"},
		{e: Expected{Codes: []string{"16.99"}}, err: `expected code "16.99" is no Kemendagri region`},
		{e: Expected{Within: []string{"16.07.01"}, Level: jkn.LevelDistrict}, err: `expected within "16.07.01" (Banyuasin I, a district): level district is not below it`},
	} {
		regs, err := tc.e.Regions(ref)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%+v: error %v, want %s", tc.e, err, tc.err)
			}
			continue
		}
		if err != nil || len(regs) != tc.count || regs[0].Code != tc.first {
			n, first := len(regs), ""
			if n > 0 {
				first = regs[0].Code
			}
			t.Errorf("%+v: %d regions from %s (%v), want %d from %s", tc.e, n, first, err, tc.count, tc.first)
		}
	}
}
