package region

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// Reason classifies why a row's region could not be resolved, so findings
// can be counted by kind.
type Reason string

// The reasons Resolve and Province report.
const (
	ReasonInvalidCode Reason = "invalid_code" // the code is not a dotted Kemendagri code
	ReasonUnknown     Reason = "unknown"      // no region has that code or name
	ReasonAmbiguous   Reason = "ambiguous"    // several regions fit; the sheet must say which
	ReasonMismatch    Reason = "mismatch"     // code, name, type word, province or regency contradict each other
	ReasonMissing     Reason = "missing"      // the row lacks what resolution needs (a name, a district's regency)
)

// Error is why a row's region could not be resolved. Its message is shown
// to the branch office as a finding, so it says what is wrong and what the
// sheet should carry.
type Error struct {
	Reason  Reason
	Message string
	// Text is Message in the catalogue's terms (package lang), for the
	// finding to write in Indonesian.
	Text jkn.Message
}

func (e *Error) Error() string { return e.Message }

// Msg is the error's text as a message.
func (e *Error) Msg() jkn.Message { return e.Text }

// newError's format is a key of package lang's catalogue; an argument that
// is itself a message (another Error's Text) is written in the same
// language.
func newError(reason Reason, format string, args ...any) *Error {
	m := jkn.Msgf(format, args...)
	return &Error{Reason: reason, Message: m.String(), Text: m}
}

// Resolve finds the canonical region a sheet row means. It never guesses:
// when the row does not determine one region it returns an *Error saying
// why and what the sheet should carry.
//
// Codes: a dotted Kemendagri code ("16", "16.07", "16.07.01") is looked
// up; a name, province or regency given alongside must agree with it. An
// undotted code of more than two digits ("1607") is ambiguous, since BPS
// and Kemendagri number regencies differently, so it is ignored when the
// row has a name and an error otherwise; a two-digit code is a province
// (the same in both systems).
//
// Names: case, punctuation and spaces do not matter ("MUKO MUKO" =
// "Mukomuko", "Toli-Toli" = "Tolitoli", "Kep." = "Kepulauan"); a type word
// before or after the name ("Kab.", "Kabupaten", "Kota", "Kota Adm.",
// "Provinsi", "Prov.", "Kecamatan", ...) restricts the match to that kind
// of region; the official forms and older names in aliases.go are accepted.
// q.Province, a province name or code, restricts the match to that
// province. A name that fits several regions is an error: "Banjar" is
// Kabupaten Banjar (63.03) and Kota Banjar (32.79) unless a province or
// type word decides.
//
// A name shared by a province and one of its cities is ambiguous too:
// bare "Bengkulu" may be the province (17) or Kota Bengkulu (17.71), and
// likewise "Jambi", "Gorontalo" and "Yogyakarta"; the sheet must write
// "Provinsi Bengkulu" or "Kota Bengkulu", or a code. Picking either would
// put a province's figures on a city or the reverse, silently, and a
// province column does not help since the city lies in the province.
//
// Districts resolve by dotted code, or by name when q.Regency (a name or
// dotted code) says which regency: district names repeat across the
// country. In a district sheet, a row naming the regency itself resolves
// to the regency, unless q.Level says the row is a district: a district
// row is a district, whatever regency or city shares its name.
//
// Villages resolve by dotted code ("16.07.01.2001"), or by name when
// q.District says which district: a dotted district code, or a district
// name with q.Regency. A leading "Desa" or "Kelurahan" tells a desa from a
// kelurahan of the same name in one district. In a village sheet, a row
// naming the district itself resolves to the district. A village row
// (q.Level) with q.Regency and no district resolves by its name inside
// the regency: a name unique there is that village, one that repeats is
// ambiguous. The first village row loads the village table (tens of
// milliseconds, once).
//
// Old codes and names (renumbered and renamed regencies, data/changes/)
// resolve to today's region; Resolve does not say so, ResolveRow does: a
// sheet's rows go through ResolveRow, so an old code gets its finding.
func (r *Reference) Resolve(q Query) (jkn.Region, error) {
	res, err := r.ResolveRow(q)
	return res.Region, err
}

