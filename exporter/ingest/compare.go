package ingest

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// Thresholds bound the data-quality checks that compare a sheet with what
// the source served before and with the reference data: the config's
// `checks:` key. 0 is the default; a negative value turns the check off.
// Like every finding these inform and never reject: the figures are
// served.
type Thresholds struct {
	// PopulationChange is the share by which a region's population may
	// move between two sheets of the same semester (Dukcapil publishes a
	// new figure per semester, so within one it should hardly move).
	PopulationChange float64 `yaml:"population_change"`
	// ParticipantsDrop is the share by which participants may fall from
	// one sheet to the next.
	ParticipantsDrop float64 `yaml:"participants_drop"`
	// CoverageMax is the coverage ratio above which a sheet's figures are
	// implausible (above 100% is real, up to a few points).
	CoverageMax float64 `yaml:"coverage_max"`
	// DukcapilPopulation is the share by which a province's, regency's or
	// city's population may differ from Dukcapil's 2025 figure in the
	// reference data.
	DukcapilPopulation float64 `yaml:"dukcapil_population"`
}

// DefaultThresholds are limits a real month's sheet does not reach:
// populations move about 1% a year; Banyuasin's 2023 sheets are 5.8% under
// the 2025 figure; Musi Rawas Utara reported 102.61% coverage; a month's
// deactivations move participants a few percent.
func DefaultThresholds() Thresholds {
	return Thresholds{PopulationChange: 0.05, ParticipantsDrop: 0.10, CoverageMax: 1.10, DukcapilPopulation: 0.10}
}

