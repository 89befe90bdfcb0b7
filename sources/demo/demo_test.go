package demo

import (
	"context"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources/table"
)

// The seed offices keep their source names, settings and file names: the
// golden cases, the README and the dashboards' examples name them.
func TestSeedOffices(t *testing.T) {
	want := []struct{ source, file, branch, province string }{
		{"demo-palembang", "rekap_kc_palembang.xlsx", "Palembang", "Sumatera Selatan"},
		{"demo-bengkulu", "kepesertaan_kc_bengkulu.xlsx", "Bengkulu", "Bengkulu"},
		{"demo-pangkalpinang", "uhc_babel_2022-12-31.xlsx", "Pangkalpinang", "Kepulauan Bangka Belitung"},
		{"demo-banjarmasin", "data_jkn_kc_banjarmasin.xlsx", "Banjarmasin", ""},
	}
	offices := SeedOffices()
	if len(offices) != len(want) {
		t.Fatalf("%d seed offices, want %d", len(offices), len(want))
	}
	for i, o := range offices {
		w := want[i]
		if o.Source.Name() != w.source || o.BranchOffice != w.branch || o.Province != w.province || o.Location != "embedded" {
			t.Errorf("office %d: %s %+v, want %+v", i, o.Source.Name(), o, w)
		}
		files, err := o.Source.Fetch(context.Background())
		if err != nil || len(files) != 1 {
			t.Fatalf("%s: %d files, %v", w.source, len(files), err)
		}
		f := files[0]
		if f.Name != w.file || f.Path != "demo:"+w.file || !f.ModTime.Equal(seedModTime) || f.Size != int64(len(f.Data)) {
			t.Errorf("%s: file %s (%s, %s, %d bytes)", w.source, f.Name, f.Path, f.ModTime, f.Size)
		}
		if _, err := table.Parse(f.Name, f.ModTime, f.Data, table.Options{}); err != nil {
			t.Errorf("%s: %v", w.source, err)
		}
	}
}

// The national demo writes one recap per province, named after it, whose
// rows carry the real population and SyntheticFigures' participants.
func TestNationalOffices(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	offices, err := NationalOffices(ref)
	if err != nil {
		t.Fatal(err)
	}
	if len(offices) != 1 {
		t.Fatalf("%d national offices, want 1", len(offices))
	}
	o := offices[0]
	if o.Source.Name() != "demo" || o.BranchOffice != "Demo (synthetic)" || o.Province != "" || o.Location != "embedded, synthetic" {
		t.Fatalf("office %s %+v", o.Source.Name(), o)
	}
	files, err := o.Source.Fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	provinces := ref.Provinces()
	if len(files) != len(provinces) || len(files) != 38 {
		t.Fatalf("%d files for %d provinces, want 38", len(files), len(provinces))
	}
	names := map[string]bool{}
	rows := 0
	for i, f := range files {
		names[f.Name] = true
		p := provinces[i]
		if want := "demo_nasional_" + p.Code + "_" + slug(p.Name) + ".xlsx"; f.Name != want || f.Path != "demo:"+want || !f.ModTime.Equal(nationalDemoAsOf) {
			t.Errorf("file %d: %s (%s, %s), want %s", i, f.Name, f.Path, f.ModTime, want)
		}
		tab, err := table.Parse(f.Name, f.ModTime, f.Data, table.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(tab.Findings) != 0 || tab.AsOf.Format(time.DateOnly) != "2025-07-01" || tab.AsOfOrigin != table.AsOfTitleCell {
			t.Errorf("%s: as of %s from %s, findings %v", f.Name, tab.AsOf, tab.AsOfOrigin, tab.Findings)
		}
		for _, r := range tab.Rows {
			rows++
			pop, _ := r.Figures.Get(jkn.FieldPopulation)
			part, _ := r.Figures.Get(jkn.FieldParticipants)
			act, _ := r.Figures.Get(jkn.FieldActive)
			if want, _ := ref.Population(r.Code); int64(pop) != want {
				t.Errorf("%s row %d (%s): population %v, want %d", f.Name, r.Number, r.Code, pop, want)
			}
			if wp, wa := SyntheticFigures(r.Code, p.Code, int64(pop)); int64(part) != wp || int64(act) != wa {
				t.Errorf("%s row %d (%s): %v participants, %v active; want %d, %d", f.Name, r.Number, r.Code, part, act, wp, wa)
			}
		}
	}
	for _, want := range []string{"demo_nasional_11_aceh.xlsx", "demo_nasional_19_kepulauan_bangka_belitung.xlsx",
		"demo_nasional_31_daerah_khusus_ibukota_jakarta.xlsx", "demo_nasional_96_papua_barat_daya.xlsx"} {
		if !names[want] {
			t.Errorf("no file %s", want)
		}
	}
	if rows != 514 {
		t.Errorf("%d rows, want the 514 regencies and cities", rows)
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Kepulauan Bangka Belitung": "kepulauan_bangka_belitung",
		"  D.I. Yogyakarta ":        "d_i_yogyakarta",
		"Papua Barat Daya":          "papua_barat_daya",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
