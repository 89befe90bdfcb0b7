package xlsx

import (
	"bytes"
	"unicode/utf8"
)

// The text of the XML the fast path reads: what encoding/xml accepts in
// text and attribute values, and their decoding.

// checkText rejects what encoding/xml rejects in text and attribute
// values: invalid UTF-8, characters outside the XML character range, and
// entities it does not know. One pass: most values are a few ASCII bytes.
func checkText(b []byte) error {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 0x20 && c < 0x80 && c != '&' {
			continue
		}
		if c == '&' {
			if err := checkEntities(b[i:]); err != nil {
				return err
			}
			return checkChars(b[i:])
		}
		return checkChars(b[i:])
	}
	return nil
}

// checkChars rejects what encoding/xml rejects in text and attribute
// values: invalid UTF-8 and characters outside the XML character range.
func checkChars(b []byte) error {
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c >= 0x20 && c < 0x80 {
			continue
		}
		if c < 0x20 {
			if c == '\t' || c == '\n' || c == '\r' {
				continue
			}
			return unsupported("control character")
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 || r == 0xFFFE || r == 0xFFFF {
			return unsupported("invalid UTF-8 or character")
		}
		i += n - 1
	}
	return nil
}

// appendText appends the decoded form of raw text or an attribute value to
// dst, as encoding/xml decodes it: entities replaced, line ends normalised.
func appendText(dst, raw []byte) ([]byte, error) {
	plain := true
	for _, c := range raw {
		if c == '&' || c == '\r' {
			plain = false
			break
		}
	}
	if plain {
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
				return dst, unsupported("bare '&'")
			}
			ent := raw[i+1 : i+semi]
			switch string(ent) {
			case "lt":
				dst = append(dst, '<')
			case "gt":
				dst = append(dst, '>')
			case "amp":
				dst = append(dst, '&')
			case "quot":
				dst = append(dst, '"')
			case "apos":
				dst = append(dst, '\'')
			default:
				r, ok := charRef(ent)
				if !ok {
					return dst, unsupported("entity &" + string(ent) + ";")
				}
				dst = utf8.AppendRune(dst, r)
			}
			i += semi
		default:
			dst = append(dst, c)
		}
	}
	return dst, nil
}

// checkEntities rejects text with an entity encoding/xml refuses, whether
// or not the text is decoded later.
func checkEntities(b []byte) error {
	for {
		i := bytes.IndexByte(b, '&')
		if i < 0 {
			return nil
		}
		b = b[i:]
		semi := bytes.IndexByte(b, ';')
		if semi < 0 {
			return unsupported("bare '&'")
		}
		switch ent := b[1:semi]; string(ent) {
		case "lt", "gt", "amp", "quot", "apos":
		default:
			if _, ok := charRef(ent); !ok {
				return unsupported("entity &" + string(ent) + ";")
			}
		}
		b = b[semi+1:]
	}
}

// charRef decodes "#65" or "#x41"; it reports false for anything encoding/xml
// would refuse.
func charRef(ent []byte) (rune, bool) {
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
	ok := r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
	return rune(r), ok
}

// readTextElement appends the decoded text of the element just started,
// which must hold text only.
func readTextElement(sc *xmlScanner, dst []byte) ([]byte, error) {
	if sc.selfClose {
		return dst, nil
	}
	for {
		if err := sc.next(); err != nil {
			return dst, err
		}
		switch sc.kind {
		case tokText:
			var err error
			if dst, err = appendText(dst, sc.text); err != nil {
				return dst, err
			}
		case tokEnd:
			return dst, nil
		default:
			return dst, unsupported("element inside a text element")
		}
	}
}
