package criteria

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// Tier is a region's category under the UHC Award 2026 criteria: the
// `tier` label of the jkn_uhc_award_tier StateSet.
type Tier string

// The tiers, highest first, and the two states that are no tier.
const (
	Utama   Tier = "utama"
	Madya   Tier = "madya"
	Pratama Tier = "pratama"
	// NoTier: the figures meet no tier's thresholds.
	NoTier Tier = "none"
	// TierUnknown: the tier depends on a figure the sheet does not carry
	// (the active count, or the PBPU Pemda segment).
	TierUnknown Tier = "unknown"
)

// Tiers returns every state of jkn_uhc_award_tier in exposition order.
func Tiers() []Tier { return []Tier{Utama, Madya, Pratama, NoTier, TierUnknown} }

// Awarded reports whether regions of a level receive the award: local
// governments, so provinces, regencies and cities, not districts and
// villages.
func Awarded(l jkn.Level) bool {
	return l == jkn.LevelProvince || l == jkn.LevelRegency || l == jkn.LevelCity
}

// Awards are the thresholds of the UHC Award 2026 tiers, ratios of the
// population, each met at its value. The configuration's `awards:` key
// overrides them (docs/domain.md says where each default comes from, and
// where the published sources disagree).
type Awards struct {
	Utama   UtamaThresholds   `yaml:"utama"`
	Madya   MadyaThresholds   `yaml:"madya"`
	Pratama PratamaThresholds `yaml:"pratama"`
}

// UtamaThresholds are the Utama tier's: coverage, active and a
// Pemda-registered share, the share waived from an active ratio of
// PemdaWaivedAtActive.
type UtamaThresholds struct {
	Coverage            float64 `yaml:"coverage"`
	Active              float64 `yaml:"active"`
	PemdaShare          float64 `yaml:"pemda_share"`
	PemdaWaivedAtActive float64 `yaml:"pemda_waived_at_active"`
}

// MadyaThresholds are the Madya tier's: coverage and active, or
// coverage, a Pemda-registered share of PemdaShare and an active ratio of
// PemdaActive.
type MadyaThresholds struct {
	Coverage    float64 `yaml:"coverage"`
	Active      float64 `yaml:"active"`
	PemdaShare  float64 `yaml:"pemda_share"`
	PemdaActive float64 `yaml:"pemda_active"`
}

// PratamaThresholds are the Pratama tier's: coverage and active.
type PratamaThresholds struct {
	Coverage float64 `yaml:"coverage"`
	Active   float64 `yaml:"active"`
}

// DefaultAwards are the tiers as the January 2026 award reports give them.
func DefaultAwards() Awards {
	return Awards{
		Utama:   UtamaThresholds{Coverage: 0.99, Active: 0.95, PemdaShare: 0.18, PemdaWaivedAtActive: 1.0},
		Madya:   MadyaThresholds{Coverage: 0.98, Active: 0.85, PemdaShare: 0.25, PemdaActive: 0.80},
		Pratama: PratamaThresholds{Coverage: 0.98, Active: 0.80},
	}
}

// OrDefault returns the defaults for the zero Awards (a Renderer or Rules
// built without them), a as it is otherwise.
func (a Awards) OrDefault() Awards {
	if a == (Awards{}) {
		return DefaultAwards()
	}
	return a
}

// Check returns a description of every threshold that is not a ratio
// between 0 and 1.5, by its configuration key.
func (a Awards) Check() []string {
	var bad []string
	for _, t := range []struct {
		key string
		v   float64
	}{
		{"utama.coverage", a.Utama.Coverage}, {"utama.active", a.Utama.Active},
		{"utama.pemda_share", a.Utama.PemdaShare}, {"utama.pemda_waived_at_active", a.Utama.PemdaWaivedAtActive},
		{"madya.coverage", a.Madya.Coverage}, {"madya.active", a.Madya.Active},
		{"madya.pemda_share", a.Madya.PemdaShare}, {"madya.pemda_active", a.Madya.PemdaActive},
		{"pratama.coverage", a.Pratama.Coverage}, {"pratama.active", a.Pratama.Active},
	} {
		if t.v < 0 || t.v > 1.5 || math.IsNaN(t.v) {
			bad = append(bad, fmt.Sprintf("%s %v must be a ratio between 0 and 1.5 (write 0.98, not 98)", t.key, t.v))
		}
	}
	return bad
}

// Standing is a region's counts as the award criteria read them: the
// coverage, active and Pemda-registered ratios are taken of Population.
type Standing struct {
	Population, Participants float64
	Active                   float64
	HasActive                bool
	// Pemda is the PBPU Pemda segment: residents the local government
	// registers and pays for (sheets head it PBI APBD, PBPU Pemda, Pemda).
	Pemda    float64
	HasPemda bool
}

// Measure is one ratio a tier's threshold applies to.
type Measure string

