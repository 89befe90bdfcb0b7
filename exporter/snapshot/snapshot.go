// Package snapshot holds what each source serves: an immutable snapshot per
// source, swapped atomically after each ingest and written to disk so that a
// restart serves the last good figures before the first ingest finishes.
package snapshot

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// FileSummary is what one file of the last ingest became.
type FileSummary struct {
	Name       string
	SHA256     string
	Size       int64
	Sheet      string
	HeaderRow  int
	AsOf       time.Time
	AsOfOrigin string
	Regions    int
	// Reason and Error are set when the file was rejected whole.
	Reason string
	Error  string
	// Kept is true when the file was rejected and its records from the
	// previous good read are still served.
	Kept bool
}

// Snapshot is the immutable state of one source. Never modify one that has
// been published; build a new one. It is saved through the state file's
// own types (state.go).
type Snapshot struct {
	Source string
	// BranchOffice labels the source's self-metrics too, so alerts about a
	// failing source reach the office and can hold back its region alerts.
	BranchOffice string
	// Attempted is when the last ingest finished, LastSuccess when the last
	// ingest that rejected no file finished (zero: never).
	Attempted   time.Time
	LastSuccess time.Time
	Duration    time.Duration
	// Up is false when the last ingest rejected a file or could not read
	// the source at all.
	Up bool
	// Error is set when the source as a whole could not be read; the
	// records are then the previous snapshot's.
	Error        string
	Files        []FileSummary
	Records      []ingest.Record
	Findings     []jkn.Finding
	RowsAccepted int
	RowsRejected int
	// Pending are the files the ingest's fetch left for a later one because
	// they were still being written (sources.Pender); not saved.
	Pending []string
	// Priors are each region's figures in the sheet before the one
	// served, for the checks between sheets; Completeness says whether the
	// newest sheet carries every expected region (nil: nothing expected).
	Priors       []ingest.Prior
	Completeness *ingest.Completeness
	// Restored is true for a snapshot read back from disk at start.
	Restored bool
}

// Build makes the next snapshot of a source from an ingest result and the
// previous snapshot (nil when none). A file rejected whole keeps serving
// the records it gave last time: a half-saved or broken replacement must
// not make a region vanish. A file that is gone from the source is gone.
func Build(source, branch string, res *ingest.Result, prev *Snapshot, started, finished time.Time) *Snapshot {
	s := &Snapshot{
		Source: source, BranchOffice: branch, Attempted: finished, Duration: finished.Sub(started), Up: true,
		RowsAccepted: res.RowsAccepted, RowsRejected: res.RowsRejected,
		Findings: res.Findings, Priors: res.Priors, Completeness: res.Completeness,
	}
	if prev != nil {
		s.LastSuccess = prev.LastSuccess
	}
	// The records a rejected file gave last time, where they still win.
	var kept []ingest.Record
	for _, f := range res.Files {
		fs := FileSummary{Name: f.Name, SHA256: f.SHA256, Size: f.Size, Regions: len(f.Records), Reason: f.Reason, Error: f.Error}
		if f.Table != nil {
			fs.Sheet, fs.HeaderRow, fs.AsOf, fs.AsOfOrigin = f.Table.Sheet, f.Table.HeaderRow, f.Table.AsOf, string(f.Table.AsOfOrigin)
		}
		if f.Rejected() {
			s.Up = false
			if prev != nil {
				for _, r := range prev.Records {
					if r.File == f.Name {
						fs.Kept = true
						kept = append(kept, r)
					}
				}
			}
		}
		s.Files = append(s.Files, fs)
	}
	stale, notes := keptRegions(res, prev)
	kept = append(kept, stale...)
	s.Findings = append(s.Findings, notes...)
	s.Records = records(res.Records, kept)
	if s.Up {
		s.LastSuccess = finished
	}
	return s
}

// CheckKept is the finding of a region whose new row was rejected and
// which is still served with the figures of its last good row.
const CheckKept = "kept_previous_figures"

// keptRegions returns, for each region whose row in a file read this time
// was rejected and that no other row serves now, the record it was served
// before, with a finding that says so: a bad cell must not make a region's
// series vanish (its below-target alert would resolve as if fixed). The
// kept record keeps its older as-of date, so the pages and
// jkn_data_as_of_timestamp_seconds show it is stale.
func keptRegions(res *ingest.Result, prev *Snapshot) ([]ingest.Record, []jkn.Finding) {
	if prev == nil || len(prev.Records) == 0 {
		return nil, nil
	}
	var (
		kept   []ingest.Record
		notes  []jkn.Finding
		before map[string]*ingest.Record
	)
	for _, f := range res.Files {
		codes := make([]string, 0, len(f.RejectedRegions))
		for code := range f.RejectedRegions {
			if _, served := slices.BinarySearchFunc(res.Records, code, func(r ingest.Record, c string) int { return strings.Compare(r.Region.Code, c) }); !served {
				codes = append(codes, code)
			}
		}
		if len(codes) == 0 {
			continue
		}
		if before == nil {
			before = make(map[string]*ingest.Record, len(prev.Records))
			for i := range prev.Records {
				before[prev.Records[i].Region.Code] = &prev.Records[i]
			}
		}
		slices.Sort(codes)
		sheet := ""
		if f.Table != nil {
			sheet = f.Table.Sheet
		}
		for _, code := range codes {
			old, ok := before[code]
			if !ok {
				continue
			}
			kept = append(kept, *old)
			msg := jkn.Msgf("the row of %s (%s) was rejected: still serving its figures from %s row %s, as of %s",
				old.Region.Name, code, old.File, strconv.Itoa(old.Row), jkn.Date(old.AsOf))
			notes = append(notes, jkn.Finding{
				File: f.Name, Sheet: sheet, Row: f.RejectedRegions[code], Check: CheckKept,
				Reason: msg.String(), Message: msg,
			})
		}
	}
	return kept, notes
}

