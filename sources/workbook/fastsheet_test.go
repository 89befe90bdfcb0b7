package workbook

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/internal/benchdata"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// The fast path (fastsheet.go) must give exactly what excelize gives. These
// tests run both on every workbook there is: the committed test workbooks
// (openpyxl and LibreOffice files), generated benchmark workbooks (regency,
// district and village level, shared and inline strings, with and without
// segments), every *.xlsx in $JKN_BENCHDATA (`make bench` sets it to the
// national workbooks), and hand-made sheets for each construct the fast
// path leaves to excelize. They compare every cell of every row, the sheet
// metadata, and the parsed tables.

// sheetRead is one sheet as one path reads it.
type sheetRead struct {
	rows [][]string
	meta *sheetMeta
	err  error
}

// readFast reads every row of a sheet by the fast path.
func readFast(p *pkg, s sheetInfo) sheetRead {
	zf := p.entry(s.path)
	rows, err := newFastRows(zf, p, Options{})
	if err != nil {
		return sheetRead{err: err}
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		cells, _ := rows.Columns()
		out = append(out, cells)
	}
	if err := rows.Error(); err != nil {
		return sheetRead{err: err}
	}
	if err := layout(zf, rows.meta, nil); err != nil {
		return sheetRead{err: err}
	}
	return sheetRead{rows: out, meta: rows.meta}
}

// readSlow reads every row of a sheet as the slow path does: scanSheet,
// then excelize's rows iterator on the one-sheet package.
func readSlow(t *testing.T, p *pkg, s sheetInfo) sheetRead {
	t.Helper()
	meta, err := scanSheet(p.entry(s.path), scanLimits{maxRows: Options{}.maxRows(), sst: p.sst})
	if err != nil {
		return sheetRead{err: err}
	}
	b, err := p.sheetPackage(s)
	if err != nil {
		return sheetRead{err: err}
	}
	total, xmlPart := p.spillLimit(Options{})
	x, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: total, UnzipXMLSizeLimit: xmlPart})
	if err != nil {
		return sheetRead{err: err}
	}
	defer x.Close()
	rows, err := x.Rows(excelizeSheet)
	if err != nil {
		return sheetRead{err: err}
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return sheetRead{err: err}
		}
		out = append(out, cells)
	}
	return sheetRead{rows: out, meta: meta, err: rows.Error()}
}

// compareWorkbook checks one workbook: each visible sheet's cells and
// metadata, then the whole parse. It returns the sheets the fast path left
// to excelize, with the reason.
func compareWorkbook(t *testing.T, name string, data []byte) []string {
	t.Helper()
	var fellBack []string
	if p, err := openPackage(name, data, Options{}); err == nil {
		for _, s := range p.sheets {
			if s.hidden || !s.worksheet {
				continue
			}
			fast := readFast(p, s)
			if isUnsupported(fast.err) {
				fellBack = append(fellBack, s.name+": "+fast.err.Error())
				continue
			}
			slow := readSlow(t, p, s)
			if (fast.err != nil) != (slow.err != nil) {
				t.Errorf("%s sheet %q: fast error %v, excelize error %v", name, s.name, fast.err, slow.err)
				continue
			}
			if fast.err != nil {
				continue
			}
			compareRows(t, name+" sheet "+s.name, fast.rows, slow.rows)
			compareMeta(t, name+" sheet "+s.name, fast.meta, slow.meta)
		}
	}
	got, gotErr := Parse(name, testModTime, data, Options{})
	want, wantErr := Parse(name, testModTime, data, Options{excelizeOnly: true})
	switch {
	case gotErr != nil || wantErr != nil:
		var ge, we *jkn.FileError
		if !errors.As(gotErr, &ge) || !errors.As(wantErr, &we) || ge.Reason != we.Reason {
			t.Errorf("%s: Parse error %v, excelize path %v", name, gotErr, wantErr)
		}
	case !reflect.DeepEqual(got, want):
		t.Errorf("%s: the tables differ:\nfast:     %+v\nexcelize: %+v", name, got, want)
	}
	return fellBack
}

