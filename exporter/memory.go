package exporter

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// DefaultMaxMemoryBytes is the process's memory budget when the config
// sets none: a 2-core host with 1 GB keeps room for the system and for
// Prometheus beside it.
const DefaultMaxMemoryBytes = 512 << 20

// SetMemoryLimit gives the Go runtime the process's memory budget
// (limits.max_memory_bytes; 0: DefaultMaxMemoryBytes) as its soft memory
// limit: near it the collector runs as often as it must, so what earlier
// files and scrapes left behind is collected before the heap grows past
// the budget, rather than at twice the live heap. It bounds garbage, not
// what is live; the readers' own bounds (RELIABILITY.md) bound that.
// GOMEMLIMIT in the environment, when set, wins, as the Go runtime
// documents. It returns the limit in force.
func SetMemoryLimit(limit int64, logger *slog.Logger) int64 {
	if env := os.Getenv("GOMEMLIMIT"); env != "" {
		in := debug.SetMemoryLimit(-1)
		logger.Info("memory limit from GOMEMLIMIT, not limits.max_memory_bytes", "GOMEMLIMIT", env, "bytes", in)
		return in
	}
	if limit <= 0 {
		limit = DefaultMaxMemoryBytes
	}
	debug.SetMemoryLimit(limit)
	return limit
}
