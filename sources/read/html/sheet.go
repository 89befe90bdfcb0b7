package html

import (
	"strconv"
	"strings"

	xhtml "golang.org/x/net/html"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// rows reads one table's rows from its start tag to its end tag (or the
// end of the page), one row at a time. Both the sheet and its Layout read
// with one: the layout of a table is in its first rows and its <col>s, so
// Layout reads them again on their own rather than wait for the rows.
type rows struct {
	z     *xhtml.Tokenizer
	table tableInfo
	lim   read.Limits
	// depth counts the open tables from the sheet's own (1); a nested
	// table's content is skipped.
	depth int
	done  bool
	err   error

	number int  // the row being read, or the last one read
	inRow  bool // between the row's start and its end
	// startNext: a <tr> ended the row given last and starts the next.
	startNext bool
	cells     []read.Cell
	cursor    int   // the column after the last cell placed in the row
	occupied  []int // per column, the last row a rowspan from above covers
	rowText   int
	// cell is being read when inCell; its attributes are in attrs.
	inCell bool
	cell   text
	attrs  cellAttrs
	// skip: inside a script, a style or a comment (LibreOffice writes a
	// cell's note as <comment>): its text is no cell's.
	skip int

	// sdnum is the last sdnum attribute read, and its format: a sheet has
	// a few.
	sdnum, sdFormat string
	sdDate          bool

	withValue, sheetText, sheetCells int
	merges                           []read.Range
	hidden                           map[int]bool
	col                              int // the next column a <col> describes
	group                            *colGroup
}

// colGroup is a <colgroup> being read: its span and style count only when
// it has no <col>.
type colGroup struct {
	start, span  int
	hidden, cols bool
}

// cellAttrs are the attributes of a cell that the reader reads.
type cellAttrs struct {
	colspan, rowspan int
	sdval            string
	hasSdval         bool
	format           string // sdnum's number format
	date             bool   // it shows a date
	xnum, xbool      string
	hasXnum, xerr    bool
	xstr             bool
}

func newRows(b *book, i int) *rows {
	t := b.tables[i]
	return &rows{z: tokenizer(b.data[t.start:]), table: t, lim: b.lim}
}

// next reads up to the end of the next row and reports whether there is
// one; the row is r.number, r.cells.
func (r *rows) next() bool {
	if r.done {
		return false
	}
	if r.startNext {
		r.startNext = false
		r.startRow()
	}
	for {
		tt := r.z.Next()
		switch tt {
		case xhtml.ErrorToken:
			r.fail(tokenError(r.z))
			return r.endRow()
		case xhtml.TextToken:
			if r.depth == 1 && r.inCell && r.skip == 0 {
				r.cell.add(r.z.Text(), read.MaxCellText)
				if r.cell.over {
					r.fail(read.TooLarge("row %d: a cell's text is longer than %d bytes", r.number, read.MaxCellText))
					return false
				}
			}
			continue
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
		default:
			continue
		}
		// TagAttr tells when a tag has no attributes.
		tag, hasAttr := rawTag(r.z.Raw()), true
		end := tt == xhtml.EndTagToken
		if tag == "table" {
			// A nested table is a block: the cell's text around it is
			// two words.
			r.cell.space = true
			if !end {
				r.depth++
				continue
			}
			if r.depth--; r.depth > 0 {
				continue
			}
			r.done = true
			return r.endRow()
		}
		if r.depth != 1 {
			continue
		}
		switch tag {
		case "tr", "thead", "tbody", "tfoot":
			had := r.endRow()
			r.endGroup()
			if tag == "tr" && !end {
				if had {
					r.startNext = true
					return true
				}
				r.startRow()
			}
			if had {
				return true
			}
		case "td", "th":
			r.endCell()
			r.endGroup()
			if !end {
				if !r.inRow {
					r.startRow()
				}
				r.startCell(hasAttr)
			}
			if r.err != nil {
				return false
			}
		case "br":
			if r.inCell && r.skip == 0 {
				r.cell.lineBreak()
			}
		case "script", "style", "comment":
			if end {
				r.skip = max(0, r.skip-1)
			} else if tt == xhtml.StartTagToken {
				r.skip++
			}
		case "col":
			if !end {
				r.column(hasAttr)
			}
		case "colgroup":
			r.endGroup()
			if !end {
				g := &colGroup{start: r.col, span: 1}
				if hasAttr {
					g.span, g.hidden = r.spanAndStyle()
				}
				r.group = g
			}
		}
		if r.err != nil {
			return false
		}
	}
}

func (r *rows) fail(err error) {
	if r.err == nil && err != nil {
		r.err = err
	}
	r.done = true
}

func (r *rows) startRow() {
	r.number++
	r.inRow, r.cells, r.cursor, r.rowText = true, nil, 0, 0
}

// endRow ends the row being read, if any, and reports whether there was
// one to give.
func (r *rows) endRow() bool {
	r.endCell()
	if !r.inRow || r.err != nil {
		return false
	}
	r.inRow = false
	return true
}

func (r *rows) startCell(hasAttr bool) {
	r.inCell, r.attrs = true, cellAttrs{colspan: 1, rowspan: 1}
	r.cell.reset()
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = r.z.TagAttr()
		switch string(k) {
		case "colspan":
			r.attrs.colspan = span(v, maxColspan)
		case "rowspan":
			r.attrs.rowspan = span(v, maxRowspan)
		case "sdval":
			r.attrs.sdval, r.attrs.hasSdval = strings.TrimSpace(string(v)), true
		case "sdnum":
			if string(v) != r.sdnum {
				r.sdnum = string(v)
				r.sdFormat, r.sdDate = sdnumFormat(r.sdnum)
			}
			r.attrs.format, r.attrs.date = r.sdFormat, r.sdDate
		case "x:num":
			r.attrs.xnum, r.attrs.hasXnum = strings.TrimSpace(string(v)), true
		case "x:bool":
			r.attrs.xbool = strings.TrimSpace(string(v))
		case "x:err":
			r.attrs.xerr = true
		case "x:str":
			r.attrs.xstr = true
		}
	}
}

