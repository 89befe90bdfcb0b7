// Package collector turns the snapshots into the exposition Prometheus
// scrapes. Region series are rendered once per change into bytes, as
// kube-state-metrics does, so a scrape copies bytes and never waits for an
// ingest; the exporter's own metrics come from a client_golang registry.
package collector

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// Served is one region as exposed: the record that won across sources.
type Served struct {
	// The record in its snapshot (immutable): a pointer, as a national
	// village view serves 84,000 of them.
	*ingest.Record
	Source  string
	Derived ingest.Derived
	// Criteria names the set that judged the region (the one in force at
	// its as-of date under by_date).
	Criteria string
	Targets  criteria.Targets
	// Status is empty when coverage cannot be computed.
	Status criteria.Status
	// Tier is the region's UHC Award 2026 tier; empty for districts and
	// villages, which receive no award, and when coverage cannot be
	// computed.
	Tier criteria.Tier
}

// Standing is a record's counts as the award criteria read them; it
// needs the population (Derived.HasCoverage).
func Standing(r *ingest.Record) criteria.Standing {
	st := criteria.Standing{}
	st.Population, _ = r.Figure(jkn.FieldPopulation)
	st.Participants, _ = r.Figure(jkn.FieldParticipants)
	st.Active, st.HasActive = r.Figure(jkn.FieldActive)
	st.Pemda, st.HasPemda = r.Figure(jkn.FieldPBPUPemda)
	return st
}

// Rendered is the region part of the exposition for one view.
type Rendered struct {
	// Text is the region families in the Prometheus text format; the same
	// bytes are valid OpenMetrics (gauges only, no # EOF). Set by Render,
	// nil from RenderTo. A scrape serves gzip from it once Text.Compress
	// has run.
	Text *Text
	// Regions are the served regions, sorted by code.
	Regions []Served
	// Sources are the status of each source of the view, sorted by name.
	Sources []SourceStatus
	// Points are the centre points of the served regions that have one,
	// by code: the regions jkn_region_info places.
	Points map[string]region.Point
	// Awards are the tier thresholds the regions were judged under, for
	// pages that say what a region lacks for its next tier (NextTier).
	Awards criteria.Awards
}

// NextTier says what a served region lacks for the tier above its own;
// false at Utama and for a region without a tier.
func (r *Rendered) NextTier(s *Served) (criteria.Gap, bool) {
	if s.Tier == "" {
		return criteria.Gap{}, false
	}
	return r.Awards.OrDefault().Next(Standing(s.Record))
}

// Renderer renders views under one criteria set and its overrides.
type Renderer struct {
	// Criteria picks the threshold set for each region's as-of date.
	Criteria  criteria.Policy
	Overrides map[string]criteria.Override
	// Awards are the UHC Award 2026 tiers' thresholds; the zero value:
	// the defaults.
	Awards criteria.Awards
	// Places, when set, gives jkn_region_info its coordinates.
	Places Places
}

// Select resolves the regions across sources: when two sources carry the
// same region, the precedence rule picks one (jkn.Origin.Compare: the
// newest as-of date, then the source that sorts first), and the other is
// counted as a conflict of its source.
func (rd *Renderer) Select(v snapshot.View) ([]Served, map[string]int) {
	n := 0
	for _, s := range v {
		n += len(s.Records)
	}
	// Sized once: a national village view is 84,000 regions, and growing
	// by doubling copied them over and over.
	best := make(map[string]int, n)
	out := make([]Served, 0, n)
	conflicts := map[string]int{}
	for _, s := range v {
		for k := range s.Records {
			r := &s.Records[k]
			i, ok := best[r.Region.Code]
			if ok {
				if !wins(s.Source, r, &out[i]) {
					conflicts[s.Source]++
					continue
				}
				conflicts[out[i].Source]++
				out[i] = rd.Serve(s.Source, r)
				continue
			}
			best[r.Region.Code] = len(out)
			out = append(out, rd.Serve(s.Source, r))
		}
	}
	byCode := func(a, b Served) int { return strings.Compare(a.Region.Code, b.Region.Code) }
	if !slices.IsSortedFunc(out, byCode) { // one source's records come sorted
		slices.SortFunc(out, byCode)
	}
	return out, conflicts
}

