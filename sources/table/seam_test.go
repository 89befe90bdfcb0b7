package table

import (
	"errors"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// The parser reads only the read seam: these tests give it books from
// readtest, without any file format, for what the grid says that no
// .xlsx test shows as plainly.

// parseBook parses an in-memory book.
func parseBook(t *testing.T, b *readtest.Book) (*Table, error) {
	t.Helper()
	return Parse("mem.xlsx", testModTime, []byte("MEM"), Options{Formats: read.Registry{readtest.Format("mem", "MEM", b)}})
}

func dataSheet(rows ...read.Row) readtest.Sheet {
	return readtest.Sheet{Info: read.SheetInfo{Name: "Data", Data: true}, Rows: rows}
}

func num(s string) read.Cell { return read.Cell{Kind: read.Number, Text: s} }
func txt(s string) read.Cell { return read.Cell{Kind: read.Text, Text: s} }

// TestSeamRows: rows the reader leaves out are blank rows; cells keep the
// columns they are given; kinds and texts read as the text says.
func TestSeamRows(t *testing.T) {
	b := readtest.NewBook(
		readtest.Sheet{Info: read.SheetInfo{Name: "Chart"}},
		readtest.Sheet{Info: read.SheetInfo{Name: "Old", Data: true, Hidden: true}, Rows: []read.Row{readtest.Row(1, "Kabupaten/Kota", "Jumlah Penduduk")}},
		dataSheet(
			readtest.Row(2, "Posisi Data : 1 Mei 2025"),
			readtest.Row(4, "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta"),
			read.Row{Number: 5, Cells: []read.Cell{txt("Kab. Banyuasin"), num("837062"), txt("817.221")}},
			read.Row{Number: 9, Cells: []read.Cell{txt("Kota Palembang"), num("1.801367E+6"), {Kind: read.Bool, Text: "1"}}},
		),
	)
	tab, err := parseBook(t, b)
	if err != nil {
		t.Fatal(err)
	}
	if tab.Sheet != "Data" || tab.HeaderRow != 4 || len(tab.Rows) != 2 || tab.Skipped != 3 {
		t.Fatalf("sheet %q, header row %d, %d rows, %d skipped; want Data, 4, 2, 3 (rows 6-8)", tab.Sheet, tab.HeaderRow, len(tab.Rows), tab.Skipped)
	}
	diff(t, "row 9", []any{tab.Rows[1].Number, figures(tab.Rows[1])},
		[]any{9, map[jkn.Field]float64{jkn.FieldPopulation: 1801367, jkn.FieldParticipants: 1}})
	diff(t, "as of", []any{tab.AsOf, tab.AsOfOrigin}, []any{day(2025, 5, 1), AsOfTitleCell})
	if b.Opens[1] != 0 || b.Opens[2] != 1 || b.Closes != 1 {
		t.Errorf("opens %v, %d closes: want the data sheet opened and closed once, the hidden one never", b.Opens, b.Closes)
	}
}

// TestSeamFormulasAndDates: a formula without a value is a finding with
// its text; a date-formatted number above the header is the as-of date.
func TestSeamFormulasAndDates(t *testing.T) {
	b := readtest.NewBook(dataSheet(
		read.Row{Number: 1, Cells: []read.Cell{txt("Rekap"), {Kind: read.Number, Text: "45170", Date: true}}},
		readtest.Row(2, "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta"),
		read.Row{Number: 3, Cells: []read.Cell{txt("Kab. Banyuasin"), num("837062"), {Kind: read.Formula, Text: "B3*2"}}},
		read.Row{Number: 4, Cells: []read.Cell{{}, {}, {Kind: read.Formula}}},
	))
	tab, err := parseBook(t, b)
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "as of", []any{tab.AsOf, tab.AsOfOrigin, tab.AsOfDetail}, []any{day(2023, 9, 1), AsOfTitleCell, "cell B1 (date-formatted) 2023-09-01"})
	diff(t, "findings", findingTexts(tab.Findings), []string{
		`formula_without_value mem.xlsx: sheet "Data" row 3 column C: formula "=B3*2" has no cached value: open and save the file in Excel or LibreOffice [rejected]`,
		`no_region mem.xlsx: sheet "Data" row 4: no region name or code [rejected]`,
	})
}

// TestSeamRestart: a sheet the reader gives up on part way is read again
// from its start; ParseRows starts its table again.
func TestSeamRestart(t *testing.T) {
	sheet := dataSheet(readtest.Row(1, "Kabupaten/Kota", "Jumlah Penduduk"))
	for n := 2; n <= 40; n++ {
		sheet.Rows = append(sheet.Rows, readtest.Row(n, "Kab. Banyuasin", "837062"))
	}
	sheet.Restart = 35 // after the head rows: the table has been started
	b := readtest.NewBook(sheet)
	tables, rows := 0, 0
	tab, err := ParseRows("mem.xlsx", testModTime, []byte("MEM"), Options{Formats: read.Registry{readtest.Format("mem", "MEM", b)}},
		func(*Table, int) { tables, rows = tables+1, 0 }, func(Row) { rows++ })
	if err != nil || tab == nil {
		t.Fatal(err)
	}
	if tables != 2 || rows != 39 || b.Opens[0] != 2 || b.Closes != 2 {
		t.Errorf("%d tables, %d rows, %d opens, %d closes; want 2, 39, 2, 2", tables, rows, b.Opens[0], b.Closes)
	}
	// A reader that gives up again is an error, not a loop.
	sheet.Restart = 1
	b = readtest.NewBook(sheet)
	again := &restartingBook{b}
	_, err = Parse("mem.xlsx", testModTime, []byte("MEM"), Options{Formats: read.Registry{readtest.Format("mem", "MEM", again)}})
	if !errors.Is(err, read.ErrRestart) || !strings.Contains(err.Error(), `rejected (corrupt): sheet "Data"`) {
		t.Errorf("restarting twice: %v", err)
	}
}

