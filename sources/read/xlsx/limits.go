package xlsx

import "github.com/jkn-exporter/jkn_exporter/sources/read"

// What an .xlsx may cost, beyond read.Limits. A workbook is a zip of XML
// parts, and XML expands when parsed: measured with excelize v2.11, an
// 8 MiB styles.xml of empty <xf/> elements (a 17 KB file) held 269 MB of
// heap, and 26 MB of empty shared strings 634 MB. Sizes alone do not
// bound memory, so the reader never lets excelize parse a part it does
// not need (see sheetPackage), reads the structure itself as a stream
// with counts bounded, and counts the shared strings before anything
// parses them.
//
// These bounds are fixed, far above what any real workbook needs, and
// keep a hostile file's cost small whatever the configured limits.
const (
	// maxZipEntries: a workbook of hundreds of sheets has a few thousand.
	maxZipEntries = 20_000
	// maxWorkbookSheets bounds the sheets the workbook may list.
	maxWorkbookSheets = 4096
	// maxStructureBytes bounds each structure part (the relationships, the
	// workbook part, the styles); they are read as streams, so this bounds
	// time, not memory.
	maxStructureBytes = 32 << 20
	// maxXMLDepth bounds how deep the elements of any part nest: a sheet
	// nests 7 deep (worksheet, sheetData, row, c, is, r, t), extensions a
	// few more. Ten million nested elements fit in a 74 KB file, and every
	// XML reader keeps a stack entry per open element (0.9 to 1.5 GB).
	maxXMLDepth = 256
	// maxTokenRun bounds the bytes between two '<' in a part: an XML
	// decoder holds a whole text node or tag in memory, and a text node is
	// (part of) one cell's text.
	maxTokenRun = read.MaxCellText
	// maxFormulaCells bounds the formula cells without a cached value a
	// sheet may have.
	maxFormulaCells = 250_000
	// maxHiddenRanges bounds the <col> ranges read for hidden columns.
	maxHiddenRanges = 16384
	// maxStyles and maxNumFmts bound the styles read for date formats
	// (Excel allows 64,000 cell formats).
	maxStyles  = 65536
	maxNumFmts = 65536
	// inMemorySharedStrings: above this many shared strings, excelize is
	// made to index the table in a temporary file (about 70 bytes of heap
	// a string) rather than parse it into memory (about 300 bytes a string).
	inMemorySharedStrings = 100_000
	// maxFormulaSheetBytes bounds the sheets whose shared formulas are
	// looked up for a finding's text: excelize loads the whole sheet for it.
	maxFormulaSheetBytes = 16 << 20
	// maxFormulaText bounds the formula text kept for a finding.
	maxFormulaText = 256
)
