package html_test

import (
	"os"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/html"
	"github.com/jkn-exporter/jkn_exporter/sources/read/internal/contract"
)

// FuzzHTML reads arbitrary bytes as a page. Whatever the input, the reader
// neither panics nor hangs, rejects with a *jkn.FileError, and gives a
// grid that keeps the contract: rows in increasing order within the
// limits, cells of the known kinds, numbers ParseFloat reads, merges
// within their bounds.
func FuzzHTML(f *testing.F) {
	for _, path := range goldens(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		// The fuzzer minimizes every input it finds new coverage with, a
		// run per step: the first 16 KiB of a golden page keep it quick.
		f.Add(data[:min(len(data), 16<<10)])
	}
	f.Add(page(`<table><tr><td rowspan=3 colspan=2 sdval="1" sdnum="1033;0;YYYY">x<br>y</td><td x:num>5</td></tr><tr><td><table><tr><th>n</th></tr></table></td></tr></table>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := read.Limits{MaxRows: 2000}
		html.Format().Sniff(data)
		b, err := html.Format().Open(data, lim)
		if err != nil {
			contract.Rejection(t, err)
			return
		}
		for i := range b.Sheets() {
			s, err := b.Open(i)
			if err != nil {
				contract.Rejection(t, err)
				continue
			}
			if l, err := s.Layout(); err != nil {
				contract.Rejection(t, err)
			} else {
				contract.Layout(t, l)
			}
			prev, rows := 0, 0
			for s.Next() {
				r := s.Row()
				if r.Number <= prev {
					t.Fatalf("row %d after %d", r.Number, prev)
				}
				prev = r.Number
				if len(r.Cells) > 0 {
					if rows++; rows > lim.MaxRows {
						t.Fatalf("more than %d rows with values", lim.MaxRows)
					}
				}
				if len(r.Cells) > 16384 {
					t.Fatalf("row %d has %d cells", r.Number, len(r.Cells))
				}
				for _, c := range r.Cells {
					contract.Cell(t, c)
				}
			}
			if err := s.Err(); err != nil {
				contract.Rejection(t, err)
			} else if l, err := s.Layout(); err != nil {
				contract.Rejection(t, err)
			} else {
				contract.Layout(t, l)
			}
			s.Close()
		}
	})
}
