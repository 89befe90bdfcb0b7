package ingest

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

// Settings are what a source says about its sheets.
type Settings struct {
	BranchOffice string
	// Province resolves bare names; empty when the sheets carry codes or a
	// province column.
	Province string
	// MaxFileBytes rejects larger files before they are opened; 0: no limit.
	MaxFileBytes int64
	// Parser is how the files are parsed: their limits.
	Parser table.Options
	// Expected lists the regions the source must report; empty: the
	// regions its earlier sheets carried (see Completeness).
	Expected Expected
	// Checks bound the data-quality checks against earlier sheets and the
	// reference data; the zero value: the defaults.
	Checks Thresholds
}

// FileReport is what became of one file: what `check` prints and the
// upload API returns (as web.ReportJSON).
type FileReport struct {
	Name    string
	SHA256  string
	Size    int64
	ModTime time.Time
	// Table is nil when the file was rejected whole. In Ingest's result
	// its Rows are released: the Records carry what they said.
	Table *table.Table
	// Error says why the file was rejected whole; Reason is its short form.
	Error  string
	Reason string
	// Scope is the regency or city a title row names (table.Table.Scope)
	// that the sheet's district or village names were looked for in; its
	// Code is empty when none did.
	Scope jkn.Region
	// Records are the regions this file's rows resolved to.
	Records  []Record
	Findings []jkn.Finding
	// RejectedRegions maps the code of each region whose row was resolved
	// and then rejected to that row: the region keeps the figures it was
	// served before (snapshot.Build), never loses them to a bad cell.
	RejectedRegions map[string]int
	// Reuse says whether this report was made now or is an earlier
	// ingest's, the file being unchanged (Cache).
	Reuse Reuse
}

// Rejected reports whether the whole file was rejected.
func (f *FileReport) Rejected() bool { return f.Reason != "" }

// RejectedRows counts the rows of the file that were left out: a row with
// two bad cells has two findings and counts once.
func (f *FileReport) RejectedRows() int {
	rows := map[string]bool{}
	for _, fd := range f.Findings {
		if fd.Rejected {
			rows[fmt.Sprintf("%s\x00%d", fd.Sheet, fd.Row)] = true
		}
	}
	return len(rows)
}

// Result is one ingest of one source.
type Result struct {
	Files []FileReport
	// Records holds one record per region: the newest as-of date wins.
	Records []Record
	// Findings holds every finding of every file, plus the conflicts
	// between files.
	Findings     []jkn.Finding
	RowsAccepted int
	RowsRejected int
	// Priors and Completeness are set by Follow: each region's figures in
	// the sheet before the one served, and whether the newest sheet
	// carries every expected region.
	Priors       []Prior
	Completeness *Completeness
}

// RejectedFiles counts the files rejected whole, by reason.
func (r *Result) RejectedFiles() map[string]int {
	m := map[string]int{}
	for _, f := range r.Files {
		if f.Rejected() {
			m[f.Reason]++
		}
	}
	return m
}

// FindingCounts counts the findings by check.
func (r *Result) FindingCounts() map[string]int {
	m := map[string]int{}
	for _, f := range r.Findings {
		m[f.Check]++
	}
	return m
}

// Ingest reads every file of a source. It never fails as a whole: a bad
// file is reported in its FileReport and leaves the other files' records.
func Ingest(files []sources.File, s Settings, ref *region.Reference) *Result {
	var none *Cache // reads and parses every file
	return none.Ingest(files, s, ref)
}

// File reads one workbook into its report.
func File(f sources.File, s Settings, ref *region.Reference) FileReport {
	return file(f, s, ref, true)
}

