package ods_test

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/benchdata"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// BenchmarkODS reads the district-level benchmark sheet (7,285 districts
// of region/data with benchdata's made-up figures) as an .ods: content.xml
// laid out as LibreOffice writes the benchmark .xlsx when it saves it as
// .ods (each cell with its value and shown text, the empty area after the
// data as repeats), 12 MB unpacked.
func BenchmarkODS(b *testing.B) {
	ref, err := region.Load()
	if err != nil {
		b.Fatal(err)
	}
	rows, err := benchdata.Rows(ref, benchdata.Options{Level: benchdata.District})
	if err != nil {
		b.Fatal(err)
	}
	data := odsZip(b, mimetype, entry{"content.xml", districtContent(rows)})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		bk, err := openODS(b, data, read.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		g := readtest.ReadAll(bk)
		if s := g.Sheets[0]; s.Err != nil || len(s.Rows) != len(rows)+4 {
			b.Fatalf("%d rows, %v", len(s.Rows), s.Err)
		}
	}
}

// districtContent writes the district sheet's content.xml.
func districtContent(rows []benchdata.Row) string {
	var sb strings.Builder
	str := func(s string) {
		sb.WriteString(`<table:table-cell office:value-type="string" calcext:value-type="string"><text:p>`)
		sb.WriteString(html.EscapeString(s))
		sb.WriteString(`</text:p></table:table-cell>`)
	}
	num := func(v int64) {
		n := strconv.FormatInt(v, 10)
		fmt.Fprintf(&sb, `<table:table-cell office:value-type="float" office:value="%s" calcext:value-type="float"><text:p>%s</text:p></table:table-cell>`, n, n)
	}
	pct := func(v float64) {
		n := strconv.FormatFloat(v, 'f', 4, 64)
		fmt.Fprintf(&sb, `<table:table-cell table:style-name="ce2" office:value-type="percentage" office:value="%s" calcext:value-type="percentage"><text:p>%s%%</text:p></table:table-cell>`,
			n, strconv.FormatFloat(v*100, 'f', 2, 64))
	}
	sb.WriteString(`<table:table table:name="Rekap Kecamatan" table:style-name="ta1"><table:table-column table:number-columns-repeated="16384"/>`)
	sb.WriteString(`<table:table-row><table:table-cell office:value-type="string" table:number-columns-spanned="11" table:number-rows-spanned="1"><text:p>REKAPITULASI KEPESERTAAN JKN PER KECAMATAN</text:p></table:table-cell><table:covered-table-cell table:number-columns-repeated="10"/><table:table-cell table:number-columns-repeated="16373"/></table:table-row>`)
	sb.WriteString(`<table:table-row><table:table-cell office:value-type="string"><text:p>Posisi Data : 1 Mei 2025</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row>`)
	sb.WriteString(`<table:table-row><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row>`)
	for _, h := range []string{"No", "Kode Wilayah", "Provinsi", "Kabupaten/Kota", "Kecamatan", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif", "Peserta Non Aktif", "% Cakupan", "% Keaktifan"} {
		str(h)
	}
	sb.WriteString(`<table:table-cell table:number-columns-repeated="16373"/></table:table-row>`)
	for i, r := range rows {
		sb.WriteString(`<table:table-row table:style-name="ro1">`)
		num(int64(i + 1))
		str(r.Region.Code)
		str(r.Region.Province)
		str(r.Regency)
		str(r.Region.Name)
		num(r.Population)
		num(r.Participants)
		num(r.Active)
		num(r.Participants - r.Active)
		pct(float64(r.Participants) / float64(r.Population))
		pct(float64(r.Active) / float64(r.Population))
		sb.WriteString(`<table:table-cell table:number-columns-repeated="16373"/></table:table-row>`)
	}
	sb.WriteString(`<table:table-row><table:table-cell office:value-type="string"><text:p>JUMLAH</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row>`)
	sb.WriteString(`<table:table-row table:number-rows-repeated="1041280"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>`)
	return content(`<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N11"/>`, sb.String())
}
