package csv_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/csv"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

func csvFormat() read.Format { return csv.Format() }

const sidoarjo = "No;Kecamatan;Jumlah Penduduk;% Aktif\r\n1;Tarik;82.919;95,00%\r\n2;Prambon;120.838;102,00%\r\n"

// TestSniff: text that splits on a separator is recognised, whatever its
// encoding; binary files, markup, prose and one-column text are not.
func TestSniff(t *testing.T) {
	golden, err := filepath.Glob("testdata/*.*")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range golden {
		if strings.HasSuffix(name, ".py") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !csvFormat().Sniff(data) {
			t.Errorf("%s: not recognised", name)
		}
	}
	xlsx, err := os.ReadFile("testdata/src/kecamatan_id.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"semicolon", []byte(sidoarjo), true},
		{"comma", []byte("Kecamatan,Jumlah\nTarik,\"82,919\"\nPrambon,\"120,838\"\n"), true},
		{"tab", []byte("Kecamatan\tJumlah\nTarik\t82919\nPrambon\t120838"), true},
		{"pipe", []byte("Kecamatan|Jumlah\nTarik|82919\nPrambon|120838\n"), true},
		{"title rows unpadded", []byte("LAPORAN\nSIDOARJO\nNo;Kecamatan\n1;Tarik\n2;Prambon\n"), true},
		{"sep line", []byte("sep=;\nKecamatan;Jumlah\n"), true},
		{"SEP line", []byte("SEP=|\r\nKecamatan|Jumlah\r\n"), true},
		{"utf-16 without a mark", utf16LE("Kecamatan\tJumlah\r\nTarik\t82919\r\nPrambon\t120838\r\n", false), true},
		{"utf-16be", utf16BE("Kecamatan\tJumlah\r\nTarik\t82919\r\n"), true},
		{"windows-1252", []byte("Luas (km\xb2);Jumlah\nTarik;1\nPrambon;2\n"), true},
		{"decimal commas in a semicolon file", []byte("Nama;Persen;Rasio\nA;97,63;0,5\nB;98,1;0,25\n"), true},
		{"xlsx", xlsx, false},
		{"cfb", readtest.CFB("Workbook"), false},
		{"binary", []byte{0x00, 0x01, 0x02, 0xff, ';', ';', '\n', ';', ';'}, false},
		{"nul in text", []byte("a;b\n1;\x002\n3;4\n"), false},
		{"html", []byte("\xEF\xBB\xBF  <!DOCTYPE html><table><tr><td>a;b</td></tr>\n<tr><td>c;d</td></tr></table>"), false},
		{"xml", []byte("<?xml version=\"1.0\"?>\n<Workbook a=\"1;2\"/>\n<x a=\"1;2\"/>\n"), false},
		// Prose whose lines split alike on one separator would pass for
		// a table; prose seldom does.
		{"prose", []byte("Laporan bulan Mei, semua baik.\nTidak ada catatan lain, terima kasih, salam; sampai jumpa.\nHormat kami\n"), false},
		{"one column", []byte("Tarik\nPrambon\nKrembung\n"), false},
		{"one line", []byte("Kecamatan;Jumlah\n"), false},
		{"empty", nil, false},
		{"spaces", []byte("  \n\t\n"), false},
	} {
		if got := csvFormat().Sniff(tc.data); got != tc.want {
			t.Errorf("%s: Sniff %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestSeparator: the separator is the one that splits the records alike,
// quotes respected; a "sep=" line names it and is no row.
func TestSeparator(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []string // the second row's cells
	}{
		{"semicolon over decimal commas", sidoarjo, []string{"1", "Tarik", "82.919", "95,00%"}},
		{"comma, quoted values", "Kecamatan,Jumlah,Catatan\nTarik,\"82,919\",\"a; b\"\nPrambon,\"120,838\",\"c; d\"\n", []string{"Tarik", "82,919", "a; b"}},
		{"tab over commas", "Nama\tJumlah\nKota Bandung, Jawa Barat\t1\nKab. Bogor, Jawa Barat\t2\n", []string{"Kota Bandung, Jawa Barat", "1"}},
		{"pipe", "Nama|Jumlah\nTarik|1\n", []string{"Tarik", "1"}},
		{"sep line", "sep=,\nNama,Jumlah;x\nTarik,1;2\n", []string{"Tarik", "1;2"}},
	} {
		g := read1(t, []byte(tc.text), read.Limits{})
		if g.Err != nil || len(g.Rows) < 2 {
			t.Errorf("%s: %v, %d rows", tc.name, g.Err, len(g.Rows))
			continue
		}
		if got := texts(g.Rows[1].Cells); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: row 2 %q, want %q", tc.name, got, tc.want)
		}
		if g.Rows[0].Number != 1 || g.Rows[1].Number != 2 {
			t.Errorf("%s: rows numbered %d, %d", tc.name, g.Rows[0].Number, g.Rows[1].Number)
		}
	}
}

// TestEncodings: every encoding reads to the same cells; a byte-order
// mark is no part of the first cell.
func TestEncodings(t *testing.T) {
	const text = "Kecamatan;Luas (km²)\r\nTarik;33,37\r\nPrambon – Utara;46,74\r\n"
	cp1252 := strings.NewReplacer("²", "\xb2", "–", "\x96").Replace(text)
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"utf-8", []byte(text)},
		{"utf-8 with a mark", append([]byte("\xEF\xBB\xBF"), text...)},
		{"utf-16le with a mark", utf16LE(text, true)},
		{"utf-16le without", utf16LE(text, false)},
		{"utf-16be with a mark", utf16BE(text)},
		{"windows-1252", []byte(cp1252)},
	} {
		g := read1(t, tc.data, read.Limits{})
		if g.Err != nil {
			t.Errorf("%s: %v", tc.name, g.Err)
			continue
		}
		var got []string
		for _, r := range g.Rows {
			got = append(got, strings.Join(texts(r.Cells), "|"))
		}
		if want := "Kecamatan|Luas (km²) Tarik|33,37 Prambon – Utara|46,74"; strings.Join(got, " ") != want {
			t.Errorf("%s: %q, want %q", tc.name, got, want)
		}
	}
	// UTF-8 with a byte of another encoding pasted in: still UTF-8, the
	// stray byte U+FFFD, the other names intact.
	g := read1(t, []byte("Kecamatan;Catatan\nSidoarjo – Kota;caf\xe9\nTaman – Utara;ok\n"), read.Limits{})
	if g.Err != nil || len(g.Rows) != 3 || g.Rows[1].Cells[0].Text != "Sidoarjo – Kota" || g.Rows[1].Cells[1].Text != "caf\uFFFD" {
		t.Errorf("stray byte: %v %v", g.Err, g.Rows)
	}
}

