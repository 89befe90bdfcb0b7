package html

import (
	"bytes"
	"strconv"
	"strings"
	"unicode"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// cellOf types a cell from its shown text and its attributes (see the
// package documentation).
func cellOf(b []byte, a cellAttrs) read.Cell {
	if len(bytes.TrimFunc(b, unicode.IsSpace)) == 0 && !a.hasSdval && !a.hasXnum {
		return read.Cell{}
	}
	format, date := a.format, a.date
	switch {
	case a.hasSdval:
		if isErrorText(b) {
			return read.Cell{Kind: read.Error, Text: string(b)}
		}
		if _, err := strconv.ParseFloat(a.sdval, 64); err == nil {
			if strings.EqualFold(format, "BOOLEAN") {
				return read.Cell{Kind: read.Bool, Text: boolText(a.sdval != "0" && a.sdval != "-0")}
			}
			return read.Cell{Kind: read.Number, Text: a.sdval, Date: date}
		}
	case a.xerr:
		return read.Cell{Kind: read.Error, Text: string(b)}
	case a.xbool != "":
		return read.Cell{Kind: read.Bool, Text: boolText(strings.EqualFold(a.xbool, "true") || a.xbool == "1")}
	case a.hasXnum && a.xnum != "":
		if _, err := strconv.ParseFloat(a.xnum, 64); err == nil {
			return read.Cell{Kind: read.Number, Text: a.xnum}
		}
	case a.xstr:
		return read.Cell{Kind: read.Text, Text: string(b)}
	}
	shown := string(b)
	if shown == "" {
		return read.Cell{}
	}
	if plainNumber(shown) {
		return read.Cell{Kind: read.Number, Text: shown, Date: date}
	}
	return read.Cell{Kind: read.Text, Text: shown, Date: date}
}

func boolText(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// sdnumFormat returns the number format of LibreOffice's sdnum attribute
// ("1033;0;DD/MM/YYYY": language, a flag, the format) and whether it
// shows a date.
func sdnumFormat(sdnum string) (format string, date bool) {
	parts := strings.SplitN(sdnum, ";", 3)
	if len(parts) < 3 {
		return "", false
	}
	format = parts[2]
	// No built-in id: the format code alone, read as the xlsx and xls
	// readers read a custom one.
	return format, read.IsDateFormat(-1, format)
}

// isErrorText reports whether s is a spreadsheet error value as shown.
func isErrorText(b []byte) bool {
	switch string(b) {
	case "#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA":
		return true
	}
	return bytes.HasPrefix(b, []byte("Err:")) // LibreOffice's own, e.g. Err:502
}

// plainNumber reports whether s reads as the same one number in every
// locale a branch office writes: an optional minus, digits without a
// leading zero (or a single 0), and a fraction and an exponent, except a
// single '.' followed by exactly three digits after a nonzero whole part
// ("817.221" is 817221 in Indonesian, 817.221 in English).
func plainNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	whole := s[start:i]
	if whole == "" || len(whole) > 1 && whole[0] == '0' {
		return false
	}
	frac := -1
	if i < len(s) && s[i] == '.' {
		i++
		f := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if frac = i - f; frac == 0 {
			return false
		}
	}
	exp := false
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == e {
			return false
		}
		exp = true
	}
	if i != len(s) || frac == 3 && whole != "0" && !exp {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
