package csv

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// FuzzCSV: whatever the bytes, Sniff and Open do not panic, a rejection
// is a *jkn.FileError, and a text read gives rows in increasing order of
// cells within the bounds, each typed as the package says; and the
// byte-by-byte splitter of records with quotes splits every text as the
// fast one does the records without.
func FuzzCSV(f *testing.F) {
	seeds, err := filepath.Glob("testdata/*.*")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range seeds {
		if strings.HasSuffix(name, ".py") {
			continue
		}
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"a;b;c\n\"ab\"c;d;e\nx\"y;z;w\n \"q;r\";s;t\n\"\";\"\" ;u\n",
		"a;b\n1;\"2\n3;4\n5;6\"\n7;8\n", "sep=|\r\na|b\r1|2", "a,b\n\"1\r\n2\",3\n", "\xff\xfea\x00;\x00b\x00\n\x001\x00;\x002\x00",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !sniff(data) {
			return
		}
		b, err := open(data, read.Limits{MaxRows: 1000})
		if err != nil {
			if fe := (*jkn.FileError)(nil); !errors.As(err, &fe) {
				t.Fatalf("Open: %T %v", err, err)
			}
			return
		}
		s, err := b.Open(0)
		if err != nil {
			t.Fatal(err)
		}
		last := 0
		for s.Next() {
			r := s.Row()
			if r.Number <= last || len(r.Cells) == 0 || len(r.Cells) > maxColumns {
				t.Fatalf("row %d after %d, %d cells", r.Number, last, len(r.Cells))
			}
			last = r.Number
			for i, c := range r.Cells {
				switch {
				case len(c.Text) > read.MaxCellText || c.Date:
					t.Fatalf("row %d cell %d: %d bytes, date %v", r.Number, i, len(c.Text), c.Date)
				case c.Kind == read.Blank && c.Text != "", c.Kind != read.Blank && c.Text == "":
					t.Fatalf("row %d cell %d: %s %q", r.Number, i, c.Kind, c.Text)
				case c.Kind == read.Number:
					if _, err := strconv.ParseFloat(c.Text, 64); err != nil {
						t.Fatalf("row %d cell %d: Number %q: %v", r.Number, i, c.Text, err)
					}
				case c.Kind != read.Text && c.Kind != read.Blank:
					t.Fatalf("row %d cell %d: kind %s", r.Number, i, c.Kind)
				}
			}
			if r.Cells[len(r.Cells)-1].Kind == read.Blank {
				t.Fatalf("row %d ends in a blank cell", r.Number)
			}
		}
		if err := s.Err(); err != nil {
			if fe := (*jkn.FileError)(nil); !errors.As(err, &fe) {
				t.Fatalf("Err: %T %v", err, err)
			}
		}
		if hint := s.RowsHint(); hint < 0 || hint > 1000 {
			t.Fatalf("hint %d", hint)
		}
		checkSlowPath(t, b.(*book))
	})
}

// checkSlowPath splits the book's text with the splitter's byte-by-byte
// path for every record and compares with what next gives.
func checkSlowPath(t *testing.T, b *book) {
	fast := splitter{text: b.text, sep: b.d.sep}
	slow := splitter{text: b.text, sep: b.d.sep}
	for row := 1; ; row++ {
		ok, ferr := fast.next(row)
		if !ok || ferr != nil {
			return
		}
		if slow.pos >= len(slow.text) {
			t.Fatalf("row %d: the slow path is at the end", row)
		}
		if err := slow.quoted(row); err != nil {
			return // a bound, in its own words
		}
		if fast.pos != slow.pos || !slices.Equal(fieldsOf(fast), fieldsOf(slow)) {
			t.Fatalf("row %d: fast %q to %d, slow %q to %d", row, fieldsOf(fast), fast.pos, fieldsOf(slow), slow.pos)
		}
	}
}

func fieldsOf(s splitter) []string {
	out := make([]string, len(s.fields))
	for i, f := range s.fields {
		out[i] = string(s.rec[f.start:f.end])
	}
	return out
}
