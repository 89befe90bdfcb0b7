package exporter

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jkn-exporter/jkn_exporter/exporter/config"
)

// Reloader re-reads the config file. Every trigger (SIGHUP, POST
// /-/reload) goes through its one goroutine, so reloads never interleave.
// A config that fails validation is not applied: the old one keeps running.
type Reloader struct {
	file     string
	exporter *Exporter
	logger   *slog.Logger
	reqs     chan chan error

	success     prometheus.Gauge
	successTime prometheus.Gauge

	// Applied, when set, is given each config a reload applied (the
	// settings that live outside the exporter: the pages').
	Applied func(*config.Config)
}

// ErrNoConfigFile says that the demo has no config to reload.
var ErrNoConfigFile = errors.New("no --config.file to reload: serving the demo")

// NewReloader returns a reloader for a config file (empty: the demo, which
// cannot reload) and registers its metrics.
func NewReloader(file string, e *Exporter, logger *slog.Logger, reg prometheus.Registerer) (*Reloader, error) {
	r := &Reloader{
		file: file, exporter: e, logger: logger, reqs: make(chan chan error),
		success: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "jkn_config_last_reload_successful",
			Help: "1 when the last configuration reload succeeded.",
		}),
		successTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "jkn_config_last_reload_success_timestamp_seconds",
			Help: "When the configuration was last loaded successfully, in Unix seconds.",
		}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{r.success, r.successTime} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	// The config the exporter started with was loaded successfully.
	r.success.Set(1)
	r.successTime.SetToCurrentTime()
	return r, nil
}

// Run serves reload requests until ctx is done.
func (r *Reloader) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case reply := <-r.reqs:
			reply <- r.reload()
		}
	}
}

// Reload asks for a reload and waits for its outcome.
func (r *Reloader) Reload(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case r.reqs <- reply:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *Reloader) reload() error {
	if r.file == "" {
		return ErrNoConfigFile
	}
	err := r.apply()
	if err != nil {
		r.success.Set(0)
		r.logger.Error("config reload failed; keeping the running config", "file", r.file, "err", err)
		return err
	}
	r.success.Set(1)
	r.successTime.Set(float64(time.Now().UnixNano()) / 1e9)
	r.logger.Info("config reloaded", "file", r.file)
	return nil
}

func (r *Reloader) apply() error {
	cfg, err := config.Load(r.file)
	if err != nil {
		return err
	}
	rules, err := cfg.Rules()
	if err != nil {
		return err
	}
	if err := r.exporter.Apply(SourcesFromConfig(cfg), rules); err != nil {
		return err
	}
	SetMemoryLimit(cfg.Limits.MaxMemoryBytes, r.logger)
	if r.Applied != nil {
		r.Applied(cfg)
	}
	return nil
}
