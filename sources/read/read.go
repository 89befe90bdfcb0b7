// Package read is the seam between a spreadsheet file's format and the
// parser. A reader per format (sources/read/xlsx today; .xls, .ods, CSV and
// HTML tables after it) turns a file into the same grid: a Book of sheets
// in workbook order, each Sheet a sequence of rows of typed cells, with its
// merged ranges and hidden columns and the workbook's date system.
// Everything after it (header detection, numbers, dates, the as-of date,
// regions) reads only that grid, the same way whatever the format.
//
// A format is a Format: a Sniff function that recognises its bytes and an
// Open that reads them. A Registry lists the formats in the order they are
// tried; Registry.Open picks one by content, never by the file's name, and
// rejects bytes no format recognises saying what they look like.
//
// Every reader honours Limits and the fixed bounds beside it (limits.go):
// what one file may cost is the same whatever its format. A reader rejects
// a file with a *jkn.FileError whose Reason is one of jkn's Reason
// constants and whose message says what is wrong and how to fix it
// (Reject, TooLarge, TooManyRows build the common ones); it may leave File
// empty: the parser names the file and the sheet.
package read

import (
	"errors"
	"strconv"
)

// Kind is what a cell holds.
type Kind uint8

// The cell kinds. A reader gives each cell's Text as the file writes it
// and the parser reads numbers from text (ParseNumber), so a figure
// written as text ("817.221") and one stored as a number (817221) read
// alike; the kind says what the file said.
const (
	// Blank: no value and no formula (an empty or only styled cell). Its
	// Text is "".
	Blank Kind = iota
	// Number: Text is the number in a form strconv.ParseFloat reads, as
	// the file writes it ("817221", "0.9763", "1.2E+5"); a reader of a
	// binary format writes the shortest such form of its value.
	Number
	// Text: a string, as written, spaces kept. An empty string cell (an
	// xlsx inline string with no text) is Text with Text "".
	Text
	// Bool: Text is "1" (true) or "0" (false).
	Bool
	// Error: an error value; Text as the spreadsheet shows it ("#DIV/0!").
	Error
	// Formula: a formula without a cached value, as a program that does
	// not calculate saves it: there is no value to read. Text is the
	// formula without its "=", possibly shortened (it is for a message);
	// "" when the file does not write it on this cell (see FormulaTexts).
	// A formula with a cached value is a cell of its value's kind.
	Formula
)

var kindNames = [...]string{"blank", "number", "text", "bool", "error", "formula"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Cell is one cell as the file stores it.
type Cell struct {
	Text string
	Kind Kind
	// Date: the cell's number format shows a date (a number cell then
	// holds a serial date: see Book.Date1904). A reader sets it from the
	// cell's format whatever its kind; it matters for numbers. A format
	// that stores a date as a date (an .ods date-value) gives it as the
	// serial Number in the 1900 system, with Date set, as the .xlsx
	// LibreOffice converts it to would.
	Date bool
}

// Row is one row of a sheet.
type Row struct {
	// Number is the row's 1-based number in the sheet.
	Number int
	// Cells are the row's cells by 0-based column. A column at or past
	// len(Cells) is Blank; Cells may also end in Blank cells. The slice
	// belongs to the caller: a reader does not reuse it.
	Cells []Cell
}

// Range is a merged range of cells: rows 1-based, columns 0-based, both
// inclusive.
type Range struct{ Top, Left, Bottom, Right int }

// Contains reports whether the cell at row (1-based), col (0-based) is in r.
func (r Range) Contains(row, col int) bool {
	return row >= r.Top && row <= r.Bottom && col >= r.Left && col <= r.Right
}

// Layout is what a sheet says about its cells besides their values.
type Layout struct {
	// Merges are the merged ranges whose top row is at most MergeRows (a
	// header and the title above it lie there), at most MaxMerges of them
	// (a reader drops the rest), in the order the file lists them.
	Merges []Range
	// Hidden holds the 0-based indexes of the hidden columns.
	Hidden map[int]bool
}

// SheetInfo describes one sheet of a book.
type SheetInfo struct {
	Name string
	// Hidden: the sheet is hidden (in xlsx, hidden or very hidden). The
	// parser does not read hidden sheets.
	Hidden bool
	// Data: a worksheet, which holds cells; false for a chart sheet, a
	// dialog sheet or a sheet whose part is missing. Open is called for
	// data sheets only.
	Data bool
}

// Book is one opened file. Its methods are called from one goroutine.
type Book interface {
	// Sheets lists the book's sheets in workbook order.
	Sheets() []SheetInfo
	// Date1904 reports the workbook's date system: serial dates count days
	// from 1 January 1904 when true (old Mac Excel), else from 30 December
	// 1899 (the 1900 system, with Lotus's 29 February 1900 as serial 60).
	Date1904() bool
	// Open starts reading sheet i of Sheets, a data sheet. The parser
	// opens a sheet again after its Err or Layout error wrapped
	// ErrRestart, and otherwise once.
	Open(i int) (Sheet, error)
}

// Sheet reads one sheet's rows in order. Its methods are called from one
// goroutine; a reader may read ahead in others (the xlsx reader does).
type Sheet interface {
	// Next moves to the next row and reports whether there is one. It
	// returns false at the end of the rows or on an error (see Err).
	// Rows come in increasing Number; a reader gives the rows its file
	// records, with or without cells, and may leave blank rows out: a
	// missing row is blank.
	Next() bool
	// Row is the row Next moved to.
	Row() Row
	// Err is the error that ended the rows, nil at their end. A reader
	// that gives up part way through reading a sheet in one way (the xlsx
	// fast reader, on XML it leaves to excelize) returns an error wrapping
	// ErrRestart: the rows it gave are void, and Book.Open reads the sheet
	// again, from its first row, another way.
	Err() error
	// Layout returns the sheet's merged ranges and hidden columns. A
	// format that writes them after the rows (xlsx) has its reader read
	// ahead for them: Layout then waits until they are read, and is best
	// called once the rows the header needs (the first MergeRows) have
	// been read, so that the wait overlaps with nothing the caller needs.
	// Its error, ErrRestart too, ends the sheet as Err's does.
	Layout() (Layout, error)
	// RowsHint estimates the sheet's rows, 0 when unknown, to size what
	// the caller keeps; it may grow as rows are read, and is bounded by
	// Limits.MaxRows.
	RowsHint() int
	// Close stops any reading ahead. It is called once the caller is done
	// with the sheet, whether or not its rows were read to the end.
	Close() error
}

// FormulaTexts is implemented by a Sheet whose Formula cells may have no
// Text because the file writes a formula once for many cells (an xlsx
// shared formula). FormulaText works the text out for the cell at row
// (1-based), col (0-based), "" when it cannot; it may be costly (the xlsx
// reader loads the whole sheet for it), so the parser asks only for a
// finding's message.
type FormulaTexts interface {
	FormulaText(row, col int) string
}

// ErrRestart says, wrapped in a Sheet's Err or Layout error, that the
// sheet must be read again from its first row (see Sheet.Err).
var ErrRestart = errors.New("the sheet is read again from its first row")
