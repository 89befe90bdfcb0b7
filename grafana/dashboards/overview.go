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

// inSelection picks a metric's regency and city rows in the selected provinces and branch
// offices: the one level the overview sums, ranks and lists.
func inSelection(metric string, matchers ...string) string {
	m := regencyLevel + `, province=~"$province", branch_office=~"$branch_office"`
	for _, extra := range matchers {
		m += ", " + extra
	}
	return metric + "{" + m + "}"
}

// inRollup picks a recording rule's regencies and cities (regency:*) in the selected
// provinces and branch offices: each counted once, from its own row or, where no sheet has
// one, from its districts or villages, so that offices sending village sheets only are summed.
func inRollup(rule string) string {
	return rule + `{province=~"$province", branch_office=~"$branch_office"}`
}

// regionLabels identify a region in the table; aggregating by them also drops __name__,
// job and instance, so that the table's queries merge into one row per region.
const regionLabels = "region_code, region, province, branch_office"

// The selection's ratios, from summed counts: an average of ratios would weigh a region of
// 20,000 residents like one of 2 million. The active ratio's denominator takes only the
// regions that report active participants.
var (
	selectionCoverage = `sum(` + inRollup("regency:jkn_participants:sum") + `) / sum(` + inRollup("regency:jkn_population:sum") + `)`
	selectionActive   = `sum(` + inRollup("regency:jkn_active_participants:sum") + `) / sum(` +
		inRollup("regency:jkn_population:sum_with_active") + `)`
	// Regions may have their own targets: show the strictest in the selection.
	selectionCoverageTarget = `max(` + inSelection("jkn_target_coverage_ratio") + `)`
	selectionActiveTarget   = `max(` + inSelection("jkn_target_active_ratio") + `)`
)

const selectionNote = " Sums over the regency and city rows of the selection only: the province rows " +
	"(and any district rows) of the sheets would count their residents twice."

// rollupNote explains the sums taken from the regency:* recording rules.
const rollupNote = " Each regency and city of the selection counted once: from its own row, or, where the " +
	"sheets have none, from its districts or villages (recording rules regency:*); province rows are not added."

func overview() (dashboard.Dashboard, error) {
	return newDashboard(uidOverview, "JKN / UHC overview",
		"JKN coverage of the regencies and cities of the selected provinces and BPJS branch offices, "+
			"from the newest sheet of each branch office.").
		Time("now-1y", "now").
		Refresh("30m").
		// As-of dates are midnight UTC: shown in UTC they are the dates of the sheets.
		Timezone("utc").
		WithVariable(multiVariable("province", "Province", `label_values(jkn_population, province)`)).
		WithVariable(multiVariable("branch_office", "Branch office",
			`label_values(jkn_population{province=~"$province"}, branch_office)`)).
		WithRow(row("Selection")).
		WithPanel(selectionCoverageStat()).
		WithPanel(selectionActiveStat()).
		// Seven stats on 24 columns: the counts narrower than the ratios.
		WithPanel(selectionPopulationStat().Span(3)).
		WithPanel(selectionUninsuredStat().Span(3)).
		WithPanel(selectionToRegisterStat()).
		WithPanel(regionsBelowTargetStat().Span(3)).
		WithPanel(oldestFiguresStat().Span(3)).
		WithRow(row("Map")).
		WithPanel(regionsMap()).
		WithRow(row("Regions, worst first")).
		WithPanel(regionsTable()).
		WithPanel(lowestCoverageBars()).
		WithPanel(mostUninsuredBars()).
		WithRow(row("UHC Award 2026")).
		WithPanel(regionsPerTier()).
		WithPanel(regionTiersTable()).
		WithRow(row("Over time")).
		WithPanel(coverageOverTime()).
		WithPanel(activeOverTime()).
		WithPanel(uninsuredByOffice()).
		WithPanel(participantsBySegment()).
		WithPanel(coverageByProvince()).
		WithPanel(activeByProvince()).
		Build()
}

func selectionCoverageStat() *stat.PanelBuilder {
	return statPanel("Coverage", "Registered JKN participants per resident, with the strictest coverage "+
		"target of the selected regions. Colours: 98% (UHC 2025), 95% (until 2024)."+rollupNote, unitRatio).
		WithTarget(instantQuery("A", selectionCoverage, "Coverage")).
		WithTarget(instantQuery("B", selectionCoverageTarget, "Target")).
		TextMode(common.BigValueTextModeValueAndName).
		Decimals(2).
		Thresholds(thresholds(coverageColours()))
}

func selectionActiveStat() *stat.PanelBuilder {
	return statPanel("Active ratio", "Active participants (premiums paid) per resident, the UHC basis, "+
		"with the strictest active target of the selected regions; over the regions whose sheets "+
		"report active participants. Colours: 80% (UHC 2025), 75% (until 2024)."+rollupNote, unitRatio).
		WithTarget(instantQuery("A", selectionActive, "Active")).
		WithTarget(instantQuery("B", selectionActiveTarget, "Target")).
		TextMode(common.BigValueTextModeValueAndName).
		Decimals(2).
		Thresholds(thresholds(colours("red", step{0.75, "orange"}, step{0.80, "green"})))
}

