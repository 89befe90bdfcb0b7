package web

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// formTokenRE finds the form token in the upload page.
var formTokenRE = regexp.MustCompile(`name="token" value="([^"]+)"`)

// uploadPageToken opens the upload page and returns its form token.
func (env *apiEnv) uploadPageToken(t *testing.T) string {
	t.Helper()
	code, body := env.do(t, "GET", "/upload", "", nil, "")
	if code != 200 {
		t.Fatalf("GET /upload: %d %s", code, body)
	}
	m := formTokenRE.FindSubmatch(body)
	if m == nil {
		t.Fatalf("no form token on the upload page:\n%s", body)
	}
	return string(m[1])
}

// sendForm posts the upload page's form as a browser does; header adds
// or overrides request headers (Origin, Sec-Fetch-Site).
func (env *apiEnv) sendForm(t *testing.T, query, source, credential, token, file string, data []byte, header http.Header) (int, string) {
	t.Helper()
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	_ = mw.WriteField("source", source)
	_ = mw.WriteField("credential", credential)
	_ = mw.WriteField("token", token)
	fw, _ := mw.CreateFormFile("file", file)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest("POST", env.srv.URL+"/upload"+query, &form)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", env.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func readTestdata(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// noSecret fails when a credential shows in the page or the log.
func (env *apiEnv) noSecret(t *testing.T, what, body string) {
	t.Helper()
	for _, tok := range []string{env.tokenA, env.tokenB} {
		if strings.Contains(body, tok) {
			t.Errorf("%s: the page echoes a credential", what)
		}
		if strings.Contains(env.logs.String(), tok) {
			t.Errorf("%s: a credential is in the log", what)
		}
	}
}

// TestUploadPageAccepted: the page lists the sources that take uploads,
// and a workbook sent from it is stored, served and reported region by
// region, in Indonesian by default.
func TestUploadPageAccepted(t *testing.T) {
	env := newAPIEnv(t)
	if _, status := env.do(t, "GET", "/", "", nil, ""); !strings.Contains(string(status), `<a href="upload">Kirim buku kerja</a>`) {
		t.Error("the status page's header does not link the upload page")
	}
	if _, status := env.do(t, "GET", "/?lang=en", "", nil, ""); !strings.Contains(string(status), `<a href="upload?lang=en">Send a workbook</a>`) {
		t.Error("the English status page's header does not link the English upload page")
	}
	code, page := env.do(t, "GET", "/upload", "", nil, "")
	if code != 200 || !strings.Contains(string(page), `<html lang="id">`) || !strings.Contains(string(page), "Kirim buku kerja") ||
		!strings.Contains(string(page), `<option value="kc-palembang">kc-palembang (Palembang)</option>`) ||
		!strings.Contains(string(page), `<input id="credential" name="credential" type="password"`) {
		t.Fatalf("GET /upload: %d\n%s", code, page)
	}
	code, body := env.sendForm(t, "", "kc-palembang", env.tokenA, env.uploadPageToken(t), "rekap sept.xlsx", readTestdata(t, "seed_palembang/rekap_kepesertaan_sept_2023.xlsx"), nil)
	if code != 200 {
		t.Fatalf("POST /upload: %d\n%s", code, body)
	}
	text := textOf(body)
	for _, want := range []string{
		"Diterima: rekap sept.xlsx disimpan dan dibaca; sumber kc-palembang kini menyajikan 3 wilayah.",
		"Lembar Rekap", "Baris judul 5", "Posisi data 1 September 2023 (dari sel judul lembar",
		"6 16.07 Kabupaten Banyuasin kabupaten, Sumatera Selatan 837.062 C6 817.221 D6",
		"97,63% target > 98%", "di bawah target cakupan",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the answer lacks %q:\n%s", want, text)
		}
	}
	if _, err := os.Stat(filepath.Join(env.dirA, "rekap sept.xlsx")); err != nil {
		t.Errorf("accepted workbook not stored: %v", err)
	}
	if !strings.Contains(env.metrics(t), `jkn_participants{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",branch_office="Palembang"} 817221`) {
		t.Error("the accepted workbook is not served at once")
	}
	if !strings.Contains(env.logs.String(), "upload accepted") {
		t.Errorf("the upload is not logged:\n%s", env.logs)
	}
	env.noSecret(t, "accepted", body)

	// English when asked, the form keeping the language.
	code, body = env.sendForm(t, "?lang=en", "kc-banjarmasin", env.tokenB, env.uploadPageToken(t), "data_mei_2025.xlsx", readTestdata(t, "bad_rows/data_mei_2025.xlsx"), nil)
	text = textOf(body)
	if code != 200 || !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, `action="upload?lang=en"`) ||
		!strings.Contains(text, "data_mei_2025.xlsx Data D7 bad_number (row rejected)") || !strings.Contains(text, `column "Jumlah Peserta": cannot read "8l7.221" as a number`) {
		t.Errorf("English answer with findings: %d\n%s", code, text)
	}
}

