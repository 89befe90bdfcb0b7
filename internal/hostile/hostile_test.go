package hostile

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
)

// TestRepeatedPartsUnpack checks that a part compressed by repetition is a
// valid entry: it unpacks to exactly its declared size with a matching
// checksum (archive/zip checks both), and holds what was asked.
func TestRepeatedPartsUnpack(t *testing.T) {
	const rows = 300_000
	data := ManyRows(rows)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		n, err := Discard(teeTo(rc, &b))
		rc.Close()
		if err != nil {
			t.Fatalf("unpacking: %v", err)
		}
		if uint64(n) != zf.UncompressedSize64 {
			t.Fatalf("unpacked %d bytes, declared %d", n, zf.UncompressedSize64)
		}
		if got := strings.Count(b.String(), "<row>"); got != rows+2 {
			t.Fatalf("%d rows, want %d", got, rows+2)
		}
		if ratio := float64(n) / float64(len(data)); ratio < 100 {
			t.Errorf("compression ratio %.0f: not a bomb", ratio)
		}
		return
	}
	t.Fatal("no sheet part")
}

func TestZipBombDeclaresItsSize(t *testing.T) {
	data := ZipBomb(3 << 30)
	if len(data) > 6<<20 {
		t.Errorf("a 3 GiB bomb takes %d bytes", len(data))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var total uint64
	for _, zf := range zr.File {
		total += zf.UncompressedSize64
	}
	if total < 3<<30-1<<20 {
		t.Errorf("unpacks to %d bytes", total)
	}
}

func teeTo(r interface{ Read([]byte) (int, error) }, b *strings.Builder) interface{ Read([]byte) (int, error) } {
	return readerFunc(func(p []byte) (int, error) {
		n, err := r.Read(p)
		b.Write(p[:n])
		return n, err
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
