package exporter

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
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
