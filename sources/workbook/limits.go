package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// What one workbook may cost. A workbook is a zip of XML parts, and XML
// expands when parsed: measured with excelize v2.11, an 8 MiB styles.xml
// of empty <xf/> elements (a 17 KB file) held 269 MB of heap, and 26 MB of
// empty shared strings 634 MB. Sizes alone do not bound memory, so the
// parser never lets excelize parse a part it does not need (see
// sheetPackage), reads the structure itself as a stream with counts
// bounded, and counts the shared strings before anything parses them.

// Configurable limits (Options), defaults sized for a 2-core,
// small-memory host.
const (
	// DefaultMaxRows bounds the rows with a value in one sheet; a national
	// village sheet has about 84,000.
	DefaultMaxRows = 200_000
	// DefaultMaxSheets bounds the visible worksheets examined for the
	// table, in workbook order.
	DefaultMaxSheets = 32
	// DefaultMaxSharedStrings bounds the shared strings table: a national
	// sheet with names, codes and figures as text has a few hundred
	// thousand.
	DefaultMaxSharedStrings = 1_000_000
)

// Fixed bounds, far above what any real workbook needs, that keep a
// hostile file's cost small whatever the configured limits.
const (
	// maxZipEntries: a workbook of hundreds of sheets has a few thousand.
	maxZipEntries = 20_000
	// maxWorkbookSheets bounds the sheets the workbook may list.
	maxWorkbookSheets = 4096
	// maxStructureBytes bounds each structure part (the relationships, the
	// workbook part, the styles); they are read as streams, so this bounds
	// time, not memory.
	maxStructureBytes = 32 << 20
	// maxTokenRun bounds the bytes between two '<' in a part: an XML
	// decoder holds a whole text node or tag in memory. Excel's longest
	// cell is 32,767 characters, at most 192 KiB escaped.
	maxTokenRun = 1 << 20
	// maxRowText and maxSheetText bound the text of one row and of one
	// sheet, shared strings counted at each reference: excelize copies a
	// shared string for every cell that refers to it.
	maxRowText   = 4 << 20
	maxSheetText = 256 << 20
	// maxFormulaCells bounds the formula cells without a cached value the
	// scan remembers for its findings.
	maxFormulaCells = 250_000
	// maxHeaderMerges bounds the merged ranges kept for header detection;
	// a real header has a few dozen.
	maxHeaderMerges = 4096
	// maxHiddenRanges bounds the <col> ranges read for hidden columns.
	maxHiddenRanges = 16384
	// maxStyles and maxNumFmts bound the styles read for date formats
	// (Excel allows 64,000 cell formats).
	maxStyles  = 65536
	maxNumFmts = 65536
	// inMemorySharedStrings: above this many shared strings, excelize is
	// made to index the table in a temporary file (about 70 bytes of heap
	// a string) rather than parse it into memory (about 300 bytes a string).
	inMemorySharedStrings = 100_000
)

func (o Options) maxRows() int {
	if o.MaxRows > 0 {
		return o.MaxRows
	}
	return DefaultMaxRows
}

func (o Options) maxSheets() int {
	if o.MaxSheets > 0 {
		return o.MaxSheets
	}
	return DefaultMaxSheets
}

func (o Options) maxSharedStrings() int {
	if o.MaxSharedStrings > 0 {
		return o.MaxSharedStrings
	}
	return DefaultMaxSharedStrings
}

