package xls

import (
	"cmp"
	"math"
	"slices"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// sheet reads one worksheet's substream. Open scans the records once
// (scan: the layout, the rows' order); Next then decodes the cell records
// row by row. Writers give the cells in increasing rows (Excel and
// LibreOffice in blocks of 32 rows, a row's cells in column order); a
// sheet whose cells go back to an earlier row is decoded whole and its
// rows sorted (sortedRows).
type sheet struct {
	b      *book
	r      records
	layout read.Layout
	hint   int

	// The row being gathered: its 0-based number, its cells by column,
	// the widest column and the text of its numbers.
	cur     int
	cells   [maxColumns]read.Cell
	width   int
	numText []byte
	numAt   [maxColumns][2]int32 // a number cell's text in numText, by column
	numCols []int

	row       read.Row
	rowsValue int   // rows given with a value
	text      int64 // text given, the sheet's
	rowText   int64 // the text of the row being gathered
	sorted    []read.Row
	err       error
	done      bool
}

// cellRecord reports whether typ is a record of one cell (or of cells in
// one row) that the reader decodes.
func cellRecord(typ uint16) bool {
	switch typ {
	case recNUMBER, recRK, recMULRK, recLABELSST, recLABEL, recRSTRING, recBOOLERR, recFORMULA, recFORMULA4:
		return true
	}
	return false
}

func openSheet(b *book, pos int) (*sheet, error) {
	s := &sheet{b: b, cur: -1}
	monotonic, err := s.scan(pos)
	if err != nil {
		return nil, err
	}
	s.r = records{b: b.stream, pos: pos}
	_, _, _, _ = s.r.next() // the BOF, checked by scan
	if !monotonic {
		s.sorted, err = s.sortedRows()
		if err != nil {
			return nil, err
		}
	}
	return s, nil
}

// scan reads the substream's records up to its EOF once, without
// decoding cells: the merged ranges, the hidden columns and the size the
// sheet declares, and whether the cells come in increasing rows. It
// steps over the substreams a worksheet embeds (a chart's BOF to EOF).
func (s *sheet) scan(pos int) (monotonic bool, err error) {
	r := &records{b: s.b.stream, pos: pos}
	depth, last := 0, -1
	monotonic = true
	for {
		typ, data, ok, err := r.next()
		if err != nil {
			return false, err
		}
		if !ok {
			return false, corrupt("the sheet's substream ends without an EOF record")
		}
		switch typ {
		case recBOF:
			depth++
			continue
		case recEOF:
			if depth--; depth == 0 {
				return monotonic, nil
			}
			continue
		}
		if depth != 1 {
			continue
		}
		switch {
		case cellRecord(typ):
			if len(data) >= 2 {
				row := int(u16(data))
				if row < last {
					monotonic = false
				}
				last = row
			}
		case typ == recMERGECELLS:
			if err := s.merges(data); err != nil {
				return false, err
			}
		case typ == recCOLINFO:
			if err := s.hidden(data); err != nil {
				return false, err
			}
		case typ == recDIMENSIONS:
			s.dimensions(data)
		}
	}
}

// merges reads a MERGECELLS record: a count and that many ranges.
func (s *sheet) merges(data []byte) error {
	if len(data) < 2 || len(data) < 2+8*int(u16(data)) {
		return corrupt("a MERGECELLS record of %d bytes is cut short", len(data))
	}
	n := int(u16(data))
	for i := range n {
		d := data[2+8*i:]
		top, bottom, left, right := int(u16(d)), int(u16(d[2:])), int(u16(d[4:])), int(u16(d[6:]))
		if bottom < top || right < left || right >= maxColumns {
			return corrupt("merged range %s%d:%s%d is not a range of the sheet", jkn.ColumnLetter(min(left, maxColumns)), top+1, jkn.ColumnLetter(min(right, maxColumns)), bottom+1)
		}
		if top+1 <= read.MergeRows && len(s.layout.Merges) < read.MaxMerges {
			s.layout.Merges = append(s.layout.Merges, read.Range{Top: top + 1, Left: left, Bottom: bottom + 1, Right: right})
		}
	}
	return nil
}

// hidden reads a COLINFO record: a range of columns and whether they are
// hidden. Writers give the columns past the last one a last record that
// may end at 256 (LibreOffice) or 255: the sheet's columns end at 255.
func (s *sheet) hidden(data []byte) error {
	if len(data) < 10 {
		return corrupt("a COLINFO record of %d bytes", len(data))
	}
	first, last, flags := int(u16(data)), int(u16(data[2:])), u16(data[8:])
	if last < first {
		return corrupt("a COLINFO record of columns %d to %d", first, last)
	}
	if flags&0x0001 == 0 || first >= maxColumns {
		return nil
	}
	if s.layout.Hidden == nil {
		s.layout.Hidden = map[int]bool{}
	}
	for c := first; c <= min(last, maxColumns-1); c++ {
		s.layout.Hidden[c] = true
	}
	return nil
}

// dimensions reads the DIMENSIONS record for RowsHint: the first row and
// one past the last, 32 bits wide in BIFF8 and 16 in BIFF5.
func (s *sheet) dimensions(data []byte) {
	var first, end int64
	switch {
	case s.b.biff == 8 && len(data) >= 8:
		first, end = int64(u32(data)), int64(u32(data[4:]))
	case len(data) >= 4:
		first, end = int64(u16(data)), int64(u16(data[2:]))
	}
	if end > first {
		s.hint = int(min(end-first, int64(s.b.lim.Rows())))
	}
}

// Next implements read.Sheet.
func (s *sheet) Next() bool {
	if s.err != nil || s.done {
		return false
	}
	if s.sorted != nil {
		if len(s.sorted) == 0 {
			s.done = true
			return false
		}
		s.row, s.sorted = s.sorted[0], s.sorted[1:]
		return true
	}
	for {
		typ, data, ok, err := s.r.next()
		if err != nil {
			s.err = err
			return false
		}
		if !ok || typ == recEOF || typ == recBOF {
			if typ == recBOF {
				if err := s.skipSubstream(); err != nil {
					s.err = err
					return false
				}
				continue
			}
			s.done = true
			return s.emit()
		}
		if !cellRecord(typ) || len(data) < 2 {
			continue
		}
		row := int(u16(data))
		if s.width > 0 && row != s.cur {
			s.r.pos = s.r.at // read this record again for the next row
			return s.emit()
		}
		s.cur = row
		if err := s.decode(typ, data); err != nil {
			s.err = err
			return false
		}
	}
}

// skipSubstream steps over an embedded substream (a chart in the sheet)
// whose BOF was just read, to its EOF.
func (s *sheet) skipSubstream() error {
	for depth := 1; depth > 0; {
		typ, _, ok, err := s.r.next()
		if err != nil {
			return err
		}
		if !ok {
			return corrupt("an embedded substream ends without an EOF record")
		}
		switch typ {
		case recBOF:
			depth++
		case recEOF:
			depth--
		}
	}
	return nil
}

// emit turns the gathered cells into the row Next moved to; false when
// there are none.
func (s *sheet) emit() bool {
	if s.width == 0 {
		return false
	}
	if s.rowsValue++; s.rowsValue > s.b.lim.Rows() {
		s.err = read.TooManyRows(s.b.lim.Rows())
		return false
	}
	cells := make([]read.Cell, s.width)
	copy(cells, s.cells[:s.width])
	if len(s.numCols) > 0 {
		all := string(s.numText)
		for _, c := range s.numCols {
			at := s.numAt[c]
			cells[c].Text = all[at[0]:at[1]]
		}
	}
	s.row = read.Row{Number: s.cur + 1, Cells: cells}
	clear(s.cells[:s.width])
	s.width, s.numText, s.numCols, s.rowText = 0, s.numText[:0], s.numCols[:0], 0
	return true
}

// put sets the cell at col of the row being gathered.
func (s *sheet) put(col int, c read.Cell) error {
	if col >= maxColumns {
		return corrupt("row %d: a cell in column %d, past the sheet's last column IV", s.cur+1, col+1)
	}
	if s.cells[col].Kind == read.Number {
		s.numCols = slices.DeleteFunc(s.numCols, func(k int) bool { return k == col })
	}
	n := int64(len(c.Text))
	if n > read.MaxCellText {
		return read.TooLarge("row %d, column %s: a cell of %d bytes of text", s.cur+1, jkn.ColumnLetter(col), n)
	}
	if s.text += n; s.text > read.MaxSheetText {
		return read.TooLarge("the sheet holds more than %d bytes of text", read.MaxSheetText)
	}
	s.rowText += n - int64(len(s.cells[col].Text))
	s.cells[col] = c
	s.width = max(s.width, col+1)
	if s.rowText > read.MaxRowText {
		return read.TooLarge("row %d holds more than %d bytes of text", s.cur+1, read.MaxRowText)
	}
	return nil
}

// number sets a number cell; its text is written at emit.
func (s *sheet) number(col int, xf uint16, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		// No spreadsheet stores these; Excel shows an overflow as #NUM!.
		return s.put(col, read.Cell{Kind: read.Error, Text: "#NUM!", Date: s.b.isDate(xf)})
	}
	if err := s.put(col, read.Cell{Kind: read.Number, Date: s.b.isDate(xf)}); err != nil {
		return err
	}
	start := len(s.numText)
	s.numText = appendNumber(s.numText, v)
	s.numAt[col] = [2]int32{int32(start), int32(len(s.numText))}
	s.numCols = append(s.numCols, col)
	return nil
}

