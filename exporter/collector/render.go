// Package collector turns the snapshots into the exposition Prometheus
// scrapes. Region series are rendered once per change into bytes, as
// kube-state-metrics does, so a scrape copies bytes and never waits for an
// ingest; the exporter's own metrics come from a client_golang registry.
package collector

import (
	"bytes"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/sources/workbook"
)

// Served is one region as exposed: the record that won across sources.
type Served struct {
	ingest.Record
	Source  string
	Derived ingest.Derived
	Targets criteria.Targets
	// Status is empty when coverage cannot be computed.
	Status criteria.Status
}

// Rendered is the region part of the exposition for one view.
type Rendered struct {
	// Text is the region families in the Prometheus text format; the same
	// bytes are valid OpenMetrics (gauges only, no # EOF).
	Text []byte
	// Regions are the served regions, sorted by code.
	Regions []Served
	// Conflicts counts, per source, the regions it carries that another
	// source serves with newer figures.
	Conflicts map[string]int
	// Served counts the regions each source serves.
	Served map[string]int
}

// Renderer renders views under one criteria set and its overrides.
type Renderer struct {
	Criteria  criteria.Set
	Overrides map[string]config.Targets
}

// Select resolves the regions across sources: when two sources carry the
// same region, the newest as-of date wins (ties: the source that sorts first),
// and the other is counted as a conflict.
func (rd *Renderer) Select(v snapshot.View) ([]Served, map[string]int) {
	best := map[string]int{}
	var out []Served
	conflicts := map[string]int{}
	for _, s := range v {
		for _, r := range s.Records {
			i, ok := best[r.Region.Code]
			if ok {
				if !r.AsOf.After(out[i].AsOf) {
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
	sort.Slice(out, func(i, j int) bool { return out[i].Region.Code < out[j].Region.Code })
	return out, conflicts
}

// Serve derives what a record becomes when served: ratios, targets, status.
func (rd *Renderer) Serve(source string, r ingest.Record) Served {
	o := rd.Overrides[r.Region.Code]
	sv := Served{Record: r, Source: source, Derived: r.Derive(), Targets: rd.Criteria.For(o.TargetCoverage, o.TargetActive)}
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

func figure(f workbook.Field) func(*Served) (float64, bool) {
	return func(s *Served) (float64, bool) { return s.Figure(f) }
}

const fromSheet = " Values come from the newest ingested sheet."

func families() []family {
	return []family{
		{"jkn_population", "Residents of the region (the sheet's denominator, Dukcapil semester data)." + fromSheet, figure(workbook.FieldPopulation)},
		{"jkn_participants", "Registered JKN participants." + fromSheet, figure(workbook.FieldParticipants)},
		{"jkn_active_participants", "Active JKN participants (premium paid, entitled to care)." + fromSheet, figure(workbook.FieldActive)},
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
	out := &Rendered{Regions: regions, Conflicts: conflicts, Served: map[string]int{}}
	for i := range regions {
		out.Served[regions[i].Source]++
	}
	var b bytes.Buffer
	b.Grow(len(regions) * 2048)
	labels := make([][]byte, len(regions))
	for i := range regions {
		labels[i] = regionLabels(&regions[i])
	}
	for _, f := range families() {
		header := false
		for i := range regions {
			val, ok := f.value(&regions[i])
			if !ok {
				continue
			}
			if !header {
				writeHeader(&b, f.name, f.help)
				header = true
			}
			writeSample(&b, f.name, labels[i], "", "", val)
		}
	}
	// Segments: one series per segment the sheet carries.
	header := false
	for i := range regions {
		for _, seg := range workbook.Segments {
			val, ok := regions[i].Figure(seg.Field)
			if !ok {
				continue
			}
			if !header {
				writeHeader(&b, "jkn_segment_participants", "Registered JKN participants by segment (pbi_apbn, pbpu_pemda, ppu, ppu_pn, ppu_bu, pbpu, bp)."+fromSheet)
				header = true
			}
			writeSample(&b, "jkn_segment_participants", labels[i], "segment", seg.Label, val)
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
		if len(regions) == 0 {
			break
		}
		writeHeader(&b, t.name, t.help)
		for i := range regions {
			writeSample(&b, t.name, labels[i], "", "", t.value(&regions[i]))
		}
	}
	header = false
	for i := range regions {
		if regions[i].Status == "" {
			continue
		}
		if !header {
			writeHeader(&b, "jkn_uhc_status", "UHC status of the region under the configured criteria set, as a StateSet: 1 for the current status."+fromSheet)
			header = true
		}
		for _, st := range criteria.Statuses() {
			val := 0.0
			if st == regions[i].Status {
				val = 1
			}
			writeSample(&b, "jkn_uhc_status", labels[i], "status", string(st), val)
		}
	}
	if len(regions) > 0 {
		writeHeader(&b, "jkn_data_as_of_timestamp_seconds", "As-of date of the region's figures (midnight UTC of the sheet's date), in Unix seconds."+fromSheet)
		for i := range regions {
			writeSample(&b, "jkn_data_as_of_timestamp_seconds", labels[i], "", "", float64(regions[i].AsOf.Unix()))
		}
	}
	out.Text = b.Bytes()
	return out
}

// regionLabels renders the label set every region series carries, without
// braces, once per region.
func regionLabels(s *Served) []byte {
	var b []byte
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

func writeHeader(b *bytes.Buffer, name, help string) {
	b.WriteString("# HELP ")
	b.WriteString(name)
	b.WriteByte(' ')
	b.WriteString(escapeHelp(help))
	b.WriteString("\n# TYPE ")
	b.WriteString(name)
	b.WriteString(" gauge\n")
}

func writeSample(b *bytes.Buffer, name string, labels []byte, extraName, extraValue string, v float64) {
	b.WriteString(name)
	b.WriteByte('{')
	b.Write(labels)
	if extraName != "" {
		b.WriteByte(',')
		b.Write(appendLabel(nil, extraName, extraValue))
	}
	b.WriteString("} ")
	b.Write(AppendValue(nil, v))
	b.WriteByte('\n')
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
