package xls

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// The correctness oracle: LibreOffice converts each golden .xls to .xlsx
// and the grid this reader gives must equal the .xlsx's cell for cell.
// The .xlsx is read with excelize (sources/read/xlsx is not on this
// branch yet), typed by the rules of that reader (its cellKind), after
// these normalisations, each a difference of the formats, not of the
// values:
//
//   - numbers are compared as float64 rounded to 15 significant digits:
//     LibreOffice writes 15 ("0.333333333333333", "1E-007"), the .xls
//     holds the double and this reader writes its shortest form;
//   - a formula LibreOffice writes with t="str" and an empty <v></v> is
//     a cached empty string (this reader: Text ""; the .xlsx reader of
//     the seam reads it as Formula, see the report), and a Formula
//     cell's text is "" (this reader does not decode formula tokens);
//   - a formula whose cached value the .xls stores as a bool (=1<2)
//     LibreOffice writes to .xlsx as the number 1 or 0 (t="n"): such a
//     cell compares equal to this reader's Bool of the same text;
//   - excelize gives every cell of a merged range the value and type of
//     its first cell: a cell inside a range, not its first, is Blank, as
//     LibreOffice writes it (an empty <c r="B1" s="3"/>) and the .xlsx
//     reader reads it.
func TestLibreOfficeOracle(t *testing.T) {
	soffice := testtool.Need(t, "soffice")
	files, err := filepath.Glob("testdata/*.xls")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	dir := t.TempDir()
	// A BIFF5 workbook this test builds: LibreOffice no longer writes them.
	biff5 := filepath.Join(dir, "biff5.xls")
	if err := os.WriteFile(biff5, biff5Book(), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, biff5)
	convert(t, soffice, dir, "xlsx", files...)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			got := normalise(readGrid(t, path))
			want, boolish := oracleGrid(t, filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), ".xls")+".xlsx"))
			want = normalise(want)
			for _, at := range boolish {
				if c := cellAt(got, at); c != nil && c.Kind == read.Bool {
					cellAt(want, at).Kind = read.Bool
				}
			}
			for _, d := range readtest.Diff(got, want) {
				t.Error(d)
			}
		})
	}
}

