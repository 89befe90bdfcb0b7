// Package backfill turns every workbook a source has ever received into
// history: for each region and as-of date the figures the exporter would
// have exposed, as OpenMetrics with timestamps at the as-of dates, for
// `promtool tsdb create-blocks-from openmetrics`.
//
// The series come from the collector's own rendering (Renderer.RenderTo
// into a collector.History), so the history has exactly the families,
// HELP texts, labels and values of the live exposition.
package backfill

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// RejectedFile is a workbook left out whole.
type RejectedFile struct {
	Source string
	File   string
	// Reason is the `reason` label of a rejected file (unsupported_format, encrypted,
	// empty, no_table, corrupt, too_large) or ReasonSettling.
	Reason string
	Error  string
}

// ReasonSettling leaves out a file that was still changing.
const ReasonSettling = "settling"

// RejectedRow is a sheet row left out, with the finding that rejected it.
type RejectedRow struct {
	Source  string
	Finding jkn.Finding
}

// Superseded is a region's row that lost to another with the same as-of
// date: a corrected sheet sent again, or a second source carrying it.
type Superseded struct {
	Region jkn.Region
	AsOf   time.Time
	// Winner and Loser are "source/file".
	Winner, Loser string
	Why           string
}

// Report says what a backfill read, kept and left out.
type Report struct {
	Sources       int
	Files         int
	RejectedFiles []RejectedFile
	RejectedRows  []RejectedRow
	// Findings counts, by check, the findings that did not reject their
	// row (data-quality notes such as reported_coverage_mismatch).
	Findings   map[string]int
	Superseded []Superseded
	// Regions counts the distinct regions written; Dates are the distinct
	// as-of dates, ascending.
	Regions         int
	Dates           []time.Time
	Series, Samples int
}

// Months counts the distinct calendar months of the as-of dates.
func (r *Report) Months() int {
	m := map[string]bool{}
	for _, d := range r.Dates {
		m[d.Format("2006-01")] = true
	}
	return len(m)
}

// History holds, per as-of date and source, one record per region.
type History struct {
	byDate map[time.Time]map[string][]ingest.Record
	branch map[string]string // source name -> branch office
	report Report
}

// key is a region at an as-of date.
type key struct {
	code string
	asOf time.Time
}

