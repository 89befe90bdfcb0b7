package web

import (
	"encoding/json"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// regionState is Palembang's seed sheet as the parser leaves it: Banyuasin
// on row 6 with its cells and segments, a finding on its row and one on
// another, and a hostile region whose every text is markup.
func regionState(t *testing.T) *collector.State {
	t.Helper()
	sep2023 := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	banyuasin := testRecord("16.07", "Kabupaten Banyuasin", "16", "Sumatera Selatan", "Palembang", sep2023, 837062, 817221)
	banyuasin.File, banyuasin.Row = "rekap_kepesertaan_sept_2023.xlsx", 6
	banyuasin.Figures.Set(jkn.FieldCoverageReported, 0.9763)
	banyuasin.Figures.Set(jkn.FieldPBPUPemda, 38096)
	banyuasin.Figures.Set(jkn.FieldPBIAPBN, 452318)
	banyuasin.Cells = jkn.CellsOf(map[jkn.Field]string{
		jkn.FieldPopulation: "C", jkn.FieldParticipants: "D", jkn.FieldCoverageReported: "E",
		jkn.FieldPBIAPBN: "F", jkn.FieldPBPUPemda: "G",
	})
	// Bangka Tengah: active figures, below both targets.
	bangka := testRecord("19.04", "Kabupaten Bangka Tengah", "19", "Kepulauan Bangka Belitung", "Palembang", sep2023, 202131, 195157, 151457)
	bangka.File, bangka.Row = "rekap_kepesertaan_sept_2023.xlsx", 8
	bangka.Cells = jkn.CellsOf(map[jkn.Field]string{jkn.FieldPopulation: "C", jkn.FieldParticipants: "D", jkn.FieldActive: "H"})
	hostile := testRecord("99.01", evil, "99", evil, evil, sep2023, 1000, 900, 700)
	hostile.File, hostile.Sheet, hostile.Row = evil+".xlsx", evil, 3
	hostile.Cells = jkn.CellsOf(map[jkn.Field]string{jkn.FieldPopulation: "B"})
	snap := &snapshot.Snapshot{
		Source: "kc-palembang", BranchOffice: "Palembang", Up: true,
		Attempted: testNow, LastSuccess: testNow,
		Files: []snapshot.FileSummary{
			{Name: banyuasin.File, Sheet: "Rekap", HeaderRow: 5, AsOf: sep2023, AsOfOrigin: "title_cell", Regions: 2},
			{Name: hostile.File, Sheet: evil, HeaderRow: 2, AsOf: sep2023, AsOfOrigin: evil, Regions: 1},
		},
		Records: []ingest.Record{banyuasin, bangka, hostile},
		Findings: []jkn.Finding{
			{File: banyuasin.File, Sheet: "Rekap", Row: 6, Column: "E", Check: "reported_coverage_mismatch", Reason: "Banyuasin: the sheet says 97.70%"},
			{File: banyuasin.File, Sheet: "Rekap", Row: 9, Check: "unresolved_region", Reason: "no region named Atlantis", Rejected: true},
			{File: hostile.File, Sheet: evil, Row: 3, Column: "B", Check: "bad_number", Reason: evil},
		},
		RowsAccepted: 3, RowsRejected: 1,
	}
	set, err := criteria.Lookup("uhc_2025")
	if err != nil {
		t.Fatal(err)
	}
	view := snapshot.View{snap}
	rd := &collector.Renderer{Criteria: set}
	return &collector.State{View: view, Rendered: rd.Render(view)}
}

// regionBody serves /region/{code} of a state with page settings.
func regionBody(t *testing.T, st *collector.State, pages config.Pages, code string) (int, string) {
	t.Helper()
	f := &fakeExporter{}
	f.expo.Store(st)
	p := &Pages{}
	p.Store(pages)
	h, err := newRegionHandler(f, false, p, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h.now = func() time.Time { return testNow }
	mux := http.NewServeMux()
	mux.Handle("GET /region/{code}", h)
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest("GET", "/region/"+code, nil))
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("GET /region/%s: content type %q", code, ct)
	}
	return rec.Code, rec.Body.String()
}

