package criteria

import (
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// st builds a Standing of 200,000 residents from per-mille ratios (so the
// boundaries are exact: 990 is 198,000 of 200,000, exactly 0.99); a
// negative active or pemda is a figure the sheet lacks.
func st(coverage, active, pemda float64) Standing {
	const pop = 200000
	s := Standing{Population: pop, Participants: coverage * pop / 1000}
	if active >= 0 {
		s.Active, s.HasActive = active*pop/1000, true
	}
	if pemda >= 0 {
		s.Pemda, s.HasPemda = pemda*pop/1000, true
	}
	return s
}

func TestTier(t *testing.T) {
	a := DefaultAwards()
	for _, tc := range []struct {
		name                   string
		coverage, active, pemd float64
		want                   Tier
	}{
		{"utama at every threshold", 990, 950, 180, Utama},
		{"utama: pemda share just short", 990, 950, 179.995, Madya},
		{"utama: coverage just short", 989.995, 950, 300, Madya},
		{"utama: active just short (still madya)", 990, 949.995, 300, Madya},
		{"utama: pemda share waived at 100% active", 990, 1000, 10, Utama},
		{"utama: waiver needs the full 100%", 990, 999.995, 10, Madya},
		{"madya at its thresholds", 980, 850, 0, Madya},
		{"madya: active just short, no alternative", 980, 849.995, 249.995, Pratama},
		{"madya alternative: pemda 25% with active 80%", 980, 800, 250, Madya},
		{"madya alternative: pemda just short", 980, 800, 249.995, Pratama},
		{"madya alternative: active just short", 980, 799.995, 400, NoTier},
		{"madya needs coverage 98% in either way", 979.995, 900, 400, NoTier},
		{"pratama at its thresholds", 980, 800, 0, Pratama},
		{"pratama: coverage just short", 979.995, 800, 0, NoTier},
		{"pratama: active just short", 980, 799.995, 0, NoTier},
		// Humbang Hasundutan, Pratama in 2026: 98.77% / 81.82%.
		{"humbang hasundutan", 987.7, 818.2, 100, Pratama},
		// Banjar, Madya in 2026: 98.51% / 80.05%, 248,866 of 590,393 on
		// PBPU Pemda (42%): Madya by the alternative only.
		{"banjar", 985.1, 800.5, 421.5, Madya},
		{"coverage above 100% counts as met", 1020, 960, 200, Utama},
		// Without a PBPU Pemda figure the tier is unknown where it decides.
		{"no pemda, utama or madya", 995, 960, -1, TierUnknown},
		{"no pemda, but active 100% waives it", 995, 1000, -1, Utama},
		{"no pemda, madya or pratama", 985, 820, -1, TierUnknown},
		{"no pemda, madya on active alone", 985, 870, -1, Madya},
		{"no pemda, below pratama anyway", 975, 820, -1, NoTier},
		{"no pemda, active below every tier", 985, 790, -1, NoTier},
		// No active figure: every tier needs one, unless coverage rules all out.
		{"no active figure", 990, -1, 300, TierUnknown},
		{"no active figure, coverage too low for any tier", 970, -1, 300, NoTier},
	} {
		if got := a.Tier(st(tc.coverage, tc.active, tc.pemd)); got != tc.want {
			t.Errorf("%s (%.3f%%/%.3f%%/%.3f%%): %s, want %s", tc.name, tc.coverage/10, tc.active/10, tc.pemd/10, got, tc.want)
		}
	}
}

// The thresholds come from the configuration: the reading of Madya as
// 98% active (three press reports) makes Banjar Pratama.
func TestTierConfigured(t *testing.T) {
	a := DefaultAwards()
	a.Madya.Active = 0.98
	a.Madya.PemdaShare = 1.5 // no alternative
	if got := a.Tier(st(985.1, 800.5, 421.5)); got != Pratama {
		t.Errorf("banjar with madya at 98%% active: %s, want pratama", got)
	}
	if bad := a.Check(); len(bad) != 0 {
		t.Errorf("valid thresholds refused: %q", bad)
	}
	a.Utama.Coverage = 99
	if bad := a.Check(); len(bad) != 1 || !strings.Contains(bad[0], "utama.coverage 99 must be a ratio") {
		t.Errorf("99 for 0.99 accepted: %q", bad)
	}
}

func TestNext(t *testing.T) {
	a := DefaultAwards()
	for _, tc := range []struct {
		name                   string
		coverage, active, pemd float64
		want                   string // "" at Utama
	}{
		{"none to pratama: coverage and active", 975, 790, 100,
			"pratama: coverage ≥ 98% (now 97.50%, 1000 more participants) and active ≥ 80% (now 79.00%, 2000 more active participants)"},
		{"pratama to madya, either way", 985, 820, 200,
			"madya: active ≥ 85% (now 82.00%, 6000 more active participants), or PBPU Pemda ≥ 25% of residents (now 20.00%, 10000 more on PBPU Pemda)"},
		{"madya to utama: the higher active threshold counts once", 990, 900, 100,
			"utama: active ≥ 95% (now 90.00%, 10000 more active participants) and PBPU Pemda ≥ 18% of residents (now 10.00%, 16000 more on PBPU Pemda), or active ≥ 100% (now 90.00%, 20000 more active participants)"},
		{"madya to utama: what both ways need comes first", 985, 860, 100,
			"utama: coverage ≥ 99% (now 98.50%, 1000 more participants) and either active ≥ 95% (now 86.00%, 18000 more active participants) and PBPU Pemda ≥ 18% of residents (now 10.00%, 16000 more on PBPU Pemda), or active ≥ 100% (now 86.00%, 28000 more active participants)"},
		{"madya to utama with the Pemda share met: the 100% way needs more, and is left out", 985, 860, 300,
			"utama: coverage ≥ 99% (now 98.50%, 1000 more participants) and active ≥ 95% (now 86.00%, 18000 more active participants)"},
		{"unknown between madya and pratama: the sheet lacks the figure", 985, 820, -1,
			"madya: active ≥ 85% (now 82.00%, 6000 more active participants), or PBPU Pemda ≥ 25% of residents (the sheet has no PBPU Pemda figure)"},
		{"no active figure", 990, -1, 300, "pratama: active ≥ 80% (the sheet has no active figure)"},
		{"a fraction of a person rounds up", 979.99, 800, 0, "pratama: coverage ≥ 98% (now 98.00%, 2 more participants)"},
		{"utama has no next tier", 990, 950, 180, ""},
	} {
		g, ok := a.Next(st(tc.coverage, tc.active, tc.pemd))
		got := ""
		if ok {
			got = g.String()
		}
		if got != tc.want {
			t.Errorf("%s:\ngot  %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestAwarded(t *testing.T) {
	for l, want := range map[jkn.Level]bool{jkn.LevelProvince: true, jkn.LevelRegency: true, jkn.LevelCity: true,
		jkn.LevelDistrict: false, jkn.LevelVillage: false} {
		if Awarded(l) != want {
			t.Errorf("Awarded(%s) = %v", l, !want)
		}
	}
}
