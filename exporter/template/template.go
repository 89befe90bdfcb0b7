// Package template builds the fill-in workbook a branch office sends back:
// one row per region of a province, code and canonical name pre-filled and
// locked, validated number cells, an as-of date cell, and instructions in
// Indonesian. Its header row and title are ones the workbook parser reads
// without any guessing, so a filled template is accepted with no finding.
package template

import (
	"bytes"
	"fmt"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// Level selects which regions of the province get a row.
type Level string

// The levels a template can be made for.
const (
	// LevelRegency: the province's regencies and cities (kabupaten/kota).
	LevelRegency Level = "regency"
	// LevelDistrict: every district (kecamatan) of the province, with its
	// regency or city in a parent column.
	LevelDistrict Level = "district"
)

// Layout of the workbook. The parser does not depend on these positions
// (it finds the header and the as-of date itself); the tests and the
// instructions do.
const (
	InstructionsSheet = "Petunjuk"
	DataSheet         = "Data"
	// AsOfCell holds the as-of date, right of its "Posisi Data:" label.
	AsOfCell = "B2"
	// HeaderRow is the data sheet's header row; region rows follow it.
	HeaderRow = 4
	FirstRow  = HeaderRow + 1
)

// Column is one column of the data sheet.
type Column struct {
	Letter string
	// Header is the text of the header cell; the parser maps it to Field.
	Header string
	Field  jkn.Field
	// Input columns are filled in by the office: unlocked and validated.
	Input bool
	Width float64
	// Help explains the column in Indonesian, on the instructions sheet
	// and as the prompt of its cells.
	Help string
}

// Template is a generated workbook and where its parts are.
type Template struct {
	File     *excelize.File
	Province jkn.Region
	Level    Level
	// Regions has one region per data row, from FirstRow on, in code order.
	Regions []jkn.Region
	Columns []Column
}

// figureColumns are the columns an office fills in. The headers are the
// parser's own aliases ("Jumlah Penduduk", "PBPU Pemda" ...), so each maps
// to exactly one field; the segments are the five a full breakdown needs
// (ingest checks that they add up to the participants).
var figureColumns = []Column{
	{Header: "Jumlah Penduduk", Field: jkn.FieldPopulation, Width: 16,
		Help: "Jumlah penduduk wilayah menurut data Dukcapil (semester terakhir)."},
	{Header: "Jumlah Peserta", Field: jkn.FieldParticipants, Width: 16,
		Help: "Peserta JKN yang terdaftar, aktif dan non aktif."},
	{Header: "Peserta Aktif", Field: jkn.FieldActive, Width: 16,
		Help: "Peserta yang iurannya terbayar (berhak mendapat layanan)."},
	{Header: "PBI APBN", Field: jkn.FieldPBIAPBN, Width: 14,
		Help: "Segmen PBI JK: iuran dibayar pemerintah pusat (APBN)."},
	{Header: "PBPU Pemda", Field: jkn.FieldPBPUPemda, Width: 14,
		Help: "Segmen PBPU Pemda / PBI APBD: didaftarkan dan dibayar pemerintah daerah."},
	{Header: "PPU", Field: jkn.FieldPPU, Width: 14,
		Help: "Segmen PPU: pekerja penerima upah (PPU PN dan PPU BU)."},
	{Header: "PBPU", Field: jkn.FieldPBPU, Width: 14,
		Help: "Segmen PBPU: pekerja bukan penerima upah (mandiri)."},
	{Header: "BP", Field: jkn.FieldBP, Width: 14,
		Help: "Segmen BP: bukan pekerja."},
}

// columns returns the data sheet's columns for a level. On a district
// sheet "Kecamatan" is the finest name column, so the parser takes it as
// the region and "Kabupaten/Kota" beside it as the parent; "Kode Wilayah"
// names no level and is the region's code.
func columns(level Level) []Column {
	cols := []Column{{Header: "Kode Wilayah", Field: jkn.FieldCode, Width: 13,
		Help: "Kode wilayah Kemendagri (mis. 16.07). Sudah terisi dan dikunci."}}
	if level == LevelDistrict {
		cols = append(cols,
			Column{Header: "Kabupaten/Kota", Field: jkn.FieldRegency, Width: 32,
				Help: "Kabupaten/kota tempat kecamatan berada. Sudah terisi dan dikunci."},
			Column{Header: "Kecamatan", Field: jkn.FieldName, Width: 28,
				Help: "Nama resmi kecamatan. Sudah terisi dan dikunci."})
	} else {
		cols = append(cols, Column{Header: "Kabupaten/Kota", Field: jkn.FieldName, Width: 34,
			Help: "Nama resmi kabupaten/kota. Sudah terisi dan dikunci."})
	}
	for _, c := range figureColumns {
		c.Input = true
		cols = append(cols, c)
	}
	for i := range cols {
		cols[i].Letter, _ = excelize.ColumnNumberToName(i + 1)
	}
	return cols
}

// New builds the template of a province, given by name or 2-digit code.
func New(ref *region.Reference, province string, level Level) (*Template, error) {
	prov, err := ref.Province(province)
	if err != nil {
		return nil, err
	}
	t := &Template{Province: prov, Level: level, Columns: columns(level)}
	parents := map[string]string{} // regency code -> name, for district rows
	switch level {
	case LevelRegency:
		t.Regions = ref.Children(prov.Code)
	case LevelDistrict:
		for _, reg := range ref.Children(prov.Code) {
			parents[reg.Code] = reg.Name
			t.Regions = append(t.Regions, ref.Children(reg.Code)...)
		}
	default:
		return nil, fmt.Errorf("unknown level %q: want %q or %q", level, LevelRegency, LevelDistrict)
	}
	if len(t.Regions) == 0 {
		return nil, fmt.Errorf("province %s (%s) has no %s in the reference table", prov.Name, prov.Code, level)
	}
	f := excelize.NewFile()
	t.File = f
	if err := t.build(parents); err != nil {
		f.Close()
		return nil, fmt.Errorf("building template for %s: %w", prov.Name, err)
	}
	return t, nil
}

// FileName is the default name of the template's file:
// template_16.xlsx, template_16_district.xlsx.
func (t *Template) FileName() string {
	if t.Level == LevelDistrict {
		return fmt.Sprintf("template_%s_district.xlsx", t.Province.Code)
	}
	return fmt.Sprintf("template_%s.xlsx", t.Province.Code)
}

// Column returns the column of a field.
func (t *Template) Column(f jkn.Field) (Column, bool) {
	for _, c := range t.Columns {
		if c.Field == f {
			return c, true
		}
	}
	return Column{}, false
}

// Cell returns the cell of a field on the row of Regions[i], e.g. "C5".
func (t *Template) Cell(f jkn.Field, i int) (string, error) {
	c, ok := t.Column(f)
	if !ok {
		return "", fmt.Errorf("the template has no %s column", f)
	}
	if i < 0 || i >= len(t.Regions) {
		return "", fmt.Errorf("row %d is outside the template's %d regions", i, len(t.Regions))
	}
	return fmt.Sprintf("%s%d", c.Letter, FirstRow+i), nil
}

// Bytes returns the workbook as .xlsx bytes.
func (t *Template) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := t.File.Write(&b); err != nil {
		return nil, fmt.Errorf("writing template: %w", err)
	}
	return b.Bytes(), nil
}

