// Package cfb reads the streams of an OLE compound file (Microsoft's
// Compound File Binary format, [MS-CFB]): the container of an old .xls
// workbook and of a password-protected .xlsx.
//
// It is written for hostile input held in memory: every chain of sectors
// is walked with a mark per sector, so a loop ends in an error after at
// most one pass over the file; counts the header declares (FAT, DIFAT
// and mini FAT sectors) are checked against the sectors the file has
// before anything is read for them; the directory is walked without
// recursion, each entry visited once; and a stream is never larger than
// the file that holds it. It allocates a mark per sector and the chain of
// the directory, never per directory entry, and a stream whose sectors
// follow each other in the file (as writers lay them out) is returned as
// a slice of the file's bytes, not copied.
// (github.com/richardlehane/mscfb, which excelize uses, allocates a
// struct per directory entry of a chain that may span the whole file,
// walks the directory tree recursively and follows the mini stream's
// chain into a slice as long as the file allows.)
package cfb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Magic starts every compound file.
var Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Special sector numbers ([MS-CFB] 2.1).
const (
	maxRegSect = 0xFFFFFFFA
	endOfChain = 0xFFFFFFFE
	freeSect   = 0xFFFFFFFF
	noStream   = 0xFFFFFFFF
)

const (
	headerDifats = 109
	entrySize    = 128
	// miniCutoff: a stream smaller than this lives in the mini stream.
	miniCutoff = 4096
	miniSize   = 64
)

// ErrNotFound is returned by Stream for a name the root storage lacks.
var ErrNotFound = errors.New("no such stream")

// File is an opened compound file.
type File struct {
	data       []byte
	sectorSize int
	// sectors is the number of whole or partial sectors after the header.
	sectors int
	// fat holds the sector numbers of the FAT's sectors, in order.
	fat []uint32
	// dir holds the directory's sectors, in order.
	dir       []uint32
	entries   int
	miniStart uint32 // the mini FAT's first sector
	miniCount uint32 // the mini FAT's sectors, as the header declares
	v4        bool
}

// Open reads the header, the FAT's location and the directory's chain of
// a compound file held whole in data. Errors say what is damaged.
func Open(data []byte) (*File, error) {
	if len(data) < 512 || !bytes.HasPrefix(data, Magic) {
		return nil, errors.New("not an OLE compound file (too short or no signature)")
	}
	le := binary.LittleEndian
	major, shift := le.Uint16(data[26:]), le.Uint16(data[30:])
	f := &File{data: data}
	switch {
	case major == 3 && shift == 9:
		f.sectorSize = 512
	case major == 4 && shift == 12:
		f.sectorSize, f.v4 = 4096, true
	default:
		return nil, fmt.Errorf("compound file version %d with sector shift %d, not 3/9 or 4/12", major, shift)
	}
	if len(data) <= f.sectorSize {
		return nil, errors.New("compound file with a header and no sectors")
	}
	f.sectors = (len(data) - f.sectorSize + f.sectorSize - 1) / f.sectorSize
	numFat, dirStart := le.Uint32(data[44:]), le.Uint32(data[48:])
	f.miniStart, f.miniCount = le.Uint32(data[60:]), le.Uint32(data[64:])
	difatStart, numDifat := le.Uint32(data[68:]), le.Uint32(data[72:])
	// Counts the header declares are bounded by the sectors the file has,
	// before anything is allocated for them.
	if int64(numFat) > int64(f.sectors) || int64(numDifat) > int64(f.sectors) || int64(f.miniCount) > int64(f.sectors) {
		return nil, fmt.Errorf("compound file header declares %d FAT, %d DIFAT and %d mini FAT sectors; the file has %d sectors",
			numFat, numDifat, f.miniCount, f.sectors)
	}
	if err := f.readDifat(int(numFat), difatStart, int(numDifat)); err != nil {
		return nil, err
	}
	dir, err := f.chain(dirStart, -1)
	if err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	if len(dir) == 0 {
		return nil, errors.New("compound file without a directory")
	}
	f.dir, f.entries = dir, len(dir)*f.sectorSize/entrySize
	return f, nil
}

