package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// Units, as Grafana names them.
const (
	unitRatio    = "percentunit"
	unitPeople   = "locale" // whole numbers with thousands separators: coordinators count people
	unitCount    = "short"
	unitNone     = "none"
	unitSeconds  = "s"
	unitDuration = "dtdurations"
	// unitDate formats a timestamp in milliseconds as a date: as-of dates are days.
	unitDate = "time:YYYY-MM-DD"
)

// Dashboard UIDs: stable, so links and bookmarks survive regeneration.
const (
	uidOverview = "jkn-uhc-overview"
	uidRegion   = "jkn-region-detail"
	uidHealth   = "jkn-exporter-health"
)

// regencyLevel selects the one level the summed figures are taken from: a sheet's province
// row (or district rows) summed with its regencies would count residents twice.
const regencyLevel = `level=~"regency|city"`

// datasource refers to the $datasource variable every dashboard has. The type lets the SDK
// (and Grafana) read the targets as Prometheus queries.
func datasource() common.DataSourceRef {
	return common.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr("$datasource")}
}

func newDashboard(uid, title, description string) *dashboard.DashboardBuilder {
	return dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Description(description).
		Tags([]string{"jkn", "jkn_exporter"}).
		Readonly().
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		Link(dashboard.NewDashboardLinkBuilder("JKN dashboards").
			Type(dashboard.DashboardLinkTypeDashboards).
			Tags([]string{"jkn"}).
			AsDropdown(true).
			IncludeVars(false).
			KeepTime(true)).
		WithVariable(dashboard.NewDatasourceVariableBuilder("datasource").
			Label("Data source").
			Type("prometheus"))
}

func queryVariable(name, label, query string) *dashboard.QueryVariableBuilder {
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Query(dashboard.StringOrMap{String: cog.ToPtr(query)}).
		Definition(query).
		Datasource(datasource()).
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc)
}

// multiVariable selects any number of values, all by default. The all value is a regex that
// matches everything rather than the list of values, which keeps queries short.
func multiVariable(name, label, query string) *dashboard.QueryVariableBuilder {
	return queryVariable(name, label, query).
		Multi(true).
		IncludeAll(true).
		AllValue(".*").
		Current(dashboard.VariableOption{
			Selected: cog.ToPtr(true),
			Text:     dashboard.StringOrArrayOfString{ArrayOfString: []string{"All"}},
			Value:    dashboard.StringOrArrayOfString{ArrayOfString: []string{"$__all"}},
		})
}

// rangeQuery is a query over the dashboard's time range, for time series.
func rangeQuery(refID, expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		Datasource(datasource()).
		RefId(refID).
		Expr(expr).
		LegendFormat(legend).
		Range()
}

// instantQuery is a query at the end of the time range, for the current figures.
func instantQuery(refID, expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		Datasource(datasource()).
		RefId(refID).
		Expr(expr).
		LegendFormat(legend).
		Instant()
}

// tableQuery is an instant query whose labels become columns.
func tableQuery(refID, expr string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		Datasource(datasource()).
		RefId(refID).
		Expr(expr).
		Format(prometheus.PromQueryFormatTable).
		Instant()
}

type step struct {
	value float64
	color string
}

// colours is a set of absolute thresholds from base upward: each step applies from its value on.
func colours(base string, steps ...step) dashboard.ThresholdsConfig {
	all := []dashboard.Threshold{{Color: base}}
	for _, s := range steps {
		all = append(all, dashboard.Threshold{Value: cog.ToPtr(s.value), Color: s.color})
	}
	return dashboard.ThresholdsConfig{Mode: dashboard.ThresholdsModeAbsolute, Steps: all}
}

// thresholds turns colours into what panel builders take.
func thresholds(c dashboard.ThresholdsConfig) *dashboard.ThresholdsConfigBuilder {
	return dashboard.NewThresholdsConfigBuilder().Mode(c.Mode).Steps(c.Steps)
}

// coverageColours are the UHC 2025 coverage thresholds (98%, with 95%, the earlier
// criterion, as a warning): for panels that have no per-region target to compare with.
func coverageColours() dashboard.ThresholdsConfig {
	return colours("red", step{0.95, "orange"}, step{0.98, "green"})
}

// gapColours colour a ratio minus its target: below zero is below target. Whether exactly
// zero meets the target depends on the criteria set; the status column decides.
func gapColours() dashboard.ThresholdsConfig {
	return colours("red", step{0, "green"})
}

func fixedColour(color string) *dashboard.FieldColorBuilder {
	return dashboard.NewFieldColorBuilder().Mode(dashboard.FieldColorModeIdFixed).FixedColor(color)
}

// state is a StateSet state as the dashboards name and colour it.
type state struct{ state, text, colour string }

// uhcStates are jkn_uhc_status's states as the dashboards name and colour them, in the
// order of statusCode's numbers.
var uhcStates = []state{
	{"meets_targets", "Meets targets", "green"},
	{"unknown", "Coverage met, no active figure", "blue"},
	{"below_active_target", "Below active target", "orange"},
	{"below_coverage_target", "Below coverage target", "red"},
	{"below_both_targets", "Below both targets", "dark-red"},
}

