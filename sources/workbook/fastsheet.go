package workbook

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/xuri/excelize/v2"
)

// The fast read path. excelize is the reader of record, but its rows
// iterator decodes every XML token through encoding/xml, and so does the
// scan of the sheet XML (scanSheet) the slow path needs first: for a
// national village sheet (84,000 rows × 12 columns, 37 MB of sheet XML)
// the two take about 4 s. The fast path streams the sheet XML once with
// its own tokenizer (xmlscan.go) and gives the walker exactly the strings
// excelize's Rows().Columns would, with RawCellValue: the shared string of
// a t="s" cell, the inline text of a t="inlineStr" cell, and the raw <v>
// text of any other cell; and it fills the same sheetMeta scanSheet would.
// The XML is tokenized in a goroutine a few hundred rows ahead of the walk
// (fastRows), and a second, light pass over it reads the hidden columns
// and the merged ranges (which come after the rows) in another (layout):
// on two cores, unpacking and tokenizing run beside the walk.
//
// It reads only what it can read the way excelize does, and leaves the
// sheet to the slow path otherwise (errUnsupported: parseSheet then starts
// the sheet again with scanSheet and excelize's rows iterator, unchanged):
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
//   - a sheet near a limit (limits.go: rows, text per row and sheet, text
//     or tag length, formulas without a value, merged ranges, hidden
//     column ranges): the slow path's scan rejects it with its reason.
// The comparison test (fastsheet_test.go) runs both paths on every test
// workbook and compares every cell, the sheet metadata and the tables.

// fastStrings is the shared-string table as the fast path reads it: one
// byte arena and the end offset of each string, about 4 bytes a string
// beyond its text (excelize's parsed table costs about 300).
type fastStrings struct {
	text []byte
	ends []uint32
	err  error // why the fast path cannot read the table; nil when it can
}

func (ss *fastStrings) get(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = ss.ends[i-1]
	}
	return ss.text[start:ss.ends[i]]
}

func (ss *fastStrings) len() int { return len(ss.ends) }

// fastSharedStrings reads the shared-string part excelize reads
// (xl/sharedStrings.xml, whatever the relationships say), once per
// workbook. A table the fast path cannot read comes back with err set to
// an errUnsupported; a damaged part is an error.
func (p *pkg) fastSharedStrings() (*fastStrings, error) {
	if p.fastSST != nil {
		return p.fastSST, nil
	}
	ss := &fastStrings{}
	if p.sst != nil {
		// The counted lengths bound the text (they count entities as
		// written), unlike the size the zip header declares.
		var size int64
		for _, n := range p.sst.lens {
			size += int64(n)
		}
		if err := ss.read(p.sst.zf, len(p.sst.lens), size); err != nil {
			if !isUnsupported(err) {
				return nil, err
			}
			*ss = fastStrings{err: err}
		}
	}
	p.fastSST = ss
	return ss, nil
}

func (ss *fastStrings) read(zf *zip.File, n int, size int64) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := newXMLScanner(rc)
	ss.ends = make([]uint32, 0, n)
	ss.text = make([]byte, 0, min(size, 1<<30))
	for {
		if err := sc.next(); err != nil {
			return err
		}
		switch sc.kind {
		case tokEOF:
			return nil
		case tokStart:
			parent := len(sc.stack) - 1 // the depth of the element's parent
			if sc.selfClose {
				parent++
			}
			switch {
			case parent == 0:
				if string(sc.name) != "sst" {
					return unsupported("shared strings root <" + string(sc.name) + ">")
				}
			case parent == 1 && string(sc.name) == "si":
				if ss.text, err = readStringItem(sc, ss.text); err != nil {
					return err
				}
				if len(ss.text) > 1<<31 {
					return unsupported("shared strings over 2 GiB")
				}
				ss.ends = append(ss.ends, uint32(len(ss.text)))
			default:
				if err := sc.skip(); err != nil {
					return err
				}
			}
		}
	}
}

