// Package alerts holds jkn_exporter's Prometheus alerting rules as Go, with every text a
// person reads in Bahasa Indonesia and in English from one table, and writes them as two rule
// files: grafana/rules/jkn_alerts.yml (Indonesian summary and description, English beside
// them in summary_en and description_en) and grafana/en/rules/jkn_alerts.yml (English first,
// Indonesian beside it in summary_id and description_id). The files are committed; after a
// change here, regenerate them with `go generate ./grafana/...` (the tests fail until then).
package alerts

//go:generate go run ./generate -out ..

import (
	"fmt"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/lang"
)

// Text is a text people read, in both languages.
type Text struct{ ID, EN string }

// In returns the text in l.
func (t Text) In(l lang.Lang) string {
	if l == lang.EN {
		return t.EN
	}
	return t.ID
}

// Lines is a description in both languages, one element per line of the folded YAML
// scalar (Prometheus gets them joined by spaces).
type Lines struct{ ID, EN []string }

// In returns the lines in l.
func (d Lines) In(l lang.Lang) []string {
	if l == lang.EN {
		return d.EN
	}
	return d.ID
}

// Alert is one alerting rule.
type Alert struct {
	// Comment is written above the rule, one element per line.
	Comment       []string
	Name          string
	Expr          string
	For           string
	KeepFiringFor string
	Severity      string
	Summary       Text
	Description   Lines
	// Region is set on the alerts that carry a region's labels: they get a region_url
	// annotation when the exporter's URL is configured.
	Region bool
}

// Group is a rule group.
type Group struct {
	Name   string
	Alerts []Alert
}

// Options are what the operator may set in the generated file.
type Options struct {
	// ExporterURL is the exporter's external URL (https://jkn.example.go.id): when set,
	// every region alert gets a region_url annotation linking to the region's page
	// <ExporterURL>/region/<region_code>. Empty, there is no such annotation.
	ExporterURL string
}

// File is the path of the rule file in l, relative to grafana/.
func File(l lang.Lang) string {
	if l == lang.EN {
		return "en/rules/jkn_alerts.yml"
	}
	return "rules/jkn_alerts.yml"
}

// Validate reports an alert without a text in one of the languages, or with another number
// of description lines in one language than in the other.
func Validate(groups []Group) error {
	for _, g := range groups {
		for _, a := range g.Alerts {
			if a.Summary.ID == "" || a.Summary.EN == "" {
				return fmt.Errorf("alert %s: summary lacks a language", a.Name)
			}
			if len(a.Description.ID) == 0 || len(a.Description.EN) == 0 {
				return fmt.Errorf("alert %s: description lacks a language", a.Name)
			}
			for _, l := range append(append([]string{}, a.Description.ID...), a.Description.EN...) {
				if strings.TrimSpace(l) == "" {
					return fmt.Errorf("alert %s: an empty description line", a.Name)
				}
			}
		}
	}
	return nil
}

// Render writes the rule file in l.
func Render(l lang.Lang, opts Options) ([]byte, error) {
	groups := Groups()
	if err := Validate(groups); err != nil {
		return nil, err
	}
	other := l.Other()
	var b strings.Builder
	b.WriteString(header)
	if l == lang.EN {
		b.WriteString("#\n# This file is the English form of grafana/rules/jkn_alerts.yml: the same rules, summary and\n" +
			"# description in English, summary_id and description_id in Bahasa Indonesia. Load one of the two.\n")
	}
	b.WriteString("groups:\n")
	for gi, g := range groups {
		if gi > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "  - name: %s\n    rules:\n", g.Name)
		for ai, a := range g.Alerts {
			if ai > 0 {
				b.WriteString("\n")
			}
			for _, c := range a.Comment {
				b.WriteString(strings.TrimRight("      # "+c, " ") + "\n")
			}
			fmt.Fprintf(&b, "      - alert: %s\n        expr: |\n", a.Name)
			for _, l := range strings.Split(strings.TrimSpace(a.Expr), "\n") {
				b.WriteString("          " + l + "\n")
			}
			fmt.Fprintf(&b, "        for: %s\n", a.For)
			if a.KeepFiringFor != "" {
				fmt.Fprintf(&b, "        keep_firing_for: %s\n", a.KeepFiringFor)
			}
			fmt.Fprintf(&b, "        labels:\n          severity: %s\n        annotations:\n", a.Severity)
			suffix := "_" + string(other)
			for _, t := range []struct {
				suffix string
				lang   lang.Lang
			}{{"", l}, {suffix, other}} {
				fmt.Fprintf(&b, "          summary%s: %s\n", t.suffix, scalar(a.Summary.In(t.lang)))
				fmt.Fprintf(&b, "          description%s: >-\n", t.suffix)
				for _, line := range a.Description.In(t.lang) {
					b.WriteString("            " + line + "\n")
				}
			}
			if a.Region && opts.ExporterURL != "" {
				fmt.Fprintf(&b, "          region_url: %s/region/{{ $labels.region_code }}\n", strings.TrimRight(opts.ExporterURL, "/"))
			}
			fmt.Fprintf(&b, "          runbook_url: %s#%s\n", runbook, strings.ToLower(a.Name))
		}
	}
	return []byte(b.String()), nil
}

// scalar quotes a plain YAML scalar that would otherwise start a flow mapping.
func scalar(s string) string {
	if strings.HasPrefix(s, "{") {
		return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
	}
	return s
}

const runbook = "https://github.com/jkn-exporter/jkn_exporter/blob/main/grafana/RUNBOOK.md"

const header = `# Alerting rules for jkn_exporter. Each alert has a section in grafana/RUNBOOK.md.
# Generated by grafana/alerts from its Go source (go generate ./grafana/...): do not edit.
#
# The figures change about once a month, when a branch office sends a new sheet, so an alert
# here describes a month's figures and must neither flap nor repeat for them:
#   - for: holds back a sheet that is replaced (corrected) within half an hour;
#   - keep_firing_for: rides out scrape gaps and exporter restarts, which would otherwise
#     resolve every alert and fire it again (a second notification for the same figures);
#   - Alertmanager groups per branch office and repeats rarely (grafana/alertmanager/).
# Region alerts key on jkn_uhc_status, which the exporter computes under the criteria set in
# force ("> 98%" or ">= 95%"...): comparing ratio and target here could disagree with it.
# Annotation queries look back an hour (last_over_time) like keep_firing_for, so that a
# description stays whole during a scrape gap.
# Region alerts keep the labels of the region (region_code, region, level, province,
# branch_office) so Alertmanager can route them to the office's coordinators.
`
