package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// The shared strings table: counted first, as bytes, so that a table too
// large to parse is rejected before anything parses it; then read by the
// fast path into one arena (or by excelize, on the slow path).

// sharedStrings is what the shared strings table holds, counted without
// parsing it.
type sharedStrings struct {
	zf *zip.File
	// lens is each string's length in bytes (an upper bound: markup inside
	// the item, such as rich-text runs, is not counted; entities are).
	lens []int32
}

// countSharedStrings reads the shared strings table as bytes, counting
// its items (<si>, any prefix) and their text, so that a table too large
// to parse is rejected before anything parses it. Comments and CDATA that
// contain "<si" count too: only a hostile file has them, and it is then
// counted high, never low.
func countSharedStrings(zf *zip.File, limit int) (*sharedStrings, error) {
	rc, err := openPart(zf)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	ss := &sharedStrings{zf: zf}
	var (
		buf    = make([]byte, 64<<10)
		inTag  bool
		name   []byte // the element name of the tag being read, up to 16 bytes
		naming bool
		inItem bool
		cur    int64
	)
	endName := func() {
		naming = false
		n := name
		end := len(n) > 0 && n[0] == '/'
		if end {
			n = n[1:]
		}
		if i := bytes.IndexByte(n, ':'); i >= 0 {
			n = n[i+1:]
		}
		if string(n) != "si" {
			return
		}
		if inItem {
			ss.lens[len(ss.lens)-1] = int32(min(cur, 1<<31-1))
		}
		inItem, cur = !end, 0
		if !end {
			ss.lens = append(ss.lens, 0)
		}
	}
	for {
		n, err := rc.Read(buf)
		for _, c := range buf[:n] {
			switch {
			case c == '<':
				inTag, naming, name = true, true, name[:0]
			case inTag && c == '>':
				if naming {
					endName()
				}
				inTag = false
			case inTag && naming:
				if c == ' ' || c == '\t' || c == '\n' || c == '\r' || (c == '/' && len(name) > 0) {
					endName()
				} else if len(name) < 16 {
					name = append(name, c)
				}
			case !inTag && inItem:
				cur++
			}
		}
		if len(ss.lens) > limit {
			return nil, read.TooLarge("the shared strings table holds more than %d strings (limits.max_shared_strings)", limit)
		}
		if errors.Is(err, io.EOF) {
			if inItem {
				ss.lens[len(ss.lens)-1] = int32(min(cur, 1<<31-1))
			}
			return ss, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// badIndex is the rejection of a shared-string cell whose index is not in
// the table (negative, past its end, not a number, or no table at all):
// excelize reads such a cell as blank, which would drop a region's figure
// without a word.
func badIndex(col, row int, raw string, n int) error {
	cell, _ := excelize.CoordinatesToCellName(col, row)
	return read.Reject(jkn.ReasonCorrupt, "cell %s: shared-string index %q is outside the table of %d strings: save the workbook again from the spreadsheet program", cell, raw, n)
}

// has reports whether raw is the index of a string in the table.
func (ss *sharedStrings) has(raw string) bool {
	if ss == nil {
		return false
	}
	i, err := strconv.Atoi(strings.TrimSpace(raw))
	return err == nil && i >= 0 && i < len(ss.lens)
}

// count is the number of strings in the table (0 without one).
func (ss *sharedStrings) count() int {
	if ss == nil {
		return 0
	}
	return len(ss.lens)
}

// textOf returns the length of shared string i, 0 when out of range.
func (ss *sharedStrings) textOf(raw string) int64 {
	if ss == nil {
		return int64(len(raw))
	}
	i, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || i < 0 || i >= len(ss.lens) {
		return int64(len(raw))
	}
	return int64(ss.lens[i])
}

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
		// Over max_unzip_xml_bytes the table is not held in memory (700
		// one-megabyte strings in a 0.7 MB file held 1.2 GB): the slow
		// path reads it from a temporary file.
		if _, xmlPart := p.lim.Unzip(); size > xmlPart {
			p.fastSST = &fastStrings{err: unsupported("shared strings over max_unzip_xml_bytes")}
			return p.fastSST, nil
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
