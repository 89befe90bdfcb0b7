// Package cfbtest builds OLE compound files (version 3, 512-byte
// sectors) for tests: streams of any size, those under 4096 bytes in the
// mini stream as writers lay them out, and the offsets of the structures
// a test damages.
package cfbtest

import (
	"encoding/binary"
	"unicode/utf16"
)

const (
	sector     = 512
	freeSect   = 0xFFFFFFFF
	endOfChain = 0xFFFFFFFE
	fatSect    = 0xFFFFFFFD
	noStream   = 0xFFFFFFFF
	miniCutoff = 4096
	mini       = 64
)

// Stream is one stream of the root storage.
type Stream struct {
	Name string
	Data []byte
}

// File is a built compound file and where its parts are.
type File struct {
	Bytes []byte
	// FATSector is the sector of the (first) FAT; DirSector the
	// directory's first sector; Starts the first sector of each stream
	// (a mini sector for a stream in the mini stream).
	FATSector, DirSector int
	Starts               []int
}

// Offset returns the offset of sector sn in the file.
func Offset(sn int) int { return (sn + 1) * sector }

// FATEntry returns the offset of sector sn's FAT entry (the FAT is one
// sector of 128 entries or more, laid out from sector 0).
func (f *File) FATEntry(sn int) int { return Offset(sn/128) + 4*(sn%128) }

// DirEntry returns the offset of directory entry i (entry 0 is the root,
// entry i+1 stream i).
func (f *File) DirEntry(i int) int { return Offset(f.DirSector+i/4) + 128*(i%4) }

