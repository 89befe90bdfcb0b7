package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/lang"
)

// registerAPI adds the JSON API and the lifecycle endpoint.
func registerAPI(mux *http.ServeMux, o Options) {
	a := &api{o: o}
	// Writes are rate limited per client address (ratelimit.go).
	limit := newWriteLimiter(o.WriteRateLimit).wrap
	mux.HandleFunc("GET /api/v1/sources", a.sources)
	mux.HandleFunc("PUT /api/v1/sources/{name}/workbooks/{file}", limit(a.put))
	mux.HandleFunc("POST /api/v1/sources/{name}/workbooks", limit(a.post))
	mux.HandleFunc("POST /api/v1/sources/{name}/ingest", limit(a.trigger))
	mux.HandleFunc("POST /-/reload", limit(a.reload))
	mux.HandleFunc("PUT /-/reload", limit(a.reload))
}

type api struct{ o Options }

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

// authorize checks the source's own upload credential. A source without
// one takes no writes at all.
func (a *api) authorize(w http.ResponseWriter, r *http.Request, name string) bool {
	cred, ok := a.o.Exporter.UploadCredential(name)
	switch {
	case !ok:
		writeError(w, http.StatusNotFound, fmt.Sprintf("no source %q", name))
		return false
	case cred == nil:
		writeError(w, http.StatusForbidden, fmt.Sprintf("source %q takes no uploads or triggers (no upload credential configured)", name))
		return false
	case !cred.Authorized(name, r):
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Basic realm=%q`, "jkn_exporter source "+name))
		writeError(w, http.StatusUnauthorized, "credential missing or not valid for this source")
		a.o.Logger.Warn("refused unauthorised request", "source_name", name, "path", r.URL.Path, "remote", r.RemoteAddr)
		return false
	}
	return true
}

// put takes the raw workbook as the body.
func (a *api) put(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !a.authorize(w, r, name) {
		return
	}
	limit := a.o.Exporter.MaxUploadBytes(name)
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		a.readError(w, err, limit)
		return
	}
	a.accept(w, r, name, r.PathValue("file"), data)
}

// post takes a multipart form with the workbook in the field "file".
func (a *api) post(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !a.authorize(w, r, name) {
		return
	}
	limit := a.o.Exporter.MaxUploadBytes(name)
	// The form carries one file plus its headers: allow a little more.
	r.Body = http.MaxBytesReader(w, r.Body, limit+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, "expected a multipart/form-data body with the workbook in the field \"file\"")
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			writeError(w, http.StatusBadRequest, "no field \"file\" in the form")
			return
		}
		if err != nil {
			a.readError(w, err, limit)
			return
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, limit+1))
		if err != nil {
			a.readError(w, err, limit)
			return
		}
		if int64(len(data)) > limit {
			a.readError(w, &http.MaxBytesError{Limit: limit}, limit)
			return
		}
		a.accept(w, r, name, part.FileName(), data)
		return
	}
}

func (a *api) readError(w http.ResponseWriter, err error, limit int64) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("workbook over the limit of %d bytes", limit))
		return
	}
	writeError(w, http.StatusBadRequest, "reading the body: "+err.Error())
}

func (a *api) accept(w http.ResponseWriter, r *http.Request, name, file string, data []byte) {
	p := lang.For(lang.FromRequest(r))
	res, err := a.o.Exporter.Accept(name, file, data)
	switch {
	case errors.Is(err, exporter.ErrBadFileName):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, exporter.ErrUnknownSource):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, exporter.ErrNoUpload):
		writeError(w, http.StatusForbidden, err.Error())
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	case !res.Accepted:
		writeJSON(w, http.StatusUnprocessableEntity, uploadJSON(res, p))
	default:
		writeJSON(w, http.StatusOK, uploadJSON(res, p))
	}
}

// trigger reads a source now and answers with the source as GET
// /api/v1/sources then lists it.
func (a *api) trigger(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !a.authorize(w, r, name) {
		return
	}
	if _, err := a.o.Exporter.IngestNow(name); err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	// The ingest has published its snapshot: the current rendering holds
	// its status (or a later one's).
	rd := a.o.Exporter.Exposition().Load().Rendered
	for _, s := range a.o.Exporter.Sources() {
		if s.Name() == name {
			st, _ := rd.Source(name)
			writeJSON(w, http.StatusOK, sourceJSON(s, a.o.Exporter.NextRun(name), st))
			return
		}
	}
	writeError(w, http.StatusNotFound, fmt.Sprintf("%v: %q", exporter.ErrUnknownSource, name))
}

// sources lists every configured source with its last ingest.
func (a *api) sources(w http.ResponseWriter, _ *http.Request) {
	rd := a.o.Exporter.Exposition().Load().Rendered
	out := []SourceJSON{}
	for _, s := range a.o.Exporter.Sources() {
		st, _ := rd.Source(s.Name())
		out = append(out, sourceJSON(s, a.o.Exporter.NextRun(s.Name()), st))
	}
	writeJSON(w, http.StatusOK, map[string]any{"sources": out})
}

// reload re-reads the config (behind --web.enable-lifecycle, as Prometheus).
func (a *api) reload(w http.ResponseWriter, r *http.Request) {
	if !a.o.EnableLifecycle || a.o.Reloader == nil {
		writeError(w, http.StatusForbidden, "lifecycle APIs are not enabled (start with --web.enable-lifecycle)")
		return
	}
	if err := a.o.Reloader.Reload(r.Context()); err != nil {
		http.Error(w, "reload failed: "+strings.TrimSpace(err.Error()), http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(w, "config reloaded")
}
