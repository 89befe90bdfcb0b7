package table

import (
	"archive/zip"
	"bytes"
	"regexp"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
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
	return hostile.Rewrite(data, sheetPart, func(xml string) string {
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
