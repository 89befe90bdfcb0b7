package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"golang.org/x/crypto/bcrypt"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// TestUntrustedTextExposedSafely serves, through the real binary, a
// workbook whose cells carry quotes, backslashes, newlines and markup, a
// broken workbook whose file name is not even UTF-8, and a branch office
// label with quotes, a backslash and a newline. /metrics passes promtool
// check metrics and parses; the status page shows the text escaped (the
// escaping itself is tested in detail by exporter/web's
// TestStatusEscapesSheetText); the sources API is valid JSON.
func TestUntrustedTextExposedSafely(t *testing.T) {
	promtool := testtool.Need(t, "promtool")
	bin := testtool.BuildExporter(t)
	dir := t.TempDir()
	inbox := filepath.Join(dir, "inbox")
	if err := os.Mkdir(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(inbox, "rekap.xlsx"), hostile.HostileText())
	evilName := "evil \"q\" \\ \n\xff <b>.xlsx"
	mustWrite(t, filepath.Join(inbox, evilName), []byte("PK not a zip"))
	cfg := filepath.Join(dir, "jkn.yml")
	writeFile(t, cfg, fmt.Sprintf(`sources:
  - name: kc-palembang
    path: %s
    settle_time: 1ms
    branch_office: "Kantor \"Cabang\" \\ Palembang\nBaris dua"
    province: Sumatera Selatan
`, inbox))
	p := launch(t, bin, "--config.file="+cfg, "--storage.path="+filepath.Join(dir, "data"))
	p.waitReady(nil)
	m := p.metrics()

	label := `branch_office="Kantor \"Cabang\" \\ Palembang\nBaris dua"`
	for _, want := range []string{
		`jkn_population{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",` + label + `} 837062`,
		`jkn_source_up{` + label + `,source="kc-palembang"} 0`,
		`jkn_source_ingest_errors_total{` + label + `,reason="corrupt",source="kc-palembang"} 1`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("no %s", want)
		}
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	if _, err := parser.TextToMetricFamilies(strings.NewReader(m)); err != nil {
		t.Errorf("exposition does not parse: %v", err)
	}
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(m)
	if out, err := cmd.CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}

	code, page := p.do("GET", "/", nil)
	if code != 200 {
		t.Fatalf("status page: %d", code)
	}
	for _, raw := range []string{"<script>alert(1)", `"quoted"`, "<b>.xlsx", "\xff"} {
		if strings.Contains(page, raw) {
			t.Errorf("status page holds %q unescaped", raw)
		}
	}
	if !strings.Contains(page, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(page, "&lt;b&gt;.xlsx") {
		t.Error("status page does not show the hostile text, escaped")
	}
	code, api := p.do("GET", "/api/v1/sources", nil)
	if code != 200 || !json.Valid([]byte(api)) || !strings.Contains(api, `evil \"q\" \\ \n\ufffd \u003cb\u003e.xlsx`) {
		t.Errorf("sources API: %d, valid JSON %v:\n%s", code, json.Valid([]byte(api)), api)
	}
}

// Secrets of TestSecretsNeverLeak: each is distinct so a leak names itself.
const (
	secretPassword  = "pw-S3CRET-basic-0001"
	secretBearer    = "tok-S3CRET-bearer-0002"
	secretQuery     = "qs-S3CRET-query-0003"
	secretUpload    = "up-S3CRET-upload-0004"
	secretUploadPw  = "bc-S3CRET-bcrypt-0005"
	secretGuess     = "wrong-S3CRET-guess-0006"
	secretWebPw     = "web-S3CRET-0007"
	secretURLUserPw = "url-S3CRET-userinfo-0008"
)