// file reads one workbook into its report; with keepRows false, the
// table's rows are not kept (ParseRows).
func file(f sources.File, s Settings, ref *region.Reference, keepRows bool) FileReport {
	// Read here, one file at a time: its bytes are let go with f.
	f = f.Loaded()
	rep := FileReport{Name: f.Name, SHA256: f.SHA256, Size: f.Size, ModTime: f.ModTime}
	if f.RejectReason != "" {
		rep.Reason = f.RejectReason
		rep.Error = (&jkn.FileError{File: f.Name, Reason: f.RejectReason, Err: f.Err}).Error()
		return rep
	}
	if s.MaxFileBytes > 0 && f.Size > s.MaxFileBytes {
		rep.Reason = jkn.ReasonTooLarge
		rep.Error = fmt.Sprintf("%s: rejected (%s): %d bytes is over the limit of %d bytes", f.Name, jkn.ReasonTooLarge, f.Size, s.MaxFileBytes)
		return rep
	}
	var (
		rows *rowReader
		t    *table.Table
		err  error
	)
	begin := func(t *table.Table, hint int) { rows = newRowReader(f, s, ref, t, hint) }
	if keepRows {
		if t, err = table.Parse(f.Name, f.ModTime, f.Data, s.Parser); err == nil {
			begin(t, len(t.Rows))
			for _, row := range t.Rows {
				rows.add(row)
			}
		}
	} else {
		t, err = table.ParseRows(f.Name, f.ModTime, f.Data, s.Parser, begin, func(row table.Row) { rows.add(row) })
	}
	if err != nil {
		var fe *jkn.FileError
		if errors.As(err, &fe) {
			rep.Reason = fe.Reason
		} else {
			rep.Reason = "corrupt"
		}
		rep.Error = err.Error()
		return rep
	}
	rep.Table = t
	rep.Findings = append(rep.Findings, t.Findings...)
	if rows != nil {
		rows.finish()
		rep.Findings = append(rep.Findings, rows.findings...)
		rep.Records = rows.records
		rep.RejectedRegions = rows.rejected
		rep.Scope = rows.scope
		for i := range rep.Records {
			if rep.Records[i].AsOf.IsZero() {
				rep.Records[i].AsOf = t.AsOf // the sheet's, known once it is read
			}
		}
	}
	// In sheet order, as a reader goes through the sheet.
	sort.SliceStable(rep.Findings, func(i, j int) bool { return rep.Findings[i].Row < rep.Findings[j].Row })
	return rep
}

// rowReader turns the rows of a table into records, one at a time.
type rowReader struct {
	f       sources.File
	s       Settings
	ref     *region.Reference
	t       *table.Table
	cells   map[jkn.Field]string
	columns jkn.Cells      // every figure column of the sheet
	seen    map[string]int // region code -> sheet row
	at      map[string]int // region code -> index in records
	// twice holds the regions on more than one row of the sheet with
	// other figures: none of their rows is served.
	twice    map[string][]int
	rejected map[string]int // region code -> a rejected row that resolved to it
	records  []Record
	findings []jkn.Finding
	// level is the sheet's region level (table.Table.Level); scope the
	// regency or city its title names, for district and village sheets
	// (empty Code otherwise).
	level jkn.Level
	scope jkn.Region
	// sum lists the totals (participants, active) the sheet has no
	// column for, added up from its segments; summed marks those a row
	// got so (the finish finding).
	sum    []jkn.Field
	summed map[jkn.Field]bool
	// movedFrom maps a province that lost regencies to new provinces to
	// the first row that used such a regency's old code or placement: the
	// sheet is from before the split (finish).
	movedFrom map[string]movedRow
}

// movedRow is a row that placed a regency in the province it left.
type movedRow struct {
	row   int
	remap region.Remap
}

func newRowReader(f sources.File, s Settings, ref *region.Reference, t *table.Table, hint int) *rowReader {
	r := &rowReader{f: f, s: s, ref: ref, t: t, cells: map[jkn.Field]string{},
		seen: make(map[string]int, hint), at: make(map[string]int, hint), records: make([]Record, 0, hint)}
	for _, c := range t.Columns {
		f := c.Field
		switch c.Part {
		case jkn.FieldActive:
			f = c.Field.SegmentActive()
		case jkn.FieldInactive:
			continue // no figure of its own: a part of the segment's sum
		}
		if _, ok := r.cells[f]; ok {
			continue
		}
		// A split segment's own figure is the sum of two cells, which no
		// one column holds: its Aktif column is its active part's.
		r.cells[f] = c.Letter
		r.columns.Set(f, c.Index)
	}
	for _, f := range []jkn.Field{jkn.FieldParticipants, jkn.FieldActive} {
		if _, ok := t.Column(f); !ok {
			r.sum = append(r.sum, f)
		}
	}
	r.level = t.Level
	if _, hasRegency := t.Column(jkn.FieldRegency); t.Scope != "" && !hasRegency && (t.Level == jkn.LevelDistrict || t.Level == jkn.LevelVillage) {
		reg, err := ref.Resolve(region.Query{Name: t.Scope, Province: s.Province})
		if err == nil && (reg.Level == jkn.LevelRegency || reg.Level == jkn.LevelCity) {
			r.scope = reg
		} else {
			r.findings = append(r.findings, scopeFinding(f.Name, t, reg, err))
		}
	}
	return r
}

