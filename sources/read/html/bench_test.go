package html_test

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/benchdata"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	htmlformat "github.com/jkn-exporter/jkn_exporter/sources/read/html"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// BenchmarkHTML reads the district-level benchmark sheet (7,285 districts
// of region/data with benchdata's made-up figures) as a web page laid out
// as LibreOffice saves the benchmark sheet as HTML: every cell with its
// alignment and font, numbers with sdval and sdnum beside the shown text.
func BenchmarkHTML(b *testing.B) {
	ref, err := region.Load()
	if err != nil {
		b.Fatal(err)
	}
	rows, err := benchdata.Rows(ref, benchdata.Options{Level: benchdata.District})
	if err != nil {
		b.Fatal(err)
	}
	data := []byte(districtPage(rows))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		bk, err := htmlformat.Format().Open(data, read.Limits{})
		if err != nil {
			b.Fatal(err)
		}
		g := readtest.ReadAll(bk)
		if s := g.Sheets[0]; s.Err != nil || len(s.Rows) != len(rows)+4 {
			b.Fatalf("%d rows, %v", len(s.Rows), s.Err)
		}
	}
}

// districtPage writes the district sheet as LibreOffice's web page.
func districtPage(rows []benchdata.Row) string {
	var sb strings.Builder
	str := func(s string) {
		fmt.Fprintf(&sb, "\t\t<td align=\"left\" valign=bottom><font color=\"#000000\">%s</font></td>\n", html.EscapeString(s))
	}
	num := func(v int64) {
		n := strconv.FormatInt(v, 10)
		fmt.Fprintf(&sb, "\t\t<td align=\"right\" valign=bottom sdval=\"%s\" sdnum=\"1033;0;#,##0\"><font color=\"#000000\">%s</font></td>\n", n, n)
	}
	pct := func(v float64) {
		fmt.Fprintf(&sb, "\t\t<td align=\"right\" valign=bottom sdval=\"%s\" sdnum=\"1033;0;0.00%%\"><font color=\"#000000\">%s%%</font></td>\n",
			strconv.FormatFloat(v, 'f', 4, 64), strconv.FormatFloat(v*100, 'f', 2, 64))
	}
	sb.WriteString("<!DOCTYPE html>\n<html>\n<head>\n\t<meta http-equiv=\"content-type\" content=\"text/html; charset=utf-8\"/>\n</head>\n<body>\n<table cellspacing=\"0\" border=\"0\">\n")
	sb.WriteString("\t<colgroup width=\"47\"></colgroup>\n\t<colgroup span=\"10\" width=\"112\"></colgroup>\n")
	sb.WriteString("\t<tr>\n\t\t<td colspan=11 height=\"20\" align=\"left\" valign=bottom><b>REKAPITULASI KEPESERTAAN JKN PER KECAMATAN</b></td>\n\t\t</tr>\n")
	sb.WriteString("\t<tr>\n")
	str("Posisi Data : 1 Mei 2025")
	sb.WriteString("\t</tr>\n\t<tr>\n\t\t<td height=\"20\"><br></td>\n\t</tr>\n\t<tr>\n")
	for _, h := range []string{"No", "Kode Wilayah", "Provinsi", "Kabupaten/Kota", "Kecamatan", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif", "Peserta Non Aktif", "% Cakupan", "% Keaktifan"} {
		str(h)
	}
	sb.WriteString("\t</tr>\n")
	for i, r := range rows {
		sb.WriteString("\t<tr>\n")
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
		sb.WriteString("\t</tr>\n")
	}
	sb.WriteString("\t<tr>\n")
	str("JUMLAH")
	sb.WriteString("\t</tr>\n</table>\n</body>\n</html>\n")
	return sb.String()
}
