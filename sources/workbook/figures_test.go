package workbook

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

func TestEveryNumericFieldHasASlot(t *testing.T) {
	seen := map[int]bool{}
	for i := range numFigureFields {
		f := figureField(i)
		if figureIndex(f) != i || seen[i] {
			t.Errorf("slot %d: field %s has index %d", i, f, figureIndex(f))
		}
		seen[i] = true
	}
	for _, s := range Segments {
		if !s.Field.IsFigure() {
			t.Errorf("segment %s has no slot", s.Field)
		}
	}
	for _, f := range []Field{FieldCode, FieldName, FieldProvince, FieldRegency, FieldDistrict, FieldAsOf} {
		if f.IsFigure() {
			t.Errorf("%s has a slot", f)
		}
	}
}
