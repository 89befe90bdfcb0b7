package csv_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

// divergences are cells, as an Indonesian-locale program writes them in
// a ';' file, that LibreOffice types as a number or a boolean where the
// reader gives Text as written, beyond the goldens' kinds of cell.
// TestAgainstLibreOffice checks LibreOffice's reading (kind and value in
// the .xlsx it makes of the text) and what the parser reads from each.
var divergences = []struct {
	cell   string
	loKind read.Kind
	lo     string // LibreOffice's raw value
	// check says what the parser reads of the reader's text and of
	// LibreOffice's value, and fails when that is no longer so.
	check func(text, lo string) error
}{{
	// LibreOffice reads a decimal comma (the Indonesian locale): 1.234.
	// ParseNumber takes one separator before three digits as grouping
	// thousands in a count, in the text and in the xlsx's raw value alike:
	// 1234 from both (the xlsx's number is not whole, and a reader of a
	// Number cell by strconv.ParseFloat would reject it). A count is whole,
	// so no real sheet writes "1,234" for one and a fraction. As a ratio,
	// both are 1.234.
	cell: "1,234", loKind: read.Number, lo: "1.234",
	check: func(text, lo string) error {
		c, err := table.ParseNumber(text, false)
		lc, loErr := table.ParseNumber(lo, false)
		r, _ := table.ParseNumber(text, true)
		lr, _ := table.ParseNumber(lo, true)
		if c != 1234 || err != nil || lc != 1234 || loErr != nil || r != 1.234 || lr != 1.234 {
			return fmt.Errorf("count %v %w (xlsx: %v %w), ratio %v (xlsx: %v)", c, err, lc, loErr, r, lr)
		}
		return nil
	},
}, {
	// LibreOffice stores 160% as 1.6 in a percent format; ParseNumber
	// reads a bare ratio above 1.5 as points, so the xlsx's cell reads as
	// 1.6% (0.016) and the text as 160% (1.6). The text is right; the
	// parser cannot see the xlsx cell's percent format (read.Cell has
	// none) to read it right too.
	cell: "160,00%", loKind: read.Number, lo: "1.6",
	check: func(text, lo string) error {
		got, _ := table.ParseNumber(text, true)
		xlsx, _ := table.ParseNumber(lo, true)
		if got != 1.6 || xlsx != 0.016 {
			return fmt.Errorf("ratio %v, the xlsx's %v", got, xlsx)
		}
		return nil
	},
}, {
	// LibreOffice's default Indonesian date format shows two-digit
	// years, and LibreOffice reads them back as a date; ParseDate reads
	// four-digit years only, so a date column saved "as shown" with the
	// default format is not read from the text.
	cell: "01/09/23", loKind: read.Number, lo: "45170",
	check: func(text, lo string) error {
		if d, ok := table.ParseDate(text); ok {
			return fmt.Errorf("ParseDate reads %q now (%s): read.csv's doc and this divergence are out of date", text, d)
		}
		if d := serialDay(45170); d != "2023-09-01" {
			return fmt.Errorf("serial 45170 is %s", d)
		}
		return nil
	},
}, {
	// An accounting negative: LibreOffice reads -5; ParseNumber cannot
	// read "(5)". Both are rejected as a count, for another reason.
	cell: "(5)", loKind: read.Number, lo: "-5",
	check: func(text, lo string) error {
		_, err := table.ParseNumber(text, false)
		_, loErr := table.ParseNumber(lo, false)
		if err == nil || loErr == nil || !strings.Contains(err.Error(), "cannot read") || !strings.Contains(loErr.Error(), "negative") {
			return fmt.Errorf("%w, the xlsx's %w", err, loErr)
		}
		return nil
	},
}, {
	// The Indonesian word for TRUE: LibreOffice makes it a boolean; no
	// figure either way.
	cell: "BENAR", loKind: read.Bool, lo: "1",
	check: func(text, lo string) error {
		if _, err := table.ParseNumber(text, false); err == nil || errors.Is(err, table.ErrEmpty) {
			return fmt.Errorf("ParseNumber(%q): %w", text, err)
		}
		return nil
	},
}}

// divergenceText is the ';' file of the divergences, one a row after a
// header.
func divergenceText() []byte {
	var b strings.Builder
	b.WriteString("Nilai;Baris\n")
	for i, d := range divergences {
		fmt.Fprintf(&b, "%s;baris %d\n", d.cell, i+1)
	}
	return []byte(b.String())
}

func checkDivergences(t *testing.T, got readtest.SheetGrid, lo loGrid) {
	t.Helper()
	if len(got.Rows) != len(divergences)+1 {
		t.Fatalf("%d rows, want %d", len(got.Rows), len(divergences)+1)
	}
	for i, d := range divergences {
		n := i + 2
		m := got.Rows[i+1].Cells[0]
		if m.Kind != read.Text || m.Text != d.cell {
			t.Errorf("%q: the reader gives %s %q, want it as written", d.cell, m.Kind, m.Text)
		}
		var l read.Cell
		if c := lo.rows[n]; len(c) > 0 {
			l = c[0]
		}
		if l.Kind != d.loKind || l.Text != d.lo {
			t.Errorf("%q: LibreOffice reads %s %q (a date: %v), want %s %q: update the divergences", d.cell, l.Kind, l.Text, l.Date, d.loKind, d.lo)
		}
		if err := d.check(m.Text, l.Text); err != nil {
			t.Errorf("%q: %v", d.cell, err)
		}
	}
}
