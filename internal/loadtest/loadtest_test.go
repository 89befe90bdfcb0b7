package loadtest

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func exposition(regions ...[4]int) string {
	var b strings.Builder
	for i, r := range regions {
		labels := fmt.Sprintf(`region_code="16.%02d",region="R",level="regency",province="P",branch_office="B%d"`, i+1, r[3])
		asOf := time.Date(2025, time.Month(r[2]), 1, 0, 0, 0, 0, time.UTC).Unix()
		fmt.Fprintf(&b, "jkn_population{%s} %d\njkn_participants{%s} %d\njkn_data_as_of_timestamp_seconds{%s} %d\n",
			labels, 4_000_000+r[0], labels, 3_900_000+r[1], labels, asOf)
	}
	return b.String() + "jkn_exporter_build_info{} 1\n"
}

// TestCheckTorn: the check the load test makes of every scrape finds a
// mixed snapshot, and passes a consistent one.
func TestCheckTorn(t *testing.T) {
	for _, tc := range []struct {
		name    string
		regions [][4]int // population version, participants version, as-of month, branch office
		torn    bool
	}{
		{"consistent", [][4]int{{3, 3, 3, 1}, {103, 203, 3, 1}, {7, 7, 7, 2}}, false},
		{"population of another version", [][4]int{{3, 3, 3, 1}, {4, 3, 3, 1}}, true},
		{"participants of another version", [][4]int{{5, 6, 5, 1}}, true},
		{"two versions in one branch office", [][4]int{{3, 3, 3, 1}, {4, 4, 4, 1}}, true},
	} {
		err := checkTorn([]byte(exposition(tc.regions...)))
		if (err != nil) != tc.torn {
			t.Errorf("%s: %v, want torn %v", tc.name, err, tc.torn)
		}
	}
	if checkTorn([]byte("jkn_exporter_build_info{} 1\n")) == nil {
		t.Error("a scrape without region series passed")
	}
}
