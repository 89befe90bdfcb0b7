package snapshot

import (
	"os"
	"path/filepath"
)

// RemoveTemp removes the temporary files of a source that a Save cut
// short by a crash (SIGKILL, power loss) left under dir: Save writes a
// hidden temporary file and renames it into place, so after a crash the
// state file is whole (old or new) but the temporary one stays. It
// returns how many it removed.
func RemoveTemp(dir, source string) (int, error) {
	// Source names are [a-z0-9-]+: nothing in them is a pattern character.
	// The pattern matches atomicfile's temporary names for the state file,
	// ".<source>.snapshot.json.gz.<random>.tmp", and those of exporters
	// before it, ".<source>.<random>.tmp".
	return removeMatching(filepath.Join(dir, "."+source+".*.tmp"))
}

// RemoveExpositionTemp removes the temporary files a crash left of an
// exposition save (".<ExpositionFile>.<random>.tmp"); how many it removed.
func RemoveExpositionTemp(dir string) (int, error) {
	return removeMatching(filepath.Join(dir, "."+ExpositionFile+".*.tmp"))
}

// removeMatching removes the files that match pattern; how many it removed.
func removeMatching(pattern string) (int, error) {
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range matches {
		if err := os.Remove(m); err != nil && !os.IsNotExist(err) {
			return n, err
		}
		n++
	}
	return n, nil
}