// records is the snapshot's records: the ingest's, and the kept ones that
// win over them (jkn.Origin.Compare) or carry a region the ingest has not. The ingest's records
// come sorted by code, one per region; then, with nothing kept (nearly
// always), they are the snapshot's as they are: a national village
// snapshot is 84,000 records, not to be copied through a map.
func records(ingested, kept []ingest.Record) []ingest.Record {
	unique := true
	for i := 1; i < len(ingested) && unique; i++ {
		unique = ingested[i-1].Region.Code < ingested[i].Region.Code
	}
	if len(kept) == 0 && unique && ingested != nil {
		return ingested
	}
	byCode := make(map[string]ingest.Record, len(ingested)+len(kept))
	for _, r := range ingested {
		byCode[r.Region.Code] = r
	}
	for _, r := range kept {
		// The files' modification times are not kept: the rule decides by
		// date, then by name.
		old, ok := byCode[r.Region.Code]
		if !ok {
			byCode[r.Region.Code] = r
		} else if c, _ := r.Origin(time.Time{}).Compare(old.Origin(time.Time{})); c > 0 {
			byCode[r.Region.Code] = r
		}
	}
	out := make([]ingest.Record, 0, len(byCode))
	for _, r := range byCode {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Region.Code < out[j].Region.Code })
	return out
}

// Failed makes the next snapshot of a source that could not be read at all:
// the previous records stay, the source is down.
func Failed(source, branch string, err error, prev *Snapshot, started, finished time.Time) *Snapshot {
	s := &Snapshot{Source: source, BranchOffice: branch, Attempted: finished, Duration: finished.Sub(started), Error: err.Error()}
	if prev != nil {
		s.LastSuccess, s.Files, s.Records = prev.LastSuccess, prev.Files, prev.Records
		s.Findings, s.RowsAccepted, s.RowsRejected = prev.Findings, prev.RowsAccepted, prev.RowsRejected
		s.Priors, s.Completeness = prev.Priors, prev.Completeness
	}
	return s
}

// Store holds the current snapshot of every source. Readers get an
// immutable view and never wait for an ingest.
type Store struct {
	mu    sync.RWMutex
	snaps map[string]*Snapshot
	// onChange is called (outside the lock) with the new view after every
	// change, so the exposition is rendered once per change, not per scrape.
	onChange func(View)
}

// View is a consistent set of snapshots, one per source, sorted by source.
type View []*Snapshot

// NewStore returns an empty store; onChange may be nil.
func NewStore(onChange func(View)) *Store {
	return &Store{snaps: map[string]*Snapshot{}, onChange: onChange}
}

// Get returns the current snapshot of a source, or nil.
func (st *Store) Get(source string) *Snapshot {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.snaps[source]
}

// View returns the current snapshots.
func (st *Store) View() View {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.viewLocked()
}

func (st *Store) viewLocked() View {
	v := make(View, 0, len(st.snaps))
	for _, s := range st.snaps {
		v = append(v, s)
	}
	sort.Slice(v, func(i, j int) bool { return v[i].Source < v[j].Source })
	return v
}

// Put publishes a source's new snapshot.
func (st *Store) Put(s *Snapshot) {
	st.update(func(m map[string]*Snapshot) { m[s.Source] = s })
}

// Touch publishes a source's new snapshot that differs from its current
// one only in its times (an ingest that found nothing changed: when it
// ran, and its success): publish is called with the new view, under the
// lock as onChange is, instead of onChange, so nothing is rendered again.
func (st *Store) Touch(s *Snapshot, publish func(View)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.snaps[s.Source] = s
	publish(st.viewLocked())
}

// PutAll publishes several sources' snapshots as one change: the
// snapshots a restart restores are rendered once, together.
func (st *Store) PutAll(snaps []*Snapshot) {
	st.update(func(m map[string]*Snapshot) {
		for _, s := range snaps {
			m[s.Source] = s
		}
	})
}

// Retain drops every source not named in keep (a source removed from the
// config stops being served).
func (st *Store) Retain(keep map[string]bool) {
	st.update(func(m map[string]*Snapshot) {
		for name := range m {
			if !keep[name] {
				delete(m, name)
			}
		}
	})
}

func (st *Store) update(f func(map[string]*Snapshot)) {
	st.mu.Lock()
	f(st.snaps)
	v := st.viewLocked()
	// The callback runs under the lock so renders happen in the order of
	// the changes; it must not call back into the store.
	if st.onChange != nil {
		st.onChange(v)
	}
	st.mu.Unlock()
}
