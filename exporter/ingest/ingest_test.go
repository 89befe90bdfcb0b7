package ingest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

// A row with two bad cells is one rejected row, not two.
func TestRejectedRowsCountsRows(t *testing.T) {
	rep := FileReport{Findings: []jkn.Finding{
		{Sheet: "Data", Row: 7, Column: "C", Check: "bad_number", Rejected: true},
		{Sheet: "Data", Row: 7, Column: "D", Check: "bad_number", Rejected: true},
		{Sheet: "Data", Row: 8, Check: "unresolved_region", Rejected: true},
		{Sheet: "Data", Row: 9, Check: "reported_coverage_mismatch"}, // served: not rejected
	}}
	if got := rep.RejectedRows(); got != 2 {
		t.Errorf("RejectedRows = %d, want 2 (rows 7 and 8)", got)
	}
}

// A sheet without participants and active columns gets them as the sums
// of its segments when a row carries the full breakdown, with one
// finding; a row with only some segments gets no sum.
func TestTotalsFromSegments(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	segs := []jkn.Field{jkn.FieldPBIAPBN, jkn.FieldPBPUPemda, jkn.FieldPPU, jkn.FieldPBPU, jkn.FieldBP}
	cols := []table.Column{{Field: jkn.FieldName, Index: 0, Letter: "A"}, {Field: jkn.FieldPopulation, Index: 1, Letter: "B"}}
	for i, f := range segs {
		cols = append(cols,
			table.Column{Field: f, Part: jkn.FieldActive, Index: 2 + 2*i, Letter: jkn.ColumnLetter(2 + 2*i)},
			table.Column{Field: f, Part: jkn.FieldInactive, Index: 3 + 2*i, Letter: jkn.ColumnLetter(3 + 2*i)})
	}
	tab := &table.Table{File: "segmen.xlsx", Sheet: "Data", HeaderRow: 3, HeaderRows: 2, Columns: cols}
	full, some := jkn.Figures{}, jkn.Figures{}
	for i, f := range segs {
		full.Set(f, float64(1000*(i+1)+100))
		full.Set(f.SegmentActive(), float64(1000*(i+1)))
		if i < 3 {
			some.Set(f, float64(1000*(i+1)+100))
			some.Set(f.SegmentActive(), float64(1000*(i+1)))
		}
	}
	full.Set(jkn.FieldPopulation, 20000)
	some.Set(jkn.FieldPopulation, 20000)
	// The populations are made up: no check against Dukcapil's figures.
	settings := Settings{Province: "Kalimantan Selatan", Checks: Thresholds{DukcapilPopulation: -1}}
	r := newRowReader(sources.File{Name: "segmen.xlsx"}, settings, ref, tab, 2)
	r.add(table.Row{Number: 4, Name: "Kab. Tapin", Figures: full})
	r.add(table.Row{Number: 5, Name: "Kab. Tanah Laut", Figures: some})
	r.finish()
	if len(r.records) != 2 {
		t.Fatalf("records %+v, findings %v", r.records, r.findings)
	}
	part, okPart := r.records[0].Figure(jkn.FieldParticipants)
	act, okAct := r.records[0].Figure(jkn.FieldActive)
	if !okPart || part != 15500 || !okAct || act != 15000 {
		t.Errorf("Tapin: participants %v %v, active %v %v; want 15500 and 15000", part, okPart, act, okAct)
	}
	if r.records[1].Figures.Has(jkn.FieldParticipants) || r.records[1].Figures.Has(jkn.FieldActive) {
		t.Errorf("Tanah Laut carries three segments of five but got totals: %v", r.records[1].Figures)
	}
	if c := r.records[0].Cells.Letter(jkn.FieldPBIAPBNActive); c != "C" {
		t.Errorf("PBI APBN's active part traces to column %q, want C", c)
	}
	if c := r.records[0].Cells.Letter(jkn.FieldPBIAPBN); c != "" {
		t.Errorf("PBI APBN, the sum of C and D, traces to column %q, want none", c)
	}
	var got []string
	for _, f := range r.findings {
		got = append(got, fmt.Sprintf("%d %s", f.Row, f.Check))
	}
	if want := []string{"3 totals_from_segments"}; !slices.Equal(got, want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	if want := "participants and active participants are the sums of the segment columns: the sheet has no column for them"; r.findings[0].Reason != want {
		t.Errorf("reason %q, want %q", r.findings[0].Reason, want)
	}
	if want := "jumlah peserta dan peserta aktif dihitung dari kolom segmen: lembar tidak mempunyai kolom totalnya"; lang.For(lang.ID).Reason(r.findings[0]) != want {
		t.Errorf("Indonesian reason %q, want %q", lang.For(lang.ID).Reason(r.findings[0]), want)
	}

	// With a participants column, only active is summed, and said so.
	tab.Columns = append(tab.Columns, table.Column{Field: jkn.FieldParticipants, Index: 12, Letter: "M"})
	full.Set(jkn.FieldParticipants, 15400)
	r = newRowReader(sources.File{Name: "segmen.xlsx"}, settings, ref, tab, 1)
	r.add(table.Row{Number: 4, Name: "Kab. Tapin", Figures: full})
	r.finish()
	if part, _ := r.records[0].Figure(jkn.FieldParticipants); part != 15400 {
		t.Errorf("participants %v: the sheet's own column, 15400, must stand", part)
	}
	var reasons []string
	for _, f := range r.findings {
		reasons = append(reasons, f.Check+": "+f.Reason)
	}
	if want := []string{
		"segments_sum_mismatch: Kabupaten Tapin: the segments add up to 15500, but participants are 15400",
		"totals_from_segments: active participants are the sums of the segment columns: the sheet has no column for them",
	}; !slices.Equal(reasons, want) {
		t.Errorf("findings:\n got %q\nwant %q", reasons, want)
	}
}

// A title naming a regency scopes a district sheet's bare names; one
// naming no regency or city is said, and scopes nothing.
func TestTitleScope(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	cols := []table.Column{{Field: jkn.FieldName, Index: 1, Letter: "B"}, {Field: jkn.FieldPopulation, Index: 2, Letter: "C"}}
	row := table.Row{Number: 6, Name: "SIDOARJO", Figures: jkn.FiguresOf(map[jkn.Field]float64{jkn.FieldPopulation: 213408})}
	for _, tc := range []struct {
		scope, want string
	}{
		{"Kota Kupang", `unresolved_region: unknown region name "SIDOARJO": Kota Kupang (53.71, Nusa Tenggara Timur) has no district of that name; write the district name as Kemendagri spells it, or the dotted district code`},
		{"KABUPATEN SIDOARJO", "35.15.08"},
		{"Kabupaten Antah Berantah", `title_scope_unresolved: the title names "Kabupaten Antah Berantah", but the district names without a code are not looked for in it: unknown region name "Kabupaten Antah Berantah": no province, regency or city has that name; write the name as Kemendagri spells it, or the dotted code|unresolved_region: "SIDOARJO" is a district (kecamatan) name: Sidoarjo (35.15.08, Kabupaten Sidoarjo); district names repeat across regencies, so district rows need a regency column or the dotted district code, e.g. "35.15.08"`},
	} {
		tab := &table.Table{File: "kec.xlsx", Sheet: "Data", HeaderRow: 5, HeaderRows: 1, Columns: cols,
			Level: jkn.LevelDistrict, Scope: tc.scope, ScopeRow: 2, ScopeColumn: "A"}
		r := newRowReader(sources.File{Name: "kec.xlsx"}, Settings{}, ref, tab, 1)
		r.add(row)
		var got []string
		for _, rec := range r.records {
			got = append(got, rec.Region.Code)
		}
		for _, f := range r.findings {
			got = append(got, f.Check+": "+f.Reason)
		}
		if g := strings.Join(got, "|"); g != tc.want {
			t.Errorf("scope %q:\n got %s\nwant %s", tc.scope, g, tc.want)
		}
		// In Indonesian, the level and the reason why too.
		const id = `judul menyebut "Kabupaten Antah Berantah", tetapi nama kecamatan tanpa kode tidak dicari di dalamnya: nama wilayah "Kabupaten Antah Berantah" tidak dikenal`
		if len(r.findings) > 0 && r.findings[0].Check == checkTitleScope {
			if g := lang.For(lang.ID).Reason(r.findings[0]); !strings.HasPrefix(g, id) {
				t.Errorf("scope %q in Indonesian:\n got %s\nwant %s...", tc.scope, g, id)
			}
		}
	}
}
