package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// TestReloadSignalAndHTTP reloads the real binary's config with SIGHUP and
// with POST /-/reload: a source is added, a broken config is refused while
// the old one keeps serving, and a removed source's series disappear.
func TestReloadSignalAndHTTP(t *testing.T) {
	bin := testtool.BuildExporter(t)
	td := "../../exporter/testdata/"
	cfg := filepath.Join(t.TempDir(), "jkn.yml")
	inboxes := map[string]string{}
	src := func(name, dir, branch string) string {
		if inboxes[dir] == "" {
			inboxes[dir] = testtool.CaseInbox(t, td+dir)
		}
		return fmt.Sprintf("  - name: %s\n    path: %s\n    settle_time: 1ms\n    branch_office: %s\n    province: Sumatera Selatan\n", name, inboxes[dir], branch)
	}
	writeFile(t, cfg, "sources:\n"+src("kc-palembang", "seed_palembang", "Palembang"))
	p := runExporter(t, bin, "--config.file="+cfg, "--storage.path="+t.TempDir(), "--web.enable-lifecycle")
	metrics := func() string { return get(t, "http://"+p.addr+"/metrics") }
	waitMetrics := func(what string, cond func(string) bool) string {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			m := metrics()
			if cond(m) {
				return m
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not seen in time; logs:\n%s", what, p.logs)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// SIGHUP adds a source.
	writeFile(t, cfg, "sources:\n"+src("kc-palembang", "seed_palembang", "Palembang")+src("kc-other", "hidden_columns", "Prabumulih"))
	if err := p.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	waitMetrics("the added source", func(m string) bool { return strings.Contains(m, `region="Kota Prabumulih"`) })

	// A broken config is refused over HTTP; everything still serves.
	writeFile(t, cfg, "sources:\n  - name: kc-palembang\n    paht: /srv\n")
	resp, err := http.Post("http://"+p.addr+"/-/reload", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("broken reload: %d, want 500", resp.StatusCode)
	}
	m := metrics()
	if !strings.Contains(m, "jkn_config_last_reload_successful 0") || !strings.Contains(m, `region="Kota Prabumulih"`) || !strings.Contains(m, `region="Kabupaten Banyuasin"`) {
		t.Errorf("a refused config changed what is served or was not reported")
	}

	// Removing a source over HTTP drops its series.
	writeFile(t, cfg, "sources:\n"+src("kc-other", "hidden_columns", "Prabumulih"))
	resp, err = http.Post("http://"+p.addr+"/-/reload", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("reload: %d", resp.StatusCode)
	}
	m = waitMetrics("the removed source gone", func(m string) bool { return !strings.Contains(m, `region="Kabupaten Banyuasin"`) })
	if strings.Contains(m, `source="kc-palembang"`) || !strings.Contains(m, "jkn_config_last_reload_successful 1") {
		t.Error("the removed source's self-metrics remain, or the reload is not reported")
	}
}
