package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"math"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/common/version"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

//go:embed upload.html
var uploadHTML string

// formTokenTTL is how long an upload form may stay open before it is sent.
const formTokenTTL = 2 * time.Hour

// uploadHandler serves the upload page at /upload: a branch office sends
// its workbook from a plain HTML form and reads at once what became of
// it. A POST goes through the same exporter.Exporter.Accept the JSON API
// calls, under the same credential, size limit and rate limit.
type uploadHandler struct {
	exp    *exporter.Exporter
	logger *slog.Logger
	tmpl   *template.Template
	limit  *writeLimiter
	// key signs the form tokens; made at start, so a restart voids the
	// forms open in browsers (they are sent again from a fresh page).
	key []byte
	now func() time.Time
}

func newUploadHandler(exp *exporter.Exporter, limit *writeLimiter, logger *slog.Logger) (*uploadHandler, error) {
	tmpl, err := pageTemplate("upload", uploadHTML)
	if err != nil {
		return nil, fmt.Errorf("parsing upload page template: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("making the upload form key: %w", err)
	}
	return &uploadHandler{exp: exp, logger: logger, tmpl: tmpl, limit: limit, key: key, now: time.Now}, nil
}

// uploadPage is what upload.html renders: the form, and after a POST the
// answer above it. Every string from a sheet is made valid UTF-8 (clean);
// html/template escapes it.
type uploadPage struct {
	pageLang
	Version string
	Sources []uploadSourceView
	// Token is the form token the POST must return (formToken).
	Token string
	// MaxSize is the default upload limit for people ("10 MiB").
	MaxSize string
	// Accept is the file input's accept list: the names an upload is
	// stored under (sources.WorkbookSuffixes).
	Accept string
	// Refused says why a POST was refused before its workbook was read.
	Refused string
	Result  *uploadResultView
}

type uploadSourceView struct {
	Name, BranchOffice string
	Selected           bool
}

type uploadResultView struct {
	Source, File, Size, SHA256 string
	Accepted                   bool
	// Reason is the machine code (unsupported_format), ReasonText why, in the page's language.
	Reason, ReasonText string
	HasTable           bool
	Sheet              string
	HeaderRow          int
	AsOf, AsOfFrom     string
	AsOfDetail         string
	Skipped, Rejected  int
	Regions            []uploadRegionView
	Findings           []uploadFindingView
	// Served counts the regions the source serves after the ingest.
	Served int
}

// uploadRegionView is a region the workbook's row resolved to, judged as
// it would be served.
type uploadRegionView struct {
	regionView
	Level                                 string
	Row                                   int
	Population, Participants, ActiveCount uploadFigure
	Other                                 []uploadFigure
}

type uploadFigure struct{ Name, Value, Cell string }

type uploadFindingView struct {
	findingView
	Cell string
}

func (h *uploadHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := lang.For(lang.FromRequest(r))
	page := h.page(r, p, "")
	if r.Method != http.MethodPost {
		writePage(w, h.logger, "upload page", h.tmpl, page, http.StatusOK, p.Lang())
		return
	}
	code := h.post(w, r, p, &page)
	page.Token = h.formToken() // a fresh form for the next workbook
	writePage(w, h.logger, "upload page", h.tmpl, page, code, p.Lang())
}

// page is the form; selected is the source chosen.
func (h *uploadHandler) page(r *http.Request, p *lang.Printer, selected string) uploadPage {
	page := uploadPage{pageLang: newPageLang(p, r.URL.Query()), Version: version.Info(), Token: h.formToken(),
		MaxSize: p.Text("%s MiB", p.Count(float64(exporter.DefaultMaxFileBytes>>20))), Accept: strings.Join(sources.WorkbookSuffixes(), ",")}
	for _, s := range h.exp.Sources() {
		if s.Upload == nil {
			continue
		}
		page.Sources = append(page.Sources, uploadSourceView{Name: clean(s.Name()), BranchOffice: clean(s.Settings.BranchOffice), Selected: s.Name() == selected})
	}
	return page
}

// refuse fills the page's refusal and logs it (never with the credential).
func (h *uploadHandler) refuse(r *http.Request, page *uploadPage, code int, why, source, msg string) int {
	page.Refused = msg
	h.logger.Warn("upload page refused a request", "why", why, "source_name", source, "remote", r.RemoteAddr, "origin", r.Header.Get("Origin"))
	return code
}

// post takes the form and answers with the status code of the page.
func (h *uploadHandler) post(w http.ResponseWriter, r *http.Request, p *lang.Printer, page *uploadPage) int {
	if h.limit != nil {
		addr := r.RemoteAddr
		if host, _, err := net.SplitHostPort(addr); err == nil {
			addr = host
		}
		if ok, wait := h.limit.allow(addr); !ok {
			secs := strconv.Itoa(int(math.Ceil(wait.Seconds())))
			w.Header().Set("Retry-After", secs)
			return h.refuse(r, page, http.StatusTooManyRequests, "rate_limited", "", p.Text("Too many uploads from your address: try again in %s seconds.", secs))
		}
	}
	// Another site's page may not send a workbook in the name of an
	// office whose browser holds the page: checked before the body is read.
	if !sameOrigin(r) {
		return h.refuse(r, page, http.StatusForbidden, "cross_origin", "", p.Text("Refused: the form was sent from another site. Open the upload page of this exporter and send it from there."))
	}
	form, err := readUploadForm(w, r, h.maxUploadBytes())
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return h.refuse(r, page, http.StatusRequestEntityTooLarge, "too_large", form.source, p.Text("The workbook is over the limit of %s bytes: send a smaller file, or ask the operator to raise max_file_bytes.", p.Count(float64(mbe.Limit))))
		}
		return h.refuse(r, page, http.StatusBadRequest, "bad_form", form.source, p.Text("The form could not be read whole: open the page again and send it once more."))
	}
	*page = h.page(r, p, form.source)
	if !h.validToken(form.token) {
		return h.refuse(r, page, http.StatusForbidden, "form_token", form.source, p.Text("Refused: this form has expired or did not come from this exporter. Send the workbook again from the page now open."))
	}
	cred, ok := h.exp.UploadCredential(form.source)
	switch {
	case form.source == "" || !ok:
		return h.refuse(r, page, http.StatusNotFound, "unknown_source", form.source, p.Text("Choose your source from the list."))
	case cred == nil:
		return h.refuse(r, page, http.StatusForbidden, "no_uploads", form.source, p.Text("This source takes no uploads."))
	case !cred.Authorized(form.source, withCredential(r, cred, form.source, form.secret)):
		return h.refuse(r, page, http.StatusUnauthorized, "credential", form.source, p.Text("The credential is not valid for source %s. Each branch office's credential opens its own source only.", form.source))
	case form.file == nil || form.file.FileName() == "":
		return h.refuse(r, page, http.StatusBadRequest, "no_file", form.source, p.Text("Choose a workbook file to send."))
	}
	// The same path as the JSON API's uploads (api.accept): the workbook
	// streamed to disk under the process's upload bounds, only once the
	// form and its credential hold.
	res, err := h.exp.AcceptStream(form.source, form.file.FileName(), form.file)
	var be *exporter.BodyError
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, exporter.ErrUploadsBusy):
		w.Header().Set("Retry-After", "5")
		return h.refuse(r, page, http.StatusServiceUnavailable, "busy", form.source, p.Text("The exporter is receiving as many workbooks as it may at once: send yours again in a few seconds."))
	case errors.As(err, &mbe):
		return h.refuse(r, page, http.StatusRequestEntityTooLarge, "too_large", form.source, p.Text("The workbook is over the limit of %s bytes: send a smaller file, or ask the operator to raise max_file_bytes.", p.Count(float64(mbe.Limit))))
	case errors.As(err, &be):
		return h.refuse(r, page, http.StatusBadRequest, "bad_form", form.source, p.Text("The form could not be read whole: open the page again and send it once more."))
	case errors.Is(err, exporter.ErrBadFileName):
		return h.refuse(r, page, http.StatusBadRequest, "file_name", form.source, p.Text("The file name is not valid: give a plain file name ending in %s.", strings.Join(sources.WorkbookSuffixes(), ", ")))
	case errors.Is(err, exporter.ErrNoUpload):
		return h.refuse(r, page, http.StatusForbidden, "no_uploads", form.source, p.Text("This source takes no uploads."))
	case err != nil:
		h.logger.Error("upload page: storing the workbook", "source_name", form.source, "err", err)
		return h.refuse(r, page, http.StatusInternalServerError, "store", form.source, p.Text("The exporter could not store the workbook; the operator finds why in its log."))
	}
	page.Result = h.result(res, p)
	if !res.Accepted {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// uploadForm is what the page's form sent: its text fields, and the
// workbook's part, not yet read (the form sends it last).
type uploadForm struct {
	source, secret, token string
	file                  *multipart.Part
}

// maxFormField bounds a text field of the form.
const maxFormField = 4 << 10

// readUploadForm reads the multipart form's text fields, up to
// maxFormField each, and stops at the workbook's part, which the caller
// streams once the fields hold; the whole body up to the largest limit of
// any source (maxLimit; the source's own is AcceptStream's).
func readUploadForm(w http.ResponseWriter, r *http.Request, maxLimit int64) (uploadForm, error) {
	var f uploadForm
	r.Body = http.MaxBytesReader(w, r.Body, maxLimit+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return f, fmt.Errorf("reading the form: %w", err)
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return f, fmt.Errorf("reading the form: %w", err)
		}
		switch part.FormName() {
		case "source", "credential", "token":
			b, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
			if err != nil {
				return f, fmt.Errorf("reading field %q: %w", part.FormName(), err)
			}
			if len(b) > maxFormField {
				return f, fmt.Errorf("field %q: %w", part.FormName(), &http.MaxBytesError{Limit: maxFormField})
			}
			switch part.FormName() {
			case "source":
				f.source = strings.TrimSpace(string(b))
			case "credential":
				f.secret = strings.TrimSpace(string(b))
			default:
				f.token = string(b)
			}
		case "file":
			f.file = part
			return f, nil
		}
	}
}

