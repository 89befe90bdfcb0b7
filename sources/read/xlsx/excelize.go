package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// The slow path, the reader of record: excelize's rows iterator, on a
// package of the one sheet (sheetPackage), after a pass over the sheet XML
// that bounds its size and reads its layout (scanSheet), with the facts
// of each row's cells read beside it (cellFacts). A sheet comes here when
// the fast path leaves it (fast.go), and in the tests that compare the
// two paths.

// slowSheet is a sheet read by excelize.
type slowSheet struct {
	p      *pkg
	x      *excelize.File
	rows   *excelize.Rows
	facts  *cellFacts
	layout read.Layout
	// loadable: the sheet is small enough for excelize to load whole, for
	// a shared formula's text.
	loadable bool

	n   int // the row Next moved to
	row read.Row
	err error
}

// openSlow reads a sheet by the slow path. A sheet without any cell is
// not handed to excelize: it has no rows.
func openSlow(p *pkg, s sheetInfo) (*slowSheet, error) {
	zf := p.entry(s.path)
	res, err := scanSheet(zf, p)
	if err != nil {
		if errors.As(err, new(*jkn.FileError)) {
			return nil, err
		}
		return nil, fmt.Errorf("reading sheet XML: %w", err)
	}
	sh := &slowSheet{p: p, layout: res.layout, loadable: zf.UncompressedSize64 <= maxFormulaSheetBytes}
	if res.cells == 0 {
		return sh, nil
	}
	// excelize opens a package of this one sheet (see sheetPackage).
	sheetPkg, err := p.sheetPackage(s)
	if err != nil {
		return nil, fmt.Errorf("reading sheet XML: %w", err)
	}
	total, xmlPart := p.spillLimit()
	x, err := excelize.OpenReader(bytes.NewReader(sheetPkg), excelize.Options{UnzipSizeLimit: total, UnzipXMLSizeLimit: xmlPart})
	if err != nil {
		if strings.Contains(err.Error(), "unzip size exceeds") {
			return nil, read.TooLarge("cannot open workbook: %w", err)
		}
		return nil, fmt.Errorf("cannot open workbook: %w", err)
	}
	rows, err := x.Rows(excelizeSheet)
	if err != nil {
		x.Close()
		return nil, err
	}
	facts, err := newCellFacts(zf, p)
	if err != nil {
		rows.Close()
		x.Close()
		return nil, err
	}
	sh.x, sh.rows, sh.facts = x, rows, facts
	return sh, nil
}

// Next implements read.Sheet: one row of excelize's iterator, every row
// number in turn (rows the XML leaves out come back empty).
func (s *slowSheet) Next() bool {
	if s.rows == nil || s.err != nil || !s.rows.Next() {
		return false
	}
	s.n++
	values, err := s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		s.err = fmt.Errorf("row %d: %w", s.n, err)
		return false
	}
	s.row = read.Row{Number: s.n, Cells: s.cells(values, s.facts.advance())}
	return true
}

// cells types the values excelize shows with the facts read beside it.
// A value without facts (only XML whose rows excelize counts otherwise
// than the scan has them) is Text.
func (s *slowSheet) cells(values []string, facts []cellFact) []read.Cell {
	width := len(values)
	for _, f := range facts {
		width = max(width, f.col+1)
	}
	cells := make([]read.Cell, width)
	for i, v := range values {
		if v != "" {
			cells[i] = read.Cell{Kind: read.Text, Text: v}
		}
	}
	for _, f := range facts {
		if f.col < 0 {
			continue
		}
		v := ""
		if f.col < len(values) {
			v = values[f.col]
		}
		c := read.Cell{Text: v, Kind: cellKind(f.typ, f.hasF, f.hasV, f.hasIS, v == "", strings.TrimSpace(v) == "")}
		switch c.Kind {
		case read.Blank:
			c.Text = ""
		case read.Formula:
			c.Text = f.formula
		}
		if c.Kind != read.Blank {
			c.Date = s.p.isDateStyle(f.style)
		}
		cells[f.col] = c
	}
	end := len(cells)
	for end > 0 && cells[end-1].Kind == read.Blank {
		end--
	}
	return cells[:end]
}

// Row implements read.Sheet.
func (s *slowSheet) Row() read.Row { return s.row }

// Err implements read.Sheet.
func (s *slowSheet) Err() error {
	if s.err != nil || s.rows == nil {
		return s.err
	}
	return s.rows.Error()
}

// Layout implements read.Sheet: the scan read it before the rows.
func (s *slowSheet) Layout() (read.Layout, error) { return s.layout, nil }

// RowsHint implements read.Sheet: excelize's iterator gives none.
func (s *slowSheet) RowsHint() int { return 0 }

