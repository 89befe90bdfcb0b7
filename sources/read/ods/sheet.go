package ods

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// sheet reads one table:table of content.xml, a row at a time. The part
// is unpacked up to the table's start (found by the first pass) and the
// table's XML scanned from there; nothing after the table is read.
//
// Repeats: a row element with table:number-rows-repeated gives that many
// rows. Repeated rows and cells that are empty cost nothing (LibreOffice
// writes the empty area after the data as a row repeated up to row
// 1,048,576 and a cell repeated up to column XFD); repeated ones with a
// value are given one by one, each a row with values against
// Limits.MaxRows and each cell against read.MaxColumns and the text and
// cell bounds. Merges come from table:number-columns-spanned and
// number-rows-spanned on a cell, for the first row and cell of a repeat
// only (as LibreOffice reads them). Hidden columns are the
// table:table-column elements with table:visibility "collapse" or
// "filter", which come before the rows.
type sheet struct {
	b    *book
	t    tableInfo
	rc   io.ReadCloser
	sc   *scanner
	err  error
	done bool // the table's end tag was read

	row   read.Row
	ahead []read.Row // rows read ahead by Layout

	// tmpl is the row element last read, given reps more times from row
	// number tmplNext.
	tmpl     []read.Cell
	tmplText int
	reps     int
	tmplNext int

	next   int  // the number of the first row of the next row element
	inRows bool // a row was read: columns are over

	colNext  int
	colFlags []uint8 // cell style flags of the columns' default cell styles
	layout   read.Layout

	dataRows int
	cells    int
	text     int64

	// The row being read: its cells' texts in arena.
	arena []byte
	pend  []pendCell
}

// pendCell is a cell of the row being read, n copies from column col.
type pendCell struct {
	col, n     int
	start, end int // its text in arena
	kind       read.Kind
	date       bool
	// styled: flags are the cell's or its row's style's; otherwise each
	// copy takes its column's.
	styled bool
	flags  uint8
}

func openSheet(b *book, i int) (*sheet, error) {
	t := b.tables[i]
	rc, err := b.p.content.Open()
	if err != nil {
		return nil, read.Reject(jkn.ReasonCorrupt, "sheet %q: reading content.xml: %w", t.name, err)
	}
	if _, err := io.CopyN(io.Discard, rc, t.start); err != nil {
		rc.Close()
		return nil, read.Reject(jkn.ReasonCorrupt, "sheet %q: reading content.xml: %w", t.name, err)
	}
	sc := newScanner(rc, "content.xml", t.bind)
	sc.started, sc.base = true, t.start
	s := &sheet{b: b, t: t, rc: rc, sc: sc, next: 1}
	if err := sc.next(); err != nil || sc.kind != tokStart || !sc.is(nsTable, "table") {
		rc.Close()
		if err == nil {
			err = errors.New("the sheet is not where the first reading found it")
		}
		return nil, s.fail(err)
	}
	s.done = sc.self
	return s, nil
}

// Next implements read.Sheet.
func (s *sheet) Next() bool {
	if len(s.ahead) > 0 {
		s.row, s.ahead = s.ahead[0], s.ahead[1:]
		return true
	}
	if s.err != nil {
		return false
	}
	r, ok, err := s.read()
	if err != nil {
		s.err = err
		s.Close()
		return false
	}
	s.row = r
	return ok
}

// Row implements read.Sheet.
func (s *sheet) Row() read.Row { return s.row }

// Err implements read.Sheet.
func (s *sheet) Err() error {
	if len(s.ahead) > 0 {
		return nil
	}
	return s.err
}

// Layout implements read.Sheet. The merges of the first read.MergeRows
// rows are known once the rows up to there are read: Layout reads ahead
// to there when the caller has not.
func (s *sheet) Layout() (read.Layout, error) {
	for s.err == nil && !s.done && s.next <= read.MergeRows {
		r, ok, err := s.read()
		if err != nil {
			s.err = err
			s.Close()
			break
		}
		if !ok {
			break
		}
		s.ahead = append(s.ahead, r)
	}
	if s.err != nil {
		return read.Layout{}, s.err
	}
	return s.layout, nil
}

// RowsHint implements read.Sheet: the rows read so far, scaled by the
// share of the table's XML read.
func (s *sheet) RowsHint() int {
	read := s.sc.offset() - s.t.start
	if s.dataRows == 0 || read <= 0 {
		return 0
	}
	hint := int(float64(s.dataRows) * float64(s.t.end-s.t.start) / float64(read))
	return min(max(hint, s.dataRows), s.b.lim.Rows())
}

