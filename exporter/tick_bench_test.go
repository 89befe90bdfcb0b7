package exporter

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// BenchmarkTick is one run of a directory source that holds a national
// benchmark workbook ($JKN_BENCHDATA, from scripts/genbench: make bench),
// with a storage path, as deployed: "unchanged" is a scheduled tick that
// finds the file as the last one did (a stat), "forced" the manual
// trigger (read, parse, resolve, validate, render, compress, save).
// cpu-ms/op is the process's user and system time per run, the
// background compression and collections included.
func BenchmarkTick(b *testing.B) {
	data := os.Getenv("JKN_BENCHDATA")
	if data == "" {
		b.Skip("JKN_BENCHDATA is not set: the national workbooks come from scripts/genbench (make bench)")
	}
	for _, wb := range []string{"village_sst", "village_sst_seg", "regency_sst"} {
		inbox := b.TempDir()
		body, err := os.ReadFile(filepath.Join(data, wb+".xlsx"))
		if err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(inbox, wb+".xlsx")
		if err := os.WriteFile(path, body, 0o644); err != nil {
			b.Fatal(err)
		}
		then := time.Now().Add(-time.Hour)
		if err := os.Chtimes(path, then, then); err != nil {
			b.Fatal(err)
		}
		src := &Source{Source: &sources.Dir{SourceName: "nasional", Path: inbox, MaxFileBytes: DefaultMaxFileBytes},
			Kind: "directory", Location: inbox, Schedule: "@every 3s",
			Settings: ingest.Settings{BranchOffice: "Nasional", MaxFileBytes: DefaultMaxFileBytes}}
		e, _ := newTestExporter(b, []*Source{src}, b.TempDir())
		if s := e.Ingest(context.Background(), src); len(s.Records) == 0 {
			b.Fatalf("%s: nothing ingested: %+v", wb, s.Files)
		}
		e.Exposition().WaitCompressed()
		for _, tc := range []struct {
			name string
			run  func()
		}{
			{"unchanged", func() { e.Ingest(context.Background(), src) }},
			{"forced", func() {
				if _, err := e.IngestNow("nasional"); err != nil {
					b.Fatal(err)
				}
				e.Exposition().WaitCompressed()
			}},
		} {
			b.Run(wb+"/"+tc.name, func(b *testing.B) {
				start := cpuTime()
				for b.Loop() {
					tc.run()
				}
				b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
