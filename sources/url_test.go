package sources

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestURLConditionalRequests(t *testing.T) {
	body := []byte("PK-pretend-workbook")
	var full, notModified atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, pass, ok := r.BasicAuth(); !ok || user != "pemda" || pass != "s3cret" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		full.Add(1)
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Thu, 01 May 2025 00:00:00 GMT")
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	pw := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	u := &URL{SourceName: "kc", URL: srv.URL + "/rekap/kc_bengkulu.xlsx?token=abc", Username: "pemda", PasswordFile: pw}
	for i := 0; i < 3; i++ {
		files, err := u.Fetch(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 1 || string(files[0].Data) != string(body) || files[0].Name != "kc_bengkulu.xlsx" {
			t.Fatalf("fetch %d: %+v", i, files)
		}
		if !files[0].ModTime.Equal(time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("modtime %v", files[0].ModTime)
		}
		if strings.Contains(files[0].Path, "abc") {
			t.Errorf("path shows the query token: %s", files[0].Path)
		}
	}
	if full.Load() != 1 || notModified.Load() != 2 {
		t.Errorf("%d full responses and %d 304s, want 1 and 2", full.Load(), notModified.Load())
	}
}

func TestURLRetriesServerErrors(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			http.Error(w, "busy", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("ok"))
	}))
	defer srv.Close()
	u := &URL{SourceName: "kc", URL: srv.URL + "/a.xlsx", Retries: 2, Backoff: time.Millisecond}
	if _, err := u.Fetch(context.Background()); err != nil {
		t.Fatalf("third try should pass: %v", err)
	}
	calls.Store(-10)
	_, err := u.Fetch(context.Background())
	if err == nil || !strings.Contains(err.Error(), "HTTP 500") {
		t.Fatalf("want HTTP 500 after retries, got %v", err)
	}
	if got := calls.Load(); got != -7 {
		t.Errorf("%d calls after the reset, want 3 (1 + 2 retries)", got+10)
	}
}

func TestURLNoRetryOnClientError(t *testing.T) {
	var calls atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Error(w, "nope", http.StatusForbidden)
	}))
	defer srv.Close()
	u := &URL{SourceName: "kc", URL: srv.URL + "/a.xlsx", Retries: 3, Backoff: time.Millisecond}
	if _, err := u.Fetch(context.Background()); err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("got %v", err)
	}
	if calls.Load() != 1 {
		t.Errorf("%d calls for a 403, want 1", calls.Load())
	}
}

func TestURLTimeoutAndSize(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow.xlsx" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		_, _ = w.Write(make([]byte, 2048))
	}))
	defer srv.Close()
	defer close(release)
	slow := &URL{SourceName: "kc", URL: srv.URL + "/slow.xlsx", Timeout: 100 * time.Millisecond}
	start := time.Now()
	if _, err := slow.Fetch(context.Background()); err == nil || !strings.Contains(err.Error(), "Client.Timeout") {
		t.Fatalf("slow: got %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("timeout took %v", d)
	}
	big := &URL{SourceName: "kc", URL: srv.URL + "/big.xlsx", MaxBytes: 1024}
	if _, err := big.Fetch(context.Background()); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("big: got %v", err)
	}
}

func TestURLBearerTokenNeverInErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok-123456789" {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		_, _ = w.Write([]byte("x"))
	}))
	defer srv.Close()
	tok := filepath.Join(t.TempDir(), "tok")
	if err := os.WriteFile(tok, []byte("tok-123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	u := &URL{SourceName: "kc", URL: srv.URL + "/a.xlsx", BearerTokenFile: tok}
	if _, err := u.Fetch(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(tok, []byte("wrong-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	u2 := &URL{SourceName: "kc", URL: srv.URL + "/a.xlsx?key=sekret", BearerTokenFile: tok}
	_, err := u2.Fetch(context.Background())
	if err == nil || strings.Contains(err.Error(), "wrong-token") || strings.Contains(err.Error(), "sekret") {
		t.Fatalf("error must not be nil nor show secrets: %v", err)
	}
}
