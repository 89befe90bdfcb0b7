package region

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// Reference is the table of Kemendagri provinces, regencies, cities and
// districts, with the name indexes Resolve uses. It is immutable after Load
// and safe for concurrent use.
type Reference struct {
	regions []jkn.Region // provinces, then regencies and cities, then districts, as read
	keys    []string     // per region: normalised name without its type word
	byCode  map[string]int32
	// children maps a parent code to its children's indexes, sorted by code;
	// "" holds the provinces.
	children map[string][]int32
	// names maps a normalised name to the provinces, regencies and cities
	// (and aliases) that carry it.
	names map[string][]nameEntry
	// provinceNames maps a normalised name to a province, for Province.
	provinceNames map[string]int32
	// canonical maps the canonical names of the provinces and of the
	// regencies and cities, as the reference writes them, to the region:
	// sheets mostly copy them, and a village sheet repeats them on each of
	// its 84,000 rows, so Resolve answers them without normalising.
	canonical map[string]int32
	// districtIn maps a regency and a normalised district name to the
	// district: names are unique within a regency, not across regencies.
	districtIn map[districtKey]int32
	// nTop is the number of provinces, regencies and cities, which come
	// first in regions.
	nTop int
	// places holds the centre points and 2025 populations (data/geo/).
	places *places
	// changes holds the old codes and names (data/changes/).
	changes *changes

	// The villages (83,762) are read on first use, from fsys: an exporter
	// that reads regency or district sheets never pays for them.
	fsys        fs.FS
	villageOnce sync.Once
	village     *villageTable
	villageErr  error
}

// districtKey indexes a district by its regency's code and its
// normalised name (a struct, so lookups build no string).
type districtKey struct {
	regency, name string
}

// districtsNamed returns every district with the normalised name k,
// nationwide. Only error messages need it, so it scans rather than keeping
// a 7,000-entry index that Load would pay for.
func (r *Reference) districtsNamed(k string) []int32 {
	var out []int32
	for i := r.nTop; i < len(r.keys); i++ {
		if r.keys[i] == k {
			out = append(out, int32(i))
		}
	}
	return out
}

// nameEntry is one region a normalised name may denote.
type nameEntry struct {
	idx int32
	// typed marks an alias that only applies when the written name carries
	// the region's type word ("Kabupaten Pontianak", not "Pontianak").
	typed bool
}

// Load parses the embedded idn-area-data reference (data/) and builds the
// name indexes. It runs at start-up; the table is about 7,800 rows.
func Load() (*Reference, error) {
	r, err := load(dataFiles)
	if err != nil {
		return nil, fmt.Errorf("load region reference: %w", err)
	}
	if r.places, err = loadPlaces(geoFiles, r); err != nil {
		return nil, fmt.Errorf("load region reference: %w", err)
	}
	if r.changes, err = loadChanges(changeFiles, r); err != nil {
		return nil, fmt.Errorf("load region reference: %w", err)
	}
	return r, nil
}

// File names inside the data file system.
const (
	provincesFile = "data/provinces.csv"
	regenciesFile = "data/regencies.csv"
	districtsFile = "data/districts.csv"
)

// load reads the reference from fsys; tests use it with broken tables.
func load(fsys fs.FS) (*Reference, error) {
	r := &Reference{
		changes:       &changes{}, // none until Load reads them
		fsys:          fsys,
		regions:       make([]jkn.Region, 0, 7900),
		keys:          make([]string, 0, 7900),
		byCode:        make(map[string]int32, 7900),
		children:      make(map[string][]int32, 560),
		names:         make(map[string][]nameEntry, 600),
		provinceNames: make(map[string]int32, 48),
		canonical:     make(map[string]int32, 560),
		districtIn:    make(map[districtKey]int32, 7300),
	}
	if err := readCSV(fsys, provincesFile, []string{"code", "name"}, r.addProvince); err != nil {
		return nil, err
	}
	if err := readCSV(fsys, regenciesFile, []string{"code", "province_code", "name"}, r.addRegency); err != nil {
		return nil, err
	}
	r.nTop = len(r.regions)
	if err := readCSV(fsys, districtsFile, []string{"code", "regency_code", "name"}, r.addDistrict); err != nil {
		return nil, err
	}
	for _, a := range aliases() {
		if err := r.addAlias(a); err != nil {
			return nil, fmt.Errorf("alias %q: %w", a.name, err)
		}
	}
	// The files are in code order today; sorting keeps Children's promise
	// if a future version is not.
	for _, c := range r.children {
		slices.SortFunc(c, func(a, b int32) int { return cmp.Compare(r.regions[a].Code, r.regions[b].Code) })
	}
	return r, nil
}

// readCSV reads a reference file with the given header, calling add for
// each record; add's errors get the file name and line.
func readCSV(fsys fs.FS, name string, header []string, add func(rec []string) error) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	return readRecords(f, name, header, add)
}

