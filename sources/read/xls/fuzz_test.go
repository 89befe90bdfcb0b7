package xls

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// FuzzXLS: no input makes the reader panic or hang; a file it opens
// reads to its end or to an error, and every row it gives is within the
// limits. Seeded with the golden files and built books; texts.xls
// (144 KB) only when not fuzzing: the fuzzing engine mutates and
// minimises an input that large at a few executions a second.
func FuzzXLS(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xls")
	bad, _ := filepath.Glob("testdata/bad/*.xls")
	for _, p := range append(files, bad...) {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 64<<10 && fuzzing() {
			continue
		}
		f.Add(data)
	}
	f.Add(biff5Book())
	f.Add(xlsFile("Workbook", stream(8, []rec{sstRec("a", "b")}, sheetDef{name: "A", recs: []rec{
		labelSST(0, 0, 1), number(1, 1, 0, 2), r(recMERGECELLS, 1, 0, 1, 0, 1), formulaRec(2, 0, 0, special(0, 0)),
		r(recSTRING, u8str("x")), number(0, 3, 0, 1)}})))
	lim := read.Limits{MaxRows: 1000, MaxSharedStrings: 10000}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !Format().Sniff(data) {
			return
		}
		b, err := Format().Open(data, lim)
		if err != nil {
			return
		}
		g := readtest.ReadAll(b)
		for _, s := range g.Sheets {
			if len(s.Rows) > lim.MaxRows {
				t.Fatalf("%d rows over the limit", len(s.Rows))
			}
			last := 0
			for _, r := range s.Rows {
				if r.Number <= last || len(r.Cells) > maxColumns {
					t.Fatalf("row %d after %d, %d cells", r.Number, last, len(r.Cells))
				}
				last = r.Number
			}
			if len(s.Layout.Merges) > read.MaxMerges {
				t.Fatalf("%d merges", len(s.Layout.Merges))
			}
		}
	})
}

// fuzzing reports whether the test runs with -fuzz.
func fuzzing() bool {
	fl := flag.Lookup("test.fuzz")
	return fl != nil && fl.Value.String() != ""
}
