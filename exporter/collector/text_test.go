package collector

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// villageView makes a view of n made-up village records with every
// figure, segments included, so every family is rendered.
func villageView(n int) snapshot.View {
	recs := make([]ingest.Record, n)
	for i := range recs {
		code := fmt.Sprintf("16.07.%02d.%04d", i/1000%100, 2000+i%1000)
		f := jkn.FiguresOf(map[jkn.Field]float64{
			jkn.FieldPopulation: float64(1000 + i), jkn.FieldParticipants: float64(950 + i),
			jkn.FieldActive: float64(800 + i), jkn.FieldPBIAPBN: 400, jkn.FieldPBPUPemda: 100,
			jkn.FieldPPU: 200, jkn.FieldPBPU: float64(200 + i), jkn.FieldBP: 50,
		})
		recs[i] = ingest.Record{
			Region:       jkn.Region{Code: code, Name: fmt.Sprintf("Desa \"Sukamaju\" %d", i), Level: jkn.LevelVillage, ProvinceCode: "16", Province: "Sumatera Selatan"},
			BranchOffice: "Palembang", AsOf: time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC), Figures: f,
		}
	}
	return snapshot.View{{Source: "kc-palembang", Records: recs}}
}

// selfRegistry is a registry with one self-metric.
func selfRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "jkn_test_scrapes_total", Help: "Test counter."})
	c.Add(3)
	reg.MustRegister(c)
	return reg
}

func serve(t testing.TB, st *State, accept, encoding string) *http.Response {
	t.Helper()
	h := &Handler{Exposition: &Exposition{}, Gatherer: selfRegistry(), Logger: slog.New(slog.DiscardHandler)}
	h.Exposition.Store(st)
	req := httptest.NewRequest("GET", "/metrics", nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

// body reads a response, checking Content-Length and, for gzip, that it
// is exactly one gzip member.
func body(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := strconv.Atoi(resp.Header.Get("Content-Length")); err != nil || n != len(raw) {
		t.Errorf("Content-Length %q, body %d bytes", resp.Header.Get("Content-Length"), len(raw))
	}
	if resp.Header.Get("Content-Encoding") != "gzip" {
		return raw
	}
	br := bytes.NewReader(raw)
	zr, err := gzip.NewReader(br)
	if err != nil {
		t.Fatal(err)
	}
	zr.Multistream(false)
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gzip body: %v", err)
	}
	if err := zr.Reset(br); !errors.Is(err, io.EOF) {
		t.Errorf("more than one gzip member (%v)", err)
	}
	return out
}

func TestHandlerFormats(t *testing.T) {
	view := villageView(120)
	rendered := renderer().Render(view)
	text := rendered.Text.Bytes()
	compressed := *rendered.Text
	compressed.Compress()
	cr := *rendered
	cr.Text = &compressed
	for _, tc := range []struct {
		name         string
		state        *State
		accept, enc  string
		gzip, openMF bool
	}{
		{"text", &State{View: view, Rendered: &cr}, "", "", false, false},
		{"text, gzip", &State{View: view, Rendered: &cr}, "text/plain;version=0.0.4", "gzip", true, false},
		{"openmetrics", &State{View: view, Rendered: &cr}, "application/openmetrics-text;version=1.0.0,text/plain;q=0.5", "identity", false, true},
		{"openmetrics, gzip", &State{View: view, Rendered: &cr}, "application/openmetrics-text;version=1.0.0", "deflate, gzip;q=0.8", true, true},
		{"gzip refused", &State{View: view, Rendered: &cr}, "", "gzip;q=0", false, false},
		{"not yet compressed", &State{View: view, Rendered: rendered}, "", "gzip", false, false},
		{"protobuf asked, text given", &State{View: view, Rendered: &cr}, "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", "gzip", true, false},
		{"empty", &State{Rendered: renderer().Render(nil)}, "application/openmetrics-text;version=1.0.0", "gzip", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := serve(t, tc.state, tc.accept, tc.enc)
			if got := resp.Header.Get("Content-Encoding") == "gzip"; got != tc.gzip {
				t.Errorf("gzip %v, want %v", got, tc.gzip)
			}
			ct := resp.Header.Get("Content-Type")
			if strings.HasPrefix(ct, "application/openmetrics-text") != tc.openMF {
				t.Errorf("Content-Type %q", ct)
			}
			b := body(t, resp)
			if tc.state.View != nil && !bytes.HasPrefix(b, text) {
				t.Errorf("the body does not start with the region part")
			}
			if tc.openMF {
				if !bytes.HasSuffix(b, []byte("# EOF\n")) || bytes.Count(b, []byte("# EOF")) != 1 {
					t.Fatalf("OpenMetrics body does not end with one # EOF:\n%s", b[max(0, len(b)-300):])
				}
				// The self-metrics follow the region part exactly as the
				// OpenMetrics encoder writes them, # EOF last.
				var want bytes.Buffer
				enc := expfmt.NewEncoder(&want, expfmt.NewFormat(expfmt.TypeOpenMetrics))
				mfs, _ := selfRegistry().Gather()
				for _, mf := range mfs {
					_ = enc.Encode(mf)
				}
				_ = enc.(expfmt.Closer).Close()
				if tc.state.View != nil && !bytes.Equal(b[len(text):], want.Bytes()) {
					t.Errorf("after the region part:\n%s\nwant:\n%s", b[len(text):], want.Bytes())
				}
				return
			}
			parser := expfmt.NewTextParser(model.UTF8Validation)
			mfs, err := parser.TextToMetricFamilies(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("text parse: %v", err)
			}
			if mfs["jkn_test_scrapes_total"] == nil {
				t.Error("self-metrics missing")
			}
			if tc.state.View != nil && len(mfs["jkn_segment_participants"].GetMetric()) != 120*5 {
				t.Errorf("segments: %d series", len(mfs["jkn_segment_participants"].GetMetric()))
			}
		})
	}
}

