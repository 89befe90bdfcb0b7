package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/template"
	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// monthly is what the Palembang office sends in the end-to-end test:
// participants of Banyuasin (16.07) and Palembang (16.71) per month.
var monthly = []struct {
	asOf                 time.Time
	banyuasin, palembang int64
}{
	{time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), 820_000, 1_650_000},
	{time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), 821_500, 1_651_000},
	{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 822_000, 1_652_000},
	{time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), 823_300, 1_653_000},
}

// writeMonthlyInbox fills the province template once per month, as the
// office would, and adds a truncated workbook that must be skipped.
func writeMonthlyInbox(t *testing.T, dir string) {
	t.Helper()
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range monthly {
		tpl, err := template.New(ref, "16", template.LevelRegency)
		if err != nil {
			t.Fatal(err)
		}
		f := tpl.File
		if err := f.SetCellValue(template.DataSheet, template.AsOfCell, m.asOf); err != nil {
			t.Fatal(err)
		}
		for i, reg := range tpl.Regions {
			var pop, part int64
			switch reg.Code {
			case "16.07":
				pop, part = 860_000, m.banyuasin
			case "16.71":
				pop, part = 1_710_000, m.palembang
			default:
				continue // the other regencies stay blank
			}
			for field, v := range map[jkn.Field]int64{jkn.FieldPopulation: pop, jkn.FieldParticipants: part} {
				cell, err := tpl.Cell(field, i)
				if err != nil {
					t.Fatal(err)
				}
				if err := f.SetCellValue(template.DataSheet, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
		data, err := tpl.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(dir, "rekap_16_"+m.asOf.Format(time.DateOnly)+".xlsx")
		writeFile(t, name, string(data))
		sent := m.asOf.AddDate(0, 0, 3)
		if err := os.Chtimes(name, sent, sent); err != nil {
			t.Fatal(err)
		}
		if m.asOf.Month() == time.April {
			bad := filepath.Join(dir, "rekap_16_rusak.xlsx")
			writeFile(t, bad, string(data[:len(data)/2])) // a broken upload
			if err := os.Chtimes(bad, sent, sent); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestBackfillIntoPrometheus runs the three steps of docs/backfill.md:
// backfill, promtool tsdb create-blocks-from openmetrics, Prometheus on
// the blocks; then asks Prometheus for each month's value.
func TestBackfillIntoPrometheus(t *testing.T) {
	promtool := testtool.Need(t, "promtool")
	prometheus := testtool.Need(t, "prometheus")
	work := t.TempDir()
	inbox := filepath.Join(work, "inbox")
	if err := os.Mkdir(inbox, 0o755); err != nil {
		t.Fatal(err)
	}
	writeMonthlyInbox(t, inbox)
	cfg := filepath.Join(work, "jkn.yml")
	writeFile(t, cfg, fmt.Sprintf("sources:\n  - name: kc-palembang\n    path: %s\n    branch_office: Palembang\n    province: Sumatera Selatan\n", inbox))

	// Step 1: an existing directory as --out gets history.om; the labels
	// are those deploy/prometheus.yml's scrape gives the live series.
	code, stdout, stderr := runCmd("--config.file="+cfg, "backfill", "--out="+work, "--label=job=jkn", "--label=instance=jkn_exporter:10947")
	if code != 0 {
		t.Fatalf("backfill exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"skipped file (corrupt) kc-palembang/rekap_16_rusak.xlsx: ",
		"summary: 1 sources, 5 files (1 rejected), 0 rows rejected, 2 regions, 4 as-of dates in 4 months (2025-01-01 to 2025-04-01), ",
		"wrote " + filepath.Join(work, "history.om"),
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("backfill report lacks %q:\n%s", want, stderr)
		}
	}
	om := filepath.Join(work, "history.om")

	// Step 2.
	data := filepath.Join(work, "data")
	if out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", om, data).CombinedOutput(); err != nil {
		t.Fatalf("promtool: %v\n%s", err, out)
	}

	// Step 3: Prometheus drops blocks older than its retention, so it
	// covers the history.
	promCfg := filepath.Join(work, "prometheus.yml")
	writeFile(t, promCfg, "global:\n  scrape_interval: 1m\n")
	addr := testtool.FreeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	prom := exec.CommandContext(ctx, prometheus, "--config.file="+promCfg, "--storage.tsdb.path="+data,
		"--storage.tsdb.retention.time=10y", "--web.listen-address="+addr)
	prom.Cancel = func() error { return prom.Process.Signal(os.Interrupt) }
	prom.WaitDelay = 10 * time.Second
	logs := &syncBuffer{}
	prom.Stdout, prom.Stderr = logs, logs
	if err := prom.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = prom.Wait()
	})
	waitReady(t, "http://"+addr+"/-/ready", logs)

	// A range query stepping a day from the first as-of date: the samples
	// sit at midnight of the 1st, so only those steps fall inside the
	// 5-minute lookback, and exactly the four months come back.
	var want []string
	for _, m := range monthly {
		want = append(want, fmt.Sprintf("%d=%d", m.asOf.Unix(), m.banyuasin))
	}
	q := url.Values{
		"query": {`jkn_participants{region_code="16.07"}`},
		"start": {fmt.Sprint(monthly[0].asOf.Unix())}, "end": {fmt.Sprint(monthly[len(monthly)-1].asOf.Unix())},
		"step": {"86400"},
	}
	res := promQuery(t, "http://"+addr+"/api/v1/query_range?"+q.Encode())
	if len(res) != 1 {
		t.Fatalf("query_range: %d series, want 1: %+v", len(res), res)
	}
	if got := res[0].points(); !slices.Equal(got, want) {
		t.Errorf("jkn_participants{region_code=\"16.07\"} = %v, want %v", got, want)
	}
	if l := res[0].Metric; l["region"] != "Kabupaten Banyuasin" || l["branch_office"] != "Palembang" || l["level"] != "regency" ||
		l["province"] != "Sumatera Selatan" || l["job"] != "jkn" || l["instance"] != "jkn_exporter:10947" {
		t.Errorf("labels %v", l)
	}
	// Instant queries at each as-of date, for the other region and a ratio.
	for _, m := range monthly {
		q := url.Values{"query": {`jkn_participants{region_code="16.71"} / jkn_population{region_code="16.71"} == jkn_coverage_ratio{region_code="16.71"}`},
			"time": {fmt.Sprint(m.asOf.Unix())}}
		res := promQuery(t, "http://"+addr+"/api/v1/query?"+q.Encode())
		if len(res) != 1 || res[0].Value[1] != fmt.Sprint(float64(m.palembang)/1_710_000) {
			t.Errorf("coverage of Palembang at %s: %+v, want %d / 1710000", m.asOf.Format(time.DateOnly), res, m.palembang)
		}
	}
}

// waitReady waits for another server (Prometheus) to answer 200 at u.
func waitReady(t *testing.T, u string, logs fmt.Stringer) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(u); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("%s not ready in 60s; logs:\n%s", u, logs)
}

// promSeries is one series of a Prometheus query result (matrix or vector).
type promSeries struct {
	Metric map[string]string `json:"metric"`
	Values [][2]any          `json:"values"`
	Value  [2]any            `json:"value"`
}

// points renders a matrix series as "unix=value".
func (s promSeries) points() []string {
	var out []string
	for _, v := range s.Values {
		out = append(out, fmt.Sprintf("%.0f=%s", v[0], v[1]))
	}
	return out
}

func promQuery(t *testing.T, u string) []promSeries {
	t.Helper()
	var body struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []promSeries `json:"result"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(get(t, u)), &body); err != nil || body.Status != "success" {
		t.Fatalf("%s: %v %s %s", u, err, body.Status, body.Error)
	}
	return body.Data.Result
}
