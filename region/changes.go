package region

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// changeFiles holds the regencies renumbered and renamed since Permendagri
// 137/2017 and where the districts and villages of the renumbered ones
// went (MIT, from github.com/cahyadsn/wilayah, see data/changes/README.md).
// A package variable only because go:embed requires one; nothing writes to
// it.
//
//go:embed data/changes/region_code_changes.csv data/changes/district_village_code_changes.csv
var changeFiles embed.FS

// File names inside the changes file system.
const (
	regencyChangesFile = "data/changes/region_code_changes.csv"
	subChangesFile     = "data/changes/district_village_code_changes.csv"
)

// ChangeKind is how a region changed.
type ChangeKind string

// The kinds of change the table lists.
const (
	// Renumbered: the same region under a new code (the Papua provinces
	// split in 2022, Papua Barat Daya in 2025), with its districts and
	// villages.
	Renumbered ChangeKind = "renumbered"
	// Renamed: the same code under a new name or spelling.
	Renamed ChangeKind = "renamed"
)

// Change is one region whose Kemendagri code or name changed since
// Permendagri 137/2017: a regency or city of region_code_changes.csv, or a
// district or village of a renumbered one.
type Change struct {
	Kind ChangeKind
	// OldCode and OldName are as the older decree lists them ("91.01",
	// "KAB. MERAUKE"); OldParent is where the region lay then: its province
	// for a regency, its regency and province for a district or village.
	OldCode, OldName, OldParent string
	// ListedUntil is the last decree that listed the old code and name;
	// ChangedBy the decree that changed them.
	ListedUntil, ChangedBy string
	// NewCode and NewName are today's code and canonical name; NewParent as
	// OldParent.
	NewCode, NewName, NewParent string
}

// Remap is an old code or name that a sheet row used, read as today's.
type Remap struct {
	Change
	// Field is the row's cell that carried it: jkn.FieldCode, FieldName,
	// FieldProvince, FieldRegency or FieldDistrict; Written is what it said.
	Field   jkn.Field
	Written string
}

// String says what the row wrote and what it is today, for a finding:
// `code "91.01" is an old code: 91.01 KAB. MERAUKE (Papua) until
// Permendagri 58/2021 (...), 93.01 Kabupaten Merauke (Papua Selatan) since
// Kepmendagri 100.1.1-6117/2022`.
func (m Remap) String() string { return m.Msg().String() }

// Msg is String as a message, for the finding to write in either language.
func (m Remap) Msg() jkn.Message {
	c := m.Change
	old := c.OldCode + " " + c.OldName
	now := c.NewCode + " " + c.NewName
	if c.Kind == Renumbered {
		old += " (" + c.OldParent + ")"
		now += " (" + c.NewParent + ")"
	}
	what := jkn.Msgf("code")
	switch m.Field {
	case jkn.FieldName, jkn.FieldRegency, jkn.FieldDistrict:
		if !isNumeric(m.Written) {
			what = jkn.Msgf("name")
		}
	case jkn.FieldProvince:
		what = jkn.Msgf("province")
	}
	return jkn.Msgf("%s %q is an old %s: %s until %s, %s since %s", m.Field, m.Written, what, old, c.ListedUntil, now, c.ChangedBy)
}

// Resolution is the region a sheet row resolved to and the old codes and
// names it took to get there.
type Resolution struct {
	Region jkn.Region
	// Remaps lists each change the row's old codes or names went through,
	// once, with the first cell that showed it (in the order code,
	// regency, district, name, province); nil when the row is written in
	// today's codes and names.
	Remaps []Remap
}

// The states of a district or village in district_village_code_changes.csv.
const (
	subRenumbered  = "renumbered"   // one successor of the same name
	subAreaChanged = "area_changed" // a district whose villages did not all stay with it
	subNone        = "no_successor" // no successor of that name
	subAmbiguous   = "ambiguous"    // several successors of that name
)