func compareRows(t *testing.T, what string, fast, slow [][]string) {
	t.Helper()
	if len(fast) != len(slow) {
		t.Errorf("%s: %d rows by the fast path, %d by excelize", what, len(fast), len(slow))
	}
	bad := 0
	for i := range min(len(fast), len(slow)) {
		// nil and empty are the same row to the walker.
		if len(fast[i]) == 0 && len(slow[i]) == 0 {
			continue
		}
		if !slices.Equal(fast[i], slow[i]) {
			if bad++; bad <= 5 {
				t.Errorf("%s row %d:\nfast:     %q\nexcelize: %q", what, i+1, fast[i], slow[i])
			}
		}
	}
	if bad > 5 {
		t.Errorf("%s: %d rows differ in all", what, bad)
	}
}

func compareMeta(t *testing.T, what string, fast, slow *sheetMeta) {
	t.Helper()
	if fast.cells != slow.cells {
		t.Errorf("%s: %d cells by the fast path, %d by scanSheet", what, fast.cells, slow.cells)
	}
	for _, c := range []struct {
		name       string
		fast, slow any
	}{
		{"hidden columns", fast.hidden, slow.hidden},
		{"merges", fast.merges, slow.merges},
		{"formulas", fast.formulas, slow.formulas},
		{"styles", fast.styles, slow.styles},
	} {
		if !reflect.DeepEqual(c.fast, c.slow) && !(reflect.ValueOf(c.fast).Len() == 0 && reflect.ValueOf(c.slow).Len() == 0) {
			t.Errorf("%s: %s differ:\nfast:     %v\nscanSheet: %v", what, c.name, c.fast, c.slow)
		}
	}
}

// compareFiles compares the paths on workbook files, each of which the
// fast path must read without leaving a sheet to excelize.
func compareFiles(t *testing.T, files []string) {
	t.Helper()
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, fb := range compareWorkbook(t, filepath.Base(path), data) {
			t.Errorf("%s: left to excelize: %s", path, fb)
		}
	}
}

// TestFastPathTestdata compares the paths on the committed test workbooks:
// every one the parser accepts a sheet of is read by the fast path.
func TestFastPathTestdata(t *testing.T) {
	files, err := filepath.Glob("../../exporter/testdata/*/*.xlsx")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test workbooks: %v", err)
	}
	compareFiles(t, files)
}

var benchRef = sync.OnceValues(region.Load)

// TestFastPathGenerated compares the paths on generated benchmark
// workbooks of every layout, at sizes a unit test affords; `make bench`
// runs TestFastPathBenchdata on the national ones.
func TestFastPathGenerated(t *testing.T) {
	ref, err := benchRef()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range benchdata.Matrix() {
		switch o.Level {
		case benchdata.District:
			o.Province = "16"
		case benchdata.Village:
			o.Province = "19"
		}
		rows, err := benchdata.Rows(ref, o)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := benchdata.Write(&b, o, rows); err != nil {
			t.Fatal(err)
		}
		for _, fb := range compareWorkbook(t, o.Name(), b.Bytes()) {
			t.Errorf("%s: left to excelize: %s", o.Name(), fb)
		}
		tab, err := Parse(o.Name(), testModTime, b.Bytes(), Options{})
		if err != nil || len(tab.Rows) != len(rows) || len(tab.Findings) != 0 {
			t.Errorf("%s: %d rows, %d findings, %v; want %d rows", o.Name(), len(tab.Rows), len(tab.Findings), err, len(rows))
		}
	}
}

