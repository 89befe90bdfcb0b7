//go:build linux

package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"image/png"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/sources/demo"
)

// TestStatusPageChromium loads the status page of the real exporter binary
// in Debian's headless Chromium, checks what the DOM shows and keeps a
// screenshot of it as a test artifact.
func TestStatusPageChromium(t *testing.T) {
	chromium := testtool.Need(t, "chromium")
	bin := testtool.BuildExporter(t)

	t.Run("demo", func(t *testing.T) {
		addr := startExporterBinary(t, bin)
		// Chromium asks for English (Accept-Language en-US): each language
		// by its link.
		for _, l := range lang.All() {
			dom := dumpDOM(t, chromium, "http://"+addr+"/?lang="+string(l))
			saveArtifact(t, "status-demo-"+string(l)+".html", []byte(dom))
			for _, want := range []string{tr(l, "DATA DEMO", "DEMO DATA"), "demo-palembang", "demo-bengkulu", "demo-pangkalpinang", "demo-banjarmasin", "Kabupaten Tapin",
				`<html lang="` + string(l) + `">`, tr(l, "Wilayah di bawah target", "Regions below target")} {
				if !strings.Contains(dom, want) {
					t.Errorf("%s: DOM lacks %q", l, want)
				}
			}
			checkBanyuasin(t, dom, l)
		}
		shot := screenshot(t, chromium, "http://"+addr+"/?lang=id")
		saveArtifact(t, "status-demo.png", shot)
		checkPNG(t, shot)
	})

	t.Run("config", func(t *testing.T) {
		root := t.TempDir()
		palembang, banjarmasin, lahat := filepath.Join(root, "palembang"), filepath.Join(root, "banjarmasin"), filepath.Join(root, "lahat")
		muaraEnim := filepath.Join(root, "muara-enim")
		for _, d := range []string{palembang, banjarmasin, lahat, muaraEnim} {
			if err := os.Mkdir(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		writeTestFile(t, filepath.Join(palembang, "rekap_kc_palembang.xlsx"), seedWorkbook(t, "seed_palembang", "demo-palembang"))
		writeTestFile(t, filepath.Join(banjarmasin, "data_jkn_kc_banjarmasin.xlsx"), seedWorkbook(t, "seed_banjarmasin", "demo-banjarmasin"))
		// A file that is no workbook: rejected whole, its source down.
		writeTestFile(t, filepath.Join(banjarmasin, "rekap_lama.xlsx"), []byte("Laporan bulan Mei: angka menyusul\n"))
		// A workbook whose file name, sheet name and cells try to inject markup.
		writeTestFile(t, filepath.Join(lahat, `<img src=x onerror=alert(1)>.xlsx`), hostileWorkbook(t))
		// Active figures: a region of each status for the map.
		writeTestFile(t, filepath.Join(muaraEnim, "rekap_kc_muara_enim.xlsx"), activeWorkbook(t))
		// Written long ago as far as the directory source can tell, so no
		// file waits for its settle time.
		old := time.Now().Add(-time.Hour)
		for _, d := range []string{palembang, banjarmasin, lahat, muaraEnim} {
			m, _ := filepath.Glob(filepath.Join(d, "*"))
			for _, f := range m {
				if err := os.Chtimes(f, old, old); err != nil {
					t.Fatal(err)
				}
			}
		}
		cfg := filepath.Join(root, "jkn.yml")
		writeTestFile(t, cfg, []byte(fmt.Sprintf(`criteria: uhc_2025
sources:
  - name: kc-palembang
    path: %q
    schedule: "@every 1h"
    branch_office: Palembang
    province: Sumatera Selatan
  - name: kc-banjarmasin
    path: %q
    schedule: "@every 1h"
    branch_office: Banjarmasin
  - name: kc-lahat
    path: %q
    schedule: "@every 1h"
    branch_office: Lahat
    province: Sumatera Selatan
  - name: kc-muara-enim
    path: %q
    schedule: "@every 1h"
    branch_office: Muara Enim
    province: Sumatera Selatan
pages:
  grafana_url: http://grafana.invalid:3000/
  premium_per_person_month: 42000
`, palembang, banjarmasin, lahat, muaraEnim)))
		addr := startExporterBinary(t, bin, "--config.file="+cfg, "--storage.path="+t.TempDir())
		var dom string
		for _, l := range []lang.Lang{lang.EN, lang.ID} { // dom: the Indonesian one
			dom = dumpDOM(t, chromium, "http://"+addr+"/?lang="+string(l))
			saveArtifact(t, "status-config-"+string(l)+".html", []byte(dom))
			for _, want := range []string{"kc-palembang", "kc-banjarmasin", "kc-lahat", "directory", palembang, tr(l, "ditolak: unsupported_format", "rejected: unsupported_format"),
				tr(l, "bukan buku kerja dalam format yang dibaca exporter", "not a workbook in a format the exporter reads"), "reported_coverage_mismatch"} {
				if !strings.Contains(dom, want) {
					t.Errorf("%s: DOM lacks %q", l, want)
				}
			}
			if strings.Contains(dom, "DEMO DATA") || strings.Contains(dom, "DATA DEMO") {
				t.Errorf("%s: demo banner shown for a configured exporter", l)
			}
			// The hostile text is on the page as text, never as elements.
			if !strings.Contains(dom, "&lt;img src=x onerror=alert(1)&gt;.xlsx") {
				t.Errorf("%s: hostile file name not shown (escaped)", l)
			}
			for _, bad := range []string{"<img", "<script", "onerror=\"", "<marquee"} {
				if strings.Contains(dom, bad) {
					t.Errorf("%s: DOM contains %q: markup from a sheet was not escaped", l, bad)
				}
			}
			checkBanyuasin(t, dom, l)
		}
		// The province filter by code, as a link may give it; the form shows it chosen.
		below := belowSection(t, dumpDOM(t, chromium, "http://"+addr+"/?province=16&lang=id"))
		if !strings.Contains(below, "Kabupaten Banyuasin") || strings.Contains(below, "Kalimantan Selatan</td>") ||
			!strings.Contains(below, `<option value="Sumatera Selatan" selected="">`) {
			t.Errorf("province filter: below-target section is\n%s", below)
		}
		shot := screenshot(t, chromium, "http://"+addr+"/?lang=id")
		saveArtifact(t, "status-config.png", shot)
		checkPNG(t, shot)
		// The map: the regions below target stand out in their colours.
		checkMapMarkers(t, dom, map[string]string{
			"16.07": "m-below-coverage", // Banyuasin, 97.63%
			"16.12": "m-below-coverage", // Penukal Abab Lematang Ilir, below both
			"16.03": "m-below-active",   // Muara Enim, 98.75% but 75% active
			"16.74": "m-meets",          // Prabumulih
			"63.03": "m-meets",          // Banjar, 98.51% and 80.05%
			"16.71": "m-unknown",        // Kota Palembang: coverage met, no active column
		})
		// Zoomed to the province: its markers only, named.
		sumsel := dumpDOM(t, chromium, "http://"+addr+"/?province=16&lang=id")
		markers := checkMapMarkers(t, sumsel, map[string]string{"16.07": "m-below-coverage", "16.12": "m-below-coverage", "16.03": "m-below-active"})
		if _, ok := markers["63.03"]; ok || !strings.Contains(sumsel, "disesuaikan dengan wilayah tersaring") || !strings.Contains(sumsel, ">Banyuasin</text>") {
			t.Errorf("the map is not zoomed to Sumatera Selatan: markers %v", markers)
		}
		if national, zoomed := checkCoastline(t, dom, true), checkCoastline(t, sumsel, false); zoomed >= national {
			t.Errorf("Sumatera Selatan's coastline is %d bytes of path, the national %d: not cropped to the province", zoomed, national)
		}
		sumselShot := screenshot(t, chromium, "http://"+addr+"/?province=16&lang=id")
		saveArtifact(t, "status-config-sumsel.png", sumselShot)
		checkLandPixels(t, sumselShot, 100000)
		checkRegionPages(t, chromium, addr, dom, sumsel)
	})

	// The README's national demo: all 514 regencies and cities on the map.
	t.Run("national", func(t *testing.T) {
		addr := startExporterBinary(t, bin, "--demo=national")
		dom := dumpDOM(t, chromium, "http://"+addr+"/?lang=id")
		saveArtifact(t, "status-national.html", []byte(dom))
		markers := checkMapMarkers(t, dom, nil)
		if len(markers) != 514 {
			t.Errorf("the map shows %d markers, want all 514 regencies and cities", len(markers))
		}
		classes := map[string]int{}
		for _, c := range markers {
			classes[c]++
		}
		for _, c := range []string{"m-meets", "m-below-active", "m-below-coverage"} {
			if classes[c] == 0 {
				t.Errorf("no %s marker: %v", c, classes)
			}
		}
		if !strings.Contains(dom, "SINTETIS") || !strings.Contains(dom, "--demo=national") {
			t.Error("the page does not say the national demo's figures are synthetic")
		}
		shot := screenshot(t, chromium, "http://"+addr+"/?lang=id")
		saveArtifact(t, "status-national.png", shot)
		checkPNG(t, shot)
		checkLandPixels(t, shot, 20000)
		jabar := dumpDOM(t, chromium, "http://"+addr+"/?province=Jawa+Barat")
		if n := len(checkMapMarkers(t, jabar, nil)); n != 27 {
			t.Errorf("Jawa Barat's map shows %d markers, want its 27 regencies and cities", n)
		}
		if national, zoomed := checkCoastline(t, dom, true), checkCoastline(t, jabar, false); zoomed >= national {
			t.Errorf("Jawa Barat's coastline is %d bytes of path, the national %d: not cropped to the province", zoomed, national)
		}
		jabarShot := screenshot(t, chromium, "http://"+addr+"/?province=Jawa+Barat")
		saveArtifact(t, "status-national-jawa-barat.png", jabarShot)
		checkLandPixels(t, jabarShot, 100000)
	})
}

// checkRegionPages opens the region pages the status page links, as a
// coordinator would: Banyuasin's, from the table and its marker in the
// province's map; Lahat's, whose sheet is hostile; and an unknown code.
func checkRegionPages(t *testing.T, chromium, addr, status, province string) {
	t.Helper()
	if !strings.Contains(status, `<a href="region/16.07">Kabupaten Banyuasin</a>`) {
		t.Error("the status page's table does not link Banyuasin's page")
	}
	if !strings.Contains(province, `<a href="region/16.07"><circle`) {
		t.Error("Banyuasin's marker in the province's map does not link its page")
	}
	// Indonesian (?lang=id: headless Chromium asks for English), then the
	// same page in English.
	page := dumpDOM(t, chromium, "http://"+addr+"/region/16.07?lang=id")
	saveArtifact(t, "region-banyuasin.html", []byte(page))
	text := textOf(page)
	for _, want := range []string{
		"Kabupaten Banyuasin",
		"Posisi data 1 September 2023 (diambil dari title_cell )",
		"di bawah target cakupan",
		// Above 98% of 837,062 residents takes 820,321 participants.
		"3.100 Penduduk yang masih perlu didaftarkan",
		"Rp 1.562.400.000 per tahun",
		"Berkas rekap_kc_palembang.xlsx Lembar Rekap Baris 6",
		"Jumlah penduduk 837.062 C6",
		"Peserta terdaftar 817.221 D6",
		"PBPU Pemda 38.096 G6",
		"Cakupan 97,63% > 98% (belum tercapai) D6 ÷ C6",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("Banyuasin's page lacks %q", want)
		}
	}
	en := textOf(dumpDOM(t, chromium, "http://"+addr+"/region/16.07?lang=en"))
	for _, want := range []string{
		"Figures as of 1 September 2023 (taken from title_cell )", "below coverage target",
		"3,100 Residents still to register", "Rp 1,562,400,000 a year", "Population 837,062 C6", "Coverage 97.63% > 98% (not met) D6 ÷ C6",
	} {
		if !strings.Contains(en, want) {
			t.Errorf("Banyuasin's page in English lacks %q", want)
		}
	}
	if !strings.Contains(page, `href="http://grafana.invalid:3000/d/jkn-region-detail/?var-region_code=16.07"`) {
		t.Error("Banyuasin's page does not link its Grafana dashboard")
	}
	shot := screenshot(t, chromium, "http://"+addr+"/region/16.07?lang=id")
	saveArtifact(t, "region-banyuasin.png", shot)
	checkPNG(t, shot)

	lahat := dumpDOM(t, chromium, "http://"+addr+"/region/16.04")
	saveArtifact(t, "region-lahat.html", []byte(lahat))
	if !strings.Contains(lahat, "&lt;img src=x onerror=alert(1)&gt;.xlsx") || !strings.Contains(lahat, `Rekap "&lt;marquee&gt;x"`) {
		t.Error("Lahat's page does not show its hostile file and sheet names as text")
	}
	for _, bad := range []string{"<img", "<script", "<marquee"} {
		if strings.Contains(lahat, bad) {
			t.Errorf("Lahat's page contains %q: markup from a sheet was not escaped", bad)
		}
	}
	if nf := dumpDOM(t, chromium, "http://"+addr+"/region/00.00?lang=id"); !strings.Contains(nf, "Wilayah tidak ditemukan") {
		t.Errorf("no not-found page for an unknown code:\n%s", nf)
	}
}

// mapMarkerRE matches a map marker in Chromium's serialised DOM.
var mapMarkerRE = regexp.MustCompile(`<circle class="m (m-[a-z-]+)[^"]*"[^>]*data-code="([^"]+)"`)

// checkMapMarkers checks that the map has a marker with the given colour
// class for each region code, and returns every marker's class by code.
func checkMapMarkers(t *testing.T, dom string, want map[string]string) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, m := range mapMarkerRE.FindAllStringSubmatch(dom, -1) {
		got[m[2]] = m[1]
	}
	for code, class := range want {
		if got[code] != class {
			t.Errorf("map marker %s: class %q, want %q", code, got[code], class)
		}
	}
	return got
}

