package xlsx

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// cellKind types a cell from what its XML holds: its t attribute, whether
// it has a formula (<f>), a value that is not blank (<v>; for a shared
// string, its index) and an inline string (<is>), and whether the text
// excelize's rows iterator shows for it (RawCellValue) is empty or blank
// (spaces only). Both paths type cells by it.
//
// A cell without a formula, a value or an inline string is Blank, even
// when excelize shows text for it (a <v> of spaces): the parser reads
// such text as empty anyway. A formula without a value whose shown text
// is blank is a Formula. Otherwise the t attribute decides; an empty
// shown text (an empty inline string) is Text.
func cellKind(t string, hasF, hasV, hasIS, shownEmpty, shownBlank bool) read.Kind {
	switch {
	case !hasF && !hasV && !hasIS:
		return read.Blank
	case hasF && !hasV && shownBlank:
		return read.Formula
	case shownEmpty:
		return read.Text
	}
	switch t {
	case "s", "inlineStr", "str", "d": // "d": an ISO 8601 date, as text
		return read.Text
	case "b":
		return read.Bool
	case "e":
		return read.Error
	}
	return read.Number
}

// cellType returns a t attribute as a string, without allocating for the
// values it takes.
func cellType(b []byte) string {
	switch string(b) {
	case "":
		return ""
	case "s":
		return "s"
	case "n":
		return "n"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	}
	return string(b)
}

// formulaText is the text of a formula without a value kept for a
// finding: trimmed, at most maxFormulaText bytes.
func formulaText(f []byte) string {
	return strings.TrimSpace(string(f[:min(len(f), maxFormulaText)]))
}

// fastCell is one cell of the row being read: its shown text is
// arena[start:end].
type fastCell struct {
	col        int // 1-based
	start, end int
	kind       read.Kind
	date       bool
	formula    string // for a Formula
}

// cell reads the <c> element just started in row n; prev is the column
// (1-based) of the cell before it. It returns the cell's column, and
// appends the cell to r.cells unless it is blank.
func (r *rowParser) cell(n, prev int) (int, error) {
	sc := r.sc
	if err := checkPlainAttrs(sc); err != nil {
		return 0, err
	}
	col := prev + 1
	if ref, ok := sc.attr("r"); ok {
		c, row, ok := parseCellRef(ref)
		if !ok || row != n {
			return 0, unsupported("cell reference " + strconv.Quote(string(ref)))
		}
		col = c
	}
	if col <= prev || col > excelize.MaxColumns {
		return 0, unsupported("cells out of order")
	}
	style := 0
	if sv, ok := sc.attr("s"); ok {
		var err error
		if style, err = strconv.Atoi(string(sv)); err != nil {
			return 0, unsupported("style " + strconv.Quote(string(sv)))
		}
	}
	typ, _ := sc.attr("t")
	t := cellType(typ)
	isShared, isInline := t == "s", t == "inlineStr"

	var (
		hasF, hasV, hasIS bool
		v, is, formula    []byte // decoded
	)
	start := len(r.arena)
	if !sc.selfClose {
		for {
			if err := sc.next(); err != nil {
				return 0, err
			}
			if sc.kind == tokEnd {
				break
			}
			if sc.kind == tokText {
				// Text directly in <c> is ignored, as by excelize.
				if err := r.text(int64(len(sc.text))); err != nil {
					return 0, err
				}
				continue
			}
			var err error
			switch string(sc.name) {
			case "f":
				if hasF {
					return 0, unsupported("two <f> in a cell")
				}
				hasF = true
				formula, err = readTextElement(sc, nil)
			case "v":
				if hasV {
					return 0, unsupported("two <v> in a cell")
				}
				hasV = true
				at := len(r.arena)
				r.arena, err = readTextElement(sc, r.arena)
				v = r.arena[at:]
			case "is":
				if hasIS {
					return 0, unsupported("two <is> in a cell")
				}
				hasIS = true
				at := len(r.arena)
				r.arena, err = readStringItem(sc, r.arena)
				is = r.arena[at:]
			default:
				return 0, unsupported("<" + string(sc.name) + "> inside <c>")
			}
			if err != nil {
				return 0, err
			}
		}
	}
	// The text the slow path's scan counts: a shared string by its table
	// entry, any other text as written (the decoded length, never more).
	if isShared && r.p.sst != nil {
		if err := r.text(r.p.sst.textOf(string(v)) + int64(len(formula))); err != nil {
			return 0, err
		}
	} else if err := r.text(int64(len(v) + len(is) + len(formula))); err != nil {
		return 0, err
	}
	if bytes.Contains(v, []byte("_x")) && isInline && !hasIS {
		// excelize unescapes only strings; a raw value is not touched.
		return 0, unsupported("_xHHHH_ escape in a value")
	}

	// What the slow path's scan counts as a value: a <v> of spaces is none.
	valued := len(bytes.TrimSpace(v)) > 0
	if hasF && !valued {
		if r.formulas++; r.formulas >= maxFormulaCells {
			return 0, unsupported("too many formulas without a value")
		}
	}

	// What excelize's rows iterator shows, with RawCellValue.
	switch {
	case isShared && len(v) > 0:
		if r.sst.err != nil {
			return 0, r.sst.err
		}
		idx, err := strconv.Atoi(strings.TrimSpace(string(v)))
		if err != nil || idx < 0 || idx >= r.sst.len() {
			return 0, badIndex(col, n, strings.TrimSpace(string(v)), r.sst.len())
		}
		r.arena = append(r.arena[:start], r.sst.get(idx)...)
	case isInline && hasIS:
		r.arena = append(r.arena[:start], is...)
	default:
		r.arena = append(r.arena[:start], v...)
	}
	c := fastCell{col: col, start: start, end: len(r.arena)}
	shown := r.arena[start:]
	c.kind = cellKind(t, hasF, valued, hasIS, len(shown) == 0, len(bytes.TrimSpace(shown)) == 0)
	switch c.kind {
	case read.Blank:
		r.arena = r.arena[:start]
		return col, nil
	case read.Formula:
		c.formula = formulaText(formula)
	}
	c.date = r.p.isDateStyle(style)
	r.cells = append(r.cells, c)
	return col, nil
}
