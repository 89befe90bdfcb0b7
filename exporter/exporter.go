// Package exporter runs the sources on their schedules and publishes what
// they read: each ingest builds a new snapshot of its source, swaps it into
// the store, saves it under the storage path and re-renders the exposition.
// A scrape only ever reads the last rendering.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/read"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

// Source is a configured source with the settings its sheets are read under.
type Source struct {
	sources.Source
	Kind     string // "directory", "url", "demo"
	Location string // the directory or URL, for the status page
	Schedule string
	Settings ingest.Settings
	// Upload is set when branch offices may upload workbooks to the source.
	Upload *Upload
}

// key identifies what a source reads and how, so a reload can tell a
// changed source from an unchanged one.
func (s *Source) key() string {
	return fmt.Sprintf("%s|%s|%s|%+v|%+v", s.Kind, s.Location, s.Schedule, s.Settings, s.Upload)
}

// Options configure an Exporter.
type Options struct {
	Logger    *slog.Logger
	Reference *region.Reference
	// StoragePath holds the last good snapshot of every source; empty: none.
	StoragePath string
	Registerer  prometheus.Registerer
	// MaxConcurrentUploads bounds the uploads received and parsed at once
	// (limits.max_concurrent_uploads; 0: DefaultMaxConcurrentUploads), and
	// MaxUploadBytesInFlight the bytes they may hold together
	// (limits.max_upload_bytes_in_flight; 0: DefaultMaxUploadBytesInFlight).
	MaxConcurrentUploads   int
	MaxUploadBytesInFlight int64
}

// running is a source in service.
type running struct {
	*Source
	// mu serialises the ingests of the source (cron, start-up, trigger,
	// upload) and guards cache.
	mu    sync.Mutex
	entry cron.EntryID
	// cache keeps what the ingests made of each file: an unchanged file
	// is not read again. A source whose config changes is a new running,
	// with an empty cache.
	cache ingest.Cache
	// unsaved: the last snapshot could not be saved; the next ingest
	// saves, even one that changed nothing.
	unsaved bool
}

// Exporter schedules the sources and publishes their snapshots.
type Exporter struct {
	opts     Options
	store    *snapshot.Store
	expo     *collector.Exposition
	renderer atomic.Pointer[collector.Renderer]

	// mu guards sources and ctx; cron has its own lock.
	mu      sync.Mutex
	sources map[string]*running
	ctx     context.Context // set by Run: ingests started by Apply use it
	cron    *cron.Cron

	uploads *uploadGate

	ingestErrors *prometheus.CounterVec
	unchanged    *prometheus.CounterVec
	persistFails *prometheus.CounterVec
	ready        atomic.Bool

	// The exposition saved beside the state files (restore.go): build
	// names this build in its key; expoMu guards saved, the sum of the
	// state file each snapshot in service was saved to, and serialises
	// the saves; preload is the saved exposition a restart serves until
	// its snapshots are restored.
	build   string
	expoMu  sync.Mutex
	saved   map[*snapshot.Snapshot]string
	preload atomic.Pointer[preloaded]
}

// New builds an exporter for a set of sources judged under rules.
func New(opts Options, srcs []*Source, rules criteria.Rules) (*Exporter, error) {
	e := &Exporter{
		opts:    opts,
		expo:    &collector.Exposition{},
		sources: map[string]*running{},
		saved:   map[*snapshot.Snapshot]string{},
		uploads: newUploadGate(opts.MaxConcurrentUploads, opts.MaxUploadBytesInFlight),
		cron:    cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger))),
		ingestErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jkn_source_ingest_errors_total",
			Help: "Files rejected whole, and sources that could not be read, by reason.",
		}, []string{"source", "branch_office", "reason"}),
		unchanged: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jkn_source_files_unchanged_total",
			Help: "Files an ingest found unchanged since the last one (the same stat, or the same SHA-256) and did not parse again.",
		}, []string{"source", "branch_office"}),
		persistFails: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jkn_snapshot_persist_errors_total",
			Help: "Failures to save or restore a source's snapshot under --storage.path, by operation.",
		}, []string{"source", "branch_office", "op"}),
	}
	if opts.StoragePath != "" {
		e.build = buildID()
	}
	e.store = snapshot.NewStore(e.publish)
	if opts.Registerer != nil {
		for _, c := range []prometheus.Collector{e.ingestErrors, e.unchanged, e.persistFails, collector.SourceCollector{Exposition: e.expo}} {
			if err := opts.Registerer.Register(c); err != nil {
				return nil, fmt.Errorf("registering metrics: %w", err)
			}
		}
	}
	if err := e.Apply(srcs, rules); err != nil {
		return nil, err
	}
	return e, nil
}

