// Package criteria holds the UHC threshold sets, which changed over time,
// the policy that picks the set for a date, and the UHC Award 2026 tiers,
// and decides a region's status and tier under them.
package criteria

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Status is a region's state under a criteria set: the `status` label of
// the jkn_uhc_status StateSet.
type Status string

// The states of jkn_uhc_status; exactly one is 1 for a region.
const (
	MeetsTargets        Status = "meets_targets"
	BelowActiveTarget   Status = "below_active_target"
	BelowCoverageTarget Status = "below_coverage_target"
	BelowBothTargets    Status = "below_both_targets"
	// Unknown: coverage meets its target but the sheet has no active figure.
	Unknown Status = "unknown"
)

// Statuses returns every state in exposition order.
func Statuses() []Status {
	return []Status{MeetsTargets, BelowActiveTarget, BelowCoverageTarget, BelowBothTargets, Unknown}
}

// Set is a named threshold set.
type Set struct {
	Name        string
	Description string
	Coverage    float64 // participants ÷ population
	Active      float64 // active ÷ population
	// Strict sets are met only above the threshold ("> 98%"), the others at it.
	Strict bool
}

// sets are the sets of docs/domain.md ("UHC criteria by period"). A function, not a package variable, so
// no caller can change them.
func sets() []Set {
	return []Set{
		{Name: "uhc_2023", Description: "RPJMN / UHC Award 2023-2024: coverage >= 95%, active >= 75%", Coverage: 0.95, Active: 0.75},
		{Name: "uhc_2025", Description: "UHC Prioritas from 2025: coverage > 98%, active > 80%", Coverage: 0.98, Active: 0.80, Strict: true},
		{Name: "award_2026", Description: "UHC Award 2026, Pratama tier (the entry tier): coverage >= 98%, active >= 80%", Coverage: 0.98, Active: 0.80},
	}
}

// setNamed returns the set of that name.
func setNamed(name string) (Set, bool) {
	for _, s := range sets() {
		if s.Name == name {
			return s, true
		}
	}
	return Set{}, false
}

// ByDate names the policy that judges each region's figures under the set
// in force at their as-of date.
const ByDate = "by_date"

// Policy picks the set that judges a region's figures: one fixed set for
// every date, or the set in force at the figures' as-of date (ByDate).
// It is what the configuration's `criteria:` names.
type Policy struct {
	Name        string
	Description string
	// periods are the sets in force, oldest first; each holds from its
	// from date (the first: since ever) until the next one's.
	periods []period
}

type period struct {
	from time.Time
	set  Set
}

// policies are the fixed sets, each a policy of its own name, and ByDate.
func policies() []Policy {
	var out []Policy
	for _, s := range sets() {
		out = append(out, Policy{Name: s.Name, Description: s.Description, periods: []period{{set: s}}})
	}
	uhc2023, _ := setNamed("uhc_2023")
	uhc2025, _ := setNamed("uhc_2025")
	return append(out, Policy{
		Name: ByDate,
		Description: "the set in force at the figures' as-of date: uhc_2023 until 2024-12-31, " +
			"uhc_2025 from 2025-01-01",
		periods: []period{{set: uhc2023}, {from: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), set: uhc2025}},
	})
}

// Names lists the known policy names: the sets, then by_date.
func Names() []string {
	var names []string
	for _, p := range policies() {
		names = append(names, p.Name)
	}
	return names
}

// Lookup returns the policy of that name: a set's name judges every date
// under that set, by_date each date under the set then in force.
func Lookup(name string) (Policy, error) {
	for _, p := range policies() {
		if p.Name == name {
			return p, nil
		}
	}
	return Policy{}, fmt.Errorf("unknown criteria %q (known: %s)", name, strings.Join(Names(), ", "))
}

// At returns the set that judges figures as of a date. The zero Policy
// judges under the default set, uhc_2025.
func (p Policy) At(asOf time.Time) Set {
	if len(p.periods) == 0 {
		s, _ := setNamed("uhc_2025")
		return s
	}
	s := p.periods[0].set
	for _, pd := range p.periods[1:] {
		if asOf.Before(pd.from) {
			break
		}
		s = pd.set
	}
	return s
}

