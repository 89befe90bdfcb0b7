package web

import (
	_ "embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/version"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
)

//go:embed region.html
var regionHTML string

// grafanaRegionDashboard is the UID of the Grafana region dashboard
// (grafana/dashboards: uidRegion); a test compares it with the committed
// dashboard.
const grafanaRegionDashboard = "jkn-region-detail"

// Pages holds the config's page settings (pages:); a reload replaces them.
// The zero value has none.
type Pages struct{ cur atomic.Pointer[config.Pages] }

// Store sets the page settings.
func (p *Pages) Store(c config.Pages) { p.cur.Store(&c) }

// Load returns the page settings.
func (p *Pages) Load() config.Pages {
	if p == nil {
		return config.Pages{}
	}
	if c := p.cur.Load(); c != nil {
		return *c
	}
	return config.Pages{}
}

// figureName is a figure as the page names it; segments show their own
// names (segmentName), other fields their machine name.
func figureName(f jkn.Field, p *lang.Printer) string {
	switch f {
	case jkn.FieldPopulation:
		return p.Text("Population")
	case jkn.FieldParticipants:
		return p.Text("Registered participants")
	case jkn.FieldActive:
		return p.Text("Active participants")
	case jkn.FieldInactive:
		return p.Text("Inactive participants")
	case jkn.FieldUninsured:
		return p.Text("Not registered (as the sheet says)")
	case jkn.FieldCoverageReported:
		return p.Text("Coverage (as the sheet says)")
	case jkn.FieldActiveReported:
		return p.Text("Active share (as the sheet says)")
	}
	return string(f)
}

// levelName is a region's level as the page names it.
func levelName(l jkn.Level, p *lang.Printer) string {
	switch l {
	case jkn.LevelProvince:
		return p.Text("Province")
	case jkn.LevelRegency:
		return p.Text("Regency")
	case jkn.LevelCity:
		return p.Text("City")
	case jkn.LevelDistrict:
		return p.Text("District")
	case jkn.LevelVillage:
		return p.Text("Village")
	}
	return string(l)
}

// segmentName is a segment as BPJS Kesehatan writes it.
func segmentName(label string) string {
	switch label {
	case "pbi_apbn":
		return "PBI APBN"
	case "pbpu_pemda":
		return "PBPU Pemda"
	case "ppu_pn":
		return "PPU PN"
	case "ppu_bu":
		return "PPU BU"
	}
	return strings.ToUpper(label)
}

// regionHandler serves /region/{code}.
type regionHandler struct {
	src    StatusSource
	demo   bool
	pages  *Pages
	logger *slog.Logger
	tmpl   *template.Template
	now    func() time.Time
}

func newRegionHandler(src StatusSource, demo bool, pages *Pages, logger *slog.Logger) (*regionHandler, error) {
	tmpl, err := pageTemplate("region", regionHTML)
	if err != nil {
		return nil, fmt.Errorf("parsing region page template: %w", err)
	}
	return &regionHandler{src: src, demo: demo, pages: pages, logger: logger, tmpl: tmpl, now: time.Now}, nil
}

// regionPage is what region.html renders. Every string from a sheet or a
// config is made valid UTF-8 here; html/template escapes it.
type regionPage struct {
	pageLang
	Demo                 bool
	Version, Generated   string
	Found                bool
	Code                 string
	Name, LevelName      string
	Province, ProvCode   string
	BranchOffice, Source string
	AsOf, AsOfOrigin     string
	File, Sheet          string
	Row                  int
	Kept                 bool
	Status, StatusLabel  string
	// Criteria is the set that judged the region; Tier its UHC Award 2026
	// tier ("" for districts and villages), TierNext what it lacks for the
	// next one.
	Criteria, Tier, TierNext string

	Figures  []figureView
	Segments []figureView
	Ratios   []ratioView

	ToRegister, ToReactivate string
	ToRegisterZero           bool
	Budget, Premium          string

	Findings   []findingView
	GrafanaURL string
}

type figureView struct {
	Name, Value, Cell string
}

type ratioView struct {
	// Key is the ratio's id in the page (ratio-coverage).
	Key, Name, Value, Target, From string
	// Judged: the ratio has a target the status weighs; Below: it misses it.
	Judged, Below bool
}

func (h *regionHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := h.src.Exposition().Load()
	pr := lang.For(lang.FromRequest(r))
	page := buildRegion(st.Rendered, r.PathValue("code"), h.pages.Load(), h.now(), pr)
	page.pageLang = newPageLang(pr, r.URL.Query())
	page.Demo = h.demo
	code := http.StatusOK
	if !page.Found {
		code = http.StatusNotFound
	}
	writePage(w, h.logger, "region page", h.tmpl, page, code, pr.Lang())
}

