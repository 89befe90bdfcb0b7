package ingest

import (
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

func rec(figs map[jkn.Field]float64) *Record {
	cells := map[jkn.Field]string{}
	for f := range figs {
		cells[f] = "X"
	}
	return &Record{Region: jkn.Region{Code: "63.03", Name: "Kabupaten Banjar"}, File: "f.xlsx", Sheet: "Data", Row: 7,
		Figures: jkn.FiguresOf(figs), Cells: jkn.CellsOf(cells)}
}

func TestChecks(t *testing.T) {
	const (
		pop  = jkn.FieldPopulation
		part = jkn.FieldParticipants
		act  = jkn.FieldActive
	)
	for _, tc := range []struct {
		name string
		figs map[jkn.Field]float64
		want []string // "check: reason"
	}{
		{"banjar reported 99.47% against 98.51%",
			map[jkn.Field]float64{pop: 590393, part: 581578, act: 472638, jkn.FieldCoverageReported: 0.9947, jkn.FieldActiveReported: 0.8005},
			[]string{"reported_coverage_mismatch: Kabupaten Banjar reports coverage 99.47%, but 581578 of 590393 is 98.51%"}},
		{"within 0.05 points is fine",
			map[jkn.Field]float64{pop: 837062, part: 817221, jkn.FieldCoverageReported: 0.9763}, nil},
		{"active reported on the participants basis is accepted",
			map[jkn.Field]float64{pop: 590393, part: 581578, act: 472638, jkn.FieldActiveReported: 0.8127}, nil},
		{"active reported on neither basis",
			map[jkn.Field]float64{pop: 590393, part: 581578, act: 472638, jkn.FieldActiveReported: 0.90},
			[]string{"reported_active_mismatch: Kabupaten Banjar reports active 90.00%, but 472638 active of 590393 residents is 80.05%"}},
		{"active above participants",
			map[jkn.Field]float64{pop: 100, part: 90, act: 95},
			[]string{"active_exceeds_participants: Kabupaten Banjar has 95 active participants but only 90 participants"}},
		{"inactive does not add up",
			map[jkn.Field]float64{pop: 202131, part: 195157, act: 151457, jkn.FieldInactive: 43000},
			[]string{"inactive_mismatch: Kabupaten Banjar: participants 195157 − active 151457 is 43700, but the sheet says 43000 inactive"}},
		{"inactive off by one is tolerated",
			map[jkn.Field]float64{pop: 202131, part: 195157, act: 151457, jkn.FieldInactive: 43701}, nil},
		{"uninsured does not add up",
			map[jkn.Field]float64{pop: 837062, part: 817221, jkn.FieldUninsured: 19000},
			[]string{"uninsured_mismatch: Kabupaten Banjar: population 837062 − participants 817221 leaves 19841 uninsured, but the sheet says 19000"}},
		{"coverage above 100% gives uninsured 0, not a finding",
			map[jkn.Field]float64{pop: 1000, part: 1010, jkn.FieldUninsured: 0}, nil},
		{"a full segment breakdown must add up",
			map[jkn.Field]float64{pop: 600000, part: 581578, jkn.FieldPBIAPBN: 228512, jkn.FieldPBPUPemda: 121604,
				jkn.FieldPPUPN: 50000, jkn.FieldPPUBU: 68723, jkn.FieldPPU: 118723, jkn.FieldPBPU: 97381, jkn.FieldBP: 10000},
			[]string{"segments_sum_mismatch: Kabupaten Banjar: the segments add up to 576220, but participants are 581578"}},
		{"a partial breakdown is not checked",
			map[jkn.Field]float64{pop: 837062, part: 817221, jkn.FieldPBPUPemda: 38096}, nil},
	} {
		got := check(rec(tc.figs))
		var lines []string
		for _, f := range got {
			lines = append(lines, f.Check+": "+f.Reason)
			if f.Rejected || f.Row != 7 || f.File != "f.xlsx" {
				t.Errorf("%s: finding %+v must locate its row and never reject it", tc.name, f)
			}
		}
		if strings.Join(lines, "\n") != strings.Join(tc.want, "\n") {
			t.Errorf("%s:\ngot  %q\nwant %q", tc.name, lines, tc.want)
		}
	}
}

func TestDerive(t *testing.T) {
	r := rec(map[jkn.Field]float64{jkn.FieldPopulation: 1000, jkn.FieldParticipants: 1010, jkn.FieldActive: 800})
	d := r.Derive()
	if !d.HasCoverage || d.Coverage != 1.01 || d.Uninsured != 0 || d.Active != 0.8 || d.ParticipantActive != 800.0/1010 {
		t.Errorf("derive: %+v", d)
	}
	// No population: no ratio, no uninsured; never a division by zero.
	d = rec(map[jkn.Field]float64{jkn.FieldParticipants: 5}).Derive()
	if d.HasCoverage || d.HasUninsured || d.HasActive {
		t.Errorf("derive without population: %+v", d)
	}
}