// convert has LibreOffice convert files to format in dir, in one call.
func convert(t testing.TB, soffice, dir, format string, files ...string) {
	t.Helper()
	args := []string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless",
		"--convert-to", format, "--outdir", dir}
	out, err := exec.Command(soffice, append(args, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
}

func readGrid(t testing.TB, path string) readtest.Grid {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !Format().Sniff(data) {
		t.Fatalf("%s: Sniff does not take it", path)
	}
	b, err := Format().Open(data, read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return readtest.ReadAll(b)
}

// position is a cell of a grid: sheet index, row number, column index.
type position struct{ sheet, row, col int }

// cellAt returns the cell of g at p, nil if it has none.
func cellAt(g readtest.Grid, p position) *read.Cell {
	if p.sheet >= len(g.Sheets) {
		return nil
	}
	for _, r := range g.Sheets[p.sheet].Rows {
		if r.Number == p.row && p.col < len(r.Cells) {
			return &r.Cells[p.col]
		}
	}
	return nil
}

// oracleGrid reads an .xlsx with excelize, cell by cell over each sheet's
// dimension, and lists the formula cells of value 0 or 1 typed a number.
func oracleGrid(t testing.TB, path string) (readtest.Grid, []position) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var (
		g       readtest.Grid
		boolish []position
	)
	props, err := f.GetWorkbookProps()
	if err != nil {
		t.Fatal(err)
	}
	g.Date1904 = props.Date1904 != nil && *props.Date1904
	dates := map[int]bool{}
	isDate := func(style int) bool {
		if d, ok := dates[style]; ok {
			return d
		}
		s, err := f.GetStyle(style)
		if err != nil {
			t.Fatal(err)
		}
		custom := ""
		if s.CustomNumFmt != nil {
			custom = *s.CustomNumFmt
		}
		dates[style] = style > 0 && isDateFormat(s.NumFmt, custom)
		return dates[style]
	}
	for si, name := range f.GetSheetList() {
		visible, err := f.GetSheetVisible(name)
		if err != nil {
			t.Fatal(err)
		}
		sg := readtest.SheetGrid{Info: read.SheetInfo{Name: name, Hidden: !visible, Data: true}}
		dim, err := f.GetSheetDimension(name)
		if err != nil {
			t.Fatal(err)
		}
		right, bottom := 0, 0
		if dim != "" {
			end := dim[strings.LastIndex(dim, ":")+1:]
			if right, bottom, err = excelize.CellNameToCoordinates(end); err != nil {
				t.Fatal(err)
			}
		}
		var ranges []read.Range
		merges, err := f.GetMergeCells(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range merges {
			left, top, err := excelize.CellNameToCoordinates(m.GetStartAxis())
			if err != nil {
				t.Fatal(err)
			}
			right, bottom, err := excelize.CellNameToCoordinates(m.GetEndAxis())
			if err != nil {
				t.Fatal(err)
			}
			rng := read.Range{Top: top, Left: left - 1, Bottom: bottom, Right: right - 1}
			ranges = append(ranges, rng)
			if top <= read.MergeRows {
				sg.Layout.Merges = append(sg.Layout.Merges, rng)
			}
		}
		inMerge := func(r, c int) bool {
			for _, m := range ranges {
				if m.Contains(r, c) && (r != m.Top || c != m.Left) {
					return true
				}
			}
			return false
		}
		for r := 1; r <= bottom; r++ {
			row := read.Row{Number: r}
			for c := 1; c <= right; c++ {
				cell, err := excelize.CoordinatesToCellName(c, r)
				if err != nil {
					t.Fatal(err)
				}
				c, formula := oracleCell(t, f, name, cell, isDate, inMerge(r, c-1))
				if formula && c.Kind == read.Number && (c.Text == "0" || c.Text == "1") {
					boolish = append(boolish, position{si, r, len(row.Cells)})
				}
				row.Cells = append(row.Cells, c)
			}
			end := len(row.Cells)
			for end > 0 && row.Cells[end-1].Kind == read.Blank {
				end--
			}
			if end > 0 {
				row.Cells = row.Cells[:end]
				sg.Rows = append(sg.Rows, row)
				sg.Last = r
			}
		}
		for c := 1; c <= maxColumns; c++ {
			col, err := excelize.ColumnNumberToName(c)
			if err != nil {
				t.Fatal(err)
			}
			if v, err := f.GetColVisible(name, col); err != nil {
				t.Fatal(err)
			} else if !v {
				if sg.Layout.Hidden == nil {
					sg.Layout.Hidden = map[int]bool{}
				}
				sg.Layout.Hidden[c-1] = true
			}
		}
		g.Sheets = append(g.Sheets, sg)
	}
	return g, boolish
}

// oracleCell types one cell of the .xlsx as sources/read/xlsx does, and
// reports whether it has a formula.
func oracleCell(t testing.TB, f *excelize.File, sheet, cell string, isDate func(int) bool, merged bool) (read.Cell, bool) {
	t.Helper()
	typ, err := f.GetCellType(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	formula, err := f.GetCellFormula(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetCellStyle(sheet, cell)
	if err != nil {
		t.Fatal(err)
	}
	var c read.Cell
	switch {
	case merged, v == "" && formula == "" && typ == excelize.CellTypeUnset:
		return read.Cell{}, false
	case v == "" && typ == excelize.CellTypeFormula:
		c = read.Cell{Kind: read.Text} // t="str" with an empty value: a cached ""
	case v == "" && formula != "":
		c = read.Cell{Kind: read.Formula}
	case v == "":
		c = read.Cell{Kind: read.Text}
	default:
		switch typ {
		case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula:
			c = read.Cell{Kind: read.Text, Text: v}
		case excelize.CellTypeBool:
			c = read.Cell{Kind: read.Bool, Text: v}
		case excelize.CellTypeError:
			c = read.Cell{Kind: read.Error, Text: v}
		default:
			c = read.Cell{Kind: read.Number, Text: v}
		}
	}
	c.Date = isDate(style)
	return c, formula != ""
}

// normalise rounds numbers to 15 significant digits and empties formula
// texts (see TestLibreOfficeOracle).
func normalise(g readtest.Grid) readtest.Grid {
	for _, s := range g.Sheets {
		for _, r := range s.Rows {
			for i, c := range r.Cells {
				switch c.Kind {
				case read.Number:
					v, err := strconv.ParseFloat(c.Text, 64)
					if err == nil {
						r.Cells[i].Text = strconv.FormatFloat(v, 'g', 15, 64)
					}
				case read.Formula:
					r.Cells[i].Text = ""
				}
			}
		}
	}
	return g
}