// Read reads every workbook of every source, each file on its own (not
// the newest-wins view the exporter serves). When two files of a source
// carry a region for the same as-of date, the precedence rule picks one,
// as in the exporter (jkn.Origin.Compare: the newer file, then the later
// name). A source that cannot be listed is an error: a
// history silently missing a branch office is worse than none.
func Read(ctx context.Context, srcs []*exporter.Source, ref *region.Reference) (*History, error) {
	h := &History{byDate: map[time.Time]map[string][]ingest.Record{}, branch: map[string]string{}, report: Report{Sources: len(srcs), Findings: map[string]int{}}}
	rep := &h.report
	for _, s := range srcs {
		files, err := s.Fetch(ctx)
		if err != nil {
			return nil, fmt.Errorf("source %q: %w", s.Name(), err)
		}
		rep.Files += len(files)
		h.branch[s.Name()] = s.Settings.BranchOffice
		// A directory source leaves out files modified within its settle
		// time: they may still be being copied in.
		if p, ok := s.Source.(sources.Pender); ok {
			for _, name := range p.Pending() {
				rep.Files++
				rep.RejectedFiles = append(rep.RejectedFiles, RejectedFile{Source: s.Name(), File: name, Reason: ReasonSettling,
					Error: "modified within the source's settle_time, so it may still be being copied in: run backfill again once it is complete"})
			}
		}
		best := map[key]ingest.Record{}
		modTime := map[string]time.Time{}
		for i := range files {
			f := files[i]
			files[i].Data = nil // the records are all that is kept
			fr := ingest.File(f, s.Settings, ref)
			if fr.Rejected() {
				rep.RejectedFiles = append(rep.RejectedFiles, RejectedFile{Source: s.Name(), File: f.Name, Reason: fr.Reason, Error: fr.Error})
				continue
			}
			for _, fd := range fr.Findings {
				if fd.Rejected {
					rep.RejectedRows = append(rep.RejectedRows, RejectedRow{Source: s.Name(), Finding: fd})
				} else {
					rep.Findings[fd.Check]++
				}
			}
			modTime[f.Name] = f.ModTime
			for _, r := range fr.Records {
				if r.AsOf.IsZero() {
					// Only a file without modification time can get here.
					msg := jkn.Msgf("%s has no as-of date: it cannot be placed in time", r.Region.Name)
					rep.RejectedRows = append(rep.RejectedRows, RejectedRow{Source: s.Name(), Finding: jkn.Finding{
						File: r.File, Sheet: r.Sheet, Row: r.Row, Check: "no_as_of_date", Rejected: true,
						Reason: msg.String(), Message: msg,
					}})
					continue
				}
				k := key{r.Region.Code, r.AsOf}
				old, dup := best[k]
				if !dup {
					best[k] = r
					continue
				}
				win, lose := old, r
				c, basis := r.Origin(modTime[r.File]).Compare(old.Origin(modTime[old.File]))
				if c > 0 {
					win, lose = r, old
				}
				best[k] = win
				why := "newer file"
				if basis != jkn.ByModTime {
					why = "same modification time; the later name wins"
				}
				rep.Superseded = append(rep.Superseded, Superseded{Region: r.Region, AsOf: r.AsOf,
					Winner: s.Name() + "/" + win.File, Loser: s.Name() + "/" + lose.File, Why: why})
			}
		}
		for k, r := range best {
			if h.byDate[k.asOf] == nil {
				h.byDate[k.asOf] = map[string][]ingest.Record{}
			}
			h.byDate[k.asOf][s.Name()] = append(h.byDate[k.asOf][s.Name()], r)
		}
	}
	for d := range h.byDate {
		rep.Dates = append(rep.Dates, d)
	}
	sort.Slice(rep.Dates, func(i, j int) bool { return rep.Dates[i].Before(rep.Dates[j]) })
	sort.Slice(rep.Superseded, func(i, j int) bool {
		a, b := rep.Superseded[i], rep.Superseded[j]
		if !a.AsOf.Equal(b.AsOf) {
			return a.AsOf.Before(b.AsOf)
		}
		return a.Region.Code < b.Region.Code
	})
	return h, nil
}

// Report returns what Read found; after WriteOpenMetrics it also counts
// the regions, series and samples written.
func (h *History) Report() *Report { return &h.report }

// Label is a label added to every series of the history, such as the job
// and instance labels Prometheus adds when it scrapes the exporter: with
// them, the history and the scraped samples are the same series.
type Label struct{ Name, Value string }

// regionLabels are the labels the exporter's series carry already.
var regionLabels = []string{"region_code", "region", "level", "province", "branch_office", "segment", "status", "criteria", "tier", "source"}

// ParseLabel reads NAME=VALUE.
func ParseLabel(s string) (Label, error) {
	name, value, ok := strings.Cut(s, "=")
	switch {
	case !ok:
		return Label{}, fmt.Errorf("label %q: want NAME=VALUE, e.g. job=jkn", s)
	case !labelNameRE.MatchString(name) || strings.HasPrefix(name, "__"):
		return Label{}, fmt.Errorf("label %q: %q is not a label name (letters, digits, _; not starting with __)", s, name)
	case slices.Contains(regionLabels, name):
		return Label{}, fmt.Errorf("label %q: the exporter's series carry %s already", s, name)
	}
	return Label{Name: name, Value: value}, nil
}

var labelNameRE = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)

// labelText renders extra labels as `,name="value"...`, escaped as the
// exposition's own labels are.
func labelText(extra []Label) (string, error) {
	var b []byte
	seen := map[string]bool{}
	for _, l := range extra {
		if seen[l.Name] {
			return "", fmt.Errorf("label %s given twice", l.Name)
		}
		seen[l.Name] = true
		b = collector.AppendLabel(append(b, ','), l.Name, l.Value)
	}
	return string(b), nil
}

