// Package hostile builds the hostile and oversized workbooks the
// reliability tests feed the exporter (RELIABILITY.md): zip bombs, sheets of
// a million rows, huge shared-string tables, 32,767-character cells,
// thousands of merged ranges, hundreds of sheets, large files, and text
// that is hostile to the exposition and the status page. They are built in
// memory when a test runs and never committed: a bomb of gigabytes is a
// few megabytes here, because repeated content is compressed once and its
// compressed form repeated (see addRepeated).
package hostile

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	nsRels = `xmlns="http://schemas.openxmlformats.org/package/2006/relationships"`
	relDoc = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
	// SheetHead and SheetTail wrap the rows of a worksheet part.
	SheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ` + nsMain + `><sheetData>`
	// SheetTail closes what SheetHead opens.
	SheetTail = `</sheetData></worksheet>`
)

// Part is one zip entry of a package. A part with Count > 0 holds Head,
// then Unit Count times, then Tail, and is compressed by repetition.
type Part struct {
	Name       string
	Data       []byte
	Head, Unit []byte
	Tail       []byte
	Count      int64
	// Store keeps the part uncompressed (for incompressible data).
	Store bool
}

// Sheet is a worksheet of a Package: its name, its part (Name is set by
// Package) and whether it is hidden.
type Sheet struct {
	Name   string
	Part   Part
	Hidden bool
}

// Package builds a workbook of sheets, with optional shared strings
// (sst.Name is set) and any extra parts (styles, media, ...).
func Package(sheets []Sheet, sst *Part, extra ...Part) []byte {
	var wb, rels, types strings.Builder
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook ` + nsMain + `><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships ` + nsRels + `>`)
	types.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`)
	parts := []Part{}
	for i, s := range sheets {
		id := fmt.Sprintf("rId%d", i+1)
		state := ""
		if s.Hidden {
			state = ` state="hidden"`
		}
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d"%s r:id="%s"/>`, escape(s.Name), i+1, state, id)
		fmt.Fprintf(&rels, `<Relationship Id="%s" Type="%sworksheet" Target="worksheets/sheet%d.xml"/>`, id, relDoc, i+1)
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		p := s.Part
		p.Name = fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		parts = append(parts, p)
	}
	if sst != nil {
		fmt.Fprintf(&rels, `<Relationship Id="rIdS" Type="%ssharedStrings" Target="sharedStrings.xml"/>`, relDoc)
		types.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		p := *sst
		p.Name = "xl/sharedStrings.xml"
		parts = append(parts, p)
	}
	for _, e := range extra {
		if e.Name == "xl/styles.xml" {
			fmt.Fprintf(&rels, `<Relationship Id="rIdY" Type="%sstyles" Target="styles.xml"/>`, relDoc)
		}
	}
	wb.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	types.WriteString(`</Types>`)
	all := append([]Part{
		{Name: "[Content_Types].xml", Data: []byte(types.String())},
		{Name: "_rels/.rels", Data: []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships ` + nsRels + `>` +
			`<Relationship Id="rId1" Type="` + relDoc + `officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{Name: "xl/workbook.xml", Data: []byte(wb.String())},
		{Name: "xl/_rels/workbook.xml.rels", Data: []byte(rels.String())},
	}, parts...)
	all = append(all, extra...)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range all {
		if err := addPart(zw, p); err != nil {
			panic(fmt.Sprintf("hostile: writing %s: %v", p.Name, err)) // in-memory writes do not fail
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func addPart(zw *zip.Writer, p Part) error {
	if p.Count > 0 {
		return addRepeated(zw, p)
	}
	method := zip.Deflate
	if p.Store {
		method = zip.Store
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: p.Name, Method: method})
	if err != nil {
		return err
	}
	_, err = w.Write(p.Data)
	return err
}

// addRepeated writes Head + Unit×Count + Tail without compressing it all:
// a run of whole units of at least 64 KiB is compressed once after Head
// (segment a) and once more (segment b, whose back-references see only
// units, as every later copy of it does), then the rest (segment c). The
// entry is a + b×(runs-1) + c, a valid deflate stream with honest sizes and
// checksum: a 4 GiB part costs about 4 MB and a second of checksumming.
func addRepeated(zw *zip.Writer, p Part) error {
	k := int64(max(1, (64<<10+len(p.Unit)-1)/len(p.Unit)))
	if p.Count < 2*k {
		data := append(append(append([]byte{}, p.Head...), bytes.Repeat(p.Unit, int(p.Count))...), p.Tail...)
		return addPart(zw, Part{Name: p.Name, Data: data})
	}
	run := bytes.Repeat(p.Unit, int(k))
	runs, rest := p.Count/k, p.Count%k
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return err
	}
	segment := func(data ...[]byte) ([]byte, error) {
		buf.Reset()
		for _, d := range data {
			if _, err := fw.Write(d); err != nil {
				return nil, err
			}
		}
		if err := fw.Flush(); err != nil {
			return nil, err
		}
		return bytes.Clone(buf.Bytes()), nil
	}
	a, err := segment(p.Head, run)
	if err != nil {
		return err
	}
	b, err := segment(run)
	if err != nil {
		return err
	}
	buf.Reset()
	if _, err := fw.Write(append(bytes.Repeat(p.Unit, int(rest)), p.Tail...)); err != nil {
		return err
	}
	if err := fw.Close(); err != nil {
		return err
	}
	c := bytes.Clone(buf.Bytes())

	crc := crc32.Update(0, crc32.IEEETable, p.Head)
	for range runs {
		crc = crc32.Update(crc, crc32.IEEETable, run)
	}
	crc = crc32.Update(crc, crc32.IEEETable, bytes.Repeat(p.Unit, int(rest)))
	crc = crc32.Update(crc, crc32.IEEETable, p.Tail)
	size := int64(len(p.Head)) + p.Count*int64(len(p.Unit)) + int64(len(p.Tail))
	w, err := zw.CreateRaw(&zip.FileHeader{Name: p.Name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(a) + len(b)*int(runs-1) + len(c)), UncompressedSize64: uint64(size)})
	if err != nil {
		return err
	}
	if _, err := w.Write(a); err != nil {
		return err
	}
	for range runs - 1 {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	_, err = w.Write(c)
	return err
}

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func escape(s string) string { return escaper.Replace(s) }

// Cell writes one cell: a number as a numeric cell, anything else as an
// inline string.
func Cell(v string) string {
	if _, err := strconv.ParseFloat(v, 64); err == nil && v != "" {
		return "<c><v>" + v + "</v></c>"
	}
	if v == "" {
		return "<c/>"
	}
	return `<c t="inlineStr"><is><t xml:space="preserve">` + escape(v) + `</t></is></c>`
}

// Row writes one row of cells without references (rows and cells then
// follow each other).
func Row(values ...string) string {
	var b strings.Builder
	b.WriteString("<row>")
	for _, v := range values {
		b.WriteString(Cell(v))
	}
	b.WriteString("</row>")
	return b.String()
}

// Header is the header row of the tables here.
var Header = []string{"Kode", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta"}

// GoodRows are real regencies with their seed figures (as of 1 Mei 2025
// in every table here): the hostile workbooks that can be read carry
// them, so that reading one changes nothing a test serves.
func GoodRows() [][]string {
	return [][]string{
		{"16.07", "Kab. Banyuasin", "837062", "817221"},
		{"16.71", "Kota Palembang", "1801367", "1787156"},
	}
}

// TableSheet is a sheet holding a title with the as-of date, the header
// and rows of code, name, population and participants.
func TableSheet(asOf string, rows ...[]string) Part {
	var b strings.Builder
	b.WriteString(SheetHead)
	b.WriteString(Row("Posisi Data : " + asOf))
	b.WriteString(Row(Header...))
	for _, r := range rows {
		b.WriteString(Row(r...))
	}
	b.WriteString(SheetTail)
	return Part{Data: []byte(b.String())}
}

// Table is a one-sheet workbook of TableSheet.
func Table(asOf string, rows ...[]string) []byte {
	return Package([]Sheet{{Name: "Rekap", Part: TableSheet(asOf, rows...)}}, nil)
}

// SheetPackage is a one-sheet workbook ("Data") around the XML of its
// rows (the content of <sheetData>), merged ranges (<mergeCell>
// elements), columns (<col> elements) and shared strings (<si>
// elements): for the tests of what a reader makes of sheet XML.
func SheetPackage(rows, shared, merges, cols string) []byte {
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	sheet := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet ` + ns + `>`
	if cols != "" {
		sheet += "<cols>" + cols + "</cols>"
	}
	sheet += "<sheetData>" + rows + "</sheetData>"
	if merges != "" {
		sheet += "<mergeCells>" + merges + "</mergeCells>"
	}
	sheet += "</worksheet>"
	sst := `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + shared + `</sst>`
	return Package([]Sheet{{Name: "Data", Part: Part{Data: []byte(sheet)}}}, &Part{Data: []byte(sst)})
}

// Rewrite returns a copy of a zip archive with the entry name edited; it
// panics when the archive cannot be read or has no such entry (test data
// built in memory).
func Rewrite(data []byte, name string, edit func(string) string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		panic(fmt.Sprintf("hostile: %v", err))
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	found := false
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			panic(fmt.Sprintf("hostile: %v", err))
		}
		content, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			panic(fmt.Sprintf("hostile: %v", err))
		}
		if zf.Name == name {
			content, found = []byte(edit(string(content))), true
		}
		if err := addPart(zw, Part{Name: zf.Name, Data: content}); err != nil {
			panic(fmt.Sprintf("hostile: writing %s: %v", zf.Name, err))
		}
	}
	if !found {
		panic("hostile: no " + name + " in the archive")
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// ZipBomb is a workbook of a few megabytes whose sheet unpacks to
// unpacked bytes of rows.
func ZipBomb(unpacked int64) []byte {
	// Long runs of one byte compress best (about 1000:1 in deflate).
	unit := []byte(Row("Kab. Bom"+strings.Repeat(" ", 4000), "1000", "900"))
	head := []byte(SheetHead + Row(Header...))
	n := (unpacked - int64(len(head)) - int64(len(SheetTail))) / int64(len(unit))
	return Package([]Sheet{{Name: "Bom", Part: Part{Head: head, Unit: unit, Tail: []byte(SheetTail), Count: n}}}, nil)
}

// ManyRows is a workbook whose sheet has a header and rows identical data
// rows of a real regency (Banyuasin, 16.07).
func ManyRows(rows int64) []byte {
	head := []byte(SheetHead + Row("Posisi Data : 1 Mei 2025") + Row(Header...))
	unit := []byte(Row("16.07", "Kab. Banyuasin", "837062", "817221"))
	return Package([]Sheet{{Name: "Rekap", Part: Part{Head: head, Unit: unit, Tail: []byte(SheetTail), Count: rows}}}, nil)
}

// BigSheet is ManyRows with a cell of pad characters in every row: a
// sheet that unpacks to rows × (pad+~100) bytes and stays within the row
// and text limits.
func BigSheet(rows int64, pad int) []byte {
	head := []byte(SheetHead + Row("Posisi Data : 1 Mei 2025") + Row(Header...))
	unit := []byte(Row("16.07", "Kab. Banyuasin", "837062", "817221", strings.Repeat("x", pad)))
	return Package([]Sheet{{Name: "Rekap", Part: Part{Head: head, Unit: unit, Tail: []byte(SheetTail), Count: rows}}}, nil)
}

// SharedStrings is a workbook whose shared strings table holds n strings
// (the table itself, the sheet refers to the first few).
func SharedStrings(n int64) []byte {
	sheet := SheetHead + `<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>` +
		Row("16.07", "Kab. Banyuasin", "837062", "817221") + SheetTail
	head := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<si><t>Kode</t></si><si><t>Kabupaten/Kota</t></si><si><t>Jumlah Penduduk</t></si><si><t>Jumlah Peserta</t></si>`
	sst := Part{Head: []byte(head), Unit: []byte("<si><t/></si>"), Tail: []byte("</sst>"), Count: n - 4}
	return Package([]Sheet{{Name: "Rekap", Part: Part{Data: []byte(sheet)}}}, &sst)
}

// LongSharedStrings is a workbook whose shared strings table holds, after
// the header's four, n strings of size bytes each (700 of a megabyte: a
// 0.7 MB file); the sheet refers only to the header's.
func LongSharedStrings(n int64, size int) []byte {
	sheet := SheetHead + `<row><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c><c t="s"><v>3</v></c></row>` +
		Row("16.07", "Kab. Banyuasin", "837062", "817221") + SheetTail
	head := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
		`<si><t>Kode</t></si><si><t>Kabupaten/Kota</t></si><si><t>Jumlah Penduduk</t></si><si><t>Jumlah Peserta</t></si>`
	unit := "<si><t>" + strings.Repeat("x", size) + "</t></si>"
	sst := Part{Head: []byte(head), Unit: []byte(unit), Tail: []byte("</sst>"), Count: n}
	return Package([]Sheet{{Name: "Rekap", Part: Part{Data: []byte(sheet)}}}, &sst)
}

// DeepSheet is a workbook whose sheet, after the header, opens n nested
// elements and never closes them (ten million in a 74 KB file); with
// doctype, its XML starts with a DOCTYPE, which no fast reader takes.
func DeepSheet(n int64, doctype bool) []byte {
	head := SheetHead + Row(Header...)
	if doctype {
		head = strings.Replace(head, "?><worksheet", "?><!DOCTYPE worksheet><worksheet", 1)
	}
	return Package([]Sheet{{Name: "Rekap", Part: Part{Head: []byte(head), Unit: []byte("<x>"), Count: n}}}, nil)
}

// DeepWorkbook is a workbook whose xl/workbook.xml nests n elements
// before its sheets.
func DeepWorkbook(n int) []byte {
	return Rewrite(Table("1 Mei 2025", GoodRows()...), "xl/workbook.xml", func(s string) string {
		return strings.Replace(s, "<sheets>", strings.Repeat("<a>", n)+strings.Repeat("</a>", n)+"<sheets>", 1)
	})
}

// WideRows is a table of n rows after the header, each with one cell in
// the last column Excel has (XFD): a row a few bytes long that a reader
// giving cells by column would make 16,384 wide.
func WideRows(n int64) []byte {
	var b strings.Builder
	b.WriteString(SheetHead + `<row r="1">` + Cell("Posisi Data : 1 Mei 2025") + `</row><row r="2">` + strings.Join(cells(Header), "") + `</row>`)
	for i := int64(3); i < n+3; i++ {
		fmt.Fprintf(&b, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, i, i)
	}
	b.WriteString(SheetTail)
	return Package([]Sheet{{Name: "Rekap", Part: Part{Data: []byte(b.String())}}}, nil)
}

func cells(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = Cell(v)
	}
	return out
}

// LongCells is a table whose rows carry, besides a real regency, cells of
// length characters (Excel's most is 32,767) in cols extra columns.
func LongCells(rows, cols, length int) []byte {
	long := strings.Repeat("panjang ", length/8+1)[:length]
	var data [][]string
	good := GoodRows()
	for i := range rows {
		r := []string{"", long, "1000", "900"} // a name no region has
		if i < len(good) {
			r = good[i]
		}
		for range cols {
			r = append(r, long)
		}
		data = append(data, r)
	}
	return Table("1 Mei 2025", data...)
}

// ManyMerges is a table with n merged ranges, one per cell of the header
// area and the rows below it.
func ManyMerges(n int) []byte {
	var merges strings.Builder
	merges.WriteString("<mergeCells>")
	for i := range n {
		// Single-cell ranges over rows 1..40, columns E onwards: they cover
		// no cell of the table, as many sheets do with formatting.
		fmt.Fprintf(&merges, `<mergeCell ref="%s%d:%s%d"/>`, col(4+i/40), 1+i%40, col(4+i/40), 1+i%40)
	}
	merges.WriteString("</mergeCells>")
	t := TableSheet("1 Mei 2025", GoodRows()...)
	t.Data = []byte(strings.Replace(string(t.Data), "</sheetData>", "</sheetData>"+merges.String(), 1))
	return Package([]Sheet{{Name: "Rekap", Part: t}}, nil)
}

// col is the letters of a 0-based column index.
func col(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// ManySheets is a workbook of n sheets that hold text but no table; when
// dataAt > 0, sheet number dataAt (1-based) holds the table instead.
func ManySheets(n, dataAt int) []byte {
	var sheets []Sheet
	for i := 1; i <= n; i++ {
		s := Sheet{Name: fmt.Sprintf("Lampiran %d", i), Part: Part{Data: []byte(SheetHead + Row("Catatan", "tidak ada tabel di sini") + SheetTail)}}
		if i == dataAt {
			s.Part = TableSheet("1 Mei 2025", GoodRows()...)
		}
		sheets = append(sheets, s)
	}
	return Package(sheets, nil)
}

// LargeFile is a good table padded with size bytes of incompressible
// media, as a workbook with a large photo or logo is.
func LargeFile(size int) []byte {
	pad := make([]byte, size)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i+8 <= len(pad); i += 8 {
		v := r.Uint64()
		for k := range 8 {
			pad[i+k] = byte(v >> (8 * k))
		}
	}
	return Package([]Sheet{{Name: "Rekap", Part: TableSheet("1 Mei 2025", GoodRows()...)}},
		nil, Part{Name: "xl/media/image1.png", Data: pad, Store: true})
}

// MetadataBomb is a good table with a part that excelize would parse
// whole (styles, calculation chain, theme) holding size bytes of empty
// elements: measured, 8 MiB of them in a 17 KB file held 269 MB of heap.
func MetadataBomb(part string, size int64) []byte {
	var head, unit, tail string
	switch part {
	case "xl/styles.xml":
		head, unit, tail = `<styleSheet `+nsMain+`><cellXfs>`, `<xf/>`, `</cellXfs></styleSheet>`
	case "xl/calcChain.xml":
		head, unit, tail = `<calcChain `+nsMain+`>`, `<c r="A1"/>`, `</calcChain>`
	default: // a theme
		head, unit, tail = `<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:clrScheme>`, `<a:x/>`, `</a:clrScheme></a:themeElements></a:theme>`
	}
	return Package([]Sheet{{Name: "Rekap", Part: TableSheet("1 Mei 2025", GoodRows()...)}},
		nil, Part{Name: part, Head: []byte(head), Unit: []byte(unit), Tail: []byte(tail), Count: size / int64(len(unit))})
}

// Evil is text hostile to an exposition and a web page: quotes,
// backslashes, a newline, markup and bytes that are not UTF-8.
const Evil = "<script>alert(1)</script> \"quoted\" back\\slash\nnew line \xff\xfe"

// EvilXML is Evil as a sheet can carry it: XML text is UTF-8, so the bytes
// that are not become U+FFFD (a file name can still carry them).
var EvilXML = strings.ToValidUTF8(Evil, "\uFFFD")

// HostileText is a table with a good row and rows whose text is EvilXML:
// in the title, the sheet name, region names and codes, and figures.
func HostileText() []byte { //nolint:revive // hostile.HostileText beside hostile.Evil: the hostile table, not hostile text
	t := TableSheet("1 Mei 2025 "+EvilXML, append(GoodRows(),
		[]string{"", EvilXML, "1000", "900"},
		[]string{EvilXML, "Kab. " + EvilXML, "1000", "900"},
		[]string{"16.72", "Kota Pagar Alam", EvilXML, "900"},
	)...)
	return Package([]Sheet{{Name: "Rekap \"x\" \\ y", Part: t}}, nil)
}

// HeapSampler records the largest HeapInuse seen, sampled every 5 ms
// (runtime.ReadMemStats), while it runs: the peak a test asserts a bound on.
type HeapSampler struct {
	stop chan struct{}
	done sync.WaitGroup
	peak uint64
}

// SampleHeap starts sampling.
func SampleHeap() *HeapSampler {
	s := &HeapSampler{stop: make(chan struct{})}
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			s.peak = max(s.peak, m.HeapInuse)
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// Stop ends sampling and returns the peak HeapInuse in bytes.
func (s *HeapSampler) Stop() uint64 {
	close(s.stop)
	s.done.Wait()
	return s.peak
}

// Discard reads r to its end; for tests that unpack a part to check it.
func Discard(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) }
