package table

import (
	"sort"
	"strings"
	"unicode"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
)

// headerScanRows is how far down a sheet the header may reach, every row
// of a header of several included. Readers report the merged ranges that
// start up to one row more (read.MergeRows).
const headerScanRows = 30

// Place levels of name and code columns, coarse to fine. levelAny is a
// column whose header names no level ("Nama Wilayah", "Kode").
const (
	levelAny = iota
	levelProvince
	levelRegency
	levelDistrict
	levelVillage
)

// alias is what a normalised header text means.
type alias struct {
	field jkn.Field
	// place is true for region name columns and code columns, whose final
	// field depends on the other columns (see resolvePlaces).
	place bool
	level int
	// no marks a row-number column ("No", "No."): ignored, but a total row
	// may write JUMLAH in it.
	no bool
	// part is jkn.FieldActive or jkn.FieldInactive for the Aktif or Non
	// Aktif sub-column of a segment (see Column.Part).
	part jkn.Field
}

func nameAt(level int) alias { return alias{field: jkn.FieldName, place: true, level: level} }
func codeAt(level int) alias { return alias{field: jkn.FieldCode, place: true, level: level} }

// aliases lists the normalised headers (see normalizeHeader) of each
// meaning. Matching is exact, after dropping leading words such as
// "Jumlah" and "Peserta" (stripWords); figure headers also match by their
// longest known prefix ("Jumlah Penduduk (DKB Semester II 2024)").
var aliases = []struct {
	alias
	names []string
}{
	// Row numbers.
	{alias{no: true}, []string{"no", "no urut", "nomor urut"}},

	// Region names: the finest level present is the region, coarser ones
	// are its parents (resolvePlaces).
	{nameAt(levelAny), []string{"nama wilayah", "wilayah", "nama daerah", "daerah", "region", "region name", "name", "nama", "area"}},
	{nameAt(levelProvince), []string{"provinsi", "nama provinsi", "province"}},
	{nameAt(levelRegency), []string{"kabupaten kota", "nama kabupaten kota", "kabupaten", "kota", "kota kabupaten",
		"nama kabupaten", "regency", "regency city", "city"}},
	{nameAt(levelDistrict), []string{"kecamatan", "nama kecamatan", "district"}},
	{nameAt(levelVillage), []string{"desa kelurahan", "kelurahan desa", "desa", "kelurahan", "nama desa",
		"nama desa kelurahan", "village"}},

	// Region codes, by the same rule.
	{codeAt(levelAny), []string{"kode", "kode wilayah", "kode kemendagri", "kode wilayah kemendagri", "kode daerah",
		"code", "region code"}},
	{codeAt(levelProvince), []string{"kode provinsi"}},
	{codeAt(levelRegency), []string{"kode kabupaten kota", "kode kabupaten", "kode kota"}},
	{codeAt(levelDistrict), []string{"kode kecamatan"}},
	{codeAt(levelVillage), []string{"kode desa", "kode kelurahan", "kode desa kelurahan"}},

	{alias{field: jkn.FieldAsOf}, []string{"tanggal", "tanggal data", "posisi data", "posisi", "per tanggal",
		"tanggal posisi", "periode", "periode data", "bulan", "as of", "date"}},

	// Figures.
	{alias{field: jkn.FieldPopulation}, []string{"jumlah penduduk", "penduduk", "population", "residents"}},
	{alias{field: jkn.FieldParticipants}, []string{"jumlah peserta", "peserta jkn", "peserta", "terdaftar",
		"peserta terdaftar", "sudah terdaftar", "penduduk terdaftar", "penduduk terdaftar jkn", "peserta jkn kis",
		"jkn kis", "kepesertaan", "kepesertaan jkn", "participants", "registered", "registered participants"}},
	{alias{field: jkn.FieldActive}, []string{"peserta aktif", "aktif", "active", "active participants"}},
	{alias{field: jkn.FieldInactive}, []string{"non aktif", "nonaktif", "peserta non aktif", "tidak aktif",
		"peserta tidak aktif", "inactive", "inactive participants"}},
	{alias{field: jkn.FieldUninsured}, []string{"belum terdaftar", "penduduk belum terdaftar", "tidak terdaftar",
		"non bpjs", "belum jkn", "penduduk belum jkn", "uninsured", "not registered"}},
	// Reported percentages; "% Aktif" and "Persentase Kepesertaan" come
	// through ratioWords.
	{alias{field: jkn.FieldCoverageReported}, []string{"cakupan", "cakupan kepesertaan", "cakupan jkn", "uhc",
		"capaian uhc", "coverage"}},
	{alias{field: jkn.FieldActiveReported}, []string{"keaktifan", "tingkat keaktifan", "keaktifan peserta"}},

	// Segments. "PBPU Pemda" must not be read as PBPU: exact matching and
	// the longest prefix see to that.
	{alias{field: jkn.FieldPBIAPBN}, []string{"pbi apbn", "pbi jk", "pbi", "pbi pusat"}},
	{alias{field: jkn.FieldPBPUPemda}, []string{"pbi apbd", "pbpu pemda", "pemda", "pbpu pemerintah daerah", "pbi daerah"}},
	{alias{field: jkn.FieldPPU}, []string{"ppu", "pekerja penerima upah"}},
	{alias{field: jkn.FieldPPUPN}, []string{"ppu pn", "ppu penyelenggara negara"}},
	{alias{field: jkn.FieldPPUBU}, []string{"ppu bu", "ppu badan usaha"}},
	{alias{field: jkn.FieldPBPU}, []string{"pbpu", "mandiri", "pbpu mandiri", "pekerja bukan penerima upah"}},
	{alias{field: jkn.FieldBP}, []string{"bp", "bukan pekerja"}},
}

