package grafana

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
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

// The programs of the Alertmanager the example configuration is written for (0.28, as
// deploy/docker-compose.yml runs it), built from the Go module proxy: Debian bookworm's 0.25
// knows neither bot_token_file nor message_thread_id.
func alertmanagerBin(t *testing.T) string {
	return testtool.GoTool(t, "github.com/prometheus/alertmanager/cmd/alertmanager@"+testtool.Alertmanager)
}

func amtoolBin(t *testing.T) string {
	return testtool.GoTool(t, "github.com/prometheus/alertmanager/cmd/amtool@"+testtool.Alertmanager)
}

// testBotToken is the bot token the tests' configurations read from bot_token_file; the
// Telegram Bot API takes it in the path (/bot<token>/sendMessage).
const testBotToken = "123456789:test-token-from-a-file"

// telegramMessage is one sendMessage request as the Telegram Bot API receives it.
type telegramMessage struct {
	Token, ChatID, ThreadID, ParseMode, Text string
}

// notifications records what Alertmanager sends to the webhook receivers and, posing as the
// Telegram Bot API, to the Telegram receivers.
type notifications struct {
	mu       sync.Mutex
	webhooks map[string][]string          // path -> bodies
	telegram map[string][]telegramMessage // chat id, "/" and topic (message_thread_id) if any
}

func newNotifications() *notifications {
	return &notifications{webhooks: map[string][]string{}, telegram: map[string][]telegramMessage{}}
}

func (n *notifications) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	n.mu.Lock()
	defer n.mu.Unlock()
	if token, ok := strings.CutSuffix(strings.TrimPrefix(r.URL.Path, "/bot"), "/sendMessage"); ok {
		// telebot, Alertmanager's Telegram client, posts the parameters as a JSON object.
		var params map[string]any
		if err := json.Unmarshal(body, &params); err != nil {
			http.Error(w, `{"ok":false,"error_code":400,"description":"Bad Request"}`, http.StatusBadRequest)
			return
		}
		str := func(key string) string {
			if v, ok := params[key]; ok {
				return fmt.Sprint(v)
			}
			return ""
		}
		m := telegramMessage{Token: token, ChatID: str("chat_id"), ThreadID: str("message_thread_id"),
			ParseMode: str("parse_mode"), Text: str("text")}
		key := m.ChatID
		if m.ThreadID != "" {
			key += "/" + m.ThreadID
		}
		n.telegram[key] = append(n.telegram[key], m)
		// What the Telegram Bot API answers.
		fmt.Fprint(w, `{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":1,"type":"supergroup"}}}`)
		return
	}
	n.webhooks[r.URL.Path] = append(n.webhooks[r.URL.Path], string(body))
}

func (n *notifications) hooks(path string) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.webhooks[path]...)
}

// chat returns the messages sent to a Telegram chat ("-100…") or topic ("-100…/12").
func (n *notifications) chat(key string) []telegramMessage {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]telegramMessage(nil), n.telegram[key]...)
}

func (n *notifications) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return fmt.Sprintf("webhooks %v, telegram %v", n.webhooks, n.telegram)
}

