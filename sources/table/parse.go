package table

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// Parse reads one file into a table. The format is told by the file's
// content (Options.Formats). The data sheet is the first visible
// worksheet, in workbook order, with a header row in its first 30 rows;
// cover and instruction sheets before it are passed over, up to
// Limits.MaxSheets sheets. A file rejected whole returns a *jkn.FileError
// whose Reason is one of jkn's Reason constants; rows that cannot be read
// are left out of the table with a Finding each.
//
// name is the file's name, as findings and errors show it; its as-of date
// is read from it when the sheet has none. modTime is the last resort for
// the as-of date (zero: none).
func Parse(name string, modTime time.Time, data []byte, opts Options) (*Table, error) {
	return parse(file{name: name, modTime: modTime}, data, opts, nil)
}

// ParseRows reads one file as Parse does, but hands each region row to
// row as it is read instead of keeping it in Table.Rows, so the rows of a
// national village sheet (84,000 of them) are never all in memory at
// once. table is called with the data sheet's table (columns, header; no
// as-of date yet) before its first row, and rowsHint, an estimate of its
// rows (0: unknown). If the sheet is read again from its start (a reader
// gave it up part way: read.ErrRestart), table is called again: the rows
// handed until then must be dropped. The returned Table is complete but
// for its Rows, which are nil; on an error, every row handed is void.
func ParseRows(name string, modTime time.Time, data []byte, opts Options, table func(t *Table, rowsHint int), row func(Row)) (*Table, error) {
	return parse(file{name: name, modTime: modTime}, data, opts, &sink{table: table, row: row})
}

// sink takes the rows of ParseRows.
type sink struct {
	table func(t *Table, rowsHint int)
	row   func(Row)
}

// file is what the parser knows of the file besides its bytes.
type file struct {
	name    string
	modTime time.Time
}

// errParserFailure starts the reason of a file the parser failed on.
const errParserFailure = "the workbook could not be read (parser failure)"

func parse(f file, data []byte, opts Options, out *sink) (t *Table, err error) {
	defer func() {
		// A file must never take the process down, whatever a reader or
		// excelize makes of it.
		if r := recover(); r != nil {
			t, err = nil, &jkn.FileError{File: f.name, Reason: jkn.ReasonCorrupt, Err: fmt.Errorf("%s: %v", errParserFailure, r)}
		}
	}()
	formats := opts.Formats
	if formats == nil {
		formats = Formats()
	}
	book, err := formats.Open(f.name, data, opts.Limits)
	if err != nil {
		return nil, err
	}
	maxSheets := opts.Limits.Sheets()
	var checked []string
	hasCells, hasHidden, more := false, false, false
	for i, s := range book.Sheets() {
		if s.Hidden {
			hasHidden = true
		}
		if s.Hidden || !s.Data {
			continue
		}
		if len(checked) == maxSheets {
			more = true
			break
		}
		checked = append(checked, fmt.Sprintf("%q", s.Name))
		t, cells, err := parseSheet(book, i, s.Name, f, opts.Limits, out)
		if err != nil {
			var fe *jkn.FileError
			if errors.As(err, &fe) {
				return nil, &jkn.FileError{File: f.name, Reason: fe.Reason, Err: fmt.Errorf("sheet %q: %w", s.Name, fe.Err)}
			}
			return nil, &jkn.FileError{File: f.name, Reason: jkn.ReasonCorrupt, Err: fmt.Errorf("sheet %q: %w", s.Name, err)}
		}
		hasCells = hasCells || cells
		if t != nil {
			return t, nil
		}
	}
	switch {
	case len(checked) == 0:
		return nil, &jkn.FileError{File: f.name, Reason: jkn.ReasonEmpty, Err: errors.New("the workbook has no visible worksheet")}
	case !hasCells && hasHidden:
		return nil, &jkn.FileError{File: f.name, Reason: jkn.ReasonEmpty, Err: errors.New("every visible sheet is empty (hidden sheets are not read)")}
	case !hasCells && !more:
		return nil, &jkn.FileError{File: f.name, Reason: jkn.ReasonEmpty, Err: errors.New("every sheet is empty")}
	}
	limit := ""
	if more {
		limit = fmt.Sprintf("; only the first %d visible sheets are examined (limits.max_sheets)", maxSheets)
	}
	return nil, &jkn.FileError{File: f.name, Reason: jkn.ReasonNoTable, Err: fmt.Errorf(
		"no sheet has a header row with %s in its first %d rows (sheets checked: %s%s)",
		lookedFor, headerScanRows, strings.Join(checked, ", "), limit)}
}