// readDifat collects the FAT's sector numbers: the first 109 in the
// header, the rest in the chain of DIFAT sectors.
func (f *File) readDifat(numFat int, start uint32, numDifat int) error {
	le := binary.LittleEndian
	f.fat = make([]uint32, 0, numFat)
	add := func(sn uint32) error {
		if len(f.fat) == numFat {
			return nil
		}
		if sn > maxRegSect || int64(sn) >= int64(f.sectors) {
			return fmt.Errorf("FAT sector %d of %d is at sector %#x, outside the file's %d sectors", len(f.fat), numFat, sn, f.sectors)
		}
		f.fat = append(f.fat, sn)
		return nil
	}
	for i := range headerDifats {
		if err := add(le.Uint32(f.data[76+4*i:])); err != nil {
			return err
		}
	}
	per := f.sectorSize/4 - 1 // the last entry links to the next DIFAT sector
	seen := newMarks(f.sectors)
	sn := start
	for i := 0; i < numDifat && len(f.fat) < numFat; i++ {
		if err := f.check(sn, seen, "DIFAT"); err != nil {
			return err
		}
		s := f.sector(sn)
		if len(s) < f.sectorSize {
			return fmt.Errorf("DIFAT sector %d is cut short by the end of the file", sn)
		}
		for k := range per {
			if err := add(le.Uint32(s[4*k:])); err != nil {
				return err
			}
		}
		sn = le.Uint32(s[4*per:])
	}
	if len(f.fat) < numFat {
		return fmt.Errorf("the DIFAT lists %d of the %d FAT sectors the header declares", len(f.fat), numFat)
	}
	return nil
}

// check accepts sector sn as the next of a chain: in the file and not yet
// in this chain (seen marks the chain's sectors).
func (f *File) check(sn uint32, seen marks, what string) error {
	if sn > maxRegSect || int64(sn) >= int64(f.sectors) {
		return fmt.Errorf("%s chain reaches sector %#x, outside the file's %d sectors", what, sn, f.sectors)
	}
	if seen.set(int(sn)) {
		return fmt.Errorf("%s chain loops back to sector %d", what, sn)
	}
	return nil
}

// sector returns sector sn's bytes, fewer at the end of a cut file.
func (f *File) sector(sn uint32) []byte {
	off := f.sectorOffset(sn)
	end := min(off+int64(f.sectorSize), int64(len(f.data)))
	return f.data[off:end]
}

// next returns the FAT's entry for sector sn.
func (f *File) next(sn uint32) (uint32, error) {
	per := uint32(f.sectorSize / 4)
	i := sn / per
	if int64(i) >= int64(len(f.fat)) {
		return 0, fmt.Errorf("sector %d has no FAT entry (the FAT covers %d sectors)", sn, len(f.fat)*int(per))
	}
	s := f.sector(f.fat[i])
	k := int(sn%per) * 4
	if k+4 > len(s) {
		return 0, fmt.Errorf("the FAT entry of sector %d is cut short by the end of the file", sn)
	}
	return binary.LittleEndian.Uint32(s[k:]), nil
}

// chain follows the FAT from start to its end, at most most sectors when
// most >= 0, and returns the sectors in order.
func (f *File) chain(start uint32, most int) ([]uint32, error) {
	var out []uint32
	seen := newMarks(f.sectors)
	for sn := start; sn != endOfChain; {
		if most >= 0 && len(out) == most {
			break
		}
		if err := f.check(sn, seen, "sector"); err != nil {
			return nil, err
		}
		out = append(out, sn)
		nx, err := f.next(sn)
		if err != nil {
			return nil, err
		}
		sn = nx
	}
	return out, nil
}

// entry is one directory entry's bytes.
type entry []byte

func (e entry) name() string {
	n := int(binary.LittleEndian.Uint16(e[64:]))
	if n < 2 || n > 64 || n%2 != 0 {
		return ""
	}
	u := make([]uint16, n/2-1)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(e[2*i:])
	}
	return string(utf16.Decode(u))
}

