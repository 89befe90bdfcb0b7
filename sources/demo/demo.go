// Package demo builds the demos jkn_exporter serves without a
// configuration file: the seed offices (published figures of five regions,
// with made-up neighbours) and the national demo (every regency and city
// with its real 2025 population and synthetic participant figures). Each
// demo office is a sources.Source whose workbooks are built in memory and
// written the way real offices write theirs, so the demo goes through the
// same parser and resolver as real sheets.
package demo

import "github.com/jkn-exporter/jkn_exporter/sources"

// The demos, by the name --demo takes.
const (
	Seed     = "seed"
	National = "national"
)

// Office is one demo branch office: its source and the settings a
// configured office has.
type Office struct {
	Source sources.Source
	// Location says where its workbooks come from, for the status page.
	Location string
	// BranchOffice labels every region of the source; Province resolves
	// names in sheets that carry neither codes nor a province column.
	BranchOffice, Province string
}