// checkTitleScope is the finding of a title that names a region the
// district or village names could be looked for in, but no regency or
// city: they are not.
const checkTitleScope = "title_scope_unresolved"

// scopeFinding says why the region a title names does not scope the rows.
func scopeFinding(file string, t *table.Table, reg jkn.Region, err error) jkn.Finding {
	why := jkn.Msgf("%s (%s), not a regency or city", reg.Name, reg.Code)
	if err != nil {
		why = jkn.Msgf("%v", err)
	}
	msg := jkn.Msgf("the title names %q, but the %s names without a code are not looked for in it: %s", t.Scope, t.Level.Word(), why)
	return jkn.Finding{File: file, Sheet: t.Sheet, Row: t.ScopeRow, Column: t.ScopeColumn, Check: checkTitleScope,
		Reason: msg.String(), Message: msg}
}

// add resolves and checks one row; a rejected row becomes a finding.
func (r *rowReader) add(row table.Row) {
	reject := func(check, column string, m jkn.Message) {
		r.findings = append(r.findings, jkn.Finding{
			File: r.f.Name, Sheet: r.t.Sheet, Row: row.Number, Column: column,
			Check: check, Reason: m.String(), Message: m, Rejected: true,
		})
	}
	province := row.Province
	if province == "" {
		province = r.s.Province
	}
	r.addUpSegments(&row)
	regency := row.Regency
	if regency == "" && row.Code == "" && r.scope.Code != "" {
		regency = r.scope.Code // the regency the title names
	}
	res, err := r.ref.ResolveRow(region.Query{Code: row.Code, Name: row.Name, Province: province, Regency: regency, District: row.District, Level: r.level})
	if err != nil {
		reject("unresolved_region", nameColumn(r.cells), jkn.Msgf("%v", err))
		return
	}
	reg := res.Region
	// A rejected row of a resolved region: the region keeps what it had.
	rejectRegion := func(check, column string, m jkn.Message) {
		reject(check, column, m)
		r.rejectedAt(reg.Code, row.Number)
	}
	if first, dup := r.seen[reg.Code]; dup {
		// Which of two rows is right is never decided by position: with
		// other figures, neither is served (finish rejects the first).
		if i, ok := r.at[reg.Code]; ok && r.records[i].Figures == row.Figures {
			reject("duplicate_region", nameColumn(r.cells), jkn.Msgf("%s (%s) is already on row %s of this sheet, with the same figures", reg.Name, reg.Code, strconv.Itoa(first)))
			return
		}
		if r.twice == nil {
			r.twice = map[string][]int{}
		}
		if len(r.twice[reg.Code]) == 0 {
			r.twice[reg.Code] = []int{first}
		}
		r.twice[reg.Code] = append(r.twice[reg.Code], row.Number)
		rejectRegion("duplicate_region", nameColumn(r.cells), jkn.Msgf("%s (%s) is also on row %s of this sheet, with other figures: neither row is served; keep one row per region", reg.Name, reg.Code, strconv.Itoa(first)))
		return
	}
	pop, hasPop := row.Figures.Get(jkn.FieldPopulation)
	if !hasPop && !row.Figures.Has(jkn.FieldParticipants) {
		rejectRegion("no_figures", "", jkn.Msgf("%s has neither population nor participants", reg.Name))
		return
	}
	if hasPop && pop == 0 {
		rejectRegion("zero_population", r.cells[jkn.FieldPopulation], jkn.Msgf("population of %s is 0", reg.Name))
		return
	}
	if f, why, bad := implausible(&row.Figures); bad {
		rejectRegion("implausible_figure", r.cells[f], jkn.Msgf("%s: %s", reg.Name, why))
		return
	}
	r.seen[reg.Code] = row.Number
	r.at[reg.Code] = len(r.records)
	r.remapped(row.Number, reg, res.Remaps)
	// AsOf is the row's own date; a zero one becomes the sheet's at the end.
	rec := Record{
		Region: reg, BranchOffice: r.s.BranchOffice, AsOf: row.AsOf,
		File: r.f.Name, Sheet: r.t.Sheet, Row: row.Number,
		Figures: row.Figures, Cells: r.columns.Of(&row.Figures),
	}
	r.findings = append(r.findings, check(&rec)...)
	r.records = append(r.records, rec)
}

