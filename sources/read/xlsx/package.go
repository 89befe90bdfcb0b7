package xlsx

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"sync"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// sheetInfo is one sheet of the workbook, in workbook order.
type sheetInfo struct {
	name      string
	path      string // zip entry of the sheet XML
	hidden    bool   // state="hidden" or "veryHidden"
	worksheet bool   // false for chart and dialog sheets
}

// pkg is an opened .xlsx package: its zip entries and workbook structure.
type pkg struct {
	zip      *zip.Reader
	entries  map[string]*zip.File // by lower-case name
	sheets   []sheetInfo
	date1904 bool
	lim      read.Limits
	// sst is the shared strings table, counted; nil when there is none.
	sst *sharedStrings
	// stylesPath is the styles part ("" when none); dates says which cell
	// styles show a date, read once when a styled cell first asks (see
	// dateStyles), from whichever goroutine reads the sheet.
	stylesPath string
	datesOnce  sync.Once
	dates      []bool
	// fastSST is the shared strings table as the fast path reads it
	// (fast.go), read once.
	fastSST *fastStrings
}

func (p *pkg) entry(name string) *zip.File { return p.entries[strings.ToLower(name)] }

// openPackage reads the structure of an .xlsx. Errors are *FileError. It
// checks the unzip limit itself, before excelize unpacks anything, so an
// oversized file leaves no temporary files behind.
func openPackage(data []byte, lim read.Limits) (*pkg, error) {
	if n, ok := declaredEntries(data); ok && n > maxZipEntries {
		return nil, read.TooLarge("the archive holds %d entries, more than the %d a workbook needs", n, maxZipEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, read.Reject(jkn.ReasonCorrupt, "damaged or truncated zip archive: %w", err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, read.TooLarge("the archive holds %d entries, more than the %d a workbook needs", len(zr.File), maxZipEntries)
	}
	total, _ := lim.Unzip()
	var sum uint64
	p := &pkg{zip: zr, entries: map[string]*zip.File{}, lim: lim}
	for _, zf := range zr.File {
		sum += zf.UncompressedSize64
		if sum > uint64(total) {
			return nil, read.TooLarge("unpacks to more than the limit of %d bytes", total)
		}
		// Two entries of one name (names are matched without case) leave
		// which one is the workbook to the reader's order: refuse to guess.
		key := strings.ToLower(zf.Name)
		if prev, dup := p.entries[key]; dup {
			return nil, read.Reject(jkn.ReasonCorrupt, "the archive holds two entries named %q and %q: save the workbook again from the spreadsheet program", prev.Name, zf.Name)
		}
		p.entries[key] = zf
	}
	if mt := p.entry("mimetype"); mt != nil {
		if b, err := readEntry(mt); err == nil && strings.Contains(string(b), "opendocument.spreadsheet") {
			return nil, read.Reject(jkn.ReasonUnsupportedFormat, "an OpenDocument spreadsheet (.ods), not an .xlsx workbook: save it as .xlsx")
		}
	}
	if err := p.readWorkbook(); err != nil {
		if errors.As(err, new(*jkn.FileError)) {
			return nil, err
		}
		return nil, read.Reject(jkn.ReasonCorrupt, "%w", err)
	}
	// The path excelize reads the shared strings from.
	if zf := p.entry("xl/sharedStrings.xml"); zf != nil {
		if p.sst, err = countSharedStrings(zf, lim.SharedStrings()); err != nil {
			if errors.As(err, new(*jkn.FileError)) {
				return nil, err
			}
			return nil, read.Reject(jkn.ReasonCorrupt, "reading the shared strings: %w", err)
		}
	}
	return p, nil
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

// readEntry reads one zip entry whole; openPackage has bounded the sizes.
func readEntry(zf *zip.File) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
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

// eachElementDepth is eachElement for start and end elements: fn gets end
// true for an end element (whose Attr is empty).
func (p *pkg) eachElementDepth(name string, fn func(se xml.StartElement, end bool) error) error {
	zf := p.entry(name)
	if zf == nil {
		return fmt.Errorf("missing part %s", name)
	}
	if zf.UncompressedSize64 > maxStructureBytes {
		return read.TooLarge("%s unpacks to %d bytes, more than the %d a workbook's structure needs: copy the sheet into a new workbook",
			name, zf.UncompressedSize64, maxStructureBytes)
	}
	rc, err := openPart(zf)
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	depth := 0
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
			if depth++; depth > maxXMLDepth {
				return read.TooLarge("%s nests elements more than %d deep: copy the sheet into a new workbook", name, maxXMLDepth)
			}
			if err := fn(t, false); err != nil {
				return err
			}
		case xml.EndElement:
			depth--
			if err := fn(xml.StartElement{Name: t.Name}, true); err != nil {
				return err
			}
		}
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

// Relationship types, transitional and strict OOXML.
const (
	relOfficeDocument       = "/officeDocument"
	relWorksheet            = "/worksheet"
	relStyles               = "/styles"
	defaultWorkbookPartName = "xl/workbook.xml"
)

// relationship is one <Relationship> of a relationships part.
type relationship struct{ id, typ, target string }

// readRels reads a relationships part as a stream, at most max of them.
func (p *pkg) readRels(name string, limit int) ([]relationship, error) {
	var rels []relationship
	err := p.eachElement(name, func(se xml.StartElement) error {
		if se.Name.Local != "Relationship" {
			return nil
		}
		if len(rels) >= limit {
			return read.TooLarge("%s lists more than %d relationships", name, limit)
		}
		rels = append(rels, relationship{id: attr(se, "Id"), typ: attr(se, "Type"), target: attr(se, "Target")})
		return nil
	})
	return rels, err
}

// readWorkbook finds the workbook part through the package relationships
// and lists its sheets with their XML parts. The parts are read as
// streams, with the sheets and relationships counted, so that a hostile
// structure costs neither memory nor quadratic time.
func (p *pkg) readWorkbook() error {
	wbPath := defaultWorkbookPartName
	if root, err := p.readRels("_rels/.rels", 64); err == nil {
		for _, r := range root {
			if strings.HasSuffix(r.typ, relOfficeDocument) {
				wbPath = strings.TrimPrefix(r.target, "/")
			}
		}
	} else if errors.As(err, new(*jkn.FileError)) {
		return err
	}
	if p.entry(wbPath) == nil {
		if strings.HasSuffix(wbPath, ".bin") || p.entry("xl/workbook.bin") != nil {
			return read.Reject(jkn.ReasonUnsupportedFormat, "an .xlsb binary workbook: save it as .xlsx")
		}
		return read.Reject(jkn.ReasonUnsupportedFormat, "a zip archive without an Excel workbook inside (no xl/workbook.xml)")
	}
	type sheetRef struct{ name, state, id string }
	var refs []sheetRef
	depth, sheetsAt := 0, -1 // the depth of <sheets>, -1 outside it
	err := p.eachElementDepth(wbPath, func(se xml.StartElement, end bool) error {
		if end {
			depth--
			if depth == sheetsAt {
				sheetsAt = -1
			}
			return nil
		}
		depth++
		switch {
		case se.Name.Local == "workbookPr":
			v := attr(se, "date1904")
			p.date1904 = v == "1" || v == "true"
		case se.Name.Local == "sheets" && sheetsAt < 0:
			sheetsAt = depth - 1
		case se.Name.Local == "sheet" && sheetsAt >= 0 && depth == sheetsAt+2:
			if len(refs) >= maxWorkbookSheets {
				return read.TooLarge("the workbook lists more than %d sheets", maxWorkbookSheets)
			}
			ref := sheetRef{name: attr(se, "name"), state: attr(se, "state")}
			for _, a := range se.Attr {
				// r:id, whatever the relationships namespace (transitional or strict).
				if a.Name.Local == "id" && a.Name.Space != "" {
					ref.id = a.Value
				}
			}
			refs = append(refs, ref)
		}
		return nil
	})
	if err != nil {
		if errors.As(err, new(*jkn.FileError)) {
			return err
		}
		return fmt.Errorf("reading %s: %w", wbPath, err)
	}
	relsPath := path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels")
	rels, err := p.readRels(relsPath, 2*maxWorkbookSheets+64)
	if err != nil {
		if errors.As(err, new(*jkn.FileError)) {
			return err
		}
		return fmt.Errorf("reading %s: %w", relsPath, err)
	}
	target := func(r relationship) string {
		if strings.HasPrefix(r.target, "/") {
			return strings.TrimPrefix(r.target, "/")
		}
		return path.Join(path.Dir(wbPath), r.target)
	}
	byID := make(map[string]relationship, len(rels))
	for _, r := range rels {
		byID[r.id] = r // the last of a repeated id, as a linear search would find
		if strings.HasSuffix(r.typ, relStyles) && p.entry(target(r)) != nil {
			p.stylesPath = target(r)
		}
	}
	for _, ref := range refs {
		info := sheetInfo{name: ref.name, hidden: ref.state == "hidden" || ref.state == "veryHidden"}
		if r, ok := byID[ref.id]; ok {
			info.worksheet = strings.HasSuffix(r.typ, relWorksheet)
			info.path = target(r)
		}
		if p.entry(info.path) == nil {
			info.worksheet = false
		}
		p.sheets = append(p.sheets, info)
	}
	return nil
}
