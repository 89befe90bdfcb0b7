package xlsx

import (
	"bytes"
	"errors"
	"io"

	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// xmlScanner tokenizes the XML of a worksheet or shared-string part as a
// stream, for the fast read path (fast.go). It accepts only plain,
// well-formed XML: UTF-8, the five predefined entities and character
// references, matching end tags. Anything else (CDATA, a DOCTYPE, another
// encoding, a byte encoding/xml rejects) stops it with errUnsupported, and
// the sheet is read by excelize instead, which then behaves exactly as it
// always did.
//
// Slices it returns point into its buffer and are valid until the next
// call to next.
type xmlScanner struct {
	r   io.Reader
	buf []byte
	pos int // next byte to read
	end int // end of the data in buf
	eof bool

	kind      tokKind
	name      []byte // local name of a start or end tag
	selfClose bool
	attrs     []xmlAttr // of a start tag
	text      []byte    // raw text, entities not decoded

	// stack holds the open elements' names, to check end tags.
	stack []string
	// started is set once the prolog has been checked.
	started bool
}

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

type xmlAttr struct {
	name  []byte // as written, with its prefix if any
	value []byte // raw, entities not decoded
}

// errUnsupported marks XML the fast path leaves to excelize.
var errUnsupported = errors.New("not read by the fast path")

// unsupported wraps errUnsupported with the reason, for tests and logs.
type unsupportedError struct{ why string }

func (e *unsupportedError) Error() string { return "fast path: " + e.why }
func (e *unsupportedError) Unwrap() error { return errUnsupported }

func unsupported(why string) error { return &unsupportedError{why} }

const scanBufSize = 256 << 10

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, scanBufSize)}
}