func (e entry) kind() byte    { return e[66] }
func (e entry) left() uint32  { return binary.LittleEndian.Uint32(e[68:]) }
func (e entry) right() uint32 { return binary.LittleEndian.Uint32(e[72:]) }
func (e entry) child() uint32 { return binary.LittleEndian.Uint32(e[76:]) }
func (e entry) start() uint32 { return binary.LittleEndian.Uint32(e[116:]) }
func (e entry) size(v4 bool) uint64 {
	if v4 {
		return binary.LittleEndian.Uint64(e[120:])
	}
	return uint64(binary.LittleEndian.Uint32(e[120:])) // version 3: the high half may be junk
}

// The directory entry kinds.
const (
	kindStream = 2
	kindRoot   = 5
)

func (f *File) entry(i uint32) (entry, error) {
	if int64(i) >= int64(f.entries) {
		return nil, fmt.Errorf("directory entry %d of %d", i, f.entries)
	}
	per := f.sectorSize / entrySize
	s := f.sector(f.dir[int(i)/per])
	k := int(i) % per * entrySize
	if k+entrySize > len(s) {
		return nil, fmt.Errorf("directory entry %d is cut short by the end of the file", i)
	}
	return entry(s[k : k+entrySize]), nil
}

// Names lists the names of the streams and storages directly in the
// root storage, in the directory's tree order.
func (f *File) Names() ([]string, error) {
	var names []string
	err := f.walkRoot(func(e entry) bool { names = append(names, e.name()); return true })
	return names, err
}

// walkRoot calls fn for each entry of the root storage's tree, without
// recursion and each entry at most once; fn returns false to stop.
func (f *File) walkRoot(fn func(entry) bool) error {
	root, err := f.entry(0)
	if err != nil {
		return err
	}
	if root.kind() != kindRoot {
		return fmt.Errorf("directory entry 0 is of kind %d, not the root storage", root.kind())
	}
	seen := newMarks(f.entries)
	stack := []uint32{root.child()}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if i == noStream {
			continue
		}
		if int64(i) >= int64(f.entries) || i == 0 {
			return fmt.Errorf("directory tree refers to entry %#x of %d", i, f.entries)
		}
		if seen.set(int(i)) {
			return fmt.Errorf("directory tree reaches entry %d twice", i)
		}
		e, err := f.entry(i)
		if err != nil {
			return err
		}
		if !fn(e) {
			return nil
		}
		stack = append(stack, e.right(), e.left())
	}
	return nil
}

