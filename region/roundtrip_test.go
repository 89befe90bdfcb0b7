package region

import (
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// TestEveryRegionResolvesToItself checks the whole table, not samples:
// every canonical name resolves back to its own region.
func TestEveryRegionResolvesToItself(t *testing.T) {
	r := mustLoad(t)
	var regencies, districts int
	for _, p := range r.Provinces() {
		for _, q := range []Query{
			{Name: "Provinsi " + p.Name},
			{Name: "Prov. " + strings.ToUpper(p.Name), Province: p.Code},
			{Code: p.Code, Name: p.Name},
		} {
			if got, err := r.Resolve(q); err != nil || got != p {
				t.Errorf("Resolve(%+v) = %+v, %v; want %+v", q, got, err, p)
			}
		}
		if got, err := r.Province(p.Name); err != nil || got != p {
			t.Errorf("Province(%q) = %+v, %v; want %+v", p.Name, got, err, p)
		}
		for _, reg := range r.Children(p.Code) {
			regencies++
			for _, q := range []Query{
				{Name: reg.Name, Province: p.Name},
				{Name: reg.Name, Province: p.Code},
				{Name: strings.ToUpper(reg.Name), Province: strings.ToLower(p.Name)},
				{Name: reg.Name}, // canonical names carry their type word: unique nationwide
				{Code: reg.Code, Name: reg.Name, Province: p.Name}, // and agree with their code
			} {
				if got, err := r.Resolve(q); err != nil || got != reg {
					t.Errorf("Resolve(%+v) = %+v, %v; want %+v", q, got, err, reg)
				}
			}
			for _, d := range r.Children(reg.Code) {
				districts++
				for _, q := range []Query{
					{Name: d.Name, Regency: reg.Code},
					{Name: d.Name, Regency: reg.Name, Province: p.Name},
					{Code: d.Code, Name: d.Name, Regency: reg.Code},
				} {
					if got, err := r.Resolve(q); err != nil || got != d {
						t.Errorf("Resolve(%+v) = %+v, %v; want %+v", q, got, err, d)
					}
				}
			}
		}
	}
	if regencies != 514 || districts != 7285 {
		t.Errorf("checked %d regencies and %d districts, want 514 and 7285", regencies, districts)
	}
}

// TestAliases checks every alias resolves to its region, and that an alias
// shares its key with another region only where the doc says so: such a
// collision makes a bare name ambiguous.
func TestAliases(t *testing.T) {
	r := mustLoad(t)
	wantShared := map[string]bool{"yogyakarta": true} // DIY and Kota Yogyakarta, see Resolve's doc
	for _, a := range aliases() {
		want, ok := r.Lookup(a.code)
		if !ok {
			t.Errorf("alias %q: unknown code %s", a.name, a.code)
			continue
		}
		rd := readings(a.name)[0]
		got, err := r.Resolve(Query{Name: a.name, Province: want.ProvinceCode})
		if wantShared[rd.key] {
			if err == nil {
				t.Errorf("Resolve(alias %q) = %+v; want an ambiguity error", a.name, got)
			}
		} else if err != nil || got != want {
			t.Errorf("Resolve(alias %q) = %+v, %v; want %s", a.name, got, err, a.code)
		}
		if want.Level == jkn.LevelProvince {
			if got, err := r.Province(a.name); err != nil || got != want {
				t.Errorf("Province(alias %q) = %+v, %v; want %s", a.name, got, err, a.code)
			}
		}
		if rd.key == r.keys[r.byCode[a.code]] {
			t.Errorf("alias %q is already the normalised name of %s: drop it", a.name, a.code)
		}
		for _, e := range r.names[rd.key] {
			other := r.regions[e.idx]
			// A typed alias ("Kabupaten Pontianak") only collides with a
			// region of its own level; an untyped one with any.
			collides := rd.typ == typeNone || other.Level == want.Level
			if other.Code != a.code && collides && !wantShared[rd.key] {
				t.Errorf("alias %q (%s) shares its key with %s %s", a.name, a.code, other.Code, other.Name)
			}
		}
	}
	// Bare name collisions are exactly the kabupaten/kota pairs, the
	// province/city pairs and Banjar: pin their number so a new alias or
	// data version that adds one is reviewed.
	var shared []string
	for k, es := range r.names {
		n := 0
		for _, e := range es {
			if !e.typed {
				n++
			}
		}
		if n > 1 {
			shared = append(shared, k)
		}
	}
	slices.Sort(shared)
	want := []string{
		"bandung", "banjar", "bekasi", "bengkulu", "bima", "blitar", "bogor", "cirebon", "gorontalo",
		"jambi", "jayapura", "kediri", "kupang", "madiun", "magelang", "malang", "mojokerto", "pasuruan",
		"pekalongan", "probolinggo", "semarang", "serang", "solok", "sorong", "sukabumi", "tangerang",
		"tasikmalaya", "tegal", "yogyakarta",
	}
	if !slices.Equal(shared, want) {
		t.Errorf("names shared by several regions:\n got %q\nwant %q", shared, want)
	}
}

func TestReadings(t *testing.T) {
	tests := []struct {
		in   string
		want []reading
	}{
		{"Kab. Banyuasin", []reading{{typeKabupaten, "banyuasin"}, {typeNone, "kabbanyuasin"}}},
		{"KABUPATEN  BANYUASIN ", []reading{{typeKabupaten, "banyuasin"}, {typeNone, "kabupatenbanyuasin"}}},
		{"BANYUASIN", []reading{{typeNone, "banyuasin"}}},
		{"Banyuasin (Kab)", []reading{{typeKabupaten, "banyuasin"}, {typeNone, "banyuasinkab"}}},
		{"Kota Adm. Jakarta Pusat", []reading{{typeKota, "jakartapusat"}, {typeNone, "kotaadmjakartapusat"}}},
		{"Kabupaten Administrasi Kepulauan Seribu", []reading{{typeKabupaten, "kepulauanseribu"}, {typeNone, "kabupatenadministrasikepulauanseribu"}}},
		{"Kab. Adm. Kep. Seribu", []reading{{typeKabupaten, "kepulauanseribu"}, {typeNone, "kabadmkepulauanseribu"}}},
		{"Kota Adm", []reading{{typeKota, "adm"}, {typeNone, "kotaadm"}}}, // "Adm" alone is the name, not a type word
		{"Prov. Sumatera Selatan", []reading{{typeProvinsi, "sumateraselatan"}, {typeNone, "provsumateraselatan"}}},
		{"Toli-Toli", []reading{{typeNone, "tolitoli"}}},
		{"Ra'as", []reading{{typeNone, "raas"}}},
		{"Kec. Talang Kelapa", []reading{{typeKecamatan, "talangkelapa"}, {typeNone, "kectalangkelapa"}}},
		{"Lima Puluh Kota", []reading{{typeKota, "limapuluh"}, {typeNone, "limapuluhkota"}}},
		{"Kota", []reading{{typeNone, "kota"}}},
		{"2 x 11 Kayu Tanam", []reading{{typeNone, "2x11kayutanam"}}},
		{"ÖSTLICH Straße", []reading{{typeNone, "östlichstraße"}}},
		{"-", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := readings(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("readings(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// TestNormKeyMatchesTokens: Load keys districts with the one-pass normKey,
// queries are keyed through tokens; the two must agree on every name.
func TestNormKeyMatchesTokens(t *testing.T) {
	r := mustLoad(t)
	names := []string{"Kep. Seribu", "KEP.SERIBU", "kep", "Kepulauan", "x kep y", "ÖSTLICH Straße", "Ra\"as", " -- ", ""}
	for _, reg := range r.regions {
		names = append(names, reg.Name)
	}
	for _, n := range names {
		if got, want := normKey(n), key(tokens(n)); got != want {
			t.Errorf("normKey(%q) = %q, want %q", n, got, want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"", "abc", 3},
		{"banyuasin", "banyuasin", 0},
		{"banyuasn", "banyuasin", 1},
		{"kitten", "sitting", 3},
		{"sumsel", "sumenep", 3},
		{"é", "e", 1}, // runes, not bytes
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestResolveConcurrent documents that a Reference is shared read-only;
// run with -race to check it.
func TestResolveConcurrent(t *testing.T) {
	r := mustLoad(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				if got, err := r.Resolve(Query{Name: "Kab. Banyuasin", Province: "Sumatera Selatan"}); err != nil || got.Code != "16.07" {
					t.Errorf("Resolve = %+v, %v", got, err)
					return
				}
				if _, err := r.Resolve(Query{Name: "Banjar"}); err == nil {
					t.Error("Resolve(Banjar) did not fail")
					return
				}
			}
		})
	}
	wg.Wait()
}

func BenchmarkResolve(b *testing.B) {
	r := mustLoad(b)
	queries := []Query{
		{Code: "16.07"},
		{Code: "16.07", Name: "Kab. Banyuasin", Province: "Sumatera Selatan"},
		{Name: "KABUPATEN BANYUASIN"},
		{Name: "MUKO MUKO", Province: "Bengkulu"},
		{Name: "Kota Pangkalpinang"},
		{Name: "Banjar", Province: "Kalimantan Selatan"},
		{Name: "Talang Kelapa", Regency: "Banyuasin"},
		{Code: "1607", Name: "Banyuasin"},
	}
	for b.Loop() {
		for _, q := range queries {
			if _, err := r.Resolve(q); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(queries)), "ns/resolve")
}

// BenchmarkResolveError measures the error path, which computes
// suggestions over the whole table.
func BenchmarkResolveError(b *testing.B) {
	r := mustLoad(b)
	for b.Loop() {
		if _, err := r.Resolve(Query{Name: "Banyuasn"}); err == nil {
			b.Fatal("no error")
		}
	}
}
