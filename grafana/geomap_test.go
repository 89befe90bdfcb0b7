package grafana

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// geomapTitle is the overview's map panel, in the English set (the Indonesian one is the same
// panel with its texts translated, grafana/dashboards/language.go).
const geomapTitle = "Regions on the map"

// geomapQueries returns the map panel's queries by refId.
func geomapQueries(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	prefix := fmt.Sprintf("en/dashboards/jkn-uhc-overview-en.json: panel %q, query ", geomapTitle)
	for _, q := range dashboardQueries(t) {
		if ref, ok := strings.CutPrefix(q.where, prefix); ok {
			out[ref] = q.expr
		}
	}
	if len(out) == 0 {
		t.Fatalf("the overview dashboard has no panel %q", geomapTitle)
	}
	return out
}

// TestGeomapPanel checks what Grafana's geomap needs of the panel: markers placed by the
// latitude and longitude fields (converted to numbers), coloured by the status and sized by
// the uninsured fields the queries provide, and a view that fits the markers.
func TestGeomapPanel(t *testing.T) {
	data, err := os.ReadFile("en/dashboards/jkn-uhc-overview-en.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Type            string `json:"type"`
			Title           string `json:"title"`
			Transformations []struct {
				ID      string         `json:"id"`
				Options map[string]any `json:"options"`
			} `json:"transformations"`
			Options struct {
				View struct {
					ID string `json:"id"`
				} `json:"view"`
				Layers []struct {
					Type     string `json:"type"`
					Location struct {
						Mode      string `json:"mode"`
						Latitude  string `json:"latitude"`
						Longitude string `json:"longitude"`
					} `json:"location"`
					Config struct {
						Style struct {
							Color struct{ Field string } `json:"color"`
							Size  struct {
								Field string
								Mode  string
							} `json:"size"`
						} `json:"style"`
					} `json:"config"`
				} `json:"layers"`
			} `json:"options"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range d.Panels {
		if p.Type != "geomap" {
			continue
		}
		found = true
		if p.Title != geomapTitle {
			t.Errorf("geomap panel %q", p.Title)
		}
		if p.Options.View.ID != "fit" {
			t.Errorf("view %q: the map must fit the selected province's markers", p.Options.View.ID)
		}
		if len(p.Options.Layers) != 1 {
			t.Fatalf("%d layers, want the markers", len(p.Options.Layers))
		}
		l := p.Options.Layers[0]
		if l.Type != "markers" || l.Location.Mode != "coords" || l.Location.Latitude != "latitude" || l.Location.Longitude != "longitude" {
			t.Errorf("markers layer %+v", l)
		}
		renamed := map[string]bool{}
		var converted []string
		for _, tr := range p.Transformations {
			switch tr.ID {
			case "organize":
				for _, to := range tr.Options["renameByName"].(map[string]any) {
					renamed[to.(string)] = true
				}
			case "convertFieldType":
				for _, c := range tr.Options["conversions"].([]any) {
					c := c.(map[string]any)
					if c["destinationType"] == "number" {
						converted = append(converted, c["targetField"].(string))
					}
				}
			}
		}
		if strings.Join(converted, ",") != "latitude,longitude" {
			t.Errorf("converted to numbers: %v, want latitude and longitude (labels are strings)", converted)
		}
		for _, f := range []string{l.Config.Style.Color.Field, l.Config.Style.Size.Field, "latitude", "longitude", "Region", "Coverage", "Active ratio", "As of"} {
			if !renamed[f] {
				t.Errorf("field %q is not among the panel's fields %v", f, renamed)
			}
		}
		if l.Config.Style.Color.Field != "Status" || l.Config.Style.Size.Field != "Uninsured" || l.Config.Style.Size.Mode != "quad" {
			t.Errorf("markers coloured by %q, sized by %q (%s)", l.Config.Style.Color.Field, l.Config.Style.Size.Field, l.Config.Style.Size.Mode)
		}
	}
	if !found {
		t.Fatal("the overview dashboard has no geomap panel")
	}
	for ref, expr := range geomapQueries(t) {
		if !strings.Contains(expr, "group_left(latitude, longitude) jkn_region_info{") {
			t.Errorf("query %s does not join jkn_region_info's coordinates: %s", ref, expr)
		}
	}
}

// TestGeomapQueriesPromtool evaluates the map's queries, as the dashboard has them, with
// Prometheus's engine (promtool test rules) on series shaped like the exporter's: two
// exporters serving the same regions, a province row and a district without coordinates. Each
// query gives one row per placed regency or city of the selection, with its coordinates.
func TestGeomapQueriesPromtool(t *testing.T) {
	promtool := testtool.Need(t, "promtool")
	region := func(code, name, level string) string {
		return fmt.Sprintf(`region_code=%q,region=%q,level=%q,province="Sumatera Selatan",branch_office="Palembang"`, code, name, level)
	}
	regions := []struct {
		labels, lat, lon                string
		coverage, active, uninsured, st float64
		status                          string
	}{
		{region("16.07", "Kabupaten Banyuasin", "regency"), "-2.88333", "104.38306", 0.9763, 0.8363, 19841, 3, "below_coverage_target"},
		{region("16.71", "Kota Palembang", "city"), "-2.97607", "104.77543", 0.9921, 0.8660, 14211, 0, "meets_targets"},
		{region("16.12", "Kabupaten Penukal Abab Lematang Ilir", "regency"), "-3.21667", "104.0", 0.95, 0.70, 10000, 4, "below_both_targets"},
		{region("16.03", "Kabupaten Muara Enim", "regency"), "-3.65", "103.8", 0.9875, 0.75, 8000, 2, "below_active_target"},
		{region("16", "Sumatera Selatan", "province"), "-3.1155", "104.04794", 0.959, 0.80, 358960, 3, "below_coverage_target"},
	}
	var input strings.Builder
	series := func(name, labels string, value float64) {
		for _, instance := range []string{"exporter-a:10947", "exporter-b:10947"} {
			fmt.Fprintf(&input, "      - series: '%s{job=\"jkn\",instance=%q,%s}'\n        values: '%sx3'\n",
				name, instance, labels, strconv.FormatFloat(value, 'g', -1, 64))
		}
	}
	for _, r := range regions {
		series("jkn_coverage_ratio", r.labels, r.coverage)
		series("jkn_active_ratio", r.labels, r.active)
		series("jkn_uninsured", r.labels, r.uninsured)
		series("jkn_data_as_of_timestamp_seconds", r.labels, 1746057600)
		series("jkn_region_info", r.labels+`,latitude="`+r.lat+`",longitude="`+r.lon+`"`, 1)
		for _, s := range []string{"meets_targets", "below_active_target", "below_coverage_target", "below_both_targets", "unknown"} {
			v := 0.0
			if s == r.status {
				v = 1
			}
			series("jkn_uhc_status", r.labels+`,status="`+s+`"`, v)
		}
	}
	// A district: figures, but no coordinates, hence no row.
	series("jkn_coverage_ratio", region("16.07.01", "Banyuasin I", "district"), 0.9)

	values := map[string]func(i int) float64{
		"A": func(i int) float64 { return regions[i].coverage },
		"B": func(i int) float64 { return regions[i].active },
		"C": func(i int) float64 { return regions[i].uninsured },
		"D": func(i int) float64 { return regions[i].st },
		"E": func(int) float64 { return 1746057600000 },
	}
	queries := geomapQueries(t)
	var tests strings.Builder
	for ref, expr := range queries {
		want, ok := values[ref]
		if !ok {
			t.Errorf("query %s: no expectation; add one", ref)
			continue
		}
		expanded, err := expand(expr, map[string]string{"province": "Sumatera Selatan", "branch_office": ".*"})
		if err != nil {
			t.Fatal(err)
		}
		quoted, _ := json.Marshal(expanded) // a JSON string is a YAML double-quoted one
		fmt.Fprintf(&tests, "      - expr: %s\n        eval_time: 1m\n        exp_samples:\n", quoted)
		for i, r := range regions[:4] { // the province row is not a regency or city
			fmt.Fprintf(&tests, "          - labels: '{%s}'\n            value: %s\n",
				placedLabelsOf(r.labels, r.lat, r.lon), strconv.FormatFloat(want(i), 'g', -1, 64))
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "geomap_test.yml")
	writeText(t, file, "rule_files: []\nevaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n"+
		input.String()+"    promql_expr_test:\n"+tests.String())
	out := run(t, promtool, "test", "rules", file)
	if t.Failed() {
		data, _ := os.ReadFile(file)
		t.Logf("promtool test file:\n%s\n%s", data, out)
	}
}

// placedLabelsOf is the label set the map's queries keep: the region's labels but its level,
// and its coordinates.
func placedLabelsOf(labels, lat, lon string) string {
	var keep []string
	for _, l := range strings.Split(labels, ",") {
		if !strings.HasPrefix(l, "level=") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, ",") + `,latitude="` + lat + `",longitude="` + lon + `"`
}

// checkGeomap runs the map panel's queries against the end-to-end test's Prometheus, with the
// variables of the other dashboard queries (province Sumatera Selatan, office Palembang):
// each returns Banyuasin, Kota Palembang and Musi Banyuasin (served from last month's sheet),
// the office's regencies and cities, with numeric
// latitude and longitude labels inside Indonesia, the join having lost none of them; and the
// status code colours Banyuasin as below its coverage target.
func checkGeomap(t *testing.T, prom string) {
	t.Helper()
	for ref, expr := range geomapQueries(t) {
		expanded, err := expand(expr, e2eVariables)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]map[string]string{}
		for _, s := range promQuery(t, prom, expanded) {
			got[s["region_code"]] = s
		}
		if len(got) != 3 || got["16.07"] == nil || got["16.71"] == nil || got["16.06"] == nil {
			t.Errorf("map query %s returns regions %v, want 16.06, 16.07 and 16.71: %s", ref, got, expanded)
			continue
		}
		for code, s := range got {
			lat, err1 := strconv.ParseFloat(s["latitude"], 64)
			lon, err2 := strconv.ParseFloat(s["longitude"], 64)
			if err1 != nil || err2 != nil || lat < -11.5 || lat > 6.5 || lon < 94 || lon > 142 {
				t.Errorf("map query %s: %s at latitude %q, longitude %q", ref, code, s["latitude"], s["longitude"])
			}
		}
		if got["16.07"]["latitude"] != "-2.88333" || got["16.07"]["longitude"] != "104.38306" {
			t.Errorf("map query %s: Banyuasin at %v, want its reference point", ref, got["16.07"])
		}
		if ref == "D" {
			red := promQuery(t, prom, "("+expanded+") == 3")
			if len(red) != 1 || red[0]["region_code"] != "16.07" {
				t.Errorf("status code 3 (below the coverage target): %v, want Banyuasin only", red)
			}
		}
	}
}
