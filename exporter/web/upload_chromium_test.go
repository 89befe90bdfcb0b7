//go:build linux

package web

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// TestUploadPageChromium sends workbooks from the upload page as a branch
// office does, in Debian's headless Chromium driven through the DevTools
// protocol: it opens the page, chooses the source, types the credential,
// chooses the file, submits, and reads the answer from the DOM; each
// answer's screenshot is kept as a test artifact.
func TestUploadPageChromium(t *testing.T) {
	chromium := testtool.Need(t, "chromium")
	env := newAPIEnv(t)
	files := t.TempDir()
	seed := filepath.Join(files, "rekap_kc_palembang.xlsx")
	writeTestFile(t, seed, readTestdata(t, "seed_palembang/rekap_kepesertaan_sept_2023.xlsx"))
	broken := filepath.Join(files, "rekap_lama.xlsx")
	writeTestFile(t, broken, readTestdata(t, "bad_not_zip/data.xlsx"))

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 2000))
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	// The first Run starts the browser and must have no deadline (it
	// would stop the browser); each case below has its own.
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}

	// send fills the form in a new tab and returns the answer's DOM, the
	// text of its verdict or refusal, and its screenshot.
	send := func(t *testing.T, source, credential, file string) (dom, verdict string) {
		t.Helper()
		tab, cancelTab := chromedp.NewContext(browser)
		defer cancelTab()
		ctx, cancel := context.WithTimeout(tab, 60*time.Second)
		defer cancel()
		err := chromedp.Do(ctx,
			// The default language, whatever Chromium's Accept-Language says.
			chromedp.Navigate(env.srv.URL+"/upload?lang=id"),
			chromedp.WaitVisible(chromedp.CSS("#send-button")),
			chromedp.SetValue(chromedp.CSS("#source"), source),
			chromedp.SendKeys(chromedp.CSS("#credential"), credential),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{file}),
			chromedp.Click(chromedp.CSS("#send-button")),
			chromedp.WaitVisible(chromedp.CSS("#verdict, #refused")),
		)
		if err != nil {
			t.Fatalf("sending %s to %s: %v", filepath.Base(file), source, err)
		}
		if dom, err = chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err != nil {
			t.Fatal(err)
		}
		if verdict, err = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#verdict, #refused"))); err != nil {
			t.Fatal(err)
		}
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		name := "upload-" + strings.ReplaceAll(strings.ToLower(t.Name()[strings.LastIndexByte(t.Name(), '/')+1:]), " ", "-")
		saveArtifact(t, name+".png", shot)
		saveArtifact(t, name+".html", []byte(dom))
		checkShot(t, shot)
		env.noSecret(t, t.Name(), dom)
		return dom, verdict
	}

	t.Run("accepted", func(t *testing.T) {
		dom, verdict := send(t, "kc-palembang", env.tokenA, seed)
		if !strings.Contains(verdict, "Diterima: rekap_kc_palembang.xlsx disimpan dan dibaca; sumber kc-palembang kini menyajikan 3 wilayah.") {
			t.Errorf("verdict: %q", verdict)
		}
		text := textOf(dom)
		for _, want := range []string{
			"Lembar Rekap", "Baris judul 5", "Posisi data 1 September 2023 (dari sel judul lembar",
			// Each region row: its figures with their cells, ratios, status.
			"6 16.07 Kabupaten Banyuasin kabupaten, Sumatera Selatan 837.062 C6 817.221 D6 — 97,63% target > 98% — target > 80% di bawah target cakupan",
			"7 16.06 Kabupaten Musi Banyuasin kabupaten, Sumatera Selatan 736.897 C7 721.534 D7 — 97,92% target > 98%",
			"8 16.71 Kota Palembang kota, Sumatera Selatan 1.801.367 C8 1.769.902 D8 — 98,25% target > 98% — target > 80% tidak diketahui (tanpa angka peserta aktif)",
			"segment_pbpu_pemda 38.096 G6",
		} {
			if !strings.Contains(text, want) {
				t.Errorf("the answer lacks %q:\n%s", want, text)
			}
		}
		if !strings.Contains(env.metrics(t), `jkn_participants{region_code="16.07",region="Kabupaten Banyuasin",level="regency",province="Sumatera Selatan",branch_office="Palembang"} 817221`) {
			t.Error("the workbook sent from the page is not served")
		}
	})

	t.Run("rejected", func(t *testing.T) {
		before := env.metrics(t)
		dom, verdict := send(t, "kc-palembang", env.tokenA, broken)
		for _, want := range []string{"Ditolak: rekap_lama.xlsx tidak disimpan dan tidak ada angka yang disajikan berubah.", "unsupported_format",
			"bukan buku kerja dalam format yang dibaca exporter", "simpan sebagai .xlsx di Excel atau LibreOffice"} {
			if !strings.Contains(verdict, want) {
				t.Errorf("verdict lacks %q: %q", want, verdict)
			}
		}
		if !strings.Contains(dom, `data-accepted="false"`) {
			t.Error("the answer is not marked rejected")
		}
		if after := env.metrics(t); testtool.RegionLines(after) != testtool.RegionLines(before) {
			t.Error("a rejected workbook changed what is served")
		}
	})

	t.Run("wrong credential", func(t *testing.T) {
		_, verdict := send(t, "kc-palembang", "tebakan-0123456789", seed)
		if !strings.Contains(verdict, "Kredensial tidak berlaku untuk sumber kc-palembang.") {
			t.Errorf("refusal: %q", verdict)
		}
	})

	t.Run("other office", func(t *testing.T) {
		// Banjarmasin's credential for Palembang's source.
		other := filepath.Join(files, "rekap_kantor_lain.xlsx")
		writeTestFile(t, other, readTestdata(t, "seed_palembang/rekap_kepesertaan_sept_2023.xlsx"))
		_, verdict := send(t, "kc-palembang", env.tokenB, other)
		if !strings.Contains(verdict, "Kredensial tidak berlaku untuk sumber kc-palembang.") {
			t.Errorf("refusal: %q", verdict)
		}
		if _, err := os.Stat(filepath.Join(env.dirA, "rekap_kantor_lain.xlsx")); err == nil {
			t.Error("the other office's upload was stored")
		}
	})

	// Another site's page posts a form to the exporter with the office's
	// own credential and a fresh form token (all an attacker could have):
	// the browser says where it comes from, and the exporter refuses.
	t.Run("another site", func(t *testing.T) {
		token := env.uploadPageToken(t)
		evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html><body><form method="post" action="%s/upload?lang=id" enctype="multipart/form-data">
<input name="source" value="kc-palembang"><input name="credential" value="%s"><input name="token" value="%s">
<input id="file" name="file" type="file"><button id="go" type="submit">go</button></form></body></html>`,
				env.srv.URL, env.tokenA, token)
		}))
		defer evil.Close()
		// localhost, not 127.0.0.1: another site, not only another port.
		evilURL := strings.Replace(evil.URL, "127.0.0.1", "localhost", 1)
		other := filepath.Join(files, "rekap_situs_lain.xlsx")
		writeTestFile(t, other, readTestdata(t, "seed_palembang/rekap_kepesertaan_sept_2023.xlsx"))
		tab, cancelTab := chromedp.NewContext(browser)
		defer cancelTab()
		ctx, cancel := context.WithTimeout(tab, 60*time.Second)
		defer cancel()
		if err := chromedp.Do(ctx,
			chromedp.Navigate(evilURL),
			chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{other}),
			chromedp.Click(chromedp.CSS("#go")),
			chromedp.WaitVisible(chromedp.CSS("#refused")),
		); err != nil {
			t.Fatalf("posting from another site: %v", err)
		}
		refusal, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#refused")))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(refusal, "Ditolak: formulir dikirim dari situs lain.") {
			t.Errorf("refusal: %q", refusal)
		}
		if _, err := os.Stat(filepath.Join(env.dirA, "rekap_situs_lain.xlsx")); err == nil {
			t.Error("the other site's upload was stored")
		}
		if !strings.Contains(env.logs.String(), "why=cross_origin") {
			t.Error("the refusal is not logged")
		}
		shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		saveArtifact(t, "upload-another-site.png", shot)
	})
}

// checkShot asserts a screenshot is a rendered page of the window's size,
// not a blank one.
func checkShot(t *testing.T, data []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b := img.Bounds()
	colors := map[[3]uint32]bool{}
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colors[[3]uint32{r, g, bl}] = true
		}
	}
	if b.Dx() < 1000 || b.Dy() < 1000 || len(colors) < 16 {
		t.Errorf("screenshot looks blank: %dx%d, %d colours", b.Dx(), b.Dy(), len(colors))
	}
}