// addUpSegments sets the totals the sheet has no column for to the sums
// of the row's segments, when it carries the full breakdown (segmentSum).
func (r *rowReader) addUpSegments(row *table.Row) {
	for _, f := range r.sum {
		pick := func(s jkn.Segment) jkn.Field { return s.Field }
		if f == jkn.FieldActive {
			pick = func(s jkn.Segment) jkn.Field { return s.Active }
		}
		if sum, n := segmentSum(&row.Figures, pick); n > 0 {
			row.Figures.Set(f, sum)
			if r.summed == nil {
				r.summed = map[jkn.Field]bool{}
			}
			r.summed[f] = true
		}
	}
}

// The checks of rows written in old region codes or names.
const (
	checkCodeChanged = "region_code_changed" // an old code or placement of a renumbered region
	checkRenamed     = "region_renamed"      // an old name of a renamed region
	// checkBeforeSplit rejects the row of a province that has lost
	// regencies to new provinces since the sheet was written.
	checkBeforeSplit = "province_before_split"
)

// remapped notes each old code or name an accepted row used: the row is
// served under today's code, with a finding that says what it wrote.
func (r *rowReader) remapped(row int, reg jkn.Region, remaps []region.Remap) {
	for _, m := range remaps {
		check := checkCodeChanged
		if m.Kind == region.Renamed {
			check = checkRenamed
		}
		msg := jkn.Msgf("%s; served as %s (%s)", m.Msg(), reg.Name, reg.Code)
		r.findings = append(r.findings, jkn.Finding{
			File: r.f.Name, Sheet: r.t.Sheet, Row: row, Column: r.cells[m.Field],
			Check: check, Reason: msg.String(), Message: msg,
		})
		if from := m.OldCode[:2]; m.Kind == region.Renumbered && from != m.NewCode[:2] {
			if _, ok := r.movedFrom[from]; !ok {
				if r.movedFrom == nil {
					r.movedFrom = map[string]movedRow{}
				}
				r.movedFrom[from] = movedRow{row, m}
			}
		}
	}
}

// finish rejects, in a sheet from before a province lost regencies to new
// provinces (a row used such a regency's old code), that province's own
// row: its figures count the regencies it no longer has, and served under
// its code today they would be another area's. Then it checks the rows
// kept against the reference data: a rejected row's figures are not
// compared with today's region's.
func (r *rowReader) finish() {
	r.dropTwice()
	if len(r.summed) > 0 {
		var totals jkn.Message
		for _, f := range r.sum {
			if !r.summed[f] {
				continue
			}
			name := jkn.Msgf("participants")
			if f == jkn.FieldActive {
				name = jkn.Msgf("active participants")
			}
			if totals.Key == "" {
				totals = name
			} else {
				totals = jkn.Msgf("%s and %s", totals, name)
			}
		}
		msg := jkn.Msgf("%s are the sums of the segment columns: the sheet has no column for them", totals)
		r.findings = append(r.findings, jkn.Finding{
			File: r.f.Name, Sheet: r.t.Sheet, Row: r.t.HeaderRow, Check: jkn.CheckTotalsFromSegments,
			Reason: msg.String(), Message: msg,
		})
	}
	r.rejectBeforeSplit()
	for i := range r.records {
		r.findings = append(r.findings, checkReference(&r.records[i], r.s.Checks, r.ref)...)
	}
}

func (r *rowReader) rejectBeforeSplit() {
	if len(r.movedFrom) == 0 {
		return
	}
	keep := r.records[:0]
	for _, rec := range r.records {
		mv, ok := r.movedFrom[rec.Region.Code]
		if !ok || rec.Region.Level != jkn.LevelProvince {
			keep = append(keep, rec)
			continue
		}
		var codes, provinces, decrees []string
		moved := r.ref.MovedOut(rec.Region.Code)
		for _, ch := range moved {
			codes = append(codes, ch.NewCode[:2])
			decrees = append(decrees, ch.ChangedBy)
		}
		slices.Sort(codes)
		for _, c := range slices.Compact(codes) {
			if p, ok := r.ref.Lookup(c); ok {
				provinces = append(provinces, p.Name+" ("+p.Code+")")
			}
		}
		slices.Sort(decrees)
		decrees = slices.Compact(decrees)
		r.rejectedAt(rec.Region.Code, rec.Row)
		msg := jkn.Msgf("%s (%s) is counted as it was before %s: row %s writes %s %q (%s %s), so the sheet is older, when %s still held the %d regencies and cities now in %s; its figures are not today's %s's: send the province row from a sheet in today's codes",
			rec.Region.Name, rec.Region.Code, strings.Join(decrees, " and "), strconv.Itoa(mv.row), mv.remap.Field, mv.remap.Written,
			mv.remap.OldCode, mv.remap.OldName, rec.Region.Name, len(moved), strings.Join(provinces, ", "), rec.Region.Name)
		r.findings = append(r.findings, jkn.Finding{
			File: r.f.Name, Sheet: r.t.Sheet, Row: rec.Row, Column: nameColumn(r.cells), Check: checkBeforeSplit, Rejected: true,
			Reason: msg.String(), Message: msg,
		})
	}
	r.records = keep
}