// declaredEntries reads the number of entries the archive's end of
// central directory declares (zip64 too), so that an archive of a million
// tiny entries is rejected before archive/zip allocates one header each.
// ok is false when there is no readable record: archive/zip then decides.
func declaredEntries(data []byte) (n uint64, ok bool) {
	const eocdLen, maxComment = 22, 65535
	from := max(0, len(data)-eocdLen-maxComment)
	i := bytes.LastIndex(data[from:], []byte("PK\x05\x06"))
	if i < 0 || from+i+eocdLen > len(data) {
		return 0, false
	}
	eocd := from + i
	n = uint64(binary.LittleEndian.Uint16(data[eocd+10:]))
	if n != 0xFFFF || eocd < 20 || !bytes.Equal(data[eocd-20:eocd-16], []byte("PK\x06\x07")) {
		return n, true
	}
	off := binary.LittleEndian.Uint64(data[eocd-20+8:])
	if len(data) < 56 || off > uint64(len(data)-56) || !bytes.Equal(data[off:off+4], []byte("PK\x06\x06")) {
		return n, true
	}
	return binary.LittleEndian.Uint64(data[off+32:]), true
}

// tooLarge is a FileError for a part over a fixed bound; Parse names the file.
func tooLarge(format string, args ...any) *jkn.FileError {
	return &jkn.FileError{Reason: jkn.ReasonTooLarge, Err: fmt.Errorf(format, args...)}
}

// errTokenRun is the error of a part with a text node or tag over maxTokenRun.
var errTokenRun = fmt.Errorf("a text or tag longer than %d bytes (no cell holds that much)", maxTokenRun)

// runLimitReader fails when more than maxTokenRun bytes pass without a '<'.
type runLimitReader struct {
	r   io.Reader
	run int
}

func (l *runLimitReader) Read(b []byte) (int, error) {
	n, err := l.r.Read(b)
	chunk := b[:n]
	for len(chunk) > 0 {
		i := bytes.IndexByte(chunk, '<')
		if i < 0 {
			l.run += len(chunk)
			break
		}
		l.run = 0
		chunk = chunk[i+1:]
	}
	if l.run > maxTokenRun {
		return n, &jkn.FileError{Reason: jkn.ReasonTooLarge, Err: errTokenRun}
	}
	return n, err
}

// openPart opens a zip entry for a streaming read, bounded by maxTokenRun.
func openPart(zf *zip.File) (io.ReadCloser, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{&runLimitReader{r: rc}, rc}, nil
}

// eachElement calls fn with every start element of a structure part, as
// a stream; it stops at fn's first error.
func (p *pkg) eachElement(name string, fn func(xml.StartElement) error) error {
	return p.eachElementDepth(name, func(se xml.StartElement, end bool) error {
		if end {
			return nil
		}
		return fn(se)
	})
}

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
			return nil, tooLarge("the shared strings table holds more than %d strings (limits.max_shared_strings)", limit)
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

// excelizeSheet is the name of the one sheet of a sheetPackage.
const excelizeSheet = "Sheet1"

