// Package oracle is the correctness oracle of the readers' tests:
// LibreOffice (soffice, headless) converts a golden file to .xlsx, and the
// .xlsx is read into a readtest.Grid to compare, cell for cell, with the
// grid the reader under test gives for the golden file itself.
//
// The .xlsx is read with excelize (RawCellValue, cell types and styles,
// merges, column visibility), typed as the seam's contract types .xlsx
// cells, until the seam's own sources/read/xlsx reader can read it
// instead. Normalize removes what two readers of one workbook may
// rightly write differently.
package oracle

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// Options choose how LibreOffice opens the files it converts.
type Options struct {
	// InFilter is the import filter ("HTML (StarCalc)"); "" lets
	// LibreOffice pick one by content.
	InFilter string
	// Locale is the locale LibreOffice reads text in ("id-ID": "817.221"
	// is 817221); "" is the machine's.
	Locale string
}

// Convert has LibreOffice convert files to the format to ("xlsx") in one
// run, with a profile of its own (so that runs in parallel do not share
// one), into a temporary directory. It returns the converted files' paths
// in the order of files.
func Convert(t testing.TB, to string, opt Options, files ...string) []string {
	t.Helper()
	soffice := testtool.Need(t, "soffice")
	profile := t.TempDir()
	if opt.Locale != "" {
		writeLocale(t, profile, opt.Locale)
	}
	out := t.TempDir()
	args := []string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore"}
	if opt.InFilter != "" {
		args = append(args, "--infilter="+opt.InFilter)
	}
	args = append(args, "--convert-to", to, "--outdir", out)
	for _, f := range files {
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, abs)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, soffice, args...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	output, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice %s: %v\n%s", strings.Join(args, " "), err, output)
	}
	paths := make([]string, len(files))
	for i, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		paths[i] = filepath.Join(out, base+"."+to)
		if _, err := os.Stat(paths[i]); err != nil {
			t.Fatalf("soffice did not convert %s: %v\n%s", f, err, output)
		}
	}
	return paths
}

// writeLocale seeds a LibreOffice profile with a locale setting.
func writeLocale(t testing.TB, profile, locale string) {
	t.Helper()
	dir := filepath.Join(profile, "user")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	xcu := `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>` + locale + `</value></prop></item>
</oor:items>
`
	if err := os.WriteFile(filepath.Join(dir, "registrymodifications.xcu"), []byte(xcu), 0o644); err != nil {
		t.Fatal(err)
	}
}

