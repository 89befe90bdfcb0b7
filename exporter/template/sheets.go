package template

import (
	"fmt"
	"unicode/utf8"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/xuri/excelize/v2"
)

// data writes the data sheet: title, as-of date cell, header, one row per
// region, validation and protection.
//
// Nothing written above the header may contain a date other than the
// as-of cell: the parser takes a date it finds in the title rows as the
// as-of date, so an example date in a hint would be read when the office
// leaves the cell empty.
func (t *Template) data(parents map[string]string) error {
	f, sh := t.File, DataSheet
	st, err := t.newStyles()
	if err != nil {
		return err
	}
	last := FirstRow + len(t.Regions) - 1
	lastCol := t.Columns[len(t.Columns)-1].Letter
	firstInput := ""
	locked := 0 // number of leading pre-filled columns
	for _, c := range t.Columns {
		if c.Input && firstInput == "" {
			firstInput = c.Letter
		}
		if !c.Input {
			locked++
		}
	}

	title := fmt.Sprintf("Rekap Kepesertaan JKN %s, Provinsi %s (%s)", titleWords(t.Level), t.Province.Name, t.Province.Code)
	cells := []struct {
		cell  string
		value any
		style int
	}{
		{"A1", title, st.title},
		{"A2", "Posisi Data:", st.label},
		{AsOfCell, nil, st.date},
		{"C2", "← isi tanggal posisi data (hari/bulan/tahun)", 0},
	}
	for _, c := range cells {
		if c.value != nil {
			if err := f.SetCellValue(sh, c.cell, c.value); err != nil {
				return err
			}
		}
		if c.style != 0 {
			if err := f.SetCellStyle(sh, c.cell, c.cell, c.style); err != nil {
				return err
			}
		}
	}

	for _, c := range t.Columns {
		if err := f.SetCellStr(sh, fmt.Sprintf("%s%d", c.Letter, HeaderRow), c.Header); err != nil {
			return err
		}
		if err := f.SetColWidth(sh, c.Letter, c.Letter, c.Width); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sh, fmt.Sprintf("A%d", HeaderRow), fmt.Sprintf("%s%d", lastCol, HeaderRow), st.header); err != nil {
		return err
	}
	if err := f.SetRowHeight(sh, HeaderRow, 30); err != nil {
		return err
	}

	for i, reg := range t.Regions {
		row := FirstRow + i
		for _, c := range t.Columns {
			var v string
			switch c.Field {
			case jkn.FieldCode:
				v = reg.Code
			case jkn.FieldRegency:
				v = parents[reg.Code[:5]] // a district code is its regency's plus ".NN"
			case jkn.FieldName:
				v = reg.Name
			default:
				continue
			}
			// Strings, so a code such as "16.10" never becomes the number 16.1.
			if err := f.SetCellStr(sh, fmt.Sprintf("%s%d", c.Letter, row), v); err != nil {
				return err
			}
		}
	}
	prevLocked, _ := excelize.ColumnNumberToName(locked)
	if err := f.SetCellStyle(sh, fmt.Sprintf("A%d", FirstRow), fmt.Sprintf("%s%d", prevLocked, last), st.locked); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, fmt.Sprintf("%s%d", firstInput, FirstRow), fmt.Sprintf("%s%d", lastCol, last), st.input); err != nil {
		return err
	}

	if err := t.validations(last); err != nil {
		return err
	}
	if err := f.SetPanes(sh, &excelize.Panes{
		Freeze: true, XSplit: locked, YSplit: HeaderRow,
		TopLeftCell: fmt.Sprintf("%s%d", firstInput, FirstRow), ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: AsOfCell, ActiveCell: AsOfCell, Pane: "bottomRight"}},
	}); err != nil {
		return err
	}
	if err := fitWidth(f, sh, "landscape"); err != nil {
		return err
	}
	// No password: the lock guards against slips (a typed-over code, a
	// sorted column), not against the office itself, which may unprotect
	// the sheet from the Review menu. Rows cannot be inserted or deleted.
	return f.ProtectSheet(sh, &excelize.SheetProtectionOptions{
		SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true,
	})
}