// FormulaText implements read.FormulaTexts: excelize works out a shared
// formula's text for the cell, at the price of loading the sheet.
func (s *slowSheet) FormulaText(row, col int) string {
	if s.x == nil || !s.loadable {
		return ""
	}
	f, err := s.x.GetCellFormula(excelizeSheet, jkn.CellName(row, col))
	if err != nil {
		return ""
	}
	return f
}

// Close implements read.Sheet.
func (s *slowSheet) Close() error {
	if s.rows == nil {
		return nil
	}
	s.facts.close()
	s.rows.Close()
	return s.x.Close()
}

// lazySheet opens the one-sheet package with excelize when a shared
// formula's text is wanted on the fast path: a rare path, as on the slow.
type lazySheet struct {
	p        *pkg
	s        sheetInfo
	loadable bool
	once     sync.Once
	x        *excelize.File
	err      error
}

func newLazySheet(p *pkg, s sheetInfo) *lazySheet {
	return &lazySheet{p: p, s: s, loadable: p.entry(s.path).UncompressedSize64 <= maxFormulaSheetBytes}
}

// text returns the formula of the cell at row, col, "" when it cannot.
func (l *lazySheet) text(row, col int) string {
	if !l.loadable {
		return ""
	}
	l.once.Do(func() {
		b, err := l.p.sheetPackage(l.s)
		if err != nil {
			l.err = err
			return
		}
		total, xmlPart := l.p.spillLimit()
		l.x, l.err = excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: total, UnzipXMLSizeLimit: xmlPart})
	})
	if l.err != nil {
		return ""
	}
	f, err := l.x.GetCellFormula(excelizeSheet, jkn.CellName(row, col))
	if err != nil {
		return ""
	}
	return f
}

func (l *lazySheet) close() {
	if l.x != nil {
		l.x.Close()
	}
}

// excelizeSheet is the name of the one sheet of a sheetPackage.
const excelizeSheet = "Sheet1"

// sheetPackage builds the package excelize opens for one sheet: the
// sheet's part and the shared strings, copied compressed as they are,
// under a minimal workbook of that one sheet. excelize then parses no
// structure part of the file (workbook, relationships, styles, theme,
// calculation chain), holds no other sheet and no media in memory, and
// cannot fail on a sheet name it does not like.
func (p *pkg) sheetPackage(s sheetInfo) ([]byte, error) {
	const (
		main = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
		rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
		typ  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) error {
		w, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(w, content)
		}
		return err
	}
	copyRaw := func(name string, zf *zip.File) error {
		r, err := zf.OpenRaw()
		if err != nil {
			return err
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zf.Method, CRC32: zf.CRC32,
			CompressedSize64: zf.CompressedSize64, UncompressedSize64: zf.UncompressedSize64})
		if err != nil {
			return err
		}
		_, err = io.Copy(w, r)
		return err
	}
	sst := ""
	if p.sst != nil {
		sst = `<Relationship Id="rId2" Type="` + typ + `sharedStrings" Target="sharedStrings.xml"/>`
	}
	for _, step := range []func() error{
		func() error {
			return add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
				`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
				`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
				`<Default Extension="xml" ContentType="application/xml"/>`+
				`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
				`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
				`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
		},
		func() error {
			return add("_rels/.rels", rels+`<Relationship Id="rId1" Type="`+typ+`officeDocument" Target="xl/workbook.xml"/></Relationships>`)
		},
		func() error {
			return add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook `+main+`><sheets>`+
				`<sheet name="`+excelizeSheet+`" sheetId="1" r:id="rId1"/></sheets></workbook>`)
		},
		func() error {
			return add("xl/_rels/workbook.xml.rels", rels+`<Relationship Id="rId1" Type="`+typ+`worksheet" Target="worksheets/sheet1.xml"/>`+sst+`</Relationships>`)
		},
		func() error { return copyRaw("xl/worksheets/sheet1.xml", p.entry(s.path)) },
		func() error {
			if p.sst == nil {
				return nil
			}
			return copyRaw("xl/sharedStrings.xml", p.sst.zf)
		},
		zw.Close,
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// spillLimit is the UnzipXMLSizeLimit excelize opens a sheetPackage
// with: the configured one, lowered below the shared strings' size when
// they are too many to parse into memory.
func (p *pkg) spillLimit() (total, xmlPart int64) {
	total, xmlPart = p.lim.Unzip()
	if p.sst != nil && len(p.sst.lens) > inMemorySharedStrings {
		xmlPart = min(xmlPart, max(int64(p.sst.zf.UncompressedSize64)-1, 1))
	}
	return total, xmlPart
}