// resolve is Resolve on a query in today's codes and names.
func (r *Reference) resolve(q Query) (jkn.Region, error) {
	reg, err := r.resolveAny(q)
	if err != nil || q.Level == "" {
		return reg, err
	}
	fits := reg.Level == q.Level
	if q.Level == jkn.LevelVillage {
		fits = fits || reg.Level == jkn.LevelDistrict // a district's subtotal row
	}
	if q.Level != jkn.LevelDistrict && q.Level != jkn.LevelVillage || fits {
		return reg, nil
	}
	return jkn.Region{}, newError(ReasonMismatch,
		"%q is %s, but the row's column holds %s: a %s row never stands for a %s of the same name; write the %s's name as Kemendagri spells it, or its dotted code",
		strings.TrimSpace(q.Name+" "+q.Code), r.describe(reg), q.Level.Plural(), q.Level.Word(), reg.Level.Word(), q.Level.Word())
}

// resolveAny is resolve before the level check.
func (r *Reference) resolveAny(q Query) (jkn.Region, error) {
	code, name := strings.TrimSpace(q.Code), strings.TrimSpace(q.Name)
	regency, district := strings.TrimSpace(q.Regency), strings.TrimSpace(q.District)
	var prov *jkn.Region
	if s := strings.TrimSpace(q.Province); s != "" {
		p, err := r.Province(s)
		if err != nil {
			return jkn.Region{}, err
		}
		prov = &p
	}
	if code != "" {
		switch kind := classifyCode(code); {
		case kind == codeDotted:
			return r.resolveCode(code, name, regency, prov)
		case kind == codeVillage:
			return r.resolveVillageCode(code, name, district, regency, prov)
		case kind == codeUndotted && name != "":
			// BPS or Kemendagri numbering? The name is not ambiguous in
			// that way, so it decides and the code is ignored.
		default:
			return jkn.Region{}, r.codeError(code, kind)
		}
	}
	if name == "" {
		return jkn.Region{}, newError(ReasonMissing,
			"no region code or name: the row needs the dotted Kemendagri code (e.g. \"16.07\") or the region name")
	}
	switch {
	case district != "":
		return r.resolveVillage(name, district, regency, prov)
	case regency != "" && q.Level == jkn.LevelVillage:
		return r.resolveVillageIn(name, regency, prov)
	case regency != "":
		return r.resolveDistrict(name, regency, prov)
	case q.Level == jkn.LevelDistrict || q.Level == jkn.LevelVillage:
		return jkn.Region{}, r.needsParentError(name, q.Level, prov)
	}
	return r.resolveName(name, prov)
}

// needsParentError explains that a district or village name, written
// without a code in a sheet that says which level its rows are, needs the
// region above it.
func (r *Reference) needsParentError(name string, level jkn.Level, prov *jkn.Region) error {
	if level == jkn.LevelDistrict {
		for _, rd := range readings(name) {
			if rd.typ != typeNone && rd.typ != typeKecamatan {
				continue
			}
			if ds := r.districtsNamed(rd.key); len(ds) > 0 {
				return r.needsRegencyError(name, ds, prov)
			}
		}
		return newError(ReasonUnknown,
			"unknown district name %q: no district (kecamatan) has that name; district rows need a regency column, the regency named in a title row (\"KABUPATEN SIDOARJO\") or the dotted district code", name)
	}
	return newError(ReasonMissing,
		"%q is in a village (desa/kelurahan) column: village rows need a district (kecamatan) column, the regency named in a title row, or the dotted village code", name)
}

// codeKind is the shape of a code cell.
type codeKind uint8

