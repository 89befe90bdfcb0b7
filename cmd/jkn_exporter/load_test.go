package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/loadtest"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// TestScrapesUnderLoad is the short, correctness-only form of
// scripts/loadtest: 8 clients scrape the real binary for 3 s while
// workbooks are rewritten and ingested and the config is reloaded. No
// scrape may fail or mix two snapshots (see internal/loadtest); the
// figures are printed by the script, never asserted here.
func TestScrapesUnderLoad(t *testing.T) {
	bin := testtool.BuildExporter(t)
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	setup, err := loadtest.Prepare(dir, ref, 2)
	if err != nil {
		t.Fatal(err)
	}
	p := launch(t, bin, "--config.file="+setup.Config, "--storage.path="+filepath.Join(dir, "data"),
		"--web.enable-lifecycle", "--web.write-rate-limit=0")
	p.waitReady(nil)
	res, err := loadtest.Run(context.Background(), loadtest.Config{
		BaseURL: p.url(""), Clients: 8, Duration: 3 * time.Second, Setup: setup, PID: p.cmd.Process.Pid,
		IngestEvery: 200 * time.Millisecond, ReloadEvery: 600 * time.Millisecond, FullParse: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", res)
	for _, e := range res.Errors {
		t.Error(e)
	}
	if res.Failed > 0 || res.Torn > 0 || res.IngestErrors > 0 || res.ReloadErrors > 0 {
		t.Errorf("%d failed and %d torn scrapes, %d failed ingests, %d failed reloads", res.Failed, res.Torn, res.IngestErrors, res.ReloadErrors)
	}
	// That the load ran, not how fast (make bench measures that): on a
	// machine shared by many builds a race-built scrape takes seconds.
	if res.Scrapes < 1 || res.Ingests < 1 || res.Reloads < 1 {
		t.Errorf("the load did not run: %d scrapes, %d ingests, %d reloads", res.Scrapes, res.Ingests, res.Reloads)
	}
}
