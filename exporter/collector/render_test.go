package collector

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

func record(code, name, branch string, asOf time.Time, pop, part float64) ingest.Record {
	return ingest.Record{
		Region:       jkn.Region{Code: code, Name: name, Level: jkn.LevelRegency, Province: "Sumatera Selatan"},
		BranchOffice: branch, AsOf: asOf,
		Figures: jkn.FiguresOf(map[jkn.Field]float64{jkn.FieldPopulation: pop, jkn.FieldParticipants: part}),
	}
}

func renderer() *Renderer {
	crit, _ := criteria.Lookup("uhc_2025")
	return &Renderer{Criteria: crit}
}

// Label values come from sheets: quotes, backslashes, newlines and invalid
// UTF-8 must still give a valid exposition.
func TestHostileLabelValues(t *testing.T) {
	hostile := "Kab. \"Banyu\\asin\"\nline2 \xff\xfe <script>"
	v := snapshot.View{{Source: "a", Records: []ingest.Record{record("16.07", hostile, "Pa\"lembang", time.Unix(0, 0), 100, 99)}}}
	out := renderer().Render(v)
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(out.Text.String()))
	if err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, out.Text)
	}
	got := ""
	for _, l := range mfs["jkn_population"].GetMetric()[0].GetLabel() {
		if l.GetName() == "region" {
			got = l.GetValue()
		}
	}
	if want := strings.ToValidUTF8(hostile, "\uFFFD"); got != want {
		t.Errorf("region label round-trips as %q, want %q", got, want)
	}
}

func TestSelectNewestAcrossSources(t *testing.T) {
	sep := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	oct := sep.AddDate(0, 1, 0)
	v := snapshot.View{
		{Source: "kc-a", Records: []ingest.Record{record("16.07", "Kabupaten Banyuasin", "A", sep, 100, 90)}},
		{Source: "kc-b", Records: []ingest.Record{record("16.07", "Kabupaten Banyuasin", "B", oct, 100, 95), record("16.06", "Kabupaten Musi Banyuasin", "B", oct, 10, 9)}},
	}
	regions, conflicts := renderer().Select(v)
	if len(regions) != 2 || regions[1].Source != "kc-b" || regions[1].BranchOffice != "B" || regions[1].Derived.Coverage != 0.95 {
		t.Fatalf("regions: %+v", regions)
	}
	if conflicts["kc-a"] != 1 || conflicts["kc-b"] != 0 {
		t.Errorf("conflicts %v: the older source's copy is the one counted", conflicts)
	}
	out := renderer().Render(v)
	if n := strings.Count(out.Text.String(), "jkn_population{region_code=\"16.07\""); n != 1 {
		t.Errorf("16.07 exported %d times", n)
	}
	a, okA := out.Source("kc-a")
	b, okB := out.Source("kc-b")
	if !okA || !okB || a.Regions != 0 || b.Regions != 2 || a.Conflicts != 1 || b.Conflicts != 0 {
		t.Fatalf("sources %+v", out.Sources)
	}
	if a.FindingsByCheck["duplicate_region"] != 1 || len(b.FindingsByCheck) != 0 || !a.NewestAsOf.Equal(sep) || !b.NewestAsOf.Equal(oct) {
		t.Errorf("status of kc-a %+v, kc-b %+v: the conflict is kc-a's duplicate_region finding; newest as-of among all records", a, b)
	}
	if _, ok := out.Source("kc-c"); ok {
		t.Error("a source not in the view has a status")
	}
}

// TestSelectTieAcrossSources: the same region on the same as-of date from
// two sources goes to the source that sorts first, in whatever order the
// view lists them; the other counts a conflict.
func TestSelectTieAcrossSources(t *testing.T) {
	sep := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	a := &snapshot.Snapshot{Source: "kc-a", Records: []ingest.Record{record("16.07", "Kabupaten Banyuasin", "A", sep, 100, 90)}}
	b := &snapshot.Snapshot{Source: "kc-b", Records: []ingest.Record{record("16.07", "Kabupaten Banyuasin", "B", sep, 100, 95)}}
	for _, v := range []snapshot.View{{a, b}, {b, a}} {
		regions, conflicts := renderer().Select(v)
		if len(regions) != 1 || regions[0].Source != "kc-a" || conflicts["kc-b"] != 1 || conflicts["kc-a"] != 0 {
			t.Errorf("view %s, %s: served %+v, conflicts %v; want kc-a's, one conflict of kc-b", v[0].Source, v[1].Source, regions, conflicts)
		}
	}
}

func TestAbsentInputsAbsentSeries(t *testing.T) {
	r := record("16.07", "Kabupaten Banyuasin", "A", time.Unix(0, 0), 0, 0)
	r.Figures = jkn.FiguresOf(map[jkn.Field]float64{jkn.FieldParticipants: 817221})
	out := renderer().Render(snapshot.View{{Source: "a", Records: []ingest.Record{r}}}).Text.String()
	for _, absent := range []string{"jkn_population{", "jkn_coverage_ratio{", "jkn_uninsured{", "jkn_active", "jkn_uhc_status{", "jkn_uhc_award_tier{"} {
		if strings.Contains(out, absent) {
			t.Errorf("%s exported without its input", absent)
		}
	}
	if !strings.Contains(out, "jkn_participants{") {
		t.Error("participants missing")
	}
}

