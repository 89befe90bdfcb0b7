package read

import (
	"fmt"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// What one file may cost, whatever its format. Sizes alone do not bound
// memory (a zip of XML expands when parsed: measured with excelize v2.11,
// an 8 MiB styles.xml of empty <xf/> elements, a 17 KB file, held 269 MB
// of heap), so each reader also bounds what its format can declare
// (entries, records, repeat counts) before it allocates for it; those
// bounds are the reader's own (sources/read/xlsx/limits.go).

// Limits are the configurable bounds (the limits section of the config);
// zero means the default. Every reader honours them.
type Limits struct {
	// UnzipSizeLimit bounds what a zip-based file (.xlsx, .ods) unpacks to
	// in all; UnzipXMLSizeLimit the part a reader may hold in memory (the
	// xlsx reader has excelize read a larger sheet or shared strings
	// table from a temporary file). Defaults DefaultUnzipSizeLimit and
	// DefaultUnzipXMLSizeLimit; the XML limit is at most the total.
	UnzipSizeLimit    int64
	UnzipXMLSizeLimit int64
	// MaxRows bounds the rows with a value in one sheet: a reader rejects
	// a sheet with more (TooManyRows), before it hands rows past it.
	MaxRows int
	// MaxSheets bounds the visible data sheets the parser examines for
	// the table, in workbook order: it opens no more than that. (A reader
	// bounds the sheets its format may list itself.)
	MaxSheets int
	// MaxSharedStrings bounds a workbook's table of shared strings (the
	// xlsx shared strings part, an .xls SST): a reader rejects a larger
	// table (TooLarge) before it parses it.
	MaxSharedStrings int
}

// Defaults sized for a 2-core, small-memory host.
const (
	DefaultUnzipSizeLimit = 1 << 30 // 1 GiB unpacked in all
	// DefaultUnzipXMLSizeLimit: a larger sheet or shared strings table is
	// read from a temporary file rather than held in memory. A national
	// village sheet is up to 62 MB; held in memory, a 240 MB sheet made
	// the heap peak at 1.4 GiB, read from disk at 210 MiB.
	DefaultUnzipXMLSizeLimit = 64 << 20
	// DefaultMaxRows: a national village sheet has about 84,000 rows.
	DefaultMaxRows = 200_000
	// DefaultMaxSheets: visible worksheets examined for the table.
	DefaultMaxSheets = 32
	// DefaultMaxSharedStrings: a national sheet with names, codes and
	// figures as text has a few hundred thousand shared strings.
	DefaultMaxSharedStrings = 1_000_000
)

// Fixed bounds, far above what any real sheet needs, that keep a hostile
// file's cost small whatever the configured limits. A reader rejects a
// file over one with TooLarge.
const (
	// MaxCellText bounds the bytes of one cell's text as the file writes
	// it (escaped, encoded). Excel's longest cell is 32,767 characters, at
	// most 192 KiB as escaped XML.
	MaxCellText = 1 << 20
	// MaxRowText and MaxSheetText bound the text of one row and of one
	// sheet, a shared string counted at each cell that refers to it (a
	// reader that copies it per cell, as excelize does, holds that much).
	MaxRowText   = 4 << 20
	MaxSheetText = 256 << 20
	// MergeRows: Layout.Merges holds the ranges whose top row is at most
	// this. The parser looks for the header in a sheet's first 30 rows; a
	// header of two rows may reach row 31.
	MergeRows = 31
	// MaxMerges bounds Layout.Merges; a real header has a few dozen.
	MaxMerges = 4096
	// MaxColumns bounds a row's width: a reader rejects a file with a
	// value past it (PastMaxColumns) before it makes the row. Rows are
	// given by column, so 12,000 rows of one cell in column XFD (16,384)
	// would cost 0.6 GB; a branch office's table has a few dozen columns.
	MaxColumns = 1024
)

// PastMaxColumns is the rejection of a file with a value in a column past
// MaxColumns; cell is its name (XFD3), or empty when the format has none.
func PastMaxColumns(cell string) *jkn.FileError {
	return TooLarge("cell %s holds a value past column %s, the %dth: a table must fit in the first %d columns; delete what is to its right",
		cell, jkn.ColumnLetter(MaxColumns-1), MaxColumns, MaxColumns)
}

// Rows returns MaxRows, or its default.
func (l Limits) Rows() int {
	if l.MaxRows > 0 {
		return l.MaxRows
	}
	return DefaultMaxRows
}

// Sheets returns MaxSheets, or its default.
func (l Limits) Sheets() int {
	if l.MaxSheets > 0 {
		return l.MaxSheets
	}
	return DefaultMaxSheets
}

// SharedStrings returns MaxSharedStrings, or its default.
func (l Limits) SharedStrings() int {
	if l.MaxSharedStrings > 0 {
		return l.MaxSharedStrings
	}
	return DefaultMaxSharedStrings
}

// Unzip returns the unzip limits in force, the XML limit at most the
// total (excelize's rule).
func (l Limits) Unzip() (total, xmlPart int64) {
	total, xmlPart = l.UnzipSizeLimit, l.UnzipXMLSizeLimit
	if total <= 0 {
		total = DefaultUnzipSizeLimit
	}
	if xmlPart <= 0 {
		xmlPart = DefaultUnzipXMLSizeLimit
	}
	return total, min(xmlPart, total)
}

// Reject is a rejection of the whole file; the parser names the file.
func Reject(reason, format string, args ...any) *jkn.FileError {
	return &jkn.FileError{Reason: reason, Err: fmt.Errorf(format, args...)}
}

// TooLarge rejects a file over a size or count bound (too_large).
func TooLarge(format string, args ...any) *jkn.FileError {
	return Reject(jkn.ReasonTooLarge, format, args...)
}

// TooManyRows rejects a sheet with more than limit rows with a value
// (too_many_rows), in the words every reader uses.
func TooManyRows(limit int) *jkn.FileError {
	return Reject(jkn.ReasonTooManyRows, "more than %d rows with values (limits.max_rows): split the sheet, or raise the limit", limit)
}