// maxAliasWords is the most words an alias has (a test checks it).
const maxAliasWords = 6

// lookupAlias finds the meaning of one normalised header.
func lookupAlias(s string) (alias, bool) {
	for _, g := range aliases {
		for _, n := range g.names {
			if n == s {
				return g.alias, true
			}
		}
	}
	return alias{}, false
}

// wordSynonyms spells out abbreviations before matching.
var wordSynonyms = map[string]string{
	"jml": "jumlah", "kab": "kabupaten", "kec": "kecamatan", "kel": "kelurahan", "prov": "provinsi",
	"wil": "wilayah", "tgl": "tanggal", "nomor": "no", "pst": "peserta",
}

// dropWords carry no meaning in a header: units and fillers.
var dropWords = map[string]bool{"jiwa": true, "orang": true, "org": true, "yang": true}

// ratioWords mark a reported percentage: "% Aktif" is active_reported,
// not the active count.
var ratioWords = map[string]bool{
	"persen": true, "persentase": true, "prosentase": true, "ratio": true, "rasio": true,
	"percent": true, "percentage": true, "pct": true,
}

// stripWords may lead a header without changing its meaning
// ("Jumlah Peserta Aktif" is active).
var stripWords = map[string]bool{"jumlah": true, "total": true, "peserta": true, "jkn": true, "segmen": true, "data": true}

// genericWords alone under a group header mean the group's own figure:
// "Jumlah" under "Peserta JKN" is participants.
var genericWords = map[string]bool{"": true, "jumlah": true, "total": true, "jumlah total": true, "subtotal": true}

