package jkn

import (
	"testing"
	"time"
)

// TestCompare: the precedence rule, basis by basis, and an order: b
// against a is the opposite of a against b, and a tie only when the
// origins are the same.
func TestCompare(t *testing.T) {
	sep := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	oct := sep.AddDate(0, 1, 0)
	// The same instant in another zone is the same date.
	sepWITA := sep.In(time.FixedZone("WITA", 8*3600))
	sent := time.Date(2023, 10, 3, 9, 0, 0, 0, time.UTC)
	later := sent.Add(7 * 24 * time.Hour)
	for _, c := range []struct {
		name  string
		a, b  Origin
		want  int
		basis Basis
	}{
		{"newer as-of date, whatever else", Origin{AsOf: oct, Source: "kc-z", ModTime: sent, File: "a.xlsx"}, Origin{AsOf: sep, Source: "kc-a", ModTime: later, File: "z.xlsx"}, 1, ByAsOf},
		{"same date: the source that sorts first", Origin{AsOf: sep, Source: "kc-banjarmasin", File: "a.xlsx"}, Origin{AsOf: sepWITA, Source: "kc-palembang", File: "z.xlsx"}, 1, BySource},
		{"same source: the newer file", Origin{AsOf: oct, Source: "kc-a", ModTime: later, File: "rekap.xlsx"}, Origin{AsOf: oct, Source: "kc-a", ModTime: sent, File: "rekap_revisi.xlsx"}, 1, ByModTime},
		{"a known time is newer than none", Origin{AsOf: oct, ModTime: sent, File: "a.xlsx"}, Origin{AsOf: oct, File: "b.xlsx"}, 1, ByModTime},
		{"same time: the name that sorts last", Origin{AsOf: oct, ModTime: sent, File: "rekap_oktober_revisi.xlsx"}, Origin{AsOf: oct, ModTime: sent, File: "rekap_oktober.xlsx"}, 1, ByFileName},
		{"no times: the name that sorts last", Origin{AsOf: oct, File: "kepesertaan.xlsx"}, Origin{AsOf: oct, File: "data_mei_2025.xlsx"}, 1, ByFileName},
		{"the same origin", Origin{AsOf: oct, Source: "kc-a", ModTime: sent, File: "a.xlsx"}, Origin{AsOf: oct, Source: "kc-a", ModTime: sent, File: "a.xlsx"}, 0, Undecided},
	} {
		got, basis := c.a.Compare(c.b)
		back, backBasis := c.b.Compare(c.a)
		if got != c.want || basis != c.basis || back != -c.want || backBasis != c.basis {
			t.Errorf("%s: a vs b %d by %q, b vs a %d by %q; want %d by %q", c.name, got, basis, back, backBasis, c.want, c.basis)
		}
	}
}