const (
	codeMalformed codeKind = iota
	codeDotted             // "16", "16.07", "16.07.01"
	codeVillage            // "16.07.01.2001" (dotted too, resolved apart)
	codeUndotted           // "1607": BPS or Kemendagri
)

func classifyCode(s string) codeKind {
	switch {
	case isCode(s, 1), isCode(s, 2), isCode(s, 3):
		return codeDotted
	case len(s) == 13 && isCode(s[:8], 3) && s[8] == '.' && isDigits(s[9:]):
		return codeVillage
	case len(s) > 2 && isDigits(s):
		return codeUndotted
	}
	return codeMalformed
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// codeError explains a code that is not a dotted Kemendagri code.
func (r *Reference) codeError(code string, kind codeKind) error {
	switch kind {
	case codeUndotted:
		msg := jkn.Msgf("ambiguous region code %q: BPS and Kemendagri codes differ (BPS 1101 is Simeulue, Kemendagri 11.01 is Aceh Selatan), so an undotted code cannot be trusted; write the dotted Kemendagri code", code)
		if dotted := dotCode(code); dotted != "" {
			if reg, ok := r.Lookup(dotted); ok {
				msg = jkn.Msgf("%s (%q if Kemendagri %s, %s, is meant)", msg, dotted, dotted, reg.Name)
			}
		}
		return newError(ReasonAmbiguous, "%s or add the region name", msg)
	case codeVillage:
		return newError(ReasonMismatch,
			"region code %q is a village code, but the row's regency must be a regency or city; write the regency's code (%q)", code, code[:5])
	}
	msg := jkn.Msgf("malformed region code %q: Kemendagri codes have two digits per level, dotted (\"16\", \"16.07\", \"16.07.01\")", code)
	if lostTrailingZero(code) {
		msg = jkn.Msgf("%s; a code stored as a number loses its trailing zero (16.10 becomes 16.1), so format the code column as text", msg)
	}
	return newError(ReasonInvalidCode, "%s", msg)
}

// dotCode writes a 4- or 6-digit code in Kemendagri form, for a hint.
func dotCode(s string) string {
	switch len(s) {
	case 4:
		return s[:2] + "." + s[2:]
	case 6:
		return s[:2] + "." + s[2:4] + "." + s[4:]
	}
	return ""
}

// lostTrailingZero reports a code like "16.1" or "16.07.1": what a
// spreadsheet makes of 16.10 or 16.07.10 stored as a number.
func lostTrailingZero(s string) bool {
	n := len(s)
	return n >= 4 && s[n-2] == '.' && isDigits(s[n-1:]) &&
		(isCode(s[:n-2], 1) || isCode(s[:n-2], 2))
}

// resolveCode resolves a dotted code and checks the row's other cells
// against it.
func (r *Reference) resolveCode(code, name, regency string, prov *jkn.Region) (jkn.Region, error) {
	i, ok := r.byCode[code]
	if !ok {
		msg := jkn.Msgf("unknown region code %q: no Kemendagri province, regency, city or district has it", code)
		if name != "" {
			if other, err := r.resolveName(name, prov); err == nil {
				msg = jkn.Msgf("%s (the row's name %q is %s)", msg, name, r.describe(other))
			}
		}
		return jkn.Region{}, newError(ReasonUnknown, "%s; write the region's dotted Kemendagri code", msg)
	}
	reg := r.regions[i]
	if prov != nil && reg.ProvinceCode != prov.Code {
		where := ""
		switch reg.Level {
		case jkn.LevelRegency, jkn.LevelCity:
			where = " in " + reg.Province
		case jkn.LevelDistrict:
			where = ", " + reg.Province
		}
		return jkn.Region{}, newError(ReasonMismatch,
			"code %s is %s%s, but the row's province is %s; correct the code or the province",
			reg.Code, r.codeName(reg), where, prov.Name)
	}
	if name != "" && !r.nameFits(reg, name) {
		msg := jkn.Msgf("code %s is %s, but the row names %q", reg.Code, r.codeName(reg), name)
		if other, ok := r.nameMeans(reg, name, prov); ok {
			msg = jkn.Msgf("%s, which is %s", msg, r.describe(other))
		}
		return jkn.Region{}, newError(ReasonMismatch, "%s; correct the code or the name", msg)
	}
	if regency != "" && reg.Level != jkn.LevelProvince {
		parent, err := r.resolveRegency(regency, prov)
		if err != nil {
			return jkn.Region{}, err
		}
		want := reg.Code
		if reg.Level == jkn.LevelDistrict {
			want = reg.Code[:5]
		}
		if parent.Code != want {
			return jkn.Region{}, newError(ReasonMismatch,
				"code %s is %s, but the row's regency is %s; correct the code or the regency",
				reg.Code, r.describe(reg), r.describe(parent))
		}
	}
	return reg, nil
}

// nameMeans resolves a name that contradicts reg's code, for the message:
// a district name within reg's regency, other names as Resolve would.
func (r *Reference) nameMeans(reg jkn.Region, name string, prov *jkn.Region) (jkn.Region, bool) {
	if reg.Level == jkn.LevelDistrict {
		if i, ok := r.districtNamed(reg.Code[:5], readings(name)); ok {
			return r.regions[i], true
		}
		return jkn.Region{}, false
	}
	other, err := r.resolveName(name, prov)
	return other, err == nil
}

// nameFits reports whether a written name is a name of reg.
func (r *Reference) nameFits(reg jkn.Region, name string) bool {
	rds := readings(name)
	if reg.Level == jkn.LevelDistrict {
		i, ok := r.districtNamed(reg.Code[:5], rds)
		return ok && r.regions[i].Code == reg.Code
	}
	want := r.byCode[reg.Code]
	for _, rd := range rds {
		for _, e := range r.names[rd.key] {
			if e.idx == want && r.fits(e, rd.typ) {
				return true
			}
		}
	}
	return false
}

// districtNamed finds the district of a regency with the given name.
func (r *Reference) districtNamed(regencyCode string, rds []reading) (int32, bool) {
	for _, rd := range rds {
		if rd.typ != typeNone && rd.typ != typeKecamatan {
			continue
		}
		if i, ok := r.districtIn[districtKey{regency: regencyCode, name: rd.key}]; ok {
			return i, true
		}
	}
	return 0, false
}

// fits reports whether a name entry may answer a reading of type typ.
func (r *Reference) fits(e nameEntry, typ nameType) bool {
	if typ == typeNone {
		return !e.typed
	}
	return r.regions[e.idx].Level == typ.level()
}

// resolveName resolves a province, regency or city name.
func (r *Reference) resolveName(name string, prov *jkn.Region) (jkn.Region, error) {
	// A regency's or city's canonical name carries its type word and is
	// unique nationwide (TestEveryRegionResolvesToItself): it is that
	// region. Not a province's: bare "Bengkulu" stays ambiguous.
	if i, ok := r.canonical[name]; ok && r.regions[i].Level != jkn.LevelProvince && (prov == nil || r.regions[i].ProvinceCode == prov.Code) {
		return r.regions[i], nil
	}
	rds := readings(name)
	if len(rds) == 0 {
		return jkn.Region{}, newError(ReasonMissing,
			"region name %q has no letters or digits: write the region name or its dotted Kemendagri code", name)
	}
	var miss []int32 // regions the name matched but its type word excluded
	var missTyp nameType
	for _, rd := range rds {
		if rd.typ == typeKecamatan {
			if ds := r.districtsNamed(rd.key); len(ds) > 0 {
				return jkn.Region{}, r.needsRegencyError(name, ds, prov)
			}
		}
		var fit, other []int32
		for _, e := range r.names[rd.key] {
			switch {
			case r.fits(e, rd.typ):
				fit = append(fit, e.idx)
			case !e.typed:
				other = append(other, e.idx)
			}
		}
		if len(fit) > 0 {
			return r.pick(name, fit, prov)
		}
		if miss == nil && len(other) > 0 {
			miss, missTyp = other, rd.typ
		}
	}
	if miss != nil {
		return jkn.Region{}, newError(ReasonMismatch,
			"%q names a %s, but that name belongs to %s; correct the type word or add the dotted code",
			name, missTyp.word(), r.join(r.sorted(miss)))
	}
	for _, rd := range rds {
		if ds := r.districtsNamed(rd.key); len(ds) > 0 {
			return jkn.Region{}, r.needsRegencyError(name, ds, prov)
		}
	}
	var scope []int32
	if prov != nil {
		scope = append([]int32{r.byCode[prov.Code]}, r.children[prov.Code]...)
	} else {
		scope = make([]int32, r.nTop)
		for i := range scope {
			scope[i] = int32(i)
		}
	}
	msg := jkn.Msgf("unknown region name %q: no province, regency or city has that name; write the name as Kemendagri spells it, or the dotted code", name)
	if sug := r.suggest(rds[0].key, rds[0].typ.level(), scope); sug.Key != "" {
		msg = jkn.Msgf("%s; %s", msg, sug)
	}
	return jkn.Region{}, newError(ReasonUnknown, "%s", msg)
}

// pick chooses among the regions a name fits, using the province.
func (r *Reference) pick(name string, fit []int32, prov *jkn.Region) (jkn.Region, error) {
	fit = r.sorted(fit)
	in := fit
	if prov != nil {
		in = nil
		for _, i := range fit {
			if r.regions[i].ProvinceCode == prov.Code {
				in = append(in, i)
			}
		}
		if len(in) == 0 {
			return jkn.Region{}, newError(ReasonMismatch,
				"%q is not in %s: it is %s; correct the name or the province", name, prov.Name, r.join(fit))
		}
	}
	if len(in) == 1 {
		return r.regions[in[0]], nil
	}
	list := r.join(in)
	if !r.sameProvince(in) {
		return jkn.Region{}, newError(ReasonAmbiguous,
			"ambiguous name %q: %s; add a province column or a code, or set the source's province", name, list)
	}
	forms := make([]string, len(in))
	for j, i := range in {
		forms[j] = fmt.Sprintf("%q", displayName(r.regions[i]))
	}
	if len(slices.Compact(slices.Clone(forms))) < len(forms) {
		return jkn.Region{}, newError(ReasonAmbiguous, "ambiguous name %q: %s; add the dotted code", name, list)
	}
	return jkn.Region{}, newError(ReasonAmbiguous,
		"ambiguous name %q: %s; write %s, or add the dotted code", name, list, joinOr(forms))
}

// needsRegencyError explains that a district name needs its regency.
func (r *Reference) needsRegencyError(name string, ds []int32, prov *jkn.Region) error {
	list := ds
	if prov != nil {
		var in []int32
		for _, i := range ds {
			if r.regions[i].ProvinceCode == prov.Code {
				in = append(in, i)
			}
		}
		if len(in) > 0 {
			list = in
		}
	}
	list = r.sorted(list)
	const show = 3
	var shown jkn.Message
	if len(list) > show {
		parts := make([]jkn.Message, show)
		for j, i := range list[:show] {
			parts[j] = r.describe(r.regions[i])
		}
		shown = jkn.Msgf("%s and %d more", joinComma(parts), len(list)-show)
	} else {
		shown = r.join(list)
	}
	return newError(ReasonMissing,
		"%q is a district (kecamatan) name: %s; district names repeat across regencies, so district rows need a regency column or the dotted district code, e.g. %q",
		name, shown, r.regions[list[0]].Code)
}

// resolveDistrict resolves a district name within the row's regency.
func (r *Reference) resolveDistrict(name, regency string, prov *jkn.Region) (jkn.Region, error) {
	parent, err := r.resolveRegency(regency, prov)
	if err != nil {
		return jkn.Region{}, err
	}
	// A district's canonical name with no type word at either end reads
	// only as itself: it is that district (names are unique in a regency).
	if !typeWordAtEdge(name) {
		for _, i := range r.children[parent.Code] {
			if r.regions[i].Name == name {
				return r.regions[i], nil
			}
		}
	}
	rds := readings(name)
	if len(rds) == 0 {
		return jkn.Region{}, newError(ReasonMissing,
			"region name %q has no letters or digits: write the district name or its dotted Kemendagri code", name)
	}
	if i, ok := r.districtNamed(parent.Code, rds); ok {
		return r.regions[i], nil
	}
	if r.nameFits(parent, name) {
		return parent, nil
	}
	if hint := r.villageHint(name, parent); hint.Key != "" {
		return jkn.Region{}, newError(ReasonMissing, "%s", hint)
	}
	msg := jkn.Msgf("unknown region name %q: %s has no district of that name; write the district name as Kemendagri spells it, or the dotted district code",
		name, r.describe(parent))
	k := rds[len(rds)-1].key // the whole name: district names may start with "Kota"
	if rds[0].typ == typeKecamatan {
		k = rds[0].key
	}
	if sug := r.suggest(k, jkn.LevelDistrict, r.children[parent.Code]); sug.Key != "" {
		msg = jkn.Msgf("%s; %s", msg, sug)
	}
	return jkn.Region{}, newError(ReasonUnknown, "%s", msg)
}

// resolveRegency resolves the regency a district row names (q.Regency).
func (r *Reference) resolveRegency(raw string, prov *jkn.Region) (jkn.Region, error) {
	var reg jkn.Region
	var err error
	if isNumeric(raw) {
		if kind := classifyCode(raw); kind == codeDotted {
			reg, err = r.resolveCode(raw, "", "", prov)
		} else {
			err = r.codeError(raw, kind)
		}
	} else {
		reg, err = r.resolveName(raw, prov)
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			return jkn.Region{}, newError(e.Reason, "regency %q: %s", raw, e.Text)
		}
		return jkn.Region{}, fmt.Errorf("regency %q: %w", raw, err)
	}
	if reg.Level != jkn.LevelRegency && reg.Level != jkn.LevelCity {
		return jkn.Region{}, newError(ReasonMismatch,
			"regency %q is %s, not a regency or city; district rows need the kabupaten or kota they belong to", raw, r.describe(reg))
	}
	return reg, nil
}

