package collector

import (
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
)

// State is what a scrape reads: the snapshots and their rendering, swapped
// together so the region part and the self-metrics agree.
type State struct {
	View     snapshot.View
	Rendered *Rendered
	// Key is the Renderer.Key the region part was rendered under (empty:
	// not known), so that it can be saved and served again after a
	// restart under the same rendering only.
	Key string
}

// Exposition holds the current state for scrapes.
type Exposition struct {
	cur atomic.Pointer[State]

	// The gzip form of the region part is computed after a state is
	// published, by one goroutine at a time, for the newest state only.
	mu          sync.Mutex
	next        *State
	compressing bool
	idle        *sync.Cond // signalled when compressing ends
}

// Load returns the current state; never nil.
func (e *Exposition) Load() *State {
	if s := e.cur.Load(); s != nil {
		return s
	}
	return &State{Rendered: &Rendered{}}
}

// Store publishes a new state as it is.
func (e *Exposition) Store(s *State) { e.cur.Store(s) }

// Publish publishes a new state and then compresses its region part in
// the background (about a second for a national village snapshot, which
// must not hold up the ingest that published it). Until that is done,
// scrapes get the new state uncompressed; a state published meanwhile
// supersedes it, and only the newest is compressed.
func (e *Exposition) Publish(s *State) {
	e.cur.Store(s)
	if s.Rendered == nil || s.Rendered.Text.Compressed() {
		return
	}
	e.mu.Lock()
	e.next = s
	start := !e.compressing
	e.compressing = true
	e.mu.Unlock()
	if start {
		go e.compressLoop()
	}
}

// Update publishes the state f makes of the current one, unless nothing
// was published yet. A state of the same Text as the one being
// compressed gets its gzip form all the same.
func (e *Exposition) Update(f func(*State) *State) {
	for {
		cur := e.cur.Load()
		if cur == nil || e.cur.CompareAndSwap(cur, f(cur)) {
			return
		}
	}
}

// WaitCompressed waits until no compression is under way, so the newest
// published state is compressed (or was superseded by a Store).
func (e *Exposition) WaitCompressed() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for e.compressing {
		e.cond().Wait()
	}
}

// cond returns the condition compressLoop signals; e.mu must be held.
func (e *Exposition) cond() *sync.Cond {
	if e.idle == nil {
		e.idle = sync.NewCond(&e.mu)
	}
	return e.idle
}

func (e *Exposition) compressLoop() {
	for {
		e.mu.Lock()
		s := e.next
		e.next = nil
		if s == nil {
			e.compressing = false
			e.cond().Broadcast()
			e.mu.Unlock()
			return
		}
		e.mu.Unlock()
		if textOf(e.cur.Load()) != s.Rendered.Text {
			continue // superseded before its turn
		}
		// A copy: the published Text is being read by scrapes.
		text := *s.Rendered.Text
		text.Compress()
		// Into the current state, which an Update may have made from s
		// meanwhile; not into a later rendering.
		for {
			cur := e.cur.Load()
			if textOf(cur) != s.Rendered.Text {
				break
			}
			r := *cur.Rendered
			r.Text = &text
			if e.cur.CompareAndSwap(cur, &State{View: cur.View, Rendered: &r, Key: cur.Key}) {
				break
			}
		}
	}
}

// textOf is a state's region text; nil for none.
func textOf(s *State) *Text {
	if s == nil || s.Rendered == nil {
		return nil
	}
	return s.Rendered.Text
}

var (
	upDesc = prometheus.NewDesc("jkn_source_up",
		"1 when the last ingest of the source read it and rejected no file.", []string{"source", "branch_office"}, nil)
	lastSuccessDesc = prometheus.NewDesc("jkn_source_last_success_timestamp_seconds",
		"When the last ingest that rejected no file finished, in Unix seconds.", []string{"source", "branch_office"}, nil)
	durationDesc = prometheus.NewDesc("jkn_source_ingest_duration_seconds",
		"How long the last ingest of the source took.", []string{"source", "branch_office"}, nil)
	rowsDesc = prometheus.NewDesc("jkn_source_rows",
		"Region rows of the last ingest, accepted or rejected.", []string{"source", "branch_office", "status"}, nil)
	regionsDesc = prometheus.NewDesc("jkn_source_regions",
		"Regions the source serves (after resolving regions carried by several sources).", []string{"source", "branch_office"}, nil)
	findingsDesc = prometheus.NewDesc("jkn_data_quality_findings",
		"Data-quality findings of the source's last ingest, by check.", []string{"source", "branch_office", "check"}, nil)
	asOfDesc = prometheus.NewDesc("jkn_source_data_as_of_timestamp_seconds",
		"Newest as-of date among the regions the source carries, in Unix seconds.", []string{"source", "branch_office"}, nil)
	expectedDesc = prometheus.NewDesc("jkn_source_expected_regions",
		"Regions the source is expected to report: its configured list, or the regions its earlier sheets carried.", []string{"source", "branch_office"}, nil)
	reportedDesc = prometheus.NewDesc("jkn_source_reported_regions",
		"Expected regions the source's newest sheet carries (the sheets of the newest month among its sheets).", []string{"source", "branch_office"}, nil)
)

// SourceCollector exposes the per-source self-metrics from the current
// rendering's SourceStatus.
type SourceCollector struct {
	Exposition *Exposition
}

// Describe implements prometheus.Collector.
func (c SourceCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{upDesc, lastSuccessDesc, durationDesc, rowsDesc, regionsDesc, findingsDesc, asOfDesc, expectedDesc, reportedDesc} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c SourceCollector) Collect(ch chan<- prometheus.Metric) {
	for _, s := range c.Exposition.Load().Rendered.Sources {
		up := 0.0
		if s.Up {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, up, s.Source, s.BranchOffice)
		// Freshness only exists once an ingest succeeded: a failure must
		// not look fresh.
		if !s.LastSuccess.IsZero() {
			ch <- prometheus.MustNewConstMetric(lastSuccessDesc, prometheus.GaugeValue, Timestamp(s.LastSuccess), s.Source, s.BranchOffice)
		}
		if !s.Restored {
			ch <- prometheus.MustNewConstMetric(durationDesc, prometheus.GaugeValue, s.Duration.Seconds(), s.Source, s.BranchOffice)
		}
		ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.GaugeValue, float64(s.RowsAccepted), s.Source, s.BranchOffice, "accepted")
		ch <- prometheus.MustNewConstMetric(rowsDesc, prometheus.GaugeValue, float64(s.RowsRejected), s.Source, s.BranchOffice, "rejected")
		ch <- prometheus.MustNewConstMetric(regionsDesc, prometheus.GaugeValue, float64(s.Regions), s.Source, s.BranchOffice)
		for check, n := range s.FindingsByCheck {
			ch <- prometheus.MustNewConstMetric(findingsDesc, prometheus.GaugeValue, float64(n), s.Source, s.BranchOffice, check)
		}
		if !s.NewestAsOf.IsZero() {
			ch <- prometheus.MustNewConstMetric(asOfDesc, prometheus.GaugeValue, Timestamp(s.NewestAsOf), s.Source, s.BranchOffice)
		}
		if c := s.Completeness; c != nil {
			ch <- prometheus.MustNewConstMetric(expectedDesc, prometheus.GaugeValue, float64(c.Expected), s.Source, s.BranchOffice)
			ch <- prometheus.MustNewConstMetric(reportedDesc, prometheus.GaugeValue, float64(c.Reported), s.Source, s.BranchOffice)
		}
	}
}