// TestFastPathBenchdata compares the paths on every workbook in
// $JKN_BENCHDATA (the national benchmark workbooks, under `make bench`).
func TestFastPathBenchdata(t *testing.T) {
	dir := os.Getenv("JKN_BENCHDATA")
	if dir == "" {
		t.Skip("JKN_BENCHDATA not set (make bench sets it)")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if len(files) == 0 {
		t.Fatalf("no workbooks in %s", dir)
	}
	compareFiles(t, files)
}

// TestFastPathConstructs covers sheet XML the fast path reads (it must
// agree with excelize) and sheet XML it leaves to excelize (then the
// result is excelize's, by construction; the test checks it did leave it).
func TestFastPathConstructs(t *testing.T) {
	const header = `<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten/Kota</t></is></c><c r="B1" t="inlineStr"><is><t>Jumlah Penduduk</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>Jumlah Peserta</t></is></c></row>`
	tests := []struct {
		name           string
		rows, shared   string
		merges, cols   string
		unsupported    string // "" when the fast path reads it
		prologOverride string
	}{
		{name: "plain", rows: header + `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>837062</v></c><c r="C2"><v>817221</v></c></row>`, shared: `<si><t>Banyuasin</t></si>`},
		{name: "entities and character references", rows: header + `<row r="2"><c r="A2" t="inlineStr"><is><t>Muko &amp; Muko &#65;&#x42;</t></is></c><c r="B2"><v>1</v></c><c r="C2" t="str"><v>2&lt;3</v></c></row>`},
		{name: "line ends", rows: header + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>a\r\nb\rc</t></is></c><c r=\"B2\"><v>1</v></c></row>"},
		{name: "rich text runs and phonetic runs", rows: header + `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><r><rPr><b/></rPr><t>12</t></r><r><t xml:space="preserve">3 </t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c></row>`,
			shared: `<si><t>Ban</t><r><t>yu</t></r><r><t>asin</t></r><rPh><t>zz</t></rPh></si>`},
		{name: "gaps, blanks, styles, empty cells", rows: `<row r="3"><c r="A3" s="2"/><c r="C3" s="1" t="inlineStr"><is><t>Rekap</t></is></c></row>` + strings.ReplaceAll(header, `1"`, `5"`),
			merges: `<mergeCell ref="A3:C3"/><mergeCell ref="A40:B40"/>`, cols: `<col min="2" max="3" hidden="1"/>`},
		{name: "formulas with and without values", rows: header + `<row r="2"><c r="A2" t="inlineStr"><is><t>X</t></is></c><c r="B2"><f>C2*2</f><v>4</v></c><c r="C2"><f>1+1</f></c><c r="D2" t="str"><f>"a"</f><v></v></c></row>`},
		{name: "types b d e n str", rows: header + `<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="d"><v>2025-05-01T00:00:00Z</v></c><c r="C2" t="e"><v>#DIV/0!</v></c><c r="D2" t="n"><v> 5 </v></c><c r="E2" t="str"><v>x</v></c><c r="F2" t="inlineStr"><v>raw</v></c></row>`},
		{name: "cells without r", rows: header + `<row r="2"><c t="inlineStr"><is><t>Y</t></is></c><c><v>1</v></c><c r="E2"><v>2</v></c><c><v>3</v></c></row>`},
		{name: "prefixed elements and comments", rows: header + `<!-- note --><x:row r="2" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="A2" t="inlineStr"><x:is><x:t>Z</x:t></x:is></x:c><x:c r="B2"><x:v>7</x:v></x:c></x:row>`},
		{name: "non-ASCII", rows: header + `<row r="2"><c r="A2" t="inlineStr"><is><t>Ra’as – Bu Nuapu’u ✓</t></is></c><c r="B2"><v>1</v></c></row>`},
		{name: "xml:space and whitespace between elements", rows: header + "\n  <row r=\"2\">\n    <c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  padded  </t></is></c>\n  </row>\n"},

		{name: "CDATA", rows: header + `<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[x]]></t></is></c></row>`, unsupported: "CDATA"},
		{name: "_x escape in a shared string", rows: header + `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, shared: `<si><t>a_x000D_b</t></si>`, unsupported: "_xHHHH_"},
		{name: "_x escape in an inline string", rows: header + `<row r="2"><c r="A2" t="inlineStr"><is><t>a_x0041_</t></is></c></row>`, unsupported: "_xHHHH_"},
		{name: "two t in a string item", rows: header + `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, shared: `<si><t>a</t><t>b</t></si>`, unsupported: "several <t>"},
		{name: "row without r", rows: header + `<row><c r="A2"><v>1</v></c></row>`, unsupported: "row without an r"},
		{name: "rows out of order", rows: header + `<row r="3"/><row r="2"/>`, unsupported: "out of order"},
		{name: "cells out of order", rows: header + `<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>2</v></c></row>`, unsupported: "cells out of order"},
		{name: "cell reference to another row", rows: header + `<row r="2"><c r="A3"><v>1</v></c></row>`, unsupported: "cell reference"},
		{name: "lower-case reference", rows: header + `<row r="2"><c r="a2"><v>1</v></c></row>`, unsupported: "cell reference"},
		{name: "prefixed attribute", rows: header + `<row r="2"><c x:r="A2" xmlns:x="urn:x"><v>1</v></c></row>`, unsupported: "prefixed attribute"},
		{name: "bad style", rows: header + `<row r="2"><c r="A2" s="x"><v>1</v></c></row>`, unsupported: "style"},
		{name: "shared string out of range", rows: header + `<row r="2"><c r="A2" t="s"><v>5</v></c></row>`, shared: `<si><t>a</t></si>`, unsupported: "shared-string index"},
		{name: "shared string index not a number", rows: header + `<row r="2"><c r="A2" t="s"><v> </v></c></row>`, shared: `<si><t>a</t></si>`, unsupported: "shared-string index"},
		{name: "element in a value", rows: header + `<row r="2"><c r="A2"><v>1<b/></v></c></row>`, unsupported: "element inside a text element"},
		{name: "unknown element in a cell", rows: header + `<row r="2"><c r="A2"><v>1</v><extLst/></c></row>`, unsupported: "<extLst> inside <c>"},
		{name: "unknown entity", rows: header + `<row r="2"><c r="A2" t="str"><v>&nbsp;</v></c></row>`, unsupported: "entity"},
		{name: "control character", rows: header + "<row r=\"2\"><c r=\"A2\" t=\"str\"><v>a\x01</v></c></row>", unsupported: "control character"},
		{name: "invalid UTF-8", rows: header + "<row r=\"2\"><c r=\"A2\" t=\"str\"><v>a\xff</v></c></row>", unsupported: "invalid UTF-8"},
		{name: "mismatched tags", rows: header + `<row r="2"><c r="A2"><v>1</c></v></row>`, unsupported: "mismatched"},
		{name: "other encoding", rows: header, prologOverride: `<?xml version="1.0" encoding="ISO-8859-1"?>`, unsupported: "encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := packageOf(t, tt.rows, tt.shared, tt.merges, tt.cols)
			if tt.prologOverride != "" {
				data = rewriteZip(t, data, "xl/worksheets/sheet1.xml", func(s string) string {
					return strings.Replace(s, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`, tt.prologOverride, 1)
				})
			}
			fellBack := compareWorkbook(t, tt.name+".xlsx", data)
			switch {
			case tt.unsupported == "" && len(fellBack) > 0:
				t.Errorf("left to excelize: %v", fellBack)
			case tt.unsupported != "" && (len(fellBack) == 0 || !strings.Contains(fellBack[0], tt.unsupported)):
				t.Errorf("fell back for %v, want %q", fellBack, tt.unsupported)
			}
		})
	}
}

// FuzzFastPath is a differential fuzz target: for any sheet XML, the fast
// path and excelize give the same table or the same rejection.
func FuzzFastPath(f *testing.F) {
	for _, tc := range [][2]string{
		{`<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten</t></is></c><c r="B1" t="inlineStr"><is><t>Penduduk</t></is></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1.234</v></c></row><row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><f>B2</f></c></row>`,
			`<si><t>Kab. Banyuasin</t></si><si><r><t>Muko</t></r><r><t>muko</t></r></si>`},
		{`<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c></row><row r="4"><c r="B4" t="inlineStr"><is><t>Banjar</t></is></c><c r="C4"><v>5</v></c></row>`,
			`<si><t>Kab/Kota</t></si><si><t>Jumlah Peserta</t></si>`},
	} {
		f.Add(tc[0], tc[1])
	}
	f.Fuzz(func(t *testing.T, rows, shared string) {
		compareWorkbook(t, "fuzz.xlsx", packageOf(t, rows, shared, `<mergeCell ref="A1:A2"/>`, ""))
	})
}

// TestParseRowsMatchesParse: ParseRows hands over the rows Parse keeps,
// also when the fast path leaves a sheet to excelize after some rows
// (the rows handed before the restart are dropped).
func TestParseRowsMatchesParse(t *testing.T) {
	files, _ := filepath.Glob("../../exporter/testdata/*/*.xlsx")
	var books []struct {
		name string
		data []byte
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		books = append(books, struct {
			name string
			data []byte
		}{filepath.Base(path), data})
	}
	// A sheet the fast path gives up on at its last row, after 40 rows.
	rows := `<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten/Kota</t></is></c><c r="B1" t="inlineStr"><is><t>Jumlah Penduduk</t></is></c></row>`
	for i := 2; i < 42; i++ {
		rows += fmt.Sprintf(`<row r="%d"><c r="A%d" t="inlineStr"><is><t>Kota Palembang</t></is></c><c r="B%d"><v>%d</v></c></row>`, i, i, i, 1000+i)
	}
	rows += `<row r="42"><c r="A42" t="inlineStr"><is><t><![CDATA[Kota Prabumulih]]></t></is></c><c r="B42"><v>5</v></c></row>`
	books = append(books, struct {
		name string
		data []byte
	}{"late_cdata.xlsx", packageOf(t, rows, "", "", "")})
	for _, b := range books {
		want, wantErr := Parse(b.name, testModTime, b.data, Options{})
		var got []Row
		tables := 0
		tab, err := ParseRows(b.name, testModTime, b.data, Options{}, func(*Table, int) { got, tables = nil, tables+1 }, func(r Row) { got = append(got, r) })
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%s: ParseRows error %v, Parse error %v", b.name, err, wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if tab.Rows != nil || !reflect.DeepEqual(got, want.Rows) {
			t.Errorf("%s: ParseRows handed %d rows (table keeps %d), Parse kept %d", b.name, len(got), len(tab.Rows), len(want.Rows))
		}
		want.Rows = nil
		if !reflect.DeepEqual(tab, want) {
			t.Errorf("%s: tables differ:\n%+v\n%+v", b.name, tab, want)
		}
		if b.name == "late_cdata.xlsx" && (tables != 2 || len(got) != 41) {
			t.Errorf("late_cdata: %d table calls, %d rows; want a restart and 41 rows", tables, len(got))
		}
	}
}

// BenchmarkParseVillages parses a generated village sheet (Jawa Tengah,
// 8,500 rows; the national sheet with JKN_BENCHDATA set) by the fast path
// and by excelize, to show both in benchstat.
func BenchmarkParseVillages(b *testing.B) {
	var data []byte
	if dir := os.Getenv("JKN_BENCHDATA"); dir != "" {
		var err error
		if data, err = os.ReadFile(filepath.Join(dir, "village_sst.xlsx")); err != nil {
			b.Fatal(err)
		}
	} else {
		ref, err := benchRef()
		if err != nil {
			b.Fatal(err)
		}
		o := benchdata.Options{Level: benchdata.Village, SharedStrings: true, Province: "33"}
		rows, err := benchdata.Rows(ref, o)
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := benchdata.Write(&buf, o, rows); err != nil {
			b.Fatal(err)
		}
		data = buf.Bytes()
	}
	for _, path := range []struct {
		name string
		opts Options
	}{{"fast", Options{}}, {"excelize", Options{excelizeOnly: true}}} {
		b.Run(path.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse("villages.xlsx", testModTime, data, path.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
