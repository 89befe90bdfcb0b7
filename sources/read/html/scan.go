package html

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

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
		offset += len(z.Raw())
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
			name, _ := z.TagName()
			end := tt == xhtml.EndTagToken
			switch tag := string(name); {
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
					in, capture = 'c', text{}
				} else if in == 'c' {
					if s := capture.String(); s != "" {
						tables[open[len(open)-1]].name = s
					}
					in = 0
				}
			case len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' && len(open) == 0:
				if !end {
					in, capture, em = 'h', text{}, text{}
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

// tableName is the name of table i (0-based) without a caption or heading.
func tableName(i int) string { return "Tabel " + strconv.Itoa(i+1) }

// text builds a cell's text as a browser shows it: runs of white space one
// space, no space at the start or the end of a line, <br> a line break.
type text struct {
	b     strings.Builder
	space bool // white space since the last character
	// over: the text reached the bound add was given; the rest is dropped.
	over bool
}

// isSpace reports whether c is HTML white space.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

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
		extra := 0
		if t.space && t.b.Len() > 0 && !t.endsLine() {
			extra = 1
		}
		if t.b.Len()+extra+i > limit {
			t.over = true
			return
		}
		if extra > 0 {
			t.b.WriteByte(' ')
		}
		t.b.Write(s[:i])
		t.space = false
		s = s[i:]
	}
}

func (t *text) endsLine() bool {
	s := t.b.String()
	return s != "" && s[len(s)-1] == '\n'
}

// lineBreak is a <br>.
func (t *text) lineBreak() {
	t.b.WriteByte('\n')
	t.space = false
}

// Len is the text's length in bytes so far.
func (t *text) Len() int { return t.b.Len() }

// String returns the text, without line breaks at its start or end.
func (t *text) String() string { return strings.Trim(t.b.String(), "\n") }