// span reads a colspan or rowspan as browsers do: the digits it starts
// with, 1 when there are none or they are 0, at most limit.
func span(v []byte, limit int) int {
	s := strings.TrimSpace(string(v))
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	n, err := strconv.Atoi(s[:i])
	if err != nil || n < 1 {
		return 1
	}
	return min(n, limit)
}

// endCell places the cell being read in its row.
func (r *rows) endCell() {
	if !r.inCell {
		return
	}
	r.inCell, r.skip = false, 0
	col := r.cursor
	for col < len(r.occupied) && r.occupied[col] >= r.number {
		col++
	}
	a := r.attrs
	if col+a.colspan > maxColumns {
		r.fail(read.TooLarge("row %d: a cell past column %d", r.number, maxColumns))
		return
	}
	last := r.number + a.rowspan - 1
	for len(r.occupied) < col+a.colspan {
		r.occupied = append(r.occupied, 0)
	}
	for k := col; k < col+a.colspan; k++ {
		r.occupied[k] = last
	}
	r.cursor = col + a.colspan
	if a.colspan > 1 || a.rowspan > 1 {
		r.merge(col, a)
	}
	c := cellOf(r.cell.bytes(), a)
	if c.Kind == read.Blank {
		return
	}
	if col >= read.MaxColumns {
		r.fail(read.PastMaxColumns(jkn.CellName(r.number, col)))
		return
	}
	if r.sheetCells += col + 1 - len(r.cells); r.sheetCells > maxSheetCells {
		r.fail(read.TooLarge("the table's rows hold more than %d cells", maxSheetCells))
		return
	}
	if r.rowText += len(c.Text); r.rowText > read.MaxRowText {
		r.fail(read.TooLarge("row %d: its text is longer than %d bytes", r.number, read.MaxRowText))
		return
	}
	if r.sheetText += len(c.Text); r.sheetText > read.MaxSheetText {
		r.fail(read.TooLarge("the table's text is longer than %d bytes", read.MaxSheetText))
		return
	}
	if len(r.cells) == 0 {
		if r.withValue++; r.withValue > r.lim.Rows() {
			r.fail(read.TooManyRows(r.lim.Rows()))
			return
		}
	}
	for len(r.cells) <= col {
		r.cells = append(r.cells, read.Cell{})
	}
	r.cells[col] = c
}