// resolved puts the defaults in place of zeros.
func (t Thresholds) resolved() Thresholds {
	d := DefaultThresholds()
	for _, f := range []struct{ v, def *float64 }{
		{&t.PopulationChange, &d.PopulationChange}, {&t.ParticipantsDrop, &d.ParticipantsDrop},
		{&t.CoverageMax, &d.CoverageMax}, {&t.DukcapilPopulation, &d.DukcapilPopulation},
	} {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
	return t
}

// checkReference compares one row with limits that need no earlier sheet:
// coverage far above 100%, and a population far from Dukcapil's 2025
// figure. Like check, it never rejects the row.
func checkReference(r *Record, th Thresholds, ref *region.Reference) []jkn.Finding {
	th = th.resolved()
	var out []jkn.Finding
	cell := func(f jkn.Field) string {
		if l := r.Cells.Letter(f); l != "" {
			return fmt.Sprintf("%s%d", l, r.Row)
		}
		return "?"
	}
	add := func(check string, f jkn.Field, m jkn.Message) { out = append(out, r.finding(check, f, m)) }
	pop, hasPop := r.Figure(jkn.FieldPopulation)
	part, hasPart := r.Figure(jkn.FieldParticipants)
	if th.CoverageMax > 0 && hasPop && hasPart && pop > 0 && part/pop > th.CoverageMax {
		add("coverage_implausible", jkn.FieldParticipants, jkn.Msgf("%s: %.0f participants (%s) for %.0f residents (%s) is coverage %s, above the %s a sheet can plausibly show",
			r.Region.Name, part, cell(jkn.FieldParticipants), pop, cell(jkn.FieldPopulation), jkn.Percent(part/pop), jkn.Share(th.CoverageMax)))
	}
	if th.DukcapilPopulation > 0 && hasPop {
		if dk, ok := ref.Population(r.Region.Code); ok && dk > 0 && math.Abs(pop-float64(dk))/float64(dk) > th.DukcapilPopulation {
			add("population_dukcapil_mismatch", jkn.FieldPopulation, jkn.Msgf("%s: population %.0f (%s) is %s off Dukcapil's 2025 figure %d (reference data, population_2025.csv), more than %s",
				r.Region.Name, pop, cell(jkn.FieldPopulation), jkn.Share(math.Abs(pop-float64(dk))/float64(dk)), dk, jkn.Share(th.DukcapilPopulation)))
		}
	}
	return out
}

// Count is a count from a sheet and the column it was read from.
type Count struct {
	Value float64
	// Column is the spreadsheet letter; "" when the sheet had no figure.
	Column string
}

// Prior is a region's population and participants in the sheet served
// before the current one, of an earlier as-of date: what the checks
// between sheets compare the current figures with. It is kept in the
// persisted snapshot, so a restart or a re-read of the same sheet
// compares with the same figures.
type Prior struct {
	Code         string
	AsOf         time.Time
	File         string
	Sheet        string
	Row          int
	Population   Count
	Participants Count
}

func priorOf(r *Record) Prior {
	p := Prior{Code: r.Region.Code, AsOf: r.AsOf, File: r.File, Sheet: r.Sheet, Row: r.Row}
	for _, c := range []struct {
		f   jkn.Field
		dst *Count
	}{{jkn.FieldPopulation, &p.Population}, {jkn.FieldParticipants, &p.Participants}} {
		if v, ok := r.Figure(c.f); ok {
			*c.dst = Count{Value: v, Column: r.Cells.Letter(c.f)}
			if c.dst.Column == "" {
				c.dst.Column = "?"
			}
		}
	}
	return p
}

// semester is the Dukcapil semester of a date: 2025-1 for January to
// June 2025, 2025-2 for July to December.
func semester(t time.Time) (int, int) {
	if t.Month() <= time.June {
		return t.Year(), 1
	}
	return t.Year(), 2
}

// Before is what a source served before an ingest: the previous
// snapshot's records, their priors and its completeness. The zero Before
// is a source's first ingest.
type Before struct {
	Records      []Record
	Priors       []Prior
	Completeness *Completeness
}

// Follow runs the checks that need what the source served before, after
// Ingest: each region's figures against those of its prior sheet, and
// the regions the newest sheet leaves out (see Completeness). It adds the
// findings to the result and to the reports of the files they concern,
// and sets the result's Priors and Completeness. What is served does not
// change: a finding informs, it never rejects.
func (res *Result) Follow(before Before, s Settings, ref *region.Reference) {
	th := s.Checks.resolved()
	// Records and priors are in code order (a national village source has
	// 84,000 of each): walked side by side, not mapped.
	prevRec := sortedByCode(before.Records, func(r *Record) string { return r.Region.Code })
	prevPrior := sortedByCode(before.Priors, func(p *Prior) string { return p.Code })
	cur := sortedByCode(res.Records, func(r *Record) string { return r.Region.Code })
	res.Priors = make([]Prior, 0, min(len(cur), len(prevRec)))
	var findings []jkn.Finding
	j, k := 0, 0
	for i := range cur {
		r := &cur[i]
		code := r.Region.Code
		for j < len(prevRec) && prevRec[j].Region.Code < code {
			j++
		}
		for k < len(prevPrior) && prevPrior[k].Code < code {
			k++
		}
		if j == len(prevRec) || prevRec[j].Region.Code != code {
			continue // new to the source: nothing to compare with
		}
		p := &prevRec[j]
		var prior Prior
		switch {
		case p.AsOf.Before(r.AsOf):
			prior = priorOf(p) // a newer sheet: what was served is the prior
		case k < len(prevPrior) && prevPrior[k].Code == code:
			prior = prevPrior[k] // the same sheet again, or a correction of it
		default:
			continue
		}
		res.Priors = append(res.Priors, prior)
		if prior.AsOf.Before(r.AsOf) {
			findings = append(findings, compare(r, &prior, th)...)
		}
	}
	res.addFindings(findings)
	res.Completeness = complete(res, before, s, ref)
}

// sortedByCode returns s if it is in code order, else a sorted copy. (By
// index: elements passed by value would be copied to the heap, and a
// record is some 300 bytes.)
func sortedByCode[T any](s []T, code func(*T) string) []T {
	sorted := true
	for i := 1; i < len(s) && sorted; i++ {
		sorted = code(&s[i-1]) <= code(&s[i])
	}
	if sorted {
		return s
	}
	s = slices.Clone(s)
	sort.SliceStable(s, func(i, j int) bool { return code(&s[i]) < code(&s[j]) })
	return s
}

// compare checks one region's current figures against its prior sheet.
func compare(r *Record, p *Prior, th Thresholds) []jkn.Finding {
	var out []jkn.Finding
	where := func(f jkn.Field) jkn.Message {
		return jkn.Msgf("%s, sheet %q, cell %s, as of %s", r.File, r.Sheet, r.Cells.Letter(f)+strconv.Itoa(r.Row), jkn.Date(r.AsOf))
	}
	before := func(c Count) jkn.Message {
		return jkn.Msgf("%s, sheet %q, cell %s, as of %s", p.File, p.Sheet, c.Column+strconv.Itoa(p.Row), jkn.Date(p.AsOf))
	}
	add := func(check string, f jkn.Field, m jkn.Message) { out = append(out, r.finding(check, f, m)) }
	pop, hasPop := r.Figure(jkn.FieldPopulation)
	if y, h := semester(r.AsOf); th.PopulationChange > 0 && hasPop && p.Population.Column != "" && p.Population.Value > 0 {
		py, ph := semester(p.AsOf)
		if change := math.Abs(pop-p.Population.Value) / p.Population.Value; py == y && ph == h && change > th.PopulationChange {
			add("population_changed", jkn.FieldPopulation, jkn.Msgf(
				"%s: population %.0f (%s) moved %s from %.0f (%s) within semester %s %d; Dukcapil's figure changes once a semester, more than %s within one is not expected",
				r.Region.Name, pop, where(jkn.FieldPopulation), jkn.Share(change), p.Population.Value, before(p.Population), [...]string{"", "I", "II"}[h], y, jkn.Share(th.PopulationChange)))
		}
	}
	part, hasPart := r.Figure(jkn.FieldParticipants)
	if th.ParticipantsDrop > 0 && hasPart && p.Participants.Column != "" && p.Participants.Value > 0 {
		if drop := (p.Participants.Value - part) / p.Participants.Value; drop > th.ParticipantsDrop {
			add("participants_dropped", jkn.FieldParticipants, jkn.Msgf(
				"%s: participants %.0f (%s) fell %s from %.0f (%s), more than %s",
				r.Region.Name, part, where(jkn.FieldParticipants), jkn.Share(drop), p.Participants.Value, before(p.Participants), jkn.Share(th.ParticipantsDrop)))
		}
	}
	return out
}

// addFindings adds findings to the result and to their files' reports,
// which stay in sheet order.
func (res *Result) addFindings(fs []jkn.Finding) {
	if len(fs) == 0 {
		return
	}
	res.Findings = append(res.Findings, fs...)
	byFile := map[string][]jkn.Finding{}
	for _, f := range fs {
		byFile[f.File] = append(byFile[f.File], f)
	}
	for i := range res.Files {
		rep := &res.Files[i]
		if add := byFile[rep.Name]; len(add) > 0 {
			rep.Findings = append(rep.Findings, add...)
			sort.SliceStable(rep.Findings, func(a, b int) bool { return rep.Findings[a].Row < rep.Findings[b].Row })
			delete(byFile, rep.Name)
		}
	}
}