// Apply makes a set of sources and rules current: sources that are new
// or changed are (re)scheduled and read at once when the exporter runs,
// unchanged ones keep their schedule, removed ones stop and their series
// disappear. It is how both start-up and reload take effect.
func (e *Exporter) Apply(srcs []*Source, rules criteria.Rules) error {
	next := map[string]*Source{}
	for _, s := range srcs {
		if _, dup := next[s.Name()]; dup {
			return fmt.Errorf("source %q is configured twice", s.Name())
		}
		if s.Schedule != "" {
			if _, err := cron.ParseStandard(s.Schedule); err != nil {
				return fmt.Errorf("source %q: schedule %q: %w", s.Name(), s.Schedule, err)
			}
		}
		if s.Settings.Expected.IsSet() && e.opts.Reference != nil {
			if _, err := s.Settings.Expected.Regions(e.opts.Reference); err != nil {
				return fmt.Errorf("source %q: %w", s.Name(), err)
			}
		}
		next[s.Name()] = s
	}
	e.mu.Lock()
	var started []*running
	keep := map[string]bool{}
	for name, r := range e.sources {
		if n, ok := next[name]; !ok || n.key() != r.key() {
			e.cron.Remove(r.entry)
			delete(e.sources, name)
			if !ok {
				e.unchanged.DeletePartialMatch(prometheus.Labels{"source": name})
			}
		}
	}
	for name, s := range next {
		keep[name] = true
		if _, ok := e.sources[name]; ok {
			continue
		}
		r := &running{Source: s}
		if s.Schedule != "" {
			id, err := e.cron.AddFunc(s.Schedule, func() { e.ingest(r) })
			if err != nil { // checked above; cannot happen
				e.mu.Unlock()
				return fmt.Errorf("source %q: %w", name, err)
			}
			r.entry = id
		}
		e.sources[name] = r
		started = append(started, r)
	}
	running := e.ctx != nil
	e.mu.Unlock()

	// Places may be a nil *Reference (tests): it then places nothing.
	e.renderer.Store(&collector.Renderer{Criteria: rules.Policy, Overrides: rules.Overrides, Awards: rules.Awards, Places: e.opts.Reference})
	// Retain drops removed sources and re-renders under the new criteria.
	e.store.Retain(keep)
	if running {
		for _, r := range started {
			go e.ingest(r)
		}
	}
	return nil
}

// Exposition is what /metrics serves.
func (e *Exporter) Exposition() *collector.Exposition { return e.expo }

// Store holds the current snapshots.
func (e *Exporter) Store() *snapshot.Store { return e.store }

// Sources lists the sources in service, sorted by name.
func (e *Exporter) Sources() []*Source {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]*Source, 0, len(e.sources))
	for _, r := range e.sources {
		out = append(out, r.Source)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name() < out[j].Name() })
	return out
}

// NextRun is when a source is next read on its schedule; zero when it has
// no schedule or the exporter is not running.
func (e *Exporter) NextRun(name string) time.Time {
	e.mu.Lock()
	r, ok := e.sources[name]
	e.mu.Unlock()
	if !ok || r.entry == 0 {
		return time.Time{}
	}
	return e.cron.Entry(r.entry).Next
}

func (e *Exporter) lookup(name string) (*running, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r, ok := e.sources[name]
	return r, ok
}

// current reports whether r is still the source in service under its name:
// an ingest that finishes after a reload replaced or removed its source
// must not publish.
func (e *Exporter) current(r *running) bool {
	got, ok := e.lookup(r.Name())
	return ok && got == r
}

// Ready reports whether every source has been read once or restored from disk.
func (e *Exporter) Ready() bool { return e.ready.Load() }

// publish renders a new view; it runs under the store's lock, in order.
func (e *Exporter) publish(v snapshot.View) {
	rd := e.renderer.Load()
	key := rd.Key()
	// The first change after a restart that served the saved exposition:
	// the restored snapshots take it over, or it is rendered anew.
	if p := e.preload.Swap(nil); p != nil && p.matches(v, key) {
		e.expo.Publish(&collector.State{View: v, Rendered: rd.RenderWith(v, p.text), Key: key})
		return
	}
	e.expo.Publish(&collector.State{View: v, Rendered: rd.Render(v), Key: key})
}

