package web

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// evil is what a hostile or broken sheet may carry in any text cell.
const evil = "<script>alert(1)</script> \"quotes\" 'single' back\\slash \xff\xfe bad UTF-8"

// fakeExporter is the StatusSource of the tests: a fixed state and sources.
type fakeExporter struct {
	expo    collector.Exposition
	sources []*exporter.Source
	next    time.Time
}

func (f *fakeExporter) Exposition() *collector.Exposition { return &f.expo }
func (f *fakeExporter) Sources() []*exporter.Source       { return f.sources }
func (f *fakeExporter) NextRun(string) time.Time          { return f.next }

type nopSource struct{ name string }

func (s nopSource) Name() string                                  { return s.name }
func (s nopSource) Fetch(context.Context) ([]sources.File, error) { return nil, nil }

var testNow = time.Date(2025, 5, 2, 10, 0, 0, 0, time.UTC)

func testRecord(code, name, provCode, prov, branch string, asOf time.Time, pop, part float64, active ...float64) ingest.Record {
	level := jkn.LevelRegency
	if strings.HasPrefix(code[strings.Index(code, ".")+1:], "7") {
		level = jkn.LevelCity
	}
	r := ingest.Record{
		Region:       jkn.Region{Code: code, Name: name, Level: level, ProvinceCode: provCode, Province: prov},
		BranchOffice: branch, AsOf: asOf, File: "rekap.xlsx", Sheet: "Rekap", Row: 7,
		Figures: jkn.FiguresOf(map[jkn.Field]float64{jkn.FieldPopulation: pop, jkn.FieldParticipants: part}),
	}
	if len(active) > 0 {
		r.Figures.Set(jkn.FieldActive, active[0])
	}
	return r
}

// craftedState is two sources: Palembang with the seed figures and a
// hostile file, Banjarmasin with regions meeting and missing targets.
func craftedState(t *testing.T) *collector.State {
	t.Helper()
	sep2023 := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	may2025 := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	var findings []jkn.Finding
	for i := range 60 {
		findings = append(findings, jkn.Finding{
			File: evil + ".xlsx", Sheet: evil, Row: 10 + i, Column: "E",
			Check: "reported_coverage_mismatch", Reason: fmt.Sprintf("finding %d: %s", i, evil),
		})
	}
	// A rejected row first, so it is within the listed ones.
	findings = append([]jkn.Finding{{File: "rekap.xlsx", Sheet: "Rekap", Row: 9, Check: "unknown_region", Reason: "no region named " + evil, Rejected: true}}, findings[:59]...)
	palembang := &snapshot.Snapshot{
		Source: "kc-palembang", BranchOffice: "Palembang", Up: false,
		Attempted: testNow.Add(-5 * time.Minute), LastSuccess: testNow.Add(-26 * time.Hour), Duration: 42 * time.Millisecond,
		Files: []snapshot.FileSummary{
			{Name: "rekap.xlsx", Size: 12345, Sheet: "Rekap", HeaderRow: 5, AsOf: sep2023, AsOfOrigin: "title_cell", Regions: 3},
			{Name: evil + ".xlsx", Size: 10, Reason: "corrupt", Error: "zip: not a valid zip file: " + evil},
		},
		Records: []ingest.Record{
			testRecord("16.07", "Kabupaten Banyuasin", "16", "Sumatera Selatan", "Palembang", sep2023, 837062, 817221),
			testRecord("16.71", "Kota Palembang", "16", "Sumatera Selatan", "Palembang", sep2023, 1801367, 1787156),
			testRecord("99.01", evil, "99", evil, evil, sep2023, 1000, 900, 700),
		},
		Findings:     findings,
		RowsAccepted: 3, RowsRejected: 1,
	}
	banjarmasin := &snapshot.Snapshot{
		Source: "kc-banjarmasin", BranchOffice: "Banjarmasin", Up: true,
		Attempted: testNow.Add(-time.Minute), LastSuccess: testNow.Add(-time.Minute),
		Files: []snapshot.FileSummary{{Name: "data_jkn.xlsx", Sheet: "Data", HeaderRow: 1, AsOf: may2025, AsOfOrigin: "column", Regions: 3}},
		Records: []ingest.Record{
			testRecord("63.03", "Kabupaten Banjar", "63", "Kalimantan Selatan", "Banjarmasin", may2025, 590393, 581578, 472638),
			testRecord("63.05", "Kabupaten Tapin", "63", "Kalimantan Selatan", "Banjarmasin", may2025, 202061, 196404, 150543),
			testRecord("19.04", "Kabupaten Bangka Tengah", "19", "Kepulauan Bangka Belitung", "Banjarmasin", may2025, 202131, 195157, 151457),
		},
		RowsAccepted: 3,
	}
	set, err := criteria.Lookup("uhc_2025")
	if err != nil {
		t.Fatal(err)
	}
	view := snapshot.View{banjarmasin, palembang}
	rd := &collector.Renderer{Criteria: set}
	return &collector.State{View: view, Rendered: rd.Render(view)}
}

