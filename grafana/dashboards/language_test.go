package dashboards

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/lang"
)

// TestUIDs: each dashboard's UID in each language, as Grafana links, bookmarks and the
// exporter's region page (exporter/web: /d/jkn-region-detail) know them. A change here breaks
// every saved link: keep them.
func TestUIDs(t *testing.T) {
	files, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"jkn-uhc-overview.json":                        "jkn-uhc-overview",
		"jkn-region-detail.json":                       "jkn-region-detail",
		"jkn-exporter-health.json":                     "jkn-exporter-health",
		"../en/dashboards/jkn-uhc-overview-en.json":    "jkn-uhc-overview-en",
		"../en/dashboards/jkn-region-detail-en.json":   "jkn-region-detail-en",
		"../en/dashboards/jkn-exporter-health-en.json": "jkn-exporter-health-en",
	}
	if got := slices.Sorted(maps.Keys(files)); !slices.Equal(got, slices.Sorted(maps.Keys(want))) {
		t.Fatalf("files %v, want %v", got, slices.Sorted(maps.Keys(want)))
	}
	for name, uid := range want {
		var d struct {
			UID   string `json:"uid"`
			Title string `json:"title"`
			Tags  []string
			Links []struct {
				Tags []string `json:"tags"`
			} `json:"links"`
		}
		if err := json.Unmarshal(files[name], &d); err != nil {
			t.Fatal(err)
		}
		if d.UID != uid {
			t.Errorf("%s: uid %q, want %q", name, d.UID, uid)
		}
		// Each set's dashboard links list its own language's dashboards.
		tag := "jkn"
		if strings.HasSuffix(uid, "-en") {
			tag = "jkn-en"
		}
		if !slices.Contains(d.Tags, tag) || slices.Contains(d.Tags, map[string]string{"jkn": "jkn-en", "jkn-en": "jkn"}[tag]) {
			t.Errorf("%s: tags %v, want %s and not the other set's", name, d.Tags, tag)
		}
		for _, l := range d.Links {
			if !slices.Equal(l.Tags, []string{tag}) {
				t.Errorf("%s: a dashboard link with tags %v, want [%s]", name, l.Tags, tag)
			}
		}
	}
	// A link between dashboards stays within its language.
	if !strings.Contains(string(files["../en/dashboards/jkn-uhc-overview-en.json"]), `"/d/jkn-region-detail-en?`) ||
		!strings.Contains(string(files["jkn-uhc-overview.json"]), `"/d/jkn-region-detail?`) {
		t.Error("the overview's region links do not lead to the region dashboard of their language")
	}
}

// TestIndonesian: the Indonesian set has every text from the table and no English left in
// the fields people read; the table holds no entry that no dashboard uses.
func TestIndonesian(t *testing.T) {
	files, used, err := build()
	if err != nil {
		t.Fatal(err)
	}
	for en := range indonesian {
		if !used[en] {
			t.Errorf("indonesian.go: %q is in no dashboard any more: delete it", en)
		}
		if strings.TrimSpace(indonesian[en]) == "" {
			t.Errorf("indonesian.go: %q has an empty Indonesian text", en)
		}
	}
	var d struct {
		Title  string `json:"title"`
		Panels []struct {
			Title       string `json:"title"`
			Description string `json:"description"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(files["jkn-uhc-overview.json"], &d); err != nil {
		t.Fatal(err)
	}
	if d.Title != "JKN / Ringkasan UHC" || d.Panels[0].Title != "Pilihan" {
		t.Errorf("the Indonesian overview's title %q, first row %q", d.Title, d.Panels[0].Title)
	}
}

// TestMissingText: a text without an Indonesian entry fails the build, naming the text.
func TestMissingText(t *testing.T) {
	tr := translator{lang: lang.ID, table: map[string]string{"Coverage": "Cakupan"}, used: map[string]bool{}}
	_, err := tr.translate([]byte(`{"title":"Coverage","panels":[{"title":"A panel nobody translated","targets":[{"expr":"up","legendFormat":"{{instance}}"}]}]}`))
	if err == nil || !strings.Contains(err.Error(), "A panel nobody translated") {
		t.Errorf("a text without an Indonesian entry: %v", err)
	}
	if strings.Contains(err.Error(), "instance") {
		t.Errorf("a legend of placeholders only needs no translation: %v", err)
	}
	out, err := (&translator{lang: lang.ID, table: map[string]string{"Coverage": "Cakupan", "Region": "Wilayah"}, used: map[string]bool{}}).
		translate([]byte(`{"uid":"jkn-uhc-overview","title":"Coverage","fieldConfig":{"overrides":[{"matcher":{"id":"byName","options":"Region"},"properties":[{"id":"displayName","value":"Region"}]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"uid":"jkn-uhc-overview","title":"Cakupan","fieldConfig":{"overrides":[{"matcher":{"id":"byName","options":"Wilayah"},"properties":[{"id":"displayName","value":"Wilayah"}]}]}}`; string(out) != want {
		t.Errorf("translated\n%s\nwant\n%s", out, want)
	}
}
