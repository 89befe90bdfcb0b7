package ods

import (
	"errors"
	"unicode/utf8"

	"github.com/jkn-exporter/jkn_exporter/sources/read/internal/xmltext"
)

var (
	errEntity = errors.New("an undefined entity or a bad character reference")
	errChar   = errors.New("a byte that is not UTF-8 or a control character XML does not allow")
)

// appendText appends raw XML text to dst with its entities and character
// references decoded and its line ends normalised (\r\n and \r to \n), as
// an XML parser reads it.
func appendText(dst, raw []byte) ([]byte, error) {
	dst, err := xmltext.Append(dst, raw)
	if err != nil {
		return dst, errEntity
	}
	return dst, nil
}

// checkText checks that text the reader keeps is UTF-8 without the
// control characters XML forbids, as LibreOffice requires to open a file.
func checkText(b []byte) error {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return errChar
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 || !xmltext.IsChar(r) {
			return errChar
		}
		i += n
	}
	return nil
}
