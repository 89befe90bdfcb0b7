// Package ingest turns the workbooks of one source into region records:
// it parses each file, resolves every row to a canonical region, checks the
// figures against each other and keeps, for each region, the newest sheet.
package ingest

import (
	"math"
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// Record is one region's figures from one sheet row.
type Record struct {
	Region       jkn.Region
	BranchOffice string
	AsOf         time.Time
	// Figures holds the counts and reported ratios read from the sheet;
	// a field that is absent was empty there and has no series. (Fixed
	// arrays, not maps: a national village snapshot has 84,000 records;
	// the state file and the API write them as a map.)
	Figures jkn.Figures
	// Where the figures came from, so every number traces to its cell:
	// the column letters are in Cells.
	File  string
	Sheet string
	Row   int
	Cells jkn.Cells
}

// Origin is where the record's figures come from, for the precedence
// rule; modTime is its file's modification time (zero: not known). The
// source is not the record's to know: Origin leaves it empty.
func (r *Record) Origin(modTime time.Time) jkn.Origin {
	return jkn.Origin{AsOf: r.AsOf, ModTime: modTime, File: r.File}
}

// Figure returns a figure and whether the sheet had it.
func (r *Record) Figure(f jkn.Field) (float64, bool) {
	return r.Figures.Get(f)
}

// Derived are the values computed from the counts; the sheet's own
// percentages are never used for them.
type Derived struct {
	Coverage, Active, ParticipantActive float64
	HasCoverage, HasActive              bool
	HasParticipantActive                bool
	Uninsured                           float64
	HasUninsured                        bool
}

// Derive computes the ratios from the counts. Coverage above 100% is kept
// as it is (people registered in a region can outnumber its Dukcapil
// population); uninsured is then 0.
func (r *Record) Derive() Derived {
	var d Derived
	pop, hasPop := r.Figure(jkn.FieldPopulation)
	part, hasPart := r.Figure(jkn.FieldParticipants)
	act, hasAct := r.Figure(jkn.FieldActive)
	if hasPop && pop > 0 {
		if hasPart {
			d.Coverage, d.HasCoverage = part/pop, true
			d.Uninsured, d.HasUninsured = math.Max(0, pop-part), true
		}
		if hasAct {
			d.Active, d.HasActive = act/pop, true
		}
	}
	if hasPart && hasAct && part > 0 {
		d.ParticipantActive, d.HasParticipantActive = act/part, true
	}
	return d
}

// finding is a finding about the cell of field f in r's row, its reason
// written as m says it.
func (r *Record) finding(check string, f jkn.Field, m jkn.Message) jkn.Finding {
	return jkn.Finding{File: r.File, Sheet: r.Sheet, Row: r.Row, Column: r.Cells.Letter(f),
		Check: check, Reason: m.String(), Message: m}
}
