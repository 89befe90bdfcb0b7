// Package ods reads OpenDocument spreadsheets (.ods, as LibreOffice,
// Google Sheets and Excel write them) behind the read seam.
//
// An .ods is a zip whose content.xml holds every sheet. The reader
// streams content.xml with its own bounded XML scanner (xml.go), twice:
// Open lists the sheets, the automatic styles and the date system, skipping
// each sheet's rows; Book.Open unpacks the part again up to the sheet's
// start and reads its rows one at a time (sheet.go). Nothing is held but
// the row being read, whatever the part's size.
//
// The grid, per the seam's contract (sources/read):
//   - office:value-type float, percentage and currency are Number cells,
//     their text the office:value as written; date is a Number holding
//     the serial date of the book's date system, with Date set; time is a
//     Number, the fraction of a day; boolean is Bool; string is Text (the
//     office:string-value, else the cell's paragraphs). A float whose data
//     style is a boolean one is Bool, as LibreOffice shows and saves it.
//     calcext:value-type="error" is an Error, its text as shown.
//   - A formula (table:formula) with a cached value is a cell of its
//     value's kind; without one, a Formula cell with the formula's text.
//   - A cell without a value type is Text when it shows text, else Blank.
//   - Date is also set on a cell whose style (its own, else its row's,
//     else its column's default cell style) has a date data style.
//   - table:null-date 1904-01-01 is the 1904 date system; otherwise 1900.
//   - Sheets in document order; hidden when their table style says
//     table:display="false". Every sheet is a data sheet.
//   - Merges, hidden columns and repeats: see sheet.
package ods

import (
	"errors"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// Format returns the .ods format. The .xlsx format's Sniff declines a zip
// whose first entry is an OpenDocument spreadsheet's mimetype, so the two
// may come in either order; an .ods repacked without that entry first is
// recognised here only when this format comes before .xlsx.
func Format() read.Format {
	return read.Format{Name: "ods", Sniff: sniff, Open: open}
}

// book is an opened .ods.
type book struct {
	p        *pkg
	lim      read.Limits
	st       *styles
	tables   []tableInfo
	date1904 bool
}

func open(data []byte, lim read.Limits) (read.Book, error) {
	p, err := openPackage(data, lim)
	if err != nil {
		return nil, err
	}
	st := newStyles()
	if p.styles != nil {
		if err := st.readStylesPart(p.styles); err != nil {
			return nil, partError("styles.xml", err)
		}
	}
	s, err := readStructure(p.content, st)
	if err != nil {
		return nil, partError("content.xml", err)
	}
	if !s.spreadsheet {
		return nil, read.Reject(jkn.ReasonUnsupportedFormat, "an OpenDocument file without a spreadsheet in it: put the table in a spreadsheet and save it as .ods or .xlsx")
	}
	st.resolve()
	return &book{p: p, lim: lim, st: st, tables: s.tables, date1904: s.date1904}, nil
}

// partError turns an error reading a part's structure into a rejection.
func partError(part string, err error) error {
	var fe *jkn.FileError
	var bound *boundError
	switch {
	case errors.As(err, &fe):
		return err
	case errors.As(err, &bound):
		return read.TooLarge("%v", bound)
	case errors.Is(err, errSyntax):
		return read.Reject(jkn.ReasonCorrupt, "%v", err)
	}
	return read.Reject(jkn.ReasonCorrupt, "reading %s: %v", part, err)
}

// Sheets implements read.Book.
func (b *book) Sheets() []read.SheetInfo {
	out := make([]read.SheetInfo, len(b.tables))
	for i, t := range b.tables {
		out[i] = read.SheetInfo{Name: t.name, Hidden: t.hidden, Data: true}
	}
	return out
}

// Date1904 implements read.Book.
func (b *book) Date1904() bool { return b.date1904 }

// Open implements read.Book.
func (b *book) Open(i int) (read.Sheet, error) {
	if i < 0 || i >= len(b.tables) {
		return nil, read.Reject(jkn.ReasonCorrupt, "no sheet %d", i)
	}
	return openSheet(b, i)
}
