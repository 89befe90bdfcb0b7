// Package xmltext decodes the text and attribute values of XML as
// encoding/xml does (the five predefined entities, character references,
// line ends normalised), for the readers that scan XML themselves (the
// .xlsx fast path, .ods). Each reader turns the errors into its own.
package xmltext

import (
	"bytes"
	"unicode/utf8"
)

// EntityError is an '&' that starts no entity encoding/xml knows: Entity
// is the name between '&' and ';', or "" for a bare '&' with no ';'.
type EntityError struct{ Entity string }

func (e *EntityError) Error() string {
	if e.Entity == "" {
		return "bare '&'"
	}
	return "entity &" + e.Entity + ";"
}

// Append appends the decoded form of raw text or an attribute value to dst:
// entities replaced, \r\n and \r written \n. An entity it does not know is
// an *EntityError.
func Append(dst, raw []byte) ([]byte, error) {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return append(dst, raw...), nil
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch c {
		case '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '&':
			semi := bytes.IndexByte(raw[i:], ';')
			if semi < 0 {
				return dst, &EntityError{}
			}
			ent := raw[i+1 : i+semi]
			if b, ok := predefined(ent); ok {
				dst = append(dst, b)
			} else if r, ok := CharRef(ent); ok {
				dst = utf8.AppendRune(dst, r)
			} else {
				return dst, &EntityError{Entity: string(ent)}
			}
			i += semi
		default:
			dst = append(dst, c)
		}
	}
	return dst, nil
}

// CheckEntities reports the first entity in b that Append would refuse,
// without decoding.
func CheckEntities(b []byte) error {
	for {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return nil
		}
		b = b[i:]
		semi := bytes.IndexByte(b, ';')
		if semi < 0 {
			return &EntityError{}
		}
		ent := b[1:semi]
		if _, ok := predefined(ent); !ok {
			if _, ok := CharRef(ent); !ok {
				return &EntityError{Entity: string(ent)}
			}
		}
		b = b[semi+1:]
	}
}

// predefined is the character of one of XML's five predefined entities.
func predefined(ent []byte) (byte, bool) {
	switch string(ent) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	return 0, false
}

// CharRef decodes the body of a character reference, "#65" or "#x41"; it
// reports false for anything encoding/xml would refuse.
func CharRef(ent []byte) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var r int64
	digits := ent[1:]
	base := int64(10)
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return 0, false
	}
	for _, c := range digits {
		var d int64
		switch {
		case c >= '0' && c <= '9':
			d = int64(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = int64(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = int64(c-'A') + 10
		default:
			return 0, false
		}
		r = r*base + d
	}
	return rune(r), IsChar(rune(r))
}

// IsChar reports whether XML 1.0 allows r in a document.
func IsChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
