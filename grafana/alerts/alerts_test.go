package alerts

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/jkn-exporter/jkn_exporter/lang"
)

// TestGenerated fails while a committed rule file differs from what this package writes.
func TestGenerated(t *testing.T) {
	for _, l := range lang.All() {
		want, err := Render(l, Options{})
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", File(l))
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is not what grafana/alerts writes: run go generate ./grafana/...", path)
		}
	}
}

type file struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []struct {
			Alert       string            `yaml:"alert"`
			Expr        string            `yaml:"expr"`
			For         string            `yaml:"for"`
			KeepFor     string            `yaml:"keep_firing_for"`
			Labels      map[string]string `yaml:"labels"`
			Annotations map[string]string `yaml:"annotations"`
		} `yaml:"rules"`
	} `yaml:"groups"`
}

func parse(t *testing.T, data []byte) file {
	t.Helper()
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLanguages checks that both files hold the same rules with the same texts, each
// language first in its own file, and that region_url appears on the region alerts only,
// and only with an exporter URL.
func TestLanguages(t *testing.T) {
	opts := Options{ExporterURL: "https://jkn.example.go.id/"}
	idData, err := Render(lang.ID, opts)
	if err != nil {
		t.Fatal(err)
	}
	enData, err := Render(lang.EN, opts)
	if err != nil {
		t.Fatal(err)
	}
	id, en := parse(t, idData), parse(t, enData)
	if len(id.Groups) != len(en.Groups) || len(id.Groups) == 0 {
		t.Fatalf("%d groups in Indonesian, %d in English", len(id.Groups), len(en.Groups))
	}
	regions := 0
	for g := range id.Groups {
		for r, ir := range id.Groups[g].Rules {
			er := en.Groups[g].Rules[r]
			if ir.Alert != er.Alert || ir.Expr != er.Expr || ir.For != er.For || ir.KeepFor != er.KeepFor || ir.Labels["severity"] != er.Labels["severity"] {
				t.Errorf("rule %d of group %s differs between the languages: %s, %s", r, id.Groups[g].Name, ir.Alert, er.Alert)
			}
			for idKey, enKey := range map[string]string{"summary": "summary_id", "description": "description_id", "summary_en": "summary", "description_en": "description"} {
				if ir.Annotations[idKey] == "" || ir.Annotations[idKey] != er.Annotations[enKey] {
					t.Errorf("%s: Indonesian %s %q, English file's %s %q", ir.Alert, idKey, ir.Annotations[idKey], enKey, er.Annotations[enKey])
				}
			}
			if ir.Annotations["summary"] == ir.Annotations["summary_en"] {
				t.Errorf("%s: the same summary in both languages", ir.Alert)
			}
			url := ir.Annotations["region_url"]
			if url != "" {
				regions++
				if url != "https://jkn.example.go.id/region/{{ $labels.region_code }}" || er.Annotations["region_url"] != url {
					t.Errorf("%s: region_url %q (English %q)", ir.Alert, url, er.Annotations["region_url"])
				}
			}
			if (url != "") != strings.HasPrefix(ir.Alert, "JKNRegion") {
				t.Errorf("%s: region_url %q", ir.Alert, url)
			}
		}
	}
	if regions != 4 {
		t.Errorf("%d alerts with region_url, want the 4 region alerts", regions)
	}
	plain, err := Render(lang.ID, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(plain, []byte("region_url")) {
		t.Error("region_url without an exporter URL")
	}
}

// TestValidate fails when an alert lacks a text in one language.
func TestValidate(t *testing.T) {
	if err := Validate(Groups()); err != nil {
		t.Fatal(err)
	}
	for name, broken := range map[string]func(*Alert){
		"summary en":     func(a *Alert) { a.Summary.EN = "" },
		"summary id":     func(a *Alert) { a.Summary.ID = "" },
		"description id": func(a *Alert) { a.Description.ID = nil },
		"empty line":     func(a *Alert) { a.Description.EN = append(a.Description.EN, " ") },
	} {
		groups := Groups()
		broken(&groups[1].Alerts[0])
		if err := Validate(groups); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
