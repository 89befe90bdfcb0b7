package ods

import "github.com/jkn-exporter/jkn_exporter/sources/read"

// What an .ods may cost, beyond read.Limits. An .ods is a zip of XML
// parts; the sheets are all in content.xml, which the reader streams twice
// (once to list the sheets, once for the sheet the parser opens) and never
// holds: memory follows the row being read, not the part. What the format
// lets a file declare cheaply is bounded here: repeat counts of rows and
// cells (LibreOffice writes a row repeated 1,048,576 times and a cell
// repeated 16,384 times for the empty area after the data), spans,
// nesting, styles, sheets and entries.
//
// These bounds are fixed, far above what any real workbook needs, and keep
// a hostile file's cost small whatever the configured limits.
const (
	// maxZipEntries: a workbook with pictures and embedded charts has a
	// few hundred entries.
	maxZipEntries = 20_000
	// maxSheets bounds the sheets content.xml may list.
	maxSheets = 4096
	// maxColumns and maxRowNumber are LibreOffice's (and Excel's) sheet
	// size: XFD and row 1,048,576. Empty cells and rows repeated past them
	// cost nothing; a value past row maxRowNumber is rejected, and one past
	// column read.MaxColumns (AMJ) already (read.PastMaxColumns).
	maxColumns   = 16384
	maxRowNumber = 1 << 20
	// maxSheetCells bounds the cells a sheet's rows hold in all, each row
	// counted up to its last value: a row is a slice of cells, and 200,000
	// rows with one value in column AMJ would otherwise cost 6 GiB. A
	// national village sheet has about 1.4 million; 4 Mi cells are 128 MiB
	// of cells.
	maxSheetCells = 4 << 20
	// maxDepth bounds the nesting of elements (a cell's text is about ten
	// levels deep); the scanner keeps a stack of the open elements.
	maxDepth = 256
	// maxToken bounds one tag or text node, which the scanner holds whole:
	// twice the longest cell text, as a text node may hold a whole cell.
	maxToken = 2 * read.MaxCellText
	// maxAttrs bounds the attributes of one element (a cell has up to ten).
	maxAttrs = 512
	// maxStructureBytes bounds styles.xml and META-INF/manifest.xml; they
	// are streamed, so this bounds time, not memory.
	maxStructureBytes = 32 << 20
	// maxStyles bounds the styles read for dates, booleans and hidden
	// sheets, per part (LibreOffice writes one per distinct cell format).
	maxStyles = 65536
	// maxStyleParents bounds a chain of parent styles.
	maxStyleParents = 16
	// maxFormulaText bounds the formula text kept for a finding.
	maxFormulaText = 256
	// maxNameBytes bounds a sheet's name (LibreOffice allows 31 characters
	// in xlsx, more in .ods).
	maxNameBytes = 1024
)