// fill reads more input, keeping buf[keep:end]. It reports false at the end
// of the input. keep moves to 0.
func (s *xmlScanner) fill(keep int) (bool, error) {
	if s.eof {
		return false, nil
	}
	n := copy(s.buf, s.buf[keep:s.end])
	s.pos -= keep
	s.end = n
	if s.end == len(s.buf) {
		// One token longer than the buffer (a long text): grow, up to the
		// bound the slow path enforces (limits.go), which then says why.
		if len(s.buf) >= maxTokenRun {
			return false, unsupported("a text or tag near the token bound")
		}
		nb := make([]byte, 2*len(s.buf))
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

// next reads the next token. Comments and processing instructions are
// skipped; so is whitespace-only text outside any element.
func (s *xmlScanner) next() error {
	for {
		if s.pos >= s.end {
			more, err := s.fill(s.pos)
			if err != nil {
				return err
			}
			if !more {
				if len(s.stack) > 0 {
					return unsupported("unexpected end of XML")
				}
				s.kind = tokEOF
				return nil
			}
		}
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
		done, err := s.readTag()
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// prolog checks the start of the document: no byte-order mark, and an XML
// declaration, if any, that declares UTF-8.
func (s *xmlScanner) prolog() error {
	if _, err := s.need(6); err != nil {
		return err
	}
	rest := s.buf[s.pos:s.end]
	if bytes.HasPrefix(rest, []byte("\xef\xbb\xbf")) {
		return unsupported("byte-order mark")
	}
	if !bytes.HasPrefix(rest, []byte("<?xml")) || len(rest) > 5 && !isSpace(rest[5]) {
		return nil
	}
	end, err := s.find(s.pos, []byte("?>"))
	if err != nil {
		return err
	}
	decl := s.buf[s.pos:end]
	if i := bytes.Index(decl, []byte("encoding")); i >= 0 {
		v := decl[i+len("encoding"):]
		v = bytes.TrimLeft(v, " \t\r\n=")
		if len(v) < 2 {
			return unsupported("malformed XML declaration")
		}
		q := v[0]
		j := bytes.IndexByte(v[1:], q)
		if j < 0 {
			return unsupported("malformed XML declaration")
		}
		enc := string(bytes.ToLower(v[1 : 1+j]))
		if enc != "utf-8" && enc != "utf8" {
			return unsupported("encoding " + enc)
		}
	}
	s.pos = end + 2
	return nil
}

// find returns the index in buf of sep at or after from, reading more input
// as needed; from is kept in the buffer (it may move: the index is
// absolute after the move, and s.pos moves with it).
func (s *xmlScanner) find(from int, sep []byte) (int, error) {
	searched := from
	for {
		var i int
		if len(sep) == 1 {
			i = indexByte(s.buf[searched:s.end], sep[0])
		} else {
			i = bytes.Index(s.buf[searched:s.end], sep)
		}
		if i >= 0 {
			return searched + i, nil
		}
		searched = max(from, s.end-len(sep)+1)
		off := s.pos
		more, err := s.fill(s.pos)
		if err != nil {
			return 0, err
		}
		if !more {
			return 0, unsupported("unexpected end of XML")
		}
		from -= off
		searched -= off
	}
}

// readText reads the text up to the next tag.
func (s *xmlScanner) readText() error {
	start := s.pos
	i, err := s.find(start, []byte{'<'})
	if errors.Is(err, errUnsupported) && len(s.stack) == 0 {
		// Trailing text after the root element.
		i, err = s.end, nil
	}
	if err != nil {
		return err
	}
	start = s.pos
	s.text = s.buf[start:i]
	s.pos = i
	if err := checkText(s.text); err != nil {
		return err
	}
	s.kind = tokText
	if len(s.stack) == 0 {
		if len(bytes.TrimSpace(s.text)) > 0 {
			return unsupported("text outside the root element")
		}
		return s.next()
	}
	return nil
}

// need fills the buffer until n bytes follow s.pos, or the input ends
// (false).
func (s *xmlScanner) need(n int) (bool, error) {
	for s.end-s.pos < n {
		more, err := s.fill(s.pos)
		if err != nil || !more {
			return false, err
		}
	}
	return true, nil
}

// needAll is need where the input must not end first.
func (s *xmlScanner) needAll(n int) error {
	ok, err := s.need(n)
	if err == nil && !ok {
		err = unsupported("unexpected end of XML")
	}
	return err
}

// skipPast skips a comment or processing instruction at s.pos, whose
// opening is open bytes long, up to and including its terminator, checking
// the characters between.
func (s *xmlScanner) skipPast(open int, term string) error {
	end, err := s.find(s.pos+open, []byte(term))
	if err != nil {
		return err
	}
	if err := checkChars(s.buf[s.pos+open : end]); err != nil {
		return err
	}
	s.pos = end + len(term)
	return nil
}

// readTag reads a tag at s.pos. It reports false for a comment or
// processing instruction, which are skipped.
func (s *xmlScanner) readTag() (bool, error) {
	if err := s.needAll(2); err != nil {
		return false, err
	}
	switch s.buf[s.pos+1] {
	case '?':
		return false, s.skipPast(2, "?>")
	case '!':
		if err := s.needAll(4); err != nil {
			return false, err
		}
		if !bytes.HasPrefix(s.buf[s.pos:s.end], []byte("<!--")) {
			return false, unsupported("CDATA section or DOCTYPE")
		}
		return false, s.skipPast(4, "-->")
	case '/':
		end, err := s.find(s.pos+2, []byte{'>'})
		if err != nil {
			return false, err
		}
		name := s.buf[s.pos+2 : end]
		for len(name) > 0 && isSpace(name[len(name)-1]) {
			name = name[:len(name)-1]
		}
		local, ok := localName(name)
		if !ok {
			return false, unsupported("bad end tag")
		}
		n := len(s.stack)
		if n == 0 || s.stack[n-1] != string(name) {
			return false, unsupported("mismatched end tag")
		}
		s.stack = s.stack[:n-1]
		s.kind, s.name, s.pos = tokEnd, local, end+1
		return true, nil
	}
	return s.readStart()
}

// readStart reads a start tag with its attributes; if the input ends
// inside the tag, it reads more and starts the tag again.
func (s *xmlScanner) readStart() (bool, error) {
	for {
		ok, err := s.parseStart()
		if err != nil || ok {
			return ok, err
		}
		more, err := s.fill(s.pos)
		if err != nil {
			return false, err
		}
		if !more {
			return false, unsupported("unexpected end of XML")
		}
	}
}

// parseStart parses the start tag at s.pos from the buffered data; it
// reports false when the data ends inside the tag.
func (s *xmlScanner) parseStart() (bool, error) {
	b := s.buf[:s.end]
	i := s.pos + 1
	j := i
	for j < len(b) && !isSpace(b[j]) && b[j] != '>' && b[j] != '/' {
		j++
	}
	if j >= len(b) {
		return false, nil
	}
	qname := b[i:j]
	local, ok := localName(qname)
	if !ok {
		return false, unsupported("bad element name")
	}
	s.attrs = s.attrs[:0]
	for {
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j >= len(b) {
			return false, nil
		}
		switch b[j] {
		case '>':
			if len(s.stack) >= maxXMLDepth {
				return false, read.TooLarge("XML elements nested more than %d deep: copy the sheet into a new workbook", maxXMLDepth)
			}
			s.finishStart(qname, local, false, j+1)
			return true, nil
		case '/':
			if j+1 >= len(b) {
				return false, nil
			}
			if b[j+1] != '>' {
				return false, unsupported("bad start tag")
			}
			s.finishStart(qname, local, true, j+2)
			return true, nil
		}
		k := j
		for k < len(b) && !isSpace(b[k]) && b[k] != '=' && b[k] != '>' && b[k] != '/' {
			k++
		}
		if k >= len(b) {
			return false, nil
		}
		aname := b[j:k]
		if _, ok := localName(aname); !ok {
			return false, unsupported("bad attribute name")
		}
		for k < len(b) && isSpace(b[k]) {
			k++
		}
		if k >= len(b) {
			return false, nil
		}
		if b[k] != '=' {
			return false, unsupported("attribute without value")
		}
		k++
		for k < len(b) && isSpace(b[k]) {
			k++
		}
		if k >= len(b) {
			return false, nil
		}
		q := b[k]
		if q != '"' && q != '\'' {
			return false, unsupported("unquoted attribute")
		}
		e := indexByte(b[k+1:], q)
		if e < 0 {
			return false, nil
		}
		val := b[k+1 : k+1+e]
		if bytes.IndexByte(val, '<') >= 0 {
			return false, unsupported("'<' in an attribute value")
		}
		if err := checkText(val); err != nil {
			return false, err
		}
		s.attrs = append(s.attrs, xmlAttr{name: aname, value: val})
		j = k + 2 + e
		if j < len(b) && !isSpace(b[j]) && b[j] != '>' && b[j] != '/' {
			return false, unsupported("attributes not separated by space")
		}
	}
}

func (s *xmlScanner) finishStart(qname, local []byte, self bool, next int) {
	s.kind, s.name, s.selfClose, s.pos = tokStart, local, self, next
	if !self {
		s.stack = append(s.stack, internName(qname))
	}
}

// internName returns the name as a string, without allocating for the
// names worksheets are made of.
func internName(b []byte) string {
	switch string(b) {
	case "c":
		return "c"
	case "v":
		return "v"
	case "row":
		return "row"
	case "f":
		return "f"
	case "is":
		return "is"
	case "t":
		return "t"
	case "r":
		return "r"
	case "si":
		return "si"
	case "rPr":
		return "rPr"
	}
	return string(b)
}

// skip reads past the end of the element whose start tag was just read.
func (s *xmlScanner) skip() error {
	if s.selfClose {
		return nil
	}
	depth := len(s.stack)
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch {
		case s.kind == tokEOF:
			return unsupported("unexpected end of XML")
		case s.kind == tokEnd && len(s.stack) < depth:
			return nil
		}
	}
}

// children walks the element whose start tag was just read, calling start
// for each child's start tag; start must read or skip the child to its end.
// Text between the children is ignored.
func (s *xmlScanner) children(start func(name []byte) error) error {
	if s.selfClose {
		return nil
	}
	depth := len(s.stack)
	for {
		if err := s.next(); err != nil {
			return err
		}
		switch s.kind {
		case tokEOF:
			return unsupported("unexpected end of XML")
		case tokEnd:
			if len(s.stack) < depth {
				return nil
			}
		case tokStart:
			if err := start(s.name); err != nil {
				return err
			}
		}
	}
}

// attr returns the value of the unprefixed attribute name.
func (s *xmlScanner) attr(name string) ([]byte, bool) {
	for _, a := range s.attrs {
		if string(a.name) == name {
			return a.value, true
		}
	}
	return nil, false
}

// localName strips a namespace prefix; it reports false for a name
// encoding/xml would not accept or that this scanner does not expect.
func localName(q []byte) ([]byte, bool) {
	if len(q) == 0 {
		return nil, false
	}
	colon := -1
	for i, c := range q {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9', c == '-', c == '.':
			if i == 0 || i == colon+1 {
				return nil, false
			}
		case c == ':':
			if colon >= 0 || i == 0 {
				return nil, false
			}
			colon = i
		default:
			return nil, false
		}
	}
	if colon == len(q)-1 {
		return nil, false
	}
	return q[colon+1:], true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// indexByte is bytes.IndexByte for what is usually a few bytes away (the
// end of a value, a quote): a plain loop first, the vector search beyond.
func indexByte(b []byte, c byte) int {
	n := min(len(b), 16)
	for i := range n {
		if b[i] == c {
			return i
		}
	}
	if i := bytes.IndexByte(b[n:], c); i >= 0 {
		return n + i
	}
	return -1
}
