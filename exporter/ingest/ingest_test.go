package ingest

import (
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
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
