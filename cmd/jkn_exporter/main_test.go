package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// startExporter runs the real binary on loopback and waits until ready.
// syncBuffer is the exporter's log, written by the process while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// runExporter runs the real binary on loopback and waits until ready.
func runExporter(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := launch(t, bin, args...)
	p.waitReady(nil)
	return p
}

// startExporter runs the real binary and returns its address and log.
func startExporter(t *testing.T, bin string, args ...string) (string, *syncBuffer) {
	t.Helper()
	p := runExporter(t, bin, args...)
	return p.addr, p.logs
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, body)
	}
	return string(body)
}

// TestDemo is the README's first command: no config, the demo is served and
// the log says so and how to point the exporter at real sheets.
func TestDemo(t *testing.T) {
	bin := testtool.BuildExporter(t)
	addr, logs := startExporter(t, bin)
	metrics := get(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		`jkn_participants{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",branch_office="Palembang"} 817221`,
		`jkn_uninsured{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",branch_office="Palembang"} 19841`,
		`jkn_population{region_code="63.03",region="Kabupaten Banjar",level="regency",province="Kalimantan Selatan",branch_office="Banjarmasin"} 590393`,
		`jkn_source_up{branch_office="Banjarmasin",source="demo-banjarmasin"} 1`,
		`jkn_exporter_build_info{`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !strings.Contains(logs.String(), "DEMO") || !strings.Contains(logs.String(), "--config.file") {
		t.Errorf("log does not say it serves the demo and how to leave it:\n%s", logs)
	}
	// Indonesian by default, English on request.
	if landing := get(t, "http://"+addr+"/"); !strings.Contains(landing, "DATA DEMO") {
		t.Errorf("landing page does not say demo")
	}
	if landing := get(t, "http://"+addr+"/?lang=en"); !strings.Contains(landing, "DEMO DATA") {
		t.Errorf("English landing page does not say demo")
	}
	if got := get(t, "http://"+addr+"/-/healthy"); !strings.Contains(got, "Healthy") {
		t.Errorf("healthy: %q", got)
	}
	// OpenMetrics is negotiated and ends with # EOF.
	req, _ := http.NewRequest("GET", "http://"+addr+"/metrics", nil)
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/openmetrics-text") {
		t.Errorf("content type %q", ct)
	}
	if !bytes.HasSuffix(body, []byte("# EOF\n")) || !bytes.Contains(body, []byte("jkn_coverage_ratio{")) {
		t.Errorf("OpenMetrics body malformed (tail %q)", body[max(0, len(body)-40):])
	}
}

