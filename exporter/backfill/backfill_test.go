package backfill_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/backfill"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// writeBook writes a one-sheet workbook the way offices lay them out: a
// title with the as-of date, a header row, region rows.
func writeBook(t *testing.T, dir, name string, mod time.Time, title string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{title}, {}, {"No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif"}}, rows...)
	for i, r := range all {
		if err := f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, name)
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, mod, mod); err != nil {
		t.Fatal(err)
	}
}

// fixture is two branch offices' inboxes with four months of sheets, a
// corrected resend, a bad file and a bad row.
func fixture(t *testing.T) []*exporter.Source {
	t.Helper()
	root := t.TempDir()
	plg, lht := filepath.Join(root, "palembang"), filepath.Join(root, "sekayu")
	for _, d := range []string{plg, lht} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	sent := func(m time.Month, day int) time.Time { return time.Date(2025, m, day, 9, 0, 0, 0, time.UTC) }
	writeBook(t, plg, "rekap_januari.xlsx", sent(1, 3), "Posisi Data : 1 Januari 2025", [][]any{
		{1, "Kab. Banyuasin", 850000, 820000, 700000},
		{2, "Kota Palembang", 1700000, 1650000, 1400000},
	})
	writeBook(t, plg, "rekap_februari.xlsx", sent(2, 3), "Data per 1 Februari 2025", [][]any{
		{1, "Kab. Banyuasin", 850000, 821000, 701000},
		{2, "Kota Palembang", 1700000, 1651000, 1401000},
	})
	// Sent again later with Banyuasin corrected; Palembang is not in it.
	writeBook(t, plg, "rekap_februari_revisi.xlsx", sent(2, 10), "Data per 1 Februari 2025", [][]any{
		{1, "Kab. Banyuasin", 850000, 821500, 701500},
	})
	writeBook(t, plg, "rekap_maret.xlsx", sent(3, 3), "per 1 Maret 2025", [][]any{
		{1, "Kab. Banyuasin", 850000, 822000, 702000},
		{2, "Kota Palembang", 1700000, 1652000, 1402000},
		{3, "Kab. Antah Berantah", 1000, 900, 800}, // no such regency
	})
	writeBook(t, plg, "rekap_april.xlsx", sent(4, 3), "Posisi Data: 1 April 2025", [][]any{
		{1, "Kab. Banyuasin", 860000, 823000, 703000},
		{2, "Kota Palembang", 1710000, 1653000, 1403000},
	})
	if err := os.WriteFile(filepath.Join(plg, "rekap_mei.xlsx"), []byte("Laporan bulan Mei: angka menyusul\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A second office that also sends Banyuasin for April, differently;
	// kc-palembang sorts first and wins, as in the exporter.
	writeBook(t, lht, "sekayu_april.xlsx", sent(4, 5), "Posisi Data: 1 April 2025", [][]any{
		{1, "Kab. Lahat", 430000, 420000, 350000},
		{2, "Kab. Banyuasin", 860000, 999999, 703000},
	})
	// Just written: within the settle time, possibly still being copied.
	writeBook(t, lht, "sekayu_mei.xlsx", time.Now(), "Posisi Data: 1 Mei 2025", [][]any{{1, "Kab. Lahat", 430000, 421000, 351000}})
	return exporter.SourcesFromConfig(&config.Config{Sources: []config.Source{
		{Name: "kc-palembang", Path: plg, BranchOffice: "Palembang", Province: "Sumatera Selatan"},
		{Name: "kc-sekayu", Path: lht, BranchOffice: "Sekayu", Province: "Sumatera Selatan", SettleTime: time.Hour},
	}})
}

func renderer(t *testing.T) *collector.Renderer {
	t.Helper()
	crit, err := criteria.Lookup("uhc_2025")
	if err != nil {
		t.Fatal(err)
	}
	return &collector.Renderer{Criteria: crit}
}

func run(t *testing.T, srcs []*exporter.Source, ref *region.Reference, extra ...backfill.Label) (string, *backfill.Report) {
	t.Helper()
	h, err := backfill.Read(context.Background(), srcs, ref)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := h.WriteOpenMetrics(&b, renderer(t), extra); err != nil {
		t.Fatal(err)
	}
	return b.String(), h.Report()
}

var sampleRE = regexp.MustCompile(`^([a-z_]+)\{(.*)\} (\S+) (\d+)$`)

type sample struct {
	series, value string
	ts            int64
}

// parse checks the OpenMetrics structure the TSDB import relies on and
// returns the samples in file order.
func parse(t *testing.T, om string) (samples []sample, families []string) {
	t.Helper()
	if !strings.HasSuffix(om, "\n# EOF\n") {
		t.Fatalf("output does not end with # EOF:\n%s", om[max(0, len(om)-200):])
	}
	seenType := map[string]bool{}
	current := ""
	last := map[string]int64{}
	for i, line := range strings.Split(strings.TrimSuffix(om, "\n# EOF\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "# HELP "):
			name := strings.Fields(line)[2]
			if seenType[name] {
				t.Errorf("line %d: family %s described twice", i+1, name)
			}
			current = name
		case strings.HasPrefix(line, "# TYPE "):
			f := strings.Fields(line)
			if f[2] != current || f[3] != "gauge" {
				t.Errorf("line %d: %q does not follow its # HELP", i+1, line)
			}
			seenType[f[2]] = true
			families = append(families, f[2])
		default:
			m := sampleRE.FindStringSubmatch(line)
			if m == nil {
				t.Fatalf("line %d: not a timestamped sample: %q", i+1, line)
			}
			if m[1] != current || !seenType[current] {
				t.Errorf("line %d: sample of %s inside family %s", i+1, m[1], current)
			}
			ts, _ := strconv.ParseInt(m[4], 10, 64)
			series := m[1] + "{" + m[2] + "}"
			if prev, ok := last[series]; ok && ts <= prev {
				t.Errorf("line %d: %s at %d after %d: not in time order", i+1, series, ts, prev)
			}
			last[series] = ts
			samples = append(samples, sample{series, m[3], ts})
		}
	}
	return samples, families
}

// valuesOf returns a series' samples as "YYYY-MM-DD=value".
func valuesOf(samples []sample, metric, code string, extra ...string) []string {
	var out []string
	for _, s := range samples {
		if strings.HasPrefix(s.series, metric+"{") && strings.Contains(s.series, `region_code="`+code+`"`) {
			ok := true
			for _, e := range extra {
				ok = ok && strings.Contains(s.series, e)
			}
			if ok {
				out = append(out, time.Unix(s.ts, 0).UTC().Format(time.DateOnly)+"="+s.value)
			}
		}
	}
	return out
}

func TestBackfill(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	srcs := fixture(t)
	om, rep := run(t, srcs, ref)
	samples, families := parse(t, om)

	for _, c := range []struct {
		metric, code string
		extra        []string
		want         []string
	}{
		// February: the resend wins (newer file). April: kc-sekayu's Banyuasin
		// loses to kc-palembang's, as the exporter's Select decides a tie.
		{"jkn_participants", "16.07", []string{`branch_office="Palembang"`}, []string{"2025-01-01=820000", "2025-02-01=821500", "2025-03-01=822000", "2025-04-01=823000"}},
		{"jkn_participants", "16.71", []string{`branch_office="Palembang"`}, []string{"2025-01-01=1650000", "2025-02-01=1651000", "2025-03-01=1652000", "2025-04-01=1653000"}},
		{"jkn_participants", "16.04", []string{`branch_office="Sekayu"`}, []string{"2025-04-01=420000"}},
		{"jkn_uninsured", "16.07", nil, []string{"2025-01-01=30000", "2025-02-01=28500", "2025-03-01=28000", "2025-04-01=37000"}},
		{"jkn_data_as_of_timestamp_seconds", "16.07", nil, []string{"2025-01-01=1735689600", "2025-02-01=1738368000", "2025-03-01=1740787200", "2025-04-01=1743465600"}},
		{"jkn_uhc_status", "16.07", []string{`status="below_coverage_target"`}, []string{"2025-01-01=1", "2025-02-01=1", "2025-03-01=1", "2025-04-01=1"}},
	} {
		if got := valuesOf(samples, c.metric, c.code, c.extra...); !slices.Equal(got, c.want) {
			t.Errorf("%s{region_code=%q %v} = %v, want %v", c.metric, c.code, c.extra, got, c.want)
		}
	}
	if !slices.Contains(families, "jkn_coverage_ratio") || !slices.Contains(families, "jkn_target_active_ratio") {
		t.Errorf("families %v", families)
	}

	var rejected []string
	for _, f := range rep.RejectedFiles {
		rejected = append(rejected, f.Source+"/"+f.File+" "+f.Reason)
	}
	if want := []string{"kc-palembang/rekap_mei.xlsx unsupported_format", "kc-sekayu/sekayu_mei.xlsx settling"}; !slices.Equal(rejected, want) {
		t.Errorf("rejected files %q, want %q", rejected, want)
	}
	if len(rep.RejectedRows) != 1 || rep.RejectedRows[0].Finding.Check != "unresolved_region" || rep.RejectedRows[0].Finding.File != "rekap_maret.xlsx" {
		t.Errorf("rejected rows %+v, want the unknown regency of rekap_maret.xlsx", rep.RejectedRows)
	}
	var sup []string
	for _, s := range rep.Superseded {
		sup = append(sup, fmt.Sprintf("%s %s %s>%s", s.Region.Code, s.AsOf.Format(time.DateOnly), s.Winner, s.Loser))
	}
	wantSup := []string{
		"16.07 2025-02-01 kc-palembang/rekap_februari_revisi.xlsx>kc-palembang/rekap_februari.xlsx",
		"16.07 2025-04-01 kc-palembang/rekap_april.xlsx>kc-sekayu/sekayu_april.xlsx",
	}
	if !slices.Equal(sup, wantSup) {
		t.Errorf("superseded %q, want %q", sup, wantSup)
	}
	if rep.Files != 8 || rep.Regions != 3 || len(rep.Dates) != 4 || rep.Months() != 4 || rep.Samples != len(samples) {
		t.Errorf("report: %d files, %d regions, %d dates, %d months, %d samples (parsed %d)", rep.Files, rep.Regions, len(rep.Dates), rep.Months(), rep.Samples, len(samples))
	}
	var text bytes.Buffer
	rep.WriteText(&text)
	for _, want := range []string{
		"skipped file (unsupported_format) kc-palembang/rekap_mei.xlsx: a text file that is no table, in no format the exporter reads (.xlsx, .xls, .ods, CSV, an HTML table): open it in Excel or LibreOffice and save it as .xlsx",
		"skipped row (unresolved_region) kc-palembang/rekap_maret.xlsx: sheet \"Sheet1\" row 6",
		"superseded 16.07 Kabupaten Banyuasin as of 2025-02-01: kc-palembang/rekap_februari_revisi.xlsx wins over kc-palembang/rekap_februari.xlsx (newer file)",
		"skipped file (settling) kc-sekayu/sekayu_mei.xlsx: modified within the source's settle_time",
		"summary: 2 sources, 8 files (2 rejected), 1 rows rejected, 3 regions, 4 as-of dates in 4 months (2025-01-01 to 2025-04-01), ",
	} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, text.String())
		}
	}
}

