package region

import (
	"cmp"
	"compress/gzip"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// villagesFile is the gzip-compressed idn-area-data villages.csv.
const villagesFile = "data/villages.csv.gz"

// villageTable holds the 83,762 villages (desa and kelurahan), sorted by
// code, so a district's villages are one contiguous run. It is kept in a
// few arenas rather than a Region and strings per village (4.5 MB instead
// of 12 MB): codes, names and name keys each in one string, the Region
// made on demand from them and the village's district.
type villageTable struct {
	codes string // 13 bytes a village: "11.01.01.2001"
	names string
	// nameEnd[i] ends village i's name in names (it starts where i-1's ends).
	nameEnd []uint32
	// keys holds each name's comparison key (normKey), taken whole: village
	// names often start with what elsewhere is a type word ("Desa Baru",
	// "Kota Tengah"); keyEnd as nameEnd.
	keys   string
	keyEnd []uint32
	// district is each village's district, an index into parents.
	district []int32
	parents  []jkn.Region
	// byDistrict is the index range of each district's villages.
	byDistrict map[string][2]int32
}

const villageCodeLen = len("11.01.01.2001")

func (v *villageTable) len() int { return len(v.district) }

func (v *villageTable) code(i int) string { return v.codes[i*villageCodeLen : (i+1)*villageCodeLen] }

func (v *villageTable) name(i int) string {
	lo, hi := span(v.nameEnd, i)
	return v.names[lo:hi]
}

func (v *villageTable) key(i int) string {
	lo, hi := span(v.keyEnd, i)
	return v.keys[lo:hi]
}

// span is the range of item i of an arena with the given ends.
func span(ends []uint32, i int) (lo, hi int) {
	if i > 0 {
		lo = int(ends[i-1])
	}
	return lo, int(ends[i])
}

// region is village i.
func (v *villageTable) region(i int) jkn.Region {
	d := &v.parents[v.district[i]]
	return jkn.Region{Code: v.code(i), Name: v.name(i), Level: jkn.LevelVillage, ProvinceCode: d.ProvinceCode, Province: d.Province}
}

// villages returns the village table, loading it on first use. The
// Reference stays safe for concurrent use: the load runs once.
func (r *Reference) villages() (*villageTable, error) {
	r.villageOnce.Do(func() {
		r.village, r.villageErr = r.loadVillages()
		if r.villageErr != nil {
			r.villageErr = fmt.Errorf("load village reference: %w", r.villageErr)
		}
	})
	return r.village, r.villageErr
}

// LoadVillages loads the village table now rather than on the first
// village lookup, and reports whether it loads: for start-up checks and
// benchmarks. It is cheap to call again.
func (r *Reference) LoadVillages() error {
	_, err := r.villages()
	return err
}

func (r *Reference) loadVillages() (*villageTable, error) {
	f, err := r.fsys.Open(villagesFile)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", villagesFile, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", villagesFile, err)
	}
	type village struct {
		code, name string
		district   int32
	}
	all := make([]village, 0, 84000)
	err = readRecords(zr, villagesFile, []string{"code", "district_code", "name"}, func(rec []string) error {
		code, distCode, name := rec[0], rec[1], strings.TrimSpace(rec[2])
		if classifyCode(code) != codeVillage || code[:8] != distCode {
			return fmt.Errorf("village code %q does not have the form %s.NNNN", code, distCode)
		}
		d, ok := r.byCode[distCode]
		if !ok || r.regions[d].Level != jkn.LevelDistrict {
			return fmt.Errorf("village %s: unknown district %s", code, distCode)
		}
		if normKey(name) == "" {
			return fmt.Errorf("code %s: empty name %q", code, name)
		}
		all = append(all, village{code, name, d})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := zr.Close(); err != nil {
		return nil, fmt.Errorf("read %s: %w", villagesFile, err)
	}
	// The file is in code order today; sorting keeps the district runs
	// right if a future version is not.
	slices.SortStableFunc(all, func(a, b village) int { return cmp.Compare(a.code, b.code) })
	v := &villageTable{nameEnd: make([]uint32, len(all)), keyEnd: make([]uint32, len(all)),
		district: make([]int32, len(all)), parents: r.regions, byDistrict: make(map[string][2]int32, 7300)}
	var codes, names, keys []byte
	for i, vl := range all {
		if i > 0 && vl.code == all[i-1].code {
			return nil, fmt.Errorf("%s: duplicate code %s", villagesFile, vl.code)
		}
		codes = append(codes, vl.code...)
		names = append(names, vl.name...)
		keys = appendKey(keys, vl.name)
		v.nameEnd[i], v.keyEnd[i], v.district[i] = uint32(len(names)), uint32(len(keys)), vl.district
	}
	v.codes, v.names, v.keys = string(codes), string(names), string(keys)
	for i := 0; i < len(all); {
		d := all[i].code[:8]
		j := i + 1
		for j < len(all) && all[j].code[:8] == d {
			j++
		}
		v.byDistrict[d] = [2]int32{int32(i), int32(j)}
		i = j
	}
	return v, nil
}

// find returns the index of the village with a (village-shaped) code.
func (v *villageTable) find(code string) (int, bool) {
	lo, hi := v.in(code[:8])
	for i := lo; i < hi; i++ {
		if v.code(i) == code {
			return i, true
		}
	}
	return 0, false
}

// in returns the index range of the villages whose code starts with
// prefix: a district code ("16.07.01") or a regency code ("16.07").
func (v *villageTable) in(prefix string) (lo, hi int) {
	if len(prefix) == 8 {
		r := v.byDistrict[prefix]
		return int(r[0]), int(r[1])
	}
	n := len(prefix)
	lo = sort.Search(v.len(), func(i int) bool { return v.code(i)[:n] >= prefix })
	hi = lo
	for hi < v.len() && v.code(hi)[:n] == prefix {
		hi++
	}
	return lo, hi
}

// villageKind is what a word before a village name states: Kemendagri
// numbers kelurahan 1NNN, desa 2NNN and desa adat 3NNN.
type villageKind uint8

const (
	villageAny villageKind = iota
	villageDesa
	villageKelurahan
)

// villageWord reports the kind a normalised leading word states.
func villageWord(w string) (villageKind, bool) {
	switch w {
	case "desa", "ds":
		return villageDesa, true
	case "kelurahan", "kel":
		return villageKelurahan, true
	}
	return villageAny, false
}

// matches reports whether a village code is of the kind.
func (k villageKind) matches(code string) bool {
	switch k {
	case villageDesa:
		return code[9] != '1'
	case villageKelurahan:
		return code[9] == '1'
	}
	return true
}

// named returns the villages in [lo, hi) a written name denotes: the name
// taken whole ("Desa Baru" is a village's full name), else without a
// leading "Desa"/"Kelurahan" word, which then also says the kind: a
// district may have a desa and a kelurahan of the same name.
func (v *villageTable) named(lo, hi int, name string) []int {
	words := tokens(name)
	if len(words) == 0 {
		return nil
	}
	var hits []int
	whole := key(words)
	for i := lo; i < hi; i++ {
		if v.key(i) == whole {
			hits = append(hits, i)
		}
	}
	if len(hits) > 0 || len(words) < 2 {
		return hits
	}
	kind, ok := villageWord(words[0])
	if !ok {
		return nil
	}
	rest := key(words[1:])
	for i := lo; i < hi; i++ {
		if v.key(i) == rest && kind.matches(v.code(i)) {
			hits = append(hits, i)
		}
	}
	return hits
}

// namedWhole finds the villages in [lo, hi) whose key is the written
// name's, taken whole, without allocating: the first one's index and how
// many there are. The common case of named, for the rows of a sheet.
func (v *villageTable) namedWhole(lo, hi int, name string) (first, n int) {
	var buf [128]byte
	k := appendKey(buf[:0], name)
	if len(k) == 0 {
		return -1, 0
	}
	first = -1
	for i := lo; i < hi; i++ {
		if v.key(i) == string(k) {
			if n == 0 {
				first = i
			}
			n++
		}
	}
	return first, n
}

// fits reports whether a written name denotes village i of [lo, hi).
func (v *villageTable) fits(lo, hi int, name string, i int) bool {
	if first, n := v.namedWhole(lo, hi, name); n == 1 {
		return first == i
	}
	return slices.Contains(v.named(lo, hi, name), i)
}

// villageDisplay is a village's name as a sheet should write it to tell it
// from a namesake in the same district.
func villageDisplay(reg jkn.Region) string {
	if reg.Code[9] == '1' {
		return "Kelurahan " + reg.Name
	}
	return "Desa " + reg.Name
}

// resolveVillageCode resolves a dotted village code and checks the row's
// other cells against it.
func (r *Reference) resolveVillageCode(code, name, district, regency string, prov *jkn.Region) (jkn.Region, error) {
	v, err := r.villages()
	if err != nil {
		return jkn.Region{}, err
	}
	i, ok := v.find(code)
	if !ok {
		msg := jkn.Msgf("unknown region code %q: no Kemendagri village has it", code)
		if d, ok := r.byCode[code[:8]]; ok {
			msg = jkn.Msgf("%s (district %s is %s)", msg, code[:8], r.codeName(r.regions[d]))
		}
		return jkn.Region{}, newError(ReasonUnknown, "%s; write the village's dotted Kemendagri code", msg)
	}
	reg := v.region(i)
	if prov != nil && reg.ProvinceCode != prov.Code {
		return jkn.Region{}, newError(ReasonMismatch,
			"code %s is %s, %s, but the row's province is %s; correct the code or the province",
			reg.Code, r.codeName(reg), reg.Province, prov.Name)
	}
	if lo, hi := v.in(code[:8]); name != "" && !v.fits(lo, hi, name, i) {
		msg := jkn.Msgf("code %s is %s, but the row names %q", reg.Code, r.codeName(reg), name)
		if hits := v.named(lo, hi, name); len(hits) == 1 {
			msg = jkn.Msgf("%s, which is %s", msg, r.describe(v.region(hits[0])))
		}
		return jkn.Region{}, newError(ReasonMismatch, "%s; correct the code or the name", msg)
	}
	if district != "" || regency != "" {
		d, err := r.villageDistrict(district, regency, prov)
		switch {
		case errors.Is(err, errNoDistrict):
			// Only a regency: it must be the village's.
			parent, err := r.resolveRegency(regency, prov)
			if err != nil {
				return jkn.Region{}, err
			}
			if parent.Code != code[:5] {
				return jkn.Region{}, newError(ReasonMismatch,
					"code %s is %s, but the row's regency is %s; correct the code or the regency",
					reg.Code, r.describe(reg), r.describe(parent))
			}
		case err != nil:
			return jkn.Region{}, err
		case d.Code != code[:8]:
			return jkn.Region{}, newError(ReasonMismatch,
				"code %s is %s, but the row's district is %s; correct the code or the district",
				reg.Code, r.describe(reg), r.describe(d))
		}
	}
	return reg, nil
}

// errNoDistrict marks a village row without a district cell.
var errNoDistrict = errors.New("no district")

// villageDistrict resolves the district a village row names: a dotted
// district code, or a district name within the row's regency (district
// names repeat across regencies).
func (r *Reference) villageDistrict(district, regency string, prov *jkn.Region) (jkn.Region, error) {
	if district == "" {
		return jkn.Region{}, errNoDistrict
	}
	wrap := func(err error) error {
		var e *Error
		if errors.As(err, &e) {
			return newError(e.Reason, "district %q: %s", district, e.Text)
		}
		return fmt.Errorf("district %q: %w", district, err)
	}
	if isNumeric(district) {
		if !isCode(district, 3) {
			return jkn.Region{}, wrap(newError(ReasonInvalidCode,
				"not a dotted Kemendagri district code (e.g. \"16.07.01\")"))
		}
		d, err := r.resolveCode(district, "", regency, prov)
		if err != nil {
			return jkn.Region{}, wrap(err)
		}
		return d, nil
	}
	if regency == "" {
		return jkn.Region{}, wrap(newError(ReasonMissing,
			"district names repeat across regencies, so village rows need a regency column, the dotted district code or the dotted village code"))
	}
	d, err := r.resolveDistrict(district, regency, prov)
	if err != nil {
		return jkn.Region{}, wrap(err)
	}
	if d.Level != jkn.LevelDistrict {
		return jkn.Region{}, wrap(newError(ReasonMismatch,
			"that is %s, not a district (kecamatan); village rows need the kecamatan they belong to", r.describe(d)))
	}
	return d, nil
}

// resolveVillage resolves a village name within the row's district. A row
// naming the district itself resolves to the district, as a district sheet
// row naming its regency resolves to the regency.
func (r *Reference) resolveVillage(name, district, regency string, prov *jkn.Region) (jkn.Region, error) {
	d, err := r.villageDistrict(district, regency, prov)
	if err != nil {
		return jkn.Region{}, err
	}
	l, err := r.villagesNamed(name, d)
	switch {
	case err != nil:
		return jkn.Region{}, err
	case l.found >= 0:
		return l.v.region(l.found), nil
	case len(l.hits) > 1:
		regs := make([]jkn.Region, len(l.hits))
		forms := make([]string, len(l.hits))
		kinds := map[bool]bool{} // kelurahan or not
		for j, i := range l.hits {
			regs[j] = l.v.region(i)
			forms[j] = fmt.Sprintf("%q", villageDisplay(l.v.region(i)))
			kinds[l.v.region(i).Code[9] == '1'] = true
		}
		msg := jkn.Msgf("ambiguous village name %q: %s", name, r.joinRegions(regs))
		// The type word tells them apart only when their kinds differ.
		if len(kinds) == len(l.hits) {
			msg = jkn.Msgf("%s; write %s, or the dotted village code", msg, joinOr(forms))
		} else {
			msg = jkn.Msgf("%s; write the dotted village code", msg)
		}
		return jkn.Region{}, newError(ReasonAmbiguous, "%s", msg)
	}
	if r.nameFits(d, name) {
		return d, nil
	}
	return jkn.Region{}, r.unknownVillage(name, d, l)
}

// resolveVillageIn resolves a village name inside a regency, for a village
// sheet of one regency without a district column: a name that is one
// village's there resolves, one that several share is ambiguous. A row
// naming one of the regency's districts is that district (its subtotal).
func (r *Reference) resolveVillageIn(name, regency string, prov *jkn.Region) (jkn.Region, error) {
	parent, err := r.resolveRegency(regency, prov)
	if err != nil {
		return jkn.Region{}, err
	}
	l, err := r.villagesNamed(name, parent)
	switch {
	case err != nil:
		return jkn.Region{}, err
	case l.found >= 0:
		return l.v.region(l.found), nil
	case len(l.hits) > 1:
		regs := make([]jkn.Region, len(l.hits))
		for j, i := range l.hits {
			regs[j] = l.v.region(i)
		}
		return jkn.Region{}, newError(ReasonAmbiguous,
			"ambiguous village name %q: %s, all in %s; add a district (kecamatan) column or the dotted village code",
			name, r.joinRegions(regs), r.describe(parent))
	}
	if i, ok := r.districtNamed(parent.Code, readings(name)); ok {
		return r.regions[i], nil
	}
	return jkn.Region{}, r.unknownVillage(name, parent, l)
}

// villageLookup is a name looked up among the villages [lo, hi) of the
// table v: found is the one it denotes (-1: none or several), hits the
// several.
type villageLookup struct {
	v      *villageTable
	lo, hi int
	found  int
	hits   []int
}

// villagesNamed looks a name up among the villages of parent, a district
// or a regency.
func (r *Reference) villagesNamed(name string, parent jkn.Region) (villageLookup, error) {
	if strings.IndexFunc(name, isWordRune) < 0 {
		return villageLookup{}, newError(ReasonMissing,
			"region name %q has no letters or digits: write the village name or its dotted Kemendagri code", name)
	}
	v, err := r.villages()
	if err != nil {
		return villageLookup{}, err
	}
	l := villageLookup{v: v, found: -1}
	l.lo, l.hi = v.in(parent.Code)
	// The common case, without allocating: a sheet has thousands of rows.
	if i, n := v.namedWhole(l.lo, l.hi, name); n == 1 {
		l.found = i
		return l, nil
	}
	if l.hits = v.named(l.lo, l.hi, name); len(l.hits) == 1 {
		l.found = l.hits[0]
	}
	return l, nil
}

// unknownVillage explains that parent has no village of the name.
func (r *Reference) unknownVillage(name string, parent jkn.Region, l villageLookup) error {
	msg := jkn.Msgf("unknown region name %q: %s has no village (desa or kelurahan) of that name; write the village name as Kemendagri spells it, or the dotted village code",
		name, r.describe(parent))
	if sug := l.v.suggest(normKey(name), l.lo, l.hi); sug.Key != "" {
		msg = jkn.Msgf("%s; %s", msg, sug)
	}
	return newError(ReasonUnknown, "%s", msg)
}

// villageHint says, for a name that is no district of a regency, which of
// the regency's villages carry it: a village row without its district.
// It returns "" when none does.
func (r *Reference) villageHint(name string, regency jkn.Region) jkn.Message {
	v, err := r.villages()
	if err != nil {
		return jkn.Message{}
	}
	lo, hi := v.in(regency.Code)
	hits := v.named(lo, hi, name)
	if len(hits) == 0 {
		return jkn.Message{}
	}
	regs := make([]jkn.Region, 0, min(len(hits), 3))
	for _, i := range hits[:min(len(hits), 3)] {
		regs = append(regs, v.region(i))
	}
	list := r.joinRegions(regs)
	if len(hits) > 3 {
		list = jkn.Msgf("%s and %d more", list, len(hits)-3)
	}
	return jkn.Msgf("%q is a village (desa or kelurahan) name: %s; village rows need a district (kecamatan) column or the dotted village code, e.g. %q",
		name, list, regs[0].Code)
}

// suggest returns `did you mean "X" (code)?` for the villages in [lo, hi)
// nearest to k, as Reference.suggest does for the other levels.
func (v *villageTable) suggest(k string, lo, hi int) jkn.Message {
	hits := nearest(k, hi-lo, func(j int) (string, bool) { return v.key(lo + j), true })
	if len(hits) == 0 {
		return jkn.Message{}
	}
	for j := range hits {
		hits[j] += lo
	}
	forms := make([]string, 0, 3)
	for _, i := range hits[:min(len(hits), 3)] {
		forms = append(forms, fmt.Sprintf("%q (%s)", v.name(i), v.code(i)))
	}
	return jkn.Msgf("did you mean %s?", joinOr(forms))
}

// joinRegions describes regions as "A, B or C".
func (r *Reference) joinRegions(regs []jkn.Region) jkn.Message {
	parts := make([]jkn.Message, len(regs))
	for j, reg := range regs {
		parts[j] = r.describe(reg)
	}
	return joinOr(parts)
}
