// Package region resolves the codes and names written in branch-office
// sheets to canonical Kemendagri regions, from a reference table made from
// the npm package idn-area-data (ODbL, see data/).
package region

// Level is a region's administrative level.
type Level string

// The levels, as the `level` label shows them.
const (
	LevelProvince Level = "province"
	LevelRegency  Level = "regency" // kabupaten, codes xx.01-xx.69
	LevelCity     Level = "city"    // kota, codes xx.71-xx.99
	LevelDistrict Level = "district"
	LevelVillage  Level = "village"
)

// Region is a canonical region.
type Region struct {
	Code         string // dotted Kemendagri code: "16.07"
	Name         string // canonical name: "Kabupaten Banyuasin"
	Level        Level
	ProvinceCode string // "16"
	Province     string // canonical province name: "Sumatera Selatan"
}

// Query is what one sheet row says about its region. Any field may be empty.
type Query struct {
	Code     string // as written: "16.07", "1607", "16"
	Name     string // as written: "Kab. Banyuasin", "MUKO MUKO"
	Province string // a province name or code from the row or the source's setting
	Regency  string // parent regency name or dotted code, for district and village rows without codes
	District string // parent district name or dotted code, for village rows without codes
}
