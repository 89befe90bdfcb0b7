package html

import (
	"bytes"
	"errors"
	"io"
	"strconv"

	xhtml "golang.org/x/net/html"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// tableInfo is one table of the page as Open lists it.
type tableInfo struct {
	name string
	// start is the offset of the table's start tag in the page.
	start int
	// rows counts its <tr> (its own, not a nested table's).
	rows int
}

// tokenizer returns a tokenizer of page with its buffer bounded.
func tokenizer(page []byte) *xhtml.Tokenizer {
	z := xhtml.NewTokenizer(bytes.NewReader(page))
	z.SetMaxBuf(maxToken)
	return z
}

// tokenError turns the tokenizer's error into the end of the page (nil)
// or a rejection.
func tokenError(z *xhtml.Tokenizer) error {
	err := z.Err()
	switch {
	case errors.Is(err, io.EOF):
		return nil
	case errors.Is(err, xhtml.ErrBufferExceeded):
		return read.TooLarge("a tag or a text in the page is longer than %d bytes", maxToken)
	}
	return err
}

// scanTables lists the page's tables: where each starts, its rows and its
// name. It keeps the open tables' indexes and the text of the caption or
// heading being read, nothing else.
func scanTables(page []byte) ([]tableInfo, error) {
	z := tokenizer(page)
	var (
		tables []tableInfo
		open   []int // indexes of the open tables, innermost last
		offset int
		// capture collects a caption's or a heading's text; in says what
		// is being captured: 0 nothing, 'c' a caption, 'h' a heading, and
		// em the text of the heading's <em>.
		capture, em text
		in          byte
		inEm        bool
		heading     string // the emphasised text of the last heading
	)
	for {
		tt := z.Next()
		start := offset
		raw := z.Raw()
		offset += len(raw)
		tag := ""
		if tt == xhtml.StartTagToken || tt == xhtml.SelfClosingTagToken || tt == xhtml.EndTagToken {
			tag = rawTag(raw)
		}
		if len(raw) > maxAttrs*2 && (tt == xhtml.StartTagToken || tt == xhtml.SelfClosingTagToken) && manyAttrs(z) {
			return nil, read.TooLarge("a tag with more than %d attributes", maxAttrs)
		}
		switch tt {
		case xhtml.ErrorToken:
			for i := range tables {
				if tables[i].name == "" {
					tables[i].name = tableName(i)
				}
			}
			return tables, tokenError(z)
		case xhtml.TextToken:
			if in != 0 {
				t := z.Text()
				capture.add(t, maxNameBytes)
				if inEm {
					em.add(t, maxNameBytes)
				}
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			end := tt == xhtml.EndTagToken
			switch {
			case tag == "table" && !end:
				if len(open) >= maxNesting {
					return nil, read.TooLarge("tables nested more than %d deep", maxNesting)
				}
				if len(tables) >= maxTables {
					return nil, read.TooLarge("more than %d tables in the page", maxTables)
				}
				name := ""
				if len(open) == 0 {
					name, heading = heading, ""
				}
				open = append(open, len(tables))
				tables = append(tables, tableInfo{start: start, name: name})
				in = 0
			case tag == "table":
				if len(open) > 0 {
					open = open[:len(open)-1]
				}
				in = 0
			case tag == "tr" && !end && len(open) > 0:
				tables[open[len(open)-1]].rows++
			case tag == "caption" && len(open) > 0:
				if !end {
					in = 'c'
					capture.reset()
				} else if in == 'c' {
					if s := capture.String(); s != "" {
						tables[open[len(open)-1]].name = s
					}
					in = 0
				}
			case tag == "h" && len(open) == 0:
				if !end {
					in = 'h'
					capture.reset()
					em.reset()
				} else if in == 'h' {
					heading, in = em.String(), 0
				}
			case tag == "em" && in == 'h':
				inEm = !end
			case tag == "br" && in != 0:
				capture.lineBreak()
			}
		}
	}
}

// manyAttrs reports whether the tag just read has more than maxAttrs
// attributes. The tokenizer keeps a set of a tag's attribute names and
// clears it at every tag, at a cost that grows with the largest set it
// has held: a page of one tag with 100,000 attributes and many tags after
// it would take minutes. A tag of at most 2*maxAttrs bytes cannot hold
// more, so only longer ones are counted.
func manyAttrs(z *xhtml.Tokenizer) bool {
	n := 0
	for more := true; more; {
		var k []byte
		k, _, more = z.TagAttr()
		if k != nil {
			n++
		}
	}
	return n > maxAttrs
}

// tableName is the name of table i (0-based) without a caption or heading.
func tableName(i int) string { return "Tabel " + strconv.Itoa(i+1) }

// text builds a cell's text as a browser shows it: runs of white space one
// space, no space at the start or the end of a line, <br> a line break.
// Its buffer is kept from one cell to the next (reset).
type text struct {
	b     []byte
	space bool // white space since the last character
	// over: the text reached the bound add was given; the rest is dropped.
	over bool
}

// isSpace reports whether c is HTML white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// reset empties the text, keeping its buffer.
func (t *text) reset() { *t = text{b: t.b[:0]} }

// add appends s, keeping the text at most limit bytes (over is set when
// it would be longer).
func (t *text) add(s []byte, limit int) {
	for len(s) > 0 {
		if isSpace(s[0]) {
			t.space = true
			s = s[1:]
			continue
		}
		i := 0
		for i < len(s) && !isSpace(s[i]) {
			i++
		}
		sep := t.space && len(t.b) > 0 && t.b[len(t.b)-1] != '\n'
		extra := 0
		if sep {
			extra = 1
		}
		if len(t.b)+extra+i > limit {
			t.over = true
			return
		}
		if sep {
			t.b = append(t.b, ' ')
		}
		t.b = append(t.b, s[:i]...)
		t.space = false
		s = s[i:]
	}
}

// lineBreak is a <br>.
func (t *text) lineBreak() {
	t.b = append(t.b, '\n')
	t.space = false
}

// bytes returns the text, without line breaks at its start or end; the
// slice is the text's buffer.
func (t *text) bytes() []byte { return bytes.Trim(t.b, "\n") }

// String returns the text as bytes does.
func (t *text) String() string { return string(t.bytes()) }

// rawTag returns tagOf the tag whose raw text is raw ("<td align=left>",
// "</TR>", "<br/>"), its name lower-cased as the tokenizer reads it.
// Reading it from the raw text saves the copy the tokenizer's TagName
// makes of every tag.
func rawTag(raw []byte) string {
	raw = bytes.TrimPrefix(bytes.TrimPrefix(raw, []byte("<")), []byte("/"))
	var buf [8]byte
	n := 0
	for _, c := range raw {
		if isSpace(c) || c == '/' || c == '>' {
			break
		}
		if n == len(buf) {
			return "" // longer than any tag the reader reads
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return tagOf(buf[:n])
}

// tagOf returns the name of a tag the reader reads, "" for any other, as
// a constant: a tag's name is converted without allocating.
func tagOf(name []byte) string {
	switch string(name) {
	case "table":
		return "table"
	case "tr":
		return "tr"
	case "td":
		return "td"
	case "th":
		return "th"
	case "thead":
		return "thead"
	case "tbody":
		return "tbody"
	case "tfoot":
		return "tfoot"
	case "br":
		return "br"
	case "col":
		return "col"
	case "colgroup":
		return "colgroup"
	case "caption":
		return "caption"
	case "script":
		return "script"
	case "style":
		return "style"
	case "comment":
		return "comment"
	case "em":
		return "em"
	case "h1", "h2", "h3", "h4", "h5", "h6":
		return "h"
	}
	return ""
}