// TestConfigRestart serves a directory source from a config, then restarts
// on the same storage path with the directory gone: the saved snapshot is
// served (ready at once), the source is down.
func TestConfigRestart(t *testing.T) {
	bin := testtool.BuildExporter(t)
	inbox := t.TempDir()
	data, err := os.ReadFile("../../exporter/testdata/seed_palembang/" + first(t, "../../exporter/testdata/seed_palembang"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inbox, "rekap.xlsx"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(t.TempDir(), "jkn.yml")
	writeFile(t, cfg, fmt.Sprintf("sources:\n  - name: kc-palembang\n    path: %s\n    schedule: \"@every 1h\"\n    settle_time: 1ms\n    branch_office: Palembang\n    province: Sumatera Selatan\nregions:\n  \"16.07\": { target_coverage: 1.0 }\n", inbox))
	storage := t.TempDir()
	addr, _ := startExporter(t, bin, "--config.file="+cfg, "--storage.path="+storage)
	m := get(t, "http://"+addr+"/metrics")
	want := `jkn_target_coverage_ratio{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",branch_office="Palembang"} 1`
	if !strings.Contains(m, want) {
		t.Fatalf("no %s in\n%s", want, m)
	}
	if err := os.RemoveAll(inbox); err != nil {
		t.Fatal(err)
	}
	addr2, _ := startExporter(t, bin, "--config.file="+cfg, "--storage.path="+storage)
	m2 := get(t, "http://"+addr2+"/metrics")
	if !strings.Contains(m2, want) {
		t.Errorf("restart lost the saved snapshot")
	}
	if !strings.Contains(m2, `jkn_source_up{branch_office="Palembang",source="kc-palembang"} 0`) {
		t.Errorf("unreadable source not reported down")
	}
}

func first(t *testing.T, dir string) string {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if len(m) == 0 {
		t.Fatalf("no workbook in %s", dir)
	}
	return filepath.Base(m[0])
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestCheck(t *testing.T) {
	td := "../../exporter/testdata/"
	palembang := td + "seed_palembang/" + first(t, td+"seed_palembang")
	code, out, errs := runCmd("check", "--lang=en", "--province=Sumatera Selatan", palembang)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"header row 5", "as of 2023-09-01, from title_cell", "16.07", "Kabupaten Banyuasin", "coverage 97.63%", "result: ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	// Indonesian is the default.
	code, out, errs = runCmd("check", "--province=Sumatera Selatan", palembang)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"baris judul 5", "posisi 1 September 2023, dari title_cell", "Kabupaten Banyuasin", "cakupan 97,63%", "belum terdaftar 19841", "hasil: ok"} {
		if !strings.Contains(out, want) {
			t.Errorf("Indonesian check output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd("check", "--lang=en", td+"bad_not_zip/"+first(t, td+"bad_not_zip"))
	if code != 1 || !strings.Contains(out, "REJECTED (unsupported_format)") || !strings.Contains(out, "result: REJECTED") {
		t.Errorf("bad file: exit %d\n%s", code, out)
	}
	code, out, _ = runCmd("check", td+"bad_not_zip/"+first(t, td+"bad_not_zip"))
	if code != 1 || !strings.Contains(out, "DITOLAK (unsupported_format): bukan buku kerja dalam format yang dibaca exporter") || !strings.Contains(out, "hasil: DITOLAK") {
		t.Errorf("bad file, Indonesian: exit %d\n%s", code, out)
	}
	cfg := filepath.Join(t.TempDir(), "bad.yml")
	writeFile(t, cfg, "sources:\n  - name: a\n    path: /x\n    branch_ofice: X\n")
	code, _, errs = runCmd("check", "--config.file="+cfg)
	if code != 1 || !strings.Contains(errs, cfg+`:4: unknown key "branch_ofice"`) {
		t.Errorf("config error: exit %d, %q", code, errs)
	}
}

// check under a config with criteria by_date and a source's expected
// regions: each region says the set in force at its date, its award
// tier, and the source how many expected regions its sheet carries; a
// code that is no region is the config's error.
func TestCheckRules(t *testing.T) {
	td, _ := filepath.Abs("../../exporter/testdata/")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "jkn.yml")
	writeFile(t, cfg, fmt.Sprintf(`criteria: by_date
sources:
  - name: kc-bengkulu
    path: %q
    branch_office: Bengkulu
    province: Bengkulu
  - name: kc-pangkalpinang
    path: %q
    branch_office: Pangkalpinang
    province: Kepulauan Bangka Belitung
    expected: { within: ["19"], level: regency }
`, testtool.CaseInbox(t, filepath.Join(td, "by_date_2023")), testtool.CaseInbox(t, filepath.Join(td, "expected_within"))))
	code, out, errs := runCmd("check", "--lang=en", "--config.file="+cfg)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{
		"config " + cfg + ": ok (2 sources, criteria by_date)",
		"status meets_targets under uhc_2023 (in force on 2023-09-01, criteria by_date; targets 95%/75%)",
		"award tier none; for pratama: coverage ≥ 98% (now 97.00%, 1800 more participants)",
		"[finding region_missing] rekap_juni_2025.xlsx: sheet \"Rekap\": Kabupaten Belitung Timur (19.06) is not in this sheet",
		"completeness: the newest sheet (rekap_juni_2025.xlsx, as of 2025-06-01) carries 6 of 7 expected regions (its configured list); missing: 19.06 Kabupaten Belitung Timur",
		"result: ok",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
	writeFile(t, cfg, fmt.Sprintf("sources:\n  - name: kc-x\n    path: %q\n    branch_office: X\n    expected: { codes: [\"19.99\"] }\n", dir))
	code, out, _ = runCmd("check", "--lang=en", "--config.file="+cfg)
	if code != 1 || !strings.Contains(out, `config: expected code "19.99" is no Kemendagri region`) {
		t.Errorf("unknown expected code: exit %d\n%s", code, out)
	}
}
