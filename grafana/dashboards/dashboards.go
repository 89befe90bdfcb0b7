// Package dashboards builds jkn_exporter's Grafana dashboards as code, with the Grafana
// Foundation SDK: one file per dashboard, one function per panel. The JSON files beside
// this file are its output, committed so that Grafana can provision them; after a change
// here, regenerate them with `go generate ./grafana/...` (the tests fail until then).
package dashboards

//go:generate go run ./generate -out .

import (
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Build returns every dashboard as indented JSON, keyed by its file name.
func Build() (map[string][]byte, error) {
	all := []struct {
		file  string
		build func() (dashboard.Dashboard, error)
	}{
		{uidOverview + ".json", overview},
		{uidRegion + ".json", region},
		{uidHealth + ".json", health},
	}
	files := make(map[string][]byte, len(all))
	for _, d := range all {
		built, err := d.build()
		if err != nil {
			return nil, fmt.Errorf("building %s: %w", d.file, err)
		}
		numberPanels(&built)
		data, err := json.MarshalIndent(built, "", "  ")
		if err != nil {
			return nil, fmt.Errorf("encoding %s: %w", d.file, err)
		}
		files[d.file] = append(data, '\n')
	}
	return files, nil
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
