package jkn

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"
)

// Figures and Cells replaced map[Field]float64 and map[Field]string in
// records: their JSON must stay the maps' (the persisted snapshots and the
// API), and a state file written before must load.
func TestFiguresJSONIsTheMapForm(t *testing.T) {
	m := map[Field]float64{FieldPopulation: 837062, FieldParticipants: 817221, FieldCoverageReported: 0.9763, FieldBP: 0}
	fs := FiguresOf(m)
	got, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(m)
	if string(got) != string(want) {
		t.Errorf("Figures JSON %s, the map's %s", got, want)
	}
	var back Figures
	if err := json.Unmarshal([]byte(`{"population":837062,"participants":817221,"coverage_reported":0.9763,"segment_bp":0,"from_the_future":1}`), &back); err != nil {
		t.Fatal(err)
	}
	if back != fs || !maps.Equal(back.Map(), m) {
		t.Errorf("read back %v, want %v", back, m)
	}
	if v, ok := back.Get(FieldBP); !ok || v != 0 {
		t.Error("a 0 figure is present, not missing")
	}
	if _, ok := back.Get(FieldActive); ok {
		t.Error("an absent figure is present")
	}
	if back.Set(FieldName, 1) || back.Len() != 4 {
		t.Error("a non-numeric field was set")
	}
	var fields []Field
	for f := range back.All() {
		fields = append(fields, f)
	}
	if !slices.Equal(fields, []Field{FieldPopulation, FieldParticipants, FieldCoverageReported, FieldBP}) {
		t.Errorf("All order %v", fields)
	}

	cm := map[Field]string{FieldPopulation: "C", FieldParticipants: "AB"}
	cells := CellsOf(cm)
	got, _ = json.Marshal(cells)
	want, _ = json.Marshal(cm)
	if string(got) != string(want) {
		t.Errorf("Cells JSON %s, the map's %s", got, want)
	}
	var cback Cells
	if err := json.Unmarshal(want, &cback); err != nil || cback != cells || cback.Letter(FieldParticipants) != "AB" || cback.Letter(FieldActive) != "" {
		t.Errorf("read back %v, %v", cback, err)
	}
}

// The figures lead the field table, as many as Figures has slots, and
// every field is listed once.
func TestFieldTable(t *testing.T) {
	seen := map[Field]bool{}
	for i, fi := range fields {
		if seen[fi.field] {
			t.Errorf("%s listed twice", fi.field)
		}
		seen[fi.field] = true
		figure := fi.kind == count || fi.kind == ratio
		if figure != (i < numFigures) {
			t.Errorf("entry %d, %s: figure %v, but the first %d entries are the figures", i, fi.field, figure, numFigures)
		}
		if figure && fi.field.slot() != i {
			t.Errorf("%s in entry %d has slot %d", fi.field, i, fi.field.slot())
		}
		name := "segment_" + fi.segment
		if fi.active {
			name += "_active"
		}
		if fi.segment != "" && (fi.kind != count || name != string(fi.field)) {
			t.Errorf("segment %q of %s: a count named segment_<label> or segment_<label>_active", fi.segment, fi.field)
		}
	}
	if numFigures > 32 {
		t.Errorf("%d figures do not fit Figures' uint32 bit set", numFigures)
	}
	var segs []string
	for s := range Segments() {
		segs = append(segs, s.Label)
		if !s.Field.IsSegment() || s.Active.IsSegment() || string(s.Active) != string(s.Field)+"_active" {
			t.Errorf("segment %s: fields %s, %s", s.Label, s.Field, s.Active)
		}
	}
	if want := []string{"pbi_apbn", "pbpu_pemda", "ppu", "ppu_pn", "ppu_bu", "pbpu", "bp"}; !slices.Equal(segs, want) {
		t.Errorf("Segments %v, want %v", segs, want)
	}
	for _, f := range []Field{FieldCode, FieldName, FieldProvince, FieldRegency, FieldDistrict, FieldAsOf, "from_the_future"} {
		if f.IsFigure() || f.IsRatio() {
			t.Errorf("%s is a figure", f)
		}
	}
	for _, f := range []Field{FieldCoverageReported, FieldActiveReported} {
		if !f.IsFigure() || !f.IsRatio() {
			t.Errorf("%s is not a reported ratio", f)
		}
	}
	if FieldPopulation.IsRatio() || FieldBP.IsRatio() {
		t.Error("a count is a ratio")
	}
}

// ColumnLetter and ColumnIndex are inverses over a sheet's columns.
func TestColumnLetters(t *testing.T) {
	for i, want := range map[int]string{0: "A", 2: "C", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA", MaxColumns - 1: "XFD", MaxColumns: "16385", -1: "0"} {
		if got := ColumnLetter(i); got != want {
			t.Errorf("ColumnLetter(%d) = %q, want %q", i, got, want)
		}
	}
	for i := range MaxColumns {
		if back, ok := ColumnIndex(ColumnLetter(i)); !ok || back != i {
			t.Fatalf("column %d: letter %q reads back as %d, %v", i, ColumnLetter(i), back, ok)
		}
	}
	for _, bad := range []string{"", "a", "A1", "ABCD", "-"} {
		if _, ok := ColumnIndex(bad); ok {
			t.Errorf("ColumnIndex(%q) accepted", bad)
		}
	}
}
