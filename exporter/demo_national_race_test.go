//go:build race

package exporter

// raceFactor is 1 under the race detector, which slows the national demo's
// build and read (timing limits scale with it).
const raceFactor = 1
