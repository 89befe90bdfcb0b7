package exporter

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
)

// WriteReport prints what one workbook becomes, for `jkn_exporter check`:
// the sheet and header it found, the column mapping, the as-of date and its
// origin, every resolved region with its figures and status, and every
// finding.
func WriteReport(w io.Writer, rep *ingest.FileReport, rd *collector.Renderer) {
	fmt.Fprintf(w, "%s (%d bytes, sha256 %s)\n", rep.Name, rep.Size, shortSum(rep.SHA256))
	if rep.Rejected() {
		fmt.Fprintf(w, "  REJECTED (%s): %s\n\n", rep.Reason, rep.Error)
		return
	}
	t := rep.Table
	fmt.Fprintf(w, "  sheet %q, header row %d", t.Sheet, t.HeaderRow)
	if t.HeaderRows > 1 {
		fmt.Fprintf(w, " (%d-row header from row %d)", t.HeaderRows, t.HeaderRow-t.HeaderRows+1)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "  columns:")
	for _, c := range t.Columns {
		hidden := ""
		if c.Hidden {
			hidden = " (hidden)"
		}
		fmt.Fprintf(w, "    %-3s %-22s %q%s\n", c.Letter, c.Name(), c.Header, hidden)
	}
	fmt.Fprintf(w, "  as of %s, from %s: %s\n", t.AsOf.Format(time.DateOnly), t.AsOfOrigin, t.AsOfDetail)
	if rep.Scope.Code != "" {
		fmt.Fprintf(w, "  %s names without a code looked for in %s (%s), from title cell %s%d %q\n",
			t.Level, rep.Scope.Name, rep.Scope.Code, t.ScopeColumn, t.ScopeRow, t.Scope)
	}
	fmt.Fprintf(w, "  rows: %d accepted, %d rejected, %d skipped (blank, total or footnote)\n", len(rep.Records), rep.RejectedRows(), t.Skipped)
	fmt.Fprintf(w, "  regions (%d):\n", len(rep.Records))
	for i := range rep.Records {
		r := &rep.Records[i]
		fmt.Fprintf(w, "    row %-4d %-14s %s (%s, %s)\n", r.Row, r.Region.Code, r.Region.Name, r.Region.Level, r.Region.Province)
		fmt.Fprintf(w, "             %s\n", describe(r, rd))
		if tier := describeTier(r, rd); tier != "" {
			fmt.Fprintf(w, "             %s\n", tier)
		}
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintf(w, "  findings (%d):\n", len(rep.Findings))
		for _, f := range rep.Findings {
			verdict := "finding"
			if f.Rejected {
				verdict = "rejected"
			}
			fmt.Fprintf(w, "    [%s %s] %s\n", verdict, f.Check, f)
		}
	}
	fmt.Fprintln(w)
}

// describeTier says a province's, regency's or city's UHC Award 2026 tier
// and what it lacks for the next one; "" for regions without a tier.
func describeTier(r *ingest.Record, rd *collector.Renderer) string {
	sv := rd.Serve("", r)
	if sv.Tier == "" {
		return ""
	}
	out := "award tier " + string(sv.Tier)
	if g, ok := rd.Awards.OrDefault().Next(collector.Standing(r)); ok {
		out += "; for " + g.String()
	}
	return out
}

// WriteCompleteness prints what a source's newest sheet leaves out of the
// regions it is expected to report, when it leaves out any or the source
// has a configured list.
func WriteCompleteness(w io.Writer, c *ingest.Completeness) {
	if c == nil || (c.Basis == ingest.BasisLearned && len(c.Missing) == 0) {
		return
	}
	basis := "its configured list"
	if c.Basis == ingest.BasisLearned {
		basis = "the regions its sheets carried"
	}
	sheets := "no sheet"
	if len(c.Sheets) > 0 {
		sheets = fmt.Sprintf("the newest sheet (%s, as of %s)", strings.Join(c.Sheets, ", "), c.AsOf.Format(time.DateOnly))
	}
	fmt.Fprintf(w, "completeness: %s carries %d of %d expected regions (%s)", sheets, c.Reported, c.Expected, basis)
	if len(c.Missing) > 0 {
		var names []string
		for _, m := range c.Missing {
			names = append(names, fmt.Sprintf("%s %s", m.Region.Code, m.Region.Name))
		}
		fmt.Fprintf(w, "; missing: %s", strings.Join(names, ", "))
	}
	fmt.Fprint(w, "\n\n")
}

func shortSum(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	return s
}

// describe prints a record's figures with the cell each came from.
func describe(r *ingest.Record, rd *collector.Renderer) string {
	var parts []string
	// All lists the figures in exposition order.
	for f, v := range r.Figures.All() {
		val := string(collector.AppendValue(nil, v))
		if f.IsRatio() {
			val = fmt.Sprintf("%.2f%%", v*100)
		}
		cell := fmt.Sprintf("%s%d", r.Cells.Letter(f), r.Row)
		if r.Cells.Letter(f) == "" {
			cell = fmt.Sprintf("row %d, a sum", r.Row) // of a split segment's parts, or of the segments
		}
		parts = append(parts, fmt.Sprintf("%s %s [%s]", f, val, cell))
	}
	sv := rd.Serve("", r)
	d := sv.Derived
	if d.HasCoverage {
		parts = append(parts, fmt.Sprintf("=> coverage %.2f%%", d.Coverage*100))
	}
	if d.HasActive {
		parts = append(parts, fmt.Sprintf("active %.2f%%", d.Active*100))
	}
	if d.HasUninsured {
		parts = append(parts, fmt.Sprintf("uninsured %.0f", d.Uninsured))
	}
	if sv.Status != "" {
		in := ""
		if !rd.Criteria.Fixed() {
			in = fmt.Sprintf("in force on %s, criteria %s; ", r.AsOf.Format(time.DateOnly), rd.Criteria.Name)
		}
		parts = append(parts, fmt.Sprintf("status %s under %s (%stargets %.0f%%/%.0f%%)",
			sv.Status, sv.Criteria, in, sv.Targets.Coverage*100, sv.Targets.Active*100))
	}
	parts = append(parts, "as of "+r.AsOf.Format(time.DateOnly))
	return strings.Join(parts, ", ")
}
