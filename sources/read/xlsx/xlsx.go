// Package xlsx reads .xlsx and .xlsm workbooks (Office Open XML) behind
// the read seam. A sheet is read by the fast path (fast.go: its own XML
// tokenizer, the rows in one goroutine and the layout in another) when
// its XML is plain, and by excelize's rows iterator otherwise (excelize.go,
// the slow path), cell for cell the same: the tests read every test
// workbook both ways and compare the grids.
//
// The package structure (zip, relationships, workbook part, styles) is
// read as streams with every count bounded (package.go, limits.go), and
// excelize is only ever given a package of the one sheet it reads and
// the shared strings.
package xlsx

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// The sheets of both paths tell formula texts.
var (
	_ interface {
		read.Sheet
		read.FormulaTexts
	} = (*fastSheet)(nil)
	_ interface {
		read.Sheet
		read.FormulaTexts
	} = (*slowSheet)(nil)
)

// Format returns the .xlsx format: a zip archive that does not start as
// an OpenDocument spreadsheet does (the .ods reader's). A zip that is not
// an Excel workbook (an .xlsb, any other archive) is rejected by Open
// with unsupported_format, saying what it is.
func Format() read.Format {
	return read.Format{Name: "xlsx", Sniff: sniff, Open: open}
}

func sniff(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK")) && !openDocumentSpreadsheet(data)
}

// openDocumentSpreadsheet reports whether data's first zip entry is the
// stored "mimetype" of an OpenDocument spreadsheet, as the format requires
// an .ods to start (its local header is 30 bytes, the name, an extra
// field, then the data).
func openDocumentSpreadsheet(data []byte) bool {
	const header = 30
	if len(data) < header || !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return false
	}
	nameLen := int(binary.LittleEndian.Uint16(data[26:]))
	extraLen := int(binary.LittleEndian.Uint16(data[28:]))
	if header+nameLen > len(data) || string(data[header:header+nameLen]) != "mimetype" {
		return false
	}
	from := min(header+nameLen+extraLen, len(data))
	return bytes.HasPrefix(data[from:], []byte("application/vnd.oasis.opendocument.spreadsheet"))
}

func open(data []byte, lim read.Limits) (read.Book, error) {
	p, err := openPackage(data, lim)
	if err != nil {
		return nil, err
	}
	return &book{p: p, opened: map[int]bool{}}, nil
}

// book is an opened workbook.
type book struct {
	p *pkg
	// opened marks the sheets read once: the parser opens a sheet again
	// only when the fast path gave it up, and the slow path reads it then.
	opened map[int]bool
	// slowOnly reads every sheet by the slow path (a test hook:
	// export_test.go).
	slowOnly bool
}

// Sheets implements read.Book.
func (b *book) Sheets() []read.SheetInfo {
	out := make([]read.SheetInfo, len(b.p.sheets))
	for i, s := range b.p.sheets {
		out[i] = read.SheetInfo{Name: s.name, Hidden: s.hidden, Data: s.worksheet}
	}
	return out
}

// Date1904 implements read.Book.
func (b *book) Date1904() bool { return b.p.date1904 }

// Open implements read.Book: the fast path first, the slow path when the
// fast path has given the sheet up (its Err was read.ErrRestart).
func (b *book) Open(i int) (read.Sheet, error) {
	if i < 0 || i >= len(b.p.sheets) || !b.p.sheets[i].worksheet {
		return nil, fmt.Errorf("sheet %d is not a worksheet", i)
	}
	s := b.p.sheets[i]
	again := b.opened[i]
	b.opened[i] = true
	if again || b.slowOnly {
		return openSlow(b.p, s)
	}
	return openFast(b.p, s)
}
