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

	"github.com/jkn-exporter/jkn_exporter/lang"
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

// TestUploadReplyLanguage: the texts for people in an upload reply follow
// ?lang= and Accept-Language; the machine fields do not.
func TestUploadReplyLanguage(t *testing.T) {
	env := newAPIEnv(t)
	data, err := os.ReadFile(filepath.Join("..", "testdata", "seed_banjarmasin", "kepesertaan_jkn_mei_2025.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query, want, text string
	}{
		{"?lang=en", "en", "Kabupaten Banjar reports coverage 99.47%, but 581578 of 590393 is 98.51%"},
		{"", "id", "Kabupaten Banjar melaporkan cakupan 99,47%, padahal 581.578 dari 590.393 adalah 98,51%"},
	} {
		code, body := env.do(t, "PUT", "/api/v1/sources/kc-banjarmasin/workbooks/kepesertaan_jkn_mei_2025.xlsx"+c.query, env.tokenB, bytes.NewReader(data), "")
		var got UploadJSON
		if err := json.Unmarshal(body, &got); code != 200 || err != nil {
			t.Fatalf("%s: %d %v %s", c.query, code, err, body)
		}
		if got.Lang != lang.Lang(c.want) || len(got.Report.Findings) != 1 {
			t.Fatalf("%s: lang %q, %d findings", c.query, got.Lang, len(got.Report.Findings))
		}
		f := got.Report.Findings[0]
		if f.Text != c.text || f.Check != "reported_coverage_mismatch" || f.Reason != "Kabupaten Banjar reports coverage 99.47%, but 581578 of 590393 is 98.51%" {
			t.Errorf("%s: finding %+v", c.query, f)
		}
	}
}

// TestRefusalLanguage: a refused upload says why in the request's
// language ("text"), and in English in "error" as before.
func TestRefusalLanguage(t *testing.T) {
	env := newAPIEnv(t)
	for _, c := range []struct {
		path, token, text string
		code              int
	}{
		{"/api/v1/sources/kc-banjarmasin/workbooks/a.xlsx", "wrong", "kredensial tidak ada atau tidak berlaku untuk sumber ini", 401},
		{"/api/v1/sources/kc-banjarmasin/workbooks/a.xlsx?lang=en", "wrong", "credential missing or not valid for this source", 401},
		{"/api/v1/sources/kc-banjarmasin/workbooks/a.pdf", env.tokenB, "nama berkas tidak sah: berikan nama berkas biasa yang berakhiran .xlsx, .xlsm, .xls, .ods, .csv, .tsv, .txt, .htm, .html (", 400},
	} {
		code, body := env.do(t, "PUT", c.path, c.token, bytes.NewReader([]byte("x")), "")
		var got struct{ Error, Text string }
		if err := json.Unmarshal(body, &got); err != nil || code != c.code {
			t.Fatalf("%s: %d %v %s", c.path, code, err, body)
		}
		if !strings.HasPrefix(got.Text, c.text) || got.Error == "" || strings.Contains(got.Error, "kredensial") || strings.Contains(got.Error, "berkas") {
			t.Errorf("%s: error %q, text %q; want text %q… and the English error", c.path, got.Error, got.Text, c.text)
		}
	}
}
