package collector

import (
	"bytes"
	"compress/gzip"
	"log/slog"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// Handler serves /metrics: the pre-rendered region part followed by the
// gathered self-metrics, in the text format or OpenMetrics as negotiated.
type Handler struct {
	Exposition *Exposition
	Gatherer   prometheus.Gatherer
	Logger     *slog.Logger
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	format := expfmt.NegotiateIncludingOpenMetrics(r.Header)
	// The region part is text; protobuf is not offered.
	if format.FormatType() != expfmt.TypeOpenMetrics {
		format = expfmt.NewFormat(expfmt.TypeTextPlain)
	}
	mfs, err := h.Gatherer.Gather()
	if err != nil {
		// A broken self-metric must not cost the region series.
		h.Logger.Error("gathering self-metrics", "err", err)
	}
	st := h.Exposition.Load()
	var body bytes.Buffer
	body.Grow(len(st.Rendered.Text) + 16<<10)
	body.Write(st.Rendered.Text)
	enc := expfmt.NewEncoder(&body, format)
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			h.Logger.Error("encoding self-metrics", "err", err)
			http.Error(w, "encoding metrics: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	if c, ok := enc.(expfmt.Closer); ok {
		if err := c.Close(); err != nil {
			http.Error(w, "encoding metrics: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", string(format))
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		_, _ = zw.Write(body.Bytes())
		_ = zw.Close()
		return
	}
	_, _ = w.Write(body.Bytes())
}