func TestAppendValue(t *testing.T) {
	for v, want := range map[float64]string{817221: "817221", 0.9763: "0.9763", 1.693526400e9: "1693526400", 1e20: "1e+20", -1: "-1"} {
		if got := string(AppendValue(nil, v)); got != want {
			t.Errorf("%v: %s, want %s", v, got, want)
		}
	}
}

// Under by_date each region says the set that judged it; the award tier
// is a StateSet of provinces, regencies and cities only; the regions a
// source's newest sheet leaves out are series with the region's labels and
// the source's, escaped like every label; the self-metrics count the
// expected and reported regions.
func TestRenderRulesFamilies(t *testing.T) {
	sep2023, may2025 := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	old := record("16.07", "Kabupaten Banyuasin", "Palembang", sep2023, 837062, 817221)
	city := record("16.71", "Kota Palembang", "Palembang", may2025, 1000, 990)
	city.Region.Level = jkn.LevelCity
	city.Figures.Set(jkn.FieldActive, 960)
	city.Figures.Set(jkn.FieldPBPUPemda, 180)
	district := record("16.07.01", "Banyuasin I", "Palembang", may2025, 1000, 990)
	district.Region.Level = jkn.LevelDistrict
	hostile := jkn.Region{Code: "16.10", Name: "Ogan \"Ilir\"\n", Level: jkn.LevelRegency, Province: "Sumatera Selatan"}
	v := snapshot.View{{Source: "kc-palembang", BranchOffice: "Palembang", Records: []ingest.Record{old, district, city},
		Completeness: &ingest.Completeness{Basis: ingest.BasisLearned, Expected: 4, Reported: 3, Missing: []ingest.Missing{{Region: hostile}}}}}
	byDate, _ := criteria.Lookup(criteria.ByDate)
	out := (&Renderer{Criteria: byDate}).Render(v)
	text := out.Text.String()
	labels := func(code, name, level string) string {
		return `{region_code="` + code + `",region="` + name + `",level="` + level + `",province="Sumatera Selatan",branch_office="Palembang"`
	}
	for _, want := range []string{
		"jkn_uhc_criteria_info" + labels("16.07", "Kabupaten Banyuasin", "regency") + `,criteria="uhc_2023"} 1`,
		"jkn_uhc_criteria_info" + labels("16.71", "Kota Palembang", "city") + `,criteria="uhc_2025"} 1`,
		"jkn_uhc_criteria_info" + labels("16.07.01", "Banyuasin I", "district") + `,criteria="uhc_2025"} 1`,
		"jkn_target_coverage_ratio" + labels("16.07", "Kabupaten Banyuasin", "regency") + `} 0.95`,
		"jkn_uhc_status" + labels("16.07", "Kabupaten Banyuasin", "regency") + `,status="unknown"} 1`,
		// 99% registered, 96% active, 18% on PBPU Pemda: Utama.
		"jkn_uhc_award_tier" + labels("16.71", "Kota Palembang", "city") + `,tier="utama"} 1`,
		"jkn_uhc_award_tier" + labels("16.71", "Kota Palembang", "city") + `,tier="madya"} 0`,
		// 97.63%, no active figure: below every tier's coverage, so none.
		"jkn_uhc_award_tier" + labels("16.07", "Kabupaten Banyuasin", "regency") + `,tier="none"} 1`,
		`jkn_region_missing{region_code="16.10",region="Ogan \"Ilir\"\n",level="regency",province="Sumatera Selatan",branch_office="Palembang",source="kc-palembang"} 1`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("exposition lacks %s", want)
		}
	}
	if strings.Contains(text, `jkn_uhc_award_tier{region_code="16.07.01"`) {
		t.Error("a district has an award tier")
	}
	if n := strings.Count(text, "jkn_uhc_award_tier{"); n != 10 {
		t.Errorf("%d award tier series, want 5 for each of the regency and the city", n)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	if _, err := parser.TextToMetricFamilies(strings.NewReader(text)); err != nil {
		t.Fatalf("exposition does not parse: %v\n%s", err, text)
	}
	if g, ok := out.NextTier(&out.Regions[0]); !ok || g.Tier != criteria.Pratama {
		t.Errorf("Banyuasin's next tier: %+v %v", g, ok)
	}
	if _, ok := out.NextTier(&out.Regions[1]); ok {
		t.Error("a district has a next tier")
	}

	expo := &Exposition{}
	expo.Store(&State{View: v, Rendered: out})
	reg := prometheus.NewRegistry()
	reg.MustRegister(SourceCollector{Exposition: expo})
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			got[mf.GetName()] = m.GetGauge().GetValue()
		}
	}
	if got["jkn_source_expected_regions"] != 4 || got["jkn_source_reported_regions"] != 3 {
		t.Errorf("completeness self-metrics: %v", got)
	}
}
