package xlsx_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/benchdata"
	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xlsx"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

// The fast path (fast.go) must give exactly what excelize gives. These
// tests read every workbook there is both ways: the committed test
// workbooks (openpyxl and LibreOffice files), generated benchmark
// workbooks (regency, district and village level, shared and inline
// strings, with and without segments), every *.xlsx in $JKN_BENCHDATA
// (`make bench` sets it to the national workbooks), and hand-made sheets
// for each construct the fast path leaves to excelize. They compare the
// two grids cell for cell (every row and cell with its kind and date
// flag, the layout, the errors) and the tables the parser makes of them.

// testModTime is the modification time the compared files carry.
var testModTime = time.Date(2025, 6, 2, 20, 30, 0, 0, time.UTC)

// excelizeOnly parses with every sheet read by excelize.
var excelizeOnly = table.Options{Formats: read.Registry{xlsx.ExcelizeFormat()}}

// compareWorkbook checks one workbook: the grids of its sheets, then the
// whole parse. It returns the sheets the fast path left to excelize, with
// the reason; their grids are excelize's by construction.
func compareWorkbook(t *testing.T, name string, data []byte) []string {
	t.Helper()
	var fellBack []string
	if fast, slow, err := xlsx.Grids(data); err == nil {
		fellBack = fast.Restarted()
		for i, s := range fast.Sheets {
			if errors.Is(s.Err, read.ErrRestart) {
				fast.Sheets[i] = slow.Sheets[i]
			}
		}
		for _, d := range readtest.Diff(fast, slow) {
			t.Errorf("%s: fast path, then excelize: %s", name, d)
		}
	}
	got, gotErr := table.Parse(name, testModTime, data, table.Options{})
	want, wantErr := table.Parse(name, testModTime, data, excelizeOnly)
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

// testWorkbooks are the committed test workbooks of the golden cases
// that are zip archives: a case's .xls or CSV named .xlsx is another
// format's file, which Parse reads by its content and excelize cannot.
func testWorkbooks(t testing.TB) []string {
	all, err := filepath.Glob("../../../exporter/testdata/*/*.xlsx")
	if err != nil || len(all) == 0 {
		t.Fatalf("no test workbooks: %v", err)
	}
	var files []string
	for _, path := range all {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if xlsx.Format().Sniff(data) {
			files = append(files, path)
		}
	}
	return files
}

// TestFastPathTestdata compares the paths on the committed test
// workbooks: every one whose sheets can be read is read by the fast path.
func TestFastPathTestdata(t *testing.T) {
	compareFiles(t, testWorkbooks(t))
}

var benchRef = sync.OnceValues(region.Load)

// generated writes the benchmark workbooks of every layout, at sizes a
// unit test affords.
func generated(t testing.TB) map[string][]byte {
	ref, err := benchRef()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
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
		out[o.Name()] = b.Bytes()
	}
	return out
}

