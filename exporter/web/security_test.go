package web

import (
	"bytes"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/crypto/bcrypt"

	"github.com/jkn-exporter/jkn_exporter/exporter"
)

// Write endpoints under attack, beyond api_test.go's refusals (no, wrong
// and another office's credential, unknown source, "../" in a name, a
// broken workbook, an oversized PUT): more traversal spellings, multipart
// and basic-auth variants, oversized multipart and chunked bodies, and the
// rate limit. The real binary's TLS and basic auth are in
// cmd/jkn_exporter/tls_test.go.

func TestWriteLimiterBucket(t *testing.T) {
	now := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	l := newWriteLimiter(1)
	l.now = func() time.Time { return now }
	for i := range 10 {
		if ok, _ := l.allow("10.0.0.1"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := l.allow("10.0.0.1")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("11th request: allowed %v, wait %v; want refused for up to 1 s", ok, wait)
	}
	if ok, _ := l.allow("10.0.0.2"); !ok {
		t.Error("another address shares the bucket")
	}
	now = now.Add(1100 * time.Millisecond)
	if ok, _ := l.allow("10.0.0.1"); !ok {
		t.Error("no token after a second")
	}
	if newWriteLimiter(0) != nil {
		t.Error("a rate of 0 must mean no limit")
	}
	// The addresses remembered stay bounded.
	for i := range maxWriteClients + 100 {
		l.allow("10.1." + strconv.Itoa(i/250) + "." + strconv.Itoa(i%250))
	}
	if n := len(l.clients); n > maxWriteClients {
		t.Errorf("%d addresses remembered, more than %d", n, maxWriteClients)
	}
}

func TestWriteRateLimitedPerClient(t *testing.T) {
	env := newAPIEnv(t)
	h, err := Handler(Options{Exporter: env.exp, Gatherer: prometheus.NewRegistry(), Logger: slog.New(slog.DiscardHandler), WriteRateLimit: 1})
	if err != nil {
		t.Fatal(err)
	}
	do := func(method, path, remote string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader("x"))
		req.RemoteAddr = remote
		req.Header.Set("Authorization", "Bearer guess-0123456789abcdef")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	// Guessing the credential: refused (401) until the bucket is empty,
	// then 429 with Retry-After, on every write endpoint.
	var limited *httptest.ResponseRecorder
	for i := 0; i < 40 && limited == nil; i++ {
		path := []string{"/api/v1/sources/kc-palembang/workbooks/a.xlsx", "/api/v1/sources/kc-palembang/ingest", "/-/reload"}[i%3]
		method := map[bool]string{true: "PUT", false: "POST"}[i%3 == 0]
		switch rec := do(method, path, "192.0.2.7:5000"); rec.Code {
		case http.StatusTooManyRequests:
			limited = rec
			if i < 10 {
				t.Errorf("limited after %d requests, before the burst of 10", i)
			}
		case http.StatusUnauthorized, http.StatusForbidden:
		default:
			t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
		}
	}
	if limited == nil {
		t.Fatal("40 write requests in a row were never limited")
	}
	if s, err := strconv.Atoi(limited.Header().Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q", limited.Header().Get("Retry-After"))
	}
	if !strings.Contains(limited.Body.String(), "too many write requests") {
		t.Errorf("body %s", limited.Body)
	}
	// Another client is not limited; reads never are.
	if rec := do("POST", "/api/v1/sources/kc-palembang/ingest", "198.51.100.9:6000"); rec.Code != http.StatusUnauthorized {
		t.Errorf("another client: %d", rec.Code)
	}
	for range 20 {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = "192.0.2.7:5000"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("scrape from a limited client: %d", rec.Code)
		}
	}
}