// WriteOpenMetrics writes the history: each family once with its # HELP
// and # TYPE, its series sorted by labels, each series' samples in time
// order with the as-of date (Unix seconds) as timestamp, then # EOF.
//
// Each as-of date is rendered as the exporter renders a view, into one
// collector.History: one snapshot per source holding that date's records,
// so a region two sources carry on the same date is resolved as the
// exporter resolves it (Renderer.Select). Targets and UHC status are
// those of the set rd's criteria policy puts in force at each date: under
// by_date a 2023 sheet gets 2023's verdicts.
func (h *History) WriteOpenMetrics(w io.Writer, rd *collector.Renderer, extra []Label) error {
	rep := &h.report
	extraText, err := labelText(extra)
	if err != nil {
		return err
	}
	om := collector.NewHistory(extraText)
	regions := map[string]bool{}
	for _, d := range rep.Dates {
		bySource := h.byDate[d]
		names := make([]string, 0, len(bySource))
		for name := range bySource {
			names = append(names, name)
		}
		sort.Strings(names)
		var view snapshot.View
		for _, name := range names {
			recs := bySource[name]
			sort.Slice(recs, func(i, j int) bool { return recs[i].Region.Code < recs[j].Region.Code })
			view = append(view, &snapshot.Snapshot{Source: name, BranchOffice: h.branch[name], Records: recs})
		}
		om.At(d)
		out := rd.RenderTo(om, view)
		served := map[string]string{}
		for _, s := range out.Regions {
			served[s.Region.Code] = s.Source
			regions[s.Region.Code] = true
		}
		for _, name := range names {
			for _, r := range bySource[name] {
				if win := served[r.Region.Code]; win != name {
					rep.Superseded = append(rep.Superseded, Superseded{Region: r.Region, AsOf: d,
						Winner: win + "/" + fileOf(out.Regions, r.Region.Code), Loser: name + "/" + r.File,
						Why: "two sources, same as-of date: the source that sorts first wins, as in the exporter"})
				}
			}
		}
	}
	rep.Regions = len(regions)
	rep.Series, rep.Samples, err = om.Encode(w)
	return err
}

func fileOf(served []collector.Served, code string) string {
	for _, s := range served {
		if s.Region.Code == code {
			return s.File
		}
	}
	return ""
}

// WriteText prints the report for the operator: every file and row left
// out and why, the rows that lost to another, then a summary.
func (r *Report) WriteText(w io.Writer) {
	for _, f := range r.RejectedFiles {
		// The ingest's message repeats the file and reason the line starts with.
		msg := strings.TrimPrefix(f.Error, fmt.Sprintf("%s: rejected (%s): ", f.File, f.Reason))
		fmt.Fprintf(w, "skipped file (%s) %s/%s: %s\n", f.Reason, f.Source, f.File, msg)
	}
	for _, row := range r.RejectedRows {
		fmt.Fprintf(w, "skipped row (%s) %s/%s\n", row.Finding.Check, row.Source, row.Finding)
	}
	for _, s := range r.Superseded {
		fmt.Fprintf(w, "superseded %s %s as of %s: %s wins over %s (%s)\n",
			s.Region.Code, s.Region.Name, s.AsOf.Format(time.DateOnly), s.Winner, s.Loser, s.Why)
	}
	if len(r.Findings) > 0 {
		checks := make([]string, 0, len(r.Findings))
		for c := range r.Findings {
			checks = append(checks, c)
		}
		sort.Strings(checks)
		fmt.Fprint(w, "data-quality findings (rows kept; run `jkn_exporter check` for details):")
		for _, c := range checks {
			fmt.Fprintf(w, " %s=%d", c, r.Findings[c])
		}
		fmt.Fprintln(w)
	}
	span := "no as-of date"
	if n := len(r.Dates); n > 0 {
		span = fmt.Sprintf("%s to %s", r.Dates[0].Format(time.DateOnly), r.Dates[n-1].Format(time.DateOnly))
	}
	fmt.Fprintf(w, "summary: %d sources, %d files (%d rejected), %d rows rejected, %d regions, %d as-of dates in %d months (%s), %d series, %d samples\n",
		r.Sources, r.Files, len(r.RejectedFiles), len(r.RejectedRows), r.Regions, len(r.Dates), r.Months(), span, r.Series, r.Samples)
}
