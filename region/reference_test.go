package region

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// loadOnce shares one Reference between tests; it is immutable, and
// loading per test would only slow the suite.
var loadOnce = sync.OnceValues(Load)

func mustLoad(t testing.TB) *Reference {
	t.Helper()
	r, err := loadOnce()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return r
}

// TestDataFilesUnmodified pins the embedded files to the idn-area-data
// 4.0.1 tarball's bytes, so the README's "unmodified copies" stays true
// and a changed file is noticed (update.sh regenerates them).
func TestDataFilesUnmodified(t *testing.T) {
	want := map[string]string{
		provincesFile: "ee9e5b5aaca298c41aef1aa0888285e103856f1414134bbb7afc68b294c9a89d",
		regenciesFile: "d5fbd54bb1500bbf5e194ddc94a3806df6e6837a310146dfa646b085bd99c0ae",
		districtsFile: "982f843613cf36bf474cab7ec46b5ecafc46dfeaad26e4bbadf170a6dae8ebe7",
	}
	for name, sum := range want {
		b, err := fs.ReadFile(dataFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		got := sha256.Sum256(b)
		if hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: sha256 %x, want %s (idn-area-data 4.0.1)", name, got, sum)
		}
	}
}

func TestLoadCounts(t *testing.T) {
	r := mustLoad(t)
	provinces := r.Provinces()
	if len(provinces) != 38 {
		t.Fatalf("provinces: %d, want 38", len(provinces))
	}
	count := map[jkn.Level]int{}
	for _, p := range provinces {
		count[p.Level]++
		if !isCode(p.Code, 1) || p.ProvinceCode != p.Code || p.Province != p.Name || p.Name == "" {
			t.Errorf("bad province %+v", p)
		}
		for _, reg := range r.Children(p.Code) {
			count[reg.Level]++
			n := reg.Code[3:]
			switch {
			case reg.Level == jkn.LevelRegency && n >= "01" && n <= "69" && strings.HasPrefix(reg.Name, "Kabupaten "):
			case reg.Level == jkn.LevelCity && n >= "71" && n <= "99" && strings.HasPrefix(reg.Name, "Kota "):
			default:
				t.Errorf("bad regency/city level: %+v", reg)
			}
			if !isCode(reg.Code, 2) || reg.ProvinceCode != p.Code || reg.Province != p.Name {
				t.Errorf("bad regency %+v in %+v", reg, p)
			}
			for _, d := range r.Children(reg.Code) {
				count[d.Level]++
				if d.Level != jkn.LevelDistrict || !isCode(d.Code, 3) || d.Code[:5] != reg.Code ||
					d.ProvinceCode != p.Code || d.Province != p.Name || d.Name == "" {
					t.Errorf("bad district %+v in %+v", d, reg)
				}
				if got, ok := r.Lookup(d.Code); !ok || got != d {
					t.Errorf("Lookup(%q) = %+v, %v; want %+v", d.Code, got, ok, d)
				}
			}
		}
	}
	want := map[jkn.Level]int{jkn.LevelProvince: 38, jkn.LevelRegency: 416, jkn.LevelCity: 98, jkn.LevelDistrict: 7285}
	for l, n := range want {
		if count[l] != n {
			t.Errorf("%s: %d, want %d", l, count[l], n)
		}
	}
	if len(count) != len(want) {
		t.Errorf("unexpected levels: %v", count)
	}
	if len(r.regions) != 38+514+7285 {
		t.Errorf("regions: %d, want %d", len(r.regions), 38+514+7285)
	}
}

func TestLookup(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		code string
		want jkn.Region
		ok   bool
	}{
		{"16", jkn.Region{Code: "16", Name: "Sumatera Selatan", Level: jkn.LevelProvince, ProvinceCode: "16", Province: "Sumatera Selatan"}, true},
		{"16.07", jkn.Region{Code: "16.07", Name: "Kabupaten Banyuasin", Level: jkn.LevelRegency, ProvinceCode: "16", Province: "Sumatera Selatan"}, true},
		{" 16.07 ", jkn.Region{Code: "16.07", Name: "Kabupaten Banyuasin", Level: jkn.LevelRegency, ProvinceCode: "16", Province: "Sumatera Selatan"}, true},
		{"19.71", jkn.Region{Code: "19.71", Name: "Kota Pangkal Pinang", Level: jkn.LevelCity, ProvinceCode: "19", Province: "Kepulauan Bangka Belitung"}, true},
		{"16.07.01", jkn.Region{Code: "16.07.01", Name: "Banyuasin I", Level: jkn.LevelDistrict, ProvinceCode: "16", Province: "Sumatera Selatan"}, true},
		{"35.29.22", jkn.Region{Code: "35.29.22", Name: `Ra"as`, Level: jkn.LevelDistrict, ProvinceCode: "35", Province: "Jawa Timur"}, true}, // the one quoted CSV field
		{"1607", jkn.Region{}, false},
		{"16.99", jkn.Region{}, false},
		{"", jkn.Region{}, false},
	}
	for _, tt := range tests {
		got, ok := r.Lookup(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%q) = %+v, %v; want %+v, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}

