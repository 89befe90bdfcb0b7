package collector

import (
	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// family is one metric family of the region part: the one table of them
// is Renderer.families.
type family struct {
	name, help string
	// perRegion is how many series a region gets at most, 0 when not
	// known: the family is sized once.
	perRegion int
	// samples adds a region's series to s, if it has any.
	samples func(r *Served, s *sink)
}

// gauge is a family of one series per region that has the value.
func gauge(name, help string, value func(*Served) (float64, bool)) family {
	return family{name: name, help: help, perRegion: 1, samples: func(r *Served, s *sink) {
		if v, ok := value(r); ok {
			s.sample(nil, v)
		}
	}}
}

func figure(f jkn.Field) func(*Served) (float64, bool) {
	return func(s *Served) (float64, bool) { return s.Figure(f) }
}

// extraLabel renders a family's own label as Output.Sample takes it.
func extraLabel(name, value string) []byte {
	return AppendLabel([]byte{','}, name, value)
}

// stateSet is a StateSet family: for each region with a state (of is not
// empty), one series per state under label, 1 for the region's own.
func stateSet[S ~string](name, help, label string, states []S, of func(*Served) S) family {
	labels := make([][]byte, len(states))
	for i, st := range states {
		labels[i] = extraLabel(label, string(st))
	}
	return family{name: name, help: help, perRegion: len(states), samples: func(r *Served, s *sink) {
		own := of(r)
		if own == "" {
			return
		}
		for i, st := range states {
			v := 0.0
			if st == own {
				v = 1
			}
			s.sample(labels[i], v)
		}
	}}
}

const fromSheet = " Values come from the newest ingested sheet."

// families is the table of the region families, in exposition order, and
// the map jkn_region_info fills with the centre points it places (nil
// without Places).
func (rd *Renderer) families() ([]family, map[string]region.Point) {
	// The families' own labels, rendered once per rendering, not per series.
	type segment struct {
		field, active jkn.Field
		label         []byte
	}
	var segments []segment
	for seg := range jkn.Segments() {
		segments = append(segments, segment{seg.Field, seg.Active, extraLabel("segment", seg.Label)})
	}
	// bySegment is a family of one series per segment the region has the
	// figure of.
	bySegment := func(name, help string, figure func(segment) jkn.Field) family {
		return family{name: name, help: help, samples: func(r *Served, s *sink) {
			for _, seg := range segments {
				if v, ok := r.Figure(figure(seg)); ok {
					s.sample(seg.label, v)
				}
			}
		}}
	}
	// The set names a rendering meets, each label rendered once.
	criteriaLabels := map[string][]byte{}

	fams := []family{
		gauge("jkn_population", "Residents of the region (the sheet's denominator, Dukcapil semester data)."+fromSheet, figure(jkn.FieldPopulation)),
		gauge("jkn_participants", "Registered JKN participants."+fromSheet, figure(jkn.FieldParticipants)),
		gauge("jkn_active_participants", "Active JKN participants (premium paid, entitled to care)."+fromSheet, figure(jkn.FieldActive)),
		gauge("jkn_uninsured", "Residents not registered: max(0, population - participants)."+fromSheet,
			func(s *Served) (float64, bool) { return s.Derived.Uninsured, s.Derived.HasUninsured }),
		gauge("jkn_coverage_ratio", "Participants divided by population, from the counts (0-1, above 1 when more are registered than counted residents)."+fromSheet,
			func(s *Served) (float64, bool) { return s.Derived.Coverage, s.Derived.HasCoverage }),
		gauge("jkn_active_ratio", "Active participants divided by population, the UHC basis, from the counts."+fromSheet,
			func(s *Served) (float64, bool) { return s.Derived.Active, s.Derived.HasActive }),
		gauge("jkn_participant_active_ratio", "Active participants divided by participants, from the counts."+fromSheet,
			func(s *Served) (float64, bool) { return s.Derived.ParticipantActive, s.Derived.HasParticipantActive }),
		// One series per segment the sheet carries.
		bySegment("jkn_segment_participants", "Registered JKN participants by segment (pbi_apbn, pbpu_pemda, ppu, ppu_pn, ppu_bu, pbpu, bp)."+fromSheet,
			func(seg segment) jkn.Field { return seg.field }),
		// Only sheets that split each segment into Aktif and Non Aktif
		// carry these.
		bySegment("jkn_segment_active_participants", "Active JKN participants by segment, from sheets that split each segment into Aktif and Non Aktif."+fromSheet,
			func(seg segment) jkn.Field { return seg.active }),
		gauge("jkn_target_coverage_ratio", "Coverage threshold in force for the region (criteria set or the region's own target).",
			func(s *Served) (float64, bool) { return s.Targets.Coverage, true }),
		gauge("jkn_target_active_ratio", "Active-ratio threshold in force for the region (criteria set or the region's own target).",
			func(s *Served) (float64, bool) { return s.Targets.Active, true }),
		gauge("jkn_residents_to_register", "Residents still to register for coverage to meet the target in force: the smallest whole number that does (under a strict target such as > 98%, one more than the boundary), 0 when met."+fromSheet,
			func(s *Served) (float64, bool) { return s.ToRegister() }),
		gauge("jkn_participants_to_reactivate", "Participants still to make active for the active ratio to meet the target in force, counted as jkn_residents_to_register; more than the inactive participants when coverage is short too."+fromSheet,
			func(s *Served) (float64, bool) { return s.ToReactivate() }),
		stateSet("jkn_uhc_status", "UHC status of the region under the configured criteria set, as a StateSet: 1 for the current status."+fromSheet,
			"status", criteria.Statuses(), func(s *Served) criteria.Status { return s.Status }),
		{
			name:      "jkn_uhc_criteria_info",
			help:      "The UHC criteria set that judged the region (criteria label): the configured set, or under by_date the set in force at the figures' as-of date." + fromSheet,
			perRegion: 1,
			samples: func(r *Served, s *sink) {
				l, ok := criteriaLabels[r.Criteria]
				if !ok {
					l = extraLabel("criteria", r.Criteria)
					criteriaLabels[r.Criteria] = l
				}
				s.sample(l, 1)
			},
		},
		stateSet("jkn_uhc_award_tier", "UHC Award 2026 tier of the province, regency or city (utama, madya, pratama, none; unknown when it depends on a figure the sheet lacks), as a StateSet: 1 for the current tier."+fromSheet,
			"tier", criteria.Tiers(), func(s *Served) criteria.Tier { return s.Tier }),
		gauge("jkn_data_as_of_timestamp_seconds", "As-of date of the region's figures (midnight UTC of the sheet's date), in Unix seconds."+fromSheet,
			func(s *Served) (float64, bool) { return float64(s.AsOf.Unix()), true }),
	}
	if rd.Places == nil {
		return fams, nil
	}
	points := map[string]region.Point{}
	return append(fams, infoFamily(rd.Places, points)), points
}
