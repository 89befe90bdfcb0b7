package ods_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/internal/contract"
	"github.com/jkn-exporter/jkn_exporter/sources/read/ods"
)

// FuzzODS reads arbitrary bytes as an .ods: a whole file when they start
// like a zip, else a content.xml packed into one (where the reader's own
// scanner does the work, past the zip's checksums). Whatever the input,
// the reader neither panics nor hangs, rejects with a *jkn.FileError, and
// gives a grid that keeps the contract: rows in increasing order within
// the limits, cells of the known kinds, numbers ParseFloat reads, merges
// within their bounds.
func FuzzODS(f *testing.F) {
	for _, path := range goldens(f) {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(part(f, data, "content.xml"))
	}
	f.Add([]byte(sheetOf(`<table:table-row table:number-rows-repeated="4"><table:table-cell table:number-columns-repeated="3" ` +
		`table:number-columns-spanned="2" office:value-type="date" office:date-value="2024-02-29T10:00:00"><text:p>x<text:s text:c="3"/></text:p></table:table-cell></table:table-row>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := data
		if !bytes.HasPrefix(data, []byte("PK")) {
			file = odsZip(t, mimetype, entry{"content.xml", string(data)})
		}
		lim := read.Limits{MaxRows: 2000, UnzipSizeLimit: 64 << 20}
		b, err := ods.Format().Open(file, lim)
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
			prev, rows := 0, 0
			for s.Next() {
				r := s.Row()
				if r.Number <= prev {
					t.Fatalf("row %d after %d", r.Number, prev)
				}
				prev = r.Number
				if rows++; rows > lim.MaxRows {
					t.Fatalf("more than %d rows", lim.MaxRows)
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

// part returns one part of a zip archive.
func part(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == name {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("no %s", name)
	return nil
}
