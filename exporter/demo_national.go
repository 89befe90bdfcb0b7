package exporter

import (
	"fmt"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// NationalDemoSources builds the national demo (--demo=national): one
// source, named "demo", serving every regency and city of the reference
// with its real 2025 population and synthetic participant and active
// figures, under the branch office "Demo (synthetic)".
func NationalDemoSources(ref *region.Reference) ([]*Source, error) {
	var regions []sources.DemoRegion
	for _, p := range ref.Provinces() {
		for _, r := range ref.Children(p.Code) {
			pop, ok := ref.Population(r.Code)
			if !ok {
				return nil, fmt.Errorf("national demo: no 2025 population for %s %s", r.Code, r.Name)
			}
			regions = append(regions, sources.DemoRegion{
				Code: r.Code, Name: r.Name, ProvinceCode: p.Code, Province: p.Name, Population: pop,
			})
		}
	}
	return []*Source{{
		Source:   &sources.NationalDemo{Regions: regions},
		Kind:     "demo",
		Location: "embedded, synthetic",
		Settings: ingest.Settings{BranchOffice: sources.NationalDemoBranchOffice},
	}}, nil
}
