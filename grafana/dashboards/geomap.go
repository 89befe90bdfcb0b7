package dashboards

import (
	"strconv"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/geomap"
)

// placedLabels identify a region on the map: the region's labels and its centre point. The
// map's queries all aggregate by them, so that the merge transformation joins their frames
// into one row per region.
const placedLabels = "region_code, region, province, branch_office, latitude, longitude"

// placed joins a region metric of the selection to jkn_region_info, which carries the
// region's centre point. The join is on the scrape target as well as the region code:
// several exporters (an HA pair) each expose the same region, and on(region_code) alone would
// then match many info series to one.
func placed(expr string) string {
	return "max by (" + placedLabels + ") (" + expr +
		" * on(job, instance, region_code) group_left(latitude, longitude) " + inSelection("jkn_region_info") + ")"
}

// statusCode turns the jkn_uhc_status StateSet into one number a map can colour: 0 meets the
// targets, 1 unknown (no active figure), 2 below the active target, 3 below the coverage
// target, 4 below both. Exactly one state is 1, so the weighted sum is that state's code.
func statusCode() string {
	state := func(status string) string {
		return inSelection("jkn_uhc_status", `status="`+status+`"`)
	}
	return "sum without (status) (" + state("unknown") +
		" or 2 * " + state("below_active_target") +
		" or 3 * " + state("below_coverage_target") +
		" or 4 * " + state("below_both_targets") + ")"
}

// statusCodeMappings name and colour statusCode's values as statusMappings does the states.
func statusCodeMappings() []dashboard.ValueMapping {
	return stateMappings(uhcStates, func(code int, _ string) string { return strconv.Itoa(code) })
}

// statusCodeColours colour the markers by statusCode, as the mappings do.
func statusCodeColours() dashboard.ThresholdsConfig {
	steps := make([]step, 0, len(uhcStates)-1)
	for i, s := range uhcStates[1:] {
		steps = append(steps, step{float64(i + 1), s.colour})
	}
	return colours(uhcStates[0].colour, steps...)
}

// regionsMap is a geomap of the selection's regencies and cities at their centre points,
// coloured by status and sized by uninsured residents. Its view fits the markers, so that
// selecting a province (or a branch office) zooms to it.
func regionsMap() *geomap.PanelBuilder {
	markers := common.NewMapLayerOptionsBuilder().
		Type("markers").
		Name("Regions").
		Location(common.NewFrameGeometrySourceBuilder().
			Mode(common.FrameGeometrySourceModeCoords).
			Latitude("latitude").
			Longitude("longitude")).
		Tooltip(true).
		Config(map[string]any{
			"showLegend": true,
			"style": map[string]any{
				"color":   common.ColorDimensionConfig{Field: cog.ToPtr("Status"), Fixed: cog.ToPtr("grey")},
				"opacity": 0.8,
				// Area, not radius, grows with the uninsured ("quad"), as on the status page.
				"size": common.ScaleDimensionConfig{Field: cog.ToPtr("Uninsured"), Min: 3, Max: 22,
					Fixed: cog.ToPtr(5.0), Mode: cog.ToPtr(common.ScaleDimensionModeQuad)},
				"symbol":      common.ResourceDimensionConfig{Mode: common.ResourceDimensionModeFixed, Fixed: cog.ToPtr("img/icons/marker/circle.svg")},
				"symbolAlign": map[string]any{"horizontal": "center", "vertical": "center"},
			},
		})
	return geomap.NewPanelBuilder().
		Title("Regions on the map").
		Description("Each regency and city of the selection at its approximate centre (jkn_region_info, "+
			"joined on the region code), coloured by its status under the criteria set the exporter "+
			"applies (green meets the targets, orange below the active target, red below the coverage "+
			"target, dark red below both, blue coverage met without an active figure) and sized by its "+
			"uninsured residents (area). Hover a marker for its figures. The view fits the markers: "+
			"select a province or a branch office to zoom to it.").
		Unit(unitRatio).
		Datasource(datasource()).
		Height(14).
		Span(24).
		WithTarget(tableQuery("A", placed(inSelection("jkn_coverage_ratio")))).
		WithTarget(tableQuery("B", placed(inSelection("jkn_active_ratio")))).
		WithTarget(tableQuery("C", placed(inSelection("jkn_uninsured")))).
		WithTarget(tableQuery("D", placed(statusCode()))).
		WithTarget(tableQuery("E", placed(inSelection("jkn_data_as_of_timestamp_seconds"))+" * 1000")).
		WithTransformation(merge()).
		// Label values are strings; the map needs numbers.
		WithTransformation(dashboard.DataTransformerConfig{Id: "convertFieldType", Options: map[string]any{
			"fields": map[string]any{},
			"conversions": []map[string]any{
				{"targetField": "latitude", "destinationType": "number"},
				{"targetField": "longitude", "destinationType": "number"},
			},
		}}).
		WithTransformation(organize([][2]string{
			{"region", "Region"},
			{"region_code", "Code"},
			{"province", "Province"},
			{"branch_office", "Branch office"},
			{"Value #A", "Coverage"},
			{"Value #B", "Active ratio"},
			{"Value #C", "Uninsured"},
			{"Value #D", "Status"},
			{"Value #E", "As of"},
			{"latitude", "latitude"},
			{"longitude", "longitude"},
		}, "Time")).
		Decimals(2).
		View(geomap.NewMapViewConfigBuilder().
			Id(string(geomap.MapCenterIDFit)).
			AllLayers(true).
			LastOnly(false).
			Padding(10).
			MaxZoom(10).
			// Where the view falls back to without data: Indonesia.
			Lat(-2).
			Lon(118).
			Zoom(4)).
		Controls(geomap.NewControlsOptionsBuilder().
			ShowZoom(true).
			MouseWheelZoom(true).
			ShowAttribution(true)).
		Basemap(common.NewMapLayerOptionsBuilder().Type("default").Name("Basemap")).
		Layers([]cog.Builder[common.MapLayerOptions]{markers}).
		Tooltip(geomap.NewTooltipOptionsBuilder().Mode(geomap.TooltipModeDetails)).
		OverrideByName("Status", []dashboard.DynamicConfigValue{
			{Id: "mappings", Value: statusCodeMappings()},
			columnThresholds(statusCodeColours()),
			{Id: "color", Value: map[string]any{"mode": "thresholds"}},
			columnUnit(unitNone),
			{Id: "decimals", Value: 0},
		}).
		OverrideByName("Uninsured", []dashboard.DynamicConfigValue{columnUnit(unitPeople), {Id: "decimals", Value: 0}}).
		OverrideByName("As of", []dashboard.DynamicConfigValue{columnUnit(unitDate)}).
		OverrideByRegexp("latitude|longitude", []dashboard.DynamicConfigValue{columnUnit(unitNone), {Id: "decimals", Value: 5}})
}
