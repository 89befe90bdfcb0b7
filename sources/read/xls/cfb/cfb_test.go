package cfb_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/sources/read/xls/cfb"
	"github.com/jkn-exporter/jkn_exporter/sources/read/xls/cfb/cfbtest"
)

func fill(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = seed + byte(i*7)
	}
	return b
}

// TestStreams: streams in sectors and in the mini stream read back whole.
func TestStreams(t *testing.T) {
	big, small, other := fill(20000, 1), fill(1000, 2), fill(4096, 3)
	f := cfbtest.Build(cfbtest.Stream{Name: "Workbook", Data: big}, cfbtest.Stream{Name: "SummaryInformation", Data: small},
		cfbtest.Stream{Name: "Other", Data: other}, cfbtest.Stream{Name: "Empty"})
	c, err := cfb.Open(f.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	names, err := c.Names()
	if err != nil || strings.Join(names, ",") != "Workbook,SummaryInformation,Other,Empty" {
		t.Errorf("names %q, %v", names, err)
	}
	for name, want := range map[string][]byte{"workbook": big, "SummaryInformation": small, "Other": other, "Empty": nil} {
		got, err := c.Stream(name, 1<<20)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes, %v; want %d", name, len(got), err, len(want))
		}
	}
	if _, err := c.Stream("Book", 1<<20); !errors.Is(err, cfb.ErrNotFound) {
		t.Errorf("missing stream: %v", err)
	}
	var tl *cfb.TooLargeError
	if _, err := c.Stream("Workbook", 10000); !errors.As(err, &tl) || tl.Size != 20000 {
		t.Errorf("over the bound: %v", err)
	}
}

