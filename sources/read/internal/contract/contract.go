// Package contract checks, in the readers' tests and fuzz targets, that
// what a reader gives keeps the read seam's contract (sources/read): cells
// of the known kinds, numbers strconv.ParseFloat reads, merges within
// their bounds, rejections that are *jkn.FileError with a reason; and
// shows a sheet's cells compactly for the tests' expectations.
package contract

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// Cells shows a sheet's cells compactly, a line per row with a cell that
// is not blank: `row: col=kind"text"(d) ...`, (d) for Date.
func Cells(s readtest.SheetGrid) string {
	var b strings.Builder
	for _, r := range s.Rows {
		fmt.Fprintf(&b, "%d:", r.Number)
		for i, c := range r.Cells {
			if c.Kind == read.Blank {
				continue
			}
			fmt.Fprintf(&b, " %s=%s%q", jkn.ColumnLetter(i), c.Kind, c.Text)
			if c.Date {
				b.WriteString("(d)")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// Rejection fails unless err is a *jkn.FileError with a reason.
func Rejection(t testing.TB, err error) {
	t.Helper()
	var fe *jkn.FileError
	if !errors.As(err, &fe) || fe.Reason == "" {
		t.Fatalf("not a rejection: %v", err)
	}
}

// Cell fails unless c keeps the contract of its kind and the cell bound.
func Cell(t testing.TB, c read.Cell) {
	t.Helper()
	switch c.Kind {
	case read.Blank:
		if c.Text != "" || c.Date {
			t.Fatalf("blank cell %+v", c)
		}
	case read.Number:
		if _, err := strconv.ParseFloat(c.Text, 64); err != nil {
			t.Fatalf("number cell %+v: %v", c, err)
		}
	case read.Bool:
		if c.Text != "0" && c.Text != "1" {
			t.Fatalf("bool cell %+v", c)
		}
	case read.Text, read.Error, read.Formula:
	default:
		t.Fatalf("cell of kind %v", c.Kind)
	}
	if len(c.Text) > read.MaxCellText {
		t.Fatalf("cell text of %d bytes", len(c.Text))
	}
}

// Layout fails unless l's merges are within the contract's bounds.
func Layout(t testing.TB, l read.Layout) {
	t.Helper()
	if len(l.Merges) > read.MaxMerges {
		t.Fatalf("%d merges", len(l.Merges))
	}
	for _, m := range l.Merges {
		if m.Top < 1 || m.Top > read.MergeRows || m.Bottom < m.Top || m.Right < m.Left || m.Left < 0 || m.Right >= 16384 {
			t.Fatalf("merge %+v", m)
		}
	}
}
