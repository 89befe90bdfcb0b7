package ingest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// Expected is a source's configured list of the regions its sheets must
// carry (the config's `expected:` key): Codes, and every region of Level
// within the regions of Within ("16" with level regency: every regency
// and city of Sumatera Selatan). A source without one expects the regions
// its earlier sheets carried.
type Expected struct {
	Codes  []string  `yaml:"codes"`
	Within []string  `yaml:"within"`
	Level  jkn.Level `yaml:"level"`
}

// IsSet reports whether the source has a configured list.
func (e Expected) IsSet() bool { return len(e.Codes) > 0 || len(e.Within) > 0 }

// depth orders the levels from the province (1) to the village (4).
func depth(l jkn.Level) int {
	switch l {
	case jkn.LevelProvince:
		return 1
	case jkn.LevelRegency, jkn.LevelCity:
		return 2
	case jkn.LevelDistrict:
		return 3
	case jkn.LevelVillage:
		return 4
	}
	return 0
}

// Regions resolves the list to regions, sorted by code, each once.
func (e Expected) Regions(ref *region.Reference) ([]jkn.Region, error) {
	seen := map[string]bool{}
	var out []jkn.Region
	add := func(r jkn.Region) {
		if !seen[r.Code] {
			seen[r.Code] = true
			out = append(out, r)
		}
	}
	for _, c := range e.Codes {
		r, ok := ref.Lookup(c)
		if !ok {
			return nil, fmt.Errorf("expected code %q is no Kemendagri region", c)
		}
		add(r)
	}
	want := depth(e.Level)
	for _, c := range e.Within {
		r, ok := ref.Lookup(c)
		if !ok {
			return nil, fmt.Errorf("expected within %q is no Kemendagri region", c)
		}
		if depth(r.Level) >= want {
			return nil, fmt.Errorf("expected within %q (%s, a %s): level %s is not below it", c, r.Name, r.Level, e.Level)
		}
		level := []jkn.Region{r}
		for d := depth(r.Level); d < want; d++ {
			var next []jkn.Region
			for _, p := range level {
				next = append(next, ref.Children(p.Code)...)
			}
			level = next
		}
		for _, r := range level {
			add(r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out, nil
}

// Completeness says whether the source's newest sheet carries every region
// the source is expected to report, as DHIS2 reports completeness: the
// expected regions come from the source's configured list (Basis
// "configured") or, failing one, from the regions its sheets have carried
// so far (Basis "learned", kept in the persisted snapshot). The newest
// sheet is every sheet whose as-of date is in the newest month among the
// source's sheets.
type Completeness struct {
	Basis string
	// Expected counts the expected regions, Reported those of them the
	// newest sheet carries.
	Expected int
	Reported int
	// AsOf is the newest sheet's as-of date, Sheets its files (zero and
	// none when the source has no sheet with a region in it).
	AsOf   time.Time
	Sheets []string
	// Missing are the expected regions the newest sheet leaves out, by code.
	Missing []Missing
}

// The bases of a source's expected regions.
const (
	BasisConfigured = "configured"
	BasisLearned    = "learned"
)

// Missing is an expected region the newest sheet leaves out.
type Missing struct {
	Region jkn.Region
	// LastFile and LastAsOf are the sheet that last carried the region,
	// empty and zero when none did (a configured region).
	LastFile string
	LastAsOf time.Time
}

// sheet is a file of the ingest with the regions it carries: an accepted
// file with its records and the regions of its rejected rows, or a
// rejected file whose last good records are kept (snapshot.Build keeps
// them).
type sheet struct {
	name, sheet string
	asOf        time.Time
	codes       []string
}

// complete works out the source's completeness and adds a region_missing
// finding per expected region the newest sheet leaves out. nil: the
// source expects nothing yet (no configured list, no region ever).
func complete(res *Result, before Before, s Settings, ref *region.Reference) *Completeness {
	var sheets []sheet
	for i := range res.Files {
		f := &res.Files[i]
		sh := sheet{name: f.Name}
		if !f.Rejected() && f.Table != nil && len(f.Records)+len(f.RejectedRegions) > 0 {
			sh.asOf, sh.sheet = f.Table.AsOf, f.Table.Sheet
			for _, r := range f.Records {
				sh.codes = append(sh.codes, r.Region.Code)
			}
			// A region whose row was rejected is in the sheet all the
			// same: the office reported it, and the rejection is a
			// finding of its own (its last good figures stay served).
			for code := range f.RejectedRegions {
				sh.codes = append(sh.codes, code)
			}
		} else if f.Rejected() {
			for _, r := range before.Records {
				if r.File == f.Name {
					sh.codes = append(sh.codes, r.Region.Code)
					sh.sheet = r.Sheet
					if r.AsOf.After(sh.asOf) {
						sh.asOf = r.AsOf
					}
				}
			}
		}
		if len(sh.codes) > 0 {
			sheets = append(sheets, sh)
		}
	}
	// The newest sheet: the files of the newest month, newest first.
	sort.SliceStable(sheets, func(i, j int) bool {
		if !sheets[i].asOf.Equal(sheets[j].asOf) {
			return sheets[i].asOf.After(sheets[j].asOf)
		}
		return sheets[i].name > sheets[j].name
	})
	c := &Completeness{Basis: BasisLearned}
	// present: the codes the newest sheet carries, sorted (a national
	// village sheet has 84,000: a slice, not a map).
	var present []string
	if len(sheets) > 0 {
		y, m, _ := sheets[0].asOf.Date()
		c.AsOf = sheets[0].asOf
		for _, sh := range sheets {
			if sy, sm, _ := sh.asOf.Date(); sy != y || sm != m {
				break
			}
			c.Sheets = append(c.Sheets, sh.name)
			present = append(present, sh.codes...)
		}
		sort.Strings(c.Sheets)
		slices.Sort(present)
		present = slices.Compact(present)
	}

	// Where each region was last carried: the records served before, this
	// ingest's (files of earlier months among them), or, for a region
	// missing before, the previous completeness.
	var beforeMissing []Missing
	if before.Completeness != nil {
		beforeMissing = sortedByCode(before.Completeness.Missing, func(m *Missing) string { return m.Region.Code })
	}
	prev := sortedByCode(before.Records, func(r *Record) string { return r.Region.Code })
	cur := sortedByCode(res.Records, func(r *Record) string { return r.Region.Code })

	var expected []Missing // each expected region and where it was last carried
	if s.Expected.IsSet() {
		c.Basis = BasisConfigured
		regs, err := s.Expected.Regions(ref)
		if err != nil {
			// Checked when the config is applied; should a code have gone
			// since, the source's sheets are still read.
			m := jkn.Msgf("expected: %v", err)
			res.Findings = append(res.Findings, jkn.Finding{File: "(config)", Check: "expected_unresolved", Reason: m.String(), Message: m})
		}
		for _, reg := range regs {
			m := Missing{Region: reg}
			last := func(file string, asOf time.Time) {
				if asOf.After(m.LastAsOf) {
					m.LastFile, m.LastAsOf = file, asOf
				}
			}
			if r, ok := findCode(prev, reg.Code, func(r *Record) string { return r.Region.Code }); ok {
				last(r.File, r.AsOf)
			}
			if r, ok := findCode(cur, reg.Code, func(r *Record) string { return r.Region.Code }); ok {
				last(r.File, r.AsOf)
			}
			if bm, ok := findCode(beforeMissing, reg.Code, func(m *Missing) string { return m.Region.Code }); ok {
				last(bm.LastFile, bm.LastAsOf)
			}
			expected = append(expected, m)
		}
	} else {
		// Learned: every region the source has carried. Regions missing
		// before stay expected until a sheet carries them again; those
		// of a configured list do not carry over when the list goes.
		if before.Completeness == nil || before.Completeness.Basis != BasisLearned {
			beforeMissing = nil
		}
		expected = carried(prev, cur, beforeMissing)
	}
	if len(expected) == 0 && len(sheets) == 0 {
		return nil
	}
	c.Expected = len(expected)
	var newest *sheet
	if len(sheets) > 0 {
		newest = &sheets[0]
	}
	var findings []jkn.Finding
	for _, m := range expected {
		reg := m.Region
		if _, ok := slices.BinarySearch(present, reg.Code); ok {
			c.Reported++
			continue
		}
		c.Missing = append(c.Missing, m)
		if newest == nil {
			continue
		}
		why := jkn.Msgf("the source is configured to report it (expected)")
		if c.Basis == BasisLearned {
			why = jkn.Msgf("the source's earlier sheets carried it (last %s, as of %s)", m.LastFile, jkn.Date(m.LastAsOf))
		}
		in := jkn.Msgf("this sheet")
		if len(c.Sheets) > 1 {
			in = jkn.Msgf("the source's sheets of %s (%s)", c.AsOf.Format("January 2006"), strings.Join(c.Sheets, ", "))
		}
		msg := jkn.Msgf("%s (%s) is not in %s, as of %s, but %s", reg.Name, reg.Code, in, jkn.Date(c.AsOf), why)
		findings = append(findings, jkn.Finding{File: newest.name, Sheet: newest.sheet, Check: "region_missing", Reason: msg.String(), Message: msg})
	}
	res.addFindings(findings)
	return c
}

// carried merges the regions of three lists in code order into one entry
// per region, with the file and as-of date that last carried it.
func carried(prev, cur []Record, missing []Missing) []Missing {
	out := make([]Missing, 0, max(len(prev), len(cur))+len(missing))
	i, j, k := 0, 0, 0
	for i < len(prev) || j < len(cur) || k < len(missing) {
		code := ""
		for _, c := range []struct {
			ok   bool
			code string
		}{{i < len(prev), codeAt(prev, i)}, {j < len(cur), codeAt(cur, j)}, {k < len(missing), missingCodeAt(missing, k)}} {
			if c.ok && (code == "" || c.code < code) {
				code = c.code
			}
		}
		var m Missing
		take := func(reg jkn.Region, file string, asOf time.Time) {
			if m.Region.Code == "" || asOf.After(m.LastAsOf) {
				m = Missing{Region: reg, LastFile: file, LastAsOf: asOf}
			}
		}
		for ; i < len(prev) && prev[i].Region.Code == code; i++ {
			take(prev[i].Region, prev[i].File, prev[i].AsOf)
		}
		for ; j < len(cur) && cur[j].Region.Code == code; j++ {
			take(cur[j].Region, cur[j].File, cur[j].AsOf)
		}
		for ; k < len(missing) && missing[k].Region.Code == code; k++ {
			take(missing[k].Region, missing[k].LastFile, missing[k].LastAsOf)
		}
		out = append(out, m)
	}
	return out
}

func codeAt(rs []Record, i int) string {
	if i < len(rs) {
		return rs[i].Region.Code
	}
	return ""
}

func missingCodeAt(ms []Missing, i int) string {
	if i < len(ms) {
		return ms[i].Region.Code
	}
	return ""
}

// findCode finds the element of a code-sorted slice with a code.
func findCode[T any](s []T, code string, codeOf func(*T) string) (*T, bool) {
	i := sort.Search(len(s), func(i int) bool { return codeOf(&s[i]) >= code })
	if i == len(s) || codeOf(&s[i]) != code {
		return nil, false
	}
	return &s[i], true
}
