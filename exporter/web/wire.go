package web

import (
	"strconv"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
)

// The JSON API's wire types: every key the API sends is spelled out here,
// in snake_case. The in-memory types they are filled from carry no JSON
// tags, so a change to them cannot change the API by accident; the golden
// files under testdata/ hold what goes out.

// SourceJSON is one source in GET /api/v1/sources, and the reply to
// POST /api/v1/sources/{name}/ingest. Its counts are the self-metrics'
// (one collector.SourceStatus).
type SourceJSON struct {
	Name         string     `json:"name"`
	Kind         string     `json:"kind"`
	Location     string     `json:"location"`
	BranchOffice string     `json:"branch_office"`
	Schedule     string     `json:"schedule,omitempty"`
	NextRun      *time.Time `json:"next_run,omitempty"`
	Uploads      bool       `json:"uploads"`
	Up           bool       `json:"up"`
	Restored     bool       `json:"restored,omitempty"`
	Attempted    *time.Time `json:"attempted,omitempty"`
	LastSuccess  *time.Time `json:"last_success,omitempty"`
	Duration     float64    `json:"duration_seconds"`
	Error        string     `json:"error,omitempty"`
	Files        []FileJSON `json:"files"`
	// FilesTotal and FilesNext are set when Files is one page of more
	// (limits.max_files_listed a page): how many files there are, and the
	// URL of the next page (none on the last).
	FilesTotal   int      `json:"files_total,omitempty"`
	FilesNext    string   `json:"files_next,omitempty"`
	Pending      []string `json:"pending,omitempty"`
	RowsAccepted int      `json:"rows_accepted"`
	RowsRejected int      `json:"rows_rejected"`
	// Regions counts the regions the source serves (jkn_source_regions).
	Regions int `json:"regions"`
	// Findings counts the findings by check, cross-source conflicts
	// included as duplicate_region (jkn_data_quality_findings).
	Findings map[string]int `json:"findings"`
	// Completeness is the source's reporting completeness
	// (jkn_source_expected_regions, jkn_source_reported_regions,
	// jkn_region_missing); absent while nothing is expected of it.
	Completeness *CompletenessJSON `json:"completeness,omitempty"`
}

// CompletenessJSON says how many of the regions a source is expected to
// report its newest sheet carries, and which it leaves out.
type CompletenessJSON struct {
	// Basis is "configured" (the source's expected list) or "learned"
	// (the regions its earlier sheets carried).
	Basis    string `json:"basis"`
	Expected int    `json:"expected"`
	Reported int    `json:"reported"`
	// AsOf and Sheets are the newest sheet's as-of date and files.
	AsOf    time.Time     `json:"as_of,omitzero"`
	Sheets  []string      `json:"sheets"`
	Missing []MissingJSON `json:"missing"`
}

// MissingJSON is an expected region the newest sheet leaves out, with the
// sheet that last carried it (none for a configured region never sent).
type MissingJSON struct {
	Region   RegionJSON `json:"region"`
	LastFile string     `json:"last_file,omitempty"`
	LastAsOf time.Time  `json:"last_as_of,omitzero"`
}

