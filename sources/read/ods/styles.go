package ods

import (
	"archive/zip"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// What the reader takes from the styles: which cell styles show a date or
// a boolean (the cell style's data style, its own or its parent's), and
// which table styles hide their sheet (table:display="false"). A cell's
// style is its own table:style-name, else its row's, else its column's
// table:default-cell-style-name, as the format says.

// Cell flags a style gives.
const (
	flagDate uint8 = 1 << iota // a number:date-style
	flagBool                   // a number:boolean-style
)

// styles are the styles read from styles.xml's common styles and
// content.xml's automatic styles (which win on a name both use).
type styles struct {
	cells  map[string]cellStyle
	data   map[string]uint8 // data style name: its flags
	hidden map[string]bool  // table styles that hide their sheet
	count  int
	// flags are the cell styles' resolved flags, made by resolve.
	flags map[string]uint8
}

type cellStyle struct{ data, parent string }

func newStyles() *styles {
	return &styles{cells: map[string]cellStyle{}, data: map[string]uint8{}, hidden: map[string]bool{}}
}

// readStylesPart reads the common styles of styles.xml.
func (st *styles) readStylesPart(zf *zip.File) error {
	if zf.UncompressedSize64 > maxStructureBytes {
		return read.TooLarge("%s unpacks to %d bytes, more than the %d a workbook's styles need", zf.Name, zf.UncompressedSize64, maxStructureBytes)
	}
	rc, err := zf.Open()
	if err != nil {
		return read.Reject(jkn.ReasonCorrupt, "reading %s: %w", zf.Name, err)
	}
	defer rc.Close()
	sc := newScanner(rc, zf.Name, nil)
	for {
		if err := sc.next(); err != nil {
			return err
		}
		switch {
		case sc.kind == tokEOF:
			return nil
		case sc.kind == tokStart && sc.is(nsOffice, "styles"):
			if err := st.read(sc); err != nil {
				return err
			}
		}
	}
}

// read reads the children of the office:styles or
// office:automatic-styles element just started.
func (st *styles) read(sc *scanner) error {
	if sc.self {
		return nil
	}
	for {
		if err := sc.next(); err != nil {
			return err
		}
		switch sc.kind {
		case tokEnd:
			return nil
		case tokText:
			continue
		}
		st.count++
		if st.count > 2*maxStyles {
			return read.TooLarge("%s lists more than %d styles", sc.part, maxStyles)
		}
		name, _ := sc.attr(nsStyle, "name")
		var err error
		switch {
		case sc.is(nsStyle, "style"):
			err = st.readStyle(sc, string(name))
		case sc.ns == nsNumber:
			switch string(sc.local) {
			case "date-style":
				st.data[string(name)] = flagDate
			case "boolean-style":
				st.data[string(name)] = flagBool
			default:
				st.data[string(name)] = 0
			}
			err = sc.skip()
		default:
			err = sc.skip()
		}
		if err != nil {
			return err
		}
	}
}

// readStyle reads a style:style element just started.
func (st *styles) readStyle(sc *scanner, name string) error {
	family, _ := sc.attr(nsStyle, "family")
	switch string(family) {
	case "table-cell":
		data, _ := sc.attr(nsStyle, "data-style-name")
		parent, _ := sc.attr(nsStyle, "parent-style-name")
		st.cells[name] = cellStyle{data: string(data), parent: string(parent)}
		return sc.skip()
	case "table":
		if sc.self {
			return nil
		}
		for {
			if err := sc.next(); err != nil {
				return err
			}
			switch sc.kind {
			case tokEnd:
				return nil
			case tokStart:
				if sc.is(nsStyle, "table-properties") {
					if d, _ := sc.attr(nsTable, "display"); string(d) == "false" {
						st.hidden[name] = true
					}
				}
				if err := sc.skip(); err != nil {
					return err
				}
			}
		}
	}
	return sc.skip()
}

// resolve works out every cell style's flags, following parents.
func (st *styles) resolve() {
	st.flags = make(map[string]uint8, len(st.cells))
	for name := range st.cells {
		cur := name
		for range maxStyleParents {
			cs, ok := st.cells[cur]
			if !ok {
				break
			}
			if cs.data != "" {
				if f := st.data[cs.data]; f != 0 {
					st.flags[name] = f
				}
				break
			}
			cur = cs.parent
		}
	}
}

// cellFlags returns the flags of a cell style by name.
func (st *styles) cellFlags(name []byte) uint8 {
	if len(name) == 0 {
		return 0
	}
	return st.flags[string(name)]
}