// changes indexes the change tables.
type changes struct {
	regencies []Change
	// byOld maps the old code of a renumbered regency to it; byNew its
	// code today.
	byOld, byNew map[string]int32
	// oldNames maps the key of an old name that no region carries today to
	// its regency, with the type word the old name had.
	oldNames map[string]oldName
	// moved maps the name keys (old and new) of the renumbered regencies
	// that changed province to them: "Merauke" in Papua is Kabupaten
	// Merauke, now of Papua Selatan. Kabupaten and Kota Sorong share one.
	moved map[string][]int32
	// wholeKeys holds the keys of oldNames and moved as a whole name
	// would give them, with any type word before or after: a row's name
	// is read (readings) only if its key is one of them.
	wholeKeys map[string]bool
	// subs maps the old district and village codes of the renumbered
	// regencies, as every older decree listed them, to where they went.
	// It is read from fsys the first time a row carries such a code (a
	// sheet of today's codes never pays for its 6,000 rows), once.
	fsys    fs.FS
	subOnce sync.Once
	subs    map[string]subChange
	subErr  error
}

type oldName struct {
	idx int32
	typ nameType
}

// subChange is a row of district_village_code_changes.csv.
type subChange struct {
	regency int32 // the regency's renumbering
	oldName string
	status  string
	newCode string // "" unless renumbered or area_changed
	newName string
	detail  string // what area_changed, ambiguous or no_successor means here
}