func codes(regs []jkn.Region) []string {
	out := make([]string, len(regs))
	for i, reg := range regs {
		out[i] = reg.Code
	}
	return out
}

func TestChildren(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		code string
		want []string
	}{
		{"19", []string{"19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"}},
		{" 19 ", []string{"19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"}},
		{"16.07", []string{
			"16.07.01", "16.07.02", "16.07.03", "16.07.04", "16.07.05", "16.07.06", "16.07.07",
			"16.07.08", "16.07.09", "16.07.10", "16.07.11", "16.07.12", "16.07.13", "16.07.14",
			"16.07.15", "16.07.16", "16.07.17", "16.07.18", "16.07.19", "16.07.20", "16.07.21",
		}},
		{"16.07.01", []string{ // villages: kelurahan 1NNN, desa 2NNN
			"16.07.01.1016", "16.07.01.1021", "16.07.01.2001", "16.07.01.2002", "16.07.01.2003", "16.07.01.2004",
			"16.07.01.2005", "16.07.01.2008", "16.07.01.2011", "16.07.01.2012", "16.07.01.2014", "16.07.01.2025", "16.07.01.2028",
		}},
		{"16.07.01.2001", nil},
		{"16.07.99", nil},
		{"", nil},
		{"99", nil},
	}
	for _, tt := range tests {
		if got := codes(r.Children(tt.code)); !slices.Equal(got, tt.want) {
			t.Errorf("Children(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
	for _, p := range r.Provinces() {
		c := r.Children(p.Code)
		if !slices.IsSortedFunc(c, func(a, b jkn.Region) int { return strings.Compare(a.Code, b.Code) }) {
			t.Errorf("Children(%s) not sorted: %v", p.Code, codes(c))
		}
	}
	if got := codes(r.Provinces())[:3]; !slices.Equal(got, []string{"11", "12", "13"}) {
		t.Errorf("Provinces() starts %v, want [11 12 13]", got)
	}
	// The slices are copies: changing one must not change the table.
	c := r.Children("19")
	c[0].Name = "changed"
	p := r.Provinces()
	p[0].Name = "changed"
	if r.Children("19")[0].Name != "Kabupaten Bangka" || r.Provinces()[0].Name != "Aceh" {
		t.Error("Children/Provinces return the table's own storage")
	}
}

func TestProvince(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		in   string
		want string
	}{
		{"Sumatera Selatan", "16"},
		{"SUMATERA SELATAN", "16"},
		{"  sumatera   selatan ", "16"},
		{"Prov. Sumatera Selatan", "16"},
		{"Provinsi Sumatera Selatan", "16"},
		{"PROV SUMATERA SELATAN", "16"},
		{"Propinsi Sumatera Selatan", "16"},
		{"16", "16"},
		{" 16 ", "16"},
		{"Bengkulu", "17"}, // only provinces count here; Kota Bengkulu is no candidate
		{"Kepulauan Bangka Belitung", "19"},
		{"Kep. Bangka Belitung", "19"},
		{"Bangka Belitung", "19"},
		{"Bangka-Belitung", "19"},
		{"Daerah Khusus Ibukota Jakarta", "31"},
		{"DKI Jakarta", "31"},
		{"D.K.I. Jakarta", "31"},
		{"Jakarta", "31"},
		{"Daerah Khusus Jakarta", "31"},
		{"Daerah Istimewa Yogyakarta", "34"},
		{"DI Yogyakarta", "34"},
		{"D.I. Yogyakarta", "34"},
		{"Yogyakarta", "34"},
		{"Kepulauan Riau", "21"},
		{"Kep. Riau", "21"},
		{"Riau", "14"},
		{"Nanggroe Aceh Darussalam", "11"},
		{"Papua Barat Daya", "96"},
	}
	for _, tt := range tests {
		got, err := r.Province(tt.in)
		if err != nil || got.Code != tt.want || got.Level != jkn.LevelProvince {
			t.Errorf("Province(%q) = %+v, %v; want code %s", tt.in, got, err, tt.want)
		}
	}
}

func TestProvinceErrors(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		in     string
		reason Reason
		msg    string
	}{
		{"", ReasonMissing, `empty province: write the province name or its 2-digit Kemendagri code`},
		{"99", ReasonUnknown, `unknown province code "99": no Kemendagri province has it; write the province name or its 2-digit code, e.g. "16"`},
		{"16.07", ReasonInvalidCode, `"16.07" is not a province code: province codes have two digits, e.g. "16"`},
		{"1", ReasonInvalidCode, `"1" is not a province code: province codes have two digits, e.g. "16"`},
		{"Sumsel", ReasonUnknown, `unknown province "Sumsel"; write the province name as Kemendagri spells it (e.g. "Sumatera Selatan") or its 2-digit code`},
		{"Sumatera Selatn", ReasonUnknown, `unknown province "Sumatera Selatn"; write the province name as Kemendagri spells it (e.g. "Sumatera Selatan") or its 2-digit code; did you mean "Provinsi Sumatera Selatan" (16)?`},
		{"Kota Bengkulu", ReasonUnknown, `unknown province "Kota Bengkulu": that is Kota Bengkulu (17.71, Bengkulu), not a province; write the province name as Kemendagri spells it (e.g. "Sumatera Selatan") or its 2-digit code`},
		{"Banyuasin", ReasonUnknown, `unknown province "Banyuasin": that is Kabupaten Banyuasin (16.07, Sumatera Selatan), not a province; write the province name as Kemendagri spells it (e.g. "Sumatera Selatan") or its 2-digit code`},
		{"-", ReasonUnknown, `unknown province "-"; write the province name as Kemendagri spells it (e.g. "Sumatera Selatan") or its 2-digit code`},
	}
	for _, tt := range tests {
		got, err := r.Province(tt.in)
		checkError(t, "Province("+tt.in+")", got, err, tt.reason, tt.msg)
	}
}

