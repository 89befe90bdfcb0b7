package web

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

func TestFirstFilesRejectedFirst(t *testing.T) {
	files := []snapshot.FileSummary{{Name: "a"}, {Name: "b", Reason: "corrupt"}, {Name: "c"}, {Name: "d", Reason: "not_xlsx"}, {Name: "e"}}
	if got, more := firstFiles(files, 5); len(got) != 5 || more != 0 || got[0].Name != "a" {
		t.Errorf("within the cap: %v, %d more; want all, in order", got, more)
	}
	got, more := firstFiles(files, 3)
	var names []string
	for _, f := range got {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "b,d,a" || more != 2 {
		t.Errorf("cap 3: %v, %d more; want b,d,a and 2 more", names, more)
	}
}

// manyFilesServer serves a directory source of n files that are not
// workbooks, with at most listed files listed.
func manyFilesServer(t *testing.T, n, listed, pages int) *httptest.Server {
	t.Helper()
	dir := t.TempDir()
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%03d.xlsx", i)), []byte("not a workbook"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "zz.xlsx"), []byte("not a workbook either"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := &exporter.Source{Source: &sources.Dir{SourceName: "kc-many", Path: dir}, Kind: "directory", Location: dir,
		Settings: ingest.Settings{BranchOffice: "Palembang"}}
	e, err := exporter.New(exporter.Options{Logger: slog.New(slog.DiscardHandler), Registerer: prometheus.NewRegistry()}, []*exporter.Source{src}, criteria.Rules{})
	if err != nil {
		t.Fatal(err)
	}
	e.Ingest(context.Background(), src)
	h, err := Handler(Options{Exporter: e, Gatherer: prometheus.NewRegistry(), Logger: slog.New(slog.DiscardHandler), MaxFilesListed: listed, MaxConcurrentPages: pages})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func TestSourcesFilesPaged(t *testing.T) {
	srv := manyFilesServer(t, 24, 10, 0)
	var names []string
	next := "/api/v1/sources"
	for pages := 0; next != ""; pages++ {
		if pages > 3 {
			t.Fatal("more than 3 pages for 25 files, 10 a page")
		}
		code, body := httpGet(t, srv.URL+next)
		if code != 200 {
			t.Fatalf("%s: %d %s", next, code, body)
		}
		var out struct{ Sources []SourceJSON }
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			t.Fatal(err)
		}
		s := out.Sources[0]
		if s.FilesTotal != 25 || len(s.Files) > 10 {
			t.Fatalf("%s: files_total %d, %d files", next, s.FilesTotal, len(s.Files))
		}
		for _, f := range s.Files {
			names = append(names, f.Name)
		}
		next = s.FilesNext
	}
	if len(names) != 25 || names[0] != "f000.xlsx" || names[24] != "zz.xlsx" {
		t.Errorf("pages gave %d files (%v ... ), want the 25 in order", len(names), names[:1])
	}
	if code, body := httpGet(t, srv.URL+"/api/v1/sources?files_page=0"); code != 400 || !strings.Contains(body, "files_page") {
		t.Errorf("files_page=0: %d %s", code, body)
	}
	if code, body := httpGet(t, srv.URL+"/api/v1/sources?files_page=9"); code != 200 || !strings.Contains(body, `"files": []`) || strings.Contains(body, "files_next") {
		t.Errorf("past the last page: %d %s", code, body)
	}
}

func TestStatusPageFilesCapped(t *testing.T) {
	srv := manyFilesServer(t, 24, 10, 0)
	for _, tc := range []struct{ lang, more string }{
		{"en", "… and 15 more files"},
		{"id", "… dan 15 berkas lainnya"},
	} {
		code, body := httpGet(t, srv.URL+"/?lang="+tc.lang)
		if code != 200 || !strings.Contains(body, tc.more) {
			t.Errorf("lang=%s: %d, no %q", tc.lang, code, tc.more)
		}
		if n := strings.Count(body, "<td>f0"); n != 10 {
			t.Errorf("lang=%s: %d files listed, want 10", tc.lang, n)
		}
	}
}

// A render past max_concurrent_pages is refused at once.
func TestRenderGateRefusesAtOnce(t *testing.T) {
	g := newRenderGate(1)
	release := make(chan struct{})
	entered := make(chan struct{})
	h := g.wrap(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
	})
	go h(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
	<-entered
	rec := httptest.NewRecorder()
	h(rec, httptest.NewRequest("GET", "/", nil))
	close(release)
	if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" || !strings.Contains(rec.Body.String(), "too many readers") {
		t.Errorf("second render: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
}
