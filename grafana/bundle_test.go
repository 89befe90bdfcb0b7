package grafana

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// exporterMetrics are the metric names of the exporter's contract (docs/design.md, issue 1).
var exporterMetrics = []string{
	"jkn_population",
	"jkn_participants",
	"jkn_active_participants",
	"jkn_uninsured",
	"jkn_coverage_ratio",
	"jkn_active_ratio",
	"jkn_participant_active_ratio",
	"jkn_segment_participants",
	"jkn_segment_active_participants",
	"jkn_target_coverage_ratio",
	"jkn_target_active_ratio",
	"jkn_residents_to_register",
	"jkn_participants_to_reactivate",
	"jkn_data_as_of_timestamp_seconds",
	"jkn_uhc_status",
	"jkn_source_up",
	"jkn_source_last_success_timestamp_seconds",
	"jkn_source_ingest_duration_seconds",
	"jkn_source_ingest_errors_total",
	"jkn_source_rows",
	"jkn_source_regions",
	"jkn_data_quality_findings",
	"jkn_source_data_as_of_timestamp_seconds",
	"jkn_exporter_build_info",
	"jkn_region_info",
	"jkn_uhc_criteria_info",
	"jkn_uhc_award_tier",
	"jkn_region_missing",
	"jkn_source_expected_regions",
	"jkn_source_reported_regions",
}

// scrapeMetrics are the series Prometheus itself writes for every target.
var scrapeMetrics = []string{"up"}

// Grafana's variables, as a dashboard with real selections would expand them. Multi-value
// variables are tried with one value, several values and the all value.
var variableSets = []map[string]string{
	{
		"province": "Sumatera Selatan", "branch_office": "Palembang", "region_code": "16.07",
		"source": "kc-palembang", "job": "jkn",
	},
	{
		"province": "(Sumatera Selatan|Bengkulu)", "branch_office": "(Palembang|Bengkulu)", "region_code": "63.03",
		"source": "(kc-palembang|kc-bengkulu)", "job": "(jkn|jkn-staging)",
	},
	{"province": ".*", "branch_office": ".*", "region_code": "16", "source": ".*", "job": ".*"},
}

// globalVariables are Grafana's built-in variables.
var globalVariables = map[string]string{
	"__interval":      "1h",
	"__interval_ms":   "3600000",
	"__rate_interval": "4h",
	"__range":         "30d",
	"__range_s":       "2592000",
	"__range_ms":      "2592000000",
}

// variableRef matches $name, ${name} and ${name:format}.
var variableRef = regexp.MustCompile(`\$\{(\w+)(?::\w+)?\}|\$(\w+)`)

func expand(query string, values map[string]string) (string, error) {
	var unknown []string
	expanded := variableRef.ReplaceAllStringFunc(query, func(ref string) string {
		m := variableRef.FindStringSubmatch(ref)
		name := m[1] + m[2]
		if v, ok := globalVariables[name]; ok {
			return v
		}
		if v, ok := values[name]; ok {
			return v
		}
		unknown = append(unknown, name)
		return ref
	})
	if len(unknown) > 0 {
		return "", fmt.Errorf("unknown variables %v", unknown)
	}
	return expanded, nil
}

// query is one PromQL expression of the bundle and where it comes from.
type query struct {
	where string
	expr  string
	// variables the query may use; nil for rules, which have none.
	variables map[string]bool
}