// TestLoadErrors feeds broken tables: Load must reject them with the file,
// line and reason rather than build a wrong index.
func TestLoadErrors(t *testing.T) {
	good := map[string]string{
		provincesFile: "code,name\n16,Sumatera Selatan\n17,Bengkulu\n",
		regenciesFile: "code,province_code,name\n16.07,16,Kabupaten Banyuasin\n17.71,17,Kota Bengkulu\n",
		districtsFile: "code,regency_code,name\n16.07.01,16.07,Banyuasin I\n",
	}
	tests := []struct {
		name    string
		file    string
		content string
		want    string
	}{
		{"missing file", provincesFile, "", "open data/provinces.csv"},
		{"bad header", provincesFile, "kode,nama\n16,Sumatera Selatan\n", `data/provinces.csv: header is ["kode" "nama"], want ["code" "name"]`},
		{"bad province code", provincesFile, "code,name\n160,Sumatera Selatan\n", `data/provinces.csv line 2: province code "160" is not two digits`},
		{"duplicate province", provincesFile, "code,name\n16,Sumatera Selatan\n16,Bengkulu\n", "data/provinces.csv line 3: duplicate code 16"},
		{"empty name", provincesFile, "code,name\n16, \n", `data/provinces.csv line 2: code 16: empty name ""`},
		{"wrong field count", provincesFile, "code,name\n16,Sumatera,Selatan\n", "read data/provinces.csv: record on line 2: wrong number of fields"},
		{"kota number with kabupaten name", regenciesFile, "code,province_code,name\n16.71,16,Kabupaten Palembang\n", `data/regencies.csv line 2: regency 16.71: name "Kabupaten Palembang" does not start with "kota" as its code says`},
		{"kabupaten number with kota name", regenciesFile, "code,province_code,name\n16.07,16,Kota Banyuasin\n", `data/regencies.csv line 2: regency 16.07: name "Kota Banyuasin" does not start with "kabupaten" as its code says`},
		{"regency number 70", regenciesFile, "code,province_code,name\n16.70,16,Kota X\n", "data/regencies.csv line 2: regency code 16.70: 70 is neither a kabupaten (01-69) nor a kota (71-99) number"},
		{"regency in other province", regenciesFile, "code,province_code,name\n16.07,17,Kabupaten Banyuasin\n", `data/regencies.csv line 2: regency code "16.07" does not have the form 17.NN`},
		{"regency of unknown province", regenciesFile, "code,province_code,name\n18.01,18,Kabupaten Lampung Selatan\n", "data/regencies.csv line 2: regency 18.01: unknown province 18"},
		{"district of unknown regency", districtsFile, "code,regency_code,name\n16.08.01,16.08,Martapura\n", "data/districts.csv line 2: district 16.08.01: unknown regency 16.08"},
		{"district under a province code", districtsFile, "code,regency_code,name\n16.07.01,16,Banyuasin I\n", `data/districts.csv line 2: district code "16.07.01" does not have the form 16.NN`},
		{"same district name twice", districtsFile, "code,regency_code,name\n16.07.01,16.07,Betung\n16.07.05,16.07,BETUNG\n", `data/districts.csv line 3: districts 16.07.01 and 16.07.05 of 16.07 have the same name "BETUNG"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, content := range good {
				fsys[name] = &fstest.MapFile{Data: []byte(content)}
			}
			if tt.content == "" {
				delete(fsys, tt.file)
			} else {
				fsys[tt.file] = &fstest.MapFile{Data: []byte(tt.content)}
			}
			r, err := load(fsys)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("load: %v, %v; want error containing %q", r, err, tt.want)
			}
		})
	}
	// The good fixture itself loads, so the failures above are the edits'.
	fsys := fstest.MapFS{}
	for name, content := range good {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	if _, err := load(fsys); err == nil || !strings.Contains(err.Error(), `alias "DKI Jakarta": code 31 is not a province, regency or city`) {
		t.Fatalf("load(fixture) = %v; want only the alias check to fail (the fixture lacks Jakarta)", err)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}
