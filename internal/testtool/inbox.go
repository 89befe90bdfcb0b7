package testtool

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// CaseInbox copies the workbooks of a golden case folder
// (exporter/testdata/<case>/), with their modification times (an as-of
// date may come from them), into a directory of their own and returns it:
// a directory source reads or rejects every file, and the case's
// source.yml is no workbook. Every other file is copied, whatever its
// name: the parser reads a file by its content.
func CaseInbox(t testing.TB, dir string) string {
	t.Helper()
	inbox := t.TempDir()
	all, err := filepath.Glob(filepath.Join(dir, "*"))
	var names []string
	for _, name := range all {
		if filepath.Base(name) != "source.yml" {
			names = append(names, name)
		}
	}
	if err != nil || len(names) == 0 {
		t.Fatalf("%s: no workbooks: %v", dir, err)
	}
	for _, from := range names {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		info, err := os.Stat(from)
		if err != nil {
			t.Fatal(err)
		}
		to := filepath.Join(inbox, filepath.Base(from))
		if err := os.WriteFile(to, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(to, info.ModTime(), info.ModTime()); err != nil {
			t.Fatal(err)
		}
	}
	return inbox
}

// CopyIn copies one workbook into an inbox under a name, dated an hour
// ago: a sheet an office sent earlier, long settled. It returns its path.
func CopyIn(t testing.TB, from, inbox, name string) string {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(inbox, name)
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
	then := time.Now().Add(-time.Hour).Truncate(time.Second)
	if err := os.Chtimes(to, then, then); err != nil {
		t.Fatal(err)
	}
	return to
}
