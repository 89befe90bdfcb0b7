package region

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// resolveRow resolves q and asserts the region and the one remap, if
// want.field is set, or no remap.
func resolveRow(t *testing.T, r *Reference, q Query, code string, kind ChangeKind, field jkn.Field, oldCode string) Resolution {
	t.Helper()
	res, err := r.ResolveRow(q)
	if err != nil {
		t.Errorf("ResolveRow(%+v): %v; want %s", q, err, code)
		return res
	}
	if res.Region.Code != code {
		t.Errorf("ResolveRow(%+v) = %s %s; want %s", q, res.Region.Code, res.Region.Name, code)
	}
	switch {
	case field == "" && len(res.Remaps) > 0:
		t.Errorf("ResolveRow(%+v): remaps %v; want none", q, res.Remaps)
	case field != "" && len(res.Remaps) != 1:
		t.Errorf("ResolveRow(%+v): remaps %v; want one of %s via %s", q, res.Remaps, oldCode, field)
	case field != "":
		m := res.Remaps[0]
		if m.Kind != kind || m.Field != field || m.OldCode != oldCode {
			t.Errorf("ResolveRow(%+v): remap %s %s %s; want %s %s %s", q, m.Kind, m.Field, m.OldCode, kind, field, oldCode)
		}
	}
	// Resolve gives the same region, without saying how.
	if got, err := r.Resolve(q); err != nil || got != res.Region {
		t.Errorf("Resolve(%+v) = %+v, %v; want %+v", q, got, err, res.Region)
	}
	return res
}

// TestChangeFileUnmodified pins the copy of the project's reference file,
// so data/changes/README.md's "unmodified copy" stays true.
func TestChangeFileUnmodified(t *testing.T) {
	b, err := changeFiles.ReadFile(regencyChangesFile)
	if err != nil {
		t.Fatal(err)
	}
	if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != "2d85860fbaa56fbdbc36f5b087432205e31ac45d7b2aaceb6f2e2201b0584637" {
		t.Errorf("%s: sha256 %x differs from shared/data/region_code_changes.csv", regencyChangesFile, got)
	}
}

func TestChanges(t *testing.T) {
	r := mustLoad(t)
	count := map[ChangeKind]int{}
	for _, ch := range r.Changes() {
		count[ch.Kind]++
	}
	if count[Renumbered] != 26 || count[Renamed] != 5 {
		t.Errorf("changes: %v; want 26 renumbered, 5 renamed", count)
	}
	for prov, want := range map[string]int{"91": 20, "92": 6, "93": 0, "12": 0} {
		if got := len(r.MovedOut(prov)); got != want {
			t.Errorf("MovedOut(%s): %d changes, want %d", prov, got, want)
		}
	}
	all, err := r.subChanges()
	if err != nil {
		t.Fatal(err)
	}
	subs := map[string]int{}
	for code, s := range all {
		subs[s.status+map[bool]string{true: " district", false: " village"}[len(code) == 8]]++
	}
	want := map[string]int{"renumbered district": 556, "area_changed district": 33, "no_successor district": 5,
		"renumbered village": 5437, "no_successor village": 159, "ambiguous village": 1}
	for k, n := range want {
		if subs[k] != n {
			t.Errorf("%s: %d, want %d (all: %v)", k, subs[k], n, subs)
		}
	}
}

