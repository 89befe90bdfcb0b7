package jkn

import (
	"strings"
	"time"
)

// Origin is where a region's figures come from, as far as precedence
// needs to know. When two files of a source, a rejected file's kept
// records and a new file, or two sources carry the same region, one
// record is served: the one whose origin wins (Compare).
type Origin struct {
	// AsOf is the as-of date of the figures.
	AsOf time.Time
	// Source is the source's name; the same (or empty) within a source.
	Source string
	// ModTime is the file's modification time; zero when not known.
	ModTime time.Time
	// File is the workbook's file name.
	File string
}

// Basis says what decided between two origins.
type Basis string

// The bases, in the order Compare tries them.
const (
	ByAsOf     Basis = "as_of"     // the newer as-of date
	BySource   Basis = "source"    // the source whose name sorts first
	ByModTime  Basis = "mod_time"  // the newer file
	ByFileName Basis = "file_name" // the file name that sorts last
	// Undecided: the origins are the same.
	Undecided Basis = ""
)

// Compare is the one precedence rule, wherever a region comes twice: it
// returns +1 when figures from a win over figures from b for the same
// region, -1 when b's win, 0 when the origins are the same, and what
// decided. The newest as-of date wins. On a tie: the source whose name
// sorts first (source names carry no order; first is the rule the
// exporter always had across sources); then the newer file (a sheet sent
// again with a correction); then the file name that sorts last
// ("rekap_mei_revisi.xlsx" over "rekap_mei.xlsx"), so that the choice
// never depends on the order files or sources were listed in. An unknown
// (zero) modification time is older than any known one; two unknown ones
// tie.
func (a Origin) Compare(b Origin) (int, Basis) {
	switch {
	case !a.AsOf.Equal(b.AsOf):
		return sign(a.AsOf.After(b.AsOf)), ByAsOf
	case a.Source != b.Source:
		return sign(a.Source < b.Source), BySource
	case !a.ModTime.Equal(b.ModTime):
		return sign(a.ModTime.After(b.ModTime)), ByModTime
	case a.File != b.File:
		return strings.Compare(a.File, b.File), ByFileName
	}
	return 0, Undecided
}

func sign(win bool) int {
	if win {
		return 1
	}
	return -1
}
