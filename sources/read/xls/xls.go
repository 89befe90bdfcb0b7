// Package xls reads Excel 97-2003 workbooks (.xls: BIFF8) and Excel
// 5.0/95 ones (BIFF5) behind the read seam: the Workbook (or Book)
// stream of an OLE compound file (package cfb), its globals (sheets, the
// shared strings, cell formats, the date system, the code page) read
// when the book is opened, and a sheet's cell records when it is.
//
// The layout of the records is [MS-XLS]; BIFF5 is the same records with
// 8-bit strings in the workbook's code page and no shared strings. Every
// count and length a record declares is checked against the bytes that
// follow it before anything is allocated for it (limits.go).
package xls

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xls/cfb"
)

// Format returns the .xls format: an OLE compound file with a Workbook
// (BIFF8) or Book (BIFF5) stream. Sniff also takes a compound file whose
// directory cannot be read, so that Open rejects it saying what is
// damaged; a sound compound file without either stream (a
// password-protected .xlsx, a Word document) is not an .xls.
func Format() read.Format {
	return read.Format{Name: "xls", Sniff: sniff, Open: open}
}

// The streams of a workbook: BIFF8 writes Workbook, BIFF5 Book.
var streamNames = []string{"Workbook", "Book"}

func sniff(data []byte) bool {
	if !bytes.HasPrefix(data, cfb.Magic) {
		return false
	}
	f, err := cfb.Open(data)
	if err != nil {
		return true
	}
	names, err := f.Names()
	if err != nil {
		return true
	}
	for _, n := range names {
		for _, s := range streamNames {
			if equalFold(n, s) {
				return true
			}
		}
	}
	return false
}

func open(data []byte, lim read.Limits) (read.Book, error) {
	f, err := cfb.Open(data)
	if err != nil {
		return nil, read.Reject(jkn.ReasonCorrupt, "damaged OLE compound file: %w", err)
	}
	total, _ := lim.Unzip()
	most := min(total, int64(len(data)))
	var stream []byte
	for _, name := range streamNames {
		stream, err = f.Stream(name, most)
		if !errors.Is(err, cfb.ErrNotFound) {
			break
		}
	}
	var tooLarge *cfb.TooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return nil, read.TooLarge("the workbook stream holds %d bytes, more than limits.max_unzip_bytes (%d)", tooLarge.Size, tooLarge.Max)
	case errors.Is(err, cfb.ErrNotFound):
		return nil, read.Reject(jkn.ReasonUnsupportedFormat, "an OLE compound file without a workbook in it (no Workbook or Book stream): not an .xls workbook")
	case err != nil:
		return nil, read.Reject(jkn.ReasonCorrupt, "damaged OLE compound file: %w", err)
	}
	return openBook(stream, lim)
}

// equalFold compares two stream names as the compound file does.
func equalFold(a, b string) bool { return bytes.EqualFold([]byte(a), []byte(b)) }

// book is an opened workbook: its globals.
type book struct {
	stream []byte
	lim    read.Limits
	biff   int // 5 or 8
	sheets []sheetMeta
	sst    *sst
	// xfDate tells, per cell format (XF) index, whether it shows a date.
	xfDate []bool
	is1904 bool
	text   decoder // BIFF5's 8-bit strings
}

type sheetMeta struct {
	info read.SheetInfo
	pos  int // the offset of the sheet's BOF record in the stream
}

// Sheets implements read.Book.
func (b *book) Sheets() []read.SheetInfo {
	out := make([]read.SheetInfo, len(b.sheets))
	for i, s := range b.sheets {
		out[i] = s.info
	}
	return out
}

// Date1904 implements read.Book.
func (b *book) Date1904() bool { return b.is1904 }

// Open implements read.Book.
func (b *book) Open(i int) (read.Sheet, error) {
	if i < 0 || i >= len(b.sheets) || !b.sheets[i].info.Data {
		return nil, fmt.Errorf("xls: sheet %d is not a data sheet", i)
	}
	return openSheet(b, b.sheets[i].pos)
}

// isDate reports whether cell format xf shows a date.
func (b *book) isDate(xf uint16) bool { return int(xf) < len(b.xfDate) && b.xfDate[xf] }
