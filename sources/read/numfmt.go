package read

import "strings"

// IsDateFormat reports whether an Excel number format (a built-in id, or
// a custom format code) shows a date: the built-in date formats, or a
// custom code with day, month or year tokens outside quoted text and
// brackets. The .xlsx and .xls readers both set Cell.Date by it, so that
// a sheet and its conversion to the other format tell the same cells
// dates.
func IsDateFormat(id int, custom string) bool {
	switch {
	// Built-in formats: 14–17 and 22 are dates (18–21, 45–47 are times);
	// 27–36 and 50–58 are East Asian date formats.
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return true
	}
	if custom == "" {
		return false
	}
	inQuote, inBracket := false, false
	for _, r := range strings.ToLower(custom) {
		switch {
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == '[':
			inBracket = true
		case r == ']':
			inBracket = false
		case inBracket:
		case r == 'd' || r == 'y':
			return true
		}
	}
	return false
}