// TestUploadPageRefused: what the API refuses, the page refuses too, and
// nothing refused changes what is served; no credential is echoed.
func TestUploadPageRefused(t *testing.T) {
	env := newAPIEnv(t)
	good := readTestdata(t, "seed_palembang/rekap_kepesertaan_sept_2023.xlsx")
	if code, body := env.sendForm(t, "", "kc-palembang", env.tokenA, env.uploadPageToken(t), "a.xlsx", good, nil); code != 200 {
		t.Fatalf("setup upload: %d %s", code, body)
	}
	before := env.metrics(t)
	tok := env.uploadPageToken(t)
	for _, c := range []struct {
		name, source, cred, token, file string
		data                            []byte
		header                          http.Header
		code                            int
		want                            string
	}{
		{"rejected workbook", "kc-palembang", env.tokenA, tok, "b.xlsx", readTestdata(t, "bad_not_zip/data.xlsx"), nil, 422,
			"Ditolak: b.xlsx tidak disimpan dan tidak ada angka yang disajikan berubah. unsupported_format bukan buku kerja dalam format yang dibaca exporter"},
		{"wrong credential", "kc-palembang", "guess-0123", tok, "b.xlsx", good, nil, 401, "Kredensial tidak berlaku untuk sumber kc-palembang."},
		{"other office's credential", "kc-palembang", env.tokenB, tok, "b.xlsx", good, nil, 401, "Kredensial tidak berlaku untuk sumber kc-palembang."},
		{"unknown source", "kc-nowhere", env.tokenA, tok, "b.xlsx", good, nil, 404, "Pilih sumber Anda dari daftar."},
		{"bad file name", "kc-palembang", env.tokenA, tok, "rekap.exe", good, nil, 400, "Nama berkas tidak sah"},
		{"too large", "kc-palembang", env.tokenA, tok, "b.xlsx", make([]byte, env.maxBytes+1), nil, 413, "Buku kerja melebihi batas 204.800 byte"},
		{"no form token", "kc-palembang", env.tokenA, "", "b.xlsx", good, nil, 403, "formulir ini sudah kedaluwarsa"},
		{"forged form token", "kc-palembang", env.tokenA, tok[:len(tok)-4] + "0000", "b.xlsx", good, nil, 403, "formulir ini sudah kedaluwarsa"},
		{"another site (Origin)", "kc-palembang", env.tokenA, tok, "b.xlsx", good, http.Header{"Origin": {"http://evil.example"}, "Sec-Fetch-Site": nil}, 403,
			"Ditolak: formulir dikirim dari situs lain."},
		{"another site (Sec-Fetch-Site)", "kc-palembang", env.tokenA, tok, "b.xlsx", good, http.Header{"Origin": nil, "Sec-Fetch-Site": {"cross-site"}}, 403,
			"Ditolak: formulir dikirim dari situs lain."},
	} {
		code, body := env.sendForm(t, "", c.source, c.cred, c.token, c.file, c.data, c.header)
		if code != c.code || !strings.Contains(textOf(body), c.want) {
			t.Errorf("%s: %d, want %d with %q:\n%s", c.name, code, c.code, c.want, textOf(body))
		}
		env.noSecret(t, c.name, body)
	}
	entries, _ := os.ReadDir(env.dirA)
	if len(entries) != 1 || entries[0].Name() != "a.xlsx" {
		t.Errorf("directory holds %v, want only a.xlsx", entries)
	}
	if after := env.metrics(t); testtool.RegionLines(after) != testtool.RegionLines(before) {
		t.Error("a refused upload changed what is served")
	}
	for _, want := range []string{"why=cross_origin", "why=credential", "why=form_token", "upload rejected"} {
		if !strings.Contains(env.logs.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, env.logs)
		}
	}
}