// parseSheet reads sheet i of the book. It returns a nil table when the
// sheet has no header row, and whether the sheet has any cell. A sheet
// whose reader gives it up part way (read.ErrRestart) is read again from
// its start, once.
func parseSheet(b read.Book, i int, name string, f file, lim read.Limits, out *sink) (*Table, bool, error) {
	for again := false; ; again = true {
		sh, err := b.Open(i)
		if err != nil {
			return nil, false, err
		}
		t, cells, err := readSheet(sh, b.Date1904(), name, f, lim, out)
		sh.Close()
		if again || !errors.Is(err, read.ErrRestart) {
			return t, cells, err
		}
	}
}

// rowFeed hands a sheet's rows in turn, every row number from 1 to the
// last row the reader gives: a row it leaves out is blank.
type rowFeed struct {
	sheet read.Sheet
	n     int         // the number of the row handed last
	cells []read.Cell // its cells
	next  read.Row    // the reader's row after it, when ahead
	ahead bool
	ended bool
	// valued: a cell that is not blank has been handed.
	valued bool
	// wide is the rejection of a row with a value past read.MaxColumns,
	// whichever reader gave it.
	wide error
}

// advance moves to the next row number; false after the last row.
func (f *rowFeed) advance() bool {
	if !f.ahead && !f.ended {
		if f.sheet.Next() {
			f.next, f.ahead = f.sheet.Row(), true
		} else {
			f.ended = true
		}
	}
	if !f.ahead {
		return false
	}
	f.n++
	if f.next.Number > f.n {
		f.cells = nil // a row the reader leaves out, before its next one
		return true
	}
	f.cells, f.ahead = f.next.Cells, false
	for i := len(f.cells) - 1; i >= read.MaxColumns; i-- {
		if f.cells[i].Kind != read.Blank {
			f.wide, f.ended, f.cells = read.PastMaxColumns(jkn.CellName(f.n, i)), true, nil
			return false
		}
	}
	if !f.valued && hasCells(f.cells) {
		f.valued = true
	}
	return true
}

// err is the error that ended the rows; nil before their end.
func (f *rowFeed) err() error {
	if f.wide != nil {
		return f.wide
	}
	if !f.ended {
		return nil
	}
	return f.sheet.Err()
}

// hasCells reports whether a row has a cell that is not blank.
func hasCells(cells []read.Cell) bool {
	for _, c := range cells {
		if c.Kind != read.Blank {
			return true
		}
	}
	return false
}

// texts are the texts of a row's cells as the header and the walker read
// them: a formula without a value has none.
func texts(cells []read.Cell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		if c.Kind != read.Formula {
			out[i] = c.Text
		}
	}
	return out
}

