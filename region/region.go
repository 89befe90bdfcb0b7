// Package region resolves the codes and names written in branch-office
// sheets to canonical Kemendagri regions, from a reference table made from
// the npm package idn-area-data (ODbL, see data/).
package region

import "github.com/jkn-exporter/jkn_exporter/jkn"

// Query is what one sheet row says about its region. Any field may be empty.
type Query struct {
	Code     string // as written: "16.07", "1607", "16"
	Name     string // as written: "Kab. Banyuasin", "MUKO MUKO"
	Province string // a province name or code from the row or the source's setting
	Regency  string // parent regency name or dotted code, for district and village rows without codes
	District string // parent district name or dotted code, for village rows without codes
	// Level is what the row's column header says it is: LevelDistrict
	// for a "Kecamatan" column, LevelVillage for "Desa"/"Kelurahan"; empty
	// when the header names no level or a coarser one. A district row
	// then never resolves to a regency or city of the same name, nor a
	// village row (which may name its district, its subtotal) to one.
	Level jkn.Level
}
