package csv

import (
	"bytes"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// splitter splits a text into records and fields as LibreOffice Calc's
// text import does with its default options (checked against LibreOffice
// 7.4 by csv_test.go's TestSplitLikeLibreOffice):
//
//   - A record ends at a line end: LF, CR LF or a lone CR.
//   - A field whose first character, after spaces, is a double quote is
//     quoted: it runs to a quote followed (after spaces) by the
//     separator, a line end or the end of the text; "" inside it is one
//     quote; line ends inside it belong to the value (as LF, whatever the
//     file wrote) and the record goes on past them. Spaces after the
//     closing quote are kept in the value.
//   - A quoted field that does not end so (a lone quote inside it
//     followed by other text, as a careless writer leaves, or no closing
//     quote before the end of the text) is not quoted after all: it is
//     read as written, quotes and all, up to the next separator on its
//     own line.
//   - A quote anywhere else is text.
//
// One difference is known: LibreOffice goes on past a lone quote that
// follows a separator inside a value spanning lines (5;"6 in the middle
// of a quoted value); the splitter takes the value as not quoted there.
// No program writes that.
//
// Every record, field and quoted value is bounded (read.MaxRowText,
// maxColumns, read.MaxCellText) before it is copied, and so is the text
// read ahead for quoted values that turn out not quoted, so a hostile
// text costs time and memory in proportion to its size.
type splitter struct {
	text []byte
	sep  byte
	pos  int
	// The record next read: field i is rec[fields[i].start:fields[i].end].
	// rec is the line itself when the record is one line without quotes,
	// else own, the fields' values copied out.
	rec    []byte
	fields []span
	own    []byte
	// wasted counts the bytes read ahead in quoted values that were not
	// quoted after all; past len(text)+read.MaxCellText the text is
	// rejected.
	wasted int
}

type span struct{ start, end int }

// next reads the record at the splitter's position; row is its number,
// for errors. It reports false at the end of the text.
func (s *splitter) next(row int) (bool, error) {
	t := s.text
	if s.pos >= len(t) {
		return false, nil
	}
	rest := t[s.pos:]
	window := rest[:min(len(rest), read.MaxRowText+2)]
	end, next := lineEnd(window)
	if end < 0 {
		return false, read.TooLarge("row %d is longer than %d MiB without a line end", row, read.MaxRowText>>20)
	}
	line := rest[:end]
	if bytes.IndexByte(line, '"') >= 0 {
		return true, s.quoted(row)
	}
	if end > read.MaxRowText {
		return false, read.TooLarge("row %d is longer than %d MiB", row, read.MaxRowText>>20)
	}
	s.rec, s.fields = line, s.fields[:0]
	start := 0
	for {
		if len(s.fields) == maxColumns {
			return false, tooManyFields(row)
		}
		i := bytes.IndexByte(line[start:], s.sep)
		if i < 0 {
			i = len(line) - start
		}
		if i > read.MaxCellText {
			return false, tooLongValue(row, len(s.fields))
		}
		s.fields = append(s.fields, span{start, start + i})
		start += i + 1
		if start > len(line) {
			break
		}
	}
	s.pos += next
	return true, nil
}

// lineEnd finds the end of the first line of b: the line's length and
// where the next line starts. It returns -1 when b holds no line end and
// is longer than a record may be.
func lineEnd(b []byte) (end, next int) {
	nl := bytes.IndexByte(b, '\n')
	head := b
	if nl >= 0 {
		head = b[:nl]
	}
	if cr := bytes.IndexByte(head, '\r'); cr >= 0 {
		if cr == nl-1 {
			return cr, nl + 1 // CR LF
		}
		return cr, cr + 1 // a lone CR
	}
	switch {
	case nl >= 0:
		return nl, nl + 1
	case len(b) > read.MaxRowText:
		return -1, 0
	}
	return len(b), len(b) // the last line, without a line end
}

// quoted reads a record with quotes in its first line, byte by byte
// outside quoted values.
func (s *splitter) quoted(row int) error {
	t := s.text
	s.own, s.fields = s.own[:0], s.fields[:0]
	p := s.pos
	for {
		col := len(s.fields)
		if col == maxColumns {
			return tooManyFields(row)
		}
		start := len(s.own)
		q := p
		for q < len(t) && t[q] == ' ' {
			q++
		}
		done := false
		if q < len(t) && t[q] == '"' {
			end, ok, err := s.quotedValue(q, row, col)
			if err != nil {
				return err
			}
			if ok {
				p, done = end, true
			} else {
				s.own = s.own[:start]
			}
		}
		if !done {
			e := p
			for e < len(t) && t[e] != s.sep && t[e] != '\n' && t[e] != '\r' {
				e++
			}
			if e-p > read.MaxCellText {
				return tooLongValue(row, col)
			}
			s.own = append(s.own, t[p:e]...)
			p = e
		}
		s.fields = append(s.fields, span{start, len(s.own)})
		if p-s.pos > read.MaxRowText {
			return read.TooLarge("row %d is longer than %d MiB", row, read.MaxRowText>>20)
		}
		if p < len(t) && t[p] == s.sep {
			p++
			continue
		}
		break
	}
	switch {
	case p < len(t) && t[p] == '\r':
		p++
		if p < len(t) && t[p] == '\n' {
			p++
		}
	case p < len(t) && t[p] == '\n':
		p++
	}
	s.pos, s.rec = p, s.own
	return nil
}

// quotedValue reads the quoted value whose opening quote is at q into
// own. It returns where the field ends (at a separator, a line end or the
// end of the text), or ok false when the value is not quoted after all.
func (s *splitter) quotedValue(q, row, col int) (end int, ok bool, err error) {
	t := s.text
	start := len(s.own)
	i := q + 1
	for {
		room := read.MaxCellText - (len(s.own) - start)
		window := t[i:min(len(t), i+room+1)]
		k := bytes.IndexByte(window, '"')
		if k < 0 {
			if i+len(window) < len(t) || len(window) > room {
				return 0, false, read.TooLarge("row %d column %s: a quoted value runs on over %d MiB: is its closing quote (\") missing?",
					row, jkn.ColumnLetter(col), read.MaxCellText>>20)
			}
			return 0, false, s.waste(len(t)-q, row) // no closing quote before the end
		}
		s.own = appendLF(s.own, window[:k])
		k += i
		if k+1 < len(t) && t[k+1] == '"' {
			s.own = append(s.own, '"')
			i = k + 2
			continue
		}
		m := k + 1
		for m < len(t) && t[m] == ' ' {
			m++
		}
		if m == len(t) || t[m] == s.sep || t[m] == '\n' || t[m] == '\r' {
			s.own = append(s.own, t[k+1:m]...)
			return m, true, nil
		}
		return 0, false, s.waste(k-q, row) // a lone quote inside
	}
}

// waste counts n bytes read ahead for nothing, and rejects the text once
// they are more than it holds.
func (s *splitter) waste(n, row int) error {
	if s.wasted += n; s.wasted > len(s.text)+read.MaxCellText {
		return read.Reject(jkn.ReasonCorrupt, "up to row %d, value after value opens a quote (\") that does not close it: fix the quotes, or save the file again from the spreadsheet", row)
	}
	return nil
}

// appendLF appends b to dst with its line ends (CR LF, a lone CR) as LF.
func appendLF(dst, b []byte) []byte {
	for {
		i := bytes.IndexByte(b, '\r')
		if i < 0 {
			return append(dst, b...)
		}
		dst = append(append(dst, b[:i]...), '\n')
		b = b[i+1:]
		if len(b) > 0 && b[0] == '\n' {
			b = b[1:]
		}
	}
}

func tooManyFields(row int) error {
	return read.TooLarge("row %d has more than %d fields (columns)", row, maxColumns)
}

func tooLongValue(row, col int) error {
	return read.TooLarge("row %d column %s: a value longer than %d MiB", row, jkn.ColumnLetter(col), read.MaxCellText>>20)
}
