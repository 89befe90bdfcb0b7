package web

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden JSON files (review the diff before committing)")

// volatileJSON are the values that depend on the clock or the machine:
// times, durations and the temporary inbox directories.
var volatileJSON = regexp.MustCompile(`("(?:modtime|attempted|last_success|next_run|location)": )"[^"]*"|("duration_seconds": )[0-9.e-]+`)

func normalizeJSON(b []byte) []byte {
	return volatileJSON.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := volatileJSON.FindSubmatch(m)
		if len(sub[1]) > 0 {
			return append(sub[1], `"…"`...)
		}
		return append(sub[2], '0')
	})
}

// TestWireGolden: what the API sends, key by key, is the reviewed files in
// testdata/: an accepted upload's report, a rejected one's, and the
// source list after them.
func TestWireGolden(t *testing.T) {
	env := newAPIEnv(t)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		golden, method, path string
		body                 []byte
		code                 int
	}{
		{"upload_accepted.json", "PUT", "/api/v1/sources/kc-banjarmasin/workbooks/kepesertaan_jkn_mei_2025.xlsx",
			read("seed_banjarmasin/kepesertaan_jkn_mei_2025.xlsx"), 200},
		{"upload_rejected.json", "PUT", "/api/v1/sources/kc-banjarmasin/workbooks/data.xlsx", read("bad_truncated/data.xlsx"), 422},
		{"sources.json", "GET", "/api/v1/sources", nil, 200},
	} {
		code, body := env.do(t, c.method, c.path, env.tokenB, bytes.NewReader(c.body), "")
		if code != c.code {
			t.Fatalf("%s %s: %d %s, want %d", c.method, c.path, code, body, c.code)
		}
		got := normalizeJSON(body)
		path := filepath.Join("testdata", c.golden)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s %s sent, normalised:\n%s\nwant (%s):\n%s", c.method, c.path, got, path, want)
		}
	}
}

// TestSourceCompletenessJSON: after May's sheet and June's, which leaves
// out a region May carried, the source list says so, as
// jkn_region_missing does: the region, the sheet that last carried it,
// and 4 of 5 expected regions reported.
func TestSourceCompletenessJSON(t *testing.T) {
	env := newAPIEnv(t)
	for _, name := range []string{"step1/rekap_mei_2025.xlsx", "step2/rekap_juni_2025.xlsx"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "region_dropped", name))
		if err != nil {
			t.Fatal(err)
		}
		if code, body := env.do(t, "PUT", "/api/v1/sources/kc-palembang/workbooks/"+filepath.Base(name), env.tokenA, bytes.NewReader(data), ""); code != 200 {
			t.Fatalf("upload %s: %d %s", name, code, body)
		}
	}
	code, body := env.do(t, "GET", "/api/v1/sources", "", nil, "")
	if code != 200 {
		t.Fatalf("GET /api/v1/sources: %d %s", code, body)
	}
	var list struct {
		Sources []SourceJSON `json:"sources"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	var c *CompletenessJSON
	for _, s := range list.Sources {
		if s.Name == "kc-palembang" {
			c = s.Completeness
		}
	}
	june := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	if c == nil || c.Basis != "learned" || c.Expected != 5 || c.Reported != 4 || !c.AsOf.Equal(june) ||
		!slices.Equal(c.Sheets, []string{"rekap_juni_2025.xlsx"}) || len(c.Missing) != 1 {
		t.Fatalf("kc-palembang completeness: %+v\n%s", c, body)
	}
	if m := c.Missing[0]; m.Region.Code != "16.10" || m.Region.Name != "Kabupaten Ogan Ilir" || m.LastFile != "rekap_mei_2025.xlsx" ||
		!m.LastAsOf.Equal(june.AddDate(0, -1, 0)) {
		t.Errorf("missing region: %+v", m)
	}
	if want := `jkn_region_missing{region_code="16.10",region="Kabupaten Ogan Ilir",level="regency",province="Sumatera Selatan",branch_office="Palembang",source="kc-palembang"} 1`; !strings.Contains(env.metrics(t), want) {
		t.Errorf("metrics lack %s", want)
	}
}
