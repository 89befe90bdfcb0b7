package table

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xlsx"
)

// The fuzz targets below run their seed corpus (the f.Add calls and
// testdata/fuzz/<target>/) as ordinary tests under `go test`; `make fuzz`
// runs each with -fuzz for FUZZTIME. Inputs that once failed are kept in
// testdata/fuzz/<target>/ as regression cases.

// fuzzOptions keeps one fuzzed workbook cheap: small unzip limits, so the
// fuzzer explores the parser rather than the allocator.
var fuzzOptions = Options{Limits: read.Limits{UnzipSizeLimit: 8 << 20, UnzipXMLSizeLimit: 1 << 20, MaxRows: 2000, MaxSheets: 8, MaxSharedStrings: 20000}}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"817221", "817.221", "1.234.567", "97,63%", "97.63%", "1.234,5", "817,221", "0.9763", "1.2E+5",
		"-", "–", "", " 1 234 ", "1\u00a0234", "-0", "+5", "%5", "1e309", "0x10", "NaN", "Inf", ",5", ".5",
		"1..2", "1,,2", "01.234", "1.2345", "9" + strings.Repeat("9", 400), "1e-400", "5%%", "1.234.56",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, ratio bool) {
		v, err := ParseNumber(s, ratio)
		if err != nil {
			if v != 0 {
				t.Errorf("ParseNumber(%q, %v) = %v with error %v: an error must come with 0", s, ratio, v, err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Fatalf("ParseNumber(%q, %v) = %v: want a finite, non-negative figure", s, ratio, v)
		}
		if !ratio && v != math.Round(v) {
			t.Fatalf("ParseNumber(%q, false) = %v: a count must be whole", s, v)
		}
		// A figure read once reads the same when written plainly: the
		// parser never depends on anything but the text.
		if !ratio && v < 1e15 {
			plain := fmt.Sprintf("%.0f", v)
			if again, err := ParseNumber(plain, false); err != nil || again != v {
				t.Fatalf("ParseNumber(%q) = %v, but %q reads as %v, %v", s, v, plain, again, err)
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{
		"2025-05-01", "01/05/2025", "01-05-2025", "1 Mei 2025", "1 September 2023", "May 1, 2025", "20250501",
		"Mei 2025", "Semester II 2022", "smt. 1 th 2024", "31 Juni 2025", "29 Februari 2024", "29 Februari 2023",
		"Posisi Data : 1 September 2023", "per 1 Mei 2025", "Data per 16 Juli 2024", "2025-13-01", "1999-01-01",
		"2025-05-01T10:00:00Z", "1.5.2025", "sept 2025", strings.Repeat("1 mei 2025 ", 200),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		check := func(what string, d time.Time) {
			if d.Year() < 2000 || d.Year() > 2100 || d.Location() != time.UTC || d.Hour()+d.Minute()+d.Second()+d.Nanosecond() != 0 {
				t.Fatalf("%s(%q) = %v: want midnight UTC of a year in 2000..2100", what, s, d)
			}
		}
		if d, ok := ParseDate(s); ok {
			check("ParseDate", d)
			// The date written back in ISO form is the same date.
			if again, ok := ParseDate(d.Format(time.DateOnly)); !ok || !again.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v, but its ISO form reads as %v, %v", s, d, again, ok)
			}
		}
		if d, text, ok := findDate(s); ok {
			check("findDate", d)
			if !strings.Contains(strings.ToLower(s), text) {
				t.Fatalf("findDate(%q) found %q, which is not in the text", s, text)
			}
		}
	})
}

// FuzzFindHeader fuzzes header detection on rows of text: rows are lines,
// cells are tab-separated; merges are "A1:C2" ranges separated by ';'.
func FuzzFindHeader(f *testing.F) {
	for _, tc := range [][2]string{
		{"Kode\tKabupaten/Kota\tJumlah Penduduk\tJumlah Peserta", ""},
		{"Rekap Kepesertaan JKN\nPosisi Data : 1 September 2023\n\nNo\tKabupaten/Kota\tJumlah Penduduk\tPeserta JKN\t\t\n\t\t\tJumlah\tAktif\tNon Aktif", "A4:A5;B4:B5;C4:C5;D4:F4"},
		{"Provinsi\tKecamatan\tDesa/Kelurahan\tPenduduk\tPeserta\t% Aktif\tPBPU Pemda", ""},
		{"Region\tPopulation\tParticipants\tActive\tCoverage %", "A1:A1"},
		{"Nama Wilayah\tJml. Penduduk\n1\t2", "A1:B2"},
		{"No\tKabupaten/Kota\tJumlah Penduduk\tData Kepesertaan\n\t\t\tKepesertaan JKN\t\t\t% Cakupan\n\t\t\tJumlah\tAktif\tNon Aktif", "A1:A3;B1:B3;C1:C3;D1:G1;D2:F2;G2:G3"},
		{"Kecamatan\tPenduduk\tPBI APBN\t\tPBPU\n\t\tAktif\tNon Aktif\tAktif\tNon Aktif", "A1:A2;B1:B2;C1:D1;E1:F1"},
		{strings.Repeat("jumlah ", 500) + "\tpenduduk\tkode", ""},
		{strings.Repeat("x\t", 300), strings.Repeat("A1:B2;", 50)},
	} {
		f.Add(tc[0], tc[1])
	}
	f.Fuzz(func(t *testing.T, text, mergeSpec string) {
		var rows [][]string
		for _, line := range strings.Split(text, "\n") {
			rows = append(rows, strings.Split(line, "\t"))
		}
		var merges []read.Range
		for _, ref := range strings.Split(mergeSpec, ";") {
			if r, ok := xlsx.ParseRange(ref); ok {
				merges = append(merges, r)
			}
		}
		hidden := map[int]bool{1: true}
		h, ok := findHeader(rows, merges, hidden)
		if !ok {
			return
		}
		if !h.valid() {
			t.Fatalf("findHeader returned a header without a region and a figure column: %+v", h)
		}
		if h.top < 1 || h.row < h.top || h.row-h.top >= maxHeaderRows || h.row > min(len(rows), headerScanRows) {
			t.Fatalf("header rows %d..%d out of range (%d rows)", h.top, h.row, len(rows))
		}
		seen := map[string]bool{}
		width := 0
		for r := h.top; r <= h.row; r++ {
			width = max(width, len(rows[r-1]))
		}
		for _, c := range h.columns {
			if c.Field == "" || seen[c.Name()] {
				t.Fatalf("column %+v: empty or repeated field", c)
			}
			seen[c.Name()] = true
			if c.Index < 0 || c.Index >= width || c.Letter != jkn.ColumnLetter(c.Index) || c.Hidden != hidden[c.Index] {
				t.Fatalf("column %+v does not match its place (width %d)", c, width)
			}
		}
	})
}

// seedWorkbooks are the test workbooks of the exporter's golden cases and
// a few built here: good, broken and odd ones.
func seedWorkbooks(f *testing.F) [][]byte {
	f.Helper()
	paths, err := filepath.Glob("../../exporter/testdata/*/*.xlsx")
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed workbooks under exporter/testdata: %v", err)
	}
	var out [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	b := newBook(f, "Cover").row("Cover", 1, "Petunjuk pengisian").sheet("Data").
		row("Data", 1, "Posisi Data : 1 Mei 2025").
		row("Data", 3, "No", "Kode", "Kabupaten/Kota", "Jumlah Penduduk", "Peserta JKN", nil, "Cakupan").
		row("Data", 4, nil, nil, nil, nil, "Jumlah", "Aktif").
		merge("Data", "E3", "F3").
		row("Data", 5, 1, "16.07", "Kab. Banyuasin", "837.062", 817221, 700000, "97,63%").
		row("Data", 6, 2, "16.71", "Kota Palembang", 1801367, "1.787.156", "-", 0.99).
		row("Data", 7, "JUMLAH", nil, nil, 2638429, 2604377).
		row("Data", 8, "Sumber: BPJS Kesehatan")
	b.formula("Data", "F7", "SUM(F5:F6)")
	out = append(out, b.bytes())
	out = append(out, zipOf(f, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}))
	out = append(out, readtest.CFB("EncryptedPackage"), readtest.CFB("Workbook"), []byte("Kode;Nama;Penduduk\n16.07;Banyuasin;1\n"))
	return out
}

// knownReasons are the FileError reasons Parse may give.
var knownReasons = map[string]bool{
	jkn.ReasonUnsupportedFormat: true, jkn.ReasonEncrypted: true, jkn.ReasonEmpty: true, jkn.ReasonNoTable: true,
	jkn.ReasonCorrupt: true, jkn.ReasonTooLarge: true, jkn.ReasonTooManyRows: true,
}

// checkParse runs Parse and checks what any input must give: a table
// whose rows and figures make sense, or a *FileError with a known reason.
func checkParse(t *testing.T, data []byte) {
	t.Helper()
	tab, err := Parse("fuzz.xlsx", testModTime, data, fuzzOptions)
	if err != nil {
		var fe *jkn.FileError
		if !errors.As(err, &fe) || !knownReasons[fe.Reason] || fe.File != "fuzz.xlsx" {
			t.Fatalf("Parse error %v (%T): want a *FileError with a known reason", err, err)
		}
		if tab != nil {
			t.Fatal("Parse returned a table with an error")
		}
		// Parse recovers from a panic so that the exporter survives it; the
		// fuzzer must still see it.
		if strings.Contains(fe.Error(), errParserFailure) {
			t.Fatalf("parser failure: %v", fe)
		}
		return
	}
	if tab.HeaderRow < 1 || tab.HeaderRow > headerScanRows+1 || tab.HeaderRows < 1 || tab.HeaderRows > maxHeaderRows {
		t.Fatalf("header row %d (%d rows)", tab.HeaderRow, tab.HeaderRows)
	}
	if len(tab.Rows) > fuzzOptions.Limits.MaxRows {
		t.Fatalf("%d rows read, over the limit of %d", len(tab.Rows), fuzzOptions.Limits.MaxRows)
	}
	for _, r := range tab.Rows {
		if r.Number <= tab.HeaderRow {
			t.Fatalf("row %d read above the header row %d", r.Number, tab.HeaderRow)
		}
		for field, v := range r.Figures.All() {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || !field.IsRatio() && v != math.Round(v) {
				t.Fatalf("row %d %s = %v", r.Number, field, v)
			}
		}
	}
	for _, fd := range tab.Findings {
		if fd.Check == "" || fd.Reason == "" || !utf8.ValidString(fd.Check) {
			t.Fatalf("finding without check or reason: %+v", fd)
		}
	}
}

// FuzzParse fuzzes whole files. Most mutations break the zip structure,
// which exercises the checks before excelize; FuzzParseSheet fuzzes what
// is inside a well-formed package.
func FuzzParse(f *testing.F) {
	for _, data := range seedWorkbooks(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, data) })
}

