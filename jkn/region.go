package jkn

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

// Region is a canonical Kemendagri region.
type Region struct {
	Code         string // dotted Kemendagri code: "16.07"
	Name         string // canonical name: "Kabupaten Banyuasin"
	Level        Level
	ProvinceCode string // "16"
	Province     string // canonical province name: "Sumatera Selatan"
}