// The measures of the award criteria.
const (
	MeasureCoverage Measure = "coverage"    // participants ÷ population
	MeasureActive   Measure = "active"      // active participants ÷ population
	MeasurePemda    Measure = "pemda_share" // PBPU Pemda participants ÷ population
)

// value returns the ratio and whether the figures have it.
func (s Standing) value(m Measure) (float64, bool) {
	switch m {
	case MeasureCoverage:
		return s.Participants / s.Population, true
	case MeasureActive:
		return s.Active / s.Population, s.HasActive
	default:
		return s.Pemda / s.Population, s.HasPemda
	}
}

// count is the number of people a measure counts.
func (s Standing) count(m Measure) float64 {
	switch m {
	case MeasureCoverage:
		return s.Participants
	case MeasureActive:
		return s.Active
	default:
		return s.Pemda
	}
}

type requirement struct {
	measure Measure
	min     float64
}

// alternatives are a tier's criteria: any one of the lists, each met
// when all its requirements are.
func (a Awards) alternatives(t Tier) [][]requirement {
	switch t {
	case Utama:
		u := a.Utama
		return [][]requirement{
			{{MeasureCoverage, u.Coverage}, {MeasureActive, u.Active}, {MeasurePemda, u.PemdaShare}},
			{{MeasureCoverage, u.Coverage}, {MeasureActive, u.Active}, {MeasureActive, u.PemdaWaivedAtActive}},
		}
	case Madya:
		m := a.Madya
		return [][]requirement{
			{{MeasureCoverage, m.Coverage}, {MeasureActive, m.Active}},
			{{MeasureCoverage, m.Coverage}, {MeasurePemda, m.PemdaShare}, {MeasureActive, m.PemdaActive}},
		}
	case Pratama:
		return [][]requirement{{{MeasureCoverage, a.Pratama.Coverage}, {MeasureActive, a.Pratama.Active}}}
	}
	return nil
}

// ternary is a condition that may depend on a figure the sheet lacks.
type ternary int8

const (
	no ternary = iota
	maybe
	yes
)

func (a Awards) meets(t Tier, s Standing) ternary {
	best := no
	for _, alt := range a.alternatives(t) {
		all := yes
		for _, r := range alt {
			v, ok := s.value(r.measure)
			switch {
			case !ok:
				all = min(all, maybe)
			case v < r.min:
				all = no
			}
		}
		best = max(best, all)
	}
	return best
}

// awardTiers are the tiers, highest first.
var awardTiers = [...]Tier{Utama, Madya, Pratama}

// Tier returns a region's tier; the Standing must have a population above
// 0. It is TierUnknown when the figures the sheet lacks decide between two
// tiers (the figures meet Madya, and Utama would need the PBPU Pemda
// share the sheet does not carry).
func (a Awards) Tier(s Standing) Tier {
	for _, t := range awardTiers {
		switch a.meets(t, s) {
		case yes:
			return t
		case maybe:
			return TierUnknown
		}
	}
	return NoTier
}

// floor is the highest tier the figures certainly meet, NoTier for none.
func (a Awards) floor(s Standing) Tier {
	for _, t := range awardTiers {
		if a.meets(t, s) == yes {
			return t
		}
	}
	return NoTier
}

// Need is one threshold a region does not (yet, or not provably) meet.
type Need struct {
	Measure Measure
	Min     float64
	// Have is the region's ratio; HasValue is false when the sheet lacks
	// the figure.
	Have     float64
	HasValue bool
	// More is how many more people the measure must count to reach Min
	// at the current population (0 when HasValue is false).
	More float64
}

// Gap is what a region lacks for the tier above the highest it certainly
// meets: any one of Options, each a list of needs to meet together.
type Gap struct {
	Tier    Tier
	Options [][]Need
}

// Next says what the figures lack for the next tier: the tier above the
// highest one they certainly meet (Pratama for a region with none), and
// per way of reaching it the thresholds not met or not known. It is false
// at Utama.
func (a Awards) Next(s Standing) (Gap, bool) {
	floor := a.floor(s)
	var next Tier
	switch floor {
	case Utama:
		return Gap{}, false
	case Madya:
		next = Utama
	case Pratama:
		next = Madya
	default:
		next = Pratama
	}
	g := Gap{Tier: next}
	for _, alt := range a.alternatives(next) {
		var needs []Need
		seen := map[Measure]int{}
		for _, r := range alt {
			v, ok := s.value(r.measure)
			if ok && v >= r.min {
				continue
			}
			n := Need{Measure: r.measure, Min: r.min, Have: v, HasValue: ok}
			if ok {
				n.More = math.Max(0, math.Ceil(r.min*s.Population-1e-9)-s.count(r.measure))
			}
			// Two thresholds on one measure: the higher is the need.
			if i, dup := seen[r.measure]; dup {
				if n.Min > needs[i].Min {
					needs[i] = n
				}
				continue
			}
			seen[r.measure] = len(needs)
			needs = append(needs, n)
		}
		g.Options = append(g.Options, needs)
	}
	g.Options = easiest(g.Options)
	return g, true
}

