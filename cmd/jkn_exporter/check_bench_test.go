package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

// BenchmarkCheckNational: `check` on the national village sheet that
// `make bench` generates (benchdata/village_sst.xlsx; JKN_BENCH_FILE names
// another), its report written to io.Discard, beside the ingest of the
// same file (parse, resolve, validate, the checks between sheets) in the
// same run, for issue 18's "check within 2x of the ingest". check loads
// the reference data itself each time, as the command does; the ingest
// is given it loaded. Skipped without the file.
func BenchmarkCheckNational(b *testing.B) {
	path := os.Getenv("JKN_BENCH_FILE")
	if path == "" {
		path = filepath.Join("..", "..", "benchdata", "village_sst.xlsx")
	}
	info, err := os.Stat(path)
	if err != nil {
		b.Skipf("no %s: run make bench once to generate it", path)
	}
	b.Run("ingest", func(b *testing.B) {
		ref, err := region.Load()
		if err != nil {
			b.Fatal(err)
		}
		s := ingest.Settings{MaxFileBytes: exporter.DefaultMaxFileBytes}
		for b.Loop() {
			data, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			res := ingest.Ingest([]sources.File{sources.NewFile(filepath.Base(path), path, info.ModTime(), data)}, s, ref)
			res.Follow(ingest.Before{}, s, ref)
			if len(res.Records) == 0 {
				b.Fatal("no records")
			}
		}
	})
	for _, l := range lang.All() {
		b.Run("check_"+string(l), func(b *testing.B) {
			for b.Loop() {
				if code := runCheck(checkOptions{files: []string{path}, lang: l}, io.Discard, io.Discard); code != 0 {
					b.Fatalf("check exit %d", code)
				}
			}
		})
	}
}
