// Package region resolves the codes and names written in branch-office
// sheets to canonical Kemendagri regions, from a reference table made from
// the npm package idn-area-data (ODbL, see data/).
package region

// Query is what one sheet row says about its region. Any field may be empty.
type Query struct {
	Code     string // as written: "16.07", "1607", "16"
	Name     string // as written: "Kab. Banyuasin", "MUKO MUKO"
	Province string // a province name or code from the row or the source's setting
	Regency  string // parent regency name or dotted code, for district and village rows without codes
	District string // parent district name or dotted code, for village rows without codes
}
