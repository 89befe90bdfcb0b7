package collector

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// textMagic starts a Text as WriteBinary writes it; the digit is the
// layout's version.
const textMagic = "JKNTEXT1"

// WriteBinary writes the text, with its gzip form when it has one, in a
// layout ReadText reads back without rendering: a restart serves it
// before the snapshots it was rendered from are decoded (issue 18).
// Integers are little-endian; each slice is its length, then its items.
func (t *Text) WriteBinary(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	bw.WriteString(textMagic) // errors stick to bw: checked at Flush
	var n [binary.MaxVarintLen64]byte
	uv := func(v uint64) { bw.Write(n[:binary.PutUvarint(n[:], v)]) }
	bytesOf := func(b []byte) { uv(uint64(len(b))); bw.Write(b) }
	uv(uint64(len(t.blocks)))
	var u [8]byte
	for _, b := range t.blocks {
		bytesOf(b.header)
		bytesOf([]byte(b.prefix))
		uv(uint64(len(b.lines)))
		for _, l := range b.lines {
			binary.LittleEndian.PutUint32(u[:4], l.region)
			binary.LittleEndian.PutUint32(u[4:], l.tail)
			bw.Write(u[:])
		}
	}
	bytesOf(t.labels)
	uv(uint64(len(t.labelEnd)))
	for _, e := range t.labelEnd {
		binary.LittleEndian.PutUint32(u[:4], e)
		bw.Write(u[:4])
	}
	bytesOf(t.tails)
	bytesOf(t.gz)
	binary.LittleEndian.PutUint32(u[:4], t.crc)
	bw.Write(u[:4])
	return bw.Flush()
}

// errTextLayout is a Text file whose parts do not fit together.
var errTextLayout = errors.New("inconsistent text layout")

// ReadText reads a Text WriteBinary wrote, size bytes from r. It checks
// that every line's region and tail lie within the text and recomputes
// the size from them, so that a damaged file is an error, not a wrong
// Content-Length or a panic at scrape time; the caller checks the file's
// checksum. Each part is allocated once, at its size: no length can ask
// for more than size.
func ReadText(r io.Reader, size int64) (*Text, error) {
	tr := &textReader{r: bufio.NewReaderSize(io.LimitReader(r, size), 256<<10), left: size}
	if string(tr.bytes(int64(len(textMagic)))) != textMagic && tr.err == nil {
		return nil, errors.New("not a text file")
	}
	t := &Text{}
	nb := tr.count(16) // a header and a prefix at least
	if tr.err == nil {
		t.blocks = make([]block, nb)
	}
	for i := 0; i < nb && tr.err == nil; i++ {
		b := &t.blocks[i]
		b.header = tr.bytes(int64(tr.count(1)))
		b.prefix = string(tr.bytes(int64(tr.count(1))))
		n := tr.count(8)
		raw := tr.bytes(int64(n) * 8)
		if tr.err != nil {
			break
		}
		b.lines = make([]line, n)
		for k := range b.lines {
			b.lines[k] = line{region: binary.LittleEndian.Uint32(raw[8*k:]), tail: binary.LittleEndian.Uint32(raw[8*k+4:])}
		}
	}
	t.labels = tr.bytes(int64(tr.count(1)))
	n := tr.count(4)
	if raw := tr.bytes(int64(n) * 4); tr.err == nil {
		t.labelEnd = make([]uint32, n)
		for k := range t.labelEnd {
			t.labelEnd[k] = binary.LittleEndian.Uint32(raw[4*k:])
		}
	}
	t.tails = tr.bytes(int64(tr.count(1)))
	t.gz = tr.bytes(int64(tr.count(1)))
	crc := tr.bytes(4)
	if tr.err != nil {
		return nil, tr.err
	}
	t.crc = binary.LittleEndian.Uint32(crc)
	if len(t.gz) == 0 {
		t.gz = nil
	}
	if err := t.check(); err != nil {
		return nil, err
	}
	return t, nil
}

// textReader reads the parts of a Text file; the first error sticks and
// makes every later read return zeros.
type textReader struct {
	r    *bufio.Reader
	left int64
	err  error
}

// count reads a length of items of at least unit bytes each, which must
// fit in what is left.
func (tr *textReader) count(unit int64) int {
	if tr.err != nil {
		return 0
	}
	v, err := binary.ReadUvarint(tr.r)
	if err != nil {
		tr.err = err
		return 0
	}
	tr.left -= int64(uvarintLen(v))
	if v > uint64(tr.left/unit) {
		tr.err = fmt.Errorf("%w: length %d", errTextLayout, v)
		return 0
	}
	return int(v)
}

// bytes reads n bytes into a slice of their own.
func (tr *textReader) bytes(n int64) []byte {
	if tr.err != nil {
		return nil
	}
	if n > tr.left {
		tr.err = io.ErrUnexpectedEOF
		return nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(tr.r, b); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		tr.err = err
	}
	tr.left -= n
	return b
}

func uvarintLen(v uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], v)
}

// check verifies that the parts of a read Text fit together and sets its
// size, as the builder counted it.
func (t *Text) check() error {
	prev := uint32(0)
	for _, e := range t.labelEnd {
		if e < prev || int(e) > len(t.labels) {
			return fmt.Errorf("%w: label end %d", errTextLayout, e)
		}
		prev = e
	}
	t.size = 0
	for _, b := range t.blocks {
		if len(b.lines) > 0 {
			t.size += int64(len(b.header))
		}
		for _, l := range b.lines {
			if int(l.region) >= len(t.labelEnd) {
				return fmt.Errorf("%w: region %d", errTextLayout, l.region)
			}
			n, ok := t.tailLen(l.tail)
			if !ok {
				return fmt.Errorf("%w: tail at %d", errTextLayout, l.tail)
			}
			start := uint32(0)
			if l.region > 0 {
				start = t.labelEnd[l.region-1]
			}
			t.size += int64(len(b.prefix)) + int64(t.labelEnd[l.region]-start) + int64(n)
		}
	}
	return nil
}

// tailLen is the length of the tail stored at off, false when it does not
// lie within the tails.
func (t *Text) tailLen(off uint32) (int, bool) {
	if int(off) >= len(t.tails) {
		return 0, false
	}
	n, w := binary.Uvarint(t.tails[off:])
	if w <= 0 || n > uint64(len(t.tails)-int(off)-w) {
		return 0, false
	}
	return int(n), true
}