// Stream returns the stream of the root storage named name (compared as
// [MS-CFB] compares names, case-insensitively), at most most bytes of it:
// a longer stream is an error, as is one larger than the file. The bytes
// may be the file's own: the caller does not change them.
func (f *File) Stream(name string, most int64) ([]byte, error) {
	var found entry
	err := f.walkRoot(func(e entry) bool {
		if e.kind() == kindStream && strings.EqualFold(e.name(), name) {
			found = e
			return false
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if found == nil {
		return nil, ErrNotFound
	}
	size := found.size(f.v4)
	if size > uint64(len(f.data)) {
		return nil, fmt.Errorf("stream %s declares %d bytes, more than the whole file's %d", name, size, len(f.data))
	}
	if int64(size) > most {
		return nil, &TooLargeError{Stream: name, Size: int64(size), Max: most}
	}
	if size < miniCutoff {
		return f.miniStream(found.start(), int(size))
	}
	return f.read(f.data, found.start(), int(size), f.sectorSize, f.sectorOffset, f.chain)
}

// TooLargeError is a stream over the caller's bound.
type TooLargeError struct {
	Stream    string
	Size, Max int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("stream %s holds %d bytes, more than the %d allowed", e.Stream, e.Size, e.Max)
}

// read gathers size bytes from the chain at start, of sectors of ss
// bytes that lie in base at off(sector); a chain whose sectors follow
// one another in base is returned as a slice of it.
func (f *File) read(base []byte, start uint32, size, ss int, off func(uint32) int64, chain func(uint32, int) ([]uint32, error)) ([]byte, error) {
	n := (size + ss - 1) / ss
	secs, err := chain(start, n)
	if err != nil {
		return nil, err
	}
	if len(secs) < n {
		return nil, fmt.Errorf("stream of %d bytes ends after %d of its %d sectors", size, len(secs), n)
	}
	if n == 0 {
		return nil, nil
	}
	contiguous := true
	for i := 1; i < n && contiguous; i++ {
		contiguous = secs[i] == secs[0]+uint32(i)
	}
	if contiguous {
		at := off(secs[0])
		if at+int64(size) > int64(len(base)) {
			return nil, fmt.Errorf("stream of %d bytes is cut short by the end of the file", size)
		}
		return base[at : at+int64(size) : at+int64(size)], nil
	}
	out := make([]byte, 0, size)
	for _, sn := range secs {
		at, want := off(sn), int64(min(ss, size-len(out)))
		if at+want > int64(len(base)) {
			return nil, fmt.Errorf("stream of %d bytes is cut short by the end of the file", size)
		}
		out = append(out, base[at:at+want]...)
	}
	return out, nil
}

// sectorOffset is where sector sn starts in the file.
func (f *File) sectorOffset(sn uint32) int64 { return (int64(sn) + 1) * int64(f.sectorSize) }

// miniStream reads a small stream from the mini stream: the root entry's
// chain, cut in 64-byte mini sectors chained by the mini FAT.
func (f *File) miniStream(start uint32, size int) ([]byte, error) {
	if size == 0 {
		return nil, nil
	}
	root, err := f.entry(0)
	if err != nil {
		return nil, err
	}
	rootSize := root.size(f.v4)
	if rootSize > uint64(len(f.data)) {
		return nil, fmt.Errorf("the mini stream declares %d bytes, more than the whole file's %d", rootSize, len(f.data))
	}
	mini, err := f.read(f.data, root.start(), int(rootSize), f.sectorSize, f.sectorOffset, f.chain)
	if err != nil {
		return nil, fmt.Errorf("mini stream: %w", err)
	}
	miniFat, err := f.chain(f.miniStart, int(f.miniCount))
	if err != nil {
		return nil, fmt.Errorf("mini FAT: %w", err)
	}
	count := len(mini) / miniSize
	nextMini := func(sn uint32) (uint32, error) {
		per := uint32(f.sectorSize / 4)
		i := sn / per
		if int64(i) >= int64(len(miniFat)) {
			return 0, fmt.Errorf("mini sector %d has no mini FAT entry", sn)
		}
		s := f.sector(miniFat[i])
		k := int(sn%per) * 4
		if k+4 > len(s) {
			return 0, fmt.Errorf("the mini FAT entry of mini sector %d is cut short by the end of the file", sn)
		}
		return binary.LittleEndian.Uint32(s[k:]), nil
	}
	chain := func(start uint32, most int) ([]uint32, error) {
		var out []uint32
		seen := newMarks(count)
		for sn := start; sn != endOfChain && len(out) < most; {
			if int64(sn) >= int64(count) {
				return nil, fmt.Errorf("mini stream chain reaches mini sector %#x of %d", sn, count)
			}
			if seen.set(int(sn)) {
				return nil, fmt.Errorf("mini stream chain loops back to mini sector %d", sn)
			}
			out = append(out, sn)
			nx, err := nextMini(sn)
			if err != nil {
				return nil, err
			}
			sn = nx
		}
		return out, nil
	}
	return f.read(mini, start, size, miniSize, func(sn uint32) int64 { return int64(sn) * miniSize }, chain)
}

// marks is a set of small integers, a bit each.
type marks []uint64

func newMarks(n int) marks { return make(marks, (n+63)/64) }

// set marks i and reports whether it was marked already.
func (m marks) set(i int) bool {
	w, b := i/64, uint64(1)<<(i%64)
	was := m[w]&b != 0
	m[w] |= b
	return was
}
