package ods_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/internal/oracle"
	"github.com/jkn-exporter/jkn_exporter/sources/read/ods"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// goldens lists the golden .ods files (testdata/make.sh writes them).
func goldens(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/*.ods")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	return files
}

func readFile(t testing.TB, path string) readtest.Grid {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ods.Format().Open(data, read.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return readtest.ReadAll(b)
}

// TestOracle: LibreOffice converts every golden .ods to .xlsx, and the
// reader's grid of the .ods equals the grid of the .xlsx cell for cell,
// after oracle.Normalize (numbers to 15 significant digits, rows with
// values only, merges sorted).
func TestOracle(t *testing.T) {
	files := goldens(t)
	converted := oracle.Convert(t, "xlsx", oracle.Options{}, files...)
	for i, f := range files {
		got := oracle.Normalize(readFile(t, f))
		want := oracle.Normalize(oracle.XLSX(t, converted[i]))
		if d := readtest.Diff(got, want); len(d) > 0 {
			t.Errorf("%s: the reader (first) and LibreOffice's .xlsx (second) differ:\n%s", f, strings.Join(d, "\n"))
		}
	}
}
