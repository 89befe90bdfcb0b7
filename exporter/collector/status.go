package collector

import (
	"slices"
	"strings"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// SourceStatus is one source as a rendering shows it. It is computed once
// per render, from the source's snapshot and the resolution of regions
// across sources, and it is all the self-metrics, the status page and the
// JSON API read about a source: what one shows, the others show too.
type SourceStatus struct {
	Source       string
	BranchOffice string
	// Up: the last ingest read the source and rejected no file.
	Up bool
	// Restored: the snapshot was read back from disk at start; Duration
	// is then the saved one, not measured by this process.
	Restored bool
	// Error is set when the source as a whole could not be read.
	Error string
	// Attempted is when the last ingest finished; LastSuccess when the
	// last one that rejected no file did (zero: never).
	Attempted, LastSuccess time.Time
	Duration               time.Duration
	// Files are the files of the last ingest; Pending the files it left
	// for a later one because they were still being written.
	Files   []snapshot.FileSummary
	Pending []string
	// RowsAccepted and RowsRejected count the region rows of the last ingest.
	RowsAccepted, RowsRejected int
	// Regions counts the regions the source serves: its records less the
	// Conflicts, the regions another source serves in its place.
	Regions, Conflicts int
	// FindingsByCheck counts the data-quality findings by check, the
	// Conflicts included as duplicate_region: jkn_data_quality_findings.
	FindingsByCheck map[string]int
	// Findings are the findings of the last ingest themselves (the
	// conflicts are counted, not listed).
	Findings []jkn.Finding
	// NewestAsOf is the newest as-of date among all the source's records,
	// served or not (zero: none).
	NewestAsOf time.Time
	// Completeness says how many of the regions the source is expected to
	// report its newest sheet carries, and which it leaves out (nil:
	// nothing expected yet).
	Completeness *ingest.Completeness
}

// sourceStatus computes the status of a snapshot; served and conflicts
// count its regions after the resolution across sources.
func sourceStatus(s *snapshot.Snapshot, served, conflicts int) SourceStatus {
	st := SourceStatus{
		Source: s.Source, BranchOffice: s.BranchOffice, Up: s.Up, Restored: s.Restored, Error: s.Error,
		Attempted: s.Attempted, LastSuccess: s.LastSuccess, Duration: s.Duration,
		Files: s.Files, Pending: s.Pending, RowsAccepted: s.RowsAccepted, RowsRejected: s.RowsRejected,
		Regions: served, Conflicts: conflicts, FindingsByCheck: map[string]int{}, Findings: s.Findings,
		Completeness: s.Completeness,
	}
	for _, f := range s.Findings {
		st.FindingsByCheck[f.Check]++
	}
	if conflicts > 0 {
		st.FindingsByCheck["duplicate_region"] += conflicts
	}
	// Computed here, once per change: a national source has 84,000
	// records and is scraped far more often than it changes.
	for i := range s.Records {
		if s.Records[i].AsOf.After(st.NewestAsOf) {
			st.NewestAsOf = s.Records[i].AsOf
		}
	}
	return st
}

// WithTimes is the rendering with a source's times (when it was last
// attempted, and last succeeded) as its snapshot s now has them; the rest
// is shared with r. It is what an ingest that found nothing changed
// publishes (snapshot.Store.Touch): no region and no count moves, so
// nothing is rendered again.
func (r *Rendered) WithTimes(s *snapshot.Snapshot) *Rendered {
	if r == nil {
		return nil
	}
	out := *r
	out.Sources = slices.Clone(r.Sources)
	if st, ok := out.Source(s.Source); ok {
		st.Attempted, st.LastSuccess = s.Attempted, s.LastSuccess
	}
	return &out
}

// Source returns the status of a source in the rendering.
func (r *Rendered) Source(name string) (*SourceStatus, bool) {
	if r == nil {
		return nil, false
	}
	// Sources are sorted by name, as the view is.
	i, ok := slices.BinarySearchFunc(r.Sources, name, func(s SourceStatus, name string) int { return strings.Compare(s.Source, name) })
	if !ok {
		return nil, false
	}
	return &r.Sources[i], true
}
