// Package benchdata writes the national benchmark workbooks: every
// regency, district or village of the reference table (real Kemendagri
// codes and names, idn-area-data, ODbL) with made-up, deterministic
// figures, laid out as a branch office's rekap sheet. The figures are
// generated per village and summed up, so the three levels agree.
//
// The workbooks are written directly as SpreadsheetML, not through
// excelize, so the layout is under control: shared strings (as Excel and
// LibreOffice write them) or inline strings (as openpyxl and excelize's
// stream writer do), with or without segment columns, with or without a
// code column.
package benchdata

import (
	"archive/zip"
	"fmt"
	"hash/fnv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// Level is the row level of a workbook.
type Level string

// The levels.
const (
	Regency  Level = "regency"
	District Level = "district"
	Village  Level = "village"
)

// Options choose a workbook's layout.
type Options struct {
	Level Level
	// SharedStrings writes text through xl/sharedStrings.xml; otherwise
	// every text cell is an inline string.
	SharedStrings bool
	// Segments adds the five segment columns (PBI APBN, PBPU Pemda, PPU,
	// PBPU, BP).
	Segments bool
	// NoCodes leaves out the code column: rows resolve by name, with the
	// regency and district columns.
	NoCodes bool
	// Province limits the rows to one province code ("16"); "" is the
	// whole country.
	Province string
}

// Name is the file name a workbook of these options gets, e.g.
// "village_sst_seg.xlsx".
func (o Options) Name() string {
	var b strings.Builder
	b.WriteString(string(o.Level))
	if o.Province != "" {
		b.WriteString("_p" + o.Province)
	}
	if o.SharedStrings {
		b.WriteString("_sst")
	} else {
		b.WriteString("_inline")
	}
	if o.Segments {
		b.WriteString("_seg")
	}
	if o.NoCodes {
		b.WriteString("_names")
	}
	return b.String() + ".xlsx"
}

// AsOf is the as-of date every benchmark workbook states in its title.
var asOf = time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)

// AsOf returns the as-of date the workbooks state ("Posisi Data : 1 Mei 2025").
func AsOf() time.Time { return asOf }

// Figures are one region's made-up counts.
type Figures struct {
	Population, Participants, Active int64
	// Segments in the order of the segment columns; they sum to Participants.
	Segments [5]int64
}

func (f *Figures) add(g Figures) {
	f.Population += g.Population
	f.Participants += g.Participants
	f.Active += g.Active
	for i := range f.Segments {
		f.Segments[i] += g.Segments[i]
	}
}

// Row is one region row of a workbook.
type Row struct {
	Region            jkn.Region
	Regency, District string // parent names; empty above their level
	Figures
}

// unit returns a deterministic number in [0, 1) for a code and a salt.
func unit(code string, salt byte) float64 {
	h := fnv.New64a()
	h.Write([]byte(code))
	h.Write([]byte{salt})
	return float64(h.Sum64()>>11) / (1 << 53)
}

// villageFigures makes up a village's counts: 500-6,200 residents (about
// the national mean), coverage 88-103% (above 100% happens), 70-95% of
// participants active.
func villageFigures(code string) Figures {
	pop := 500 + int64(unit(code, 1)*5700)
	part := int64(float64(pop) * (0.88 + unit(code, 2)*0.15))
	act := int64(float64(part) * (0.70 + unit(code, 3)*0.25))
	f := Figures{Population: pop, Participants: part, Active: act}
	// PBI APBN, PBPU Pemda, PPU, PBPU (the rest), BP.
	f.Segments[0] = int64(float64(part) * (0.35 + unit(code, 4)*0.10))
	f.Segments[1] = int64(float64(part) * (0.10 + unit(code, 5)*0.10))
	f.Segments[2] = int64(float64(part) * (0.15 + unit(code, 6)*0.10))
	f.Segments[4] = int64(float64(part) * (0.02 + unit(code, 7)*0.03))
	f.Segments[3] = part - f.Segments[0] - f.Segments[1] - f.Segments[2] - f.Segments[4]
	return f
}

