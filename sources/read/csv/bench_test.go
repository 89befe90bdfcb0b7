package csv_test

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/benchdata"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/csv"
)

// BenchmarkCSV reads the national district (7,285 rows) and village
// (83,762 rows) tables of internal/benchdata, written as an Indonesian
// office's CSV ("1.234.567", "97,63%", ';', every row padded), with the
// columns of benchdata's .xlsx sheets (12 at village level): Open and
// every row, as the parser takes them.
func BenchmarkCSV(b *testing.B) {
	ref, err := region.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, level := range []benchdata.Level{benchdata.District, benchdata.Village} {
		rows, err := benchdata.Rows(ref, benchdata.Options{Level: level})
		if err != nil {
			b.Fatal(err)
		}
		data := benchCSV(level, rows)
		b.Run(string(level), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if n := readRows(b, data); n != len(rows)+5 {
					b.Fatalf("%d rows, want %d", n, len(rows)+5)
				}
			}
		})
	}
}

// readRows reads every row of a text and returns how many have values.
func readRows(b *testing.B, data []byte) int {
	bk, err := csv.Format().Open(data, read.Limits{})
	if err != nil {
		b.Fatal(err)
	}
	s, err := bk.Open(0)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	n := 0
	for s.Next() {
		if len(s.Row().Cells) > 0 {
			n++
		}
	}
	if err := s.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}

// benchCSV writes rows as benchdata lays out its sheets (two title rows,
// a blank row, the header, the rows, a JUMLAH row, a blank row, a
// footnote), in Indonesian number formats, as Excel saves CSV there.
func benchCSV(level benchdata.Level, rows []benchdata.Row) []byte {
	header := []string{"No", "Kode Wilayah", "Provinsi", "Kabupaten/Kota", "Kecamatan"}
	what := "KECAMATAN"
	if level == benchdata.Village {
		header, what = append(header, "Desa/Kelurahan"), "DESA/KELURAHAN"
	}
	header = append(header, "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif", "Peserta Non Aktif", "% Cakupan", "% Keaktifan")
	var buf bytes.Buffer
	line := func(cells ...string) {
		for len(cells) < len(header) {
			cells = append(cells, "")
		}
		buf.WriteString(strings.Join(cells, ";"))
		buf.WriteString("\r\n")
	}
	line("REKAPITULASI KEPESERTAAN JKN PER " + what)
	line("Posisi Data : 1 Mei 2025")
	line()
	line(header...)
	var sum benchdata.Figures
	for i, r := range rows {
		cells := []string{strconv.Itoa(i + 1), r.Region.Code, r.Region.Province, r.Regency}
		if level == benchdata.Village {
			cells = append(cells, r.District)
		}
		cells = append(cells, quote(r.Region.Name))
		line(append(cells, figures(r.Figures)...)...)
		sum.Population += r.Population
		sum.Participants += r.Participants
		sum.Active += r.Active
	}
	total := make([]string, len(header)-6)
	total[0] = "JUMLAH"
	line(append(total, figures(sum)...)...)
	line()
	line("Sumber: data kepesertaan BPJS Kesehatan (angka buatan untuk uji kinerja)")
	return buf.Bytes()
}

func figures(f benchdata.Figures) []string {
	return []string{thousands(f.Population), thousands(f.Participants), thousands(f.Active), thousands(f.Participants - f.Active),
		percent(f.Participants, f.Population), percent(f.Active, f.Population)}
}

// thousands writes n as Indonesian Excel shows #,##0: 1.234.567.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// percent writes a ratio as 0.00% shows it in Indonesian: 97,63%.
func percent(a, b int64) string {
	return strings.Replace(fmt.Sprintf("%.2f%%", 100*float64(a)/float64(b)), ".", ",", 1)
}

func quote(s string) string {
	if strings.ContainsAny(s, ";\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}