// XLSX reads an .xlsx into a grid, typed as the seam types .xlsx cells:
// t="n" (or none) Number, "s", "inlineStr", "str" and "d" Text, "b" Bool,
// "e" Error, a formula without a value Formula (its text); Date from the
// cell's number format (a built-in date format, or a custom one with day
// or year tokens outside quotes and brackets). Rows are those with a cell
// that is not blank; Last is the last of them.
func XLSX(t testing.TB, path string) readtest.Grid {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var g readtest.Grid
	if props, err := f.GetWorkbookProps(); err == nil && props.Date1904 != nil {
		g.Date1904 = *props.Date1904
	}
	dates := map[int]bool{}
	isDate := func(sheet, cell string) bool {
		idx, err := f.GetCellStyle(sheet, cell)
		if err != nil || idx <= 0 {
			return false
		}
		d, ok := dates[idx]
		if !ok {
			st, err := f.GetStyle(idx)
			if err != nil {
				t.Fatal(err)
			}
			custom := ""
			if st.CustomNumFmt != nil {
				custom = *st.CustomNumFmt
			}
			d = isDateFormat(st.NumFmt, custom)
			dates[idx] = d
		}
		return d
	}
	for _, name := range f.GetSheetList() {
		visible, err := f.GetSheetVisible(name)
		if err != nil {
			t.Fatal(err)
		}
		sg := readtest.SheetGrid{Info: read.SheetInfo{Name: name, Hidden: !visible, Data: true}}
		merges, err := f.GetMergeCells(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range merges {
			c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
			c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
			if err1 != nil || err2 != nil {
				t.Fatalf("merge %v: %v %v", m, err1, err2)
			}
			if r1 <= read.MergeRows {
				sg.Layout.Merges = append(sg.Layout.Merges, read.Range{Top: r1, Left: c1 - 1, Bottom: r2, Right: c2 - 1})
			}
		}
		// excelize gives a merged range's cells the type, style and formula
		// of its first cell: unmerged (in memory), each cell has its own.
		for _, m := range merges {
			if err := f.UnmergeCell(name, m.GetStartAxis(), m.GetEndAxis()); err != nil {
				t.Fatal(err)
			}
		}
		rows, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range rows {
			r := read.Row{Number: i + 1}
			for c, v := range rows[i] {
				cell, _ := excelize.CoordinatesToCellName(c+1, i+1)
				typ, err := f.GetCellType(name, cell)
				if err != nil {
					t.Fatal(err)
				}
				formula, _ := f.GetCellFormula(name, cell)
				k := kindOf(typ, v, formula)
				if k == read.Blank {
					continue
				}
				for len(r.Cells) <= c {
					r.Cells = append(r.Cells, read.Cell{})
				}
				cl := read.Cell{Kind: k, Text: v, Date: isDate(name, cell)}
				if k == read.Formula {
					cl.Text = formula
				}
				r.Cells[c] = cl
			}
			if len(r.Cells) > 0 {
				sg.Rows = append(sg.Rows, r)
				sg.Last = r.Number
			}
		}
		for c := range 16384 {
			col, _ := excelize.ColumnNumberToName(c + 1)
			if v, err := f.GetColVisible(name, col); err == nil && !v {
				if sg.Layout.Hidden == nil {
					sg.Layout.Hidden = map[int]bool{}
				}
				sg.Layout.Hidden[c] = true
			}
		}
		g.Sheets = append(g.Sheets, sg)
	}
	return g
}

// kindOf types an .xlsx cell as the seam does.
func kindOf(typ excelize.CellType, v, formula string) read.Kind {
	switch {
	case v == "" && formula != "" && typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString:
		return read.Formula
	case v == "" && typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString:
		return read.Blank
	}
	switch typ {
	case excelize.CellTypeBool:
		return read.Bool
	case excelize.CellTypeError:
		return read.Error
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString, excelize.CellTypeFormula, excelize.CellTypeDate:
		return read.Text
	}
	return read.Number
}

// isDateFormat reports whether an Excel number format shows a date, as
// the seam's xlsx reader decides it.
func isDateFormat(id int, custom string) bool {
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 36, id >= 50 && id <= 58:
		return true
	}
	inQuote, inBracket := false, false
	for _, r := range strings.ToLower(custom) {
		switch {
		case r == '"':
			inQuote = !inQuote
		case inQuote:
		case r == '[':
			inBracket = true
		case r == ']':
			inBracket = false
		case inBracket:
		case r == 'd' || r == 'y':
			return true
		}
	}
	return false
}

// Normalize removes from a grid what two readers of one workbook may
// rightly write differently, so that Diff shows only real differences:
//   - a Number's text is the number to 15 significant digits (LibreOffice
//     writes 15 in .xlsx, "1E-005" for 0.00001; a reader computing a date
//     serial writes the shortest exact form);
//   - the rows are those with a cell that is not blank, and Last the last
//     of them (readers may give blank rows or not);
//   - merges are sorted (LibreOffice writes an .xlsx's merges in its own
//     order).
func Normalize(g readtest.Grid) readtest.Grid {
	out := readtest.Grid{Date1904: g.Date1904}
	for _, s := range g.Sheets {
		n := readtest.SheetGrid{Info: s.Info, Err: s.Err, Layout: s.Layout}
		n.Layout.Merges = slices.Clone(s.Layout.Merges)
		slices.SortFunc(n.Layout.Merges, func(a, b read.Range) int {
			if a.Top != b.Top {
				return a.Top - b.Top
			}
			return a.Left - b.Left
		})
		for _, r := range s.Rows {
			cells := slices.Clone(r.Cells)
			for i, c := range cells {
				if c.Kind == read.Number {
					cells[i].Text = Number(c.Text)
				}
			}
			n.Rows = append(n.Rows, read.Row{Number: r.Number, Cells: cells})
			n.Last = r.Number
		}
		out.Sheets = append(out.Sheets, n)
	}
	return out
}

// Number writes a number's text to 15 significant digits; text that is no
// number is kept, marked.
func Number(s string) string {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsInf(f, 0) {
		return fmt.Sprintf("not a number: %q", s)
	}
	return strconv.FormatFloat(f, 'g', 15, 64)
}