// loadChanges reads the change tables from fsys and checks them against
// the reference: every new code is today's, under its canonical name; a
// renamed regency keeps its code; an old name is nobody's name today.
func loadChanges(fsys fs.FS, r *Reference) (*changes, error) {
	c := &changes{byOld: map[string]int32{}, byNew: map[string]int32{}, oldNames: map[string]oldName{},
		moved: map[string][]int32{}, wholeKeys: map[string]bool{}, fsys: fsys}
	header := []string{"old_code", "old_name", "listed_until", "change", "changed_by", "new_code", "new_name"}
	err := readCSV(fsys, regencyChangesFile, header, func(rec []string) error {
		ch := Change{Kind: ChangeKind(rec[3]), OldCode: rec[0], OldName: strings.TrimSpace(rec[1]),
			ListedUntil: rec[2], ChangedBy: rec[4], NewCode: rec[5], NewName: rec[6]}
		return c.addRegency(r, ch)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// subChanges returns the old district and village codes, reading them on
// first use. The Reference stays safe for concurrent use: the read runs
// once.
func (r *Reference) subChanges() (map[string]subChange, error) {
	c := r.changes
	c.subOnce.Do(func() {
		c.subs, c.subErr = c.loadSubs(r)
		if c.subErr != nil {
			c.subErr = fmt.Errorf("load region code changes: %w", c.subErr)
		}
	})
	return c.subs, c.subErr
}

// loadSubs reads district_village_code_changes.csv and checks it against
// the reference and the regency changes.
func (c *changes) loadSubs(r *Reference) (map[string]subChange, error) {
	subs := make(map[string]subChange, 6200)
	err := readCSV(c.fsys, subChangesFile, []string{"old_code", "old_name", "status", "new_code", "new_name", "detail"}, func(rec []string) error {
		return c.addSub(r, subs, rec)
	})
	if err != nil {
		return nil, err
	}
	return subs, nil
}

func (c *changes) addRegency(r *Reference, ch Change) error {
	if !isCode(ch.OldCode, 2) {
		return fmt.Errorf("old code %q is not a regency code", ch.OldCode)
	}
	i, ok := r.byCode[ch.NewCode]
	if !ok || i >= int32(r.nTop) || r.regions[i].Level == jkn.LevelProvince {
		return fmt.Errorf("new code %s is not a regency or city today", ch.NewCode)
	}
	now := r.regions[i]
	if now.Name != ch.NewName {
		return fmt.Errorf("new code %s is %s today, not %q", ch.NewCode, now.Name, ch.NewName)
	}
	rd := readings(ch.OldName)
	if len(rd) < 2 || rd[0].typ.level() != now.Level {
		return fmt.Errorf("old name %q of %s does not start with the type word of %s", ch.OldName, ch.OldCode, now.Name)
	}
	oldProv, ok := r.byCode[ch.OldCode[:2]]
	if !ok {
		return fmt.Errorf("old code %s: no province %s today", ch.OldCode, ch.OldCode[:2])
	}
	ch.OldParent, ch.NewParent = r.regions[oldProv].Name, now.Province
	idx := int32(len(c.regencies))
	switch ch.Kind {
	case Renamed:
		if ch.OldCode != ch.NewCode {
			return fmt.Errorf("renamed %s has a new code %s: that is a renumbering", ch.OldCode, ch.NewCode)
		}
	case Renumbered:
		if ch.OldCode == ch.NewCode {
			return fmt.Errorf("renumbered %s keeps its code", ch.OldCode)
		}
		if _, dup := c.byOld[ch.OldCode]; dup {
			return fmt.Errorf("old code %s renumbered twice", ch.OldCode)
		}
		if _, dup := c.byNew[ch.NewCode]; dup {
			return fmt.Errorf("new code %s given twice", ch.NewCode)
		}
		c.byOld[ch.OldCode], c.byNew[ch.NewCode] = idx, idx
		if ch.OldCode[:2] != ch.NewCode[:2] {
			// Its old province and either name place it there. Neither key
			// may name a region of that province today, or "Merauke" with
			// province Papua would have two readings.
			for _, k := range slices.Compact([]string{rd[0].key, r.keys[i]}) {
				for _, j := range r.children[ch.OldCode[:2]] {
					if r.keys[j] == k {
						return fmt.Errorf("%s %s: %s of province %s has its name today", ch.OldCode, ch.OldName, r.regions[j].Code, ch.OldCode[:2])
					}
				}
				c.moved[k] = append(c.moved[k], idx)
				c.addWholeKeys(k)
			}
		}
	default:
		return fmt.Errorf("change %q is neither %q nor %q", ch.Kind, Renumbered, Renamed)
	}
	// An old name that normalises to today's needs no translation: the row
	// is written in today's terms.
	if k := rd[0].key; k != r.keys[i] {
		if es := r.names[k]; len(es) > 0 {
			return fmt.Errorf("old name %q of %s is %s's name today", ch.OldName, ch.OldCode, r.regions[es[0].idx].Code)
		}
		if ds := r.districtsNamed(k); len(ds) > 0 {
			return fmt.Errorf("old name %q of %s is the name of district %s today", ch.OldName, ch.OldCode, r.regions[ds[0]].Code)
		}
		if _, dup := c.oldNames[k]; dup {
			return fmt.Errorf("old name %q given twice", ch.OldName)
		}
		c.oldNames[k] = oldName{idx: idx, typ: rd[0].typ}
		c.addWholeKeys(k)
	}
	c.regencies = append(c.regencies, ch)
	return nil
}

// addWholeKeys adds the whole-name keys whose readings include k: k
// itself, k after or before a type word, and after "Kabupaten/Kota
// Administrasi".
func (c *changes) addWholeKeys(k string) {
	c.wholeKeys[k] = true
	for _, w := range typeWords() {
		c.wholeKeys[w+k], c.wholeKeys[k+w] = true, true
		if t, _ := typeWord(w); t == typeKabupaten || t == typeKota {
			c.wholeKeys[w+"administrasi"+k], c.wholeKeys[w+"adm"+k] = true, true
		}
	}
}

// mayName reports whether a written name can be one of the old names or
// moved regencies, without allocating: readings then tells.
func (c *changes) mayName(name string) bool {
	var buf [128]byte
	return c.wholeKeys[string(appendKey(buf[:0], name))]
}

func (c *changes) addSub(r *Reference, subs map[string]subChange, rec []string) error {
	code, name, status, newCode, newName := rec[0], strings.TrimSpace(rec[1]), rec[2], rec[3], rec[4]
	kind := classifyCode(code)
	if (kind != codeDotted || !isCode(code, 3)) && kind != codeVillage {
		return fmt.Errorf("old code %q is not a district or village code", code)
	}
	i, ok := c.byOld[code[:5]]
	if !ok {
		return fmt.Errorf("old code %s is not under a renumbered regency", code)
	}
	if _, dup := subs[code]; dup {
		return fmt.Errorf("duplicate old code %s", code)
	}
	reg := c.regencies[i]
	switch status {
	case subRenumbered, subAreaChanged:
		if len(newCode) != len(code) || newCode[:5] != reg.NewCode {
			return fmt.Errorf("old code %s: new code %q is not under %s", code, newCode, reg.NewCode)
		}
		if normKey(name) != normKey(newName) {
			return fmt.Errorf("old code %s: %q and %q are not one name", code, name, newName)
		}
		// Villages are checked by the tests: reading them here would load
		// the village table for every exporter.
		if kind != codeVillage {
			j, ok := r.byCode[newCode]
			if !ok || r.regions[j].Name != newName {
				return fmt.Errorf("old code %s: new code %s is not %q today", code, newCode, newName)
			}
		}
	case subNone, subAmbiguous:
		if newCode != "" {
			return fmt.Errorf("old code %s: %s, but new code %q", code, status, newCode)
		}
	default:
		return fmt.Errorf("old code %s: unknown status %q", code, status)
	}
	subs[code] = subChange{regency: i, oldName: name, status: status, newCode: newCode, newName: newName, detail: rec[5]}
	return nil
}

// change is the Change of an old district or village code; subs are the
// loaded ones.
func (c *changes) change(r *Reference, subs map[string]subChange, code string, s subChange) Change {
	reg := c.regencies[s.regency]
	ch := Change{Kind: Renumbered, OldCode: code, OldName: s.oldName, OldParent: reg.OldName + ", " + reg.OldParent,
		ListedUntil: reg.ListedUntil, ChangedBy: reg.ChangedBy, NewCode: s.newCode, NewName: s.newName}
	if ch.NewCode != "" {
		ch.NewParent = reg.NewName + ", " + reg.NewParent
		if len(code) > 8 {
			if d, ok := r.byCode[s.newCode[:8]]; ok {
				ch.NewParent = r.regions[d].Name + ", " + ch.NewParent
			}
		}
	}
	if len(code) > 8 {
		if d, ok := subs[code[:8]]; ok {
			ch.OldParent = d.oldName + ", " + ch.OldParent
		}
	}
	return ch
}

// Changes returns the regencies and cities renumbered or renamed since
// Permendagri 137/2017, as region_code_changes.csv lists them.
func (r *Reference) Changes() []Change {
	return slices.Clone(r.changes.regencies)
}

// MovedOut returns the renumberings that moved regencies out of a
// province into new ones (Papua 91 into 93, 94 and 95; Papua Barat 92
// into 96): a sheet from before them counts those regencies in the
// province's own figures. Nil for other provinces.
func (r *Reference) MovedOut(province string) []Change {
	var out []Change
	for _, ch := range r.changes.regencies {
		if ch.Kind == Renumbered && ch.OldCode[:2] == province && ch.NewCode[:2] != province {
			out = append(out, ch)
		}
	}
	return out
}

// ResolveRow resolves a sheet row as Resolve does, and reads old codes and
// names as today's region, saying so in Remaps:
//
//   - the old code of a renumbered regency or city ("91.01", Merauke in
//     Papua until 2022) is its code today (93.01, Papua Selatan);
//   - the old code of one of its districts or villages is the district or
//     village of the same name today (the suffixes did not stay: old
//     91.02.03 Kurulu is 95.01.02, and 95.01.03 is another district);
//     one with no such successor, several, or (a district) other villages
//     than before is an error that says so;
//   - an old name ("Toba Samosir") is today's (Kabupaten Toba, 12.12);
//   - a renumbered regency named with its old province ("Merauke" in
//     Papua) is today's.
//
// An old code that is today another region's code is read by the row's
// name: the reading the name fits wins; with no name, or when both fit, the
// row is an ambiguity error that names both readings.
func (r *Reference) ResolveRow(q Query) (Resolution, error) {
	q = Query{Code: strings.TrimSpace(q.Code), Name: strings.TrimSpace(q.Name), Province: strings.TrimSpace(q.Province),
		Regency: strings.TrimSpace(q.Regency), District: strings.TrimSpace(q.District), Level: q.Level}
	old, remaps, collided, err := r.translate(q, true)
	if !collided {
		if err != nil {
			return Resolution{}, err
		}
		reg, err := r.resolve(old)
		if err != nil {
			return Resolution{}, explain(remaps, err)
		}
		return Resolution{Region: reg, Remaps: remaps}, nil
	}
	// Some code of the row is an old code and also today's code of another
	// region: both readings, decided by the row's name.
	oldReg, oldErr := jkn.Region{}, err
	if err == nil {
		oldReg, oldErr = r.resolve(old)
		oldErr = explain(remaps, oldErr)
	}
	now, nowRemaps, _, nowErr := r.translate(q, false)
	var nowReg jkn.Region
	if nowErr == nil {
		nowReg, nowErr = r.resolve(now)
		nowErr = explain(nowRemaps, nowErr)
	}
	switch {
	case q.Name == "" || (nowErr == nil && oldErr == nil && nowReg != oldReg):
		return Resolution{}, r.collisionError(q, nowReg, nowErr, oldReg, oldErr, remaps)
	case nowErr == nil:
		return Resolution{Region: nowReg, Remaps: nowRemaps}, nil
	case oldErr == nil:
		return Resolution{Region: oldReg, Remaps: remaps}, nil
	}
	return Resolution{}, r.collisionError(q, nowReg, nowErr, oldReg, oldErr, remaps)
}

// collisionError explains a row whose code reads two ways.
func (r *Reference) collisionError(q Query, nowReg jkn.Region, nowErr error, oldReg jkn.Region, oldErr error, remaps []Remap) error {
	reading := func(reg jkn.Region, err error) string {
		if err != nil {
			return "not a region the row fits (" + err.Error() + ")"
		}
		return r.describe(reg).String()
	}
	var old string
	for _, m := range remaps {
		if m.Kind == Renumbered && m.Field != jkn.FieldProvince {
			old = m.Written
		}
	}
	if old == "" {
		old = q.Code
	}
	how := "the row has no name to tell which"
	if q.Name != "" {
		how = fmt.Sprintf("the row's name %q does not tell which", q.Name)
	}
	return newError(ReasonAmbiguous,
		"ambiguous region code %q: read as today's code it is %s; read as an old code it is %s; %s: write the region's name or today's code",
		old, reading(nowReg, nowErr), reading(oldReg, oldErr), how)
}

// explain prefixes a resolution error with the old codes and names the
// row used, so the message speaks of what the sheet wrote.
func explain(remaps []Remap, err error) error {
	if err == nil || len(remaps) == 0 {
		return err
	}
	parts := make([]string, len(remaps))
	var text jkn.Message
	for i, m := range remaps {
		parts[i] = m.String()
		if i == 0 {
			text = m.Msg()
		} else {
			text = jkn.Msgf("%s; %s", text, m.Msg())
		}
	}
	// Only a bare *Error is rebuilt: one wrapped with context (a regency's
	// name) keeps it, under the prefix.
	if e, ok := err.(*Error); ok { //nolint:errorlint // see above
		return newError(e.Reason, "%s; then: %s", text, e.Text)
	}
	return fmt.Errorf("%s; then: %w", strings.Join(parts, "; "), err)
}

// translate rewrites the old codes and names of a trimmed query to today's
// and lists them. A code that is an old code and also today's code of a
// region is read as old when old is set and left as it is otherwise;
// collided reports such a code. The error is an old code that has no
// single region today.
func (r *Reference) translate(q Query, old bool) (out Query, remaps []Remap, collided bool, err error) {
	c := r.changes
	add := func(ch Change, f jkn.Field, written string) {
		// A district sheet's regency column and name cell may both carry
		// the old name, a district row its old code and its regency's: one
		// remap, the first cell's.
		if !slices.ContainsFunc(remaps, func(m Remap) bool { return sameChange(m.Change, ch) }) {
			remaps = append(remaps, Remap{Change: ch, Field: f, Written: written})
		}
	}
	codeCell := func(f jkn.Field, p *string) error {
		code, ch, hit, coll, err := r.oldCode(*p, old)
		collided = collided || coll
		if hit {
			add(ch, f, *p)
			*p = code
		}
		return err
	}
	nameCell := func(f jkn.Field, p *string) {
		if i, ok := r.oldNamed(*p); ok {
			add(c.regencies[i], f, *p)
			*p = c.regencies[i].NewName
		}
	}
	if err := codeCell(jkn.FieldCode, &q.Code); err != nil {
		return q, remaps, collided, err
	}
	if isNumeric(q.Regency) {
		if err := codeCell(jkn.FieldRegency, &q.Regency); err != nil {
			return q, remaps, collided, err
		}
	} else {
		nameCell(jkn.FieldRegency, &q.Regency)
	}
	if isNumeric(q.District) {
		if err := codeCell(jkn.FieldDistrict, &q.District); err != nil {
			return q, remaps, collided, err
		}
	}
	if q.District == "" {
		// A province, regency or city row, or a district sheet's row naming
		// its regency (old names are no district's name: loadChanges).
		nameCell(jkn.FieldName, &q.Name)
	}
	r.oldPlace(&q, add, len(remaps) > 0)
	return q, remaps, collided, nil
}

// sameChange reports whether two changes are one: equal, or the
// renumbering of a regency and of one of its districts or villages.
func sameChange(a, b Change) bool {
	if a.Kind == Renumbered && b.Kind == Renumbered {
		return strings.HasPrefix(a.OldCode, b.OldCode) || strings.HasPrefix(b.OldCode, a.OldCode)
	}
	return a == b
}

// oldCode translates a dotted code under the old code of a renumbered
// regency: the regency itself, or one of its districts or villages. hit
// reports a translation; collided that the code is also today's code of a
// region, which is then translated only when old is set.
func (r *Reference) oldCode(code string, old bool) (newCode string, ch Change, hit, collided bool, err error) {
	if len(code) < 5 || !isCode(code[:5], 2) {
		return code, Change{}, false, false, nil
	}
	i, ok := r.changes.byOld[code[:5]]
	if !ok {
		return code, Change{}, false, false, nil
	}
	if r.exists(code) {
		collided = true
		if !old {
			return code, Change{}, false, true, nil
		}
	}
	reg := r.changes.regencies[i]
	if len(code) == 5 {
		return reg.NewCode, reg, true, collided, nil
	}
	kind := classifyCode(code)
	if kind != codeVillage && !isCode(code, 3) {
		return code, Change{}, false, collided, nil // malformed: resolve says so
	}
	level := "district"
	if kind == codeVillage {
		level = "village"
	}
	subs, err := r.subChanges()
	if err != nil {
		return code, Change{}, false, collided, err
	}
	s, ok := subs[code]
	if !ok {
		return code, Change{}, false, collided, newError(ReasonUnknown,
			"region code %q is under %s, the old code of %s %s (%s) until %s, but no %s had that code then; %s is %s since %s: write today's %s code",
			code, reg.OldCode, reg.OldCode, reg.OldName, reg.OldParent, reg.ListedUntil, level, reg.NewName, reg.NewCode, reg.ChangedBy, level)
	}
	ch = r.changes.change(r, subs, code, s)
	was := jkn.Msgf("region code %q is the old code of %s (%s) until %s", code, s.oldName, ch.OldParent, reg.ListedUntil)
	switch s.status {
	case subRenumbered:
		return s.newCode, ch, true, collided, nil
	case subAreaChanged:
		return code, ch, false, collided, newError(ReasonAmbiguous,
			"%s; since %s it is %s %s (%s), but not the same area: %s; so its old figures are not today's %s: write the sheet in today's codes",
			was, reg.ChangedBy, s.newCode, s.newName, ch.NewParent, s.detail, s.newName)
	case subAmbiguous:
		return code, ch, false, collided, newError(ReasonAmbiguous,
			"%s; since %s %s has several %ss of that name (%s): write today's %s code", was, reg.ChangedBy, reg.NewName, level, s.detail, level)
	}
	return code, ch, false, collided, newError(ReasonUnknown,
		"%s; since %s %s (%s) has no %s of that name, so the row has no region today: write today's %s code", was, reg.ChangedBy, reg.NewName, reg.NewCode, level, level)
}

// exists reports whether a dotted code is a region today.
func (r *Reference) exists(code string) bool {
	if classifyCode(code) == codeVillage {
		_, ok := r.Lookup(code)
		return ok
	}
	_, ok := r.byCode[code]
	return ok
}

// oldNamed finds the regency an old name denotes.
func (r *Reference) oldNamed(name string) (int32, bool) {
	if name == "" || len(r.changes.oldNames) == 0 {
		return 0, false
	}
	if _, today := r.canonical[name]; today || !r.changes.mayName(name) {
		return 0, false // the common cases, without normalising
	}
	for _, rd := range readings(name) {
		if o, ok := r.changes.oldNames[rd.key]; ok && (rd.typ == typeNone || rd.typ == o.typ) {
			return o.idx, true
		}
	}
	return 0, false
}

// oldPlace rewrites the province of a row that places a renumbered regency
// (or its district or village) in the province it left: the province
// column of a sheet from before the split. remapped says whether the row's
// old code already tells; otherwise the province is the remap.
func (r *Reference) oldPlace(q *Query, add func(Change, jkn.Field, string), remapped bool) {
	if q.Province == "" || len(r.changes.moved) == 0 {
		return
	}
	var cands []int32
	if regency := rowRegencyCode(*q); regency != "" {
		if i, ok := r.changes.byNew[regency]; ok {
			cands = []int32{i}
		}
	} else {
		name := q.Regency
		if name == "" && q.District == "" {
			name = q.Name
		}
		cands = r.movedNamed(name)
	}
	if len(cands) == 0 {
		return
	}
	prov, err := r.Province(q.Province)
	if err != nil {
		return
	}
	var hit []int32
	for _, i := range cands {
		if ch := r.changes.regencies[i]; ch.OldCode[:2] == prov.Code && ch.NewCode[:2] != prov.Code {
			hit = append(hit, i)
		}
	}
	// One name of two such regencies (Kabupaten and Kota Sorong, both
	// 92 -> 96) is left as it is: Resolve reports the row's ambiguity.
	if len(hit) != 1 {
		return
	}
	ch := r.changes.regencies[hit[0]]
	if !remapped {
		add(ch, jkn.FieldProvince, q.Province)
	}
	q.Province = ch.NewCode[:2]
}

// rowRegencyCode is the regency code a query's dotted codes give, or "".
func rowRegencyCode(q Query) string {
	for _, c := range []string{q.Code, q.Regency, q.District} {
		if len(c) >= 5 && isNumeric(c) && isCode(c[:5], 2) {
			return c[:5]
		}
	}
	return ""
}

// movedNamed returns the renumbered regencies that changed province and
// that a name can denote, by its type word.
func (r *Reference) movedNamed(name string) []int32 {
	if name == "" {
		return nil
	}
	if i, ok := r.canonical[name]; ok {
		if j, ok := r.changes.byNew[r.regions[i].Code]; ok {
			return []int32{j}
		}
		return nil
	}
	if !r.changes.mayName(name) {
		return nil
	}
	for _, rd := range readings(name) {
		var out []int32
		for _, j := range r.changes.moved[rd.key] {
			if t := rd.typ.level(); t == "" || r.regions[r.byCode[r.changes.regencies[j].NewCode]].Level == t {
				out = append(out, j)
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}