// decode reads a cell record into the row being gathered.
func (s *sheet) decode(typ uint16, data []byte) error {
	_, col16, xf, ok := cellHead(data)
	if !ok {
		return corrupt("row %d: a cell record %#04x of %d bytes", s.cur+1, typ, len(data))
	}
	col := int(col16)
	short := func() error {
		return corrupt("row %d, column %s: a cell record %#04x of %d bytes is cut short", s.cur+1, jkn.ColumnLetter(min(col, maxColumns)), typ, len(data))
	}
	switch typ {
	case recNUMBER:
		if len(data) < 14 {
			return short()
		}
		return s.number(col, xf, math.Float64frombits(uint64(u32(data[6:]))|uint64(u32(data[10:]))<<32))
	case recRK:
		if len(data) < 10 {
			return short()
		}
		return s.number(col, xf, rk(u32(data[6:])))
	case recMULRK:
		// colFirst, then (XF, RK) pairs, then colLast.
		if len(data) < 6 || (len(data)-6)%6 != 0 {
			return short()
		}
		n := (len(data) - 6) / 6
		if last := int(u16(data[len(data)-2:])); last != col+n-1 {
			return corrupt("row %d: a MULRK record of columns %d to %d with %d values", s.cur+1, col+1, last+1, n)
		}
		for i := range n {
			d := data[4+6*i:]
			if err := s.number(col+i, u16(d), rk(u32(d[2:]))); err != nil {
				return err
			}
		}
		return nil
	case recLABELSST:
		if len(data) < 10 {
			return short()
		}
		i := int64(u32(data[6:]))
		if s.b.sst == nil || i >= int64(s.b.sst.len()) {
			n := 0
			if s.b.sst != nil {
				n = s.b.sst.len()
			}
			return corrupt("row %d, column %s: shared string %d of a table of %d", s.cur+1, jkn.ColumnLetter(min(col, maxColumns)), i, n)
		}
		return s.put(col, read.Cell{Kind: read.Text, Text: s.b.sst.get(int(i)), Date: s.b.isDate(xf)})
	case recLABEL, recRSTRING:
		text, ok := s.label(data[6:])
		if !ok {
			return short()
		}
		return s.put(col, read.Cell{Kind: read.Text, Text: text, Date: s.b.isDate(xf)})
	case recBOOLERR:
		if len(data) < 8 {
			return short()
		}
		if data[7] != 0 {
			return s.put(col, read.Cell{Kind: read.Error, Text: errorText(data[6]), Date: s.b.isDate(xf)})
		}
		return s.put(col, read.Cell{Kind: read.Bool, Text: boolText(data[6]), Date: s.b.isDate(xf)})
	case recFORMULA, recFORMULA4:
		if len(data) < 14 {
			return short()
		}
		return s.formula(col, xf, data[6:14])
	}
	return nil
}

