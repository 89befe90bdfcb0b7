package table

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// figures flattens a row's figures for comparison.
func figures(r Row) map[jkn.Field]float64 {
	return r.Figures.Map()
}

// columns lists a table's columns as "B name \"Kabupaten/Kota\"" lines.
func columns(cols []Column) []string {
	var out []string
	for _, c := range cols {
		s := fmt.Sprintf("%s %s %q", c.Letter, c.Name(), c.Header)
		if c.Field == "" {
			s = fmt.Sprintf("%s %q", c.Letter, c.Header)
		}
		if c.Hidden {
			s += " hidden"
		}
		out = append(out, s)
	}
	return out
}

func findingTexts(fs []jkn.Finding) []string {
	var out []string
	for _, f := range fs {
		s := fmt.Sprintf("%s %s", f.Check, f)
		if f.Rejected {
			s += " [rejected]"
		}
		out = append(out, s)
	}
	return out
}

func diff[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %#v\nwant %#v", what, got, want)
	}
}

// seedBook is the Kab. Banyuasin sheet of the news reports the project
// started from.
func seedBook(t testing.TB) []byte {
	return newBook(t, "Rekap").
		row("Rekap", 1, "REKAPITULASI KEPESERTAAN JKN KANTOR CABANG PALEMBANG").
		row("Rekap", 2, "Posisi Data : 1 September 2023").
		row("Rekap", 4, "No", "Kabupaten/Kota", "Jumlah Penduduk", "Peserta JKN", "Cakupan", "PBPU Pemda").
		row("Rekap", 5, 1, "Kab. Banyuasin", "837.062", "817.221", "97,63%", "38.096").
		row("Rekap", 6, "JUMLAH", nil, "837.062", "817.221", "97,63%", "38.096").
		bytes()
}

func TestParseSeed(t *testing.T) {
	tab := mustParse(t, "kc_palembang.xlsx", seedBook(t))
	diff(t, "sheet", tab.Sheet, "Rekap")
	diff(t, "header row", []int{tab.HeaderRow, tab.HeaderRows}, []int{4, 1})
	diff(t, "columns", columns(tab.Columns), []string{
		`B name "Kabupaten/Kota"`,
		`C population "Jumlah Penduduk"`,
		`D participants "Peserta JKN"`,
		`E coverage_reported "Cakupan"`,
		`F segment_pbpu_pemda "PBPU Pemda"`,
	})
	if len(tab.Rows) != 1 {
		t.Fatalf("rows: %+v", tab.Rows)
	}
	r := tab.Rows[0]
	diff(t, "row", []any{r.Number, r.Name, r.Code}, []any{5, "Kab. Banyuasin", ""})
	diff(t, "figures", figures(r), map[jkn.Field]float64{
		jkn.FieldPopulation:       837062,
		jkn.FieldParticipants:     817221,
		jkn.FieldCoverageReported: 0.9763,
		jkn.FieldPBPUPemda:        38096,
	})
	pop, _ := r.Figures.Get(jkn.FieldPopulation)
	popCol, _ := tab.Column(jkn.FieldPopulation)
	diff(t, "population value", []any{pop, popCol.Letter}, []any{837062.0, "C"})
	diff(t, "as of", []any{tab.AsOf, tab.AsOfOrigin, tab.AsOfDetail},
		[]any{day(2023, 9, 1), AsOfTitleCell, `cell A2 "Posisi Data : 1 September 2023"`})
	diff(t, "skipped (JUMLAH)", tab.Skipped, 1)
	diff(t, "findings", findingTexts(tab.Findings), []string(nil))
}

