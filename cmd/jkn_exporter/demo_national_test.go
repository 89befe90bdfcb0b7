package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// TestNationalDemo is the README's national demo command: every regency and city is served
// with synthetic figures, and the log, the labels and the status page say so.
func TestNationalDemo(t *testing.T) {
	bin := testtool.BuildExporter(t)
	addr, logs := startExporter(t, bin, "--demo=national")
	metrics := get(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		`jkn_source_up{branch_office="Demo (synthetic)",source="demo"} 1`,
		`jkn_source_regions{branch_office="Demo (synthetic)",source="demo"} 514`,
		// The real 2025 population (the seed report's denominator for Banjar).
		`jkn_population{region_code="63.03",region="Kabupaten Banjar",level="regency",province="Kalimantan Selatan",branch_office="Demo (synthetic)"} 590393`,
		`jkn_region_info{region_code="63.03",region="Kabupaten Banjar",level="regency",province="Kalimantan Selatan",branch_office="Demo (synthetic)",latitude="-3.31667",longitude="115.08333"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	for _, family := range []string{"jkn_population", "jkn_participants", "jkn_active_participants", "jkn_region_info"} {
		if n := strings.Count(metrics, "\n"+family+"{"); n != 514 {
			t.Errorf("%d %s series, want 514", n, family)
		}
	}
	// The start stays fast: building and reading the 38 province workbooks.
	m := regexp.MustCompile(`jkn_source_ingest_duration_seconds\{[^}]*source="demo"\} (\S+)`).FindStringSubmatch(metrics)
	if m == nil {
		t.Fatal("no ingest duration for the demo source")
	}
	// Its time is measured by make bench, not asserted here (a shared
	// machine); the figure is logged.
	if d, err := strconv.ParseFloat(m[1], 64); err != nil {
		t.Errorf("ingest duration %q: %v", m[1], err)
	} else {
		t.Logf("national demo built and read in %.3fs", d)
	}
	if l := logs.String(); !strings.Contains(l, "NATIONAL DEMO") || !strings.Contains(l, "SYNTHETIC") || !strings.Contains(l, "--config.file") {
		t.Errorf("log does not say it serves synthetic figures and how to leave the demo:\n%s", l)
	}
	page := get(t, "http://"+addr+"/")
	for _, want := range []string{"DATA DEMO", "SINTETIS", "--demo=national", `id="map"`} {
		if !strings.Contains(page, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	if en := get(t, "http://"+addr+"/?lang=en"); !strings.Contains(en, "DEMO DATA") || !strings.Contains(en, "SYNTHETIC") {
		t.Errorf("the English status page does not say the figures are synthetic")
	}
	if n := strings.Count(page, `<circle class="m `); n != 514 {
		t.Errorf("the status page's map has %d markers, want 514", n)
	}
}

func TestDemoFlag(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"--demo=bogus"}, &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "seed") {
		t.Errorf("--demo=bogus: exit %d, stderr %q; want 2 and the choices", code, stderr.String())
	}
	stderr.Reset()
	cfg := t.TempDir() + "/jkn.yml"
	writeFile(t, cfg, "sources: []\n")
	if code := run([]string{"--config.file=" + cfg, "--demo=national", "--web.listen-address=127.0.0.1:0"}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "--demo=national serves a demo, which --config.file replaces") {
		t.Errorf("--demo=national with --config.file: exit %d, stderr %q", code, stderr.String())
	}
}
