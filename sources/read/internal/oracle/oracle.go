// Package oracle is the correctness oracle of the readers' tests:
// LibreOffice (soffice, headless) converts a golden file to .xlsx, and the
// .xlsx is read into a readtest.Grid to compare, cell for cell, with the
// grid the reader under test gives for the golden file itself.
//
// The .xlsx is read with the seam's xlsx reader (sources/read/xlsx).
// Normalize removes what two readers of one workbook may rightly write
// differently.
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

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xlsx"
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

// XLSX reads an .xlsx into a grid with the seam's own xlsx reader
// (sources/read/xlsx), as the exporter reads it: a sheet its fast path
// gives up is read again by its slow path.
func XLSX(t testing.TB, path string) readtest.Grid {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := xlsx.Format().Open(data, read.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	g := readtest.ReadAll(b)
	if len(g.Restarted()) > 0 {
		g = readtest.ReadAll(b) // a sheet opened again is read by the slow path
	}
	return g
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