// TestTextAcrossChunks: a text of several chunks is written whole, each
// line intact across the chunk boundaries, and Len is its size.
func TestTextAcrossChunks(t *testing.T) {
	const n = 3000 // about 6 MB: several chunks
	text := renderer().Render(villageView(n)).Text
	var writes []int
	var out bytes.Buffer
	if _, err := text.WriteTo(writerFunc(func(b []byte) (int, error) {
		writes = append(writes, len(b))
		return out.Write(b)
	})); err != nil {
		t.Fatal(err)
	}
	if len(writes) < 3 {
		t.Fatalf("%d writes: the text does not span chunks", len(writes))
	}
	if int64(out.Len()) != text.Len() {
		t.Errorf("wrote %d bytes, Len %d", out.Len(), text.Len())
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatalf("text parse: %v", err)
	}
	for name, want := range map[string]int{"jkn_population": n, "jkn_coverage_ratio": n, "jkn_segment_participants": 5 * n, "jkn_uhc_status": 5 * n} {
		if got := len(mfs[name].GetMetric()); got != want {
			t.Errorf("%s: %d series, want %d", name, got, want)
		}
	}
	// Every region's population is where villageView put it: no line was
	// cut or joined to another region's.
	for _, m := range mfs["jkn_population"].GetMetric() {
		var name string
		for _, l := range m.GetLabel() {
			if l.GetName() == "region" {
				name = l.GetValue()
			}
		}
		var i int
		if _, err := fmt.Sscanf(name, "Desa \"Sukamaju\" %d", &i); err != nil {
			t.Fatalf("region %q: %v", name, err)
		}
		if got := m.GetGauge().GetValue(); got != float64(1000+i) {
			t.Errorf("%s: population %v, want %d", name, got, 1000+i)
		}
	}
	if got := text.Bytes(); !bytes.Equal(got, out.Bytes()) {
		t.Error("Bytes and WriteTo differ")
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// TestPublishCompresses: a published state is served at once, then
// compressed in the background; only the newest is kept.
func TestPublishCompresses(t *testing.T) {
	var e Exposition
	first := &State{View: villageView(10), Rendered: renderer().Render(villageView(10))}
	second := &State{View: villageView(20), Rendered: renderer().Render(villageView(20))}
	e.Publish(first)
	e.Publish(second)
	deadline := time.Now().Add(10 * time.Second)
	for !e.Load().Rendered.Text.Compressed() {
		if time.Now().After(deadline) {
			t.Fatal("not compressed")
		}
		time.Sleep(time.Millisecond)
	}
	got := e.Load()
	if got.Rendered.Text.String() != second.Rendered.Text.String() || len(got.View[0].Records) != 20 {
		t.Fatal("the compressed state is not the newest")
	}
	if second.Rendered.Text.Compressed() {
		t.Error("the published Text was changed in place")
	}
}

// TestUpdateKeepsCompression: a state made by Update from one being
// compressed (an ingest that found nothing changed publishes its times
// so) gets the gzip form of its text all the same, and keeps its own
// sources' statuses.
func TestUpdateKeepsCompression(t *testing.T) {
	var e Exposition
	v := villageView(5000)
	published := &State{View: v, Rendered: renderer().Render(v)}
	e.Publish(published)
	later := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	e.Update(func(cur *State) *State {
		touched := *cur.View[0]
		touched.Attempted, touched.LastSuccess = later, later
		return &State{View: snapshot.View{&touched}, Rendered: cur.Rendered.WithTimes(&touched)}
	})
	e.WaitCompressed()
	got := e.Load()
	if !got.Rendered.Text.Compressed() || got.Rendered.Text.String() != published.Rendered.Text.String() {
		t.Fatal("the updated state lost the text's gzip form")
	}
	if st := got.Rendered.Sources[0]; !st.Attempted.Equal(later) || !st.LastSuccess.Equal(later) || !got.View[0].Attempted.Equal(later) {
		t.Errorf("the compression undid the update: %+v", st)
	}
	if published.Rendered.Sources[0].Attempted.Equal(later) {
		t.Error("WithTimes changed the published rendering in place")
	}
}

// TestScrapeAllocationsDoNotGrow: what a scrape allocates does not depend
// on the number of region series (measured as allocations, not time).
func TestScrapeAllocationsDoNotGrow(t *testing.T) {
	allocs := func(n int, enc string) float64 {
		r := renderer().Render(villageView(n))
		r.Text.Compress()
		h := &Handler{Exposition: &Exposition{}, Gatherer: selfRegistry(), Logger: slog.New(slog.DiscardHandler)}
		h.Exposition.Store(&State{View: villageView(n), Rendered: r})
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.Header.Set("Accept-Encoding", enc)
		w := &discardWriter{h: http.Header{}}
		h.ServeHTTP(w, req) // warm the pools
		return testing.AllocsPerRun(20, func() {
			w.h = http.Header{}
			h.ServeHTTP(w, req)
		})
	}
	for _, enc := range []string{"", "gzip"} {
		small, large := allocs(10, enc), allocs(5000, enc)
		if large > small+5 {
			t.Errorf("encoding %q: %.0f allocations a scrape for 10 regions, %.0f for 5,000", enc, small, large)
		}
	}
}

type discardWriter struct{ h http.Header }

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(int)             {}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip;q=0.5": true, "gzip;q=0": false, "gzip; q=0.0": false,
		"br, *": true, "identity": false, "x-gzip": false, " gzip ;q=1 ": true,
	} {
		if got := acceptsGzip(h); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", h, got, want)
		}
	}
}