// maxUploadBytes is the largest upload limit of the sources that take
// uploads (0: none does).
func (h *uploadHandler) maxUploadBytes() int64 {
	var m int64
	for _, s := range h.exp.Sources() {
		if s.Upload != nil {
			m = max(m, h.exp.MaxUploadBytes(s.Name()))
		}
	}
	return m
}

// withCredential is r with the form's credential as the header the
// source's credential checks (exporter.Upload.Authorized, as the API's
// requests carry it): a bearer token for a token file, basic auth with
// the source's name as the user for a password hash.
func withCredential(r *http.Request, cred *exporter.Upload, source, secret string) *http.Request {
	c := r.Clone(r.Context())
	c.Header = http.Header{}
	if cred.TokenFile != "" {
		c.Header.Set("Authorization", "Bearer "+secret)
	} else {
		c.SetBasicAuth(source, secret)
	}
	return c
}

// sameOrigin reports whether a POST comes from a page of this exporter:
// Sec-Fetch-Site, which browsers send, says so; else Origin names this
// host. A client that sends neither (curl, a script) is no browser a
// page of another site could drive; the form token still binds it.
func sameOrigin(r *http.Request) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "", "same-origin", "none":
	default: // same-site, cross-site
		return false
	}
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, r.Host)
}

// formToken is a token for one rendering of the form: its time and a
// nonce, signed with the handler's key. It proves the form came from this
// exporter lately; it is no secret of the office and no credential.
func (h *uploadHandler) formToken() string {
	nonce := make([]byte, 12)
	_, _ = rand.Read(nonce)
	payload := strconv.FormatInt(h.now().Unix(), 10) + "." + hex.EncodeToString(nonce)
	return payload + "." + h.sign(payload)
}

