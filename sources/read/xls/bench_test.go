package xls

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/benchdata"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xlsx"
)

// BenchmarkXLS reads the national district table of internal/benchdata
// (7,285 rows: every district, real codes and names, made-up figures) as
// an .xls laid out as LibreOffice writes one: strings in the shared
// string table (SST and CONTINUE records) referenced by LABELSST, the
// counts as a MULRK run, the percentages as NUMBER records. Open and
// every row, as the parser takes them. district_xlsx reads the same rows
// from benchdata's .xlsx (shared strings) with the .xlsx reader, the
// figure issue 18 compares with (.xls within 2x of it).
func BenchmarkXLS(b *testing.B) {
	ref, err := region.Load()
	if err != nil {
		b.Fatal(err)
	}
	rows, err := benchdata.Rows(ref, benchdata.Options{Level: benchdata.District})
	if err != nil {
		b.Fatal(err)
	}
	var book bytes.Buffer
	if err := benchdata.Write(&book, benchdata.Options{Level: benchdata.District, SharedStrings: true}, rows); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		format read.Format
		data   []byte
	}{
		{"district", Format(), benchBook(rows)},
		{"district_xlsx", xlsx.Format(), book.Bytes()},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			for b.Loop() {
				if n := benchRead(b, c.format, c.data); n < len(rows)+3 {
					b.Fatalf("%d rows, want %d or more", n, len(rows)+3)
				}
			}
		})
	}
}

// benchRead reads every row of the first sheet and returns how many have
// values.
func benchRead(b *testing.B, f read.Format, data []byte) int {
	bk, err := f.Open(data, read.Limits{})
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
	if _, err := s.Layout(); err != nil {
		b.Fatal(err)
	}
	return n
}

// benchBook writes the rows as one sheet: two title rows, a blank row,
// the header, one row per district.
func benchBook(rows []benchdata.Row) []byte {
	var strs []string
	index := map[string]int{}
	str := func(s string) int {
		i, ok := index[s]
		if !ok {
			i = len(strs)
			index[s] = i
			strs = append(strs, s)
		}
		return i
	}
	var recs []rec
	text := func(row, col int, s string) { recs = append(recs, labelSST(row, col, str(s))) }
	text(0, 0, "REKAPITULASI KEPESERTAAN JKN PER KECAMATAN")
	text(1, 0, "Posisi Data : 1 Mei 2025")
	for c, h := range []string{"No", "Kode Wilayah", "Provinsi", "Kabupaten/Kota", "Kecamatan", "Jumlah Penduduk",
		"Jumlah Peserta", "Peserta Aktif", "Peserta Non Aktif", "% Cakupan", "% Keaktifan"} {
		text(3, c, h)
	}
	rk := func(v int64) uint32 { return uint32(v)<<2 | 2 }
	for i, d := range rows {
		n := 4 + i
		recs = append(recs, rkRec(n, 0, 0, rk(int64(i+1))))
		text(n, 1, d.Region.Code)
		text(n, 2, d.Region.Province)
		text(n, 3, d.Regency)
		text(n, 4, d.Region.Name)
		recs = append(recs, r(recMULRK, n, 5, 0, rk(d.Population), 0, rk(d.Participants), 0, rk(d.Active),
			0, rk(d.Participants-d.Active), 8),
			number(n, 9, 0, float64(d.Participants)/float64(d.Population)),
			number(n, 10, 0, float64(d.Active)/float64(d.Population)))
	}
	return xlsFile("Workbook", stream(8, sstRecs(strs), sheetDef{name: "Kecamatan", recs: recs}))
}

// sstRecs builds an SST record and the CONTINUE records it needs, each
// under BIFF8's 8,224 bytes, split between strings.
func sstRecs(strs []string) []rec {
	const maxRec = 8224
	out := []rec{r(recSST, uint32(len(strs)), uint32(len(strs)))}
	for _, s := range strs {
		u := u8str(s)
		last := &out[len(out)-1]
		if len(last.data)+len(u) > maxRec {
			out = append(out, rec{typ: recCONTINUE})
			last = &out[len(out)-1]
		}
		last.data = append(last.data, u...)
	}
	return out
}

// The benchmark's rows must be what benchdata gives: a changed count is
// a changed benchmark.
func TestBenchBook(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	rows, err := benchdata.Rows(ref, benchdata.Options{Level: benchdata.District})
	if err != nil {
		t.Fatal(err)
	}
	bk, err := Format().Open(benchBook(rows), read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := bk.Open(0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var last read.Row
	n := 0
	for s.Next() {
		last = s.Row()
		n++
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	r := rows[len(rows)-1]
	want := []string{strconv.Itoa(len(rows)), r.Region.Code, r.Region.Province, r.Regency, r.Region.Name,
		strconv.FormatInt(r.Population, 10), strconv.FormatInt(r.Participants, 10)}
	if n != len(rows)+3 || len(last.Cells) != 11 {
		t.Fatalf("%d rows, the last of %d cells", n, len(last.Cells))
	}
	for i, w := range want {
		if last.Cells[i].Text != w {
			t.Errorf("last row, column %d: %q, want %q", i, last.Cells[i].Text, w)
		}
	}
}
