package grafana

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// notifications records what Alertmanager sends to the webhook and Telegram receivers.
type notifications struct {
	mu       sync.Mutex
	webhooks map[string][]string // path -> bodies
	telegram map[string][]string // chat id -> message texts
}

func (n *notifications) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	n.mu.Lock()
	defer n.mu.Unlock()
	if strings.HasSuffix(r.URL.Path, "/sendMessage") {
		var msg struct {
			ChatID string `json:"chat_id"`
			Text   string `json:"text"`
		}
		_ = json.Unmarshal(body, &msg)
		n.telegram[msg.ChatID] = append(n.telegram[msg.ChatID], msg.Text)
		// What the Telegram Bot API answers.
		fmt.Fprint(w, `{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":1,"type":"group"}}}`)
		return
	}
	n.webhooks[r.URL.Path] = append(n.webhooks[r.URL.Path], string(body))
}

func (n *notifications) get(kind, key string) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	if kind == "telegram" {
		return append([]string(nil), n.telegram[key]...)
	}
	return append([]string(nil), n.webhooks[key]...)
}

// localConfig rewrites the example configuration for a test: webhooks and the Telegram API
// point at server, e-mail is left out (no SMTP server here), groups wait a second.
func localConfig(t *testing.T, server string) []byte {
	t.Helper()
	data, err := os.ReadFile("alertmanager/alertmanager.yml")
	if err != nil {
		t.Fatal(err)
	}
	var config map[string]any
	if err := yaml.Unmarshal(data, &config); err != nil {
		t.Fatal(err)
	}
	for _, r := range config["receivers"].([]any) {
		receiver := r.(map[string]any)
		delete(receiver, "email_configs")
		for _, w := range asList(receiver["webhook_configs"]) {
			hook := w.(map[string]any)
			hook["url"] = strings.Replace(hook["url"].(string), "https://hooks.example.org", server, 1)
		}
		for _, tg := range asList(receiver["telegram_configs"]) {
			tg.(map[string]any)["api_url"] = server
		}
		// A receiver without integrations is valid: it drops what it gets.
	}
	var fast func(route map[string]any)
	fast = func(route map[string]any) {
		if _, ok := route["group_wait"]; ok {
			route["group_wait"] = "1s"
		}
		for _, child := range asList(route["routes"]) {
			fast(child.(map[string]any))
		}
	}
	route := config["route"].(map[string]any)
	fast(route)
	route["group_wait"] = "1s"
	out, err := yaml.Marshal(config)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func asList(v any) []any {
	list, _ := v.([]any)
	return list
}

type testAlert struct {
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

// TestAlertmanagerNotifications runs the example configuration in Debian's Alertmanager:
// a region alert reaches its office's webhook and Telegram chat with the JKN texts, and a
// stale source holds back its office's region alerts.
func TestAlertmanagerNotifications(t *testing.T) {
	alertmanager := testtool.Need(t, "prometheus-alertmanager")
	got := &notifications{webhooks: map[string][]string{}, telegram: map[string][]string{}}
	server := httptest.NewServer(got)
	defer server.Close()

	dir := t.TempDir()
	template, err := os.ReadFile("alertmanager/jkn.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "jkn.tmpl"), template, 0o644); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, "alertmanager.yml")
	if err := os.WriteFile(config, localConfig(t, server.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	address := testtool.FreeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log bytes.Buffer
	cmd := exec.CommandContext(ctx, alertmanager,
		"--config.file="+config,
		"--storage.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+address,
		"--cluster.listen-address=",
	)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("alertmanager log:\n%s", log.String())
		}
	}()
	api := "http://" + address
	waitFor(t, 10*time.Second, "Alertmanager ready", func() bool {
		resp, err := http.Get(api + "/-/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})

	banyuasin := "Kabupaten Banyuasin (16.07, Sumatera Selatan) has 97.63% of its residents registered in JKN, " +
		"which does not meet its target of 98%; 19841 residents are not registered (figures as of 2023-09-01). " +
		"Branch office: Palembang."
	region := func(code, name, province, office, description string) testAlert {
		return testAlert{
			Labels: map[string]string{"alertname": "JKNRegionBelowCoverageTarget", "severity": "warning", "job": "jkn",
				"instance": "jkn-exporter:10947", "region_code": code, "region": name, "level": "regency",
				"province": province, "branch_office": office},
			Annotations: map[string]string{"summary": "JKN coverage of " + name + " is below its target.",
				"description": description,
				"runbook_url": "https://github.com/jkn-exporter/jkn_exporter/blob/main/grafana/RUNBOOK.md#jknregionbelowcoveragetarget"},
		}
	}
	alerts := []testAlert{
		region("16.07", "Kabupaten Banyuasin", "Sumatera Selatan", "Palembang", banyuasin),
		region("17.06", "Kabupaten Mukomuko", "Bengkulu", "Bengkulu", "Mukomuko is below target."),
		{
			Labels: map[string]string{"alertname": "JKNSourceDataStale", "severity": "warning", "job": "jkn",
				"instance": "jkn-exporter:10947", "source": "kc-bengkulu", "branch_office": "Bengkulu"},
			Annotations: map[string]string{"summary": "Source kc-bengkulu has no new figures.",
				"description": "The newest figures of source kc-bengkulu are 50 days old.",
				"runbook_url": "https://github.com/jkn-exporter/jkn_exporter/blob/main/grafana/RUNBOOK.md#jknsourcedatastale"},
		},
	}
	body, _ := json.Marshal(alerts)
	resp, err := http.Post(api+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("posting alerts: %s", resp.Status)
	}

	// The Palembang office: its webhook and its Telegram chat, with the region's annotations.
	waitFor(t, 15*time.Second, "the Palembang notifications", func() bool {
		return len(got.get("webhook", "/jkn/kc-palembang")) > 0 && len(got.get("telegram", "-1001234567890")) > 0
	})
	hook := got.get("webhook", "/jkn/kc-palembang")[0]
	for _, want := range []string{`"receiver":"kc-palembang"`, `"region_code":"16.07"`, `"province":"Sumatera Selatan"`, banyuasin} {
		if !strings.Contains(hook, want) {
			t.Errorf("Palembang's webhook lacks %s:\n%s", want, hook)
		}
	}
	message := got.get("telegram", "-1001234567890")[0]
	for _, want := range []string{"<b>[JKN] KC Palembang: 1 finding(s)</b>", banyuasin, `RUNBOOK.md#jknregionbelowcoveragetarget">What to do</a>`} {
		if !strings.Contains(message, want) {
			t.Errorf("Palembang's Telegram message lacks %q:\n%s", want, message)
		}
	}

	// The Bengkulu office hears of its stale source, not of its region: the region alert waits.
	waitFor(t, 15*time.Second, "the Bengkulu notification", func() bool {
		return len(got.get("telegram", "-1001234567891")) > 0
	})
	// Give a held-back alert the time to show up wrongly.
	time.Sleep(3 * time.Second)
	for _, m := range got.get("telegram", "-1001234567891") {
		if !strings.Contains(m, "kc-bengkulu are 50 days old") {
			t.Errorf("Bengkulu's Telegram message lacks the stale source:\n%s", m)
		}
		if strings.Contains(m, "Mukomuko") {
			t.Errorf("Bengkulu's region alert was sent while its source is stale:\n%s", m)
		}
	}
	got.mu.Lock()
	defer got.mu.Unlock()
	for path, bodies := range got.webhooks {
		for _, b := range bodies {
			if strings.Contains(b, "Mukomuko") {
				t.Errorf("%s received Bengkulu's region alert while its source is stale", path)
			}
		}
	}
}

func waitFor(t *testing.T, timeout time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
