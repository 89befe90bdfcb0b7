package xlsx

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// The fast read path. excelize is the reader of record, but its rows
// iterator decodes every XML token through encoding/xml, and so does the
// scan of the sheet XML the slow path needs first (scan.go): for a
// national village sheet (84,000 rows × 12 columns, 37 MB of sheet XML)
// the two take about 4 s. The fast path streams the sheet XML once with
// its own tokenizer (xmlscan.go) and gives the cells excelize's rows
// iterator gives, with RawCellValue (the shared string of a t="s" cell,
// the inline text of a t="inlineStr" cell, the raw <v> text of any other
// cell), typed as the slow path types them (cellKind).
// The XML is tokenized in a goroutine a few hundred rows ahead of the
// caller (rowParser), and a second, light pass over it reads the hidden
// columns and the merged ranges (which come after the rows) in another
// (layout.go): on two cores, unpacking and tokenizing run beside the walk.
//
// It reads only what it can read the way excelize does, and leaves the
// sheet to the slow path otherwise (errUnsupported: the sheet's Err or
// Layout error then wraps read.ErrRestart, and the book reads it again
// with excelize, unchanged):
//   - XML: another encoding than UTF-8, a byte-order mark, CDATA, a DOCTYPE,
//     entities other than the five predefined and character references,
//     anything encoding/xml rejects (bad UTF-8, control characters,
//     mismatched tags);
//   - rows or cells without an r attribute, or out of order; a cell whose
//     reference names another row; lower-case or $ references; a style
//     (s) that is not a number;
//   - r, s or t attributes (or the ref, hidden, min, max of merges and
//     columns) with a namespace prefix, or given twice;
//   - elements inside <row> other than <c>, inside <c> other than <f>, <v>
//     and <is>, a second <f>, <v> or <is>, elements inside <f>, <v> or <t>;
//   - text with an _xHHHH_ escape (excelize decodes those in strings);
//   - a shared-string index that is not a number or out of range, or a
//     t="s" cell when the shared-string part cannot be read this way
//     (several <t> in one item, a root other than <sst>);
//   - row, cell or value elements outside <sheetData>;
//   - a sheet near a limit (rows, text per row and sheet, text or tag
//     length, formulas without a value, merged ranges, hidden column
//     ranges): the slow path's scan rejects it with its reason.
// The comparison tests (fast_test.go) read every test workbook both ways
// and compare the grids cell for cell, and the parsed tables.

// fastSheet is a sheet read by the fast path: the rows from a rowParser
// goroutine, the layout from a layout goroutine.
type fastSheet struct {
	ch   <-chan rowBatch
	done chan struct{}
	stop sync.Once
	// goroutines are the row parser and the layout pass: Close waits for
	// them, as they hold the package (the whole file) while they run.
	goroutines sync.WaitGroup

	batch    []fastRow
	pos      int
	row      read.Row
	err      error
	finished bool
	hint     int

	laid       chan error
	stopLayout atomic.Bool
	lm         read.Layout // the layout goroutine's, read once laid
	laidOut    bool
	layoutErr  error

	formulas *lazySheet
}

// fastRow is one row as the parser read it.
type fastRow struct {
	n     int
	cells []read.Cell
}

// rowBatch is what the parser hands over at a time; the last one has
// last set, and err when the parse failed.
type rowBatch struct {
	rows []fastRow
	hint int
	last bool
	err  error
}

const batchRows = 256

