package collector

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"io"
	"slices"
	"sync"
)

// Text is the region part of the exposition, rendered once per change.
// A national village snapshot is 1.3 to 1.7 million series, 190 to 250 MB
// of text, nearly all of it the five region labels repeated on every
// series of a region. So Text keeps each region's label set once, each
// distinct extra label (segment="ppu", status="…") once, and each series
// as its region, its extra label and its value, rendered: about 20 bytes a
// series instead of 150. WriteTo joins them into the text at scrape time,
// without allocating. Its gzip form is compressed once per change (see
// Compress).
//
// The text is valid in the Prometheus text format and in OpenMetrics
// (gauges only, no # EOF).
type Text struct {
	blocks []block
	// labels holds the regions' label sets (no braces), region i at
	// labels[labelEnd[i-1]:labelEnd[i]].
	labels   []byte
	labelEnd []uint32
	// extras holds the distinct extra labels (`,segment="ppu"`), extra i
	// at extras[extraEnd[i-1]:extraEnd[i]]; extra 0 is none.
	extras   []byte
	extraEnd []uint32
	// values holds the rendered values ("817221", "0.9763"), each after
	// a byte with its length.
	values []byte
	size   int64
	// gz is the gzip header and the deflate stream of the text, flushed to
	// a byte boundary but not final, and crc the text's CRC-32: a gzip
	// response is gz, then the self-metrics as the final deflate block,
	// then the trailer (see gzipTail). nil until compressed.
	gz  []byte
	crc uint32
}

// block is one metric family: its HELP and TYPE lines and its series.
type block struct {
	header []byte
	prefix string // "jkn_population{"
	lines  []line
}

// line is one series: the region's labels, the extra labels (0: none),
// "} ", the value at values[value], "\n".
type line struct {
	region, value, extra uint32
}

// Compressed reports whether the text's gzip form is ready (an empty text
// needs none).
func (t *Text) Compressed() bool { return t.Len() == 0 || t.gz != nil }

// GzipLen is the size of the text's gzip form (0 until compressed).
func (t *Text) GzipLen() int {
	if t == nil {
		return 0
	}
	return len(t.gz)
}

// Len is the size of the text in bytes.
func (t *Text) Len() int64 {
	if t == nil {
		return 0
	}
	return t.size
}

// Series counts the series.
func (t *Text) Series() int {
	if t == nil {
		return 0
	}
	n := 0
	for _, b := range t.blocks {
		n += len(b.lines)
	}
	return n
}

// Bytes returns the whole text (tests and tools; a scrape uses WriteTo).
func (t *Text) Bytes() []byte {
	if t == nil {
		return nil
	}
	b := bytes.NewBuffer(make([]byte, 0, t.size))
	_, _ = t.WriteTo(b)
	return b.Bytes()
}

// String returns the whole text (tests, %s).
func (t *Text) String() string { return string(t.Bytes()) }

// chunkSize is what WriteTo gathers before each write: large enough that
// the writes cost little, small enough to stay in cache.
const chunkSize = 256 << 10

// chunkPool holds WriteTo's buffers, so a scrape allocates nothing in
// proportion to the series.
var chunkPool = sync.Pool{New: func() any {
	b := make([]byte, 0, chunkSize+4096)
	return &b
}}

// WriteTo writes the text to w in chunks.
func (t *Text) WriteTo(w io.Writer) (int64, error) {
	if t == nil {
		return 0, nil
	}
	bp := chunkPool.Get().(*[]byte)
	defer chunkPool.Put(bp)
	var n int64
	err := t.chunks((*bp)[:0], func(c []byte) error {
		m, err := w.Write(c)
		n += int64(m)
		return err
	})
	return n, err
}

