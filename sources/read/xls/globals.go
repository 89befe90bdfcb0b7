package xls

import (
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// openBook reads the workbook globals substream: from the first BOF to
// its EOF.
func openBook(stream []byte, lim read.Limits) (*book, error) {
	b := &book{stream: stream, lim: lim}
	r := &records{b: stream}
	typ, data, ok, err := r.next()
	if err != nil {
		return nil, err
	}
	switch {
	case !ok:
		return nil, corrupt("the workbook stream is empty")
	case typ == recBOF2 || typ == recBOF3 || typ == recBOF4:
		return nil, read.Reject(jkn.ReasonUnsupportedFormat, "an Excel 2.x–4.0 worksheet (BIFF%d), a format this exporter does not read: open it in Excel or LibreOffice and save it as .xlsx", 2+int(typ>>9))
	case typ != recBOF || len(data) < 4:
		return nil, corrupt("the workbook stream does not start with a BOF record (record %#04x)", typ)
	}
	switch vers, dt := u16(data), u16(data[2:]); {
	case dt != 0x0005:
		return nil, corrupt("the workbook stream starts with a substream of type %#04x, not the workbook globals", dt)
	case vers == 0x0600:
		b.biff = 8
	case vers == 0x0500:
		b.biff = 5
	default:
		return nil, read.Reject(jkn.ReasonUnsupportedFormat, "a BIFF version %#04x workbook, neither Excel 97-2003 (BIFF8) nor Excel 5.0/95 (BIFF5): open it in Excel or LibreOffice and save it as .xlsx", vers)
	}
	var (
		xfFormats []uint16
		formats   = map[uint16]string{}
		sheets    = 0
	)
	for {
		typ, data, ok, err := r.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, corrupt("the workbook globals end without an EOF record")
		}
		switch typ {
		case recEOF:
			b.xfDate = make([]bool, len(xfFormats))
			for i, id := range xfFormats {
				b.xfDate[i] = read.IsDateFormat(int(id), formats[id])
			}
			if err := b.checkSheets(); err != nil {
				return nil, err
			}
			return b, nil
		case recFILEPASS:
			return nil, read.Reject(jkn.ReasonEncrypted, "password-protected: send it without a password")
		case recCODEPAGE:
			if len(data) >= 2 && b.biff == 5 {
				cp := u16(data)
				cm, ok := codePages[cp]
				if !ok {
					return nil, read.Reject(jkn.ReasonUnsupportedFormat, "an Excel 5.0/95 workbook in code page %d, which this exporter does not read: open it in Excel or LibreOffice and save it as .xlsx", cp)
				}
				b.text = decoder{cm}
			}
		case recDATEMODE:
			b.is1904 = len(data) >= 2 && u16(data) == 1
		case recXF:
			if len(data) < 4 {
				return nil, corrupt("an XF record of %d bytes", len(data))
			}
			if len(xfFormats) >= maxXFs {
				return nil, read.TooLarge("more than %d cell formats (XF records)", maxXFs)
			}
			xfFormats = append(xfFormats, u16(data[2:]))
		case recFORMAT:
			id, code, ok := b.format(data)
			if !ok {
				return nil, corrupt("a FORMAT record of %d bytes is cut short", len(data))
			}
			if len(formats) < maxFormats {
				formats[id] = code
			}
		case recBOUNDSHEET:
			if sheets++; sheets > maxSheets {
				return nil, read.TooLarge("the workbook lists more than %d sheets", maxSheets)
			}
			s, err := b.boundSheet(data)
			if err != nil {
				return nil, err
			}
			b.sheets = append(b.sheets, s)
		case recSST:
			if b.sst != nil {
				return nil, corrupt("two shared string tables (SST records)")
			}
			segs, err := r.continued(data)
			if err != nil {
				return nil, err
			}
			if b.sst, err = readSST(segs, lim.SharedStrings()); err != nil {
				return nil, err
			}
		}
	}
}