func openFast(p *pkg, s sheetInfo) (*fastSheet, error) {
	zf := p.entry(s.path)
	sst, err := p.fastSharedStrings()
	if err != nil {
		return nil, err
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	parser := &rowParser{sc: newXMLScanner(rc), rc: rc, p: p, sst: sst, size: zf.UncompressedSize64}
	ch := make(chan rowBatch, 4)
	r := &fastSheet{ch: ch, done: make(chan struct{}), laid: make(chan error, 1), formulas: newLazySheet(p, s)}
	r.goroutines.Go(func() { parser.run(ch, r.done) })
	// The layout pass reads the whole XML again for what comes after the
	// rows (merges): beside the rows, in its own goroutine.
	r.goroutines.Go(func() { r.laid <- layout(zf, &r.lm, &r.stopLayout) })
	return r, nil
}

// Next implements read.Sheet. After an error, the rows read before it are
// still handed over; then Next stops and Err tells why.
func (r *fastSheet) Next() bool {
	for r.pos == len(r.batch) {
		if r.finished {
			return false
		}
		b, ok := <-r.ch
		if !ok {
			r.finished = true
			return false
		}
		r.batch, r.pos, r.hint = b.rows, 0, b.hint
		if b.last {
			r.finished, r.err = true, b.err
		}
	}
	row := &r.batch[r.pos]
	r.pos++
	r.row = read.Row{Number: row.n, Cells: row.cells}
	row.cells = nil // handed over: the batch need not keep it
	return true
}

// Row implements read.Sheet.
func (r *fastSheet) Row() read.Row { return r.row }

// Err implements read.Sheet.
func (r *fastSheet) Err() error { return restartOn(r.err) }

// Layout implements read.Sheet: it waits for the layout pass.
func (r *fastSheet) Layout() (read.Layout, error) {
	if !r.laidOut {
		r.laidOut = true
		r.layoutErr = restartOn(<-r.laid)
		if r.lm.Hidden == nil {
			r.lm.Hidden = map[int]bool{}
		}
	}
	return r.lm, r.layoutErr
}

// RowsHint implements read.Sheet (see rowParser.rowsHint).
func (r *fastSheet) RowsHint() int { return r.hint }

// FormulaText implements read.FormulaTexts.
func (r *fastSheet) FormulaText(row, col int) string { return r.formulas.text(row, col) }

// Close implements read.Sheet: it stops both passes.
func (r *fastSheet) Close() error {
	r.stop.Do(func() { close(r.done) })
	r.stopLayout.Store(true)
	r.formulas.close()
	// Both stop at their next check (a batch of rows, or a few elements):
	// once closed, the sheet holds nothing of the file.
	r.goroutines.Wait()
	return nil
}

// restartOn wraps an errUnsupported in read.ErrRestart: the book then
// reads the sheet by the slow path.
func restartOn(err error) error {
	if errors.Is(err, errUnsupported) {
		return fmt.Errorf("%w: %w", read.ErrRestart, err)
	}
	return err
}

// rowParser reads the rows of a sheet's XML (see fastSheet).
type rowParser struct {
	sc  *xmlScanner
	rc  io.ReadCloser
	p   *pkg
	sst *fastStrings

	inData, finished bool
	last             int // the last row number read
	out              fastRow
	arena            []byte
	cells            []fastCell
	// The counts the slow path's scan bounds.
	dataRows           int
	formulas           int
	rowText, sheetText int64
	// lastRow is the last row of the sheet's <dimension>, 0 when unknown;
	// size is the sheet XML's unpacked size.
	lastRow int
	size    uint64
}

// rowsHint estimates the rows of the sheet, for the table's capacity:
// the <dimension> the writer recorded, bounded by what the XML can hold
// (a row with a region and a figure takes more than 64 bytes) and by the
// row limit, so a false dimension cannot make it allocate much.
func (r *rowParser) rowsHint() int {
	return max(0, min(r.lastRow, int(min(r.size/64, 1<<30)), r.p.lim.Rows()))
}

// run parses the rows into batches until the end, an error, or done.
func (r *rowParser) run(ch chan<- rowBatch, done <-chan struct{}) {
	defer close(ch)
	defer r.rc.Close()
	batch := rowBatch{rows: make([]fastRow, 0, 32)} // a small first batch: the head
	for {
		ok, err := r.readRow()
		if !ok || err != nil {
			batch.hint, batch.last, batch.err = r.rowsHint(), true, err
			select {
			case ch <- batch:
			case <-done:
			}
			return
		}
		batch.rows = append(batch.rows, r.out)
		if len(batch.rows) == cap(batch.rows) {
			batch.hint = r.rowsHint()
			select {
			case ch <- batch:
			case <-done:
				return
			}
			batch = rowBatch{rows: make([]fastRow, 0, batchRows)}
		}
	}
}

// text counts text as the slow path's scan does, and leaves a sheet near
// its bounds to it: the scan then rejects it with the reason.
func (r *rowParser) text(n int64) error {
	r.rowText += n
	r.sheetText += n
	if r.rowText > read.MaxRowText/2 || r.sheetText > read.MaxSheetText/2 {
		return unsupported("near the text bounds")
	}
	return nil
}

// readRow reads the next <row> element; false at the end of the rows.
func (r *rowParser) readRow() (bool, error) {
	sc := r.sc
	for {
		if r.finished {
			return false, nil
		}
		if err := sc.next(); err != nil {
			return false, err
		}
		switch sc.kind {
		case tokEOF:
			r.finished = true
			return false, nil
		case tokText:
			if err := r.text(int64(len(sc.text))); err != nil {
				return false, err
			}
			if r.inData && len(bytes.TrimSpace(sc.text)) > 0 {
				return false, unsupported("text inside <sheetData>")
			}
		case tokEnd:
			if r.inData && string(sc.name) == "sheetData" {
				// The rest of the sheet (merges, margins) is not rows; the
				// layout pass reads it.
				r.finished = true
				return false, nil
			}
		case tokStart:
			name := string(sc.name)
			switch {
			case !r.inData && name == "sheetData":
				if len(sc.stack) != 2 && !sc.selfClose {
					return false, unsupported("<sheetData> not under <worksheet>")
				}
				r.inData = !sc.selfClose
				if sc.selfClose {
					r.finished = true
					return false, nil
				}
			case !r.inData:
				if name == "row" || name == "c" || name == "f" || name == "v" || name == "is" {
					return false, unsupported("cell element outside <sheetData>")
				}
				if ref, ok := sc.attr("ref"); ok && name == "dimension" {
					if _, bottom, ok := bytes.Cut(ref, []byte(":")); ok {
						if _, row, ok := parseCellRef(bottom); ok {
							r.lastRow = row
						}
					}
				}
				if len(sc.stack) > 1 || sc.selfClose {
					if err := r.skip(); err != nil {
						return false, err
					}
				}
			case name == "row":
				return true, r.row()
			default:
				return false, unsupported("<" + name + "> inside <sheetData>")
			}
		}
	}
}

// skip skips an element before <sheetData>, refusing cell elements in it.
func (r *rowParser) skip() error {
	sc := r.sc
	if sc.selfClose {
		return nil
	}
	depth := len(sc.stack)
	for {
		if err := sc.next(); err != nil {
			return err
		}
		switch sc.kind {
		case tokEOF:
			return unsupported("unexpected end of XML")
		case tokText:
			if err := r.text(int64(len(sc.text))); err != nil {
				return err
			}
		case tokStart:
			switch string(sc.name) {
			case "row", "c", "f", "v", "is":
				return unsupported("cell element outside <sheetData>")
			}
		case tokEnd:
			if len(sc.stack) < depth {
				return nil
			}
		}
	}
}

// row reads the <row> element just started.
func (r *rowParser) row() error {
	sc := r.sc
	if err := checkPlainAttrs(sc); err != nil {
		return err
	}
	rv, ok := sc.attr("r")
	n, err := strconv.Atoi(string(rv))
	if !ok || err != nil || n < 1 || n > excelize.TotalRows || n <= r.last {
		return unsupported("row without an r attribute, or out of order")
	}
	r.last = n
	r.out = fastRow{n: n}
	r.rowText = 0
	r.arena = r.arena[:0]
	r.cells = r.cells[:0]
	hasData := false
	if !sc.selfClose {
		prev := 0
		for {
			if err := sc.next(); err != nil {
				return err
			}
			if sc.kind == tokEnd {
				break
			}
			if sc.kind == tokText {
				if err := r.text(int64(len(sc.text))); err != nil {
					return err
				}
				if len(bytes.TrimSpace(sc.text)) > 0 {
					return unsupported("text inside <row>")
				}
				continue
			}
			if sc.kind != tokStart || string(sc.name) != "c" {
				return unsupported("element other than <c> inside <row>")
			}
			col, err := r.cell(n, prev)
			if err != nil {
				return err
			}
			prev = col
		}
		hasData = len(r.cells) > 0
	}
	if hasData {
		// Stop short of the limit: the slow path's scan reports it.
		if r.dataRows++; r.dataRows >= r.p.lim.Rows() {
			return unsupported("near the row limit")
		}
	}
	if len(r.cells) == 0 {
		return nil
	}
	// One string per row; the cells' texts are slices of it.
	row := string(r.arena)
	if last := r.cells[len(r.cells)-1].col; last > read.MaxColumns {
		return read.PastMaxColumns(jkn.CellName(r.out.n, last-1))
	}
	r.out.cells = make([]read.Cell, r.cells[len(r.cells)-1].col)
	for _, c := range r.cells {
		cell := read.Cell{Kind: c.kind, Text: row[c.start:c.end], Date: c.date}
		if c.kind == read.Formula {
			cell.Text = c.formula
		}
		r.out.cells[c.col-1] = cell
	}
	return nil
}

// parseCellRef reads an upper-case reference such as "AB12".
func parseCellRef(b []byte) (col, row int, ok bool) {
	i := 0
	for i < len(b) && b[i] >= 'A' && b[i] <= 'Z' {
		col = col*26 + int(b[i]-'A'+1)
		i++
	}
	if i == 0 || i > 3 || i == len(b) || b[i] == '0' {
		return 0, 0, false
	}
	for _, c := range b[i:] {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		row = row*10 + int(c-'0')
		if row > excelize.TotalRows {
			return 0, 0, false
		}
	}
	return col, row, true
}

// isUnsupported reports whether err sends a sheet to the slow path.
func isUnsupported(err error) bool { return errors.Is(err, errUnsupported) }
