package exporter

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources/demo"
)

// TestNationalDemo reads the national demo through the real parser and
// resolver: all 514 regencies and cities, their real population, plausible
// synthetic figures, nothing rejected, the same at every start.
func TestNationalDemo(t *testing.T) {
	ref := loadRef(t)
	srcs := nationalDemoSources(t)
	if len(srcs) != 1 || srcs[0].Name() != "demo" || srcs[0].Settings.BranchOffice != "Demo (synthetic)" {
		t.Fatalf("sources %+v: want one, named demo, branch office Demo (synthetic)", srcs)
	}
	e, reg := newTestExporter(t, srcs, "")
	start := time.Now()
	snap := e.Ingest(context.Background(), srcs[0])
	took := time.Since(start)
	// About 0.2s; measured by make bench, not asserted (a shared machine).
	t.Logf("national demo built and read in %s", took.Round(time.Millisecond))
	if !snap.Up || snap.RowsRejected != 0 || len(snap.Findings) != 0 || len(snap.Files) != 38 {
		t.Fatalf("up %v, %d files, %d rows rejected, findings %v", snap.Up, len(snap.Files), snap.RowsRejected, snap.Findings)
	}
	st := e.Exposition().Load()
	regions := st.Rendered.Regions
	if len(regions) != 514 || len(st.Rendered.Points) != 514 {
		t.Fatalf("%d regions served, %d placed; want 514 and 514", len(regions), len(st.Rendered.Points))
	}
	statuses := map[criteria.Status]int{}
	var below98, outside90to101, activeOutside int
	for _, r := range regions {
		pop, _ := r.Figure(jkn.FieldPopulation)
		if want, _ := ref.Population(r.Region.Code); int64(pop) != want {
			t.Errorf("%s: population %v, want the 2025 figure %d", r.Region.Code, pop, want)
		}
		if r.Region.Level != "regency" && r.Region.Level != "city" || r.BranchOffice != "Demo (synthetic)" || r.AsOf.Format(time.DateOnly) != "2025-07-01" {
			t.Errorf("%s: level %s, branch office %q, as of %s", r.Region.Code, r.Region.Level, r.BranchOffice, r.AsOf)
		}
		part, _ := r.Figure(jkn.FieldParticipants)
		act, _ := r.Figure(jkn.FieldActive)
		if act > part {
			t.Errorf("%s: %v active of %v participants", r.Region.Code, act, part)
		}
		c, a := r.Derived.Coverage, r.Derived.Active
		// The generator's bounds, give or take the rounding to whole persons.
		const eps = 1e-5
		if c < 0.85-eps || c > 1.012+eps || a < 0.68-eps || a > 0.92+eps {
			t.Errorf("%s: coverage %.4f, active %.4f: implausible", r.Region.Code, c, a)
		}
		if c < 0.90 || c > 1.01 {
			outside90to101++
		}
		if a < 0.70 || a > 0.90 {
			activeOutside++
		}
		if c <= 0.98 {
			below98++
		}
		statuses[r.Status]++
	}
	t.Logf("coverage <= 98%%: %d; coverage outside 90-101%%: %d; active outside 70-90%%: %d; statuses %v",
		below98, outside90to101, activeOutside, statuses)
	// Shape: mostly 90-101%, a realistic share below UHC, every status shown.
	if outside90to101 > 514/20 || activeOutside > 514/10 {
		t.Errorf("too many regions outside the plausible ranges")
	}
	if below98 < 514/5 || below98 > 514/2 {
		t.Errorf("%d of 514 regions below the 98%% coverage target: want a fifth to a half", below98)
	}
	for _, s := range []criteria.Status{criteria.MeetsTargets, criteria.BelowActiveTarget, criteria.BelowCoverageTarget, criteria.BelowBothTargets} {
		if statuses[s] < 514/20 {
			t.Errorf("only %d regions %s", statuses[s], s)
		}
	}

	// Synthetic, and said so: every series carries the demo's labels.
	metrics := scrape(t, e, reg)
	for _, want := range []string{
		`jkn_source_up{branch_office="Demo (synthetic)",source="demo"} 1`,
		`jkn_source_regions{branch_office="Demo (synthetic)",source="demo"} 514`,
		`jkn_population{region_code="63.03",region="Kabupaten Banjar",level="regency",province="Kalimantan Selatan",branch_office="Demo (synthetic)"} 590393`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if n := strings.Count(metrics, "\njkn_region_info{"); n != 514 {
		t.Errorf("%d jkn_region_info series, want 514", n)
	}

	// Deterministic: a second exporter serves the same bytes.
	e2, _ := newTestExporter(t, srcs, "")
	e2.Ingest(context.Background(), srcs[0])
	if string(e2.Exposition().Load().Rendered.Text.Bytes()) != string(st.Rendered.Text.Bytes()) {
		t.Error("the national demo differs between two reads")
	}
	if p, a := demo.SyntheticFigures("63.03", "63", 590393); p == 0 || a == 0 {
		t.Errorf("SyntheticFigures: %d, %d", p, a)
	} else if p2, a2 := demo.SyntheticFigures("63.03", "63", 590393); p2 != p || a2 != a {
		t.Errorf("SyntheticFigures is not deterministic: %d/%d then %d/%d", p, a, p2, a2)
	}
}
