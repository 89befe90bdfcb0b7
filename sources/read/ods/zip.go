package ods

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// The zip container of an OpenDocument file: a "mimetype" entry first,
// stored uncompressed, then the XML parts (content.xml holds the sheets).

const (
	mimeSpreadsheet  = "application/vnd.oasis.opendocument.spreadsheet" // and -template
	mimeOpenDocument = "application/vnd.oasis.opendocument."
)

// sniff recognises an OpenDocument spreadsheet: a zip whose first entry
// is the stored mimetype of a spreadsheet (as the format requires and every
// writer does), or, for an archive repacked without that order, a zip with
// a content.xml and no [Content_Types].xml (the part every Office Open XML
// package has).
func sniff(data []byte) bool {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return false
	}
	if mt, ok := firstMimetype(data); ok {
		return strings.HasPrefix(mt, mimeSpreadsheet)
	}
	content, ooxml := false, false
	eachCentralName(data, func(name []byte) bool {
		switch string(name) {
		case "content.xml":
			content = true
		case "[Content_Types].xml":
			ooxml = true
		}
		return !ooxml
	})
	return content && !ooxml
}

// firstMimetype returns the start of the first entry's data when it is a
// stored "mimetype" entry: enough bytes for the longest OpenDocument
// mimetype (a writer that streams the entry puts its size after the data,
// so the size in the header may be 0).
func firstMimetype(data []byte) (string, bool) {
	const header = 30
	if len(data) < header {
		return "", false
	}
	le := binary.LittleEndian
	method := le.Uint16(data[8:])
	nameLen, extraLen := int(le.Uint16(data[26:])), int(le.Uint16(data[28:]))
	if header+nameLen > len(data) || string(data[header:header+nameLen]) != "mimetype" || method != zip.Store {
		return "", false
	}
	from := min(header+nameLen+extraLen, len(data))
	return string(data[from:min(len(data), from+80)]), true
}

// endOfCentralDirectory finds the end-of-central-directory record and
// returns the central directory's offset, size and declared entries (the
// zip64 record's, when there is one). ok is false when there is no
// readable record: archive/zip then decides.
func endOfCentralDirectory(data []byte) (offset, size, entries uint64, ok bool) {
	const eocdLen, maxComment = 22, 65535
	from := max(0, len(data)-eocdLen-maxComment)
	i := bytes.LastIndex(data[from:], []byte("PK\x05\x06"))
	if i < 0 || from+i+eocdLen > len(data) {
		return 0, 0, 0, false
	}
	le := binary.LittleEndian
	eocd := data[from+i:]
	entries = uint64(le.Uint16(eocd[10:]))
	size = uint64(le.Uint32(eocd[12:]))
	offset = uint64(le.Uint32(eocd[16:]))
	at := from + i
	if entries != 0xFFFF && offset != 0xFFFFFFFF || at < 20 || !bytes.Equal(data[at-20:at-16], []byte("PK\x06\x07")) {
		return offset, size, entries, true
	}
	off := le.Uint64(data[at-20+8:])
	if len(data) < 56 || off > uint64(len(data)-56) || !bytes.Equal(data[off:off+4], []byte("PK\x06\x06")) {
		return offset, size, entries, true
	}
	z := data[off:]
	return le.Uint64(z[48:]), le.Uint64(z[40:]), le.Uint64(z[32:]), true
}

// eachCentralName calls fn with the name of each central directory entry,
// at most maxZipEntries of them, until fn returns false. It reads the
// bytes in place: a sniff allocates nothing for an archive's entries.
func eachCentralName(data []byte, fn func(name []byte) bool) {
	offset, size, _, ok := endOfCentralDirectory(data)
	if !ok || offset > uint64(len(data)) || size > uint64(len(data))-offset {
		return
	}
	cd := data[offset : offset+size]
	le := binary.LittleEndian
	for range maxZipEntries {
		if len(cd) < 46 || !bytes.Equal(cd[:4], []byte("PK\x01\x02")) {
			return
		}
		n, extra, comment := int(le.Uint16(cd[28:])), int(le.Uint16(cd[30:])), int(le.Uint16(cd[32:]))
		if 46+n > len(cd) || !fn(cd[46:46+n]) {
			return
		}
		next := 46 + n + extra + comment
		if next > len(cd) {
			return
		}
		cd = cd[next:]
	}
}

// pkg is an opened .ods: its parts.
type pkg struct {
	zr       *zip.Reader
	content  *zip.File
	styles   *zip.File // nil when there is none
	manifest *zip.File
}

