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

// text is one text a person reads, Indonesian first, English beside it.
type text struct{ ID, EN string }

// regionTexts are every text of the region page, in one place so they can
// move into the message catalogue. A function, not a package variable: no
// caller can change them. A test checks that the template uses no other.
func regionTexts() map[string]text {
	return map[string]text{
		"back":                     {"Kembali ke halaman status", "Back to the status page"},
		"code":                     {"Kode wilayah", "Region code"},
		"level":                    {"Tingkat", "Level"},
		"province":                 {"Provinsi", "Province"},
		"branch_office":            {"Kantor cabang BPJS", "BPJS branch office"},
		"source":                   {"Sumber", "Source"},
		"as_of":                    {"Posisi data", "Figures as of"},
		"as_of_from":               {"diambil dari", "taken from"},
		"status":                   {"Status UHC", "UHC status"},
		"criteria":                 {"Kriteria yang menilai", "Criteria that judged it"},
		"tier":                     {"Tingkat UHC Award 2026", "UHC Award 2026 tier"},
		"figures":                  {"Angka dari lembar kerja", "Figures from the sheet"},
		"figure":                   {"Angka", "Figure"},
		"value":                    {"Nilai", "Value"},
		"cell":                     {"Sel", "Cell"},
		"provenance":               {"Setiap angka berasal dari file, sheet dan sel berikut.", "Each figure comes from the file, sheet and cell shown."},
		"file":                     {"File", "File"},
		"sheet":                    {"Sheet", "Sheet"},
		"row":                      {"Baris", "Row"},
		"kept":                     {"File ini ditolak pada pembacaan terakhir; angka dari pembacaan baik sebelumnya masih ditampilkan.", "This file was rejected at the last read; the figures of its last good read are still served."},
		"ratios":                   {"Rasio terhadap target", "Ratios against the targets"},
		"ratio":                    {"Rasio", "Ratio"},
		"target":                   {"Target", "Target"},
		"computed":                 {"Dihitung dari", "Computed from"},
		"coverage":                 {"Cakupan kepesertaan", "Coverage"},
		"active_ratio":             {"Rasio peserta aktif", "Active ratio"},
		"part_active":              {"Peserta aktif per peserta terdaftar", "Active per registered participant"},
		"uninsured":                {"Penduduk belum terdaftar", "Residents not registered"},
		"met":                      {"tercapai", "met"},
		"not_met":                  {"belum tercapai", "not met"},
		"to_target":                {"Yang diperlukan untuk mencapai target", "What it takes to reach the targets"},
		"to_register":              {"Penduduk yang masih perlu didaftarkan", "Residents still to register"},
		"to_reactivate":            {"Peserta yang perlu diaktifkan kembali", "Participants to reactivate"},
		"to_register_note":         {"Jumlah terkecil yang membuat cakupan memenuhi target (pada target “> 98%” satu lebih dari batasnya).", "The smallest number with which coverage meets its target (under a “> 98%” target one more than the boundary)."},
		"reactivate_note":          {"Bila lebih dari peserta non aktif, sisanya harus didaftarkan dulu.", "When more than the inactive participants, the rest must be registered first."},
		"budget":                   {"Anggaran per tahun untuk mendaftarkan mereka sebagai PBPU Pemda", "Yearly budget to register them as PBPU Pemda"},
		"budget_note":              {"iuran per orang per bulan", "premium per person per month"},
		"per_year":                 {"per tahun", "a year"},
		"segments":                 {"Segmen peserta", "Participant segments"},
		"segment":                  {"Segmen", "Segment"},
		"no_segments":              {"Lembar kerja ini tidak memuat segmen.", "The sheet carries no segments."},
		"findings":                 {"Temuan kualitas data", "Data-quality findings"},
		"no_findings":              {"Tidak ada temuan untuk baris ini.", "No findings for this row."},
		"column":                   {"Kolom", "Column"},
		"check":                    {"Pemeriksaan", "Check"},
		"reason":                   {"Alasan", "Reason"},
		"rejected":                 {"baris ditolak", "row rejected"},
		"grafana":                  {"Buka dasbor wilayah di Grafana", "Open the region dashboard in Grafana"},
		"demo":                     {"DATA DEMO: jangan ambil tindakan berdasarkan angka ini.", "DEMO DATA: do not act on these numbers."},
		"generated":                {"Halaman dibuat", "Page generated"},
		"not_found":                {"Wilayah tidak ditemukan", "Region not found"},
		"not_found_text":           {"Tidak ada wilayah dengan kode ini yang dilayani exporter ini.", "This exporter serves no region with this code."},
		"fig_population":           {"Jumlah penduduk", "Population"},
		"fig_participants":         {"Peserta terdaftar", "Registered participants"},
		"fig_active":               {"Peserta aktif", "Active participants"},
		"fig_inactive":             {"Peserta non aktif", "Inactive participants"},
		"fig_uninsured":            {"Belum terdaftar (menurut lembar)", "Not registered (as the sheet says)"},
		"fig_cov_reported":         {"Cakupan (menurut lembar)", "Coverage (as the sheet says)"},
		"fig_act_reported":         {"Persentase aktif (menurut lembar)", "Active share (as the sheet says)"},
		"lvl_province":             {"Provinsi", "Province"},
		"lvl_regency":              {"Kabupaten", "Regency"},
		"lvl_city":                 {"Kota", "City"},
		"lvl_district":             {"Kecamatan", "District"},
		"lvl_village":              {"Desa/Kelurahan", "Village"},
		"st_meets_targets":         {"memenuhi target", "meets targets"},
		"st_below_active_target":   {"di bawah target peserta aktif", "below active target"},
		"st_below_coverage_target": {"di bawah target cakupan", "below coverage target"},
		"st_below_both_targets":    {"di bawah kedua target", "below both targets"},
		"st_unknown":               {"tidak diketahui (tanpa angka peserta aktif)", "unknown (no active figure)"},
		"st_none":                  {"tidak dapat dinilai (tanpa cakupan)", "cannot be judged (no coverage)"},
	}
}