// Build lays out a compound file of the streams in the root storage,
// siblings chained to the right.
func Build(streams ...Stream) *File {
	le := binary.LittleEndian
	var miniData []byte
	var miniFat []uint32
	type placed struct{ start, size int }
	places := make([]placed, len(streams))
	for i, s := range streams {
		if len(s.Data) >= miniCutoff || len(s.Data) == 0 {
			continue
		}
		start := len(miniData) / mini
		n := (len(s.Data) + mini - 1) / mini
		for k := range n {
			next := uint32(start + k + 1)
			if k == n-1 {
				next = endOfChain
			}
			miniFat = append(miniFat, next)
		}
		miniData = append(miniData, s.Data...)
		miniData = append(miniData, make([]byte, n*mini-len(s.Data))...)
		places[i] = placed{start, len(s.Data)}
	}
	count := func(n int) int { return (n + sector - 1) / sector }
	dirSectors := count((len(streams) + 1) * 128)
	miniFatSectors := count(len(miniFat) * 4)
	miniSectors := count(len(miniData))
	data := 0
	for _, s := range streams {
		if len(s.Data) >= miniCutoff {
			data += count(len(s.Data))
		}
	}
	others := dirSectors + miniFatSectors + miniSectors + data
	// The FAT (and beyond 109 FAT sectors the DIFAT sectors that list
	// them) comes first.
	fatSectors, difatSectors := 1, 0
	for {
		difatSectors = max(0, (fatSectors-109+126)/127)
		if fatSectors*128 >= fatSectors+difatSectors+others {
			break
		}
		fatSectors++
	}
	total := fatSectors + difatSectors + others
	fat := make([]uint32, fatSectors*128)
	for i := range fat {
		fat[i] = freeSect
	}
	for i := range fatSectors {
		fat[i] = fatSect
	}
	for i := range difatSectors {
		fat[fatSectors+i] = 0xFFFFFFFC
	}
	next := fatSectors + difatSectors
	chain := func(n int) int {
		start := next
		for k := range n {
			fat[start+k] = uint32(start + k + 1)
			if k == n-1 {
				fat[start+k] = endOfChain
			}
		}
		next += n
		return start
	}
	dirStart := chain(dirSectors)
	miniFatStart, miniStart := uint32(endOfChain), uint32(endOfChain)
	if miniFatSectors > 0 {
		miniFatStart = uint32(chain(miniFatSectors))
		miniStart = uint32(chain(miniSectors))
	}
	body := make([]byte, (1+total)*sector)
	for i, s := range streams {
		if len(s.Data) < miniCutoff {
			continue
		}
		start := chain(count(len(s.Data)))
		copy(body[Offset(start):], s.Data)
		places[i] = placed{start, len(s.Data)}
	}
	h := body[:sector]
	copy(h, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	le.PutUint16(h[24:], 0x003E)
	le.PutUint16(h[26:], 3)
	le.PutUint16(h[28:], 0xFFFE)
	le.PutUint16(h[30:], 9)
	le.PutUint16(h[32:], 6)
	le.PutUint32(h[44:], uint32(fatSectors))
	le.PutUint32(h[48:], uint32(dirStart))
	le.PutUint32(h[56:], miniCutoff)
	le.PutUint32(h[60:], miniFatStart)
	le.PutUint32(h[64:], uint32(miniFatSectors))
	le.PutUint32(h[68:], endOfChain)
	for i := 76; i < sector; i += 4 {
		le.PutUint32(h[i:], freeSect)
	}
	for i := range min(fatSectors, 109) {
		le.PutUint32(h[76+4*i:], uint32(i))
	}
	if difatSectors > 0 {
		le.PutUint32(h[68:], uint32(fatSectors))
		le.PutUint32(h[72:], uint32(difatSectors))
		for d := range difatSectors {
			sec := body[Offset(fatSectors+d):Offset(fatSectors+d+1)]
			for k := range 127 {
				v := uint32(freeSect)
				if i := 109 + d*127 + k; i < fatSectors {
					v = uint32(i)
				}
				le.PutUint32(sec[4*k:], v)
			}
			link := uint32(endOfChain)
			if d+1 < difatSectors {
				link = uint32(fatSectors + d + 1)
			}
			le.PutUint32(sec[508:], link)
		}
	}
	for i, v := range fat {
		le.PutUint32(body[Offset(0)+4*i:], v)
	}
	if miniFatSectors > 0 {
		for i := range miniFatSectors * 128 {
			v := uint32(freeSect)
			if i < len(miniFat) {
				v = miniFat[i]
			}
			le.PutUint32(body[Offset(int(miniFatStart))+4*i:], v)
		}
		copy(body[Offset(int(miniStart)):], miniData)
	}
	f := &File{Bytes: body, FATSector: 0, DirSector: dirStart}
	dir := body[Offset(dirStart):]
	entry := func(i int, name string, kind byte, child, right uint32, start uint32, size int) {
		e := dir[i*128 : (i+1)*128]
		u := utf16.Encode([]rune(name))
		for k, c := range u {
			le.PutUint16(e[2*k:], c)
		}
		le.PutUint16(e[64:], uint16(2*(len(u)+1)))
		e[66], e[67] = kind, 1
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], right)
		le.PutUint32(e[76:], child)
		le.PutUint32(e[116:], start)
		le.PutUint32(e[120:], uint32(size))
	}
	child := uint32(noStream)
	if len(streams) > 0 {
		child = 1
	}
	entry(0, "Root Entry", 5, child, noStream, miniStart, len(miniData))
	for i, s := range streams {
		right := uint32(noStream)
		if i+1 < len(streams) {
			right = uint32(i + 2)
		}
		start := uint32(places[i].start)
		if len(s.Data) == 0 {
			start = endOfChain
		}
		entry(i+1, s.Name, 2, noStream, right, start, len(s.Data))
		f.Starts = append(f.Starts, places[i].start)
	}
	for i := len(streams) + 1; i < dirSectors*4; i++ {
		e := dir[i*128 : (i+1)*128]
		le.PutUint32(e[68:], noStream)
		le.PutUint32(e[72:], noStream)
		le.PutUint32(e[76:], noStream)
	}
	return f
}