func selectionPopulationStat() *stat.PanelBuilder {
	return statPanel("Population", "Residents of the selection, as the sheets count them (Dukcapil)."+
		rollupNote, unitPeople).
		WithTarget(instantQuery("A", `sum(`+inRollup("regency:jkn_population:sum")+`)`, "Population")).
		ColorMode(common.BigValueColorModeNone)
}

func selectionUninsuredStat() *stat.PanelBuilder {
	return statPanel("Uninsured", "Residents not registered in JKN: each region's population minus its "+
		"participants, never below zero, summed."+rollupNote, unitPeople).
		WithTarget(instantQuery("A", `sum(`+inRollup("regency:jkn_uninsured:sum")+`)`, "Uninsured")).
		ColorMode(common.BigValueColorModeNone)
}

func selectionToRegisterStat() *stat.PanelBuilder {
	return statPanel("Residents to register", "Residents still to register for each region's coverage to "+
		"meet its target (jkn_residents_to_register: above 98% of 100,000 residents takes 98,001 "+
		"participants), summed; regions that meet it add 0. Fewer than the uninsured: the target is "+
		"below 100%."+rollupNote, unitPeople).
		WithTarget(instantQuery("A", `sum(`+inRollup("regency:jkn_residents_to_register:sum")+`)`, "To register")).
		ColorMode(common.BigValueColorModeNone)
}

func regionsBelowTargetStat() *stat.PanelBuilder {
	return statPanel("Regions below target", "Regencies and cities of the selection below their coverage "+
		"target, their active target or both, under the criteria set the exporter applies "+
		"(jkn_uhc_status). Regions without an active figure that meet the coverage target do not count.", unitNone).
		WithTarget(instantQuery("A",
			`count(`+inSelection("jkn_uhc_status", `status!~"meets_targets|unknown"`)+` == 1) or vector(0)`,
			"Below target")).
		Thresholds(thresholds(colours("green", step{1, "red"})))
}

func oldestFiguresStat() *stat.PanelBuilder {
	return statPanel("Oldest figures", "The as-of date of the oldest figures in the selection: every "+
		"region's figures are at least this recent.", unitDate).
		WithTarget(instantQuery("A", `min(`+inSelection("jkn_data_as_of_timestamp_seconds")+`) * 1000`, "As of")).
		ColorMode(common.BigValueColorModeNone)
}

func regionsTable() *table.PanelBuilder {
	byRegion := func(expr string) string { return "max by (" + regionLabels + ") (" + expr + ")" }
	regionLink := []map[string]any{{
		"title": "Region detail",
		"url":   "/d/" + uidRegion + "?var-datasource=${datasource}&var-region_code=${__value.raw}&${__url_time_range}",
	}}
	return tablePanel("Regions", "Each regency and city of the selection with its figures from the newest "+
		"sheet, sorted by coverage minus target, worst first (click a column to sort by it). The "+
		"target columns are green when the ratio reaches the region's target and red below it; the "+
		"status, from the exporter under the criteria set in force, decides (some criteria need the "+
		"ratio to exceed the target). Click a code for the region's history.", unitRatio).
		Height(12).
		Decimals(2).
		WithTarget(tableQuery("A", byRegion(inSelection("jkn_coverage_ratio")))).
		WithTarget(tableQuery("B", byRegion(inSelection("jkn_coverage_ratio")+" - "+inSelection("jkn_target_coverage_ratio")))).
		WithTarget(tableQuery("C", byRegion(inSelection("jkn_active_ratio")))).
		WithTarget(tableQuery("D", byRegion(inSelection("jkn_active_ratio")+" - "+inSelection("jkn_target_active_ratio")))).
		WithTarget(tableQuery("E", byRegion(inSelection("jkn_uninsured")))).
		WithTarget(tableQuery("F", "max by ("+regionLabels+", status) ("+inSelection("jkn_uhc_status")+" == 1)")).
		WithTarget(tableQuery("G", byRegion(inSelection("jkn_data_as_of_timestamp_seconds"))+" * 1000")).
		WithTarget(tableQuery("H", byRegion(inSelection("jkn_residents_to_register")))).
		WithTransformation(merge()).
		WithTransformation(organize([][2]string{
			{"region_code", "Code"},
			{"region", "Region"},
			{"Value #A", "Coverage"},
			{"Value #B", "Coverage - target"},
			{"Value #C", "Active ratio"},
			{"Value #D", "Active - target"},
			{"Value #E", "Uninsured"},
			{"Value #H", "To register"},
			{"status", "Status"},
			{"Value #G", "As of"},
			{"branch_office", "Branch office"},
			{"province", "Province"},
		}, "Time", "Value #F")).
		SortBy([]cog.Builder[common.TableSortByFieldState]{
			common.NewTableSortByFieldStateBuilder().DisplayName("Coverage - target").Desc(false),
		}).
		OverrideByName("Code", []dashboard.DynamicConfigValue{{Id: "links", Value: regionLink}}).
		OverrideByName("Coverage - target", []dashboard.DynamicConfigValue{cellBackground(), columnThresholds(gapColours())}).
		OverrideByName("Active - target", []dashboard.DynamicConfigValue{cellBackground(), columnThresholds(gapColours())}).
		OverrideByName("Uninsured", []dashboard.DynamicConfigValue{columnUnit(unitPeople), {Id: "decimals", Value: 0}}).
		OverrideByName("To register", []dashboard.DynamicConfigValue{columnUnit(unitPeople), {Id: "decimals", Value: 0}}).
		OverrideByName("Status", []dashboard.DynamicConfigValue{cellBackground(), {Id: "mappings", Value: statusMappings()}}).
		OverrideByName("As of", []dashboard.DynamicConfigValue{columnUnit(unitDate)})
}