// TestParseTwoRowHeader reads a sheet as branch offices lay them out: a
// cover sheet and a hidden sheet first, title rows, a two-row header with
// merged cells, column numbers, a hidden column, percent-formatted
// fractions, text numbers, totals, footnotes and a section heading.
func TestParseTwoRowHeader(t *testing.T) {
	b := newBook(t, "Petunjuk").
		row("Petunjuk", 1, "Petunjuk pengisian").
		row("Petunjuk", 2, "Isi jumlah penduduk dan peserta per kabupaten/kota.").
		sheet("Arsip").
		row("Arsip", 1, "Kabupaten/Kota", "Jumlah Penduduk").
		row("Arsip", 2, "Kab. Lama", 1).
		hideSheet("Arsip").
		sheet("Data").
		row("Data", 1, "Jumlah penduduk Semester I 2024").
		row("Data", 2, "Data per 16 Juli 2024").
		row("Data", 3, "No", "Kabupaten/Kota", "Kode Wilayah", "Jumlah Penduduk", "Peserta JKN", nil, nil, "Cakupan", "% Aktif", "Keterangan", "Segmen").
		row("Data", 4, nil, nil, nil, nil, "Jumlah", "Aktif", "Non Aktif", nil, nil, nil, "PBPU", "PBPU Pemda").
		merge("Data", "A3", "A4").merge("Data", "B3", "B4").merge("Data", "C3", "C4").merge("Data", "D3", "D4").
		merge("Data", "E3", "G3").merge("Data", "H3", "H4").merge("Data", "I3", "I4").merge("Data", "J3", "J4").
		merge("Data", "K3", "L3").
		row("Data", 5, "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)", "(12)").
		row("Data", 6, 1, "Kab. Bangka Tengah", "19.04", 202131, 195158, 151460, 43698, 0.9655, "74,93", nil, 1000, 2000).
		numFmt("Data", "H6", "H8", 10).
		row("Data", 8, 2, "Kab. Banjar", "63.03", "590.393", "581.578", "472.638", "108.940", "99,47%", "80.05%", "UHC Madya", "-").
		row("Data", 9, "TOTAL", nil, nil, 792524, 776736, 624098, 152638).
		merge("Data", "A9", "B9").
		row("Data", 10, "Sumber: BPJS Kesehatan").
		row("Data", 11, "*) data sementara", "diolah").
		row("Data", 12, nil, "A. KOTA").
		hideColumn("Data", "F")
	tab := mustParse(t, "wilayah.xlsx", b.bytes())

	diff(t, "sheet", tab.Sheet, "Data")
	diff(t, "header row", []int{tab.HeaderRow, tab.HeaderRows}, []int{4, 2})
	diff(t, "columns", columns(tab.Columns), []string{
		`B name "Kabupaten/Kota"`,
		`C code "Kode Wilayah"`,
		`D population "Jumlah Penduduk"`,
		`E participants "Peserta JKN / Jumlah"`,
		`F active "Peserta JKN / Aktif" hidden`,
		`G inactive "Peserta JKN / Non Aktif"`,
		`H coverage_reported "Cakupan"`,
		`I active_reported "% Aktif"`,
		`K segment_pbpu "Segmen / PBPU"`,
		`L segment_pbpu_pemda "Segmen / PBPU Pemda"`,
	})
	diff(t, "ignored", columns(tab.Ignored), []string{`J "Keterangan"`})
	if len(tab.Rows) != 2 {
		t.Fatalf("rows: %+v\nfindings: %v", tab.Rows, tab.Findings)
	}
	diff(t, "row 6", []any{tab.Rows[0].Number, tab.Rows[0].Name, tab.Rows[0].Code}, []any{6, "Kab. Bangka Tengah", "19.04"})
	diff(t, "row 6 figures", figures(tab.Rows[0]), map[jkn.Field]float64{
		jkn.FieldPopulation: 202131, jkn.FieldParticipants: 195158, jkn.FieldActive: 151460, jkn.FieldInactive: 43698,
		jkn.FieldCoverageReported: 0.9655, jkn.FieldActiveReported: 0.7493, jkn.FieldPBPU: 1000, jkn.FieldPBPUPemda: 2000,
	})
	// "-" and an empty cell are absent, never 0.
	diff(t, "row 8 figures", figures(tab.Rows[1]), map[jkn.Field]float64{
		jkn.FieldPopulation: 590393, jkn.FieldParticipants: 581578, jkn.FieldActive: 472638, jkn.FieldInactive: 108940,
		jkn.FieldCoverageReported: 0.9947, jkn.FieldActiveReported: 0.8005,
	})
	// Column numbers, blank row 7, TOTAL, two footnotes, the section heading.
	diff(t, "skipped", tab.Skipped, 6)
	diff(t, "findings", findingTexts(tab.Findings), []string(nil))
	diff(t, "as of", []any{tab.AsOf, tab.AsOfOrigin, tab.AsOfDetail},
		[]any{day(2024, 7, 16), AsOfTitleCell, `cell A2 "Data per 16 Juli 2024"`})
}