func TestResolveRenumberedRegency(t *testing.T) {
	r := mustLoad(t)
	for _, ch := range r.Changes() {
		if ch.Kind != Renumbered {
			continue
		}
		resolveRow(t, r, Query{Code: ch.OldCode}, ch.NewCode, Renumbered, jkn.FieldCode, ch.OldCode)
		resolveRow(t, r, Query{Code: ch.OldCode, Name: ch.OldName}, ch.NewCode, Renumbered, jkn.FieldCode, ch.OldCode)
		// The old province beside the old code is the same change.
		resolveRow(t, r, Query{Code: ch.OldCode, Name: ch.OldName, Province: ch.OldCode[:2]}, ch.NewCode, Renumbered, jkn.FieldCode, ch.OldCode)
		// Today's code and name need no remap.
		resolveRow(t, r, Query{Code: ch.NewCode, Name: ch.NewName}, ch.NewCode, "", "", "")
	}
	res := resolveRow(t, r, Query{Code: "91.01"}, "93.01", Renumbered, jkn.FieldCode, "91.01")
	if len(res.Remaps) == 1 {
		const want = `code "91.01" is an old code: 91.01 KAB. MERAUKE (Papua) until Permendagri 58/2021 (rev. Kepmendagri 050-145/2022), 93.01 Kabupaten Merauke (Papua Selatan) since Kepmendagri 100.1.1-6117/2022`
		if got := res.Remaps[0].String(); got != want {
			t.Errorf("remap:\n got: %s\nwant: %s", got, want)
		}
	}
	// An old code with a name that does not fit: the message says what
	// the old code is today before the mismatch.
	_, err := r.ResolveRow(Query{Code: "91.01", Name: "Jayapura"})
	checkError(t, "91.01 Jayapura", jkn.Region{}, err, ReasonMismatch,
		`code "91.01" is an old code: 91.01 KAB. MERAUKE (Papua) until Permendagri 58/2021 (rev. Kepmendagri 050-145/2022), 93.01 Kabupaten Merauke (Papua Selatan) since Kepmendagri 100.1.1-6117/2022; then: code 93.01 is Kabupaten Merauke, but the row names "Jayapura"; correct the code or the name`)
}

// TestResolveRenumberedByOldName: a renumbered regency kept its name; a
// row names it with the province it left ("Merauke", province Papua).
func TestResolveRenumberedByOldName(t *testing.T) {
	r := mustLoad(t)
	for _, tt := range []struct {
		q    Query
		want string
		old  string
	}{
		{Query{Name: "Merauke", Province: "Papua"}, "93.01", "91.01"},
		{Query{Name: "KAB. MERAUKE", Province: "91"}, "93.01", "91.01"},
		{Query{Name: "Kabupaten Merauke", Province: "PAPUA"}, "93.01", "91.01"},
		{Query{Name: "Mimika", Province: "Papua"}, "94.04", "91.09"},
		{Query{Name: "KAB. SORONG", Province: "Papua Barat"}, "96.01", "92.01"},
		{Query{Name: "Kota Sorong", Province: "Papua Barat"}, "96.71", "92.71"},
		{Query{Code: "93.01", Province: "Papua"}, "93.01", "91.01"}, // today's code, the old province column
		{Query{Name: "Kurulu", Regency: "Jayawijaya", Province: "Papua"}, "95.01.02", "91.02"},
	} {
		resolveRow(t, r, tt.q, tt.want, Renumbered, jkn.FieldProvince, tt.old)
	}
	res, _ := r.ResolveRow(Query{Name: "Merauke", Province: "Papua"})
	if len(res.Remaps) == 1 {
		const want = `province "Papua" is an old province: 91.01 KAB. MERAUKE (Papua) until Permendagri 58/2021 (rev. Kepmendagri 050-145/2022), 93.01 Kabupaten Merauke (Papua Selatan) since Kepmendagri 100.1.1-6117/2022`
		if got := res.Remaps[0].String(); got != want {
			t.Errorf("remap:\n got: %s\nwant: %s", got, want)
		}
	}
	// Today's placement and regions that stayed need no remap.
	resolveRow(t, r, Query{Name: "Merauke", Province: "Papua Selatan"}, "93.01", "", "", "")
	resolveRow(t, r, Query{Name: "Merauke"}, "93.01", "", "", "")
	resolveRow(t, r, Query{Name: "Kabupaten Jayapura", Province: "Papua"}, "91.03", "", "", "")
	// Kabupaten and Kota Sorong both left Papua Barat: the bare name stays
	// ambiguous, as it is today.
	_, err := r.ResolveRow(Query{Name: "Sorong", Province: "Papua Barat"})
	checkError(t, "Sorong, Papua Barat", jkn.Region{}, err, ReasonMismatch,
		`"Sorong" is not in Papua Barat: it is Kabupaten Sorong (96.01, Papua Barat Daya) or Kota Sorong (96.71, Papua Barat Daya); correct the name or the province`)
}