// restartingBook gives up on its sheets every time.
type restartingBook struct{ *readtest.Book }

func (b *restartingBook) Open(i int) (read.Sheet, error) {
	b.Book.Opens = map[int]int{} // every Open is a first one
	return b.Book.Open(i)
}

// TestSeamErrors: a reader's errors reject the file, naming the sheet.
func TestSeamErrors(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{errors.New("broken row"), `mem.xlsx: rejected (corrupt): sheet "Data": broken row`},
		{read.TooManyRows(5), `mem.xlsx: rejected (too_many_rows): sheet "Data": more than 5 rows with values (limits.max_rows): split the sheet, or raise the limit`},
	} {
		sheet := dataSheet(readtest.Row(1, "Kabupaten/Kota", "Jumlah Penduduk"), readtest.Row(2, "Kab. Banyuasin", "837062"))
		sheet.Err = tc.err
		_, err := parseBook(t, readtest.NewBook(sheet))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%v: got %v, want %s", tc.err, err, tc.want)
		}
	}
	// Rows past the limit, whatever the reader gives.
	sheet := dataSheet(readtest.Row(1, "Kabupaten/Kota", "Jumlah Penduduk"))
	for n := 2; n < 40; n++ {
		sheet.Rows = append(sheet.Rows, readtest.Row(n, "Kab. Banyuasin", "1"))
	}
	_, err := Parse("mem.xlsx", testModTime, []byte("MEM"), Options{Limits: read.Limits{MaxRows: 5},
		Formats: read.Registry{readtest.Format("mem", "MEM", readtest.NewBook(sheet))}})
	if err == nil || !strings.Contains(err.Error(), "rejected (too_many_rows)") {
		t.Errorf("over the row limit: %v", err)
	}
}

// TestSeamLayout: merges make a two-row header; hidden columns are
// marked.
func TestSeamLayout(t *testing.T) {
	sheet := dataSheet(
		readtest.Row(1, "Kabupaten/Kota", "Peserta JKN", ""),
		readtest.Row(2, "", "Jumlah", "Aktif"),
		readtest.Row(3, "Kab. Banyuasin", "817221", "700000"),
	)
	sheet.Layout = read.Layout{Merges: []read.Range{{Top: 1, Left: 0, Bottom: 2, Right: 0}, {Top: 1, Left: 1, Bottom: 1, Right: 2}}, Hidden: map[int]bool{2: true}}
	tab, err := parseBook(t, readtest.NewBook(sheet))
	if err != nil {
		t.Fatal(err)
	}
	diff(t, "columns", columns(tab.Columns), []string{
		`A name "Kabupaten/Kota"`,
		`B participants "Peserta JKN / Jumlah"`,
		`C active "Peserta JKN / Aktif" hidden`,
	})
}

// TestSeamEmpty: a sheet without a table is empty when no cell is, and
// a sheet of blank cells is empty.
func TestSeamEmpty(t *testing.T) {
	blank := dataSheet(read.Row{Number: 1, Cells: []read.Cell{{}, {}}}, read.Row{Number: 40})
	_, err := parseBook(t, readtest.NewBook(blank))
	if err == nil || !strings.Contains(err.Error(), "rejected (empty): every sheet is empty") {
		t.Errorf("blank sheet: %v", err)
	}
	late := dataSheet(read.Row{Number: 45, Cells: []read.Cell{txt("catatan")}})
	_, err = parseBook(t, readtest.NewBook(late))
	if err == nil || !strings.Contains(err.Error(), "rejected (no_table)") {
		t.Errorf("a cell below the header rows: %v", err)
	}
}

// TestSeamMaxColumns: a value past read.MaxColumns rejects the file,
// whichever reader gave the row, naming the cell; blank cells past it
// and a value in the last column allowed are read (issue 14).
func TestSeamMaxColumns(t *testing.T) {
	row := func(n, col int, c read.Cell) read.Row {
		r := readtest.Row(n, "Kab. Banyuasin", "837062", "817221")
		for len(r.Cells) <= col {
			r.Cells = append(r.Cells, read.Cell{})
		}
		r.Cells[col] = c
		return r
	}
	header := readtest.Row(1, "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta")
	for _, tc := range []struct {
		name string
		row  read.Row
		err  string
	}{
		{"blank past the bound", row(2, 16383, read.Cell{}), ""},
		{"a value in column AMJ", row(2, read.MaxColumns-1, txt("catatan")), ""},
		{"a value in column AMK", row(2, read.MaxColumns, txt("catatan")), "cell AMK2 holds a value past column AMJ, the 1024th"},
		{"a value in column XFD", row(2, 16383, num("1")), "cell XFD2 holds a value past column AMJ"},
	} {
		tab, err := parseBook(t, readtest.NewBook(dataSheet(header, tc.row)))
		var fe *jkn.FileError
		switch {
		case tc.err == "" && (err != nil || len(tab.Rows) != 1):
			t.Errorf("%s: %v, want the row read", tc.name, err)
		case tc.err != "" && (!errors.As(err, &fe) || fe.Reason != jkn.ReasonTooLarge || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: %v, want too_large %q", tc.name, err, tc.err)
		}
	}
}
