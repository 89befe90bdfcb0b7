package grafana

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"gopkg.in/yaml.v3"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/lang"
)

// TestEndToEnd is the bundle's proof on loopback: the real exporter reads two branch offices'
// workbooks, Debian's Prometheus scrapes it with the repository's rule files and Debian's
// Alertmanager routes with the example configuration, and
//   - the region below its coverage target (Kabupaten Banyuasin) reaches the webhook of its
//     office, Palembang, with the region's labels and annotations that give its figures as
//     percentages, and the Telegram Bot API (a listener of this test posing as it) receives
//     the sendMessage a bot would be sent: the office's group, Banyuasin's topic, HTML, the
//     text of the template;
//   - the region the office's newest sheet leaves out (Kabupaten Musi Banyuasin, in last
//     month's sheet only) raises the completeness alert, JKNRegionMissingFromSheet, which
//     reaches the same webhook (in one message with Banyuasin's) and the group's General topic;
//   - the healthy regions (Kota Palembang, Kota Banjarbaru) raise no alert, pending or firing,
//     and the Banjarmasin office, whose only region is healthy, receives nothing;
//   - every query of every dashboard, its variables set to real values, returns data from
//     that Prometheus, as an instant and as a range query.
func TestEndToEnd(t *testing.T) {
	prometheusBin := testtool.Need(t, "prometheus")
	alertmanagerBin := alertmanagerBin(t)
	if testing.Short() {
		t.Skip("end-to-end test: builds and runs the exporter, Prometheus and Alertmanager")
	}
	start := time.Now()
	dir := t.TempDir()

	// The exporter, built from this checkout.
	trackModuleFiles(t, "..")
	exporterBin := testtool.BuildExporter(t)

	// Figures as of the first day of a recent month (2 to 33 days ago), so JKNSourceDataStale
	// (45 days) does not fire and hold back the region alerts.
	recent := time.Now().UTC().Add(-48 * time.Hour)
	asOf := time.Date(recent.Year(), recent.Month(), 1, 0, 0, 0, 0, time.UTC)
	lastMonth := asOf.AddDate(0, -1, 0)

	palembang := filepath.Join(dir, "inbox", "palembang")
	banjarmasin := filepath.Join(dir, "inbox", "banjarmasin")
	writeWorkbook(t, filepath.Join(palembang, "rekap_kc_palembang.xlsx"), "Rekap", [][]any{
		{"REKAPITULASI KEPESERTAAN JKN KABUPATEN/KOTA"},
		{"BPJS Kesehatan Kantor Cabang Palembang"},
		{},
		{"No", "Kabupaten/Kota", "Tanggal Data", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif", "% Cakupan", "PBPU Pemda"},
		// Below the coverage target (97.63% < 98%), above the active one (83.63% > 80%):
		// JKNRegionBelowCoverageTarget only. PBPU Pemda gives the segment panels their data.
		{"1", "Kab. Banyuasin", asOf, 837062, 817221, 700000, "97,63%", 38096},
		// Healthy: 99.21% registered, 86.60% active. The sheet's own "99,90%" is off by more
		// than 0.05 points: a data-quality finding, for the findings panels.
		{"2", "Kota Palembang", asOf, 1801367, 1787156, 1560000, "99,90%"},
	})
	// Last month's sheet, still in the inbox, also carried Kabupaten Musi Banyuasin, which this
	// month's leaves out: the source expects what its sheets carried, so it is missing from
	// the newest sheet (JKNRegionMissingFromSheet). Its healthy figures (98.39%, 81.42%) are
	// still served from this sheet. Banyuasin and Kota Palembang lose to this month's rows.
	writeWorkbook(t, filepath.Join(palembang, "rekap_kc_palembang_bulan_lalu.xlsx"), "Rekap", [][]any{
		{"No", "Kabupaten/Kota", "Tanggal Data", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif"},
		{"1", "Kab. Banyuasin", lastMonth, 837062, 816000, 699000},
		{"2", "Kota Palembang", lastMonth, 1801367, 1786000, 1559000},
		{"3", "Kab. Musi Banyuasin", lastMonth, 736897, 725000, 600000},
	})
	// Healthy: 99.20% registered, 85.80% active.
	writeWorkbook(t, filepath.Join(banjarmasin, "data_jkn_kc_banjarmasin.xlsx"), "Data", [][]any{
		{"Kabupaten/Kota", "Provinsi", "Tanggal Data", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif"},
		{"Kota Banjarbaru", "Kalimantan Selatan", asOf, 285546, 283261, 245000},
	})
	// A file that is not a workbook, so that jkn_source_ingest_errors_total (the health
	// dashboard's "Ingest errors by reason") exists for kc-palembang. It is removed as soon as
	// it has been counted, before Prometheus starts: while it is there the source is down,
	// which would raise JKNSourceIngestFailing and hold back Palembang's region alerts.
	broken := filepath.Join(palembang, "rekap_rusak.xlsx")
	if err := os.WriteFile(broken, []byte("this is not a workbook\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "jkn.yml")
	writeText(t, config, fmt.Sprintf(`criteria: uhc_2025
sources:
  - name: kc-palembang
    path: %q
    schedule: "@every 1s"
    settle_time: 1ms
    branch_office: Palembang
    province: Sumatera Selatan
  - name: kc-banjarmasin
    path: %q
    schedule: "@every 1s"
    settle_time: 1ms
    branch_office: Banjarmasin
    province: Kalimantan Selatan
`, palembang, banjarmasin))

	exporterAddr := testtool.FreeAddr(t)
	exporterLog := startProcess(t, "exporter", exporterBin,
		"--config.file="+config,
		"--storage.path="+filepath.Join(dir, "exporter-data"),
		"--web.listen-address="+exporterAddr,
	)
	exporter := "http://" + exporterAddr
	waitHTTP(t, 30*time.Second, "the exporter ready", exporter+"/-/ready", exporterLog)
	metricsHave := func(want string) func() bool {
		return func() bool {
			body, err := httpGet(exporter + "/metrics")
			return err == nil && strings.Contains(body, want)
		}
	}
	waitLogged(t, 15*time.Second, "the broken workbook counted", exporterLog,
		metricsHave(`jkn_source_ingest_errors_total{branch_office="Palembang",reason="unsupported_format",source="kc-palembang"}`))
	if err := os.Remove(broken); err != nil {
		t.Fatal(err)
	}
	for _, source := range []string{`branch_office="Palembang",source="kc-palembang"`, `branch_office="Banjarmasin",source="kc-banjarmasin"`} {
		waitLogged(t, 15*time.Second, "source up: "+source, exporterLog, metricsHave(`jkn_source_up{`+source+`} 1`))
	}

	// Alertmanager with the example configuration, pointed at a listener of this test.
	got := newNotifications()
	hooks := httptest.NewServer(got)
	t.Cleanup(hooks.Close)
	amConfig := filepath.Join(dir, "alertmanager.yml")
	writeText(t, amConfig, string(e2eAlertmanagerConfig(t, hooks.URL)))
	template, err := os.ReadFile("alertmanager/jkn.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	writeText(t, filepath.Join(dir, "jkn.tmpl"), string(template))
	amAddr := testtool.FreeAddr(t)
	amLog := startProcess(t, "alertmanager", alertmanagerBin,
		"--config.file="+amConfig,
		"--storage.path="+filepath.Join(dir, "alertmanager-data"),
		"--web.listen-address="+amAddr,
		"--cluster.listen-address=",
	)
	waitHTTP(t, 30*time.Second, "Alertmanager ready", "http://"+amAddr+"/-/ready", amLog)

	// Prometheus: scrapes the exporter as job "jkn" every second, evaluates the rules every
	// second, with the alerts' for/keep_firing_for shortened (e2eRuleFiles).
	promConfig := filepath.Join(dir, "prometheus.yml")
	writeText(t, promConfig, fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files: %s
alerting:
  alertmanagers:
    - static_configs:
        - targets: [%q]
scrape_configs:
  - job_name: jkn
    static_configs:
      - targets: [%q]
`, jsonString(e2eRuleFiles(t, dir)), amAddr, exporterAddr))
	promAddr := testtool.FreeAddr(t)
	promLog := startProcess(t, "prometheus", prometheusBin,
		"--config.file="+promConfig,
		"--storage.tsdb.path="+filepath.Join(dir, "prometheus-data"),
		"--web.listen-address="+promAddr,
	)
	prom := "http://" + promAddr
	waitHTTP(t, 30*time.Second, "Prometheus ready", prom+"/-/ready", promLog)
	logs := func() string {
		return fmt.Sprintf("exporter log:\n%s\nprometheus log:\n%s\nalertmanager log:\n%s",
			exporterLog, promLog, amLog)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(logs())
			t.Logf("notifications received: %s", got)
		}
	})

	// 1. Banyuasin's alert and the completeness alert reach the Palembang office, in one message
	// once both fire (the first message may carry one of them: the office's group is sent
	// again, with both, after its group_interval).
	var hook string
	waitLogged(t, 60*time.Second, "the Palembang office's webhook with both alerts", nil, func() bool {
		for _, h := range got.hooks("/jkn/kc-palembang") {
			if strings.Contains(h, `"JKNRegionBelowCoverageTarget"`) && strings.Contains(h, `"JKNRegionMissingFromSheet"`) {
				hook = h
				return true
			}
		}
		return false
	})
	notified := time.Now()
	t.Logf("region alerts at the Palembang webhook %s after the start", notified.Sub(start).Round(time.Millisecond))

	var message struct {
		Receiver    string            `json:"receiver"`
		Status      string            `json:"status"`
		GroupLabels map[string]string `json:"groupLabels"`
		Alerts      []struct {
			Status      string            `json:"status"`
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(hook), &message); err != nil {
		t.Fatalf("the Palembang webhook's body: %v\n%s", err, hook)
	}
	if message.Receiver != "kc-palembang" || message.Status != "firing" || message.GroupLabels["branch_office"] != "Palembang" {
		t.Errorf("the Palembang webhook: receiver %q, status %q, group %v", message.Receiver, message.Status, message.GroupLabels)
	}
	// Indonesian, its numbers and date the Indonesian way (as package lang writes them on
	// the pages), and the English beside it.
	id := lang.For(lang.ID)
	description := "Kabupaten Banyuasin (16.07, Sumatera Selatan): " + id.Percent(817221.0/837062) + " penduduknya terdaftar di JKN, " +
		"belum memenuhi target 98%; " + id.Count(837062-817221) + " penduduk belum terdaftar; " +
		id.Count(3100) + " penduduk lagi perlu didaftarkan untuk mencapai 98% (posisi data " +
		id.Date(asOf) + "). Kantor cabang: Palembang."
	descriptionEN := "Kabupaten Banyuasin (16.07, Sumatera Selatan) has 97.63% of its residents registered in JKN, " +
		"which does not meet its target of 98%; 19841 residents are not registered; " +
		"3100 more must be registered to reach 98% (figures as of " +
		asOf.Format("2006-01-02") + "). Branch office: Palembang."
	if !strings.Contains(description, "97,63% penduduknya") || !strings.Contains(description, "; 19.841 penduduk") {
		t.Fatalf("the expected description is not what the test means: %s", description)
	}
	missingDescription := "Kabupaten Musi Banyuasin (16.06, Sumatera Selatan) tidak ada di lembar terbaru sumber kc-palembang " +
		"(posisi data " + id.Date(asOf) + "), padahal sumber ini diharapkan melaporkannya; lembar itu memuat 2 dari 3 wilayah yang diharapkan. " +
		"Angkanya posisi " + id.Date(lastMonth) + ", dari lembar sebelumnya, masih disajikan. Kantor cabang: Palembang."
	missingDescriptionEN := "Kabupaten Musi Banyuasin (16.06, Sumatera Selatan) is not in the newest sheet of source kc-palembang " +
		"(as of " + asOf.Format("2006-01-02") + "), which the source is expected to report; the sheet carries 2 of 3 expected regions. " +
		"Its figures as of " + lastMonth.Format("2006-01-02") + ", from an earlier sheet, are still served. Branch office: Palembang."
	want := map[string]struct {
		labels                                                 map[string]string
		summary, summaryEN, description, descriptionEN, anchor string
	}{
		"JKNRegionBelowCoverageTarget": {
			labels: map[string]string{"region_code": "16.07", "region": "Kabupaten Banyuasin", "level": "regency",
				"province": "Sumatera Selatan", "branch_office": "Palembang"},
			summary:     "Cakupan JKN Kabupaten Banyuasin 97,63%, di bawah targetnya.",
			summaryEN:   "JKN coverage of Kabupaten Banyuasin is 97.63%, below its target.",
			description: description, descriptionEN: descriptionEN,
			anchor: "jknregionbelowcoveragetarget"},
		// The completeness alert: the region's labels and the source's.
		"JKNRegionMissingFromSheet": {
			labels: map[string]string{"region_code": "16.06", "region": "Kabupaten Musi Banyuasin", "level": "regency",
				"province": "Sumatera Selatan", "branch_office": "Palembang", "source": "kc-palembang"},
			summary:     "Kabupaten Musi Banyuasin tidak ada di lembar terbaru sumber kc-palembang.",
			summaryEN:   "Kabupaten Musi Banyuasin is missing from the newest sheet of source kc-palembang.",
			description: missingDescription, descriptionEN: missingDescriptionEN,
			anchor: "jknregionmissingfromsheet"},
	}
	if len(message.Alerts) != len(want) {
		t.Errorf("the Palembang webhook carries %d alerts, want Banyuasin's and the completeness alert:\n%s", len(message.Alerts), hook)
	}
	for _, a := range message.Alerts {
		w, ok := want[a.Labels["alertname"]]
		if !ok {
			t.Errorf("unexpected alert at the Palembang webhook: %v", a.Labels)
			continue
		}
		wantLabels := map[string]string{"alertname": a.Labels["alertname"], "severity": "warning", "job": "jkn", "instance": exporterAddr}
		for k, v := range w.labels {
			wantLabels[k] = v
		}
		for k, v := range wantLabels {
			if a.Labels[k] != v {
				t.Errorf("alert label %s = %q, want %q (labels %v)", k, a.Labels[k], v, a.Labels)
			}
		}
		if extra := len(a.Labels) - len(wantLabels); extra != 0 {
			t.Errorf("the alert has %d labels besides the region's and severity: %v", extra, a.Labels)
		}
		for k, v := range map[string]string{"summary": w.summary, "summary_en": w.summaryEN, "description": w.description, "description_en": w.descriptionEN} {
			if a.Annotations[k] != v {
				t.Errorf("%s %s\n %q, want\n %q", a.Labels["alertname"], k, a.Annotations[k], v)
			}
		}
		if !strings.HasSuffix(a.Annotations["runbook_url"], "RUNBOOK.md#"+w.anchor) {
			t.Errorf("runbook_url %q does not end in %s", a.Annotations["runbook_url"], w.anchor)
		}
	}
	// The office's Telegram group, in Banyuasin's topic: what the Bot API would be sent.
	waitLogged(t, 10*time.Second, "the Palembang office's Telegram message", nil, func() bool {
		return len(got.chat("-1001234567890/12")) > 0
	})
	wantTelegram(t, "Banyuasin's topic", got.chat("-1001234567890/12")[0], "-1001234567890", "12",
		"<b>[JKN] KC Palembang: 1 temuan / finding(s)</b>\n"+
			"\n• "+description+"\n"+
			"<i>"+descriptionEN+"</i>\n"+
			`<a href="`+runbook+`jknregionbelowcoveragetarget">Langkah / What to do</a>`+"\n")
	// Musi Banyuasin has no topic of its own: the group's General topic.
	waitLogged(t, 10*time.Second, "the completeness alert in the Palembang group's General topic", nil, func() bool {
		return len(got.chat("-1001234567890")) > 0
	})
	wantTelegram(t, "the General topic", got.chat("-1001234567890")[0], "-1001234567890", "",
		"<b>[JKN] KC Palembang: 1 temuan / finding(s)</b>\n"+
			"\n• "+missingDescription+"\n"+
			"<i>"+missingDescriptionEN+"</i>\n"+
			`<a href="`+runbook+`jknregionmissingfromsheet">Langkah / What to do</a>`+"\n")

	// 2. Every dashboard query returns data; the map's place the regions.
	checkDashboards(t, prom)
	checkGeomap(t, prom)

	// 3. Nothing else fires: Prometheus has Banyuasin's alert and the completeness alert only,
	// healthy regions (which it does evaluate: their status is meets_targets) have none, and no
	// other office or receiver is notified. Wait until the rules have been evaluated a few more times and Alertmanager's
	// group_wait has passed since, so that a wrong alert would have had the time to show.
	healthy := promQuery(t, prom, `jkn_uhc_status{job="jkn", status="meets_targets", region=~"Kota Palembang|Kota Banjarbaru"} == 1`)
	if len(healthy) != 2 {
		t.Errorf("Prometheus has %d healthy regions (Kota Palembang, Kota Banjarbaru), want 2: %v", len(healthy), healthy)
	}
	waitLogged(t, 30*time.Second, "more rule evaluations", nil, func() bool {
		return rulesEvaluatedAfter(prom, notified.Add(3*time.Second))
	})
	alerts := promAlerts(t, prom)
	if len(alerts) != 2 {
		t.Errorf("Prometheus has %d alerts, want Banyuasin's and Musi Banyuasin's: %v", len(alerts), alerts)
	}
	for _, a := range alerts {
		region := map[string]string{"JKNRegionBelowCoverageTarget": "16.07", "JKNRegionMissingFromSheet": "16.06"}[a.Labels["alertname"]]
		if region == "" || a.Labels["region_code"] != region || a.State != "firing" {
			t.Errorf("unexpected alert in Prometheus: %s %v", a.State, a.Labels)
		}
	}
	got.mu.Lock()
	defer got.mu.Unlock()
	for path, bodies := range got.webhooks {
		if path != "/jkn/kc-palembang" {
			t.Errorf("%s was notified: %q", path, bodies)
			continue
		}
		for _, b := range bodies {
			for _, region := range []string{"Kota Palembang", "Kota Banjarbaru", "Banjarmasin"} {
				if strings.Contains(b, region) {
					t.Errorf("the Palembang webhook was told about %s:\n%s", region, b)
				}
			}
		}
	}
	if bodies := got.webhooks["/jkn/kc-banjarmasin"]; len(bodies) > 0 {
		t.Errorf("the Banjarmasin office was notified: %q", bodies)
	}
	for chat, messages := range got.telegram {
		if (chat != "-1001234567890/12" && chat != "-1001234567890") || len(messages) != 1 {
			t.Errorf("Telegram chat %s was notified: %+v", chat, messages)
		}
	}
	t.Logf("end to end in %s", time.Since(start).Round(time.Millisecond))
}

// trackModuleFiles stats every file of the module, so that go test's cache, which knows only
// the files the test process itself opens or stats, reruns this test when the exporter's code,
// its embedded data or go.mod change: the test builds the exporter in a child process.
func trackModuleFiles(t *testing.T, root string) {
	t.Helper()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		_, err = os.Stat(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// e2eRuleFiles writes test copies of grafana/rules/*.yml into dir and returns their paths.
// The committed alerts wait 30 minutes to an hour (for) and ride out an hour of gaps
// (keep_firing_for), far too long for a test: the copies shorten them, the committed files
// are not touched. Recording rules are copied unchanged.
//
// The region and source alerts wait 1s. The exporter alerts (JKNExporterDown, Absent), which
// must not fire here, wait a minute: until Prometheus's first scrape, absent(up{job="jkn"}) is
// true, and should that scrape come more than 1s after the first rule evaluation (a slow start
// on a loaded machine), JKNExporterAbsent would fire and inhibit every region alert. The
// committed 15m covers a start in the same way.
func e2eRuleFiles(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob("rules/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule files in grafana/rules: %v", err)
	}
	var out []string
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var rules map[string]any
		if err := yaml.Unmarshal(data, &rules); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, g := range asList(rules["groups"]) {
			for _, r := range asList(g.(map[string]any)["rules"]) {
				rule := r.(map[string]any)
				name, _ := rule["alert"].(string)
				if name == "" {
					continue
				}
				if _, ok := rule["for"]; ok {
					rule["for"] = "1s"
					if strings.HasPrefix(name, "JKNExporter") {
						rule["for"] = "1m"
					}
				}
				if _, ok := rule["keep_firing_for"]; ok {
					rule["keep_firing_for"] = "1s"
				}
			}
		}
		copied, err := yaml.Marshal(rules)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "rules", filepath.Base(file))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		writeText(t, path, string(copied))
		out = append(out, path)
	}
	return out
}

// e2eAlertmanagerConfig is the example configuration as localConfig rewrites it (webhooks and
// the Telegram API to the test's listener, the bot token from a file of the test; e-mail receivers dropped, as there is no SMTP
// server here; group_wait 1s), with group_interval shortened too, so that an alert added to
// a group after its first notification would be sent within the test.
func e2eAlertmanagerConfig(t *testing.T, server string) []byte {
	t.Helper()
	var config map[string]any
	if err := yaml.Unmarshal(localConfig(t, server), &config); err != nil {
		t.Fatal(err)
	}
	var fast func(route map[string]any)
	fast = func(route map[string]any) {
		if _, ok := route["group_interval"]; ok {
			route["group_interval"] = "2s"
		}
		for _, child := range asList(route["routes"]) {
			fast(child.(map[string]any))
		}
	}
	fast(config["route"].(map[string]any))
	out, err := yaml.Marshal(config)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte("example.org/")) {
		t.Fatalf("the test's Alertmanager configuration still points at example.org:\n%s", out)
	}
	return out
}

// e2eVariables are the values the dashboards' variables take: one office, its province, its
// region below target, its source. Grafana's interval variables are those of a 1h range.
var (
	e2eVariables = map[string]string{
		"datasource": "prometheus", "job": "jkn", "province": "Sumatera Selatan", "branch_office": "Palembang",
		"region_code": "16.07", "source": "kc-palembang",
	}
	e2eGlobals = map[string]string{
		"__interval": "15s", "__interval_ms": "15000", "__rate_interval": "15s",
		"__range": "1h", "__range_s": "3600", "__range_ms": "3600000",
	}
)

// checkDashboards runs every query of the committed dashboards (panels and variables), its
// variables expanded, as an instant query and as a range query over the last hour with a 15s
// step, and fails for each that returns no data once the rules have had their time.
func checkDashboards(t *testing.T, prom string) {
	t.Helper()
	type check struct {
		where, expr string
		instant     bool
	}
	var pending []check
	for _, q := range dashboardQueries(t) {
		// Grafana's interval variables as Grafana sets them for this range, then the
		// dashboard's with the shared expansion of the query tests.
		withGlobals := variableRef.ReplaceAllStringFunc(q.expr, func(ref string) string {
			m := variableRef.FindStringSubmatch(ref)
			if v, ok := e2eGlobals[m[1]+m[2]]; ok {
				return v
			}
			return ref
		})
		expr, err := expand(withGlobals, e2eVariables)
		if err != nil {
			t.Errorf("%s: %v", q.where, err)
			continue
		}
		pending = append(pending, check{q.where, expr, true}, check{q.where, expr, false})
	}
	if len(pending) == 0 {
		t.Fatal("no dashboard queries")
	}
	total := len(pending)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var empty []check
		for _, c := range pending {
			var n int
			var err error
			if c.instant {
				n, err = promResultSize(prom, "/api/v1/query", url.Values{"query": {c.expr}})
			} else {
				now := time.Now()
				n, err = promResultSize(prom, "/api/v1/query_range", url.Values{"query": {c.expr},
					"start": {unix(now.Add(-time.Hour))}, "end": {unix(now)}, "step": {"15"}})
			}
			if err != nil {
				t.Errorf("%s: %s: %v", c.where, c.expr, err)
				continue
			}
			if n == 0 {
				empty = append(empty, c)
			}
		}
		pending = empty
		if len(pending) == 0 {
			t.Logf("%d dashboard queries (instant and range) return data", total)
			return
		}
		if time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, c := range pending {
		kind := "range"
		if c.instant {
			kind = "instant"
		}
		t.Errorf("%s: no data (%s query): %s", c.where, kind, c.expr)
	}
}

func unix(t time.Time) string { return fmt.Sprintf("%.3f", float64(t.UnixMilli())/1000) }

// promResultSize runs a query through Prometheus's HTTP API and returns the number of
// series (or 1 for a scalar or string) in its result.
func promResultSize(prom, path string, params url.Values) (int, error) {
	data, err := promAPI(prom + path + "?" + params.Encode())
	if err != nil {
		return 0, err
	}
	var result struct {
		ResultType string          `json:"resultType"`
		Result     json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(data, &result); err != nil {
		return 0, err
	}
	if result.ResultType == "scalar" || result.ResultType == "string" {
		return 1, nil
	}
	var series []json.RawMessage
	if err := json.Unmarshal(result.Result, &series); err != nil {
		return 0, err
	}
	return len(series), nil
}

// promQuery runs an instant query and returns the labels of its series.
func promQuery(t *testing.T, prom, query string) []map[string]string {
	t.Helper()
	data, err := promAPI(prom + "/api/v1/query?" + url.Values{"query": {query}}.Encode())
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var result struct {
		Result []struct {
			Metric map[string]string `json:"metric"`
		} `json:"result"`
	}
	if err := json.Unmarshal(data, &result); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	var out []map[string]string
	for _, r := range result.Result {
		out = append(out, r.Metric)
	}
	return out
}

type promAlert struct {
	Labels map[string]string `json:"labels"`
	State  string            `json:"state"`
}

// promAlerts returns Prometheus's active (pending and firing) alerts.
func promAlerts(t *testing.T, prom string) []promAlert {
	t.Helper()
	data, err := promAPI(prom + "/api/v1/alerts")
	if err != nil {
		t.Fatalf("/api/v1/alerts: %v", err)
	}
	var result struct {
		Alerts []promAlert `json:"alerts"`
	}
	if err := json.Unmarshal(data, &result); err != nil {
		t.Fatal(err)
	}
	return result.Alerts
}

// rulesEvaluatedAfter reports whether every rule group has been evaluated after a time.
func rulesEvaluatedAfter(prom string, after time.Time) bool {
	data, err := promAPI(prom + "/api/v1/rules")
	if err != nil {
		return false
	}
	var result struct {
		Groups []struct {
			LastEvaluation time.Time `json:"lastEvaluation"`
		} `json:"groups"`
	}
	if json.Unmarshal(data, &result) != nil || len(result.Groups) == 0 {
		return false
	}
	for _, g := range result.Groups {
		if g.LastEvaluation.Before(after) {
			return false
		}
	}
	return true
}

// promAPI gets a Prometheus API URL and returns the data of a successful answer.
func promAPI(u string) (json.RawMessage, error) {
	body, err := httpGet(u)
	if err != nil {
		return nil, err
	}
	var answer struct {
		Status string          `json:"status"`
		Data   json.RawMessage `json:"data"`
		Error  string          `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &answer); err != nil {
		return nil, fmt.Errorf("%w: %s", err, body)
	}
	if answer.Status != "success" {
		return nil, fmt.Errorf("%s: %s", answer.Status, answer.Error)
	}
	return answer.Data, nil
}

var e2eClient = &http.Client{Timeout: 5 * time.Second}

func httpGet(u string) (string, error) {
	resp, err := e2eClient.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode/100 != 2 && resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity {
		return "", fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return string(body), nil
}

// lockedBuffer collects a process's output; the test reads it while the process writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startProcess starts a program for the rest of the test; at the end it is asked to stop
// (SIGTERM), and killed if it has not within 10s.
func startProcess(t *testing.T, name, path string, args ...string) *lockedBuffer {
	t.Helper()
	log := &lockedBuffer{}
	cmd := exec.Command(path, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		select {
		case <-exited:
			t.Errorf("%s exited early (%v); its log:\n%s", name, cmd.ProcessState, log)
			return
		default:
		}
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	return log
}

// waitHTTP waits until a URL answers 200.
func waitHTTP(t *testing.T, timeout time.Duration, what, u string, log *lockedBuffer) {
	t.Helper()
	waitLogged(t, timeout, what, log, func() bool {
		resp, err := e2eClient.Get(u)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// waitLogged polls ok until it holds; at the deadline it fails the test with the log of the
// process waited for (the cleanup prints every log on failure in any case).
func waitLogged(t *testing.T, timeout time.Duration, what string, log *lockedBuffer, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			if log != nil {
				t.Fatalf("timed out after %s waiting for %s; log:\n%s", timeout, what, log)
			}
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// writeWorkbook writes one sheet of rows as an .xlsx file, dates formatted as dates.
func writeWorkbook(t *testing.T, path, sheet string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // m/d/yy
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		for j, v := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellValue(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
			if _, isDate := v.(time.Time); isDate {
				if err := f.SetCellStyle(sheet, cell, cell, dateStyle); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func writeText(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// jsonString is a YAML flow sequence of strings (JSON is YAML).
func jsonString(list []string) string {
	sorted := append([]string(nil), list...)
	sort.Strings(sorted)
	data, _ := json.Marshal(sorted)
	return string(data)
}