// FuzzParseSheet fuzzes the sheet XML and the shared strings of an
// otherwise well-formed workbook package.
func FuzzParseSheet(f *testing.F) {
	for _, tc := range [][2]string{
		{`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>` +
			`<row r="2"><c r="A1" t="inlineStr"><is><t>16.07</t></is></c><c r="B2" t="s"><v>3</v></c><c r="C2"><v>837062</v></c></row>`,
			`<si><t>Kode</t></si><si><t>Kabupaten/Kota</t></si><si><t>Jumlah Penduduk</t></si><si><t>Kab. Banyuasin</t></si>`},
		{`<row r="1"><c r="A1" t="inlineStr"><is><t>Posisi Data : 1 Mei 2025</t></is></c></row>` +
			`<row r="3"><c r="A3" t="inlineStr"><is><t>Wilayah</t></is></c><c r="B3" t="inlineStr"><is><t>Peserta</t></is></c></row>` +
			`<row r="4"><c r="A4" t="inlineStr"><is><t>Aceh</t></is></c><c r="B4"><f>1+1</f></c></row>` +
			`<row r="5"><c r="A5" t="inlineStr"><is><t>Bali</t></is></c><c r="B5"><f t="shared" si="0"/></c></row>`, ``},
		{`<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c></row><row><c t="s"><v>2</v></c><c><v>1e3</v></c></row>`,
			`<si><r><t>Nama </t></r><r><t>Wilayah</t></r></si><si><t>Penduduk</t></si><si><t>X</t></si>`},
		{`<row r="1048576"><c r="XFD1048576" t="s"><v>99999999</v></c></row>`, `<si><t/></si>`},
	} {
		f.Add(tc[0], tc[1], `<mergeCell ref="A3:A4"/>`, `<col min="2" max="3" hidden="1"/>`)
	}
	f.Fuzz(func(t *testing.T, rows, shared, merges, cols string) {
		checkParse(t, hostile.SheetPackage(rows, shared, merges, cols))
	})
}