func TestResolveRenamed(t *testing.T) {
	r := mustLoad(t)
	n := 0
	for _, ch := range r.Changes() {
		if ch.Kind != Renamed {
			continue
		}
		n++
		bare := readings(ch.OldName)[0].key // the name without "KAB."
		resolveRow(t, r, Query{Name: ch.OldName}, ch.NewCode, Renamed, jkn.FieldName, ch.OldCode)
		resolveRow(t, r, Query{Name: strings.TrimPrefix(ch.OldName, "KAB. ")}, ch.NewCode, Renamed, jkn.FieldName, ch.OldCode)
		resolveRow(t, r, Query{Code: ch.OldCode, Name: ch.OldName}, ch.NewCode, Renamed, jkn.FieldName, ch.OldCode)
		resolveRow(t, r, Query{Name: ch.NewName}, ch.NewCode, "", "", "")
		if _, err := r.ResolveRow(Query{Name: "Kota " + bare}); err == nil {
			t.Errorf("Kota %s resolved: the old name is a kabupaten's", bare)
		}
	}
	if n != 5 {
		t.Errorf("%d renamings, want 5", n)
	}
	for _, tt := range []struct {
		q    Query
		want string
	}{
		{Query{Name: "Toba Samosir"}, "12.12"},
		{Query{Name: "Kabupaten Toba Samosir", Province: "Sumatera Utara"}, "12.12"},
		{Query{Name: "Mamuju Utara"}, "76.01"},
		{Query{Name: "Maluku Tenggara Barat"}, "81.03"},
		{Query{Name: "Pahuwato"}, "75.04"}, // a spelling, rejected before the table
		{Query{Name: "Pangkajene Kepulauan"}, "73.10"},
	} {
		resolveRow(t, r, tt.q, tt.want, Renamed, jkn.FieldName, tt.want)
	}
	res, _ := r.ResolveRow(Query{Name: "Toba Samosir"})
	if len(res.Remaps) == 1 {
		const want = `name "Toba Samosir" is an old name: 12.12 KAB. TOBA SAMOSIR until Permendagri 72/2019, 12.12 Kabupaten Toba since Permendagri 58/2021 (rev. Kepmendagri 050-145/2022)`
		if got := res.Remaps[0].String(); got != want {
			t.Errorf("remap:\n got: %s\nwant: %s", got, want)
		}
	}
	// A district row under the old regency name; the regency column and
	// the row naming the regency itself are one remap.
	resolveRow(t, r, Query{Name: "Balige", Regency: "Toba Samosir"}, "12.12.01", Renamed, jkn.FieldRegency, "12.12")
	resolveRow(t, r, Query{Name: "Toba Samosir", Regency: "Kab. Toba Samosir"}, "12.12", Renamed, jkn.FieldRegency, "12.12")
	// Aliases that predate the table stay silent.
	resolveRow(t, r, Query{Name: "Selayar"}, "73.01", "", "", "")
	resolveRow(t, r, Query{Name: "Kabupaten Pontianak"}, "61.02", "", "", "")
}

