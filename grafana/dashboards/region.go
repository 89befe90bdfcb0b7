package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// ofRegion picks a metric's series of the selected region.
func ofRegion(metric string) string {
	return metric + `{region_code="$region_code"}`
}

func region() (dashboard.Dashboard, error) {
	return newDashboard(uidRegion, "JKN / Region detail",
		"One region's JKN figures over time: residents, participants, ratios against its targets, "+
			"segments, and the data-quality findings of the sheets it comes from.").
		Time("now-2y", "now").
		Refresh("30m").
		// As-of dates are midnight UTC: shown in UTC they are the dates of the sheets.
		Timezone("utc").
		WithVariable(queryVariable("region_code", "Region code (Kemendagri)",
			`label_values(jkn_population, region_code)`)).
		// The region series do not say which source they come from: the findings panel
		// filters by this variable instead.
		WithVariable(multiVariable("source", "Source of its sheets", `label_values(jkn_source_up, source)`)).
		WithRow(row("Region")).
		WithPanel(regionNameStat()).
		WithPanel(regionCoverageStat()).
		WithPanel(regionActiveStat()).
		WithPanel(regionStatusStat()).
		WithPanel(regionAsOfStat()).
		WithRow(row("Criteria and award")).
		WithPanel(regionCriteriaStat()).
		WithPanel(regionTierStat()).
		WithPanel(regionPemdaStat()).
		WithRow(row("History")).
		WithPanel(regionCounts()).
		WithPanel(regionRatios()).
		WithRow(row("Segments")).
		WithPanel(regionSegments()).
		WithPanel(regionSegmentsLatest()).
		WithRow(row("Figures and their quality")).
		WithPanel(regionAsOfOverTime()).
		WithPanel(sourceFindingsTable()).
		Build()
}

func regionNameStat() *stat.PanelBuilder {
	return statPanel("Region", "The region's canonical name and level, its province and the BPJS branch "+
		"office that sends its figures.", unitNone).
		WithTarget(instantQuery("A", `max by (region, level, province, branch_office) (`+ofRegion("jkn_population")+`)`,
			"{{region}} ({{level}}), {{province}}; KC {{branch_office}}")).
		Span(8).
		TextMode(common.BigValueTextModeName).
		ColorMode(common.BigValueColorModeNone)
}

func regionCoverageStat() *stat.PanelBuilder {
	return statPanel("Coverage", "Registered JKN participants per resident, and the region's coverage target. "+
		"Colours: 98% (UHC 2025), 95% (until 2024); the status decides.", unitRatio).
		WithTarget(instantQuery("A", ofRegion("jkn_coverage_ratio"), "Coverage")).
		WithTarget(instantQuery("B", ofRegion("jkn_target_coverage_ratio"), "Target")).
		TextMode(common.BigValueTextModeValueAndName).
		Decimals(2).
		Thresholds(thresholds(coverageColours()))
}

func regionActiveStat() *stat.PanelBuilder {
	return statPanel("Active ratio", "Active participants (premiums paid) per resident, the UHC basis, and "+
		"the region's active target. Empty when the region's sheets have no active column.", unitRatio).
		WithTarget(instantQuery("A", ofRegion("jkn_active_ratio"), "Active")).
		WithTarget(instantQuery("B", ofRegion("jkn_target_active_ratio"), "Target")).
		TextMode(common.BigValueTextModeValueAndName).
		Decimals(2).
		Thresholds(thresholds(colours("red", step{0.75, "orange"}, step{0.80, "green"})))
}

func regionStatusStat() *stat.PanelBuilder {
	return statPanel("UHC status", "The region's status under the criteria set the exporter applies "+
		"(jkn_uhc_status): whether coverage and active ratio meet the region's targets.", unitNone).
		WithTarget(tableQuery("A", `max by (status) (`+ofRegion("jkn_uhc_status")+` == 1)`)).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false).Fields("/^status$/")).
		Mappings(statusMappings()).
		ColorMode(common.BigValueColorModeBackground)
}

