package table

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// The hostile inputs of RELIABILITY.md, at the parser: each is rejected
// with its reason and a message that says what to do, or read within the
// limits. Inputs are generated (internal/hostile), never committed. The
// exporter-level tests (exporter/hostile_test.go) check that a rejection
// leaves what is served untouched and bound the heap. The bounds of the
// .xlsx format itself are tested in sources/read/xlsx/limits_test.go.

// parseErr parses a workbook that must be rejected and returns its error.
func parseErr(t *testing.T, data []byte, opts Options, reason, msg string) {
	t.Helper()
	tab, err := Parse("hostile.xlsx", testModTime, data, opts)
	var fe *jkn.FileError
	if !errors.As(err, &fe) {
		t.Fatalf("Parse: %v (%d rows), want a rejection (%s)", err, rowsOf(tab), reason)
	}
	if fe.Reason != reason || !strings.Contains(fe.Error(), msg) {
		t.Fatalf("Parse: %v, want reason %s and %q", err, reason, msg)
	}
}

func rowsOf(t *Table) int {
	if t == nil {
		return 0
	}
	return len(t.Rows)
}

// parseOK parses a workbook that must be read and returns its table.
func parseOK(t *testing.T, data []byte, opts Options) *Table {
	t.Helper()
	tab, err := Parse("hostile.xlsx", testModTime, data, opts)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return tab
}

func TestLimitZipBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a zip bomb")
	}
	// 3 GiB of rows in a few megabytes: rejected from the sizes the archive
	// declares, before anything is unpacked (archive/zip then holds each
	// entry to its declared size).
	parseErr(t, hostile.ZipBomb(3<<30), Options{}, jkn.ReasonTooLarge, fmt.Sprintf("unpacks to more than the limit of %d bytes", read.DefaultUnzipSizeLimit))
}

func TestLimitRows(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: a million rows")
	}
	parseErr(t, hostile.ManyRows(1_000_000), Options{}, jkn.ReasonTooManyRows,
		fmt.Sprintf("more than %d rows with values (limits.max_rows)", read.DefaultMaxRows))
	parseErr(t, hostile.ManyRows(1000), Options{Limits: read.Limits{MaxRows: 500}}, jkn.ReasonTooManyRows, "more than 500 rows")
	// Within the limit: every row is read (the title and header count too).
	if tab := parseOK(t, hostile.ManyRows(1000), Options{Limits: read.Limits{MaxRows: 1002}}); len(tab.Rows) != 1000 {
		t.Errorf("%d rows read, want 1000", len(tab.Rows))
	}
}

func TestLimitLongCells(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: cells of Excel's longest text")
	}
	// 32,767 characters, Excel's most, in names and extra columns: read.
	tab := parseOK(t, hostile.LongCells(40, 8, 32767), Options{})
	if len(tab.Rows) != 40 || tab.Rows[0].Name != "Kab. Banyuasin" || len(tab.Rows[2].Name) != 32767 {
		t.Fatalf("%d rows, first %q", len(tab.Rows), tab.Rows[0].Name)
	}
	// A text node longer than any cell can be is a hostile file.
	big := hostile.Package([]hostile.Sheet{{Name: "S", Part: hostile.Part{Data: []byte(hostile.SheetHead +
		hostile.Row(hostile.Header...) + hostile.Row("16.07", strings.Repeat("x", 2<<20), "1", "1") + hostile.SheetTail)}}}, nil)
	parseErr(t, big, Options{}, jkn.ReasonTooLarge, "a text or tag longer than")
	// A row over maxRowText: 200 cells of 32,767 characters.
	wide := make([]string, 200)
	for i := range wide {
		wide[i] = strings.Repeat("y", 32767)
	}
	parseErr(t, hostile.Table("1 Mei 2025", wide), Options{}, jkn.ReasonTooLarge, "row 3 holds more than")
}

// TestLimitLongHeaderText: a header cell of thousands of words is matched
// in linear time (lookupWords tried every prefix of every suffix: with
// 4,681 words, hundreds of gigabytes of string joins).
func TestLimitLongHeaderText(t *testing.T) {
	long := strings.TrimSpace(strings.Repeat("jumlah ", 4681))
	rows := [][]string{{long, "Kabupaten/Kota", long + " penduduk", "Jumlah Peserta"}}
	h, ok := findHeader(rows, nil, nil)
	// "jumlah … jumlah penduduk" is population, as "Jumlah Penduduk" is.
	if !ok || len(h.columns) != 3 || h.columns[1].Field != jkn.FieldPopulation {
		t.Fatalf("found %v, want the name, population and participants columns", ok)
	}
	for _, a := range aliases {
		for _, n := range a.names {
			if w := len(strings.Fields(n)); w > maxAliasWords {
				t.Errorf("alias %q has %d words, over maxAliasWords", n, w)
			}
		}
	}
}

