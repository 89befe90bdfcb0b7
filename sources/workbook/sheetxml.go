package workbook

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/xuri/excelize/v2"
)

// The sheet's hidden columns, merged ranges and formulas without a cached
// value are read by one streaming pass over the sheet XML rather than with
// excelize's GetColVisible, GetMergeCells and GetCellFormula: those load
// the whole worksheet into memory: for an 84,000-row, 12-column sheet,
// GetColVisible alone took 6 s and kept 430 MB of heap; this pass takes
// about 1 s and a few MB (the rows iterator itself about 2 s).

// cellRange is a merged range: rows 1-based, columns 0-based, inclusive.
type cellRange struct{ top, left, bottom, right int }

func (m cellRange) contains(r, c int) bool {
	return r >= m.top && r <= m.bottom && c >= m.left && c <= m.right
}

// cellKey locates a cell: row 1-based, column 0-based.
type cellKey struct{ row, col int }

// sheetMeta is what the rows iterator does not tell about a sheet.
type sheetMeta struct {
	hidden map[int]bool // 0-based column indexes
	// merges holds the merged ranges that start in the header area.
	merges []cellRange
	// formulas holds cells that have a formula and no cached value, with
	// the formula text ("" for a shared formula written on another cell).
	formulas map[cellKey]string
	// styles holds the style index of styled cells in the header area,
	// to tell a date-formatted title cell.
	styles map[cellKey]int
	// cells counts cells with a value, inline text or formula.
	cells int
}

// scanLimits bound what scanSheet accepts.
type scanLimits struct {
	maxRows int
	// sst gives the length of each shared string, for the text bounds;
	// nil when the workbook has none.
	sst *sharedStrings
}

// scanSheet reads the sheet XML once, as a stream. It is also where a
// sheet's size is bounded before excelize reads it: more rows with a value
// than lim.maxRows is a *FileError (too_many_rows); a row or sheet with
// more text than maxRowText or maxSheetText, a text node or tag over
// maxTokenRun, or more formulas without a value than maxFormulaCells is a
// *FileError (too_large).
func scanSheet(zf *zip.File, lim scanLimits) (*sheetMeta, error) {
	rc, err := openPart(zf)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	m := &sheetMeta{hidden: map[int]bool{}, formulas: map[cellKey]string{}, styles: map[cellKey]int{}}
	d := xml.NewDecoder(rc)
	var (
		row, col         int
		inF, inV         bool
		hasF, hasV, hasS bool
		shared           bool // a t="s" cell: its <v> is a shared string index
		value            strings.Builder
		formula          strings.Builder
		style            int
		hidden           [][2]int
		dataRows         int
		lastDataRow      = -1
		rowText          int64
		sheetText        int64
	)
	addText := func(n int64) error {
		rowText += n
		sheetText += n
		switch {
		case rowText > maxRowText:
			return tooLarge("row %d holds more than %d bytes of text", row, maxRowText)
		case sheetText > maxSheetText:
			return tooLarge("the sheet holds more than %d bytes of text", maxSheetText)
		}
		return nil
	}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			m.setHidden(hidden)
			return m, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "col":
				if isTrue(attr(t, "hidden")) && len(hidden) < maxHiddenRanges {
					lo, _ := strconv.Atoi(attr(t, "min"))
					hi, _ := strconv.Atoi(attr(t, "max"))
					hidden = append(hidden, [2]int{max(lo, 1), min(hi, excelize.MaxColumns)})
				}
			case "row":
				if r, err := strconv.Atoi(attr(t, "r")); err == nil {
					row = r
				} else {
					row++
				}
				col = -1
				rowText = 0
			case "c":
				col++
				if ref := attr(t, "r"); ref != "" {
					c, r, err := excelize.CellNameToCoordinates(ref)
					if err != nil {
						return nil, fmt.Errorf("cell reference %q: %w", ref, err)
					}
					if r != row {
						rowText = 0
					}
					row, col = r, c-1
				}
				hasF, hasV, hasS = false, false, false
				shared = attr(t, "t") == "s"
				formula.Reset()
				value.Reset()
				style, _ = strconv.Atoi(attr(t, "s"))
			case "f":
				inF, hasF = true, true
			case "v":
				inV = true
			case "is":
				hasS = true
			case "mergeCell":
				if r, ok := parseRange(attr(t, "ref")); ok && r.top <= headerScanRows+1 && len(m.merges) < maxHeaderMerges {
					m.merges = append(m.merges, r)
				}
			}
		case xml.CharData:
			switch {
			case inF:
				if formula.Len() < 256 { // kept for a finding's text only
					formula.Write(t[:min(len(t), 256)])
				}
			case inV && shared:
				if value.Len() < 32 {
					value.Write(t[:min(len(t), 32)])
				}
			case inV && strings.TrimSpace(string(t)) != "":
				hasV = true
			}
			if !shared || !inV {
				if err := addText(int64(len(t))); err != nil {
					return nil, err
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "f":
				inF = false
			case "v":
				inV = false
				if shared && strings.TrimSpace(value.String()) != "" {
					hasV = true
					if err := addText(lim.sst.textOf(value.String())); err != nil {
						return nil, err
					}
				}
			case "c":
				if hasF || hasV || hasS {
					m.cells++
					if row != lastDataRow {
						lastDataRow = row
						if dataRows++; dataRows > lim.maxRows {
							return nil, &jkn.FileError{Reason: jkn.ReasonTooManyRows, Err: fmt.Errorf(
								"more than %d rows with values (limits.max_rows): split the sheet, or raise the limit", lim.maxRows)}
						}
					}
				}
				key := cellKey{row, col}
				if hasF && !hasV {
					if len(m.formulas) >= maxFormulaCells {
						return nil, tooLarge("more than %d formula cells have no cached value: open and save the file in Excel or LibreOffice", maxFormulaCells)
					}
					m.formulas[key] = strings.TrimSpace(formula.String())
				}
				if style > 0 && row <= headerScanRows {
					m.styles[key] = style
				}
			}
		}
	}
}

// setHidden marks the hidden columns of <col> ranges, merged first so
// that overlapping ranges cost no more than the columns they cover.
func (m *sheetMeta) setHidden(ranges [][2]int) {
	sort.Slice(ranges, func(i, j int) bool { return ranges[i][0] < ranges[j][0] })
	next := 1 // the first column not yet marked
	for _, r := range ranges {
		for c := max(r[0], next); c <= r[1]; c++ {
			m.hidden[c-1] = true
		}
		next = max(next, r[1]+1)
	}
}

// attr returns an attribute's value by local name.
func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func isTrue(s string) bool { return s == "1" || s == "true" }

// parseRange reads "A1:C2" (or a single cell "B3").
func parseRange(ref string) (cellRange, bool) {
	from, to, found := strings.Cut(ref, ":")
	if !found {
		to = from
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(from)
	c2, r2, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil {
		return cellRange{}, false
	}
	return cellRange{top: min(r1, r2), left: min(c1, c2) - 1, bottom: max(r1, r2), right: max(c1, c2) - 1}, true
}

// cellName is "C5" for row 5, column index 2.
func cellName(row, col int) string { return jkn.ColumnLetter(col) + strconv.Itoa(row) }
