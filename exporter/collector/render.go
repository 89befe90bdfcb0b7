// Package collector turns the snapshots into the exposition Prometheus
// scrapes. Region series are rendered once per change into bytes, as
// kube-state-metrics does, so a scrape copies bytes and never waits for an
// ingest; the exporter's own metrics come from a client_golang registry.
package collector

import (
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
	Targets criteria.Targets
	// Status is empty when coverage cannot be computed.
	Status criteria.Status
}

// Rendered is the region part of the exposition for one view.
type Rendered struct {
	// Text is the region families in the Prometheus text format; the same
	// bytes are valid OpenMetrics (gauges only, no # EOF). Never nil. A
	// scrape serves gzip from it once Text.Compress has run.
	Text *Text
	// Regions are the served regions, sorted by code.
	Regions []Served
	// Sources are the status of each source of the view, sorted by name.
	Sources []SourceStatus
	// Points are the centre points of the served regions that have one,
	// by code: the regions jkn_region_info places.
	Points map[string]region.Point
}

// Renderer renders views under one criteria set and its overrides.
type Renderer struct {
	Criteria  criteria.Set
	Overrides map[string]criteria.Override
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
// status. The Served refers to r, which must not change.
func (rd *Renderer) Serve(source string, r *ingest.Record) Served {
	sv := Served{Record: r, Source: source, Derived: r.Derive(), Targets: rd.Criteria.For(rd.Overrides[r.Region.Code])}
	if sv.Derived.HasCoverage {
		sv.Status = sv.Targets.Status(sv.Derived.Coverage, sv.Derived.Active, sv.Derived.HasActive)
	}
	return sv
}

// family is one metric family of the region part.
type family struct {
	name, help string
	// value returns the sample of a region, if it has one.
	value func(*Served) (float64, bool)
}

func figure(f jkn.Field) func(*Served) (float64, bool) {
	return func(s *Served) (float64, bool) { return s.Figure(f) }
}

const fromSheet = " Values come from the newest ingested sheet."

func families() []family {
	return []family{
		{"jkn_population", "Residents of the region (the sheet's denominator, Dukcapil semester data)." + fromSheet, figure(jkn.FieldPopulation)},
		{"jkn_participants", "Registered JKN participants." + fromSheet, figure(jkn.FieldParticipants)},
		{"jkn_active_participants", "Active JKN participants (premium paid, entitled to care)." + fromSheet, figure(jkn.FieldActive)},
		{"jkn_uninsured", "Residents not registered: max(0, population - participants)." + fromSheet,
			func(s *Served) (float64, bool) { return s.Derived.Uninsured, s.Derived.HasUninsured }},
		{"jkn_coverage_ratio", "Participants divided by population, from the counts (0-1, above 1 when more are registered than counted residents)." + fromSheet,
			func(s *Served) (float64, bool) { return s.Derived.Coverage, s.Derived.HasCoverage }},
		{"jkn_active_ratio", "Active participants divided by population, the UHC basis, from the counts." + fromSheet,
			func(s *Served) (float64, bool) { return s.Derived.Active, s.Derived.HasActive }},
		{"jkn_participant_active_ratio", "Active participants divided by participants, from the counts." + fromSheet,
			func(s *Served) (float64, bool) { return s.Derived.ParticipantActive, s.Derived.HasParticipantActive }},
	}
}

// Render builds the region exposition of a view.
func (rd *Renderer) Render(v snapshot.View) *Rendered {
	regions, conflicts := rd.Select(v)
	out := &Rendered{Regions: regions, Sources: make([]SourceStatus, 0, len(v))}
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
	b := newTextBuilder(len(regions))
	var labels []byte
	for i := range regions {
		labels = appendRegionLabels(labels[:0], &regions[i])
		b.region(labels)
	}
	for _, f := range families() {
		b.header(f.name, f.help, len(regions))
		for i := range regions {
			if val, ok := f.value(&regions[i]); ok {
				b.sample(i, "", "", val)
			}
		}
	}
	// Segments: one series per segment the sheet carries.
	b.header("jkn_segment_participants", "Registered JKN participants by segment (pbi_apbn, pbpu_pemda, ppu, ppu_pn, ppu_bu, pbpu, bp)."+fromSheet, 0)
	for i := range regions {
		for seg := range jkn.Segments() {
			if val, ok := regions[i].Figure(seg.Field); ok {
				b.sample(i, "segment", seg.Label, val)
			}
		}
	}
	targets := []struct {
		name, help string
		value      func(*Served) float64
	}{
		{"jkn_target_coverage_ratio", "Coverage threshold in force for the region (criteria set or the region's own target).",
			func(s *Served) float64 { return s.Targets.Coverage }},
		{"jkn_target_active_ratio", "Active-ratio threshold in force for the region (criteria set or the region's own target).",
			func(s *Served) float64 { return s.Targets.Active }},
	}
	for _, t := range targets {
		b.header(t.name, t.help, len(regions))
		for i := range regions {
			b.sample(i, "", "", t.value(&regions[i]))
		}
	}
	b.header("jkn_uhc_status", "UHC status of the region under the configured criteria set, as a StateSet: 1 for the current status."+fromSheet, len(regions)*len(criteria.Statuses()))
	statuses := criteria.Statuses()
	for i := range regions {
		if regions[i].Status == "" {
			continue
		}
		for _, st := range statuses {
			val := 0.0
			if st == regions[i].Status {
				val = 1
			}
			b.sample(i, "status", string(st), val)
		}
	}
	b.header("jkn_data_as_of_timestamp_seconds", "As-of date of the region's figures (midnight UTC of the sheet's date), in Unix seconds."+fromSheet, len(regions))
	for i := range regions {
		b.sample(i, "", "", float64(regions[i].AsOf.Unix()))
	}
	out.Points = writeInfo(b, rd.Places, regions)
	out.Text = b.done()
	return out
}

// appendRegionLabels renders the label set every region series carries,
// without braces, once per region.
func appendRegionLabels(b []byte, s *Served) []byte {
	for i, kv := range [][2]string{
		{"region_code", s.Region.Code},
		{"region", s.Region.Name},
		{"level", string(s.Region.Level)},
		{"province", s.Region.Province},
		{"branch_office", s.BranchOffice},
	} {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendLabel(b, kv[0], kv[1])
	}
	return b
}

// appendLabel writes name="value" with the escaping both the text format
// and OpenMetrics require; text from sheets is untrusted and may not even
// be valid UTF-8.
func appendLabel(b []byte, name, value string) []byte {
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
