// Package testtool finds the real programs tests run (promtool, prometheus,
// amtool, chromium). Outside CI a missing tool skips the test with a note;
// under CI (CI=true) it fails it, so a green CI never hides a missing tool.
package testtool

import (
	"os"
	"os/exec"
	"testing"
)

// Need returns the path of a program, or ends the test without it.
func Need(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required under CI but not installed (run ./scripts/deps.sh): %v", name, err)
	}
	t.Skipf("%s not installed (run ./scripts/deps.sh); skipping outside CI", name)
	return ""
}
