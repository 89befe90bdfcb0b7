package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// The layout pass of the fast path: hidden columns and merged ranges, from
// the whole sheet XML, since the merges come after the rows. It runs in its
// own goroutine beside the rows (fastSheet.Layout waits for it).

// layout reads the sheet's hidden columns and merged ranges into out. It
// skips over <sheetData>, which the rows reader checks, and refuses cell
// elements outside it, which the slow path's scan would count. The caps
// are the slow path's.
//
// stop, when set, ends it early (the sheet is no longer wanted).
func layout(zf *zip.File, out *read.Layout, stop *atomic.Bool) error {
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
			out.Hidden = hiddenColumns(hidden)
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
			if r, ok := ParseRange(string(ref)); ok && r.Top <= read.MergeRows {
				if len(out.Merges) >= read.MaxMerges {
					return unsupported("too many merged ranges")
				}
				out.Merges = append(out.Merges, r)
			}
		case "row", "c", "f", "v", "is":
			return unsupported("cell element outside <sheetData>")
		}
	}
}

// errStopped ends a pass whose sheet is no longer wanted.
var errStopped = errors.New("stopped")

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

// checkPlainAttrs refuses the attributes the fast path reads when they
// come twice or with a namespace prefix: which one excelize or the slow
// path's scan would take is not worth reproducing.
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

// hiddenColumns marks the hidden columns of <col> ranges (1-based,
// inclusive), merged first so that overlapping ranges cost no more than
// the columns they cover.
func hiddenColumns(ranges [][2]int) map[int]bool {
	hidden := map[int]bool{}
	sort.Slice(ranges, func(i, j int) bool { return ranges[i][0] < ranges[j][0] })
	next := 1 // the first column not yet marked
	for _, r := range ranges {
		for c := max(r[0], next); c <= r[1]; c++ {
			hidden[c-1] = true
		}
		next = max(next, r[1]+1)
	}
	return hidden
}

// ParseRange reads an A1-style range "A1:C2" (or a single cell "B3") as
// a read.Range; ok is false when either end is not a cell name.
func ParseRange(ref string) (read.Range, bool) {
	from, to, found := strings.Cut(ref, ":")
	if !found {
		to = from
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(from)
	c2, r2, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil {
		return read.Range{}, false
	}
	return read.Range{Top: min(r1, r2), Left: min(c1, c2) - 1, Bottom: max(r1, r2), Right: max(c1, c2) - 1}, true
}
