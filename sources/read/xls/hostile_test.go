package xls

import (
	"encoding/binary"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/read/readtest"
)

// longSST is an SST of one string of n ASCII characters, split over
// CONTINUE records as writers split it (each CONTINUE re-sends the flags).
func longSST(n int) []rec {
	head := r(recSST, uint32(1), uint32(1), uint16(n), byte(0), strings.Repeat("x", min(n, 8000)))
	out := []rec{head}
	for left := n - min(n, 8000); left > 0; left -= min(left, 8000) {
		out = append(out, r(recCONTINUE, byte(0), strings.Repeat("x", min(left, 8000))))
	}
	return out
}

// TestHostileRecords: each thing a workbook stream can declare is
// bounded, and the file is rejected saying what is wrong.
func TestHostileRecords(t *testing.T) {
	sheet := func(recs ...rec) sheetDef { return sheetDef{name: "A", recs: recs} }
	for _, tc := range []struct {
		name    string
		lim     read.Limits
		globals []rec
		sheet   sheetDef
		// raw, when set, is the workbook stream instead.
		raw    func() []byte
		reason string
		text   string
	}{
		{name: "encrypted", globals: []rec{r(recFILEPASS, 1, 1, 1)}, sheet: sheet(),
			reason: jkn.ReasonEncrypted, text: "password-protected"},
		{name: "SST over the limit", lim: read.Limits{MaxSharedStrings: 2}, globals: []rec{sstRec("a", "b", "c")},
			sheet: sheet(), reason: jkn.ReasonTooLarge, text: "declares 3 strings, more than limits.max_shared_strings (2)"},
		{name: "SST declaring a billion strings", globals: []rec{r(recSST, uint32(1), uint32(1e9))},
			sheet: sheet(), reason: jkn.ReasonTooLarge, text: "declares 1000000000 strings"},
		{name: "SST declaring more strings than it has", globals: []rec{r(recSST, uint32(1), uint32(900000), u8str("a"))},
			sheet: sheet(), reason: jkn.ReasonCorrupt, text: "declares 900000 strings and ends after 1"},
		{name: "SST phonetic size past the end", globals: []rec{r(recSST, uint32(1), uint32(1), 1, byte(flagExt), uint32(0x7FFFFFFF), "a")},
			sheet: sheet(), reason: jkn.ReasonCorrupt, text: "shared string 0 of 1 is cut short"},
		{name: "SST string longer than the record", globals: []rec{r(recSST, uint32(1), uint32(1), 60000, byte(0), "abc")},
			sheet: sheet(), reason: jkn.ReasonCorrupt, text: "cut short"},
		{name: "shared string index out of range", globals: []rec{sstRec("a")}, sheet: sheet(labelSST(4, 2, 7)),
			reason: jkn.ReasonCorrupt, text: "row 5, column C: shared string 7 of a table of 1"},
		{name: "shared string without a table", sheet: sheet(labelSST(0, 0, 0)),
			reason: jkn.ReasonCorrupt, text: "row 1, column A: shared string 0 of a table of 0"},
		{name: "cell past column IV", sheet: sheet(number(0, 300, 0, 1)),
			reason: jkn.ReasonCorrupt, text: "a cell in column 301, past the sheet's last column IV"},
		{name: "MULRK past column IV", sheet: sheet(r(recMULRK, 0, 250, 0, uint32(2), 0, uint32(2), 0, uint32(2), 0, uint32(2), 0, uint32(2), 0, uint32(2), 0, uint32(2), 256)),
			reason: jkn.ReasonCorrupt, text: "past the sheet's last column IV"},
		{name: "MULRK whose last column disagrees", sheet: sheet(r(recMULRK, 0, 0, 0, uint32(2), 9)),
			reason: jkn.ReasonCorrupt, text: "a MULRK record of columns 1 to 10 with 1 values"},
		{name: "short NUMBER", sheet: sheet(r(recNUMBER, 0, 0, 0, uint16(1))),
			reason: jkn.ReasonCorrupt, text: "row 1, column A: a cell record 0x0203 of 8 bytes is cut short"},
		{name: "MERGECELLS count past its record", sheet: sheet(r(recMERGECELLS, 500, 0, 0, 0, 1)),
			reason: jkn.ReasonCorrupt, text: "MERGECELLS record of 10 bytes is cut short"},
		{name: "merged range past column IV", sheet: sheet(r(recMERGECELLS, 1, 0, 0, 0, 400)),
			reason: jkn.ReasonCorrupt, text: "is not a range of the sheet"},
		{name: "too many rows", lim: read.Limits{MaxRows: 3}, sheet: sheet(number(0, 0, 0, 1), number(1, 0, 0, 1), number(2, 0, 0, 1), number(3, 0, 0, 1)),
			reason: jkn.ReasonTooManyRows, text: "more than 3 rows"},
		{name: "too many rows, unordered", lim: read.Limits{MaxRows: 3}, sheet: sheet(number(3, 0, 0, 1), number(1, 0, 0, 1), number(2, 0, 0, 1), number(0, 0, 0, 1)),
			reason: jkn.ReasonTooManyRows, text: "more than 3 rows"},
		{name: "row text over MaxRowText", globals: longSST(65535), sheet: func() sheetDef {
			var recs []rec
			for c := range 70 {
				recs = append(recs, labelSST(0, c, 0))
			}
			return sheet(recs...)
		}(), reason: jkn.ReasonTooLarge, text: "row 1 holds more than 4194304 bytes of text"},
		{name: "sheet text over MaxSheetText", globals: longSST(65535), sheet: func() sheetDef {
			var recs []rec
			for row := range 130 {
				for c := range 32 {
					recs = append(recs, labelSST(row, c, 0))
				}
			}
			return sheet(recs...)
		}(), reason: jkn.ReasonTooLarge, text: "more than 268435456 bytes of text"},
		{name: "sheet without EOF", raw: func() []byte {
			s := stream(8, nil, sheet(number(0, 0, 0, 1)))
			return s[:len(s)-4]
		}, reason: jkn.ReasonCorrupt, text: "ends without an EOF record"},
		{name: "record cut by the end of the stream", raw: func() []byte {
			s := stream(8, nil, sheet(number(0, 0, 0, 1)))
			binary.LittleEndian.PutUint16(s[len(s)-2:], 40)
			return s
		}, reason: jkn.ReasonCorrupt, text: "declares 40 bytes, 0 remain"},
		{name: "globals without EOF", raw: func() []byte {
			return stream(8, nil)[:20]
		}, reason: jkn.ReasonCorrupt, text: "the workbook globals end without an EOF record"},
		{name: "no BOF", raw: func() []byte { return []byte{0x01, 0x02, 0, 0} },
			reason: jkn.ReasonCorrupt, text: "does not start with a BOF record"},
		{name: "empty stream", raw: func() []byte { return nil }, reason: jkn.ReasonCorrupt, text: "the workbook stream is empty"},
		{name: "no workbook stream", raw: func() []byte { return nil }, reason: jkn.ReasonUnsupportedFormat, text: "without a workbook in it (no Workbook or Book stream)"},
		{name: "BIFF4", raw: func() []byte { return []byte{0x09, 0x04, 6, 0, 0, 0, 0x10, 0, 0, 0} },
			reason: jkn.ReasonUnsupportedFormat, text: "Excel 2.x–4.0 worksheet (BIFF4)"},
		{name: "BIFF7 version", raw: func() []byte {
			s := stream(8, nil)
			binary.LittleEndian.PutUint16(s[4:], 0x0700)
			return s
		}, reason: jkn.ReasonUnsupportedFormat, text: "BIFF version 0x0700"},
		{name: "sheet substream past the stream", raw: func() []byte {
			s := stream(8, nil, sheet())
			// The BOUNDSHEET follows the globals' BOF (20 bytes): its
			// lbPlyPos is its first field.
			binary.LittleEndian.PutUint32(s[20+4:], 0x7FFFFFFF)
			return s
		}, reason: jkn.ReasonCorrupt, text: "past the end of the workbook stream"},
		{name: "sheet substream not at a BOF", raw: func() []byte {
			s := stream(8, nil, sheet())
			binary.LittleEndian.PutUint32(s[20+4:], 4)
			return s
		}, reason: jkn.ReasonCorrupt, text: "does not start with a BOF record"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s []byte
			if tc.raw != nil {
				s = tc.raw()
			} else {
				s = stream(8, tc.globals, tc.sheet)
			}
			data := xlsFile("Workbook", s)
			if tc.name == "no workbook stream" {
				data = xlsFile("Other", []byte("x"))
			}
			b, err := Format().Open(data, tc.lim)
			if err == nil {
				g := readtest.ReadAll(b)
				for _, sg := range g.Sheets {
					if sg.Err != nil {
						err = sg.Err
					}
				}
			}
			wantReject(t, err, tc.reason, tc.text)
		})
	}
}

