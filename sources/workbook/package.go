package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/richardlehane/mscfb"
)

var (
	zipMagic = []byte("PK")
	// cfbMagic starts an OLE compound file: an old .xls, or an .xlsx
	// encrypted with a password.
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
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
	// sst is the shared strings table, counted; nil when there is none.
	sst *sharedStrings
	// stylesPath is the styles part ("" when none); dates caches which
	// cell styles show a date (see dateStyles).
	stylesPath string
	dates      []bool
	// fastSST is the shared strings table as the fast path reads it
	// (fastsheet.go), read once.
	fastSST *fastStrings
}

func (p *pkg) entry(name string) *zip.File { return p.entries[strings.ToLower(name)] }

// limits returns the unzip limits in force, excelize's rule that the XML
// limit is at most the total applied.
func limits(opts Options) (total, xmlPart int64) {
	total, xmlPart = opts.UnzipSizeLimit, opts.UnzipXMLSizeLimit
	if total <= 0 {
		total = DefaultUnzipSizeLimit
	}
	if xmlPart <= 0 {
		xmlPart = DefaultUnzipXMLSizeLimit
	}
	return total, min(xmlPart, total)
}

// openPackage tells what the bytes are and, for an .xlsx, reads its
// structure. Errors are *FileError. It checks the unzip limit itself,
// before excelize unpacks anything, so an oversized file leaves no
// temporary files behind.
func openPackage(name string, data []byte, opts Options) (*pkg, error) {
	reject := func(reason string, format string, args ...any) error {
		return &jkn.FileError{File: name, Reason: reason, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case len(data) == 0:
		return nil, reject(jkn.ReasonEmpty, "the file is empty (0 bytes)")
	case bytes.HasPrefix(data, cfbMagic):
		return nil, classifyCFB(name, data)
	case !bytes.HasPrefix(data, zipMagic):
		return nil, reject(jkn.ReasonNotXLSX, "%s", describeNotZip(data))
	}
	if n, ok := declaredEntries(data); ok && n > maxZipEntries {
		return nil, reject(jkn.ReasonTooLarge, "the archive holds %d entries, more than the %d a workbook needs", n, maxZipEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, reject(jkn.ReasonCorrupt, "damaged or truncated zip archive: %w", err)
	}
	if len(zr.File) > maxZipEntries {
		return nil, reject(jkn.ReasonTooLarge, "the archive holds %d entries, more than the %d a workbook needs", len(zr.File), maxZipEntries)
	}
	total, _ := limits(opts)
	var sum uint64
	p := &pkg{zip: zr, entries: map[string]*zip.File{}}
	for _, zf := range zr.File {
		sum += zf.UncompressedSize64
		if sum > uint64(total) {
			return nil, reject(jkn.ReasonTooLarge, "unpacks to more than the limit of %d bytes", total)
		}
		p.entries[strings.ToLower(zf.Name)] = zf
	}
	if mt := p.entry("mimetype"); mt != nil {
		if b, err := readEntry(mt); err == nil && strings.Contains(string(b), "opendocument.spreadsheet") {
			return nil, reject(jkn.ReasonNotXLSX, "an OpenDocument spreadsheet (.ods), not an .xlsx workbook: save it as .xlsx")
		}
	}
	if err := p.readWorkbook(); err != nil {
		var fe *jkn.FileError
		if errors.As(err, &fe) {
			fe.File = name
			return nil, fe
		}
		return nil, reject(jkn.ReasonCorrupt, "%w", err)
	}
	// The path excelize reads the shared strings from.
	if zf := p.entry("xl/sharedStrings.xml"); zf != nil {
		if p.sst, err = countSharedStrings(zf, opts.maxSharedStrings()); err != nil {
			var fe *jkn.FileError
			if errors.As(err, &fe) {
				fe.File = name
				return nil, fe
			}
			return nil, reject(jkn.ReasonCorrupt, "reading the shared strings: %w", err)
		}
	}
	return p, nil
}

// classifyCFB tells a password-protected .xlsx (an OLE compound file with
// an EncryptedPackage stream) from an old binary .xls.
func classifyCFB(name string, data []byte) error {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return &jkn.FileError{File: name, Reason: jkn.ReasonCorrupt, Err: fmt.Errorf("damaged OLE compound file: %w", err)}
	}
	for _, e := range doc.File {
		if e.Name == "EncryptedPackage" {
			return &jkn.FileError{File: name, Reason: jkn.ReasonEncrypted, Err: errors.New("password-protected: send it without a password")}
		}
	}
	return &jkn.FileError{File: name, Reason: jkn.ReasonNotXLSX, Err: errors.New("old .xls format: save it as .xlsx")}
}

// describeNotZip says what a file that is not a zip archive looks like,
// so the sender knows how to fix it.
func describeNotZip(data []byte) string {
	head := data[:min(len(data), 4096)]
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if !looksLikeText(head) {
		return "not an .xlsx workbook (not a zip archive)"
	}
	lower := strings.ToLower(string(head))
	trimmed := strings.TrimSpace(lower)
	switch {
	case strings.HasPrefix(trimmed, "<!doctype html"), strings.HasPrefix(trimmed, "<html"), strings.Contains(lower, "<table"):
		return "not an .xlsx workbook (an HTML page with a spreadsheet name): open it in Excel or LibreOffice and save it as .xlsx"
	case strings.HasPrefix(trimmed, "<?xml"):
		return "not an .xlsx workbook (an XML file, perhaps Excel 2003 XML): open it in Excel or LibreOffice and save it as .xlsx"
	}
	if looksLikeCSV(lower) {
		return "not an .xlsx workbook (a CSV text file renamed to .xlsx): open it in Excel or LibreOffice and save it as .xlsx"
	}
	return "not an .xlsx workbook (a text file, not a zip archive)"
}

// looksLikeCSV reports whether the first lines split into the same number
// (more than one) of fields on one separator, as a CSV export does.
func looksLikeCSV(text string) bool {
	lines := strings.Split(strings.ReplaceAll(text, "\r", ""), "\n")
	if len(lines) > 5 {
		lines = lines[:5]
	}
	for _, sep := range []string{",", ";", "\t"} {
		n, same := -1, 0
		for _, l := range lines {
			if l == "" {
				continue
			}
			c := strings.Count(l, sep)
			if c == 0 || (n >= 0 && c != n) {
				same = 0
				break
			}
			n = c
			same++
		}
		if same >= 2 {
			return true
		}
	}
	return false
}

// looksLikeText reports whether b has no control bytes other than tabs
// and line ends: text in any 8-bit encoding, not a binary format.
func looksLikeText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return len(b) > 0
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
			return tooLarge("%s lists more than %d relationships", name, limit)
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
			return &jkn.FileError{Reason: jkn.ReasonNotXLSX, Err: errors.New("an .xlsb binary workbook: save it as .xlsx")}
		}
		return &jkn.FileError{Reason: jkn.ReasonNotXLSX, Err: errors.New("a zip archive without an Excel workbook inside (no xl/workbook.xml)")}
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
				return tooLarge("the workbook lists more than %d sheets", maxWorkbookSheets)
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
