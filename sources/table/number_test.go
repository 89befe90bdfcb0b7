package table

import (
	"errors"
	"testing"
)

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in    string
		ratio bool
		want  float64
		err   string // "" for no error; "empty" for ErrEmpty
	}{
		// Raw numeric cell values.
		{in: "817221", want: 817221},
		{in: "0.9763", ratio: true, want: 0.9763},
		{in: "1.2E+5", want: 120000},
		{in: "817221.00000000012", want: 817221},
		{in: "0", want: 0},
		// Indonesian text.
		{in: "817.221", want: 817221},
		{in: "837.062", want: 837062},
		{in: "1.234.567", want: 1234567},
		{in: "97,63", ratio: true, want: 0.9763},
		{in: "97,63%", ratio: true, want: 0.9763},
		{in: "97,63 %", ratio: true, want: 0.9763},
		{in: "1.234,5", ratio: true, want: 12.345},
		{in: "1.234,0", want: 1234},
		// English text.
		{in: "817,221", want: 817221},
		{in: "1,234,567", want: 1234567},
		{in: "97.63", ratio: true, want: 0.9763},
		{in: "97.63%", ratio: true, want: 0.9763},
		{in: "1,234.0", want: 1234},
		// Spaces, also non-breaking ones, around and between digit groups.
		{in: "  817221 ", want: 817221},
		{in: "\u00a0837.062\u00a0", want: 837062},
		{in: "1 234 567", want: 1234567},
		// Ratios: points above 1.5, fractions up to it.
		{in: "102%", ratio: true, want: 1.02},
		{in: "1.02", ratio: true, want: 1.02},
		{in: "100", ratio: true, want: 1},
		{in: "12.345", ratio: true, want: 0.12345},
		{in: "0,5%", ratio: true, want: 0.005},
		// Empty: absent, not 0.
		{in: "", err: "empty"},
		{in: "  ", err: "empty"},
		{in: "-", err: "empty"},
		{in: "—", err: "empty"},
		{in: "–", err: "empty", ratio: true},
		// Unreadable.
		{in: "8l7.221", err: `cannot read "8l7.221" as a number`},
		{in: "Rp 1.000", err: `cannot read "Rp 1.000" as a number`},
		{in: "1.23.4", err: `cannot read "1.23.4" as a number`},
		{in: "1.234,56,7", err: `cannot read "1.234,56,7" as a number`},
		{in: "n/a", err: `cannot read "n/a" as a number`},
		{in: "E5", err: `cannot read "E5" as a number`},
		{in: "12,5", err: `"12,5" is not a whole number`},
		{in: "0.975", err: `"0.975" is not a whole number`},
		{in: "-5", err: `"-5" is negative`},
		{in: "-2%", ratio: true, err: `"-2%" is negative`},
		{in: "97%", err: `"97%" is a percentage, not a count`},
	} {
		got, err := ParseNumber(tc.in, tc.ratio)
		switch {
		case tc.err == "empty":
			if !errors.Is(err, ErrEmpty) {
				t.Errorf("ParseNumber(%q, %v) = %v, %v; want ErrEmpty", tc.in, tc.ratio, got, err)
			}
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("ParseNumber(%q, %v) = %v, %v; want error %q", tc.in, tc.ratio, got, err, tc.err)
			}
		case err != nil || got != tc.want:
			t.Errorf("ParseNumber(%q, %v) = %v, %v; want %v", tc.in, tc.ratio, got, err, tc.want)
		}
	}
}