func boolText(b byte) string {
	if b != 0 {
		return "1"
	}
	return "0"
}

// label reads the string of a LABEL or RSTRING record: BIFF8's
// XLUnicodeString, BIFF5's 16-bit count and 8-bit characters.
func (s *sheet) label(d []byte) (string, bool) {
	if s.b.biff == 5 {
		if len(d) < 2 || len(d) < 2+int(u16(d)) {
			return "", false
		}
		return string(s.b.text.append(nil, d[2:2+int(u16(d))])), true
	}
	t, ok := unicodeString(d, 2, maxStringChars)
	return string(t), ok
}

// formula reads a FORMULA record's cached value ([MS-XLS] 2.5.133
// FormulaValue): a double, or when its last two bytes are 0xFFFF a
// string (in the STRING record after it), a bool, an error or an empty
// string. A string result without its STRING record has no cached value:
// a Formula cell, whose text the reader does not work out from the
// parsed tokens ("").
func (s *sheet) formula(col int, xf uint16, v []byte) error {
	date := s.b.isDate(xf)
	if u16(v[6:]) != 0xFFFF {
		return s.number(col, xf, math.Float64frombits(uint64(u32(v))|uint64(u32(v[4:]))<<32))
	}
	switch v[0] {
	case 0x00:
		text, ok, err := s.stringResult()
		if err != nil {
			return err
		}
		if !ok {
			return s.put(col, read.Cell{Kind: read.Formula, Date: date})
		}
		return s.put(col, read.Cell{Kind: read.Text, Text: text, Date: date})
	case 0x01:
		return s.put(col, read.Cell{Kind: read.Bool, Text: boolText(v[2]), Date: date})
	case 0x02:
		return s.put(col, read.Cell{Kind: read.Error, Text: errorText(v[2]), Date: date})
	case 0x03:
		// An empty string: a value, not a missing one.
		return s.put(col, read.Cell{Kind: read.Text, Date: date})
	}
	return corrupt("row %d, column %s: a formula result of type %#02x", s.cur+1, jkn.ColumnLetter(col), v[0])
}