// FileJSON is one file of a source's last ingest.
type FileJSON struct {
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

// UploadJSON is the reply to an upload: what the workbook became, the
// report `jkn_exporter check` prints.
type UploadJSON struct {
	Source   string `json:"source"`
	File     string `json:"file"`
	Size     int64  `json:"size"`
	SHA256   string `json:"sha256"`
	Accepted bool   `json:"accepted"`
	Reason   string `json:"reason,omitempty"`
	// Lang is the language of the texts for people (the findings' text,
	// the report's error_text): id unless ?lang=en or Accept-Language asks
	// for English.
	Lang   lang.Lang  `json:"lang"`
	Report ReportJSON `json:"report"`
	// RegionsServed counts the regions the source serves after the
	// ingest the accepted upload started.
	RegionsServed int `json:"regions_served,omitempty"`
}

// ReportJSON is what became of one workbook.
type ReportJSON struct {
	Name    string    `json:"name"`
	SHA256  string    `json:"sha256"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"modtime"`
	// Table is absent when the file was rejected whole.
	Table *TableJSON `json:"table,omitempty"`
	// Error says why the file was rejected whole; Reason is its short
	// form (the reason label of jkn_source_ingest_errors_total).
	Error  string `json:"error,omitempty"`
	Reason string `json:"reason,omitempty"`
	// ErrorText is why the file was rejected whole, for a person, in the
	// reply's language.
	ErrorText string        `json:"error_text,omitempty"`
	Records   []RecordJSON  `json:"records"`
	Findings  []FindingJSON `json:"findings"`
}

// TableJSON is the table found in a workbook.
type TableJSON struct {
	Sheet      string       `json:"sheet"`
	HeaderRow  int          `json:"header_row"`
	HeaderRows int          `json:"header_rows"`
	Columns    []ColumnJSON `json:"columns"`
	// Ignored are the header cells that map to no field.
	Ignored    []ColumnJSON `json:"ignored"`
	AsOf       time.Time    `json:"as_of"`
	AsOfOrigin string       `json:"as_of_origin"`
	AsOfDetail string       `json:"as_of_detail"`
	// Skipped counts the blank, total and footnote rows.
	Skipped int `json:"skipped"`
}

// ColumnJSON is one header cell of the table and the field it maps to
// (empty for an ignored one).
type ColumnJSON struct {
	Field jkn.Field `json:"field"`
	// Part is "active" or "inactive" for a segment's Aktif or Non Aktif
	// sub-column (table.Column.Part), absent for a whole column.
	Part   jkn.Field `json:"part,omitempty"`
	Index  int       `json:"index"`
	Letter string    `json:"letter"`
	Header string    `json:"header"`
	Hidden bool      `json:"hidden"`
}

// RecordJSON is one region a row resolved to, with its figures and the
// column each came from.
type RecordJSON struct {
	Region       RegionJSON  `json:"region"`
	BranchOffice string      `json:"branch_office"`
	AsOf         time.Time   `json:"as_of"`
	Figures      jkn.Figures `json:"figures"`
	File         string      `json:"file"`
	Sheet        string      `json:"sheet"`
	Row          int         `json:"row"`
	Cells        jkn.Cells   `json:"cells"`
}

// RegionJSON is a canonical Kemendagri region.
type RegionJSON struct {
	Code         string    `json:"code"`
	Name         string    `json:"name"`
	Level        jkn.Level `json:"level"`
	ProvinceCode string    `json:"province_code"`
	Province     string    `json:"province"`
}

// FindingJSON is one finding, located to its cell.
type FindingJSON struct {
	File   string `json:"file"`
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column"`
	Check  string `json:"check"`
	Reason string `json:"reason"`
	// Text is the finding for a person, in the reply's language (UploadJSON's
	// lang); Reason stays English for programs that read it.
	Text     string `json:"text"`
	Rejected bool   `json:"rejected"`
}

// filePage is one page of a source's files: page counts from 1, size
// files a page (0: DefaultMaxFilesListed).
type filePage struct{ page, size int }

// sourceJSON is a configured source with its status in a rendering
// (none: not read yet). nextRun is when it is next read; fp the page of
// its files listed.
func sourceJSON(s *exporter.Source, nextRun time.Time, st *collector.SourceStatus, fp filePage) SourceJSON {
	j := SourceJSON{
		Name: s.Name(), Kind: s.Kind, Location: s.Location, Schedule: s.Schedule,
		BranchOffice: s.Settings.BranchOffice, Uploads: s.Upload != nil, NextRun: timePtr(nextRun),
		Files: []FileJSON{}, Findings: map[string]int{},
	}
	if st == nil {
		return j
	}
	// The branch office the figures were read under, as the metrics label it.
	j.BranchOffice = st.BranchOffice
	j.Up, j.Restored, j.Error = st.Up, st.Restored, st.Error
	j.Attempted, j.LastSuccess = timePtr(st.Attempted), timePtr(st.LastSuccess)
	j.Duration = st.Duration.Seconds()
	size, page := maxFiles(fp.size), max(fp.page, 1)
	from, to := min((page-1)*size, len(st.Files)), min(page*size, len(st.Files))
	for _, f := range st.Files[from:to] {
		j.Files = append(j.Files, fileJSON(f))
	}
	if len(st.Files) > size {
		j.FilesTotal = len(st.Files)
		if to < len(st.Files) {
			j.FilesNext = "/api/v1/sources?files_page=" + strconv.Itoa(page+1)
		}
	}
	j.Pending = st.Pending
	j.RowsAccepted, j.RowsRejected, j.Regions = st.RowsAccepted, st.RowsRejected, st.Regions
	for check, n := range st.FindingsByCheck {
		j.Findings[check] = n
	}
	if c := st.Completeness; c != nil {
		j.Completeness = &CompletenessJSON{Basis: c.Basis, Expected: c.Expected, Reported: c.Reported, AsOf: c.AsOf,
			Sheets: append([]string{}, c.Sheets...), Missing: make([]MissingJSON, 0, len(c.Missing))}
		for _, m := range c.Missing {
			j.Completeness.Missing = append(j.Completeness.Missing, MissingJSON{Region: regionJSON(m.Region), LastFile: m.LastFile, LastAsOf: m.LastAsOf})
		}
	}
	return j
}

func regionJSON(g jkn.Region) RegionJSON {
	return RegionJSON{Code: g.Code, Name: g.Name, Level: g.Level, ProvinceCode: g.ProvinceCode, Province: g.Province}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func fileJSON(f snapshot.FileSummary) FileJSON {
	return FileJSON{Name: f.Name, SHA256: f.SHA256, Size: f.Size, Sheet: f.Sheet, HeaderRow: f.HeaderRow,
		AsOf: f.AsOf, AsOfOrigin: f.AsOfOrigin, Regions: f.Regions, Reason: f.Reason, Error: f.Error, Kept: f.Kept}
}

func uploadJSON(res *exporter.UploadResult, p *lang.Printer) UploadJSON {
	return UploadJSON{Source: res.Source, File: res.File, Size: res.Size, SHA256: res.SHA256, Accepted: res.Accepted,
		Reason: res.Reason, Lang: p.Lang(), Report: reportJSON(res.Report, p), RegionsServed: res.Regions}
}

func reportJSON(rep *ingest.FileReport, p *lang.Printer) ReportJSON {
	j := ReportJSON{Name: rep.Name, SHA256: rep.SHA256, Size: rep.Size, ModTime: rep.ModTime, Error: rep.Error, Reason: rep.Reason,
		Records: make([]RecordJSON, 0, len(rep.Records)), Findings: make([]FindingJSON, 0, len(rep.Findings))}
	if t := rep.Table; t != nil {
		j.Table = &TableJSON{Sheet: t.Sheet, HeaderRow: t.HeaderRow, HeaderRows: t.HeaderRows,
			Columns: make([]ColumnJSON, 0, len(t.Columns)), Ignored: make([]ColumnJSON, 0, len(t.Ignored)),
			AsOf: t.AsOf, AsOfOrigin: string(t.AsOfOrigin), AsOfDetail: t.AsOfDetail, Skipped: t.Skipped}
		for _, c := range t.Columns {
			j.Table.Columns = append(j.Table.Columns, ColumnJSON{Field: c.Field, Part: c.Part, Index: c.Index, Letter: c.Letter, Header: c.Header, Hidden: c.Hidden})
		}
		for _, c := range t.Ignored {
			j.Table.Ignored = append(j.Table.Ignored, ColumnJSON{Field: c.Field, Index: c.Index, Letter: c.Letter, Header: c.Header, Hidden: c.Hidden})
		}
	}
	for _, r := range rep.Records {
		j.Records = append(j.Records, RecordJSON{
			Region:       regionJSON(r.Region),
			BranchOffice: r.BranchOffice, AsOf: r.AsOf, Figures: r.Figures, File: r.File, Sheet: r.Sheet, Row: r.Row, Cells: r.Cells,
		})
	}
	for _, f := range rep.Findings {
		j.Findings = append(j.Findings, FindingJSON{File: f.File, Sheet: f.Sheet, Row: f.Row, Column: f.Column, Check: f.Check, Reason: f.Reason,
			Text: p.Reason(f), Rejected: f.Rejected})
	}
	if rep.Rejected() {
		j.ErrorText = p.FileError(rep.Reason, rep.Error)
	}
	return j
}
