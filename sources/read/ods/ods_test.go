package ods_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/internal/contract"
	"github.com/jkn-exporter/jkn_exporter/sources/read/ods"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// entry is one part of a test archive.
type entry struct{ name, body string }

// odsZip builds an .ods archive as LibreOffice lays it out: the mimetype
// first and stored, then the parts.
func odsZip(t testing.TB, mimetype string, parts ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	if mimetype != "" {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(mimetype)); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	mimetype = "application/vnd.oasis.opendocument.spreadsheet"
	nsDecl   = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" ` +
		`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" ` +
		`xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
		`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" ` +
		`xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" ` +
		`xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/"`
)

// content wraps tables (and what precedes them in office:spreadsheet) in
// a content.xml; styles go into the automatic styles.
func content(styles, body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<office:document-content ` + nsDecl + ` office:version="1.3">` +
		`<office:automatic-styles>` + styles + `</office:automatic-styles>` +
		`<office:body><office:spreadsheet>` + body + `</office:spreadsheet></office:body></office:document-content>`
}

// sheetOf is content with one sheet named S of the given rows.
func sheetOf(rows string) string {
	return content("", `<table:table table:name="S">`+rows+`</table:table>`)
}

func openODS(t testing.TB, data []byte, lim read.Limits) (read.Book, error) {
	t.Helper()
	if !ods.Format().Sniff(data) {
		t.Fatalf("Sniff does not recognise the test file")
	}
	return ods.Format().Open(data, lim)
}

// grid reads a content.xml into a grid; it fails the test on an error.
func grid(t testing.TB, contentXML string) readtest.Grid {
	t.Helper()
	b, err := openODS(t, odsZip(t, mimetype, entry{"content.xml", contentXML}), read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	g := readtest.ReadAll(b)
	for _, s := range g.Sheets {
		if s.Err != nil {
			t.Fatalf("sheet %q: %v", s.Info.Name, s.Err)
		}
	}
	return g
}

// rejection reads a content.xml to its end and returns the rejection.
func rejection(t testing.TB, contentXML string, lim read.Limits) *jkn.FileError {
	t.Helper()
	return rejectionOf(t, odsZip(t, mimetype, entry{"content.xml", contentXML}), lim)
}

func rejectionOf(t testing.TB, data []byte, lim read.Limits) *jkn.FileError {
	t.Helper()
	b, err := ods.Format().Open(data, lim)
	if err == nil {
		for i, info := range b.Sheets() {
			s, err2 := b.Open(i)
			if err2 != nil {
				err = err2
				break
			}
			for s.Next() {
			}
			if err = s.Err(); err == nil {
				_, err = s.Layout()
			}
			s.Close()
			if err != nil {
				err = fmt.Errorf("sheet %q: %w", info.Name, err)
				break
			}
		}
	}
	var fe *jkn.FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a *jkn.FileError, got %v", err)
	}
	return fe
}

var cells = contract.Cells

func TestSniff(t *testing.T) {
	for _, f := range goldens(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !ods.Format().Sniff(data) {
			t.Errorf("%s: not recognised", f)
		}
	}
	xlsx := odsZip(t, "", entry{"[Content_Types].xml", "<Types/>"}, entry{"xl/workbook.xml", "<workbook/>"})
	noMimetype := odsZip(t, "", entry{"META-INF/manifest.xml", "<m/>"}, entry{"content.xml", sheetOf("")})
	both := odsZip(t, "", entry{"[Content_Types].xml", "<Types/>"}, entry{"content.xml", "<x/>"})
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"an .xlsx", xlsx, false},
		{"an archive repacked without the mimetype first", noMimetype, true},
		{"an archive with content.xml and [Content_Types].xml", both, false},
		{"an .odt", odsZip(t, "application/vnd.oasis.opendocument.text", entry{"content.xml", "<x/>"}), false},
		{"an .ots template", odsZip(t, mimetype+"-template", entry{"content.xml", "<x/>"}), true},
		{"text", []byte("No;Kabupaten\n1;Banjar\n"), false},
		{"a truncated header", []byte("PK\x03\x04mimetype"), false},
		{"empty", nil, false},
	} {
		if got := ods.Format().Sniff(tc.data); got != tc.want {
			t.Errorf("%s: Sniff %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestGolden holds the golden files to what they were written with
// (testdata/golden.py, repeats.fods), independently of LibreOffice's
// reading of them.
func TestGolden(t *testing.T) {
	type want struct {
		sheets string // name(hidden) ...
		date   bool
		sheet  string // the sheet whose cells follow
		cells  []string
		merges []read.Range
		hidden []int
		last   int
	}
	for file, w := range map[string]want{
		"seed.ods": {sheets: "Petunjuk Rekap Bengkulu Pangkalpinang Data", sheet: "Pangkalpinang",
			cells: []string{
				`3: A=text"No" B=text"Kabupaten/Kota" C=text"Jumlah Penduduk" D=text"Peserta JKN" G=text"Persentase"`,
				`4: D=text"Jumlah" E=text"Aktif" F=text"Non Aktif" G=text"Cakupan" H=text"Keaktifan"`,
				`5: A=number"1" B=text"Kab. Bangka Tengah" C=number"202131" D=number"195157" E=number"151457" F=number"43700" G=text"96,55%" H=text"74,93%"`,
				// Formulas, with the values LibreOffice calculated.
				`7: B=text"JUMLAH" C=number"444416" D=number"435019" E=number"352941" F=number"82078"`,
			},
			merges: []read.Range{{Top: 1, Left: 0, Bottom: 1, Right: 7}, {Top: 3, Left: 0, Bottom: 4, Right: 0}, {Top: 3, Left: 1, Bottom: 4, Right: 1}, {Top: 3, Left: 2, Bottom: 4, Right: 2}, {Top: 3, Left: 3, Bottom: 3, Right: 5}, {Top: 3, Left: 6, Bottom: 3, Right: 7}}, last: 7},
		"layouts.ods": {sheets: "Kecamatan Referensi(hidden) Tanggal", sheet: "Kecamatan",
			cells: []string{
				`2: A=text"Posisi Data :" C=number"45443"(d)`,
				`6: G=text"Aktif" H=text"Non Aktif" I=text"Aktif" J=text"Non Aktif"`,
				`7: A=text"(1)" B=text"(2)" C=text"(3)" D=text"(4)" E=text"(5)" F=text"(6)" G=text"(7)" H=text"(8)" I=text"(9)" J=text"(10)" K=text"(11)"`,
				`12: A=number"5" B=text"Sêdati – Ñgémplak ²" C=number"100000" D=number"101234" E=number"90000" F=number"11234" G=number"35000" H=number"2500" I=number"25000" J=number"1800" K=text"K-005"`,
				`14: B=text"Cakupan" D=number"0.974118889550044"`,
			},
			merges: []read.Range{{Top: 1, Left: 0, Bottom: 1, Right: 10}, {Top: 4, Left: 0, Bottom: 6, Right: 0}, {Top: 4, Left: 1, Bottom: 6, Right: 1}, {Top: 4, Left: 2, Bottom: 6, Right: 2}, {Top: 4, Left: 3, Bottom: 4, Right: 5}, {Top: 4, Left: 6, Bottom: 4, Right: 9},
				{Top: 4, Left: 10, Bottom: 6, Right: 10}, {Top: 5, Left: 3, Bottom: 6, Right: 3}, {Top: 5, Left: 4, Bottom: 6, Right: 4}, {Top: 5, Left: 5, Bottom: 6, Right: 5}, {Top: 5, Left: 6, Bottom: 5, Right: 7}, {Top: 5, Left: 8, Bottom: 5, Right: 9}},
			hidden: []int{10}, last: 14},
		"date1904.ods": {sheets: "Mac", date: true, sheet: "Mac",
			cells: []string{`2: A=number"43981"(d) B=number"1000"`, `3: A=number"1"(d) B=number"2000"`}, last: 3},
		"repeats.ods": {sheets: "Ulang Tersembunyi(hidden) Kosong", sheet: "Ulang",
			cells: []string{
				`2: A=text"No" B=text"Wilayah" C=text"Kode" D=text"Jumlah" E=text"Aktif" F=text"Catatan" G=text"Tanggal"(d)`,
				`3: A=number"0" B=text"(kosong)" C=number"0" D=number"0" E=number"0" F=number"0" G=number"45443"(d)`,
				`6: A=number"4" B=text"  Kab.  Banyuasin (Sumsel)\nbaris kedua" C=text"16.07" D=number"837062" E=number"817221" F=text"ada catatan" G=text"teks di kolom tanggal"(d)`,
				`7: A=number"5" B=bool"1" C=number"0.5729166666666666" D=number"1500.5" E=number"0.9763" F=error"#DIV/0!" G=bool"0"`,
				`8: A=number"6" B=text"Kota Bengkulu" C=text"gabung dua baris" D=number"1654283" E=number"0.000015" F=number"123456789012" G=number"45351.75"(d)`,
				`9: A=number"7" B=text"Kota Pagar Alam" C=text"isi tersembunyi" D=number"-12.5"`,
				`1010: A=text"Sumber: data buatan"`,
			},
			merges: []read.Range{{Top: 1, Left: 0, Bottom: 1, Right: 4}, {Top: 8, Left: 2, Bottom: 9, Right: 2}}, hidden: []int{2}, last: 1010},
	} {
		g := readFile(t, "testdata/"+file)
		var names []string
		var sheet *readtest.SheetGrid
		for i, s := range g.Sheets {
			n := s.Info.Name
			if s.Info.Hidden {
				n += "(hidden)"
			}
			names = append(names, n)
			if s.Info.Name == w.sheet {
				sheet = &g.Sheets[i]
			}
		}
		if got := strings.Join(names, " "); got != w.sheets {
			t.Errorf("%s: sheets %q, want %q", file, got, w.sheets)
		}
		if g.Date1904 != w.date {
			t.Errorf("%s: Date1904 %v", file, g.Date1904)
		}
		if sheet == nil {
			t.Errorf("%s: no sheet %q", file, w.sheet)
			continue
		}
		lines := strings.Split(cells(*sheet), "\n")
		for _, c := range w.cells {
			if !slices.Contains(lines, c) {
				t.Errorf("%s: no row\n  %s\nin\n%s", file, c, cells(*sheet))
			}
		}
		if !slices.Equal(sheet.Layout.Merges, w.merges) {
			t.Errorf("%s: merges %v, want %v", file, sheet.Layout.Merges, w.merges)
		}
		var hidden []int
		for c := range sheet.Layout.Hidden {
			hidden = append(hidden, c)
		}
		slices.Sort(hidden)
		if !slices.Equal(hidden, w.hidden) {
			t.Errorf("%s: hidden columns %v, want %v", file, hidden, w.hidden)
		}
		if sheet.Last != w.last {
			t.Errorf("%s: last row %d, want %d", file, sheet.Last, w.last)
		}
	}
}

// TestCells: value types, text and formulas as the contract types them.
func TestCells(t *testing.T) {
	styles := `<number:date-style style:name="Nd"><number:day/></number:date-style>` +
		`<number:boolean-style style:name="Nb"><number:boolean/></number:boolean-style>` +
		`<style:style style:name="cd" style:family="table-cell" style:data-style-name="Nd"/>` +
		`<style:style style:name="cb" style:family="table-cell" style:data-style-name="Nb"/>` +
		`<style:style style:name="cchild" style:family="table-cell" style:parent-style-name="cd"/>`
	body := `<table:table table:name="S">` +
		`<table:table-column/><table:table-column table:default-cell-style-name="cd"/>` +
		`<table:table-row>` +
		`<table:table-cell table:formula="of:=SUM([.B1:.B2])"/>` + // no value: a Formula
		`<table:table-cell office:value-type="string"><text:p>in a date column</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="float" office:value="2" table:style-name="cb"><text:p>TRUE</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="float" office:value="7" table:style-name="cchild"/>` +
		`<table:table-cell office:value-type="time" office:time-value="-P1DT12H"/>` +
		`<table:table-cell office:value-type="boolean" office:boolean-value="false"/>` +
		`<table:table-cell office:value-type="string"/>` + // an empty string
		`<table:table-cell office:value-type="date" office:date-value="2024-05-31T13:45:00.5+07:00"/>` +
		`</table:table-row>` +
		`<table:table-row table:default-cell-style-name="cd">` +
		`<table:table-cell office:value-type="string"><text:p>a<text:tab/>b<text:line-break/>c<text:s text:c="3"/>d</text:p>` +
		`<text:p><text:span>e<text:span>f</text:span></text:span><text:note><text:note-body><text:p>note</text:p></text:note-body></text:note>` +
		`<text:a>g</text:a>&amp;&#x41;&#66;<![CDATA[<h>]]></text:p>` +
		`<office:annotation><dc:creator>x</dc:creator><text:p>annotation</text:p></office:annotation></table:table-cell>` +
		`<table:table-cell><text:p>no value type</text:p></table:table-cell>` +
		`<table:table-cell><text:p/></table:table-cell>` + // no value type, no text: blank
		`<table:table-cell office:value-type="float" office:value="3" calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="string" office:string-value="the value"><text:p>shown</text:p></table:table-cell>` +
		`<table:table-cell office:value-type="percentage" office:value=" 0.5 "/>` +
		`</table:table-row>` +
		`</table:table>`
	g := grid(t, content(styles, body))
	want := `1: A=formula"SUM([.B1:.B2])" B=text"in a date column"(d) C=bool"1" D=number"7"(d) E=number"-1.5" F=bool"0" G=text"" H=number"45443.572922453706"(d)` + "\n" +
		`2: A=text"a\tb\nc   d\nefg&AB<h>"(d) B=text"no value type"(d) D=error"#N/A" E=text"the value"(d) F=number"0.5"(d)` + "\n"
	if got := cells(g.Sheets[0]); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestNamespaces: the namespaces decide, not the prefixes.
func TestNamespaces(t *testing.T) {
	doc := `<?xml version="1.0"?><d:document-content xmlns:d="urn:oasis:names:tc:opendocument:xmlns:office:1.0">` +
		`<d:body><d:spreadsheet><t:table xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" t:name="Lain">` +
		`<t:table-row><t:table-cell d:value-type="float" d:value="1"/>` +
		`<t:table-cell d:value-type="string"><p xmlns="urn:oasis:names:tc:opendocument:xmlns:text:1.0">default</p></t:table-cell>` +
		// Elements of other namespaces, with the local names the reader looks for, are not cells.
		`<table-cell xmlns="urn:example"><p>not a cell</p></table-cell>` +
		`<t:table-cell xmlns:d="urn:example" d:value-type="float" d:value="9"><x:p xmlns:x="urn:oasis:names:tc:opendocument:xmlns:text:1.0">rebound</x:p></t:table-cell>` +
		`</t:table-row></t:table><t:table xmlns:t="urn:oasis:names:tc:opendocument:xmlns:table:1.0" t:name="Dua"/></d:spreadsheet></d:body></d:document-content>`
	g := grid(t, doc)
	if len(g.Sheets) != 2 || g.Sheets[0].Info.Name != "Lain" || g.Sheets[1].Info.Name != "Dua" {
		t.Fatalf("sheets %+v", g.Sheets)
	}
	want := `1: A=number"1" B=text"default" C=text"rebound"` + "\n"
	if got := cells(g.Sheets[0]); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestRepeats: empty repeats cost nothing; repeated values are given one
// by one, within the bounds.
func TestRepeats(t *testing.T) {
	// LibreOffice's trailing empty area, in two sheets, then a value.
	trailing := `<table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>`
	doc := content("", `<table:table table:name="A"><table:table-column table:number-columns-repeated="16384"/>`+
		`<table:table-row><table:table-cell office:value-type="float" office:value="1"/><table:table-cell table:number-columns-repeated="16383"/></table:table-row>`+
		trailing+`</table:table><table:table table:name="B">`+trailing+
		`<table:table-row><table:table-cell table:number-columns-repeated="1023"/><table:table-cell office:value-type="string"><text:p>AMJ1048576</text:p></table:table-cell><table:table-cell table:number-columns-repeated="15360"/></table:table-row>`+
		`</table:table>`)
	data := odsZip(t, mimetype, entry{"content.xml", doc})
	allocs := testing.AllocsPerRun(3, func() {
		b, err := ods.Format().Open(data, read.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		g := readtest.ReadAll(b)
		if got := cells(g.Sheets[0]) + cells(g.Sheets[1]); got != "1: A=number\"1\"\n1048576: AMJ=text\"AMJ1048576\"\n" {
			t.Errorf("got %q", got)
		}
	})
	if allocs > 400 {
		t.Errorf("%v allocations for two rows: the empty repeats cost", allocs)
	}

	g := grid(t, sheetOf(`<table:table-row table:number-rows-repeated="3">`+
		`<table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="5"/>`+
		`<table:table-cell table:number-columns-spanned="2" table:number-rows-spanned="2"/>`+
		`<table:covered-table-cell table:number-columns-repeated="2" office:value-type="string"><text:p>c</text:p></table:covered-table-cell>`+
		`</table:table-row>`))
	if got, want := cells(g.Sheets[0]), "1: A=number\"5\" B=number\"5\" D=text\"c\" E=text\"c\"\n2: A=number\"5\" B=number\"5\" D=text\"c\" E=text\"c\"\n3: A=number\"5\" B=number\"5\" D=text\"c\" E=text\"c\"\n"; got != want {
		t.Errorf("repeated values: got\n%s\nwant\n%s", got, want)
	}
	// A merge in a repeated row is the first repetition's (as LibreOffice
	// reads it).
	if got := g.Sheets[0].Layout.Merges; !slices.Equal(got, []read.Range{{Top: 1, Left: 2, Bottom: 2, Right: 3}}) {
		t.Errorf("merges %v", got)
	}
	// Rows given by repeats are the caller's, each its own slice.
	if r := g.Sheets[0].Rows; &r[0].Cells[0] == &r[1].Cells[0] {
		t.Errorf("repeated rows share their cells")
	}

	for _, tc := range []struct {
		name, rows string
		lim        read.Limits
		reason     string
		msg        string
	}{
		{"values repeated past MaxRows", `<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>`,
			read.Limits{MaxRows: 100}, jkn.ReasonTooManyRows, "more than 100 rows"},
		{"a value past row 1,048,576", `<table:table-row table:number-rows-repeated="1048576"/><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "values in row 1048577"},
		{"a repeat count past every bound", `<table:table-row table:number-rows-repeated="99999999999999999999999"/><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "past the last row"},
		// read.MaxColumns: a value past column AMJ (the 1,024th) rejects
		// the file, naming the cell, before its row is made.
		{"a value past column AMJ", `<table:table-row/><table:table-row><table:table-cell table:number-columns-repeated="1024"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "cell AMK2 holds a value past column AMJ, the 1024th"},
		{"a value repeated past column AMJ", `<table:table-row><table:table-cell table:number-columns-repeated="1000"/><table:table-cell table:number-columns-repeated="30" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "cell AMK1 holds a value past column AMJ"},
		{"a value repeated from column A past AMJ", `<table:table-row><table:table-cell table:number-columns-repeated="20000" office:value-type="float" office:value="1"/></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "cell AMK1 holds a value past column AMJ"},
		{"a value past column XFD", `<table:table-row><table:table-cell table:number-columns-repeated="16384"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "values past column XFD"},
		{"a value past a repeat count past every bound", `<table:table-row><table:table-cell table:number-columns-repeated="99999999999999999999999"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "values past column XFD"},
		{"rows wide to column AMJ", `<table:table-row table:number-rows-repeated="4097"><table:table-cell table:number-columns-repeated="1023"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "more than 4194304 cells"},
		{"repeated text past MaxRowText", `<table:table-row><table:table-cell table:number-columns-repeated="5" office:value-type="string"><text:p>` + strings.Repeat("x", 1<<20) + `</text:p></table:table-cell></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "more than 4194304 bytes of text in one row"},
		{"spaces past MaxCellText", `<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "row 1 column A: a cell's text is longer than 1048576 bytes"},
		{"paragraphs past MaxCellText", `<table:table-row><table:table-cell office:value-type="string">` + strings.Repeat("<text:p>"+strings.Repeat("y", 1000)+"</text:p>", 1100) + `</table:table-cell></table:table-row>`,
			read.Limits{}, jkn.ReasonTooLarge, "a cell's text is longer"},
	} {
		fe := rejection(t, sheetOf(tc.rows), tc.lim)
		if fe.Reason != tc.reason || !strings.Contains(fe.Error(), tc.msg) {
			t.Errorf("%s: %v, want %s with %q", tc.name, fe, tc.reason, tc.msg)
		}
	}
}

// TestHostile: XML and archives no writer makes are rejected with a
// reason that says what is wrong, bounded in time and memory.
func TestHostile(t *testing.T) {
	deep := strings.Repeat("<text:span>", 300) + strings.Repeat("</text:span>", 300)
	for _, tc := range []struct {
		name, content string
		reason, msg   string
	}{
		{"nesting", sheetOf(`<table:table-row><table:table-cell><text:p>` + deep + `</text:p></table:table-cell></table:table-row>`),
			jkn.ReasonTooLarge, "nests elements more than 256 deep"},
		{"nesting where skipped", sheetOf(`<table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>` + deep + `</text:p></table:table-cell></table:table-row>`),
			jkn.ReasonTooLarge, "nests elements more than 256 deep"},
		{"a long text node", sheetOf(`<table:table-row><table:table-cell><text:p>` + strings.Repeat("z", 3<<20) + `</text:p></table:table-cell></table:table-row>`),
			jkn.ReasonTooLarge, "longer than 2097152 bytes"},
		{"many attributes", sheetOf(`<table:table-row><table:table-cell` + strings.Repeat(` a="1"`, 600) + `/></table:table-row>`),
			jkn.ReasonTooLarge, "more than 512 attributes"},
		{"a DOCTYPE", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>` + sheetOf(""), jkn.ReasonCorrupt, "DOCTYPE"},
		{"another encoding", `<?xml version="1.0" encoding="ISO-8859-1"?>` + strings.TrimPrefix(sheetOf(""), `<?xml version="1.0" encoding="UTF-8"?>`),
			jkn.ReasonCorrupt, "encoded in iso-8859-1"},
		{"mismatched tags", sheetOf(`<table:table-row><table:table-cell></table:table-row>`), jkn.ReasonCorrupt, "closes"},
		{"an undefined entity", sheetOf(`<table:table-row><table:table-cell><text:p>&nbsp;</text:p></table:table-cell></table:table-row>`),
			jkn.ReasonCorrupt, "row 1 column A: an undefined entity"},
		{"a control character", sheetOf(`<table:table-row><table:table-cell><text:p>a&#1;</text:p></table:table-cell></table:table-row>`),
			jkn.ReasonCorrupt, "row 1 column A"},
		{"bad UTF-8", sheetOf("<table:table-row><table:table-cell><text:p>\xff</text:p></table:table-cell></table:table-row>"),
			jkn.ReasonCorrupt, "not UTF-8"},
		{"a value that is no number", sheetOf(`<table:table-row><table:table-cell/><table:table-cell office:value-type="float" office:value="1,5"/></table:table-row>`),
			jkn.ReasonCorrupt, `row 1 column B: office:value "1,5" is not a number`},
		{"an infinite value", sheetOf(`<table:table-row><table:table-cell office:value-type="float" office:value="1e999"/></table:table-row>`),
			jkn.ReasonCorrupt, "is not a number"},
		{"a date that is none", sheetOf(`<table:table-row><table:table-cell office:value-type="date" office:date-value="2023-02-29"/></table:table-row>`),
			jkn.ReasonCorrupt, "is not a date"},
		{"a column after the rows", sheetOf(`<table:table-row/><table:table-column/>`), jkn.ReasonCorrupt, "a column after the rows"},
		{"truncated XML", strings.TrimSuffix(sheetOf(""), "</office:document-content>"), jkn.ReasonCorrupt, "ends inside an element"},
		{"too many sheets", content("", strings.Repeat(`<table:table table:name="x"/>`, 5000)), jkn.ReasonTooLarge, "more than 4096 sheets"},
		{"not a spreadsheet", `<office:document-content ` + nsDecl + `><office:body><office:text/></office:body></office:document-content>`,
			jkn.ReasonUnsupportedFormat, "without a spreadsheet"},
	} {
		fe := rejection(t, tc.content, read.Limits{})
		if fe.Reason != tc.reason || !strings.Contains(fe.Error(), tc.msg) {
			t.Errorf("%s: %v, want %s with %q", tc.name, fe, tc.reason, tc.msg)
		}
	}

	good := entry{"content.xml", sheetOf("")}
	manifest := `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">` +
		`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`
	var dup bytes.Buffer
	zw := zip.NewWriter(&dup)
	for _, e := range []entry{{"mimetype", mimetype}, good, good} {
		w, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name        string
		data        []byte
		lim         read.Limits
		reason, msg string
	}{
		{"two entries of one name", dup.Bytes(), read.Limits{}, jkn.ReasonCorrupt, `two entries named "content.xml"`},
		{"over the unzip limit", odsZip(t, mimetype, good), read.Limits{UnzipSizeLimit: 100}, jkn.ReasonTooLarge, "limits.unzip_size_limit"},
		{"password-protected", odsZip(t, mimetype, good, entry{"META-INF/manifest.xml", manifest}), read.Limits{}, jkn.ReasonEncrypted, "password"},
		{"no content.xml", odsZip(t, mimetype, entry{"styles.xml", "<x/>"}), read.Limits{}, jkn.ReasonCorrupt, "without content.xml"},
		{"a text document without its mimetype first", odsZip(t, "", good, entry{"mimetype", "application/vnd.oasis.opendocument.text"}),
			read.Limits{}, jkn.ReasonUnsupportedFormat, "an OpenDocument text document (.odt), not a spreadsheet"},
		{"truncated", odsZip(t, mimetype, good)[:200], read.Limits{}, jkn.ReasonCorrupt, "zip"},
	} {
		fe := rejectionOf(t, tc.data, tc.lim)
		if fe.Reason != tc.reason || !strings.Contains(fe.Error(), tc.msg) {
			t.Errorf("%s: %v, want %s with %q", tc.name, fe, tc.reason, tc.msg)
		}
	}
}

// TestLayoutFirst: Layout before the rows reads ahead to the merges of the
// first read.MergeRows rows, and the rows are all still given after it.
func TestLayoutFirst(t *testing.T) {
	var rows strings.Builder
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&rows, `<table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="float" office:value="%d"/></table:table-row>`, i)
	}
	b, err := openODS(t, odsZip(t, mimetype, entry{"content.xml", sheetOf(rows.String())}), read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := b.Open(0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := s.Layout()
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Merges) != read.MergeRows || l.Merges[read.MergeRows-1] != (read.Range{Top: 31, Left: 0, Bottom: 31, Right: 1}) {
		t.Errorf("merges %v", l.Merges)
	}
	n := 0
	for s.Next() {
		n++
		if r := s.Row(); r.Number != n || r.Cells[0].Text != fmt.Sprint(n) {
			t.Fatalf("row %d: %+v", n, r)
		}
		if n == 20 && s.RowsHint() < 20 {
			t.Errorf("RowsHint %d after 20 rows", s.RowsHint())
		}
	}
	if n != 40 || s.Err() != nil {
		t.Errorf("%d rows, %v", n, s.Err())
	}
	// A sheet opened again reads from its first row.
	s2, err := b.Open(0)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if !s2.Next() || s2.Row().Number != 1 {
		t.Errorf("reopened: %+v", s2.Row())
	}
}