// stringResult reads the STRING record holding a formula's string
// result: the next record, after any SHRFMLA, ARRAY or TABLE record of
// the formula. ok is false when there is none.
func (s *sheet) stringResult() (string, bool, error) {
	for {
		switch s.r.peek() {
		case recSHRFMLA, recARRAY, recTABLE:
			if _, _, _, err := s.r.next(); err != nil {
				return "", false, err
			}
			continue
		case recSTRING:
		default:
			return "", false, nil
		}
		_, data, _, err := s.r.next()
		if err != nil {
			return "", false, err
		}
		if s.b.biff == 5 {
			if len(data) < 2 || len(data) < 2+int(u16(data)) {
				return "", false, corrupt("row %d: a STRING record of %d bytes is cut short", s.cur+1, len(data))
			}
			return string(s.b.text.append(nil, data[2:2+int(u16(data))])), true, nil
		}
		segs, err := s.r.continued(data)
		if err != nil {
			return "", false, err
		}
		seg := &segments{segs: segs}
		n, ok1 := seg.uint16()
		flags, ok2 := seg.byte1()
		out, ok3 := seg.chars(nil, int(n), flags&flagHighByte != 0)
		if !ok1 || !ok2 || !ok3 {
			return "", false, corrupt("row %d: a STRING record of %d bytes is cut short", s.cur+1, len(data))
		}
		return string(out), true, nil
	}
}

// sortedRows decodes a sheet whose cells do not come in increasing rows:
// every row gathered, then sorted; cells of one row that come apart are
// joined, a later cell replacing an earlier one of the same column.
func (s *sheet) sortedRows() ([]read.Row, error) {
	var rows []read.Row
	for s.Next() {
		rows = append(rows, s.row)
	}
	if s.err != nil {
		return nil, s.err
	}
	slices.SortStableFunc(rows, func(a, b read.Row) int { return cmp.Compare(a.Number, b.Number) })
	out := rows[:0]
	for _, r := range rows {
		if n := len(out); n > 0 && out[n-1].Number == r.Number {
			prev := &out[n-1]
			if len(r.Cells) > len(prev.Cells) {
				prev.Cells = append(prev.Cells, make([]read.Cell, len(r.Cells)-len(prev.Cells))...)
			}
			for c, cell := range r.Cells {
				if cell.Kind != read.Blank {
					prev.Cells[c] = cell
				}
			}
			continue
		}
		out = append(out, r)
	}
	// The rows counted as given were counted per piece: count them again.
	s.rowsValue, s.done, s.err = 0, false, nil
	if len(out) > s.b.lim.Rows() {
		return nil, read.TooManyRows(s.b.lim.Rows())
	}
	if out == nil {
		out = []read.Row{}
	}
	return out, nil
}

// Row implements read.Sheet.
func (s *sheet) Row() read.Row { return s.row }

// Err implements read.Sheet.
func (s *sheet) Err() error { return s.err }

// Layout implements read.Sheet: read by Open's scan.
func (s *sheet) Layout() (read.Layout, error) { return s.layout, nil }

// RowsHint implements read.Sheet: the rows the DIMENSIONS record spans.
func (s *sheet) RowsHint() int { return s.hint }

// Close implements read.Sheet.
func (s *sheet) Close() error { return nil }