// Rows lists the rows of a workbook in code order, with figures summed up
// from the villages.
func Rows(ref *region.Reference, o Options) ([]Row, error) {
	if err := ref.LoadVillages(); err != nil {
		return nil, err
	}
	var rows []Row
	for _, p := range ref.Provinces() {
		if o.Province != "" && p.Code != o.Province {
			continue
		}
		for _, reg := range ref.Children(p.Code) {
			regRow := Row{Region: reg}
			for _, d := range ref.Children(reg.Code) {
				dRow := Row{Region: d, Regency: reg.Name}
				for _, v := range ref.Children(d.Code) {
					vRow := Row{Region: v, Regency: reg.Name, District: d.Name, Figures: villageFigures(v.Code)}
					dRow.add(vRow.Figures)
					if o.Level == Village {
						rows = append(rows, vRow)
					}
				}
				regRow.add(dRow.Figures)
				if o.Level == District {
					rows = append(rows, dRow)
				}
			}
			if o.Level == Regency {
				rows = append(rows, regRow)
			}
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no %s rows for province %q", o.Level, o.Province)
	}
	return rows, nil
}

// column is one column of the data sheet.
type column struct {
	header string
	width  float64
	// text or number gives the cell of a row; style is the cell style.
	text   func(r *Row) string
	number func(r *Row) float64
	style  int
	// ordinal marks the "No" column: the row's number.
	ordinal bool
}

// Cell styles, indexes into styles.xml's cellXfs.
const (
	styleDefault = 0
	styleHeader  = 1 // bold, wrapped, bordered
	styleCount   = 2 // #,##0
	stylePercent = 3 // 0.00%
)

func columns(o Options) []column {
	cols := []column{{header: "No", width: 7, ordinal: true}}
	if !o.NoCodes {
		cols = append(cols, column{header: "Kode Wilayah", width: 15, text: func(r *Row) string { return r.Region.Code }})
	}
	cols = append(cols, column{header: "Provinsi", width: 22, text: func(r *Row) string { return r.Region.Province }})
	switch o.Level {
	case Regency:
		cols = append(cols, column{header: "Kabupaten/Kota", width: 30, text: func(r *Row) string { return r.Region.Name }})
	case District:
		cols = append(cols,
			column{header: "Kabupaten/Kota", width: 30, text: func(r *Row) string { return r.Regency }},
			column{header: "Kecamatan", width: 24, text: func(r *Row) string { return r.Region.Name }})
	case Village:
		cols = append(cols,
			column{header: "Kabupaten/Kota", width: 30, text: func(r *Row) string { return r.Regency }},
			column{header: "Kecamatan", width: 24, text: func(r *Row) string { return r.District }},
			column{header: "Desa/Kelurahan", width: 24, text: func(r *Row) string { return r.Region.Name }})
	}
	count := func(h string, f func(r *Row) int64) column {
		return column{header: h, width: 14, style: styleCount, number: func(r *Row) float64 { return float64(f(r)) }}
	}
	cols = append(cols,
		count("Jumlah Penduduk", func(r *Row) int64 { return r.Population }),
		count("Jumlah Peserta", func(r *Row) int64 { return r.Participants }),
		count("Peserta Aktif", func(r *Row) int64 { return r.Active }),
		count("Peserta Non Aktif", func(r *Row) int64 { return r.Participants - r.Active }),
		column{header: "% Cakupan", width: 11, style: stylePercent, number: func(r *Row) float64 { return round4(float64(r.Participants) / float64(r.Population)) }},
		column{header: "% Keaktifan", width: 11, style: stylePercent, number: func(r *Row) float64 { return round4(float64(r.Active) / float64(r.Population)) }},
	)
	if o.Segments {
		for i, h := range []string{"PBI APBN", "PBPU Pemda", "PPU", "PBPU", "BP"} {
			cols = append(cols, count(h, func(r *Row) int64 { return r.Segments[i] }))
		}
	}
	return cols
}

// round4 rounds a ratio to four decimals (0.01 points), as a sheet shows it.
func round4(v float64) float64 {
	f, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', 4, 64), 64)
	return f
}

// Write writes the workbook of rows under o as .xlsx.
func Write(w io.Writer, o Options, rows []Row) error {
	zw := zip.NewWriter(w)
	var sst *stringTable
	if o.SharedStrings {
		sst = &stringTable{index: map[string]int{}}
	}
	sheet := &strings.Builder{}
	cols := columns(o)
	writeSheet(sheet, o, cols, rows, sst)
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", contentTypes(sst != nil)},
		{"_rels/.rels", rootRels},
		{"docProps/app.xml", appXML},
		{"xl/workbook.xml", workbookXML(o)},
		{"xl/_rels/workbook.xml.rels", workbookRels(sst != nil)},
		{"xl/styles.xml", stylesXML},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	}
	if sst != nil {
		parts = append(parts, struct{ name, body string }{"xl/sharedStrings.xml", sst.xml()})
	}
	for _, p := range parts {
		// A fixed timestamp keeps the output byte-identical across runs.
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: asOf})
		if err != nil {
			return err
		}
		if _, err := io.WriteString(f, p.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

// stringTable is the shared-string table being built.
type stringTable struct {
	index map[string]int
	list  []string
	count int
}

func (t *stringTable) add(s string) int {
	t.count++
	if i, ok := t.index[s]; ok {
		return i
	}
	t.index[s] = len(t.list)
	t.list = append(t.list, s)
	return len(t.list) - 1
}

func (t *stringTable) xml() string {
	var b strings.Builder
	b.WriteString(xmlHeader)
	fmt.Fprintf(&b, `<sst xmlns="%s" count="%d" uniqueCount="%d">`, nsMain, t.count, len(t.list))
	for _, s := range t.list {
		b.WriteString("<si><t>")
		b.WriteString(escape(s))
		b.WriteString("</t></si>")
	}
	b.WriteString("</sst>")
	return b.String()
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")

func escape(s string) string { return escaper.Replace(s) }

func cellRef(col, row int) string {
	name := ""
	for c := col + 1; c > 0; c = (c - 1) / 26 {
		name = string(rune('A'+(c-1)%26)) + name
	}
	return name + strconv.Itoa(row)
}

// writeSheet writes the worksheet: two title rows (merged across the
// table), a blank row, the header, the rows, a JUMLAH row and a footnote.
func writeSheet(b *strings.Builder, o Options, cols []column, rows []Row, sst *stringTable) {
	last := cellRef(len(cols)-1, 0)
	last = strings.TrimSuffix(last, "0")
	total := len(rows) + 7
	b.WriteString(xmlHeader)
	fmt.Fprintf(b, `<worksheet xmlns="%s" xmlns:r="%s"><dimension ref="A1:%s%d"/>`, nsMain, nsRel, last, total)
	b.WriteString(`<sheetViews><sheetView workbookViewId="0"><pane ySplit="4" topLeftCell="A5" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>`)
	b.WriteString(`<sheetFormatPr defaultRowHeight="15"/><cols>`)
	for i, c := range cols {
		fmt.Fprintf(b, `<col min="%d" max="%d" width="%g" customWidth="1"/>`, i+1, i+1, c.width)
	}
	b.WriteString(`</cols><sheetData>`)
	text := func(col, row int, s string, style int) {
		if s == "" {
			return
		}
		ref := cellRef(col, row)
		st := ""
		if style != 0 {
			st = fmt.Sprintf(` s="%d"`, style)
		}
		if sst != nil {
			fmt.Fprintf(b, `<c r="%s"%s t="s"><v>%d</v></c>`, ref, st, sst.add(s))
			return
		}
		fmt.Fprintf(b, `<c r="%s"%s t="inlineStr"><is><t>%s</t></is></c>`, ref, st, escape(s))
	}
	number := func(col, row int, v float64, style int) {
		b.WriteString(`<c r="`)
		b.WriteString(cellRef(col, row))
		if style != 0 {
			b.WriteString(`" s="`)
			b.WriteString(strconv.Itoa(style))
		}
		b.WriteString(`"><v>`)
		b.WriteString(strconv.FormatFloat(v, 'f', -1, 64))
		b.WriteString(`</v></c>`)
	}
	what := map[Level]string{Regency: "KABUPATEN/KOTA", District: "KECAMATAN", Village: "DESA/KELURAHAN"}[o.Level]
	b.WriteString(`<row r="1">`)
	text(0, 1, "REKAPITULASI KEPESERTAAN JKN PER "+what, 0)
	b.WriteString(`</row><row r="2">`)
	text(0, 2, "Posisi Data : 1 Mei 2025", 0)
	b.WriteString(`</row><row r="4">`)
	for i, c := range cols {
		text(i, 4, c.header, styleHeader)
	}
	b.WriteString(`</row>`)
	var sum Figures
	for i := range rows {
		r := &rows[i]
		n := i + 5
		fmt.Fprintf(b, `<row r="%d">`, n)
		for j, c := range cols {
			switch {
			case c.ordinal:
				number(j, n, float64(i+1), styleDefault)
			case c.number != nil:
				number(j, n, c.number(r), c.style)
			default:
				text(j, n, c.text(r), c.style)
			}
		}
		b.WriteString(`</row>`)
		sum.add(r.Figures)
	}
	n := len(rows) + 5
	fmt.Fprintf(b, `<row r="%d">`, n)
	text(0, n, "JUMLAH", styleHeader)
	tr := Row{Figures: sum}
	for j, c := range cols {
		if c.number != nil {
			number(j, n, c.number(&tr), c.style)
		}
	}
	b.WriteString(`</row>`)
	fmt.Fprintf(b, `<row r="%d">`, n+2)
	text(0, n+2, "Sumber: data kepesertaan BPJS Kesehatan (angka buatan untuk uji kinerja)", 0)
	b.WriteString(`</row></sheetData>`)
	fmt.Fprintf(b, `<mergeCells count="2"><mergeCell ref="A1:%s1"/><mergeCell ref="A2:%s2"/></mergeCells>`, last, last)
	b.WriteString(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
}

const (
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain    = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	rootRels  = xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>` +
		`</Relationships>`
	appXML = xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>jkn_exporter benchdata</Application></Properties>`
	// stylesXML: 0 default, 1 header (bold, wrapped, thin border), 2 #,##0, 3 0.00%.
	stylesXML = xmlHeader + `<styleSheet xmlns="` + nsMain + `">` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>` +
		`<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>` +
		`<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`
)

func contentTypes(sst bool) string {
	s := xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`
	if sst {
		s += `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
	}
	return s + `</Types>`
}

func workbookXML(o Options) string {
	name := map[Level]string{Regency: "Rekap Kab-Kota", District: "Rekap Kecamatan", Village: "Rekap Desa"}[o.Level]
	return xmlHeader + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><workbookPr/>` +
		`<sheets><sheet name="` + name + `" sheetId="1" r:id="rId1"/></sheets></workbook>`
}

func workbookRels(sst bool) string {
	s := xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`
	if sst {
		s += `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`
	}
	return s + `</Relationships>`
}

// Matrix lists the workbooks `make bench` generates: each level with and
// without shared strings and segments, and a names-only village sheet.
func Matrix() []Options {
	var out []Options
	for _, l := range []Level{Regency, District, Village} {
		for _, sst := range []bool{true, false} {
			for _, seg := range []bool{false, true} {
				out = append(out, Options{Level: l, SharedStrings: sst, Segments: seg})
			}
		}
	}
	return append(out, Options{Level: Village, SharedStrings: true, NoCodes: true})
}
