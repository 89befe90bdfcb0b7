package dashboards

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
)

// The panels of the rules offices apply (issue 16): the UHC Award 2026 tiers, the criteria
// set that judged a region, and each source's reporting completeness.

// awardTiers are jkn_uhc_award_tier's states as the dashboards name and colour them.
var awardTiers = []state{
	{"utama", "Utama", "dark-green"},
	{"madya", "Madya", "green"},
	{"pratama", "Pratama", "light-green"},
	{"none", "No tier", "red"},
	{"unknown", "Unknown (no PBPU Pemda or active figure)", "blue"},
}

// tierMappings name and colour the tiers.
func tierMappings() []dashboard.ValueMapping { return stateMappings(awardTiers, byState) }

const tiersNote = " The tiers as the January 2026 award reports give them, with the thresholds of the " +
	"exporter's config (docs/domain.md): Utama >= 99% registered, >= 95% active and >= 18% of residents on " +
	"PBPU Pemda (waived at 100% active); Madya >= 98% and >= 85% active, or >= 98% with >= 25% on PBPU Pemda " +
	"and >= 80% active; Pratama >= 98% and >= 80%. UHC Prioritas status and paid-up Pemda premiums, which " +
	"the award also needs, are not in the sheets."

// regionsPerTier counts the selection's regencies and cities per tier, one query per tier so
// that the bars keep the tiers' order and a tier without regions shows 0.
func regionsPerTier() *bargauge.PanelBuilder {
	p := barGaugePanel("Regions per UHC Award 2026 tier", "Regencies and cities of the selection per award "+
		"tier (jkn_uhc_award_tier), from their newest sheets."+tiersNote, unitNone).
		Span(12).
		Height(8).
		DisplayMode(common.BarGaugeDisplayModeBasic).
		ColorScheme(fixedColour("green"))
	for i, t := range awardTiers {
		ref := string(rune('A' + i))
		p = p.WithTarget(instantQuery(ref, `count(`+inSelection("jkn_uhc_award_tier", `tier="`+t.state+`"`)+` == 1) or vector(0)`, t.text)).
			OverrideByQuery(ref, []dashboard.DynamicConfigValue{{Id: "color", Value: map[string]any{"mode": "fixed", "fixedColor": t.colour}}})
	}
	return p
}

func regionTiersTable() *table.PanelBuilder {
	return tablePanel("Award tier of each region", "Each regency and city of the selection with its UHC "+
		"Award 2026 tier and the criteria set its UHC status was judged under (the set in force at its "+
		"as-of date when the exporter runs with criteria by_date). The exporter's status page says what "+
		"each region lacks for the next tier."+tiersNote, unitNone).
		Span(12).
		Height(8).
		WithTarget(tableQuery("A", "max by ("+regionLabels+", tier) ("+inSelection("jkn_uhc_award_tier")+" == 1)")).
		WithTarget(tableQuery("B", "max by ("+regionLabels+", criteria) ("+inSelection("jkn_uhc_criteria_info")+")")).
		WithTransformation(merge()).
		WithTransformation(organize([][2]string{
			{"region_code", "Code"},
			{"region", "Region"},
			{"tier", "Tier"},
			{"criteria", "Criteria"},
			{"branch_office", "Branch office"},
			{"province", "Province"},
		}, "Time", "Value #A", "Value #B")).
		SortBy([]cog.Builder[common.TableSortByFieldState]{
			common.NewTableSortByFieldStateBuilder().DisplayName("Code").Desc(false),
		}).
		OverrideByName("Tier", []dashboard.DynamicConfigValue{cellBackground(), {Id: "mappings", Value: tierMappings()}})
}

func regionTierStat() *stat.PanelBuilder {
	return statPanel("UHC Award 2026 tier", "The region's award tier (jkn_uhc_award_tier) from its newest "+
		"sheet; provinces, regencies and cities only (districts and villages receive no award)."+tiersNote, unitNone).
		Span(8).
		WithTarget(tableQuery("A", `max by (tier) (`+ofRegion("jkn_uhc_award_tier")+` == 1)`)).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false).Fields("/^tier$/")).
		Mappings(tierMappings()).
		ColorMode(common.BigValueColorModeBackground)
}

func regionCriteriaStat() *stat.PanelBuilder {
	return statPanel("Judged under", "The criteria set the region's UHC status and targets come from "+
		"(jkn_uhc_criteria_info): uhc_2023 (>= 95% / >= 75%), uhc_2025 (> 98% / > 80%) or award_2026; under "+
		"the exporter's criteria by_date, the set in force at the figures' as-of date.", unitNone).
		Span(8).
		WithTarget(instantQuery("A", `max by (criteria) (`+ofRegion("jkn_uhc_criteria_info")+`)`, "{{criteria}}")).
		TextMode(common.BigValueTextModeName).
		ColorMode(common.BigValueColorModeNone)
}

func regionPemdaStat() *stat.PanelBuilder {
	return statPanel("Registered by the local government", "Residents on PBPU Pemda (registered and paid for "+
		"by the local government; PBI APBD in some sheets) per resident: Utama needs 18%, Madya's alternative "+
		"25%. Empty when the region's sheets carry no PBPU Pemda column.", unitRatio).
		Span(8).
		WithTarget(instantQuery("A", `sum(jkn_segment_participants{region_code="$region_code", segment="pbpu_pemda"}) / sum(`+
			ofRegion("jkn_population")+`)`, "PBPU Pemda")).
		Decimals(2).
		Thresholds(thresholds(colours("orange", step{0.18, "green"})))
}

// completenessByOffice is each office's reporting rate, as DHIS2 shows it: the expected
// regions its newest sheets carry.
func completenessByOffice() *bargauge.PanelBuilder {
	return barGaugePanel("Reporting completeness by branch office", "The share of the regions each branch "+
		"office is expected to report (its sources' configured lists, or the regions their earlier sheets "+
		"carried) that its newest sheets carry, over the selected sources. Below 100%, "+
		"JKNRegionMissingFromSheet names the regions left out.", unitRatio).
		Span(12).
		Height(8).
		WithTarget(instantQuery("A", `sum by (branch_office) (`+ofSources("jkn_source_reported_regions")+`) / sum by (branch_office) (`+
			ofSources("jkn_source_expected_regions")+`)`, "{{branch_office}}")).
		Decimals(1).
		Min(0).
		Max(1).
		Thresholds(thresholds(colours("red", step{0.9, "orange"}, step{1, "green"})))
}

func missingRegionsTable() *table.PanelBuilder {
	return tablePanel("Regions missing from the newest sheet", "Each region a selected source is expected "+
		"to report that its newest sheet leaves out (jkn_region_missing): what JKNRegionMissingFromSheet "+
		"tells the office's coordinators.", unitNone).
		Span(12).
		Height(8).
		WithTarget(tableQuery("A", `max by (source, branch_office, region_code, region, province) (`+ofSources("jkn_region_missing")+` == 1)`)).
		WithTransformation(organize([][2]string{
			{"branch_office", "Branch office"},
			{"source", "Source"},
			{"region_code", "Code"},
			{"region", "Region"},
			{"province", "Province"},
		}, "Time", "Value")).
		SortBy([]cog.Builder[common.TableSortByFieldState]{
			common.NewTableSortByFieldStateBuilder().DisplayName("Code").Desc(false),
		})
}