// Close implements read.Sheet.
func (s *sheet) Close() error {
	if s.rc != nil {
		s.rc.Close()
		s.rc = nil
	}
	return nil
}

// read returns the next row with values; false at the end of the table.
func (s *sheet) read() (read.Row, bool, error) {
	for {
		if s.reps > 0 {
			s.reps--
			cells := s.tmpl
			if s.reps > 0 {
				cells = slices.Clone(s.tmpl)
			}
			r := read.Row{Number: s.tmplNext, Cells: cells}
			s.tmplNext++
			if err := s.count(r); err != nil {
				return read.Row{}, false, err
			}
			return r, true, nil
		}
		if s.done {
			return read.Row{}, false, nil
		}
		found, err := s.nextRow()
		if err != nil {
			return read.Row{}, false, s.fail(err)
		}
		if !found {
			s.done = true
			s.Close()
			return read.Row{}, false, nil
		}
		if err := s.readRow(); err != nil {
			return read.Row{}, false, s.fail(err)
		}
	}
}

// count checks a row about to be given against the bounds.
func (s *sheet) count(r read.Row) error {
	if r.Number > maxRowNumber {
		return read.TooLarge("sheet %q: values in row %d, past the last row a sheet has (%d)", s.t.name, r.Number, maxRowNumber)
	}
	if s.dataRows++; s.dataRows > s.b.lim.Rows() {
		return read.TooManyRows(s.b.lim.Rows())
	}
	if s.cells += len(r.Cells); s.cells > maxSheetCells {
		return read.TooLarge("sheet %q: its rows hold more than %d cells up to their last values: remove what lies far to the right of the table",
			s.t.name, maxSheetCells)
	}
	if s.text += int64(s.tmplText); s.text > read.MaxSheetText {
		return read.TooLarge("sheet %q: more than %d bytes of text in its cells", s.t.name, read.MaxSheetText)
	}
	return nil
}

// fail turns an error reading the sheet into a rejection.
func (s *sheet) fail(err error) error {
	var fe *jkn.FileError
	var bound *boundError
	switch {
	case errors.As(err, &fe):
		return err
	case errors.As(err, &bound):
		return read.TooLarge("sheet %q: %v", s.t.name, bound)
	case errors.Is(err, errSyntax):
		return read.Reject(jkn.ReasonCorrupt, "sheet %q: %v", s.t.name, err)
	}
	return read.Reject(jkn.ReasonCorrupt, "sheet %q: reading content.xml: %v", s.t.name, err)
}

// nextRow moves to the next table:table-row element, through row and
// column groups, reading the columns on the way; false at the table's end.
func (s *sheet) nextRow() (bool, error) {
	sc := s.sc
	for {
		if err := sc.next(); err != nil {
			return false, err
		}
		switch sc.kind {
		case tokEOF:
			return false, sc.syntax("the XML ends inside the sheet")
		case tokText:
			continue
		case tokEnd:
			if sc.depth() == 0 {
				return false, nil
			}
			continue
		}
		if sc.ns != nsTable {
			if err := sc.skip(); err != nil {
				return false, err
			}
			continue
		}
		switch string(sc.local) {
		case "table-row":
			s.inRows = true
			return true, nil
		case "table-row-group", "table-header-rows", "table-rows",
			"table-column-group", "table-header-columns", "table-columns":
			// Groups: their children are read as the table's.
		case "table-column":
			if s.inRows {
				return false, read.Reject(jkn.ReasonCorrupt, "sheet %q: a column after the rows", s.t.name)
			}
			if err := s.readColumn(); err != nil {
				return false, err
			}
		default:
			if err := sc.skip(); err != nil {
				return false, err
			}
		}
	}
}

// readColumn reads the table:table-column element just started: hidden
// columns and default cell styles.
func (s *sheet) readColumn() error {
	sc := s.sc
	reps, hidden := 1, false
	var flags uint8
	for _, a := range sc.attrs {
		if a.ns != nsTable {
			continue
		}
		switch string(a.local) {
		case "number-columns-repeated":
			reps = repeat(a.value, maxColumns)
		case "visibility":
			hidden = string(a.value) == "collapse" || string(a.value) == "filter"
		case "default-cell-style-name":
			flags = s.b.st.cellFlags(a.value)
		}
	}
	from, to := s.colNext, min(s.colNext+reps, maxColumns)
	s.colNext = to
	if hidden && from < to {
		if s.layout.Hidden == nil {
			s.layout.Hidden = map[int]bool{}
		}
		for c := from; c < to; c++ {
			s.layout.Hidden[c] = true
		}
	}
	if flags != 0 && from < to {
		if len(s.colFlags) < to {
			s.colFlags = append(s.colFlags, make([]uint8, to-len(s.colFlags))...)
		}
		for c := from; c < to; c++ {
			s.colFlags[c] = flags
		}
	}
	return sc.skip()
}

