// Command generate writes jkn_exporter's alerting rules in both languages
// (grafana/rules/jkn_alerts.yml, grafana/en/rules/jkn_alerts.yml). It runs through
// `go generate ./grafana/...` from grafana/alerts, with -out .. (grafana/).
//
// -exporter-url adds a region_url annotation to the region alerts, a link to the region's
// page on the exporter; the committed files have none (the mixin's _config.jknExporterURL
// and the helm chart's rules.exporterURL add it where the bundle is deployed).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/jkn-exporter/jkn_exporter/grafana/alerts"
	"github.com/jkn-exporter/jkn_exporter/lang"
)

func main() {
	out := flag.String("out", "", "the grafana/ directory to write the rule files under (required)")
	url := flag.String("exporter-url", "", "the exporter's external URL, for the region alerts' region_url")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "generate: -out is required")
		os.Exit(2)
	}
	for _, l := range lang.All() {
		data, err := alerts.Render(l, alerts.Options{ExporterURL: *url})
		if err != nil {
			fmt.Fprintln(os.Stderr, "generate:", err)
			os.Exit(1)
		}
		path := filepath.Join(*out, alerts.File(l))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "generate:", err)
			os.Exit(1)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "generate:", err)
			os.Exit(1)
		}
		fmt.Println("wrote", path)
	}
}
