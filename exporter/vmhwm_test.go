package exporter

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
)

// TestProcessPeakRSS holds the reader cases of issue 14 §1 under the
// process-wide memory bound: each is ingested in a child process
// (hostile.PeakRSS) under the default budget of 512 MiB, and its peak
// resident set (VmHWM, which TestHostileHeapBound's heap samples leave
// out: stacks, the runtime, what the collector has not returned) is held
// under a bound.
func TestProcessPeakRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: hostile workbooks against the process's peak RSS")
	}
	// The sizes (about 15 s here, 10 of them for the 700 strings).
	// Under -race the detector's shadow memory counts in VmHWM, and parsing
	// is ten times slower: smaller inputs down the same paths there.
	longStrings, bigFile := int64(700), 60<<20
	if hostile.RaceEnabled {
		longStrings, bigFile = 8, 10<<20
	}
	const bound = 512 << 20
	for _, tc := range []struct {
		name  string
		files func() [][]byte
	}{
		{"one-megabyte shared strings", func() [][]byte { return [][]byte{hostile.LongSharedStrings(longStrings, 1<<20)} }},
		{"ten million nested elements", func() [][]byte { return [][]byte{hostile.DeepSheet(10_000_000, false)} }},
		{"12,000 rows with a cell in column XFD", func() [][]byte { return [][]byte{hostile.WideRows(12_000)} }},
		{"ten large workbooks in one inbox", func() [][]byte {
			one := hostile.LargeFile(bigFile)
			out := make([][]byte, 10)
			for i := range out {
				out[i] = one
			}
			return out
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hwm := hostile.PeakRSS(t, func(t *testing.T) {
				e, src, dir, _ := hostileExporter(t, config.Limits{})
				for i, data := range tc.files() {
					if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("case%d.xlsx", i)), data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
				hostile.ResetPeakRSS(t)
				snap := e.Ingest(context.Background(), src)
				for _, f := range snap.Files {
					t.Logf("%s: %d bytes, reason %q", f.Name, f.Size, f.Reason)
				}
			})
			t.Logf("%s: VmHWM %d MiB", tc.name, hwm>>20)
			if hwm > bound {
				t.Errorf("VmHWM %d MiB, over the bound of %d MiB", hwm>>20, bound>>20)
			}
		})
	}
}
