package xls

import (
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// sst is the shared string table: every string's UTF-8 text in one
// string, each cell's text a substring of it (no copy per cell).
type sst struct {
	text string
	ends []uint32 // string i is text[ends[i-1]:ends[i]]
}

func (t *sst) len() int { return len(t.ends) }

func (t *sst) get(i int) string {
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.text[start:t.ends[i]]
}

// The flags of an XLUnicodeRichExtendedString.
const (
	flagHighByte = 0x01
	flagExt      = 0x04
	flagRich     = 0x08
)

// readSST reads the SST record and its CONTINUE records: the count of
// unique strings, bounded by limits.max_shared_strings before anything
// is parsed, then each string (its rich-text runs and phonetic data
// skipped). Nothing is allocated by a declared count beyond what the
// bytes can hold: a string takes at least three of them.
func readSST(segs [][]byte, limit int) (*sst, error) {
	s := &segments{segs: segs}
	if _, ok := s.uint32(); !ok { // cstTotal: the references, not needed
		return nil, corrupt("the shared string table (SST) is cut short")
	}
	count, ok := s.uint32()
	if !ok {
		return nil, corrupt("the shared string table (SST) is cut short")
	}
	if int64(count) > int64(limit) {
		return nil, read.TooLarge("the shared string table declares %d strings, more than limits.max_shared_strings (%d)", count, limit)
	}
	bytes := s.remaining()
	t := &sst{ends: make([]uint32, 0, min(int(count), bytes/3))}
	var arena []byte
	for i := range int(count) {
		cch, ok1 := s.uint16()
		flags, ok2 := s.byte1()
		if !ok1 || !ok2 {
			return nil, corrupt("the shared string table (SST) declares %d strings and ends after %d", count, i)
		}
		var runs uint16
		var ext uint32
		ok := true
		if flags&flagRich != 0 {
			runs, ok = s.uint16()
		}
		if ok && flags&flagExt != 0 {
			ext, ok = s.uint32()
		}
		if ok {
			arena, ok = s.chars(arena, int(cch), flags&flagHighByte != 0)
		}
		// The formatting runs (4 bytes each) and the phonetic data follow
		// the characters; the phonetic size is checked against the bytes
		// left, not trusted.
		if ok {
			ok = s.skip(4 * int(runs))
		}
		if ok && ext > 0 {
			ok = int64(ext) <= int64(s.remaining()) && s.skip(int(ext))
		}
		if !ok {
			return nil, corrupt("shared string %d of %d is cut short", i, count)
		}
		if len(arena) > 1<<32-1 {
			return nil, read.TooLarge("the shared strings hold more than 4 GiB of text")
		}
		t.ends = append(t.ends, uint32(len(arena)))
	}
	t.text = string(arena)
	return t, nil
}
