// Package testtool finds the real programs tests run (promtool, prometheus,
// amtool, chromium), builds the exporter binary they run, and reads what it
// serves. Outside CI a missing tool skips the test with a note; under CI
// (CI=true) it fails it, so a green CI never hides a missing tool. With
// -short (`go test -short ./...`: the unit tests, fast and with no tool
// installed) a test that runs a program or builds one is skipped, CI or
// not.
package testtool

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Need returns the path of a program, or ends the test without it.
func Need(t testing.TB, name string) string {
	t.Helper()
	SkipShort(t, "runs "+name)
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

// SkipShort skips the test under -short, saying what it does that a unit
// test does not (runs a program, builds one, takes long).
func SkipShort(t testing.TB, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: %s", what)
	}
}

// FreeAddr returns a loopback address with a port free at the moment of
// the call, for a server the test starts.
func FreeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// BuildExporter compiles cmd/jkn_exporter into the test's temporary
// directory and returns the binary's path, for tests that run the real
// program.
func BuildExporter(t testing.TB) string {
	t.Helper()
	SkipShort(t, "builds and runs the exporter")
	out, err := exec.Command("go", "env", "GOMOD").Output()
	gomod := strings.TrimSpace(string(out))
	if err != nil || gomod == "" || gomod == os.DevNull {
		t.Fatalf("cannot find the module root: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "jkn_exporter")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/jkn_exporter")
	cmd.Dir = filepath.Dir(gomod)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/jkn_exporter: %v\n%s", err, out)
	}
	return bin
}

// RegionLines keeps the region series of an exposition (the lines with a
// region_code label), in the order served.
func RegionLines(exposition string) string {
	var keep []string
	for _, l := range strings.Split(exposition, "\n") {
		if strings.Contains(l, "region_code=") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