// checkBanyuasin: the seed region below target is listed with its coverage.
func checkBanyuasin(t *testing.T, dom string, l lang.Lang) {
	t.Helper()
	below := belowSection(t, dom)
	i := strings.Index(below, "Kabupaten Banyuasin")
	if i < 0 {
		t.Fatalf("Kabupaten Banyuasin not listed below target:\n%s", below)
	}
	row := below[i:]
	if j := strings.Index(row, "</tr>"); j > 0 {
		row = row[:j]
	}
	for _, want := range []string{tr(l, "97,63%", "97.63%"), tr(l, "19.841", "19,841"), tr(l, "3.100", "3,100"), "1 September 2023", "Palembang", "Sumatera Selatan",
		tr(l, "di bawah target cakupan", "below coverage target")} {
		if !strings.Contains(row, want) {
			t.Errorf("%s: Banyuasin's row lacks %q: %s", l, want, row)
		}
	}
}

// startExporter runs the binary on a free loopback port until the test
// ends and waits for /-/ready.
func startExporterBinary(t *testing.T, bin string, args ...string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, append([]string{"--web.listen-address=" + addr}, args...)...)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("exporter log:\n%s", logs.String())
		}
	})
	client := &http.Client{Timeout: 2 * time.Second}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := client.Get("http://" + addr + "/-/ready")
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return addr
		}
	}
	t.Fatalf("exporter not ready on %s", addr)
	return ""
}

