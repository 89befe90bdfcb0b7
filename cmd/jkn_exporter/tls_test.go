package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key,
// and returns their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "jkn_exporter test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	mustWrite(t, certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	mustWrite(t, keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// TestTLSAndBasicAuth runs the real binary behind the exporter-toolkit web
// config: TLS with a self-signed certificate and a bcrypt-hashed basic-auth
// user. Every endpoint, the write ones included, wants the credentials.
func TestTLSAndBasicAuth(t *testing.T) {
	bin := testtool.BuildExporter(t)
	dir := t.TempDir()
	certFile, keyFile, pool := selfSigned(t, dir)
	const user, password = "prometheus", "rahasia-scrape-2025"
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	webCfg := filepath.Join(dir, "web.yml")
	writeFile(t, webCfg, fmt.Sprintf("tls_server_config:\n  cert_file: %s\n  key_file: %s\nbasic_auth_users:\n  %s: %s\n", certFile, keyFile, user, hash))
	_, cfg := goodInbox(t, dir, "rekap.xlsx")

	p := launch(t, bin, "--config.file="+cfg, "--storage.path=", "--web.config.file="+webCfg, "--web.enable-lifecycle")
	p.scheme = "https"
	p.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	auth := func(r *http.Request) { r.SetBasicAuth(user, password) }
	p.waitReady(auth)

	get := func(path string, decorate func(*http.Request)) (int, string) {
		t.Helper()
		req, _ := http.NewRequest("GET", p.url(path), nil)
		if decorate != nil {
			decorate(req)
		}
		resp, err := p.client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		name     string
		decorate func(*http.Request)
		code     int
	}{
		{"no credentials", nil, 401},
		{"wrong password", func(r *http.Request) { r.SetBasicAuth(user, "salah") }, 401},
		{"wrong user", func(r *http.Request) { r.SetBasicAuth("admin", password) }, 401},
		{"the hash as password", func(r *http.Request) { r.SetBasicAuth(user, string(hash)) }, 401},
		{"right credentials", auth, 200},
	} {
		for path, marker := range map[string]string{"/metrics": "jkn_population{", "/": "Banyuasin", "/api/v1/sources": `"name": "kc-palembang"`} {
			code, body := get(path, tc.decorate)
			if code != tc.code {
				t.Errorf("%s, GET %s: %d, want %d", tc.name, path, code, tc.code)
			}
			if served := strings.Contains(body, marker); served != (tc.code == 200) {
				t.Errorf("%s, GET %s: content served: %v", tc.name, path, served)
			}
		}
	}
	if code, body := get("/metrics", auth); !strings.Contains(body, `jkn_population{region_code="16.07"`) {
		t.Errorf("metrics over TLS: %d", code)
	}

	// Plain HTTP to the TLS listener: refused, nothing served.
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + p.addr + "/metrics")
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest || strings.Contains(string(body), "jkn_") {
			t.Errorf("plain HTTP: %d %q, want 400 and no metrics", resp.StatusCode, body)
		}
	}
	// A client that does not trust the certificate, or speaks TLS 1.1 only.
	for name, c := range map[string]*tls.Config{
		"untrusted certificate": {},
		"TLS 1.1":               {RootCAs: pool, MaxVersion: tls.VersionTLS11},
	} {
		cl := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: c}}
		if resp, err := cl.Get(p.url("/metrics")); err == nil {
			resp.Body.Close()
			t.Errorf("%s: connected (%d)", name, resp.StatusCode)
		}
	}

	// Writes want the web config's credentials first: the lifecycle
	// endpoint, and the upload API even with the office's own token.
	post := func(path string, decorate func(*http.Request)) int {
		req, _ := http.NewRequest("POST", p.url(path), nil)
		decorate(req)
		resp, err := p.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post("/-/reload", func(*http.Request) {}); code != 401 {
		t.Errorf("reload without credentials: %d, want 401", code)
	}
	if code := post("/-/reload", auth); code != 200 {
		t.Errorf("reload with credentials: %d, want 200", code)
	}
	if code := post("/api/v1/sources/kc-palembang/ingest", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+crashToken) }); code != 401 {
		t.Errorf("ingest trigger with the office token but no web credentials: %d, want 401", code)
	}
	if !strings.Contains(p.logs.String(), "TLS is enabled") {
		t.Errorf("the log does not say TLS is on:\n%s", p.logs)
	}
}