// suggest returns `did you mean "X" (code)?` for the regions in scope
// whose key is nearest to k, if near enough; "" otherwise. level, if not
// empty, restricts the scope.
func (r *Reference) suggest(k string, level jkn.Level, scope []int32) jkn.Message {
	var hits []int32
	for _, j := range nearest(k, len(scope), func(j int) (string, bool) {
		i := scope[j]
		return r.keys[i], level == "" || r.regions[i].Level == level
	}) {
		hits = append(hits, scope[j])
	}
	if len(hits) == 0 {
		return jkn.Message{}
	}
	hits = r.sorted(hits)
	if len(hits) > 3 {
		hits = hits[:3]
	}
	forms := make([]string, len(hits))
	for j, i := range hits {
		reg := r.regions[i]
		forms[j] = fmt.Sprintf("%q (%s)", displayName(reg), reg.Code)
	}
	return jkn.Msgf("did you mean %s?", joinOr(forms))
}

// sorted returns idx sorted by level (province, regency, city, district),
// then code, so messages list regions in a stable, readable order.
func (r *Reference) sorted(idx []int32) []int32 {
	out := slices.Clone(idx)
	slices.SortFunc(out, func(a, b int32) int {
		ra, rb := r.regions[a], r.regions[b]
		return cmp.Or(cmp.Compare(levelRank(ra.Level), levelRank(rb.Level)), cmp.Compare(ra.Code, rb.Code))
	})
	return out
}