// Restore serves the saved snapshots before the first ingest finishes:
// first the exposition saved with them, when it is theirs, then the
// snapshots, decoded, all at once. A corrupt state file is reported and
// ignored, never served.
func (e *Exporter) Restore() {
	if e.opts.StoragePath == "" {
		return
	}
	srcs := e.Sources()
	names := make([]string, 0, len(srcs))
	for _, s := range srcs {
		if n, err := snapshot.RemoveTemp(e.opts.StoragePath, s.Name()); n > 0 || err != nil {
			e.opts.Logger.Info("removed temporary files of an interrupted snapshot save", "source_name", s.Name(), "files", n, "err", err)
		}
		names = append(names, s.Name())
	}
	if n, err := snapshot.RemoveExpositionTemp(e.opts.StoragePath); n > 0 || err != nil {
		e.opts.Logger.Info("removed temporary files of an interrupted exposition save", "files", n, "err", err)
	}
	sums := e.serveSaved(names)
	// Decoding the records makes several times their size in garbage; at
	// the usual GC percent the heap would grow to 1.75 times the served
	// exposition and the records before a collection, the restore's peak
	// (issue 18: within 30 % of the steady state). Collected more often
	// meanwhile, unless GOGC asks for less.
	if old := debug.SetGCPercent(restoreGCPercent); old < restoreGCPercent {
		debug.SetGCPercent(old)
	} else {
		defer debug.SetGCPercent(old)
	}
	var restored []*snapshot.Snapshot
	regions := 0
	for _, s := range srcs {
		snap, err := snapshot.Load(e.opts.StoragePath, s.Name())
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue
		case err != nil:
			e.opts.Logger.Warn("ignoring saved snapshot", "source_name", s.Name(), "err", err)
			e.persistFails.WithLabelValues(s.Name(), s.Settings.BranchOffice, "restore").Inc()
			continue
		}
		restored = append(restored, snap)
		regions += len(snap.Records)
		e.opts.Logger.Info("restored last good snapshot", "source_name", s.Name(), "regions", len(snap.Records), "attempted", snap.Attempted)
	}
	if p := e.preload.Load(); p != nil {
		p.snaps = map[string]*snapshot.Snapshot{}
		for _, s := range restored {
			p.snaps[s.Source] = s
		}
	}
	e.expoMu.Lock()
	for _, s := range restored {
		if sum, ok := sums[s.Source]; ok {
			e.saved[s] = sum
		}
	}
	e.expoMu.Unlock()
	if len(restored) > 0 {
		e.store.PutAll(restored)
	} else if e.preload.Swap(nil) != nil {
		// Nothing restored after all: the saved exposition goes too.
		e.store.Retain(nil)
	}
	if regions >= largeSnapshot {
		debug.FreeOSMemory() // the decode's garbage, as after an ingest
	}
}

// restoreGCPercent is the GC percent while the saved records are decoded.
const restoreGCPercent = 25

// Run restores the saved snapshots, reads every source once, then reads
// each on its schedule until ctx is done.
func (e *Exporter) Run(ctx context.Context) error {
	e.Restore()
	if e.allRestored() {
		e.ready.Store(true)
	}
	e.mu.Lock()
	e.ctx = ctx
	initial := make([]*running, 0, len(e.sources))
	for _, r := range e.sources {
		initial = append(initial, r)
	}
	e.mu.Unlock()
	e.cron.Start()
	var wg sync.WaitGroup
	for _, r := range initial {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.ingest(r)
		}()
	}
	wg.Wait()
	e.ready.Store(true)
	<-ctx.Done()
	<-e.cron.Stop().Done()
	return nil
}

func (e *Exporter) allRestored() bool {
	for _, s := range e.Sources() {
		if e.store.Get(s.Name()) == nil {
			return false
		}
	}
	return true
}

// ErrUnknownSource is returned for a source name not in service.
var ErrUnknownSource = errors.New("no such source")

// IngestNow reads one source now (the manual trigger) and returns its new
// snapshot. Every file is read and parsed again, changed or not.
func (e *Exporter) IngestNow(name string) (*snapshot.Snapshot, error) {
	r, ok := e.lookup(name)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownSource, name)
	}
	return e.ingestInto(r, true, true), nil
}

// Ingest reads one source now and publishes its new snapshot. For tests
// and tools that hold a *Source; the service uses IngestNow.
func (e *Exporter) Ingest(_ context.Context, s *Source) *snapshot.Snapshot {
	r, ok := e.lookup(s.Name())
	if !ok || r.Source != s {
		r = &running{Source: s}
		return e.ingestInto(r, false, false)
	}
	return e.ingest(r)
}

func (e *Exporter) ingest(r *running) *snapshot.Snapshot { return e.ingestInto(r, true, false) }

