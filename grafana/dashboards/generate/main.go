// Command generate writes jkn_exporter's Grafana dashboards as JSON files, one per
// dashboard, and a drawing of their layouts. It runs through `go generate ./grafana/...`
// from grafana/dashboards.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/jkn-exporter/jkn_exporter/grafana/dashboards"
)

func main() {
	out := flag.String("out", "", "directory to write the dashboards' JSON files to (required)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "generate: -out is required")
		os.Exit(2)
	}
	if err := write(*out); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func write(dir string) error {
	files, err := dashboards.Build()
	if err != nil {
		return err
	}
	layout, err := dashboards.Layout()
	if err != nil {
		return err
	}
	files[dashboards.LayoutFile] = layout
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("writing dashboards: %w", err)
		}
		if err := os.WriteFile(path, files[name], 0o644); err != nil {
			return fmt.Errorf("writing dashboards: %w", err)
		}
		fmt.Println("wrote", path)
	}
	return nil
}