// TestSecretsNeverLeak runs the real binary with URL sources whose
// password and token files hold known secrets (a loopback server answers
// 401 and 500), a URL with a token in its query, upload credentials (a
// token file and a bcrypt hash), wrong credentials sent to the upload API
// and to a basic-auth web config, and a config with credentials in a URL;
// then it greps every log line, every HTTP response and the output of
// `check` for the secrets, their base64 forms and the bcrypt hashes.
func TestSecretsNeverLeak(t *testing.T) {
	bin := testtool.BuildExporter(t)
	dir := t.TempDir()
	var (
		mu   sync.Mutex
		seen []string // what the loopback server was sent
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization")+" "+r.URL.RawQuery)
		mu.Unlock()
		if strings.HasPrefix(r.URL.Path, "/basic") {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		http.Error(w, "boom", http.StatusInternalServerError)
	}))
	defer srv.Close()

	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		writeFile(t, p, content+"\n")
		return p
	}
	uploadHash, err := bcrypt.GenerateFromPassword([]byte(secretUploadPw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	inbox, inbox2 := filepath.Join(dir, "inbox"), filepath.Join(dir, "inbox-hash")
	for _, d := range []string{inbox, inbox2} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg := file("jkn.yml", fmt.Sprintf(`sources:
  - name: kc-basic
    url: %[1]s/basic/rekap.xlsx
    retries: 0
    branch_office: Basic
    basic_auth: { username: kc-basic, password_file: %[2]s }
  - name: kc-bearer
    url: %[1]s/bearer/rekap.xlsx
    retries: 0
    branch_office: Bearer
    bearer_token_file: %[3]s
  - name: kc-query
    url: %[1]s/query/rekap.xlsx?token=%[4]s
    retries: 0
    branch_office: Query
  - name: kc-upload
    path: %[5]s
    branch_office: Upload
    upload: { token_file: %[6]s }
  - name: kc-hash
    path: %[8]s
    branch_office: Hash
    upload: { password_hash: "%[7]s" }
`, srv.URL, file("basic.password", secretPassword), file("bearer.token", secretBearer), secretQuery,
		inbox, file("upload.token", secretUpload), uploadHash, inbox2))
	webHash, err := bcrypt.GenerateFromPassword([]byte(secretWebPw), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webCfg := file("web.yml", fmt.Sprintf("basic_auth_users:\n  prometheus: %s\n", webHash))

	var responses []string
	p := launch(t, bin, "--config.file="+cfg, "--storage.path="+filepath.Join(dir, "data"), "--web.enable-lifecycle")
	p.waitReady(nil)
	record := func(code int, body string) { responses = append(responses, fmt.Sprintf("%d %s", code, body)) }
	for _, path := range []string{"/metrics", "/", "/api/v1/sources", "/-/ready"} {
		record(p.do("GET", path, nil))
	}
	guess := p.do
	record(guess("PUT", "/api/v1/sources/kc-upload/workbooks/a.xlsx", strings.NewReader("x"), "Authorization", "Bearer "+secretGuess))
	record(guess("POST", "/api/v1/sources/kc-upload/ingest", nil, "Authorization", "Bearer "+secretGuess))
	record(guess("POST", "/api/v1/sources/kc-hash/ingest", nil, "Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("kc-hash:"+secretGuess))))
	// The upload token of one source opens no other.
	record(guess("POST", "/api/v1/sources/kc-hash/ingest", nil, "Authorization", "Bearer "+secretUpload))
	record(p.do("POST", "/-/reload", nil))

	// A config with credentials in a URL is refused, without echoing them.
	badCfg := file("bad.yml", fmt.Sprintf("sources:\n  - name: kc-x\n    url: https://kc:%s@example.org/a.xlsx\n    branch_office: X\n", secretURLUserPw))
	checkOut, _ := exec.Command(bin, "check", "--config.file="+badCfg).CombinedOutput()
	checkOut2, _ := exec.Command(bin, "check", "--config.file="+cfg).CombinedOutput()

	w := launch(t, bin, "--web.config.file="+webCfg, "--storage.path=")
	w.waitReady(func(r *http.Request) { r.SetBasicAuth("prometheus", secretWebPw) })
	for _, pw := range []string{secretGuess, string(webHash), ""} {
		req, _ := http.NewRequest("GET", w.url("/metrics"), nil)
		req.SetBasicAuth("prometheus", pw)
		resp, err := w.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 401 {
			t.Errorf("web config: password %.8q… got %d", pw, resp.StatusCode)
		}
		responses = append(responses, b.String())
	}

	// The secrets were used: otherwise not leaking them proves nothing.
	mu.Lock()
	sent := strings.Join(seen, "\n")
	mu.Unlock()
	for _, want := range []string{"Basic " + base64.StdEncoding.EncodeToString([]byte("kc-basic:"+secretPassword)), "Bearer " + secretBearer, "token=" + secretQuery} {
		if !strings.Contains(sent, want) {
			t.Errorf("the loopback server never got %q:\n%s", want, sent)
		}
	}
	logs := p.logs.String() + w.logs.String()
	for _, want := range []string{"401 Unauthorized", "500 Internal Server Error", "refused unauthorised request"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q: the failures were not exercised", want)
		}
	}

	everything := map[string]string{
		"logs": logs, "HTTP responses": strings.Join(responses, "\n"),
		"check of a bad config": string(checkOut), "check": string(checkOut2),
	}
	for _, secret := range []string{secretPassword, secretBearer, secretQuery, secretUpload, secretUploadPw, secretGuess, secretWebPw, secretURLUserPw,
		base64.StdEncoding.EncodeToString([]byte("kc-basic:" + secretPassword)), string(uploadHash), string(webHash)} {
		for where, text := range everything {
			if strings.Contains(text, secret) {
				i := strings.Index(text, secret)
				t.Errorf("%s hold the secret %q: …%s…", where, secret, text[max(0, i-120):min(len(text), i+len(secret)+40)])
			}
		}
	}
}