// Fixed reports whether the policy judges every date under one set.
func (p Policy) Fixed() bool { return len(p.periods) <= 1 }

// Period is one set of a policy and the dates it is in force: from From
// (zero: since ever) until Until (zero: still in force), both inclusive.
type Period struct {
	Set         Set
	From, Until time.Time
}

// Periods lists the sets of the policy in date order.
func (p Policy) Periods() []Period {
	var out []Period
	for i, pd := range p.periods {
		per := Period{Set: pd.set, From: pd.from}
		if i+1 < len(p.periods) {
			per.Until = p.periods[i+1].from.AddDate(0, 0, -1)
		}
		out = append(out, per)
	}
	return out
}

// Targets are the thresholds in force for one region.
type Targets struct {
	Coverage, Active             float64
	CoverageStrict, ActiveStrict bool
}

// Override is a region's own targets, the entries of the configuration's
// `regions:` map by dotted code; nil means "as the set says".
type Override struct {
	Coverage *float64 `yaml:"target_coverage"`
	Active   *float64 `yaml:"target_active"`
}

// For returns the set's targets with a region's own override applied (the
// zero Override: none). A region's own target is met at the value ("100%
// by 2024").
func (s Set) For(o Override) Targets {
	t := Targets{Coverage: s.Coverage, Active: s.Active, CoverageStrict: s.Strict, ActiveStrict: s.Strict}
	if o.Coverage != nil {
		t.Coverage, t.CoverageStrict = *o.Coverage, false
	}
	if o.Active != nil {
		t.Active, t.ActiveStrict = *o.Active, false
	}
	return t
}

func meets(v, target float64, strict bool) bool {
	if strict {
		return v > target
	}
	return v >= target
}

// Status decides a region's state. hasActive is false when the sheet
// carries no active figure for it.
func (t Targets) Status(coverage, active float64, hasActive bool) Status {
	covOK := meets(coverage, t.Coverage, t.CoverageStrict)
	switch {
	case !hasActive && covOK:
		return Unknown
	case !hasActive:
		return BelowCoverageTarget
	}
	actOK := meets(active, t.Active, t.ActiveStrict)
	switch {
	case covOK && actOK:
		return MeetsTargets
	case covOK:
		return BelowActiveTarget
	case actOK:
		return BelowCoverageTarget
	default:
		return BelowBothTargets
	}
}

// ToRegister is how many more residents must be registered for coverage
// (participants ÷ population) to meet the target: the smallest whole n
// with (participants+n) ÷ population meeting it, 0 when it is met. Under a
// strict target ("> 98%") that is one more than the boundary.
func (t Targets) ToRegister(participants, population float64) float64 {
	return needed(participants, population, t.Coverage, t.CoverageStrict)
}

// ToReactivate is how many more active participants the active ratio
// (active ÷ population) needs to meet its target, counted as ToRegister
// counts. It can exceed the inactive participants when coverage is short
// too: those residents must be registered first.
func (t Targets) ToReactivate(active, population float64) float64 {
	return needed(active, population, t.Active, t.ActiveStrict)
}

// needed is the smallest whole n >= 0 with meets((have+n)/population). It
// decides with the same division and comparison as Status, so a region
// with n more is never still below its target by a rounding. population
// must be above 0.
func needed(have, population, target float64, strict bool) float64 {
	if meets(have/population, target, strict) {
		return 0
	}
	// The estimate is off by at most one either way; the loops settle it.
	n := math.Max(1, math.Ceil(target*population-have))
	for n > 1 && meets((have+n-1)/population, target, strict) {
		n--
	}
	for !meets((have+n)/population, target, strict) {
		n++
	}
	return n
}

// Rules are everything the configuration says about judging regions: the
// policy that picks the threshold set, the regions' own targets and the
// award tiers' thresholds.
type Rules struct {
	Policy    Policy
	Overrides map[string]Override
	Awards    Awards
}