// dashboardQueries returns the panel queries and the query variables' selectors of the
// committed dashboards, in both languages.
func dashboardQueries(t *testing.T) []query {
	t.Helper()
	files, err := filepath.Glob("dashboards/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no dashboards in grafana/dashboards: %v", err)
	}
	english, err := filepath.Glob("en/dashboards/*.json")
	if err != nil || len(english) != len(files) {
		t.Fatalf("%d English dashboards in grafana/en/dashboards, %d in grafana/dashboards: %v", len(english), len(files), err)
	}
	files = append(files, english...)
	type panel struct {
		Title   string `json:"title"`
		Targets []struct {
			RefID string `json:"refId"`
			Expr  string `json:"expr"`
		} `json:"targets"`
		Panels []json.RawMessage `json:"panels"`
	}
	var queries []query
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var d struct {
			Panels     []panel `json:"panels"`
			Templating struct {
				List []struct {
					Name  string `json:"name"`
					Type  string `json:"type"`
					Query any    `json:"query"`
				} `json:"list"`
			} `json:"templating"`
		}
		if err := json.Unmarshal(data, &d); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		vars := map[string]bool{}
		for _, v := range d.Templating.List {
			vars[v.Name] = true
		}
		for _, v := range d.Templating.List {
			if v.Type != "query" {
				continue
			}
			q, ok := v.Query.(string)
			if !ok {
				t.Errorf("%s: variable %s: query is not a string", file, v.Name)
				continue
			}
			// label_values(selector, label): the selector is PromQL.
			m := regexp.MustCompile(`^label_values\((.+),\s*\w+\)$`).FindStringSubmatch(q)
			if m == nil {
				t.Errorf("%s: variable %s: %q is not label_values(selector, label)", file, v.Name, q)
				continue
			}
			queries = append(queries, query{where: file + ": variable " + v.Name, expr: m[1], variables: vars})
		}
		for _, p := range d.Panels {
			for _, target := range p.Targets {
				queries = append(queries, query{
					where: fmt.Sprintf("%s: panel %q, query %s", file, p.Title, target.RefID), expr: target.Expr, variables: vars,
				})
			}
			if len(p.Panels) > 0 {
				t.Errorf("%s: row %q is collapsed: its panels are not checked", file, p.Title)
			}
		}
	}
	return queries
}

// ruleFile is the part of a Prometheus rule file the tests read.
type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Record        string            `yaml:"record"`
	Alert         string            `yaml:"alert"`
	Expr          string            `yaml:"expr"`
	For           string            `yaml:"for"`
	KeepFiringFor string            `yaml:"keep_firing_for"`
	Labels        map[string]string `yaml:"labels"`
	Annotations   map[string]string `yaml:"annotations"`
}

func readRules(t *testing.T) map[string]ruleFile {
	t.Helper()
	files, err := filepath.Glob("rules/*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule files in grafana/rules: %v", err)
	}
	all := map[string]ruleFile{}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		var rf ruleFile
		if err := dec.Decode(&rf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		all[file] = rf
	}
	return all
}

func ruleQueries(rules map[string]ruleFile) (queries []query, recorded []string) {
	for file, rf := range rules {
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				name := r.Record + r.Alert
				queries = append(queries, query{where: file + ": " + name, expr: r.Expr})
				if r.Record != "" {
					recorded = append(recorded, r.Record)
				}
			}
		}
	}
	return queries, recorded
}

// selectors returns the vector selectors of a parsed expression.
func selectors(expr parser.Expr) []*parser.VectorSelector {
	var vs []*parser.VectorSelector
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		if v, ok := node.(*parser.VectorSelector); ok {
			vs = append(vs, v)
		}
		return nil
	})
	return vs
}

func metricName(v *parser.VectorSelector) string {
	if v.Name != "" {
		return v.Name
	}
	for _, m := range v.LabelMatchers {
		if m.Name == model.MetricNameLabel && m.Type == labels.MatchEqual {
			return m.Value
		}
	}
	return ""
}

// TestQueries parses every query of the dashboards and rules, with Grafana's variables
// expanded, and checks that it names only metrics the exporter exposes or a rule records.
func TestQueries(t *testing.T) {
	p := parser.NewParser(parser.Options{})
	rules := readRules(t)
	rq, recorded := ruleQueries(rules)
	known := map[string]string{}
	for _, m := range exporterMetrics {
		known[m] = "exporter"
	}
	for _, m := range scrapeMetrics {
		known[m] = "scrape"
	}
	for _, m := range recorded {
		if known[m] != "" {
			t.Errorf("recording rule %s is defined twice or shadows a metric", m)
		}
		known[m] = "rule"
	}

	all := append(dashboardQueries(t), rq...)
	for _, q := range all {
		sets := variableSets
		if q.variables == nil {
			sets = []map[string]string{{}}
		}
		undefined := false
		for _, ref := range variableRef.FindAllStringSubmatch(q.expr, -1) {
			name := ref[1] + ref[2]
			if q.variables == nil {
				// A rule is not templated: "$1" is label_replace's, any other "$" a mistake.
				if strings.Trim(name, "0123456789") != "" {
					t.Errorf("%s: $%s in a rule", q.where, name)
					undefined = true
				}
				continue
			}
			if _, global := globalVariables[name]; !global && !q.variables[name] {
				t.Errorf("%s: $%s is not a variable of the dashboard", q.where, name)
				undefined = true
			}
		}
		if undefined {
			continue
		}
		for _, values := range sets {
			expr, err := q.expr, error(nil)
			if q.variables != nil {
				expr, err = expand(q.expr, values)
			}
			if err != nil {
				t.Errorf("%s: %v", q.where, err)
				break
			}
			parsed, err := p.ParseExpr(expr)
			if err != nil {
				t.Errorf("%s: %q: %v", q.where, expr, err)
				continue
			}
			for _, v := range selectors(parsed) {
				name := metricName(v)
				if name == "" {
					t.Errorf("%s: selector %s names no metric", q.where, v)
					continue
				}
				if known[name] == "" {
					t.Errorf("%s: %s is neither an exporter metric nor a recording rule", q.where, name)
				}
				// Rules read the exporter through job="jkn", the scrape job deploy/prometheus.yml
				// defines: another job's metrics of the same name must not mix in.
				if q.variables == nil && known[name] != "rule" && !hasMatcher(v, "job", "jkn") {
					t.Errorf("%s: %s does not select job=\"jkn\"", q.where, v)
				}
			}
		}
	}
}

