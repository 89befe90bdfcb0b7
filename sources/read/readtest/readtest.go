// Package readtest helps test readers and what reads them: an in-memory
// read.Book and a read.Format that opens it, for testing the parser
// without a file format; and ReadAll and Diff, which read a whole book
// into a Grid and compare two grids cell for cell: two readings of the
// same workbook (the xlsx fast reader and excelize's, an .xls and the
// .xlsx LibreOffice converts it to) must give the same grid.
package readtest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"slices"
	"unicode/utf16"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// Sheet is one sheet of an in-memory book.
type Sheet struct {
	Info   read.SheetInfo
	Rows   []read.Row
	Layout read.Layout
	// Err, when set, ends the rows after Rows as the sheet's Err.
	Err error
	// Restart, when above 0, makes the first Open of the sheet give only
	// that many rows and then end with read.ErrRestart, as a reader that
	// gives up part way does; the next Open gives every row.
	Restart int
	// Hint is what RowsHint returns.
	Hint int
}

// Book is an in-memory read.Book. Opens counts the Open calls per sheet
// and Closes the Close calls.
type Book struct {
	Pages  []Sheet
	Is1904 bool
	Opens  map[int]int
	Closes int
}

// NewBook returns a book of the sheets in the 1900 date system.
func NewBook(sheets ...Sheet) *Book { return &Book{Pages: sheets, Opens: map[int]int{}} }

// Sheets implements read.Book.
func (b *Book) Sheets() []read.SheetInfo {
	out := make([]read.SheetInfo, len(b.Pages))
	for i, s := range b.Pages {
		out[i] = s.Info
	}
	return out
}

// Date1904 implements read.Book.
func (b *Book) Date1904() bool { return b.Is1904 }

// Open implements read.Book.
func (b *Book) Open(i int) (read.Sheet, error) {
	if i < 0 || i >= len(b.Pages) || !b.Pages[i].Info.Data {
		return nil, fmt.Errorf("readtest: sheet %d is not a data sheet", i)
	}
	if b.Opens == nil {
		b.Opens = map[int]int{}
	}
	b.Opens[i]++
	s := &sheet{book: b, def: b.Pages[i], pos: -1}
	if s.def.Restart > 0 && b.Opens[i] == 1 {
		s.def.Rows = s.def.Rows[:min(s.def.Restart, len(s.def.Rows))]
		s.def.Err = fmt.Errorf("readtest: %w", read.ErrRestart)
	}
	return s, nil
}

type sheet struct {
	book *Book
	def  Sheet
	pos  int
}

func (s *sheet) Next() bool {
	if s.pos+1 >= len(s.def.Rows) {
		s.pos = len(s.def.Rows)
		return false
	}
	s.pos++
	return true
}

func (s *sheet) Row() read.Row {
	r := s.def.Rows[s.pos]
	r.Cells = slices.Clone(r.Cells) // the caller's, as a reader's are
	return r
}

func (s *sheet) Err() error {
	if s.pos < len(s.def.Rows) {
		return nil
	}
	return s.def.Err
}

func (s *sheet) Layout() (read.Layout, error) { return s.def.Layout, nil }
func (s *sheet) RowsHint() int                { return s.def.Hint }
func (s *sheet) Close() error                 { s.book.Closes++; return nil }

// Format returns a read.Format named name that recognises data starting
// with magic and opens book for it, whatever the rest of data.
func Format(name, magic string, book read.Book) read.Format {
	return read.Format{
		Name:  name,
		Sniff: func(data []byte) bool { return bytes.HasPrefix(data, []byte(magic)) },
		Open:  func([]byte, read.Limits) (read.Book, error) { return book, nil },
	}
}

// Row builds a row of text cells, "" for a blank one: a short way to
// write test rows.
func Row(n int, texts ...string) read.Row {
	r := read.Row{Number: n, Cells: make([]read.Cell, len(texts))}
	for i, t := range texts {
		if t != "" {
			r.Cells[i] = read.Cell{Kind: read.Text, Text: t}
		}
	}
	return r
}