// readSheet reads a sheet's rows into a table: the first rows, the header
// found in them, then every row below it. It returns a nil table when no
// header is found, and whether the sheet has any cell.
func readSheet(sh read.Sheet, date1904 bool, name string, f file, lim read.Limits, out *sink) (*Table, bool, error) {
	rows := &rowFeed{sheet: sh}
	var head [][]read.Cell
	for len(head) < headerScanRows && rows.advance() {
		head = append(head, rows.cells)
	}
	if err := rows.err(); err != nil {
		return nil, true, err
	}
	layout, err := sh.Layout()
	if err != nil {
		return nil, true, err
	}
	headTexts := make([][]string, len(head))
	for i, cells := range head {
		headTexts[i] = texts(cells)
	}
	h, ok := findHeader(headTexts, layout.Merges, layout.Hidden)
	if !ok {
		// No table: the sheet is empty when no cell has a value.
		for !rows.valued && rows.advance() { //nolint:revive // advance does the reading
		}
		if err := rows.err(); err != nil {
			return nil, false, err
		}
		return nil, rows.valued, nil
	}

	t := &Table{
		File:       f.name,
		Sheet:      name,
		HeaderRow:  h.row,
		HeaderRows: h.row - h.top + 1,
		Columns:    h.columns,
		Ignored:    h.ignored,
		Level:      h.level,
	}
	t.Scope, t.ScopeRow, t.ScopeColumn = titleScope(head[:h.top-1])
	for _, d := range h.duplicates {
		msg := jkn.Msgf("column %s %q is also %s: ignored, column %s %q is read", d[0].Letter, d[0].Header, d[0].Field, d[1].Letter, d[1].Header)
		t.Findings = append(t.Findings, jkn.Finding{
			File: f.name, Sheet: name, Row: h.row, Column: d[0].Letter, Check: "duplicate_column",
			Reason: msg.String(), Message: msg,
		})
	}
	formulas, _ := sh.(read.FormulaTexts)
	w := newWalker(t, h, formulas, date1904)
	hint := sh.RowsHint()
	if out != nil {
		// ParseRows: the rows go to the caller as they are read.
		w.emit = out.row
		out.table(t, hint)
	} else if hint > 0 {
		// Room for every row at once: growing 84,000 rows by doubling
		// copied them about twice over.
		t.Rows = make([]Row, 0, hint)
	}
	// The reader bounds the rows it gives; this bounds the walk whatever
	// a reader gives.
	dataRows := 0
	for i := h.row; i < len(head); i++ {
		w.row(i+1, head[i])
	}
	for rows.advance() {
		if hasCells(rows.cells) {
			if dataRows++; dataRows > lim.Rows() {
				return nil, true, &jkn.FileError{Reason: jkn.ReasonTooManyRows, Err: fmt.Errorf("more than %d rows (limits.max_rows)", lim.Rows())}
			}
		}
		w.row(rows.n, rows.cells)
	}
	if err := rows.err(); err != nil {
		return nil, true, err
	}
	switch {
	case len(t.Rows) == 0:
		t.Rows = nil // as without the capacity hint
	case cap(t.Rows) > 2*len(t.Rows)+64:
		t.Rows = slices.Clone(t.Rows) // the hint was far off: give the room back
	}
	setAsOf(t, f, head[:h.top-1], date1904, w.newest)
	return t, true, nil
}

// walker turns the rows below the header into Rows and Findings.
type walker struct {
	t        *Table
	h        *header
	formulas read.FormulaTexts // nil when the reader tells no formula texts
	date1904 bool
	// Columns by role; -1 when the sheet has none.
	name, code, province, regency, district, date int
	figures                                       []Column
	dateColumn                                    Column
	// labelCols may say JUMLAH on a total row: name, code and No columns.
	labelCols map[int]bool
	// figureCols marks the columns of figures.
	figureCols map[int]bool
	// splits are the segments split into Aktif and Non Aktif columns, and
	// the field of each one's active part.
	splits []jkn.Segment
	// The parent names of the last region row, for blank parent cells.
	lastProvince, lastRegency, lastDistrict string
	// raw is the row being read; cells its cleaned texts (one slice
	// serves every row).
	raw   []read.Cell
	cells []string
	// data is set by the first row that is a region or a finding: column
	// numbers come before it.
	data bool
	// emit, when set, takes the rows instead of t.Rows (ParseRows).
	emit func(Row)
	// newest is the newest row date, for the table's as-of date.
	newest time.Time
}