// TestStreamBound: the workbook stream is bounded by limits.max_unzip_bytes.
func TestStreamBound(t *testing.T) {
	s := stream(8, nil, sheetDef{name: "A", recs: []rec{number(0, 0, 0, 1)}})
	s = append(s, make([]byte, 10000)...) // padding after the last EOF
	_, err := Format().Open(xlsFile("Workbook", s), read.Limits{UnzipSizeLimit: 8192})
	wantReject(t, err, jkn.ReasonTooLarge, "more than limits.max_unzip_bytes (8192)")
}

// TestSniff: compound files with a workbook, damaged ones (for Open to
// reject) and others.
func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want bool
	}{
		{"BIFF8", xlsFile("Workbook", stream(8, nil)), true},
		{"BIFF5", xlsFile("Book", stream(5, nil)), true},
		{"encrypted xlsx", readtest.CFB("EncryptedPackage"), false},
		{"Word document", readtest.CFB("WordDocument"), false},
		{"damaged", readtest.CFB("Workbook")[:600], true},
		{"zip", []byte("PK\x03\x04"), false},
		{"text", []byte("Kabupaten;Penduduk\n"), false},
	} {
		if got := Format().Sniff(tc.data); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
	_, err := Format().Open(readtest.CFB("Workbook")[:600], read.Limits{})
	wantReject(t, err, jkn.ReasonCorrupt, "damaged OLE compound file")
}
