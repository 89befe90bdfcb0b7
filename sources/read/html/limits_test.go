package html_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/html"
)

// TestCells: how cells are placed and typed.
func TestCells(t *testing.T) {
	g := gridOf(t, page(`<table>`+
		`<tr><td rowspan=3>a</td><td colspan="2" rowspan="2">b</td><td>c</td></tr>`+
		`<tr><td>d</td></tr>`+
		`<tr><td>e<td>f</tr>`+
		`<tr><td rowspan="9">g</td><th colspan="0">h</th><td> &nbsp; </td><td>x<script>y</script><style>z</style><table><tr><td>nested</td></tr></table>w</td></tr>`+
		`</table>`), read.Limits{})
	s := g.Sheets[0]
	want := "1: A=text\"a\" B=text\"b\" D=text\"c\"\n2: D=text\"d\"\n3: B=text\"e\" C=text\"f\"\n4: A=text\"g\" B=text\"h\" D=text\"x w\"\n"
	if got := cells(s); got != want {
		t.Errorf("cells\n%s\nwant\n%s", got, want)
	}
	// A rowspan past the last row ends there.
	wantMerges := []read.Range{{Top: 1, Left: 0, Bottom: 3, Right: 0}, {Top: 1, Left: 1, Bottom: 2, Right: 2}, {Top: 4, Left: 0, Bottom: 4, Right: 0}}
	if !equalRanges(s.Layout.Merges, wantMerges) {
		t.Errorf("merges %v, want %v", s.Layout.Merges, wantMerges)
	}
	if len(g.Sheets) != 2 || g.Sheets[1].Info.Name != "Tabel 2" || cells(g.Sheets[1]) != "1: A=text\"nested\"\n" {
		t.Errorf("nested table: %+v", g.Sheets)
	}

	g = gridOf(t, page(`<table><tr>`+
		`<td>817221</td><td>0.9763</td><td>-12.5</td><td>1.5E+3</td><td>0.123</td>`+
		`<td>817.221</td><td>1.234.567</td><td>97,63</td><td>0012</td><td>1,234</td><td>1e</td><td>.5</td>`+
		`<td sdval="45443" sdnum="1057;0;DD MMMM YYYY">31 Mei 2024</td><td sdval="1" sdnum="1033;0;BOOLEAN">TRUE</td>`+
		`<td sdval="0" sdnum="1033;">#N/A</td><td sdval="x">teks</td>`+
		`<td x:num="837062">837.062</td><td x:bool="FALSE">SALAH</td><td x:err="#REF!">#REF!</td><td x:str>00123</td>`+
		`</tr></table>`), read.Limits{})
	want = `1: A=number"817221" B=number"0.9763" C=number"-12.5" D=number"1.5E+3" E=number"0.123"` +
		` F=text"817.221" G=text"1.234.567" H=text"97,63" I=text"0012" J=text"1,234" K=text"1e" L=text".5"` +
		` M=number"45443"(d) N=bool"1" O=error"#N/A" P=text"teks"` +
		` Q=number"837062" R=bool"0" S=error"#REF!" T=text"00123"` + "\n"
	if got := cells(g.Sheets[0]); got != want {
		t.Errorf("kinds\n%s\nwant\n%s", got, want)
	}
}