func TestLimitMergedRanges(t *testing.T) {
	tab := parseOK(t, hostile.ManyMerges(20_000), Options{})
	if len(tab.Rows) != 2 || tab.HeaderRow != 2 || len(tab.Columns) != 4 {
		t.Fatalf("header row %d, columns %v, rows %d", tab.HeaderRow, columns(tab.Columns), len(tab.Rows))
	}
}

func TestLimitSheets(t *testing.T) {
	// The table first, hundreds of sheets after it: read at once.
	if tab := parseOK(t, hostile.ManySheets(300, 1), Options{}); tab.Sheet != "Lampiran 1" {
		t.Errorf("sheet %q", tab.Sheet)
	}
	// No table in the first max_sheets visible sheets: rejected, saying so.
	parseErr(t, hostile.ManySheets(300, 0), Options{}, jkn.ReasonNoTable,
		fmt.Sprintf("only the first %d visible sheets are examined (limits.max_sheets)", read.DefaultMaxSheets))
	parseErr(t, hostile.ManySheets(60, 40), Options{}, jkn.ReasonNoTable, "limits.max_sheets")
	if tab := parseOK(t, hostile.ManySheets(60, 40), Options{Limits: read.Limits{MaxSheets: 64}}); tab.Sheet != "Lampiran 40" {
		t.Errorf("sheet %q", tab.Sheet)
	}
}

func TestLimitLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 50 MB of media")
	}
	// 50 MB of media beside the table: the parser reads the table and never
	// unpacks the media (the exporter bounds the file size itself).
	if tab := parseOK(t, hostile.LargeFile(50<<20), Options{}); len(tab.Rows) != 2 {
		t.Errorf("%d rows", len(tab.Rows))
	}
}

func TestLimitMetadataBombs(t *testing.T) {
	// Parts excelize would parse whole at open are never given to it.
	for _, part := range []string{"xl/styles.xml", "xl/calcChain.xml", "xl/theme/theme1.xml"} {
		if tab := parseOK(t, hostile.MetadataBomb(part, 64<<20), Options{}); len(tab.Rows) != 2 {
			t.Errorf("%s: %d rows", part, len(tab.Rows))
		}
	}
}

func TestLimitHostileText(t *testing.T) {
	tab := parseOK(t, hostile.HostileText(), Options{})
	if tab.Sheet != `Rekap "x" \ y` {
		t.Errorf("sheet %q", tab.Sheet)
	}
	found := false
	for _, r := range tab.Rows {
		found = found || r.Name == hostile.EvilXML
	}
	if !found {
		t.Errorf("the hostile name was not read as written: %+v", tab.Rows)
	}
}

// TestLimitLongTitleAndDateCells: date patterns cost microseconds a byte,
// so the title area is scanned for a date up to a budget, and a date cell
// longer than any date is not one. A date written after 29 rows of long
// title cells is past the budget: the file name gives the date instead.
func TestLimitLongTitleAndDateCells(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: long title and date cells")
	}
	long := strings.Repeat("per 1 ", 6000)
	var rows strings.Builder
	rows.WriteString(hostile.SheetHead)
	for r := 1; r <= 28; r++ {
		rows.WriteString(hostile.Row(long, long, long))
	}
	rows.WriteString(hostile.Row(long, "Posisi Data : 1 Mei 2025"))
	rows.WriteString(hostile.Row("Kode", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "Tanggal"))
	rows.WriteString(hostile.Row("16.07", "Kab. Banyuasin", "837062", "817221", "1 Mei 2025"+long))
	rows.WriteString(hostile.Row("16.71", "Kota Palembang", "1801367", "1787156", ""))
	rows.WriteString(hostile.SheetTail)
	data := hostile.Package([]hostile.Sheet{{Name: "Rekap", Part: hostile.Part{Data: []byte(rows.String())}}}, nil)
	tab, err := Parse("rekap_juni_2025.xlsx", testModTime, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tab.HeaderRow != 30 || tab.AsOfOrigin != AsOfFileName || !tab.AsOf.Equal(day(2025, 6, 1)) {
		t.Errorf("header row %d, as of %v from %s: want row 30, 2025-06-01 from the file name", tab.HeaderRow, tab.AsOf, tab.AsOfOrigin)
	}
	if len(tab.Findings) != 1 || tab.Findings[0].Check != "bad_date" || tab.Findings[0].Row != 31 {
		t.Errorf("findings %v, want the long date cell of row 31 as bad_date", findingTexts(tab.Findings))
	}
	if _, ok := ParseDate(strings.Repeat(" ", 100) + "1 Mei 2025" + strings.Repeat(" ", 100)); !ok {
		t.Error("spaces around a date count against the bound")
	}
}
