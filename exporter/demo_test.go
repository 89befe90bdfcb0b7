package exporter

import (
	"testing"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/sources/demo"
)

// demoSources serves the demo's offices as cmd/jkn_exporter wires them.
func demoSources(offices []demo.Office) []*Source {
	var out []*Source
	for _, o := range offices {
		out = append(out, &Source{Source: o.Source, Kind: "demo", Location: o.Location,
			Settings: ingest.Settings{BranchOffice: o.BranchOffice, Province: o.Province}})
	}
	return out
}

// nationalDemoSources builds the national demo's sources.
func nationalDemoSources(t *testing.T) []*Source {
	t.Helper()
	offices, err := demo.NationalOffices(loadRef(t))
	if err != nil {
		t.Fatal(err)
	}
	return demoSources(offices)
}
