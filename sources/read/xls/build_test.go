package xls

import (
	"encoding/binary"
	"math"
	"unicode/utf16"

	"github.com/jkn-exporter/jkn_exporter/sources/read/xls/cfb/cfbtest"
)

// A builder of workbook streams record by record, for the cases no
// writer makes: damage, and the records LibreOffice does not write.

type rec struct {
	typ  uint16
	data []byte
}

// r builds a record from its fields in order: uint16, uint32, byte,
// float64 (8 bytes), []byte and string (their bytes as they are).
func r(typ uint16, fields ...any) rec {
	var b []byte
	le := binary.LittleEndian
	for _, f := range fields {
		switch v := f.(type) {
		case int:
			b = le.AppendUint16(b, uint16(v))
		case uint16:
			b = le.AppendUint16(b, v)
		case uint32:
			b = le.AppendUint32(b, v)
		case byte:
			b = append(b, v)
		case float64:
			b = le.AppendUint64(b, math.Float64bits(v))
		case []byte:
			b = append(b, v...)
		case string:
			b = append(b, v...)
		default:
			panic("r: a field of an unknown type")
		}
	}
	return rec{typ, b}
}

// u8str is a BIFF8 XLUnicodeString: compressed when every character
// fits a byte, else UTF-16.
func u8str(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := binary.LittleEndian.AppendUint16(nil, uint16(len(u)))
	high := false
	for _, c := range u {
		high = high || c > 0xFF
	}
	if !high {
		b = append(b, 0)
		for _, c := range u {
			b = append(b, byte(c))
		}
		return b
	}
	b = append(b, 1)
	for _, c := range u {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// sheetDef is one sheet of a built workbook.
type sheetDef struct {
	name  string
	state byte   // 0 visible, 1 hidden, 2 very hidden
	kind  byte   // BOUNDSHEET dt: 0 worksheet, 2 chart
	bofDT uint16 // the substream's BOF type, 0x0010 when 0
	recs  []rec
}

// stream builds a workbook stream: the globals' BOF, globals, one
// BOUNDSHEET per sheet, EOF, then each sheet's substream.
func stream(biff int, globals []rec, sheets ...sheetDef) []byte {
	le := binary.LittleEndian
	vers := uint16(0x0600)
	if biff == 5 {
		vers = 0x0500
	}
	bof := func(dt uint16) rec {
		if biff == 5 {
			return r(recBOF, vers, dt, uint16(0x0DBB), uint16(0x07CC))
		}
		return r(recBOF, vers, dt, uint16(0x0DBB), uint16(0x07CC), uint32(0), uint32(6))
	}
	put := func(b []byte, x rec) []byte {
		b = le.AppendUint16(b, x.typ)
		b = le.AppendUint16(b, uint16(len(x.data)))
		return append(b, x.data...)
	}
	var head []byte
	head = put(head, bof(0x0005))
	for _, g := range globals {
		head = put(head, g)
	}
	var bounds []rec
	for _, s := range sheets {
		name := u8str(s.name)[1:] // ShortXLUnicodeString: an 8-bit count
		name[0] = byte(len([]rune(s.name)))
		if biff == 5 {
			name = append([]byte{byte(len(s.name))}, s.name...)
		}
		bounds = append(bounds, r(recBOUNDSHEET, uint32(0), s.state, s.kind, name))
	}
	size := len(head) + 4
	for _, b := range bounds {
		size += 4 + len(b.data)
	}
	var body []byte
	for i, s := range sheets {
		le.PutUint32(bounds[i].data, uint32(size+len(body)))
		dt := s.bofDT
		if dt == 0 {
			dt = 0x0010
		}
		body = put(body, bof(dt))
		for _, x := range s.recs {
			body = put(body, x)
		}
		body = put(body, r(recEOF))
	}
	out := head
	for _, b := range bounds {
		out = put(out, b)
	}
	out = put(out, r(recEOF))
	return append(out, body...)
}

// xlsFile wraps a workbook stream in a compound file, as BIFF8's
// Workbook or BIFF5's Book stream.
func xlsFile(name string, stream []byte) []byte {
	return cfbtest.Build(cfbtest.Stream{Name: name, Data: stream}).Bytes
}

// Cell records.
func number(row, col, xf int, v float64) rec { return r(recNUMBER, row, col, xf, v) }
func rkRec(row, col, xf int, v uint32) rec   { return r(recRK, row, col, xf, v) }
func labelSST(row, col, i int) rec           { return r(recLABELSST, row, col, 0, uint32(i)) }
func label(row, col int, s string) rec       { return r(recLABEL, row, col, 0, u8str(s)) }
func blank(row, col int) rec                 { return r(recBLANK, row, col, 0) }

// sstRec builds an SST record of strings, in one record.
func sstRec(strs ...string) rec {
	var b []byte
	for _, s := range strs {
		b = append(b, u8str(s)...)
	}
	return r(recSST, uint32(len(strs)), uint32(len(strs)), b)
}

// formulaRec is a FORMULA record with a cached value of 8 bytes and no
// tokens.
func formulaRec(row, col, xf int, value []byte) rec {
	return r(recFORMULA, row, col, xf, value, uint16(0), uint32(0), uint16(0))
}

// Cached formula values.
func special(typ, v byte) []byte { return []byte{typ, 0, v, 0, 0, 0, 0xFF, 0xFF} }
func double(v float64) []byte {
	return binary.LittleEndian.AppendUint64(nil, math.Float64bits(v))
}

// biff5Book is a small Excel 5.0/95 workbook in code page 1252, for the
// LibreOffice oracle (LibreOffice 7.4 reads BIFF5 but no longer writes
// it): 8-bit labels, numbers of each form, a date, a formula with a
// string result, a hidden column and a hidden sheet.
func biff5Book() []byte {
	label5 := func(row, col int, b string) rec { return r(recLABEL, row, col, 15, uint16(len(b)), b) }
	globals := []rec{r(recCODEPAGE, 1252), r(recFORMAT, 164, byte(10), "dd/mm/yyyy")}
	for range 15 { // the style XFs, then the cell XFs 15 (General) and 16 (a date)
		globals = append(globals, r(recXF, 0, 0, uint16(0xFFF5), make([]byte, 10)))
	}
	globals = append(globals, r(recXF, 0, 0, uint16(0x0001), make([]byte, 10)), r(recXF, 0, 164, uint16(0x0001), make([]byte, 10)))
	data := sheetDef{name: "Rekap \xe9", recs: []rec{
		r(recDIMENSIONS, 0, 5, 0, 4, 0),
		r(recCOLINFO, 2, 2, 0x0900, 15, 1, 0),
		label5(0, 0, "Kecamatan"), label5(0, 1, "Penduduk"), label5(0, 2, "Kode"), label5(0, 3, "Per"),
		label5(1, 0, "Pe\xf1asco Caf\xe9 \x80"), rkRec(1, 1, 15, 41233<<2|2), label5(1, 2, "35.15.01"), rkRec(1, 3, 16, 45808<<2|2),
		label5(2, 0, "Betung"), number(2, 1, 15, 61872.5), r(recBOOLERR, 2, 2, 15, byte(1), byte(0)),
		// ="abcd": a ptgStr token of a BIFF5 string (8-bit count).
		r(recFORMULA, 3, 0, 15, special(0, 0), uint16(0), uint32(0), uint16(6), byte(0x17), byte(4), "abcd"), r(recSTRING, uint16(4), "abcd"),
		rkRec(3, 1, 15, 9763<<2|3),
	}}
	return xlsFile("Book", stream(5, globals, data, sheetDef{name: "Catatan", state: 1, recs: []rec{label5(0, 0, "x")}}))
}