func newWalker(t *Table, h *header, formulas read.FormulaTexts, date1904 bool) *walker {
	w := &walker{t: t, h: h, formulas: formulas, date1904: date1904,
		name: -1, code: -1, province: -1, regency: -1, district: -1, date: -1, figureCols: map[int]bool{}}
	for _, c := range t.Columns {
		switch c.Field {
		case jkn.FieldName:
			w.name = c.Index
		case jkn.FieldCode:
			w.code = c.Index
		case jkn.FieldProvince:
			w.province = c.Index
		case jkn.FieldRegency:
			w.regency = c.Index
		case jkn.FieldDistrict:
			w.district = c.Index
		case jkn.FieldAsOf:
			w.date, w.dateColumn = c.Index, c
		default:
			w.figures = append(w.figures, c)
			w.figureCols[c.Index] = true
		}
	}
	for seg := range jkn.Segments() {
		for _, c := range t.Columns {
			if c.Field == seg.Field && c.Part != "" {
				w.splits = append(w.splits, seg)
				break
			}
		}
	}
	w.labelCols = map[int]bool{w.name: true, w.code: true}
	for _, i := range h.noColumns {
		w.labelCols[i] = true
	}
	return w
}

// cleanText trims spaces, also non-breaking ones, and nothing else: names
// keep their spelling for the resolver.
func cleanText(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' })
}

// row reads sheet row n. Rows that are not regions (blank, column
// numbers, totals, notes, section headings, a repeated header, a unit row
// such as "(Jiwa)") are counted in Skipped; a region row that cannot be
// read is left out with a Finding per bad cell.
func (w *walker) row(n int, raw []read.Cell) {
	// The cleaned cells are needed for this row only: one slice serves all.
	cells := slices.Grow(w.cells[:0], len(raw))[:len(raw)]
	w.cells, w.raw = cells, raw
	empty := true
	for i, c := range raw {
		cells[i] = ""
		if c.Kind != read.Formula {
			cells[i] = cleanText(c.Text)
		}
		empty = empty && cells[i] == ""
	}
	cell := func(i int) string {
		if i < 0 || i >= len(cells) {
			return ""
		}
		return cells[i]
	}
	switch {
	case empty && !w.anyFormula():
		w.t.Skipped++ // blank row
		return
	case !w.data && isOrdinalRow(cells):
		// "(1) (2) (3)" or "1 2 3 4" column numbers between the header
		// and the first region row, below a unit row or a blank one too.
		w.t.Skipped++
		return
	case w.isTotal(cells):
		w.t.Skipped++
		return
	case isFootnote(cells):
		w.t.Skipped++
		return
	}

	finding := func(column, check string, m jkn.Message) jkn.Finding {
		return jkn.Finding{File: w.t.File, Sheet: w.t.Sheet, Row: n, Column: column, Check: check, Reason: m.String(), Message: m, Rejected: true}
	}
	r := Row{Number: n, Name: cell(w.name), Code: cell(w.code)}
	var bad []jkn.Finding
	numbers := false
	var inactive jkn.Figures // the Non Aktif parts of split segments
	for _, c := range w.figures {
		v := cell(c.Index)
		if v == "" {
			if w.isFormula(c.Index) {
				numbers = true
				bad = append(bad, finding(c.Letter, "formula_without_value", jkn.Msgf(
					"formula %q has no cached value: open and save the file in Excel or LibreOffice", w.formula(n, c.Index))))
			}
			continue
		}
		num, err := ParseNumber(v, c.Field.IsRatio())
		switch {
		case errors.Is(err, ErrEmpty):
		case err != nil:
			bad = append(bad, finding(c.Letter, "bad_number", jkn.Msgf("column %q: %v", c.Header, err)))
		default:
			numbers = true
			switch c.Part {
			case jkn.FieldActive:
				r.Figures.Set(c.Field.SegmentActive(), num)
			case jkn.FieldInactive:
				inactive.Set(c.Field, num)
			default:
				r.Figures.Set(c.Field, num)
			}
		}
	}
	// A split segment's participants are its two parts; with one of them
	// empty they are not known (its active part still is).
	for _, seg := range w.splits {
		a, okA := r.Figures.Get(seg.Active)
		i, okI := inactive.Get(seg.Field)
		if okA && okI && !r.Figures.Has(seg.Field) {
			r.Figures.Set(seg.Field, a+i)
		}
	}
	switch {
	case r.Name == "" && r.Code == "" && !numbers:
		w.t.Skipped++ // a section heading or a unit row: no region, no figure
		return
	case r.Name == "" && r.Code == "":
		w.data = true
		w.t.Findings = append(w.t.Findings, finding("", "no_region", jkn.Msgf("no region name or code")))
		return
	case r.Figures.Len() == 0 && len(bad) == 0:
		w.t.Skipped++ // a region without any figure: nothing to export
		return
	case len(bad) > 0 && w.repeatsHeader(r):
		w.t.Skipped++ // the header again, as printed on every page
		return
	}

	// Parent names are often merged down over their children's rows, or
	// left blank under the first one: a blank parent is the one above.
	for _, p := range []struct {
		col  int
		name *string
		last *string
	}{{w.province, &r.Province, &w.lastProvince}, {w.regency, &r.Regency, &w.lastRegency}, {w.district, &r.District, &w.lastDistrict}} {
		if *p.name = cell(p.col); *p.name == "" {
			*p.name = *p.last
		}
		*p.last = *p.name
	}

	if v := cell(w.date); v != "" && !isDash(v) {
		d, ok := serialDate(v, w.date1904)
		if !ok {
			d, ok = ParseDate(v)
		}
		if ok {
			r.AsOf = d
		} else {
			bad = append(bad, finding(w.dateColumn.Letter, "bad_date", jkn.Msgf("column %q: cannot read %q as a date", w.dateColumn.Header, v)))
		}
	}
	w.data = true
	if len(bad) > 0 {
		w.t.Findings = append(w.t.Findings, bad...)
		return
	}
	if r.AsOf.After(w.newest) {
		w.newest = r.AsOf
	}
	if w.emit != nil {
		w.emit(r)
		return
	}
	w.t.Rows = append(w.t.Rows, r)
}

