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

// Word is the level's name in a message: "district" in English, "kecamatan"
// in Indonesian.
func (l Level) Word() Message {
	switch l {
	case LevelProvince:
		return Msgf("province")
	case LevelRegency:
		return Msgf("regency")
	case LevelCity:
		return Msgf("city")
	case LevelDistrict:
		return Msgf("district")
	case LevelVillage:
		return Msgf("village")
	}
	return Message{Key: "%s", Args: []any{string(l)}}
}

// Plural is the name of the level's rows, as a column of them is named:
// "districts (kecamatan)" in English, "kecamatan" in Indonesian.
func (l Level) Plural() Message {
	switch l {
	case LevelDistrict:
		return Msgf("districts (kecamatan)")
	case LevelVillage:
		return Msgf("villages (desa/kelurahan)")
	}
	return Msgf("%ss", l.Word())
}

// Region is a canonical Kemendagri region.
type Region struct {
	Code         string // dotted Kemendagri code: "16.07"
	Name         string // canonical name: "Kabupaten Banyuasin"
	Level        Level
	ProvinceCode string // "16"
	Province     string // canonical province name: "Sumatera Selatan"
}