func (h *uploadHandler) sign(payload string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte("jkn_exporter upload form\x00" + payload))
	return hex.EncodeToString(m.Sum(nil))
}

// validToken checks a form token's signature and age.
func (h *uploadHandler) validToken(tok string) bool {
	i := strings.LastIndexByte(tok, '.')
	if i < 0 {
		return false
	}
	payload, mac := tok[:i], tok[i+1:]
	if !hmac.Equal([]byte(mac), []byte(h.sign(payload))) {
		return false
	}
	ts, _, _ := strings.Cut(payload, ".")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	age := h.now().Sub(time.Unix(sec, 0))
	return age > -time.Minute && age < formTokenTTL
}

// result is an upload's report as the page shows it.
func (h *uploadHandler) result(res *exporter.UploadResult, p *lang.Printer) *uploadResultView {
	rep := res.Report
	v := &uploadResultView{Source: clean(res.Source), File: clean(res.File), Size: p.Count(float64(res.Size)) + " B", SHA256: res.SHA256,
		Accepted: res.Accepted, Served: res.Regions}
	switch {
	case rep.Rejected():
		v.Reason, v.ReasonText = clean(rep.Reason), clean(p.FileError(rep.Reason, rep.Error))
	case !res.Accepted:
		v.Reason, v.ReasonText = "no_regions", p.Text("No region row could be read: see the findings below.")
	}
	if t := rep.Table; t != nil {
		v.HasTable, v.Sheet, v.HeaderRow, v.Skipped = true, clean(t.Sheet), t.HeaderRow, t.Skipped
		v.AsOf, v.AsOfFrom, v.AsOfDetail = p.Date(t.AsOf), asOfFrom(t.AsOfOrigin, p), clean(t.AsOfDetail)
	}
	v.Rejected = rep.RejectedRows()
	for i := range rep.Records {
		v.Regions = append(v.Regions, h.region(res.Source, &rep.Records[i], p))
	}
	for _, f := range rep.Findings {
		fv := uploadFindingView{findingView: findingOf(f, p), Cell: clean(f.Column)}
		if f.Row > 0 {
			fv.Cell += strconv.Itoa(f.Row)
		}
		v.Findings = append(v.Findings, fv)
	}
	return v
}

