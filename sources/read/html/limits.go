package html

import "github.com/jkn-exporter/jkn_exporter/sources/read"

// What an HTML table may cost, beyond read.Limits. The file is tokenized
// (golang.org/x/net/html's tokenizer, no tree is built) once by Open to
// list the tables and once more for each table the parser opens, from the
// table's first byte: memory follows the row being read and the columns a
// rowspan holds, never the document. What the format lets a page declare
// cheaply is bounded here.
//
// These bounds are fixed, far above what any real export needs, and keep
// a hostile page's cost small whatever the configured limits.
const (
	// maxTables bounds the tables (sheets) a page may hold, nested ones
	// too.
	maxTables = 4096
	// maxNesting bounds tables nested in tables' cells (a web page lays
	// its data table out in one or two).
	maxNesting = 16
	// maxColumns is Excel's and LibreOffice's sheet width (XFD): a cell
	// placed past it is rejected, even a blank one (the columns a rowspan
	// holds are kept per column). A value is rejected past
	// read.MaxColumns (AMJ) already (read.PastMaxColumns).
	maxColumns = 16384
	// maxColspan and maxRowspan are the HTML standard's clamps (browsers
	// read a larger span as these).
	maxColspan = 1000
	maxRowspan = 65534
	// maxToken bounds what the tokenizer buffers for one token (a tag with
	// its attributes, or a text run): twice the longest cell text.
	maxToken = 2 * read.MaxCellText
	// maxAttrs bounds the attributes of one tag (a cell of Excel's web
	// page has about five); see manyAttrs.
	maxAttrs = 256
	// maxNameBytes bounds a sheet's name taken from a caption or heading.
	maxNameBytes = 256
	// maxSheetCells bounds the cells of a sheet's rows in all, each row
	// counted up to its last cell: a row is a slice of cells, and many
	// rows with a value in column AMJ would otherwise cost gigabytes. A national
	// village sheet has about 1.4 million.
	maxSheetCells = 4 << 20
)
