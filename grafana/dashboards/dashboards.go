// Package dashboards builds jkn_exporter's Grafana dashboards as code, with the Grafana
// Foundation SDK: one file per dashboard, one function per panel. The JSON files beside
// this file are its output, committed so that Grafana can provision them; after a change
// here, regenerate them with `go generate ./grafana/...` (the tests fail until then).
package dashboards

//go:generate go run ./generate -out .

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"

	"github.com/jkn-exporter/jkn_exporter/lang"
)

// Build returns every dashboard in every language as indented JSON, keyed by its path
// relative to grafana/dashboards (Path).
func Build() (map[string][]byte, error) {
	files, _, err := build()
	return files, err
}

// build is Build, and the entries of the Indonesian table it used.
func build() (map[string][]byte, map[string]bool, error) {
	all := []struct {
		uid   string
		build func() (dashboard.Dashboard, error)
	}{
		{uidOverview, overview},
		{uidRegion, region},
		{uidHealth, health},
	}
	files := make(map[string][]byte, len(all)*len(lang.All()))
	used := map[string]bool{}
	for _, d := range all {
		built, err := d.build()
		if err != nil {
			return nil, nil, fmt.Errorf("building %s: %w", d.uid, err)
		}
		numberPanels(&built)
		data, err := json.Marshal(built)
		if err != nil {
			return nil, nil, fmt.Errorf("encoding %s: %w", d.uid, err)
		}
		for _, l := range lang.All() {
			tr := translator{lang: l, table: indonesian, used: used}
			translated, err := tr.translate(data)
			if err != nil {
				return nil, nil, fmt.Errorf("%s in %s: %w", d.uid, l, err)
			}
			var indented bytes.Buffer
			if err := json.Indent(&indented, translated, "", "  "); err != nil {
				return nil, nil, fmt.Errorf("encoding %s: %w", d.uid, err)
			}
			indented.WriteByte('\n')
			files[Path(d.uid, l)] = indented.Bytes()
		}
	}
	return files, used, nil
}

// numberPanels gives every panel and row an id in layout order: Grafana would otherwise
// assign them on load, and panel links (viewPanel=) need them stable.
func numberPanels(d *dashboard.Dashboard) {
	var id uint32
	for _, p := range d.Panels {
		id++
		switch {
		case p.Panel != nil:
			p.Panel.Id = cog.ToPtr(id)
		case p.RowPanel != nil:
			p.RowPanel.Id = id
			for i := range p.RowPanel.Panels {
				id++
				p.RowPanel.Panels[i].Id = cog.ToPtr(id)
			}
		}
	}
}
