package xls

import (
	"encoding/binary"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// Record types ([MS-XLS] 2.3), those this reader reads or steps over.
const (
	recFORMULA    = 0x0006
	recEOF        = 0x000A
	recDATEMODE   = 0x0022
	recFILEPASS   = 0x002F
	recCONTINUE   = 0x003C
	recCODEPAGE   = 0x0042
	recCOLINFO    = 0x007D
	recBOUNDSHEET = 0x0085
	recMULRK      = 0x00BD
	recMULBLANK   = 0x00BE
	recRSTRING    = 0x00D6
	recXF         = 0x00E0
	recMERGECELLS = 0x00E5
	recSST        = 0x00FC
	recLABELSST   = 0x00FD
	recDIMENSIONS = 0x0200
	recBLANK      = 0x0201
	recNUMBER     = 0x0203
	recLABEL      = 0x0204
	recBOOLERR    = 0x0205
	recSTRING     = 0x0207
	recARRAY      = 0x0221
	recTABLE      = 0x0236
	recRK         = 0x027E
	recFORMAT     = 0x041E
	recSHRFMLA    = 0x04BC
	recBOF        = 0x0809
	// The BOF records of BIFF2, BIFF3 and BIFF4.
	recBOF2 = 0x0009
	recBOF3 = 0x0209
	recBOF4 = 0x0409
	// BIFF5's FORMULA (BIFF3 and BIFF4 wrote 0x0206, BIFF2 0x0006 too).
	recFORMULA4 = 0x0406
)

// corrupt rejects a damaged workbook stream.
func corrupt(format string, args ...any) *jkn.FileError {
	return read.Reject(jkn.ReasonCorrupt, format, args...)
}

// records steps through the records of a workbook stream.
type records struct {
	b   []byte
	pos int // the next record's offset
	// at is the offset of the record next returned last.
	at int
}

// next returns the next record's type and data, ok false at the end of
// the stream; a record cut short by the end is an error.
func (r *records) next() (typ uint16, data []byte, ok bool, err error) {
	if r.pos >= len(r.b) {
		return 0, nil, false, nil
	}
	if len(r.b)-r.pos < 4 {
		return 0, nil, false, corrupt("a record header at byte %d of the workbook stream is cut short", r.pos)
	}
	typ = binary.LittleEndian.Uint16(r.b[r.pos:])
	n := int(binary.LittleEndian.Uint16(r.b[r.pos+2:]))
	if len(r.b)-r.pos-4 < n {
		return 0, nil, false, corrupt("record %#04x at byte %d declares %d bytes, %d remain in the workbook stream", typ, r.pos, n, len(r.b)-r.pos-4)
	}
	r.at = r.pos
	data = r.b[r.pos+4 : r.pos+4+n]
	r.pos += 4 + n
	return typ, data, true, nil
}

// peek returns the next record's type without moving, 0 at the end.
func (r *records) peek() uint16 {
	if len(r.b)-r.pos < 4 {
		return 0
	}
	return binary.LittleEndian.Uint16(r.b[r.pos:])
}

// continued returns data and the CONTINUE records that follow it, as the
// segments a string may cross.
func (r *records) continued(data []byte) ([][]byte, error) {
	segs := [][]byte{data}
	for r.peek() == recCONTINUE {
		_, d, _, err := r.next()
		if err != nil {
			return nil, err
		}
		segs = append(segs, d)
	}
	return segs, nil
}

func u16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func u32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

// segments reads across a record and its CONTINUE records. A string's
// characters that cross into a CONTINUE record start it with a new
// flags byte (compressed or not); anything else continues as it is.
type segments struct {
	segs [][]byte
	i, p int
}

func (s *segments) remaining() int {
	n := len(s.segs[s.i]) - s.p
	for _, seg := range s.segs[s.i+1:] {
		n += len(seg)
	}
	return n
}

// advance moves to the next segment once the current one is used up,
// and reports whether there is data left.
func (s *segments) advance() bool {
	for s.p >= len(s.segs[s.i]) {
		if s.i+1 >= len(s.segs) {
			return false
		}
		s.i, s.p = s.i+1, 0
	}
	return true
}

// byte1 reads one byte.
func (s *segments) byte1() (byte, bool) {
	if !s.advance() {
		return 0, false
	}
	c := s.segs[s.i][s.p]
	s.p++
	return c, true
}

func (s *segments) uint16() (uint16, bool) {
	a, ok1 := s.byte1()
	b, ok2 := s.byte1()
	return uint16(a) | uint16(b)<<8, ok1 && ok2
}

func (s *segments) uint32() (uint32, bool) {
	a, ok1 := s.uint16()
	b, ok2 := s.uint16()
	return uint32(a) | uint32(b)<<16, ok1 && ok2
}

// skip steps over n bytes, false if fewer remain.
func (s *segments) skip(n int) bool {
	for n > 0 {
		if !s.advance() {
			return false
		}
		k := min(n, len(s.segs[s.i])-s.p)
		s.p += k
		n -= k
	}
	return true
}

// chars appends n characters of a BIFF8 string to dst as UTF-8: 8-bit
// (the low bytes of UTF-16, i.e. Latin-1) when high is false, UTF-16LE
// when true, the flags byte re-read at each CONTINUE boundary.
func (s *segments) chars(dst []byte, n int, high bool) ([]byte, bool) {
	var pending rune = -1 // a high surrogate waiting for its pair
	for n > 0 {
		if s.p >= len(s.segs[s.i]) {
			if s.i+1 >= len(s.segs) {
				return dst, false
			}
			s.i, s.p = s.i+1, 0
			if len(s.segs[s.i]) == 0 {
				return dst, false
			}
			high = s.segs[s.i][0]&1 != 0
			s.p = 1
			continue
		}
		seg := s.segs[s.i][s.p:]
		if !high {
			k := min(n, len(seg))
			for _, c := range seg[:k] {
				dst, pending = flushPending(dst, pending)
				if c < utf8.RuneSelf {
					dst = append(dst, c)
				} else {
					dst = utf8.AppendRune(dst, rune(c))
				}
			}
			s.p += k
			n -= k
			continue
		}
		k := min(n, len(seg)/2)
		if k == 0 {
			return dst, false // a UTF-16 unit cut by the record's end
		}
		for j := range k {
			u := rune(u16(seg[2*j:]))
			switch {
			case utf16.IsSurrogate(u) && u < 0xDC00:
				dst, _ = flushPending(dst, pending)
				pending = u
			case utf16.IsSurrogate(u):
				if pending >= 0 {
					dst = utf8.AppendRune(dst, utf16.DecodeRune(pending, u))
					pending = -1
				} else {
					dst = utf8.AppendRune(dst, utf8.RuneError)
				}
			default:
				dst, pending = flushPending(dst, pending)
				if u < utf8.RuneSelf {
					dst = append(dst, byte(u))
				} else {
					dst = utf8.AppendRune(dst, u)
				}
			}
		}
		s.p += 2 * k
		n -= k
	}
	dst, _ = flushPending(dst, pending)
	return dst, true
}

// flushPending writes a lone high surrogate as the replacement character.
func flushPending(dst []byte, pending rune) ([]byte, rune) {
	if pending >= 0 {
		dst = utf8.AppendRune(dst, utf8.RuneError)
	}
	return dst, -1
}

// decoder turns BIFF5's 8-bit strings into UTF-8 by the workbook's code
// page (the CODEPAGE record; Windows-1252 without one).
type decoder struct{ cm *charmap.Charmap }

// codePages maps the CODEPAGE values of single-byte code pages to their
// charmaps. Excel writes the Windows ANSI code page of the system that
// saved the file; 1200 (UTF-16) is BIFF8's, whose strings say their
// encoding themselves.
var codePages = map[uint16]*charmap.Charmap{
	437: charmap.CodePage437, 850: charmap.CodePage850, 852: charmap.CodePage852,
	866: charmap.CodePage866, 874: charmap.Windows874,
	1250: charmap.Windows1250, 1251: charmap.Windows1251, 1252: charmap.Windows1252,
	1253: charmap.Windows1253, 1254: charmap.Windows1254, 1255: charmap.Windows1255,
	1256: charmap.Windows1256, 1257: charmap.Windows1257, 1258: charmap.Windows1258,
	10000: charmap.Macintosh, 32768: charmap.Macintosh,
	// 367 is US-ASCII, 1200 UTF-16: decoded as Windows-1252, a superset
	// of ASCII (BIFF8 strings do not use the code page).
	367: charmap.Windows1252, 1200: charmap.Windows1252,
}

// append appends b, 8-bit text, to dst as UTF-8.
func (d decoder) append(dst, b []byte) []byte {
	for _, c := range b {
		if c < utf8.RuneSelf {
			dst = append(dst, c)
			continue
		}
		cm := d.cm
		if cm == nil {
			cm = charmap.Windows1252
		}
		dst = utf8.AppendRune(dst, cm.DecodeByte(c))
	}
	return dst
}

// cellText is where a cell record's fields start: row, column, XF.
func cellHead(data []byte) (row, col, xf uint16, ok bool) {
	if len(data) < 6 {
		return 0, 0, 0, false
	}
	return u16(data), u16(data[2:]), u16(data[4:]), true
}

// errorText is the text of an error value ([MS-XLS] 2.5.97 BErr).
func errorText(code byte) string {
	switch code {
	case 0x00:
		return "#NULL!"
	case 0x07:
		return "#DIV/0!"
	case 0x0F:
		return "#VALUE!"
	case 0x17:
		return "#REF!"
	case 0x1D:
		return "#NAME?"
	case 0x24:
		return "#NUM!"
	case 0x2A:
		return "#N/A"
	case 0x2B:
		return "#GETTING_DATA"
	}
	return fmt.Sprintf("#ERR%d!", code)
}
