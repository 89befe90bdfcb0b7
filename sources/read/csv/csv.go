// Package csv reads delimited text behind the read seam: CSV, TSV and
// semicolon-separated text as Excel, LibreOffice and web applications
// export a sheet, in the forms Indonesian offices send (';' and a decimal
// comma, "1.234.567", "97,63%"; UTF-8 with or without a byte-order mark,
// Excel's "Unicode Text" in UTF-16, Windows-1252).
//
// A text is one sheet, named SheetName, with no merges, no hidden columns
// and the 1900 date system. The reader's job is to split the fields as a
// spreadsheet program would (split.go, as LibreOffice Calc does); the
// parser's is to read numbers and dates from their text. So a cell is
// given as written, spaces kept:
//
//   - an empty field is Blank;
//   - a field of digits only, with an optional leading '-' ("817221",
//     "0812", "-5"), is Number, its text as written: an integer reads the
//     same in every locale and strconv.ParseFloat reads it, so it is a
//     number whoever wrote the file, as LibreOffice reads it;
//   - anything else is Text: "817.221", "1.234.567", "97,63", "97,63%",
//     "0.9763", "01/09/2023", "35.15.01". Whether "1.234" is a thousand
//     and some or one and a fraction depends on the writer's locale,
//     which a CSV does not state; the parser's number reading
//     (ParseNumber) decides, for the xlsx LibreOffice writes from the same
//     text as for this one (csv_test.go's oracle compares both through
//     it). No cell is Date: a CSV has no formats, and a date is text the
//     parser reads as a date ("01/09/2023").
//
// Sniff (sniff.go) recognises text by content, never by name: it decodes
// the first 64 KiB (encoding by byte-order mark, else UTF-8 when valid,
// else Windows-1252), requires text without control characters but tab
// and line ends, not markup (an HTML or XML file starts with '<'), and
// the first records to split on one of ';', tab, ',' and '|' into the
// same number of fields, or an Excel "sep=;" first line (honoured and
// dropped). It claims any such text: a registry tries it after the
// formats whose files are text too (HTML).
package csv

import (
	"errors"
	"fmt"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// SheetName names a text's one sheet, in the parser's messages ("sheet
// \"CSV\" row 12 column D"): it tells the reader that the file was read
// as delimited text, whatever its name.
const SheetName = "CSV"

// Format returns the delimited-text format.
func Format() read.Format {
	return read.Format{Name: "csv", Sniff: sniff, Open: open}
}

func open(data []byte, lim read.Limits) (read.Book, error) {
	cs, bom := detectCharset(data, false)
	text, err := decode(data, cs, bom, textLimit)
	switch {
	case errors.Is(err, errTextTooLarge):
		return nil, read.TooLarge("the text is over %d MiB once decoded from %s", textLimit>>20, cs)
	case err != nil:
		return nil, read.Reject(jkn.ReasonCorrupt, "cannot decode the text as %s: %v", cs, err)
	}
	head := text[:min(len(text), sampleBytes)]
	d, ok := sniffDialect(head, len(text) <= sampleBytes)
	if !ok {
		return nil, read.Reject(jkn.ReasonNoTable, "a text file, but no separator (';', tab, ',' or '|') splits its first lines into the same fields: save the sheet as CSV from the spreadsheet")
	}
	return &book{text: text[d.skip:], d: d, rows: lim.Rows()}, nil
}

// book is an opened text.
type book struct {
	text []byte
	d    dialect
	rows int // Limits.MaxRows
}

// Sheets implements read.Book.
func (b *book) Sheets() []read.SheetInfo {
	return []read.SheetInfo{{Name: SheetName, Data: true}}
}

// Date1904 implements read.Book: a text has no date system; the parser
// reads its dates from their text.
func (b *book) Date1904() bool { return false }

// Open implements read.Book.
func (b *book) Open(i int) (read.Sheet, error) {
	if i != 0 {
		return nil, fmt.Errorf("csv: no sheet %d: a text has one", i)
	}
	hint := 0
	if b.d.perRecord > 0 {
		hint = min(len(b.text)/b.d.perRecord+1, b.rows)
	}
	return &sheet{sp: splitter{text: b.text, sep: b.d.sep}, width: b.d.width, maxRows: b.rows, hint: hint}, nil
}

// sheet reads a text's records as rows.
type sheet struct {
	sp      splitter
	width   int // dialect.width
	maxRows int
	hint    int
	record  int // the number of the record last read
	rows    int // rows with a value so far
	row     read.Row
	err     error
}

// Next implements read.Sheet. A record of empty fields is a blank row and
// left out; every record counts in the row numbers, as in a spreadsheet.
func (s *sheet) Next() bool {
	for s.err == nil {
		s.record++
		ok, err := s.sp.next(s.record)
		if err != nil {
			s.err = err
			return false
		}
		if !ok {
			return false
		}
		last := len(s.sp.fields) - 1
		for last >= 0 && s.sp.fields[last].start == s.sp.fields[last].end {
			last--
		}
		if last < 0 {
			continue
		}
		if s.width > 0 && last >= s.width {
			s.err = read.Reject(jkn.ReasonCorrupt,
				"row %d has a value in column %s, past the %d columns of every row above it: is the separator %s inside a value without quotes? Quote the value, or save the file again from the spreadsheet",
				s.record, jkn.ColumnLetter(last), s.width, sepName(s.sp.sep))
			return false
		}
		if last >= read.MaxColumns {
			s.err = read.PastMaxColumns(jkn.CellName(s.record, last))
			return false
		}
		if s.rows++; s.rows > s.maxRows {
			s.err = read.TooManyRows(s.maxRows)
			return false
		}
		s.row = s.build(last)
		return true
	}
	return false
}

// build makes the row of the record just read, its fields up to last:
// one string for the row's text, each cell's text a part of it.
func (s *sheet) build(last int) read.Row {
	f := s.sp.fields
	text := string(s.sp.rec[:f[last].end])
	cells := make([]read.Cell, last+1)
	for i := range cells {
		if f[i].start == f[i].end {
			continue
		}
		v := text[f[i].start:f[i].end]
		kind := read.Text
		if isInteger(v) {
			kind = read.Number
		}
		cells[i] = read.Cell{Text: v, Kind: kind}
	}
	return read.Row{Number: s.record, Cells: cells}
}

// isInteger reports whether v is digits with an optional leading '-'.
func isInteger(v string) bool {
	if len(v) > 0 && v[0] == '-' {
		v = v[1:]
	}
	if len(v) == 0 || len(v) > maxIntegerDigits {
		return false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return false
		}
	}
	return true
}

func sepName(sep byte) string {
	if sep == '\t' {
		return "tab"
	}
	return fmt.Sprintf("%q", sep)
}

// Row implements read.Sheet.
func (s *sheet) Row() read.Row { return s.row }

// Err implements read.Sheet.
func (s *sheet) Err() error { return s.err }

// Layout implements read.Sheet: a text has no merges and no hidden
// columns.
func (s *sheet) Layout() (read.Layout, error) { return read.Layout{}, nil }

// RowsHint implements read.Sheet: the text's size over the mean size of
// its first records.
func (s *sheet) RowsHint() int { return s.hint }

// Close implements read.Sheet.
func (s *sheet) Close() error { return nil }
