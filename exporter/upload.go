package exporter

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// Upload is a source's own upload credential: one branch office's
// credential never opens another's source.
type Upload struct {
	// TokenFile holds a bearer token, read at each request so it can be
	// rotated without a reload.
	TokenFile string
	// PasswordHash is a bcrypt hash of the basic-auth password; the
	// username is the source's name.
	PasswordHash string
}

// Authorized checks a request's credential against the source's own.
func (u *Upload) Authorized(source string, r *http.Request) bool {
	if u == nil {
		return false
	}
	if u.TokenFile != "" {
		const prefix = "Bearer "
		h := r.Header.Get("Authorization")
		if !strings.HasPrefix(h, prefix) {
			return false
		}
		want, err := os.ReadFile(u.TokenFile)
		if err != nil || len(strings.TrimSpace(string(want))) == 0 {
			return false
		}
		got := strings.TrimSpace(strings.TrimPrefix(h, prefix))
		return subtle.ConstantTimeCompare([]byte(got), []byte(strings.TrimSpace(string(want)))) == 1
	}
	user, pass, ok := r.BasicAuth()
	if !ok || subtle.ConstantTimeCompare([]byte(user), []byte(source)) != 1 {
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(pass)) == nil
}

// UploadResult is what became of an upload: the same report `check`
// prints (the API sends it as web.UploadJSON).
type UploadResult struct {
	Source   string
	File     string // the name it is stored under
	Size     int64
	SHA256   string
	Accepted bool
	// Reason says why it was not accepted.
	Reason string
	Report *ingest.FileReport
	// Regions is how many regions the source serves after the ingest.
	Regions int
}

// Errors of Accept that are the caller's fault.
var (
	ErrNoUpload    = errors.New("this source takes no uploads")
	ErrBadFileName = errors.New("invalid file name")
)

// SanitizeFileName returns a safe name for an uploaded workbook: a plain
// base name ending in one of sources.WorkbookSuffixes, of letters, digits
// and " ._-()"; other characters become "_". A name with a path in it is refused, not cleaned, so an
// attempt to escape the directory is visible as an error.
func SanitizeFileName(name string) (string, error) {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") || strings.ContainsRune(name, 0) {
		return "", fmt.Errorf("%w %q: give a plain file name ending in %s", ErrBadFileName, name, strings.Join(sources.WorkbookSuffixes(), ", "))
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', strings.ContainsRune(" ._-()", r):
			b.WriteRune(r)
		default:
			b.WriteRune('_')
		}
	}
	clean := strings.TrimSpace(b.String())
	if len(clean) > 200 || !sources.IsWorkbookName(clean) {
		return "", fmt.Errorf("%w %q: give a plain file name ending in %s", ErrBadFileName, name, strings.Join(sources.WorkbookSuffixes(), ", "))
	}
	return clean, nil
}

// Accept takes an uploaded workbook for a source: it is parsed first with
// the source's settings; an accepted one is written atomically into the
// source's directory and the source is read at once; a rejected one is not
// stored and changes nothing served.
func (e *Exporter) Accept(source, name string, data []byte) (*UploadResult, error) {
	r, ok := e.lookup(source)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownSource, source)
	}
	inbox, ok := r.Source.Source.(sources.Inbox)
	if r.Upload == nil || !ok {
		return nil, ErrNoUpload
	}
	clean, err := SanitizeFileName(name)
	if err != nil {
		return nil, err
	}
	f := sources.NewFile(clean, clean, time.Now(), data)
	rep := ingest.File(f, r.Settings, e.opts.Reference)
	res := &UploadResult{Source: source, File: clean, Size: f.Size, SHA256: f.SHA256, Report: &rep}
	switch {
	case rep.Rejected():
		res.Reason = rep.Error
	case len(rep.Records) == 0:
		res.Reason = "no region row could be read: see the findings"
	default:
		res.Accepted = true
	}
	log := e.opts.Logger.With("source_name", source, "file", clean, "size", f.Size, "sha256", f.SHA256)
	if !res.Accepted {
		log.Warn("upload rejected", "reason", res.Reason)
		return res, nil
	}
	if err := inbox.Put(clean, data); err != nil {
		log.Error("upload accepted but not stored", "err", err)
		return nil, fmt.Errorf("storing %s: %w", clean, err)
	}
	snap := e.ingest(r)
	res.Regions = len(snap.Records)
	log.Info("upload accepted", "regions", len(rep.Records), "findings", len(rep.Findings))
	return res, nil
}

// MaxUploadBytes is the body limit of a source's uploads.
func (e *Exporter) MaxUploadBytes(source string) int64 {
	if r, ok := e.lookup(source); ok && r.Settings.MaxFileBytes > 0 {
		return r.Settings.MaxFileBytes
	}
	return DefaultMaxFileBytes
}

// UploadCredential returns a source's upload credential (nil: none) and
// whether the source exists.
func (e *Exporter) UploadCredential(source string) (*Upload, bool) {
	r, ok := e.lookup(source)
	if !ok {
		return nil, false
	}
	return r.Upload, true
}