// TestParseHeaderWithoutMerges reads a two-row header whose group cell is
// not merged: the lower row alone still maps.
func TestParseHeaderVariants(t *testing.T) {
	for _, tc := range []struct {
		name    string
		build   func(*book)
		header  []int
		columns []string
	}{{
		name: "english one-row header at row 1",
		build: func(b *book) {
			b.row("S", 1, "Region Code", "Region", "Population", "Participants", "Active", "Coverage %").
				row("S", 2, "16.07", "Banyuasin", 837062, 817221, 700000, "97.63%")
		},
		header: []int{1, 1},
		columns: []string{`A code "Region Code"`, `B name "Region"`, `C population "Population"`,
			`D participants "Participants"`, `E active "Active"`, `F coverage_reported "Coverage %"`},
	}, {
		name: "group title row above a one-row header",
		build: func(b *book) {
			b.row("S", 5, "DATA KEPESERTAAN JKN").merge("S", "A5", "D5").
				row("S", 6, "Kab/Kota", "JML PENDUDUK", "JML PESERTA", "Jml. Aktif").
				row("S", 7, "Banyuasin", 837062, 817221, 700000)
		},
		header: []int{6, 1},
		columns: []string{`A name "Kab/Kota"`, `B population "JML PENDUDUK"`, `C participants "JML PESERTA"`,
			`D active "Jml. Aktif"`},
	}, {
		name: "district sheet: Kecamatan is the region, Kabupaten/Kota its parent",
		build: func(b *book) {
			b.row("S", 1, "Provinsi", "Kabupaten/Kota", "Kode Kab", "Kode Kec", "Kecamatan", "Penduduk", "Peserta").
				row("S", 2, "Sumatera Selatan", "Banyuasin", "16.07", "16.07.01", "Rantau Bayur", 40000, 39000)
		},
		header: []int{1, 1},
		columns: []string{`A province "Provinsi"`, `B regency "Kabupaten/Kota"`, `D code "Kode Kec"`,
			`E name "Kecamatan"`, `F population "Penduduk"`, `G participants "Peserta"`},
	}, {
		name: "generic name column with a regency parent",
		build: func(b *book) {
			b.row("S", 1, "Kab/Kota", "Nama Wilayah", "Penduduk").
				row("S", 2, "Banyuasin", "Rantau Bayur", 40000)
		},
		header:  []int{1, 1},
		columns: []string{`A regency "Kab/Kota"`, `B name "Nama Wilayah"`, `C population "Penduduk"`},
	}, {
		name: "province sheet: Provinsi is the region",
		build: func(b *book) {
			b.row("S", 1, "Provinsi", "Jumlah Penduduk", "Jumlah Peserta").
				row("S", 2, "Sumatera Selatan", 8755130, 8396170)
		},
		header:  []int{1, 1},
		columns: []string{`A name "Provinsi"`, `B population "Jumlah Penduduk"`, `C participants "Jumlah Peserta"`},
	}, {
		name: "segments under an unmerged group header",
		build: func(b *book) {
			b.row("S", 2, "Kode", "Nama", "Penduduk", "Peserta JKN", "Segmen Peserta").
				row("S", 3, nil, nil, nil, nil, "PBI APBN", "PBI APBD", "PPU PN", "PPU BU", "PBPU", "BP").
				row("S", 4, "63.03", "Banjar", 590393, 581578, 1, 2, 3, 4, 5, 6)
		},
		header: []int{3, 2},
		columns: []string{`A code "Kode"`, `B name "Nama"`, `C population "Penduduk"`, `D participants "Peserta JKN"`,
			`E segment_pbi_apbn "Segmen Peserta / PBI APBN"`, `F segment_pbpu_pemda "PBI APBD"`,
			`G segment_ppu_pn "PPU PN"`, `H segment_ppu_bu "PPU BU"`, `I segment_pbpu "PBPU"`, `J segment_bp "BP"`},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBook(t, "S")
			tc.build(b)
			tab := mustParse(t, "t.xlsx", b.bytes())
			diff(t, "header row", []int{tab.HeaderRow, tab.HeaderRows}, tc.header)
			diff(t, "columns", columns(tab.Columns), tc.columns)
			if len(tab.Rows) != 1 || len(tab.Findings) != 0 {
				t.Errorf("rows %+v, findings %v", tab.Rows, tab.Findings)
			}
		})
	}
}

