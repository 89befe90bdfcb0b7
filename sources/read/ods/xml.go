package ods

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// scanner tokenizes the XML of an .ods part as a stream. encoding/xml
// reads a district-level content.xml (12 MB for 7,285 rows) in about
// 0.65 s, five times what the whole .xlsx read of the same rows takes; the
// scanner does it in a fraction of that by not allocating per token: names
// and text are slices of its buffer, valid until the next call.
//
// It reads well-formed XML: UTF-8 (an XML declaration naming another
// encoding is rejected), comments, processing instructions and CDATA,
// the five predefined entities and character references (decoded by
// appendText), matching end tags, namespace prefixes declared anywhere
// (resolved to the namespaces the reader knows, nsNone for others). A
// DOCTYPE is rejected: no OpenDocument part has one, and refusing it
// leaves no entity to expand. Bytes inside text are not checked here (the
// reader checks the text it keeps, see checkText); nesting is bounded by
// maxDepth, a tag or text node by maxToken, attributes by maxAttrs.
type scanner struct {
	r    io.Reader
	part string // for errors
	buf  []byte
	pos  int   // next byte to read
	end  int   // end of the data in buf
	base int64 // stream offset of buf[0]
	eof  bool

	// The token next read.
	kind  tokKind
	ns    nsID   // of a start or end tag
	local []byte // local name of a start or end tag
	self  bool   // a start tag that closes itself (<a/>): no end tag follows
	attrs []xmlAttr
	text  []byte // raw text (entities not decoded), or CDATA content
	cdata bool
	at    int64 // stream offset of the token's first byte

	// stack holds the open elements' names as written, concatenated;
	// ends[i] is the end of the i-th.
	stack []byte
	ends  []int
	// bind is the namespace bindings in scope; scopes the bindings that
	// elements replaced, to restore at their end.
	bind   *bindings
	scopes []scope
	cache  [8]prefixEntry
	cached int

	started bool // the prolog has been checked
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

// xmlAttr is an attribute of a start tag: its namespace and local name,
// and its value as written (entities not decoded).
type xmlAttr struct {
	ns    nsID
	local []byte
	value []byte
}

// nsID is a namespace the reader looks at; nsNone is any other, and no
// namespace.
type nsID uint8

const (
	nsNone nsID = iota
	nsOffice
	nsTable
	nsText
	nsStyle
	nsNumber
	nsCalcext
	nsManifest
	nsXMLNS // the attribute declares a namespace
)

// namespaceOf maps a namespace URI to its nsID.
func namespaceOf(uri []byte) nsID {
	switch string(uri) {
	case "urn:oasis:names:tc:opendocument:xmlns:office:1.0":
		return nsOffice
	case "urn:oasis:names:tc:opendocument:xmlns:table:1.0":
		return nsTable
	case "urn:oasis:names:tc:opendocument:xmlns:text:1.0":
		return nsText
	case "urn:oasis:names:tc:opendocument:xmlns:style:1.0":
		return nsStyle
	case "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0":
		return nsNumber
	case "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0":
		return nsCalcext
	case "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0":
		return nsManifest
	}
	return nsNone
}

// bindings are the namespace prefixes in scope. They are never changed
// once made: an element that declares namespaces gets a new one, so that
// a sheet read from the middle of content.xml starts from the bindings
// recorded where it starts.
type bindings struct {
	prefixes map[string]nsID
	def      nsID // the default namespace, of unprefixed elements
}

type scope struct {
	depth int // the element's depth: its bindings end with it
	prev  *bindings
}

type prefixEntry struct {
	prefix string
	ns     nsID
}

// errSyntax marks XML that is not well-formed.
var errSyntax = errors.New("not well-formed XML")

const scanBufSize = 64 << 10

func newScanner(r io.Reader, part string, bind *bindings) *scanner {
	if bind == nil {
		bind = &bindings{}
	}
	return &scanner{r: r, part: part, buf: make([]byte, scanBufSize), bind: bind}
}

// syntax reports XML that is not well-formed, where it is.
func (s *scanner) syntax(format string, args ...any) error {
	return fmt.Errorf("%s at byte %d: %w: %s", s.part, s.base+int64(s.pos), errSyntax, fmt.Sprintf(format, args...))
}

// boundError is the error of XML over one of the scanner's bounds: a tag
// or text longer than maxToken, nesting deeper than maxDepth, more
// attributes than maxAttrs. It is a rejection for too_large.
type boundError struct{ part, what string }

func (e *boundError) Error() string { return e.part + " " + e.what }

func (s *scanner) bound(format string, args ...any) error {
	return &boundError{s.part, fmt.Sprintf(format, args...)}
}

// fill reads more input, keeping buf[keep:end], which moves to the start
// of buf (pos moves with it). It reports false at the end of the input.
func (s *scanner) fill(keep int) (bool, error) {
	if s.eof {
		return false, nil
	}
	if keep > 0 {
		n := copy(s.buf, s.buf[keep:s.end])
		s.pos -= keep
		s.base += int64(keep)
		s.end = n
	}
	if s.end == len(s.buf) {
		// One token longer than the buffer: grow it, up to the bound.
		if len(s.buf) >= maxToken {
			return false, s.bound("holds a tag or text longer than %d bytes (no cell holds that much)", maxToken)
		}
		nb := make([]byte, min(2*len(s.buf), maxToken))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		m, err := s.r.Read(s.buf[s.end:])
		s.end += m
		if errors.Is(err, io.EOF) {
			s.eof = true
			return m > 0, nil
		}
		if err != nil {
			return false, err
		}
		if m > 0 {
			return true, nil
		}
	}
}

// indexByte returns the offset from pos of the first c at or after
// offset rel from pos, reading more input as needed; -1 at the end of the
// input.
func (s *scanner) indexByte(rel int, c byte) (int, error) {
	for {
		if i := bytes.IndexByte(s.buf[s.pos+rel:s.end], c); i >= 0 {
			return rel + i, nil
		}
		rel = s.end - s.pos
		more, err := s.fill(s.pos)
		if err != nil || !more {
			return -1, err
		}
	}
}

// ensure makes n bytes from pos available; false at the end of the input.
func (s *scanner) ensure(n int) (bool, error) {
	for s.end-s.pos < n {
		more, err := s.fill(s.pos)
		if err != nil || !more {
			return false, err
		}
	}
	return true, nil
}

// indexSeq returns the offset from pos of the first occurrence of seq at
// or after rel; -1 at the end of the input.
func (s *scanner) indexSeq(rel int, seq string) (int, error) {
	last := seq[len(seq)-1]
	for {
		i, err := s.indexByte(rel, last)
		if err != nil || i < 0 {
			return -1, err
		}
		if i+1 >= len(seq) && string(s.buf[s.pos+i+1-len(seq):s.pos+i+1]) == seq {
			return i + 1 - len(seq), nil
		}
		rel = i + 1
	}
}

// depth is the number of open elements.
func (s *scanner) depth() int { return len(s.ends) }

// next reads the next token: a start tag, an end tag or text. Comments
// and processing instructions are skipped.
func (s *scanner) next() error {
	s.self = false
	for {
		if s.pos >= s.end {
			more, err := s.fill(s.pos)
			if err != nil {
				return err
			}
			if !more {
				if len(s.ends) > 0 {
					return s.syntax("the XML ends inside an element")
				}
				s.kind = tokEOF
				return nil
			}
		}
		s.at = s.base + int64(s.pos)
		if !s.started {
			s.started = true
			if err := s.prolog(); err != nil {
				return err
			}
			continue
		}
		if s.buf[s.pos] != '<' {
			return s.readText()
		}
		tok, err := s.readMarkup()
		if err != nil || tok {
			return err
		}
	}
}

// prolog skips a byte-order mark and checks the XML declaration's
// encoding.
func (s *scanner) prolog() error {
	if ok, err := s.ensure(3); err != nil {
		return err
	} else if ok && string(s.buf[s.pos:s.pos+3]) == "\xEF\xBB\xBF" {
		s.pos += 3
	}
	if ok, err := s.ensure(6); err != nil || !ok {
		return err
	}
	if string(s.buf[s.pos:s.pos+5]) != "<?xml" || !isSpace(s.buf[s.pos+5]) {
		return nil
	}
	end, err := s.indexSeq(5, "?>")
	if err != nil {
		return err
	}
	if end < 0 {
		return s.syntax("an XML declaration without its end")
	}
	decl := strings.ToLower(string(s.buf[s.pos : s.pos+end]))
	if i := strings.Index(decl, "encoding"); i >= 0 {
		rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n=")
		rest = strings.Trim(rest, "\"' \t\r\n")
		if f := strings.FieldsFunc(rest, func(r rune) bool { return r == '"' || r == '\'' || r == ' ' }); len(f) > 0 &&
			f[0] != "utf-8" && f[0] != "utf8" {
			return s.syntax("encoded in %s, not UTF-8", f[0])
		}
	}
	s.pos += end + 2
	return nil
}

// readText reads the text up to the next '<' (or the end of the input).
func (s *scanner) readText() error {
	i, err := s.indexByte(0, '<')
	if err != nil {
		return err
	}
	if i < 0 {
		i = s.end - s.pos
	}
	s.kind, s.cdata = tokText, false
	s.text = s.buf[s.pos : s.pos+i]
	s.pos += i
	return nil
}

// readMarkup reads the markup at pos, a '<'. It reports whether it read a
// token (a comment or processing instruction is none).
func (s *scanner) readMarkup() (bool, error) {
	if ok, err := s.ensure(2); err != nil {
		return false, err
	} else if !ok {
		return false, s.syntax("the XML ends in a tag")
	}
	switch s.buf[s.pos+1] {
	case '/':
		return true, s.readEnd()
	case '?':
		end, err := s.indexSeq(2, "?>")
		if err != nil {
			return false, err
		}
		if end < 0 {
			return false, s.syntax("a processing instruction without its end")
		}
		s.pos += end + 2
		return false, nil
	case '!':
		return s.readBang()
	}
	return true, s.readStart()
}

// readBang reads a comment, CDATA section or DOCTYPE.
func (s *scanner) readBang() (bool, error) {
	if ok, err := s.ensure(4); err != nil {
		return false, err
	} else if ok && string(s.buf[s.pos:s.pos+4]) == "<!--" {
		end, err := s.indexSeq(4, "-->")
		if err != nil {
			return false, err
		}
		if end < 0 {
			return false, s.syntax("a comment without its end")
		}
		s.pos += end + 3
		return false, nil
	}
	if ok, err := s.ensure(9); err != nil {
		return false, err
	} else if ok && string(s.buf[s.pos:s.pos+9]) == "<![CDATA[" {
		if len(s.ends) == 0 {
			return false, s.syntax("CDATA outside the root element")
		}
		end, err := s.indexSeq(9, "]]>")
		if err != nil {
			return false, err
		}
		if end < 0 {
			return false, s.syntax("a CDATA section without its end")
		}
		s.kind, s.cdata = tokText, true
		s.text = s.buf[s.pos+9 : s.pos+end]
		s.pos += end + 3
		return true, nil
	}
	return false, s.syntax("a DOCTYPE or declaration, which no OpenDocument part has")
}

// readEnd reads an end tag and checks that it closes the open element.
func (s *scanner) readEnd() error {
	gt, err := s.indexByte(2, '>')
	if err != nil {
		return err
	}
	if gt < 0 {
		return s.syntax("the XML ends in a tag")
	}
	name := bytes.TrimRight(s.buf[s.pos+2:s.pos+gt], " \t\r\n")
	n := len(s.ends)
	if n == 0 {
		return s.syntax("an end tag </%s> with no element open", clip(name))
	}
	from := 0
	if n > 1 {
		from = s.ends[n-2]
	}
	if !bytes.Equal(s.stack[from:s.ends[n-1]], name) {
		return s.syntax("</%s> closes <%s>", clip(name), clip(s.stack[from:s.ends[n-1]]))
	}
	// Readers look only at the depth an end tag leaves.
	s.kind = tokEnd
	s.ns, s.local = nsNone, nil
	s.stack = s.stack[:from]
	s.ends = s.ends[:n-1]
	s.popScope()
	s.pos += gt + 1
	return nil
}

// popScope restores the bindings an element that just ended replaced.
func (s *scanner) popScope() {
	if k := len(s.scopes); k > 0 && s.scopes[k-1].depth == len(s.ends) {
		s.bind = s.scopes[k-1].prev
		s.scopes = s.scopes[:k-1]
		s.cached = 0
	}
}

// readStart reads a start tag whole into the buffer, then its name and
// attributes.
func (s *scanner) readStart() error {
	gt, err := s.tagEnd()
	if err != nil {
		return err
	}
	tag := s.buf[s.pos+1 : s.pos+gt]
	s.pos += gt + 1
	if len(tag) > 0 && tag[len(tag)-1] == '/' {
		s.self = true
		tag = tag[:len(tag)-1]
	}
	i := 0
	for i < len(tag) && !isSpace(tag[i]) {
		i++
	}
	name := tag[:i]
	if len(name) == 0 {
		return s.syntax("a tag without a name")
	}
	s.attrs = s.attrs[:0]
	declares := false
	for {
		for i < len(tag) && isSpace(tag[i]) {
			i++
		}
		if i == len(tag) {
			break
		}
		// A name, "=", a quoted value; white space may stand around "=".
		eq := bytes.IndexByte(tag[i:], '=')
		if eq <= 0 {
			return s.syntax("an attribute without a value in <%s>", clip(name))
		}
		an := tag[i : i+eq]
		for len(an) > 0 && isSpace(an[len(an)-1]) {
			an = an[:len(an)-1]
		}
		j := i + eq + 1
		for j < len(tag) && isSpace(tag[j]) {
			j++
		}
		if len(an) == 0 || hasSpace(an) {
			return s.syntax("an attribute without a value in <%s>", clip(name))
		}
		if j == len(tag) || (tag[j] != '"' && tag[j] != '\'') {
			return s.syntax("an unquoted attribute value in <%s>", clip(name))
		}
		q := bytes.IndexByte(tag[j+1:], tag[j])
		if q < 0 {
			return s.syntax("an unterminated attribute value in <%s>", clip(name))
		}
		if len(s.attrs) >= maxAttrs {
			return s.bound("has an element with more than %d attributes", maxAttrs)
		}
		// local holds the qualified name until the names are resolved.
		s.attrs = append(s.attrs, xmlAttr{local: an, value: tag[j+1 : j+1+q]})
		if bytes.HasPrefix(an, []byte("xmlns")) && (len(an) == 5 || an[5] == ':') {
			declares = true
		}
		i = j + 1 + q + 1
	}
	if declares {
		s.declare()
	}
	s.kind = tokStart
	s.ns, s.local = s.resolve(name, true)
	for k := range s.attrs {
		a := &s.attrs[k]
		if a.ns == nsXMLNS {
			continue
		}
		a.ns, a.local = s.resolve(a.local, false)
	}
	if s.self {
		if declares {
			// The bindings were the element's alone.
			s.popScope()
		}
		return nil
	}
	if len(s.ends) >= maxDepth {
		return s.bound("nests elements more than %d deep", maxDepth)
	}
	s.stack = append(s.stack, name...)
	s.ends = append(s.ends, len(s.stack))
	return nil
}

// declare applies the namespace declarations among attrs: new bindings,
// in force until the element ends.
func (s *scanner) declare() {
	nb := &bindings{prefixes: make(map[string]nsID, len(s.bind.prefixes)+4), def: s.bind.def}
	for p, ns := range s.bind.prefixes {
		nb.prefixes[p] = ns
	}
	for k := range s.attrs {
		a := &s.attrs[k]
		if !bytes.HasPrefix(a.local, []byte("xmlns")) || (len(a.local) != 5 && a.local[5] != ':') {
			continue
		}
		ns := namespaceOf(a.value)
		if len(a.local) == 5 {
			nb.def = ns
		} else {
			nb.prefixes[string(a.local[6:])] = ns
		}
		a.ns = nsXMLNS
	}
	s.scopes = append(s.scopes, scope{depth: len(s.ends), prev: s.bind})
	s.bind = nb
	s.cached = 0
}

// resolve splits a qualified name into its namespace and local name. An
// unprefixed element is in the default namespace, an unprefixed
// attribute in none; an undeclared prefix is nsNone.
func (s *scanner) resolve(qname []byte, element bool) (nsID, []byte) {
	i := bytes.IndexByte(qname, ':')
	if i < 0 {
		if element {
			return s.bind.def, qname
		}
		return nsNone, qname
	}
	prefix, local := qname[:i], qname[i+1:]
	for k := range s.cached {
		if s.cache[k].prefix == string(prefix) {
			return s.cache[k].ns, local
		}
	}
	ns := s.bind.prefixes[string(prefix)]
	if s.cached < len(s.cache) {
		s.cache[s.cached] = prefixEntry{string(prefix), ns}
		s.cached++
	}
	return ns, local
}

// tagEnd returns the offset from pos of the '>' that ends the start tag
// at pos, reading the whole tag into the buffer. A '>' may stand in a
// quoted attribute value; LibreOffice escapes it there, so the first '>'
// usually ends the tag.
func (s *scanner) tagEnd() (int, error) {
	rel := 1
	for {
		gt, err := s.indexByte(rel, '>')
		if err != nil {
			return 0, err
		}
		if gt < 0 {
			return 0, s.syntax("the XML ends in a tag")
		}
		seg := s.buf[s.pos : s.pos+gt]
		if bytes.IndexByte(seg, '\'') < 0 {
			if bytes.Count(seg, []byte{'"'})%2 == 0 {
				return gt, nil
			}
		} else if quotesClosed(seg) {
			return gt, nil
		}
		rel = gt + 1
	}
}

// quotesClosed reports whether a tag's bytes end outside a quoted value.
func quotesClosed(seg []byte) bool {
	var q byte
	for _, c := range seg {
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		}
	}
	return q == 0
}

