package ods

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Values as OpenDocument writes them, turned into the grid's forms: a
// date (office:date-value, an ISO 8601 date and time) into a serial number
// of the book's date system, a time (office:time-value, an ISO 8601
// duration) into a fraction of a day, a formula into its text for a
// message.

// Days from 1970-01-01 to the two epochs of serial dates.
var (
	epoch1900 = daysFromCivil(1899, 12, 30)
	epoch1904 = daysFromCivil(1904, 1, 1)
)

// daysFromCivil counts the days from 1970-01-01 to a date of the
// proleptic Gregorian calendar (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateSerial reads an office:date-value ("2024-05-31",
// "2024-05-31T13:45:00.5", a time zone ignored, as LibreOffice does) as a
// serial number of the book's date system, in the grid's number form.
func dateSerial(v string, date1904 bool) (string, bool) {
	if len(v) < 10 || v[4] != '-' || v[7] != '-' {
		return "", false
	}
	y, ok1 := digits(v[0:4])
	m, ok2 := digits(v[5:7])
	d, ok3 := digits(v[8:10])
	if !ok1 || !ok2 || !ok3 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return "", false
	}
	days := daysFromCivil(y, m, d) - epoch1900
	if date1904 {
		days = daysFromCivil(y, m, d) - epoch1904
	}
	rest := v[10:]
	if rest == "" {
		return strconv.Itoa(days), true
	}
	if rest[0] != 'T' || len(rest) < 9 || rest[3] != ':' || rest[6] != ':' {
		return "", false
	}
	h, ok1 := digits(rest[1:3])
	mi, ok2 := digits(rest[4:6])
	s, ok3 := digits(rest[7:9])
	if !ok1 || !ok2 || !ok3 || h > 24 || mi > 59 || s > 60 {
		return "", false
	}
	frac := 0.0
	rest = rest[9:]
	if len(rest) > 1 && rest[0] == '.' {
		end := 1
		for end < len(rest) && rest[end] >= '0' && rest[end] <= '9' {
			end++
		}
		f, err := strconv.ParseFloat("0"+rest[:end], 64)
		if err != nil {
			return "", false
		}
		frac, rest = f, rest[end:]
	}
	if !timeZone(rest) {
		return "", false
	}
	secs := float64(h*3600+mi*60+s) + frac
	if secs == 0 {
		return strconv.Itoa(days), true
	}
	return formatNumber(float64(days) + secs/86400), true
}

// timeZone reports whether s is empty or a time zone ("Z", "+07:00").
func timeZone(s string) bool {
	switch {
	case s == "" || s == "Z":
		return true
	case len(s) == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':':
		_, ok1 := digits(s[1:3])
		_, ok2 := digits(s[4:6])
		return ok1 && ok2
	}
	return false
}

// timeValue reads an office:time-value, an ISO 8601 duration such as
// "PT13H45M00S" or "-P1DT2H", as a fraction of a day (more than 1 for a
// duration longer than a day), in the grid's number form.
func timeValue(v string) (string, bool) {
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(v, "-")
	if !strings.HasPrefix(v, "P") || len(v) < 3 {
		return "", false
	}
	v = v[1:]
	secs, inTime, some := 0.0, false, false
	for v != "" {
		if v[0] == 'T' {
			if inTime {
				return "", false
			}
			inTime, v = true, v[1:]
			continue
		}
		end := 0
		for end < len(v) && (v[end] >= '0' && v[end] <= '9' || v[end] == '.') {
			end++
		}
		if end == 0 || end == len(v) || end > 20 {
			return "", false
		}
		n, err := strconv.ParseFloat(v[:end], 64)
		if err != nil {
			return "", false
		}
		switch unit := v[end]; {
		case unit == 'D' && !inTime:
			secs += n * 86400
		case unit == 'H' && inTime:
			secs += n * 3600
		case unit == 'M' && inTime:
			secs += n * 60
		case unit == 'S' && inTime:
			secs += n
		default:
			return "", false
		}
		some, v = true, v[end+1:]
	}
	if !some {
		return "", false
	}
	if neg {
		secs = -secs
	}
	return formatNumber(secs / 86400), true
}

// formatNumber writes a computed value in the shortest form that reads
// back as the same float64, without an exponent where it is short.
func formatNumber(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e15) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// digits reads a string of ASCII digits.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, s != ""
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// formulaText is a table:formula's text for a message: without its
// namespace prefix ("of:", "oooc:", "msoxl:") and "=", at most
// maxFormulaText bytes.
func formulaText(f string) string {
	if i := strings.IndexByte(f, ':'); i > 0 && i < 8 && strings.HasPrefix(f[i+1:], "=") {
		f = f[i+1:]
	}
	f = strings.TrimSpace(strings.TrimPrefix(f, "="))
	if len(f) > maxFormulaText {
		cut := maxFormulaText
		for cut > 0 && !utf8.RuneStart(f[cut]) {
			cut--
		}
		f = f[:cut]
	}
	return f
}

// numberText checks an office:value: the number as written, which
// strconv.ParseFloat reads as a finite number.
func numberText(v []byte) ([]byte, bool) {
	v = bytes.TrimSpace(v)
	if plainDecimal(v) {
		return v, true
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, false
	}
	return v, true
}

// plainDecimal reports whether v is a decimal number without an exponent,
// short enough to be finite: what LibreOffice writes for nearly every
// value, checked without allocating.
func plainDecimal(v []byte) bool {
	if len(v) > 0 && v[0] == '-' {
		v = v[1:]
	}
	if len(v) == 0 || len(v) > 300 {
		return false
	}
	digits, dot := 0, false
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}