func levelRank(l jkn.Level) int {
	switch l {
	case jkn.LevelProvince:
		return 0
	case jkn.LevelRegency:
		return 1
	case jkn.LevelCity:
		return 2
	case jkn.LevelDistrict:
		return 3
	}
	return 4
}

func (r *Reference) sameProvince(idx []int32) bool {
	for _, i := range idx[1:] {
		if r.regions[i].ProvinceCode != r.regions[idx[0]].ProvinceCode {
			return false
		}
	}
	return true
}

// join describes regions as "A, B or C".
func (r *Reference) join(idx []int32) jkn.Message {
	parts := make([]jkn.Message, len(idx))
	for j, i := range idx {
		parts[j] = r.describe(r.regions[i])
	}
	return joinOr(parts)
}

// joinOr lists alternatives: "A, B or C" ("A, B atau C").
func joinOr[T any](parts []T) jkn.Message {
	if len(parts) <= 1 {
		return joinComma(parts)
	}
	return jkn.Msgf("%s or %s", joinComma(parts[:len(parts)-1]), parts[len(parts)-1])
}

// joinComma writes parts as "A, B, C"; a part that is a message is written
// in the message's language.
func joinComma[T any](parts []T) jkn.Message {
	if len(parts) == 0 {
		return jkn.Msgf("%s", "")
	}
	m := jkn.Msgf("%s", parts[0])
	for _, p := range parts[1:] {
		m = jkn.Msgf("%s, %s", m, p)
	}
	return m
}

