package grafana

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// englishAnnotations maps the Indonesian file's annotation names to the English file's:
// the same texts, the other language first.
var englishAnnotations = map[string]string{
	"summary":        "summary_id",
	"description":    "description_id",
	"summary_en":     "summary",
	"description_en": "description",
}

// TestPromtoolRulesEnglish runs every promtool test of tests/ against the English rule file
// (en/rules/jkn_alerts.yml) instead of the Indonesian one, with the expected annotations
// renamed: the English file must fire the same alerts with the same texts, English first.
func TestPromtoolRulesEnglish(t *testing.T) {
	promtool := testtool.Need(t, "promtool")
	english, err := filepath.Abs("en/rules/jkn_alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	run(t, promtool, "check", "rules", english)
	tests, err := filepath.Glob("tests/*.yml")
	if err != nil || len(tests) == 0 {
		t.Fatalf("no rule tests: %v", err)
	}
	dir := t.TempDir()
	var converted []string
	alertTests := 0
	for _, file := range tests {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var ruleFiles []any
		for _, rf := range asList(doc["rule_files"]) {
			path := rf.(string)
			if path == "../rules/jkn_alerts.yml" {
				ruleFiles = append(ruleFiles, english)
				alertTests++
				continue
			}
			abs, err := filepath.Abs(filepath.Join("tests", path))
			if err != nil {
				t.Fatal(err)
			}
			ruleFiles = append(ruleFiles, abs)
		}
		doc["rule_files"] = ruleFiles
		for _, tc := range asList(doc["tests"]) {
			for _, at := range asList(tc.(map[string]any)["alert_rule_test"]) {
				for _, exp := range asList(at.(map[string]any)["exp_alerts"]) {
					e := exp.(map[string]any)
					annotations, _ := e["exp_annotations"].(map[string]any)
					if annotations == nil {
						continue
					}
					renamed := map[string]any{}
					for k, v := range annotations {
						if to, ok := englishAnnotations[k]; ok {
							k = to
						}
						renamed[k] = v
					}
					e["exp_annotations"] = renamed
				}
			}
		}
		out, err := yaml.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, filepath.Base(file))
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		converted = append(converted, path)
	}
	if alertTests == 0 {
		t.Fatal("no test of tests/ loads ../rules/jkn_alerts.yml")
	}
	out := run(t, promtool, append([]string{"test", "rules"}, converted...)...)
	if !strings.Contains(out, "SUCCESS") {
		t.Errorf("promtool test rules on the English file:\n%s", out)
	}
}