func TestParseRowFindings(t *testing.T) {
	data := newBook(t, "Sheet1").
		row("Sheet1", 1, "Nama Wilayah", "Kode", "Penduduk", "Peserta", "Peserta", "Aktif").
		row("Sheet1", 2, "Kab. A", "16.01", "8l7.221", "100", "5", "50").
		row("Sheet1", 3, "Kab. B", "16.02", 1000).formula("Sheet1", "D3", "C3*0.9").set("Sheet1", "F3", 10).
		row("Sheet1", 4, "Kab. C", "16.03", 1000, 900, nil, 800).
		row("Sheet1", 5, nil, nil, 500, 400).
		row("Sheet1", 6, "Kab. D", nil, "12,5", "-5").
		row("Sheet1", 7, "Kab. E", "16.05", 1000, "97%").
		row("Sheet1", 8, "Kab. F", "16.06", 100, 90).formula("Sheet1", "F8", "D8*0.5").
		row("Sheet1", 9, "Kab. G", "16.07", 100, "=C9", nil, "n/a").
		bytes()
	// Row 4 holds a formula with its cached value, as Excel saves one.
	data = withCachedFormula(t, data, "xl/worksheets/sheet1.xml", map[string]string{"D4": "C4*0.9"})
	tab := mustParse(t, "book.xlsx", data)

	diff(t, "findings", findingTexts(tab.Findings), []string{
		`duplicate_column book.xlsx: sheet "Sheet1" row 1 column E: column E "Peserta" is also participants: ignored, column D "Peserta" is read`,
		`bad_number book.xlsx: sheet "Sheet1" row 2 column C: column "Penduduk": cannot read "8l7.221" as a number [rejected]`,
		`formula_without_value book.xlsx: sheet "Sheet1" row 3 column D: formula "=C3*0.9" has no cached value: open and save the file in Excel or LibreOffice [rejected]`,
		`no_region book.xlsx: sheet "Sheet1" row 5: no region name or code [rejected]`,
		`bad_number book.xlsx: sheet "Sheet1" row 6 column C: column "Penduduk": "12,5" is not a whole number [rejected]`,
		`bad_number book.xlsx: sheet "Sheet1" row 6 column D: column "Peserta": "-5" is negative [rejected]`,
		`bad_number book.xlsx: sheet "Sheet1" row 7 column D: column "Peserta": "97%" is a percentage, not a count [rejected]`,
		`formula_without_value book.xlsx: sheet "Sheet1" row 8 column F: formula "=D8*0.5" has no cached value: open and save the file in Excel or LibreOffice [rejected]`,
		`bad_number book.xlsx: sheet "Sheet1" row 9 column D: column "Peserta": cannot read "=C9" as a number [rejected]`,
		`bad_number book.xlsx: sheet "Sheet1" row 9 column F: column "Aktif": cannot read "n/a" as a number [rejected]`,
	})
	if len(tab.Rows) != 1 {
		t.Fatalf("rows: %+v", tab.Rows)
	}
	diff(t, "row 4", []any{tab.Rows[0].Number, figures(tab.Rows[0])},
		[]any{4, map[jkn.Field]float64{jkn.FieldPopulation: 1000, jkn.FieldParticipants: 900, jkn.FieldActive: 800}})
	diff(t, "ignored", columns(tab.Ignored), []string{`E "Peserta"`})
}