func TestUploadTraversalSpellings(t *testing.T) {
	env := newAPIEnv(t)
	good := demoWorkbook(t, 0)
	outside := t.TempDir()
	for _, name := range []string{
		"%2E%2E%2F%2E%2E%2Fx.xlsx", "..%5C..%5Cx.xlsx", "%2Fetc%2Fx.xlsx", "x%00.xlsx", ".hidden.xlsx",
		"..", "rekap.xlsx%2F..%2F..%2Fx.xlsx", pathSegment(filepath.Join(outside, "x.xlsx")),
	} {
		code, body := env.do(t, "PUT", "/api/v1/sources/kc-palembang/workbooks/"+name, env.tokenA, bytes.NewReader(good), "")
		if code != 400 && code != 404 {
			t.Errorf("PUT %s: %d %s, want refused", name, code, body)
		}
	}
	// Multipart: Go keeps only the base of a file name, so a path lands as
	// a plain name inside the source's directory, never outside it.
	for _, name := range []string{"../../escape.xlsx", `..\..\escape2.xlsx`, filepath.Join(outside, "escape3.xlsx")} {
		var form bytes.Buffer
		mw := multipart.NewWriter(&form)
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(good)
		_ = mw.Close()
		code, body := env.do(t, "POST", "/api/v1/sources/kc-palembang/workbooks", env.tokenA, &form, mw.FormDataContentType())
		if code != 200 && code != 400 {
			t.Errorf("POST %q: %d %s", name, code, body)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("files written outside the source's directory: %v", entries)
	}
	// Other characters are replaced: Excel's lock-file name is stored as a
	// plain workbook, not skipped as a lock file.
	if code, body := env.do(t, "PUT", "/api/v1/sources/kc-palembang/workbooks/~%24lock.xlsx", env.tokenA, bytes.NewReader(good), ""); code != 200 ||
		!strings.Contains(string(body), `"file": "__lock.xlsx"`) {
		t.Errorf("PUT ~$lock.xlsx: %d %s", code, body)
	}
	entries, _ := os.ReadDir(env.dirA)
	for _, e := range entries {
		if strings.ContainsAny(e.Name(), `/\$~`) || strings.HasPrefix(e.Name(), ".") {
			t.Errorf("stored %q", e.Name())
		}
	}
}

// pathSegment escapes a path as one URL path segment.
func pathSegment(p string) string { return strings.ReplaceAll(p, "/", "%2F") }

func TestUploadCrossSourceAndOversized(t *testing.T) {
	env := newAPIEnv(t)
	good := demoWorkbook(t, 0)
	form := func(data []byte) (*bytes.Buffer, string) {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		fw, _ := mw.CreateFormFile("file", "rekap.xlsx")
		_, _ = fw.Write(data)
		_ = mw.Close()
		return &b, mw.FormDataContentType()
	}
	b, ct := form(good)
	if code, _ := env.do(t, "POST", "/api/v1/sources/kc-banjarmasin/workbooks", env.tokenA, b, ct); code != 401 {
		t.Errorf("multipart with the other office's token: %d, want 401", code)
	}
	b, ct = form(make([]byte, env.maxBytes+1))
	if code, body := env.do(t, "POST", "/api/v1/sources/kc-palembang/workbooks", env.tokenA, b, ct); code != 413 {
		t.Errorf("oversized multipart: %d %s, want 413", code, body)
	}
	// A chunked body announces no length: cut at the limit all the same.
	req, _ := http.NewRequest("PUT", env.srv.URL+"/api/v1/sources/kc-palembang/workbooks/big.xlsx", io.MultiReader(bytes.NewReader(make([]byte, env.maxBytes)), strings.NewReader("x")))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+env.tokenA)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("oversized chunked PUT: %d, want 413", resp.StatusCode)
	}
	if _, err := os.Stat(filepath.Join(env.dirA, "big.xlsx")); err == nil {
		t.Error("an oversized body was stored")
	}
}

func TestUploadBasicAuthIsPerSource(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("kata-sandi-palembang"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	u := &exporter.Upload{PasswordHash: string(hash)}
	for _, tc := range []struct {
		user, pass string
		want       bool
	}{
		{"kc-palembang", "kata-sandi-palembang", true},
		{"kc-banjarmasin", "kata-sandi-palembang", false}, // the username is the source
		{"kc-palembang", "salah", false},
		{"kc-palembang", string(hash), false}, // the hash is not the password
		{"kc-palembang", "", false},
	} {
		req := httptest.NewRequest("PUT", "/", nil)
		req.SetBasicAuth(tc.user, tc.pass)
		if got := u.Authorized("kc-palembang", req); got != tc.want {
			t.Errorf("%s:%s authorized %v, want %v", tc.user, tc.pass, got, tc.want)
		}
	}
	// A bearer token file that is empty or gone authorizes nobody.
	empty := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{empty, filepath.Join(t.TempDir(), "missing")} {
		req := httptest.NewRequest("PUT", "/", nil)
		req.Header.Set("Authorization", "Bearer ")
		if (&exporter.Upload{TokenFile: file}).Authorized("kc-palembang", req) {
			t.Errorf("token file %s authorized an empty token", file)
		}
	}
}
