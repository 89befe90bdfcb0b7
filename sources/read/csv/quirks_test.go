package csv_test

import (
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// quirks are texts whose quotes and line ends a careless writer leaves,
// split as LibreOffice 7.4 splits them (';', UTF-8): TestQuirks checks the
// reader against the rows written here, TestAgainstLibreOffice checks
// them against LibreOffice itself. Rows are by number, "" for a blank
// cell.
var quirks = []struct {
	name, text string
	rows       map[int][]string
}{
	{"quotes", "a;b;c\n\"ab\"c;d;e\nx\"y;z;w\n \"q;r\";s;t\n\"\";\"\" ;u\n\"m\"\"n\";o;p\n", map[int][]string{
		1: {"a", "b", "c"},
		2: {`"ab"c`, "d", "e"}, // a lone quote inside: not quoted after all
		3: {`x"y`, "z", "w"},   // a quote inside a value is text
		4: {"q;r", "s", "t"},   // spaces before the opening quote are dropped
		5: {"", " ", "u"},      // "" is empty; spaces after the closing quote kept
		6: {`m"n`, "o", "p"},
	}},
	{"multiline", "a;b\n\"a;b\"c;d\n1;\"2\n3;4\n5;6\"\n7;8\n", map[int][]string{
		1: {"a", "b"},
		2: {`"a`, `b"c`, "d"}, // not quoted after all: split where it stands
		3: {"1", "2\n3;4\n5;6"},
		4: {"7", "8"},
	}},
	{"unclosed", "a;b\n1;\"2\n3;4\n", map[int][]string{
		1: {"a", "b"},
		2: {"1", `"2`}, // no closing quote before the end: the quote is text
		3: {"3", "4"},
	}},
	{"cr", "a;b\r1;2\r3;4\r", map[int][]string{1: {"a", "b"}, 2: {"1", "2"}, 3: {"3", "4"}}},
	{"inner", "a;b\n1;x\"2\n3;4\"\n", map[int][]string{1: {"a", "b"}, 2: {"1", `x"2`}, 3: {"3", `4"`}}},
	{"three", "h;i\n\"ab\"c\"d;e\nx;y\nz\"w;v\n", map[int][]string{
		1: {"h", "i"}, 2: {`"ab"c"d`, "e"}, 3: {"x", "y"}, 4: {`z"w`, "v"},
	}},
	{"escaped_break", "h;i\n\"a\"\"\nb\";c\nd;e\n", map[int][]string{1: {"h", "i"}, 2: {"a\"\nb", "c"}, 3: {"d", "e"}}},
	{"closed_at_end", "h;i\n\"a\"\n;b\";c\nd;e\n", map[int][]string{1: {"h", "i"}, 2: {"a"}, 3: {"", `b"`, "c"}, 4: {"d", "e"}}},
	{"crlf_inside", "h;i\r\n\"a\r\nb\";c\r\nd;e\r\n", map[int][]string{1: {"h", "i"}, 2: {"a\nb", "c"}, 3: {"d", "e"}}},
	{"after_quote", "h;i\n\"a\" x;c\n\"a\"  ;c\n", map[int][]string{1: {"h", "i"}, 2: {`"a" x`, "c"}, 3: {"a  ", "c"}}},
	{"spans", "h;i\n\"ab;d\nx;y\nq\";s\n", map[int][]string{1: {"h", "i"}, 2: {"ab;d\nx;y\nq", "s"}}},
	{"broken_later", "h;i\n\"ab;d\nx;y\nq\"s;t\nk;l\"\n", map[int][]string{
		1: {"h", "i"}, 2: {`"ab`, "d"}, 3: {"x", "y"}, 4: {`q"s`, "t"}, 5: {"k", `l"`},
	}},
}

// TestQuirks: the reader splits the quirks as LibreOffice does.
func TestQuirks(t *testing.T) {
	for _, q := range quirks {
		got := gridOf(t, q.text)
		if len(got) != len(q.rows) {
			t.Errorf("%s: rows %v, want %v", q.name, got, q.rows)
			continue
		}
		for n, want := range q.rows {
			if g := got[n]; strings.Join(g, "|") != strings.Join(want, "|") || len(g) != len(want) {
				t.Errorf("%s: row %d: %q, want %q", q.name, n, g, want)
			}
		}
	}
}

// TestQuoteAfterSeparatorInsideValue is the one difference from
// LibreOffice known: inside a quoted value that spans lines, a quote just
// after a separator (5;"6) makes the value not quoted for the reader,
// while LibreOffice goes on to the quote at the line's end and makes one
// value of three lines. No spreadsheet program writes that (a quote in a
// value is written doubled).
func TestQuoteAfterSeparatorInsideValue(t *testing.T) {
	got := gridOf(t, "a;b\n1;\"2\n3;4\n5;\"6\"\n7;8\n")
	want := map[int][]string{1: {"a", "b"}, 2: {"1", `"2`}, 3: {"3", "4"}, 4: {"5", "6"}, 5: {"7", "8"}}
	// LibreOffice 7.4: 2: {"1", "2\n3;4\n5;\"6"}, 3: {"7", "8"}.
	for n, w := range want {
		if strings.Join(got[n], "|") != strings.Join(w, "|") {
			t.Errorf("row %d: %q, want %q", n, got[n], w)
		}
	}
}

// gridOf reads a text and returns its rows' cells' texts by row number.
func gridOf(t *testing.T, text string) map[int][]string {
	t.Helper()
	g := read1(t, []byte(text), read.Limits{})
	if g.Err != nil {
		t.Fatalf("%q: %v", text, g.Err)
	}
	out := map[int][]string{}
	for _, r := range g.Rows {
		var cells []string
		for _, c := range r.Cells {
			cells = append(cells, c.Text)
		}
		out[r.Number] = cells
	}
	return out
}

// read1 opens data with the csv format and reads its one sheet; Open's
// error is the sheet's.
func read1(t *testing.T, data []byte, lim read.Limits) readtest.SheetGrid {
	t.Helper()
	b, err := csvFormat().Open(data, lim)
	if err != nil {
		return readtest.SheetGrid{Err: err}
	}
	g := readtest.ReadAll(b)
	if len(g.Sheets) != 1 {
		t.Fatalf("%d sheets", len(g.Sheets))
	}
	return g.Sheets[0]
}
