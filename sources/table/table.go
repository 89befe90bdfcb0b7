// Package table reads one branch-office file into a table of named
// figures: it finds the data sheet and its header row, maps the columns by
// their Indonesian or English headers, reads numbers and the as-of date, and
// records a finding for every row it cannot read. It reads the file through
// the read seam (sources/read), whatever its format, and knows nothing of
// any format itself.
package table

import (
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/csv"
	"github.com/jkn-exporter/jkn_exporter/sources/read/html"
	"github.com/jkn-exporter/jkn_exporter/sources/read/ods"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xls"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xlsx"
)

// Column is one mapped column of the data sheet.
type Column struct {
	Field  jkn.Field
	Index  int    // 0-based column index
	Letter string // spreadsheet letter, e.g. "C"
	Header string // the header text as written (the rows of a header of several, joined by " / ")
	Hidden bool
	// Part is jkn.FieldActive or jkn.FieldInactive for a segment's Aktif
	// or Non Aktif sub-column ("PBI APBN" over "Aktif | Non Aktif"), empty
	// for a whole column. A row's segment figure is then the sum of both
	// parts, and its active part is the segment's active field too
	// (jkn.Segment.Active).
	Part jkn.Field
}

// Name is the column's meaning as check prints it: its field, and the
// part of a segment split in two ("segment_pbpu/active").
func (c Column) Name() string {
	if c.Part == "" {
		return string(c.Field)
	}
	return string(c.Field) + "/" + string(c.Part)
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
	HeaderRow int // 1-based; the lowest row of a header of several
	// HeaderRows is 1 to 3.
	HeaderRows int
	Columns    []Column
	// Ignored lists the header cells that map to no field (Field is
	// empty): unknown headers, and a second column of a field already
	// mapped (see the duplicate_column finding). "No" columns are not listed.
	Ignored []Column
	// Level is the level the header of the region column states:
	// LevelDistrict for "Kecamatan", LevelVillage for "Desa"/"Kelurahan",
	// LevelRegency for "Kabupaten/Kota" (a regency or a city),
	// LevelProvince for "Provinsi"; empty when it names none ("Nama
	// Wilayah", "Kode").
	Level jkn.Level
	// Scope is a regency or city a title row above the header names, as
	// written ("KABUPATEN SIDOARJO"), in cell ScopeColumn ScopeRow; empty
	// when no title names one (or two name different ones). The parser
	// does not know regions: the resolver decides what it is.
	Scope       string
	ScopeRow    int
	ScopeColumn string
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

// Options are how the parser reads a file.
type Options struct {
	// Limits bound what one file may cost (the limits section of the
	// config); zero values are the defaults.
	Limits read.Limits
	// Formats are the formats read, in the order they are tried; nil
	// means Formats().
	Formats read.Registry
}

// Formats returns every format the parser reads, in the order their
// Sniff is tried. Each Sniff looks at the content only (a zip, a compound
// file with a Workbook stream, delimited text), so a file is read
// whatever its name. CSV comes last: it claims any text whose first lines
// split into the same number of fields, so the formats whose files are
// text too (HTML) must come before it.
func Formats() read.Registry {
	return read.Registry{xlsx.Format(), ods.Format(), xls.Format(), html.Format(), csv.Format()}
}