// validations adds the data validation of the as-of cell and of every
// figure column. Excel and LibreOffice enforce them while typing; the
// parser checks the numbers again whatever the sheet allowed.
func (t *Template) validations(last int) error {
	f, sh := t.File, DataSheet
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(AsOfCell)
	if err := dv.SetRange(excelSerial(minDate), excelSerial(maxDate), excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	dv.SetInput("Posisi Data", "Tanggal posisi data, hari/bulan/tahun: data per 1 Mei 2025 ditulis 01/05/2025.")
	dv.SetError(excelize.DataValidationErrorStyleStop, "Tanggal tidak valid",
		"Isi tanggal posisi data sebagai tanggal (hari/bulan/tahun), mis. 01/05/2025.")
	if err := f.AddDataValidation(sh, dv); err != nil {
		return err
	}
	for _, c := range t.Columns {
		if !c.Input {
			continue
		}
		dv := excelize.NewDataValidation(true)
		dv.SetSqref(fmt.Sprintf("%s%d:%s%d", c.Letter, FirstRow, c.Letter, last))
		// ≥ 0 needs one operand; excelize leaves an empty second one out.
		if err := dv.SetRange(0, "", excelize.DataValidationTypeWhole, excelize.DataValidationOperatorGreaterThanOrEqual); err != nil {
			return err
		}
		dv.SetInput(c.Header, c.Help+" Bilangan bulat, kosongkan bila tidak ada data.")
		dv.SetError(excelize.DataValidationErrorStyleStop, "Angka tidak valid",
			"Isi jumlah orang: bilangan bulat 0 atau lebih, tanpa desimal dan tanpa persen (mis. 817221). Kosongkan sel bila angkanya tidak ada.")
		if err := f.AddDataValidation(sh, dv); err != nil {
			return err
		}
	}
	return nil
}

// titleWords names the rows in a title: "Kabupaten/Kota", "Kecamatan".
func titleWords(level Level) string {
	if level == LevelDistrict {
		return "Kecamatan"
	}
	return "Kabupaten/Kota"
}

// instructions writes the Petunjuk sheet. Every line is one cell of
// column A: a sheet with a single text column can never look like a data
// table to the parser, which needs a region column and a figure column.
func (t *Template) instructions() error {
	f, sh := t.File, InstructionsSheet
	type line struct {
		text string
		bold bool
	}
	lines := []line{
		{"Petunjuk pengisian: rekap kepesertaan JKN", true},
		{fmt.Sprintf("Provinsi %s (kode %s), satu baris per %s: %d wilayah.", t.Province.Name, t.Province.Code, t.levelWords(), len(t.Regions)), false},
		{"", false},
		{"Langkah", true},
		{`1. Buka lembar "Data". Kode dan nama wilayah sudah terisi dan dikunci: jangan diubah, dan jangan menambah, menghapus atau mengurutkan ulang baris.`, false},
		{`2. Isi tanggal posisi data di sel ` + AsOfCell + `, di kanan "Posisi Data:", dengan format hari/bulan/tahun: data per 1 Mei 2025 ditulis 01/05/2025. ` +
			`Tanggal ini menjadi tanggal angka-angka di grafik; bila sel ini kosong, tanggal di nama file atau tanggal file yang dipakai.`, false},
		{`3. Isi angka di sel berwarna kuning, satu baris per wilayah: bilangan bulat 0 atau lebih, tanpa desimal dan tanpa persen (mis. 817221). ` +
			`Sel kosong berarti angkanya tidak ada, bukan nol: jangan menulis 0 untuk angka yang tidak diketahui.`, false},
		{`4. Persentase cakupan dan keaktifan tidak perlu diisi: keduanya dihitung otomatis dari angka-angka ini.`, false},
		{fmt.Sprintf(`5. Simpan sebagai Excel Workbook (.xlsx), tanpa kata sandi. Nama file sebaiknya memuat tanggal posisi data, mis. rekap_%s_2025-05-01.xlsx.`, t.Province.Code), false},
		{`6. Kirim file: letakkan di folder kantor cabang Anda yang dibaca jkn_exporter, atau unggah lewat halaman unggah bila tersedia. ` +
			`Kirim satu file per tanggal posisi data dan jangan menghapus file bulan sebelumnya: riwayatnya dipakai untuk grafik tren.`, false},
		{`Untuk memeriksa sebelum mengirim: jkn_exporter check nama_file.xlsx menampilkan cara file dibaca dan setiap temuan.`, false},
		{"", false},
		{"Arti kolom", true},
	}
	for _, c := range t.Columns {
		lines = append(lines, line{c.Header + ": " + c.Help, false})
	}
	lines = append(lines,
		line{"PBI APBN + PBPU Pemda + PPU + PBPU + BP = Jumlah Peserta. Bila rincian segmen tidak ada, kosongkan kelima kolom segmen.", false},
		line{"Peserta Aktif tidak lebih dari Jumlah Peserta.", false},
	)
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	if err != nil {
		return err
	}
	const width = 80 // characters: an A4 page, portrait
	if err := f.SetColWidth(sh, "A", "A", width); err != nil {
		return err
	}
	for i, l := range lines {
		cell := fmt.Sprintf("A%d", i+1)
		if err := f.SetCellStr(sh, cell, l.text); err != nil {
			return err
		}
		// A proportional font fits about 1.1 characters per width unit.
		perLine := width * 11 / 10
		style, height := wrap, 15.0*float64(max(1, (utf8.RuneCountInString(l.text)+perLine-1)/perLine))
		if l.bold {
			style, height = bold, 20
		}
		if err := f.SetCellStyle(sh, cell, cell, style); err != nil {
			return err
		}
		// Neither Excel nor LibreOffice grows a row for wrapped text that a
		// file brings in: each row gets the lines its text needs.
		if err := f.SetRowHeight(sh, i+1, height); err != nil {
			return err
		}
	}
	return fitWidth(f, sh, "portrait")
}

// fitWidth prints a sheet one page wide, as many pages down as it needs.
func fitWidth(f *excelize.File, sheet, orientation string) error {
	fit, one, unlimited := true, 1, 0
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &orientation, FitToWidth: &one, FitToHeight: &unlimited})
}