// TestParseAsOf checks each origin of the as-of date in its order.
func TestParseAsOf(t *testing.T) {
	header := []any{"Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta"}
	region := []any{"Kab. Banjar", 590393, 581578}
	titled := func(title ...any) func(*book) {
		return func(b *book) {
			b.row("S", 1, title...).row("S", 3, header...).row("S", 4, region...)
		}
	}
	plain := titled()
	for _, tc := range []struct {
		name   string
		file   string
		build  func(*book)
		want   time.Time
		origin AsOfOrigin
		detail string
	}{
		{"title with colon", "a.xlsx", titled("Posisi Data: 1 September 2023"),
			day(2023, 9, 1), AsOfTitleCell, `cell A1 "Posisi Data: 1 September 2023"`},
		{"title per", "a.xlsx", titled("Rekap kepesertaan JKN per 1 Mei 2025"),
			day(2025, 5, 1), AsOfTitleCell, `cell A1 "Rekap kepesertaan JKN per 1 Mei 2025"`},
		{"title period month", "a.xlsx", titled("Periode Mei 2025"),
			day(2025, 5, 1), AsOfTitleCell, `cell A1 "Periode Mei 2025"`},
		{"title semester", "a.xlsx", titled("Kepesertaan JKN Semester II 2022"),
			day(2022, 12, 31), AsOfTitleCell, `cell A1 "Kepesertaan JKN Semester II 2022"`},
		{"title abbreviated month", "a.xlsx", titled(nil, "Keadaan 31 Des 2024"),
			day(2024, 12, 31), AsOfTitleCell, `cell B1 "Keadaan 31 Des 2024"`},
		{"marker wins over an earlier date", "a.xlsx", titled("Penduduk Semester I 2024", "Posisi 1 Juli 2024"),
			day(2024, 7, 1), AsOfTitleCell, `cell B1 "Posisi 1 Juli 2024"`},
		{"date-formatted title cell", "a.xlsx", func(b *book) {
			plain(b)
			b.row("S", 2, "Posisi Data", day(2023, 9, 1)).numFmt("S", "B2", "B2", 14)
		}, day(2023, 9, 1), AsOfTitleCell, `cell B2 (date-formatted) 2023-09-01`},
		{"file name with ISO date", "banjar_2025-05-01.xlsx", plain,
			day(2025, 5, 1), AsOfFileName, `file name "banjar_2025-05-01.xlsx"`},
		{"file name with month", "Data JKN Mei 2025.xlsx", plain,
			day(2025, 5, 1), AsOfFileName, `file name "Data JKN Mei 2025.xlsx"`},
		{"file name with compact date", "20250501_kc_banjarmasin.xlsx", plain,
			day(2025, 5, 1), AsOfFileName, `file name "20250501_kc_banjarmasin.xlsx"`},
		// 2025-06-02 20:30 UTC is already 3 June in Jakarta.
		{"modification time", "rekap.xlsx", plain,
			day(2025, 6, 3), AsOfModTime, `modification time 2025-06-02T20:30:00Z`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBook(t, "S")
			tc.build(b)
			tab := mustParse(t, tc.file, b.bytes())
			diff(t, "as of", []any{tab.AsOf, tab.AsOfOrigin, tab.AsOfDetail}, []any{tc.want, tc.origin, tc.detail})
		})
	}
}

func TestParseDateColumn(t *testing.T) {
	data := newBook(t, "S").
		row("S", 1, "Posisi Data: 1 Januari 2025").
		row("S", 2, "Kabupaten/Kota", "Tanggal Data", "Jumlah Penduduk").
		row("S", 3, "Kab. A", day(2025, 4, 1), 100).numFmt("S", "B3", "B3", 14).
		row("S", 4, "Kab. B", "01/05/2025", 200).
		row("S", 5, "Kab. C", "1 Mei 2025", 300).
		row("S", 6, "Kab. D", nil, 400).
		row("S", 7, "Kab. E", "kemarin", 500).
		bytes()
	tab := mustParse(t, "banjar_2024-01-01.xlsx", data)
	diff(t, "as of", []any{tab.AsOf, tab.AsOfOrigin, tab.AsOfDetail},
		[]any{day(2025, 5, 1), AsOfColumn, `column B "Tanggal Data", newest row date`})
	var got []time.Time
	for _, r := range tab.Rows {
		got = append(got, r.AsOf)
	}
	diff(t, "row dates", got, []time.Time{day(2025, 4, 1), day(2025, 5, 1), day(2025, 5, 1), {}})
	diff(t, "findings", findingTexts(tab.Findings), []string{
		`bad_date banjar_2024-01-01.xlsx: sheet "S" row 7 column B: column "Tanggal Data": cannot read "kemarin" as a date [rejected]`,
	})
}

