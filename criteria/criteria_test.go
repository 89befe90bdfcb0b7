package criteria

import (
	"slices"
	"testing"
	"time"
)

func TestStatus(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	for _, tc := range []struct {
		set              string
		cov, act         *float64
		coverage, active float64
		hasActive        bool
		want             Status
	}{
		// Banjar, 2025-05: 98.51% / 80.05% meets the 2025 set.
		{set: "uhc_2025", coverage: 581578.0 / 590393, active: 472638.0 / 590393, hasActive: true, want: MeetsTargets},
		// The 2025 set is strict: exactly 98% is not above 98%.
		{set: "uhc_2025", coverage: 0.98, active: 0.85, hasActive: true, want: BelowCoverageTarget},
		{set: "award_2026", coverage: 0.98, active: 0.80, hasActive: true, want: MeetsTargets},
		// Bangka Tengah, semester II 2022: 96.55% / 74.93%.
		{set: "uhc_2023", coverage: 0.9655, active: 0.7493, hasActive: true, want: BelowActiveTarget},
		{set: "uhc_2025", coverage: 0.9655, active: 0.7493, hasActive: true, want: BelowBothTargets},
		{set: "uhc_2023", coverage: 0.9, active: 0.8, hasActive: true, want: BelowCoverageTarget},
		// Banyuasin has no active column and misses coverage.
		{set: "uhc_2025", coverage: 0.9763, hasActive: false, want: BelowCoverageTarget},
		{set: "uhc_2023", coverage: 0.9763, hasActive: false, want: Unknown},
		// Banyuasin's own target, 100%, is met only at 100% (not strict).
		{set: "uhc_2025", cov: f(1.0), coverage: 0.9999, active: 0.9, hasActive: true, want: BelowCoverageTarget},
		{set: "uhc_2025", cov: f(1.0), coverage: 1.0, active: 0.9, hasActive: true, want: MeetsTargets},
		// Bangka Tengah's own active target, 98%.
		{set: "uhc_2025", act: f(0.98), coverage: 0.99, active: 0.97, hasActive: true, want: BelowActiveTarget},
	} {
		s, ok := setNamed(tc.set)
		if !ok {
			t.Fatal(tc.set)
		}
		if got := s.For(Override{Coverage: tc.cov, Active: tc.act}).Status(tc.coverage, tc.active, tc.hasActive); got != tc.want {
			t.Errorf("%s %.4f/%.4f: got %s, want %s", tc.set, tc.coverage, tc.active, got, tc.want)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("uhc_2030")
	if err == nil || err.Error() != `unknown criteria "uhc_2030" (known: uhc_2023, uhc_2025, award_2026, by_date)` {
		t.Fatalf("got %v", err)
	}
}

// exactNeeded is the smallest whole n >= 0 with (have+n)/pop above (strict)
// or at the target num/den, in exact rational arithmetic.
func exactNeeded(have, pop int64, num, den int64, strict bool) int64 {
	// (have+n)*den > num*pop, or >= when not strict.
	bound := num * pop // n*den >= bound - have*den (+1 when strict)
	var n int64
	if strict {
		n = bound/den + 1 - have // floor(bound/den) + 1: bound, num and den are positive
	} else {
		n = (bound+den-1)/den - have
	}
	return max(n, 0)
}

// TestToRegisterBoundaries compares ToRegister and ToReactivate with the
// exact answer for every count up to a population of 400 under targets
// strict and not, and checks that the answer agrees with Status: n more
// meets the target, n-1 more does not.
func TestToRegisterBoundaries(t *testing.T) {
	for _, tg := range []struct {
		num, den int64
	}{{95, 100}, {98, 100}, {75, 100}, {80, 100}, {1, 1}, {9999, 10000}, {1, 3}, {6, 5}} {
		target := float64(tg.num) / float64(tg.den)
		for _, strict := range []bool{false, true} {
			ts := Targets{Coverage: target, Active: target, CoverageStrict: strict, ActiveStrict: strict}
			for pop := int64(1); pop <= 400; pop++ {
				for have := int64(0); have <= pop*13/10; have++ {
					want := exactNeeded(have, pop, tg.num, tg.den, strict)
					got := ts.ToRegister(float64(have), float64(pop))
					if got != float64(want) {
						t.Fatalf("target %d/%d strict=%v: %d of %d: ToRegister %v, want %d", tg.num, tg.den, strict, have, pop, got, want)
					}
					if r := ts.ToReactivate(float64(have), float64(pop)); r != got {
						t.Fatalf("target %d/%d strict=%v: %d of %d: ToReactivate %v, ToRegister %v", tg.num, tg.den, strict, have, pop, r, got)
					}
					cov := func(n float64) Status { return ts.Status((float64(have)+n)/float64(pop), 1.5, true) }
					if st := cov(got); st != MeetsTargets && st != BelowActiveTarget {
						t.Fatalf("target %d/%d strict=%v: %d+%v of %d: status %s", tg.num, tg.den, strict, have, got, pop, st)
					}
					if got > 0 {
						if st := cov(got - 1); st != BelowCoverageTarget && st != BelowBothTargets {
							t.Fatalf("target %d/%d strict=%v: %d+%v of %d: status %s, already met", tg.num, tg.den, strict, have, got-1, pop, st)
						}
					}
				}
			}
		}
	}
}

// TestToRegisterFigures: the seed regions, and counts of a nation.
func TestToRegisterFigures(t *testing.T) {
	p, err := Lookup("uhc_2025")
	if err != nil {
		t.Fatal(err)
	}
	s := p.At(time.Time{})
	one := 1.0
	for _, tc := range []struct {
		name      string
		o         Override
		have, pop float64
		register  float64
	}{
		// Banyuasin: 817,221 of 837,062; above 98% takes 820,321.
		{name: "Banyuasin", have: 817221, pop: 837062, register: 3100},
		// Banyuasin's own target: 100%, met at 837,062.
		{name: "Banyuasin 100%", o: Override{Coverage: &one}, have: 817221, pop: 837062, register: 19841},
		// Kota Palembang: 98.25%, met.
		{name: "Palembang", have: 1769902, pop: 1801367, register: 0},
		// Exactly 98% of 100,000 is not above 98%.
		{name: "at the boundary", have: 98000, pop: 100000, register: 1},
		// A nation: 284,438,782 residents.
		{name: "national", have: 278000000, pop: 284438782, register: 750007},
	} {
		ts := s.For(tc.o)
		if got := ts.ToRegister(tc.have, tc.pop); got != tc.register {
			t.Errorf("%s: ToRegister %v, want %v", tc.name, got, tc.register)
		}
	}
	// Active above 80%: 80,000 of 100,000 is not above it; 79,000 needs 1,001.
	for have, want := range map[float64]float64{80000: 1, 79000: 1001, 80001: 0} {
		if got := s.For(Override{}).ToReactivate(have, 100000); got != want {
			t.Errorf("ToReactivate(%v, 100000) = %v, want %v", have, got, want)
		}
	}
}

// by_date judges each as-of date under the set in force on it: uhc_2023
// up to and including 2024-12-31, uhc_2025 from 2025-01-01; a set's name
// judges every date under that set.
func TestPolicyAt(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	byDate, err := Lookup(ByDate)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		policy string
		asOf   time.Time
		want   string
	}{
		{ByDate, day(2022, 12, 31), "uhc_2023"},
		{ByDate, day(2023, 9, 1), "uhc_2023"},
		{ByDate, day(2024, 12, 31), "uhc_2023"},
		{ByDate, day(2025, 1, 1), "uhc_2025"},
		{ByDate, day(2026, 1, 27), "uhc_2025"},
		// A date's last second is still that date.
		{ByDate, day(2024, 12, 31).Add(24*time.Hour - time.Second), "uhc_2023"},
		{"uhc_2025", day(2023, 9, 1), "uhc_2025"},
		{"uhc_2023", day(2025, 5, 1), "uhc_2023"},
		{"award_2026", day(2023, 9, 1), "award_2026"},
	} {
		p, err := Lookup(tc.policy)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.At(tc.asOf).Name; got != tc.want {
			t.Errorf("%s at %s: %s, want %s", tc.policy, tc.asOf.Format(time.DateOnly), got, tc.want)
		}
		if p.Fixed() != (tc.policy != ByDate) {
			t.Errorf("%s: Fixed %v", tc.policy, p.Fixed())
		}
	}
	// Banyuasin, September 2023: 97.63% registered, no active figure. Under
	// the set in force then (>= 95%) coverage is met; under 2025's it is not.
	cov := 817221.0 / 837062
	if got := byDate.At(day(2023, 9, 1)).For(Override{}).Status(cov, 0, false); got != Unknown {
		t.Errorf("Banyuasin 2023 under by_date: %s, want unknown", got)
	}
	if got := byDate.At(day(2025, 9, 1)).For(Override{}).Status(cov, 0, false); got != BelowCoverageTarget {
		t.Errorf("the same figures in 2025 under by_date: %s, want below_coverage_target", got)
	}
	var periods []string
	for _, pd := range byDate.Periods() {
		periods = append(periods, pd.Set.Name+" "+pd.From.Format(time.DateOnly)+".."+pd.Until.Format(time.DateOnly))
	}
	if want := []string{"uhc_2023 0001-01-01..2024-12-31", "uhc_2025 2025-01-01..0001-01-01"}; !slices.Equal(periods, want) {
		t.Errorf("periods %q, want %q", periods, want)
	}
	if got := (Policy{}).At(day(2023, 1, 1)).Name; got != "uhc_2025" {
		t.Errorf("the zero policy judges under %s, want the default uhc_2025", got)
	}
}
