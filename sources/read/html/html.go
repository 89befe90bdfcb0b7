// Package html reads the tables of an HTML page behind the read seam: the
// "Excel" files many web applications export (an HTML table saved with an
// .xls name), Excel's and LibreOffice's "save as web page", a table copied
// from a portal.
//
// Every <table> is a sheet, nested ones too, in the order they start; its
// name is its <caption>, else the heading LibreOffice writes before each
// sheet it exports ("Sheet 1: <em>Rekap</em>", the emphasised part), else
// "Tabel N" (N counting tables from 1). A page holds no hidden sheets and
// is in the 1900 date system.
//
// The grid, per the seam's contract (sources/read):
//   - Each <tr> of a table (inside <thead>, <tbody> or <tfoot> too, not
//     inside a nested table) is a row, numbered from 1 in document order;
//     each <td> and <th> a cell, placed as a browser places it: past the
//     columns that a rowspan from a row above still covers. A cell with a
//     colspan or rowspan (clamped to 1000 and 65534, as browsers do; a
//     rowspan past the table's last row ends there; rowspan 0 is read as 1)
//     is a merged range; the cells it covers are Blank.
//   - A cell's text is its text as a browser shows it: entities decoded,
//     runs of spaces, tabs and line ends one space, trimmed, <br> a line
//     break; the text of a nested table, a script or a style is not part of
//     it, nor is a note LibreOffice writes in a <comment>. A cell showing
//     only spaces (&nbsp; too) is Blank.
//   - LibreOffice writes a number's value beside its shown text (sdval, and
//     its number format in sdnum): such a cell is a Number of that value,
//     with Date set when the format shows a date (sdval is then the serial
//     date, as in the 1900 system for dates from March 1900); a BOOLEAN
//     format is a Bool; an error value (shown "#DIV/0!", written with sdval
//     0) is an Error. Excel's x:num, x:bool, x:err and x:str attributes are
//     read alike.
//   - Any other cell is Text, except a text that reads as one number
//     whatever the locale ("817221", "0.9763", "-12.5", "1.5E+3"), which is
//     a Number. "817.221", "1.234.567", "97,63" and "0012" stay Text: the
//     parser reads them (sources/table.ParseNumber) as the sheet means them,
//     and a Number's text must read the same with strconv.ParseFloat.
//   - A column whose <col> or <colgroup> has style display:none is hidden.
//
// The page's encoding: UTF-8 (with or without BOM), UTF-16 with a BOM, and
// otherwise, when the bytes are not UTF-8, Windows-1252 (as Excel saves a
// web page on Windows).
package html

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// Format returns the HTML table format. Its Sniff recognises a page by its
// first markup; it never claims a zip (an .xlsx or .ods) or a compound
// file, whose first bytes are no '<'.
func Format() read.Format {
	return read.Format{Name: "html", Sniff: sniff, Open: open}
}

// sniff recognises an HTML page: after an optional byte order mark,
// white space, comments and an XML declaration, a doctype html or one of
// the tags a page or a bare table starts with.
func sniff(data []byte) bool {
	head := data[:min(len(data), 2048)]
	switch {
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		head = asciiOfUTF16(head[2:], 0)
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		head = asciiOfUTF16(head[2:], 1)
	default:
		head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	}
	for {
		head = bytes.TrimLeft(head, " \t\r\n\f")
		var end []byte
		switch {
		case bytes.HasPrefix(head, []byte("<!--")):
			end = []byte("-->")
		case bytes.HasPrefix(head, []byte("<?xml")):
			end = []byte("?>")
		case hasTag(head, "!doctype"):
			return bytes.Contains(bytes.ToLower(head[:min(len(head), 64)]), []byte("html"))
		default:
			for _, tag := range []string{"html", "table", "head", "body", "meta", "title"} {
				if hasTag(head, tag) {
					return true
				}
			}
			return false
		}
		i := bytes.Index(head, end)
		if i < 0 {
			return false
		}
		head = head[i+len(end):]
	}
}

// hasTag reports whether b starts with the tag <name (any case) followed
// by a space, '>' or '/'.
func hasTag(b []byte, name string) bool {
	n := 1 + len(name)
	if len(b) <= n || b[0] != '<' || !strings.EqualFold(string(b[1:n]), name) {
		return false
	}
	switch b[n] {
	case ' ', '\t', '\r', '\n', '\f', '>', '/':
		return true
	}
	return false
}

// asciiOfUTF16 keeps the low byte of each UTF-16 code unit that is ASCII,
// enough to sniff the markup of a UTF-16 page; lo is the index of the low
// byte in a unit (0 little-endian, 1 big-endian).
func asciiOfUTF16(b []byte, lo int) []byte {
	out := make([]byte, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		if b[i+1-lo] == 0 && b[i+lo] < 0x80 {
			out = append(out, b[i+lo])
		} else {
			out = append(out, '?')
		}
	}
	return out
}

// decode returns the page as UTF-8 (see the package documentation).
func decode(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return fromUTF16(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return fromUTF16(data[2:], true)
	case utf8.Valid(data):
		return data
	}
	out := make([]byte, 0, len(data)+len(data)/8)
	for _, c := range data {
		switch {
		case c < 0x80:
			out = append(out, c)
		case c < 0xA0:
			out = utf8.AppendRune(out, cp1252[c-0x80])
		default:
			out = utf8.AppendRune(out, rune(c))
		}
	}
	return out
}

// cp1252 is Windows-1252 from 0x80 to 0x9F (the rest is Latin-1); the
// five bytes it leaves undefined are kept as the C1 controls.
var cp1252 = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func fromUTF16(b []byte, bigEndian bool) []byte {
	units := make([]uint16, len(b)/2)
	for i := range units {
		if bigEndian {
			units[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			units[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(units)+len(units)/4)
	for _, r := range utf16.Decode(units) {
		out = utf8.AppendRune(out, r)
	}
	return out
}

// book is an opened page.
type book struct {
	data   []byte // UTF-8
	lim    read.Limits
	tables []tableInfo
}

func open(data []byte, lim read.Limits) (read.Book, error) {
	page := decode(data)
	tables, err := scanTables(page)
	if err != nil {
		return nil, rejection(err)
	}
	if len(tables) == 0 {
		return nil, read.Reject(jkn.ReasonNoTable, "an HTML page without a table (<table>): export the data as a table, or save it as .xlsx")
	}
	return &book{data: page, lim: lim, tables: tables}, nil
}

// rejection makes a *jkn.FileError of an error reading the page.
func rejection(err error) error {
	if errors.As(err, new(*jkn.FileError)) {
		return err
	}
	return read.Reject(jkn.ReasonCorrupt, "%v", err)
}

// Sheets implements read.Book.
func (b *book) Sheets() []read.SheetInfo {
	out := make([]read.SheetInfo, len(b.tables))
	for i, t := range b.tables {
		out[i] = read.SheetInfo{Name: t.name, Data: true}
	}
	return out
}

// Date1904 implements read.Book: a page has no date system of its own.
func (b *book) Date1904() bool { return false }

// Open implements read.Book.
func (b *book) Open(i int) (read.Sheet, error) {
	if i < 0 || i >= len(b.tables) {
		return nil, read.Reject(jkn.ReasonCorrupt, "no table %d", i)
	}
	return newSheet(b, i), nil
}
