package web

import (
	"bytes"
	_ "embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/common/version"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/web/svgmap"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
)

//go:embed status.html
var statusHTML string

// pageCSS is the style every page shares, its template "base-style".
//
//go:embed page.css
var pageCSS string

// pageTemplate parses a page's template with the shared style, which the
// page's <style> starts with: {{template "base-style"}}.
func pageTemplate(name, text string) (*template.Template, error) {
	t, err := template.New(name).Parse(`{{define "base-style"}}` + pageCSS + `{{end}}`)
	if err != nil {
		return nil, err
	}
	return t.Parse(text)
}

// maxFindings caps the findings listed per source: a broken sheet can have
// thousands, and the counts by check already say how many of each.
const maxFindings = 50

// StatusSource is what the status page reads from the exporter;
// *exporter.Exporter satisfies it.
type StatusSource interface {
	// Exposition holds the current state: the snapshots and their rendering.
	Exposition() *collector.Exposition
	// Sources lists the sources in service with their kind, location and schedule.
	Sources() []*exporter.Source
	// NextRun is when a source is next read; zero when unscheduled.
	NextRun(name string) time.Time
}

// statusHandler serves the status page at /.
type statusHandler struct {
	src    StatusSource
	demo   bool
	logger *slog.Logger
	tmpl   *template.Template
	// now is the clock the ages are computed from; tests fix it.
	now func() time.Time
	// national is set when the demo is the national synthetic one.
	national bool
	// land is the map's coastline; nil: frame and graticule only.
	land *svgmap.Land
	// maxFiles is the files a source lists (0: DefaultMaxFilesListed).
	maxFiles int
}

func newStatusHandler(src StatusSource, demo bool, logger *slog.Logger) (*statusHandler, error) {
	tmpl, err := pageTemplate("status", statusHTML)
	if err == nil {
		_, err = tmpl.Parse(mapHTML)
	}
	if err != nil {
		return nil, fmt.Errorf("parsing status page template: %w", err)
	}
	return &statusHandler{src: src, demo: demo, logger: logger, tmpl: tmpl, now: time.Now}, nil
}

func (h *statusHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := h.src.Exposition().Load()
	page := buildStatus(st, h.sourceInfo(), r.URL.Query(), h.now(), h.demo, lang.For(lang.FromRequest(r)))
	page.NationalDemo = h.demo && h.national
	page.Map = buildMap(st.Rendered, page.Filter, h.land, page.L.Printer)
	writePage(w, h.logger, "status page", h.tmpl, page, http.StatusOK, page.Lang)
}

