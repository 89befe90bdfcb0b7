package xls

// What an .xls may declare, beyond read.Limits and the fixed bounds of
// package read. An .xls is not compressed: a workbook stream is at most
// the file's size (package cfb bounds it by the file and by
// limits.max_unzip_bytes), and every record's length is checked against
// the stream. These bound what the records make the reader allocate or
// do, far above what a real workbook has.
const (
	// maxSheets bounds the sheets (BOUNDSHEET records) a workbook may
	// list; Excel itself is limited by memory, real books have dozens.
	maxSheets = 4096
	// maxXFs bounds the cell formats read for dates: BIFF8 allows 4,050,
	// an XF record is 20 bytes.
	maxXFs = 65536
	// maxFormats bounds the number formats (FORMAT records) kept, each
	// cut to maxFormatText characters: enough to tell a date format.
	maxFormats    = 65536
	maxFormatText = 256
	// maxColumns: BIFF5 and BIFF8 sheets have 256 columns (A to IV); a
	// cell, a merged range or a hidden column beyond is damage. It also
	// bounds a row's cells.
	maxColumns = 256
	// maxStringChars: a BIFF string's count is 16 bits wide.
	maxStringChars = 65535
)
