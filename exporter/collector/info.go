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

// writeInfo writes jkn_region_info for the served regions that have a
// point and returns those points by code, so that the status page's map
// shows exactly the regions the metric places.
func writeInfo(b *textBuilder, places Places, regions []Served) map[string]region.Point {
	if places == nil {
		return nil
	}
	// Not sized by the regions: districts and villages have no point.
	points := map[string]region.Point{}
	var extra []byte
	for i := range regions {
		p, ok := places.Coordinates(regions[i].Region.Code)
		if !ok {
			continue
		}
		if len(points) == 0 {
			b.header("jkn_region_info", infoHelp, 0)
		}
		points[regions[i].Region.Code] = p
		extra = append(extra[:0], ',')
		extra = appendLabel(extra, "latitude", formatDegrees(p.Lat))
		extra = append(extra, ',')
		extra = appendLabel(extra, "longitude", formatDegrees(p.Lon))
		b.sampleRaw(i, extra, 1)
	}
	return points
}

// formatDegrees formats a latitude or longitude as the label shows it: the
// shortest decimal that reads back as the same number ("-2.88333").
func formatDegrees(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
