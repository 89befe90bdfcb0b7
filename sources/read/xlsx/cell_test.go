package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// rowsHeader is a header row of the hand-made sheets here.
const rowsHeader = `<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten/Kota</t></is></c><c r="B1" t="inlineStr"><is><t>Jumlah Penduduk</t></is></c></row>`

// sameGrids reads a workbook both ways and fails the test where the grids
// differ; it returns the fast path's.
func sameGrids(t *testing.T, data []byte) readtest.Grid {
	t.Helper()
	fast, slow, err := Grids(data)
	if err != nil {
		t.Fatal(err)
	}
	if r := fast.Restarted(); len(r) > 0 {
		t.Fatalf("left to excelize: %v", r)
	}
	for _, d := range readtest.Diff(fast, slow) {
		t.Errorf("fast path, then excelize: %s", d)
	}
	return fast
}

// TestRestart: a sheet the fast path gives up on after some rows ends
// with read.ErrRestart; opened again, the slow path reads all of it.
func TestRestart(t *testing.T) {
	rows := rowsHeader
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
// by both paths.
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
	fast := sameGrids(t, data)
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
	rows := rowsHeader + `<row r="2"><c r="A2" t="inlineStr"><is><t>X</t></is></c><c r="B2"><f t="shared" ref="B2:B3" si="0">C2*2</f></c></row>` +
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

// TestSniffDeclinesODS: a zip that starts as an .ods does (its stored
// mimetype first) is the .ods reader's; any other zip is this reader's.
func TestSniffDeclinesODS(t *testing.T) {
	pack := func(method uint16, mimetype string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: method})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(mimetype)); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"ods", pack(zip.Store, "application/vnd.oasis.opendocument.spreadsheet"), false},
		{"ods template", pack(zip.Store, "application/vnd.oasis.opendocument.spreadsheet-template"), false},
		{"odt", pack(zip.Store, "application/vnd.oasis.opendocument.text"), true},
		{"deflated mimetype", pack(zip.Deflate, "application/vnd.oasis.opendocument.spreadsheet"), true},
		{"xlsx", hostile.Table("1 Mei 2025"), true},
		{"short", []byte("PK\x03\x04"), true},
	} {
		if got := sniff(tc.data); got != tc.want {
			t.Errorf("%s: sniff = %v, want %v", tc.name, got, tc.want)
		}
	}
}
