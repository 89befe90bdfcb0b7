//go:build !race

package exporter

// raceFactor is 0 without the race detector (see demo_national_race_test.go).
const raceFactor = 0
