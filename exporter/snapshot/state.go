package snapshot

import (
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// The state file's own types: a snapshot is saved and read back only
// through these, so a change to the in-memory types cannot change the file
// by accident. Every key is spelled out. They are the keys of state
// version 1 as it was first written, when the in-memory types went to
// disk as they were: the region's and the findings' keys are Go field
// names ("Code", "File"), the others snake_case. They stay so, so that a
// newer and an older exporter read each other's files (a rollback keeps
// serving its state); testdata/ holds files written before these types.

// stateSnapshot is a saved Snapshot. Pending and Restored are not saved.
type stateSnapshot struct {
	Source       string         `json:"source"`
	BranchOffice string         `json:"branch_office"`
	Attempted    time.Time      `json:"attempted"`
	LastSuccess  time.Time      `json:"last_success,omitzero"`
	Duration     time.Duration  `json:"duration"` // nanoseconds
	Up           bool           `json:"up"`
	Error        string         `json:"error,omitempty"`
	Files        []stateFile    `json:"files"`
	Records      []stateRecord  `json:"records"`
	Findings     []stateFinding `json:"findings"`
	RowsAccepted int            `json:"rows_accepted"`
	RowsRejected int            `json:"rows_rejected"`
	// Added after version 1 was first written, omitted when empty: an
	// older exporter reading the file passes over them.
	Priors       []statePrior       `json:"priors,omitempty"`
	Completeness *stateCompleteness `json:"completeness,omitempty"`
}

// stateFile is a saved FileSummary.
type stateFile struct {
	Name       string    `json:"name"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	Sheet      string    `json:"sheet,omitempty"`
	HeaderRow  int       `json:"header_row,omitempty"`
	AsOf       time.Time `json:"as_of,omitzero"`
	AsOfOrigin string    `json:"as_of_origin,omitempty"`
	Regions    int       `json:"regions"`
	Reason     string    `json:"reason,omitempty"`
	Error      string    `json:"error,omitempty"`
	Kept       bool      `json:"kept,omitempty"`
}

// stateRecord is a saved ingest.Record. Figures and Cells are written as
// objects by field name (their MarshalJSON).
type stateRecord struct {
	Region       stateRegion `json:"region"`
	BranchOffice string      `json:"branch_office"`
	AsOf         time.Time   `json:"as_of"`
	Figures      jkn.Figures `json:"figures"`
	File         string      `json:"file"`
	Sheet        string      `json:"sheet"`
	Row          int         `json:"row"`
	Cells        jkn.Cells   `json:"cells"`
}

// stateRegion is a saved jkn.Region (version 1's keys).
type stateRegion struct {
	Code         string    `json:"Code"`
	Name         string    `json:"Name"`
	Level        jkn.Level `json:"Level"`
	ProvinceCode string    `json:"ProvinceCode"`
	Province     string    `json:"Province"`
}

// stateFinding is a saved jkn.Finding (version 1's keys).
type stateFinding struct {
	File     string `json:"File"`
	Sheet    string `json:"Sheet"`
	Row      int    `json:"Row"`
	Column   string `json:"Column"`
	Check    string `json:"Check"`
	Reason   string `json:"Reason"`
	Rejected bool   `json:"Rejected"`
}

// statePrior is a saved ingest.Prior.
type statePrior struct {
	Code         string     `json:"code"`
	AsOf         time.Time  `json:"as_of"`
	File         string     `json:"file"`
	Sheet        string     `json:"sheet"`
	Row          int        `json:"row"`
	Population   stateCount `json:"population"`
	Participants stateCount `json:"participants"`
}

// stateCount is a saved ingest.Count.
type stateCount struct {
	Value  float64 `json:"value"`
	Column string  `json:"column,omitempty"`
}

// stateCompleteness is a saved ingest.Completeness.
type stateCompleteness struct {
	Basis    string         `json:"basis"`
	Expected int            `json:"expected"`
	Reported int            `json:"reported"`
	AsOf     time.Time      `json:"as_of,omitzero"`
	Sheets   []string       `json:"sheets,omitempty"`
	Missing  []stateMissing `json:"missing,omitempty"`
}

// stateMissing is a saved ingest.Missing; its region has version 1's keys.
type stateMissing struct {
	Region   stateRegion `json:"region"`
	LastFile string      `json:"last_file,omitempty"`
	LastAsOf time.Time   `json:"last_as_of,omitzero"`
}

// each maps a slice, keeping nil nil: the file tells null from [].
func each[A, B any](in []A, f func(*A) B) []B {
	if in == nil {
		return nil
	}
	out := make([]B, len(in))
	for i := range in {
		out[i] = f(&in[i])
	}
	return out
}

// toState is s as saved, less its records, which write adds one by one.
func toState(s *Snapshot) stateSnapshot {
	return stateSnapshot{
		Source: s.Source, BranchOffice: s.BranchOffice, Attempted: s.Attempted, LastSuccess: s.LastSuccess,
		Duration: s.Duration, Up: s.Up, Error: s.Error,
		Files: each(s.Files, func(f *FileSummary) stateFile {
			return stateFile{Name: f.Name, SHA256: f.SHA256, Size: f.Size, Sheet: f.Sheet, HeaderRow: f.HeaderRow,
				AsOf: f.AsOf, AsOfOrigin: f.AsOfOrigin, Regions: f.Regions, Reason: f.Reason, Error: f.Error, Kept: f.Kept}
		}),
		Findings: each(s.Findings, func(f *jkn.Finding) stateFinding {
			return stateFinding{File: f.File, Sheet: f.Sheet, Row: f.Row, Column: f.Column, Check: f.Check, Reason: f.Reason, Rejected: f.Rejected}
		}),
		RowsAccepted: s.RowsAccepted, RowsRejected: s.RowsRejected,
		Priors: each(s.Priors, func(p *ingest.Prior) statePrior {
			return statePrior{Code: p.Code, AsOf: p.AsOf, File: p.File, Sheet: p.Sheet, Row: p.Row,
				Population:   stateCount{Value: p.Population.Value, Column: p.Population.Column},
				Participants: stateCount{Value: p.Participants.Value, Column: p.Participants.Column}}
		}),
		Completeness: toStateCompleteness(s.Completeness),
	}
}

func toStateCompleteness(c *ingest.Completeness) *stateCompleteness {
	if c == nil {
		return nil
	}
	return &stateCompleteness{Basis: c.Basis, Expected: c.Expected, Reported: c.Reported, AsOf: c.AsOf, Sheets: c.Sheets,
		Missing: each(c.Missing, func(m *ingest.Missing) stateMissing {
			g := &m.Region
			return stateMissing{Region: stateRegion{Code: g.Code, Name: g.Name, Level: g.Level, ProvinceCode: g.ProvinceCode, Province: g.Province},
				LastFile: m.LastFile, LastAsOf: m.LastAsOf}
		})}
}

func (c *stateCompleteness) completeness() *ingest.Completeness {
	if c == nil {
		return nil
	}
	return &ingest.Completeness{Basis: c.Basis, Expected: c.Expected, Reported: c.Reported, AsOf: c.AsOf, Sheets: c.Sheets,
		Missing: each(c.Missing, func(m *stateMissing) ingest.Missing {
			g := &m.Region
			return ingest.Missing{Region: jkn.Region{Code: g.Code, Name: g.Name, Level: g.Level, ProvinceCode: g.ProvinceCode, Province: g.Province},
				LastFile: m.LastFile, LastAsOf: m.LastAsOf}
		})}
}

func toStateRecord(r *ingest.Record) stateRecord {
	g := &r.Region
	return stateRecord{
		Region:       stateRegion{Code: g.Code, Name: g.Name, Level: g.Level, ProvinceCode: g.ProvinceCode, Province: g.Province},
		BranchOffice: r.BranchOffice, AsOf: r.AsOf, Figures: r.Figures, File: r.File, Sheet: r.Sheet, Row: r.Row, Cells: r.Cells,
	}
}

// record is the saved record in memory again; the strings that repeat
// from record to record go through in, when given.
func (r *stateRecord) record(in interner) ingest.Record {
	g := &r.Region
	rec := ingest.Record{
		Region:       jkn.Region{Code: g.Code, Name: g.Name, Level: g.Level, ProvinceCode: g.ProvinceCode, Province: g.Province},
		BranchOffice: r.BranchOffice, AsOf: r.AsOf, Figures: r.Figures, File: r.File, Sheet: r.Sheet, Row: r.Row, Cells: r.Cells,
	}
	if in != nil {
		rec.Region.Level = jkn.Level(in.of(string(g.Level)))
		rec.Region.ProvinceCode, rec.Region.Province = in.of(g.ProvinceCode), in.of(g.Province)
		rec.BranchOffice, rec.File, rec.Sheet = in.of(r.BranchOffice), in.of(r.File), in.of(r.Sheet)
	}
	return rec
}

// snapshot is the saved snapshot in memory again.
func (st *stateSnapshot) snapshot() *Snapshot {
	return &Snapshot{
		Source: st.Source, BranchOffice: st.BranchOffice, Attempted: st.Attempted, LastSuccess: st.LastSuccess,
		Duration: st.Duration, Up: st.Up, Error: st.Error,
		Files: each(st.Files, func(f *stateFile) FileSummary {
			return FileSummary{Name: f.Name, SHA256: f.SHA256, Size: f.Size, Sheet: f.Sheet, HeaderRow: f.HeaderRow,
				AsOf: f.AsOf, AsOfOrigin: f.AsOfOrigin, Regions: f.Regions, Reason: f.Reason, Error: f.Error, Kept: f.Kept}
		}),
		Records: each(st.Records, func(r *stateRecord) ingest.Record { return r.record(nil) }),
		Findings: each(st.Findings, func(f *stateFinding) jkn.Finding {
			return jkn.Finding{File: f.File, Sheet: f.Sheet, Row: f.Row, Column: f.Column, Check: f.Check, Reason: f.Reason, Rejected: f.Rejected}
		}),
		RowsAccepted: st.RowsAccepted, RowsRejected: st.RowsRejected,
		Priors: each(st.Priors, func(p *statePrior) ingest.Prior {
			return ingest.Prior{Code: p.Code, AsOf: p.AsOf, File: p.File, Sheet: p.Sheet, Row: p.Row,
				Population:   ingest.Count{Value: p.Population.Value, Column: p.Population.Column},
				Participants: ingest.Count{Value: p.Participants.Value, Column: p.Participants.Column}}
		}),
		Completeness: st.Completeness.completeness(),
	}
}
