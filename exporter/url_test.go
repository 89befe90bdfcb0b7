package exporter

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// TestURLSourceKeepsServingThroughFailures: a URL source read once keeps
// its regions through a 304, a server error, a slow server and an oversized
// body; only its up and error metrics move.
func TestURLSourceKeepsServingThroughFailures(t *testing.T) {
	good, err := os.ReadFile("testdata/seed_banjarmasin/" + firstXLSX(t, "testdata/seed_banjarmasin"))
	if err != nil {
		t.Fatal(err)
	}
	var mode atomic.Value
	mode.Store("ok")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load() {
		case "ok":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			_, _ = w.Write(good)
		case "500":
			http.Error(w, "down", http.StatusInternalServerError)
		case "slow":
			select {
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
		case "big":
			_, _ = w.Write(make([]byte, 64<<10))
		}
	}))
	defer srv.Close()
	src := &Source{
		Source: &sources.URL{SourceName: "kc-banjarmasin", URL: srv.URL + "/rekap.xlsx", Timeout: 200 * time.Millisecond,
			Retries: 1, Backoff: time.Millisecond, MaxBytes: 32 << 10},
		Kind: "url", Location: srv.URL,
		Settings: ingest.Settings{BranchOffice: "Banjarmasin", MaxFileBytes: 1 << 20},
	}
	e, reg := newTestExporter(t, []*Source{src}, "")
	if s := e.Ingest(context.Background(), src); !s.Up || len(s.Records) != 3 {
		t.Fatalf("first read: up=%v regions=%d %s", s.Up, len(s.Records), s.Error)
	}
	want := regionSeries(scrape(t, e, reg))
	for _, m := range []string{"ok", "500", "slow", "big"} {
		mode.Store(m)
		s := e.Ingest(context.Background(), src)
		if got := regionSeries(scrape(t, e, reg)); got != want {
			t.Errorf("%s: region series changed", m)
		}
		if wantUp := m == "ok"; s.Up != wantUp {
			t.Errorf("%s: up=%v (%s)", m, s.Up, s.Error)
		}
	}
	if v, _ := value(t, parse(t, scrape(t, e, reg)), "jkn_source_ingest_errors_total", "", "reason", "source_unreadable"); v != "3" {
		t.Errorf("source_unreadable errors = %q, want 3", v)
	}
}

func regionSeries(m string) string {
	var keep []string
	for _, l := range strings.Split(m, "\n") {
		if strings.Contains(l, "region_code=") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