// writePage renders a page in language l and sends it with the given
// status code.
func writePage(w http.ResponseWriter, logger *slog.Logger, what string, tmpl *template.Template, data any, code int, l lang.Lang) {
	// Rendered whole first: a template error must not send half a page with 200.
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		logger.Error("rendering "+what, "err", err)
		http.Error(w, "rendering "+what+" failed; see the exporter's log", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Content-Language", string(l))
	hdr.Set("Vary", "Accept-Language")
	hdr.Set("X-Content-Type-Options", "nosniff")
	// The pages have no scripts and no external assets; should escaping
	// ever fail, the browser still runs nothing a sheet smuggled in.
	hdr.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// sourceInfo is the configuration side of a source.
type sourceInfo struct {
	Name, Kind, Location, Schedule, BranchOffice string
	NextRun                                      time.Time
	// MaxFiles is the files the page lists (0: DefaultMaxFilesListed).
	MaxFiles int
}

// sourceInfo reads the configured sources. A source a reload adds between
// this and the state's Load shows as not read yet, which it then is.
func (h *statusHandler) sourceInfo() []sourceInfo {
	var out []sourceInfo
	for _, s := range h.src.Sources() {
		out = append(out, sourceInfo{
			Name: s.Name(), Kind: s.Kind, Location: s.Location, Schedule: s.Schedule,
			BranchOffice: s.Settings.BranchOffice, NextRun: h.src.NextRun(s.Name()), MaxFiles: h.maxFiles,
		})
	}
	return out
}

// statusPage is what the template renders. Every string from a sheet or a
// config is made valid UTF-8 here; html/template escapes it.
type statusPage struct {
	pageLang
	Demo      bool
	Version   string
	Generated string
	Sources   []sourceView
	SourcesUp int

	Filter    filterView
	Provinces []string
	Offices   []string
	Below     []regionView
	// Counts are over the regions the filter selects.
	Regions, Meets, Unknown, NoCoverage int

	// NationalDemo: the demo is --demo=national, synthetic figures.
	NationalDemo bool
	Map          mapView
}

type filterView struct {
	Province, BranchOffice string
	Active                 bool
	// The select options the filter picks: "16" or "sumatera selatan"
	// selects "Sumatera Selatan".
	SelectedProvince, SelectedOffice string
}

type sourceView struct {
	Name, Kind, Location, BranchOffice, Schedule string
	NextRun, NextRunIn                           string
	Pending                                      []string
	// Read is false until the first ingest or restore.
	Read, Up, Restored          bool
	Error                       string
	Attempted, AttemptedAge     string
	LastSuccess, LastSuccessAge string
	Duration                    string
	Regions, Conflicts          int
	RowsAccepted, RowsRejected  int
	Files                       []fileView
	// FilesTotal is set when Files shows only part of them.
	FilesTotal, MoreFiles int
	FindingCounts         []checkCount
	FindingsTotal         int
	Findings              []findingView
	MoreFindings          int
	// Completeness: expected regions and those the newest sheet carries.
	Completeness *completenessView
}

type completenessView struct {
	Expected, Reported int
	Configured         bool
	Sheets, AsOf       string
	Missing            []string
}

type fileView struct {
	Name, Sheet, AsOf, AsOfOrigin, Size string
	HeaderRow, Regions                  int
	// Reason is the machine code (unsupported_format); ReasonText what it means, in
	// the page's language.
	Reason, ReasonText, Error string
	Rejected, Kept            bool
}

type checkCount struct {
	Check string
	Count int
}

type findingView struct {
	File, Sheet, Column, Check, Reason string
	Row                                int
	Rejected                           bool
}

type regionView struct {
	Code, Name, Province, BranchOffice             string
	Coverage, CoverageTarget, Active, ActiveTarget string
	CoverageBelow, ActiveBelow                     bool
	Uninsured, ToRegister, AsOf                    string
	Status, StatusLabel                            string
	// Criteria is the set that judged the region.
	Criteria string
	// Tier is its UHC Award 2026 tier ("" for districts and villages),
	// TierNext what it lacks for the next one.
	Tier, TierNext string
}

// withTier adds a region's award tier and what it lacks for the next
// one, which need the thresholds the rendering judged under.
func withTier(v regionView, rd *collector.Rendered, r *collector.Served, p *lang.Printer) regionView {
	v.Tier = string(r.Tier)
	if g, ok := rd.NextTier(r); ok {
		v.TierNext = clean(p.Text("for %s", g.Message()))
	}
	return v
}

// buildStatus gathers the page from one state, so every number on it
// belongs to the same rendering /metrics serves.
func buildStatus(st *collector.State, infos []sourceInfo, q url.Values, now time.Time, demo bool, pr *lang.Printer) statusPage {
	p := statusPage{pageLang: newPageLang(pr, q), Demo: demo, Version: version.Info(), Generated: formatTime(now, pr)}
	seen := map[string]bool{}
	for _, in := range infos {
		seen[in.Name] = true
		s, _ := st.Rendered.Source(in.Name)
		p.Sources = append(p.Sources, sourceStatus(in, s, now, pr))
	}
	// A snapshot whose source is no longer configured is still served until
	// the store drops it; show it rather than hide what /metrics exposes.
	for i := range st.Rendered.Sources {
		if s := &st.Rendered.Sources[i]; !seen[s.Source] {
			p.Sources = append(p.Sources, sourceStatus(sourceInfo{Name: s.Source, BranchOffice: s.BranchOffice}, s, now, pr))
		}
	}
	for _, s := range p.Sources {
		if s.Up {
			p.SourcesUp++
		}
	}

	p.Filter = filterView{Province: clean(strings.TrimSpace(q.Get("province"))), BranchOffice: clean(strings.TrimSpace(q.Get("branch_office")))}
	p.Filter.Active = p.Filter.Province != "" || p.Filter.BranchOffice != ""
	provinces, offices := map[string]bool{}, map[string]bool{}
	var below []collector.Served
	for _, r := range st.Rendered.Regions {
		provinces[clean(r.Region.Province)] = true
		offices[clean(r.BranchOffice)] = true
		if !p.Filter.matches(&r) {
			continue
		}
		if p.Filter.Province != "" {
			p.Filter.SelectedProvince = clean(r.Region.Province)
		}
		if p.Filter.BranchOffice != "" {
			p.Filter.SelectedOffice = clean(r.BranchOffice)
		}
		p.Regions++
		switch r.Status {
		case criteria.MeetsTargets:
			p.Meets++
		case criteria.Unknown:
			p.Unknown++
		case "":
			p.NoCoverage++
		default:
			below = append(below, r)
		}
	}
	p.Provinces, p.Offices = sortedKeys(provinces), sortedKeys(offices)
	sort.SliceStable(below, func(i, j int) bool { return worse(&below[i], &below[j]) })
	for i := range below {
		p.Below = append(p.Below, withTier(regionStatus(&below[i], pr), st.Rendered, &below[i], pr))
	}
	return p
}

// matches applies ?province= (canonical name or two-digit code) and
// ?branch_office=, both case-insensitive.
func (f filterView) matches(r *collector.Served) bool {
	if f.Province != "" && r.Region.ProvinceCode != f.Province && !strings.EqualFold(r.Region.Province, f.Province) {
		return false
	}
	return f.BranchOffice == "" || strings.EqualFold(r.BranchOffice, f.BranchOffice)
}

// worse orders the regions below target: lowest coverage first, then the
// lowest active ratio (a region with no active figure after one with it),
// then by code so the order is stable.
func worse(a, b *collector.Served) bool {
	if a.Derived.Coverage != b.Derived.Coverage {
		return a.Derived.Coverage < b.Derived.Coverage
	}
	if a.Derived.HasActive != b.Derived.HasActive {
		return a.Derived.HasActive
	}
	if a.Derived.Active != b.Derived.Active {
		return a.Derived.Active < b.Derived.Active
	}
	return a.Region.Code < b.Region.Code
}

func regionStatus(r *collector.Served, p *lang.Printer) regionView {
	v := regionView{
		Code: clean(r.Region.Code), Name: clean(r.Region.Name), Province: clean(r.Region.Province),
		BranchOffice: clean(r.BranchOffice),
		Coverage:     p.Percent(r.Derived.Coverage), CoverageTarget: target(r.Targets.Coverage, r.Targets.CoverageStrict, p),
		CoverageBelow: r.Status == criteria.BelowCoverageTarget || r.Status == criteria.BelowBothTargets,
		ActiveBelow:   r.Status == criteria.BelowActiveTarget || r.Status == criteria.BelowBothTargets,
		Active:        "—", ActiveTarget: target(r.Targets.Active, r.Targets.ActiveStrict, p),
		Uninsured: "—", AsOf: p.Date(r.AsOf),
		Status: string(r.Status), StatusLabel: statusLabel(r.Status, p), Criteria: clean(r.Criteria),
	}
	if r.Derived.HasActive {
		v.Active = p.Percent(r.Derived.Active)
	}
	if r.Derived.HasUninsured {
		v.Uninsured = p.Count(r.Derived.Uninsured)
	}
	v.ToRegister = "—"
	if n, ok := r.ToRegister(); ok {
		v.ToRegister = p.Count(n)
	}
	return v
}

// statusLabel is a status for people; the status itself (the
// jkn_uhc_status label value) stays in the page's classes and data.
func statusLabel(s criteria.Status, p *lang.Printer) string {
	switch s {
	case criteria.BelowBothTargets:
		return p.Text("below both targets")
	case criteria.BelowCoverageTarget:
		return p.Text("below coverage target")
	case criteria.BelowActiveTarget:
		return p.Text("below active target")
	case criteria.MeetsTargets:
		return p.Text("meets targets")
	case criteria.Unknown:
		return p.Text("unknown (no active figure)")
	}
	return string(s)
}

// sourceStatus is a source's part of the page: its configuration, and its
// status in the rendering (nil: not read yet).
func sourceStatus(in sourceInfo, s *collector.SourceStatus, now time.Time, p *lang.Printer) sourceView {
	v := sourceView{
		Name: clean(in.Name), Kind: clean(in.Kind), Location: clean(in.Location),
		BranchOffice: clean(in.BranchOffice), Schedule: clean(in.Schedule),
	}
	if !in.NextRun.IsZero() {
		v.NextRun, v.NextRunIn = formatTime(in.NextRun, p), p.Text("in %s", age(in.NextRun.Sub(now), p))
	}
	if s == nil {
		return v
	}
	for _, f := range s.Pending {
		v.Pending = append(v.Pending, clean(f))
	}
	v.Read, v.Up, v.Restored, v.Error = true, s.Up, s.Restored, clean(s.Error)
	if v.BranchOffice == "" {
		v.BranchOffice = clean(s.BranchOffice)
	}
	v.Attempted, v.AttemptedAge = formatTime(s.Attempted, p), ago(now.Sub(s.Attempted), p)
	if !s.LastSuccess.IsZero() {
		v.LastSuccess, v.LastSuccessAge = formatTime(s.LastSuccess, p), ago(now.Sub(s.LastSuccess), p)
	}
	if !s.Restored {
		v.Duration = s.Duration.Round(time.Millisecond).String()
	}
	v.Regions, v.Conflicts = s.Regions, s.Conflicts
	v.RowsAccepted, v.RowsRejected = s.RowsAccepted, s.RowsRejected
	files, more := firstFiles(s.Files, in.MaxFiles)
	if more > 0 {
		v.FilesTotal, v.MoreFiles = len(s.Files), more
	}
	for _, f := range files {
		fv := fileView{
			Name: clean(f.Name), Sheet: clean(f.Sheet), HeaderRow: f.HeaderRow, Regions: f.Regions,
			AsOfOrigin: clean(f.AsOfOrigin), Size: p.Count(float64(f.Size)) + " B",
			Reason: clean(f.Reason), Error: clean(f.Error), Rejected: f.Reason != "", Kept: f.Kept,
			ReasonText: clean(p.FileReason(f.Reason)),
		}
		if !f.AsOf.IsZero() {
			fv.AsOf = p.Date(f.AsOf)
		}
		v.Files = append(v.Files, fv)
	}
	if c := s.Completeness; c != nil {
		cv := &completenessView{Expected: c.Expected, Reported: c.Reported, Configured: c.Basis == ingest.BasisConfigured,
			Sheets: clean(strings.Join(c.Sheets, ", "))}
		if !c.AsOf.IsZero() {
			cv.AsOf = p.Date(c.AsOf)
		}
		for _, m := range c.Missing {
			cv.Missing = append(cv.Missing, clean(m.Region.Name+" ("+m.Region.Code+")"))
		}
		v.Completeness = cv
	}
	// jkn_data_quality_findings, conflicts included.
	for c, n := range s.FindingsByCheck {
		v.FindingCounts = append(v.FindingCounts, checkCount{Check: clean(c), Count: n})
		v.FindingsTotal += n
	}
	sort.Slice(v.FindingCounts, func(i, j int) bool { return v.FindingCounts[i].Check < v.FindingCounts[j].Check })
	for i, f := range s.Findings {
		if i == maxFindings {
			v.MoreFindings = len(s.Findings) - maxFindings
			break
		}
		v.Findings = append(v.Findings, findingOf(f, p))
	}
	return v
}

// findingOf is a finding as the pages show it.
func findingOf(f jkn.Finding, p *lang.Printer) findingView {
	return findingView{
		File: clean(f.File), Sheet: clean(f.Sheet), Row: f.Row, Column: clean(f.Column),
		Check: clean(f.Check), Reason: clean(p.Reason(f)), Rejected: f.Rejected,
	}
}

// clean makes sheet text valid UTF-8: html/template escapes markup but
// passes invalid bytes through, which browsers then guess at.
func clean(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

// target formats a threshold with its comparison: "> 98%" for the strict
// 2025 rules, "≥ 100%" for a region's own target ("≥ 97,5%" in Indonesian).
func target(v float64, strict bool, p *lang.Printer) string {
	op := "≥ "
	if strict {
		op = "> "
	}
	return op + p.Threshold(v)
}

// formatTime shows the server's local time: coordinators read it in the
// zone the exporter runs in (WIB, WITA or WIT).
func formatTime(t time.Time, p *lang.Printer) string { return p.Time(t.Local()) }

func ago(d time.Duration, p *lang.Printer) string {
	if d < 0 {
		return p.Text("in the future (clock skew?)")
	}
	return p.Text("%s ago", age(d, p))
}

// age is a coarse duration for people: "45s", "12m", "3h 5m", "2d 4h"
// ("45 dtk", "12 mnt", "3 j 5 mnt", "2 hr 4 j").
func age(d time.Duration, p *lang.Printer) string {
	if d < 0 {
		d = 0
	}
	switch {
	case d < time.Minute:
		return p.Text("%ds", int(d.Seconds()))
	case d < time.Hour:
		return p.Text("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return p.Text("%dh %dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return p.Text("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}