func regionAsOfStat() *stat.PanelBuilder {
	return statPanel("Figures as of", "The as-of date of the region's figures, from its newest sheet.", unitDate).
		WithTarget(instantQuery("A", `max(`+ofRegion("jkn_data_as_of_timestamp_seconds")+`) * 1000`, "As of")).
		ColorMode(common.BigValueColorModeNone)
}

func regionCounts() *timeseries.PanelBuilder {
	return timeseriesPanel("Residents and participants", "Population (Dukcapil), registered participants, "+
		"active participants and uninsured residents, as each sheet gave them. A new population "+
		"figure each semester can move coverage while participants do not change.", unitPeople).
		WithTarget(rangeQuery("A", ofRegion("jkn_population"), "Population")).
		WithTarget(rangeQuery("B", ofRegion("jkn_participants"), "Participants")).
		WithTarget(rangeQuery("C", ofRegion("jkn_active_participants"), "Active")).
		WithTarget(rangeQuery("D", ofRegion("jkn_uninsured"), "Uninsured"))
}

func regionRatios() *timeseries.PanelBuilder {
	return timeseriesPanel("Ratios against targets", "Coverage (participants per resident), active ratio "+
		"(active per resident, the UHC basis) and active per participant, with the region's coverage "+
		"and active targets (dashed).", unitRatio).
		WithTarget(rangeQuery("A", ofRegion("jkn_coverage_ratio"), "Coverage")).
		WithTarget(rangeQuery("B", ofRegion("jkn_active_ratio"), "Active per resident")).
		WithTarget(rangeQuery("C", ofRegion("jkn_participant_active_ratio"), "Active per participant")).
		WithTarget(rangeQuery("D", ofRegion("jkn_target_coverage_ratio"), "Coverage target")).
		WithTarget(rangeQuery("E", ofRegion("jkn_target_active_ratio"), "Active target")).
		Decimals(2).
		OverrideByQuery("D", targetLine("red")).
		OverrideByQuery("E", targetLine("orange"))
}

func regionSegments() *timeseries.PanelBuilder {
	return timeseriesPanel("Participants by segment", "Registered participants, stacked per segment: "+
		"pbi_apbn (premiums paid by the central government), pbpu_pemda (registered and paid by the "+
		"local government), ppu, ppu_pn, ppu_bu (wage earners), pbpu (self-paying, the main inactive "+
		"group), bp (non-workers).", unitPeople).
		WithTarget(rangeQuery("A", `sum by (segment) (`+ofRegion("jkn_segment_participants")+`)`, "{{segment}}")).
		FillOpacity(40).
		Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNormal))
}

func regionSegmentsLatest() *bargauge.PanelBuilder {
	return barGaugePanel("Segments, newest sheet", "Registered participants per segment in the newest sheet, "+
		"largest first.", unitPeople).
		Height(8).
		WithTarget(instantQuery("A", `sort_desc(sum by (segment) (`+ofRegion("jkn_segment_participants")+`))`, "{{segment}}")).
		ColorScheme(fixedColour("blue"))
}

func regionAsOfOverTime() *timeseries.PanelBuilder {
	return timeseriesPanel("As-of date of the figures", "The as-of date of the figures served at each "+
		"moment: a step up is a new sheet arriving.", unitDate).
		WithTarget(rangeQuery("A", ofRegion("jkn_data_as_of_timestamp_seconds")+` * 1000`, "As of")).
		FillOpacity(0)
}

func sourceFindingsTable() *table.PanelBuilder {
	return tablePanel("Data-quality findings of the source", "Current data-quality findings per check of "+
		"the sources selected above (pick the one that sends this region's sheets): rows the exporter "+
		"rejected or figures it doubts, such as a reported percentage that disagrees with the counts.", unitNone).
		Span(12).
		Height(8).
		WithTarget(tableQuery("A", `sum by (source, check) (jkn_data_quality_findings{source=~"$source"})`)).
		WithTransformation(organize([][2]string{
			{"source", "Source"},
			{"check", "Check"},
			{"Value", "Findings"},
		}, "Time")).
		SortBy([]cog.Builder[common.TableSortByFieldState]{
			common.NewTableSortByFieldStateBuilder().DisplayName("Findings").Desc(true),
		})
}
