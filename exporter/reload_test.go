package exporter

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/sources/demo"
)

// writeDemo puts one demo office's workbook into a fresh directory.
func writeDemo(t *testing.T, office int) string {
	t.Helper()
	files, err := demo.SeedOffices()[office].Source.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, files[0].Name), files[0].Data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestReload(t *testing.T) {
	palembang, banjarmasin := writeDemo(t, 0), writeDemo(t, 3)
	cfgFile := filepath.Join(t.TempDir(), "jkn.yml")
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(cfgFile, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src := func(name, dir, branch, schedule string) string {
		return fmt.Sprintf("  - name: %s\n    path: %s\n    schedule: %q\n    settle_time: 1ms\n    branch_office: %s\n", name, dir, schedule, branch)
	}
	write("sources:\n" + src("kc-palembang", palembang, "Palembang", "@every 1h"))
	ctx, e, reg, r := runReloadable(t, cfgFile)
	// The settings outside the exporter (the pages') follow each applied
	// config, and only those.
	var applied []config.Pages
	r.Applied = func(c *config.Config) { applied = append(applied, c.Pages) }

	has := func(region, branch string) bool {
		return strings.Contains(scrape(t, e, reg), `region="`+region+`",level="regency",province=`) &&
			strings.Contains(scrape(t, e, reg), `branch_office="`+branch+`"}`)
	}
	if !has("Kabupaten Banyuasin", "Palembang") {
		t.Fatal("initial source not served")
	}

	// Add a source and reschedule the first.
	write("criteria: uhc_2023\npages:\n  premium_per_person_month: 42000\nsources:\n" + src("kc-palembang", palembang, "Palembang", "@every 2h") + src("kc-banjarmasin", banjarmasin, "Banjarmasin", "@every 1h"))
	if err := r.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return strings.Contains(scrape(t, e, reg), `region="Kabupaten Banjar"`) })
	m := scrape(t, e, reg)
	if !strings.Contains(m, `jkn_target_coverage_ratio{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",branch_office="Palembang"} 0.95`) {
		t.Error("criteria change not applied")
	}
	if !strings.Contains(m, "jkn_config_last_reload_successful 1") {
		t.Error("reload success not exported")
	}

	// A broken config is refused; everything keeps running as before.
	write("sources:\n  - name: kc-palembang\n    pth: /nowhere\n")
	if err := r.Reload(ctx); err == nil || !strings.Contains(err.Error(), `unknown key "pth"`) {
		t.Fatalf("broken config: %v", err)
	}
	m = scrape(t, e, reg)
	if !strings.Contains(m, "jkn_config_last_reload_successful 0") || !strings.Contains(m, `region="Kabupaten Banjar"`) || !strings.Contains(m, `region="Kabupaten Banyuasin"`) {
		t.Error("a broken config changed what is served, or its failure is not exported")
	}
	if len(e.Sources()) != 2 {
		t.Errorf("%d sources after a failed reload, want 2", len(e.Sources()))
	}
	if len(applied) != 1 || applied[0].PremiumPerPersonMonth != 42000 {
		t.Errorf("pages applied by the reloads: %+v, want the first reload's only", applied)
	}

	// Remove a source: its series disappear.
	write("sources:\n" + src("kc-banjarmasin", banjarmasin, "Banjarmasin", "@every 1h"))
	if err := r.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	m = scrape(t, e, reg)
	if strings.Contains(m, `region="Kabupaten Banyuasin"`) || strings.Contains(m, `source="kc-palembang"`) {
		t.Error("a removed source is still served")
	}
	if !strings.Contains(m, `region="Kabupaten Banjar"`) || !strings.Contains(m, "jkn_config_last_reload_successful 1") {
		t.Error("the remaining source or the reload metric is wrong")
	}
}

// runReloadable runs an exporter of a config file with its reloader until
// the test ends, once every source has been read.
func runReloadable(t *testing.T, cfgFile string) (context.Context, *Exporter, *prometheus.Registry, *Reloader) {
	t.Helper()
	cfg, err := config.Load(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	rules, err := cfg.Rules()
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	e, err := New(Options{Logger: quietLogger(), Reference: loadRef(t), Registerer: reg}, SourcesFromConfig(cfg), rules)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = e.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	r, err := NewReloader(cfgFile, e, quietLogger(), reg)
	if err != nil {
		t.Fatal(err)
	}
	go r.Run(ctx)
	waitFor(t, func() bool { return e.Ready() })
	return ctx, e, reg, r
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if cond() {
			return
		}
		sleep()
	}
	t.Fatal("condition not met in time")
}
