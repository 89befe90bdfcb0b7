package xlsx_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xlsx"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

// The hostile inputs of RELIABILITY.md against the bounds of the .xlsx
// format itself (the zip entries, the shared strings, the sheets a
// workbook lists, formulas and column ranges), through the parser: each
// is rejected with its reason and a message that says what to do, or
// read within the limits. The limits every format shares are tested in
// sources/table/limits_test.go.

// parseErr parses a workbook that must be rejected.
func parseErr(t *testing.T, data []byte, lim read.Limits, reason, msg string) {
	t.Helper()
	tab, err := table.Parse("hostile.xlsx", testModTime, data, table.Options{Limits: lim})
	var fe *jkn.FileError
	if !errors.As(err, &fe) {
		rows := 0
		if tab != nil {
			rows = len(tab.Rows)
		}
		t.Fatalf("Parse: %v (%d rows), want a rejection (%s)", err, rows, reason)
	}
	if fe.Reason != reason || !strings.Contains(fe.Error(), msg) {
		t.Fatalf("Parse: %v, want reason %s and %q", err, reason, msg)
	}
}

// parseOK parses a workbook that must be read and returns its table.
func parseOK(t *testing.T, data []byte, lim read.Limits) *table.Table {
	t.Helper()
	tab, err := table.Parse("hostile.xlsx", testModTime, data, table.Options{Limits: lim})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return tab
}

func TestLimitSharedStrings(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: two million shared strings")
	}
	parseErr(t, hostile.SharedStrings(2_000_000), read.Limits{}, jkn.ReasonTooLarge,
		fmt.Sprintf("the shared strings table holds more than %d strings (limits.max_shared_strings)", read.DefaultMaxSharedStrings))
	parseErr(t, hostile.SharedStrings(5000), read.Limits{MaxSharedStrings: 4000}, jkn.ReasonTooLarge, "more than 4000 strings")
	// Over xlsx.InMemorySharedStrings, under the limit: read through excelize's
	// on-disk index of the table, the same table.
	for _, n := range []int64{1000, xlsx.InMemorySharedStrings + 50_000} {
		tab := parseOK(t, hostile.SharedStrings(n), read.Limits{})
		if len(tab.Rows) != 1 || tab.Rows[0].Name != "Kab. Banyuasin" || tab.Columns[1].Header != "Kabupaten/Kota" {
			t.Errorf("%d shared strings: rows %+v, columns %+v", n, tab.Rows, tab.Columns)
		}
	}
}

func TestLimitColumnsAndFormulas(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 100,000 column ranges")
	}
	// 100,000 <col> ranges over every column: marked once each.
	cols := strings.Repeat(`<col min="1" max="16384" hidden="1"/>`, 100_000)
	sheet := strings.Replace(string(hostile.TableSheet("1 Mei 2025", []string{"16.07", "Kab. Banyuasin", "837062", "817221"}).Data),
		"<sheetData>", "<cols>"+cols+"</cols><sheetData>", 1)
	tab := parseOK(t, hostile.Package([]hostile.Sheet{{Name: "S", Part: hostile.Part{Data: []byte(sheet)}}}, nil), read.Limits{})
	if !tab.Columns[0].Hidden {
		t.Error("hidden columns not read")
	}
	// More formulas without a value than the scan keeps: rejected.
	f := hostile.Part{Head: []byte(hostile.SheetHead + hostile.Row(hostile.Header...)), Unit: []byte(`<row><c><v>1</v></c><c><f>1+1</f></c></row>`),
		Tail: []byte(hostile.SheetTail), Count: xlsx.MaxFormulaCells + 1}
	parseErr(t, hostile.Package([]hostile.Sheet{{Name: "S", Part: f}}, nil), read.Limits{MaxRows: 2 * xlsx.MaxFormulaCells}, jkn.ReasonTooLarge,
		"formula cells have no cached value")
}

func TestLimitZipEntries(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 70,000 zip entries")
	}
	// 70,000 entries need zip64 records: the count is read from those.
	for _, n := range []int{xlsx.MaxZipEntries, 70_000} {
		extra := make([]hostile.Part, n)
		for i := range extra {
			extra[i] = hostile.Part{Name: fmt.Sprintf("xl/media/x%d.bin", i), Data: []byte{1}, Store: true}
		}
		data := hostile.Package([]hostile.Sheet{{Name: "S", Part: hostile.TableSheet("1 Mei 2025")}}, nil, extra...)
		if got, ok := xlsx.DeclaredEntries(data); !ok || got != uint64(n+5) {
			t.Errorf("declaredEntries: %d, %v; want %d", got, ok, n+5)
		}
		parseErr(t, data, read.Limits{}, jkn.ReasonTooLarge, fmt.Sprintf("holds %d entries, more than the %d a workbook needs", n+5, xlsx.MaxZipEntries))
	}
	for _, data := range [][]byte{nil, []byte("PK\x05\x06"), []byte("PK\x06\x07" + strings.Repeat("\xff", 16) + "PK\x05\x06" + strings.Repeat("\xff", 18))} {
		xlsx.DeclaredEntries(data) // no panic on a broken record
	}
}

