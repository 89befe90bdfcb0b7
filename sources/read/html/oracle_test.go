package html_test

import (
	"os"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/html"
	"github.com/jkn-exporter/jkn_exporter/sources/read/internal/oracle"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

func readFile(t testing.TB, path string) readtest.Grid {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := html.Format().Open(data, read.Limits{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return readtest.ReadAll(b)
}

// oracleFiles are the golden pages of one table each that LibreOffice
// wrote (testdata/make.sh): LibreOffice reads a page into one sheet, so
// only a page of one table compares sheet for sheet.
var oracleFiles = []string{"testdata/pangkalpinang.html", "testdata/repeats.html"}

// TestOracle: LibreOffice converts each golden page to .xlsx (its HTML
// import filter, "HTML (StarCalc)"), and the reader's grid of the page
// equals the grid of the .xlsx cell for cell, after oracle.Normalize and
// these normalisations:
//   - the sheet's name: LibreOffice names the page's one sheet after its
//     import, the reader "Tabel 1";
//   - an error value: LibreOffice's page writes it with sdval="0", which
//     LibreOffice reads back as the number 0; the reader gives the Error
//     it shows (#DIV/0!), so that no 0 is served for it;
//   - dates: LibreOffice's import does not apply the page's number formats
//     (sdnum), so its cells show no date; the reader sets Date from sdnum
//     (TestGoldens checks where).
func TestOracle(t *testing.T) {
	converted := oracle.Convert(t, "xlsx", oracle.Options{InFilter: "HTML (StarCalc)"}, oracleFiles...)
	for i, f := range oracleFiles {
		got := oracle.Normalize(readFile(t, f))
		want := oracle.Normalize(oracle.XLSX(t, converted[i]))
		if len(want.Sheets) > 0 && len(got.Sheets) > 0 {
			want.Sheets[0].Info.Name = got.Sheets[0].Info.Name
		}
		for _, s := range got.Sheets {
			for _, r := range s.Rows {
				for k, c := range r.Cells {
					if c.Kind == read.Error {
						r.Cells[k] = read.Cell{Kind: read.Number, Text: "0"}
					}
					r.Cells[k].Date = false
				}
			}
		}
		if d := readtest.Diff(got, want); len(d) > 0 {
			t.Errorf("%s: the reader (first) and LibreOffice's .xlsx (second) differ:\n%s", f, strings.Join(d, "\n"))
		}
	}
}
