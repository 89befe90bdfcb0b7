package workbook

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"regexp"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// testModTime is the modification time test files carry unless a test
// says otherwise.
var testModTime = time.Date(2025, 6, 2, 20, 30, 0, 0, time.UTC)

// book is a workbook under construction for a test.
type book struct {
	t testing.TB
	f *excelize.File
}

// newBook starts a workbook whose first sheet is named first.
func newBook(t testing.TB, first string) *book {
	t.Helper()
	f := excelize.NewFile()
	if first != "Sheet1" {
		if err := f.SetSheetName("Sheet1", first); err != nil {
			t.Fatal(err)
		}
	}
	return &book{t: t, f: f}
}

func (b *book) check(err error) {
	b.t.Helper()
	if err != nil {
		b.t.Fatal(err)
	}
}

// sheet adds a sheet after the existing ones.
func (b *book) sheet(name string) *book {
	_, err := b.f.NewSheet(name)
	b.check(err)
	return b
}

// row writes values into a row from column A; nil leaves a cell empty.
func (b *book) row(sheet string, row int, values ...any) *book {
	b.t.Helper()
	for i, v := range values {
		if v == nil {
			continue
		}
		cell, err := excelize.CoordinatesToCellName(i+1, row)
		b.check(err)
		b.check(b.f.SetCellValue(sheet, cell, v))
	}
	return b
}

func (b *book) set(sheet, cell string, v any) *book {
	b.t.Helper()
	b.check(b.f.SetCellValue(sheet, cell, v))
	return b
}

func (b *book) merge(sheet, from, to string) *book {
	b.t.Helper()
	b.check(b.f.MergeCell(sheet, from, to))
	return b
}

// numFmt gives a range a built-in number format (10 is "0.00%", 14 a date).
func (b *book) numFmt(sheet, from, to string, id int) *book {
	b.t.Helper()
	style, err := b.f.NewStyle(&excelize.Style{NumFmt: id})
	b.check(err)
	b.check(b.f.SetCellStyle(sheet, from, to, style))
	return b
}

func (b *book) hideColumn(sheet, col string) *book {
	b.t.Helper()
	b.check(b.f.SetColVisible(sheet, col, false))
	return b
}

func (b *book) hideSheet(sheet string) *book {
	b.t.Helper()
	b.check(b.f.SetSheetVisible(sheet, false))
	return b
}

// formula writes a formula without a cached value, as a file saved by a
// program that does not calculate leaves it.
func (b *book) formula(sheet, cell, formula string) *book {
	b.t.Helper()
	b.check(b.f.SetCellFormula(sheet, cell, formula))
	return b
}

func (b *book) bytes(opts ...excelize.Options) []byte {
	b.t.Helper()
	var buf bytes.Buffer
	_, err := b.f.WriteTo(&buf, opts...)
	b.check(err)
	b.check(b.f.Close())
	return buf.Bytes()
}

// withCachedFormula gives cells that hold a value a formula as well, as
// Excel saves a calculated formula (<f> and <v>): excelize's SetCellValue
// drops a formula and SetCellFormula drops the value, so the sheet XML is
// edited. formulas maps cell references to formula texts.
func withCachedFormula(t testing.TB, data []byte, sheetPart string, formulas map[string]string) []byte {
	t.Helper()
	return rewriteZip(t, data, sheetPart, func(xml string) string {
		for ref, f := range formulas {
			re := regexp.MustCompile(`<c r="` + ref + `"([^>]*)>`)
			if !re.MatchString(xml) {
				t.Fatalf("cell %s not in %s", ref, sheetPart)
			}
			xml = re.ReplaceAllString(xml, `<c r="`+ref+`"$1><f>`+f+`</f>`)
		}
		return xml
	})
}

// rewriteZip returns a copy of a zip archive with one entry edited.
func rewriteZip(t testing.TB, data []byte, name string, edit func(string) string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == name {
			content, found = []byte(edit(string(content))), true
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if !found {
		t.Fatalf("no %s in the archive", name)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// zipOf builds a zip archive of the given entries.
func zipOf(t testing.TB, entries map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range entries {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cfbOf builds a minimal OLE compound file (version 3, 512-byte sectors)
// holding one empty stream, e.g. "Workbook" as in an old .xls or
// "EncryptedPackage" as in a password-protected .xlsx.
func cfbOf(stream string) []byte {
	const (
		sector     = 512
		freeSect   = 0xFFFFFFFF
		endOfChain = 0xFFFFFFFE
		fatSect    = 0xFFFFFFFD
		noStream   = 0xFFFFFFFF
	)
	le := binary.LittleEndian
	out := make([]byte, 3*sector)
	h := out[:sector]
	copy(h, cfbMagic)
	le.PutUint16(h[24:], 0x003E) // minor version
	le.PutUint16(h[26:], 3)      // major version
	le.PutUint16(h[28:], 0xFFFE) // byte order
	le.PutUint16(h[30:], 9)      // sector shift: 512
	le.PutUint16(h[32:], 6)      // mini sector shift: 64
	le.PutUint32(h[44:], 1)      // FAT sectors
	le.PutUint32(h[48:], 1)      // first directory sector
	le.PutUint32(h[56:], 4096)   // mini stream cutoff
	le.PutUint32(h[60:], endOfChain)
	le.PutUint32(h[68:], endOfChain)
	for i := 76; i < sector; i += 4 {
		le.PutUint32(h[i:], freeSect)
	}
	le.PutUint32(h[76:], 0) // the FAT is sector 0
	fat := out[sector : 2*sector]
	for i := 0; i < sector; i += 4 {
		le.PutUint32(fat[i:], freeSect)
	}
	le.PutUint32(fat[0:], fatSect)
	le.PutUint32(fat[4:], endOfChain)
	dir := out[2*sector:]
	entry := func(i int, name string, kind byte, child uint32) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(e[2*k:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66] = kind
		e[67] = 1 // black
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], endOfChain)
	}
	entry(0, "Root Entry", 5, 1)
	entry(1, stream, 2, noStream)
	for i := 2; i < 4; i++ {
		e := dir[i*128 : (i+1)*128]
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], noStream)
	}
	return out
}

// mustParse parses a workbook that must be accepted.
func mustParse(t testing.TB, name string, data []byte) *Table {
	t.Helper()
	tab, err := Parse(name, testModTime, data, Options{})
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return tab
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
