// Package web serves the exporter over HTTP: /metrics, the status page,
// and the health and readiness endpoints.
package web

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/web/svgmap"
)

// Options configure the handler.
type Options struct {
	Exporter *exporter.Exporter
	Gatherer prometheus.Gatherer
	Logger   *slog.Logger
	// Demo is true when the exporter serves the embedded demo.
	Demo bool
	// NationalDemo is true when that demo is --demo=national: synthetic
	// figures for every regency and city.
	NationalDemo bool
	// Reloader serves POST /-/reload when EnableLifecycle is set.
	Reloader        *exporter.Reloader
	EnableLifecycle bool
	// WriteRateLimit is the write requests (uploads, ingest triggers,
	// reloads) per second each client address may make; 0: no limit.
	WriteRateLimit float64
	// MaxConcurrentPages bounds the status pages and source lists
	// rendered at once (0: DefaultMaxConcurrentPages); MaxFilesListed the
	// files a source lists on them (0: DefaultMaxFilesListed).
	MaxConcurrentPages int
	MaxFilesListed     int
	// Pages are the config's page settings (Grafana link, premium); nil:
	// none.
	Pages *Pages
}

// Handler returns the exporter's HTTP routes.
func Handler(o Options) (http.Handler, error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", &collector.Handler{Exposition: o.Exporter.Exposition(), Gatherer: o.Gatherer, Logger: o.Logger})
	mux.HandleFunc("GET /-/healthy", func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintln(w, "Healthy")
	})
	mux.HandleFunc("GET /-/ready", func(w http.ResponseWriter, _ *http.Request) {
		if !o.Exporter.Ready() {
			http.Error(w, "Not ready: not every source has been read or restored yet", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "Ready")
	})
	// One budget of writes per client address, the API's and the upload
	// page's together; one gate for the renders of the status page and the
	// source list.
	writes := newWriteLimiter(o.WriteRateLimit)
	pages := newRenderGate(o.MaxConcurrentPages)
	registerAPI(mux, o, writes, pages)
	// The status page replaces the exporter-toolkit landing page; it keeps
	// its links and version. Only "/" itself: other paths are 404.
	status, err := newStatusHandler(o.Exporter, o.Demo, o.Logger)
	if err != nil {
		return nil, err
	}
	land, err := svgmap.LoadLand()
	if err != nil {
		return nil, err
	}
	status.national, status.land, status.maxFiles = o.NationalDemo, land, o.MaxFilesListed
	mux.Handle("GET /{$}", pages.wrap(status.ServeHTTP))
	region, err := newRegionHandler(o.Exporter, o.Demo, o.Pages, o.Logger)
	if err != nil {
		return nil, err
	}
	mux.Handle("GET /region/{code}", region)
	// The upload page: the same uploads as the API's, from a form; its
	// POSTs count against the same budget as the API's writes.
	upload, err := newUploadHandler(o.Exporter, writes, o.Logger)
	if err != nil {
		return nil, err
	}
	mux.Handle("GET /upload", upload)
	mux.Handle("POST /upload", upload)
	return mux, nil
}
