package exporter

import (
	"io"
	"log/slog"
	"math"
	"runtime/debug"
	"testing"
)

// TestSetMemoryLimit: the config's budget, its default, and GOMEMLIMIT
// winning over both.
func TestSetMemoryLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	t.Setenv("GOMEMLIMIT", "")
	if got := SetMemoryLimit(256<<20, log); got != 256<<20 || debug.SetMemoryLimit(-1) != 256<<20 {
		t.Errorf("limit %d, runtime %d; want 256 MiB", got, debug.SetMemoryLimit(-1))
	}
	if got := SetMemoryLimit(0, log); got != DefaultMaxMemoryBytes || debug.SetMemoryLimit(-1) != DefaultMaxMemoryBytes {
		t.Errorf("default: limit %d, runtime %d", got, debug.SetMemoryLimit(-1))
	}
	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(math.MaxInt64)
	if got := SetMemoryLimit(256<<20, log); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set the config changed the limit to %d", got)
	}
}