func hasMatcher(v *parser.VectorSelector, name, value string) bool {
	for _, m := range v.LabelMatchers {
		if m.Name == name && m.Type == labels.MatchEqual && m.Value == value {
			return true
		}
	}
	return false
}

// githubAnchor is the anchor GitHub gives a Markdown heading.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(heading)) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TestAlertConventions checks what routing and the coordinators rely on: a severity, a
// summary, a description and a runbook section for every alert, and the region labels on
// region alerts.
func TestAlertConventions(t *testing.T) {
	runbook, err := os.ReadFile("RUNBOOK.md")
	if err != nil {
		t.Fatal(err)
	}
	anchors := map[string]bool{}
	for _, line := range strings.Split(string(runbook), "\n") {
		if strings.HasPrefix(line, "## ") {
			anchors[githubAnchor(strings.TrimPrefix(line, "## "))] = true
		}
	}
	const runbookURL = "https://github.com/jkn-exporter/jkn_exporter/blob/main/grafana/RUNBOOK.md#"
	p := parser.NewParser(parser.Options{})
	alerts := map[string]bool{}
	for file, rf := range readRules(t) {
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				if r.Alert == "" {
					continue
				}
				where := file + ": " + r.Alert
				alerts[r.Alert] = true
				switch r.Labels["severity"] {
				case "critical", "warning", "info":
				default:
					t.Errorf("%s: severity %q is not critical, warning or info", where, r.Labels["severity"])
				}
				for _, a := range []string{"summary", "description"} {
					if strings.TrimSpace(r.Annotations[a]) == "" {
						t.Errorf("%s: no %s", where, a)
					}
				}
				url := r.Annotations["runbook_url"]
				if !strings.HasPrefix(url, runbookURL) {
					t.Errorf("%s: runbook_url %q does not point into grafana/RUNBOOK.md", where, url)
				} else if anchor := strings.TrimPrefix(url, runbookURL); anchor != strings.ToLower(r.Alert) || !anchors[anchor] {
					t.Errorf("%s: RUNBOOK.md has no section %q", where, r.Alert)
				}
				if strings.HasPrefix(r.Alert, "JKNRegion") {
					// The alert's labels are the series' labels: check that the expression
					// keeps the region's (its outermost selector is a region metric).
					parsed, err := p.ParseExpr(r.Expr)
					if err != nil {
						t.Errorf("%s: %v", where, err)
						continue
					}
					if !keepsLabels(parsed) {
						t.Errorf("%s: the expression aggregates away the region's labels", where)
					}
					if !strings.Contains(r.Annotations["description"], "$labels.region") {
						t.Errorf("%s: the description does not name the region", where)
					}
				}
			}
		}
	}
	for anchor := range anchors {
		found := false
		for a := range alerts {
			if strings.ToLower(a) == anchor {
				found = true
			}
		}
		if !found {
			t.Errorf("RUNBOOK.md section #%s has no alert", anchor)
		}
	}
}