// merge records a merged range whose top row the Layout holds.
func (r *rows) merge(col int, a cellAttrs) {
	if r.number > read.MergeRows || len(r.merges) >= read.MaxMerges {
		return
	}
	bottom := r.number + a.rowspan - 1
	if r.table.rows >= r.number {
		bottom = min(bottom, r.table.rows)
	}
	r.merges = append(r.merges, read.Range{Top: r.number, Left: col, Bottom: bottom, Right: col + a.colspan - 1})
}

// column reads a <col>.
func (r *rows) column(hasAttr bool) {
	n, hidden := 1, false
	if hasAttr {
		n, hidden = r.spanAndStyle()
	}
	if r.group != nil {
		r.group.cols = true
		hidden = hidden || r.group.hidden
	}
	r.columns(n, hidden)
}

// endGroup ends a <colgroup> being read: without <col>s, its span counts.
func (r *rows) endGroup() {
	if g := r.group; g != nil {
		r.group = nil
		if !g.cols {
			r.columns(g.span, g.hidden)
		}
	}
}

// columns describes the next n columns.
func (r *rows) columns(n int, hidden bool) {
	n = min(n, maxColumns-r.col)
	if hidden {
		if r.hidden == nil {
			r.hidden = map[int]bool{}
		}
		for k := r.col; k < r.col+n; k++ {
			r.hidden[k] = true
		}
	}
	r.col += n
}

// spanAndStyle reads a <col>'s or <colgroup>'s span and whether its style
// hides it.
func (r *rows) spanAndStyle() (n int, hidden bool) {
	n = 1
	for more := true; more; {
		var k, v []byte
		k, v, more = r.z.TagAttr()
		switch string(k) {
		case "span":
			n = span(v, maxColspan)
		case "style":
			s := strings.ToLower(strings.Join(strings.Fields(string(v)), ""))
			hidden = strings.Contains(s, "display:none")
		}
	}
	return n, hidden
}

// sheet is one table being read.
type sheet struct {
	b   *book
	i   int
	r   *rows
	row read.Row
}

func newSheet(b *book, i int) *sheet { return &sheet{b: b, i: i, r: newRows(b, i)} }

// Next implements read.Sheet.
func (s *sheet) Next() bool {
	if !s.r.next() {
		return false
	}
	s.row = read.Row{Number: s.r.number, Cells: s.r.cells}
	s.r.cells = nil
	return true
}

// Row implements read.Sheet.
func (s *sheet) Row() read.Row { return s.row }

// Err implements read.Sheet.
func (s *sheet) Err() error { return s.r.err }

// Layout implements read.Sheet: the merges of the first read.MergeRows
// rows and the hidden columns. When the sheet has not read that far, the
// table's first rows are read again on their own.
func (s *sheet) Layout() (read.Layout, error) {
	r := s.r
	if !r.done && r.number <= read.MergeRows {
		r = newRows(s.b, s.i)
		more := true
		for more && r.number <= read.MergeRows {
			more = r.next()
		}
		if r.err != nil {
			return read.Layout{}, r.err
		}
	}
	return read.Layout{Merges: r.merges, Hidden: r.hidden}, nil
}

// RowsHint implements read.Sheet: the table's <tr>s, counted by Open.
func (s *sheet) RowsHint() int { return min(s.b.tables[s.i].rows, s.b.lim.Rows()) }

// Close implements read.Sheet.
func (s *sheet) Close() error { return nil }