// wins reports whether source's record r wins over the region served so
// far. The files' modification times are not in the snapshots: across
// sources the rule decides by date, then by source name.
func wins(source string, r *ingest.Record, served *Served) bool {
	a, b := r.Origin(time.Time{}), served.Origin(time.Time{})
	a.Source, b.Source = source, served.Source
	c, _ := a.Compare(b)
	return c > 0
}

// Serve derives what a record becomes when served: ratios, targets,
// status under the set in force at its as-of date, award tier. The Served
// refers to r, which must not change.
func (rd *Renderer) Serve(source string, r *ingest.Record) Served {
	set := rd.Criteria.At(r.AsOf)
	sv := Served{Record: r, Source: source, Derived: r.Derive(), Criteria: set.Name, Targets: set.For(rd.Overrides[r.Region.Code])}
	if sv.Derived.HasCoverage {
		sv.Status = sv.Targets.Status(sv.Derived.Coverage, sv.Derived.Active, sv.Derived.HasActive)
		if criteria.Awarded(r.Region.Level) {
			sv.Tier = rd.Awards.OrDefault().Tier(Standing(r))
		}
	}
	return sv
}

// ToRegister is how many residents the region must still register for
// its coverage target (criteria.Targets.ToRegister); false without
// coverage.
func (s *Served) ToRegister() (float64, bool) {
	if !s.Derived.HasCoverage {
		return 0, false
	}
	part, _ := s.Figure(jkn.FieldParticipants)
	pop, _ := s.Figure(jkn.FieldPopulation)
	return s.Targets.ToRegister(part, pop), true
}

// ToReactivate is how many more active participants the region needs for
// its active target (criteria.Targets.ToReactivate); false without an
// active ratio.
func (s *Served) ToReactivate() (float64, bool) {
	if !s.Derived.HasActive {
		return 0, false
	}
	act, _ := s.Figure(jkn.FieldActive)
	pop, _ := s.Figure(jkn.FieldPopulation)
	return s.Targets.ToReactivate(act, pop), true
}

// Render resolves a view (Select) and renders its region families as the
// scrape text.
func (rd *Renderer) Render(v snapshot.View) *Rendered {
	out := rd.resolve(v)
	b := newTextBuilder(len(out.Regions))
	out.Points = rd.write(b, out.Regions)
	writeMissing(b, v, len(out.Regions))
	out.Text = b.done()
	return out
}

// RenderTo resolves a view as Render does and writes its region families
// to w instead (backfill's History); the result has no Text.
func (rd *Renderer) RenderTo(w Output, v snapshot.View) *Rendered {
	out := rd.resolve(v)
	out.Points = rd.write(w, out.Regions)
	return out
}

// resolve selects the served regions of a view and computes the status of
// each source.
func (rd *Renderer) resolve(v snapshot.View) *Rendered {
	regions, conflicts := rd.Select(v)
	out := &Rendered{Regions: regions, Sources: make([]SourceStatus, 0, len(v)), Awards: rd.Awards.OrDefault()}
	served := map[string]int{}
	for i := range regions {
		served[regions[i].Source]++
	}
	for _, s := range v {
		out.Sources = append(out.Sources, sourceStatus(s, served[s.Source], conflicts[s.Source]))
	}
	byName := func(a, b SourceStatus) int { return strings.Compare(a.Source, b.Source) }
	if !slices.IsSortedFunc(out.Sources, byName) { // a store's view is sorted
		slices.SortFunc(out.Sources, byName)
	}
	return out
}

// write writes the served regions' label sets, then every family of the
// family table with its series, to w. It returns the centre points of
// the regions jkn_region_info placed (nil without Places).
func (rd *Renderer) write(w Output, regions []Served) map[string]region.Point {
	var labels []byte
	for i := range regions {
		labels = appendRegionLabels(labels[:0], &regions[i])
		w.Region(labels)
	}
	fams, points := rd.families()
	s := &sink{out: w}
	for _, f := range fams {
		w.Family(f.name, f.help, f.perRegion*len(regions))
		for i := range regions {
			s.region = i
			f.samples(&regions[i], s)
		}
	}
	return points
}

