package xlsx

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// The slow path's reading of the sheet XML with encoding/xml, in two uses:
// a pass over the whole sheet before excelize reads it (scanSheet), which
// bounds its size and reads its layout; and, beside excelize's rows
// iterator, the facts of each row's cells that the iterator does not tell
// (types, styles, formulas: cellFacts). Both decode the XML as encoding/xml
// does, as excelize itself does; excelize's GetColVisible, GetMergeCells
// and GetCellFormula would load the whole worksheet into memory (for an
// 84,000-row, 12-column sheet, GetColVisible alone took 6 s and kept
// 430 MB of heap).

// sheetScan decodes a sheet's XML token by token (RawToken), tracking the
// cell being read and bounding what the sheet holds.
type sheetScan struct {
	d        *xml.Decoder
	maxRows  int
	sst      *sharedStrings // for the text bounds; nil when the book has none
	row, col int            // of the cell being read: row 1-based, col 0-based

	inF, inV         bool
	hasF, hasV, hasS bool
	shared           bool // a t="s" cell: its <v> is a shared string index
	typ              string
	value, formula   strings.Builder
	style            int

	depth       int // elements open
	dataRows    int
	lastDataRow int
	rowText     int64
	sheetText   int64
	formulas    int
}

// scanEvent is what one token was to the scan.
type scanEvent uint8

const (
	evNone      scanEvent = iota
	evRowStart            // a <row> start: sc.row is its number
	evCellEnd             // a </c>: the cell's facts are in the scan
	evSheetData           // the </sheetData> end
	evOther               // any other start element (t holds it)
)

func newSheetScan(r io.Reader, maxRows int, sst *sharedStrings) *sheetScan {
	return &sheetScan{d: xml.NewDecoder(r), maxRows: maxRows, sst: sst, lastDataRow: -1}
}

// addText counts text against the row and sheet bounds.
func (s *sheetScan) addText(n int64) error {
	s.rowText += n
	s.sheetText += n
	switch {
	case s.rowText > read.MaxRowText:
		return read.TooLarge("row %d holds more than %d bytes of text", s.row, read.MaxRowText)
	case s.sheetText > read.MaxSheetText:
		return read.TooLarge("the sheet holds more than %d bytes of text", read.MaxSheetText)
	}
	return nil
}

// step reads one token. It returns io.EOF at the end of the XML; a sheet
// over a bound is a *jkn.FileError: more rows with a value than maxRows
// (too_many_rows), a row or sheet with more text than read.MaxRowText or
// read.MaxSheetText, or more formulas without a value than
// maxFormulaCells (too_large).
func (s *sheetScan) step() (scanEvent, xml.Token, error) {
	tok, err := s.d.RawToken()
	if err != nil {
		return evNone, nil, err
	}
	switch t := tok.(type) {
	case xml.StartElement:
		// RawToken keeps no stack, but excelize's Unmarshal, which reads
		// the sheet after this scan, keeps one per open element.
		if s.depth++; s.depth > maxXMLDepth {
			return evNone, nil, read.TooLarge("the sheet nests XML elements more than %d deep: copy the sheet into a new workbook", maxXMLDepth)
		}
		switch t.Name.Local {
		case "row":
			if r, err := strconv.Atoi(attr(t, "r")); err == nil {
				s.row = r
			} else {
				s.row++
			}
			s.col = -1
			s.rowText = 0
			return evRowStart, t, nil
		case "c":
			s.col++
			if ref := attr(t, "r"); ref != "" {
				c, r, err := excelize.CellNameToCoordinates(ref)
				if err != nil {
					return evNone, nil, fmt.Errorf("cell reference %q: %w", ref, err)
				}
				if r != s.row {
					s.rowText = 0
				}
				s.row, s.col = r, c-1
			}
			s.hasF, s.hasV, s.hasS = false, false, false
			s.typ = attr(t, "t")
			s.shared = s.typ == "s"
			s.formula.Reset()
			s.value.Reset()
			s.style, _ = strconv.Atoi(attr(t, "s"))
		case "f":
			s.inF, s.hasF = true, true
		case "v":
			s.inV = true
		case "is":
			s.hasS = true
		default:
			return evOther, t, nil
		}
	case xml.CharData:
		switch {
		case s.inF:
			if s.formula.Len() < maxFormulaText { // kept for a finding's text only
				s.formula.Write(t[:min(len(t), maxFormulaText)])
			}
		case s.inV && s.shared:
			if s.value.Len() < 32 {
				s.value.Write(t[:min(len(t), 32)])
			}
		case s.inV && strings.TrimSpace(string(t)) != "":
			s.hasV = true
		}
		if !s.shared || !s.inV {
			if err := s.addText(int64(len(t))); err != nil {
				return evNone, nil, err
			}
		}
	case xml.EndElement:
		s.depth--
		switch t.Name.Local {
		case "f":
			s.inF = false
		case "v":
			s.inV = false
			if s.shared && s.value.Len() > 0 {
				if !s.sst.has(s.value.String()) {
					return evNone, nil, badIndex(s.col+1, s.row, strings.TrimSpace(s.value.String()), s.sst.count())
				}
				s.hasV = true
				if err := s.addText(s.sst.textOf(s.value.String())); err != nil {
					return evNone, nil, err
				}
			}
		case "c":
			if s.hasF || s.hasV || s.hasS {
				// A styled blank cell far right is common; a value is not.
				if s.col >= read.MaxColumns {
					return evNone, nil, read.PastMaxColumns(jkn.CellName(s.row, s.col))
				}
				if s.row != s.lastDataRow {
					s.lastDataRow = s.row
					if s.dataRows++; s.dataRows > s.maxRows {
						return evNone, nil, read.TooManyRows(s.maxRows)
					}
				}
			}
			if s.hasF && !s.hasV {
				if s.formulas++; s.formulas > maxFormulaCells {
					return evNone, nil, read.TooLarge("more than %d formula cells have no cached value: open and save the file in Excel or LibreOffice", maxFormulaCells)
				}
			}
			return evCellEnd, t, nil
		case "sheetData":
			return evSheetData, t, nil
		}
	}
	return evNone, tok, nil
}