// TestKinds: an empty field is Blank, digits are a Number as written,
// everything else Text as written, spaces kept.
func TestKinds(t *testing.T) {
	g := read1(t, []byte("a;b;c;d;e;f;g;h;i;j;k;l\n817221;0812;-5;817.221;97,63%;0.9763; 5;\"\";\"42\";1E5;-;\n"), read.Limits{})
	if g.Err != nil {
		t.Fatal(g.Err)
	}
	want := []read.Cell{
		{Kind: read.Number, Text: "817221"}, {Kind: read.Number, Text: "0812"}, {Kind: read.Number, Text: "-5"},
		{Kind: read.Text, Text: "817.221"}, {Kind: read.Text, Text: "97,63%"}, {Kind: read.Text, Text: "0.9763"},
		{Kind: read.Text, Text: " 5"}, {}, {Kind: read.Number, Text: "42"}, {Kind: read.Text, Text: "1E5"},
		{Kind: read.Text, Text: "-"},
	}
	got := g.Rows[1].Cells
	if len(got) != len(want) {
		t.Fatalf("cells %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("column %s: %+v, want %+v", jkn.ColumnLetter(i), got[i], want[i])
		}
	}
	if long := strings.Repeat("9", 301); read1(t, []byte("a;b\n"+long+";1\n"), read.Limits{}).Rows[1].Cells[0].Kind != read.Text {
		t.Error("301 digits: want Text, beyond strconv.ParseFloat's range")
	}
}

