package collector

import (
	"bytes"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// Handler serves /metrics: the pre-rendered region part followed by the
// gathered self-metrics, in the text format or OpenMetrics as negotiated.
// The region part is written from its stored form (Text) and, when the
// client accepts gzip, from its form compressed at render time; only the
// self-metrics, a few kilobytes, are encoded and compressed per scrape.
// So a scrape allocates nothing in proportion to the region series.
type Handler struct {
	Exposition *Exposition
	Gatherer   prometheus.Gatherer
	Logger     *slog.Logger
}

// bufPool holds the per-scrape buffers of the self-metrics.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	format := expfmt.NegotiateAccept(r.Header, expfmt.DefaultOpenMetricsAcceptedFormats()...)
	// The region part is text; protobuf is not offered.
	if format.FormatType() != expfmt.TypeOpenMetrics {
		format = expfmt.NewFormat(expfmt.TypeTextPlain)
	}
	mfs, err := h.Gatherer.Gather()
	if err != nil {
		// A broken self-metric must not cost the region series.
		h.Logger.Error("gathering self-metrics", "err", err)
	}
	self := bufPool.Get().(*bytes.Buffer)
	defer bufPool.Put(self)
	self.Reset()
	enc := expfmt.NewEncoder(self, format)
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			h.Logger.Error("encoding self-metrics", "err", err)
			http.Error(w, "encoding metrics: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	// OpenMetrics: "# EOF", which must end the whole exposition.
	if c, ok := enc.(expfmt.Closer); ok {
		if err := c.Close(); err != nil {
			http.Error(w, "encoding metrics: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	text := h.Exposition.Load().Rendered.Text
	hdr := w.Header()
	hdr.Set("Content-Type", string(format))
	hdr.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r.Header.Get("Accept-Encoding")) && text.Compressed() {
		// One gzip member: the region part compressed at render time, the
		// self-metrics compressed now as its last block, the trailer.
		z := bufPool.Get().(*bytes.Buffer)
		defer bufPool.Put(z)
		z.Reset()
		trailer, err := text.gzipTail(z, self.Bytes())
		if err != nil {
			http.Error(w, "compressing metrics: "+err.Error(), http.StatusInternalServerError)
			return
		}
		head := text.gzipHead()
		hdr.Set("Content-Encoding", "gzip")
		hdr.Set("Content-Length", strconv.Itoa(len(head)+z.Len()+len(trailer)))
		for _, b := range [][]byte{head, z.Bytes(), trailer[:]} {
			if _, err := w.Write(b); err != nil {
				return // the client went away
			}
		}
		return
	}
	hdr.Set("Content-Length", strconv.FormatInt(text.Len()+int64(self.Len()), 10))
	if _, err := text.WriteTo(w); err != nil {
		return
	}
	_, _ = w.Write(self.Bytes())
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip (not
// with q=0).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") && strings.TrimSpace(coding) != "*" {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		return q > 0
	}
	return false
}