// readStringItem reads the <si> or <is> element just started, as excelize's
// xlsxSI.String: the text of its <t>, then of each run's <t>; phonetic runs
// and other children are left out, as encoding/xml leaves unknown elements.
func readStringItem(sc *xmlScanner, dst []byte) ([]byte, error) {
	var t, runs []byte
	seenT := false
	err := sc.children(func(name []byte) error {
		var err error
		switch string(name) {
		case "t":
			if seenT {
				return unsupported("several <t> in one string item")
			}
			seenT = true
			t, err = readTextElement(sc, t[:0])
		case "r":
			runs, err = readRun(sc, runs)
		default:
			err = sc.skip()
		}
		return err
	})
	if err != nil {
		return dst, err
	}
	out := append(append(dst, t...), runs...)
	if bytes.Contains(out[len(dst):], []byte("_x")) {
		return dst, unsupported("_xHHHH_ escape in a string")
	}
	return out, nil
}

// readRun appends the text of the rich-text run just started.
func readRun(sc *xmlScanner, dst []byte) ([]byte, error) {
	seenT := false
	err := sc.children(func(name []byte) error {
		if string(name) != "t" {
			return sc.skip()
		}
		if seenT {
			return unsupported("several <t> in one run")
		}
		seenT = true
		var err error
		dst, err = readTextElement(sc, dst)
		return err
	})
	return dst, err
}

// readTextElement appends the decoded text of the element just started,
// which must hold text only.
func readTextElement(sc *xmlScanner, dst []byte) ([]byte, error) {
	if sc.selfClose {
		return dst, nil
	}
	for {
		if err := sc.next(); err != nil {
			return dst, err
		}
		switch sc.kind {
		case tokText:
			var err error
			if dst, err = appendText(dst, sc.text); err != nil {
				return dst, err
			}
		case tokEnd:
			return dst, nil
		default:
			return dst, unsupported("element inside a text element")
		}
	}
}

// layout completes meta with what the rows do not give and the header
// needs: hidden columns and merged ranges, from the whole sheet XML (the
// merges come after the rows). It skips over <sheetData>, which the rows
// reader checks, and refuses cell elements outside it, which scanSheet
// would count. The caps are scanSheet's.
//
// stop, when set, ends it early (the sheet is no longer wanted).
func layout(zf *zip.File, meta *sheetMeta, stop *atomic.Bool) error {
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := newXMLScanner(rc)
	var (
		ref    []byte
		hidden [][2]int
	)
	for {
		if stop != nil && stop.Load() {
			return errStopped
		}
		if err := sc.next(); err != nil {
			return err
		}
		if sc.kind == tokEOF {
			meta.setHidden(hidden)
			return nil
		}
		if sc.kind != tokStart {
			continue
		}
		if err := checkPlainAttrs(sc); err != nil {
			return err
		}
		switch string(sc.name) {
		case "sheetData":
			if err := skipSheetData(sc); err != nil {
				return err
			}
		case "col":
			v, _ := sc.attr("hidden")
			if !isTrue(string(v)) {
				continue
			}
			if len(hidden) >= maxHiddenRanges {
				return unsupported("too many hidden column ranges")
			}
			lo, _ := strconv.Atoi(string(attrOr(sc, "min")))
			hi, _ := strconv.Atoi(string(attrOr(sc, "max")))
			hidden = append(hidden, [2]int{max(lo, 1), min(hi, excelize.MaxColumns)})
		case "mergeCell":
			v, _ := sc.attr("ref")
			if ref, err = appendText(ref[:0], v); err != nil {
				return err
			}
			if r, ok := parseRange(string(ref)); ok && r.top <= headerScanRows+1 {
				if len(meta.merges) >= maxHeaderMerges {
					return unsupported("too many merged ranges")
				}
				meta.merges = append(meta.merges, r)
			}
		case "row", "c", "f", "v", "is":
			return unsupported("cell element outside <sheetData>")
		}
	}
}

func attrOr(sc *xmlScanner, name string) []byte {
	v, _ := sc.attr(name)
	return v
}

// skipSheetData jumps to the end of the <sheetData> just started without
// tokenizing the rows (the rows reader does that).
func skipSheetData(sc *xmlScanner) error {
	if sc.selfClose {
		return nil
	}
	closing := []byte("</" + sc.stack[len(sc.stack)-1])
	for {
		if i := bytes.Index(sc.buf[sc.pos:sc.end], closing); i >= 0 {
			i += sc.pos
			if i+len(closing) < sc.end {
				if c := sc.buf[i+len(closing)]; c == '>' || isSpace(c) {
					sc.pos = i
					return sc.next() // the end tag, checked against the stack
				}
				sc.pos = i + len(closing)
				continue
			}
			sc.pos = i // the name may go on: read more first
		} else {
			sc.pos = max(sc.pos, sc.end-len(closing))
		}
		more, err := sc.fill(sc.pos)
		if err != nil {
			return err
		}
		if !more {
			return unsupported("unexpected end of XML")
		}
	}
}