// levelWords names the rows in Indonesian: "kabupaten/kota", "kecamatan".
func (t *Template) levelWords() string {
	if t.Level == LevelDistrict {
		return "kecamatan"
	}
	return "kabupaten/kota"
}

// Date validation bounds: the years the parser accepts as-of dates in.
var (
	minDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC)
)

// excelSerial is a date's Excel serial number (1900 date system).
func excelSerial(d time.Time) int {
	return int(d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24)
}

func (t *Template) build(parents map[string]string) error {
	f := t.File
	// The instructions come first, so the office reads them on opening;
	// the parser passes over a sheet without a table header.
	if err := f.SetSheetName("Sheet1", InstructionsSheet); err != nil {
		return err
	}
	if _, err := f.NewSheet(DataSheet); err != nil {
		return err
	}
	if err := t.instructions(); err != nil {
		return fmt.Errorf("sheet %s: %w", InstructionsSheet, err)
	}
	if err := t.data(parents); err != nil {
		return fmt.Errorf("sheet %s: %w", DataSheet, err)
	}
	f.SetActiveSheet(0)
	return f.SetDocProps(&excelize.DocProperties{
		Title:   fmt.Sprintf("Rekap kepesertaan JKN per %s, Provinsi %s", t.levelWords(), t.Province.Name),
		Creator: "jkn_exporter template",
	})
}

// styles are the cell styles of the data sheet.
type styles struct {
	title, label, date, header, locked, input int
}

func (t *Template) newStyles() (styles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
		{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
	}
	fill := func(color string) excelize.Fill {
		return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
	}
	dateFmt := "dd/mm/yyyy" // day first, as dates are written in Indonesia
	var st styles
	for _, d := range []struct {
		dst *int
		s   *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}}},
		{&st.label, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		// The as-of date: the one cell above the table the office fills in.
		// A date format, so the parser reads it as a date, not a number.
		{&st.date, &excelize.Style{CustomNumFmt: &dateFmt, Border: border, Font: &excelize.Font{Bold: true},
			Fill: fill("FFF2CC"), Alignment: &excelize.Alignment{Horizontal: "left"},
			Protection: &excelize.Protection{Locked: false}}},
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Fill: fill("D9E1F2"),
			Alignment:  &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Protection: &excelize.Protection{Locked: true}}},
		{&st.locked, &excelize.Style{Border: border, Fill: fill("F2F2F2"), Protection: &excelize.Protection{Locked: true}}},
		// #,##0: thousands separated as the office's own Excel locale shows them.
		{&st.input, &excelize.Style{NumFmt: 3, Border: border, Fill: fill("FFF2CC"),
			Protection: &excelize.Protection{Locked: false}}},
	} {
		id, err := t.File.NewStyle(d.s)
		if err != nil {
			return st, err
		}
		*d.dst = id
	}
	return st, nil
}