// ingestInto reads a source and publishes the result; with check set, only
// while the source is still in service. Files unchanged since the last
// ingest are not read again (ingest.Cache), unless force is set; when none
// changed, nothing served changes either (unchanged).
func (e *Exporter) ingestInto(r *running, check, force bool) *snapshot.Snapshot {
	r.mu.Lock()
	defer r.mu.Unlock()
	e.mu.Lock()
	ctx := e.ctx
	e.mu.Unlock()
	if ctx == nil {
		ctx = context.Background()
	}
	s := r.Source
	log := e.opts.Logger.With("source_name", s.Name())
	prev := e.store.Get(s.Name())
	start := time.Now()
	files, err := s.Fetch(ctx)
	var pending []string
	if p, ok := s.Source.(sources.Pender); ok {
		pending = p.Pending()
	}
	var snap *snapshot.Snapshot
	var res *ingest.Result
	if err != nil {
		e.ingestErrors.WithLabelValues(s.Name(), s.Settings.BranchOffice, "source_unreadable").Inc()
		log.Error("cannot read source; still serving its last good snapshot", "err", err)
		snap = snapshot.Failed(s.Name(), s.Settings.BranchOffice, err, prev, start, time.Now())
	} else {
		if force {
			r.cache.Reset()
		}
		res = r.cache.Ingest(files, s.Settings, e.opts.Reference)
		reused := 0
		for _, f := range res.Files {
			switch {
			case f.Reuse != ingest.Parsed:
				reused++
				log.Debug("workbook unchanged since the last ingest; not parsed again", "file", f.Name, "sha256", f.SHA256,
					"read", f.Reuse == ingest.SameBytes, "rejected", f.Reason)
			case f.Rejected():
				// Counted when read and rejected, not again while the
				// same file stays rejected.
				e.ingestErrors.WithLabelValues(s.Name(), s.Settings.BranchOffice, f.Reason).Inc()
				log.Error("rejected workbook", "file", f.Name, "sha256", f.SHA256, "reason", f.Reason, "err", f.Error)
			}
		}
		if reused > 0 { // no series until a file is found unchanged, as for the errors
			e.unchanged.WithLabelValues(s.Name(), s.Settings.BranchOffice).Add(float64(reused))
		}
		if unchanged(res, prev, pending) {
			return e.touch(r, check, prev, log)
		}
		res.Follow(before(prev), s.Settings, e.opts.Reference)
		snap = snapshot.Build(s.Name(), s.Settings.BranchOffice, res, prev, start, time.Now())
		for _, fd := range res.Findings {
			log.Debug("finding", "check", fd.Check, "finding", fd.String())
		}
	}
	snap.Pending = pending // not yet published: still ours to fill in
	if check && !e.current(r) {
		log.Info("source was removed or changed during its ingest; result dropped")
		return snap
	}
	e.store.Put(snap)
	if res != nil {
		log.Info("ingested", "files", len(files), "regions", len(snap.Records),
			"rows_accepted", res.RowsAccepted, "rows_rejected", res.RowsRejected,
			"findings", len(res.Findings), "duration", snap.Duration)
	}
	e.save(r, snap, log)
	if len(snap.Records) >= largeSnapshot {
		// A national village ingest leaves a few hundred MB of garbage
		// (parse, render, compression, state file). Given back now, not
		// at the next periodic collection minutes later, so the resident
		// size between ingests is what is live.
		e.expo.WaitCompressed()
		debug.FreeOSMemory()
	}
	return snap
}

// unchanged reports whether an ingest found every file of the source as
// the one before it did (none read, or rejected anew) and no other file
// pending: what prev serves is then what this ingest would build.
func unchanged(res *ingest.Result, prev *snapshot.Snapshot, pending []string) bool {
	if prev == nil || prev.Restored || prev.Error != "" || len(res.Files) != len(prev.Files) || !slices.Equal(pending, prev.Pending) {
		return false
	}
	for i, f := range res.Files {
		if f.Reuse != ingest.Unchanged || f.Name != prev.Files[i].Name {
			return false
		}
	}
	return true
}

