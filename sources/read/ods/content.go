package ods

import (
	"archive/zip"
	"unicode/utf8"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// tableInfo is one sheet of content.xml: its name, whether its style hides
// it, and where its table:table element lies in the part (stream offsets
// of its start tag and of the byte after its end tag), with the namespace
// bindings in force there, so that a sheet is read by unpacking the part
// up to its start and scanning only its own XML.
type tableInfo struct {
	name       string
	hidden     bool
	start, end int64
	bind       *bindings
}

// structure is what the first pass over content.xml finds.
type structure struct {
	tables      []tableInfo
	date1904    bool
	spreadsheet bool // an office:spreadsheet body (not a text or a drawing)
}

// readStructure streams content.xml once: the automatic styles (into st),
// the date system (table:null-date) and the sheets, each skipped after its
// start tag.
func readStructure(zf *zip.File, st *styles) (*structure, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, read.Reject(jkn.ReasonCorrupt, "reading content.xml: %w", err)
	}
	defer rc.Close()
	sc := newScanner(rc, "content.xml", nil)
	out := &structure{}
	// Where in the document the scanner is: the root, office:body,
	// office:spreadsheet; elements deeper than those are read or skipped
	// whole.
	const (
		atRoot = iota + 1
		atBody
		atSpreadsheet
	)
	level := 0
	for {
		if err := sc.next(); err != nil {
			return nil, err
		}
		switch sc.kind {
		case tokEOF:
			return out, nil
		case tokText:
			continue
		case tokEnd:
			level--
			continue
		}
		switch {
		case level == 0:
			// The root, office:document-content.
			if !sc.self {
				level = atRoot
			}
			continue
		case level == atRoot && sc.is(nsOffice, "automatic-styles"):
			err = st.read(sc)
		case level == atRoot && sc.is(nsOffice, "body"):
			if !sc.self {
				level = atBody
			}
			continue
		case level == atBody && sc.is(nsOffice, "spreadsheet"):
			out.spreadsheet = true
			if !sc.self {
				level = atSpreadsheet
			}
			continue
		case level == atSpreadsheet && sc.is(nsTable, "calculation-settings"):
			err = readCalculationSettings(sc, out)
		case level == atSpreadsheet && sc.is(nsTable, "table"):
			err = addTable(sc, st, out)
		default:
			err = sc.skip()
		}
		if err != nil {
			return nil, err
		}
	}
}

// addTable records the table:table element just started and skips it.
func addTable(sc *scanner, st *styles, out *structure) error {
	if len(out.tables) >= maxSheets {
		return read.TooLarge("content.xml lists more than %d sheets", maxSheets)
	}
	t := tableInfo{start: sc.at, bind: sc.outerBindings()}
	raw, _ := sc.attr(nsTable, "name")
	name, err := appendText(nil, raw)
	if err == nil {
		err = checkText(name)
	}
	if err != nil {
		return read.Reject(jkn.ReasonCorrupt, "content.xml: sheet %d: its name holds %v", len(out.tables)+1, err)
	}
	if len(name) > maxNameBytes {
		cut := maxNameBytes
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut]
	}
	t.name = string(name)
	if style, ok := sc.attr(nsTable, "style-name"); ok {
		t.hidden = st.hidden[string(style)]
	}
	if err := sc.skip(); err != nil {
		return err
	}
	t.end = sc.offset()
	out.tables = append(out.tables, t)
	return nil
}

// readCalculationSettings reads the date system from the
// table:calculation-settings element just started: a table:null-date of
// 1904-01-01 is the 1904 system; the default, 1899-12-30, and any other
// are the 1900 system (date values are given as dates, so only the
// serial numbers of the book's system depend on it).
func readCalculationSettings(sc *scanner, out *structure) error {
	if sc.self {
		return nil
	}
	depth := sc.depth()
	for {
		if err := sc.next(); err != nil {
			return err
		}
		switch {
		case sc.kind == tokEnd && sc.depth() < depth:
			return nil
		case sc.kind == tokStart && sc.is(nsTable, "null-date") && sc.depth() == depth:
			v, _ := sc.attr(nsTable, "date-value")
			out.date1904 = len(v) >= 10 && string(v[:10]) == "1904-01-01"
			if err := sc.skip(); err != nil {
				return err
			}
		case sc.kind == tokStart:
			if err := sc.skip(); err != nil {
				return err
			}
		}
	}
}