// dropTwice rejects the first row of each region the sheet has on more
// than one row with other figures (add rejected the later ones), naming
// every row.
func (r *rowReader) dropTwice() {
	if len(r.twice) == 0 {
		return
	}
	keep := r.records[:0]
	for _, rec := range r.records {
		rows, ok := r.twice[rec.Region.Code]
		if !ok {
			keep = append(keep, rec)
			continue
		}
		others := make([]string, 0, len(rows)-1)
		for _, n := range rows[1:] {
			others = append(others, fmt.Sprint(n))
		}
		r.rejectedAt(rec.Region.Code, rec.Row)
		msg := jkn.Msgf("%s (%s) is also on row %s of this sheet, with other figures: neither row is served; keep one row per region",
			rec.Region.Name, rec.Region.Code, strings.Join(others, ", "))
		r.findings = append(r.findings, jkn.Finding{
			File: r.f.Name, Sheet: r.t.Sheet, Row: rec.Row, Column: nameColumn(r.cells), Check: "duplicate_region", Rejected: true,
			Reason: msg.String(), Message: msg,
		})
	}
	r.records = keep
}

// rejectedAt notes a rejected row of a resolved region (the first one).
func (r *rowReader) rejectedAt(code string, row int) {
	if r.rejected == nil {
		r.rejected = map[string]int{}
	}
	if old, ok := r.rejected[code]; !ok || row < old {
		r.rejected[code] = row
	}
}

func nameColumn(cells map[jkn.Field]string) string {
	if c, ok := cells[jkn.FieldName]; ok {
		return c
	}
	return cells[jkn.FieldCode]
}

// merge keeps one record per region across the files of a source, by the
// precedence rule (jkn.Origin.Compare: the newest as-of date, then the
// newer file, then the later name). Each region that more than one file
// carries is a duplicate_region finding.
//
// Records are not copied into maps: a national village sheet has 84,000 of
// them, some 300 bytes each. A single file's records are the result as
// they are (File keeps one row per region), shared when in code order.
func merge(files []FileReport, findings []jkn.Finding) ([]Record, []jkn.Finding) {
	byCode := func(a, b Record) int { return strings.Compare(a.Region.Code, b.Region.Code) }
	n, with := 0, -1
	for i, f := range files {
		if len(f.Records) > 0 {
			n += len(f.Records)
			if with == -1 {
				with = i
			} else {
				with = -2
			}
		}
	}
	if with >= 0 {
		recs := files[with].Records
		if !slices.IsSortedFunc(recs, byCode) {
			recs = slices.Clone(recs)
			slices.SortFunc(recs, byCode)
		}
		return recs, findings
	}
	type at struct{ file, rec int }
	best := make(map[string]at, n)
	modTime := map[string]time.Time{}
	for _, f := range files {
		modTime[f.Name] = f.ModTime
	}
	for fi, f := range files {
		for ri := range f.Records {
			r := &f.Records[ri]
			a, ok := best[r.Region.Code]
			if !ok {
				best[r.Region.Code] = at{fi, ri}
				continue
			}
			old := &files[a.file].Records[a.rec]
			win, lose := old, r
			if c, _ := r.Origin(modTime[r.File]).Compare(old.Origin(modTime[old.File])); c > 0 {
				win, lose = r, old
				best[r.Region.Code] = at{fi, ri}
			}
			msg := jkn.Msgf("%s (%s) is also in %s (as of %s), which wins over this row (as of %s)",
				r.Region.Name, r.Region.Code, win.File, jkn.Date(win.AsOf), jkn.Date(lose.AsOf))
			findings = append(findings, jkn.Finding{
				File: lose.File, Sheet: lose.Sheet, Row: lose.Row, Check: "duplicate_region",
				Reason: msg.String(), Message: msg,
			})
		}
	}
	out := make([]Record, 0, len(best))
	for _, a := range best {
		out = append(out, files[a.file].Records[a.rec])
	}
	slices.SortFunc(out, byCode)
	return out, findings
}