// easiest drops the ways that need at least what another way needs
// (active ≥ 100% where active ≥ 95% already does), keeping the first of
// equal ones.
func easiest(options [][]Need) [][]Need {
	covers := func(a, b []Need) bool { // meeting b meets a
		for _, n := range a {
			if !slices.ContainsFunc(b, func(m Need) bool { return m.Measure == n.Measure && m.Min >= n.Min }) {
				return false
			}
		}
		return true
	}
	var out [][]Need
	for i, b := range options {
		dominated := false
		for j, a := range options {
			if i != j && covers(a, b) && (!covers(b, a) || j < i) {
				dominated = true
				break
			}
		}
		if !dominated {
			out = append(out, b)
		}
	}
	return out
}

// String says the gap as a coordinator reads it: "madya: active ≥ 85%
// (now 82.35%, 18224 more active participants), or PBPU Pemda ≥ 25% of
// residents (now 20.14%, 28650 more on PBPU Pemda)". Needs every way
// shares come first: "utama: coverage ≥ 99% (…) and either …, or …".
func (g Gap) String() string { return g.Message().String() }

// Message is String as a message, for package lang to write in Indonesian.
func (g Gap) Message() jkn.Message {
	same := func(a, b Need) bool { return a.Measure == b.Measure && a.Min == b.Min }
	var common []Need
	if len(g.Options) > 0 {
		for _, n := range g.Options[0] {
			inAll := true
			for _, opt := range g.Options[1:] {
				inAll = inAll && slices.ContainsFunc(opt, func(m Need) bool { return same(m, n) })
			}
			if inAll {
				common = append(common, n)
			}
		}
	}
	// fold joins messages two at a time: "a and b and c".
	fold := func(join func(a, b jkn.Message) jkn.Message, ms []jkn.Message) (jkn.Message, bool) {
		if len(ms) == 0 {
			return jkn.Message{}, false
		}
		out := ms[0]
		for _, m := range ms[1:] {
			out = join(out, m)
		}
		return out, true
	}
	both := func(a, b jkn.Message) jkn.Message { return jkn.Msgf("%s and %s", a, b) }
	and := func(needs []Need) (jkn.Message, bool) {
		var parts []jkn.Message
		for _, n := range needs {
			parts = append(parts, n.Message())
		}
		return fold(both, parts)
	}
	var rest []jkn.Message
	for _, opt := range g.Options {
		var own []Need
		for _, n := range opt {
			if !slices.ContainsFunc(common, func(m Need) bool { return same(m, n) }) {
				own = append(own, n)
			}
		}
		r, ok := and(own)
		if !ok { // this way needs only what all need
			rest = nil
			break
		}
		rest = append(rest, r)
	}
	out, hasShared := and(common)
	alt, hasRest := fold(func(a, b jkn.Message) jkn.Message { return jkn.Msgf("%s, or %s", a, b) }, rest)
	switch {
	case !hasRest:
	case !hasShared:
		out = alt
	case len(rest) == 1:
		out = both(out, alt)
	default:
		out = jkn.Msgf("%s and either %s", out, alt)
	}
	return jkn.Msgf("%s: %s", string(g.Tier), out)
}

// String says one need: "active ≥ 85% (now 82.35%, 18224 more active
// participants)".
func (n Need) String() string { return n.Message().String() }

// Message is String as a message, for package lang to write in Indonesian.
func (n Need) Message() jkn.Message {
	var what, people jkn.Message
	switch n.Measure {
	case MeasureCoverage:
		what, people = jkn.Msgf("coverage"), jkn.Msgf("participants")
	case MeasureActive:
		what, people = jkn.Msgf("active"), jkn.Msgf("active participants")
	case MeasurePemda:
		what, people = jkn.Msgf("PBPU Pemda"), jkn.Msgf("on PBPU Pemda")
	}
	s := jkn.Msgf("%s ≥ %s", what, pct(n.Min))
	if n.Measure == MeasurePemda {
		s = jkn.Msgf("%s of residents", s)
	}
	if !n.HasValue {
		if n.Measure == MeasurePemda {
			return jkn.Msgf("%s (the sheet has no PBPU Pemda figure)", s)
		}
		return jkn.Msgf("%s (the sheet has no active figure)", s)
	}
	return jkn.Msgf("%s (now %s, %.0f more %s)", s, jkn.Percent(n.Have), n.More, people)
}

// pct writes a threshold as its shortest percentage: 0.985 -> "98.5%"
// (rounded to 4 decimals, so 0.85 is not "85.00000000000001%").
func pct(v float64) string { return strconv.FormatFloat(math.Round(v*1e6)/1e4, 'f', -1, 64) + "%" }
