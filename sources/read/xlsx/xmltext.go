package xlsx

import (
	"unicode/utf8"

	"github.com/jkn-exporter/jkn_exporter/sources/read/internal/xmltext"
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
	dst, err := xmltext.Append(dst, raw)
	if err != nil {
		return dst, unsupported(err.Error())
	}
	return dst, nil
}

// checkEntities rejects text with an entity encoding/xml refuses, whether
// or not the text is decoded later.
func checkEntities(b []byte) error {
	if err := xmltext.CheckEntities(b); err != nil {
		return unsupported(err.Error())
	}
	return nil
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