func TestResolveOldDistrictsAndVillages(t *testing.T) {
	r := mustLoad(t)
	// The suffix is not kept: old 91.02.03 Kurulu is 95.01.02, and
	// 95.01.03 is today another district (old 91.02.04).
	if reg, _ := r.Lookup("95.01.03"); reg.Name != "Asologaima" {
		t.Fatalf("95.01.03 is %s: update the test", reg.Name)
	}
	resolveRow(t, r, Query{Code: "91.02.03"}, "95.01.02", Renumbered, jkn.FieldCode, "91.02.03")
	resolveRow(t, r, Query{Code: "91.02.03", Name: "Kurulu"}, "95.01.02", Renumbered, jkn.FieldCode, "91.02.03")
	resolveRow(t, r, Query{Code: "91.02.04", Name: "Kec. Asologaima"}, "95.01.03", Renumbered, jkn.FieldCode, "91.02.04")
	resolveRow(t, r, Query{Code: "91.02.41"}, "95.01.13", Renumbered, jkn.FieldCode, "91.02.41") // no 95.01.41 today
	resolveRow(t, r, Query{Code: "91.02.01", Regency: "91.02"}, "95.01.01", Renumbered, jkn.FieldCode, "91.02.01")
	resolveRow(t, r, Query{Name: "Kurulu", Regency: "91.02"}, "95.01.02", Renumbered, jkn.FieldRegency, "91.02")
	resolveRow(t, r, Query{Name: "Kurulu", Regency: "Kab. Jayawijaya"}, "95.01.02", "", "", "")
	// Villages: renumbered inside their district too.
	resolveRow(t, r, Query{Code: "91.01.01.1014"}, "93.01.01.1009", Renumbered, jkn.FieldCode, "91.01.01.1014")
	resolveRow(t, r, Query{Code: "91.01.01.1014", Name: "Bambu Pemali"}, "93.01.01.1009", Renumbered, jkn.FieldCode, "91.01.01.1014")
	resolveRow(t, r, Query{Name: "Bambu Pemali", District: "91.01.01"}, "93.01.01.1009", Renumbered, jkn.FieldDistrict, "91.01.01")
	resolveRow(t, r, Query{Code: "91.07.01.1059"}, "94.02.01.1010", Renumbered, jkn.FieldCode, "91.07.01.1059") // the kelurahan of two Wuyukwi
	res := resolveRow(t, r, Query{Code: "91.02.03"}, "95.01.02", Renumbered, jkn.FieldCode, "91.02.03")
	if len(res.Remaps) == 1 {
		const want = `code "91.02.03" is an old code: 91.02.03 Kurulu (KAB. JAYAWIJAYA, Papua) until Permendagri 58/2021 (rev. Kepmendagri 050-145/2022), 95.01.02 Kurulu (Kabupaten Jayawijaya, Papua Pegunungan) since Kepmendagri 100.1.1-6117/2022`
		if got := res.Remaps[0].String(); got != want {
			t.Errorf("remap:\n got: %s\nwant: %s", got, want)
		}
	}
	for _, tt := range []struct {
		q      Query
		reason Reason
		msg    string
	}{
		// The suffix reading (95.01.03, Asologaima) is not taken.
		{Query{Code: "91.02.03", Name: "Asologaima"}, ReasonMismatch,
			`code "91.02.03" is an old code: 91.02.03 Kurulu (KAB. JAYAWIJAYA, Papua) until Permendagri 58/2021 (rev. Kepmendagri 050-145/2022), 95.01.02 Kurulu (Kabupaten Jayawijaya, Papua Pegunungan) since Kepmendagri 100.1.1-6117/2022; then: code 95.01.02 is Kurulu in Kabupaten Jayawijaya, but the row names "Asologaima", which is Asologaima (95.01.03, Kabupaten Jayawijaya); correct the code or the name`},
		{Query{Code: "91.02.99"}, ReasonUnknown,
			`region code "91.02.99" is under 91.02, the old code of 91.02 KAB. JAYAWIJAYA (Papua) until Permendagri 58/2021 (rev. Kepmendagri 050-145/2022), but no district had that code then; Kabupaten Jayawijaya is 95.01 since Kepmendagri 100.1.1-6117/2022: write today's district code`},
		{Query{Code: "91.13.36", Name: "Holuon"}, ReasonUnknown,
			`region code "91.13.36" is the old code of Holuon (KAB. YAHUKIMO, Papua) until Permendagri 58/2021 (rev. Kepmendagri 050-145/2022); since Kepmendagri 100.1.1-6117/2022 Kabupaten Yahukimo (95.03) has no district of that name, so the row has no region today: write today's district code`},
		{Query{Code: "91.13.01"}, ReasonAmbiguous,
			`region code "91.13.01" is the old code of Kurima (KAB. YAHUKIMO, Papua) until Permendagri 58/2021 (rev. Kepmendagri 050-145/2022); since Kepmendagri 100.1.1-6117/2022 it is 95.03.01 Kurima (Kabupaten Yahukimo, Papua Pegunungan), but not the same area: villages went to 95.03.19 (Ukha); so its old figures are not today's Kurima: write the sheet in today's codes`},
		{Query{Code: "91.08.01.2034"}, ReasonAmbiguous,
			`region code "91.08.01.2034" is the old code of Kogekotu (Paniai Timur, KAB. PANIAI, Papua) until Permendagri 58/2021 (rev. Kepmendagri 050-145/2022); since Kepmendagri 100.1.1-6117/2022 Kabupaten Paniai has several villages of that name (villages named Kogekotu under 94.03 today: 94.03.01.2011 (Kogekotu) 94.03.01.2018 (Kogekotu)): write today's village code`},
	} {
		got, err := r.ResolveRow(tt.q)
		checkError(t, "ResolveRow("+tt.q.Code+" "+tt.q.Name+")", got.Region, err, tt.reason, tt.msg)
	}
}