// missingHelp is jkn_region_missing's HELP text.
const missingHelp = "1 for each region the source is expected to report (its configured list, or the regions its earlier sheets carried) " +
	"that its newest sheet leaves out; the source label names the source."

// writeMissing writes jkn_region_missing for the regions each source's
// newest sheet leaves out. They are not served regions: their label sets
// are added to w after the served regions' (only the scrape text has the
// family; a history has no newest sheet).
func writeMissing(w Output, v snapshot.View, next int) {
	var labels []byte
	started := false
	for _, s := range v {
		if s.Completeness == nil || len(s.Completeness.Missing) == 0 {
			continue
		}
		if !started {
			w.Family("jkn_region_missing", missingHelp, 0)
			started = true
		}
		extra := extraLabel("source", s.Source)
		for _, m := range s.Completeness.Missing {
			labels = appendLabels(labels[:0], m.Region, s.BranchOffice)
			w.Region(labels)
			w.Sample(next, extra, 1)
			next++
		}
	}
}

// appendRegionLabels renders the label set every region series carries,
// without braces, once per region.
func appendRegionLabels(b []byte, s *Served) []byte {
	return appendLabels(b, s.Region, s.BranchOffice)
}

// appendLabels renders a region's label set.
func appendLabels(b []byte, r jkn.Region, branchOffice string) []byte {
	for i, kv := range [][2]string{
		{"region_code", r.Code},
		{"region", r.Name},
		{"level", string(r.Level)},
		{"province", r.Province},
		{"branch_office", branchOffice},
	} {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendLabel(b, kv[0], kv[1])
	}
	return b
}

// AppendLabel writes name="value" with the escaping both the text format
// and OpenMetrics require; text from sheets is untrusted and may not even
// be valid UTF-8.
func AppendLabel(b []byte, name, value string) []byte {
	b = append(b, name...)
	b = append(b, '=', '"')
	if !utf8.ValidString(value) {
		value = strings.ToValidUTF8(value, "\uFFFD")
	}
	for i := 0; i < len(value); i++ {
		switch c := value[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '"':
			b = append(b, '\\', '"')
		case '\n':
			b = append(b, '\\', 'n')
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}

// AppendValue formats a sample value: whole numbers without exponent, so
// a count reads as it does in the sheet.
func AppendValue(b []byte, v float64) []byte {
	if v == float64(int64(v)) && v > -1e15 && v < 1e15 {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// Timestamp converts a time to Unix seconds for a gauge.
func Timestamp(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

// Key identifies what the renderer makes of a view: its criteria policy,
// the regions' own targets, the award thresholds and whether it places
// regions. Two renderers with the same key render a view to the same
// bytes (within one build of the exporter).
func (rd *Renderer) Key() string {
	var b strings.Builder
	b.WriteString("policy " + rd.Criteria.Name + "\n")
	for _, p := range rd.Criteria.Periods() {
		fmt.Fprintf(&b, "period %s %s %+v\n", p.From.Format(time.RFC3339), p.Until.Format(time.RFC3339), p.Set)
	}
	codes := slices.Sorted(maps.Keys(rd.Overrides))
	for _, code := range codes {
		o := rd.Overrides[code]
		b.WriteString("override " + code)
		for _, v := range []*float64{o.Coverage, o.Active} {
			if v == nil {
				b.WriteString(" -")
			} else {
				b.WriteString(" " + strconv.FormatFloat(*v, 'g', -1, 64))
			}
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "awards %+v\nplaces %t\n", rd.Awards.OrDefault(), rd.Places != nil)
	return b.String()
}

// RenderWith resolves a view as Render does but serves text as its
// region families instead of rendering them: text must be what Render
// made of the same view under a renderer with the same Key (a restart
// serves the text it saved; see exporter.Restore).
func (rd *Renderer) RenderWith(v snapshot.View, text *Text) *Rendered {
	out := rd.resolve(v)
	out.Text = text
	if rd.Places != nil {
		// As jkn_region_info records them (infoFamily).
		out.Points = map[string]region.Point{}
		for i := range out.Regions {
			if p, ok := rd.Places.Coordinates(out.Regions[i].Region.Code); ok {
				out.Points[out.Regions[i].Region.Code] = p
			}
		}
	}
	return out
}
