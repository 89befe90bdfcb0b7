package xlsx

import (
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// Test hooks for the tests outside the package (fast_test.go, limits_test.go).

// Grids reads a workbook by the fast path (a sheet it gives up on ends
// with read.ErrRestart) and by the slow path.
func Grids(data []byte) (fast, slow readtest.Grid, err error) {
	b, err := open(data, read.Limits{})
	if err != nil {
		return fast, slow, err
	}
	p := b.(*book).p
	return readtest.ReadAll(b), readtest.ReadAll(&book{p: p, opened: map[int]bool{}, slowOnly: true}), nil
}

// ExcelizeFormat is Format with every sheet read by the slow path, as the
// parser read every sheet before the fast path.
func ExcelizeFormat() read.Format {
	f := Format()
	f.Open = func(data []byte, lim read.Limits) (read.Book, error) {
		b, err := open(data, lim)
		if err != nil {
			return nil, err
		}
		b.(*book).slowOnly = true
		return b, nil
	}
	return f
}

// The fixed bounds the limit tests check.
const (
	InMemorySharedStrings = inMemorySharedStrings
	MaxWorkbookSheets     = maxWorkbookSheets
	MaxFormulaCells       = maxFormulaCells
	MaxZipEntries         = maxZipEntries
)

// DeclaredEntries is declaredEntries.
var DeclaredEntries = declaredEntries
