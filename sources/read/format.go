package read

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"

	"github.com/richardlehane/mscfb"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// Format is one file format the exporter reads.
type Format struct {
	// Name names the format in logs and tests ("xlsx").
	Name string
	// Sniff reports whether data, a whole file, is in this format. It
	// looks at the first bytes (a zip's "PK", a compound file's magic, a
	// CSV's first lines), and further only when the format needs it (a
	// compound file's directory tells an .xls from an encrypted .xlsx);
	// it never looks at the file's name. It must be cheap and must not
	// fail: a file it accepts and Open cannot read is Open's rejection.
	Sniff func(data []byte) bool
	// Open reads the file's structure (its sheets, the date system, the
	// shared strings a format has) and returns the book, or rejects the
	// file with a *jkn.FileError. Sheets are read when Book.Open is called.
	Open func(data []byte, lim Limits) (Book, error)
}

// Registry is the formats a program reads, in the order their Sniff is
// tried: a format whose bytes another's Sniff would also accept (two
// zip-based formats) comes first.
type Registry []Format

// Open reads the file name holds data by the first format whose Sniff
// accepts it. A file no format recognises is rejected saying what it
// looks like. Errors are *jkn.FileError naming the file.
func (r Registry) Open(name string, data []byte, lim Limits) (Book, error) {
	if len(data) == 0 {
		return nil, &jkn.FileError{File: name, Reason: jkn.ReasonEmpty, Err: errors.New("the file is empty (0 bytes)")}
	}
	for _, f := range r {
		if !f.Sniff(data) {
			continue
		}
		b, err := f.Open(data, lim)
		if err != nil {
			var fe *jkn.FileError
			if !errors.As(err, &fe) {
				return nil, &jkn.FileError{File: name, Reason: jkn.ReasonCorrupt, Err: err}
			}
			if fe.File == "" {
				fe.File = name
			}
			return nil, fe
		}
		return b, nil
	}
	fe := unrecognized(data)
	fe.File = name
	return nil, fe
}

var (
	zipMagic = []byte("PK")
	// cfbMagic starts an OLE compound file: an old .xls, or an .xlsx
	// encrypted with a password.
	cfbMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// unrecognized rejects bytes no format of the registry reads with
// unsupported_format, saying what they look like so that the sender knows
// how to fix the file; an encrypted or damaged compound file has its own
// reason.
func unrecognized(data []byte) *jkn.FileError {
	what := ""
	switch {
	case bytes.HasPrefix(data, cfbMagic):
		fe, ok := classifyCFB(data)
		if ok {
			return fe
		}
		what = fe.Err.Error()
	case bytes.HasPrefix(data, zipMagic):
		what = describeZip(data)
	default:
		what = describeNotZip(data)
	}
	return Reject(jkn.ReasonUnsupportedFormat, "%s, in no format the exporter reads (%s): %s", what, readable, advice(what))
}

// readable lists the formats the exporter reads, for the messages.
const readable = ".xlsx, .xls, .ods, CSV, an HTML table"

// advice says what to do with a file of the kind what describes.
func advice(what string) string {
	switch {
	case strings.HasPrefix(what, "a PDF"), strings.HasPrefix(what, "an image"):
		return "send the sheet itself, saved as .xlsx in Excel or LibreOffice, not a print or a scan of it"
	case strings.HasPrefix(what, "a Word"), strings.HasPrefix(what, "a PowerPoint"):
		return "copy the table into a sheet and save it as .xlsx in Excel or LibreOffice"
	}
	return "open it in Excel or LibreOffice and save it as .xlsx"
}

// classifyCFB tells a password-protected .xlsx (an OLE compound file with
// an EncryptedPackage stream) and a damaged compound file, which are
// rejected for what they are (ok), from an old binary .xls (a Workbook or
// Book stream, in a registry without the .xls format) and any other
// compound file (a Word document, an old Office file), whose error says
// what they are.
func classifyCFB(data []byte) (fe *jkn.FileError, ok bool) {
	doc, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return Reject(jkn.ReasonCorrupt, "damaged OLE compound file: %w", err), true
	}
	what := "an OLE compound file that holds no workbook"
	for _, e := range doc.File {
		switch e.Name {
		case "EncryptedPackage":
			return Reject(jkn.ReasonEncrypted, "password-protected: send it without a password"), true
		case "Workbook", "Book":
			what = "an old .xls workbook of a kind this build does not read"
		case "WordDocument":
			return Reject(jkn.ReasonUnsupportedFormat, "a Word document (.doc)"), false
		case "PowerPoint Document":
			return Reject(jkn.ReasonUnsupportedFormat, "a PowerPoint file (.ppt)"), false
		}
	}
	return Reject(jkn.ReasonUnsupportedFormat, "%s", what), false
}

// describeZip says what a zip archive that no format claimed holds, from
// its entry names (the central directory only: nothing is unpacked).
func describeZip(data []byte) string {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "a damaged zip archive"
	}
	for _, f := range z.File {
		switch f.Name {
		case "word/document.xml":
			return "a Word document (.docx)"
		case "ppt/presentation.xml":
			return "a PowerPoint file (.pptx)"
		case "xl/workbook.bin":
			return "an Excel binary workbook (.xlsb)"
		}
	}
	return "a zip archive that holds no workbook"
}

// describeNotZip says what a file that is not a zip archive looks like.
func describeNotZip(data []byte) string {
	head := data[:min(len(data), 4096)]
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	switch {
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return "a PDF document"
	case bytes.HasPrefix(head, []byte("\x89PNG")), bytes.HasPrefix(head, []byte("\xFF\xD8\xFF")),
		bytes.HasPrefix(head, []byte("GIF8")):
		return "an image (a photo or scan)"
	case !looksLikeText(head):
		return "a binary file"
	}
	lower := strings.ToLower(string(head))
	trimmed := strings.TrimSpace(lower)
	switch {
	case strings.HasPrefix(trimmed, "<!doctype html"), strings.HasPrefix(trimmed, "<html"), strings.Contains(lower, "<table"):
		return "an HTML page with no table the exporter can read"
	case strings.HasPrefix(trimmed, "<?xml"):
		return "an XML file (perhaps Excel 2003 XML)"
	}
	if looksLikeCSV(lower) {
		return "a text file like CSV that cannot be read as a table"
	}
	return "a text file that is no table"
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
