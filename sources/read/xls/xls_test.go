package xls

import (
	"errors"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// cell returns the cell at row (1-based), col (0-based) of sheet name.
func cell(t *testing.T, g readtest.Grid, name string, row, col int) read.Cell {
	t.Helper()
	for _, s := range g.Sheets {
		if s.Info.Name != name {
			continue
		}
		for _, r := range s.Rows {
			if r.Number == row {
				if col < len(r.Cells) {
					return r.Cells[col]
				}
				return read.Cell{}
			}
		}
		return read.Cell{}
	}
	t.Fatalf("no sheet %q", name)
	return read.Cell{}
}

func sheetOf(t *testing.T, g readtest.Grid, name string) readtest.SheetGrid {
	t.Helper()
	for _, s := range g.Sheets {
		if s.Info.Name == name {
			return s
		}
	}
	t.Fatalf("no sheet %q", name)
	return readtest.SheetGrid{}
}

// TestGoldenSeed: what the layouts golden file holds, read directly (the
// oracle test compares it with LibreOffice's reading as well).
func TestGoldenSeed(t *testing.T) {
	g := readGrid(t, "testdata/seed.xls")
	var infos []string
	for _, s := range g.Sheets {
		infos = append(infos, s.Info.Name+map[bool]string{true: "(hidden)"}[s.Info.Hidden])
		if s.Err != nil {
			t.Errorf("%s: %v", s.Info.Name, s.Err)
		}
	}
	if got := strings.Join(infos, " "); got != "Sampul Data Catatan(hidden) Rahasia(hidden) Header3 Rumus" {
		t.Errorf("sheets: %s", got)
	}
	data := sheetOf(t, g, "Data")
	rg := func(top, left, bottom, right int) read.Range {
		return read.Range{Top: top, Left: left, Bottom: bottom, Right: right}
	}
	want := []read.Range{rg(1, 0, 1, 7), rg(4, 0, 5, 0), rg(4, 1, 5, 1), rg(4, 2, 5, 2), rg(4, 3, 4, 5), rg(4, 6, 5, 6), rg(4, 7, 5, 7)}
	if !equalRanges(data.Layout.Merges, want) {
		t.Errorf("merges %v, want %v", data.Layout.Merges, want)
	}
	if len(data.Layout.Hidden) != 2 || !data.Layout.Hidden[7] || !data.Layout.Hidden[9] {
		t.Errorf("hidden columns %v, want H and J", data.Layout.Hidden)
	}
	for _, tc := range []struct {
		sheet    string
		row, col int
		want     read.Cell
	}{
		{"Data", 2, 1, read.Cell{Kind: read.Number, Text: "45808", Date: true}}, // "Keadaan per "dd/mm/yyyy
		{"Data", 6, 2, read.Cell{Kind: read.Number, Text: "417396"}},
		{"Data", 6, 6, read.Cell{Kind: read.Number, Text: "0.9504475366318795"}}, // =D6/C6, 0.00%
		{"Data", 9, 2, read.Cell{Kind: read.Text, Text: "837.062"}},
		{"Data", 10, 6, read.Cell{Kind: read.Text, Text: "97,63%"}},
		{"Data", 12, 3, read.Cell{Kind: read.Number, Text: "3529667"}}, // =SUM(D6:D11)
		{"Data", 15, 0, read.Cell{Kind: read.Number, Text: "45810", Date: true}},
		{"Sampul", 4, 0, read.Cell{Kind: read.Number, Text: "45808", Date: true}},
		{"Header3", 4, 3, read.Cell{Kind: read.Text, Text: "Aktif"}},
		{"Rumus", 2, 1, read.Cell{Kind: read.Number, Text: "42"}},
		{"Rumus", 3, 1, read.Cell{Kind: read.Number, Text: "0.3333333333333333"}},
		{"Rumus", 4, 1, read.Cell{Kind: read.Text, Text: "Kab. Lahat"}},
		{"Rumus", 5, 1, read.Cell{Kind: read.Bool, Text: "1"}},
		{"Rumus", 7, 1, read.Cell{Kind: read.Error, Text: "#DIV/0!"}},
		{"Rumus", 8, 1, read.Cell{Kind: read.Error, Text: "#N/A"}},
		{"Rumus", 9, 1, read.Cell{Kind: read.Text, Text: ""}},
		{"Rumus", 12, 1, read.Cell{Kind: read.Number, Text: "45808", Date: true}},
		{"Rumus", 2, 2, read.Cell{Kind: read.Bool, Text: "1"}},
	} {
		if got := cell(t, g, tc.sheet, tc.row, tc.col); got != tc.want {
			t.Errorf("%s!%s%d: %+v, want %+v", tc.sheet, jkn.ColumnLetter(tc.col), tc.row, got, tc.want)
		}
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

// TestGoldenTexts: strings of the SST that cross CONTINUE records, some
// switching from 8-bit to UTF-16 at the boundary, and non-ASCII names.
func TestGoldenTexts(t *testing.T) {
	g := readGrid(t, "testdata/texts.xls")
	name := "Teks é ñ"
	for _, tc := range []struct {
		row  int
		want string
	}{
		{1, strings.Repeat("A", 9000)},
		{2, strings.Repeat("é", 5000) + strings.Repeat("B", 5000)},
		{3, strings.Repeat("x", 8000) + strings.Repeat("ñ", 4000) + "end"},
		{4, strings.Repeat("Ü", 32767)},
		{5, "  spasi di depan dan belakang  "},
		{6, "baris satu\nbaris dua"},
		{8, "😀 emoji di luar BMP"},
	} {
		if got := cell(t, g, name, tc.row, 2); got.Kind != read.Text || got.Text != tc.want {
			t.Errorf("C%d: %s of %d bytes %.20q, want %d bytes", tc.row, got.Kind, len(got.Text), got.Text, len(tc.want))
		}
	}
	if got := cell(t, g, name, 77, 0).Text; !strings.HasPrefix(got, "José Ñáñez — Dinas Kesehatan ") || !strings.HasSuffix(got, " 0077 数据 Ş") {
		t.Errorf("A77: %q", got)
	}
	if s := sheetOf(t, g, name); len(s.Rows) != 400 || s.Last != 400 {
		t.Errorf("%d rows, last %d", len(s.Rows), s.Last)
	}
}

// TestGoldenNumbers: the shortest text of each number, RK and IEEE.
func TestGoldenNumbers(t *testing.T) {
	g := readGrid(t, "testdata/numbers.xls")
	want := []string{"0", "1", "-1", "42", "817221", "536870911", "-536870912", "536870912", "1234567890",
		"2147483648", "9007199254740992", "3171234567890123", "0.1", "0.5", "97.63", "-97.63", "0.9763", "12.5",
		"1E-07", "1E-05", "0.0001", "1000000000000000", "10000000000000000", "100000000000000000000", "1E+21",
		"1.5E+300", "-2.5E-300", "123456.789", "0.3333333333333333", "0.6666666666666666"}
	for i, w := range want {
		if got := cell(t, g, "Angka", i+1, 0); got.Kind != read.Number || got.Text != w {
			t.Errorf("A%d: %+v, want %s", i+1, got, w)
		}
	}
	// The formats of column D: which show a date.
	dates := map[int]bool{9: true, 10: true, 11: true, 15: true, 16: true, 19: true}
	for row := 1; row <= 19; row++ {
		if got := cell(t, g, "Angka", row, 3); got.Date != dates[row] {
			t.Errorf("D%d (%s): date %v", row, cell(t, g, "Angka", row, 4).Text, got.Date)
		}
	}
}

func TestGolden1904(t *testing.T) {
	g := readGrid(t, "testdata/date1904.xls")
	if !g.Date1904 {
		t.Error("not in the 1904 date system")
	}
	if got := cell(t, g, "Data 1904", 1, 1); got != (read.Cell{Kind: read.Number, Text: "44346", Date: true}) {
		t.Errorf("B1: %+v", got) // 31 May 2025 in the 1904 system
	}
}

// TestEncrypted: a password-protected .xls LibreOffice wrote.
func TestEncrypted(t *testing.T) {
	data, err := os.ReadFile("testdata/bad/encrypted.xls")
	if err != nil {
		t.Fatal(err)
	}
	if !Format().Sniff(data) {
		t.Fatal("Sniff does not take an encrypted .xls")
	}
	_, err = Format().Open(data, read.Limits{})
	wantReject(t, err, jkn.ReasonEncrypted, "password-protected")
}

func wantReject(t *testing.T, err error, reason, text string) {
	t.Helper()
	var fe *jkn.FileError
	if !errors.As(err, &fe) || fe.Reason != reason || !strings.Contains(err.Error(), text) {
		t.Errorf("%v, want a rejection (%s) with %q", err, reason, text)
	}
}

// open builds and opens a BIFF8 workbook.
func openBuilt(t *testing.T, lim read.Limits, globals []rec, sheets ...sheetDef) (read.Book, error) {
	t.Helper()
	return Format().Open(xlsFile("Workbook", stream(8, globals, sheets...)), lim)
}

func gridOf(t *testing.T, globals []rec, sheets ...sheetDef) readtest.Grid {
	t.Helper()
	b, err := openBuilt(t, read.Limits{}, globals, sheets...)
	if err != nil {
		t.Fatal(err)
	}
	return readtest.ReadAll(b)
}

// TestRecords: records LibreOffice does not write, or not in this form.
func TestRecords(t *testing.T) {
	le := func(v uint32) uint32 { return v }
	globals := []rec{
		r(recFORMAT, 164, u8str("dd/mm/yyyy")),
		r(recXF, 0, 0, uint16(0)), r(recXF, 0, 164, uint16(0)), r(recXF, 0, 14, uint16(0)),
		sstRec("Kota Kupang", "Kabupaten Sidoarjo"),
	}
	cells := sheetDef{name: "Data", recs: []rec{
		r(recDIMENSIONS, uint32(0), uint32(9), 0, 6, 0),
		r(recCOLINFO, 2, 3, 0, 0, 1, 0),                                // C:D hidden
		r(recCOLINFO, 5, 300, 0, 0, 1, 0),                              // F onwards hidden, past IV too
		rkRec(0, 0, 0, le(12345<<2|2)),                                 // integer
		rkRec(0, 1, 0, le(9763<<2|3)),                                  // integer / 100
		rkRec(0, 2, 0, 0x3FF00000),                                     // IEEE 1.0 (high bits)
		rkRec(0, 3, 0, 0x40590000|1),                                   // IEEE 100 / 100
		rkRec(0, 4, 1, le(uint32(45808)<<2|2)),                         // a date by a custom format
		rkRec(0, 5, 2, le(uint32(45808)<<2|2)),                         // a date by built-in format 14
		r(recMULRK, 1, 1, 0, uint32(1<<2|2), 0, uint32(0xFFFFFFFE), 2), // B2:C2 = 1, -1
		labelSST(2, 0, 1),
		label(2, 1, "Peñasco ǅ"),
		r(recRSTRING, 2, 2, 0, u8str("kaya"), uint16(1), uint32(0)),
		r(recBOOLERR, 3, 0, 0, byte(1), byte(0)),
		r(recBOOLERR, 3, 1, 0, byte(0x07), byte(1)),
		number(3, 2, 0, -0.25),
		blank(3, 3),
		r(recMULBLANK, 3, 4, 0, 0, 5),
		formulaRec(4, 0, 0, special(0, 0)), r(recSHRFMLA, make([]byte, 10)), r(recSTRING, u8str("dihitung")),
		formulaRec(4, 1, 0, special(0, 0)), // a string result without its STRING record
		formulaRec(4, 2, 0, special(1, 1)),
		formulaRec(4, 3, 0, special(2, 0x2A)),
		formulaRec(4, 4, 0, special(3, 0)),
		formulaRec(4, 5, 1, double(45808.5)),
		number(5, 0, 0, math.NaN()),
		// An embedded chart substream, whose records are not the sheet's.
		r(recBOF, uint16(0x0600), uint16(0x0020), make([]byte, 12)), number(5, 3, 0, 99), r(recEOF),
		number(7, 0, 0, 8),
	}}
	g := gridOf(t, globals, sheetDef{name: "Sampul"}, cells, sheetDef{name: "Grafik", kind: 2},
		sheetDef{name: "Sangat tersembunyi", state: 2}, sheetDef{name: "Makro", bofDT: 0x0040})
	var infos []read.SheetInfo
	for _, s := range g.Sheets {
		infos = append(infos, s.Info)
	}
	wantInfos := []read.SheetInfo{{Name: "Sampul", Data: true}, {Name: "Data", Data: true}, {Name: "Grafik"},
		{Name: "Sangat tersembunyi", Hidden: true, Data: true}, {Name: "Makro"}}
	if len(infos) != len(wantInfos) {
		t.Fatalf("sheets %+v", infos)
	}
	for i := range infos {
		if infos[i] != wantInfos[i] {
			t.Errorf("sheet %d: %+v, want %+v", i, infos[i], wantInfos[i])
		}
	}
	N := func(s string) read.Cell { return read.Cell{Kind: read.Number, Text: s} }
	D := func(s string) read.Cell { return read.Cell{Kind: read.Number, Text: s, Date: true} }
	T := func(s string) read.Cell { return read.Cell{Kind: read.Text, Text: s} }
	want := []read.Row{
		{Number: 1, Cells: []read.Cell{N("12345"), N("97.63"), N("1"), N("1"), D("45808"), D("45808")}},
		{Number: 2, Cells: []read.Cell{{}, N("1"), N("-1")}},
		{Number: 3, Cells: []read.Cell{T("Kabupaten Sidoarjo"), T("Peñasco ǅ"), T("kaya")}},
		{Number: 4, Cells: []read.Cell{{Kind: read.Bool, Text: "1"}, {Kind: read.Error, Text: "#DIV/0!"}, N("-0.25")}},
		{Number: 5, Cells: []read.Cell{T("dihitung"), {Kind: read.Formula}, {Kind: read.Bool, Text: "1"},
			{Kind: read.Error, Text: "#N/A"}, T(""), D("45808.5")}},
		{Number: 6, Cells: []read.Cell{{Kind: read.Error, Text: "#NUM!"}}},
		{Number: 8, Cells: []read.Cell{N("8")}},
	}
	s := g.Sheets[1]
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	if len(s.Rows) != len(want) {
		t.Fatalf("rows %+v", s.Rows)
	}
	for i := range want {
		if s.Rows[i].Number != want[i].Number || !equalCells(s.Rows[i].Cells, want[i].Cells) {
			t.Errorf("row %d: %+v\n want %+v", want[i].Number, s.Rows[i], want[i])
		}
	}
	hidden := map[int]bool{2: true, 3: true}
	for c := 5; c < maxColumns; c++ {
		hidden[c] = true
	}
	if len(s.Layout.Hidden) != len(hidden) || !s.Layout.Hidden[2] || !s.Layout.Hidden[255] || s.Layout.Hidden[4] {
		t.Errorf("hidden %v", s.Layout.Hidden)
	}
	b, _ := openBuilt(t, read.Limits{}, globals, cells)
	sh, err := b.Open(0)
	if err != nil {
		t.Fatal(err)
	}
	if sh.RowsHint() != 9 {
		t.Errorf("RowsHint %d, want 9 (DIMENSIONS)", sh.RowsHint())
	}
}

func equalCells(a, b []read.Cell) bool {
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

// TestUnordered: cells that go back to an earlier row are sorted into
// their rows, a later cell replacing an earlier one.
func TestUnordered(t *testing.T) {
	g := gridOf(t, nil, sheetDef{name: "A", recs: []rec{
		number(4, 0, 0, 5), number(0, 0, 0, 1), number(4, 1, 0, 6), number(0, 0, 0, 2), number(2, 2, 0, 3),
	}})
	s := g.Sheets[0]
	if s.Err != nil || len(s.Rows) != 3 {
		t.Fatalf("%v %+v", s.Err, s.Rows)
	}
	got := []string{}
	for _, r := range s.Rows {
		for c, x := range r.Cells {
			if x.Kind != read.Blank {
				got = append(got, jkn.ColumnLetter(c)+string(rune('0'+r.Number))+"="+x.Text)
			}
		}
	}
	if strings.Join(got, " ") != "A1=2 C3=3 A5=5 B5=6" {
		t.Errorf("cells %v", got)
	}
}

// TestMergesBounded: merges are kept for the header rows only, at most
// read.MaxMerges, in file order.
func TestMergesBounded(t *testing.T) {
	// Two records of 4,000 ranges over rows 1 to 40: 6,200 in the first 31
	// rows, of which the first MaxMerges are kept.
	merges := func() rec {
		ranges := []any{uint16(4000)}
		for i := range 4000 {
			row := i % 40
			ranges = append(ranges, uint16(row), uint16(row), uint16(0), uint16(1))
		}
		return r(recMERGECELLS, ranges...)
	}
	g := gridOf(t, nil, sheetDef{name: "A", recs: []rec{merges(), merges(), number(0, 0, 0, 1)}})
	m := g.Sheets[0].Layout.Merges
	first, last := read.Range{Top: 1, Left: 0, Bottom: 1, Right: 1}, read.Range{Top: 31, Left: 0, Bottom: 31, Right: 1}
	if len(m) != read.MaxMerges || m[0] != first || m[30] != last || m[31] != first {
		t.Errorf("%d merges, first %v", len(m), m[:min(len(m), 32)])
	}
}

// TestBIFF5: an Excel 5.0/95 workbook's 8-bit strings in its code page
// (the oracle test compares the same book with LibreOffice's reading).
func TestBIFF5(t *testing.T) {
	b, err := Format().Open(biff5Book(), read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	g := readtest.ReadAll(b)
	if len(g.Sheets) != 2 || g.Sheets[0].Info.Name != "Rekap é" || !g.Sheets[1].Info.Hidden {
		t.Fatalf("sheets %+v", g.Sheets)
	}
	for _, tc := range []struct {
		row, col int
		want     read.Cell
	}{
		{2, 0, read.Cell{Kind: read.Text, Text: "Peñasco Café €"}},
		{2, 1, read.Cell{Kind: read.Number, Text: "41233"}},
		{2, 3, read.Cell{Kind: read.Number, Text: "45808", Date: true}},
		{3, 1, read.Cell{Kind: read.Number, Text: "61872.5"}},
		{3, 2, read.Cell{Kind: read.Bool, Text: "1"}},
		{4, 0, read.Cell{Kind: read.Text, Text: "abcd"}},
		{4, 1, read.Cell{Kind: read.Number, Text: "97.63"}},
	} {
		if got := cell(t, g, "Rekap é", tc.row, tc.col); got != tc.want {
			t.Errorf("%s%d: %+v, want %+v", jkn.ColumnLetter(tc.col), tc.row, got, tc.want)
		}
	}
	if h := g.Sheets[0].Layout.Hidden; len(h) != 1 || !h[2] {
		t.Errorf("hidden %v", h)
	}
	// A code page this reader has no table for is refused, not guessed.
	s := stream(5, []rec{r(recCODEPAGE, 932)})
	_, err = Format().Open(xlsFile("Book", s), read.Limits{})
	wantReject(t, err, jkn.ReasonUnsupportedFormat, "code page 932")
}