// TestBackfillMatchesLiveExposition checks the promise that the history
// holds what the exporter would have exposed: every sample the exporter
// serves now (newest sheet per region) is in the history, same series,
// same value, at that region's as-of date.
func TestBackfillMatchesLiveExposition(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	srcs := fixture(t)
	om, _ := run(t, srcs, ref)
	samples, _ := parse(t, om)
	history := map[string]bool{}
	for _, s := range samples {
		history[fmt.Sprintf("%s %s %d", s.series, s.value, s.ts)] = true
	}

	var view snapshot.View
	for _, s := range srcs {
		files, err := s.Fetch(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		res := ingest.Ingest(files, s.Settings, ref)
		view = append(view, snapshot.Build(s.Name(), s.Settings.BranchOffice, res, nil, time.Now(), time.Now()))
	}
	slices.SortFunc(view, func(a, b *snapshot.Snapshot) int { return strings.Compare(a.Source, b.Source) })
	live := renderer(t).Render(view)
	asOf := map[string]int64{}
	for _, r := range live.Regions {
		asOf[r.Region.Code] = r.AsOf.Unix()
	}
	codeRE := regexp.MustCompile(`region_code="([^"]+)"`)
	n := 0
	for _, line := range strings.Split(live.Text.String(), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code := codeRE.FindStringSubmatch(line)[1]
		if !history[fmt.Sprintf("%s %d", line, asOf[code])] {
			t.Errorf("live sample %q is not in the history at %s", line, time.Unix(asOf[code], 0).UTC().Format(time.DateOnly))
		}
		n++
	}
	// 3 regions × 23 samples: 7 figures and ratios, 2 targets, 2 counts to
	// the targets, 5 states, the criteria set, 5 award tier states, the
	// as-of date.
	if n != 3*23 {
		t.Errorf("%d live samples compared, want 69", n)
	}
}

// Under by_date, a 2023 sheet backfilled gets 2023's verdicts (>= 95%
// and >= 75%), the same region's 2025 sheet 2025's (> 98% and > 80%), and
// the history says which set judged each date.
func TestBackfillByDate(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sent := time.Date(2025, 6, 3, 9, 0, 0, 0, time.UTC)
	// 97.00% registered, 78.00% active in both years: UHC under 2023's
	// criteria, short of both thresholds under 2025's.
	writeBook(t, dir, "rekap_september_2023.xlsx", sent, "Posisi Data : 1 September 2023", [][]any{{1, "Kab. Banyuasin", 800000, 776000, 624000}})
	writeBook(t, dir, "rekap_desember_2024.xlsx", sent, "Posisi Data : 31 Desember 2024", [][]any{{1, "Kab. Banyuasin", 800000, 776000, 624000}})
	writeBook(t, dir, "rekap_januari_2025.xlsx", sent, "Posisi Data : 1 Januari 2025", [][]any{{1, "Kab. Banyuasin", 800000, 776000, 624000}})
	srcs := exporter.SourcesFromConfig(&config.Config{Sources: []config.Source{
		{Name: "kc-palembang", Path: dir, BranchOffice: "Palembang", Province: "Sumatera Selatan"}}})
	h, err := backfill.Read(context.Background(), srcs, ref)
	if err != nil {
		t.Fatal(err)
	}
	byDate, err := criteria.Lookup(criteria.ByDate)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := h.WriteOpenMetrics(&b, &collector.Renderer{Criteria: byDate}, nil); err != nil {
		t.Fatal(err)
	}
	samples, _ := parse(t, b.String())
	for _, c := range []struct {
		metric, extra string
		want          []string
	}{
		{"jkn_uhc_status", `status="meets_targets"`, []string{"2023-09-01=1", "2024-12-31=1", "2025-01-01=0"}},
		{"jkn_uhc_status", `status="below_both_targets"`, []string{"2023-09-01=0", "2024-12-31=0", "2025-01-01=1"}},
		{"jkn_target_coverage_ratio", "", []string{"2023-09-01=0.95", "2024-12-31=0.95", "2025-01-01=0.98"}},
		{"jkn_target_active_ratio", "", []string{"2023-09-01=0.75", "2024-12-31=0.75", "2025-01-01=0.8"}},
		{"jkn_uhc_criteria_info", `criteria="uhc_2023"`, []string{"2023-09-01=1", "2024-12-31=1"}},
		{"jkn_uhc_criteria_info", `criteria="uhc_2025"`, []string{"2025-01-01=1"}},
		// The award tiers do not change with the criteria set: none here.
		{"jkn_uhc_award_tier", `tier="none"`, []string{"2023-09-01=1", "2024-12-31=1", "2025-01-01=1"}},
	} {
		if got := valuesOf(samples, c.metric, "16.07", c.extra); !slices.Equal(got, c.want) {
			t.Errorf("%s{%s} = %v, want %v", c.metric, c.extra, got, c.want)
		}
	}
	// Under a fixed set every date is judged alike.
	b.Reset()
	if err := h.WriteOpenMetrics(&b, renderer(t), nil); err != nil {
		t.Fatal(err)
	}
	samples, _ = parse(t, b.String())
	if got := valuesOf(samples, "jkn_uhc_status", "16.07", `status="below_both_targets"`); !slices.Equal(got, []string{"2023-09-01=1", "2024-12-31=1", "2025-01-01=1"}) {
		t.Errorf("under uhc_2025: %v", got)
	}
}

func TestBackfillUnreadableSource(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	srcs := exporter.SourcesFromConfig(&config.Config{Sources: []config.Source{{Name: "kc-gone", Path: filepath.Join(t.TempDir(), "missing")}}})
	if _, err := backfill.Read(context.Background(), srcs, ref); err == nil || !strings.Contains(err.Error(), `source "kc-gone"`) {
		t.Errorf("Read of a missing directory: %v, want an error naming the source", err)
	}
}

func TestBackfillExtraLabels(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	var labels []backfill.Label
	for _, s := range []string{"job=jkn", `instance=host "a"\b:10947`} {
		l, err := backfill.ParseLabel(s)
		if err != nil {
			t.Fatal(err)
		}
		labels = append(labels, l)
	}
	om, _ := run(t, fixture(t), ref, labels...)
	samples, _ := parse(t, om)
	for _, s := range samples {
		if !strings.HasSuffix(s.series, `,job="jkn",instance="host \"a\"\\b:10947"}`) {
			t.Fatalf("series %s lacks the extra labels, escaped", s.series)
		}
	}
	if got := valuesOf(samples, "jkn_participants", "16.07", `job="jkn"`); len(got) != 4 {
		t.Errorf("16.07 with job=jkn: %v", got)
	}
	for _, bad := range []string{"job", "region=x", "__name__=x", "1x=y", "segment=a", "criteria=x", "tier=x"} {
		if _, err := backfill.ParseLabel(bad); err == nil {
			t.Errorf("ParseLabel(%q) accepted", bad)
		}
	}
	h, err := backfill.Read(context.Background(), fixture(t), ref)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.WriteOpenMetrics(io.Discard, renderer(t), []backfill.Label{{Name: "job", Value: "a"}, {Name: "job", Value: "b"}}); err == nil {
		t.Error("a label given twice was accepted")
	}
}

// TestBackfillOldCodes: an office's sheet from before the Papua split (old
// codes 91.01, ... and the old province row) and its sheet from after
// (93.01, ...), both written by openpyxl (testdata golden cases), give one
// history per region under today's code; the old province row is left out.
func TestBackfillOldCodes(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sent := time.Date(2024, 1, 5, 9, 0, 0, 0, time.UTC)
	for _, f := range []string{"old_codes_papua/rekap_kc_merauke_desember_2021.xlsx", "papua_selatan_2023/rekap_kc_merauke_desember_2023.xlsx"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, filepath.Base(f))
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, sent, sent); err != nil { // past the settle time
			t.Fatal(err)
		}
	}
	srcs := exporter.SourcesFromConfig(&config.Config{Sources: []config.Source{{Name: "kc-merauke", Path: dir, BranchOffice: "Merauke"}}})
	om, rep := run(t, srcs, ref)
	samples, _ := parse(t, om)
	for _, c := range []struct {
		metric, code string
		want         []string
	}{
		{"jkn_participants", "93.01", []string{"2021-12-31=249871", "2023-12-31=251930"}},
		{"jkn_participants", "93.04", []string{"2021-12-31=111530", "2023-12-31=114228"}},
		{"jkn_population", "93", []string{"2023-12-31=562220"}},
		{"jkn_participants", "91.01", nil},
		{"jkn_participants", "91", nil}, // the old province row: four provinces' figures
	} {
		if got := valuesOf(samples, c.metric, c.code); !slices.Equal(got, c.want) {
			t.Errorf("%s{region_code=%q} = %v, want %v", c.metric, c.code, got, c.want)
		}
	}
	for _, s := range samples {
		if strings.Contains(s.series, `region_code="91`) {
			t.Errorf("a series under an old Papua code: %s", s.series)
		}
	}
	if rep.Findings["region_code_changed"] != 4 {
		t.Errorf("findings %v, want 4 region_code_changed", rep.Findings)
	}
	if len(rep.RejectedRows) != 1 || rep.RejectedRows[0].Finding.Check != "province_before_split" || rep.RejectedRows[0].Finding.Row != 9 {
		t.Errorf("rejected rows %+v, want the old Papua province row 9", rep.RejectedRows)
	}
	if rep.Regions != 5 || len(rep.Dates) != 2 {
		t.Errorf("report: %d regions, %d dates; want 5 (93.01-93.04, 93) and 2", rep.Regions, len(rep.Dates))
	}
}