// TestEveryOldCodeResolves: each district and village of the table
// resolves to its successor, which has the old name; the rest are errors.
func TestEveryOldCodeResolves(t *testing.T) {
	r := mustLoad(t)
	subs, err := r.subChanges()
	if err != nil {
		t.Fatal(err)
	}
	for code, s := range subs {
		res, err := r.ResolveRow(Query{Code: code, Name: s.oldName})
		if s.status != subRenumbered {
			if err == nil {
				t.Errorf("%s (%s, %s) resolved to %s", code, s.oldName, s.status, res.Region.Code)
			}
			continue
		}
		if err != nil || res.Region.Code != s.newCode || res.Region.Name != s.newName || len(res.Remaps) != 1 {
			t.Errorf("%s %s: %+v, %v; want %s %s with one remap", code, s.oldName, res, err, s.newCode, s.newName)
		}
	}
}

// TestTodayHasNoRemaps: every region today, by code and by canonical
// name, resolves without a remap.
func TestTodayHasNoRemaps(t *testing.T) {
	r := mustLoad(t)
	for i, reg := range r.regions {
		q := Query{Code: reg.Code}
		if res, err := r.ResolveRow(q); err != nil || res.Region != reg || res.Remaps != nil {
			t.Errorf("%s: %+v, %v", reg.Code, res, err)
		}
		if i < r.nTop && reg.Level != jkn.LevelProvince {
			if res, err := r.ResolveRow(Query{Name: reg.Name, Province: reg.Province}); err != nil || res.Region != reg || res.Remaps != nil {
				t.Errorf("%s: %+v, %v", reg.Name, res, err)
			}
		}
	}
	v, err := r.villages()
	if err != nil {
		t.Fatal(err)
	}
	for i := range v.len() {
		if res, err := r.ResolveRow(Query{Code: v.code(i)}); err != nil || res.Remaps != nil {
			t.Fatalf("%s: %+v, %v", v.code(i), res, err)
		}
	}
}

// collisionRef is the real reference with a made-up change table in which
// Merauke's old code is 91.03, today Kabupaten Jayapura's, and its
// district 91.03.01 today Sentani.
func collisionRef(t *testing.T) *Reference {
	return refWithChanges(t, "91.03,KAB. MERAUKE,Decree A,renumbered,Decree B,93.01,Kabupaten Merauke\n",
		"91.03.01,Merauke,renumbered,93.01.01,Merauke,\n")
}