// Grid is a whole book as a reader gives it.
type Grid struct {
	Date1904 bool
	Sheets   []SheetGrid
}

// SheetGrid is one sheet as a reader gives it.
type SheetGrid struct {
	Info read.SheetInfo
	// Rows are the rows with a cell that is not blank, their trailing
	// blank cells left out: readers may give blank rows and cells or not.
	Rows []read.Row
	// Last is the number of the last row the reader gave, blank or not
	// (the parser counts the blank rows up to it).
	Last   int
	Layout read.Layout
	// Err is what ended the sheet: Open's, Layout's or the rows' error
	// (read.ErrRestart too: ReadAll does not read a sheet again).
	Err error
}

// ReadAll reads every data sheet of b, hidden ones too, to its end.
func ReadAll(b read.Book) Grid {
	g := Grid{Date1904: b.Date1904()}
	for i, info := range b.Sheets() {
		sg := SheetGrid{Info: info}
		if info.Data {
			sg.Rows, sg.Last, sg.Layout, sg.Err = readSheet(b, i)
		}
		g.Sheets = append(g.Sheets, sg)
	}
	return g
}

func readSheet(b read.Book, i int) (rows []read.Row, last int, layout read.Layout, err error) {
	s, err := b.Open(i)
	if err != nil {
		return nil, 0, layout, err
	}
	defer s.Close()
	for s.Next() {
		r := s.Row()
		last = r.Number
		end := len(r.Cells)
		for end > 0 && r.Cells[end-1].Kind == read.Blank {
			end--
		}
		if end > 0 {
			r.Cells = r.Cells[:end]
			rows = append(rows, r)
		}
	}
	if err := s.Err(); err != nil {
		return rows, last, layout, err
	}
	layout, err = s.Layout()
	return rows, last, layout, err
}

// Restarted reports whether a sheet of g ended with read.ErrRestart, and
// which with what.
func (g Grid) Restarted() []string {
	var out []string
	for _, s := range g.Sheets {
		if errors.Is(s.Err, read.ErrRestart) {
			out = append(out, fmt.Sprintf("%s: %v", s.Info.Name, s.Err))
		}
	}
	return out
}

// maxDiffs bounds the differences Diff lists per sheet.
const maxDiffs = 8

// Diff compares two grids and lists their differences, none when they
// are the same: the sheets, and per sheet its rows cell for cell, the
// last row, the layout (merges in order, hidden columns) and whether it
// ended in an error (of the same reason, for a *jkn.FileError). Nil and
// empty are the same.
func Diff(a, b Grid) []string {
	var out []string
	if a.Date1904 != b.Date1904 {
		out = append(out, fmt.Sprintf("date1904: %v, %v", a.Date1904, b.Date1904))
	}
	if len(a.Sheets) != len(b.Sheets) {
		return append(out, fmt.Sprintf("%d sheets, %d sheets", len(a.Sheets), len(b.Sheets)))
	}
	for i := range a.Sheets {
		out = append(out, diffSheet(a.Sheets[i], b.Sheets[i])...)
	}
	return out
}

