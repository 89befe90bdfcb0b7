package web

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/lang"
)

// inLang asks for the page in l: the query with lang=l added.
func inLang(query string, l lang.Lang) string {
	if query == "" {
		return "?lang=" + string(l)
	}
	return query + "&lang=" + string(l)
}

// tr is a test's expected text in l: the Indonesian or the English one.
func tr(l lang.Lang, id, en string) string {
	if l == lang.EN {
		return en
	}
	return id
}

// TestStatusLanguage: the page is Indonesian unless ?lang= or
// Accept-Language asks for English, says which in <html lang>, links to
// itself in the other language with its filter kept, and keeps the
// language in its filter form and map links.
func TestStatusLanguage(t *testing.T) {
	h, err := newStatusHandler(newFake(t), false, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	h.now = func() time.Time { return testNow }
	get := func(query, accept string) (http.Header, string) {
		req := httptest.NewRequest("GET", "/"+query, nil)
		if accept != "" {
			req.Header.Set("Accept-Language", accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("GET /%s: %d", query, rec.Code)
		}
		return rec.Header(), rec.Body.String()
	}
	for _, c := range []struct {
		query, accept string
		want          lang.Lang
	}{
		{"", "", lang.ID},
		{"", "en-US,en;q=0.9", lang.EN},
		{"", "id-ID,id;q=0.9,en;q=0.8", lang.ID},
		{"?lang=en", "id", lang.EN},
		{"?lang=id", "en-US", lang.ID},
	} {
		hdr, body := get(c.query, c.accept)
		if !strings.Contains(body, `<html lang="`+string(c.want)+`">`) || hdr.Get("Content-Language") != string(c.want) {
			t.Errorf("%q, Accept-Language %q: not in %s (Content-Language %q)", c.query, c.accept, c.want, hdr.Get("Content-Language"))
		}
		if !strings.Contains(hdr.Get("Vary"), "Accept-Language") {
			t.Errorf("%q: no Vary: Accept-Language (a cache would serve one language to all)", c.query)
		}
		for _, w := range []string{tr(c.want, "Wilayah di bawah target", "Regions below target"), tr(c.want, "Kantor cabang", "Branch office")} {
			if !strings.Contains(body, w) {
				t.Errorf("%q, Accept-Language %q: lacks %q", c.query, c.accept, w)
			}
		}
		if c.want == lang.EN && strings.Contains(body, "Wilayah di bawah target") || c.want == lang.ID && strings.Contains(body, "Regions below target") {
			t.Errorf("%q, Accept-Language %q: both languages on one page", c.query, c.accept)
		}
	}
	// The link to the other language keeps the filter.
	_, body := get("?province=16", "")
	if !strings.Contains(body, `href="?lang=en&amp;province=16" hreflang="en" lang="en">English</a>`) {
		t.Errorf("no link to the English page with the filter kept")
	}
	_, body = get("?province=16&lang=en", "")
	if !strings.Contains(body, `href="?lang=id&amp;province=16" hreflang="id" lang="id">Bahasa Indonesia</a>`) {
		t.Errorf("no link to the Indonesian page with the filter kept")
	}
	// English carries its lang in the form, the "show all" link and the map's links;
	// Indonesian, the default, needs none.
	if !strings.Contains(body, `<input type="hidden" name="lang" value="en">`) || !strings.Contains(body, `<a href="./?lang=en">Show all</a>`) {
		t.Errorf("the English page's filter form or reset link loses the language")
	}
	_, body = get("?province=16", "")
	if strings.Contains(body, `name="lang"`) || !strings.Contains(body, `<a href="./">Tampilkan semua</a>`) {
		t.Errorf("the Indonesian page carries a lang it does not need")
	}
}