// runChromium runs headless Chromium with a throw-away profile and no
// network use of its own; it is killed, with every process it started,
// when it takes more than a minute or the test ends.
func runChromium(t *testing.T, chromium string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, chromium, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// Its own process group, so the renderer and helper processes go too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if cmd.Process != nil {
		// Helpers that outlive a normal exit are ours to end.
		if kerr := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); kerr != nil && !errors.Is(kerr, syscall.ESRCH) {
			t.Logf("ending chromium's process group: %v", kerr)
		}
	}
	if err != nil {
		t.Fatalf("chromium %s: %v (context: %v)\nstderr:\n%s", strings.Join(args, " "), err, ctx.Err(), stderr.String())
	}
	return stdout.Bytes()
}

func dumpDOM(t *testing.T, chromium, url string) string {
	t.Helper()
	dom := string(runChromium(t, chromium, "--dump-dom", url))
	if !strings.Contains(dom, "</html>") {
		t.Fatalf("no DOM from chromium: %q", dom)
	}
	return dom
}

func screenshot(t *testing.T, chromium, url string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "status.png")
	runChromium(t, chromium, "--screenshot="+path, "--window-size=1280,2000", url)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
	return data
}

// checkPNG asserts the screenshot shows a rendered page: a PNG of the
// window's size with many colours, among them the red of the badges.
func checkPNG(t *testing.T, data []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	if b.Dx() < 1000 || b.Dy() < 1000 {
		t.Errorf("screenshot is %dx%d, want about 1280x2000", b.Dx(), b.Dy())
	}
	colors, red := map[color.RGBA]bool{}, 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			colors[c] = true
			if isRed(c) {
				red++
			}
		}
	}
	if len(data) < 10<<10 || len(colors) < 32 {
		t.Errorf("screenshot looks blank: %d bytes, %d colours", len(data), len(colors))
	}
	if red < 100 {
		t.Errorf("screenshot shows no red below-target badge (%d red samples)", red)
	}
}