// repeatsHeader reports whether a row's region cell is a header text
// ("Kabupaten/Kota"), as when the header is repeated on each printed page.
func (w *walker) repeatsHeader(r Row) bool {
	for _, v := range []string{r.Name, r.Code} {
		if a, ok := matchHeader(v); ok && a.place {
			return true
		}
	}
	return false
}

// isFormula reports whether column i of the row being read is a formula
// without a value, whose cell text is empty.
func (w *walker) isFormula(i int) bool {
	return i >= 0 && i < len(w.raw) && w.raw[i].Kind == read.Formula
}

// anyFormula reports whether a figure column of the row being read is a
// formula without a value.
func (w *walker) anyFormula() bool {
	for _, c := range w.figures {
		if w.isFormula(c.Index) {
			return true
		}
	}
	return false
}

// formula returns the formula of a cell, as "=C5*2". A file may write a
// formula on one cell for many (an xlsx shared formula): the reader works
// out this cell's own text then, at a price (see read.FormulaTexts), on
// this rare path only.
func (w *walker) formula(n, col int) string {
	text := w.raw[col].Text
	if text == "" && w.formulas != nil {
		text = w.formulas.FormulaText(n, col)
	}
	return "=" + text
}

func isDash(s string) bool {
	_, err := ParseNumber(s, false)
	return errors.Is(err, ErrEmpty)
}

// totalPrefixes start the label of a total row in a name, code or No
// column ("JUMLAH KAB/KOTA", "Sub Total Wilayah III").
var totalPrefixes = []string{"jumlah", "total", "sub total", "subtotal", "grand total"}