// touch publishes, for an ingest that found nothing changed, the
// previous snapshot with this ingest's times: it ran now and, if the
// source is up, succeeded now. Nothing is parsed, rendered or saved (the
// state file keeps the times of the last ingest that changed something,
// unless its save failed: it is saved now).
func (e *Exporter) touch(r *running, check bool, prev *snapshot.Snapshot, log *slog.Logger) *snapshot.Snapshot {
	snap := *prev
	snap.Attempted = time.Now()
	if snap.Up {
		snap.LastSuccess = snap.Attempted
	}
	if check && !e.current(r) {
		return &snap
	}
	e.store.Touch(&snap, func(v snapshot.View) {
		e.expo.Update(func(cur *collector.State) *collector.State {
			return &collector.State{View: v, Rendered: cur.Rendered.WithTimes(&snap), Key: cur.Key}
		})
	})
	// Its state file is the one saved before: the saved exposition's key
	// still holds for it.
	e.expoMu.Lock()
	if sum, ok := e.saved[prev]; ok {
		e.saved[&snap] = sum
	}
	e.expoMu.Unlock()
	log.Debug("no file changed since the last ingest: serving its figures as they are", "files", len(snap.Files), "regions", len(snap.Records))
	if r.unsaved {
		e.save(r, &snap, log)
	}
	return &snap
}

// save writes a source's snapshot under the storage path, if any.
func (e *Exporter) save(r *running, snap *snapshot.Snapshot, log *slog.Logger) {
	if e.opts.StoragePath == "" {
		return
	}
	r.unsaved = false
	if err := snapshot.Save(e.opts.StoragePath, snap); err != nil {
		// Serving goes on from memory; the next ingest tries again.
		r.unsaved = true
		e.persistFails.WithLabelValues(snap.Source, snap.BranchOffice, "save").Inc()
		log.Error("cannot save snapshot", "err", err)
		return
	}
	e.noteSaved(snap)
	e.saveExposition()
}

// before is what a source served before its next ingest.
func before(prev *snapshot.Snapshot) ingest.Before {
	if prev == nil {
		return ingest.Before{}
	}
	return ingest.Before{Records: prev.Records, Priors: prev.Priors, Completeness: prev.Completeness}
}

// Check reads a source as its next ingest would and runs every check,
// against what the source serves now, without publishing anything: what
// `jkn_exporter check` and the golden tests report.
func (e *Exporter) Check(ctx context.Context, s *Source) (*ingest.Result, error) {
	files, err := s.Fetch(ctx)
	if err != nil {
		return nil, err
	}
	res := ingest.Ingest(files, s.Settings, e.opts.Reference)
	res.Follow(before(e.store.Get(s.Name())), s.Settings, e.opts.Reference)
	return res, nil
}

// largeSnapshot is the size from which an ingest returns its garbage to the
// system at once: a district-level province, say.
const largeSnapshot = 20000

// SourcesFromConfig builds the sources a configuration names.
func SourcesFromConfig(cfg *config.Config) []*Source {
	opts := table.Options{Limits: read.Limits{UnzipSizeLimit: cfg.Limits.MaxUnzipBytes, UnzipXMLSizeLimit: cfg.Limits.MaxUnzipXMLBytes,
		MaxRows: cfg.Limits.MaxRows, MaxSheets: cfg.Limits.MaxSheets, MaxSharedStrings: cfg.Limits.MaxSharedStrings}}
	maxFile := cfg.Limits.MaxFileBytes
	if maxFile == 0 {
		maxFile = DefaultMaxFileBytes
	}
	var out []*Source
	for _, sc := range cfg.Sources {
		s := &Source{
			Schedule: sc.Schedule,
			Settings: ingest.Settings{BranchOffice: sc.BranchOffice, Province: sc.Province, MaxFileBytes: maxFile, Parser: opts,
				Checks: ingest.Thresholds(cfg.Checks)},
		}
		if sc.Expected != nil {
			s.Settings.Expected = ingest.Expected(*sc.Expected)
		}
		if sc.URL != "" {
			u := &sources.URL{SourceName: sc.Name, URL: sc.URL, Timeout: sc.Timeout, MaxBytes: maxFile,
				BearerTokenFile: sc.BearerTokenFile, CAFile: sc.CAFile}
			if sc.Retries != nil {
				u.Retries = *sc.Retries
			}
			if sc.BasicAuth != nil {
				u.Username, u.PasswordFile = sc.BasicAuth.Username, sc.BasicAuth.PasswordFile
			}
			s.Source, s.Kind, s.Location = u, "url", sources.RedactURL(sc.URL)
		} else {
			s.Source, s.Kind, s.Location = &sources.Dir{SourceName: sc.Name, Path: sc.Path, MaxFileBytes: maxFile, SettleTime: sc.SettleTime}, "directory", sc.Path
			if sc.Upload != nil {
				s.Upload = &Upload{TokenFile: sc.Upload.TokenFile, PasswordHash: sc.Upload.PasswordHash}
			}
		}
		out = append(out, s)
	}
	return out
}

// DefaultMaxFileBytes bounds one workbook file: real sheets are well under
// a few megabytes; a national village sheet is about 6 MB.
const DefaultMaxFileBytes = 64 << 20