// TestRows: blank records count in the row numbers but are not given,
// trailing empty fields are left out, the sheet is one named "CSV".
func TestRows(t *testing.T) {
	b, err := csvFormat().Open([]byte("LAPORAN;;;\n;;;\n\nNo;Nama;;\n1;Tarik;;\n;;;\n"), read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Sheets(); len(got) != 1 || got[0] != (read.SheetInfo{Name: "CSV", Data: true}) || b.Date1904() {
		t.Errorf("sheets %+v, 1904 %v", got, b.Date1904())
	}
	if _, err := b.Open(1); err == nil {
		t.Error("Open(1) of a text: no error")
	}
	g := readtest.ReadAll(b).Sheets[0]
	var got []string
	for _, r := range g.Rows {
		got = append(got, strings.Join(texts(r.Cells), "|")+"@"+itoa(r.Number)+"/"+itoa(len(r.Cells)))
	}
	if want := "LAPORAN@1/1 No|Nama@4/2 1|Tarik@5/2"; strings.Join(got, " ") != want || g.Last != 5 {
		t.Errorf("rows %q last %d, want %q last 5", got, g.Last, want)
	}
	// The sheet reads again from its first row.
	if again := readtest.ReadAll(b).Sheets[0]; len(again.Rows) != 3 {
		t.Errorf("second reading: %d rows", len(again.Rows))
	}
}

// TestBounds: every bound rejects with its reason and a message naming
// the row and, where there is one, the column, and costs no more than the
// text: a line of 64 MiB, a record of more fields than Excel's columns, a
// value over MaxCellText, a quote that never closes, rows over MaxRows.
func TestBounds(t *testing.T) {
	long := func(n int, b byte) string { return string(bytes.Repeat([]byte{b}, n)) }
	for _, tc := range []struct {
		name, text, reason, msg string
		lim                     read.Limits
	}{
		{"line of 64 MiB", "a;b\n1;2\n" + long(64<<20, 'x'), jkn.ReasonTooLarge, "row 3 is longer than 4 MiB", read.Limits{}},
		{"line of 64 MiB with quotes", "a;b\n1;2\n\"" + long(64<<20, 'x'), jkn.ReasonTooLarge, "row 3 is longer than 4 MiB without a line end", read.Limits{}},
		{"fields", "a;b\n1;2\n" + long(20000, ';'), jkn.ReasonTooLarge, "row 3 has more than 16384 fields", read.Limits{}},
		{"quoted fields", "a;b\n1;2\n\"x\"" + long(20000, ';'), jkn.ReasonTooLarge, "row 3 has more than 16384 fields", read.Limits{}},
		{"value", "a;b\n1;2\n3;" + long(1<<20+1, 'x') + "\n", jkn.ReasonTooLarge, "row 3 column B: a value longer than 1 MiB", read.Limits{}},
		{"quoted value", "a;b\n1;2\n3;\"" + long(1<<20+1, 'x') + "\"\n", jkn.ReasonTooLarge, "row 3 column B: a quoted value runs on over 1 MiB", read.Limits{}},
		{"quoted record", "a;b\n1;2\n" + strings.Repeat("\""+long(1<<19, 'x')+"\";", 9) + "\n", jkn.ReasonTooLarge, "row 3 is longer than 4 MiB", read.Limits{}},
		{"rows", "a;b\n1;2\n\n3;4\n5;6\n", jkn.ReasonTooManyRows, "more than 3 rows with values (limits.max_rows)", read.Limits{MaxRows: 3}},
		{"value past read.MaxColumns", strings.Repeat(long(read.MaxColumns, ';')+"x\n", 3), jkn.ReasonTooLarge, "cell AMK1 holds a value past column AMJ", read.Limits{}},
	} {
		g := read1(t, []byte(tc.text), tc.lim)
		var fe *jkn.FileError
		if !errors.As(g.Err, &fe) || fe.Reason != tc.reason || !strings.Contains(fe.Error(), tc.msg) {
			t.Errorf("%s: %v, want %s: %q", tc.name, g.Err, tc.reason, tc.msg)
		}
	}
	// Blank fields past read.MaxColumns (padding) make no cells: read.
	if g := read1(t, []byte(strings.Repeat("a;b"+long(2000, ';')+"\n", 3)), read.Limits{}); g.Err != nil || len(g.Rows) != 3 || len(g.Rows[0].Cells) != 2 {
		t.Errorf("padding past MaxColumns: %v, %d rows", g.Err, len(g.Rows))
	}
	// Exactly at the bounds: read.
	// (A record of the most fields, its value in the last column allowed.)
	at := "a;b\n1;2\n3;4\n" + long(read.MaxColumns-1, ';') + "x" + long(maxColumnsForTest-read.MaxColumns, ';') + "\n" + "1;\"" + long(1<<20, 'v') + "\"\n"
	if g := read1(t, []byte(at), read.Limits{MaxRows: 5}); g.Err != nil || len(g.Rows) != 5 || len(g.Rows[3].Cells) != read.MaxColumns || len(g.Rows[4].Cells[1].Text) != 1<<20 {
		t.Errorf("at the bounds: %v, %d rows", g.Err, len(g.Rows))
	}
}

const maxColumnsForTest = 16384

// TestWidth: in a text whose first records all have one number of
// fields, as Excel and LibreOffice pad them, a later value past them is
// an unquoted separator and the text is rejected, not read into a column
// without a header; trailing empty fields past them are padding.
func TestWidth(t *testing.T) {
	padded := "No,Kecamatan,Persen\n1,Tarik,95\n2,Prambon,102\n3,Krembung,93,,\n"
	if g := read1(t, []byte(padded), read.Limits{}); g.Err != nil || len(g.Rows) != 4 {
		t.Errorf("trailing empty fields: %v", g.Err)
	}
	// Rows past the sample of 200 records.
	var b strings.Builder
	b.WriteString("No,Kecamatan,Persen\n")
	for i := range 300 {
		b.WriteString(itoa(i) + ",Tarik,95\n")
	}
	b.WriteString("301,Waru,97,63\n")
	g := read1(t, []byte(b.String()), read.Limits{})
	var fe *jkn.FileError
	if !errors.As(g.Err, &fe) || fe.Reason != jkn.ReasonCorrupt || !strings.Contains(fe.Error(), "row 302 has a value in column D, past the 3 columns of every row above it: is the separator ',' inside a value without quotes?") {
		t.Errorf("a value past the width: %v", g.Err)
	}
	// Not padded: no width.
	unpadded := "LAPORAN\nNo,Kecamatan\n1,Tarik\n2,Prambon,catatan\n"
	if g := read1(t, []byte(unpadded), read.Limits{}); g.Err != nil || len(g.Rows) != 4 {
		t.Errorf("not padded: %v", g.Err)
	}
}

// TestRegistry: through a registry, a CSV named .xlsx is read as CSV, and
// what is not text stays the registry's to describe.
func TestRegistry(t *testing.T) {
	reg := read.Registry{csvFormat()}
	b, err := reg.Open("rekap.xlsx", []byte(sidoarjo), read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if g := readtest.ReadAll(b); len(g.Sheets) != 1 || len(g.Sheets[0].Rows) != 3 || g.Sheets[0].Info.Name != csv.SheetName {
		t.Errorf("read %+v", g)
	}
	_, err = reg.Open("rekap.xlsx", []byte("Laporan bulan Mei\nsemua baik\n"), read.Limits{})
	var fe *jkn.FileError
	if !errors.As(err, &fe) || fe.File != "rekap.xlsx" || !strings.Contains(err.Error(), "text file") {
		t.Errorf("prose: %v", err)
	}
}

// TestRowsHint: the hint follows the text's size, within MaxRows.
func TestRowsHint(t *testing.T) {
	var b strings.Builder
	b.WriteString("No;Kecamatan;Jumlah\n")
	for i := range 5000 {
		b.WriteString(itoa(i) + ";Tarik;82.919\n")
	}
	bk, err := csvFormat().Open([]byte(b.String()), read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := bk.Open(0)
	if err != nil {
		t.Fatal(err)
	}
	if h := s.RowsHint(); h < 4000 || h > 7000 {
		t.Errorf("hint %d for 5001 rows", h)
	}
	bk, _ = csvFormat().Open([]byte(b.String()), read.Limits{MaxRows: 100})
	s, _ = bk.Open(0)
	if h := s.RowsHint(); h != 100 {
		t.Errorf("hint %d, want MaxRows 100", h)
	}
}

func texts(cells []read.Cell) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = c.Text
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func utf16LE(s string, bom bool) []byte {
	var out []byte
	if bom {
		out = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func utf16BE(s string) []byte {
	out := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}
