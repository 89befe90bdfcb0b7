package csv

import (
	"bytes"
)

// separators are the field separators the sniff tries, in the order that
// breaks a tie: ';' first, as Excel writes CSV where the decimal mark is
// a comma (Indonesia), then tab ("Unicode Text"), ',' and '|'.
var separators = [...]byte{';', '\t', ',', '|'}

// dialect is what the sniff finds out about a text.
type dialect struct {
	sep byte
	// skip is the length of an Excel "sep=;" first line, which names the
	// separator and is no row.
	skip int
	// width is the fields of every record of the sample when they all have
	// as many (Excel and LibreOffice pad every row to the table's width),
	// else 0: in such a file a value past width is a separator in an
	// unquoted value, not a column.
	width int
	// perRecord is the sample's mean bytes per record.
	perRecord int
}

// sniff reports whether data is delimited text: text with no control
// characters but tab and line ends once decoded, not markup, whose first
// records split on one separator into the same number of fields (more
// than one) more often than not, or that names its separator on an Excel
// "sep=" first line.
func sniff(data []byte) bool {
	cs, bom := detectCharset(data[:min(len(data), sampleBytes)], len(data) > sampleBytes)
	head := decodeHead(data, cs, bom)
	if !isText(head) || isMarkup(head) {
		return false
	}
	_, ok := sniffDialect(head, len(data)-bom <= sampleBytes)
	return ok
}

// isText reports whether b, UTF-8, has characters and no control
// character other than tab, CR and LF: a text file, not a binary one.
func isText(b []byte) bool {
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return false
		}
	}
	return len(bytes.TrimSpace(b)) > 0
}

// isMarkup reports whether b starts, after spaces, with '<': an HTML page
// or an XML file (Excel 2003 XML) is read, or rejected, by its own format.
func isMarkup(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

// sniffDialect finds the separator of a text from its first records:
// the one that splits the most records into the same number of fields
// (more than one), at least two of them and at least half the records;
// of two as good, the one with more fields, then the first of
// separators. whole says head is the whole text; otherwise its last line
// may be cut and is left out. An Excel "sep=" first line names the
// separator whatever the records.
func sniffDialect(head []byte, whole bool) (dialect, bool) {
	if sep, skip, ok := sepLine(head); ok {
		u := measure(head[skip:], sep, whole)
		return dialect{sep: sep, skip: skip, width: u.uniformWidth(), perRecord: u.perRecord}, true
	}
	var best stats
	for _, sep := range separators {
		u := measure(head, sep, whole)
		if u.n < 2 || 2*u.n < u.records {
			continue
		}
		if best.n > 0 && (u.n < best.n || u.n == best.n && u.width <= best.width) {
			continue
		}
		best = u
	}
	if best.n == 0 {
		return dialect{}, false
	}
	return dialect{sep: best.sep, width: best.uniformWidth(), perRecord: best.perRecord}, true
}

// stats is how a sample splits on sep: records (blank lines left out),
// the most common number of fields above one (width; of two as common,
// the larger), how many records have it (n), and the mean bytes per
// record.
type stats struct {
	sep                          byte
	records, width, n, perRecord int
}

// uniformWidth is the width every record of the sample has, 0 when they
// differ.
func (u stats) uniformWidth() int {
	if u.n >= 2 && u.n == u.records {
		return u.width
	}
	return 0
}

// measure splits the sample of head on sep.
func measure(head []byte, sep byte, whole bool) stats {
	u := stats{sep: sep}
	sp := splitter{text: sampleOf(head, whole), sep: sep}
	var counts [sampleRecords + 1]int // by fields, up to sampleRecords
	over := map[int]int{}             // more fields than that
	for u.records < sampleRecords {
		ok, err := sp.next(u.records + 1)
		if err != nil || !ok {
			break
		}
		f := len(sp.fields)
		if f == 1 && sp.fields[0].start == sp.fields[0].end {
			continue // a blank line
		}
		u.records++
		if f < len(counts) {
			counts[f]++
		} else {
			over[f]++
		}
	}
	for f := 2; f < len(counts); f++ {
		if counts[f] > 0 && counts[f] >= u.n {
			u.width, u.n = f, counts[f]
		}
	}
	for f, c := range over {
		if c > u.n || c == u.n && f > u.width {
			u.width, u.n = f, c
		}
	}
	if u.records > 0 {
		u.perRecord = max(1, sp.pos/u.records)
	}
	return u
}

// sampleOf is the part of head the sniff reads: all of it when it is the
// whole text, else up to its last line end.
func sampleOf(head []byte, whole bool) []byte {
	if whole {
		return head
	}
	if i := bytes.LastIndexAny(head, "\r\n"); i >= 0 {
		return head[:i+1]
	}
	return head
}

// sepLine reads Excel's "sep=;" first line: the separator it names and
// the line's length with its line end.
func sepLine(head []byte) (sep byte, skip int, ok bool) {
	if len(head) < 5 || !bytes.EqualFold(head[:4], []byte("sep=")) {
		return 0, 0, false
	}
	sep = head[4]
	if sep == '"' || sep == '\r' || sep == '\n' || sep != '\t' && (sep < 0x21 || sep > 0x7e) {
		return 0, 0, false
	}
	rest := head[5:]
	switch {
	case len(rest) == 0:
		return sep, 5, true
	case bytes.HasPrefix(rest, []byte("\r\n")):
		return sep, 7, true
	case rest[0] == '\n' || rest[0] == '\r':
		return sep, 6, true
	}
	return 0, 0, false
}
