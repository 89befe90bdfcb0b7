package xls

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xlsx"
)

// The correctness oracle: LibreOffice converts each golden .xls to .xlsx
// and the grid this reader gives must equal the .xlsx's cell for cell.
// The .xlsx is read by the seam's .xlsx reader (sources/read/xlsx), after
// these normalisations, each a difference of the formats, not of the
// values:
//
//   - numbers are compared as float64 rounded to 15 significant digits:
//     LibreOffice writes 15 ("0.333333333333333", "1E-007"), the .xls
//     holds the double and this reader writes its shortest form;
//   - a formula LibreOffice writes with t="str" and an empty <v></v> is
//     a cached empty string: this reader gives Text "", the .xlsx reader
//     Formula (no cached value), so an empty Formula of the .xlsx
//     compares equal to this reader's empty Text; and a Formula cell's
//     text is "" (this reader does not decode formula tokens);
//   - a formula whose cached value the .xls stores as a bool (=1<2)
//     LibreOffice writes to .xlsx as the number 1 or 0 (t="n"): a Number
//     0 or 1 of the .xlsx compares equal to this reader's Bool of the
//     same text (the .xlsx reader does not say which cells had a
//     formula, so this holds for any 0 or 1).
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
			for _, at := range emptyFormulas(want) {
				if c := cellAt(got, at); c != nil && c.Kind == read.Text && c.Text == "" {
					cellAt(want, at).Kind = read.Text
				}
			}
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

// oracleGrid reads an .xlsx with the seam's .xlsx reader and lists the
// cells of value 0 or 1 typed a number (a bool formula's cached value as
// LibreOffice writes it, see TestLibreOfficeOracle).
func oracleGrid(t testing.TB, path string) (readtest.Grid, []position) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := xlsx.Format().Open(data, read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	g := readtest.ReadAll(b)
	var boolish []position
	for si, s := range g.Sheets {
		for _, r := range s.Rows {
			for ci, c := range r.Cells {
				if c.Kind == read.Number && (c.Text == "0" || c.Text == "1") {
					boolish = append(boolish, position{si, r.Number, ci})
				}
			}
		}
	}
	return g, boolish
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

// emptyFormulas lists the Formula cells of g with no text.
func emptyFormulas(g readtest.Grid) []position {
	var out []position
	for si, s := range g.Sheets {
		for _, r := range s.Rows {
			for ci, c := range r.Cells {
				if c.Kind == read.Formula && c.Text == "" {
					out = append(out, position{si, r.Number, ci})
				}
			}
		}
	}
	return out
}