// TestFastPathGenerated compares the paths on generated benchmark
// workbooks of every layout; `make bench` runs TestFastPathBenchdata on
// the national ones.
func TestFastPathGenerated(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every generated workbook through both paths")
	}
	for name, data := range generated(t) {
		for _, fb := range compareWorkbook(t, name, data) {
			t.Errorf("%s: left to excelize: %s", name, fb)
		}
		tab, err := table.Parse(name, testModTime, data, table.Options{})
		if err != nil || len(tab.Rows) == 0 || len(tab.Findings) != 0 {
			t.Errorf("%s: %v, %d findings", name, err, len(tab.Findings))
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

// constructHeader is the header row of the hand-made sheets.
const constructHeader = `<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten/Kota</t></is></c><c r="B1" t="inlineStr"><is><t>Jumlah Penduduk</t></is></c>` +
	`<c r="C1" t="inlineStr"><is><t>Jumlah Peserta</t></is></c></row>`

// constructs covers sheet XML the fast path reads (it must agree with
// excelize) and sheet XML it leaves to excelize (then the result is
// excelize's, by construction; the tests check it did leave it).
var constructs = []struct {
	name           string
	rows, shared   string
	merges, cols   string
	unsupported    string // "" when the fast path reads it
	prologOverride string
}{
	{name: "plain", rows: constructHeader + `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>837062</v></c><c r="C2"><v>817221</v></c></row>`, shared: `<si><t>Banyuasin</t></si>`},
	{name: "entities and character references", rows: constructHeader + `<row r="2"><c r="A2" t="inlineStr"><is><t>Muko &amp; Muko &#65;&#x42;</t></is></c><c r="B2"><v>1</v></c><c r="C2" t="str"><v>2&lt;3</v></c></row>`},
	{name: "line ends", rows: constructHeader + "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>a\r\nb\rc</t></is></c><c r=\"B2\"><v>1</v></c></row>"},
	{name: "rich text runs and phonetic runs", rows: constructHeader + `<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><r><rPr><b/></rPr><t>12</t></r><r><t xml:space="preserve">3 </t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c></row>`,
		shared: `<si><t>Ban</t><r><t>yu</t></r><r><t>asin</t></r><rPh><t>zz</t></rPh></si>`},
	{name: "gaps, blanks, styles, empty cells", rows: `<row r="3"><c r="A3" s="2"/><c r="C3" s="1" t="inlineStr"><is><t>Rekap</t></is></c></row>` + strings.ReplaceAll(constructHeader, `1"`, `5"`),
		merges: `<mergeCell ref="A3:C3"/><mergeCell ref="A40:B40"/>`, cols: `<col min="2" max="3" hidden="1"/>`},
	{name: "formulas with and without values", rows: constructHeader + `<row r="2"><c r="A2" t="inlineStr"><is><t>X</t></is></c><c r="B2"><f>C2*2</f><v>4</v></c><c r="C2"><f>1+1</f></c><c r="D2" t="str"><f>"a"</f><v></v></c></row>`},
	{name: "types b d e n str", rows: constructHeader + `<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="d"><v>2025-05-01T00:00:00Z</v></c><c r="C2" t="e"><v>#DIV/0!</v></c><c r="D2" t="n"><v> 5 </v></c><c r="E2" t="str"><v>x</v></c><c r="F2" t="inlineStr"><v>raw</v></c></row>`},
	{name: "cells without r", rows: constructHeader + `<row r="2"><c t="inlineStr"><is><t>Y</t></is></c><c><v>1</v></c><c r="E2"><v>2</v></c><c><v>3</v></c></row>`},
	{name: "prefixed elements and comments", rows: constructHeader + `<!-- note --><x:row r="2" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="A2" t="inlineStr"><x:is><x:t>Z</x:t></x:is></x:c><x:c r="B2"><x:v>7</x:v></x:c></x:row>`},
	{name: "non-ASCII", rows: constructHeader + `<row r="2"><c r="A2" t="inlineStr"><is><t>Ra’as – Bu Nuapu’u ✓</t></is></c><c r="B2"><v>1</v></c></row>`},
	{name: "xml:space and whitespace between elements", rows: constructHeader + "\n  <row r=\"2\">\n    <c r=\"A2\" t=\"inlineStr\"><is><t xml:space=\"preserve\">  padded  </t></is></c>\n  </row>\n"},
	{name: "empty strings, spaces and empty rows", rows: constructHeader + `<row r="2"><c r="A2" t="inlineStr"><is><t></t></is></c><c r="B2"><v> </v></c><c r="C2" t="str"><v> </v></c></row><row r="4"/><row r="6" s="1"><c r="A6" s="1"/></row>`},

	{name: "CDATA", rows: constructHeader + `<row r="2"><c r="A2" t="inlineStr"><is><t><![CDATA[x]]></t></is></c></row>`, unsupported: "CDATA"},
	{name: "_x escape in a shared string", rows: constructHeader + `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, shared: `<si><t>a_x000D_b</t></si>`, unsupported: "_xHHHH_"},
	{name: "_x escape in an inline string", rows: constructHeader + `<row r="2"><c r="A2" t="inlineStr"><is><t>a_x0041_</t></is></c></row>`, unsupported: "_xHHHH_"},
	{name: "two t in a string item", rows: constructHeader + `<row r="2"><c r="A2" t="s"><v>0</v></c></row>`, shared: `<si><t>a</t><t>b</t></si>`, unsupported: "several <t>"},
	{name: "row without r", rows: constructHeader + `<row><c r="A2"><v>1</v></c></row>`, unsupported: "row without an r"},
	{name: "rows out of order", rows: constructHeader + `<row r="3"/><row r="2"/>`, unsupported: "out of order"},
	{name: "cells out of order", rows: constructHeader + `<row r="2"><c r="B2"><v>1</v></c><c r="A2"><v>2</v></c></row>`, unsupported: "cells out of order"},
	{name: "cell reference to another row", rows: constructHeader + `<row r="2"><c r="A3"><v>1</v></c></row>`, unsupported: "cell reference"},
	{name: "lower-case reference", rows: constructHeader + `<row r="2"><c r="a2"><v>1</v></c></row>`, unsupported: "cell reference"},
	{name: "prefixed attribute", rows: constructHeader + `<row r="2"><c x:r="A2" xmlns:x="urn:x"><v>1</v></c></row>`, unsupported: "prefixed attribute"},
	{name: "bad style", rows: constructHeader + `<row r="2"><c r="A2" s="x"><v>1</v></c></row>`, unsupported: "style"},
	// Rejected by both paths as corrupt (TestSharedStringIndexOutOfRange):
	// read blank, the cell's figure would vanish.
	{name: "shared string out of range", rows: constructHeader + `<row r="2"><c r="A2" t="s"><v>5</v></c></row>`, shared: `<si><t>a</t></si>`},
	{name: "shared string index not a number", rows: constructHeader + `<row r="2"><c r="A2" t="s"><v> </v></c></row>`, shared: `<si><t>a</t></si>`},
	{name: "element in a value", rows: constructHeader + `<row r="2"><c r="A2"><v>1<b/></v></c></row>`, unsupported: "element inside a text element"},
	{name: "unknown element in a cell", rows: constructHeader + `<row r="2"><c r="A2"><v>1</v><extLst/></c></row>`, unsupported: "<extLst> inside <c>"},
	{name: "unknown entity", rows: constructHeader + `<row r="2"><c r="A2" t="str"><v>&nbsp;</v></c></row>`, unsupported: "entity"},
	{name: "control character", rows: constructHeader + "<row r=\"2\"><c r=\"A2\" t=\"str\"><v>a\x01</v></c></row>", unsupported: "control character"},
	{name: "invalid UTF-8", rows: constructHeader + "<row r=\"2\"><c r=\"A2\" t=\"str\"><v>a\xff</v></c></row>", unsupported: "invalid UTF-8"},
	{name: "mismatched tags", rows: constructHeader + `<row r="2"><c r="A2"><v>1</c></v></row>`, unsupported: "mismatched"},
	{name: "other encoding", rows: constructHeader, prologOverride: `<?xml version="1.0" encoding="ISO-8859-1"?>`, unsupported: "encoding"},
}

// constructBook builds the workbook of one construct.
func constructBook(i int) []byte {
	tt := constructs[i]
	data := hostile.SheetPackage(tt.rows, tt.shared, tt.merges, tt.cols)
	if tt.prologOverride != "" {
		data = hostile.Rewrite(data, "xl/worksheets/sheet1.xml", func(s string) string {
			return strings.Replace(s, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`, tt.prologOverride, 1)
		})
	}
	return data
}

// TestFastPathConstructs reads each construct both ways.
func TestFastPathConstructs(t *testing.T) {
	for i, tt := range constructs {
		t.Run(tt.name, func(t *testing.T) {
			fellBack := compareWorkbook(t, tt.name+".xlsx", constructBook(i))
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
// path and excelize give the same grid, or the same rejection.
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
		compareWorkbook(t, "fuzz.xlsx", hostile.SheetPackage(rows, shared, `<mergeCell ref="A1:A2"/>`, ""))
	})
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
		opts table.Options
	}{{"fast", table.Options{}}, {"excelize", excelizeOnly}} {
		b.Run(path.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := table.Parse("villages.xlsx", testModTime, data, path.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
