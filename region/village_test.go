package region

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// TestVillageFileUnmodified pins the decompressed village file to the
// idn-area-data 4.0.1 villages.csv, byte for byte.
func TestVillageFileUnmodified(t *testing.T) {
	b, err := fs.ReadFile(dataFiles, villagesFile)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	if got, want := hex.EncodeToString(sum[:]), "6a8e53fce14d21b514f1f7d1602ceeab4ffbec6df98903e2cad949d8fee94690"; got != want {
		t.Errorf("villages.csv: sha256 %s, want %s (idn-area-data 4.0.1)", got, want)
	}
}

// TestVillagesLoadLazily: Load leaves the villages alone, so start-up at
// regency level does not pay for them; the first village lookup loads them.
func TestVillagesLoadLazily(t *testing.T) {
	r, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if r.village != nil {
		t.Fatal("Load read the villages")
	}
	if _, err := r.Resolve(Query{Code: "16.07"}); err != nil || r.village != nil {
		t.Fatalf("resolving a regency read the villages (err %v)", err)
	}
	got, ok := r.Lookup("16.07.01.2001")
	want := jkn.Region{Code: "16.07.01.2001", Name: "Sungai Rebo", Level: jkn.LevelVillage, ProvinceCode: "16", Province: "Sumatera Selatan"}
	if !ok || got != want {
		t.Fatalf("Lookup = %+v, %v; want %+v", got, ok, want)
	}
	if r.village == nil {
		t.Fatal("villages not kept after the first lookup")
	}
}

// TestEveryVillageResolvesToItself checks all 83,762 villages: by code, by
// code and name, and by name with its district (code, or name and regency).
// Names that two villages of one district share resolve only with the
// "Desa"/"Kelurahan" word that tells them apart, or not at all.
func TestEveryVillageResolvesToItself(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: every village of the reference")
	}
	r := mustLoad(t)
	n, ambiguous := 0, 0
	for _, p := range r.Provinces() {
		for _, reg := range r.Children(p.Code) {
			for _, d := range r.Children(reg.Code) {
				vs := r.Children(d.Code)
				for _, v := range vs {
					n++
					if v.Level != jkn.LevelVillage || v.Code[:8] != d.Code || v.ProvinceCode != p.Code || v.Province != p.Name {
						t.Errorf("bad village %+v in %+v", v, d)
					}
					for _, q := range []Query{
						{Code: v.Code},
						{Code: v.Code, Name: v.Name, District: d.Name, Regency: reg.Name, Province: p.Name},
					} {
						if got, err := r.Resolve(q); err != nil || got != v {
							t.Errorf("Resolve(%s) = %+v, %v; want %+v", queryString(q), got, err, v)
						}
					}
					same := 0
					for _, o := range vs {
						if normKey(o.Name) == normKey(v.Name) {
							same++
						}
					}
					byName := []Query{
						{Name: v.Name, District: d.Code},
						{Name: strings.ToUpper(v.Name), District: d.Name, Regency: reg.Code},
						{Name: v.Name, District: "Kec. " + d.Name, Regency: reg.Name, Province: p.Name},
					}
					if same > 1 {
						ambiguous++
						_, err := r.Resolve(byName[0])
						var e *Error
						if !asError(err, &e) || e.Reason != ReasonAmbiguous {
							t.Errorf("Resolve(%s) = %v; want ambiguous: %d villages of %s share the name", queryString(byName[0]), err, same, d.Code)
						}
						byName = []Query{{Name: villageDisplay(v), District: d.Code}}
						if kinds := sameKind(vs, v); kinds > 1 {
							continue // same name, same kind: only the code tells them apart
						}
					}
					for _, q := range byName {
						if got, err := r.Resolve(q); err != nil || got != v {
							t.Errorf("Resolve(%s) = %+v, %v; want %+v", queryString(q), got, err, v)
						}
					}
				}
			}
		}
	}
	if n != 83762 {
		t.Errorf("checked %d villages, want 83762", n)
	}
	if ambiguous != 34 { // 17 pairs in idn-area-data 4.0.1
		t.Errorf("%d villages share their name within their district, want 34", ambiguous)
	}
}

// sameKind counts the villages of vs with v's name and kind (kelurahan or desa).
func sameKind(vs []jkn.Region, v jkn.Region) int {
	n := 0
	for _, o := range vs {
		if normKey(o.Name) == normKey(v.Name) && (o.Code[9] == '1') == (v.Code[9] == '1') {
			n++
		}
	}
	return n
}

func asError(err error, e **Error) bool {
	*e = nil
	return errors.As(err, e)
}

