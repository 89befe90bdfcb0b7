package exporter

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"sort"

	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
)

// A restart serves the exposition saved beside the state files before it
// decodes the records (issue 18): a national village snapshot took 1.6 s
// to decode and render again, with nothing served meanwhile. The saved
// exposition is served only when its key is the one computed at start
// from the state files on disk, the rendering's configuration and the
// build; the restored snapshots then take it over without rendering again
// (see publish), so what is served after a restart is byte for byte what
// was served before the stop.

// preloaded is the saved exposition a restart serves, waiting for the
// restored snapshots it was rendered from.
type preloaded struct {
	text *collector.Text
	// renderKey is the Renderer.Key it was rendered under; snaps the
	// restored snapshots, by source.
	renderKey string
	snaps     map[string]*snapshot.Snapshot
}

// matches reports whether v is exactly the restored snapshots, rendered
// under renderKey.
func (p *preloaded) matches(v snapshot.View, renderKey string) bool {
	if p.snaps == nil || renderKey != p.renderKey || len(v) != len(p.snaps) {
		return false
	}
	for _, s := range v {
		if p.snaps[s.Source] != s {
			return false
		}
	}
	return true
}

// stateSum is a source's state file as the exposition key names it.
type stateSum struct{ source, sum string }

// expositionKey names what an exposition was rendered from: the build,
// the rendering's configuration and each source's state file.
func expositionKey(build, renderKey string, sums []stateSum) []byte {
	sort.Slice(sums, func(i, j int) bool { return sums[i].source < sums[j].source })
	h := sha256.New()
	fmt.Fprintf(h, "build %s\nrender %q\n", build, renderKey)
	for _, s := range sums {
		fmt.Fprintf(h, "source %q %s\n", s.source, s.sum)
	}
	return h.Sum(nil)
}

// buildID identifies the running build: a rendering saved by another
// build (an upgrade, a rebuilt binary) is not served, as it may render
// differently.
func buildID() string {
	id := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		id = bi.GoVersion + " " + bi.Main.Path + " " + bi.Main.Version
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" || s.Key == "-ldflags" {
				id += " " + s.Key + "=" + s.Value
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if st, err := os.Stat(exe); err == nil {
			id += fmt.Sprintf(" exe %d %d", st.Size(), st.ModTime().UnixNano())
		}
	}
	return id
}

// serveSaved serves the saved exposition when it was rendered from the
// state files on disk under the current rendering; it returns each
// source's state file sum (none when it has no state file).
func (e *Exporter) serveSaved(names []string) map[string]string {
	sums := map[string]string{}
	var key []stateSum
	for _, name := range names {
		sum, err := snapshot.FileSum(e.opts.StoragePath, name)
		if err != nil {
			continue // no state file, or unreadable: Load says which
		}
		sums[name] = sum
		key = append(key, stateSum{name, sum})
	}
	if len(key) == 0 {
		return sums
	}
	rd := e.renderer.Load()
	renderKey := rd.Key()
	var text *collector.Text
	err := snapshot.LoadExposition(e.opts.StoragePath, expositionKey(e.build, renderKey, key), func(r io.Reader, size int64) error {
		var err error
		text, err = collector.ReadText(r, size)
		return err
	})
	switch {
	case errors.Is(err, os.ErrNotExist), errors.Is(err, snapshot.ErrStale):
		e.opts.Logger.Debug("no saved exposition for these snapshots", "err", err)
		return sums
	case err != nil:
		e.opts.Logger.Warn("ignoring saved exposition", "err", err)
		return sums
	}
	e.expo.Publish(&collector.State{Rendered: &collector.Rendered{Text: text}, Key: renderKey})
	e.preload.Store(&preloaded{text: text, renderKey: renderKey})
	e.opts.Logger.Info("serving the saved exposition while the snapshots are restored", "series", text.Series(), "bytes", text.Len())
	return sums
}

// saveExposition saves the exposition served now beside the state files,
// when every snapshot it was rendered from is saved there: after an
// ingest has saved its source's state.
func (e *Exporter) saveExposition() {
	e.expoMu.Lock()
	defer e.expoMu.Unlock()
	e.expo.WaitCompressed() // the gzip form is saved with it
	st := e.expo.Load()
	if st.Rendered == nil || st.Rendered.Text == nil || st.Key == "" {
		return
	}
	// Only the snapshots in service can be saved again.
	for s := range e.saved {
		if e.store.Get(s.Source) != s {
			delete(e.saved, s)
		}
	}
	key := make([]stateSum, 0, len(st.View))
	for _, s := range st.View {
		sum, ok := e.saved[s]
		if !ok {
			return // not saved (a failed save): the old file stays, for the old state files
		}
		key = append(key, stateSum{s.Source, sum})
	}
	text := st.Rendered.Text
	if err := snapshot.SaveExposition(e.opts.StoragePath, expositionKey(e.build, st.Key, key), text.WriteBinary); err != nil {
		e.opts.Logger.Error("cannot save the exposition", "err", err)
	}
}

// noteSaved records the sum of the state file a snapshot was saved to.
func (e *Exporter) noteSaved(s *snapshot.Snapshot) {
	sum, err := snapshot.FileSum(e.opts.StoragePath, s.Source)
	if err != nil {
		return
	}
	e.expoMu.Lock()
	e.saved[s] = sum
	e.expoMu.Unlock()
}