// normalizeHeader case-folds a header, turns "%" into a word, punctuation,
// newlines and runs of spaces into one space, and spells out abbreviations.
func normalizeHeader(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "%", " persen ")
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := words[:0]
	for _, w := range words {
		if syn, ok := wordSynonyms[w]; ok {
			w = syn
		}
		if !dropWords[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// matchHeader returns the meaning of one header text.
func matchHeader(text string) (alias, bool) {
	var words []string
	ratio := false
	for _, w := range strings.Fields(normalizeHeader(text)) {
		if ratioWords[w] {
			ratio = true
			continue
		}
		words = append(words, w)
	}
	a, ok := lookupWords(words)
	if !ok || !ratio {
		return a, ok
	}
	// A percentage of a count is its reported ratio.
	switch a.field {
	case jkn.FieldParticipants, jkn.FieldCoverageReported:
		return alias{field: jkn.FieldCoverageReported}, true
	case jkn.FieldActive, jkn.FieldActiveReported:
		return alias{field: jkn.FieldActiveReported}, true
	}
	return alias{}, false
}

// lookupWords matches exactly, then after dropping leading stripWords one
// by one, then (figures only) by the longest known prefix at each stage.
func lookupWords(words []string) (alias, bool) {
	// No alias is longer than maxAliasWords words, so longer candidates are
	// not looked up: a header cell of 30,000 words costs linear time.
	for i := 0; i < len(words); i++ {
		if len(words)-i <= maxAliasWords {
			if a, ok := lookupAlias(strings.Join(words[i:], " ")); ok {
				return a, true
			}
		}
		if !stripWords[words[i]] {
			break
		}
	}
	for i := 0; i < len(words); i++ {
		for j := min(len(words)-1, i+maxAliasWords); j > i; j-- {
			if a, ok := lookupAlias(strings.Join(words[i:j], " ")); ok && !a.place && !a.no && a.field != jkn.FieldAsOf {
				return a, true
			}
		}
		if !stripWords[words[i]] {
			break
		}
	}
	return alias{}, false
}

// header is a detected header row (or rows) and its columns.
type header struct {
	top, row  int       // 1-based; equal for a one-row header
	level     jkn.Level // of the region column (Table.Level)
	columns   []Column
	ignored   []Column
	noColumns []int
	// duplicates are columns dropped because an earlier one has the same
	// field: the dropped column and the one kept.
	duplicates [][2]Column
}

// fields counts the distinct fields a header maps.
func (h *header) fields() int { return len(h.columns) }

// valid reports whether h is a data table's header: a region column and a
// population or participants column.
func (h *header) valid() bool {
	has := map[jkn.Field]bool{}
	for _, c := range h.columns {
		has[c.Field] = true
	}
	return (has[jkn.FieldName] || has[jkn.FieldCode]) && (has[jkn.FieldPopulation] || has[jkn.FieldParticipants])
}

// headerCell is one column's header text and meaning before resolution.
type headerCell struct {
	index int
	text  string
	alias alias
	ok    bool
}

// maxHeaderRows is the most rows a header may have: a title over a group
// over its columns ("Data Kepesertaan" over "Kepesertaan JKN" over
// "Jumlah | Aktif | Non Aktif").
const maxHeaderRows = 3

// findHeader looks for the header in the first rows of a sheet. rows[i]
// holds the cells of sheet row i+1. Rows r..r+k-1 (k of two or three) are
// taken as one header when the rows below the first are all text and
// together they map more fields than any fewer of them (a group header
// such as "Peserta JKN" merged over "Jumlah | Aktif | Non Aktif", itself
// under a title merged over the group); otherwise the first row that is a
// valid header on its own is.
func findHeader(rows [][]string, merges []read.Range, hidden map[int]bool) (*header, bool) {
	n := min(len(rows), headerScanRows)
	idx := newMergeIndex(merges, n+1)
	// A row's texts take part in up to six stacks of rows: each cell is
	// cleaned, and each text matched, once.
	m := &matcher{rows: make([][]string, n), memo: map[partsKey]matched{}}
	for r := range m.rows {
		m.rows[r] = make([]string, len(rows[r]))
		for i := range rows[r] {
			m.rows[r][i] = cellAt(rows, r+1, i)
		}
	}
	textRow := make([]bool, n)
	for r := range textRow {
		textRow[r] = isTextRow(rows[r])
	}
	// stacked[k][r] is rows r..r+k-1 read as one header (nil: not read).
	var stacked [maxHeaderRows + 1][]*header
	for k := 1; k <= maxHeaderRows; k++ {
		stacked[k] = make([]*header, n+2)
	}
	get := func(r, k int) *header {
		if h := stacked[k][r]; h != nil {
			return h
		}
		h := mapHeader(r, r+k-1, m.stackedCells(r, r+k-1, idx), hidden)
		stacked[k][r] = h
		return h
	}
	for r := 1; r <= n; r++ {
		// The deepest header that maps more than each of its parts wins.
		for k := maxHeaderRows; k >= 2; k-- {
			if r+k-1 > n || !allText(textRow[r:r+k-1]) {
				continue
			}
			h := get(r, k)
			if !h.valid() {
				continue
			}
			more := true
			for j := 1; j < k && more; j++ {
				for top := r; top+j-1 <= r+k-1; top++ {
					if get(top, j).fields() >= h.fields() {
						more = false
						break
					}
				}
			}
			if more {
				return h, true
			}
		}
		if s := get(r, 1); s.valid() {
			return s, true
		}
	}
	return nil, false
}

// matcher reads the header rows of one sheet: rows holds the cleaned text
// of each cell (cellAt), memo the meaning of each text matched, by the
// cells it is made of (not by the text: a hostile header's long cells are
// not held again).
type matcher struct {
	rows [][]string
	memo map[partsKey]matched
}

// cellRef is a header cell: 1-based row, 0-based column.
type cellRef struct{ row, col int32 }

// partsKey names the cells a header text is made of, top to bottom; the
// zero cellRef pads it.
type partsKey [maxHeaderRows]cellRef

// matched is a text's meaning, and whether it is a generic word.
type matched struct {
	alias   alias
	ok      bool
	generic bool
}

// memoEntries bounds matcher.memo: past it, texts are matched afresh.
const memoEntries = 64 << 10

// match is matchHeader of text, the cells of key joined by spaces, once.
func (m *matcher) match(key partsKey, text string) matched {
	if v, ok := m.memo[key]; ok {
		return v
	}
	var v matched
	v.alias, v.ok = matchHeader(text)
	// Only a meaning may be too generic to keep ("Jumlah" alone has none).
	v.generic = v.ok && genericWords[normalizeHeader(text)]
	if len(m.memo) < memoEntries {
		m.memo[key] = v
	}
	return v
}

// cell returns the cleaned text of row r (1-based), column i.
func (m *matcher) cell(r, i int) string {
	if r < 1 || r > len(m.rows) || i >= len(m.rows[r-1]) {
		return ""
	}
	return m.rows[r-1][i]
}

// allText reports whether every row may be a lower row of a header.
func allText(textRow []bool) bool {
	for _, t := range textRow {
		if !t {
			return false
		}
	}
	return true
}

// cellAt returns the text of header cell row r (1-based), column i, its
// line breaks and runs of spaces made one space.
func cellAt(rows [][]string, r, i int) string {
	if r < 1 || r > len(rows) || i >= len(rows[r-1]) {
		return ""
	}
	return strings.Join(strings.FieldsFunc(rows[r-1][i], func(r rune) bool { return unicode.IsSpace(r) || r == '\u00a0' }), " ")
}

// stackedCells reads rows top..bottom as one header, per column: a text
// spreads over its merged range, a cell merged down over several rows
// counts once, and a merged group header of a one-row header counts once,
// in its first column; a cell merged down from above the first row is
// not the header's. The lowest text decides the meaning when it has
// one of its own ("Aktif" under "Peserta JKN"); a generic or unknown one
// takes the meaning of it with the texts above, the nearest first
// ("Peserta JKN" + "Jumlah" is participants). "Aktif" or "Non Aktif"
// under a segment ("PBI APBN" over "Aktif | Non Aktif") is that part of
// the segment.
func (m *matcher) stackedCells(top, bottom int, merges *mergeIndex) []headerCell {
	width := 0
	for r := top; r <= bottom; r++ {
		width = max(width, len(m.rows[r-1]))
	}
	var cells []headerCell
	parts := make([]string, 0, maxHeaderRows)
	refs := make([]cellRef, 0, maxHeaderRows)
	for i := 0; i < width; i++ {
		parts, refs = parts[:0], refs[:0]
		if top == bottom {
			if t := m.cell(top, i); t != "" {
				parts, refs = append(parts, t), append(refs, cellRef{int32(top), int32(i)})
			}
		} else {
			var prev *read.Range
			for r := top; r <= bottom; r++ {
				t, at, mr := m.mergedText(r, i, merges)
				if mr != nil && (mr == prev || mr.Top < top) {
					// Merged down from the row above, or from above the
					// header: a header does not read rows above its own.
					prev = mr
					continue
				}
				prev = mr
				if t != "" {
					parts, refs = append(parts, t), append(refs, at)
				}
			}
		}
		if len(parts) == 0 {
			continue
		}
		// key(j) names the cells of parts[j:].
		key := func(j int) partsKey {
			var k partsKey
			copy(k[:], refs[j:])
			return k
		}
		c := headerCell{index: i, text: strings.Join(parts, " / ")}
		n := len(parts)
		last := m.match(key(n-1), parts[n-1])
		c.alias, c.ok = last.alias, last.ok
		for j := n - 2; j >= 0 && (!c.ok || last.generic); j-- {
			v := m.match(key(j), strings.Join(parts[j:], " "))
			c.alias, c.ok = v.alias, v.ok
		}
		if c.ok && n > 1 && (c.alias.field == jkn.FieldActive || c.alias.field == jkn.FieldInactive) {
			if seg := m.match(partsKey{refs[n-2]}, parts[n-2]); seg.ok && seg.alias.field.IsSegment() {
				part := c.alias.field
				c.alias = seg.alias
				c.alias.part = part
			}
		}
		cells = append(cells, c)
	}
	return cells
}

// mergeIndex finds the merged range covering a header cell in logarithmic
// time, so that thousands of merged ranges over a wide header cost
// little: per row, the ranges that cover it, by left column.
type mergeIndex struct {
	merges []read.Range
	byRow  map[int][]int // row -> indexes into merges, sorted by left column
}

// newMergeIndex indexes the ranges covering rows 1..rows.
func newMergeIndex(merges []read.Range, rows int) *mergeIndex {
	idx := &mergeIndex{merges: merges, byRow: map[int][]int{}}
	for k, m := range merges {
		for r := max(m.Top, 1); r <= min(m.Bottom, rows); r++ {
			idx.byRow[r] = append(idx.byRow[r], k)
		}
	}
	for _, ks := range idx.byRow {
		// Stable: of two ranges starting at the same column (only a broken
		// file overlaps them), the first in the sheet wins, as before.
		sort.SliceStable(ks, func(a, b int) bool { return merges[ks[a]].Left < merges[ks[b]].Left })
	}
	return idx
}

// at returns the range covering row r, column i, or nil. Excel's merged
// ranges never overlap; of overlapping ones in a broken file, the one
// starting nearest to the left of i is taken.
func (idx *mergeIndex) at(r, i int) *read.Range {
	ks := idx.byRow[r]
	j := sort.Search(len(ks), func(k int) bool { return idx.merges[ks[k]].Left > i }) - 1
	if j >= 0 && idx.merges[ks[j]].Contains(r, i) {
		return &idx.merges[ks[j]]
	}
	return nil
}

// mergedText returns the text shown in sheet row r, column i: the text of
// the top-left cell of a merged range covering it, if any, and that cell.
func (m *matcher) mergedText(r, i int, merges *mergeIndex) (string, cellRef, *read.Range) {
	if mr := merges.at(r, i); mr != nil {
		return m.cell(mr.Top, mr.Left), cellRef{int32(mr.Top), int32(mr.Left)}, mr
	}
	return m.cell(r, i), cellRef{int32(r), int32(i)}, nil
}

// isTextRow reports whether a row may be the lower row of a header: it has
// text and no number.
func isTextRow(cells []string) bool {
	text := false
	for _, c := range cells {
		c = cleanText(c)
		if c == "" {
			continue
		}
		if _, err := ParseNumber(c, false); err == nil {
			return false
		}
		text = true
	}
	return text
}

// mapHeader turns header cells into columns: region names and codes are
// resolved by level, the first column of each field wins.
func mapHeader(top, row int, cells []headerCell, hidden map[int]bool) *header {
	h := &header{top: top, row: row}
	col := func(c headerCell, f jkn.Field) Column {
		return Column{Field: f, Index: c.index, Letter: jkn.ColumnLetter(c.index), Header: c.text, Hidden: hidden[c.index]}
	}
	fields := resolvePlaces(cells)
	finest := levelAny
	for k, c := range cells {
		if (fields[k] == jkn.FieldName || fields[k] == jkn.FieldCode) && c.alias.level > finest {
			finest = c.alias.level
		}
	}
	h.level = map[int]jkn.Level{levelProvince: jkn.LevelProvince, levelRegency: jkn.LevelRegency,
		levelDistrict: jkn.LevelDistrict, levelVillage: jkn.LevelVillage}[finest]
	type meaning struct{ field, part jkn.Field }
	seen := map[meaning]Column{}
	for k, c := range cells {
		f := fields[k]
		switch {
		case c.ok && c.alias.no:
			h.noColumns = append(h.noColumns, c.index)
		case f == "":
			h.ignored = append(h.ignored, col(c, ""))
		default:
			m := meaning{f, c.alias.part}
			if first, dup := seen[m]; dup {
				h.ignored = append(h.ignored, col(c, ""))
				h.duplicates = append(h.duplicates, [2]Column{col(c, f), first})
				continue
			}
			seen[m] = Column{Field: f, Part: c.alias.part, Index: c.index, Letter: jkn.ColumnLetter(c.index), Header: c.text, Hidden: hidden[c.index]}
			h.columns = append(h.columns, seen[m])
		}
	}
	return h
}

// resolvePlaces gives each header cell its field. Name and code columns
// are decided together, by level: a column that names no level ("Nama
// Wilayah", "Kode") is the region's; otherwise the finest level present is
// the region ("Kecamatan" beside "Kabupaten/Kota" on a district sheet) and
// coarser name columns become its parents (province, regency, district).
// A coarser code column has no field of its own and is ignored.
func resolvePlaces(cells []headerCell) []jkn.Field {
	fields := make([]jkn.Field, len(cells))
	region := map[jkn.Field]int{jkn.FieldName: -1, jkn.FieldCode: -1}
	for base := range region {
		finest := -1
		for _, c := range cells {
			if c.ok && c.alias.place && c.alias.field == base {
				lv := c.alias.level
				if lv == levelAny {
					lv = levelVillage + 1 // finer than any named level
				}
				finest = max(finest, lv)
			}
		}
		region[base] = finest
	}
	parents := map[int]jkn.Field{levelProvince: jkn.FieldProvince, levelRegency: jkn.FieldRegency, levelDistrict: jkn.FieldDistrict}
	for k, c := range cells {
		if !c.ok || c.alias.no {
			continue
		}
		if !c.alias.place {
			fields[k] = c.alias.field
			continue
		}
		lv := c.alias.level
		if lv == levelAny {
			lv = levelVillage + 1
		}
		switch {
		case lv == region[c.alias.field]:
			fields[k] = c.alias.field
		case c.alias.field == jkn.FieldName:
			fields[k] = parents[lv]
		}
	}
	return fields
}

// lookedFor says which headers a data sheet needs, for the no_table reason.
const lookedFor = `a region name or code column ("Kabupaten/Kota", "Kecamatan", "Nama Wilayah", "Kode") ` +
	`and a population or participants column ("Jumlah Penduduk", "Jumlah Peserta", "Peserta JKN")`