// textOf strips the tags from a part of the page, leaving what a reader sees.
var tagRE = regexp.MustCompile(`<[^>]*>`)

func textOf(s string) string {
	return strings.Join(strings.Fields(html.UnescapeString(tagRE.ReplaceAllString(s, " "))), " ")
}

// section is the page from the element with that id to the next h2.
func section(t *testing.T, body, id string) string {
	t.Helper()
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no %q in\n%s", id, body)
	}
	rest := body[i:]
	if j := strings.Index(rest[1:], "<h2"); j >= 0 {
		rest = rest[:j+1]
	}
	return rest
}

func TestRegionPage(t *testing.T) {
	code, body := regionBody(t, regionState(t), config.Pages{GrafanaURL: "https://grafana.example.go.id/", PremiumPerPersonMonth: 42000}, "16.07")
	if code != http.StatusOK {
		t.Fatalf("GET /region/16.07: %d\n%s", code, body)
	}
	for _, want := range []string{
		// Who, where, when, Indonesian first.
		"Kabupaten Banyuasin",
		"Kode wilayah / Region code 16.07",
		"Tingkat / Level Kabupaten / Regency",
		"Provinsi / Province Sumatera Selatan",
		"Kantor cabang BPJS / BPJS branch office Palembang",
		"Sumber / Source kc-palembang",
		"Posisi data / Figures as of 1 September 2023 (diambil dari / taken from title_cell )",
		"Status UHC / UHC status di bawah target cakupan / below coverage target",
		// The set that judged it, its award tier and what the next tier needs.
		"Kriteria yang menilai / Criteria that judged it uhc_2025",
		"Tingkat UHC Award 2026 / UHC Award 2026 tier none untuk pratama: cakupan ≥ 98% (kini 97,63%, 3.100 peserta lagi) dan keaktifan ≥ 80% (lembar tidak mempunyai angka peserta aktif)",
		// What it takes: above 98% of 837,062 is 820,321 participants; 3,100
		// more, at Rp 42,000 a month each.
		"3.100 Penduduk yang masih perlu didaftarkan / Residents still to register",
		"Anggaran per tahun untuk mendaftarkan mereka sebagai PBPU Pemda / Yearly budget to register them as PBPU Pemda : Rp 1.562.400.000 per tahun / a year",
		"(Rp 42.000 iuran per orang per bulan / premium per person per month )",
		// No active column: nothing to reactivate can be said.
		"— Peserta yang perlu diaktifkan kembali / Participants to reactivate",
		// Ratios against the targets, from the cells.
		"Cakupan kepesertaan / Coverage 97,63% > 98% (belum tercapai / not met ) D6 ÷ C6",
		"Penduduk belum terdaftar / Residents not registered 19.841 C6 − D6",
		// Every figure with the cell it was read from.
		"File / File rekap_kepesertaan_sept_2023.xlsx Sheet / Sheet Rekap Baris / Row 6",
		"Jumlah penduduk / Population 837.062 C6",
		"Peserta terdaftar / Registered participants 817.221 D6",
		"Cakupan (menurut lembar) / Coverage (as the sheet says) 97,63% E6",
		"PBI APBN 452.318 F6", "PBPU Pemda 38.096 G6",
		// The finding of its row, not the other rows'.
		"rekap_kepesertaan_sept_2023.xlsx Rekap 6 E reported_coverage_mismatch Banyuasin: the sheet says 97.70%",
	} {
		if !strings.Contains(textOf(body), want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "Atlantis") {
		t.Error("a finding of another row is on Banyuasin's page")
	}
	if !strings.Contains(body, `href="https://grafana.example.go.id/d/jkn-region-detail/?var-region_code=16.07"`) {
		t.Errorf("no Grafana link in\n%s", section(t, body, "region"))
	}
	// Links back to the status page's lists of its province and office.
	for _, link := range []string{`href="../?province=16"`, `href="../?branch_office=Palembang"`, `href="../#source-kc-palembang"`} {
		if !strings.Contains(body, link) {
			t.Errorf("no link %s", link)
		}
	}
	if !strings.Contains(body, `<html lang="id">`) {
		t.Error("the page does not say it is Indonesian")
	}
}

func TestRegionPageActiveAndSettings(t *testing.T) {
	// No page settings: no budget, no Grafana link.
	code, body := regionBody(t, regionState(t), config.Pages{}, "19.04")
	if code != http.StatusOK {
		t.Fatalf("GET /region/19.04: %d", code)
	}
	text := textOf(body)
	// Of 202,131 residents: above 98% takes 198,089 registered, above 80%
	// 161,705 active.
	for _, want := range []string{
		"2.932 Penduduk yang masih perlu didaftarkan",
		"10.248 Peserta yang perlu diaktifkan kembali",
		"di bawah kedua target / below both targets",
		"Rasio peserta aktif / Active ratio 74,93% > 80% (belum tercapai / not met ) H8 ÷ C8",
		"Peserta aktif per peserta terdaftar / Active per registered participant 77,61% H8 ÷ D8",
		"Peserta aktif / Active participants 151.457 H8",
		"Tidak ada temuan untuk baris ini. / No findings for this row.",
		"Lembar kerja ini tidak memuat segmen. / The sheet carries no segments.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, absent := range []string{"Anggaran", "Rp ", "grafana", "Grafana"} {
		if strings.Contains(body, absent) {
			t.Errorf("without page settings the page has %q", absent)
		}
	}
}

func TestRegionNotFound(t *testing.T) {
	for _, code := range []string{"99.99", "16.07.99", "%3Cscript%3Ealert(1)%3C%2Fscript%3E"} {
		status, body := regionBody(t, regionState(t), config.Pages{}, code)
		if status != http.StatusNotFound {
			t.Errorf("GET /region/%s: %d, want 404", code, status)
		}
		if !strings.Contains(body, "Wilayah tidak ditemukan") || !strings.Contains(body, `id="not-found"`) {
			t.Errorf("GET /region/%s: no not-found page:\n%s", code, body)
		}
		if strings.Contains(strings.ToLower(body), "<script") {
			t.Errorf("GET /region/%s: the code is echoed unescaped", code)
		}
	}
}

// TestRegionEscapesSheetText: every text a sheet gave the region (its name,
// province, office, file, sheet, as-of origin, findings) is escaped.
func TestRegionEscapesSheetText(t *testing.T) {
	code, body := regionBody(t, regionState(t), config.Pages{}, "99.01")
	if code != http.StatusOK {
		t.Fatalf("GET /region/99.01: %d", code)
	}
	if i := strings.Index(strings.ToLower(body), "<script"); i >= 0 {
		t.Errorf("unescaped <script in the page: …%s…", body[max(0, i-200):min(len(body), i+100)])
	}
	if !utf8.ValidString(body) {
		t.Error("page is not valid UTF-8")
	}
	if strings.Contains(body, `"quotes"`) {
		t.Error("quotes from a sheet are not escaped")
	}
	escaped := "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quotes&#34; &#39;single&#39; back\\slash \uFFFD"
	// Title, heading, province, office, file, sheet, as-of origin, the
	// finding's file, sheet and reason.
	if n := strings.Count(body, escaped); n < 10 {
		t.Errorf("escaped hostile text appears %d times, want 10 or more", n)
	}
}

// TestRegionTexts: every text has both languages, and every one is used.
func TestRegionTexts(t *testing.T) {
	texts := regionTexts()
	src, err := os.ReadFile("region.go")
	if err != nil {
		t.Fatal(err)
	}
	for key, tx := range texts {
		if strings.TrimSpace(tx.ID) == "" || strings.TrimSpace(tx.EN) == "" {
			t.Errorf("text %q lacks a language: %+v", key, tx)
		}
		used := strings.Contains(regionHTML, `"`+key+`"`) || strings.Contains(string(src), `Key: "`+key+`"`) || strings.Contains(string(src), `return "`+key+`"`)
		for _, prefix := range []string{"lvl_", "st_"} {
			used = used || strings.HasPrefix(key, prefix)
		}
		if !used {
			t.Errorf("text %q is not used", key)
		}
	}
	for _, l := range []jkn.Level{jkn.LevelProvince, jkn.LevelRegency, jkn.LevelCity, jkn.LevelDistrict, jkn.LevelVillage} {
		if _, ok := texts["lvl_"+string(l)]; !ok {
			t.Errorf("no text for level %s", l)
		}
	}
	for _, s := range criteria.Statuses() {
		if _, ok := texts["st_"+string(s)]; !ok {
			t.Errorf("no text for status %s", s)
		}
	}
	// A key the template asks for that is missing fails the page, not a blank.
	h, err := newRegionHandler(&fakeExporter{}, false, nil, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.tmpl.New("probe").Parse(`{{t "no_such_text"}}`); err != nil {
		t.Fatal(err)
	}
	if err := h.tmpl.ExecuteTemplate(io.Discard, "probe", nil); err == nil || !strings.Contains(err.Error(), `no text "no_such_text"`) {
		t.Errorf("a missing text: %v", err)
	}
}

// TestGrafanaRegionDashboard: the page links the dashboard the repository
// ships, by its UID and its region_code variable.
func TestGrafanaRegionDashboard(t *testing.T) {
	data, err := os.ReadFile("../../grafana/dashboards/" + grafanaRegionDashboard + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID        string `json:"uid"`
		Templating struct {
			List []struct {
				Name string `json:"name"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	if d.UID != grafanaRegionDashboard {
		t.Errorf("the region dashboard's uid is %q, the page links %q", d.UID, grafanaRegionDashboard)
	}
	found := false
	for _, v := range d.Templating.List {
		found = found || v.Name == "region_code"
	}
	if !found {
		t.Error("the region dashboard has no region_code variable for the page's link")
	}
}

// TestRegionRoute: the page through the exporter's routes, linked from the
// status page's table.
func TestRegionRoute(t *testing.T) {
	set, _ := criteria.Lookup("uhc_2025")
	e, err := exporter.New(exporter.Options{Logger: slog.New(slog.DiscardHandler)}, nil, criteria.Rules{Policy: set})
	if err != nil {
		t.Fatal(err)
	}
	pages := &Pages{}
	pages.Store(config.Pages{GrafanaURL: "http://grafana.local:3000"})
	h, err := Handler(Options{Exporter: e, Gatherer: prometheus.NewRegistry(), Logger: slog.New(slog.DiscardHandler), Pages: pages})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(path string) (int, string) { return httpGet(t, srv.URL+path) }
	e.Store().Put(regionState(t).View[0])
	_, status := get("/")
	if !strings.Contains(status, `<a href="region/16.07">Kabupaten Banyuasin</a>`) {
		t.Errorf("the status page's table does not link Banyuasin's page:\n%s", belowSection(t, status))
	}
	if code, body := get("/region/16.07"); code != 200 || !strings.Contains(body, "3.100") || !strings.Contains(body, "http://grafana.local:3000/d/jkn-region-detail/") {
		t.Errorf("GET /region/16.07: %d\n%s", code, body)
	}
	// A reload's new settings are in the next page.
	pages.Store(config.Pages{})
	if _, body := get("/region/16.07"); strings.Contains(body, "grafana.local") {
		t.Error("the Grafana link stayed after the settings dropped it")
	}
	if code, _ := get("/region/00.00"); code != http.StatusNotFound {
		t.Errorf("GET /region/00.00: %d, want 404", code)
	}
	if code, _ := get("/region/"); code != http.StatusNotFound {
		t.Errorf("GET /region/: %d, want 404", code)
	}
}

// httpGet fetches a page: its status code and body.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
