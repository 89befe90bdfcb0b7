package web

import (
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/exporter/web/svgmap"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// mapState renders regions of several statuses with the given places.
func mapState(t *testing.T, places collector.Places) *collector.State {
	t.Helper()
	may := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	// No population: no coverage, no status.
	noCoverage := testRecord("63.01", "Kabupaten Tanah Laut", "63", "Kalimantan Selatan", "Banjarmasin", may, 0, 340000)
	snap := &snapshot.Snapshot{Source: "kc", BranchOffice: "Banjarmasin", Up: true, Records: []ingest.Record{
		// below coverage (97.63%), no active figure
		testRecord("16.07", "Kabupaten Banyuasin", "16", "Sumatera Selatan", "Palembang", may, 837062, 817221),
		// meets (99.21%, 86.6%)
		testRecord("16.71", "Kota Palembang", "16", "Sumatera Selatan", "Palembang", may, 1801367, 1787156, 1560000),
		// below active only (99.2%, 74%)
		testRecord("63.72", "Kota Banjarbaru", "63", "Kalimantan Selatan", "Banjarmasin", may, 285546, 283261, 211304),
		// below both (97.2%, 74.5%), a hostile name
		testRecord("63.05", evil, "63", "Kalimantan Selatan", "Banjarmasin", may, 202061, 196404, 150543),
		// unknown: coverage meets, no active figure
		testRecord("63.03", "Kabupaten Banjar", "63", "Kalimantan Selatan", "Banjarmasin", may, 590393, 590000),
		// no place: a district
		testRecord("63.03.01", "Aluh-Aluh", "63", "Kalimantan Selatan", "Banjarmasin", may, 30000, 29000),
		// no coverage figure: unknown colour, smallest
		noCoverage,
	}}
	snap.Records[5].Region.Level = jkn.LevelDistrict
	set, err := criteria.Lookup("uhc_2025")
	if err != nil {
		t.Fatal(err)
	}
	rd := &collector.Renderer{Criteria: set, Places: places}
	v := snapshot.View{snap}
	return &collector.State{View: v, Rendered: rd.Render(v)}
}

// testPlaces are the reference's points.
func testPlaces(t *testing.T) *region.Reference {
	t.Helper()
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

func TestMapMarkers(t *testing.T) {
	ref := testPlaces(t)
	f := newFake(t)
	f.expo.Store(mapState(t, ref))
	h, err := newStatusHandler(f, false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if h.land, err = svgmap.LoadLand(); err != nil {
		t.Fatal(err)
	}
	for _, l := range lang.All() {
		mapMarkers(t, serve(t, h, inLang("", l)), l)
	}
}

func mapMarkers(t *testing.T, body string, l lang.Lang) {
	markers := markerTags(body)
	want := map[string]string{
		"16.07": "m-below-coverage", "16.71": "m-meets", "63.72": "m-below-active",
		"63.05": "m-below-coverage", "63.03": "m-unknown", "63.01": "m-unknown",
	}
	if len(markers) != len(want) {
		t.Errorf("%d markers, want %d (the district has no place): %v", len(markers), len(want), markers)
	}
	for code, class := range want {
		tag, ok := markers[code]
		if !ok {
			t.Errorf("no marker for %s", code)
			continue
		}
		if !strings.Contains(tag, `class="m `+class+`"`) {
			t.Errorf("marker %s: %s, want class %s", code, tag, class)
		}
	}
	if !strings.Contains(markers["63.05"], `data-status="below_both_targets"`) {
		t.Errorf("below both is drawn red and keeps its status: %s", markers["63.05"])
	}
	// Titles: the figures a coordinator hovers for.
	title := markerTitle(t, body, "16.07")
	for _, w := range []string{"Kabupaten Banyuasin (16.07, Sumatera Selatan)", tr(l, "Cakupan: 97,63% (target &gt; 98%)", "Coverage: 97.63% (target &gt; 98%)"),
		tr(l, "Aktif: — (target &gt; 80%)", "Active: — (target &gt; 80%)"), tr(l, "Belum terdaftar: 19.841", "Uninsured: 19,841"),
		tr(l, "Posisi data: 1 Mei 2025", "As of: 1 May 2025"), tr(l, "Status: di bawah target cakupan", "Status: below coverage target"),
		tr(l, "Kantor cabang: Palembang", "Branch office: Palembang"),
		tr(l, "UHC Award 2026: none (untuk pratama: cakupan ≥ 98% (kini 97,63%, 3.100 peserta lagi) dan keaktifan ≥ 80% (lembar tidak mempunyai angka peserta aktif))",
			"UHC Award 2026: none (for pratama: coverage ≥ 98% (now 97.63%, 3100 more participants) and active ≥ 80% (the sheet has no active figure))")} {
		if !strings.Contains(title, w) {
			t.Errorf("%s: Banyuasin's title lacks %q: %s", l, w, title)
		}
	}
	// Kota Banjarbaru: 99.2% and 74%, below the active ratio of every tier.
	if tt := markerTitle(t, body, "63.72"); !strings.Contains(tt, tr(l, "UHC Award 2026: none (untuk pratama: keaktifan ≥ 80% (kini 74,00%, 17.133 peserta aktif lagi))",
		"UHC Award 2026: none (for pratama: active ≥ 80% (now 74.00%, 17133 more active participants))")) {
		t.Errorf("%s: Banjarbaru's title lacks its tier: %s", l, tt)
	}
	if tt := markerTitle(t, body, "63.01"); !strings.Contains(tt, tr(l, "Cakupan: —", "Coverage: —")) || !strings.Contains(tt, tr(l, "Status: tanpa angka cakupan", "Status: no coverage figure")) || strings.Contains(tt, "UHC Award") {
		t.Errorf("%s: a region without coverage: %s", l, tt)
	}
	// The hostile name is text in the title, escaped, never markup.
	if tt := markerTitle(t, body, "63.05"); !strings.Contains(tt, "&lt;script&gt;alert(1)&lt;/script&gt; &#34;quotes&#34;") {
		t.Errorf("hostile name not escaped in its title: %s", tt)
	}
	if strings.Contains(strings.ToLower(body), "<script") {
		t.Error("unescaped <script in the page")
	}
	// Sizes: the square root of the uninsured; Banyuasin (19,841) is bigger
	// than Kota Palembang (14,211), the region without figures is smallest.
	if r1, r2 := attr(t, markers["16.07"], "r"), attr(t, markers["16.71"], "r"); r1 != "8.9" || r2 != "8" {
		t.Errorf("radii %s, %s; want 8.9 (3 + sqrt(19841)/24) and 8", r1, r2)
	}
	if r := attr(t, markers["63.01"], "r"); r != "3" {
		t.Errorf("no uninsured figure: radius %s, want the minimum", r)
	}
	// Drawing order: red on top (last), grey first.
	if strings.Index(body, `data-code="63.01"`) > strings.Index(body, `data-code="16.71"`) ||
		strings.Index(body, `data-code="16.71"`) > strings.Index(body, `data-code="16.07"`) {
		t.Error("markers that need action are not drawn on top")
	}
	// Legend with counts, the frame's graticule, the land, the footnote.
	for _, w := range []string{tr(l, "memenuhi target <b>1</b>", "meets targets <b>1</b>"), tr(l, "di bawah target keaktifan <b>1</b>", "below active target <b>1</b>"),
		tr(l, "di bawah target cakupan (atau keduanya) <b>2</b>", "below coverage target (or both) <b>2</b>"),
		tr(l, "tidak diketahui (tanpa angka peserta aktif atau cakupan) <b>2</b>", "unknown (no active or coverage figure) <b>2</b>"),
		"100°E", "5°S", "0°", `<path class="land" id="coastline" d="M`, `<path class="neighbour" d="M`,
		tr(l, "1 wilayah terpilih tidak mempunyai tempat di peta", "1 selected region has no place on the map"),
		tr(l, "10.000 belum terdaftar", "10,000 uninsured"), tr(l, `<a href="?province=16">`, `<a href="?province=16&amp;lang=en">`)} {
		if !strings.Contains(body, w) {
			t.Errorf("%s: map lacks %q", l, w)
		}
	}
	// The national view: every marker inside the canvas.
	for code, tag := range markers {
		x, y := num(t, attr(t, tag, "cx")), num(t, attr(t, tag, "cy"))
		if x < 0 || x > svgmap.Width || y < 0 || y > svgmap.Height {
			t.Errorf("marker %s at %v, %v is off the canvas", code, x, y)
		}
	}
}

func TestMapZoomsToProvince(t *testing.T) {
	ref := testPlaces(t)
	f := newFake(t)
	f.expo.Store(mapState(t, ref))
	h, err := newStatusHandler(f, false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lang.All() {
		zoomsToProvince(t, h, l)
	}
	// No region placed at all (no reference): no map.
	f.expo.Store(mapState(t, nil))
	if body := serve(t, h, ""); strings.Contains(body, `id="map"`) {
		t.Error("map drawn without any place")
	}
}

func zoomsToProvince(t *testing.T, h *statusHandler, l lang.Lang) {
	body := serve(t, h, inLang("?province=63", l))
	markers := markerTags(body)
	if len(markers) != 4 || markers["16.07"] != "" || markers["63.72"] == "" {
		t.Fatalf("filtered to Kalimantan Selatan, markers %v", markers)
	}
	if !strings.Contains(body, tr(l, "(disesuaikan dengan wilayah tersaring)", "(fitted to the filtered regions)")) {
		t.Errorf("%s: zoomed view not announced", l)
	}
	// Fitted: the markers spread over the canvas, not a dot in a corner.
	var minX, maxX, minY, maxY = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, tag := range markers {
		x, y := num(t, attr(t, tag, "cx")), num(t, attr(t, tag, "cy"))
		minX, maxX, minY, maxY = min(minX, x), max(maxX, x), min(minY, y), max(maxY, y)
		if x < 0 || x > svgmap.Width || y < 0 || y > svgmap.Height {
			t.Errorf("marker at %v, %v off the zoomed canvas", x, y)
		}
	}
	if maxX-minX < 200 && maxY-minY < 200 {
		t.Errorf("zoomed markers span only %v x %v units", maxX-minX, maxY-minY)
	}
	// Names beside the markers; no zoom link to the province shown.
	for _, w := range []string{`class="mlabel"`, ">Banjar</text>", ">Kota Banjarbaru</text>", ">115.5°E</text>", ">3°S</text>"} {
		if !strings.Contains(body, w) {
			t.Errorf("zoomed map lacks %q", w)
		}
	}
	if strings.Contains(body, `<a href="?province=63`) {
		t.Errorf("%s: markers link to the province already shown", l)
	}
	// A filter with no placed region: the national frame and a note.
	body = serve(t, h, inLang("?province=Aceh", l))
	if len(markerTags(body)) != 0 || !strings.Contains(body, tr(l, "Tidak ada wilayah sesuai saringan yang mempunyai tempat di peta", "No region matching the filter has a place on the map")) {
		t.Errorf("%s: empty filter: no note", l)
	}
}

// serve renders the status page of h for a query.
func serve(t *testing.T, h *statusHandler, query string) string {
	t.Helper()
	h.now = func() time.Time { return testNow }
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/"+query, nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /%s: %d %s", query, rec.Code, rec.Body)
	}
	return rec.Body.String()
}

var markerRE = regexp.MustCompile(`<circle class="m [^"]*"[^>]*data-code="([^"]*)"[^>]*>`)

// markerTags returns the map markers' opening tags by region code.
func markerTags(body string) map[string]string {
	out := map[string]string{}
	for _, m := range markerRE.FindAllStringSubmatch(body, -1) {
		out[m[1]] = m[0]
	}
	return out
}

// markerTitle is the hover text of a region's marker.
func markerTitle(t *testing.T, body, code string) string {
	t.Helper()
	i := strings.Index(body, `data-code="`+code+`"`)
	if i < 0 {
		t.Fatalf("no marker %s", code)
	}
	rest := body[i:]
	a, b := strings.Index(rest, "<title>"), strings.Index(rest, "</title>")
	if a < 0 || b < a || strings.Contains(rest[:a], "<circle") {
		t.Fatalf("marker %s has no title", code)
	}
	return rest[a+len("<title>") : b]
}

func attr(t *testing.T, tag, name string) string {
	t.Helper()
	m := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		t.Fatalf("no %s in %s", name, tag)
	}
	return m[1]
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestStatusNationalDemoBanner: the national demo's page says its figures are synthetic.
func TestStatusNationalDemoBanner(t *testing.T) {
	h, err := newStatusHandler(newFake(t), true, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lang.All() {
		h.national = false
		if body := serve(t, h, inLang("", l)); strings.Contains(body, tr(l, "SINTETIS", "SYNTHETIC")) || !strings.Contains(body, tr(l, "angka awal yang telah dipublikasikan", "published seed figures")) {
			t.Errorf("%s: the seed demo's banner is not the seed one", l)
		}
		h.national = true
		body := serve(t, h, inLang("", l))
		for _, want := range []string{tr(l, "DATA DEMO", "DEMO DATA"), tr(l, "<strong>SINTETIS</strong>", "<strong>SYNTHETIC</strong>"), "<code>--demo=national</code>", "Demo (synthetic)", "<code>--config.file=jkn.yml</code>"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: national demo banner lacks %q", l, want)
			}
		}
	}
}