func TestLimitWorkbookSheets(t *testing.T) {
	// More sheets than any workbook has: rejected from the structure.
	parseErr(t, hostile.ManySheets(xlsx.MaxWorkbookSheets+1, 1), read.Limits{}, jkn.ReasonTooLarge, fmt.Sprintf("lists more than %d sheets", xlsx.MaxWorkbookSheets))
}

// withEntry copies a package and appends one more entry, so the archive
// may hold a name twice.
func withEntry(t *testing.T, data []byte, name, body string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, zf := range zr.File {
		if err := zw.Copy(zf); err != nil {
			t.Fatal(err)
		}
	}
	w, err := zw.Create(name)
	if err == nil {
		_, err = io.WriteString(w, body)
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A second sheet1.xml is not read silently, whichever of the two a reader
// would take: the file is corrupt (issue 14).
func TestDuplicateEntriesAreCorrupt(t *testing.T) {
	good := hostile.Table("2025-06-30", hostile.GoodRows()...)
	other := hostile.SheetHead + hostile.Row("Kab. Banyuasin", "1", "1") + hostile.SheetTail
	parseOK(t, withEntry(t, good, "docProps/extra.xml", "<x/>"), read.Limits{})
	for _, name := range []string{"xl/worksheets/sheet1.xml", "XL/Worksheets/Sheet1.xml", "xl/workbook.xml"} {
		parseErr(t, withEntry(t, good, name, other), read.Limits{}, jkn.ReasonCorrupt, "two entries named")
	}
}

// A shared-string index outside the table (or negative) is a damaged
// cell, never a blank one: read blank, a region's figure would vanish
// without a word (issue 14). Both the fast reader and the excelize path
// refuse the file, naming the cell.
func TestSharedStringIndexOutOfRange(t *testing.T) {
	rows := func(v string) string {
		return hostile.Row(hostile.Header...) +
			`<row><c><v>16.07</v></c><c t="s"><v>` + v + `</v></c><c><v>837062</v></c><c><v>817221</v></c></row>`
	}
	const shared = `<si><t>Kab. Banyuasin</t></si>`
	tab := parseOK(t, hostile.SheetPackage(rows("0"), shared, "", ""), read.Limits{})
	if len(tab.Rows) != 1 || tab.Rows[0].Name != "Kab. Banyuasin" {
		t.Fatalf("index in range: rows %+v", tab.Rows)
	}
	for _, v := range []string{"1", "99", "-1", "x"} {
		data := hostile.SheetPackage(rows(v), shared, "", "")
		for _, opts := range []table.Options{{}, excelizeOnly} {
			_, err := table.Parse("hostile.xlsx", testModTime, data, opts)
			var fe *jkn.FileError
			if !errors.As(err, &fe) || fe.Reason != jkn.ReasonCorrupt ||
				!strings.Contains(err.Error(), "cell B2: shared-string index") {
				t.Errorf("index %q (slow path %v): %v, want corrupt naming cell B2", v, opts.Formats != nil, err)
			}
		}
	}
}

// Elements nested without end cost a stack entry each in every XML
// reader: rejected at a fixed depth on the fast path, in the slow path's
// scan before excelize reads the sheet (a DOCTYPE sends it there), and in
// the workbook part (issue 14).
func TestLimitXMLDepth(t *testing.T) {
	for _, doctype := range []bool{false, true} {
		parseErr(t, hostile.DeepSheet(10_000_000, doctype), read.Limits{}, jkn.ReasonTooLarge, "more than 256 deep")
	}
	parseErr(t, hostile.DeepWorkbook(1_000_000), read.Limits{}, jkn.ReasonTooLarge, "xl/workbook.xml nests elements more than 256 deep")
	// Within the bound, nesting is only what the sheet's XML allows.
	if _, err := table.Parse("deep.xlsx", testModTime, hostile.DeepWorkbook(100), table.Options{}); err != nil {
		t.Errorf("100 deep in the workbook part: %v", err)
	}
}

// A value past read.MaxColumns is rejected before the row is made, on
// both paths; 12,000 such rows cost 0.6 GB when rows were made 16,384
// wide (issue 14). A styled blank cell there is read.
func TestLimitColumns(t *testing.T) {
	data := hostile.WideRows(3)
	for _, opts := range []table.Options{{}, excelizeOnly} {
		_, err := table.Parse("wide.xlsx", testModTime, data, opts)
		var fe *jkn.FileError
		if !errors.As(err, &fe) || fe.Reason != jkn.ReasonTooLarge || !strings.Contains(err.Error(), "cell XFD3 holds a value past column AMJ") {
			t.Errorf("slow path %v: %v, want too_large naming XFD3", opts.Formats != nil, err)
		}
	}
	styled := hostile.SheetPackage(hostile.Row(hostile.Header...)+
		`<row r="2"><c r="A2"><v>16.07</v></c><c r="B2" t="inlineStr"><is><t>Kab. Banyuasin</t></is></c><c r="C2"><v>837062</v></c><c r="D2"><v>817221</v></c><c r="XFD2" s="0"/></row>`, "", "", "")
	if tab := parseOK(t, styled, read.Limits{}); len(tab.Rows) != 1 {
		t.Errorf("styled blank cell in XFD: rows %+v", tab.Rows)
	}
}
