package xlsx

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/benchdata"
	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// The fast path (fast.go) must give exactly what excelize gives. These
// tests read every workbook there is both ways: the committed test
// workbooks (openpyxl and LibreOffice files), generated benchmark
// workbooks (regency, district and village level, shared and inline
// strings, with and without segments), every *.xlsx in $JKN_BENCHDATA
// (`make bench` sets it to the national workbooks), and hand-made sheets
// for each construct the fast path leaves to excelize. They compare the
// two grids cell for cell: every row and cell with its kind and date
// flag, the layout, the errors. (The parser's tables are compared too,
// in parse_test.go.)

// grids reads a workbook by the fast path (a sheet it gives up on ends
// with read.ErrRestart) and by the slow path.
func grids(data []byte) (fast, slow readtest.Grid, err error) {
	b, err := open(data, read.Limits{})
	if err != nil {
		return fast, slow, err
	}
	p := b.(*book).p
	return readtest.ReadAll(b), readtest.ReadAll(&book{p: p, opened: map[int]bool{}, slowOnly: true}), nil
}

// compareBook compares the two paths' grids of one workbook. It returns
// the sheets the fast path left to excelize, with the reason; those are
// compared as excelize reads them, by construction.
func compareBook(t *testing.T, name string, data []byte) []string {
	t.Helper()
	fast, slow, err := grids(data)
	if err != nil {
		return nil // rejected before any sheet is read, whichever path
	}
	fellBack := fast.Restarted()
	for i, s := range fast.Sheets {
		if errors.Is(s.Err, read.ErrRestart) {
			fast.Sheets[i] = slow.Sheets[i]
		}
	}
	for _, d := range readtest.Diff(fast, slow) {
		t.Errorf("%s: fast path, then excelize: %s", name, d)
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
		for _, fb := range compareBook(t, filepath.Base(path), data) {
			t.Errorf("%s: left to excelize: %s", path, fb)
		}
	}
}

// testWorkbooks are the committed test workbooks of the golden cases.
func testWorkbooks(t testing.TB) []string {
	files, err := filepath.Glob("../../../exporter/testdata/*/*.xlsx")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test workbooks: %v", err)
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
	for name, data := range generated(t) {
		for _, fb := range compareBook(t, name, data) {
			t.Errorf("%s: left to excelize: %s", name, fb)
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
	{name: "shared string out of range", rows: constructHeader + `<row r="2"><c r="A2" t="s"><v>5</v></c></row>`, shared: `<si><t>a</t></si>`, unsupported: "shared-string index"},
	{name: "shared string index not a number", rows: constructHeader + `<row r="2"><c r="A2" t="s"><v> </v></c></row>`, shared: `<si><t>a</t></si>`, unsupported: "shared-string index"},
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
			fellBack := compareBook(t, tt.name+".xlsx", constructBook(i))
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
		compareBook(t, "fuzz.xlsx", hostile.SheetPackage(rows, shared, `<mergeCell ref="A1:A2"/>`, ""))
	})
}

