package csv

import (
	"bytes"
	"errors"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// charset is a text encoding the reader recognises, as the programs
// offices use save CSV: Excel's "CSV UTF-8" (with a byte-order mark) and
// LibreOffice's default (without), Excel's "Unicode Text" (UTF-16 little
// endian with a mark, tab-separated) and plain "CSV" on an Indonesian or
// Western Windows (the ANSI code page, Windows-1252).
type charset uint8

const (
	utf8Text charset = iota
	utf16LE
	utf16BE
	windows1252
)

var charsetNames = [...]string{"UTF-8", "UTF-16LE", "UTF-16BE", "Windows-1252"}

func (c charset) String() string { return charsetNames[c] }

// detectCharset tells the encoding of data by its byte-order mark, else by
// content: UTF-16 without a mark when its first two characters are ASCII
// (a zero byte beside each), UTF-8 when the bytes are valid UTF-8 (ASCII
// is), Windows-1252 otherwise. It returns the length of the mark. head
// says data is the start of a longer file: a character cut at its end is
// no sign of another encoding.
func detectCharset(data []byte, head bool) (charset, int) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return utf8Text, 3
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16LE, 2
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16BE, 2
	case len(data) >= 4 && data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0:
		return utf16LE, 0
	case len(data) >= 4 && data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0:
		return utf16BE, 0
	}
	if head {
		data = trimPartialRune(data)
	}
	if mostlyUTF8(data) {
		return utf8Text, 0
	}
	return windows1252, 0
}

// mostlyUTF8 reports whether data is UTF-8, perhaps with a stray byte of
// another encoding: more characters beyond ASCII are valid UTF-8 than
// bytes are not. Windows-1252 text is seldom valid UTF-8 even by chance
// ("é" is one byte, 0xE9, which UTF-8 never has alone); a UTF-8 text with
// one character pasted from elsewhere is still UTF-8, and decoding it
// whole as Windows-1252 would garble every name beyond ASCII.
func mostlyUTF8(data []byte) bool {
	if utf8.Valid(data) {
		return true
	}
	valid, invalid := 0, 0
	for i := 0; i < len(data); {
		if data[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			invalid++
		} else {
			valid++
		}
		i += n
	}
	return valid > invalid
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b // ASCII: nothing cut
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

var errTextTooLarge = errors.New("text too large")

// decode returns the text of data, a file in charset cs with a mark of
// bom bytes, as UTF-8: data itself, without its mark, when it is UTF-8
// already; a copy otherwise, invalid sequences as U+FFFD. The copy is
// bounded by limit bytes: a longer text is errTextTooLarge.
func decode(data []byte, cs charset, bom, limit int) ([]byte, error) {
	data = data[bom:]
	var dec *encoding.Decoder
	grow := len(data) // the UTF-8 size of mostly ASCII text
	switch cs {
	case utf8Text:
		if len(data) > limit {
			return nil, errTextTooLarge
		}
		if !utf8.Valid(data) {
			// A byte-order mark says UTF-8; a stray byte is a character
			// the parser will not recognise, and say so, not a reason to
			// read the whole file in another encoding.
			return bytes.ToValidUTF8(data, []byte("\uFFFD")), nil
		}
		return data, nil
	case utf16LE:
		dec = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
		grow = len(data) / 2
	case utf16BE:
		dec = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
		grow = len(data) / 2
	default:
		dec = charmap.Windows1252.NewDecoder()
	}
	var out bytes.Buffer
	out.Grow(min(grow, limit) + utf8.UTFMax)
	r := transform.NewReader(bytes.NewReader(data), dec)
	if _, err := out.ReadFrom(io.LimitReader(r, int64(limit)+1)); err != nil {
		return nil, err
	}
	if out.Len() > limit {
		return nil, errTextTooLarge
	}
	return out.Bytes(), nil
}

// decodeHead decodes the first sampleBytes of data for the sniff; a
// character cut at the end of the sample is dropped.
func decodeHead(data []byte, cs charset, bom int) []byte {
	head := data[bom:min(len(data), bom+sampleBytes)]
	switch cs {
	case utf8Text:
		head = trimPartialRune(head)
	case utf16LE, utf16BE:
		head = head[:len(head)&^1]
	}
	text, err := decode(head, cs, 0, 3*sampleBytes)
	if err != nil {
		return nil
	}
	return text
}

// textLimit is the largest decoded text the reader holds.
const textLimit = read.MaxSheetText
