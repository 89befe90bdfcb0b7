package read_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// TestRegistryOpen: the format is chosen by content, in registry order;
// rejections name the file; bytes no format reads are described.
func TestRegistryOpen(t *testing.T) {
	a := readtest.NewBook(readtest.Sheet{Info: read.SheetInfo{Name: "A", Data: true}})
	b := readtest.NewBook(readtest.Sheet{Info: read.SheetInfo{Name: "B", Data: true}})
	failing := read.Format{Name: "failing", Sniff: func(d []byte) bool { return bytes.HasPrefix(d, []byte("BAD")) },
		Open: func([]byte, read.Limits) (read.Book, error) { return nil, errors.New("broken inside") }}
	tooBig := read.Format{Name: "big", Sniff: func(d []byte) bool { return bytes.HasPrefix(d, []byte("BIG")) },
		Open: func([]byte, read.Limits) (read.Book, error) { return nil, read.TooLarge("%d things", 9) }}
	reg := read.Registry{readtest.Format("ab", "AB", a), readtest.Format("a", "A", b), failing, tooBig}

	for _, tc := range []struct {
		data string
		want read.Book
	}{{"AB...", a}, {"A...", b}} {
		got, err := reg.Open("f.xlsx", []byte(tc.data), read.Limits{})
		if err != nil || got != tc.want {
			t.Errorf("%q: opened %v, %v", tc.data, got, err)
		}
	}
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{nil, "f.xlsx: rejected (empty): the file is empty (0 bytes)"},
		{[]byte("BAD"), "f.xlsx: rejected (corrupt): broken inside"},
		{[]byte("BIG"), "f.xlsx: rejected (too_large): 9 things"},
		{[]byte{0x00, 0x01, 0x02, 0xff}, "f.xlsx: rejected (unsupported_format): a binary file, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
		{[]byte("Kabupaten/Kota;Jumlah Penduduk\r\nKab. Banyuasin;837062\r\n"), "f.xlsx: rejected (unsupported_format): a text file like CSV that cannot be read as a table, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
		{[]byte("\xEF\xBB\xBF<!DOCTYPE html><html><table></table></html>"), "f.xlsx: rejected (unsupported_format): an HTML page with no table the exporter can read, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
		{[]byte(`<?xml version="1.0"?><Workbook/>`), "f.xlsx: rejected (unsupported_format): an XML file (perhaps Excel 2003 XML), in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
		{[]byte("Laporan bulan Mei\nsemua baik\n"), "f.xlsx: rejected (unsupported_format): a text file that is no table, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
		{[]byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"), "f.xlsx: rejected (unsupported_format): a PDF document, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): send the sheet itself, saved as .xlsx in Excel or LibreOffice, not a print or a scan of it"},
		{[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "f.xlsx: rejected (unsupported_format): an image (a photo or scan), in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): send the sheet itself, saved as .xlsx in Excel or LibreOffice, not a print or a scan of it"},
		{readtest.CFB("Workbook"), "f.xlsx: rejected (unsupported_format): an old .xls workbook of a kind this build does not read, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
		{readtest.CFB("WordDocument"), "f.xlsx: rejected (unsupported_format): a Word document (.doc), in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): copy the table into a sheet and save it as .xlsx in Excel or LibreOffice"},
		{readtest.CFB("EncryptedPackage"), "f.xlsx: rejected (encrypted): password-protected: send it without a password"},
		{readtest.CFB("Workbook")[:600], "f.xlsx: rejected (corrupt): damaged OLE compound file"},
		{zipOf(t, "readme.txt"), "f.xlsx: rejected (unsupported_format): a zip archive that holds no workbook, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
		{zipOf(t, "word/document.xml"), "f.xlsx: rejected (unsupported_format): a Word document (.docx), in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): copy the table into a sheet and save it as .xlsx in Excel or LibreOffice"},
		{zipOf(t, "xl/workbook.bin"), "f.xlsx: rejected (unsupported_format): an Excel binary workbook (.xlsb), in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
	} {
		_, err := reg.Open("f.xlsx", tc.data, read.Limits{})
		var fe *jkn.FileError
		if !errors.As(err, &fe) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%q: %v, want %q", tc.data[:min(len(tc.data), 16)], err, tc.want)
		}
	}
}

func zipOf(t *testing.T, name string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if _, err := zw.Create(name); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLimits(t *testing.T) {
	var zero read.Limits
	if zero.Rows() != read.DefaultMaxRows || zero.Sheets() != read.DefaultMaxSheets || zero.SharedStrings() != read.DefaultMaxSharedStrings {
		t.Errorf("defaults: %d %d %d", zero.Rows(), zero.Sheets(), zero.SharedStrings())
	}
	if total, xml := zero.Unzip(); total != read.DefaultUnzipSizeLimit || xml != read.DefaultUnzipXMLSizeLimit {
		t.Errorf("unzip defaults %d %d", total, xml)
	}
	set := read.Limits{UnzipSizeLimit: 100, UnzipXMLSizeLimit: 500, MaxRows: 3, MaxSheets: 4, MaxSharedStrings: 5}
	if set.Rows() != 3 || set.Sheets() != 4 || set.SharedStrings() != 5 {
		t.Errorf("set: %d %d %d", set.Rows(), set.Sheets(), set.SharedStrings())
	}
	if total, xml := set.Unzip(); total != 100 || xml != 100 {
		t.Errorf("the XML limit is at most the total: %d %d", total, xml)
	}
	if err := read.TooManyRows(7); err.Reason != jkn.ReasonTooManyRows || !strings.Contains(err.Error(), "more than 7 rows with values (limits.max_rows)") {
		t.Errorf("TooManyRows: %v", err)
	}
}

func TestRangeAndKind(t *testing.T) {
	r := read.Range{Top: 2, Left: 1, Bottom: 3, Right: 4}
	for _, tc := range []struct {
		row, col int
		in       bool
	}{{2, 1, true}, {3, 4, true}, {1, 1, false}, {2, 0, false}, {4, 2, false}, {3, 5, false}} {
		if r.Contains(tc.row, tc.col) != tc.in {
			t.Errorf("Contains(%d, %d) = %v", tc.row, tc.col, !tc.in)
		}
	}
	if read.Formula.String() != "formula" || read.Blank.String() != "blank" || read.Kind(9).String() != "kind(9)" {
		t.Errorf("kind names: %s %s %s", read.Formula, read.Blank, read.Kind(9))
	}
}

// TestReadtest: the in-memory book reads back what it holds, restarts
// once when asked to, and Diff sees each kind of difference.
func TestReadtest(t *testing.T) {
	sheet := readtest.Sheet{
		Info: read.SheetInfo{Name: "Data", Data: true},
		Rows: []read.Row{
			readtest.Row(1, "Kabupaten/Kota", "Jumlah Penduduk"),
			{Number: 2},
			{Number: 3, Cells: []read.Cell{{Kind: read.Text, Text: "Kab. Banyuasin"}, {Kind: read.Number, Text: "837062"}, {}}},
			{Number: 5},
		},
		Layout:  read.Layout{Merges: []read.Range{{Top: 1, Left: 0, Bottom: 1, Right: 1}}, Hidden: map[int]bool{1: true}},
		Restart: 2,
	}
	book := readtest.NewBook(readtest.Sheet{Info: read.SheetInfo{Name: "Chart"}}, sheet)
	first := readtest.ReadAll(book)
	if got := first.Restarted(); len(got) != 1 || !strings.Contains(got[0], "Data") {
		t.Fatalf("restarted %v, want the Data sheet", got)
	}
	g := readtest.ReadAll(book)
	if d := g.Restarted(); len(d) != 0 || book.Opens[1] != 2 || book.Closes != 2 {
		t.Fatalf("second read: restarted %v, %d opens, %d closes", d, book.Opens[1], book.Closes)
	}
	s := g.Sheets[1]
	if len(s.Rows) != 2 || s.Last != 5 || len(s.Rows[1].Cells) != 2 || s.Layout.Hidden[1] != true {
		t.Fatalf("grid %+v", s)
	}
	if d := readtest.Diff(g, readtest.ReadAll(book)); len(d) != 0 {
		t.Errorf("a grid differs from itself: %v", d)
	}
	for _, tc := range []struct {
		name string
		edit func(*readtest.SheetGrid)
		want string
	}{
		{"cell text", func(s *readtest.SheetGrid) { s.Rows[1].Cells[1].Text = "837063" }, `row 3:`},
		{"cell kind", func(s *readtest.SheetGrid) { s.Rows[1].Cells[1].Kind = read.Text }, `B=text"837062"`},
		{"date", func(s *readtest.SheetGrid) { s.Rows[1].Cells[1].Date = true }, `(date)`},
		{"row number", func(s *readtest.SheetGrid) { s.Rows[1].Number = 4 }, `row 3:`},
		{"last row", func(s *readtest.SheetGrid) { s.Last = 6 }, `last row 5, 6`},
		{"rows", func(s *readtest.SheetGrid) { s.Rows = s.Rows[:1] }, `2 rows with cells, 1`},
		{"merges", func(s *readtest.SheetGrid) { s.Layout.Merges = nil }, `merges`},
		{"hidden", func(s *readtest.SheetGrid) { s.Layout.Hidden = map[int]bool{2: true} }, `hidden columns [1], [2]`},
		{"error", func(s *readtest.SheetGrid) { s.Err = read.TooManyRows(1) }, `error <nil>`},
		{"error reason", func(s *readtest.SheetGrid) { s.Err = read.TooLarge("x") }, `error`},
	} {
		a, b := readtest.ReadAll(book), readtest.ReadAll(book)
		if tc.name == "error reason" {
			a.Sheets[1].Err = read.TooManyRows(1)
		}
		tc.edit(&b.Sheets[1])
		d := readtest.Diff(a, b)
		if len(d) == 0 || !strings.Contains(strings.Join(d, "\n"), tc.want) {
			t.Errorf("%s: diff %q, want %q", tc.name, d, tc.want)
		}
	}
	if d := readtest.Diff(g, readtest.Grid{Date1904: true, Sheets: g.Sheets}); len(d) != 1 {
		t.Errorf("date system: %v", d)
	}
}
