package table

import (
	"strings"
	"unicode"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// scopeTypeWords start the name of a regency or city in a title.
var scopeTypeWords = map[string]bool{"kabupaten": true, "kab": true, "kota": true}

// scopeStopWords end a regency's name in a title ("KABUPATEN SIDOARJO
// TAHUN 2025", "Kota Kupang Provinsi NTT"); so do a month and a number.
var scopeStopWords = map[string]bool{
	"di": true, "dan": true, "se": true, "provinsi": true, "prov": true, "tahun": true, "bulan": true, "semester": true,
	"triwulan": true, "posisi": true, "per": true, "periode": true, "data": true, "keadaan": true, "kondisi": true,
	"sampai": true, "sd": true, "s": true, "tanggal": true, "tgl": true, "pada": true, "wilayah": true, "kc": true,
	"kantor": true, "cabang": true, "bpjs": true, "as": true, "of": true,
}

// titleScope finds the regency or city a title row above the header names
// ("KABUPATEN SIDOARJO", "Rekap Kepesertaan per Kecamatan di Kota
// Kupang"): a type word and the words after it, up to a word that ends a
// name. It returns the text, type word and all, and the cell it is in
// (1-based row, column letter); nothing when no title names one or two
// name different ones.
// "Kabupaten/Kota" (a column of them) names none.
func titleScope(title [][]read.Cell) (text string, row int, column string) {
	budget := titleScanBytes
	for r, cells := range title {
		for c, cell := range cells {
			if cell.Kind == read.Formula {
				continue
			}
			s := cleanText(cell.Text)
			if s == "" {
				continue
			}
			if len(s) > titleCellBytes {
				s = s[:titleCellBytes]
			}
			if budget -= len(s); budget < 0 {
				return text, row, column
			}
			found := scopeIn(s)
			switch {
			case found == "":
			case text == "":
				text, row, column = found, r+1, jkn.ColumnLetter(c)
			case normalizeHeader(found) != normalizeHeader(text):
				return "", 0, "" // two regions: neither scopes the rows
			}
		}
	}
	return text, row, column
}

// scopeIn finds a regency or city name in one title text.
func scopeIn(s string) string {
	// Punctuation ends a name; a dot does not ("Kab. Kep. Seribu").
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(",:;()[]-–—\"", r) }) {
		// "Kabupaten/Kota" is one word, a kind of region, not a name.
		words := strings.FieldsFunc(part, func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' })
		for i := 0; i < len(words); i++ {
			if !scopeTypeWords[wordKey(words[i])] {
				continue
			}
			j := i + 1
			for j < len(words) && isNameWord(words[j]) {
				j++
			}
			if j > i+1 {
				return strings.Join(words[i:j], " ")
			}
		}
	}
	return ""
}

// wordKey is a title word lower-cased, without dots.
func wordKey(w string) string { return strings.ToLower(strings.Trim(w, ".")) }

// isNameWord reports whether a title word may be part of a region's name.
func isNameWord(w string) bool {
	k := wordKey(w)
	if k == "" || scopeStopWords[k] || scopeTypeWords[k] || strings.ContainsRune(k, '/') {
		return false
	}
	if _, month := months[k]; month {
		return false
	}
	return !strings.ContainsFunc(k, unicode.IsDigit)
}