// TestVillageTypeWordNeverGuesses: a name is matched whole first ("Desa
// Baru" is a village's full name) and only then without its leading
// Desa/Kelurahan; that order can pick a different village only where a
// district has both "Desa X" and "X". None does.
func TestVillageTypeWordNeverGuesses(t *testing.T) {
	r := mustLoad(t)
	v, err := r.villages()
	if err != nil {
		t.Fatal(err)
	}
	for i := range v.len() {
		reg := v.region(i)
		words := tokens(reg.Name)
		if _, ok := villageWord(words[0]); !ok || len(words) < 2 {
			continue
		}
		lo, hi := v.in(reg.Code[:8])
		rest := key(words[1:])
		for j := lo; j < hi; j++ {
			if j != i && v.key(j) == rest {
				t.Errorf("%s %q and %s %q: the type word decides which", reg.Code, reg.Name, v.code(j), v.name(j))
			}
		}
	}
}

func TestResolveVillage(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		q    Query
		want string
	}{
		{Query{Code: "16.07.01.2001"}, "16.07.01.2001"},
		{Query{Code: " 16.07.01.2001 ", Name: "SUNGAI REBO", Province: "16"}, "16.07.01.2001"},
		{Query{Code: "16.07.01.2001", Name: "Desa Sungai Rebo"}, "16.07.01.2001"},
		{Query{Code: "16.07.01.2001", District: "16.07.01"}, "16.07.01.2001"},
		{Query{Code: "16.07.01.2001", District: "Banyuasin I", Regency: "Banyuasin"}, "16.07.01.2001"},
		{Query{Code: "16.07.01.2001", Regency: "Kab. Banyuasin"}, "16.07.01.2001"},
		{Query{Name: "Sungai Rebo", District: "16.07.01"}, "16.07.01.2001"},
		{Query{Name: "Ds. Sungai Rebo", District: "Banyuasin I", Regency: "16.07"}, "16.07.01.2001"},
		{Query{Name: "sungai-rebo", District: "Kecamatan Banyuasin I", Regency: "Kabupaten Banyuasin", Province: "Sumatera Selatan"}, "16.07.01.2001"},
		{Query{Name: "Kel. Mariana", District: "16.07.01"}, "16.07.01.1016"},
		{Query{Name: "Mariana Ilir", District: "16.07.01", Regency: "16.07"}, "16.07.01.1021"},
		// A desa and a kelurahan of one name in one district: the type word decides.
		{Query{Name: "Kelurahan Panipahan", District: "14.07.06"}, "14.07.06.1007"},
		{Query{Name: "Desa Panipahan", District: "Pasir Limau Kapas", Regency: "Rokan Hilir"}, "14.07.06.2001"},
		{Query{Code: "14.07.06.2001", Name: "Panipahan"}, "14.07.06.2001"},
		// "Desa Baru" is a village's full name, matched whole.
		{Query{Name: "Desa Baru", District: "13.12.07"}, "13.12.07.2002"},
		// A row naming the district itself, as a total row of a village sheet.
		{Query{Name: "Kecamatan Banyuasin I", District: "Banyuasin I", Regency: "Banyuasin"}, "16.07.01"},
	}
	for _, tt := range tests {
		got, err := r.Resolve(tt.q)
		if err != nil || got.Code != tt.want {
			t.Errorf("Resolve(%s) = %+v, %v; want %s", queryString(tt.q), got, err, tt.want)
		}
	}
}

