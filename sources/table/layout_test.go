package table

import (
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// A title over "Kepesertaan JKN" over "Jumlah | Aktif | Non Aktif": three
// header rows, every column kept (read as two rows, the group's three
// columns were all participants and two of them duplicate_column).
func TestThreeRowHeader(t *testing.T) {
	b := newBook(t, "Data").
		row("Data", 1, "REKAP KEPESERTAAN JKN").
		merge("Data", "A1", "G1").
		row("Data", 3, "No", "Kabupaten/Kota", "Jumlah Penduduk", "Data Kepesertaan").
		row("Data", 4, nil, nil, nil, "Kepesertaan JKN", nil, nil, "Cakupan").
		row("Data", 5, nil, nil, nil, "Jumlah", "Aktif", "Non Aktif").
		merge("Data", "A3", "A5").merge("Data", "B3", "B5").merge("Data", "C3", "C5").
		merge("Data", "D3", "G3").merge("Data", "D4", "F4").merge("Data", "G4", "G5").
		row("Data", 6, "(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)=(4)/(3)").
		row("Data", 7, 1, "Kab. Bangka", 343206, 335012, 270118, 64894, "97,61%")
	tab := mustParse(t, "x.xlsx", b.bytes())
	diff(t, "header row", []int{tab.HeaderRow, tab.HeaderRows}, []int{5, 3})
	diff(t, "columns", columns(tab.Columns), []string{
		`B name "Kabupaten/Kota"`,
		`C population "Jumlah Penduduk"`,
		`D participants "Data Kepesertaan / Kepesertaan JKN / Jumlah"`,
		`E active "Data Kepesertaan / Kepesertaan JKN / Aktif"`,
		`F inactive "Data Kepesertaan / Kepesertaan JKN / Non Aktif"`,
		`G coverage_reported "Data Kepesertaan / Cakupan"`,
	})
	diff(t, "findings", findingTexts(tab.Findings), []string(nil))
	diff(t, "skipped", tab.Skipped, 1) // the column numbers
	if len(tab.Rows) != 1 {
		t.Fatalf("rows %+v", tab.Rows)
	}
	diff(t, "figures", tab.Rows[0].Figures.Map(), map[jkn.Field]float64{
		jkn.FieldPopulation: 343206, jkn.FieldParticipants: 335012, jkn.FieldActive: 270118,
		jkn.FieldInactive: 64894, jkn.FieldCoverageReported: 0.9761,
	})
}

// Segments split into Aktif | Non Aktif: the segment is the sum of its
// parts and its active part is kept; one empty part leaves the segment
// unknown.
func TestSplitSegments(t *testing.T) {
	b := newBook(t, "Data").
		row("Data", 1, "Kabupaten/Kota", "Jumlah Penduduk", "PBI APBN", nil, "PBPU", nil).
		row("Data", 2, nil, nil, "Aktif", "Non Aktif", "Aktif", "Non Aktif").
		merge("Data", "A1", "A2").merge("Data", "B1", "B2").merge("Data", "C1", "D1").merge("Data", "E1", "F1").
		row("Data", 3, "1", "2", "3", "4", "5", "6").
		row("Data", 4, "Kab. Bangka", 343206, 150000, 20000, 60000, 9000).
		row("Data", 5, "Kota Pangkal Pinang", 230000, 80000, nil, 40000, 5000)
	tab := mustParse(t, "x.xlsx", b.bytes())
	diff(t, "columns", columns(tab.Columns), []string{
		`A name "Kabupaten/Kota"`,
		`B population "Jumlah Penduduk"`,
		`C segment_pbi_apbn/active "PBI APBN / Aktif"`,
		`D segment_pbi_apbn/inactive "PBI APBN / Non Aktif"`,
		`E segment_pbpu/active "PBPU / Aktif"`,
		`F segment_pbpu/inactive "PBPU / Non Aktif"`,
	})
	diff(t, "findings", findingTexts(tab.Findings), []string(nil))
	if len(tab.Rows) != 2 {
		t.Fatalf("rows %+v", tab.Rows)
	}
	diff(t, "figures", tab.Rows[0].Figures.Map(), map[jkn.Field]float64{
		jkn.FieldPopulation: 343206, jkn.FieldPBIAPBN: 170000, jkn.FieldPBIAPBNActive: 150000,
		jkn.FieldPBPU: 69000, jkn.FieldPBPUActive: 60000,
	})
	diff(t, "figures with an empty part", tab.Rows[1].Figures.Map(), map[jkn.Field]float64{
		jkn.FieldPopulation: 230000, jkn.FieldPBIAPBNActive: 80000,
		jkn.FieldPBPU: 45000, jkn.FieldPBPUActive: 40000,
	})
}

func TestScopeIn(t *testing.T) {
	for in, want := range map[string]string{
		"KABUPATEN SIDOARJO": "KABUPATEN SIDOARJO",
		"Kota Kupang":        "Kota Kupang",
		"REKAP KEPESERTAAN JKN PER KECAMATAN DI KABUPATEN SIDOARJO": "KABUPATEN SIDOARJO",
		"Kab. Kep. Seribu Tahun 2025":                               "Kab. Kep. Seribu",
		"KABUPATEN SIDOARJO JANUARI 2025":                           "KABUPATEN SIDOARJO",
		"Data Kota Kupang: Posisi 1 Mei 2025":                       "Kota Kupang",
		"KABUPATEN/KOTA DI PROVINSI SUMATERA SELATAN":               "",
		"KABUPATEN / KOTA DI PROVINSI SUMATERA SELATAN":             "",
		"Rekap per Kabupaten/Kota":                                  "",
		"Posisi Data : 1 September 2023":                            "",
		"KOTA":                                                      "",
	} {
		if got := scopeIn(in); got != want {
			t.Errorf("scopeIn(%q) = %q, want %q", in, got, want)
		}
	}
}