// TestRestart: a sheet the fast path gives up on after some rows ends
// with read.ErrRestart; opened again, the slow path reads all of it.
func TestRestart(t *testing.T) {
	rows := constructHeader
	for i := 2; i < 42; i++ {
		rows += `<row r="` + itoa(i) + `"><c r="A` + itoa(i) + `" t="inlineStr"><is><t>Kota Palembang</t></is></c><c r="B` + itoa(i) + `"><v>` + itoa(1000+i) + `</v></c></row>`
	}
	rows += `<row r="42"><c r="A42" t="inlineStr"><is><t><![CDATA[Kota Prabumulih]]></t></is></c><c r="B42"><v>5</v></c></row>`
	b, err := open(hostile.SheetPackage(rows, "", "", ""), read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	first := readtest.ReadAll(b)
	if got := first.Restarted(); len(got) != 1 || !strings.Contains(got[0], "CDATA") || len(first.Sheets[0].Rows) != 41 {
		t.Fatalf("fast path: restarted %v after %d rows; want a CDATA restart after 41", got, len(first.Sheets[0].Rows))
	}
	again := readtest.ReadAll(b)
	if s := again.Sheets[0]; s.Err != nil || len(s.Rows) != 42 || s.Rows[41].Cells[0].Text != "Kota Prabumulih" {
		t.Fatalf("read again: %v, %d rows", s.Err, len(s.Rows))
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// TestKinds: the kind, text and date flag of each sort of cell, the same
// by both paths (compareBook).
func TestKinds(t *testing.T) {
	const styles = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<numFmts count="1"><numFmt numFmtId="164" formatCode="d\ mmmm\ yyyy"/></numFmts>` +
		`<cellXfs count="4"><xf numFmtId="14"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="10"/></cellXfs></styleSheet>`
	rows := `<row r="2"><c r="A2"><v>817221</v></c><c r="B2" t="n"><v>0.9763</v></c><c r="C2" s="1"><v>45170</v></c><c r="D2" s="2"><v>45170</v></c>` +
		`<c r="E2" s="3"><v>0.5</v></c><c r="F2" s="0"><v>45170</v></c></row>` +
		`<row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3" t="inlineStr"><is><t> Banyuasin </t></is></c><c r="C3" t="str"><f>A3</f><v>x</v></c>` +
		`<c r="D3" t="b"><v>1</v></c><c r="E3" t="e"><v>#DIV/0!</v></c><c r="F3" t="d"><v>2025-05-01</v></c></row>` +
		`<row r="4"><c r="A4"><f>SUM(B4:C4)</f></c><c r="B4" t="inlineStr"><is><t></t></is></c><c r="C4"><v> </v></c><c r="D4" s="1"/><c r="E4" t="str"><f> 1+1 </f><v></v></c></row>`
	data := hostile.Package([]hostile.Sheet{{Name: "S", Part: hostile.Part{Data: []byte(hostile.SheetHead + rows + hostile.SheetTail)}}},
		&hostile.Part{Data: []byte(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Kab.</t></si></sst>`)},
		hostile.Part{Name: "xl/styles.xml", Data: []byte(styles)})
	if fb := compareBook(t, "kinds.xlsx", data); len(fb) > 0 {
		t.Fatalf("left to excelize: %v", fb)
	}
	fast, _, err := grids(data)
	if err != nil {
		t.Fatal(err)
	}
	n, f, tx, b, e := read.Number, read.Formula, read.Text, read.Bool, read.Error
	want := [][]read.Cell{
		{{Kind: n, Text: "817221"}, {Kind: n, Text: "0.9763"}, {Kind: n, Text: "45170", Date: true}, {Kind: n, Text: "45170", Date: true},
			{Kind: n, Text: "0.5"}, {Kind: n, Text: "45170"}},
		{{Kind: tx, Text: "Kab."}, {Kind: tx, Text: " Banyuasin "}, {Kind: tx, Text: "x"}, {Kind: b, Text: "1"}, {Kind: e, Text: "#DIV/0!"}, {Kind: tx, Text: "2025-05-01"}},
		{{Kind: f, Text: "SUM(B4:C4)"}, {Kind: tx}, {}, {}, {Kind: f, Text: "1+1"}},
	}
	got := fast.Sheets[0].Rows
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if !slicesEqual(got[i].Cells, want[i]) {
			t.Errorf("row %d:\n got %+v\nwant %+v", got[i].Number, got[i].Cells, want[i])
		}
	}
}

func slicesEqual(a, b []read.Cell) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestFormulaText: a shared formula is written on its first cell only;
// both paths work out the text of the others through excelize, for
// sheets small enough to load.
func TestFormulaText(t *testing.T) {
	rows := constructHeader + `<row r="2"><c r="A2" t="inlineStr"><is><t>X</t></is></c><c r="B2"><f t="shared" ref="B2:B3" si="0">C2*2</f></c></row>` +
		`<row r="3"><c r="A3" t="inlineStr"><is><t>Y</t></is></c><c r="B3"><f t="shared" si="0"/></c></row>`
	data := hostile.SheetPackage(rows, "", "", "")
	for _, slow := range []bool{false, true} {
		b, err := open(data, read.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		b.(*book).slowOnly = slow
		s, err := b.Open(0)
		if err != nil {
			t.Fatal(err)
		}
		var cells []read.Cell
		for s.Next() {
			if r := s.Row(); r.Number > 1 {
				cells = append(cells, r.Cells[1])
			}
		}
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
		ft, ok := s.(read.FormulaTexts)
		if !ok || len(cells) != 2 || cells[0] != (read.Cell{Kind: read.Formula, Text: "C2*2"}) || cells[1] != (read.Cell{Kind: read.Formula}) {
			t.Fatalf("slow %v: cells %+v, formula texts %v", slow, cells, ok)
		}
		if got := ft.FormulaText(3, 1); got != "C3*2" {
			t.Errorf("slow %v: FormulaText(3, 1) = %q, want C3*2", slow, got)
		}
		s.Close()
	}
}

// TestOpenRejects: what the reader refuses before any sheet is read.
func TestOpenRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"ods", hostile.Package(nil, nil, hostile.Part{Name: "mimetype", Data: []byte("application/vnd.oasis.opendocument.spreadsheet")}),
			"an OpenDocument spreadsheet (.ods), not an .xlsx workbook: save it as .xlsx"},
		{"cut", hostile.Table("1 Mei 2025")[:200], "damaged or truncated zip archive"},
	} {
		_, err := open(tc.data, read.Limits{})
		var fe *jkn.FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
