package grafana

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/benchdata"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// TestNationalRemoteWrite is docs/scaling.md's deployment on loopback:
// two exporters, each serving its own offices (one per Kedeputian Wilayah),
// one Prometheus scraping both with the repository's rules and
// remote-writing to Debian's VictoriaMetrics. The national recording rules
// answer from VictoriaMetrics with the sums of both exporters' sheets. Then
// a sheet of the first exporter's offices lands in the second's inbox too:
// the region overlap alert comes up for its regions.
func TestNationalRemoteWrite(t *testing.T) {
	prometheusBin := testtool.Need(t, "prometheus")
	vmBin, err := exec.LookPath("victoria-metrics")
	if err != nil {
		vmBin = testtool.Need(t, "victoriametrics") // the upstream binary's name
	}
	if testing.Short() {
		t.Skip("builds and runs two exporters, Prometheus and VictoriaMetrics")
	}
	dir := t.TempDir()
	trackModuleFiles(t, "..")
	exporterBin := testtool.BuildExporter(t)

	// Sheets with made-up figures (internal/benchdata): Wilayah III's offices serve Sumatera
	// Selatan and Bengkulu by regency, Wilayah VIII's Kalimantan Selatan by village only (no
	// regency rows: the recording rules sum its villages into their regencies).
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	var pop, part float64
	sheet := func(province, inbox string, level benchdata.Level) string {
		o := benchdata.Options{Level: level, SharedStrings: true, Province: province}
		rows, err := benchdata.Rows(ref, o)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			pop += float64(r.Population)
			part += float64(r.Participants)
		}
		var b bytes.Buffer
		if err := benchdata.Write(&b, o, rows); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(inbox, "rekap_"+province+".xlsx")
		if err := os.MkdirAll(inbox, 0o755); err != nil {
			t.Fatal(err)
		}
		writeText(t, path, b.String())
		return path
	}
	palembang := sheet("16", filepath.Join(dir, "wilayah3", "palembang"), benchdata.Regency)
	sheet("17", filepath.Join(dir, "wilayah3", "bengkulu"), benchdata.Regency)
	sheet("63", filepath.Join(dir, "wilayah8", "banjarmasin"), benchdata.Village)

	exporter := func(name string, offices ...string) string {
		var cfg strings.Builder
		cfg.WriteString("sources:\n")
		for _, o := range offices {
			fmt.Fprintf(&cfg, "  - name: kc-%s\n    path: %q\n    schedule: \"@every 1s\"\n    settle_time: 1ms\n    branch_office: %s\n",
				o, filepath.Join(dir, name, o), strings.ToUpper(o[:1])+o[1:])
		}
		config := filepath.Join(dir, name+".yml")
		writeText(t, config, cfg.String())
		addr := testtool.FreeAddr(t)
		log := startProcess(t, name, exporterBin, "--config.file="+config, "--storage.path=", "--web.listen-address="+addr)
		waitHTTP(t, 30*time.Second, name+" ready", "http://"+addr+"/-/ready", log)
		return addr
	}
	exporterA := exporter("wilayah3", "palembang", "bengkulu")
	exporterB := exporter("wilayah8", "banjarmasin")

	vmAddr := testtool.FreeAddr(t)
	vmLog := startProcess(t, "victoria-metrics", vmBin,
		"-storageDataPath="+filepath.Join(dir, "vm"), "-httpListenAddr="+vmAddr,
		"-search.latencyOffset=1s", "-search.disableCache", "-loggerLevel=WARN")
	vm := "http://" + vmAddr
	waitHTTP(t, 30*time.Second, "VictoriaMetrics", vm+"/health", vmLog)

	rules := e2eRuleFiles(t, dir)
	promAddr := testtool.FreeAddr(t)
	promConfig := filepath.Join(dir, "prometheus.yml")
	writeText(t, promConfig, fmt.Sprintf(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: %s
scrape_configs:
  - job_name: jkn
    static_configs:
      - targets: [%q, %q]
remote_write:
  - url: %s/api/v1/write
    queue_config:
      batch_send_deadline: 1s
`, jsonString(rules), exporterA, exporterB, vm))
	promLog := startProcess(t, "prometheus", prometheusBin,
		"--config.file="+promConfig, "--storage.tsdb.path="+filepath.Join(dir, "prom"),
		"--web.listen-address="+promAddr)
	prom := "http://" + promAddr
	waitHTTP(t, 30*time.Second, "Prometheus ready", prom+"/-/ready", promLog)

	// The national figures, from VictoriaMetrics: what Prometheus computed and remote-wrote.
	wantRatio := part / pop
	// And every regency of Kalimantan Selatan, summed from its villages (its series may
	// reach VictoriaMetrics in a later batch than the national ones).
	var gotPop, gotRatio, gotKalsel float64
	waitLogged(t, 90*time.Second, "the national and Kalimantan Selatan's regency recording rules in VictoriaMetrics", vmLog, func() bool {
		var ok1, ok2, ok3 bool
		gotPop, ok1 = scalarQuery(vm, "national:jkn_population:sum")
		gotRatio, ok2 = scalarQuery(vm, "national:jkn_coverage_ratio:sum_ratio")
		gotKalsel, ok3 = scalarQuery(vm, `count(regency:jkn_population:sum{regency_code=~"63[.].*"})`)
		return ok1 && ok2 && ok3 && gotPop == pop && math.Abs(gotRatio-wantRatio) < 1e-12 && int(gotKalsel) == len(ref.Children("63"))
	})
	t.Logf("VictoriaMetrics: national:jkn_population:sum = %.0f, national:jkn_coverage_ratio:sum_ratio = %.6f (%d regencies from 2 exporters, %.0f of them from village rows)",
		gotPop, gotRatio, len(ref.Children("16"))+len(ref.Children("17"))+len(ref.Children("63")), gotKalsel)
	if v, ok := scalarQuery(vm, `count(count by (instance) (jkn_population{job="jkn"}))`); !ok || v != 2 {
		t.Errorf("VictoriaMetrics holds the series of %v instances, want 2", v)
	}
	if alerts := promAlerts(t, prom); len(alerts) > 0 {
		for _, a := range alerts {
			if a.Labels["alertname"] == "JKNExporterRegionOverlap" {
				t.Errorf("overlap alert without an overlap: %v", a.Labels)
			}
		}
	}

	// Palembang's sheet lands in Banjarmasin's inbox too: its regencies are now exported by
	// both exporters (the second labels them Banjarmasin).
	data, err := os.ReadFile(palembang)
	if err != nil {
		t.Fatal(err)
	}
	writeText(t, filepath.Join(dir, "wilayah8", "banjarmasin", "rekap_16.xlsx"), string(data))
	// Pending is enough here (e2eRuleFiles keeps a minute's "for" on JKNExporter alerts);
	// the alert's timing is promtool's to test (tests/deployment_alerts_test.yml).
	want := len(ref.Children("16"))
	waitLogged(t, 60*time.Second, "JKNExporterRegionOverlap for every regency of Sumatera Selatan", promLog, func() bool {
		n := 0
		for _, a := range promAlerts(t, prom) {
			if a.Labels["alertname"] == "JKNExporterRegionOverlap" && strings.HasPrefix(a.Labels["region_code"], "16.") {
				n++
			}
		}
		return n == want
	})
	if v, ok := scalarQuery(prom, `count(count by (region_code) (jkn_data_as_of_timestamp_seconds{job="jkn"}) > 1)`); !ok || int(v) != want {
		t.Errorf("%v regions exported twice, want %d", v, want)
	}
}

// scalarQuery runs an instant query that returns one sample and gives its value.
func scalarQuery(api, query string) (float64, bool) {
	data, err := promAPI(api + "/api/v1/query?" + url.Values{"query": {query}}.Encode())
	if err != nil {
		return 0, false
	}
	var result struct {
		Result []struct {
			Value [2]any `json:"value"`
		} `json:"result"`
	}
	if err := json.Unmarshal(data, &result); err != nil || len(result.Result) != 1 {
		return 0, false
	}
	s, _ := result.Result[0].Value[1].(string)
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
