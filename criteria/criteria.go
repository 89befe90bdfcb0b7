// Package criteria holds the UHC threshold sets, which changed over time,
// and decides a region's status under one of them.
package criteria

import (
	"fmt"
	"math"
	"strings"
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

// Names lists the known set names.
func Names() []string {
	var names []string
	for _, s := range sets() {
		names = append(names, s.Name)
	}
	return names
}

// Lookup returns the set of that name.
func Lookup(name string) (Set, error) {
	for _, s := range sets() {
		if s.Name == name {
			return s, nil
		}
	}
	return Set{}, fmt.Errorf("unknown set %q (known: %s)", name, strings.Join(Names(), ", "))
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
