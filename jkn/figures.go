package jkn

import (
	"encoding/json"
	"fmt"
	"iter"
	"math/bits"
	"strconv"
)

// A national village sheet has 84,000 rows, each with up to 21 figures. As
// maps (map[Field]float64 per row, another for the cells) they cost about
// 1 KB a row and most of the ingest's memory; as the fixed arrays below
// they cost 176 bytes (Figures) and 48 bytes (Cells) and no allocation.

// Figures holds the numbers of one row: the value of each numeric field
// the sheet had. A field that is absent was empty in the sheet: it is
// missing, never 0. The zero value holds none. It is a value: copying it
// copies the figures.
type Figures struct {
	has  uint32
	vals [numFigures]float64
}

// FiguresOf builds Figures from a map (tests, tools); fields that are not
// numeric are left out.
func FiguresOf(m map[Field]float64) Figures {
	var fs Figures
	for f, v := range m {
		fs.Set(f, v)
	}
	return fs
}

// Get returns a figure and whether the row has it.
func (fs *Figures) Get(f Field) (float64, bool) {
	i := f.slot()
	if i < 0 || fs.has&(1<<i) == 0 {
		return 0, false
	}
	return fs.vals[i], true
}

// Has reports whether the row has a figure.
func (fs *Figures) Has(f Field) bool {
	_, ok := fs.Get(f)
	return ok
}

// Set sets a figure; it reports false, and does nothing, for a field that
// is not numeric.
func (fs *Figures) Set(f Field, v float64) bool {
	i := f.slot()
	if i < 0 {
		return false
	}
	fs.has |= 1 << i
	fs.vals[i] = v
	return true
}

// Delete removes a figure.
func (fs *Figures) Delete(f Field) {
	if i := f.slot(); i >= 0 {
		fs.has &^= 1 << i
		fs.vals[i] = 0
	}
}

// Len is the number of figures.
func (fs Figures) Len() int { return bits.OnesCount32(fs.has) }

// All lists the figures in exposition order: counts first (population,
// participants, active, inactive, uninsured), then reported ratios, then
// segments in Segments order.
func (fs Figures) All() iter.Seq2[Field, float64] {
	return func(yield func(Field, float64) bool) {
		for i := range numFigures {
			if fs.has&(1<<i) != 0 && !yield(fields[i].field, fs.vals[i]) {
				return
			}
		}
	}
}

// Map returns the figures as a map.
func (fs Figures) Map() map[Field]float64 {
	m := make(map[Field]float64, fs.Len())
	for f, v := range fs.All() {
		m[f] = v
	}
	return m
}

// String prints the figures as fmt prints a map.
func (fs Figures) String() string { return fmt.Sprint(fs.Map()) }

// MarshalJSON writes the figures as a JSON object by field name, as a
// map[Field]float64 is written (keys sorted): the persisted snapshots and
// the API keep their form.
func (fs Figures) MarshalJSON() ([]byte, error) { return json.Marshal(fs.Map()) }

// UnmarshalJSON reads the object MarshalJSON writes. Unknown field names
// are skipped: a state file written by a newer version still loads.
func (fs *Figures) UnmarshalJSON(b []byte) error {
	var m map[Field]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*fs = FiguresOf(m)
	return nil
}

// Cells holds the column each figure of a row was read from, so every
// number traces to its cell.
type Cells struct {
	has uint32
	col [numFigures]uint16 // 0-based column index
}

// Set records the column (0-based index) of a figure; false for a field
// that is not numeric or a column beyond the sheet's limit.
func (c *Cells) Set(f Field, col int) bool {
	i := f.slot()
	if i < 0 || col < 0 || col >= MaxColumns {
		return false
	}
	c.has |= 1 << i
	c.col[i] = uint16(col)
	return true
}

// Of returns the cells of the figures fs has: c holds a sheet's columns,
// the result a row's.
func (c Cells) Of(fs *Figures) Cells {
	c.has &= fs.has
	for i := range numFigures {
		if c.has&(1<<i) == 0 {
			c.col[i] = 0
		}
	}
	return c
}

// Letter returns the column letter of a figure ("C"), "" when unknown.
func (c *Cells) Letter(f Field) string {
	i := f.slot()
	if i < 0 || c.has&(1<<i) == 0 {
		return ""
	}
	return ColumnLetter(int(c.col[i]))
}

// CellsOf builds Cells from column letters by field (tests, tools);
// entries that are not a figure and a column letter are left out.
func CellsOf(m map[Field]string) Cells {
	var c Cells
	for f, letter := range m {
		if col, ok := ColumnIndex(letter); ok {
			c.Set(f, col)
		}
	}
	return c
}

// Map returns the column letters by field.
func (c Cells) Map() map[Field]string {
	m := map[Field]string{}
	for i := range numFigures {
		if c.has&(1<<i) != 0 {
			m[fields[i].field] = ColumnLetter(int(c.col[i]))
		}
	}
	return m
}

// MarshalJSON writes the letters as a JSON object by field name, as a
// map[Field]string is written.
func (c Cells) MarshalJSON() ([]byte, error) { return json.Marshal(c.Map()) }

// UnmarshalJSON reads the object MarshalJSON writes; unknown fields and
// letters that are not a column are skipped.
func (c *Cells) UnmarshalJSON(b []byte) error {
	var m map[Field]string
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*c = CellsOf(m)
	return nil
}

// String prints the letters as fmt prints a map.
func (c Cells) String() string { return fmt.Sprint(c.Map()) }

// MaxColumns is the number of columns a worksheet may have (A to XFD).
const MaxColumns = 1 << 14

// ColumnLetter turns a 0-based column index into its letters ("C"); an
// index beyond the sheet's columns is written as its 1-based number.
func ColumnLetter(i int) string {
	if i < 0 || i >= MaxColumns {
		return strconv.Itoa(i + 1)
	}
	var b [3]byte
	n := len(b)
	for i++; i > 0; i = (i - 1) / 26 {
		n--
		b[n] = byte('A' + (i-1)%26)
	}
	return string(b[n:])
}

// CellName names the cell at row (1-based), col (0-based): "C5".
func CellName(row, col int) string { return ColumnLetter(col) + strconv.Itoa(row) }

// ColumnIndex reads a column letter ("C", "AB") as a 0-based index.
func ColumnIndex(letter string) (int, bool) {
	if letter == "" || len(letter) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(letter); i++ {
		c := letter[i]
		if c < 'A' || c > 'Z' {
			return 0, false
		}
		n = n*26 + int(c-'A'+1)
	}
	return n - 1, true
}