// Judge is a record an upload read as the exporter would serve it from
// source: its ratios, targets and status under the criteria in force
// (the upload page shows each region judged).
func (e *Exporter) Judge(source string, r *ingest.Record) collector.Served {
	return e.renderer.Load().Serve(source, r)
}

// Defaults of the process-wide upload bounds.
const (
	DefaultMaxConcurrentUploads   = 2
	DefaultMaxUploadBytesInFlight = 2 * DefaultMaxFileBytes
)

// ErrUploadsBusy refuses an upload while the process already receives
// as many as it may (limits.max_concurrent_uploads) or their bytes would
// pass limits.max_upload_bytes_in_flight: the sender tries again later.
var ErrUploadsBusy = errors.New("too many uploads at once")

// BodyError is an upload whose body could not be received whole: the
// client's fault (a broken or stalled connection) or a body over the
// source's size limit (Err is then an *http.MaxBytesError).
type BodyError struct{ Err error }

func (e *BodyError) Error() string { return "reading the body: " + e.Err.Error() }
func (e *BodyError) Unwrap() error { return e.Err }

// uploadGate bounds the uploads in flight across every source: each holds
// a slot and reserves its source's size limit, as a chunked body gives no
// length before it is read. Eight 60 MB uploads at once held 0.9–1.0 GB
// when each was read into memory; now at most the slots' files are.
type uploadGate struct {
	mu            sync.Mutex
	slots, used   int
	budget, bytes int64
}

func newUploadGate(slots int, budget int64) *uploadGate {
	if slots <= 0 {
		slots = DefaultMaxConcurrentUploads
	}
	if budget <= 0 {
		budget = DefaultMaxUploadBytesInFlight
	}
	return &uploadGate{slots: slots, budget: budget}
}

// acquire takes a slot reserving n bytes, or reports false at once. An
// upload alone always gets in, even one larger than the budget (its own
// limit bounds it).
func (g *uploadGate) acquire(n int64) (release func(), ok bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.used >= g.slots || (g.used > 0 && g.bytes+n > g.budget) {
		return nil, false
	}
	g.used++
	g.bytes += n
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.used--
		g.bytes -= n
	}, true
}

// AcceptStream receives an upload's body for a source and takes it as
// Accept does. The body goes to a temporary file (under --storage.path's
// "uploads", else the system's temporary directory), never more of it than
// the source's size limit, under the process-wide bounds of uploads in
// flight (ErrUploadsBusy past them); only a body received whole is read
// back, once, for the parse. A body that cannot be received is a
// *BodyError. Before, each body was read into memory: a rejected 65 MiB
// chunked upload peaked at 184 MB.
func (e *Exporter) AcceptStream(source, name string, body io.Reader) (*UploadResult, error) {
	limit := e.MaxUploadBytes(source)
	release, ok := e.uploads.acquire(limit)
	if !ok {
		return nil, ErrUploadsBusy
	}
	defer release()
	data, err := e.receive(body, limit)
	if err != nil {
		return nil, err
	}
	return e.Accept(source, name, data)
}

// receive reads body, at most limit bytes: a body that ends within
// spoolAfter bytes stays in memory; a longer one is spooled to a temporary
// file and read back once it is whole. A stalled or small upload thus holds
// no file (nor a descriptor).
func (e *Exporter) receive(body io.Reader, limit int64) ([]byte, error) {
	body = io.LimitReader(body, limit+1)
	head := make([]byte, min(spoolAfter, limit+1))
	n, err := io.ReadFull(body, head)
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return head[:n], nil
	case err != nil:
		return nil, bodyError(err)
	case int64(n) > limit:
		return nil, &BodyError{Err: &http.MaxBytesError{Limit: limit}}
	}
	dir := os.TempDir()
	if e.opts.StoragePath != "" {
		dir = filepath.Join(e.opts.StoragePath, "uploads")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("receiving an upload: %w", err)
		}
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return nil, fmt.Errorf("receiving an upload: %w", err)
	}
	defer func() {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
	}()
	if _, err := tmp.Write(head); err != nil {
		return nil, fmt.Errorf("receiving an upload into %s: %w", dir, err)
	}
	rest, err := io.Copy(tmp, body)
	total := int64(len(head)) + rest
	if err != nil {
		// Writes to the file fail as *fs.PathError (a full disk): the
		// exporter's fault; anything else came from the body.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("receiving an upload into %s: %w", dir, err)
		}
		return nil, bodyError(err)
	}
	if total > limit {
		return nil, &BodyError{Err: &http.MaxBytesError{Limit: limit}}
	}
	data := make([]byte, total)
	if _, err := tmp.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("receiving an upload: %w", err)
	}
	return data, nil
}

// spoolAfter is how much of a body receive holds in memory before it
// spools the body to disk.
const spoolAfter = 64 << 10

// bodyError wraps a failed read of the body, keeping a MaxBytesError
// (from http.MaxBytesReader) as it is.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return &BodyError{Err: mbe}
	}
	return &BodyError{Err: err}
}