// region is a record as the page shows it: judged by the exporter's
// criteria as it would be served, each figure with its cell.
func (h *uploadHandler) region(source string, r *ingest.Record, p *lang.Printer) uploadRegionView {
	sv := h.exp.Judge(source, r)
	v := uploadRegionView{regionView: regionStatus(&sv, p), Level: clean(p.Message(r.Region.Level.Word())), Row: r.Row}
	figure := func(f jkn.Field) uploadFigure {
		val, ok := r.Figure(f)
		if !ok {
			return uploadFigure{Name: string(f), Value: "—"}
		}
		out := uploadFigure{Name: string(f), Value: p.Count(val), Cell: r.Cells.Letter(f)}
		if f.IsRatio() {
			out.Value = p.Percent(val)
		}
		if out.Cell != "" {
			out.Cell += strconv.Itoa(r.Row)
		} else {
			out.Cell = p.Text("a sum")
		}
		return out
	}
	v.Population, v.Participants, v.ActiveCount = figure(jkn.FieldPopulation), figure(jkn.FieldParticipants), figure(jkn.FieldActive)
	for f := range r.Figures.All() {
		if f != jkn.FieldPopulation && f != jkn.FieldParticipants && f != jkn.FieldActive {
			v.Other = append(v.Other, figure(f))
		}
	}
	return v
}

// asOfFrom says where a sheet's as-of date came from.
func asOfFrom(o table.AsOfOrigin, p *lang.Printer) string {
	switch o {
	case table.AsOfColumn:
		return p.Text("the sheet's date column")
	case table.AsOfTitleCell:
		return p.Text("a title cell of the sheet")
	case table.AsOfFileName:
		return p.Text("the file name")
	case table.AsOfModTime:
		return p.Text("the time the file was received (the sheet names no date: write the as-of date in its title)")
	}
	return clean(string(o))
}
