// Package atomicfile writes a file whole or not at all: through a
// temporary file in the same directory, synced to disk, renamed over the
// name, and the directory synced, so that after a crash or a full disk
// the name holds the old content or the new, never part of either.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Write writes name with what write writes, with mode perm. The
// temporary file is hidden and named after the file,
// ".<base>.<random>.tmp", so that a directory source never reads it and a
// crash's leftover can be found; it is removed when anything fails. An
// error leaves name as it was.
func Write(name string, perm os.FileMode, write func(io.Writer) error) error {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	// The data reaches the disk before the name points at it.
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	// CreateTemp makes 0600.
	if err := os.Chmod(tmp.Name(), perm); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	// The rename reaches the disk too. Best effort: the file is in place
	// whatever this says, and some file systems cannot sync a directory.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// WriteFile writes data to name as Write does.
func WriteFile(name string, data []byte, perm os.FileMode) error {
	return Write(name, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
