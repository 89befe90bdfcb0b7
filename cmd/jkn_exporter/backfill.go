package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/alecthomas/kingpin/v2"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/backfill"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/internal/atomicfile"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// historyFile is the name backfill writes into an --out directory.
const historyFile = "history.om"

// backfillCommand is `jkn_exporter backfill`: every workbook of every
// configured source as OpenMetrics history.
func backfillCommand(app *kingpin.Application) subcommand {
	cmd := app.Command("backfill", "Write the history of every workbook of every configured source as OpenMetrics, "+
		"for `promtool tsdb create-blocks-from openmetrics`. Needs --config.file.")
	out := cmd.Flag("out", `Output file, or an existing directory to write `+historyFile+` into; "-" writes to stdout.`).
		Default(historyFile).String()
	labels := cmd.Flag("label", "NAME=VALUE added to every series, as Prometheus adds job and instance when it scrapes the exporter "+
		"(e.g. --label=job=jkn --label=instance=jkn_exporter:10947), so history and scrapes are the same series. Repeatable.").Strings()
	return subcommand{cmd: cmd, run: func(stdout, stderr io.Writer) int {
		// --config.file is the application's flag, shared with serve and check.
		configFile := app.GetFlag("config.file").Model().Value.String()
		if err := runBackfill(configFile, *out, *labels, stdout, stderr); err != nil {
			fmt.Fprintf(stderr, "jkn_exporter backfill: %v\n", err)
			return 1
		}
		return 0
	}}
}

func runBackfill(configFile, out string, labelFlags []string, stdout, stderr io.Writer) error {
	if configFile == "" {
		return errors.New("--config.file is required: backfill reads the configured sources")
	}
	var labels []backfill.Label
	for _, s := range labelFlags {
		l, err := backfill.ParseLabel(s)
		if err != nil {
			return err
		}
		labels = append(labels, l)
	}
	cfg, err := config.Load(configFile)
	if err != nil {
		return err
	}
	rules, err := cfg.Rules()
	if err != nil {
		return err
	}
	ref, err := region.Load()
	if err != nil {
		return err
	}
	if out != "-" {
		if info, err := os.Stat(out); err == nil && info.IsDir() {
			out = filepath.Join(out, historyFile)
		}
	}
	h, err := backfill.Read(context.Background(), exporter.SourcesFromConfig(cfg), ref)
	if err != nil {
		return err
	}
	// Rendered whole before anything is written, so a failure leaves no
	// half-written history behind.
	var b bytes.Buffer
	if err := h.WriteOpenMetrics(&b, &collector.Renderer{Criteria: rules.Policy, Overrides: rules.Overrides, Awards: rules.Awards}, labels); err != nil {
		return err
	}
	rep := h.Report()
	rep.WriteText(stderr)
	if rep.Samples == 0 {
		return errors.New("no region figures in any workbook: nothing to backfill")
	}
	if out == "-" {
		_, err := stdout.Write(b.Bytes())
		return err
	}
	if err := atomicfile.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s (%d bytes)\n", out, b.Len())
	return nil
}