func TestParseFileErrors(t *testing.T) {
	valid := seedBook(t)
	noTable := newBook(t, "Petunjuk").row("Petunjuk", 1, "Petunjuk pengisian").
		sheet("Sheet2").row("Sheet2", 1, "Kabupaten/Kota", "Keterangan").row("Sheet2", 2, "Banyuasin", "ok").bytes()
	deepHeader := newBook(t, "S").row("S", 31, "Kabupaten/Kota", "Jumlah Penduduk").row("S", 32, "Banyuasin", 1).bytes()
	hiddenOnly := newBook(t, "Cover").row("Cover", 1, "Laporan").sheet("Data").
		row("Data", 1, "Kabupaten/Kota", "Jumlah Penduduk").row("Data", 2, "Banyuasin", 1).hideSheet("Data").bytes()
	const noTableText = `no sheet has a header row with a region name or code column ("Kabupaten/Kota", "Kecamatan", "Nama Wilayah", "Kode") ` +
		`and a population or participants column ("Jumlah Penduduk", "Jumlah Peserta", "Peserta JKN") in its first 30 rows`
	for _, tc := range []struct {
		name string
		data []byte
		opts Options
		want string
	}{
		{"zero.xlsx", nil, Options{}, "zero.xlsx: rejected (empty): the file is empty (0 bytes)"},
		{"binary.xlsx", []byte{0x00, 0x01, 0x02, 0x03, 0xff, 0xfe, 0x10}, Options{},
			"binary.xlsx: rejected (unsupported_format): a binary file, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
		{"catatan.xlsx", []byte("Laporan bulan Mei\r\nsemua baik, angka menyusul\r\n"), Options{},
			"catatan.xlsx: rejected (unsupported_format): a text file that is no table, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx"},
		// An HTML page is read (sources/read/html), whatever its name.
		{"page.xlsx", []byte("<html><body><table><tr><td>Kab. Banyuasin</td></tr></table></body></html>"), Options{},
			`page.xlsx: rejected (no_table): ` + noTableText + ` (sheets checked: "Tabel 1")`},
		{"old.xlsx", readtest.CFB("Workbook"), Options{},
			"old.xlsx: rejected (corrupt): the workbook stream is empty"},
		{"locked.xlsx", newBook(t, "S").row("S", 1, "x").bytes(excelize.Options{Password: "x"}), Options{},
			"locked.xlsx: rejected (encrypted): password-protected: send it without a password"},
		{"locked2.xlsx", readtest.CFB("EncryptedPackage"), Options{},
			"locked2.xlsx: rejected (encrypted): password-protected: send it without a password"},
		{"cut.xlsx", valid[:len(valid)/2], Options{},
			"cut.xlsx: rejected (corrupt): damaged or truncated zip archive: zip: not a valid zip file"},
		{"big.xlsx", valid, Options{Limits: read.Limits{UnzipSizeLimit: 2000}},
			"big.xlsx: rejected (too_large): unpacks to more than the limit of 2000 bytes"},
		{"calc.xlsx", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), Options{},
			"calc.xlsx: rejected (unsupported_format): an OpenDocument spreadsheet (.ods), not an .xlsx workbook: save it as .xlsx"},
		{"other.xlsx", zipOf(t, map[string]string{"readme.txt": "hello"}), Options{},
			"other.xlsx: rejected (unsupported_format): a zip archive without an Excel workbook inside (no xl/workbook.xml)"},
		{"blank.xlsx", newBook(t, "Sheet1").sheet("Sheet2").bytes(), Options{},
			"blank.xlsx: rejected (empty): every sheet is empty"},
		{"blank2.xlsx", newBook(t, "Sheet1").sheet("Old").row("Old", 1, "x").hideSheet("Old").bytes(), Options{},
			"blank2.xlsx: rejected (empty): every visible sheet is empty (hidden sheets are not read)"},
		{"binary.xlsb", zipOf(t, map[string]string{"xl/workbook.bin": "\x83\x01"}), Options{},
			"binary.xlsb: rejected (unsupported_format): an .xlsb binary workbook: save it as .xlsx"},
		{"cover.xlsx", noTable, Options{},
			`cover.xlsx: rejected (no_table): ` + noTableText + ` (sheets checked: "Petunjuk", "Sheet2")`},
		{"deep.xlsx", deepHeader, Options{},
			`deep.xlsx: rejected (no_table): ` + noTableText + ` (sheets checked: "S")`},
		{"hidden.xlsx", hiddenOnly, Options{},
			`hidden.xlsx: rejected (no_table): ` + noTableText + ` (sheets checked: "Cover")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tab, err := Parse(tc.name, testModTime, tc.data, tc.opts)
			var fe *jkn.FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Parse = %+v, %v; want a *FileError", tab, err)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
			if fe.File != tc.name || !strings.Contains(tc.want, "("+fe.Reason+")") {
				t.Errorf("FileError{File: %q, Reason: %q}", fe.File, fe.Reason)
			}
		})
	}
}

// TestParseLargeSheetLimit checks that a sheet bigger than the XML limit,
// which excelize spills to a temporary file, still reads.
func TestParseLargeSheetLimit(t *testing.T) {
	b := newBook(t, "S").row("S", 1, "Kode", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta")
	for i := 2; i <= 500; i++ {
		b.row("S", i, fmt.Sprintf("16.%02d", i%100), fmt.Sprintf("Kab. %d", i), 1000+i, 900+i)
	}
	tab, err := Parse("big.xlsx", testModTime, b.bytes(), Options{Limits: read.Limits{UnzipSizeLimit: 10 << 20, UnzipXMLSizeLimit: 1024}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 499 || tab.Rows[498].Figures.Map()[jkn.FieldPopulation] != 1500 {
		t.Errorf("got %d rows, last %+v", len(tab.Rows), tab.Rows[len(tab.Rows)-1])
	}
}

func BenchmarkParse(b *testing.B) {
	bk := newBook(b, "Data").
		row("Data", 1, "Posisi Data : 1 Mei 2025").
		row("Data", 3, "No", "Kode", "Desa/Kelurahan", "Jumlah Penduduk", "Peserta JKN", "Aktif", "Cakupan", "PBPU Pemda")
	for i := 1; i <= 5000; i++ {
		bk.row("Data", i+3, i, fmt.Sprintf("16.07.01.%04d", i), fmt.Sprintf("Desa %d", i),
			fmt.Sprintf("%d.%03d", 1+i%50, i%1000), 1000+i, 900+i, "97,63%", 38)
	}
	data := bk.bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tab, err := Parse("bench.xlsx", testModTime, data, Options{})
		if err != nil || len(tab.Rows) != 5000 {
			b.Fatalf("%v, %d rows", err, len(tab.Rows))
		}
	}
}

// TestParseSkippedRows checks the rows that are not regions and how names
// are kept.
func TestParseSkippedRows(t *testing.T) {
	data := newBook(t, "S").
		row("S", 1, "No", "Kabupaten/Kota", "Kecamatan", "Jumlah\nPenduduk", "Jumlah Peserta", "Keterangan").
		row("S", 2, nil, nil, nil, "(Jiwa)", "(Jiwa)").                                  // unit row
		row("S", 3, 1, "Kab. Banyuasin", "  Rantau  Bayur\u00a0", 40000, 39000, "naik"). // names keep their spelling
		row("S", 4, 2, nil, "Betung", 50000, 49000).                                     // parent merged down: blank
		row("S", 5, nil, "JUMLAH KAB/KOTA", nil, 90000, 88000).
		row("S", 6, nil, "Sub Total", nil, 90000, 88000).
		row("S", 7, nil, nil, nil, "90.000", "88.000", "Jumlah").
		row("S", 8, "No", "Kabupaten/Kota", "Kecamatan", "Jumlah Penduduk", "Jumlah Peserta"). // repeated header
		row("S", 9, 3, "Kab. Musi Banyuasin", "Sekayu", "-", "—").                             // no figures
		row("S", 10, "B. KOTA").
		row("S", 11, "Keterangan:", "data sementara").
		row("S", 12, 4, "Kota Palembang", "Ilir Barat I", 1000, 900).
		bytes()
	tab := mustParse(t, "skip.xlsx", data)
	diff(t, "population header", columns(tab.Columns)[2], `D population "Jumlah Penduduk"`)
	var got []string
	for _, r := range tab.Rows {
		got = append(got, fmt.Sprintf("%d %q %q", r.Number, r.Regency, r.Name))
	}
	diff(t, "rows", got, []string{
		`3 "Kab. Banyuasin" "Rantau  Bayur"`,
		`4 "Kab. Banyuasin" "Betung"`,
		`12 "Kota Palembang" "Ilir Barat I"`,
	})
	diff(t, "skipped", tab.Skipped, 8)
	diff(t, "findings", findingTexts(tab.Findings), []string(nil))
}

// TestParseSharedFormula checks the message for a shared formula, whose
// text is written on the first cell of its range only.
func TestParseSharedFormula(t *testing.T) {
	data := newBook(t, "S").
		row("S", 1, "Kode", "Penduduk", "Peserta").
		row("S", 2, "16.07", 1000).formula("S", "C2", "B2*0.9").
		row("S", 3, "16.08", 2000).formula("S", "C3", "B3*0.9").
		bytes()
	data = hostile.Rewrite(data, "xl/worksheets/sheet1.xml", func(xml string) string {
		for from, to := range map[string]string{
			`<f>B2*0.9</f>`: `<f t="shared" ref="C2:C3" si="0">B2*0.9</f>`,
			`<f>B3*0.9</f>`: `<f t="shared" si="0"/>`,
		} {
			if !strings.Contains(xml, from) {
				t.Fatalf("no %s in %s", from, xml)
			}
			xml = strings.Replace(xml, from, to, 1)
		}
		return xml
	})
	tab := mustParse(t, "shared.xlsx", data)
	diff(t, "findings", findingTexts(tab.Findings), []string{
		`formula_without_value shared.xlsx: sheet "S" row 2 column C: formula "=B2*0.9" has no cached value: open and save the file in Excel or LibreOffice [rejected]`,
		`formula_without_value shared.xlsx: sheet "S" row 3 column C: formula "=B3*0.9" has no cached value: open and save the file in Excel or LibreOffice [rejected]`,
	})
}

// TestParseDate1904 reads serial dates of a workbook in the 1904 date
// system (old Mac Excel).
func TestParseDate1904(t *testing.T) {
	data := newBook(t, "S").
		row("S", 1, "Kode", "Tanggal", "Jumlah Peserta").
		row("S", 2, "16.07", 43708, 817221).
		bytes()
	data = hostile.Rewrite(data, "xl/workbook.xml", func(xml string) string {
		if !strings.Contains(xml, "<workbookPr ") {
			t.Fatalf("no workbookPr in %s", xml)
		}
		return strings.Replace(xml, "<workbookPr ", `<workbookPr date1904="1" `, 1)
	})
	tab := mustParse(t, "mac.xlsx", data)
	diff(t, "as of", []any{tab.AsOf, tab.AsOfOrigin}, []any{day(2023, 9, 1), AsOfColumn})
}

// TestParseRowsMatchesParse: ParseRows hands over the rows Parse keeps,
// also when the xlsx fast path leaves a sheet to excelize after some rows
// (read.ErrRestart: the rows handed before the restart are dropped).
func TestParseRowsMatchesParse(t *testing.T) {
	files, _ := filepath.Glob("../../exporter/testdata/*/*.xlsx")
	var books []struct {
		name string
		data []byte
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		books = append(books, struct {
			name string
			data []byte
		}{filepath.Base(path), data})
	}
	// A sheet the fast path gives up on at its last row, after 40 rows.
	rows := `<row r="1"><c r="A1" t="inlineStr"><is><t>Kabupaten/Kota</t></is></c><c r="B1" t="inlineStr"><is><t>Jumlah Penduduk</t></is></c></row>`
	for i := 2; i < 42; i++ {
		rows += fmt.Sprintf(`<row r="%d"><c r="A%d" t="inlineStr"><is><t>Kota Palembang</t></is></c><c r="B%d"><v>%d</v></c></row>`, i, i, i, 1000+i)
	}
	rows += `<row r="42"><c r="A42" t="inlineStr"><is><t><![CDATA[Kota Prabumulih]]></t></is></c><c r="B42"><v>5</v></c></row>`
	books = append(books, struct {
		name string
		data []byte
	}{"late_cdata.xlsx", hostile.SheetPackage(rows, "", "", "")})
	for _, b := range books {
		want, wantErr := Parse(b.name, testModTime, b.data, Options{})
		var got []Row
		tables := 0
		tab, err := ParseRows(b.name, testModTime, b.data, Options{}, func(*Table, int) { got, tables = nil, tables+1 }, func(r Row) { got = append(got, r) })
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%s: ParseRows error %v, Parse error %v", b.name, err, wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if tab.Rows != nil || !reflect.DeepEqual(got, want.Rows) {
			t.Errorf("%s: ParseRows handed %d rows (table keeps %d), Parse kept %d", b.name, len(got), len(tab.Rows), len(want.Rows))
		}
		want.Rows = nil
		if !reflect.DeepEqual(tab, want) {
			t.Errorf("%s: tables differ:\n%+v\n%+v", b.name, tab, want)
		}
		if b.name == "late_cdata.xlsx" && (tables != 2 || len(got) != 41) {
			t.Errorf("late_cdata: %d table calls, %d rows; want a restart and 41 rows", tables, len(got))
		}
	}
}
