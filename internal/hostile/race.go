//go:build race

package hostile

// RaceEnabled is true under the race detector, which makes parsing about
// ten times slower: tests shrink their inputs with it to stay bounded.
const RaceEnabled = true