// buildRegion gathers a region's page from one rendering; Found is false
// when it serves no region of that code.
//
// The page is in the printer's language, its numbers and dates written
// that language's way.
func buildRegion(rd *collector.Rendered, code string, pages config.Pages, now time.Time, id *lang.Printer) regionPage {
	p := regionPage{Version: version.Info(), Generated: formatTime(now, id), Code: clean(code)}
	i, ok := slices.BinarySearchFunc(rd.Regions, code, func(s collector.Served, code string) int {
		return strings.Compare(s.Region.Code, code)
	})
	if !ok {
		return p
	}
	r := &rd.Regions[i]
	p.Found = true
	p.Name, p.LevelName = clean(r.Region.Name), levelName(r.Region.Level, id)
	p.Province, p.ProvCode = clean(r.Region.Province), clean(r.Region.ProvinceCode)
	p.BranchOffice, p.Source = clean(r.BranchOffice), clean(r.Source)
	p.AsOf, p.File, p.Sheet, p.Row = id.Date(r.AsOf), clean(r.File), clean(r.Sheet), r.Row
	p.Status, p.StatusLabel = string(r.Status), statusLabel(r.Status, id)
	p.Criteria, p.Tier = clean(r.Criteria), string(r.Tier)
	if g, ok := rd.NextTier(r); ok {
		p.TierNext = clean(id.Text("for %s", g.Message()))
	}
	if r.Status == "" {
		p.StatusLabel = id.Text("cannot be judged (no coverage)")
	}
	src, _ := rd.Source(r.Source)
	if src != nil {
		for _, f := range src.Files {
			if f.Name == r.File {
				p.AsOfOrigin, p.Kept = clean(f.AsOfOrigin), f.Kept
			}
		}
		for _, f := range src.Findings {
			if f.File == r.File && (f.Row == r.Row || f.Row == 0) {
				p.Findings = append(p.Findings, findingOf(f, id))
			}
		}
	}

	cell := func(f jkn.Field) string {
		if l := r.Cells.Letter(f); l != "" {
			return clean(l) + strconv.Itoa(r.Row)
		}
		return ""
	}
	segments := map[jkn.Field]string{}
	for seg := range jkn.Segments() {
		segments[seg.Field] = seg.Label
	}
	for f, v := range r.Figures.All() {
		fv := figureView{Value: id.Count(v), Cell: cell(f)}
		if f.IsRatio() {
			fv.Value = id.Percent(v)
		}
		if label, ok := segments[f]; ok {
			fv.Name = segmentName(label)
			p.Segments = append(p.Segments, fv)
			continue
		}
		fv.Name = figureName(f, id)
		p.Figures = append(p.Figures, fv)
	}

	d := r.Derived
	from := func(a, b jkn.Field) string {
		return fmt.Sprintf("%s ÷ %s", orDash(cell(a)), orDash(cell(b)))
	}
	coverage := ratioView{Key: "coverage", Name: id.Text("Coverage"), Value: "—", Judged: true, Target: target(r.Targets.Coverage, r.Targets.CoverageStrict, id),
		From:  from(jkn.FieldParticipants, jkn.FieldPopulation),
		Below: r.Status == criteria.BelowCoverageTarget || r.Status == criteria.BelowBothTargets}
	if d.HasCoverage {
		coverage.Value = id.Percent(d.Coverage)
	}
	active := ratioView{Key: "active_ratio", Name: id.Text("Active ratio"), Value: "—", Judged: true, Target: target(r.Targets.Active, r.Targets.ActiveStrict, id),
		From:  from(jkn.FieldActive, jkn.FieldPopulation),
		Below: r.Status == criteria.BelowActiveTarget || r.Status == criteria.BelowBothTargets}
	if d.HasActive {
		active.Value = id.Percent(d.Active)
	}
	p.Ratios = []ratioView{coverage, active}
	if d.HasParticipantActive {
		p.Ratios = append(p.Ratios, ratioView{Key: "part_active", Name: id.Text("Active per registered participant"), Value: id.Percent(d.ParticipantActive), From: from(jkn.FieldActive, jkn.FieldParticipants)})
	}
	if d.HasUninsured {
		p.Ratios = append(p.Ratios, ratioView{Key: "uninsured", Name: id.Text("Residents not registered"), Value: id.Count(d.Uninsured),
			From: fmt.Sprintf("%s − %s", orDash(cell(jkn.FieldPopulation)), orDash(cell(jkn.FieldParticipants)))})
	}

	p.ToRegister, p.ToReactivate = "—", "—"
	if n, ok := r.ToRegister(); ok {
		p.ToRegister, p.ToRegisterZero = id.Count(n), n == 0
		if prem := pages.PremiumPerPersonMonth; prem > 0 {
			p.Budget, p.Premium = "Rp "+id.Count(n*prem*12), "Rp "+id.Count(prem)
		}
	}
	if n, ok := r.ToReactivate(); ok {
		p.ToReactivate = id.Count(n)
	}
	if g := pages.GrafanaURL; g != "" {
		p.GrafanaURL = strings.TrimRight(g, "/") + "/d/" + grafanaRegionDashboard + "/?var-region_code=" + url.QueryEscape(r.Region.Code)
	}
	return p
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
