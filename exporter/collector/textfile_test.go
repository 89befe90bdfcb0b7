package collector

import (
	"bytes"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/criteria"
)

// TestTextBinaryRoundTrip: a Text written by WriteBinary reads back as
// the same text, size and gzip form; a damaged or cut file is an error,
// never a Text that would serve wrong bytes.
func TestTextBinaryRoundTrip(t *testing.T) {
	crit, err := criteria.Lookup("uhc_2025")
	if err != nil {
		t.Fatal(err)
	}
	text := (&Renderer{Criteria: crit}).Render(villageView(300)).Text
	text.Compress()
	var b bytes.Buffer
	if err := text.WriteBinary(&b); err != nil {
		t.Fatal(err)
	}
	got, err := ReadText(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), text.Bytes()) || got.Len() != text.Len() || !bytes.Equal(got.gz, text.gz) || got.crc != text.crc {
		t.Fatal("the text read back differs")
	}
	if got.Series() != text.Series() || !got.Compressed() {
		t.Errorf("series %d, want %d; compressed %t", got.Series(), text.Series(), got.Compressed())
	}
	// Cut anywhere, or with a region or tail out of range: an error.
	for _, n := range []int{0, 5, 9, b.Len() / 3, b.Len() / 2, b.Len() - 1} {
		if _, err := ReadText(bytes.NewReader(b.Bytes()[:n]), int64(n)); err == nil {
			t.Errorf("cut at %d of %d: no error", n, b.Len())
		}
	}
	bad := *got
	bad.blocks = append([]block(nil), got.blocks...)
	bad.blocks[0].lines = append([]line{{region: uint32(len(got.labelEnd)), tail: 0}}, got.blocks[0].lines[1:]...)
	var bb bytes.Buffer
	if err := bad.WriteBinary(&bb); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadText(bytes.NewReader(bb.Bytes()), int64(bb.Len())); err == nil {
		t.Error("a region out of range: no error")
	}
	bad.blocks[0].lines = append([]line{{region: 0, tail: uint32(len(got.tails))}}, got.blocks[0].lines[1:]...)
	bb.Reset()
	_ = bad.WriteBinary(&bb)
	if _, err := ReadText(bytes.NewReader(bb.Bytes()), int64(bb.Len())); err == nil {
		t.Error("a tail out of range: no error")
	}
}