// figureKey names a figure's text; segments show their own names.
func figureKey(f jkn.Field) string {
	switch f {
	case jkn.FieldPopulation:
		return "fig_population"
	case jkn.FieldParticipants:
		return "fig_participants"
	case jkn.FieldActive:
		return "fig_active"
	case jkn.FieldInactive:
		return "fig_inactive"
	case jkn.FieldUninsured:
		return "fig_uninsured"
	case jkn.FieldCoverageReported:
		return "fig_cov_reported"
	case jkn.FieldActiveReported:
		return "fig_act_reported"
	}
	return ""
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
	texts := regionTexts()
	tmpl, err := template.New("region").Funcs(template.FuncMap{
		"t": func(key string) (text, error) {
			if tx, ok := texts[key]; ok {
				return tx, nil
			}
			return text{}, fmt.Errorf("region page: no text %q", key)
		},
	}).Parse(regionHTML)
	if err != nil {
		return nil, fmt.Errorf("parsing region page template: %w", err)
	}
	return &regionHandler{src: src, demo: demo, pages: pages, logger: logger, tmpl: tmpl, now: time.Now}, nil
}

// regionPage is what region.html renders. Every string from a sheet or a
// config is made valid UTF-8 here; html/template escapes it.
type regionPage struct {
	Demo                 bool
	Version, Generated   string
	Found                bool
	Code                 string
	Name, LevelKey       string
	Province, ProvCode   string
	BranchOffice, Source string
	AsOf, AsOfOrigin     string
	File, Sheet          string
	Row                  int
	Kept                 bool
	Status, StatusKey    string
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
	Key, Name, Value, Cell string
}

type ratioView struct {
	Key, Value, Target, From string
	// Judged: the ratio has a target the status weighs; Below: it misses it.
	Judged, Below bool
}

func (h *regionHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st := h.src.Exposition().Load()
	page := buildRegion(st.Rendered, r.PathValue("code"), h.pages.Load(), h.now())
	page.Demo = h.demo
	code := http.StatusOK
	if !page.Found {
		code = http.StatusNotFound
	}
	writePage(w, h.logger, "region page", h.tmpl, page, code, lang.ID)
}

// buildRegion gathers a region's page from one rendering; Found is false
// when it serves no region of that code.
//
// The page is bilingual, Indonesian first (regionTexts): its numbers and
// dates are written the Indonesian way.
func buildRegion(rd *collector.Rendered, code string, pages config.Pages, now time.Time) regionPage {
	id := lang.For(lang.ID)
	p := regionPage{Version: version.Info(), Generated: formatTime(now, id), Code: clean(code)}
	i, ok := slices.BinarySearchFunc(rd.Regions, code, func(s collector.Served, code string) int {
		return strings.Compare(s.Region.Code, code)
	})
	if !ok {
		return p
	}
	r := &rd.Regions[i]
	p.Found = true
	p.Name, p.LevelKey = clean(r.Region.Name), "lvl_"+string(r.Region.Level)
	p.Province, p.ProvCode = clean(r.Region.Province), clean(r.Region.ProvinceCode)
	p.BranchOffice, p.Source = clean(r.BranchOffice), clean(r.Source)
	p.AsOf, p.File, p.Sheet, p.Row = id.Date(r.AsOf), clean(r.File), clean(r.Sheet), r.Row
	p.Status, p.StatusKey = string(r.Status), "st_"+string(r.Status)
	p.Criteria, p.Tier = clean(r.Criteria), string(r.Tier)
	if g, ok := rd.NextTier(r); ok {
		p.TierNext = clean(id.Text("for %s", g.Message()))
	}
	if r.Status == "" {
		p.StatusKey = "st_none"
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
		if fv.Key = figureKey(f); fv.Key == "" {
			fv.Name = string(f)
		}
		p.Figures = append(p.Figures, fv)
	}

	d := r.Derived
	from := func(a, b jkn.Field) string {
		return fmt.Sprintf("%s ÷ %s", orDash(cell(a)), orDash(cell(b)))
	}
	coverage := ratioView{Key: "coverage", Value: "—", Judged: true, Target: target(r.Targets.Coverage, r.Targets.CoverageStrict, id),
		From:  from(jkn.FieldParticipants, jkn.FieldPopulation),
		Below: r.Status == criteria.BelowCoverageTarget || r.Status == criteria.BelowBothTargets}
	if d.HasCoverage {
		coverage.Value = id.Percent(d.Coverage)
	}
	active := ratioView{Key: "active_ratio", Value: "—", Judged: true, Target: target(r.Targets.Active, r.Targets.ActiveStrict, id),
		From:  from(jkn.FieldActive, jkn.FieldPopulation),
		Below: r.Status == criteria.BelowActiveTarget || r.Status == criteria.BelowBothTargets}
	if d.HasActive {
		active.Value = id.Percent(d.Active)
	}
	p.Ratios = []ratioView{coverage, active}
	if d.HasParticipantActive {
		p.Ratios = append(p.Ratios, ratioView{Key: "part_active", Value: id.Percent(d.ParticipantActive), From: from(jkn.FieldActive, jkn.FieldParticipants)})
	}
	if d.HasUninsured {
		p.Ratios = append(p.Ratios, ratioView{Key: "uninsured", Value: id.Count(d.Uninsured),
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
