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

	"github.com/richardlehane/mscfb"
)

// File-level rejection reasons, the `reason` label of
// jkn_source_ingest_errors_total.
const (
	ReasonNotXLSX   = "not_xlsx"
	ReasonEncrypted = "encrypted"
	ReasonEmpty     = "empty"
	ReasonNoTable   = "no_table"
	ReasonCorrupt   = "corrupt"
	ReasonTooLarge  = "too_large"
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
		return &FileError{File: name, Reason: reason, Err: fmt.Errorf(format, args...)}
	}
	switch {
	case len(data) == 0:
		return nil, reject(ReasonEmpty, "the file is empty (0 bytes)")
	case bytes.HasPrefix(data, cfbMagic):
		return nil, classifyCFB(name, data)
	case !bytes.HasPrefix(data, zipMagic):
		return nil, reject(ReasonNotXLSX, "%s", describeNotZip(data))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, reject(ReasonCorrupt, "damaged or truncated zip archive: %w", err)
	}
	total, _ := limits(opts)
	var sum uint64
	p := &pkg{zip: zr, entries: map[string]*zip.File{}}
	for _, zf := range zr.File {
		sum += zf.UncompressedSize64
		if sum > uint64(total) {
			return nil, reject(ReasonTooLarge, "unpacks to more than the limit of %d bytes", total)
		}
		p.entries[strings.ToLower(zf.Name)] = zf
	}
	if mt := p.entry("mimetype"); mt != nil {
		if b, err := readEntry(mt); err == nil && strings.Contains(string(b), "opendocument.spreadsheet") {
			return nil, reject(ReasonNotXLSX, "an OpenDocument spreadsheet (.ods), not an .xlsx workbook: save it as .xlsx")
		}
	}
	if err := p.readWorkbook(); err != nil {
		var fe *FileError
		if errors.As(err, &fe) {
			fe.File = name
			return nil, fe
		}
		return nil, reject(ReasonCorrupt, "%w", err)
	}
	return p, nil
}

// classifyCFB tells a password-protected .xlsx (an OLE compound file with
// an EncryptedPackage stream) from an old binary .xls.
func classifyCFB(name string, data []byte) error {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return &FileError{File: name, Reason: ReasonCorrupt, Err: fmt.Errorf("damaged OLE compound file: %w", err)}
	}
	for _, e := range doc.File {
		if e.Name == "EncryptedPackage" {
			return &FileError{File: name, Reason: ReasonEncrypted, Err: errors.New("password-protected: send it without a password")}
		}
	}
	return &FileError{File: name, Reason: ReasonNotXLSX, Err: errors.New("old .xls format: save it as .xlsx")}
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
	defaultWorkbookPartName = "xl/workbook.xml"
)

type xmlRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

type xmlWorkbook struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		State string     `xml:"state,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

// readWorkbook finds the workbook part through the package relationships
// and lists its sheets with their XML parts.
func (p *pkg) readWorkbook() error {
	wbPath := defaultWorkbookPartName
	var root xmlRels
	if err := p.decode("_rels/.rels", &root); err == nil {
		for _, r := range root.Rels {
			if strings.HasSuffix(r.Type, relOfficeDocument) {
				wbPath = strings.TrimPrefix(r.Target, "/")
			}
		}
	}
	if p.entry(wbPath) == nil {
		if strings.HasSuffix(wbPath, ".bin") || p.entry("xl/workbook.bin") != nil {
			return &FileError{Reason: ReasonNotXLSX, Err: errors.New("an .xlsb binary workbook: save it as .xlsx")}
		}
		return &FileError{Reason: ReasonNotXLSX, Err: errors.New("a zip archive without an Excel workbook inside (no xl/workbook.xml)")}
	}
	var wb xmlWorkbook
	if err := p.decode(wbPath, &wb); err != nil {
		return fmt.Errorf("reading %s: %w", wbPath, err)
	}
	p.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	relsPath := path.Join(path.Dir(wbPath), "_rels", path.Base(wbPath)+".rels")
	var rels xmlRels
	if err := p.decode(relsPath, &rels); err != nil {
		return fmt.Errorf("reading %s: %w", relsPath, err)
	}
	for _, s := range wb.Sheets {
		info := sheetInfo{name: s.Name, hidden: s.State == "hidden" || s.State == "veryHidden"}
		var id string
		for _, a := range s.Attrs {
			// r:id, whatever the relationships namespace (transitional or strict).
			if a.Name.Local == "id" && a.Name.Space != "" {
				id = a.Value
			}
		}
		for _, r := range rels.Rels {
			if r.ID != id {
				continue
			}
			info.worksheet = strings.HasSuffix(r.Type, relWorksheet)
			if strings.HasPrefix(r.Target, "/") {
				info.path = strings.TrimPrefix(r.Target, "/")
			} else {
				info.path = path.Join(path.Dir(wbPath), r.Target)
			}
		}
		if p.entry(info.path) == nil {
			info.worksheet = false
		}
		p.sheets = append(p.sheets, info)
	}
	return nil
}

// decode unmarshals one XML part of the package.
func (p *pkg) decode(name string, v any) error {
	zf := p.entry(name)
	if zf == nil {
		return fmt.Errorf("missing part %s", name)
	}
	b, err := readEntry(zf)
	if err != nil {
		return err
	}
	return xml.Unmarshal(b, v)
}