// stateMappings name and colour states, each under the key key gives it.
func stateMappings(states []state, key func(code int, state string) string) []dashboard.ValueMapping {
	options := map[string]dashboard.ValueMappingResult{}
	for i, s := range states {
		options[key(i, s.state)] = dashboard.ValueMappingResult{Text: cog.ToPtr(s.text), Color: cog.ToPtr(s.colour), Index: cog.ToPtr(int32(i))}
	}
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{Type: dashboard.MappingTypeValueToText, Options: options}}}
}

// byState keys a mapping by the state's name, as a StateSet's label gives it.
func byState(_ int, state string) string { return state }

// statusMappings name and colour the states of jkn_uhc_status.
func statusMappings() []dashboard.ValueMapping { return stateMappings(uhcStates, byState) }

// upMappings name the values of an up-style gauge.
func upMappings(up, down string) []dashboard.ValueMapping {
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{
		Type: dashboard.MappingTypeValueToText,
		Options: map[string]dashboard.ValueMappingResult{
			"1": {Text: cog.ToPtr(up), Color: cog.ToPtr("green"), Index: cog.ToPtr(int32(0))},
			"0": {Text: cog.ToPtr(down), Color: cog.ToPtr("red"), Index: cog.ToPtr(int32(1))},
		},
	}}}
}

// targetLine draws a query's series as a dashed line: the target to compare with.
func targetLine(color string) []dashboard.DynamicConfigValue {
	return []dashboard.DynamicConfigValue{
		{Id: "custom.lineStyle", Value: map[string]any{"fill": "dash", "dash": []float64{10, 10}}},
		{Id: "custom.fillOpacity", Value: 0},
		{Id: "color", Value: map[string]any{"mode": "fixed", "fixedColor": color}},
	}
}

// row starts a row of panels; rows stay expanded so the panels are visible at once.
func row(title string) *dashboard.RowBuilder {
	return dashboard.NewRowBuilder(title).Collapsed(false)
}

func statPanel(title, description, unit string) *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title(title).
		Description(description).
		Unit(unit).
		Datasource(datasource()).
		Height(4).
		Span(4).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false)).
		GraphMode(common.BigValueGraphModeNone).
		ColorMode(common.BigValueColorModeValue).
		TextMode(common.BigValueTextModeAuto).
		Orientation(common.VizOrientationAuto)
}

func timeseriesPanel(title, description, unit string) *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().
		Title(title).
		Description(description).
		Unit(unit).
		Datasource(datasource()).
		Height(8).
		Span(12).
		LineWidth(2).
		FillOpacity(10).
		// The figures are monthly steps, not a continuous measurement.
		LineInterpolation(common.LineInterpolationStepAfter).
		ShowPoints(common.VisibilityModeNever).
		SpanNulls(common.BoolOrFloat64{Bool: cog.ToPtr(false)}).
		Legend(common.NewVizLegendOptionsBuilder().
			DisplayMode(common.LegendDisplayModeList).
			Placement(common.LegendPlacementBottom).
			ShowLegend(true)).
		Tooltip(common.NewVizTooltipOptionsBuilder().
			Mode(common.TooltipDisplayModeMulti).
			Sort(common.SortOrderDescending))
}

func barGaugePanel(title, description, unit string) *bargauge.PanelBuilder {
	return bargauge.NewPanelBuilder().
		Title(title).
		Description(description).
		Unit(unit).
		Datasource(datasource()).
		Height(10).
		Span(12).
		Orientation(common.VizOrientationHorizontal).
		DisplayMode(common.BarGaugeDisplayModeGradient).
		ValueMode(common.BarGaugeValueModeColor).
		NamePlacement(common.BarGaugeNamePlacementLeft).
		ShowUnfilled(true).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false))
}

func tablePanel(title, description, unit string) *table.PanelBuilder {
	return table.NewPanelBuilder().
		Title(title).
		Description(description).
		Unit(unit).
		Datasource(datasource()).
		Height(10).
		Span(24).
		ShowHeader(true).
		CellHeight(common.TableCellHeightSm).
		// The SDK requires the footer's reducer even when the footer is hidden.
		Footer(common.NewTableFooterOptionsBuilder().Show(false).Reducer([]string{"sum"}).CountRows(false))
}

// organize is the "organize fields" transformation: it orders, renames and hides the
// columns of merged table queries. columns lists the visible fields in order with their
// new names; hidden lists fields not to show.
func organize(columns [][2]string, hidden ...string) dashboard.DataTransformerConfig {
	index := map[string]any{}
	rename := map[string]any{}
	for i, c := range columns {
		index[c[0]] = i
		rename[c[0]] = c[1]
	}
	exclude := map[string]any{}
	for _, h := range hidden {
		exclude[h] = true
	}
	return dashboard.DataTransformerConfig{
		Id: "organize",
		Options: map[string]any{
			"excludeByName": exclude,
			"indexByName":   index,
			"renameByName":  rename,
		},
	}
}

// merge joins the frames of several table queries into rows by their common labels.
func merge() dashboard.DataTransformerConfig {
	return dashboard.DataTransformerConfig{Id: "merge", Options: map[string]any{}}
}

func columnUnit(unit string) dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{Id: "unit", Value: unit}
}

func cellBackground() dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{Id: "custom.cellOptions", Value: map[string]any{"type": "color-background", "mode": "basic"}}
}

func columnThresholds(c dashboard.ThresholdsConfig) dashboard.DynamicConfigValue {
	return dashboard.DynamicConfigValue{Id: "thresholds", Value: c}
}