func TestResolveVillageErrors(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		q      Query
		reason Reason
		msg    string
	}{
		{Query{Code: "16.07.01.2999", Name: "Sungai Rebo"}, ReasonUnknown,
			`unknown region code "16.07.01.2999": no Kemendagri village has it (district 16.07.01 is Banyuasin I in Kabupaten Banyuasin); write the village's dotted Kemendagri code`},
		{Query{Code: "16.07.01.2001", Name: "Perajen"}, ReasonMismatch,
			`code 16.07.01.2001 is Sungai Rebo in Banyuasin I in Kabupaten Banyuasin, but the row names "Perajen", which is Perajen (16.07.01.2004, Banyuasin I in Kabupaten Banyuasin); correct the code or the name`},
		{Query{Code: "16.07.01.2001", Province: "Bengkulu"}, ReasonMismatch,
			`code 16.07.01.2001 is Sungai Rebo in Banyuasin I in Kabupaten Banyuasin, Sumatera Selatan, but the row's province is Bengkulu; correct the code or the province`},
		{Query{Code: "16.07.01.2001", District: "16.07.02"}, ReasonMismatch,
			`code 16.07.01.2001 is Sungai Rebo (16.07.01.2001, Banyuasin I in Kabupaten Banyuasin), but the row's district is Banyuasin II (16.07.02, Kabupaten Banyuasin); correct the code or the district`},
		{Query{Code: "16.07.01.2001", Regency: "Musi Rawas"}, ReasonMismatch,
			`code 16.07.01.2001 is Sungai Rebo (16.07.01.2001, Banyuasin I in Kabupaten Banyuasin), but the row's regency is Kabupaten Musi Rawas (16.05, Sumatera Selatan); correct the code or the regency`},
		{Query{Name: "Sungai Rebo", District: "Banyuasin I"}, ReasonMissing,
			`district "Banyuasin I": district names repeat across regencies, so village rows need a regency column, the dotted district code or the dotted village code`},
		{Query{Name: "Sungai Rebo", District: "16.07.1"}, ReasonInvalidCode,
			`district "16.07.1": not a dotted Kemendagri district code (e.g. "16.07.01")`},
		{Query{Name: "Sungai Rebo", District: "Banyuasin", Regency: "Banyuasin"}, ReasonMismatch,
			`district "Banyuasin": that is Kabupaten Banyuasin (16.07, Sumatera Selatan), not a district (kecamatan); village rows need the kecamatan they belong to`},
		{Query{Name: "Sungai Reb", District: "16.07.01"}, ReasonUnknown,
			`unknown region name "Sungai Reb": Banyuasin I (16.07.01, Kabupaten Banyuasin) has no village (desa or kelurahan) of that name; write the village name as Kemendagri spells it, or the dotted village code; did you mean "Sungai Rebo" (16.07.01.2001)?`},
		{Query{Name: "Panipahan", District: "14.07.06"}, ReasonAmbiguous,
			`ambiguous village name "Panipahan": Panipahan (14.07.06.1007, Pasir Limau Kapas in Kabupaten Rokan Hilir) or Panipahan (14.07.06.2001, Pasir Limau Kapas in Kabupaten Rokan Hilir); write "Kelurahan Panipahan" or "Desa Panipahan", or the dotted village code`},
		{Query{Name: "Lubuk Pakam III", District: "12.07.28"}, ReasonAmbiguous,
			`ambiguous village name "Lubuk Pakam III": Lubuk Pakam I,II (12.07.28.1007, Lubuk Pakam in Kabupaten Deli Serdang) or Lubuk Pakam III (12.07.28.1008, Lubuk Pakam in Kabupaten Deli Serdang); write the dotted village code`},
		// A village row on a sheet without a district column.
		{Query{Name: "Sungai Rebo", Regency: "Banyuasin"}, ReasonMissing,
			`"Sungai Rebo" is a village (desa or kelurahan) name: Sungai Rebo (16.07.01.2001, Banyuasin I in Kabupaten Banyuasin); village rows need a district (kecamatan) column or the dotted village code, e.g. "16.07.01.2001"`},
		{Query{Name: "Talang Kelapa", Regency: "16.07.01.2001"}, ReasonMismatch,
			`regency "16.07.01.2001": region code "16.07.01.2001" is a village code, but the row's regency must be a regency or city; write the regency's code ("16.07")`},
	}
	for _, tt := range tests {
		got, err := r.Resolve(tt.q)
		checkError(t, "Resolve("+queryString(tt.q)+")", got, err, tt.reason, tt.msg)
	}
}

// TestVillageLoadErrors feeds broken village files beside the real
// province, regency and district files: Load still succeeds (it does not
// read villages), and the first village lookup fails with the file, line
// and reason, and keeps failing.
func TestVillageLoadErrors(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write([]byte(s))
		_ = zw.Close()
		return b.Bytes()
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"missing", nil, "open data/villages.csv.gz"},
		{"not gzip", []byte("code,district_code,name\n"), "read data/villages.csv.gz: gzip: invalid header"},
		{"bad header", gz("kode,kecamatan,nama\n"), `data/villages.csv.gz: header is ["kode" "kecamatan" "nama"]`},
		{"bad code", gz("code,district_code,name\n16.07.01.201,16.07.01,Sungai Rebo\n"), `data/villages.csv.gz line 2: village code "16.07.01.201" does not have the form 16.07.01.NNNN`},
		{"unknown district", gz("code,district_code,name\n16.07.99.2001,16.07.99,X\n"), "data/villages.csv.gz line 2: village 16.07.99.2001: unknown district 16.07.99"},
		{"empty name", gz("code,district_code,name\n16.07.01.2001,16.07.01,--\n"), `data/villages.csv.gz line 2: code 16.07.01.2001: empty name "--"`},
		{"duplicate", gz("code,district_code,name\n16.07.01.2001,16.07.01,A\n16.07.01.2001,16.07.01,B\n"), "data/villages.csv.gz: duplicate code 16.07.01.2001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for _, name := range []string{provincesFile, regenciesFile, districtsFile} {
				b, err := fs.ReadFile(dataFiles, name)
				if err != nil {
					t.Fatal(err)
				}
				fsys[name] = &fstest.MapFile{Data: b}
			}
			if tt.data != nil {
				fsys[villagesFile] = &fstest.MapFile{Data: tt.data}
			}
			r, err := load(fsys)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			for range 2 {
				if err := r.LoadVillages(); err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("LoadVillages = %v; want an error containing %q", err, tt.want)
				}
			}
			if _, err := r.Resolve(Query{Code: "16.07.01.2001"}); err == nil || !strings.Contains(err.Error(), "load village reference") {
				t.Errorf("Resolve = %v; want the load error", err)
			}
			if _, ok := r.Lookup("16.07.01.2001"); ok {
				t.Error("Lookup found a village in a broken table")
			}
		})
	}
}

