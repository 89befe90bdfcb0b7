package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// ofSources picks a per-source metric's series of the selected jobs and sources.
func ofSources(metric string, matchers ...string) string {
	m := `job=~"$job", source=~"$source"`
	for _, extra := range matchers {
		m += ", " + extra
	}
	return metric + "{" + m + "}"
}

// Staleness thresholds of the newest figures, matching JKNSourceDataStale (45 days).
const (
	staleWarning = 35 * 86400
	staleAlert   = 45 * 86400
)

func health() (dashboard.Dashboard, error) {
	return newDashboard(uidHealth, "JKN / Exporter health",
		"Whether jkn_exporter ingests the branch offices' workbooks: per source, its last ingest, the "+
			"age of its figures, accepted and rejected rows, errors and data-quality findings.").
		Time("now-7d", "now").
		Refresh("1m").
		WithVariable(multiVariable("job", "Job", `label_values(jkn_exporter_build_info, job)`)).
		WithVariable(multiVariable("source", "Source", `label_values(jkn_source_up{job=~"$job"}, source)`)).
		WithRow(row("Exporter")).
		WithPanel(exporterUpStat()).
		WithPanel(exporterVersionStat()).
		WithPanel(sourcesFailingStat()).
		WithPanel(regionsServedStat()).
		WithRow(row("Sources")).
		WithPanel(sourcesTable()).
		WithPanel(figuresAge()).
		WithPanel(lastSuccessAge()).
		WithRow(row("Reporting completeness")).
		WithPanel(completenessByOffice()).
		WithPanel(missingRegionsTable()).
		WithRow(row("Ingest")).
		WithPanel(rowsAcceptedRejected()).
		WithPanel(ingestErrors()).
		WithPanel(ingestDuration()).
		WithPanel(qualityFindings()).
		Build()
}

func exporterUpStat() *stat.PanelBuilder {
	return statPanel("Exporter up", "Whether Prometheus scrapes each jkn_exporter instance (up).", unitNone).
		WithTarget(instantQuery("A", `up{job=~"$job"}`, "{{instance}}")).
		Span(6).
		Mappings(upMappings("Up", "Down")).
		ColorMode(common.BigValueColorModeBackground)
}

func exporterVersionStat() *stat.PanelBuilder {
	return statPanel("Version", "The version and revision of each jkn_exporter instance.", unitNone).
		WithTarget(instantQuery("A", `jkn_exporter_build_info{job=~"$job"}`, "{{version}} ({{revision}})")).
		Span(6).
		TextMode(common.BigValueTextModeName).
		ColorMode(common.BigValueColorModeNone)
}

func sourcesFailingStat() *stat.PanelBuilder {
	return statPanel("Sources failing", "Sources whose last ingest rejected a file (jkn_source_up is 0); "+
		"they keep serving their last good figures.", unitNone).
		WithTarget(instantQuery("A", `count(`+ofSources("jkn_source_up")+` == 0) or vector(0)`, "Failing")).
		Span(6).
		Thresholds(thresholds(colours("green", step{1, "red"})))
}

func regionsServedStat() *stat.PanelBuilder {
	return statPanel("Regions served", "Regions the selected sources serve figures for.", unitNone).
		WithTarget(instantQuery("A", `sum(`+ofSources("jkn_source_regions")+`)`, "Regions")).
		Span(6).
		ColorMode(common.BigValueColorModeNone)
}