// fastRows reads a sheet's rows from its XML as excelize's Rows does, and
// fills the sheet's formulas, header-area styles and cell count as it
// goes, as scanSheet would. The XML is read by a rowParser in its own
// goroutine, a few hundred rows ahead: unpacking and tokenizing the XML
// then runs beside the walk of the rows before (and beside the layout
// pass), on a second core when there is one.
type fastRows struct {
	meta *sheetMeta
	ch   <-chan rowBatch
	done chan struct{}
	stop sync.Once

	batch     []fastRow
	pos       int
	seek, cur int // the row Next moved to; the row held in vals
	vals      []string
	err       error
	finished  bool
	hint      int
}

// fastRow is one row as the parser read it, with what scanSheet would
// have recorded about it.
type fastRow struct {
	n        int
	vals     []string
	cells    int           // cells with a value, a formula or an inline string
	formulas []cellFormula // formulas without a value
	styles   []cellStyle   // styled cells, in the header area only
}

type cellFormula struct {
	col  int
	text string
}

type cellStyle struct{ col, style int }

// rowBatch is what the parser hands over at a time; the last one has
// last set, and err when the parse failed.
type rowBatch struct {
	rows []fastRow
	hint int
	last bool
	err  error
}

const batchRows = 256

// rowParser reads the rows of a sheet's XML (see fastRows).
type rowParser struct {
	sc  *xmlScanner
	rc  io.ReadCloser
	sst *fastStrings
	// lens gives the length scanSheet counts for a shared string.
	lens *sharedStrings
	opts Options

	inData, finished bool
	last             int // the last row number read
	out              fastRow
	arena            []byte
	cells            []fastCell
	// The counts scanSheet bounds (limits.go).
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
	return max(0, min(r.lastRow, int(min(r.size/64, 1<<30)), r.opts.maxRows()))
}

// fastCell is one cell of the row being read: its value is
// arena[start:end].
type fastCell struct {
	col        int
	start, end int
	keep       bool // excelize returns it: a value, or a formula
}