func lowestCoverageBars() *bargauge.PanelBuilder {
	return barGaugePanel("Lowest coverage", "The ten regencies and cities of the selection with the lowest "+
		"coverage. Bars run from 80% to 100%; colours: 98% (UHC 2025), 95% (until 2024).", unitRatio).
		WithTarget(instantQuery("A", `sort(bottomk(10, `+inSelection("jkn_coverage_ratio")+`))`, "{{region}}")).
		Decimals(2).
		Min(0.8).
		Max(1).
		Thresholds(thresholds(coverageColours()))
}

func mostUninsuredBars() *bargauge.PanelBuilder {
	return barGaugePanel("Most uninsured", "The ten regencies and cities of the selection with the most "+
		"residents not registered in JKN: where registering people counts most.", unitPeople).
		WithTarget(instantQuery("A", `sort_desc(topk(10, `+inSelection("jkn_uninsured")+`))`, "{{region}}")).
		ColorScheme(fixedColour("orange"))
}

func coverageOverTime() *timeseries.PanelBuilder {
	return timeseriesPanel("Coverage over time", "Coverage of the selection, from summed counts, and the "+
		"strictest coverage target of its regions (dashed)."+rollupNote, unitRatio).
		WithTarget(rangeQuery("A", selectionCoverage, "Coverage")).
		WithTarget(rangeQuery("B", selectionCoverageTarget, "Target")).
		Decimals(2).
		OverrideByQuery("B", targetLine("red"))
}

func activeOverTime() *timeseries.PanelBuilder {
	return timeseriesPanel("Active ratio over time", "Active participants per resident in the selection, "+
		"over the regions that report active participants, and the strictest active target of its "+
		"regions (dashed)."+rollupNote, unitRatio).
		WithTarget(rangeQuery("A", selectionActive, "Active")).
		WithTarget(rangeQuery("B", selectionActiveTarget, "Target")).
		Decimals(2).
		OverrideByQuery("B", targetLine("red"))
}

func uninsuredByOffice() *timeseries.PanelBuilder {
	return timeseriesPanel("Uninsured by branch office", "Residents not registered in JKN, stacked per "+
		"BPJS branch office."+rollupNote, unitPeople).
		WithTarget(rangeQuery("A", `sum by (branch_office) (`+inRollup("regency:jkn_uninsured:sum")+`)`, "{{branch_office}}")).
		FillOpacity(40).
		Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNormal))
}

func participantsBySegment() *timeseries.PanelBuilder {
	return timeseriesPanel("Participants by segment", "Registered participants, stacked per segment: "+
		"pbi_apbn (premiums paid by the central government), pbpu_pemda (registered and paid by the "+
		"local government), ppu, ppu_pn, ppu_bu (wage earners), pbpu (self-paying, the main inactive "+
		"group), bp (non-workers)."+selectionNote, unitPeople).
		WithTarget(rangeQuery("A", `sum by (segment) (`+inSelection("jkn_segment_participants")+`)`, "{{segment}}")).
		FillOpacity(40).
		Stacking(common.NewStackingConfigBuilder().Mode(common.StackingModeNormal))
}

func coverageByProvince() *timeseries.PanelBuilder {
	return timeseriesPanel("Coverage by province", "Coverage per selected province from the recording rule "+
		"province:jkn_coverage_ratio:sum_ratio (summed regencies and cities of all branch offices: "+
		"the branch office selection does not apply).", unitRatio).
		WithTarget(rangeQuery("A", `province:jkn_coverage_ratio:sum_ratio{province=~"$province"}`, "{{province}}")).
		Decimals(2)
}

func activeByProvince() *timeseries.PanelBuilder {
	return timeseriesPanel("Active ratio by province", "Active ratio per selected province from the "+
		"recording rule province:jkn_active_ratio:sum_ratio, over the regencies and cities that report "+
		"active participants (the branch office selection does not apply).", unitRatio).
		WithTarget(rangeQuery("A", `province:jkn_active_ratio:sum_ratio{province=~"$province"}`, "{{province}}")).
		Decimals(2)
}