// colFlag returns the flags of column c's default cell style.
func (s *sheet) colFlag(c int) uint8 {
	if c < len(s.colFlags) {
		return s.colFlags[c]
	}
	return 0
}

// repeat reads a repeat or span count: at least 1, at most limit+1 (past
// every bound, so that it costs nothing to count).
func repeat(v []byte, limit int) int {
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 1
		}
		if n = n*10 + int(c-'0'); n > limit {
			return limit + 1
		}
	}
	return max(n, 1)
}

// readRow reads the table:table-row element just started: its cells into
// tmpl, how often it repeats, the merges it starts.
func (s *sheet) readRow() error {
	sc := s.sc
	reps, rowStyled := 1, false
	var rowFlags uint8
	for _, a := range sc.attrs {
		if a.ns != nsTable {
			continue
		}
		switch string(a.local) {
		case "number-rows-repeated":
			reps = repeat(a.value, maxRowNumber)
		case "default-cell-style-name":
			rowFlags, rowStyled = s.b.st.cellFlags(a.value), true
		}
	}
	first := s.next
	s.next = min(s.next+reps, maxRowNumber+1)
	s.arena, s.pend = s.arena[:0], s.pend[:0]
	if !sc.self {
		col := 0
		for {
			if err := sc.next(); err != nil {
				return err
			}
			if sc.kind == tokEnd {
				break
			}
			if sc.kind != tokStart {
				continue
			}
			if sc.ns == nsTable && (string(sc.local) == "table-cell" || string(sc.local) == "covered-table-cell") {
				if err := s.readCell(&col, first, rowFlags, rowStyled); err != nil {
					return err
				}
				continue
			}
			if err := sc.skip(); err != nil {
				return err
			}
		}
	}
	s.tmpl, s.reps, s.tmplNext, s.tmplText = nil, 0, first, 0
	if len(s.pend) == 0 {
		return nil
	}
	last := s.pend[len(s.pend)-1]
	cells := make([]read.Cell, last.col+last.n)
	text := string(s.arena)
	size := 0
	for _, p := range s.pend {
		c := read.Cell{Kind: p.kind, Text: text[p.start:p.end], Date: p.date}
		size += (p.end - p.start) * p.n
		for k := range p.n {
			cc := c
			if p.kind != read.Formula && p.kind != read.Error {
				flags := p.flags
				if !p.styled {
					flags = s.colFlag(p.col + k)
				}
				cc.Date = cc.Date || flags&flagDate != 0
				if cc.Kind == read.Number && flags&flagBool != 0 && !p.date {
					cc.Kind, cc.Text = read.Bool, boolText(cc.Text)
				}
			}
			cells[p.col+k] = cc
		}
	}
	if size > read.MaxRowText {
		return read.TooLarge("sheet %q row %d: more than %d bytes of text in one row", s.t.name, first, read.MaxRowText)
	}
	s.tmpl, s.reps, s.tmplText = cells, reps, size
	return nil
}

// boolText is a number shown as a boolean: "0" when it is zero.
func boolText(num string) string {
	for i := 0; i < len(num); i++ {
		if c := num[i]; c >= '1' && c <= '9' {
			return "1"
		} else if c == 'e' || c == 'E' {
			break
		}
	}
	return "0"
}

// Value types of office:value-type.
type valueType uint8

const (
	vtNone valueType = iota
	vtNumber
	vtDate
	vtTime
	vtBool
	vtString
)

func valueTypeOf(b []byte) valueType {
	switch string(b) {
	case "float", "percentage", "currency":
		return vtNumber
	case "date":
		return vtDate
	case "time":
		return vtTime
	case "boolean":
		return vtBool
	case "string":
		return vtString
	}
	return vtNone
}