// readRecords reads CSV records from rd, as readCSV does; name is for
// messages.
func readRecords(rd io.Reader, name string, header []string, add func(rec []string) error) error {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = len(header)
	cr.ReuseRecord = true // the strings are fresh per record; only the slice is reused
	rec, err := cr.Read()
	if err != nil {
		return fmt.Errorf("read %s header: %w", name, err)
	}
	if !slices.Equal(rec, header) {
		return fmt.Errorf("%s: header is %q, want %q", name, rec, header)
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		if err := add(rec); err != nil {
			line, _ := cr.FieldPos(0)
			return fmt.Errorf("%s line %d: %w", name, line, err)
		}
	}
}

// add appends a region and indexes it by code and under its parent.
func (r *Reference) add(reg jkn.Region, key, parent string) (int32, error) {
	if _, dup := r.byCode[reg.Code]; dup {
		return 0, fmt.Errorf("duplicate code %s", reg.Code)
	}
	if key == "" {
		return 0, fmt.Errorf("code %s: empty name %q", reg.Code, reg.Name)
	}
	i := int32(len(r.regions))
	r.regions = append(r.regions, reg)
	r.keys = append(r.keys, key)
	r.byCode[reg.Code] = i
	r.children[parent] = append(r.children[parent], i)
	return i, nil
}

func (r *Reference) addProvince(rec []string) error {
	code, name := rec[0], strings.TrimSpace(rec[1])
	if !isCode(code, 1) {
		return fmt.Errorf("province code %q is not two digits", code)
	}
	k := normKey(name)
	i, err := r.add(jkn.Region{Code: code, Name: name, Level: jkn.LevelProvince, ProvinceCode: code, Province: name}, k, "")
	if err != nil {
		return err
	}
	r.addName(k, nameEntry{idx: i})
	r.provinceNames[k] = i
	r.canonical[name] = i
	return nil
}

func (r *Reference) addRegency(rec []string) error {
	code, provCode, name := rec[0], rec[1], strings.TrimSpace(rec[2])
	if !isCode(code, 2) || code[:2] != provCode {
		return fmt.Errorf("regency code %q does not have the form %s.NN", code, provCode)
	}
	p, ok := r.byCode[provCode]
	if !ok {
		return fmt.Errorf("regency %s: unknown province %s", code, provCode)
	}
	// Kemendagri numbers kabupaten 01-69 and kota 71-99; the name's type
	// word must agree, or the level label would contradict the name.
	n, _ := strconv.Atoi(code[3:])
	var level jkn.Level
	var want nameType
	switch {
	case n >= 1 && n <= 69:
		level, want = jkn.LevelRegency, typeKabupaten
	case n >= 71 && n <= 99:
		level, want = jkn.LevelCity, typeKota
	default:
		return fmt.Errorf("regency code %s: %02d is neither a kabupaten (01-69) nor a kota (71-99) number", code, n)
	}
	rd := readings(name)
	if len(rd) < 2 || rd[0].typ != want {
		return fmt.Errorf("regency %s: name %q does not start with %q as its code says", code, name, want.word())
	}
	prov := r.regions[p]
	i, err := r.add(jkn.Region{Code: code, Name: name, Level: level, ProvinceCode: prov.Code, Province: prov.Name}, rd[0].key, provCode)
	if err != nil {
		return err
	}
	r.addName(rd[0].key, nameEntry{idx: i})
	r.canonical[name] = i
	return nil
}

func (r *Reference) addDistrict(rec []string) error {
	code, regCode, name := rec[0], rec[1], strings.TrimSpace(rec[2])
	if !isCode(code, 3) || code[:5] != regCode {
		return fmt.Errorf("district code %q does not have the form %s.NN", code, regCode)
	}
	p, ok := r.byCode[regCode]
	if !ok || p >= int32(r.nTop) {
		return fmt.Errorf("district %s: unknown regency %s", code, regCode)
	}
	parent := r.regions[p]
	// District names are keyed whole: many start with "Kota" ("Kota
	// Mukomuko" is a district of Kabupaten Mukomuko) and are not typed.
	k := normKey(name)
	i, err := r.add(jkn.Region{Code: code, Name: name, Level: jkn.LevelDistrict, ProvinceCode: parent.ProvinceCode, Province: parent.Province}, k, regCode)
	if err != nil {
		return err
	}
	in := districtKey{regency: regCode, name: k}
	if j, dup := r.districtIn[in]; dup {
		return fmt.Errorf("districts %s and %s of %s have the same name %q", r.regions[j].Code, code, regCode, name)
	}
	r.districtIn[in] = i
	return nil
}

// addAlias indexes another name of a province, regency or city.
func (r *Reference) addAlias(a alias) error {
	i, ok := r.byCode[a.code]
	if !ok || i >= int32(r.nTop) {
		return fmt.Errorf("code %s is not a province, regency or city", a.code)
	}
	rd := readings(a.name)
	if len(rd) == 0 {
		return errors.New("empty alias")
	}
	reg := r.regions[i]
	e := nameEntry{idx: i, typed: rd[0].typ != typeNone}
	if e.typed && rd[0].typ.level() != reg.Level {
		return fmt.Errorf("type word does not match %s, a %s", reg.Code, reg.Level)
	}
	r.addName(rd[0].key, e)
	if reg.Level == jkn.LevelProvince && !e.typed {
		r.provinceNames[rd[0].key] = i
	}
	return nil
}

