package exporter

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
)

// WriteReport prints what one workbook becomes, for `jkn_exporter check`:
// the sheet and header it found, the column mapping, the as-of date and its
// origin, every resolved region with its figures and status, and every
// finding. p writes the report's words and every finding in its language;
// in English the report is what it was before it was translated, byte for
// byte (the golden .check files).
func WriteReport(w io.Writer, rep *ingest.FileReport, rd *collector.Renderer, p *lang.Printer) {
	fmt.Fprintf(w, "%s (%s, sha256 %s)\n", rep.Name, p.Report("%s bytes", strconv.FormatInt(rep.Size, 10)), shortSum(rep.SHA256))
	if rep.Rejected() {
		fmt.Fprintf(w, "  %s\n\n", p.Report("REJECTED (%s): %s", rep.Reason, p.FileError(rep.Reason, rep.Error)))
		return
	}
	t := rep.Table
	fmt.Fprintf(w, "  %s", p.Report("sheet %q, header row %s", t.Sheet, strconv.Itoa(t.HeaderRow)))
	if t.HeaderRows > 1 {
		fmt.Fprintf(w, " %s", p.Report("(%s-row header from row %s)", strconv.Itoa(t.HeaderRows), strconv.Itoa(t.HeaderRow-t.HeaderRows+1)))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %s\n", p.Report("columns:"))
	for _, c := range t.Columns {
		hidden := ""
		if c.Hidden {
			hidden = " " + p.Report("(hidden)")
		}
		fmt.Fprintf(w, "    %-3s %-22s %q%s\n", c.Letter, c.Name(), c.Header, hidden)
	}
	fmt.Fprintf(w, "  %s\n", p.Report("as of %s, from %s: %s", jkn.Date(t.AsOf), t.AsOfOrigin, t.AsOfDetail))
	if rep.Scope.Code != "" {
		fmt.Fprintf(w, "  %s\n", p.Report("%s names without a code looked for in %s (%s), from title cell %s %q",
			t.Level.Word(), rep.Scope.Name, rep.Scope.Code, t.ScopeColumn+strconv.Itoa(t.ScopeRow), t.Scope))
	}
	fmt.Fprintf(w, "  %s\n", p.Report("rows: %s accepted, %s rejected, %s skipped (blank, total or footnote)", strconv.Itoa(len(rep.Records)), strconv.Itoa(rep.RejectedRows()), strconv.Itoa(t.Skipped)))
	fmt.Fprintf(w, "  %s\n", p.Report("regions (%s):", strconv.Itoa(len(rep.Records))))
	for i := range rep.Records {
		r := &rep.Records[i]
		fmt.Fprintf(w, "    %-8s %-14s %s (%s, %s)\n", p.Report("row %s", strconv.Itoa(r.Row)), r.Region.Code, r.Region.Name, r.Region.Level, r.Region.Province)
		fmt.Fprintf(w, "             %s\n", describe(r, rd, p))
		if tier := describeTier(r, rd, p); tier != "" {
			fmt.Fprintf(w, "             %s\n", tier)
		}
	}
	if len(rep.Findings) > 0 {
		fmt.Fprintf(w, "  %s\n", p.Report("findings (%s):", strconv.Itoa(len(rep.Findings))))
		for _, f := range rep.Findings {
			verdict := p.Report("finding")
			if f.Rejected {
				verdict = p.Report("rejected")
			}
			fmt.Fprintf(w, "    [%s %s] %s\n", verdict, f.Check, p.Finding(f))
		}
	}
	fmt.Fprintln(w)
}

// describeTier says a province's, regency's or city's UHC Award 2026 tier
// and what it lacks for the next one; "" for regions without a tier.
func describeTier(r *ingest.Record, rd *collector.Renderer, p *lang.Printer) string {
	sv := rd.Serve("", r)
	if sv.Tier == "" {
		return ""
	}
	out := p.Report("award tier %s", string(sv.Tier))
	if g, ok := rd.Awards.OrDefault().Next(collector.Standing(r)); ok {
		out += p.Report("; for %s", g.Message())
	}
	return out
}

// WriteCompleteness prints what a source's newest sheet leaves out of the
// regions it is expected to report, when it leaves out any or the source
// has a configured list.
func WriteCompleteness(w io.Writer, c *ingest.Completeness, p *lang.Printer) {
	if c == nil || (c.Basis == ingest.BasisLearned && len(c.Missing) == 0) {
		return
	}
	basis := jkn.Msgf("its configured list")
	if c.Basis == ingest.BasisLearned {
		basis = jkn.Msgf("the regions its sheets carried")
	}
	sheets := jkn.Msgf("no sheet")
	if len(c.Sheets) > 0 {
		sheets = jkn.Msgf("the newest sheet (%s, as of %s)", strings.Join(c.Sheets, ", "), jkn.Date(c.AsOf))
	}
	fmt.Fprint(w, p.Report("completeness: %s carries %d of %d expected regions (%s)", sheets, c.Reported, c.Expected, basis))
	if len(c.Missing) > 0 {
		var names []string
		for _, m := range c.Missing {
			names = append(names, m.Region.Code+" "+m.Region.Name)
		}
		fmt.Fprint(w, p.Report("; missing: %s", strings.Join(names, ", ")))
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
func describe(r *ingest.Record, rd *collector.Renderer, p *lang.Printer) string {
	var parts []string
	// All lists the figures in exposition order.
	for f, v := range r.Figures.All() {
		val := string(collector.AppendValue(nil, v))
		if f.IsRatio() {
			val = fmt.Sprintf("%.2f%%", v*100)
		}
		cell := fmt.Sprintf("%s%d", r.Cells.Letter(f), r.Row)
		if r.Cells.Letter(f) == "" {
			cell = p.Report("row %s, a sum", strconv.Itoa(r.Row)) // of a split segment's parts, or of the segments
		}
		parts = append(parts, fmt.Sprintf("%s %s [%s]", f, val, cell))
	}
	sv := rd.Serve("", r)
	d := sv.Derived
	if d.HasCoverage {
		parts = append(parts, p.Report("=> coverage %s", jkn.Percent(d.Coverage)))
	}
	if d.HasActive {
		parts = append(parts, p.Report("active %s", jkn.Percent(d.Active)))
	}
	if d.HasUninsured {
		parts = append(parts, p.Report("uninsured %s", strconv.FormatFloat(d.Uninsured, 'f', 0, 64)))
	}
	if sv.Status != "" {
		cov := strconv.FormatFloat(sv.Targets.Coverage*100, 'f', 0, 64) + "%"
		act := strconv.FormatFloat(sv.Targets.Active*100, 'f', 0, 64) + "%"
		if rd.Criteria.Fixed() {
			parts = append(parts, p.Report("status %s under %s (targets %s/%s)", sv.Status, sv.Criteria, cov, act))
		} else {
			parts = append(parts, p.Report("status %s under %s (in force on %s, criteria %s; targets %s/%s)",
				sv.Status, sv.Criteria, jkn.Date(r.AsOf), rd.Criteria.Name, cov, act))
		}
	}
	parts = append(parts, p.Report("as of %s", jkn.Date(r.AsOf)))
	return strings.Join(parts, ", ")
}