// readCell reads the table:table-cell or covered-table-cell element just
// started, in row row at column *col, which it moves past the cell's
// copies. A covered cell (hidden by a merge) is read like any other:
// LibreOffice keeps its content, and so does the .xlsx it writes.
func (s *sheet) readCell(col *int, row int, rowFlags uint8, rowStyled bool) error {
	sc := s.sc
	reps, spanC, spanR := 1, 1, 1
	vt, isErr, styled := vtNone, false, rowStyled
	flags := rowFlags
	var value, dateV, timeV, boolV, strV, formula []byte
	hasStr, hasFormula := false, false
	for _, a := range sc.attrs {
		switch a.ns {
		case nsTable:
			switch string(a.local) {
			case "number-columns-repeated":
				reps = repeat(a.value, maxColumns)
			case "number-columns-spanned":
				spanC = repeat(a.value, maxColumns)
			case "number-rows-spanned":
				spanR = repeat(a.value, maxRowNumber)
			case "style-name":
				flags, styled = s.b.st.cellFlags(a.value), true
			case "formula":
				formula, hasFormula = a.value, true
			}
		case nsOffice:
			switch string(a.local) {
			case "value-type":
				vt = valueTypeOf(a.value)
			case "value":
				value = a.value
			case "date-value":
				dateV = a.value
			case "time-value":
				timeV = a.value
			case "boolean-value":
				boolV = a.value
			case "string-value":
				strV, hasStr = a.value, true
			}
		case nsCalcext:
			if string(a.local) == "value-type" && string(a.value) == "error" {
				isErr = true
			}
		}
	}
	c0 := *col
	*col = min(c0+reps, maxColumns+1)
	if (spanC > 1 || spanR > 1) && row <= read.MergeRows && c0 < maxColumns && len(s.layout.Merges) < read.MaxMerges {
		s.layout.Merges = append(s.layout.Merges, read.Range{
			Top: row, Left: c0, Bottom: min(row+spanR-1, maxRowNumber), Right: min(c0+spanC-1, maxColumns-1)})
	}

	// The value from the attributes, into the arena; the attributes are
	// the scanner's until it reads on.
	p := pendCell{col: c0, n: reps, start: len(s.arena), styled: styled, flags: flags}
	useText := false // the cell's value is its paragraphs' text
	var err error
	switch {
	case isErr:
		p.kind, useText = read.Error, true
	case vt == vtNumber:
		v, ok := numberText(value)
		if !ok {
			return s.cellError(row, c0, "office:value %q is not a number", clip(value))
		}
		p.kind, s.arena = read.Number, append(s.arena, v...)
	case vt == vtDate:
		v, ok := dateSerial(string(dateV), s.b.date1904)
		if !ok {
			return s.cellError(row, c0, "office:date-value %q is not a date", clip(dateV))
		}
		p.kind, p.date, s.arena = read.Number, true, append(s.arena, v...)
	case vt == vtTime:
		v, ok := timeValue(string(timeV))
		if !ok {
			return s.cellError(row, c0, "office:time-value %q is not a time", clip(timeV))
		}
		p.kind, s.arena = read.Number, append(s.arena, v...)
	case vt == vtBool:
		switch string(boolV) {
		case "true", "1":
			s.arena = append(s.arena, '1')
		case "false", "0":
			s.arena = append(s.arena, '0')
		default:
			return s.cellError(row, c0, "office:boolean-value %q is not true or false", clip(boolV))
		}
		p.kind = read.Bool
	case vt == vtString && hasStr:
		p.kind = read.Text
		if s.arena, err = appendText(s.arena, strV); err != nil {
			return s.cellError(row, c0, "office:string-value holds %v", err)
		}
	case vt == vtString:
		p.kind, useText = read.Text, true
	case hasFormula:
		// A formula without a value: a file saved by a program that does
		// not calculate.
		f, err := appendText(nil, formula)
		if err != nil {
			return s.cellError(row, c0, "table:formula holds %v", err)
		}
		p.kind, s.arena = read.Formula, append(s.arena, formulaText(string(f))...)
	default:
		// No value type: text if the cell shows any (as LibreOffice reads
		// it), else blank.
		p.kind, useText = read.Text, true
	}
	if useText {
		if err := s.readParagraphs(row, c0); err != nil {
			return err
		}
		if p.kind == read.Text && vt == vtNone && len(s.arena) == p.start {
			p.kind = read.Blank
		}
	} else if err := sc.skip(); err != nil {
		return err
	}
	p.end = len(s.arena)
	if p.end-p.start > read.MaxCellText {
		return s.longCell(row, c0)
	}
	if err := checkText(s.arena[p.start:p.end]); err != nil {
		return s.cellError(row, c0, "%v", err)
	}
	if p.kind == read.Blank {
		return nil
	}
	if c0 >= maxColumns {
		// Past the sheet: no cell name to give.
		return read.TooLarge("sheet %q row %d: values past column %s, the last a sheet has", s.t.name, row, jkn.ColumnLetter(maxColumns-1))
	}
	if c0+reps > read.MaxColumns {
		// The first copy past the bound names the cell: a value repeated
		// from column AMA into AMK is rejected at AMK.
		return read.PastMaxColumns(jkn.CellName(row, max(c0, read.MaxColumns)))
	}
	s.pend = append(s.pend, p)
	return nil
}

