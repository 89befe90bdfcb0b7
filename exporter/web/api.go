package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// registerAPI adds the JSON API and the lifecycle endpoint. Writes are
// rate limited per client address by writes (ratelimit.go), the budget
// the upload page's POSTs share; the source list renders under pages, the
// gate it shares with the status page.
func registerAPI(mux *http.ServeMux, o Options, writes *writeLimiter, pages renderGate) {
	a := &api{o: o}
	limit := writes.wrap
	mux.HandleFunc("GET /api/v1/sources", pages.wrap(a.sources))
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

// writeError refuses a request: "error" is the English text programs have
// always read, "text" the same for the person who sent it, in the
// request's language (lang.FromRequest).
func writeError(w http.ResponseWriter, r *http.Request, code int, msg jkn.Message) {
	writeJSON(w, code, map[string]string{"error": msg.String(), "text": lang.For(lang.FromRequest(r)).Message(msg)})
}

// writeErrorExplained refuses a request with an error made elsewhere (in
// English): "error" is its text; "text" says in the request's language
// what it means, then that text.
func writeErrorExplained(w http.ResponseWriter, r *http.Request, code int, err error, what jkn.Message) {
	p := lang.For(lang.FromRequest(r))
	text := err.Error()
	if p.Lang() != lang.EN {
		text = p.Message(what) + " (" + text + ")"
	}
	writeJSON(w, code, map[string]string{"error": err.Error(), "text": text})
}

// authorize checks the source's own upload credential. A source without
// one takes no writes at all.
func (a *api) authorize(w http.ResponseWriter, r *http.Request, name string) bool {
	cred, ok := a.o.Exporter.UploadCredential(name)
	switch {
	case !ok:
		writeError(w, r, http.StatusNotFound, jkn.Msgf("no source %q", name))
		return false
	case cred == nil:
		writeError(w, r, http.StatusForbidden, jkn.Msgf("source %q takes no uploads or triggers (no upload credential configured)", name))
		return false
	case !cred.Authorized(name, r):
		w.Header().Set("WWW-Authenticate", fmt.Sprintf(`Basic realm=%q`, "jkn_exporter source "+name))
		writeError(w, r, http.StatusUnauthorized, jkn.Msgf("credential missing or not valid for this source"))
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
	a.accept(w, r, name, r.PathValue("file"), http.MaxBytesReader(w, r.Body, limit), limit)
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
		writeError(w, r, http.StatusBadRequest, jkn.Msgf("expected a multipart/form-data body with the workbook in the field \"file\""))
		return
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			writeError(w, r, http.StatusBadRequest, jkn.Msgf("no field \"file\" in the form"))
			return
		}
		if err != nil {
			a.readError(w, r, err, limit)
			return
		}
		if part.FormName() != "file" {
			continue
		}
		a.accept(w, r, name, part.FileName(), part, limit)
		return
	}
}

func (a *api) readError(w http.ResponseWriter, r *http.Request, err error, limit int64) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, r, http.StatusRequestEntityTooLarge, jkn.Msgf("workbook over the limit of %s bytes", strconv.FormatInt(limit, 10)))
		return
	}
	writeErrorExplained(w, r, http.StatusBadRequest, fmt.Errorf("reading the body: %w", err), jkn.Msgf("the workbook could not be received whole: send it again"))
}

// accept streams an upload's body through Exporter.AcceptStream.
func (a *api) accept(w http.ResponseWriter, r *http.Request, name, file string, body io.Reader, limit int64) {
	p := lang.For(lang.FromRequest(r))
	res, err := a.o.Exporter.AcceptStream(name, file, body)
	var be *exporter.BodyError
	switch {
	case errors.Is(err, exporter.ErrUploadsBusy):
		w.Header().Set("Retry-After", "5")
		writeError(w, r, http.StatusServiceUnavailable, jkn.Msgf("too many uploads at once: send the workbook again in a few seconds"))
	case errors.As(err, &be):
		a.readError(w, r, be.Err, limit)
	case errors.Is(err, exporter.ErrBadFileName):
		writeErrorExplained(w, r, http.StatusBadRequest, err, jkn.Msgf("the file name is not valid: give a plain file name ending in %s", strings.Join(sources.WorkbookSuffixes(), ", ")))
	case errors.Is(err, exporter.ErrUnknownSource):
		writeErrorExplained(w, r, http.StatusNotFound, err, jkn.Msgf("there is no such source"))
	case errors.Is(err, exporter.ErrNoUpload):
		writeErrorExplained(w, r, http.StatusForbidden, err, jkn.Msgf("this source takes no uploads"))
	case err != nil:
		writeErrorExplained(w, r, http.StatusInternalServerError, err, jkn.Msgf("the exporter could not store the workbook; see its log"))
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
		writeErrorExplained(w, r, http.StatusNotFound, err, jkn.Msgf("there is no such source"))
		return
	}
	// The ingest has published its snapshot: the current rendering holds
	// its status (or a later one's).
	rd := a.o.Exporter.Exposition().Load().Rendered
	for _, s := range a.o.Exporter.Sources() {
		if s.Name() == name {
			st, _ := rd.Source(name)
			writeJSON(w, http.StatusOK, sourceJSON(s, a.o.Exporter.NextRun(name), st, filePage{size: a.o.MaxFilesListed}))
			return
		}
	}
	writeErrorExplained(w, r, http.StatusNotFound, fmt.Errorf("%w: %q", exporter.ErrUnknownSource, name), jkn.Msgf("there is no such source"))
}

// sources lists every configured source with its last ingest: of each
// source's files one page (?files_page=, from 1) of limits.max_files_listed.
func (a *api) sources(w http.ResponseWriter, r *http.Request) {
	fp := filePage{page: 1, size: a.o.MaxFilesListed}
	if v := r.URL.Query().Get("files_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			writeError(w, r, http.StatusBadRequest, jkn.Msgf("files_page must be a whole number from 1"))
			return
		}
		fp.page = n
	}
	rd := a.o.Exporter.Exposition().Load().Rendered
	out := []SourceJSON{}
	for _, s := range a.o.Exporter.Sources() {
		st, _ := rd.Source(s.Name())
		out = append(out, sourceJSON(s, a.o.Exporter.NextRun(s.Name()), st, fp))
	}
	writeJSON(w, http.StatusOK, map[string]any{"sources": out})
}

// reload re-reads the config (behind --web.enable-lifecycle, as Prometheus).
func (a *api) reload(w http.ResponseWriter, r *http.Request) {
	if !a.o.EnableLifecycle || a.o.Reloader == nil {
		writeError(w, r, http.StatusForbidden, jkn.Msgf("lifecycle APIs are not enabled (start with --web.enable-lifecycle)"))
		return
	}
	if err := a.o.Reloader.Reload(r.Context()); err != nil {
		http.Error(w, "reload failed: "+strings.TrimSpace(err.Error()), http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(w, "config reloaded")
}
