package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// proc is the real exporter binary running on loopback, for the tests
// that kill, restart, load or attack it (RELIABILITY.md). Unlike
// startExporter it can be killed with SIGKILL and started again on the
// same storage path.
type proc struct {
	t      *testing.T
	cmd    *exec.Cmd
	addr   string
	logs   *syncBuffer
	exited chan struct{}
	// client is plain HTTP unless the test sets a TLS one.
	client *http.Client
	scheme string
}

// launch starts the binary on a free loopback port; it does not wait.
func launch(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	return launchWith(t, bin, nil, args...)
}

// launchWith starts the binary through a wrapper command (prlimit, say).
func launchWith(t *testing.T, bin string, wrapper []string, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, addr: testtool.FreeAddr(t), logs: &syncBuffer{}, exited: make(chan struct{}),
		client: &http.Client{Timeout: 10 * time.Second}, scheme: "http"}
	argv := append(append(append([]string{}, wrapper...), bin, "--web.listen-address="+p.addr), args...)
	p.cmd = exec.Command(argv[0], argv[1:]...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = p.cmd.Wait()
		close(p.exited)
	}()
	t.Cleanup(p.kill)
	return p
}

// kill ends the process with SIGKILL, as a crash or the OOM killer does,
// and waits for it to be gone.
func (p *proc) kill() {
	select {
	case <-p.exited:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.exited
}

// url is a URL of the running exporter.
func (p *proc) url(path string) string { return p.scheme + "://" + p.addr + path }

// waitReady waits until /-/ready answers 200 (with the given request
// decoration, e.g. basic auth), failing the test after 30 s.
func (p *proc) waitReady(decorate func(*http.Request)) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-p.exited:
			p.t.Fatalf("exporter exited; logs:\n%s", p.logs)
		default:
		}
		req, _ := http.NewRequest("GET", p.url("/-/ready"), nil)
		if decorate != nil {
			decorate(req)
		}
		if resp, err := p.client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("exporter not ready after 30 s; logs:\n%s", p.logs)
}

// do makes a request and returns its status and body.
func (p *proc) do(method, path string, body io.Reader, header ...string) (int, string) {
	p.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, p.url(path), body)
	if err != nil {
		p.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := p.client.Do(req)
	if err != nil {
		p.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// metrics scrapes /metrics, failing the test on anything but 200.
func (p *proc) metrics() string {
	p.t.Helper()
	code, body := p.do("GET", "/metrics", nil)
	if code != 200 {
		p.t.Fatalf("/metrics: %d %s", code, body)
	}
	return body
}

// sourceConfig writes a config of one directory source with an upload
// token (for the ingest trigger) and returns its path.
func sourceConfig(t *testing.T, dir, inbox, token string, extra string) string {
	t.Helper()
	tokFile := filepath.Join(dir, "upload.token")
	writeFile(t, tokFile, token+"\n")
	cfg := filepath.Join(dir, "jkn.yml")
	writeFile(t, cfg, fmt.Sprintf(`sources:
  - name: kc-palembang
    path: %s
    schedule: "@every 1h"
    settle_time: 1ms
    branch_office: Palembang
    province: Sumatera Selatan
    upload: { token_file: %s }
%s`, inbox, tokFile, extra))
	return cfg
}

// mustWrite writes a file, failing the test on error.
func mustWrite(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// goodInbox makes dir/inbox holding one good workbook under the given
// name and a config with it as the source kc-palembang; it returns both.
func goodInbox(t *testing.T, dir, name string) (inbox, cfg string) {
	t.Helper()
	inbox = filepath.Join(dir, "inbox")
	if err := os.Mkdir(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(inbox, name), hostile.Table("1 Mei 2025", hostile.GoodRows()...))
	return inbox, sourceConfig(t, dir, inbox, crashToken, "")
}
