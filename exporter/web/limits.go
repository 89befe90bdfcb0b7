package web

import (
	"net/http"

	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// Defaults of the bounds on what one page or source list costs.
const (
	// DefaultMaxFilesListed is the files a source lists on the status page
	// and in one page of GET /api/v1/sources (limits.max_files_listed).
	// A source of 100,000 files made the page 28.6 MB and the list 29.8 MB.
	DefaultMaxFilesListed = 200
	// DefaultMaxConcurrentPages is the status pages and source lists
	// rendered at once (limits.max_concurrent_pages): 32 readers of such a
	// source at once took the process to 3 GB.
	DefaultMaxConcurrentPages = 4
)

// renderGate bounds the renders of pages and lists in flight; one more
// is refused at once (503), not queued, so readers cannot pile up memory.
type renderGate chan struct{}

func newRenderGate(n int) renderGate {
	if n <= 0 {
		n = DefaultMaxConcurrentPages
	}
	return make(renderGate, n)
}

// wrap serves h while a render slot is free, else answers 503 with
// Retry-After.
func (g renderGate) wrap(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		select {
		case g <- struct{}{}:
			defer func() { <-g }()
			h(w, r)
		default:
			w.Header().Set("Retry-After", "1")
			writeError(w, r, http.StatusServiceUnavailable, jkn.Msgf("too many readers at once: try again in a few seconds"))
		}
	}
}

func maxFiles(n int) int {
	if n <= 0 {
		return DefaultMaxFilesListed
	}
	return n
}

// firstFiles picks the files a page shows of a source: all of them when
// they are at most limit, else limit of them, the rejected ones first (a
// rejection is what the reader of the page is looking for), each group in
// its order. more is how many are left out.
func firstFiles(files []snapshot.FileSummary, limit int) (shown []snapshot.FileSummary, more int) {
	limit = maxFiles(limit)
	if len(files) <= limit {
		return files, 0
	}
	shown = make([]snapshot.FileSummary, 0, limit)
	for _, rejected := range []bool{true, false} {
		for _, f := range files {
			if len(shown) == limit {
				break
			}
			if (f.Reason != "") == rejected {
				shown = append(shown, f)
			}
		}
	}
	return shown, len(files) - limit
}
