package ingest

import (
	"fmt"
	"math"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// ReportedTolerance is how far (as a fraction) a sheet's own percentage may
// be from the one computed from its counts: 0.05 points.
const ReportedTolerance = 0.0005

// countTolerance allows the off-by-one real sheets have between a total
// and its parts.
const countTolerance = 1

// check compares the figures of one row with each other. It never rejects
// the row: the counts are served, the sheet's inconsistencies are findings.
func check(r *Record) []jkn.Finding {
	var out []jkn.Finding
	add := func(checkName string, field jkn.Field, m jkn.Message) {
		out = append(out, r.finding(checkName, field, m))
	}
	d := r.Derive()
	pop, _ := r.Figure(jkn.FieldPopulation)
	part, hasPart := r.Figure(jkn.FieldParticipants)
	act, hasAct := r.Figure(jkn.FieldActive)

	if rep, ok := r.Figure(jkn.FieldCoverageReported); ok && d.HasCoverage && math.Abs(rep-d.Coverage) > ReportedTolerance {
		add("reported_coverage_mismatch", jkn.FieldCoverageReported,
			jkn.Msgf("%s reports coverage %s, but %.0f of %.0f is %s", r.Region.Name, jkn.Percent(rep), part, pop, jkn.Percent(d.Coverage)))
	}
	// Some offices report active ÷ participants instead of active ÷ population:
	// either basis is accepted.
	if rep, ok := r.Figure(jkn.FieldActiveReported); ok && d.HasActive {
		okPop := math.Abs(rep-d.Active) <= ReportedTolerance
		okPart := d.HasParticipantActive && math.Abs(rep-d.ParticipantActive) <= ReportedTolerance
		if !okPop && !okPart {
			add("reported_active_mismatch", jkn.FieldActiveReported,
				jkn.Msgf("%s reports active %s, but %.0f active of %.0f residents is %s", r.Region.Name, jkn.Percent(rep), act, pop, jkn.Percent(d.Active)))
		}
	}
	if hasPart && hasAct && act > part+countTolerance {
		add("active_exceeds_participants", jkn.FieldActive,
			jkn.Msgf("%s has %.0f active participants but only %.0f participants", r.Region.Name, act, part))
	}
	if inact, ok := r.Figure(jkn.FieldInactive); ok && hasPart && hasAct && math.Abs(part-act-inact) > countTolerance {
		add("inactive_mismatch", jkn.FieldInactive,
			jkn.Msgf("%s: participants %.0f − active %.0f is %.0f, but the sheet says %.0f inactive", r.Region.Name, part, act, part-act, inact))
	}
	if un, ok := r.Figure(jkn.FieldUninsured); ok && d.HasUninsured && math.Abs(un-d.Uninsured) > countTolerance {
		add("uninsured_mismatch", jkn.FieldUninsured,
			jkn.Msgf("%s: population %.0f − participants %.0f leaves %.0f uninsured, but the sheet says %.0f", r.Region.Name, pop, part, d.Uninsured, un))
	}
	if sum, n := segmentSum(&r.Figures, func(s jkn.Segment) jkn.Field { return s.Field }); n > 0 && hasPart && math.Abs(sum-part) > countTolerance {
		add("segments_sum_mismatch", jkn.FieldParticipants,
			jkn.Msgf("%s: the segments add up to %.0f, but participants are %.0f", r.Region.Name, sum, part))
	}
	return out
}

// segmentSum adds the segments when the row carries the full breakdown
// (PBI APBN, PBPU Pemda, PPU or PPU PN + PPU BU, PBPU, BP); n is 0 when it
// carries only some, which is common ("38,096 on PBPU Pemda") and no error.
// pick says which figure of a segment is added: its participants, or its
// active part.
func segmentSum(fs *jkn.Figures, pick func(jkn.Segment) jkn.Field) (sum float64, n int) {
	has := func(f jkn.Field) bool {
		for s := range jkn.Segments() {
			if s.Field == f {
				return fs.Has(pick(s))
			}
		}
		return false
	}
	split := has(jkn.FieldPPUPN) && has(jkn.FieldPPUBU)
	if !has(jkn.FieldPBIAPBN) || !has(jkn.FieldPBPUPemda) || !has(jkn.FieldPBPU) ||
		!has(jkn.FieldBP) || !(has(jkn.FieldPPU) || split) {
		return 0, 0
	}
	for s := range jkn.Segments() {
		v, ok := fs.Get(pick(s))
		// PPU counts once: as its parts when the sheet splits it.
		if !ok || (s.Field == jkn.FieldPPU && split) {
			continue
		}
		sum += v
		n++
	}
	return sum, n
}

// The bounds of a plausible count. Coverage above 100% is real (residents
// registered where they work, newborns before the census): a few points,
// never ten times; and no region has more residents than the nation.
const (
	// MaxCount is above Indonesia's 284 million residents of 2025.
	MaxCount = 300_000_000
	// MaxPerResident bounds every other count by the region's population.
	MaxPerResident = 10
)

// implausible returns the first count beyond the bounds, and why; bad is
// false when every count is within them. Such a row is a typo or an attack
// (1e20 participants), and is rejected, not served.
func implausible(fs *jkn.Figures) (f jkn.Field, why jkn.Message, bad bool) {
	pop, hasPop := fs.Get(jkn.FieldPopulation)
	for f, v := range fs.All() {
		switch {
		case f.IsRatio():
		case v > MaxCount:
			return f, jkn.Msgf("%s %s is more than the nation's residents (at most %d): check the cell", f, bigCount(v), MaxCount), true
		case hasPop && f != jkn.FieldPopulation && v > MaxPerResident*pop:
			return f, jkn.Msgf("%s %s is more than %d times the population of %.0f: check the cell", f, bigCount(v), MaxPerResident, pop), true
		}
	}
	return "", jkn.Message{}, false
}

// bigCount writes a count as the sheet shows it, in exponent form when it
// is far beyond any count (1e+308 has 309 digits).
func bigCount(v float64) string {
	if v < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%g", v)
}