func sourcesTable() *table.PanelBuilder {
	bySource := func(expr string) string { return "max by (source) (" + expr + ")" }
	return tablePanel("Sources", "One row per source: whether its last ingest was clean, how long ago it "+
		"last succeeded, the age of its newest figures (as-of date; orange from 35 days, red from 45, "+
		"when JKNSourceDataStale fires), regions served, rows accepted and rejected at the last ingest, "+
		"ingest duration, data-quality findings, and reporting: the share of its expected regions its "+
		"newest sheet carries.", unitNone).
		Height(8).
		WithTarget(tableQuery("A", bySource(ofSources("jkn_source_up")))).
		WithTarget(tableQuery("B", bySource("time() - "+ofSources("jkn_source_last_success_timestamp_seconds")))).
		WithTarget(tableQuery("C", bySource("time() - "+ofSources("jkn_source_data_as_of_timestamp_seconds")))).
		WithTarget(tableQuery("D", bySource(ofSources("jkn_source_regions")))).
		WithTarget(tableQuery("E", bySource(ofSources("jkn_source_rows", `status="accepted"`)))).
		WithTarget(tableQuery("F", bySource(ofSources("jkn_source_rows", `status="rejected"`)))).
		WithTarget(tableQuery("G", bySource(ofSources("jkn_source_ingest_duration_seconds")))).
		WithTarget(tableQuery("H", "sum by (source) ("+ofSources("jkn_data_quality_findings")+")")).
		WithTarget(tableQuery("I", bySource(ofSources("jkn_source_reported_regions")+" / "+ofSources("jkn_source_expected_regions")))).
		WithTransformation(merge()).
		WithTransformation(organize([][2]string{
			{"source", "Source"},
			{"Value #A", "Last ingest"},
			{"Value #B", "Last success"},
			{"Value #C", "Age of figures"},
			{"Value #D", "Regions"},
			{"Value #E", "Rows accepted"},
			{"Value #F", "Rows rejected"},
			{"Value #G", "Ingest duration"},
			{"Value #H", "Findings"},
			{"Value #I", "Reporting"},
		}, "Time")).
		SortBy([]cog.Builder[common.TableSortByFieldState]{
			common.NewTableSortByFieldStateBuilder().DisplayName("Last ingest").Desc(false),
		}).
		OverrideByName("Last ingest", []dashboard.DynamicConfigValue{cellBackground(), {Id: "mappings", Value: upMappings("Clean", "Rejected a file")}}).
		OverrideByName("Last success", []dashboard.DynamicConfigValue{columnUnit(unitDuration)}).
		OverrideByName("Age of figures", []dashboard.DynamicConfigValue{
			columnUnit(unitDuration), cellBackground(),
			columnThresholds(colours("green", step{staleWarning, "orange"}, step{staleAlert, "red"})),
		}).
		OverrideByName("Rows rejected", []dashboard.DynamicConfigValue{cellBackground(), columnThresholds(colours("green", step{1, "red"}))}).
		OverrideByName("Ingest duration", []dashboard.DynamicConfigValue{columnUnit(unitSeconds)}).
		OverrideByName("Reporting", []dashboard.DynamicConfigValue{
			columnUnit(unitRatio), cellBackground(), columnThresholds(colours("red", step{0.9, "orange"}, step{1, "green"})),
		})
}

func figuresAge() *timeseries.PanelBuilder {
	return timeseriesPanel("Age of the newest figures", "Time since the as-of date of each source's newest "+
		"figures. It grows by a day a day and drops when a newer sheet is ingested; JKNSourceDataStale "+
		"fires above 45 days (dashed line).", unitSeconds).
		WithTarget(rangeQuery("A", `time() - `+ofSources("jkn_source_data_as_of_timestamp_seconds"), "{{source}}")).
		LineInterpolation(common.LineInterpolationLinear).
		Thresholds(thresholds(colours("green", step{staleAlert, "red"}))).
		ThresholdsStyle(common.NewGraphThresholdsStyleConfigBuilder().Mode(common.GraphThresholdsStyleModeDashed))
}

func lastSuccessAge() *timeseries.PanelBuilder {
	return timeseriesPanel("Time since the last successful ingest", "Time since each source's last ingest "+
		"that rejected no file. It drops at every clean ingest, so a rising line is a source that "+
		"keeps failing (JKNSourceIngestFailing).", unitSeconds).
		WithTarget(rangeQuery("A", `time() - `+ofSources("jkn_source_last_success_timestamp_seconds"), "{{source}}")).
		LineInterpolation(common.LineInterpolationLinear)
}

func rowsAcceptedRejected() *timeseries.PanelBuilder {
	return timeseriesPanel("Rows accepted and rejected", "Rows of each source's last ingest that became "+
		"figures (accepted) or were rejected with a finding.", unitCount).
		WithTarget(rangeQuery("A", ofSources("jkn_source_rows"), "{{source}} {{status}}"))
}

func ingestErrors() *timeseries.PanelBuilder {
	return timeseriesPanel("Ingest errors by reason", "Files or sources that failed to ingest, per source "+
		"and reason, in each interval.", unitCount).
		WithTarget(rangeQuery("A", `sum by (source, reason) (increase(`+ofSources("jkn_source_ingest_errors_total")+
			`[$__rate_interval]))`, "{{source}}: {{reason}}")).
		DrawStyle(common.GraphDrawStyleBars).
		FillOpacity(60)
}

func ingestDuration() *timeseries.PanelBuilder {
	return timeseriesPanel("Ingest duration", "How long each source's last ingest took.", unitSeconds).
		WithTarget(rangeQuery("A", ofSources("jkn_source_ingest_duration_seconds"), "{{source}}"))
}

func qualityFindings() *timeseries.PanelBuilder {
	return timeseriesPanel("Data-quality findings", "Current data-quality findings per source and check, "+
		"such as reported percentages that disagree with the counts or segments that do not add up.", unitCount).
		WithTarget(rangeQuery("A", `sum by (source, check) (`+ofSources("jkn_data_quality_findings")+`)`, "{{source}}: {{check}}"))
}
