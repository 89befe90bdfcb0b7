package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// The limits TestServerCannotBeHeldOpen runs the binary under: a
// connection cap of heldLimit, every timeout heldTimeout, and a descriptor
// limit (heldFDs) above what the process needs with heldLimit connections
// open and below what it would need with twice as many.
const (
	heldLimit   = 24
	heldFDs     = 48
	heldTimeout = time.Second
)

// TestServerCannotBeHeldOpen runs the real binary with at most heldFDs file
// descriptors and holds twice its connection limit open against it: idle
// connections that send nothing, headers sent a byte at a time, an upload
// whose body stalls, and HTTP/1.0 keep-alive connections left idle after
// their answer. The process stays below its descriptor limit (the
// connections over the limit wait in the kernel's queue), every connection
// is closed within its timeout (twice that for those that queued), then a
// scrape succeeds and the goroutines (go_goroutines) and resident memory
// (VmRSS) come back to their baseline.
func TestServerCannotBeHeldOpen(t *testing.T) {
	prlimit := testtool.Need(t, "prlimit")
	bin := testtool.BuildExporter(t)
	dir := t.TempDir()
	_, cfg := goodInbox(t, dir, "good.xlsx")
	// Every stalled upload must reach its body's timeout: past
	// limits.max_concurrent_uploads (2 by default) or the bytes in flight
	// (each reserving 64 MiB) they would be answered 503 before their body
	// is read.
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Fprintf(f, "limits:\n  max_concurrent_uploads: %d\n  max_upload_bytes_in_flight: %d\n", 2*heldLimit, 2*heldLimit<<26); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	timeout := heldTimeout.String()
	p := launchWith(t, bin, []string{prlimit, fmt.Sprintf("--nofile=%d:%d", heldFDs, heldFDs)},
		"--config.file="+cfg, "--storage.path="+filepath.Join(dir, "data"), "--web.write-rate-limit=0",
		"--web.max-connections="+strconv.Itoa(heldLimit), "--web.read-header-timeout="+timeout,
		"--web.read-body-timeout="+timeout, "--web.idle-timeout="+timeout, "--web.write-timeout="+timeout)
	p.waitReady(nil)
	p.client.CloseIdleConnections()
	pid := p.cmd.Process.Pid
	if limit := openFilesLimit(t, pid); limit != heldFDs {
		t.Fatalf("the exporter runs with %d descriptors at most, want %d", limit, heldFDs)
	}
	// Measured on fresh connections closed after each scrape, so that no
	// connection of the test's own counts.
	scrape := func() (int, string) {
		t.Helper()
		client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := client.Get(p.url("/metrics"))
		if err != nil {
			t.Fatalf("scrape: %v; logs:\n%s", err, p.logs)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	_, m := scrape()
	baseGoroutines, baseRSS, baseFDs := goroutines(t, m), vmRSS(t, pid), countFDs(pid)
	if baseFDs+heldLimit+4 > heldFDs || baseFDs+2*heldLimit <= heldFDs {
		t.Fatalf("%d descriptors at rest: the limit of %d does not tell a capped server from one without a cap", baseFDs, heldFDs)
	}

	// Sample the descriptors while the connections are held.
	stopSampling := make(chan struct{})
	peak := make(chan int, 1)
	go func() {
		most := 0
		for {
			most = max(most, countFDs(pid))
			select {
			case <-stopSampling:
				peak <- most
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()

	kinds := []struct {
		name  string
		start func(c net.Conn) error
	}{
		{"idle", func(net.Conn) error { return nil }},
		{"slow headers", func(c net.Conn) error {
			if _, err := io.WriteString(c, "GET /metrics HTTP/1.1\r\nHost: jkn\r\nX-Pad: "+strings.Repeat("a", 16<<10)); err != nil {
				return err
			}
			go func() { // a byte now and then, never the end of the headers
				for {
					time.Sleep(heldTimeout / 5)
					if _, err := c.Write([]byte("a")); err != nil {
						return
					}
				}
			}()
			return nil
		}},
		{"stalled body", func(c net.Conn) error {
			_, err := fmt.Fprintf(c, "PUT /api/v1/sources/kc-palembang/workbooks/rekap.xlsx HTTP/1.1\r\nHost: jkn\r\n"+
				"Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\nPK\x03\x04 first bytes, then nothing", crashToken, 1<<20)
			return err
		}},
		{"HTTP/1.0 keep-alive", func(c net.Conn) error {
			if _, err := io.WriteString(c, "GET /-/healthy HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"); err != nil {
				return err
			}
			// Whether it is answered now or once it leaves the queue, the
			// connection then idles.
			return nil
		}},
	}
	type held struct {
		kind   string
		opened time.Time
		closed time.Duration // after opening; 0: still open
		answer string        // the status line, if any
	}
	conns := make([]*held, 2*heldLimit)
	var wg sync.WaitGroup
	for i := range conns {
		k := kinds[i%len(kinds)]
		h := &held{kind: k.name, opened: time.Now()}
		conns[i] = h
		c, err := net.Dial("tcp", p.addr)
		if err != nil {
			t.Fatalf("connection %d (%s): %v", i, k.name, err)
		}
		defer c.Close()
		if err := k.start(c); err != nil {
			t.Fatalf("connection %d (%s): %v", i, k.name, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			br := bufio.NewReader(c)
			// Read until the server closes the connection: the first line
			// is the answer, if one came.
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			line, err := br.ReadString('\n')
			h.answer = strings.TrimSpace(line)
			for err == nil {
				_, err = br.ReadString('\n')
			}
			if ne := net.Error(nil); !errors.As(err, &ne) || !ne.Timeout() {
				h.closed = time.Since(h.opened)
			}
		}()
	}
	wg.Wait()
	close(stopSampling)
	most := <-peak

	if most >= heldFDs || most > baseFDs+heldLimit+4 {
		t.Errorf("%d descriptors open at most with %d connections held (%d at rest, limit %d, %d connections allowed)",
			most, 2*heldLimit, baseFDs, heldFDs, heldLimit)
	}
	for _, bad := range []string{"too many open files", "Accept error"} {
		if strings.Contains(p.logs.String(), bad) {
			t.Errorf("the log says %q:\n%s", bad, p.logs)
		}
	}
	// The first heldLimit are served at once; the others wait in the queue
	// until the first are closed, then run their own timeout.
	budget := 2*heldTimeout + 3*time.Second
	for i, h := range conns {
		switch {
		case h.closed == 0:
			t.Errorf("connection %d (%s) still open after 30 s", i, h.kind)
		case h.closed > budget:
			t.Errorf("connection %d (%s) closed after %v, over %v", i, h.kind, h.closed.Round(time.Millisecond), budget)
		}
		want := map[string]string{"idle": "", "slow headers": "", "stalled body": "HTTP/1.1 400 Bad Request", "HTTP/1.0 keep-alive": "HTTP/1.0 200 OK"}[h.kind]
		if h.answer != want {
			t.Errorf("connection %d (%s) was answered %q, want %q", i, h.kind, h.answer, want)
		}
	}

	code, m := scrape()
	if code != 200 || !strings.Contains(m, `region_code="16.07"`) {
		t.Fatalf("scrape after the attack: %d\n%s", code, m)
	}
	// Goroutines: back within a few of the baseline (runtime and HTTP
	// housekeeping come and go); memory: within 16 MiB.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, m = scrape()
		g, rss := goroutines(t, m), vmRSS(t, pid)
		if g <= baseGoroutines+3 && rss <= baseRSS+16<<20 {
			t.Logf("goroutines %d -> %d, VmRSS %d -> %d KiB, descriptors %d at rest, %d at most", baseGoroutines, g, baseRSS>>10, rss>>10, baseFDs, most)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines %d (baseline %d), VmRSS %d KiB (baseline %d KiB) 10 s after the connections closed", g, baseGoroutines, rss>>10, baseRSS>>10)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// goroutines reads go_goroutines from an exposition.
func goroutines(t *testing.T, exposition string) int {
	t.Helper()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(strings.NewReader(exposition))
	if err != nil {
		t.Fatal(err)
	}
	mf := mfs["go_goroutines"]
	if mf == nil || len(mf.GetMetric()) != 1 {
		t.Fatal("no go_goroutines")
	}
	return int(mf.GetMetric()[0].GetGauge().GetValue())
}

// vmRSS is a process's resident memory in bytes.
func vmRSS(t *testing.T, pid int) int {
	t.Helper()
	return procStatus(t, pid, "VmRSS:") << 10
}

// procStatus reads a "kB" or count line of /proc/<pid>/status.
func procStatus(t *testing.T, pid int, key string) int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == key {
			n, err := strconv.Atoi(f[1])
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/%d/status", key, pid)
	return 0
}

// openFilesLimit is a process's hard limit of file descriptors.
func openFilesLimit(t *testing.T, pid int) int {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/limits", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "Max open files") {
			f := strings.Fields(line)
			n, _ := strconv.Atoi(f[4]) // Max open files <soft> <hard> files
			return n
		}
	}
	t.Fatal("no open files limit")
	return 0
}

// countFDs counts a process's open descriptors (0 once it is gone).
func countFDs(pid int) int {
	entries, _ := os.ReadDir(fmt.Sprintf("/proc/%d/fd", pid))
	return len(entries)
}

// TestSystemdSocketActivation serves on a socket systemd passes
// (systemd-socket-activate stands in for systemd): the listeners the
// exporter opens itself instead of exporter-toolkit's include these, under
// the same limits.
func TestSystemdSocketActivation(t *testing.T) {
	activate := testtool.Need(t, "systemd-socket-activate")
	bin := testtool.BuildExporter(t)
	addr := testtool.FreeAddr(t)
	p := launchWith(t, bin, []string{activate, "--listen=" + addr}, "--web.systemd-socket", "--storage.path=", "--web.max-connections=8")
	p.addr = addr // the socket's, not the --web.listen-address launch adds (ignored with the socket)
	p.waitReady(nil)
	if m := p.metrics(); !strings.Contains(m, "jkn_coverage_ratio{") {
		t.Errorf("no coverage served through the activated socket")
	}
	for _, want := range []string{"Listening on systemd activated listeners", "serving under limits", "max_connections=8", "address=" + addr} {
		if !strings.Contains(p.logs.String(), want) {
			t.Errorf("log has no %q:\n%s", want, p.logs)
		}
	}
}