// displayName is a region's name as a sheet should write it to be
// unambiguous: provinces get their "Provinsi" type word, regency and city
// names carry theirs already.
func displayName(reg jkn.Region) string {
	if reg.Level == jkn.LevelProvince {
		return "Provinsi " + reg.Name
	}
	return reg.Name
}

// codeName is what a code stands for, in "code X is ..." messages:
// "Kabupaten Banyuasin", "Provinsi Bengkulu", "Betung in Kabupaten Banyuasin",
// "Sedang in Suak Tapeh, Kabupaten Banyuasin".
func (r *Reference) codeName(reg jkn.Region) jkn.Message {
	switch reg.Level {
	case jkn.LevelDistrict:
		if i, ok := r.byCode[reg.Code[:5]]; ok {
			return jkn.Msgf("%s in %s", reg.Name, r.regions[i].Name)
		}
	case jkn.LevelVillage:
		if i, ok := r.byCode[reg.Code[:8]]; ok {
			return jkn.Msgf("%s in %s", reg.Name, r.codeName(r.regions[i]))
		}
	}
	return jkn.Msgf("%s", displayName(reg))
}

// describe names a region with its code and where it lies: "Provinsi
// Bengkulu (17)", "Kabupaten Banjar (63.03, Kalimantan Selatan)",
// "Talang Kelapa (16.07.05, Kabupaten Banyuasin)".
func (r *Reference) describe(reg jkn.Region) jkn.Message {
	switch reg.Level {
	case jkn.LevelProvince:
		return jkn.Msgf("%s (%s)", displayName(reg), reg.Code)
	case jkn.LevelDistrict:
		parent := reg.Code[:5]
		if i, ok := r.byCode[parent]; ok {
			parent = r.regions[i].Name
		}
		return jkn.Msgf("%s (%s, %s)", reg.Name, reg.Code, parent)
	case jkn.LevelVillage:
		if i, ok := r.byCode[reg.Code[:8]]; ok {
			return jkn.Msgf("%s (%s, %s)", reg.Name, reg.Code, r.codeName(r.regions[i]))
		}
		return jkn.Msgf("%s (%s, %s)", reg.Name, reg.Code, reg.Code[:8])
	}
	return jkn.Msgf("%s (%s, %s)", reg.Name, reg.Code, reg.Province)
}
