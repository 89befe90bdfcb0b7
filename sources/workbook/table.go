// Package workbook reads one branch-office workbook into a table of named
// figures: it finds the data sheet and its header row, maps the columns by
// their Indonesian or English headers, reads numbers and the as-of date, and
// records a finding for every row it cannot read.
package workbook

import (
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// Column is one mapped column of the data sheet.
type Column struct {
	Field  jkn.Field
	Index  int    // 0-based column index
	Letter string // spreadsheet letter, e.g. "C"
	Header string // the header text as written (both rows of a two-row header, joined by " / ")
	Hidden bool
}

// Row is one region row of the data sheet.
type Row struct {
	Number   int // 1-based sheet row
	Code     string
	Name     string
	Province string
	Regency  string
	District string
	// AsOf is the row's own date from a date column; zero when there is none.
	AsOf time.Time
	// Figures holds every numeric field whose cell was present and readable
	// (counts as persons, reported ratios as fractions: 0.9763). A field
	// that is absent here was empty in the sheet: it is missing, never 0.
	// Table.Column gives the column each was read from.
	Figures jkn.Figures
}

// AsOfOrigin says where the table's as-of date came from.
type AsOfOrigin string

// The as-of origins, in the order they are tried.
const (
	AsOfColumn    AsOfOrigin = "column"
	AsOfTitleCell AsOfOrigin = "title_cell"
	AsOfFileName  AsOfOrigin = "file_name"
	AsOfModTime   AsOfOrigin = "modtime"
)

// Table is what one workbook becomes.
type Table struct {
	File      string
	Sheet     string
	HeaderRow int // 1-based; the lower row of a two-row header
	// HeaderRows is 1 or 2.
	HeaderRows int
	Columns    []Column
	// Ignored lists the header cells that map to no field (Field is
	// empty): unknown headers, and a second column of a field already
	// mapped (see the duplicate_column finding). "No" columns are not listed.
	Ignored []Column
	// AsOf is the table's date: for AsOfColumn the newest row date, and
	// each row carries its own in Row.AsOf.
	AsOf       time.Time
	AsOfOrigin AsOfOrigin
	// AsOfDetail says which cell, text or name gave the date, e.g.
	// `cell A2 "Posisi Data : 1 September 2023"`.
	AsOfDetail string
	Rows       []Row
	// Skipped counts rows that are not regions and not errors: blank,
	// total (JUMLAH/TOTAL) and footnote rows.
	Skipped  int
	Findings []jkn.Finding
}

// Column returns the mapped column of a field, if any.
func (t *Table) Column(f jkn.Field) (Column, bool) {
	for _, c := range t.Columns {
		if c.Field == f {
			return c, true
		}
	}
	return Column{}, false
}

// Options bound what one workbook may cost.
type Options struct {
	// UnzipSizeLimit and UnzipXMLSizeLimit are passed to excelize; zero
	// means the package defaults (DefaultUnzipSizeLimit, DefaultUnzipXMLSizeLimit).
	UnzipSizeLimit    int64
	UnzipXMLSizeLimit int64
	// MaxRows, MaxSheets and MaxSharedStrings bound the rows with a value
	// in a sheet, the visible worksheets examined for the table and the
	// shared strings; zero means the package defaults (see limits.go).
	MaxRows          int
	MaxSheets        int
	MaxSharedStrings int

	// excelizeOnly turns the fast read path off (fastsheet.go), so tests
	// can compare it with excelize's.
	excelizeOnly bool
	// onTable and onRow are ParseRows's callbacks.
	onTable func(t *Table, rowsHint int)
	onRow   func(Row)
}

// Defaults sized for a 2-core, small-memory host.
const (
	DefaultUnzipSizeLimit = 1 << 30 // 1 GiB unpacked in all
	// DefaultUnzipXMLSizeLimit: a larger sheet or shared strings table is
	// read from a temporary file rather than held in memory. A national
	// village sheet is up to 62 MB; held in memory, a 240 MB sheet made
	// the heap peak at 1.4 GiB, read from disk at 210 MiB.
	DefaultUnzipXMLSizeLimit = 64 << 20
)