// BenchmarkRender renders 84,000 village regions (every family,
// segments included): the work done once per change.
func BenchmarkRender(b *testing.B) {
	view := villageView(84000)
	rd := renderer()
	b.ReportAllocs()
	for b.Loop() {
		rd.Render(view)
	}
}

// BenchmarkCompress compresses that rendering.
func BenchmarkCompress(b *testing.B) {
	text := renderer().Render(villageView(84000)).Text
	b.SetBytes(text.Len())
	for b.Loop() {
		c := *text
		c.Compress()
	}
}

// BenchmarkScrape serves that rendering, uncompressed and gzip, to a
// writer that discards it: the exporter's side of a scrape.
func BenchmarkScrape(b *testing.B) {
	r := renderer().Render(villageView(84000))
	r.Text.Compress()
	h := &Handler{Exposition: &Exposition{}, Gatherer: selfRegistry(), Logger: slog.New(slog.DiscardHandler)}
	h.Exposition.Store(&State{Rendered: r})
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/metrics", nil)
			req.Header.Set("Accept-Encoding", enc)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			if enc == "identity" {
				b.SetBytes(r.Text.Len())
			} else {
				b.SetBytes(int64(r.Text.GzipLen()))
			}
			for b.Loop() {
				w.h = http.Header{}
				h.ServeHTTP(w, req)
			}
		})
	}
}