func equalRanges(a, b []read.Range) bool {
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

// TestNames: a caption, LibreOffice's sheet heading, else "Tabel N".
func TestNames(t *testing.T) {
	g := gridOf(t, page(`<h1>Overview</h1><table><caption> Rekap <b>Mei</b> </caption><tr><td>1</td></tr></table>`+
		`<A NAME="table1"><h1>Sheet 2: <em>Data Kab</em></h1></A><table><tr><td>2</td></tr></table>`+
		`<h2>Judul</h2><table><tr><td>3</td></tr></table>`), read.Limits{})
	var names []string
	for _, s := range g.Sheets {
		names = append(names, s.Info.Name)
	}
	if got := strings.Join(names, "|"); got != "Rekap Mei|Data Kab|Tabel 3" {
		t.Errorf("names %q", got)
	}
}

// TestEncodings: UTF-16 with a BOM and Windows-1252 read as UTF-8.
func TestEncodings(t *testing.T) {
	src := `<table><tr><td>Kürniawan – €</td></tr></table>`
	var le []byte
	le = append(le, 0xFF, 0xFE)
	for _, r := range src {
		le = append(le, byte(r), byte(r>>8))
	}
	cp := []byte(strings.NewReplacer("ü", "\xFC", "–", "\x96", "€", "\x80").Replace(src))
	for name, data := range map[string][]byte{"utf-16": le, "windows-1252": cp, "utf-8": []byte("\xEF\xBB\xBF" + src)} {
		g := gridOf(t, data, read.Limits{})
		if got := cells(g.Sheets[0]); got != "1: A=text\"Kürniawan – €\"\n" {
			t.Errorf("%s: %s", name, got)
		}
	}
}

// TestHostile: every bound, a rejection naming it, never a panic.
func TestHostile(t *testing.T) {
	rows := func(n int, row string) string { return "<table>" + strings.Repeat(row, n) + "</table>" }
	for _, tc := range []struct {
		name   string
		data   []byte
		lim    read.Limits
		reason string
		msg    string
	}{
		{"no table", page("<p>Rekap</p>"), read.Limits{}, jkn.ReasonNoTable, "without a table"},
		{"rows", page(rows(11, "<tr><td>1</td></tr>")), read.Limits{MaxRows: 10}, jkn.ReasonTooManyRows, "more than 10 rows"},
		{"blank rows are free", nil, read.Limits{}, "", ""},
		{"nesting", page(strings.Repeat("<table><tr><td>", 17)), read.Limits{}, jkn.ReasonTooLarge, "nested more than 16"},
		{"tables", page(strings.Repeat("<table></table>", 4097)), read.Limits{}, jkn.ReasonTooLarge, "more than 4096 tables"},
		{"columns", page(rows(1, "<tr>"+strings.Repeat(`<td colspan="1000"></td>`, 17)+"</tr>")), read.Limits{}, jkn.ReasonTooLarge, "past column 16384"},
		// read.MaxColumns: a value past column AMJ (the 1,024th) rejects
		// the page, naming the cell, before its row is made; a colspan
		// over it with its value before it does not.
		{"2000 cells", page(rows(1, "<tr><td>Kecamatan</td></tr><tr>"+strings.Repeat(`<td>1</td>`, 2000)+"</tr>")), read.Limits{}, jkn.ReasonTooLarge, "cell AMK2 holds a value past column AMJ, the 1024th"},
		{"a colspan pushing a value past AMJ", page(rows(1, `<tr><td colspan="1000">judul</td><td colspan="24"></td><td>x</td></tr>`)), read.Limits{}, jkn.ReasonTooLarge, "cell AMK1 holds a value past column AMJ"},
		{"a rowspan pushing a value past AMJ", page(rows(1, `<tr><td colspan="1000" rowspan="2">judul</td><td colspan="23" rowspan="2"></td><td rowspan="2">AMJ</td></tr><tr><td>AMK</td></tr>`)), read.Limits{}, jkn.ReasonTooLarge, "cell AMK2 holds a value past column AMJ"},
		{"a value in AMJ, a colspan past it", page(rows(1, `<tr><td colspan="1023"></td><td colspan="1000">x</td><td colspan="1000"></td></tr>`)), read.Limits{}, "", ""},
		{"cell text", page("<table><tr><td>" + strings.Repeat("ab ", read.MaxCellText/3+1) + "</td></tr></table>"), read.Limits{}, jkn.ReasonTooLarge, "cell's text is longer"},
		{"attributes", page("<table><tr><td " + attrs(257) + ">1</td></tr></table>"), read.Limits{}, jkn.ReasonTooLarge, "more than 256 attributes"},
		{"attributes in a long tag", page("<table><tr><td title=\"" + strings.Repeat("a", 4000) + "\" " + attrs(200) + ">1</td></tr></table>"), read.Limits{}, "", ""},
		{"token", page("<table><tr><td>" + strings.Repeat("a", 2*read.MaxCellText+1) + "</td></tr></table>"), read.Limits{}, jkn.ReasonTooLarge, "longer than 2097152 bytes"},
		{"sheet cells", page(rows(4097, `<tr><td colspan="1000"></td><td colspan="23"></td><td>x</td></tr>`)), read.Limits{}, jkn.ReasonTooLarge, "more than 4194304 cells"},
	} {
		if tc.reason == "" && tc.data != nil {
			if g := gridOf(t, tc.data, tc.lim); g.Sheets[0].Err != nil {
				t.Errorf("%s: %v", tc.name, g.Sheets[0].Err)
			}
			continue
		}
		if tc.data == nil {
			// Rows without a value do not count against MaxRows.
			g := gridOf(t, page(rows(50, "<tr><td>&nbsp;</td></tr>")+"<table><tr><td>1</td></tr></table>"), read.Limits{MaxRows: 10})
			if g.Sheets[0].Err != nil || g.Sheets[0].Last != 50 {
				t.Errorf("%s: %v, last %d", tc.name, g.Sheets[0].Err, g.Sheets[0].Last)
			}
			continue
		}
		fe := rejection(t, tc.data, tc.lim)
		if fe.Reason != tc.reason || !strings.Contains(fe.Error(), tc.msg) {
			t.Errorf("%s: %v (%s), want %s %q", tc.name, fe, fe.Reason, tc.reason, tc.msg)
		}
	}
}

// attrs writes n attributes of distinct names.
func attrs(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "a%d ", i)
	}
	return b.String()
}

// TestLayoutFirst: Layout before any row is read gives the merges of the
// first rows, and reading the rows afterwards gives them all.
func TestLayoutFirst(t *testing.T) {
	var b strings.Builder
	b.WriteString(`<table><col><col style="DISPLAY: NONE"><colgroup span="2" style="display:none"></colgroup>`)
	for i := range 40 {
		b.WriteString(`<tr><td colspan="2">t</td><td>` + strings.Repeat("x", i%3+1) + `</td></tr>`)
	}
	b.WriteString(`</table>`)
	bk, err := html.Format().Open(page(b.String()), read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := bk.Open(0)
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
	if len(l.Hidden) != 3 || !l.Hidden[1] || !l.Hidden[2] || !l.Hidden[3] {
		t.Errorf("hidden %v", l.Hidden)
	}
	n := 0
	for s.Next() {
		n++
	}
	if n != 40 || s.Err() != nil || s.RowsHint() != 40 {
		t.Errorf("%d rows, %v, hint %d", n, s.Err(), s.RowsHint())
	}
}