func newFastRows(zf *zip.File, p *pkg, opts Options) (*fastRows, error) {
	sst, err := p.fastSharedStrings()
	if err != nil {
		return nil, err
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	parser := &rowParser{sc: newXMLScanner(rc), rc: rc, sst: sst, lens: p.sst, opts: opts, size: zf.UncompressedSize64}
	ch := make(chan rowBatch, 4)
	r := &fastRows{
		meta: &sheetMeta{hidden: map[int]bool{}, formulas: map[cellKey]string{}, styles: map[cellKey]int{}},
		ch:   ch, done: make(chan struct{}),
	}
	go parser.run(ch, r.done)
	return r, nil
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

// Next moves to the next row number, as excelize's Next: rows missing
// from the XML come back empty. After an error, the rows read before it
// are still handed over; then Next stops and Error tells why.
func (r *fastRows) Next() bool {
	if r.err != nil && r.pos >= len(r.batch) {
		return false
	}
	r.seek++
	if r.cur >= r.seek {
		return true
	}
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
	r.meta.cells += row.cells
	for _, f := range row.formulas {
		r.meta.formulas[cellKey{row.n, f.col}] = f.text
	}
	for _, st := range row.styles {
		r.meta.styles[cellKey{row.n, st.col}] = st.style
	}
	r.cur, r.vals = row.n, row.vals
	row.vals = nil // handed over: the batch need not keep it
	return true
}

// Columns returns the cells of the current row, up to its last non-empty
// one, blanks between them as "".
func (r *fastRows) Columns(...excelize.Options) ([]string, error) {
	if r.cur > r.seek {
		return nil, nil
	}
	return r.vals, nil
}

func (r *fastRows) Error() error {
	if r.pos < len(r.batch) {
		return nil // rows before the error are still to be handed over
	}
	return r.err
}

// rowsHint estimates the rows of the sheet (see rowParser.rowsHint).
func (r *fastRows) rowsHint() int { return r.hint }

// Close stops the parser.
func (r *fastRows) Close() error {
	r.stop.Do(func() { close(r.done) })
	return nil
}

// text counts text as scanSheet does, and leaves a sheet near its bounds
// to it: scanSheet then rejects it with the reason.
func (r *rowParser) text(n int64) error {
	r.rowText += n
	r.sheetText += n
	if r.rowText > maxRowText/2 || r.sheetText > maxSheetText/2 {
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

// checkPlainAttrs refuses the attributes the fast path reads when they
// come twice or with a namespace prefix: which one excelize or scanSheet
// would take is not worth reproducing.
func checkPlainAttrs(sc *xmlScanner) error {
	for k, a := range sc.attrs {
		for _, b := range sc.attrs[:k] {
			if bytes.Equal(a.name, b.name) {
				return unsupported("attribute " + string(a.name) + " twice")
			}
		}
		i := bytes.IndexByte(a.name, ':')
		if i < 0 {
			continue
		}
		switch string(a.name[i+1:]) {
		case "r", "s", "t", "ref", "hidden", "min", "max":
			if string(a.name[:i]) != "xmlns" {
				return unsupported("prefixed attribute " + string(a.name))
			}
		}
	}
	return nil
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
			col, data, err := r.cell(n, prev)
			if err != nil {
				return err
			}
			prev = col
			hasData = hasData || data
		}
	}
	if hasData {
		// Stop short of the limit: the slow path's scan reports it.
		if r.dataRows++; r.dataRows >= r.opts.maxRows() {
			return unsupported("near the row limit")
		}
	}
	last := -1
	for i := range r.cells {
		if r.cells[i].keep {
			last = i
		}
	}
	if last < 0 {
		return nil
	}
	// One string per row; the cells are slices of it.
	row := string(r.arena)
	r.out.vals = make([]string, r.cells[last].col)
	for _, c := range r.cells[:last+1] {
		if c.keep {
			r.out.vals[c.col-1] = row[c.start:c.end]
		}
	}
	return nil
}

// cell reads the <c> element just started in row n; prev is the column
// (1-based) of the cell before it. It returns the cell's column and
// whether scanSheet counts it as a cell with a value.
func (r *rowParser) cell(n, prev int) (int, bool, error) {
	sc := r.sc
	if err := checkPlainAttrs(sc); err != nil {
		return 0, false, err
	}
	col := prev + 1
	if ref, ok := sc.attr("r"); ok {
		c, row, ok := parseCellRef(ref)
		if !ok || row != n {
			return 0, false, unsupported("cell reference " + strconv.Quote(string(ref)))
		}
		col = c
	}
	if col <= prev || col > excelize.MaxColumns {
		return 0, false, unsupported("cells out of order")
	}
	style := 0
	if sv, ok := sc.attr("s"); ok {
		var err error
		if style, err = strconv.Atoi(string(sv)); err != nil {
			return 0, false, unsupported("style " + strconv.Quote(string(sv)))
		}
	}
	typ, _ := sc.attr("t")
	isShared, isInline := string(typ) == "s", string(typ) == "inlineStr"

	var (
		hasF, hasV, hasIS bool
		v, is, formula    []byte // decoded
	)
	start := len(r.arena)
	if !sc.selfClose {
		for {
			if err := sc.next(); err != nil {
				return 0, false, err
			}
			if sc.kind == tokEnd {
				break
			}
			if sc.kind == tokText {
				// Text directly in <c> is ignored, as by excelize.
				if err := r.text(int64(len(sc.text))); err != nil {
					return 0, false, err
				}
				continue
			}
			var err error
			switch string(sc.name) {
			case "f":
				if hasF {
					return 0, false, unsupported("two <f> in a cell")
				}
				hasF = true
				formula, err = readTextElement(sc, nil)
			case "v":
				if hasV {
					return 0, false, unsupported("two <v> in a cell")
				}
				hasV = true
				at := len(r.arena)
				r.arena, err = readTextElement(sc, r.arena)
				v = r.arena[at:]
			case "is":
				if hasIS {
					return 0, false, unsupported("two <is> in a cell")
				}
				hasIS = true
				at := len(r.arena)
				r.arena, err = readStringItem(sc, r.arena)
				is = r.arena[at:]
			default:
				return 0, false, unsupported("<" + string(sc.name) + "> inside <c>")
			}
			if err != nil {
				return 0, false, err
			}
		}
	}
	// The text scanSheet counts: a shared string by its table entry, any
	// other text as written (the decoded length, never more).
	if isShared && r.lens != nil {
		if err := r.text(r.lens.textOf(string(v)) + int64(len(formula))); err != nil {
			return 0, false, err
		}
	} else if err := r.text(int64(len(v) + len(is) + len(formula))); err != nil {
		return 0, false, err
	}
	if bytes.Contains(v, []byte("_x")) && isInline && !hasIS {
		// excelize unescapes only strings; a raw value is not touched.
		return 0, false, unsupported("_xHHHH_ escape in a value")
	}

	// What scanSheet records.
	blankV := len(bytes.TrimSpace(v)) == 0
	data := hasF || !blankV || hasIS
	if data {
		r.out.cells++
	}
	if hasF && blankV {
		if r.formulas++; r.formulas >= maxFormulaCells {
			return 0, false, unsupported("too many formulas without a value")
		}
		r.out.formulas = append(r.out.formulas, cellFormula{col - 1, strings.TrimSpace(string(formula[:min(len(formula), 256)]))})
	}
	if style > 0 && n <= headerScanRows {
		r.out.styles = append(r.out.styles, cellStyle{col - 1, style})
	}

	// What excelize's rows iterator returns, with RawCellValue.
	switch {
	case isShared && len(v) > 0:
		if r.sst.err != nil {
			return 0, false, r.sst.err
		}
		idx, err := strconv.Atoi(strings.TrimSpace(string(v)))
		if err != nil || idx < 0 || idx >= r.sst.len() {
			return 0, false, unsupported("shared-string index " + strconv.Quote(string(v)))
		}
		r.arena = append(r.arena[:start], r.sst.get(idx)...)
	case isInline && hasIS:
		r.arena = append(r.arena[:start], is...)
	default:
		r.arena = append(r.arena[:start], v...)
	}
	c := fastCell{col: col, start: start, end: len(r.arena)}
	c.keep = c.end > c.start || hasF
	r.cells = append(r.cells, c)
	return col, data, nil
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

// errStopped ends a pass whose sheet is no longer wanted.
var errStopped = errors.New("stopped")

// isUnsupported reports whether err sends a sheet to the slow path.
func isUnsupported(err error) bool { return errors.Is(err, errUnsupported) }

// lazySheet opens the one-sheet package with excelize when a shared
// formula's text is wanted: a rare path, as in the slow path.
type lazySheet struct {
	p    *pkg
	s    sheetInfo
	opts Options
	once sync.Once
	x    *excelize.File
	err  error
}

func (l *lazySheet) GetCellFormula(sheet, cell string) (string, error) {
	l.once.Do(func() {
		b, err := l.p.sheetPackage(l.s)
		if err != nil {
			l.err = err
			return
		}
		total, xmlPart := l.p.spillLimit(l.opts)
		l.x, l.err = excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: total, UnzipXMLSizeLimit: xmlPart})
	})
	if l.err != nil {
		return "", l.err
	}
	return l.x.GetCellFormula(sheet, cell)
}

func (l *lazySheet) close() {
	if l.x != nil {
		l.x.Close()
	}
}

// parseSheetFast reads a sheet by the fast path; an errUnsupported means
// the slow path must read it instead.
func parseSheetFast(p *pkg, s sheetInfo, f file, opts Options) (*Table, bool, error) {
	zf := p.entry(s.path)
	rows, err := newFastRows(zf, p, opts)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	fx := &lazySheet{p: p, s: s, opts: opts}
	defer fx.close()
	meta := rows.meta
	// The layout pass reads the whole XML again for what comes after the
	// rows (merges): beside the rows, in its own goroutine.
	lm := &sheetMeta{hidden: map[int]bool{}}
	var stop atomic.Bool
	defer stop.Store(true)
	laid := make(chan error, 1)
	go func() { laid <- layout(zf, lm, &stop) }()
	wait := func() error {
		err := <-laid
		meta.hidden, meta.merges = lm.hidden, lm.merges
		return err
	}
	t, cells, err := readTable(rows, meta, wait, fx, p, s, f, opts)
	if err != nil || t != nil {
		return t, cells, err
	}
	// No table: the sheet is empty when no cell has a value, as scanSheet
	// would have counted them all before any row was read.
	for meta.cells == 0 && rows.Next() {
	}
	if err := rows.Error(); err != nil {
		return nil, false, err
	}
	return nil, meta.cells > 0, nil
}