// coastlineRE matches the map's coastline in Chromium's serialised DOM.
var coastlineRE = regexp.MustCompile(`<path class="land" id="coastline" d="(M[^"]+)"`)

// checkCoastline asserts the map draws Indonesia's coastline (islands as
// path data), and its neighbours' land when the view reaches them, and
// returns the coastline's size in bytes.
func checkCoastline(t *testing.T, dom string, neighbours bool) int {
	t.Helper()
	m := coastlineRE.FindStringSubmatch(dom)
	if m == nil {
		t.Error("the map draws no coastline (no path#coastline)")
		return 0
	}
	if n := strings.Count(m[1], "M"); n < 3 {
		t.Errorf("the coastline has %d islands", n)
	}
	if neighbours && !strings.Contains(dom, `<path class="neighbour" d="M`) {
		t.Error("the map draws no neighbours' land")
	}
	return len(m[1])
}

// checkLandPixels asserts the screenshot shows at least want pixels of the
// land's colour (#f1ead6): the coastline is painted, not only in the DOM.
func checkLandPixels(t *testing.T, data []byte, want int) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b, n := img.Bounds(), 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); c.R == 0xf1 && c.G == 0xea && c.B == 0xd6 {
				n++
			}
		}
	}
	if n < want {
		t.Errorf("screenshot shows %d pixels of land, want at least %d", n, want)
	}
	t.Logf("screenshot: %d pixels of land", n)
}