func newFake(t *testing.T) *fakeExporter {
	f := &fakeExporter{next: testNow.Add(10 * time.Minute)}
	f.expo.Store(craftedState(t))
	f.sources = []*exporter.Source{
		{Source: nopSource{"kc-banjarmasin"}, Kind: "url", Location: "https://kc-banjarmasin.example/rekap.xlsx", Schedule: "@every 1h", Settings: ingest.Settings{BranchOffice: "Banjarmasin"}},
		{Source: nopSource{"kc-palembang"}, Kind: "directory", Location: "/srv/jkn/" + evil, Schedule: "@every 15m", Settings: ingest.Settings{BranchOffice: "Palembang"}},
		{Source: nopSource{"kc-bengkulu"}, Kind: "directory", Location: "/srv/jkn/bengkulu", Schedule: "0 6 * * *", Settings: ingest.Settings{BranchOffice: "Bengkulu"}},
	}
	return f
}

// statusBody renders the status page of a fake exporter for a query.
func statusBody(t *testing.T, src StatusSource, demo bool, query string) string {
	t.Helper()
	h, err := newStatusHandler(src, demo, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h.now = func() time.Time { return testNow }
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/"+query, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /%s: %d %s", query, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}
	return rec.Body.String()
}

// belowSection is the part of the page listing the regions below target.
func belowSection(t *testing.T, body string) string {
	t.Helper()
	i, j := strings.Index(body, `id="below"`), strings.Index(body, `id="sources"`)
	if i < 0 || j < i {
		t.Fatalf("no below-target section in\n%s", body)
	}
	return body[i:j]
}

func TestStatusEscapesSheetText(t *testing.T) {
	for _, l := range lang.All() {
		for _, q := range []string{"", "?province=" + url.QueryEscape(evil), "?branch_office=" + url.QueryEscape(`"><script>alert(1)</script>`)} {
			escapesSheetText(t, statusBody(t, newFake(t), true, inLang(q, l)), q+" in "+string(l))
		}
		body := statusBody(t, newFake(t), false, inLang("", l))
		// The hostile text is shown, escaped, wherever a sheet put it.
		escaped := "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quotes&#34; &#39;single&#39; back\\slash \uFFFD"
		if n := strings.Count(body, escaped); n < 10 {
			t.Errorf("%s: escaped hostile text appears %d times, want it in names, files, findings, errors, options", l, n)
		}
	}
}

func escapesSheetText(t *testing.T, body, q string) {
	t.Helper()
	if strings.Contains(strings.ToLower(body), "<script") {
		i := strings.Index(strings.ToLower(body), "<script")
		t.Errorf("query %q: unescaped <script in the page: …%s…", q, body[max(0, i-200):min(len(body), i+100)])
	}
	if !utf8.ValidString(body) {
		t.Errorf("query %q: page is not valid UTF-8", q)
	}
	if strings.Contains(body, `"quotes"`) {
		t.Errorf("query %q: quotes from a sheet are not escaped", q)
	}
}

func TestStatusBelowTargetWorstFirst(t *testing.T) {
	for _, l := range lang.All() {
		belowTargetWorstFirst(t, l)
	}
}

