package demo

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
	"github.com/xuri/excelize/v2"
)

// The national demo's names: its source label and the branch_office label
// of every region it serves, which says on every series that the figures
// are made up.
const (
	NationalSource       = "demo"
	NationalBranchOffice = "Demo (synthetic)"
)

// NationalOffices returns the national demo (--demo=national): one office,
// source "demo", serving every regency and city of the reference with its
// real 2025 population and synthetic participant and active figures
// (SyntheticFigures), under the branch office "Demo (synthetic)".
func NationalOffices(ref *region.Reference) ([]Office, error) {
	var regions []nationalRegion
	for _, p := range ref.Provinces() {
		for _, r := range ref.Children(p.Code) {
			pop, ok := ref.Population(r.Code)
			if !ok {
				return nil, fmt.Errorf("national demo: no 2025 population for %s %s", r.Code, r.Name)
			}
			regions = append(regions, nationalRegion{
				Code: r.Code, Name: r.Name, ProvinceCode: p.Code, Province: p.Name, Population: pop,
			})
		}
	}
	return []Office{{Source: &nationalSource{regions: regions}, Location: "embedded, synthetic", BranchOffice: NationalBranchOffice}}, nil
}

// nationalDemoAsOf is the as-of date of the national demo's figures: fixed,
// so the demo is the same at every start, and in the semester of the 2025
// population it uses.
var nationalDemoAsOf = time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)

// nationalRegion is a regency or city the national demo serves, with its
// real population.
type nationalRegion struct {
	Code, Name             string // dotted Kemendagri code and canonical name
	ProvinceCode, Province string
	Population             int64
}

// nationalSource serves every regency and city it is given with its real
// 2025 population and synthetic participant and active figures. It writes
// one workbook per province, as a provincial recap would look; every sheet
// says that its figures are synthetic.
type nationalSource struct {
	// regions, sorted by code.
	regions []nationalRegion
}

// Name implements sources.Source.
func (d *nationalSource) Name() string { return NationalSource }

// Fetch implements sources.Source. The province workbooks are built in
// parallel: the demo is read at start, which must stay fast.
func (d *nationalSource) Fetch(ctx context.Context) ([]sources.File, error) {
	var provinces [][]nationalRegion
	for start := 0; start < len(d.regions); {
		end := start + 1
		for end < len(d.regions) && d.regions[end].ProvinceCode == d.regions[start].ProvinceCode {
			end++
		}
		provinces = append(provinces, d.regions[start:end])
		start = end
	}
	files := make([]sources.File, len(provinces))
	errs := make([]error, len(provinces))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, regions := range provinces {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			if errs[i] = ctx.Err(); errs[i] != nil {
				return
			}
			files[i], errs[i] = nationalDemoWorkbook(regions)
			if errs[i] != nil {
				errs[i] = fmt.Errorf("building demo workbook of province %s: %w", regions[0].ProvinceCode, errs[i])
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return files, nil
}

// nationalDemoWorkbook writes one province's recap: title rows with the
// date, a header, one row per regency or city with its code, a JUMLAH row
// and a footnote.
func nationalDemoWorkbook(regions []nationalRegion) (sources.File, error) {
	prov := regions[0]
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Rekap"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return sources.File{}, err
	}
	rows := [][]any{
		{"REKAPITULASI KEPESERTAAN JKN KABUPATEN/KOTA: DATA SINTETIS (DEMO)"},
		{"Provinsi " + prov.Province},
		{"Posisi Data : 1 Juli 2025"},
		{},
		{"No", "Kode Wilayah", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif", "% Cakupan", "% Keaktifan"},
	}
	var pop, part, act int64
	for i, r := range regions {
		p, a := SyntheticFigures(r.Code, r.ProvinceCode, r.Population)
		rows = append(rows, []any{i + 1, r.Code, r.Name, r.Population, p, a,
			indonesianPercent(float64(p) / float64(r.Population)), indonesianPercent(float64(a) / float64(r.Population))})
		pop, part, act = pop+r.Population, part+p, act+a
	}
	rows = append(rows,
		[]any{nil, nil, "JUMLAH", pop, part, act},
		[]any{},
		[]any{"DATA SINTETIS: jumlah penduduk adalah data Dukcapil 2025 yang nyata; jumlah peserta dan peserta aktif dibuat oleh jkn_exporter (--demo=national) dan BUKAN data BPJS Kesehatan."},
	)
	if err := setRows(f, sheet, 1, rows); err != nil {
		return sources.File{}, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return sources.File{}, err
	}
	name := "demo_nasional_" + prov.ProvinceCode + "_" + slug(prov.Province) + ".xlsx"
	return sources.NewFile(name, "demo:"+name, nationalDemoAsOf, buf.Bytes()), nil
}

// indonesianPercent writes a ratio as sheets do: "97,63%".
func indonesianPercent(v float64) string {
	return strings.Replace(strconv.FormatFloat(v*100, 'f', 2, 64), ".", ",", 1) + "%"
}

// slug makes a province name a file-name part: "Kepulauan Bangka
// Belitung" -> "kepulauan_bangka_belitung".
func slug(s string) string {
	var b strings.Builder
	under := false
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// SyntheticFigures returns the national demo's participants and active
// participants of a region with the given population. They are made up,
// deterministically: drawn from a generator seeded with the region's code
// (and its province's, for a shared provincial level), so every start and
// every machine serves the same figures, and no global random state is
// touched. The draws are shaped after published 2024-2025 figures: coverage
// mostly 95-101% with about a third of the regions below the 98% UHC 2025
// target and a lagging tail down to 85%; active participants 70-90% of the
// population, about a third below the 80% target.
func SyntheticFigures(code, provinceCode string, population int64) (participants, active int64) {
	prov := newDemoRand(provinceCode)
	provCoverage, provActive := 0.006*prov.normal(), 0.02*prov.normal()
	r := newDemoRand(code)
	coverage := 0.986 + provCoverage + 0.013*r.normal()
	if r.float() < 0.06 {
		// Lagging regions: remote, newly formed or with unregistered
		// residents the local government has not yet paid for.
		coverage -= 0.03 + 0.07*r.float()
	}
	if coverage > 0.995 {
		// Registrations beyond the Dukcapil count exist but are few.
		coverage = 0.995 + (coverage-0.995)/2
	}
	coverage = min(max(coverage, 0.85), 1.012)
	// Active participants as a share of participants (PBPU arrears).
	activeShare := min(max(0.83+provActive+0.04*r.normal(), 0.72), 0.95)
	activeRatio := min(max(coverage*activeShare, 0.68), 0.92)
	participants = int64(math.Round(float64(population) * coverage))
	active = min(int64(math.Round(float64(population)*activeRatio)), participants)
	return participants, active
}

// demoRand is a splitmix64 generator: tiny, written out here so that no
// library change can alter the demo's figures, and good enough for made-up
// numbers.
type demoRand struct{ state uint64 }

func newDemoRand(seed string) *demoRand {
	h := fnv.New64a()
	_, _ = h.Write([]byte(seed))
	return &demoRand{state: h.Sum64()}
}

func (r *demoRand) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float returns a uniform draw in [0, 1).
func (r *demoRand) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// normal returns an approximately standard normal draw (the centred sum of
// four uniforms, scaled to unit variance): bounded at ±3.5, so no draw is
// absurd.
func (r *demoRand) normal() float64 {
	return (r.float() + r.float() + r.float() + r.float() - 2) * math.Sqrt(3)
}
