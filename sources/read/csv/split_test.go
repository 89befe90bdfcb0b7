package csv

import (
	"errors"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// TestWasteBound: the bytes read ahead for quoted values that turn out
// not quoted are bounded by the text's size (and one value), whatever the
// text: past them it is rejected.
func TestWasteBound(t *testing.T) {
	s := splitter{text: []byte(strings.Repeat("x", 1000))}
	if err := s.waste(1000+1<<20, 7); err != nil {
		t.Fatalf("at the bound: %v", err)
	}
	err := s.waste(1, 7)
	var fe *jkn.FileError
	if !errors.As(err, &fe) || fe.Reason != jkn.ReasonCorrupt || !strings.Contains(err.Error(), "up to row 7, value after value opens a quote") {
		t.Errorf("past the bound: %v", err)
	}
}

// TestDecodeLimit: a decoded text over the limit is rejected before it is
// held whole.
func TestDecodeLimit(t *testing.T) {
	for _, cs := range []charset{utf8Text, utf16LE, windows1252} {
		// "é;" 400 times: 1200 bytes of UTF-8.
		data := []byte(strings.Repeat("\xe9;", 400))
		switch cs {
		case utf8Text:
			data = []byte(strings.Repeat("é;", 400))
		case utf16LE:
			data = []byte(strings.Repeat("\xe9\x00;\x00", 400))
		}
		if _, err := decode(data, cs, 0, 1000); !errors.Is(err, errTextTooLarge) {
			t.Errorf("%s: %v, want errTextTooLarge", cs, err)
		}
		if out, err := decode(data, cs, 0, 1200); err != nil || len(out) != 1200 {
			t.Errorf("%s: %d bytes, %v", cs, len(out), err)
		}
	}
}
