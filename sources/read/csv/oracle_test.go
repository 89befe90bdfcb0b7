package csv_test

import (
	"fmt"
	"maps"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/csv"
	"github.com/jkn-exporter/jkn_exporter/sources/read/internal/oracle"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

// goldens are the files testdata/make_golden.py writes: the separator
// and encoding the reader must sniff in each, and the language LibreOffice
// reads its numbers in (1057 Indonesian, 1033 English).
var goldens = []struct {
	name    string
	sep     byte
	charset string
	lang    int
}{
	{"id_semicolon.csv", ';', "UTF-8", 1057},
	{"id_bom_crlf.csv", ';', "UTF-8", 1057},
	{"id_unicode.txt", '\t', "UTF-16LE", 1057},
	{"id_cp1252.csv", ';', "Windows-1252", 1057},
	{"id_tab.tsv", '\t', "UTF-8", 1057},
	{"id_pipe.csv", '|', "UTF-8", 1057},
	{"en_comma.csv", ',', "UTF-8", 1033},
}

// loCharsets are LibreOffice's codes of the encodings the reader sniffs
// (its CSV filter's third option): 76 UTF-8, 65535 UTF-16 (by the mark),
// 1 Windows-1252.
var loCharsets = map[string]int{"UTF-8": 76, "UTF-16LE": 65535, "UTF-16BE": 65535, "Windows-1252": 1}

// loOptions are the CSV filter options LibreOffice reads a text with:
// the separator and the encoding the reader sniffs in it (the test fails
// if it sniffs none), '"' as text delimiter, from the first line, no
// column formats, the language lang.
func loOptions(t *testing.T, data []byte, lang int) string {
	t.Helper()
	sep, charset, ok := csv.Dialect(data)
	code, known := loCharsets[charset]
	if !ok || !known {
		t.Fatalf("the reader sniffs no dialect (%q, %s, %v)", sep, charset, ok)
	}
	return fmt.Sprintf("%d,34,%d,1,,%d", sep, code, lang)
}

// countColumns are the golden sheet's count columns (No, Jumlah
// Penduduk, Jumlah Peserta, Peserta Aktif), read as counts; the others'
// numbers are read as ratios (decimals).
var countColumns = map[int]bool{0: true, 3: true, 4: true, 5: true}

// TestAgainstLibreOffice is the reader's oracle: LibreOffice reads each
// golden file as a spreadsheet program does, with the separator and
// encoding the reader sniffs, and saves it as .xlsx, which is read with
// the seam's xlsx reader (oracle.XLSX, as the .xls, .ods and HTML oracles
// read theirs); the reader's grid must be the same, cell for cell, as far
// as the formats agree:
//
//   - the same rows with values, by number, and the same last row;
//   - a text cell of LibreOffice's is a Text cell of the reader's with
//     the same text, spaces, quotes and line breaks kept;
//   - a number of LibreOffice's is a Number of the reader's with the same
//     value (an integer: "0812" is 812), or a Text the parser reads as
//     the same figure, through table.ParseNumber as a count in the
//     count columns and as a ratio elsewhere ("1.234.567" and 1234567,
//     "63,43" and 63.43, "1,234,567" and 1234567), as a percentage where
//     the text is one ("97,63%" and 0.9763), or through table.ParseDate
//     as the same day where LibreOffice made it a date ("01/09/2023" and
//     serial 45170, its format a date's);
//   - one sheet; LibreOffice names it after the file, the reader
//     csv.SheetName.
//
// Every comparison is counted by kind and the counts are checked, so the
// test cannot pass by comparing nothing.
func TestAgainstLibreOffice(t *testing.T) {
	dir := t.TempDir()
	// One LibreOffice run for every file: the goldens, the quirks and the
	// divergences.
	var jobs []loJob
	job := func(in string, data []byte, lang int) string {
		out := filepath.Join(dir, fmt.Sprintf("%d.xlsx", len(jobs)))
		jobs = append(jobs, loJob{in: in, options: loOptions(t, data, lang), out: out})
		return out
	}
	goldenData := make([][]byte, len(goldens))
	goldenOut := make([]string, len(goldens))
	for i, g := range goldens {
		in := filepath.Join("testdata", g.name)
		data, err := os.ReadFile(in)
		if err != nil {
			t.Fatal(err)
		}
		if sep, charset, _ := csv.Dialect(data); sep != g.sep || charset != g.charset {
			t.Errorf("%s: the reader sniffs %q and %s, want %q and %s", g.name, sep, charset, g.sep, g.charset)
		}
		goldenData[i], goldenOut[i] = data, job(in, data, g.lang)
	}
	quirkIn, quirkOut := make([]string, len(quirks)), make([]string, len(quirks))
	for i, q := range quirks {
		quirkIn[i] = filepath.Join(dir, q.name+".csv")
		if err := os.WriteFile(quirkIn[i], []byte(q.text), 0o644); err != nil {
			t.Fatal(err)
		}
		quirkOut[i] = job(quirkIn[i], []byte(q.text), 1057)
	}
	divIn := filepath.Join(dir, "divergences.csv")
	if err := os.WriteFile(divIn, divergenceText(), 0o644); err != nil {
		t.Fatal(err)
	}
	divOut := job(divIn, divergenceText(), 1057)
	loConvert(t, dir, jobs)

	for i, g := range goldens {
		t.Run(g.name, func(t *testing.T) {
			counts := compareGrids(t, readCSV(t, goldenData[i]), readXLSX(t, goldenOut[i]))
			// The golden sheet, cell by cell: 23 rows with values; 58 text
			// cells; the No column's 18 integers; 74 figures written as
			// text (3 counts of 18 districts but the one not reported, the
			// JUMLAH row's 3, 18 areas); 38 percentages; 18 dates; 3 blank
			// cells between values.
			wantCounts := map[string]int{"rows": 23, "text": 58, "number": 18, "number-as-text": 74, "percent": 38, "date": 18, "blank": 3}
			if !maps.Equal(counts, wantCounts) {
				t.Errorf("compared %v, want %v", counts, wantCounts)
			}
		})
	}
	for i, q := range quirks {
		t.Run("quirk_"+q.name, func(t *testing.T) {
			if counts := compareGrids(t, readCSV(t, []byte(q.text)), readXLSX(t, quirkOut[i])); counts["rows"] != len(q.rows) {
				t.Errorf("compared %v; want %d rows", counts, len(q.rows))
			}
		})
	}
	t.Run("divergences", func(t *testing.T) {
		checkDivergences(t, readCSV(t, divergenceText()), readXLSX(t, divOut))
	})
}

// readCSV reads a file with the csv format, sniffed as a registry does.
func readCSV(t *testing.T, data []byte) readtest.SheetGrid {
	t.Helper()
	f := csv.Format()
	if !f.Sniff(data) {
		t.Fatal("Sniff does not recognise the file")
	}
	b, err := read.Registry{f}.Open("golden", data, read.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	g := readtest.ReadAll(b)
	if len(g.Sheets) != 1 || g.Date1904 {
		t.Fatalf("%d sheets, 1904 %v; want one sheet, 1900 dates", len(g.Sheets), g.Date1904)
	}
	s := g.Sheets[0]
	if s.Err != nil {
		t.Fatal(s.Err)
	}
	if s.Info != (read.SheetInfo{Name: csv.SheetName, Data: true}) || len(s.Layout.Merges) > 0 || len(s.Layout.Hidden) > 0 {
		t.Errorf("sheet %+v, layout %+v", s.Info, s.Layout)
	}
	return s
}

// readXLSX reads the one sheet of an .xlsx LibreOffice wrote, with the
// seam's xlsx reader (oracle.XLSX), its rows by number.
func readXLSX(t *testing.T, path string) loGrid {
	t.Helper()
	g := oracle.XLSX(t, path)
	if len(g.Sheets) != 1 || g.Date1904 {
		t.Fatalf("LibreOffice wrote %d sheets, 1904 %v", len(g.Sheets), g.Date1904)
	}
	s := g.Sheets[0]
	if s.Err != nil || len(s.Layout.Merges) > 0 || len(s.Layout.Hidden) > 0 {
		t.Fatalf("LibreOffice's sheet: %v, layout %+v", s.Err, s.Layout)
	}
	lo := loGrid{rows: map[int][]read.Cell{}}
	for _, r := range s.Rows {
		lo.rows[r.Number] = r.Cells
		lo.last = r.Number
	}
	return lo
}

// loGrid is the sheet of the .xlsx LibreOffice wrote: its rows with
// values by number (trailing blank cells cut, as readtest.ReadAll does),
// and the last of them.
type loGrid struct {
	rows map[int][]read.Cell
	last int
}

// serialDay is the day of a serial date of the 1900 system (past 1 March
// 1900, where Excel's leap day 29 February 1900 no longer counts).
func serialDay(v float64) string {
	return time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(math.Floor(v))).Format("2006-01-02")
}

// compareGrids compares the reader's grid with LibreOffice's, reporting
// every difference, and counts the comparisons by kind.
func compareGrids(t *testing.T, got readtest.SheetGrid, want loGrid) map[string]int {
	t.Helper()
	counts := map[string]int{}
	seen := map[int]bool{}
	for _, r := range got.Rows {
		seen[r.Number] = true
		lo, ok := want.rows[r.Number]
		if !ok {
			t.Errorf("row %d: the reader gives %s, LibreOffice nothing", r.Number, rowText(r.Cells))
			continue
		}
		counts["rows"]++
		for c := range max(len(r.Cells), len(lo)) {
			var m, l read.Cell
			if c < len(r.Cells) {
				m = r.Cells[c]
			}
			if c < len(lo) {
				l = lo[c]
			}
			how, err := sameCell(m, l, countColumns[c])
			if err != nil {
				t.Errorf("row %d column %s: %v", r.Number, jkn.ColumnLetter(c), err)
				continue
			}
			counts[how]++
		}
	}
	var missing []int
	for n := range want.rows {
		if !seen[n] {
			missing = append(missing, n)
		}
	}
	sort.Ints(missing)
	for _, n := range missing {
		t.Errorf("row %d: LibreOffice has %v, the reader nothing", n, want.rows[n])
	}
	if got.Last != want.last {
		t.Errorf("last row: the reader %d, LibreOffice %d", got.Last, want.last)
	}
	return counts
}

// sameCell compares a cell of the reader's with LibreOffice's and says how
// they agree (the kind of comparison), or how they differ.
func sameCell(m, l read.Cell, count bool) (string, error) {
	differ := fmt.Errorf("the reader gives %s %q, LibreOffice %s %q (a date: %v)", m.Kind, m.Text, l.Kind, l.Text, l.Date)
	if m.Date {
		return "", fmt.Errorf("a Date cell: %w", differ)
	}
	switch l.Kind {
	case read.Blank:
		if m.Kind == read.Blank && m.Text == "" {
			return "blank", nil
		}
	case read.Text:
		if m.Kind == read.Text && m.Text == l.Text {
			return "text", nil
		}
	case read.Number:
		v, err := strconv.ParseFloat(l.Text, 64)
		if err != nil {
			return "", err
		}
		switch m.Kind {
		case read.Number:
			if mv, err := strconv.ParseFloat(m.Text, 64); err == nil && mv == v && !l.Date {
				return "number", nil
			}
		case read.Text:
			switch {
			case l.Date:
				got, ok := table.ParseDate(m.Text)
				if ok && got.Format("2006-01-02") == serialDay(v) {
					return "date", nil
				}
			case strings.HasSuffix(strings.TrimSpace(m.Text), "%"):
				if got, err := table.ParseNumber(m.Text, true); err == nil && got == v {
					return "percent", nil
				}
			default:
				got, gerr := table.ParseNumber(m.Text, !count)
				want, werr := table.ParseNumber(l.Text, !count)
				if (gerr == nil) == (werr == nil) && got == want {
					return "number-as-text", nil
				}
			}
		}
	}
	return "", differ
}

func rowText(cells []read.Cell) string {
	var b strings.Builder
	for i, c := range cells {
		if c.Kind != read.Blank {
			fmt.Fprintf(&b, " %s=%s%q", jkn.ColumnLetter(i), c.Kind, c.Text)
		}
	}
	return b.String()
}

// loJob converts one file: LibreOffice reads in as CSV with the filter
// options and writes out as .xlsx.
type loJob struct{ in, options, out string }

// loConvert runs the jobs in one LibreOffice process (testdata/
// lo_convert.py, through Python's UNO bridge), or, without the bridge,
// with one soffice --convert-to per set of filter options.
func loConvert(t *testing.T, dir string, jobs []loJob) {
	t.Helper()
	soffice := testtool.Need(t, "soffice")
	profile := filepath.Join(dir, "profile")
	python := "/usr/bin/python3"
	if exec.Command(python, "-c", "import uno").Run() == nil {
		args := []string{"testdata/lo_convert.py", profile}
		for _, j := range jobs {
			args = append(args, strings.Join([]string{j.in, "Text - txt - csv (StarCalc)", j.options, j.out, "Calc Office Open XML", ""}, "|"))
		}
		cmd := exec.Command(python, args...)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("lo_convert.py: %v\n%s", err, out)
		}
		return
	}
	t.Log("no Python UNO bridge (python3-uno): one soffice run per set of filter options")
	for _, j := range jobs {
		tmp := filepath.Join(dir, "convert")
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+profile, "--headless", "--norestore",
			"--infilter=CSV:"+j.options, "--convert-to", "xlsx", "--outdir", tmp, j.in)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		base := strings.TrimSuffix(filepath.Base(j.in), filepath.Ext(j.in)) + ".xlsx"
		if err := os.Rename(filepath.Join(tmp, base), j.out); err != nil {
			t.Fatal(err)
		}
	}
}