// TestScattered: a stream whose sectors are not in order is gathered.
func TestScattered(t *testing.T) {
	data := fill(3*512, 5)
	f := cfbtest.Build(cfbtest.Stream{Name: "A", Data: fill(4096, 9)}, cfbtest.Stream{Name: "Workbook", Data: append(data, fill(4096, 6)...)})
	// Swap the order of the Workbook's first two sectors in its chain:
	// start -> s+1 -> s -> s+2.
	s := f.Starts[1]
	b := f.Bytes
	le := binary.LittleEndian
	le.PutUint32(b[f.DirEntry(2)+116:], uint32(s+1))
	le.PutUint32(b[f.FATEntry(s+1):], uint32(s))
	le.PutUint32(b[f.FATEntry(s):], uint32(s+2))
	c, err := cfb.Open(b)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Stream("Workbook", 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := append(append(append([]byte{}, b[cfbtest.Offset(s+1):cfbtest.Offset(s+2)]...), b[cfbtest.Offset(s):cfbtest.Offset(s+1)]...), b[cfbtest.Offset(s+2):cfbtest.Offset(s)+len(data)+4096]...)
	if !bytes.Equal(got, want) {
		t.Errorf("scattered stream read wrong (%d bytes)", len(got))
	}
}

// TestHostile: each damage a compound file can declare ends in an error
// naming it, at once, whatever the file claims.
func TestHostile(t *testing.T) {
	le := binary.LittleEndian
	build := func() *cfbtest.File {
		return cfbtest.Build(cfbtest.Stream{Name: "Workbook", Data: fill(8192, 1)}, cfbtest.Stream{Name: "Small", Data: fill(300, 2)})
	}
	for _, tc := range []struct {
		name   string
		damage func(f *cfbtest.File)
		stream string
		want   string
	}{
		{"FAT loop in a stream", func(f *cfbtest.File) {
			s := f.Starts[0]
			le.PutUint32(f.Bytes[f.FATEntry(s+3):], uint32(s))
		}, "Workbook", "loops back to sector"},
		{"FAT self-loop", func(f *cfbtest.File) {
			s := f.Starts[0]
			le.PutUint32(f.Bytes[f.FATEntry(s):], uint32(s))
		}, "Workbook", "loops back to sector"},
		{"chain out of the file", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[f.FATEntry(f.Starts[0]+1):], 0x7FFFFFF0)
		}, "Workbook", "outside the file's"},
		{"stream claims 4 GB", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[f.DirEntry(1)+120:], 0xFFFFFFF0)
		}, "Workbook", "more than the whole file's"},
		{"stream ends early", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[f.FATEntry(f.Starts[0]+1):], 0xFFFFFFFE)
		}, "Workbook", "ends after 2 of its 16 sectors"},
		{"directory cycle", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[f.DirEntry(2)+72:], 1) // Small's right sibling: Workbook again
		}, "Nothing", "reaches entry 1 twice"},
		{"directory points at the root", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[f.DirEntry(2)+68:], 0)
		}, "Nothing", "refers to entry 0x0"},
		{"directory entry out of range", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[f.DirEntry(0)+76:], 0x10000)
		}, "Workbook", "refers to entry 0x10000"},
		{"directory chain loop", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[f.FATEntry(f.DirSector):], uint32(f.DirSector))
		}, "", "directory: sector chain loops back"},
		{"header declares a huge FAT", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[44:], 0x00FFFFFF)
		}, "", "declares 16777215 FAT"},
		{"header declares many DIFAT sectors", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[72:], 0x7FFFFFFF)
		}, "", "2147483647 DIFAT"},
		{"DIFAT lists a FAT sector out of the file", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[76:], 0x00100000)
		}, "", "FAT sector 0 of 1 is at sector 0x100000"},
		{"DIFAT chain loop", func(f *cfbtest.File) {
			// Two FAT sectors declared, the second to come from a DIFAT
			// sector that links to itself and lists only free sectors.
			le.PutUint32(f.Bytes[44:], 2)
			le.PutUint32(f.Bytes[68:], 1)
			le.PutUint32(f.Bytes[72:], 2)
			d := f.Bytes[cfbtest.Offset(1):cfbtest.Offset(2)]
			for i := 0; i < 512; i += 4 {
				le.PutUint32(d[i:], 0xFFFFFFFF)
			}
			le.PutUint32(d[508:], 1)
		}, "", "FAT sector 1 of 2 is at sector 0xffffffff"},
		{"mini stream chain loop", func(f *cfbtest.File) {
			// Small's mini sectors 0 -> 1 -> ... ; make 2 point back at 0.
			mf := miniFat(f)
			le.PutUint32(f.Bytes[mf+4*2:], 0)
		}, "Small", "mini stream chain loops back"},
		{"mini stream claims more than the file", func(f *cfbtest.File) {
			le.PutUint32(f.Bytes[f.DirEntry(0)+120:], 0x7FFFFFFF)
		}, "Small", "the mini stream declares"},
		{"file cut in a stream", func(f *cfbtest.File) {
			f.Bytes = f.Bytes[:len(f.Bytes)-1000]
		}, "Workbook", "outside the file's"},
		{"version 5", func(f *cfbtest.File) {
			le.PutUint16(f.Bytes[26:], 5)
		}, "", "compound file version 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := build()
			tc.damage(f)
			c, err := cfb.Open(f.Bytes)
			if err == nil {
				if tc.stream == "" {
					t.Fatal("opened")
				}
				_, err = c.Stream(tc.stream, 1<<30)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v, want an error with %q", err, tc.want)
			}
		})
	}
}

// miniFat returns the offset of the mini FAT's first sector.
func miniFat(f *cfbtest.File) int {
	return cfbtest.Offset(int(binary.LittleEndian.Uint32(f.Bytes[60:])))
}

// TestLongChains: a 64 MiB file whose every sector chains to the next,
// as the directory and as a stream: read in one pass, the stream bounded
// by the caller, not copied.
func TestLongChains(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB")
	}
	const size = 64 << 20
	f := cfbtest.Build(cfbtest.Stream{Name: "Workbook", Data: make([]byte, size)})
	c, err := cfb.Open(f.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stream("Workbook", 1<<20); err == nil {
		t.Error("a 64 MiB stream under a 1 MiB bound")
	}
	got, err := c.Stream("Workbook", size)
	if err != nil || len(got) != size {
		t.Fatalf("%d, %v", len(got), err)
	}
	if &got[0] != &f.Bytes[cfbtest.Offset(f.Starts[0])] {
		t.Error("a contiguous stream was copied")
	}
	// The directory's chain made to run through every sector of the
	// stream: read as directory entries, no struct per entry.
	le := binary.LittleEndian
	s := f.Starts[0]
	le.PutUint32(f.Bytes[f.FATEntry(f.DirSector):], uint32(s))
	if _, err := cfb.Open(f.Bytes); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(1, func() { _, _ = cfb.Open(f.Bytes) })
	if allocs > 64 {
		t.Errorf("%v allocations to open a file with a directory of 131,000 sectors", allocs)
	}
}
