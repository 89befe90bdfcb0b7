package table

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// ErrEmpty is returned by ParseNumber for a cell that holds no figure: an
// empty text or a dash ("-", "–", "—"). Such a figure is absent, never 0.
var ErrEmpty = errors.New("empty cell")

// ParseNumber reads a figure as it appears in a cell: a raw numeric value
// ("817221", "0.9763", "1.2E+5") or a text in Indonesian ("817.221",
// "1.234.567", "97,63%", "1.234,5") or English ("817,221", "97.63%") format.
//
// Separators: when both '.' and ',' occur, the last one is the decimal mark
// and the other groups thousands. When one kind occurs several times, it
// groups thousands. A single one is a thousands separator in a count (ratio
// false) when exactly three digits follow it ("817.221" is 817221, as
// Indonesian sheets write it), and a decimal mark otherwise.
//
// Counts (ratio false) must be whole and not negative. Ratios come back as
// fractions: a text with '%' is in points, and so is a bare value above 1.5
// (97.63); a bare value up to 1.5 is already a fraction, as Excel stores a
// percent-formatted cell (0.9763).
//
// It returns ErrEmpty for an empty or dash-only cell.
func ParseNumber(s string, ratio bool) (float64, error) {
	if !ratio && len(s) > 0 && len(s) <= 15 {
		// Most counts are a raw cell value of digits only: exact as an int.
		n := int64(0)
		i := 0
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			n = n*10 + int64(s[i]-'0')
		}
		if i == len(s) {
			return float64(n), nil
		}
	}
	t := strings.Map(func(r rune) rune {
		// Spaces, also non-breaking and thin ones, may group thousands.
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2009' {
			return -1
		}
		return r
	}, s)
	switch t {
	case "", "-", "–", "—", "--":
		return 0, ErrEmpty
	}
	// A function, not an error made up front: most cells are numbers, and
	// formatting the message for each cost more than parsing it.
	bad := func() error { return jkn.Msgf("cannot read %q as a number", strings.TrimSpace(s)) }

	pct := false
	if strings.HasSuffix(t, "%") {
		pct, t = true, strings.TrimSuffix(t, "%")
	} else if strings.HasPrefix(t, "%") {
		pct, t = true, strings.TrimPrefix(t, "%")
	}
	neg := false
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	} else if strings.HasPrefix(t, "+") {
		t = t[1:]
	}
	mantissa, ok := canonicalNumber(t, ratio)
	if !ok {
		return 0, bad()
	}
	v, err := strconv.ParseFloat(mantissa, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, bad()
	}
	if neg && v != 0 {
		return 0, jkn.Msgf("%q is negative", strings.TrimSpace(s))
	}
	if ratio {
		if pct || v > 1.5 {
			// Shift the decimal point in the text rather than dividing,
			// so "97,63%" becomes exactly the float nearest 0.9763.
			if v, err = strconv.ParseFloat(mantissa+"e-2", 64); err != nil {
				return 0, bad()
			}
		}
		return v, nil
	}
	if pct {
		return 0, jkn.Msgf("%q is a percentage, not a count", strings.TrimSpace(s))
	}
	r := math.Round(v)
	// Tolerate float noise from formulas (817221.00000000012), nothing more.
	if math.Abs(v-r) > 1e-6 {
		return 0, jkn.Msgf("%q is not a whole number", strings.TrimSpace(s))
	}
	return r, nil
}

// canonicalNumber turns the digits and separators of t into a string
// strconv.ParseFloat reads ("1.234,5" → "1234.5"), following the rules of
// ParseNumber. It reports false when t is not a number.
func canonicalNumber(t string, ratio bool) (string, bool) {
	if t == "" {
		return "", false
	}
	if strings.ContainsAny(t, "eE") {
		// Only raw cell values use exponents, always with a '.' decimal mark.
		for _, r := range t {
			if !(r >= '0' && r <= '9' || r == '.' || r == 'e' || r == 'E' || r == '+' || r == '-') {
				return "", false
			}
		}
		if t[0] < '0' || t[0] > '9' {
			return "", false
		}
		return t, true
	}
	dots, commas := 0, 0
	for _, r := range t {
		switch {
		case r >= '0' && r <= '9':
		case r == '.':
			dots++
		case r == ',':
			commas++
		default:
			return "", false
		}
	}
	var thousands, decimal byte
	switch {
	case dots == 0 && commas == 0:
		return t, true
	case dots > 0 && commas > 0:
		decimal = t[strings.LastIndexAny(t, ".,")]
		thousands = '.' + ',' - decimal
		if strings.Count(t, string(decimal)) > 1 {
			return "", false
		}
	default:
		sep := byte('.')
		if commas > 0 {
			sep = ','
		}
		i := strings.IndexByte(t, sep)
		switch {
		case dots+commas > 1:
			thousands = sep
		case !ratio && len(t)-i-1 == 3 && groupsOK(t, sep):
			thousands = sep
		default:
			decimal = sep
		}
	}
	intPart, frac := t, ""
	if decimal != 0 {
		i := strings.IndexByte(t, decimal)
		intPart, frac = t[:i], t[i+1:]
		if frac == "" || strings.ContainsAny(frac, ".,") {
			return "", false
		}
	}
	if thousands != 0 {
		if !groupsOK(intPart, thousands) {
			return "", false
		}
		intPart = strings.ReplaceAll(intPart, string(thousands), "")
	}
	if intPart == "" {
		intPart = "0" // ",5" and ".5"
	}
	if frac != "" {
		return intPart + "." + frac, true
	}
	return intPart, true
}

// groupsOK reports whether sep groups the digits of s in thousands: a first
// group of 1–3 digits, not a lone leading zero, then groups of exactly 3.
func groupsOK(s string, sep byte) bool {
	groups := strings.Split(s, string(sep))
	if len(groups) < 2 {
		return true
	}
	first := groups[0]
	if len(first) < 1 || len(first) > 3 || first[0] == '0' {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}