// TestUploadPageEscapes: a workbook whose sheet name and cells are markup
// is reported as text.
func TestUploadPageEscapes(t *testing.T) {
	env := newAPIEnv(t)
	code, body := env.sendForm(t, "", "kc-palembang", env.tokenA, env.uploadPageToken(t), "rekap.xlsx", hostileWorkbook(t), nil)
	if code != 200 {
		t.Fatalf("POST /upload: %d\n%s", code, textOf(body))
	}
	if !strings.Contains(body, `Rekap &#34;&lt;marquee&gt;x&#34;`) || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the hostile sheet name or region text is not shown escaped:\n%s", body)
	}
	for _, bad := range []string{"<script", "<marquee", "<img"} {
		if strings.Contains(body, bad) {
			t.Errorf("the page contains %q: markup from a sheet was not escaped", bad)
		}
	}
}

// TestUploadPageRateLimited: the page's POSTs are write requests under
// the write rate limit; its GETs are not.
func TestUploadPageRateLimited(t *testing.T) {
	env := newAPIEnv(t)
	h, err := newUploadHandler(env.exp, newWriteLimiter(0.001), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	post := func() int {
		req := httptest.NewRequest("POST", "/upload", strings.NewReader(""))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range 10 { // the burst
		if code := post(); code == http.StatusTooManyRequests {
			t.Fatalf("POST %d limited within the burst", i)
		}
	}
	if code := post(); code != http.StatusTooManyRequests {
		t.Errorf("POST after the burst: %d, want 429", code)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/upload", nil))
	if rec.Code != 200 {
		t.Errorf("GET after the burst: %d", rec.Code)
	}
}

// TestUploadPageBusy: the page's uploads count against the process's cap
// of uploads in flight, as the API's do (Exporter.AcceptStream): with both
// slots held by stalled API uploads, the page answers 503 with Retry-After
// and says why in Indonesian, and nothing is stored; once they end, the
// page's upload goes through.
func TestUploadPageBusy(t *testing.T) {
	env := newAPIEnv(t)
	token := env.uploadPageToken(t)
	type stalled struct {
		w    *io.PipeWriter
		done chan struct{}
	}
	var held []stalled
	for range exporter.DefaultMaxConcurrentUploads {
		pr, pw := io.Pipe()
		s := stalled{pw, make(chan struct{})}
		go func() {
			defer close(s.done)
			req, err := http.NewRequest("PUT", env.srv.URL+"/api/v1/sources/kc-palembang/workbooks/held.xlsx", pr)
			if err != nil {
				return
			}
			req.Header.Set("Authorization", "Bearer "+env.tokenA)
			if resp, err := http.DefaultClient.Do(req); err == nil { // the body's error ends it
				resp.Body.Close()
			}
		}()
		// Some bytes, so the upload is inside AcceptStream, its slot taken.
		if _, err := pw.Write([]byte("PK")); err != nil {
			t.Fatal(err)
		}
		held = append(held, s)
	}
	// Held once a probe (a file that is rejected, so stores nothing) is
	// turned away.
	for deadline := time.Now().Add(10 * time.Second); ; {
		code, _ := env.do(t, "PUT", "/api/v1/sources/kc-palembang/workbooks/probe.xlsx", env.tokenA, strings.NewReader("x"), "")
		if code == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the stalled uploads never held the slots: probe %d", code)
		}
		time.Sleep(20 * time.Millisecond)
	}
	data := readTestdata(t, "seed_palembang/rekap_kepesertaan_sept_2023.xlsx")
	code, body := env.sendForm(t, "", "kc-palembang", env.tokenA, token, "rekap.xlsx", data, nil)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "Exporter sedang menerima buku kerja sebanyak yang diizinkan sekaligus") {
		t.Errorf("with every upload slot held: %d\n%s", code, body)
	}
	if _, err := os.Stat(filepath.Join(env.dirA, "rekap.xlsx")); err == nil {
		t.Error("a refused upload was stored")
	}
	for _, s := range held {
		_ = s.w.CloseWithError(errors.New("client gone"))
		<-s.done
	}
	// The server ends the stalled uploads when it sees their bodies fail,
	// a moment after the clients do.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		code, body := env.sendForm(t, "", "kc-palembang", env.tokenA, token, "rekap.xlsx", data, nil)
		if code == http.StatusOK {
			break
		}
		if code != http.StatusServiceUnavailable || time.Now().After(deadline) {
			t.Fatalf("after the stalled uploads ended: %d\n%s", code, body)
		}
	}
}
