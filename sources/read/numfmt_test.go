package read

import "testing"

func TestIsDateFormat(t *testing.T) {
	for _, tc := range []struct {
		id     int
		custom string
		want   bool
	}{
		{14, "", true}, {22, "", true}, {10, "", false}, {0, "", false}, {20, "", false},
		{164, "dd/mm/yyyy", true}, {164, `[$-421]d mmmm yyyy`, true}, {164, `#,##0 "days"`, false},
		{164, `[$Rp-421]#,##0`, false}, {164, "0.00%", false},
	} {
		if got := IsDateFormat(tc.id, tc.custom); got != tc.want {
			t.Errorf("IsDateFormat(%d, %q) = %v, want %v", tc.id, tc.custom, got, tc.want)
		}
	}
}