// skip skips the rest of the element whose start tag was just read. It
// only finds where tags begin and end, so that skipping costs little more
// than unpacking: the names, attributes and text of what it skips are
// not read, and their end tags not checked against their start tags.
func (s *scanner) skip() error {
	if s.self {
		return nil
	}
	depth := 0
	for {
		i, err := s.indexByte(0, '<')
		if err != nil {
			return err
		}
		if i < 0 {
			return s.syntax("the XML ends inside an element")
		}
		s.pos += i
		if ok, err := s.ensure(2); err != nil {
			return err
		} else if !ok {
			return s.syntax("the XML ends in a tag")
		}
		switch s.buf[s.pos+1] {
		case '/':
			gt, err := s.indexByte(2, '>')
			if err != nil {
				return err
			}
			if gt < 0 {
				return s.syntax("the XML ends in a tag")
			}
			s.pos += gt + 1
			if depth > 0 {
				depth--
				continue
			}
			// The end of the skipped element.
			n := len(s.ends)
			from := 0
			if n > 1 {
				from = s.ends[n-2]
			}
			s.stack, s.ends = s.stack[:from], s.ends[:n-1]
			s.popScope()
			s.kind = tokEnd
			s.ns, s.local = nsNone, nil
			return nil
		case '?', '!':
			if _, err := s.readMarkup(); err != nil {
				return err
			}
		default:
			gt, err := s.tagEnd()
			if err != nil {
				return err
			}
			self := s.buf[s.pos+gt-1] == '/'
			s.pos += gt + 1
			if !self {
				if depth++; len(s.ends)+depth > maxDepth {
					return s.bound("nests elements more than %d deep", maxDepth)
				}
			}
		}
	}
}

// attr returns the value of the attribute ns:local of the start tag just
// read, as written (entities not decoded).
func (s *scanner) attr(ns nsID, local string) ([]byte, bool) {
	for _, a := range s.attrs {
		if a.ns == ns && string(a.local) == local {
			return a.value, true
		}
	}
	return nil, false
}

// is reports whether the tag just read is ns:local.
func (s *scanner) is(ns nsID, local string) bool {
	return s.ns == ns && string(s.local) == local
}

func hasSpace(b []byte) bool {
	for _, c := range b {
		if isSpace(c) {
			return true
		}
	}
	return false
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// clip shortens a name for an error message.
func clip(b []byte) string {
	if len(b) > 64 {
		return string(b[:64]) + "..."
	}
	return string(b)
}

// offset is the stream offset of the next byte to read.
func (s *scanner) offset() int64 { return s.base + int64(s.pos) }

// outerBindings returns the bindings in force before the start tag just
// read: without its own declarations.
func (s *scanner) outerBindings() *bindings {
	if k := len(s.scopes); k > 0 && !s.self && s.scopes[k-1].depth == len(s.ends)-1 {
		return s.scopes[k-1].prev
	}
	return s.bind
}
