package exporter

import (
	"fmt"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// restoreStorage saves a made-up national village snapshot (84,000
// villages, every figure and segment) and its exposition, as an ingest
// leaves them under --storage.path.
func restoreStorage(b *testing.B) (string, []*Source) {
	b.Helper()
	dir := b.TempDir()
	src := &Source{Source: &sources.Dir{SourceName: "nasional", Path: b.TempDir()}, Kind: "directory"}
	day := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]ingest.Record, 84000)
	for i := range recs {
		var cells jkn.Cells
		figs := map[jkn.Field]float64{
			jkn.FieldPopulation: float64(1000 + i), jkn.FieldParticipants: float64(950 + i), jkn.FieldActive: float64(800 + i%97),
			jkn.FieldPBIAPBN: 400, jkn.FieldPBPUPemda: 100, jkn.FieldPPU: float64(200 + i%13), jkn.FieldPBPU: float64(200 + i), jkn.FieldBP: 50,
		}
		col := 3
		for f := range figs {
			cells.Set(f, col)
			col++
		}
		recs[i] = ingest.Record{
			Region: jkn.Region{Code: fmt.Sprintf("%02d.%02d.%02d.%04d", 11+i/20000, i/1000%20, i/100%10, 2001+i%100),
				Name: fmt.Sprintf("Desa %d", i), Level: jkn.LevelVillage, ProvinceCode: fmt.Sprintf("%02d", 11+i/20000), Province: "Provinsi"},
			BranchOffice: "Nasional", AsOf: day, Figures: jkn.FiguresOf(figs), File: "village.xlsx", Sheet: "Desa", Row: i + 2, Cells: cells,
		}
	}
	snap := &snapshot.Snapshot{Source: "nasional", BranchOffice: "Nasional", Attempted: day, LastSuccess: day, Up: true,
		Files: []snapshot.FileSummary{{Name: "village.xlsx", Sheet: "Desa", Regions: len(recs)}}, Records: recs, RowsAccepted: len(recs)}
	e, _ := newTestExporter(b, []*Source{src}, dir)
	e.store.Put(snap)
	if err := snapshot.Save(dir, snap); err != nil {
		b.Fatal(err)
	}
	e.noteSaved(snap)
	e.saveExposition()
	return dir, []*Source{src}
}

// BenchmarkRestore is a restart's restore of a national village snapshot:
// serve is until the saved exposition is served (what a scrape waits
// for), whole the restore to the snapshots in the store, load the
// decoding of the state file alone.
func BenchmarkRestore(b *testing.B) {
	dir, srcs := restoreStorage(b)
	b.Run("serve", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e, _ := newTestExporter(b, srcs, dir)
			e.serveSaved([]string{"nasional"})
			if e.preload.Load() == nil {
				b.Fatal("the saved exposition was not served")
			}
		}
	})
	b.Run("whole", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e, _ := newTestExporter(b, srcs, dir)
			e.Restore()
			if st := e.Exposition().Load(); len(st.Rendered.Regions) != 84000 {
				b.Fatalf("restored %d regions", len(st.Rendered.Regions))
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := snapshot.Load(dir, "nasional"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
