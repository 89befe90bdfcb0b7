package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/xuri/excelize/v2"
)

// SeedOffices lists the seed demo's branch offices. Each serves one
// workbook built in memory from the seed figures of docs/domain.md: the real
// figures of Banyuasin, Sumatera Selatan, Mukomuko, Bangka Tengah and
// Banjar, with neighbouring regions whose population is the real 2025
// Dukcapil figure and whose participant figures are made up (the sheets
// say so). Each office writes its sheet the way real offices do.
func SeedOffices() []Office {
	return []Office{
		{Source: &seedSource{"demo-palembang", "rekap_kc_palembang.xlsx", demoPalembang}, Location: "embedded",
			BranchOffice: "Palembang", Province: "Sumatera Selatan"},
		{Source: &seedSource{"demo-bengkulu", "kepesertaan_kc_bengkulu.xlsx", demoBengkulu}, Location: "embedded",
			BranchOffice: "Bengkulu", Province: "Bengkulu"},
		{Source: &seedSource{"demo-pangkalpinang", "uhc_babel_2022-12-31.xlsx", demoPangkalpinang}, Location: "embedded",
			BranchOffice: "Pangkalpinang", Province: "Kepulauan Bangka Belitung"},
		{Source: &seedSource{"demo-banjarmasin", "data_jkn_kc_banjarmasin.xlsx", demoBanjarmasin}, Location: "embedded",
			BranchOffice: "Banjarmasin"},
	}
}

// seedSource serves one seed office's workbook.
type seedSource struct {
	name, file string
	build      func(*excelize.File) error
}

// Name implements sources.Source.
func (d *seedSource) Name() string { return d.name }

// seedModTime is fixed so the demo is the same at every start.
var seedModTime = time.Date(2025, 5, 2, 0, 0, 0, 0, time.UTC)

// Fetch implements sources.Source.
func (d *seedSource) Fetch(context.Context) ([]sources.File, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := d.build(f); err != nil {
		return nil, fmt.Errorf("building demo workbook: %w", err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("building demo workbook: %w", err)
	}
	return []sources.File{sources.NewFile(d.file, "demo:"+d.file, seedModTime, buf.Bytes())}, nil
}

const demoNote = "Contoh (demo): baris bertanda * memakai penduduk 2025 yang nyata dan angka peserta buatan (sintetis)."

// setRows writes rows of values starting at a cell row.
func setRows(f *excelize.File, sheet string, first int, rows [][]any) error {
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, first+i)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return nil
}

// Palembang writes Indonesian text numbers under a title with the date,
// as many offices paste them from their reports.
func demoPalembang(f *excelize.File) error {
	const s = "Sheet1"
	if err := f.SetSheetName(s, "Rekap"); err != nil {
		return err
	}
	return setRows(f, "Rekap", 1, [][]any{
		{"REKAPITULASI KEPESERTAAN JKN KABUPATEN/KOTA"},
		{"BPJS Kesehatan Kantor Cabang Palembang"},
		{"Posisi Data : 1 September 2023"},
		{},
		{"No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "% Cakupan", "PBPU Pemda"},
		{"1", "Prov. Sumatera Selatan", "8.755.130", "8.396.170", "95,90%"},
		{"2", "Kab. Banyuasin", "837.062", "817.221", "97,63%", "38.096"},
		{"3", "Kab. Musi Banyuasin *", "736.897", "718.474", "97,50%"},
		{"4", "Kota Palembang *", "1.801.367", "1.787.156", "99,21%"},
		{"5", "Kab. Ogan Ilir *", "446.020", "421.489", "94,50%"},
		{},
		{demoNote},
	})
}

// Bengkulu writes plain numeric cells and a percent-formatted fraction.
func demoBengkulu(f *excelize.File) error {
	const s = "Sheet1"
	if err := setRows(f, s, 1, [][]any{
		{"Data per 16 Juli 2024"},
		{"Kab/Kota", "Penduduk", "Peserta JKN", "Cakupan"},
		{"MUKO MUKO", 201227, 199078, 0.9893},
		{"KOTA BENGKULU *", 400533, 396128, 0.9890},
		{"BENGKULU UTARA *", 309773, 300519, 0.9701},
		{},
		{demoNote},
	}); err != nil {
		return err
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
	if err != nil {
		return err
	}
	return f.SetCellStyle(s, "D3", "D5", style)
}

// Pangkalpinang writes a two-row header with merged cells; the date comes
// from the file name (semester II 2022 taken as its last day).
func demoPangkalpinang(f *excelize.File) error {
	const s = "Sheet1"
	if err := setRows(f, s, 1, [][]any{
		{"CAKUPAN KEPESERTAAN JKN SEMESTER II 2022"},
		{},
		{"No", "Kabupaten/Kota", "Jumlah Penduduk", "Peserta JKN", nil, nil, "Persentase"},
		{nil, nil, nil, "Jumlah", "Aktif", "Non Aktif", "Cakupan", "Keaktifan"},
		{1, "Kab. Bangka Tengah", 202131, 195157, 151457, 43700, "96,55%", "74,93%"},
		{2, "Kota Pangkalpinang *", 242285, 239862, 201484, 38378, "99,00%", "83,16%"},
		{3, "Kab. Bangka *", 337755, 329311, 256578, 72733, "97,50%", "75,97%"},
		{nil, "JUMLAH", 782171, 764330, 609519, 154811},
		{},
		{demoNote},
	}); err != nil {
		return err
	}
	for _, m := range [][2]string{{"A3", "A4"}, {"B3", "B4"}, {"C3", "C4"}, {"D3", "F3"}, {"G3", "H3"}} {
		if err := f.MergeCell(s, m[0], m[1]); err != nil {
			return err
		}
	}
	return nil
}

// Banjarmasin writes a cover sheet, a province column (Banjar is also a
// city in Jawa Barat), active participants, segments and a date column.
func demoBanjarmasin(f *excelize.File) error {
	if err := f.SetSheetName("Sheet1", "Petunjuk"); err != nil {
		return err
	}
	if err := setRows(f, "Petunjuk", 1, [][]any{
		{"Rekap kepesertaan JKN per kabupaten/kota, BPJS Kesehatan KC Banjarmasin."},
		{"Data ada di lembar 'Data'."},
	}); err != nil {
		return err
	}
	if _, err := f.NewSheet("Data"); err != nil {
		return err
	}
	date := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	if err := setRows(f, "Data", 1, [][]any{
		{"Kabupaten/Kota", "Provinsi", "Tanggal Data", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif", "% UHC", "% Aktif", "PBI APBN", "PBI APBD", "PPU", "PBPU", "BP"},
		{"Banjar", "Kalimantan Selatan", date, 590393, 581578, 472638, 99.47, 80.05, 228512, 121604, 118723, 97381, 15358},
		{"Kota Banjarmasin *", "Kalimantan Selatan", date, 681693, 674876, 552117, 99.00, 80.99},
		{"Kota Banjarbaru *", "Kalimantan Selatan", date, 285546, 283261, 239947, 99.20, 84.03},
		{"Tapin *", "Kalimantan Selatan", date, 202061, 196404, 150543, 97.20, 74.50},
		{},
		{demoNote},
	}); err != nil {
		return err
	}
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy date
	if err != nil {
		return err
	}
	return f.SetCellStyle("Data", "C2", "C5", style)
}