// refWithChanges is the real reference with the given rows as its change
// tables, below their headers.
func refWithChanges(t *testing.T, regencies, subs string) *Reference {
	t.Helper()
	r, err := load(dataFiles)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		regencyChangesFile: {Data: []byte("old_code,old_name,listed_until,change,changed_by,new_code,new_name\n" + regencies)},
		subChangesFile:     {Data: []byte("old_code,old_name,status,new_code,new_name,detail\n" + subs)},
	}
	if r.changes, err = loadChanges(fsys, r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestResolveCollision: an old code that is today another region's is
// read by the row's name; without one, or when neither reading fits, the
// row is rejected with both readings.
func TestResolveCollision(t *testing.T) {
	r := collisionRef(t)
	resolveRow(t, r, Query{Code: "91.03", Name: "Kabupaten Jayapura"}, "91.03", "", "", "")
	resolveRow(t, r, Query{Code: "91.03", Name: "Merauke"}, "93.01", Renumbered, jkn.FieldCode, "91.03")
	resolveRow(t, r, Query{Code: "91.03.01", Name: "Sentani"}, "91.03.01", "", "", "")
	resolveRow(t, r, Query{Code: "91.03.01", Name: "Merauke"}, "93.01.01", Renumbered, jkn.FieldCode, "91.03.01")
	resolveRow(t, r, Query{Name: "Jayapura", Province: "Papua", Code: "91.03"}, "91.03", "", "", "")
	resolveRow(t, r, Query{Code: "93.01"}, "93.01", "", "", "")
	for _, tt := range []struct {
		q   Query
		msg string
	}{
		{Query{Code: "91.03"},
			`ambiguous region code "91.03": read as today's code it is Kabupaten Jayapura (91.03, Papua); read as an old code it is Kabupaten Merauke (93.01, Papua Selatan); the row has no name to tell which: write the region's name or today's code`},
		{Query{Code: "91.03.01"},
			`ambiguous region code "91.03.01": read as today's code it is Sentani (91.03.01, Kabupaten Jayapura); read as an old code it is Merauke (93.01.01, Kabupaten Merauke); the row has no name to tell which: write the region's name or today's code`},
		{Query{Code: "91.03", Name: "Kabupaten Banyuasin"},
			`ambiguous region code "91.03": read as today's code it is not a region the row fits (code 91.03 is Kabupaten Jayapura, but the row names "Kabupaten Banyuasin", which is Kabupaten Banyuasin (16.07, Sumatera Selatan); correct the code or the name); read as an old code it is not a region the row fits (code "91.03" is an old code: 91.03 KAB. MERAUKE (Papua) until Decree A, 93.01 Kabupaten Merauke (Papua Selatan) since Decree B; then: code 93.01 is Kabupaten Merauke, but the row names "Kabupaten Banyuasin", which is Kabupaten Banyuasin (16.07, Sumatera Selatan); correct the code or the name); the row's name "Kabupaten Banyuasin" does not tell which: write the region's name or today's code`},
		// A code of the old regency that its table does not list: today's
		// reading alone would be a guess.
		{Query{Code: "91.03.02"},
			`ambiguous region code "91.03.02": read as today's code it is Sentani Timur (91.03.02, Kabupaten Jayapura); read as an old code it is not a region the row fits (region code "91.03.02" is under 91.03, the old code of 91.03 KAB. MERAUKE (Papua) until Decree A, but no district had that code then; Kabupaten Merauke is 93.01 since Decree B: write today's district code); the row has no name to tell which: write the region's name or today's code`},
	} {
		res, err := r.ResolveRow(tt.q)
		checkError(t, "ResolveRow("+tt.q.Code+" "+tt.q.Name+")", res.Region, err, ReasonAmbiguous, tt.msg)
	}
	// With a name, today's district of an unlisted old code is today's.
	resolveRow(t, r, Query{Code: "91.03.02", Name: "Sentani Timur"}, "91.03.02", "", "", "")
}

// TestLoadChangesRejects: a broken change table fails the load with the
// file, line and problem.
func TestLoadChangesRejects(t *testing.T) {
	r := mustLoad(t)
	const head = "old_code,old_name,listed_until,change,changed_by,new_code,new_name\n"
	const subHead = "old_code,old_name,status,new_code,new_name,detail\n"
	merauke := "91.01,KAB. MERAUKE,A,renumbered,B,93.01,Kabupaten Merauke\n"
	for _, tc := range []struct {
		name, regencies, subs, want string
	}{
		{"bad header", "kode,nama,a,b,c,d,e\n", subHead, `header is ["kode" "nama"`},
		{"unknown kind", head + "91.01,KAB. MERAUKE,A,moved,B,93.01,Kabupaten Merauke\n", subHead, `line 2: change "moved" is neither`},
		{"new code not today's", head + "91.01,KAB. MERAUKE,A,renumbered,B,93.09,Kabupaten Merauke\n", subHead, "line 2: new code 93.09 is not a regency or city today"},
		{"wrong new name", head + "91.01,KAB. MERAUKE,A,renumbered,B,93.01,Kabupaten Mappi\n", subHead, `new code 93.01 is Kabupaten Merauke today, not "Kabupaten Mappi"`},
		{"renamed with a new code", head + "91.01,KAB. MERAUKE,A,renamed,B,93.01,Kabupaten Merauke\n", subHead, "renamed 91.01 has a new code 93.01"},
		{"renumbered twice", head + merauke + "91.01,KAB. MERAUKE,A,renumbered,B,93.02,Kabupaten Boven Digoel\n", subHead, "line 3: old code 91.01 renumbered twice"},
		{"old name without type word", head + "91.01,MERAUKE,A,renumbered,B,93.01,Kabupaten Merauke\n", subHead, `old name "MERAUKE" of 91.01 does not start with the type word`},
		{"old name is another's today", head + "12.12,KAB. SAMOSIR,A,renamed,B,12.12,Kabupaten Toba\n", subHead, `old name "KAB. SAMOSIR" of 12.12 is 12.17's name today`},
		{"old name is a district's", head + "12.12,KAB. BALIGE,A,renamed,B,12.12,Kabupaten Toba\n", subHead, `old name "KAB. BALIGE" of 12.12 is the name of district 12.12.01 today`},
		{"old place taken", head + "91.01,KAB. JAYAPURA,A,renumbered,B,93.01,Kabupaten Merauke\n", subHead, "91.01 KAB. JAYAPURA: 91.03 of province 91 has its name today"},
		{"district not under a renumbering", head + merauke, subHead + "91.05.01,Yapen Selatan,renumbered,93.01.01,Merauke,\n", "old code 91.05.01 is not under a renumbered regency"},
		{"district moved elsewhere", head + merauke, subHead + "91.01.01,Merauke,renumbered,93.02.01,Merauke,\n", `new code "93.02.01" is not under 93.01`},
		{"district renamed", head + merauke, subHead + "91.01.01,Merauke Kota,renumbered,93.01.01,Merauke,\n", `"Merauke Kota" and "Merauke" are not one name`},
		{"district not today's", head + merauke, subHead + "91.01.01,Muting,renumbered,93.01.01,Muting,\n", `new code 93.01.01 is not "Muting" today`},
		{"unknown status", head + merauke, subHead + "91.01.01,Merauke,split,93.01.01,Merauke,\n", `unknown status "split"`},
		{"no successor with a code", head + merauke, subHead + "91.01.01,Merauke,no_successor,93.01.01,Merauke,\n", `no_successor, but new code "93.01.01"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{regencyChangesFile: {Data: []byte(tc.regencies)}, subChangesFile: {Data: []byte(tc.subs)}}
			c, err := loadChanges(fsys, r)
			if err == nil {
				_, err = c.loadSubs(r)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestSubChangesReadOnFirstUse: the district and village table is read the
// first time a row carries such an old code; a broken one rejects that row
// with the file, line and problem, not the others.
func TestSubChangesReadOnFirstUse(t *testing.T) {
	r := refWithChanges(t, "91.01,KAB. MERAUKE,A,renumbered,B,93.01,Kabupaten Merauke\n", "91.01.01,Merauke,moved,93.01.01,Merauke,\n")
	if r.changes.subs != nil {
		t.Fatal("the district and village table was read at load")
	}
	resolveRow(t, r, Query{Code: "91.01"}, "93.01", Renumbered, jkn.FieldCode, "91.01")
	_, err := r.ResolveRow(Query{Code: "91.01.01"})
	if want := `load region code changes: data/changes/district_village_code_changes.csv line 2: old code 91.01.01: unknown status "moved"`; err == nil || err.Error() != want {
		t.Errorf("ResolveRow(91.01.01): %v, want %s", err, want)
	}
}
