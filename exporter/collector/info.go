package collector

import (
	"strconv"

	"github.com/jkn-exporter/jkn_exporter/region"
)

// Places gives a region's approximate centre point by its code;
// *region.Reference implements it. Regions without one (districts,
// villages) get no jkn_region_info series and no place on the map.
type Places interface {
	Coordinates(code string) (region.Point, bool)
}

// infoHelp is jkn_region_info's HELP text.
const infoHelp = "Region metadata, 1 for every served region with a centre point: latitude and longitude " +
	"(WGS 84 decimal degrees) of the approximate centre of the regency or city, or the population-weighted " +
	"centre of the province, from the reference data. Join it on region_code for map panels."

// infoFamily is jkn_region_info: a series for each served region that
// has a centre point, which it records in points, so that the status
// page's map shows exactly the regions the metric places.
func infoFamily(places Places, points map[string]region.Point) family {
	var extra []byte
	return family{name: "jkn_region_info", help: infoHelp, samples: func(r *Served, s *sink) {
		p, ok := places.Coordinates(r.Region.Code)
		if !ok {
			return // districts and villages have no point
		}
		points[r.Region.Code] = p
		extra = append(extra[:0], ',')
		extra = AppendLabel(extra, "latitude", formatDegrees(p.Lat))
		extra = append(extra, ',')
		extra = AppendLabel(extra, "longitude", formatDegrees(p.Lon))
		s.sample(extra, 1)
	}}
}

// formatDegrees formats a latitude or longitude as the label shows it: the
// shortest decimal that reads back as the same number ("-2.88333").
func formatDegrees(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
