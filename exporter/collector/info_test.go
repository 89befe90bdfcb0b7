package collector

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// fakePlaces places the codes it holds.
type fakePlaces map[string]region.Point

func (f fakePlaces) Coordinates(code string) (region.Point, bool) {
	p, ok := f[code]
	return p, ok
}

func TestRegionInfo(t *testing.T) {
	asOf := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	hostile := "Kab. \"Banyu\\asin\"\n<b>"
	district := record("16.07.01", "Banyuasin I", "Palembang", asOf, 80000, 79000)
	district.Region.Level = jkn.LevelDistrict
	v := snapshot.View{{Source: "a", Records: []ingest.Record{
		record("16.07", hostile, "Palembang", asOf, 837062, 817221),
		record("16.71", "Kota Palembang", "Palembang", asOf, 1801367, 1787156),
		district,
	}}}
	rd := renderer()
	rd.Places = fakePlaces{"16.07": {Lat: -2.88333, Lon: 104.38306}, "16.71": {Lat: -2.97607, Lon: 104.77543}, "99.99": {Lat: 1, Lon: 100}}
	out := rd.Render(v)
	text := string(out.Text.Bytes())

	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, text)
	}
	info := mfs["jkn_region_info"]
	if info == nil {
		t.Fatalf("no jkn_region_info in\n%s", text)
	}
	got := map[string]map[string]string{}
	for _, m := range info.GetMetric() {
		if m.GetGauge().GetValue() != 1 {
			t.Errorf("info value %v, want 1", m.GetGauge().GetValue())
		}
		l := map[string]string{}
		for _, p := range m.GetLabel() {
			l[p.GetName()] = p.GetValue()
		}
		got[l["region_code"]] = l
	}
	// The district has no point, and a point for a region not served is
	// not exposed.
	if len(got) != 2 || got["16.07"] == nil || got["16.71"] == nil {
		t.Fatalf("info series for %v, want 16.07 and 16.71", got)
	}
	want := map[string]string{
		"region_code": "16.07", "region": hostile, "level": "regency", "province": "Sumatera Selatan",
		"branch_office": "Palembang", "latitude": "-2.88333", "longitude": "104.38306",
	}
	if len(got["16.07"]) != len(want) {
		t.Errorf("labels %v, want exactly %v", got["16.07"], want)
	}
	for k, w := range want {
		if got["16.07"][k] != w {
			t.Errorf("label %s = %q, want %q", k, got["16.07"][k], w)
		}
	}
	// The labels are the region series' own, so a join on region_code (or
	// on all of them) matches.
	if !strings.Contains(text, `jkn_coverage_ratio{region_code="16.71",region="Kota Palembang",level="regency",province="Sumatera Selatan",branch_office="Palembang"}`) ||
		!strings.Contains(text, `jkn_region_info{region_code="16.71",region="Kota Palembang",level="regency",province="Sumatera Selatan",branch_office="Palembang",latitude="-2.97607",longitude="104.77543"} 1`) {
		t.Errorf("info labels differ from the region's:\n%s", text)
	}
	if len(out.Points) != 2 || out.Points["16.71"] != (region.Point{Lat: -2.97607, Lon: 104.77543}) {
		t.Errorf("Points %v", out.Points)
	}

	// Without places, or with no region placed, there is no family at all.
	for _, places := range []Places{nil, fakePlaces{}} {
		rd.Places = places
		if out := rd.Render(v); strings.Contains(string(out.Text.Bytes()), "jkn_region_info") || len(out.Points) != 0 {
			t.Errorf("places %v: info rendered:\n%s", places, out.Text.Bytes())
		}
	}
}