// isRed matches the page's --red (#b3261e), allowing for colour rounding.
func isRed(c color.RGBA) bool {
	near := func(a, b uint8) bool { return a >= b-6 && a <= b+6 }
	return near(c.R, 0xb3) && near(c.G, 0x26) && near(c.B, 0x1e)
}

// saveArtifact keeps a file for people to look at after the run: under
// $JKN_ARTIFACT_DIR when set, else testdata/artifacts (gitignored).
func saveArtifact(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := os.Getenv("JKN_ARTIFACT_DIR")
	if dir == "" {
		dir = filepath.Join("testdata", "artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	writeTestFile(t, path, data)
	abs, _ := filepath.Abs(path)
	t.Logf("artifact: %s", abs)
}

func writeTestFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// seedWorkbook is a branch office's seed workbook: the one in
// exporter/testdata when that folder has it, else the demo's workbook of
// that office, which the same parser reads.
func seedWorkbook(t *testing.T, folder, demoSource string) []byte {
	t.Helper()
	if m, _ := filepath.Glob(filepath.Join("..", "testdata", folder, "*.xlsx")); len(m) > 0 {
		data, err := os.ReadFile(m[0])
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	for _, o := range demo.SeedOffices() {
		if o.Source.Name() != demoSource {
			continue
		}
		files, err := o.Source.Fetch(context.Background())
		if err != nil || len(files) != 1 {
			t.Fatalf("demo workbook %s: %v", demoSource, err)
		}
		return files[0].Data
	}
	t.Fatalf("no demo office %s", demoSource)
	return nil
}

// activeWorkbook is a branch office's sheet with active participants: one
// region below its active target only, one below both targets, one that
// meets them.
func activeWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Posisi Data : 1 Mei 2025"},
		{"Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif"},
		{"Kab. Muara Enim", 640000, 632000, 480000},
		{"Kab. Penukal Abab Lematang Ilir", 200000, 190000, 140000},
		{"Kota Prabumulih", 200000, 199000, 170000},
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hostileWorkbook is a valid sheet whose texts are markup: a region name
// that resolves to nothing (a finding quoting it), a bad number, a sheet name.
func hostileWorkbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	const sheet = `Rekap "<marquee>x"`
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"Posisi Data : 1 Mei 2025"},
		{},
		{"Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "% Cakupan"},
		{"Kab. Lahat", 430000, 425000, "98,84%"},
		{"<script>alert(1)</script>", 1000, 900, "90%"},
		{"Kab. Empat Lawang", 350000, "<img src=x onerror=alert(2)>", "95%"},
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
