package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/demo"
)

type checkOptions struct {
	configFile, source, province, branch string
	files                                []string
	// lang is the report's language (--lang).
	lang lang.Lang
}

// runCheck is `jkn_exporter check`: exit 0 when everything would be
// accepted, 1 when the config or a workbook would be rejected.
func runCheck(o checkOptions, stdout, stderr io.Writer) int {
	p := lang.For(o.lang)
	cfg := &config.Config{Criteria: "uhc_2025", Awards: criteria.DefaultAwards()}
	if o.configFile != "" {
		var err error
		if cfg, err = config.Load(o.configFile); err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n\n", p.Report("config %s: ok (%s sources, criteria %s)", o.configFile, strconv.Itoa(len(cfg.Sources)), cfg.Criteria))
	}
	rules, err := cfg.Rules()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	ref, err := region.Load()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	rd := &collector.Renderer{Criteria: rules.Policy, Overrides: rules.Overrides, Awards: rules.Awards}
	settings := ingest.Settings{BranchOffice: o.branch, Province: o.province, MaxFileBytes: exporter.DefaultMaxFileBytes}
	srcs := exporter.SourcesFromConfig(cfg)
	if o.configFile == "" && len(o.files) == 0 {
		srcs = demoSources(demo.SeedOffices()) // what the demo serves
	}
	if o.source != "" {
		found := false
		for _, s := range srcs {
			if s.Name() == o.source {
				settings, found = s.Settings, true
				if o.province != "" {
					settings.Province = o.province
				}
			}
		}
		if !found {
			fmt.Fprintf(stderr, "no source %q in the config\n", o.source)
			return 1
		}
	}
	rejected := false
	// A dry run: the checks between sheets compare the workbooks with
	// each other, not with what a running exporter serves.
	report := func(files []sources.File, s ingest.Settings) {
		res := ingest.Ingest(files, s, ref)
		res.Follow(ingest.Before{}, s, ref)
		for i := range res.Files {
			exporter.WriteReport(stdout, &res.Files[i], rd, p)
			rejected = rejected || res.Files[i].Rejected()
		}
		exporter.WriteCompleteness(stdout, res.Completeness, p)
	}
	if len(o.files) > 0 {
		var files []sources.File
		for _, name := range o.files {
			data, err := os.ReadFile(name)
			if err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
			info, err := os.Stat(name)
			if err != nil {
				fmt.Fprintln(stderr, err)
				return 1
			}
			files = append(files, sources.NewFile(filepath.Base(name), name, info.ModTime(), data))
		}
		report(files, settings)
	} else {
		for _, s := range srcs {
			fmt.Fprintln(stdout, p.Report("== source %s (%s)", s.Name(), s.Kind))
			if s.Settings.Expected.IsSet() {
				if _, err := s.Settings.Expected.Regions(ref); err != nil {
					fmt.Fprintf(stdout, "%s\n\n", p.Report("  config: %v", err))
					rejected = true
					continue
				}
			}
			files, err := s.Fetch(context.Background())
			if err != nil {
				fmt.Fprintf(stdout, "%s\n\n", p.Report("  cannot read: %v", err))
				rejected = true
				continue
			}
			report(files, s.Settings)
		}
	}
	if rejected {
		fmt.Fprintln(stdout, p.Report("result: REJECTED (a workbook or source would be rejected)"))
		return 1
	}
	fmt.Fprintln(stdout, p.Report("result: ok"))
	return 0
}