func belowTargetWorstFirst(t *testing.T, l lang.Lang) {
	body := statusBody(t, newFake(t), false, inLang("", l))
	below := belowSection(t, body)
	order := []string{"99.01", "Kabupaten Bangka Tengah", "Kabupaten Tapin", "Kabupaten Banyuasin"}
	last := -1
	for _, name := range order {
		i := strings.Index(below, name)
		if i < 0 {
			t.Fatalf("%s not listed below target:\n%s", name, below)
		}
		if i < last {
			t.Errorf("%s is listed before a worse region", name)
		}
		last = i
	}
	for _, meets := range []string{"Kabupaten Banjar<", "Kota Palembang"} {
		if strings.Contains(below, meets) {
			t.Errorf("%s is listed below target but meets (or is unknown)", meets)
		}
	}
	for _, want := range []string{
		tr(l, "97,63%", "97.63%"), tr(l, "19.841", "19,841"), "1 September 2023", tr(l, "96,55%", "96.55%"), tr(l, "74,93%", "74.93%"),
		"target &gt; 98%", tr(l, "di bawah kedua target", "below both targets"), tr(l, "di bawah target cakupan", "below coverage target"),
		// Residents to register: Banyuasin 3,100, Bangka Tengah 2,932.
		tr(l, `<td class="num">3.100</td>`, `<td class="num">3,100</td>`), tr(l, `<td class="num">2.932</td>`, `<td class="num">2,932</td>`),
		tr(l, "<b>4</b>wilayah di bawah target", "<b>4</b>regions below target"),
		tr(l, "<b>1</b>dari 6 wilayah memenuhi target", "<b>1</b>of 6 regions meet targets"), tr(l, "<b>1</b>tidak diketahui", "<b>1</b>unknown"),
	} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: page lacks %q", l, want)
		}
	}
	// Banyuasin's sheet has no active column: "—", not 0.
	row := below[strings.Index(below, "Kabupaten Banyuasin"):]
	row = row[:strings.Index(row, "</tr>")]
	if !strings.Contains(row, "—") || strings.Contains(row, "0.00%") || strings.Contains(row, "0,00%") {
		t.Errorf("Banyuasin's missing active figure not shown as —: %s", row)
	}
}

func TestStatusWorseTies(t *testing.T) {
	mk := func(code string, cov, act float64, hasAct bool) collector.Served {
		return collector.Served{Record: &ingest.Record{Region: jkn.Region{Code: code}},
			Derived: ingest.Derived{Coverage: cov, Active: act, HasCoverage: true, HasActive: hasAct}}
	}
	a, b, c, d := mk("1", 0.9, 0.7, true), mk("2", 0.9, 0.6, true), mk("3", 0.9, 0, false), mk("4", 0.8, 0.9, true)
	for _, tc := range []struct {
		x, y collector.Served
		want bool
	}{{d, a, true}, {a, d, false}, {b, a, true}, {a, c, true}, {c, a, false}, {a, a, false}} {
		if got := worse(&tc.x, &tc.y); got != tc.want {
			t.Errorf("worse(%s, %s) = %v", tc.x.Region.Code, tc.y.Region.Code, got)
		}
	}
}

func TestStatusFilters(t *testing.T) {
	for _, l := range lang.All() {
		filters(t, l)
	}
}