// keepsLabels reports whether an expression keeps its series' labels: no aggregation.
func keepsLabels(expr parser.Expr) bool {
	keeps := true
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		if _, ok := node.(*parser.AggregateExpr); ok {
			keeps = false
		}
		return nil
	})
	return keeps
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestPromtoolRules(t *testing.T) {
	promtool := testtool.Need(t, "promtool")
	rules, err := filepath.Glob("rules/*.yml")
	if err != nil || len(rules) == 0 {
		t.Fatalf("no rule files: %v", err)
	}
	tests, err := filepath.Glob("tests/*.yml")
	if err != nil || len(tests) == 0 {
		t.Fatalf("no rule tests: %v", err)
	}
	run(t, promtool, append([]string{"check", "rules"}, rules...)...)
	run(t, promtool, append([]string{"test", "rules"}, tests...)...)
}

// TestRuleTestsCoverAlerts checks that every alert has a promtool test where it fires and
// one where it does not.
func TestRuleTestsCoverAlerts(t *testing.T) {
	type alertTest struct {
		Alertname string `yaml:"alertname"`
		ExpAlerts []any  `yaml:"exp_alerts"`
	}
	fires, silent := map[string]bool{}, map[string]bool{}
	tests, _ := filepath.Glob("tests/*.yml")
	for _, file := range tests {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var tf struct {
			Tests []struct {
				AlertRuleTest []alertTest `yaml:"alert_rule_test"`
			} `yaml:"tests"`
		}
		if err := yaml.Unmarshal(data, &tf); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for _, test := range tf.Tests {
			for _, at := range test.AlertRuleTest {
				if len(at.ExpAlerts) > 0 {
					fires[at.Alertname] = true
				} else {
					silent[at.Alertname] = true
				}
			}
		}
	}
	for _, rf := range readRules(t) {
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				if r.Alert == "" {
					continue
				}
				if !fires[r.Alert] {
					t.Errorf("no promtool test has %s firing", r.Alert)
				}
				if !silent[r.Alert] {
					t.Errorf("no promtool test has %s not firing", r.Alert)
				}
			}
		}
	}
}

func TestPrometheusConfig(t *testing.T) {
	promtool := testtool.Need(t, "promtool")
	run(t, promtool, "check", "config", "../deploy/prometheus.yml")
}

// TestProvisioning checks that Grafana's provisioning files and the compose file are YAML
// and name the paths the dashboards and datasource use.
func TestProvisioning(t *testing.T) {
	files := []string{
		"provisioning/datasources/prometheus.yml",
		"provisioning/dashboards/jkn.yml",
		"../deploy/docker-compose.yml",
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Errorf("%s: %v", file, err)
		}
	}
	compose, _ := os.ReadFile("../deploy/docker-compose.yml")
	provider, _ := os.ReadFile("provisioning/dashboards/jkn.yml")
	for _, want := range []string{"../grafana/${JKN_LANGUAGE:-.}/dashboards:/etc/jkn/dashboards", "../grafana/provisioning:/etc/grafana/provisioning",
		"../grafana/rules:/etc/jkn/grafana/rules", "../grafana/${JKN_LANGUAGE:-.}/rules/jkn_alerts.yml:/etc/jkn/grafana/rules/jkn_alerts.yml",
		"./prometheus.yml:/etc/jkn/deploy/prometheus.yml",
		"GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH: /etc/jkn/dashboards/jkn-uhc-overview${JKN_LANGUAGE:+-}${JKN_LANGUAGE:-}.json"} {
		if !strings.Contains(string(compose), want) {
			t.Errorf("deploy/docker-compose.yml does not mount %s", want)
		}
	}
	// JKN_LANGUAGE unset (Bahasa Indonesia) and en (English), as compose interpolates them:
	// the mounted files exist, and the home dashboard is the overview of the language.
	for lang, home := range map[string]string{"": "dashboards/jkn-uhc-overview.json", "en": "en/dashboards/jkn-uhc-overview-en.json"} {
		dir, plus := ".", ""
		if lang != "" {
			dir, plus = lang, "-"
		}
		for _, path := range []string{dir + "/dashboards", dir + "/rules/jkn_alerts.yml", home} {
			if _, err := os.Stat(path); err != nil {
				t.Errorf("JKN_LANGUAGE=%q: %v", lang, err)
			}
		}
		if got := "dashboards/jkn-uhc-overview" + plus + lang + ".json"; filepath.Base(got) != filepath.Base(home) {
			t.Errorf("JKN_LANGUAGE=%q: the home dashboard %s, want %s", lang, got, home)
		}
	}
	if !strings.Contains(string(provider), "path: /etc/jkn/dashboards") {
		t.Error("the dashboard provider does not read /etc/jkn/dashboards, where compose mounts them")
	}
}
