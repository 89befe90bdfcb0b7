package table

import (
	"fmt"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// asOfMarker introduces the as-of date in a title ("Posisi Data : 1
// September 2023", "Data per 16 Juli 2024"). A date after a marker wins
// over another date in the title area, such as a population semester.
var asOfMarker = regexp.MustCompile(`\b(posisi|per|tanggal|tgl|periode|keadaan|kondisi|status|as of|as at|update|updated)\b`)

// setAsOf gives the table its as-of date, from the first of: the date
// column (newest, the newest row date), a title cell above the header,
// the file name, the file's modification time.
func setAsOf(t *Table, f file, title [][]read.Cell, date1904 bool, newest time.Time) {
	if c, ok := t.Column(jkn.FieldAsOf); ok {
		if !newest.IsZero() {
			t.AsOf, t.AsOfOrigin = newest, AsOfColumn
			t.AsOfDetail = fmt.Sprintf("column %s %q, newest row date", c.Letter, c.Header)
			return
		}
	}
	if d, detail, ok := titleDate(title, date1904); ok {
		t.AsOf, t.AsOfOrigin, t.AsOfDetail = d, AsOfTitleCell, detail
		return
	}
	name := strings.TrimSuffix(f.name, path.Ext(f.name))
	if d, _, ok := findDate(strings.ReplaceAll(name, "_", " ")); ok {
		t.AsOf, t.AsOfOrigin, t.AsOfDetail = d, AsOfFileName, fmt.Sprintf("file name %q", f.name)
		return
	}
	t.AsOfOrigin = AsOfModTime
	if f.modTime.IsZero() {
		t.AsOfDetail = "no date found and the file has no modification time"
		return
	}
	t.AsOf = dateOf(f.modTime)
	t.AsOfDetail = fmt.Sprintf("modification time %s", f.modTime.Format(time.RFC3339))
}

// Bounds of the title area's scan for a date (see titleDate).
const (
	titleCellBytes = 1024
	titleScanBytes = 64 << 10
)

// titleDate finds the as-of date in the rows above the header: first a
// date after a marker word or a date-formatted cell, else any date written
// in a title cell. Cells are read row by row, left to right.
func titleDate(title [][]read.Cell, date1904 bool) (time.Time, string, bool) {
	var (
		fallback       time.Time
		fallbackDetail string
		// Date patterns cost microseconds a byte: the title area is read up
		// to titleScanBytes in all, each cell up to titleCellBytes, far more
		// than any title holds, far less than 30 rows of long cells.
		budget = titleScanBytes
	)
	for r, row := range title {
		for c, cell := range row {
			if cell.Kind == read.Formula {
				continue // no value: no text
			}
			text := cleanText(cell.Text)
			if text == "" {
				continue
			}
			if budget <= 0 {
				return fallback, fallbackDetail, !fallback.IsZero()
			}
			if len(text) > titleCellBytes {
				text = text[:titleCellBytes]
			}
			budget -= len(text)
			ref := jkn.CellName(r+1, c)
			if cell.Date {
				if d, ok := serialDate(text, date1904); ok {
					return d, fmt.Sprintf("cell %s (date-formatted) %s", ref, d.Format(time.DateOnly)), true
				}
			}
			lower := strings.ToLower(text)
			if loc := asOfMarker.FindStringIndex(lower); loc != nil {
				if d, _, ok := findDate(lower[loc[1]:]); ok {
					return d, fmt.Sprintf("cell %s %q", ref, text), true
				}
			}
			if fallback.IsZero() {
				if d, _, ok := findDate(lower); ok {
					fallback, fallbackDetail = d, fmt.Sprintf("cell %s %q", ref, text)
				}
			}
		}
	}
	return fallback, fallbackDetail, !fallback.IsZero()
}