func filters(t *testing.T, l lang.Lang) {
	en := l == lang.EN
	counts := func(meet, of int) string {
		return fmt.Sprintf(tr(l, "<b>%d</b>dari %d wilayah", "<b>%d</b>of %d regions"), meet, of)
	}
	for _, tc := range []struct {
		query      string
		want, lack []string
		counts     string
	}{
		{"?province=Sumatera+Selatan", []string{"Kabupaten Banyuasin"}, []string{"Tapin", "Bangka Tengah", "99.01"}, counts(0, 2)},
		{"?province=16", []string{"Kabupaten Banyuasin"}, []string{"Tapin", "Bangka Tengah", "99.01"}, counts(0, 2)},
		{"?province=kalimantan+selatan", []string{"Kabupaten Tapin"}, []string{"Banyuasin", "Bangka Tengah"}, counts(1, 2)},
		{"?branch_office=Banjarmasin", []string{"Kabupaten Tapin", "Kabupaten Bangka Tengah"}, []string{"Banyuasin", "99.01"}, counts(1, 3)},
		{"?branch_office=Banjarmasin&province=19", []string{"Kabupaten Bangka Tengah"}, []string{"Tapin", "Banyuasin"}, counts(0, 1)},
		{"?province=Aceh", []string{tr(l, "Tidak ada wilayah yang sesuai saringan", "No region matches the filter")}, []string{"Tapin", "Banyuasin", "Bangka Tengah"}, counts(0, 0)},
	} {
		tc.query = inLang(tc.query, l)
		body := statusBody(t, newFake(t), false, tc.query)
		below := belowSection(t, body)
		for _, w := range tc.want {
			if !strings.Contains(below, w) {
				t.Errorf("%s: lacks %s", tc.query, w)
			}
		}
		for _, l := range tc.lack {
			if strings.Contains(below, l) {
				t.Errorf("%s: should not list %s", tc.query, l)
			}
		}
		if !strings.Contains(body, tc.counts) {
			t.Errorf("%s: counts lack %q", tc.query, tc.counts)
		}
		reset := `<a href="./">Tampilkan semua</a>`
		if en {
			reset = `<a href="./?lang=en">Show all</a>`
		}
		if !strings.Contains(below, tr(l, "(tersaring)", "(filtered)")) || !strings.Contains(below, reset) {
			t.Errorf("%s: filter not shown as active", tc.query)
		}
	}
	// The form keeps the chosen filter, also when given as a code or in
	// another case.
	for _, q := range []string{"?province=Kalimantan+Selatan", "?province=63", "?province=KALIMANTAN+SELATAN&branch_office=banjarmasin"} {
		body := statusBody(t, newFake(t), false, inLang(q, l))
		if !strings.Contains(body, `<option value="Kalimantan Selatan" selected>`) {
			t.Errorf("%s: filter form does not keep the chosen province", q)
		}
		if strings.Contains(q, "branch_office") && !strings.Contains(body, `<option value="Banjarmasin" selected>`) {
			t.Errorf("%s: filter form does not keep the chosen branch office", q)
		}
	}
}

func TestStatusSources(t *testing.T) {
	for _, l := range lang.All() {
		statusSources(t, l)
	}
}

func statusSources(t *testing.T, l lang.Lang) {
	body := statusBody(t, newFake(t), false, inLang("", l))
	for _, want := range []string{
		// configured, read, with kind, location, schedule and next run
		`id="source-kc-banjarmasin"`, "https://kc-banjarmasin.example/rekap.xlsx", "@every 1h", tr(l, "(10 mnt lagi)", "(in 10m)"),
		// down with a rejected file whose old regions are kept, the reason explained
		tr(l, `<span class="badge down">gagal</span>`, `<span class="badge down">down</span>`), tr(l, "ditolak: corrupt", "rejected: corrupt"),
		tr(l, "berkas rusak: buka di Excel atau LibreOffice lalu simpan lagi", "the file is damaged: open it in Excel or LibreOffice and save it again"),
		tr(l, "(5 mnt lalu)", "(5m ago)"), tr(l, "(1 hr 2 j lalu)", "(1d 2h ago)"),
		"Rekap", "1 September 2023", "(title_cell)", tr(l, "12.345 B", "12,345 B"),
		tr(l, "3 diterima", "3 accepted"), tr(l, "1 ditolak", "1 rejected"),
		// findings: counts by check, the list capped
		tr(l, "60 temuan", "60 findings"), "reported_coverage_mismatch: 59", "unknown_region: 1", tr(l, "(baris ditolak)", "(row rejected)"),
		tr(l, "… dan 10 lagi", "… and 10 more"),
		// configured, never read
		`id="source-kc-bengkulu"`, tr(l, "belum dibaca", "not read yet"),
		// links and attribution
		`href="metrics"`, `href="-/healthy"`, `href="-/ready"`, "idn-area-data", "ODbL",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: page lacks %q", l, want)
		}
	}
	if n := strings.Count(body, "finding 4"); n != 10 { // 4, 40..48
		t.Errorf("listed %d findings numbered 4 or 4x, want 10 (capped at %d)", n, maxFindings)
	}
}