// totalLabels are whole cells that make a total row wherever they stand.
var totalLabels = map[string]bool{
	"jumlah": true, "total": true, "sub total": true, "subtotal": true, "grand total": true,
	"jumlah total": true, "total keseluruhan": true, "jumlah keseluruhan": true, "jumlah kabupaten kota": true,
}

// isTotal reports whether a row sums other rows.
func (w *walker) isTotal(cells []string) bool {
	for i, c := range cells {
		if c == "" || !strings.ContainsRune("jJtTsSgG", rune(c[0])) || !totalWord(c) || w.figureCols[i] && !w.labelCols[i] {
			continue // every total label starts with j, t, s or g, and one of a few words
		}
		norm := normalizeHeader(c)
		if totalLabels[norm] {
			return true
		}
		if w.labelCols[i] {
			for _, p := range totalPrefixes {
				if norm == p || strings.HasPrefix(norm, p+" ") {
					return true
				}
			}
		}
	}
	return false
}

// totalWord reports whether a cell's leading letters could be the first
// word of a total label, before normalizeHeader spends allocations on it
// (a village sheet has thousands of "Sungai …" and "Tanjung …" names).
func totalWord(c string) bool {
	end := 0
	for end < len(c) && (c[end]|0x20 >= 'a' && c[end]|0x20 <= 'z') {
		end++
	}
	for _, w := range [...]string{"jumlah", "jml", "total", "sub", "subtotal", "grand"} {
		if strings.EqualFold(c[:end], w) {
			return true
		}
	}
	return false
}

// footnoteMarkers start a note below the table.
var footnoteMarkers = []string{"sumber", "source", "keterangan", "ket", "catatan", "note", "notes", "nb"}

// isFootnote reports whether a row is a note: no number anywhere, and a
// single text cell or a first cell such as "Sumber: …", "*) …".
func isFootnote(cells []string) bool {
	var first string
	n := 0
	for _, c := range cells {
		if c != "" {
			if n == 0 {
				first = c
			}
			n++
		}
	}
	if n == 0 || n > 1 && !hasFootnoteMarker(first) {
		return false
	}
	for _, c := range cells {
		if _, err := ParseNumber(c, true); err == nil {
			return false
		}
	}
	return true
}

// hasFootnoteMarker reports whether a text starts like a note.
func hasFootnoteMarker(s string) bool {
	s = strings.ToLower(s)
	if strings.HasPrefix(s, "*") || strings.HasPrefix(s, "(*") {
		return true
	}
	word, _, _ := strings.Cut(strings.TrimLeftFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }), " ")
	word = strings.TrimRightFunc(word, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, m := range footnoteMarkers {
		if word == m {
			return true
		}
	}
	return false
}

// isOrdinalRow reports whether a row numbers the columns: "1 2 3 …",
// "(1) (2) (3) …", with a column's formula beside its number as some
// offices write it ("(5)=(4)/(3)", "6 = 4 - 5"). The numbers start at 0
// or 1 and rise; a column merged over two may skip one.
func isOrdinalRow(cells []string) bool {
	last, n := -1, 0
	for _, c := range cells {
		if c == "" {
			continue
		}
		v, ok := ordinal(c)
		if !ok || v <= last || n == 0 && v > 1 {
			return false
		}
		last = v
		n++
	}
	return n >= 3
}

// ordinal reads a column-number cell: "3", "(3)", "(5)=(4)/(3)", "5 = 3-4".
func ordinal(c string) (int, bool) {
	num, rest, _ := strings.Cut(c, "=")
	num = strings.TrimSpace(num)
	num = strings.TrimSuffix(strings.TrimPrefix(num, "("), ")")
	if num == "" || len(num) > 3 {
		return 0, false
	}
	v := 0
	for _, r := range num {
		if r < '0' || r > '9' {
			return 0, false
		}
		v = v*10 + int(r-'0')
	}
	// What follows "=" is arithmetic on column numbers, nothing else.
	for _, r := range rest {
		if !strings.ContainsRune("0123456789()+-*/x:% ", r) {
			return 0, false
		}
	}
	return v, true
}
