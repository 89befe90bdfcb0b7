package html_test

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/html"
	"github.com/jkn-exporter/jkn_exporter/sources/read/internal/contract"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// goldens lists the golden pages (testdata/make.sh).
func goldens(t testing.TB) []string {
	t.Helper()
	return []string{"testdata/pangkalpinang.html", "testdata/repeats.html", "testdata/layouts.html", "testdata/webapp.xls"}
}

var cells = contract.Cells

func page(body string) []byte {
	return []byte("<!DOCTYPE html>\n<html><body>" + body + "</body></html>")
}

func gridOf(t testing.TB, data []byte, lim read.Limits) readtest.Grid {
	t.Helper()
	b, err := html.Format().Open(data, lim)
	if err != nil {
		t.Fatal(err)
	}
	return readtest.ReadAll(b)
}

func rejection(t testing.TB, data []byte, lim read.Limits) *jkn.FileError {
	t.Helper()
	b, err := html.Format().Open(data, lim)
	if err == nil {
		g := readtest.ReadAll(b)
		for _, s := range g.Sheets {
			if s.Err != nil {
				err = s.Err
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

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want bool
	}{
		{"doctype", "<!DOCTYPE html><html>", true},
		{"bom and space", "\xEF\xBB\xBF \r\n<HTML lang=id>", true},
		{"bare table", "<table border=1><tr><td>1</td></tr></table>", true},
		{"comment first", "<!-- export -->\n<table>", true},
		{"xhtml", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">`, true},
		{"excel web page", `<html xmlns:o="urn:schemas-microsoft-com:office:office">`, true},
		{"meta first", `<meta charset="utf-8"><table>`, true},
		{"utf-16", "\xFF\xFE<\x00t\x00a\x00b\x00l\x00e\x00>\x00", true},
		{"spreadsheetml", `<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook>`, false},
		{"tablet", "<tablet>", false},
		{"csv", "Kabupaten;Penduduk\nBanyuasin;837.062\n", false},
		{"text with a table later", "Rekap\n<table>", false},
		{"zip", "PK\x03\x04<html>", false},
		{"cfb", "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", false},
		{"unclosed comment", "<!-- <table>", false},
		{"empty", "", false},
	} {
		if got := html.Format().Sniff([]byte(tc.data)); got != tc.want {
			t.Errorf("%s: sniff = %v, want %v", tc.name, got, tc.want)
		}
	}
	for _, f := range goldens(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !html.Format().Sniff(data) {
			t.Errorf("%s: not sniffed", f)
		}
	}
}

// TestGoldens: what the reader gives for each golden page, where the
// oracle does not reach (dates, sheet names, pages of several tables, a
// web application's export).
func TestGoldens(t *testing.T) {
	type want struct {
		sheets, sheet string
		cells         []string
		merges        []read.Range
		hidden        []int
		last          int
	}
	for file, w := range map[string]want{
		"pangkalpinang.html": {sheets: "Tabel 1", sheet: "Tabel 1",
			cells: []string{
				`3: A=text"No" B=text"Kabupaten/Kota" C=text"Jumlah Penduduk" D=text"Peserta JKN" G=text"Persentase"`,
				`5: A=number"1" B=text"Kab. Bangka Tengah" C=number"202131" D=number"195157" E=number"151457" F=number"43700" G=number"0.9655" H=number"0.7493"`,
			},
			merges: []read.Range{{Top: 1, Left: 0, Bottom: 1, Right: 7}, {Top: 3, Left: 0, Bottom: 4, Right: 0}, {Top: 3, Left: 1, Bottom: 4, Right: 1},
				{Top: 3, Left: 2, Bottom: 4, Right: 2}, {Top: 3, Left: 3, Bottom: 3, Right: 5}, {Top: 3, Left: 6, Bottom: 3, Right: 7}},
			last: 7},
		"repeats.html": {sheets: "Tabel 1", sheet: "Tabel 1",
			cells: []string{
				`3: A=number"0" B=text"(kosong)" C=number"0" D=number"0" E=number"0" F=number"45443"(d)`,
				// The note LibreOffice writes in a <comment> is not the cell's text.
				`6: A=number"4" B=text"Kab. Banyuasin (Sumsel)\nbaris kedua" C=number"837062" D=number"817221" E=text"ada catatan" F=text"teks di kolom tanggal"(d)`,
				`7: A=number"5" B=bool"1" C=number"1500.5" D=number"0.9763" E=error"#DIV/0!" F=bool"0"`,
				`8: A=number"6" B=text"Kota Bengkulu" C=number"1654283" D=number"0.000015" E=number"123456789012" F=number"45351.75"(d)`,
				`1010: A=text"Sumber: data buatan"`,
			},
			merges: []read.Range{{Top: 1, Left: 0, Bottom: 1, Right: 4}}, last: 1010},
		"layouts.html": {sheets: "Kecamatan|Tanggal", sheet: "Kecamatan",
			cells: []string{
				`2: A=text"Posisi Data :" C=number"45443"(d)`,
				`12: A=number"5" B=text"Sêdati – Ñgémplak ²" C=number"100000" D=number"101234" E=number"90000" F=number"11234" G=number"35000" H=number"2500" I=number"25000" J=number"1800"`,
			},
			// LibreOffice leaves the hidden column K out of the page.
			merges: []read.Range{{Top: 1, Left: 0, Bottom: 1, Right: 10}, {Top: 4, Left: 0, Bottom: 6, Right: 0}, {Top: 4, Left: 1, Bottom: 6, Right: 1},
				{Top: 4, Left: 2, Bottom: 6, Right: 2}, {Top: 4, Left: 3, Bottom: 4, Right: 5}, {Top: 4, Left: 6, Bottom: 4, Right: 9},
				{Top: 5, Left: 3, Bottom: 6, Right: 3}, {Top: 5, Left: 4, Bottom: 6, Right: 4},
				{Top: 5, Left: 5, Bottom: 6, Right: 5}, {Top: 5, Left: 6, Bottom: 5, Right: 7}, {Top: 5, Left: 8, Bottom: 5, Right: 9}},
			last: 14},
		"webapp.xls": {sheets: "Tabel 1|Rekap Kepesertaan", sheet: "Rekap Kepesertaan",
			cells: []string{
				`3: A=text"No" B=text"Kabupaten/Kota" C=text"Kode" D=text"Jumlah" F=text"% Cakupan"`,
				`4: D=text"Penduduk" E=text"Peserta"`,
				`5: A=number"1" B=text"Kab. Banyuasin" C=number"16.07" D=text"837.062" E=text"817.221" F=text"97,63%"`,
				`6: A=number"2" B=text"Kab.\u00a0Musi Banyuasin" C=number"16.06" D=number"736897" E=number"721534" F=number"0.9792"`,
				`7: A=number"3" B=text"Kota Palembang" C=number"16.71" D=text"1.801.367" E=text"1.769.902" F=text"98,25%"`,
				`8: B=text"JUMLAH" D=text"3.375.326" E=text"3.308.657" F=text"98,03%"`,
				`9: A=text"Sumber: BPJS Kesehatan – KC Palembang\nDicetak oleh: Operator Kürniawan"`,
			},
			merges: []read.Range{{Top: 1, Left: 0, Bottom: 1, Right: 5}, {Top: 2, Left: 0, Bottom: 2, Right: 5}, {Top: 3, Left: 0, Bottom: 4, Right: 0},
				{Top: 3, Left: 1, Bottom: 4, Right: 1}, {Top: 3, Left: 2, Bottom: 4, Right: 2}, {Top: 3, Left: 3, Bottom: 3, Right: 4},
				{Top: 3, Left: 5, Bottom: 4, Right: 5}, {Top: 9, Left: 0, Bottom: 9, Right: 5}},
			hidden: []int{2}, last: 9},
	} {
		data, err := os.ReadFile("testdata/" + file)
		if err != nil {
			t.Fatal(err)
		}
		g := gridOf(t, data, read.Limits{})
		var names []string
		var sheet *readtest.SheetGrid
		for i, s := range g.Sheets {
			names = append(names, s.Info.Name)
			if s.Info.Hidden || !s.Info.Data || s.Err != nil {
				t.Errorf("%s: sheet %+v, %v", file, s.Info, s.Err)
			}
			if s.Info.Name == w.sheet {
				sheet = &g.Sheets[i]
			}
		}
		if got := strings.Join(names, "|"); got != w.sheets || g.Date1904 {
			t.Errorf("%s: sheets %q (1904 %v), want %q", file, got, g.Date1904, w.sheets)
		}
		if sheet == nil {
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