func diffSheet(a, b SheetGrid) []string {
	var out []string
	add := func(format string, args ...any) {
		if len(out) < maxDiffs {
			out = append(out, fmt.Sprintf("sheet %q: ", a.Info.Name)+fmt.Sprintf(format, args...))
		}
	}
	if a.Info != b.Info {
		add("info %+v, %+v", a.Info, b.Info)
	}
	if msg := diffErr(a.Err, b.Err); msg != "" {
		add("%s", msg)
	}
	if a.Err != nil || b.Err != nil {
		return out // the rows before an error are void
	}
	if a.Last != b.Last {
		add("last row %d, %d", a.Last, b.Last)
	}
	if len(a.Rows) != len(b.Rows) {
		add("%d rows with cells, %d", len(a.Rows), len(b.Rows))
	}
	for k := range min(len(a.Rows), len(b.Rows)) {
		ra, rb := a.Rows[k], b.Rows[k]
		if ra.Number != rb.Number || !slices.Equal(ra.Cells, rb.Cells) {
			add("row %d:\n  %s\n  %s", ra.Number, cellsText(ra), cellsText(rb))
		}
	}
	if !(len(a.Layout.Merges) == 0 && len(b.Layout.Merges) == 0) && !slices.Equal(a.Layout.Merges, b.Layout.Merges) {
		add("merges %v, %v", a.Layout.Merges, b.Layout.Merges)
	}
	if !maps.Equal(a.Layout.Hidden, b.Layout.Hidden) {
		add("hidden columns %v, %v", slices.Sorted(maps.Keys(a.Layout.Hidden)), slices.Sorted(maps.Keys(b.Layout.Hidden)))
	}
	return out
}

// diffErr compares two sheets' errors: both nil, or both errors (of the
// same reason, for two *jkn.FileError).
func diffErr(a, b error) string {
	switch {
	case (a == nil) != (b == nil):
		return fmt.Sprintf("error %v, %v", a, b)
	case a == nil:
		return ""
	}
	var fa, fb *jkn.FileError
	if errors.As(a, &fa) != errors.As(b, &fb) || fa != nil && fa.Reason != fb.Reason {
		return fmt.Sprintf("error %v, %v", a, b)
	}
	return ""
}

// cellsText shows a row's cells as number: kind "text" (date) ...
func cellsText(r read.Row) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%d:", r.Number)
	for i, c := range r.Cells {
		if c.Kind == read.Blank && c.Text == "" && !c.Date {
			continue
		}
		fmt.Fprintf(&b, " %s=%s%q", jkn.ColumnLetter(i), c.Kind, c.Text)
		if c.Date {
			b.WriteString("(date)")
		}
	}
	return b.String()
}

// CFB builds a minimal OLE compound file (version 3, 512-byte sectors)
// holding one empty stream, e.g. "Workbook" as in an old .xls or
// "EncryptedPackage" as in a password-protected .xlsx.
func CFB(stream string) []byte {
	const (
		sector     = 512
		freeSect   = 0xFFFFFFFF
		endOfChain = 0xFFFFFFFE
		fatSect    = 0xFFFFFFFD
		noStream   = 0xFFFFFFFF
	)
	le := binary.LittleEndian
	out := make([]byte, 3*sector)
	h := out[:sector]
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(h[24:], 0x003E) // minor version
	le.PutUint16(h[26:], 3)      // major version
	le.PutUint16(h[28:], 0xFFFE) // byte order
	le.PutUint16(h[30:], 9)      // sector shift: 512
	le.PutUint16(h[32:], 6)      // mini sector shift: 64
	le.PutUint32(h[44:], 1)      // FAT sectors
	le.PutUint32(h[48:], 1)      // first directory sector
	le.PutUint32(h[56:], 4096)   // mini stream cutoff
	le.PutUint32(h[60:], endOfChain)
	le.PutUint32(h[68:], endOfChain)
	for i := 76; i < sector; i += 4 {
		le.PutUint32(h[i:], freeSect)
	}
	le.PutUint32(h[76:], 0) // the FAT is sector 0
	fat := out[sector : 2*sector]
	for i := 0; i < sector; i += 4 {
		le.PutUint32(fat[i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], endOfChain)
	dir := out[2*sector:]
	entry := func(i int, name string, kind byte, child uint32) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(e[2*k:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66] = kind
		e[67] = 1 // black
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], endOfChain)
	}
	entry(0, "Root Entry", 5, 1)
	entry(1, stream, 2, noStream)
	for i := 2; i < 4; i++ {
		e := dir[i*128 : (i+1)*128]
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], noStream)
	}
	return out
}
