package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "rekap.xlsx")
	for _, data := range []string{"first", "second, longer"} {
		if err := WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil || string(got) != data {
			t.Fatalf("read back %q, %v; want %q", got, err, data)
		}
	}
	if info, _ := os.Stat(name); info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", info.Mode().Perm())
	}
	if err := WriteFile(filepath.Join(dir, "state"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(filepath.Join(dir, "state")); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	if left := leftovers(t, dir); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestWriteFailsWhole: a write that fails half-way (a full disk, say)
// leaves the old file as it was and no temporary file.
func TestWriteFailsWhole(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "kc-a.snapshot.json.gz")
	if err := WriteFile(name, []byte("old and whole"), 0o600); err != nil {
		t.Fatal(err)
	}
	full := errors.New("no space left on device")
	var tmp string
	err := Write(name, 0o600, func(w io.Writer) error {
		tmp = w.(*os.File).Name()
		if filepath.Dir(tmp) != dir || filepath.Base(tmp)[0] != '.' {
			t.Errorf("temporary file %s: not hidden in the same directory", tmp)
		}
		if _, err := w.Write([]byte("new but ")); err != nil {
			return err
		}
		return full
	})
	if !errors.Is(err, full) {
		t.Fatalf("error %v, want the write's", err)
	}
	if got, _ := os.ReadFile(name); string(got) != "old and whole" {
		t.Errorf("file now %q", got)
	}
	if left := leftovers(t, dir); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x"), nil, 0o644); err == nil {
		t.Error("a write into a missing directory succeeded")
	}
}