// chunks composes the text into buf, calling emit with each full chunk
// and the last one.
func (t *Text) chunks(buf []byte, emit func([]byte) error) error {
	for bi := range t.blocks {
		b := &t.blocks[bi]
		buf = append(buf, b.header...)
		for _, l := range b.lines {
			if len(buf) >= chunkSize {
				if err := emit(buf); err != nil {
					return err
				}
				buf = buf[:0]
			}
			start := uint32(0)
			if l.region > 0 {
				start = t.labelEnd[l.region-1]
			}
			buf = append(buf, b.prefix...)
			buf = append(buf, t.labels[start:t.labelEnd[l.region]]...)
			if l.extra > 0 {
				buf = append(buf, t.extras[t.extraEnd[l.extra-1]:t.extraEnd[l.extra]]...)
			}
			buf = append(buf, '}', ' ')
			n := uint32(t.values[l.value])
			buf = append(buf, t.values[l.value+1:l.value+1+n]...)
			buf = append(buf, '\n')
		}
	}
	if len(buf) > 0 {
		return emit(buf)
	}
	return nil
}

// textBuilder builds a Text: the regions' label sets first, then the
// families in order, each with its series.
type textBuilder struct {
	t       *Text
	pending block // the family started last, kept once it has a series
	scratch []byte
	// extra finds an extra label already stored.
	extra map[string]uint32
	// shared finds a value already stored: statuses and targets repeat
	// the same few values on every region. It stops growing at
	// maxShared entries, as counts and ratios rarely repeat.
	shared map[string]uint32
}

const maxShared = 4096

func newTextBuilder(regions int) *textBuilder {
	return &textBuilder{
		t: &Text{labelEnd: make([]uint32, 0, regions), labels: make([]byte, 0, regions*128),
			values: make([]byte, 0, regions*128), extraEnd: []uint32{0}},
		extra:  map[string]uint32{},
		shared: map[string]uint32{},
	}
}

// region adds the next region's label set (no braces).
func (b *textBuilder) region(labels []byte) {
	b.t.labels = append(b.t.labels, labels...)
	b.t.labelEnd = append(b.t.labelEnd, uint32(len(b.t.labels)))
}

// header starts a family; it is written only if a series follows. lines
// is the number of series expected (0: unknown), to size the family once.
func (b *textBuilder) header(name, help string, lines int) {
	b.flush()
	h := make([]byte, 0, len(name)*2+len(help)+24)
	h = append(h, "# HELP "...)
	h = append(h, name...)
	h = append(h, ' ')
	h = append(h, escapeHelp(help)...)
	h = append(h, "\n# TYPE "...)
	h = append(h, name...)
	h = append(h, " gauge\n"...)
	b.pending = block{header: h, prefix: name + "{", lines: make([]line, 0, lines)}
}

// sample adds a series of the current family: region's labels, an extra
// label if extraName is set, and the value.
func (b *textBuilder) sample(region int, extraName, extraValue string, v float64) {
	var extra []byte
	if extraName != "" {
		var buf [128]byte
		extra = append(buf[:0], ',')
		extra = appendLabel(extra, extraName, extraValue)
	}
	b.sampleRaw(region, extra, v)
}

// sampleRaw adds a series with extra labels rendered as `,name="value"…`.
func (b *textBuilder) sampleRaw(region int, extra []byte, v float64) {
	l := line{region: uint32(region)}
	if len(extra) > 0 {
		id, ok := b.extra[string(extra)]
		if !ok {
			b.t.extras = append(b.t.extras, extra...)
			b.t.extraEnd = append(b.t.extraEnd, uint32(len(b.t.extras)))
			id = uint32(len(b.t.extraEnd) - 1)
			b.extra[string(extra)] = id
		}
		l.extra = id
	}
	val := AppendValue(b.scratch[:0], v) // at most 24 bytes
	b.scratch = val[:0]
	off, ok := b.shared[string(val)]
	if !ok {
		off = uint32(len(b.t.values))
		b.t.values = append(b.t.values, byte(len(val)))
		b.t.values = append(b.t.values, val...)
		if len(b.shared) < maxShared {
			b.shared[string(val)] = off
		}
	}
	l.value = off
	b.pending.lines = append(b.pending.lines, l)
	labels := b.t.labelEnd[region]
	if region > 0 {
		labels -= b.t.labelEnd[region-1]
	}
	b.t.size += int64(len(b.pending.prefix)) + int64(labels) + int64(len(extra)) + 2 + int64(len(val)) + 1
	if len(b.pending.lines) == 1 {
		b.t.size += int64(len(b.pending.header))
	}
}