// longCell rejects a cell whose text is over read.MaxCellText.
func (s *sheet) longCell(row, col int) error {
	return read.TooLarge("sheet %q row %d column %s: a cell's text is longer than %d bytes", s.t.name, row, jkn.ColumnLetter(col), read.MaxCellText)
}

// cellError rejects the file for a cell no writer would write.
func (s *sheet) cellError(row, col int, format string, args ...any) error {
	return read.Reject(jkn.ReasonCorrupt, "sheet %q row %d column %s: %s", s.t.name, row, jkn.ColumnLetter(col),
		fmt.Sprintf(format, args...))
}

// readParagraphs appends the text of the cell element just started: its
// text:p and text:h paragraphs, joined by line ends. In a paragraph,
// character data is kept as written (LibreOffice does not collapse white
// space in cells), text:s is its text:c spaces, text:tab a tab,
// text:line-break a line end, and spans, links and fields give their
// text. Annotations (office:annotation), notes and drawings are not the
// cell's text.
func (s *sheet) readParagraphs(row, col int) error {
	sc := s.sc
	if sc.self {
		return nil
	}
	start, paras := len(s.arena), 0
	cell := sc.depth()
	for {
		if err := sc.next(); err != nil {
			return err
		}
		switch sc.kind {
		case tokEnd:
			if sc.depth() < cell {
				return nil
			}
			continue
		case tokText:
			continue // between paragraphs
		}
		if sc.ns != nsText || string(sc.local) != "p" && string(sc.local) != "h" {
			if err := sc.skip(); err != nil {
				return err
			}
			continue
		}
		if paras > 0 {
			s.arena = append(s.arena, '\n')
		}
		paras++
		if err := s.readParagraph(start, row, col); err != nil {
			return err
		}
	}
}

// readParagraph appends the text of the paragraph element just started.
func (s *sheet) readParagraph(start, row, col int) error {
	sc := s.sc
	if sc.self {
		return nil
	}
	para := sc.depth()
	for {
		if err := sc.next(); err != nil {
			return err
		}
		var err error
		switch sc.kind {
		case tokEnd:
			if sc.depth() < para {
				return nil
			}
		case tokText:
			if sc.cdata {
				s.arena = append(s.arena, sc.text...)
			} else if s.arena, err = appendText(s.arena, sc.text); err != nil {
				return s.cellError(row, col, "%v", err)
			}
		case tokStart:
			err = s.paragraphElement(start, row, col)
		}
		if err != nil {
			return err
		}
		if len(s.arena)-start > read.MaxCellText {
			return s.longCell(row, col)
		}
	}
}

// paragraphElement handles an element inside a paragraph: spaces, tabs
// and line breaks are text; other text elements (spans, links, fields)
// are entered, their text read as the paragraph's; notes and anything
// outside the text namespace are skipped.
func (s *sheet) paragraphElement(start, row, col int) error {
	sc := s.sc
	if sc.ns != nsText {
		return sc.skip()
	}
	switch string(sc.local) {
	case "s":
		n := 1
		if c, ok := sc.attr(nsText, "c"); ok {
			n = repeat(c, read.MaxCellText)
		}
		if len(s.arena)-start+n > read.MaxCellText {
			return s.longCell(row, col)
		}
		for range n {
			s.arena = append(s.arena, ' ')
		}
		return sc.skip()
	case "tab":
		s.arena = append(s.arena, '\t')
		return sc.skip()
	case "line-break":
		s.arena = append(s.arena, '\n')
		return sc.skip()
	case "note", "ruby-text", "bookmark", "bookmark-start", "bookmark-end", "reference-mark",
		"reference-mark-start", "reference-mark-end", "soft-page-break", "change", "change-start", "change-end":
		return sc.skip()
	}
	// Entered: its end tag comes back to readParagraph, deeper than the
	// paragraph.
	return nil
}
