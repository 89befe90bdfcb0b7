package grafana

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-jsonnet"
	"github.com/prometheus/prometheus/promql/parser"
	"gopkg.in/yaml.v3"
)

// evalMixin evaluates mixin.libsonnet with go-jsonnet, plus an override of its _config, and
// returns its three fields as JSON values.
func evalMixin(t *testing.T, config string) (rules, alerts, dashboards any) {
	t.Helper()
	vm := jsonnet.MakeVM()
	vm.Importer(&jsonnet.FileImporter{JPaths: []string{"."}})
	out, err := vm.EvaluateAnonymousSnippet("mixin_test.jsonnet", `
local mixin = (import 'mixin.libsonnet') + { _config+:: `+config+` };
{ rules: mixin.prometheusRules, alerts: mixin.prometheusAlerts, dashboards: mixin.grafanaDashboards }`)
	if err != nil {
		t.Fatalf("evaluating mixin.libsonnet: %v", err)
	}
	var fields struct{ Rules, Alerts, Dashboards any }
	if err := json.Unmarshal([]byte(out), &fields); err != nil {
		t.Fatal(err)
	}
	return fields.Rules, fields.Alerts, fields.Dashboards
}

// jsonValue reads a YAML or JSON file as the JSON value it is (numbers float64).
func jsonValue(t *testing.T, path string) any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	data, err = json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	v = nil
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMixin: the mixin yields exactly the committed rule files and dashboards, every one of
// them, recording rules under prometheusRules and alerts under prometheusAlerts.
func TestMixin(t *testing.T) {
	rules, alerts, dashboards := evalMixin(t, "{}")

	files, _ := filepath.Glob("rules/*.yml")
	if want := []string{"rules/jkn_alerts.yml", "rules/jkn_rules.yml"}; !slices.Equal(files, want) {
		t.Fatalf("rule files %v; the mixin reads %v: add a new file to mixin.libsonnet and here", files, want)
	}
	if want := jsonValue(t, "rules/jkn_rules.yml"); !reflect.DeepEqual(rules, want) {
		t.Errorf("prometheusRules differs from rules/jkn_rules.yml:\n%v\nwant\n%v", rules, want)
	}
	if want := jsonValue(t, "rules/jkn_alerts.yml"); !reflect.DeepEqual(alerts, want) {
		t.Errorf("prometheusAlerts differs from rules/jkn_alerts.yml:\n%v\nwant\n%v", alerts, want)
	}
	for field, kind := range map[string]struct {
		value any
		key   string
	}{"prometheusRules": {rules, "record"}, "prometheusAlerts": {alerts, "alert"}} {
		n := 0
		for _, g := range asList(kind.value.(map[string]any)["groups"]) {
			for _, r := range asList(g.(map[string]any)["rules"]) {
				n++
				if _, ok := r.(map[string]any)[kind.key]; !ok {
					t.Errorf("%s holds a rule without %q: %v", field, kind.key, r)
				}
			}
		}
		if n == 0 {
			t.Errorf("%s has no rules", field)
		}
	}

	jsons, _ := filepath.Glob("dashboards/*.json")
	got := dashboards.(map[string]any)
	if len(got) != len(jsons) || len(jsons) == 0 {
		t.Errorf("grafanaDashboards has %d dashboards, dashboards/ %d", len(got), len(jsons))
	}
	for _, file := range jsons {
		name := filepath.Base(file)
		if !reflect.DeepEqual(got[name], jsonValue(t, file)) {
			t.Errorf("grafanaDashboards[%q] differs from %s", name, file)
		}
	}
}

// TestMixinSelector: _config.jknSelector replaces job="jkn" in every rule expression, and the
// expressions still parse.
func TestMixinSelector(t *testing.T) {
	const selector = `job="jkn-exporter", namespace="monitoring"`
	rules, alerts, _ := evalMixin(t, `{ jknSelector: '`+selector+`' }`)
	p := parser.NewParser(parser.Options{})
	for file, value := range map[string]any{"rules/jkn_rules.yml": rules, "rules/jkn_alerts.yml": alerts} {
		want := jsonValue(t, file)
		changed := 0
		for i, g := range asList(want.(map[string]any)["groups"]) {
			gotGroup := asList(value.(map[string]any)["groups"])[i].(map[string]any)
			for j, r := range asList(g.(map[string]any)["rules"]) {
				rule := r.(map[string]any)
				gotRule := asList(gotGroup["rules"])[j].(map[string]any)
				expr := rule["expr"].(string)
				wantExpr := strings.ReplaceAll(expr, `job="jkn"`, selector)
				if wantExpr != expr {
					changed++
				}
				if gotRule["expr"] != wantExpr {
					t.Errorf("%s: %v: expr\n%s\nwant\n%s", file, rule["alert"], gotRule["expr"], wantExpr)
				}
				if _, err := p.ParseExpr(wantExpr); err != nil {
					t.Errorf("%s: with the selector, %q does not parse: %v", file, wantExpr, err)
				}
				// Everything but the expression as committed.
				rule["expr"], gotRule["expr"] = nil, nil
				if !reflect.DeepEqual(rule, gotRule) {
					t.Errorf("%s: the mixin changed more than the expression: %v, want %v", file, gotRule, rule)
				}
			}
		}
		if changed == 0 {
			t.Errorf("%s: no expression selects job=\"jkn\"; the selector changed nothing", file)
		}
	}
}

// TestMixinLanguage: _config.language 'en' yields the English alerts and dashboards, and
// _config.jknExporterURL adds region_url to the region alerts (and to no other).
func TestMixinLanguage(t *testing.T) {
	_, alerts, dashboards := evalMixin(t, `{ language: 'en', jknExporterURL: 'https://jkn.example.go.id/' }`)
	want := jsonValue(t, "en/rules/jkn_alerts.yml")
	withURL := 0
	for i, g := range asList(want.(map[string]any)["groups"]) {
		group := g.(map[string]any)
		gotGroup := asList(alerts.(map[string]any)["groups"])[i].(map[string]any)
		for j, r := range asList(group["rules"]) {
			rule := r.(map[string]any)
			got := asList(gotGroup["rules"])[j].(map[string]any)
			annotations := got["annotations"].(map[string]any)
			url, ok := annotations["region_url"]
			if group["name"] == "jkn-regions" {
				if url != "https://jkn.example.go.id/region/{{ $labels.region_code }}" {
					t.Errorf("%v: region_url %v", rule["alert"], url)
				}
				withURL++
			} else if ok {
				t.Errorf("%v is no region alert but has region_url %v", rule["alert"], url)
			}
			delete(annotations, "region_url")
			if !reflect.DeepEqual(got, rule) {
				t.Errorf("the mixin's English %v differs from en/rules/jkn_alerts.yml's", rule["alert"])
			}
		}
	}
	if withURL == 0 {
		t.Error("no region alert")
	}
	jsons, _ := filepath.Glob("en/dashboards/*.json")
	got := dashboards.(map[string]any)
	if len(got) != len(jsons) || len(jsons) == 0 {
		t.Errorf("grafanaDashboards has %d dashboards, en/dashboards/ %d", len(got), len(jsons))
	}
	for _, file := range jsons {
		if !reflect.DeepEqual(got[filepath.Base(file)], jsonValue(t, file)) {
			t.Errorf("grafanaDashboards[%q] differs from %s", filepath.Base(file), file)
		}
	}
}