// format reads a FORMAT record: a number format's index and code, the
// code cut to maxFormatText characters.
func (b *book) format(data []byte) (uint16, string, bool) {
	if len(data) < 3 {
		return 0, "", false
	}
	id := u16(data)
	var text []byte
	if b.biff == 5 {
		n := int(data[2])
		if len(data) < 3+n {
			return 0, "", false
		}
		text = b.text.append(nil, data[3:3+min(n, maxFormatText)])
	} else {
		var ok bool
		if text, ok = unicodeString(data[2:], 2, maxFormatText); !ok {
			return 0, "", false
		}
	}
	return id, string(text), true
}

// boundSheet reads a BOUNDSHEET record: where the sheet's substream
// starts, whether it is hidden, what kind of sheet it is and its name.
func (b *book) boundSheet(data []byte) (sheetMeta, error) {
	if len(data) < 8 {
		return sheetMeta{}, corrupt("a BOUNDSHEET record of %d bytes", len(data))
	}
	pos, state, kind := int64(u32(data)), data[4]&0x03, data[5]
	var name []byte
	if b.biff == 5 {
		n := int(data[6])
		if len(data) < 7+n {
			return sheetMeta{}, corrupt("a BOUNDSHEET record's sheet name is cut short")
		}
		name = b.text.append(nil, data[7:7+n])
	} else {
		var ok bool
		if name, ok = unicodeString(data[6:], 1, maxStringChars); !ok {
			return sheetMeta{}, corrupt("a BOUNDSHEET record's sheet name is cut short")
		}
	}
	// hsState: 0 visible, 1 hidden, 2 very hidden. dt: 0 a worksheet (or
	// a dialog sheet), 1 an Excel 4.0 macro sheet, 2 a chart, 6 a VBA
	// module. A worksheet's own BOF is checked by checkSheets.
	m := sheetMeta{info: read.SheetInfo{Name: string(name), Hidden: state != 0, Data: kind == 0}}
	if pos >= int64(len(b.stream)) && m.info.Data {
		return sheetMeta{}, corrupt("sheet %q: its substream is at byte %d, past the end of the workbook stream (%d bytes)", m.info.Name, pos, len(b.stream))
	}
	m.pos = int(pos)
	return m, nil
}

// checkSheets makes sure that each worksheet's substream starts with the
// BOF of a worksheet; a sheet whose substream is another kind (a chart
// listed as a worksheet) holds no cells. A worksheet whose substream
// cannot be found is damage.
func (b *book) checkSheets() error {
	for i := range b.sheets {
		s := &b.sheets[i]
		if !s.info.Data {
			continue
		}
		r := &records{b: b.stream, pos: s.pos}
		typ, data, ok, err := r.next()
		if err != nil || !ok || typ != recBOF || len(data) < 4 {
			return corrupt("sheet %q: its substream at byte %d of the workbook stream does not start with a BOF record", s.info.Name, s.pos)
		}
		if u16(data[2:]) != 0x0010 {
			s.info.Data = false
		}
	}
	return nil
}

// unicodeString reads a BIFF8 XLUnicodeString (countBytes 2) or
// ShortXLUnicodeString (countBytes 1) from one record's data: a count of
// characters, a flags byte and the characters, at most limit of them
// kept. ok is false when the data is cut short.
func unicodeString(data []byte, countBytes, limit int) ([]byte, bool) {
	if len(data) < countBytes+1 {
		return nil, false
	}
	n := int(data[0])
	if countBytes == 2 {
		n = int(u16(data))
	}
	flags := data[countBytes]
	body := data[countBytes+1:]
	high := flags&1 != 0
	size := n
	if high {
		size *= 2
	}
	if len(body) < size {
		return nil, false
	}
	s := segments{segs: [][]byte{body[:size]}}
	out, ok := s.chars(make([]byte, 0, n), min(n, limit), high)
	return out, ok
}