// flush keeps the current family if it has a series.
func (b *textBuilder) flush() {
	if len(b.pending.lines) > 0 {
		b.pending.lines = fit(b.pending.lines)
		b.t.blocks = append(b.t.blocks, b.pending)
	}
	b.pending = block{}
}

// done returns the Text, not yet compressed.
func (b *textBuilder) done() *Text {
	b.flush()
	b.t.labels, b.t.values, b.t.extras = fit(b.t.labels), fit(b.t.values), fit(b.t.extras)
	return b.t
}

// fit returns s in a slice of its size when it has much more room: the
// Text is kept until the next change.
func fit[T any](s []T) []T {
	if cap(s)-len(s) > len(s)/8+64 {
		return slices.Clone(s)
	}
	return s
}

// gzipHeader starts a gzip member: no name, no time, OS unknown (RFC 1952),
// so the bytes depend on the text only.
var gzipHeader = [10]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

// Compress computes the gzip form the handler serves, once per change of
// the snapshots rather than per scrape. Deflate at BestSpeed: about 14
// times smaller than the text, in less than half the time the default
// level takes. Call it before publishing the Text; it is not safe to call
// while the Text is being served.
func (t *Text) Compress() {
	out := bytes.NewBuffer(make([]byte, 0, t.size/12+64))
	out.Write(gzipHeader[:])
	zw, _ := flate.NewWriter(out, flate.BestSpeed) // the level is valid
	crc := uint32(0)
	bp := chunkPool.Get().(*[]byte)
	_ = t.chunks((*bp)[:0], func(c []byte) error {
		crc = crc32.Update(crc, crc32.IEEETable, c)
		_, err := zw.Write(c)
		return err
	})
	chunkPool.Put(bp)
	_ = zw.Flush() // writes to memory: no error
	t.gz, t.crc = fit(out.Bytes()), crc
}

// flatePool holds the compressors of the self-metrics part of gzip
// responses: a compressor is about 1 MB, not to be made per scrape.
var flatePool = sync.Pool{New: func() any {
	zw, _ := flate.NewWriter(io.Discard, flate.BestSpeed)
	return zw
}}

// gzipHead is the start of a gzip response: the gzip header and the text
// compressed, not final. It needs the text compressed, or empty.
func (t *Text) gzipHead() []byte {
	if t.Len() == 0 {
		return gzipHeader[:]
	}
	return t.gz
}

// gzipTail compresses tail, the part that follows the text, into z as the
// final deflate block, and returns the gzip trailer: the CRC-32 and size of
// the text and tail together. gzipHead, z and the trailer make one gzip
// member, which any gzip reader reads as one stream.
func (t *Text) gzipTail(z *bytes.Buffer, tail []byte) ([8]byte, error) {
	var trailer [8]byte
	crc, size := uint32(0), int64(0)
	if t.Len() > 0 {
		crc, size = t.crc, t.size
	}
	zw := flatePool.Get().(*flate.Writer)
	defer flatePool.Put(zw)
	zw.Reset(z)
	if _, err := zw.Write(tail); err != nil {
		return trailer, err
	}
	if err := zw.Close(); err != nil {
		return trailer, err
	}
	binary.LittleEndian.PutUint32(trailer[:4], crc32.Update(crc, crc32.IEEETable, tail))
	binary.LittleEndian.PutUint32(trailer[4:], uint32(size+int64(len(tail))))
	return trailer, nil
}