// addName adds e under key unless that region is there already.
func (r *Reference) addName(key string, e nameEntry) {
	for _, old := range r.names[key] {
		if old.idx == e.idx {
			return
		}
	}
	r.names[key] = append(r.names[key], e)
}

// isCode reports whether s is a dotted code of the given number of
// two-digit parts: "16" (1), "16.07" (2), "16.07.01" (3).
func isCode(s string, parts int) bool {
	if len(s) != 3*parts-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i%3 == 2 {
			if s[i] != '.' {
				return false
			}
		} else if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Lookup returns the region with the dotted Kemendagri code ("16",
// "16.07", "16.07.01", "16.07.01.2001"); surrounding spaces are ignored.
// The first village code looked up loads the villages.
func (r *Reference) Lookup(code string) (jkn.Region, bool) {
	code = strings.TrimSpace(code)
	if classifyCode(code) == codeVillage {
		v, err := r.villages()
		if err != nil {
			return jkn.Region{}, false
		}
		i, ok := v.find(code)
		if !ok {
			return jkn.Region{}, false
		}
		return v.region(i), true
	}
	i, ok := r.byCode[code]
	if !ok {
		return jkn.Region{}, false
	}
	return r.regions[i], true
}

// Provinces returns the 38 provinces, sorted by code.
func (r *Reference) Provinces() []jkn.Region {
	return r.list(r.children[""])
}

// Children returns the regencies and cities of a province, the districts
// of a regency or city, or the villages of a district, sorted by code; nil
// for a village, an unknown code or "" (use Provinces). Asking for a
// district's villages loads the villages.
func (r *Reference) Children(code string) []jkn.Region {
	code = strings.TrimSpace(code)
	if code == "" {
		return nil
	}
	if isCode(code, 3) {
		if _, ok := r.byCode[code]; !ok {
			return nil
		}
		v, err := r.villages()
		if err != nil {
			return nil
		}
		lo, hi := v.in(code)
		if lo == hi {
			return nil
		}
		out := make([]jkn.Region, 0, hi-lo)
		for i := lo; i < hi; i++ {
			out = append(out, v.region(i))
		}
		return out
	}
	return r.list(r.children[code])
}

// list copies the regions at idx, so callers cannot change the table.
func (r *Reference) list(idx []int32) []jkn.Region {
	if len(idx) == 0 {
		return nil
	}
	out := make([]jkn.Region, len(idx))
	for j, i := range idx {
		out[j] = r.regions[i]
	}
	return out
}

// Province resolves a province written as its 2-digit code ("16") or its
// name: case, punctuation and spaces do not matter, a "Provinsi"/"Prov."
// prefix is allowed, and the official forms in aliases.go are accepted
// ("DKI Jakarta", "Jakarta", "DI Yogyakarta", "Yogyakarta", "Kep. Bangka
// Belitung", "Bangka Belitung"). Only provinces are considered, so
// "Bengkulu" and "Yogyakarta" are the provinces here, unlike in Resolve.
func (r *Reference) Province(nameOrCode string) (jkn.Region, error) {
	s := strings.TrimSpace(nameOrCode)
	if s == "" {
		return jkn.Region{}, newError(ReasonMissing, "empty province: write the province name or its 2-digit Kemendagri code")
	}
	if i, ok := r.canonical[s]; ok && r.regions[i].Level == jkn.LevelProvince {
		return r.regions[i], nil
	}
	if isNumeric(s) {
		if !isCode(s, 1) {
			return jkn.Region{}, newError(ReasonInvalidCode,
				"%q is not a province code: province codes have two digits, e.g. \"16\"", s)
		}
		i, ok := r.byCode[s]
		if !ok {
			return jkn.Region{}, newError(ReasonUnknown,
				"unknown province code %q: no Kemendagri province has it; write the province name or its 2-digit code, e.g. \"16\"", s)
		}
		return r.regions[i], nil
	}
	rds := readings(s)
	for _, rd := range rds {
		if rd.typ != typeNone && rd.typ != typeProvinsi {
			continue
		}
		if i, ok := r.provinceNames[rd.key]; ok {
			return r.regions[i], nil
		}
	}
	msg := jkn.Msgf("unknown province %q", s)
	reg, err := r.resolveName(s, nil)
	if err == nil {
		msg = jkn.Msgf("%s: that is %s, not a province", msg, r.describe(reg))
	}
	msg = jkn.Msgf("%s; write the province name as Kemendagri spells it (e.g. \"Sumatera Selatan\") or its 2-digit code", msg)
	if err != nil && len(rds) > 0 {
		if sug := r.suggest(rds[0].key, jkn.LevelProvince, r.children[""]); sug.Key != "" {
			msg = jkn.Msgf("%s; %s", msg, sug)
		}
	}
	return jkn.Region{}, newError(ReasonUnknown, "%s", msg)
}

// isNumeric reports whether s has only digits and dots, i.e. is meant as
// a code rather than a name.
func isNumeric(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != '.' {
			return false
		}
	}
	return true
}
