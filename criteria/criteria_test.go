package criteria

import "testing"

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
		s, err := Lookup(tc.set)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.For(Override{Coverage: tc.cov, Active: tc.act}).Status(tc.coverage, tc.active, tc.hasActive); got != tc.want {
			t.Errorf("%s %.4f/%.4f: got %s, want %s", tc.set, tc.coverage, tc.active, got, tc.want)
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	_, err := Lookup("uhc_2030")
	if err == nil || err.Error() != `unknown set "uhc_2030" (known: uhc_2023, uhc_2025, award_2026)` {
		t.Fatalf("got %v", err)
	}
}
