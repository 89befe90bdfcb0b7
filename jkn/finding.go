package jkn

import "fmt"

// Finding is something wrong or noteworthy in a workbook, located to its cell.
type Finding struct {
	File   string
	Sheet  string
	Row    int    // 0 when the finding is about the whole sheet or file
	Column string // spreadsheet letter; empty when about a whole row
	// Check is a short snake_case name, the `check` label of
	// jkn_data_quality_findings (e.g. "bad_number", "formula_without_value").
	Check string
	// Reason is the English text, as Message.String() gives it (kept as
	// text: state files and the JSON API carry it).
	Reason string
	// Message is the text in the catalogue's terms, for package lang to
	// write in Indonesian; zero in a finding restored from an older state
	// file, which then shows Reason.
	Message Message
	// Rejected is true when the row was dropped because of this finding.
	Rejected bool
}

func (f Finding) String() string {
	loc := f.File
	if f.Sheet != "" {
		loc += fmt.Sprintf(": sheet %q", f.Sheet)
	}
	if f.Row > 0 {
		loc += fmt.Sprintf(" row %d", f.Row)
	}
	if f.Column != "" {
		loc += fmt.Sprintf(" column %s", f.Column)
	}
	return loc + ": " + f.Reason
}

// CheckTotalsFromSegments is the check of a sheet whose participants or
// active participants have no column of their own: they are served as
// the sums of its segment columns.
const CheckTotalsFromSegments = "totals_from_segments"

// FileError rejects a whole workbook.
type FileError struct {
	File string
	// Reason is one of the Reason constants, the `reason` label of
	// jkn_source_ingest_errors_total.
	Reason string
	Err    error
}

func (e *FileError) Error() string {
	return fmt.Sprintf("%s: rejected (%s): %v", e.File, e.Reason, e.Err)
}

// Unwrap returns the cause.
func (e *FileError) Unwrap() error { return e.Err }

// File-level rejection reasons, the `reason` label of
// jkn_source_ingest_errors_total.
const (
	ReasonUnsupportedFormat = "unsupported_format"
	ReasonEncrypted         = "encrypted"
	ReasonEmpty             = "empty"
	ReasonNoTable           = "no_table"
	ReasonCorrupt           = "corrupt"
	// ReasonTooLarge: a file over the size limit, or a workbook that
	// unpacks to more than its limits allow.
	ReasonTooLarge = "too_large"
	// ReasonTooManyRows: a sheet with more rows than the parser's limit.
	ReasonTooManyRows = "too_many_rows"
)