// valued reports whether the cell just read has what the scan counts: a
// formula, a value that is not blank, or an inline string.
func (s *sheetScan) valued() bool { return s.hasF || s.hasV || s.hasS }

// scanResult is what the pass before excelize learns of a sheet.
type scanResult struct {
	layout read.Layout
	cells  int // cells with a value, inline text or formula
}

// scanSheet reads the sheet XML once, as a stream, before excelize reads
// it: it is where the slow path bounds a sheet's size (see step; a text
// node or tag over maxTokenRun is too_large too), and reads its hidden
// columns and merged ranges.
func scanSheet(zf *zip.File, p *pkg) (*scanResult, error) {
	rc, err := openPart(zf)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s := newSheetScan(rc, p.lim.Rows(), p.sst)
	res := &scanResult{}
	var hidden [][2]int
	for {
		ev, tok, err := s.step()
		if errors.Is(err, io.EOF) {
			res.layout.Hidden = hiddenColumns(hidden)
			return res, nil
		}
		if err != nil {
			return nil, err
		}
		switch ev {
		case evCellEnd:
			if s.valued() {
				res.cells++
			}
		case evOther:
			t := tok.(xml.StartElement)
			switch t.Name.Local {
			case "col":
				if isTrue(attr(t, "hidden")) && len(hidden) < maxHiddenRanges {
					lo, _ := strconv.Atoi(attr(t, "min"))
					hi, _ := strconv.Atoi(attr(t, "max"))
					hidden = append(hidden, [2]int{max(lo, 1), min(hi, excelize.MaxColumns)})
				}
			case "mergeCell":
				if r, ok := ParseRange(attr(t, "ref")); ok && r.Top <= read.MergeRows && len(res.layout.Merges) < read.MaxMerges {
					res.layout.Merges = append(res.layout.Merges, r)
				}
			}
		}
	}
}

// cellFact is what the rows iterator does not tell about a cell.
type cellFact struct {
	col               int // 0-based
	typ               string
	style             int
	hasF, hasV, hasIS bool
	formula           string
}

// cellFacts reads, beside excelize's rows iterator, the facts of the
// cells of each row the iterator shows. It follows the iterator's own
// count (Rows.Next and Rows.Columns of excelize v2.11): a <row> without r
// is the one after the last; the cells shown for a row are those up to
// the next <row> numbered past it (a repeated or lower row number joins
// the row before); a row number the XML skips shows as an empty row.
type cellFacts struct {
	s         *sheetScan
	rc        io.Closer
	seek, cur int // the iterator's seekRow and curRow
	done      bool
	facts     []cellFact
}

func newCellFacts(zf *zip.File, p *pkg) (*cellFacts, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	return &cellFacts{s: newSheetScan(rc, p.lim.Rows(), p.sst), rc: rc}, nil
}

func (f *cellFacts) close() { f.rc.Close() }

// rowNumber is the number the iterator gives a <row> start: its r
// attribute (the last one), or the row after cur.
func rowNumber(t xml.StartElement, cur int) int {
	n := 0
	for _, a := range t.Attr {
		if a.Name.Local == "r" {
			v, err := strconv.Atoi(a.Value)
			if err != nil {
				return cur + 1
			}
			n = v
		}
	}
	if n == 0 {
		return cur + 1
	}
	return n
}

// advance moves to the next row the iterator shows, as one call of its
// Next and Columns, and returns the facts of that row's cells: none for a
// row the XML leaves out, or past the end. On an error of the XML the
// facts stop: excelize has read the same XML and stops too.
func (f *cellFacts) advance() []cellFact {
	f.seek++
	if f.cur < f.seek {
		// Next reads on to the next row start.
		for {
			if f.done {
				return nil
			}
			ev, tok, err := f.s.step()
			if err != nil || ev == evSheetData {
				f.done = true
				return nil
			}
			if ev == evRowStart {
				f.cur = rowNumber(tok.(xml.StartElement), f.cur)
				break
			}
		}
	}
	if f.cur > f.seek {
		return nil
	}
	// Columns reads the cells up to a row start numbered past seek.
	f.facts = f.facts[:0]
	for !f.done {
		ev, tok, err := f.s.step()
		switch {
		case err != nil || ev == evSheetData:
			f.done = true
		case ev == evCellEnd:
			s := f.s
			f.facts = append(f.facts, cellFact{col: s.col, typ: s.typ, style: s.style,
				hasF: s.hasF, hasV: s.hasV, hasIS: s.hasS, formula: formulaText([]byte(s.formula.String()))})
		case ev == evRowStart:
			if f.cur = rowNumber(tok.(xml.StartElement), f.cur); f.cur > f.seek {
				return f.facts
			}
		}
	}
	return f.facts
}