// BenchmarkLoadVillages measures the first village lookup's cost: the
// decompression, parsing and indexing of the village table.
func BenchmarkLoadVillages(b *testing.B) {
	r := mustLoad(b)
	for b.Loop() {
		if _, err := r.loadVillages(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolveVillage(b *testing.B) {
	r := mustLoad(b)
	queries := []Query{
		{Code: "16.07.01.2001"},
		{Code: "16.07.01.2001", Name: "Sungai Rebo", District: "Banyuasin I", Regency: "Kabupaten Banyuasin"},
		{Name: "Sungai Rebo", District: "16.07.01"},
		{Name: "Sungai Rebo", District: "Banyuasin I", Regency: "Banyuasin", Province: "Sumatera Selatan"},
	}
	if err := r.LoadVillages(); err != nil {
		b.Fatal(err)
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

// BenchmarkResolveVillageRows resolves every village as a national
// village sheet's row carries it: code, name, district, regency and
// province (the shape of the benchmark workbooks).
func BenchmarkResolveVillageRows(b *testing.B) {
	r := mustLoad(b)
	v, err := r.villages()
	if err != nil {
		b.Fatal(err)
	}
	qs := make([]Query, 0, v.len())
	for i := range v.len() {
		reg := v.region(i)
		d, _ := r.Lookup(reg.Code[:8])
		rg, _ := r.Lookup(reg.Code[:5])
		qs = append(qs, Query{Code: reg.Code, Name: reg.Name, District: d.Name, Regency: rg.Name, Province: reg.Province})
	}
	b.ResetTimer()
	for b.Loop() {
		for _, q := range qs {
			if _, err := r.Resolve(q); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(qs)), "ns/row")
}

// TestCanonicalNameShortcuts: Resolve answers canonical names from an
// exact-name index; the answer must be what the normalising path gives.
// A name with a trailing "." reads the same but misses the index.
func TestCanonicalNameShortcuts(t *testing.T) {
	r := mustLoad(t)
	for _, p := range r.Provinces() {
		fast, err1 := r.Province(p.Name)
		slow, err2 := r.Province(p.Name + ".")
		if err1 != nil || err2 != nil || fast != p || slow != p {
			t.Errorf("Province(%q) = %v, %v; slow %v, %v", p.Name, fast, err1, slow, err2)
		}
		for _, reg := range r.Children(p.Code) {
			for _, prov := range []*jkn.Region{nil, &p} {
				fast, err1 := r.resolveName(reg.Name, prov)
				slow, err2 := r.resolveName(reg.Name+".", prov)
				if err1 != nil || err2 != nil || fast != reg || slow != reg {
					t.Errorf("resolveName(%q) = %v, %v; slow %v, %v", reg.Name, fast, err1, slow, err2)
				}
			}
			for _, d := range r.Children(reg.Code) {
				fast, err1 := r.resolveDistrict(d.Name, reg.Code, nil)
				slow, err2 := r.resolveDistrict(d.Name+".", reg.Code, nil)
				if err1 != nil || err2 != nil || fast != d || slow != d {
					t.Errorf("resolveDistrict(%q) = %v, %v; slow %v, %v", d.Name, fast, err1, slow, err2)
				}
			}
		}
	}
	for s, want := range map[string]bool{
		"Kota Mukomuko": true, "Mukomuko Kota": true, "Kab. Banyuasin": true, "  kec.  Talang Kelapa  ": true,
		"Kecamatan": true, "KOTA": true, "Banyuasin I": false, "Kotabaru": false, "Ra’as": false, "": false, "--": false,
		"Lubuk Pakam I,II": false, "Desa Baru": false, "Talang – Kota": true,
	} {
		if got := typeWordAtEdge(s); got != want {
			t.Errorf("typeWordAtEdge(%q) = %v, want %v", s, got, want)
		}
	}
}