// openPackage checks the archive against the bounds before anything is
// unpacked: the entries it declares, what they unpack to in all, names
// given twice (which entry a reader takes is then anybody's guess: the
// file is corrupt), the mimetype, and encryption.
func openPackage(data []byte, lim read.Limits) (*pkg, error) {
	if _, _, n, ok := endOfCentralDirectory(data); ok && n > maxZipEntries {
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
	seen := make(map[string]bool, len(zr.File))
	p := &pkg{zr: zr}
	var mimetype *zip.File
	for _, zf := range zr.File {
		if seen[zf.Name] {
			return nil, read.Reject(jkn.ReasonCorrupt, "the archive holds two entries named %q: save the workbook again", zf.Name)
		}
		seen[zf.Name] = true
		sum += zf.UncompressedSize64
		if sum > uint64(total) || zf.UncompressedSize64 > uint64(total) {
			return nil, read.TooLarge("unpacks to more than the limit of %d bytes (limits.unzip_size_limit)", total)
		}
		switch zf.Name {
		case "content.xml":
			p.content = zf
		case "styles.xml":
			p.styles = zf
		case "META-INF/manifest.xml":
			p.manifest = zf
		case "mimetype":
			mimetype = zf
		}
	}
	if mimetype != nil {
		mt, err := readSmall(mimetype, 256)
		if err != nil {
			return nil, read.Reject(jkn.ReasonCorrupt, "reading the mimetype entry: %w", err)
		}
		if err := checkMimetype(strings.TrimSpace(string(mt))); err != nil {
			return nil, err
		}
	}
	if p.manifest != nil {
		enc, err := encrypted(p.manifest)
		if err != nil {
			return nil, err
		}
		if enc {
			return nil, read.Reject(jkn.ReasonEncrypted, "password-protected: send it without a password")
		}
	}
	if p.content == nil {
		return nil, read.Reject(jkn.ReasonCorrupt, "an OpenDocument archive without content.xml, the part that holds the sheets")
	}
	return p, nil
}

// checkMimetype rejects an OpenDocument file that is not a spreadsheet.
func checkMimetype(mt string) error {
	if strings.HasPrefix(mt, mimeSpreadsheet) {
		return nil
	}
	what := "an OpenDocument file (" + clip([]byte(mt)) + ")"
	switch strings.TrimPrefix(mt, mimeOpenDocument) {
	case "text", "text-template":
		what = "an OpenDocument text document (.odt)"
	case "presentation", "presentation-template":
		what = "an OpenDocument presentation (.odp)"
	case "graphics", "graphics-template":
		what = "an OpenDocument drawing (.odg)"
	}
	return read.Reject(jkn.ReasonUnsupportedFormat, "%s, not a spreadsheet: put the table in a spreadsheet and save it as .ods or .xlsx", what)
}

// readSmall reads an entry of at most limit bytes.
func readSmall(zf *zip.File, limit int64) ([]byte, error) {
	if zf.UncompressedSize64 > uint64(limit) {
		return nil, read.TooLarge("%s unpacks to %d bytes, more than the %d it needs", zf.Name, zf.UncompressedSize64, limit)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, limit))
}

// encrypted reports whether the manifest gives encryption data for
// content.xml: a password-protected file, whose parts are not XML.
func encrypted(zf *zip.File) (bool, error) {
	if zf.UncompressedSize64 > maxStructureBytes {
		return false, read.TooLarge("%s unpacks to %d bytes, more than the %d it needs", zf.Name, zf.UncompressedSize64, maxStructureBytes)
	}
	rc, err := zf.Open()
	if err != nil {
		return false, read.Reject(jkn.ReasonCorrupt, "reading %s: %w", zf.Name, err)
	}
	defer rc.Close()
	sc := newScanner(rc, zf.Name, nil)
	inContent := false
	for {
		if err := sc.next(); err != nil {
			return false, xmlError(err)
		}
		switch sc.kind {
		case tokEOF:
			return false, nil
		case tokStart:
			if sc.is(nsManifest, "file-entry") {
				path, _ := sc.attr(nsManifest, "full-path")
				inContent = string(path) == "content.xml"
			} else if sc.is(nsManifest, "encryption-data") && inContent {
				return true, nil
			}
		}
	}
}

// xmlError turns an error reading a part into a rejection.
func xmlError(err error) error {
	if err == nil {
		return nil
	}
	return partError("META-INF/manifest.xml", err)
}