// localConfig rewrites the example configuration for a test: webhooks (the offices' hooks
// and the WhatsApp bridge) keep their paths on server, the Telegram API is server and the
// bot token is read from a file the test writes, e-mail is left out (no SMTP server here),
// groups wait a second.
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
	tokenFile := filepath.Join(t.TempDir(), "telegram_bot_token")
	if err := os.WriteFile(tokenFile, []byte(testBotToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, r := range config["receivers"].([]any) {
		receiver := r.(map[string]any)
		delete(receiver, "email_configs")
		for _, w := range asList(receiver["webhook_configs"]) {
			hook := w.(map[string]any)
			u, err := url.Parse(hook["url"].(string))
			if err != nil {
				t.Fatal(err)
			}
			hook["url"] = server + u.Path
		}
		for _, tg := range asList(receiver["telegram_configs"]) {
			tg := tg.(map[string]any)
			if tg["bot_token_file"] != "/etc/alertmanager/secrets/telegram_bot_token" {
				t.Errorf("receiver %s: Telegram bot token not from /etc/alertmanager/secrets/telegram_bot_token: %v", receiver["name"], tg)
			}
			tg["api_url"] = server
			tg["bot_token_file"] = tokenFile
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

const runbook = "https://github.com/jkn-exporter/jkn_exporter/blob/main/grafana/RUNBOOK.md#"

func regionAlert(code, name, province, office, description string) testAlert {
	return testAlert{
		Labels: map[string]string{"alertname": "JKNRegionBelowCoverageTarget", "severity": "warning", "job": "jkn",
			"instance": "jkn-exporter:10947", "region_code": code, "region": name, "level": "regency",
			"province": province, "branch_office": office},
		Annotations: map[string]string{"summary": "JKN coverage of " + name + " is below its target.",
			"description": description, "runbook_url": runbook + "jknregionbelowcoveragetarget"},
	}
}

// wantTelegram checks one sendMessage request: the bot token read from bot_token_file, the
// chat and topic, HTML parse mode and the text.
func wantTelegram(t *testing.T, where string, m telegramMessage, chat, thread, text string) {
	t.Helper()
	if m.Token != testBotToken || m.ChatID != chat || m.ThreadID != thread || m.ParseMode != "HTML" {
		t.Errorf("%s: sendMessage with token %q, chat_id %q, message_thread_id %q, parse_mode %q; want %q, %q, %q, HTML",
			where, m.Token, m.ChatID, m.ThreadID, m.ParseMode, testBotToken, chat, thread)
	}
	if m.Text != text {
		t.Errorf("%s: Telegram text\n%q\nwant\n%q", where, m.Text, text)
	}
}

// TestAlertmanagerNotifications runs the example configuration in Alertmanager: a region
// alert reaches its office's webhook and its regency's topic in the office's Telegram group
// with the JKN texts, a region without a topic of its own goes to the group's General topic
// (escaped for Telegram's HTML), an office with WhatsApp gets the bridge's webhook, and a
// stale source holds back its office's region alerts.
func TestAlertmanagerNotifications(t *testing.T) {
	alertmanager := alertmanagerBin(t)
	got := newNotifications()
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
			t.Logf("alertmanager log:\n%s\nreceived: %s", log.String(), got)
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

	// Indonesian first, English beside it, as the rules write them.
	banyuasin := "Kabupaten Banyuasin (16.07, Sumatera Selatan): 97,63% penduduknya terdaftar di JKN, " +
		"belum memenuhi target 98%; 19.841 penduduk belum terdaftar; " +
		"3.100 penduduk lagi perlu didaftarkan untuk mencapai 98% (posisi data 1 September 2023). " +
		"Kantor cabang: Palembang."
	banyuasinEN := "Kabupaten Banyuasin (16.07, Sumatera Selatan) has 97.63% of its residents registered in JKN, " +
		"which does not meet its target of 98%; 19841 residents are not registered; " +
		"3100 more must be registered to reach 98% (figures as of 2023-09-01). " +
		"Branch office: Palembang."
	withEnglish := regionAlert("16.07", "Kabupaten Banyuasin", "Sumatera Selatan", "Palembang", banyuasin)
	withEnglish.Annotations["description_en"] = banyuasinEN
	// The rules generated with the exporter's URL: the region's page is linked.
	withEnglish.Annotations["region_url"] = "https://jkn.example.go.id/region/16.07"
	// English first, as grafana/en/rules/jkn_alerts.yml writes it, Indonesian beside it.
	englishFirst := regionAlert("16.04", "Kabupaten Lahat", "Sumatera Selatan", "Palembang", "Lahat <test> & co is below target.")
	englishFirst.Annotations["description_id"] = "Lahat di bawah target."
	alerts := []testAlert{
		withEnglish,
		// No topic of its own; what it carries must not break Telegram's HTML.
		englishFirst,
		regionAlert("17.06", "Kabupaten Mukomuko", "Bengkulu", "Bengkulu", "Mukomuko is below target."),
		regionAlert("19.04", "Kabupaten Bangka Tengah", "Kepulauan Bangka Belitung", "Pangkalpinang", "Bangka Tengah is below target."),
		{
			Labels: map[string]string{"alertname": "JKNSourceDataStale", "severity": "warning", "job": "jkn",
				"instance": "jkn-exporter:10947", "source": "kc-bengkulu", "branch_office": "Bengkulu"},
			Annotations: map[string]string{"summary": "Source kc-bengkulu has no new figures.",
				"description": "The newest figures of source kc-bengkulu are 50 days old.",
				"runbook_url": runbook + "jknsourcedatastale"},
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

	// The Palembang office: its webhook, Banyuasin's topic (12) and the General topic.
	waitFor(t, 15*time.Second, "the Palembang notifications", func() bool {
		return len(got.hooks("/jkn/kc-palembang")) > 0 && len(got.chat("-1001234567890/12")) > 0 &&
			len(got.chat("-1001234567890")) > 0
	})
	hook := got.hooks("/jkn/kc-palembang")[0]
	for _, want := range []string{`"receiver":"kc-palembang"`, `"region_code":"16.07"`, `"province":"Sumatera Selatan"`, banyuasin} {
		if !strings.Contains(hook, want) {
			t.Errorf("Palembang's webhook lacks %s:\n%s", want, hook)
		}
	}
	wantTelegram(t, "Banyuasin's topic", got.chat("-1001234567890/12")[0], "-1001234567890", "12",
		"<b>[JKN] KC Palembang: 1 temuan / finding(s)</b>\n"+
			"\n• "+banyuasin+"\n"+
			"<i>"+banyuasinEN+"</i>\n"+
			`<a href="https://jkn.example.go.id/region/16.07">Halaman wilayah / Region page</a>`+"\n"+
			`<a href="`+runbook+`jknregionbelowcoveragetarget">Langkah / What to do</a>`+"\n")
	wantTelegram(t, "Palembang's General topic", got.chat("-1001234567890")[0], "-1001234567890", "",
		"<b>[JKN] KC Palembang: 1 temuan / finding(s)</b>\n"+
			"\n• Lahat &lt;test&gt; &amp; co is below target.\n"+
			"<i>Lahat di bawah target.</i>\n"+
			`<a href="`+runbook+`jknregionbelowcoveragetarget">Langkah / What to do</a>`+"\n")

	// Pangkalpinang: its Telegram group and the WhatsApp bridge, which gets Alertmanager's
	// webhook JSON with the alert's description to send.
	waitFor(t, 15*time.Second, "the Pangkalpinang notifications", func() bool {
		return len(got.hooks("/whatsapp/kc-pangkalpinang")) > 0 && len(got.chat("-1001234567892")) > 0
	})
	var bridge struct {
		Version  string `json:"version"`
		Receiver string `json:"receiver"`
		Status   string `json:"status"`
		Alerts   []struct {
			Labels      map[string]string `json:"labels"`
			Annotations map[string]string `json:"annotations"`
		} `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(got.hooks("/whatsapp/kc-pangkalpinang")[0]), &bridge); err != nil {
		t.Fatal(err)
	}
	if bridge.Version != "4" || bridge.Receiver != "kc-pangkalpinang-whatsapp" || bridge.Status != "firing" ||
		len(bridge.Alerts) != 1 || bridge.Alerts[0].Annotations["description"] != "Bangka Tengah is below target." ||
		bridge.Alerts[0].Labels["region_code"] != "19.04" {
		t.Errorf("the WhatsApp bridge got %+v", bridge)
	}
	wantTelegram(t, "Pangkalpinang's group", got.chat("-1001234567892")[0], "-1001234567892", "",
		"<b>[JKN] KC Pangkalpinang: 1 temuan / finding(s)</b>\n"+
			"\n• Bangka Tengah is below target.\n"+
			`<a href="`+runbook+`jknregionbelowcoveragetarget">Langkah / What to do</a>`+"\n")

	// The Bengkulu office hears of its stale source, not of its region: the region alert waits.
	waitFor(t, 15*time.Second, "the Bengkulu notification", func() bool {
		return len(got.chat("-1001234567891")) > 0
	})
	// Give a held-back or misrouted alert the time to show up.
	time.Sleep(3 * time.Second)
	for _, m := range got.chat("-1001234567891") {
		if !strings.Contains(m.Text, "kc-bengkulu are 50 days old") {
			t.Errorf("Bengkulu's Telegram message lacks the stale source:\n%s", m.Text)
		}
		if strings.Contains(m.Text, "Mukomuko") {
			t.Errorf("Bengkulu's region alert was sent while its source is stale:\n%s", m.Text)
		}
	}
	if m := got.chat("-1001234567890/14"); len(m) > 0 {
		t.Errorf("Kota Palembang's topic, which has no alert, got %v", m)
	}
	for _, m := range got.chat("-1001234567890") {
		if strings.Contains(m.Text, "Banyuasin") {
			t.Errorf("Banyuasin's alert reached the General topic, not only its own:\n%s", m.Text)
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

// TestAlertmanagerConfig checks the example with amtool and tests its routing: every route
// of the tree is the destination of one of the cases, and every receiver is routed to.
func TestAlertmanagerConfig(t *testing.T) {
	amtool := amtoolBin(t)
	const config = "alertmanager/alertmanager.yml"
	run(t, amtool, "check-config", config)

	region := func(alert, code, office, province string) []string {
		return []string{"alertname=" + alert, "severity=warning", "job=jkn", "region_code=" + code,
			"region=Region " + code, "level=regency", "branch_office=" + office, "province=" + province}
	}
	cases := []struct {
		name   string
		labels []string
		want   []string
	}{
		{"regency with a topic: the office, its topic in the office's Telegram group, the province health office",
			region("JKNRegionBelowCoverageTarget", "16.07", "Palembang", "Sumatera Selatan"),
			[]string{"kc-palembang", "kc-palembang-telegram-banyuasin", "dinkes-sumatera-selatan"}},
		{"a district of that regency goes to the regency's topic",
			region("JKNRegionBelowActiveTarget", "16.07.01", "Palembang", "Sumatera Selatan"),
			[]string{"kc-palembang", "kc-palembang-telegram-banyuasin", "dinkes-sumatera-selatan"}},
		{"the other topic",
			region("JKNRegionCoverageDropped", "16.71", "Palembang", "Sumatera Selatan"),
			[]string{"kc-palembang", "kc-palembang-telegram-kota-palembang", "dinkes-sumatera-selatan"}},
		{"regency without a topic: the group's General topic",
			region("JKNRegionBelowCoverageTarget", "16.04", "Palembang", "Sumatera Selatan"),
			[]string{"kc-palembang", "kc-palembang-telegram", "dinkes-sumatera-selatan"}},
		{"active alert of an office in a province without its own route",
			region("JKNRegionBelowActiveTarget", "17.06", "Bengkulu", "Bengkulu"),
			[]string{"kc-bengkulu"}},
		{"office with e-mail, Telegram and WhatsApp",
			region("JKNRegionBelowCoverageTarget", "19.04", "Pangkalpinang", "Kepulauan Bangka Belitung"),
			[]string{"kc-pangkalpinang", "kc-pangkalpinang-whatsapp"}},
		{"drop alert",
			region("JKNRegionCoverageDropped", "63.72", "Banjarmasin", "Kalimantan Selatan"),
			[]string{"kc-banjarmasin"}},
		{"office without a route goes to the operators",
			region("JKNRegionBelowCoverageTarget", "65.71", "Tarakan", "Kalimantan Utara"),
			[]string{"jkn-operators"}},
		{"province route without an office route",
			region("JKNRegionBelowCoverageTarget", "16.04", "Lahat", "Sumatera Selatan"),
			[]string{"dinkes-sumatera-selatan"}},
		{"source alert without a branch office: the operators",
			[]string{"alertname=JKNSourceIngestFailing", "severity=warning", "job=jkn", "source=kc-palembang"},
			[]string{"jkn-operators"}},
		{"source alert with a branch office: the operators, the office and its group's General topic",
			[]string{"alertname=JKNSourceDataStale", "severity=warning", "job=jkn", "source=kc-palembang", "branch_office=Palembang"},
			[]string{"jkn-operators", "kc-palembang", "kc-palembang-telegram"}},
		{"exporter down",
			[]string{"alertname=JKNExporterDown", "severity=critical", "job=jkn", "instance=jkn-exporter:10947"},
			[]string{"jkn-operators"}},
		{"exporter absent",
			[]string{"alertname=JKNExporterAbsent", "severity=critical", "job=jkn"},
			[]string{"jkn-operators"}},
		{"anything else: the default route",
			[]string{"alertname=Watchdog", "job=prometheus"},
			[]string{"jkn-operators"}},
	}
	// The routes each case ends in, as amtool draws them: every route must be one.
	reached := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"config", "routes", "test", "--config.file=" + config, "--tree",
				"--verify.receivers=" + strings.Join(tc.want, ",")}, tc.labels...)
			for _, route := range routeLines(run(t, amtool, args...)) {
				reached[route] = true
			}
		})
	}
	data, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Route     map[string]any `yaml:"route"`
		Receivers []struct {
			Name string `yaml:"name"`
		} `yaml:"receivers"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var count func(route map[string]any) int
	count = func(route map[string]any) int {
		n := 1
		for _, child := range asList(route["routes"]) {
			n += count(child.(map[string]any))
		}
		return n
	}
	all := routeLines(run(t, amtool, "config", "routes", "--config.file="+config))
	if want := count(doc.Route); len(all) != want {
		t.Fatalf("read %d routes out of amtool's tree, the configuration has %d: %q", len(all), want, all)
	}
	for _, route := range all {
		if !reached[route] {
			t.Errorf("no case of this test ends in the route %s", route)
		}
	}

	// Every receiver is routed to: one left out would never be used.
	wanted := map[string]bool{}
	for _, tc := range cases {
		for _, r := range tc.want {
			wanted[r] = true
		}
	}
	for _, r := range doc.Receivers {
		if !wanted[r.Name] {
			t.Errorf("receiver %s is no case's destination", r.Name)
		}
	}
}

// routeLines reads the routes out of amtool's tree: each route as its chain of matchers from
// the root, so that two routes with the same matchers (an office's e-mail and Telegram
// routes) stay apart only by their receiver, which a route that ends there shows. Lines
// without a receiver (routes passed through) are not routes a case ends in.
func routeLines(tree string) []string {
	var out []string
	var chain []string
	for _, line := range strings.Split(tree, "\n") {
		// "│   ├── {matchers}  receiver: name": four runes per level before the branch.
		branch := strings.Index(line, "── ")
		if branch < 0 {
			continue
		}
		depth := (len([]rune(line[:branch])) - 1) / 4
		node := strings.TrimSpace(line[branch+len("── "):])
		node = strings.Replace(node, "  continue: true", "", 1)
		matchers, receiver, ends := strings.Cut(node, "  receiver: ")
		for len(chain) > depth {
			chain = chain[:len(chain)-1]
		}
		chain = append(chain, matchers)
		if ends {
			out = append(out, strings.Join(chain, " / ")+" -> "+receiver)
		}
	}
	return out
}

// TestComposeAlertmanagerVersion: the tests run the Alertmanager deploy/docker-compose.yml
// runs, so that what they check holds there.
func TestComposeAlertmanagerVersion(t *testing.T) {
	compose, err := os.ReadFile("../deploy/docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	if want := "image: prom/alertmanager:" + testtool.Alertmanager + "\n"; !strings.Contains(string(compose), want) {
		t.Errorf("deploy/docker-compose.yml does not run %q, the version the tests build", strings.TrimSpace(want))
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