// The regions below target say which set judged them (under by_date, the
// set in force at their date), their award tier and what it lacks for the
// next; a source says how many of its expected regions its newest sheet
// carries, and which it leaves out.
func TestStatusCriteriaTiersCompleteness(t *testing.T) {
	sep2023 := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	may2025 := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	snap := &snapshot.Snapshot{
		Source: "kc-banjarmasin", BranchOffice: "Banjarmasin", Up: true, Attempted: testNow, LastSuccess: testNow,
		Records: []ingest.Record{
			// 2023: 90% registered, below uhc_2023's 95%.
			testRecord("63.01", "Kabupaten Tanah Laut", "63", "Kalimantan Selatan", "Banjarmasin", sep2023, 1000, 900, 800),
			// 2025: 96.55% / 74.93%, below both of uhc_2025.
			testRecord("63.05", "Kabupaten Tapin", "63", "Kalimantan Selatan", "Banjarmasin", may2025, 202131, 195157, 151457),
			// a district below target: no tier.
			testRecord("63.03.01", "Aluh-Aluh", "63", "Kalimantan Selatan", "Banjarmasin", may2025, 30000, 27000, 20000),
		},
		Completeness: &ingest.Completeness{Basis: ingest.BasisLearned, Expected: 4, Reported: 3, AsOf: may2025, Sheets: []string{"rekap_mei.xlsx"},
			Missing: []ingest.Missing{{Region: jkn.Region{Code: "63.72", Name: "Kota Banjarbaru"}, LastFile: "rekap_april.xlsx"}}},
	}
	snap.Records[2].Region.Level = jkn.LevelDistrict
	byDate, err := criteria.Lookup(criteria.ByDate)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeExporter{next: testNow}
	view := snapshot.View{snap}
	f.expo.Store(&collector.State{View: view, Rendered: (&collector.Renderer{Criteria: byDate}).Render(view)})
	f.sources = []*exporter.Source{{Source: nopSource{"kc-banjarmasin"}, Kind: "directory", Settings: ingest.Settings{BranchOffice: "Banjarmasin"}}}
	for _, l := range lang.All() {
		body := statusBody(t, f, false, "?lang="+string(l))
		below := belowSection(t, body)
		rowOf := func(name string) string {
			i := strings.Index(below, name)
			if i < 0 {
				t.Fatalf("%s: %s not listed below target:\n%s", l, name, below)
			}
			row := below[i:]
			return row[:strings.Index(row, "</tr>")]
		}
		for name, wants := range map[string][]string{
			"Kabupaten Tanah Laut": {"target ≥ 95%", tr(l, "menurut uhc_2023", "under uhc_2023"), `<span class="badge tier-none">none</span>`,
				tr(l, "untuk pratama: cakupan ≥ 98% (kini 90,00%, 80 peserta lagi)", "for pratama: coverage ≥ 98% (now 90.00%, 80 more participants)")},
			"Kabupaten Tapin": {"target &gt; 98%", tr(l, "menurut uhc_2025", "under uhc_2025"), `<span class="badge tier-none">none</span>`,
				tr(l, "untuk pratama: cakupan ≥ 98% (kini 96,55%, 2.932 peserta lagi) dan keaktifan ≥ 80% (kini 74,93%, 10.248 peserta aktif lagi)",
					"for pratama: coverage ≥ 98% (now 96.55%, 2932 more participants) and active ≥ 80% (now 74.93%, 10248 more active participants)")},
			"Aluh-Aluh": {tr(l, "menurut uhc_2025", "under uhc_2025"), `<td class="tier">—</td>`},
		} {
			row := rowOf(name)
			for _, w := range wants {
				if !strings.Contains(row, w) {
					t.Errorf("%s: %s's row lacks %q: %s", l, name, w, row)
				}
			}
		}
		for _, w := range []string{"<th>UHC Award 2026</th>", tr(l, "<dt>Pelaporan</dt>", "<dt>Reporting</dt>"),
			tr(l, `<span class="below">3 dari 4</span> wilayah yang diharapkan ada di lembar terbaru (<code>rekap_mei.xlsx</code>, posisi 1 Mei 2025)`,
				`<span class="below">3 of 4</span> expected regions in the newest sheet (<code>rekap_mei.xlsx</code>, as of 1 May 2025)`),
			tr(l, "(yang diharapkan: wilayah yang dimuat lembar-lembarnya)", "(expected: the regions its sheets carried)"),
			tr(l, `<span class="below">Tidak ada:</span> Kota Banjarbaru (63.72)`, `<span class="below">Missing:</span> Kota Banjarbaru (63.72)`)} {
			if !strings.Contains(body, w) {
				t.Errorf("%s: page lacks %q", l, w)
			}
		}
	}
	// A source without an expected list or any region has no Reporting line.
	if strings.Contains(statusBody(t, newFake(t), false, "?lang=en"), "<dt>Reporting</dt>") {
		t.Error("Reporting shown for sources with no completeness")
	}
}

