package table

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Dates are calendar dates in Asia/Jakarta (WIB, UTC+7, no daylight saving)
// stored as midnight UTC of that date, so that 1 September 2023 is the same
// time.Time whoever computes it and a label or timestamp never shifts a day.

// wib is Western Indonesian Time; a fixed zone needs no tzdata on the host.
var wib = time.FixedZone("WIB", 7*60*60)

// dateOf returns midnight UTC of t's calendar date in Jakarta.
func dateOf(t time.Time) time.Time {
	y, m, d := t.In(wib).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// months maps Indonesian and English month names and their abbreviations
// (lower case) to months.
var months = map[string]time.Month{
	"januari": 1, "january": 1, "jan": 1,
	"februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
	"maret": 3, "march": 3, "mar": 3, "mrt": 3,
	"april": 4, "apr": 4,
	"mei": 5, "may": 5,
	"juni": 6, "june": 6, "jun": 6,
	"juli": 7, "july": 7, "jul": 7,
	"agustus": 8, "august": 8, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "aug": 8,
	"september": 9, "sept": 9, "sep": 9,
	"oktober": 10, "october": 10, "okt": 10, "oct": 10,
	"november": 11, "nopember": 11, "nov": 11, "nop": 11,
	"desember": 12, "december": 12, "des": 12, "dec": 12,
}

// monthRE matches any key of months; longest names first so "september"
// is not read as "sep".
const monthRE = `(januari|january|februari|pebruari|february|maret|march|april|mei|may|juni|june|juli|july|agustus|august|september|oktober|october|november|nopember|desember|december|sept|agus|jan|feb|peb|mar|mrt|apr|jun|jul|agu|agt|ags|aug|sep|okt|oct|nov|nop|des|dec)\.?`

// datePatterns are the written forms of a date, most specific first. Each
// is searched in lower-cased text with word boundaries; matchDate reads the
// groups.
var datePatterns = []struct {
	re   *regexp.Regexp
	kind string
}{
	{regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ][0-9:.]+z?)?\b`), "ymd"},
	{regexp.MustCompile(`\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b`), "dmy"},
	{regexp.MustCompile(`\b(\d{1,2})(?:\s*[-/.]\s*|\s+)` + monthRE + `(?:\s*[-/.,]\s*|\s+)(\d{4})\b`), "d month y"},
	{regexp.MustCompile(`\b` + monthRE + `\s+(\d{1,2}),?\s+(\d{4})\b`), "month d y"},
	{regexp.MustCompile(`\b(?:semester|smt|sem)\.?\s*(i{1,2}|1|2)\s*(?:tahun\s+|th\.?\s*|[-/]\s*)?(\d{4})\b`), "semester"},
	{regexp.MustCompile(`\b` + monthRE + `(?:\s*[-/.,]\s*|\s+)(\d{4})\b`), "month y"},
	{regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d{2})(\d{2})(\d{2})(?:[^0-9]|$)`), "yyyymmdd"},
}

// maxDateText is the longest text ParseDate reads as a date
// ("2025-05-01T10:00:00.000000Z" has 27 characters).
const maxDateText = 64

// ParseDate reads a whole text as a date: "2025-05-01", "01/05/2025" and
// "01-05-2025" (day first, as in Indonesia), "1 Mei 2025", "1 September
// 2023", "May 1, 2025", "20250501", a month and year ("Mei 2025": the first
// of that month) or a semester ("Semester II 2022": its last day, 31
// December; semester I ends 30 June), because Dukcapil semester figures
// describe the population at the end of the semester. Indonesian and English
// month names and their abbreviations are known. The date is midnight UTC.
//
// Excel serial numbers are not read here: a bare number is a date only in a
// date-formatted cell or a date column, which the parser knows.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	// The regular expressions cost microseconds a byte: a cell of 32,767
	// characters in a date column of 200,000 rows would cost hours, and no
	// date is written in more than a few dozen characters.
	if len(s) > maxDateText {
		return time.Time{}, false
	}
	s = strings.ToLower(s)
	for _, p := range datePatterns {
		m := p.re.FindStringSubmatchIndex(s)
		if m == nil || m[0] != 0 || m[1] != len(s) {
			continue
		}
		if t, ok := matchDate(p.kind, s, m); ok {
			return t, true
		}
	}
	return time.Time{}, false
}

// findDate returns the first date written anywhere in s, trying the forms
// of ParseDate in order, and the text that gave it.
func findDate(s string) (time.Time, string, bool) {
	s = strings.ToLower(s)
	for _, p := range datePatterns {
		for _, m := range p.re.FindAllStringSubmatchIndex(s, -1) {
			if t, ok := matchDate(p.kind, s, m); ok {
				return t, s[m[0]:m[1]], true
			}
		}
	}
	return time.Time{}, "", false
}

// matchDate builds the date of one match of a datePatterns kind.
func matchDate(kind, s string, m []int) (time.Time, bool) {
	g := func(i int) string { return s[m[2*i]:m[2*i+1]] }
	n := func(i int) int { v, _ := strconv.Atoi(g(i)); return v }
	var y, mo, d int
	switch kind {
	case "ymd", "yyyymmdd":
		y, mo, d = n(1), n(2), n(3)
	case "dmy":
		d, mo, y = n(1), n(2), n(3)
	case "d month y":
		d, mo, y = n(1), int(months[g(2)]), n(3)
	case "month d y":
		mo, d, y = int(months[g(1)]), n(2), n(3)
	case "month y":
		mo, d, y = int(months[g(1)]), 1, n(2)
	case "semester":
		y = n(2)
		if sem := g(1); sem == "i" || sem == "1" {
			mo, d = 6, 30
		} else {
			mo, d = 12, 31
		}
	}
	return validDate(y, mo, d)
}

// validDate rejects impossible dates (31 June) and years no BPJS sheet has.
func validDate(y, m, d int) (time.Time, bool) {
	if y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// serialDate reads an Excel serial date number ("45170"), the raw value of
// a date-formatted cell: days since 30 December 1899 (1 January 1904 in
// the 1904 date system), the fraction a time of day, rounded to the
// second as Excel shows it (so 23:59:59.6 is the next day), as excelize's
// ExcelDateToTime reads it (a test checks they agree). Serials up to 61,
// before March 1900 (1904), are no BPJS date: validDate refuses them.
func serialDate(raw string, date1904 bool) (time.Time, bool) {
	v, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
	// validDate bounds the year; this only keeps the arithmetic in range.
	if err != nil || v < 1 || v > 100000 {
		return time.Time{}, false
	}
	days := int(v)
	if days <= 61 {
		return time.Time{}, false
	}
	epoch := time.Date(1899, time.December, 30, 0, 0, 0, 0, time.UTC)
	if date1904 {
		epoch = time.Date(1904, time.January, 1, 0, 0, 0, 0, time.UTC)
	}
	const nanosInADay = float64(24 * time.Hour)
	t := epoch.AddDate(0, 0, days).Add(time.Duration(nanosInADay * (v - float64(days) + 1e-9)))
	if t.Nanosecond()/1e6 > 500 {
		t = t.Round(time.Second)
	} else {
		t = t.Truncate(time.Second)
	}
	// A serial is a wall-clock date already; keep its calendar date.
	y, m, d := t.Date()
	return validDate(y, int(m), d)
}
