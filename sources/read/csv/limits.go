package csv

// The reader's own bounds, besides read.Limits and the fixed bounds of
// package read (MaxCellText for one value, MaxRowText for one record,
// MaxSheetText for the whole decoded text), which it applies as written
// there: a value, a record or a text over one is rejected (too_large)
// before anything is allocated for it.
const (
	// maxColumns bounds the fields of one record: Excel's and the xlsx
	// reader's last column, XFD. A record of more is rejected; a value
	// past read.MaxColumns rejects the file before its row is made, so a
	// row costs at most read.MaxColumns cells (blank fields past it, a
	// padding, make none).
	maxColumns = 16384
	// sampleBytes and sampleRecords bound what the sniff reads to find the
	// separator: the first records of the file, as a spreadsheet program
	// shows them in its import dialog.
	sampleBytes   = 64 << 10
	sampleRecords = 200
	// maxIntegerDigits: a longer run of digits is given as Text, so that
	// every Number cell's text is within strconv.ParseFloat's range.
	maxIntegerDigits = 300
)