func TestStatusDemoBanner(t *testing.T) {
	for _, l := range lang.All() {
		banner := tr(l, "DATA DEMO", "DEMO DATA")
		if body := statusBody(t, newFake(t), true, inLang("", l)); !strings.Contains(body, banner) || !strings.Contains(body, "<code>--config.file=jkn.yml</code>") {
			t.Errorf("%s: demo mode without the banner", l)
		}
		if body := statusBody(t, newFake(t), false, inLang("", l)); strings.Contains(body, banner) || strings.Contains(body, `id="demo-banner"`) {
			t.Errorf("%s: banner shown without demo", l)
		}
	}
}

// TestStatusTemplateError: a failing template sends a 500 and no partial page.
func TestStatusTemplateError(t *testing.T) {
	h, err := newStatusHandler(newFake(t), false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h.tmpl = template.Must(template.New("status").Parse(`<p>partial</p>{{.NoSuchField}}`))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "partial") {
		t.Errorf("template error: %d %q", rec.Code, rec.Body)
	}
}

// TestStatusRoute serves the page from a real exporter through the routes:
// only "/" is the status page, other paths are 404.
func TestStatusRoute(t *testing.T) {
	set, _ := criteria.Lookup("uhc_2025")
	e, err := exporter.New(exporter.Options{Logger: slog.New(slog.DiscardHandler)}, nil, criteria.Rules{Policy: set})
	if err != nil {
		t.Fatal(err)
	}
	h, err := Handler(Options{Exporter: e, Gatherer: prometheus.NewRegistry(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if strings.HasPrefix(path, "/en") {
			path = strings.TrimPrefix(path, "/en")
			req, _ = http.NewRequest("GET", srv.URL+path, nil)
			req.Header.Set("Accept-Language", "en-GB,en;q=0.8")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/"); code != 200 || !strings.Contains(body, "Belum ada sumber yang dikonfigurasi") || !strings.Contains(body, "Belum ada wilayah yang disajikan") {
		t.Errorf("GET / on an empty exporter: %d\n%s", code, body)
	}
	// "/en" here: "/" with Accept-Language English.
	if code, body := get("/en"); code != 200 || !strings.Contains(body, "No sources are configured") || !strings.Contains(body, "No regions are served yet") {
		t.Errorf("GET / in English on an empty exporter: %d\n%s", code, body)
	}
	e.Store().Put(craftedState(t).View[0])
	if code, body := get("/?branch_office=Banjarmasin"); code != 200 || !strings.Contains(body, "Kabupaten Tapin") || !strings.Contains(body, `id="source-kc-banjarmasin"`) {
		t.Errorf("GET / after a snapshot: %d\n%s", code, body)
	}
	if code, _ := get("/nope"); code != http.StatusNotFound {
		t.Errorf("GET /nope: %d, want 404", code)
	}
}
