package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/demo"
)

// demoWorkbook returns the bytes of one demo office's workbook.
func demoWorkbook(t *testing.T, office int) []byte {
	t.Helper()
	files, err := demo.SeedOffices()[office].Source.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return files[0].Data
}

type apiEnv struct {
	srv            *httptest.Server
	exp            *exporter.Exporter
	dirA, dirB     string
	tokenA, tokenB string
	logs           *bytes.Buffer
	maxBytes       int64
}

// newAPIEnv runs an exporter with two directory sources, each with its own
// upload token, behind a real HTTP server on loopback.
func newAPIEnv(t *testing.T) *apiEnv {
	t.Helper()
	return newAPIEnvLimit(t, 200<<10)
}

// newAPIEnvLimit is newAPIEnv with the sources' max_file_bytes.
func newAPIEnvLimit(t *testing.T, maxBytes int64) *apiEnv {
	t.Helper()
	env := &apiEnv{dirA: t.TempDir(), dirB: t.TempDir(), tokenA: "token-palembang-0123456789", tokenB: "token-banjarmasin-0123456789", logs: &bytes.Buffer{}, maxBytes: maxBytes}
	secrets := t.TempDir()
	tokA, tokB := filepath.Join(secrets, "a"), filepath.Join(secrets, "b")
	if err := os.WriteFile(tokA, []byte(env.tokenA+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tokB, []byte(env.tokenB+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	mk := func(name, dir, branch, province, tok string) *exporter.Source {
		return &exporter.Source{
			Source: &sources.Dir{SourceName: name, Path: dir}, Kind: "directory", Location: dir,
			Settings: ingest.Settings{BranchOffice: branch, Province: province, MaxFileBytes: env.maxBytes},
			Upload:   &exporter.Upload{TokenFile: tok},
		}
	}
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	crit, _ := criteria.Lookup("uhc_2025")
	reg := prometheus.NewRegistry()
	logger := slog.New(slog.NewTextHandler(env.logs, nil))
	env.exp, err = exporter.New(exporter.Options{Logger: logger, Reference: ref, Registerer: reg},
		[]*exporter.Source{mk("kc-palembang", env.dirA, "Palembang", "Sumatera Selatan", tokA), mk("kc-banjarmasin", env.dirB, "Banjarmasin", "", tokB)}, criteria.Rules{Policy: crit})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Handler(Options{Exporter: env.exp, Gatherer: reg, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	env.srv = httptest.NewServer(h)
	t.Cleanup(env.srv.Close)
	for _, s := range env.exp.Sources() {
		env.exp.Ingest(context.Background(), s)
	}
	return env
}

func (env *apiEnv) do(t *testing.T, method, path, token string, body io.Reader, contentType string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, env.srv.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (env *apiEnv) metrics(t *testing.T) string {
	t.Helper()
	_, b := env.do(t, "GET", "/metrics", "", nil, "")
	return string(b)
}

func TestUploadAccepted(t *testing.T) {
	env := newAPIEnv(t)
	code, body := env.do(t, "PUT", "/api/v1/sources/kc-palembang/workbooks/rekap%20sept.xlsx", env.tokenA, bytes.NewReader(demoWorkbook(t, 0)), "")
	if code != 200 {
		t.Fatalf("PUT: %d %s", code, body)
	}
	var res UploadJSON
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatal(err)
	}
	if !res.Accepted || res.File != "rekap sept.xlsx" || res.Report.Table.HeaderRow != 5 || len(res.Report.Records) != 5 || res.RegionsServed != 5 {
		t.Fatalf("result: %+v", res)
	}
	if _, err := os.Stat(filepath.Join(env.dirA, "rekap sept.xlsx")); err != nil {
		t.Fatalf("accepted file not stored: %v", err)
	}
	if m := env.metrics(t); !strings.Contains(m, `jkn_participants{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",branch_office="Palembang"} 817221`) {
		t.Fatal("accepted upload not served at once")
	}
	if !strings.Contains(env.logs.String(), "upload accepted") || !strings.Contains(env.logs.String(), "sha256="+res.SHA256) {
		t.Errorf("upload not logged with its sha256:\n%s", env.logs)
	}
	if strings.Contains(env.logs.String(), env.tokenA) {
		t.Error("a token appears in the logs")
	}

	// Multipart POST to the other office with its own token.
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, _ := mw.CreateFormFile("file", "banjar.xlsx")
	_, _ = fw.Write(demoWorkbook(t, 3))
	_ = mw.Close()
	code, body = env.do(t, "POST", "/api/v1/sources/kc-banjarmasin/workbooks", env.tokenB, &form, mw.FormDataContentType())
	if code != 200 || !strings.Contains(string(body), `"accepted": true`) {
		t.Fatalf("multipart: %d %s", code, body)
	}
}

// TestUploadOtherFormats: a workbook in another format read is uploaded,
// stored under its name and served like an .xlsx; its format is told by
// its content.
func TestUploadOtherFormats(t *testing.T) {
	for _, c := range []struct{ file, name string }{
		{"../testdata/xls_named_xlsx/data.xlsx", "rekap_mei.xls"},
		{"../testdata/csv_named_xlsx/data.xlsx", "rekap_mei.csv"},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := newAPIEnv(t)
			data, err := os.ReadFile(c.file)
			if err != nil {
				t.Fatal(err)
			}
			code, body := env.do(t, "PUT", "/api/v1/sources/kc-banjarmasin/workbooks/"+c.name, env.tokenB, bytes.NewReader(data), "")
			var res UploadJSON
			if err := json.Unmarshal(body, &res); err != nil || code != 200 {
				t.Fatalf("PUT: %d %s (%v)", code, body, err)
			}
			if !res.Accepted || res.File != c.name || len(res.Report.Records) != 2 {
				t.Fatalf("result: %+v", res)
			}
			if _, err := os.Stat(filepath.Join(env.dirB, c.name)); err != nil {
				t.Fatalf("accepted file not stored: %v", err)
			}
			if m := env.metrics(t); !strings.Contains(m, `jkn_participants{region_code="63.72",region="Kota Banjarbaru",level="city",province="Kalimantan Selatan",branch_office="Banjarmasin"} 283905`) {
				t.Fatal("accepted upload not served at once")
			}
		})
	}
}

func TestUploadRefused(t *testing.T) {
	env := newAPIEnv(t)
	good := demoWorkbook(t, 0)
	if code, body := env.do(t, "PUT", "/api/v1/sources/kc-palembang/workbooks/a.xlsx", env.tokenA, bytes.NewReader(good), ""); code != 200 {
		t.Fatalf("setup upload: %d %s", code, body)
	}
	before := env.metrics(t)
	truncated := good[:len(good)/2]
	for _, tc := range []struct {
		name, path, token string
		body              []byte
		code              int
		want              string
	}{
		{"no credential", "/api/v1/sources/kc-palembang/workbooks/b.xlsx", "", good, 401, "credential missing"},
		{"wrong credential", "/api/v1/sources/kc-palembang/workbooks/b.xlsx", "guess", good, 401, "credential missing"},
		{"other office's credential", "/api/v1/sources/kc-palembang/workbooks/b.xlsx", env.tokenB, good, 401, "not valid for this source"},
		{"unknown source", "/api/v1/sources/kc-nowhere/workbooks/b.xlsx", env.tokenA, good, 404, "no source"},
		{"path traversal", "/api/v1/sources/kc-palembang/workbooks/..%2F..%2Fetc%2Fpasswd.xlsx", env.tokenA, good, 400, "invalid file name"},
		{"not xlsx name", "/api/v1/sources/kc-palembang/workbooks/rekap.exe", env.tokenA, good, 400, "invalid file name"},
		{"bad workbook", "/api/v1/sources/kc-palembang/workbooks/a.xlsx", env.tokenA, truncated, 422, `"accepted": false`},
		{"too large", "/api/v1/sources/kc-palembang/workbooks/c.xlsx", env.tokenA, make([]byte, env.maxBytes+1), 413, "over the limit"},
	} {
		code, body := env.do(t, "PUT", tc.path, tc.token, bytes.NewReader(tc.body), "")
		if code != tc.code || !strings.Contains(string(body), tc.want) {
			t.Errorf("%s: %d %s, want %d with %q", tc.name, code, body, tc.code, tc.want)
		}
	}
	// Nothing refused was stored, and nothing served changed.
	entries, _ := os.ReadDir(env.dirA)
	if len(entries) != 1 || entries[0].Name() != "a.xlsx" {
		t.Errorf("directory holds %v, want only a.xlsx", entries)
	}
	stored, _ := os.ReadFile(filepath.Join(env.dirA, "a.xlsx"))
	if !bytes.Equal(stored, good) {
		t.Error("a rejected upload replaced the good file")
	}
	if after := env.metrics(t); testtool.RegionLines(after) != testtool.RegionLines(before) {
		t.Error("a refused upload changed what is served")
	}
}

func TestTriggerAndSourcesAPI(t *testing.T) {
	env := newAPIEnv(t)
	if err := os.WriteFile(filepath.Join(env.dirB, "banjar.xlsx"), demoWorkbook(t, 3), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _ := env.do(t, "POST", "/api/v1/sources/kc-banjarmasin/ingest", env.tokenA, nil, ""); code != 401 {
		t.Errorf("trigger with the other office's token: %d, want 401", code)
	}
	code, body := env.do(t, "POST", "/api/v1/sources/kc-banjarmasin/ingest", env.tokenB, nil, "")
	if code != 200 || !strings.Contains(string(body), `"regions": 4`) {
		t.Fatalf("trigger: %d %s", code, body)
	}
	code, body = env.do(t, "GET", "/api/v1/sources", "", nil, "")
	if code != 200 {
		t.Fatalf("sources: %d", code)
	}
	var out struct {
		Sources []struct {
			Name, Kind   string
			BranchOffice string `json:"branch_office"`
			Up           bool
			Regions      int
			Files        []struct{ Name string }
			Findings     map[string]int
		}
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Sources) != 2 || out.Sources[0].Name != "kc-banjarmasin" || out.Sources[0].Regions != 4 ||
		out.Sources[0].Files[0].Name != "banjar.xlsx" || out.Sources[0].Findings["reported_coverage_mismatch"] != 1 || !out.Sources[0].Up {
		t.Fatalf("sources: %s", body)
	}
}

func TestReloadNeedsLifecycleFlag(t *testing.T) {
	env := newAPIEnv(t)
	if code, _ := env.do(t, "POST", "/-/reload", "", nil, ""); code != http.StatusForbidden {
		t.Errorf("reload without --web.enable-lifecycle: %d, want 403", code)
	}
}

// apiCounts are the counts of one source as GET /api/v1/sources and the
// trigger give them.
type apiCounts struct {
	Name         string         `json:"name"`
	Up           bool           `json:"up"`
	Regions      int            `json:"regions"`
	RowsAccepted int            `json:"rows_accepted"`
	RowsRejected int            `json:"rows_rejected"`
	Findings     map[string]int `json:"findings"`
}

// metricCounts reads the same counts of every source from /metrics.
func metricCounts(t *testing.T, text string) map[string]apiCounts {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	out := map[string]apiCounts{}
	each := func(family string, f func(c *apiCounts, labels map[string]string, v float64)) {
		for _, m := range mfs[family].GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			c := out[labels["source"]]
			c.Name = labels["source"]
			if c.Findings == nil {
				c.Findings = map[string]int{}
			}
			f(&c, labels, m.GetGauge().GetValue())
			out[c.Name] = c
		}
	}
	each("jkn_source_up", func(c *apiCounts, _ map[string]string, v float64) { c.Up = v == 1 })
	each("jkn_source_regions", func(c *apiCounts, _ map[string]string, v float64) { c.Regions = int(v) })
	each("jkn_source_rows", func(c *apiCounts, l map[string]string, v float64) {
		if l["status"] == "accepted" {
			c.RowsAccepted = int(v)
		} else {
			c.RowsRejected = int(v)
		}
	})
	each("jkn_data_quality_findings", func(c *apiCounts, l map[string]string, v float64) { c.Findings[l["check"]] = int(v) })
	return out
}

// TestAPICountsAreTheMetrics: GET /api/v1/sources and the trigger's reply
// count what /metrics counts for the same sources (regions served,
// findings by check with the cross-source conflicts, rows, up), as all
// three read one collector.SourceStatus.
func TestAPICountsAreTheMetrics(t *testing.T) {
	env := newAPIEnv(t)
	// The same workbook in both inboxes: its four regions, same as-of
	// date, carried by two sources. kc-banjarmasin sorts first and serves
	// them; kc-palembang's are four conflicts. A broken file next to it
	// puts kc-palembang down.
	for _, dir := range []string{env.dirA, env.dirB} {
		if err := os.WriteFile(filepath.Join(dir, "banjar.xlsx"), demoWorkbook(t, 3), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(env.dirA, "broken.xlsx"), []byte("not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	trigger := func(name, token string) apiCounts {
		t.Helper()
		code, body := env.do(t, "POST", "/api/v1/sources/"+name+"/ingest", token, nil, "")
		if code != 200 {
			t.Fatalf("trigger %s: %d %s", name, code, body)
		}
		var c apiCounts
		if err := json.Unmarshal(body, &c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	compare := func(what string, api apiCounts, metrics map[string]apiCounts) {
		t.Helper()
		m := metrics[api.Name]
		if api.Up != m.Up || api.Regions != m.Regions || api.RowsAccepted != m.RowsAccepted || api.RowsRejected != m.RowsRejected || !maps.Equal(api.Findings, m.Findings) {
			t.Errorf("%s of %s: %+v; /metrics: %+v", what, api.Name, api, m)
		}
	}

	// kc-palembang alone carries the regions: it serves them.
	first := trigger("kc-palembang", env.tokenA)
	compare("trigger", first, metricCounts(t, env.metrics(t)))
	if first.Regions != 4 || first.Up || first.Findings["duplicate_region"] != 0 {
		t.Errorf("kc-palembang before the conflict: %+v, want 4 regions, down, no conflict", first)
	}

	// Now kc-banjarmasin carries them too, and wins them.
	second := trigger("kc-banjarmasin", env.tokenB)
	metrics := metricCounts(t, env.metrics(t))
	compare("trigger", second, metrics)
	code, body := env.do(t, "GET", "/api/v1/sources", "", nil, "")
	if code != 200 {
		t.Fatalf("sources: %d %s", code, body)
	}
	var list struct{ Sources []apiCounts }
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Sources) != 2 {
		t.Fatalf("sources: %s", body)
	}
	for _, s := range list.Sources {
		compare("GET /api/v1/sources", s, metrics)
	}
	want := map[string]apiCounts{
		"kc-banjarmasin": {Name: "kc-banjarmasin", Up: true, Regions: 4, RowsAccepted: 4, Findings: map[string]int{"reported_coverage_mismatch": 1}},
		"kc-palembang":   {Name: "kc-palembang", Up: false, Regions: 0, RowsAccepted: 4, Findings: map[string]int{"reported_coverage_mismatch": 1, "duplicate_region": 4}},
	}
	for name, w := range want {
		if m := metrics[name]; m.Up != w.Up || m.Regions != w.Regions || m.RowsAccepted != w.RowsAccepted || !maps.Equal(m.Findings, w.Findings) {
			t.Errorf("/metrics of %s: %+v, want %+v", name, m, w)
		}
	}
	// The losing source read again: its reply counts the regions it
	// serves (none) and its conflicts, not the records it holds.
	third := trigger("kc-palembang", env.tokenA)
	compare("trigger", third, metricCounts(t, env.metrics(t)))
}