// sheetPackage builds the package excelize opens for one sheet: the
// sheet's part and the shared strings, copied compressed as they are,
// under a minimal workbook of that one sheet. excelize then parses no
// structure part of the file (workbook, relationships, styles, theme,
// calculation chain), holds no other sheet and no media in memory, and
// cannot fail on a sheet name it does not like.
func (p *pkg) sheetPackage(s sheetInfo) ([]byte, error) {
	const (
		main = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
		rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
		typ  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) error {
		w, err := zw.Create(name)
		if err == nil {
			_, err = io.WriteString(w, content)
		}
		return err
	}
	copyRaw := func(name string, zf *zip.File) error {
		r, err := zf.OpenRaw()
		if err != nil {
			return err
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zf.Method, CRC32: zf.CRC32,
			CompressedSize64: zf.CompressedSize64, UncompressedSize64: zf.UncompressedSize64})
		if err != nil {
			return err
		}
		_, err = io.Copy(w, r)
		return err
	}
	sst := ""
	if p.sst != nil {
		sst = `<Relationship Id="rId2" Type="` + typ + `sharedStrings" Target="sharedStrings.xml"/>`
	}
	for _, step := range []func() error{
		func() error {
			return add("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
				`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
				`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
				`<Default Extension="xml" ContentType="application/xml"/>`+
				`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
				`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
				`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`)
		},
		func() error {
			return add("_rels/.rels", rels+`<Relationship Id="rId1" Type="`+typ+`officeDocument" Target="xl/workbook.xml"/></Relationships>`)
		},
		func() error {
			return add("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook `+main+`><sheets>`+
				`<sheet name="`+excelizeSheet+`" sheetId="1" r:id="rId1"/></sheets></workbook>`)
		},
		func() error {
			return add("xl/_rels/workbook.xml.rels", rels+`<Relationship Id="rId1" Type="`+typ+`worksheet" Target="worksheets/sheet1.xml"/>`+sst+`</Relationships>`)
		},
		func() error { return copyRaw("xl/worksheets/sheet1.xml", p.entry(s.path)) },
		func() error {
			if p.sst == nil {
				return nil
			}
			return copyRaw("xl/sharedStrings.xml", p.sst.zf)
		},
		zw.Close,
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// spillLimit is the UnzipXMLSizeLimit excelize opens a sheetPackage
// with: the configured one, lowered below the shared strings' size when
// they are too many to parse into memory.
func (p *pkg) spillLimit(opts Options) (total, xmlPart int64) {
	total, xmlPart = limits(opts)
	if p.sst != nil && len(p.sst.lens) > inMemorySharedStrings {
		xmlPart = min(xmlPart, max(int64(p.sst.zf.UncompressedSize64)-1, 1))
	}
	return total, xmlPart
}

// dateStyles reads, once, which cell styles show a date: the styles part
// is read as a stream for the number format of each cell format (cellXfs)
// and the custom format codes, at most maxStyles and maxNumFmts of them.
// A missing or unreadable styles part means no date styles.
func (p *pkg) dateStyles() []bool {
	if p.dates != nil || p.stylesPath == "" {
		return p.dates
	}
	p.dates = []bool{}
	var (
		ids     []int
		custom  = map[int]string{}
		inXfs   bool
		inFmts  bool
		stopped = errors.New("enough styles")
	)
	err := p.eachElementDepth(p.stylesPath, func(se xml.StartElement, end bool) error {
		switch se.Name.Local {
		case "cellXfs":
			inXfs = !end
		case "numFmts":
			inFmts = !end
		case "xf":
			if inXfs && !end {
				if len(ids) >= maxStyles {
					return stopped
				}
				id, _ := strconv.Atoi(attr(se, "numFmtId"))
				ids = append(ids, id)
			}
		case "numFmt":
			if inFmts && !end && len(custom) < maxNumFmts {
				id, err := strconv.Atoi(attr(se, "numFmtId"))
				if err == nil {
					code := attr(se, "formatCode")
					custom[id] = code[:min(len(code), 256)]
				}
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, stopped) {
		return p.dates
	}
	p.dates = make([]bool, len(ids))
	for i, id := range ids {
		p.dates[i] = isDateFormat(id, custom[id])
	}
	return p.dates
}

// isDateStyle reports whether cell style s shows a date.
func (p *pkg) isDateStyle(s int) bool {
	d := p.dateStyles()
	return s >= 0 && s < len(d) && d[s]
}

// eachElementDepth is eachElement for start and end elements: fn gets end
// true for an end element (whose Attr is empty).
func (p *pkg) eachElementDepth(name string, fn func(se xml.StartElement, end bool) error) error {
	zf := p.entry(name)
	if zf == nil {
		return fmt.Errorf("missing part %s", name)
	}
	if zf.UncompressedSize64 > maxStructureBytes {
		return tooLarge("%s unpacks to %d bytes, more than the %d a workbook's structure needs: copy the sheet into a new workbook",
			name, zf.UncompressedSize64, maxStructureBytes)
	}
	rc, err := openPart(zf)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	for {
		// Token, not RawToken: it checks that elements nest, as Unmarshal does.
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := fn(t, false); err != nil {
				return err
			}
		case xml.EndElement:
			if err := fn(xml.StartElement{Name: t.Name}, true); err != nil {
				return err
			}
		}
	}
}
