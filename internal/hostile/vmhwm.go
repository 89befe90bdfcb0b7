package hostile

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
)

// childEnv names the test a re-executed test binary runs as the child.
const childEnv = "JKN_VMHWM_CHILD"

// ChildMemoryLimit is the Go soft memory limit the child runs under: the
// exporter's default budget (limits.max_memory_bytes, 512 MiB).
const ChildMemoryLimit = 512 << 20

// PeakRSS runs fn in a child process, the test binary run again for this
// test alone, and returns the child's VmHWM (its peak resident set, in
// bytes, from /proc/self/status) after fn: VmHWM is per process, so only a
// child measures one case by itself. In the child, fn runs under
// ChildMemoryLimit, as the exporter does; t there is the child's own, so
// a t.Fatal in fn fails the child and PeakRSS fails the test with its
// output. Call it once per test or subtest.
func PeakRSS(t *testing.T, fn func(t *testing.T)) int64 {
	t.Helper()
	if os.Getenv(childEnv) == t.Name() {
		debug.SetMemoryLimit(ChildMemoryLimit)
		fn(t)
		hwm, err := vmHWM()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("\nVMHWM_BYTES=%d\n", hwm)
		return hwm
	}
	var run []string
	for _, part := range strings.Split(t.Name(), "/") {
		run = append(run, "^"+regexp.QuoteMeta(part)+"$")
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(run, "/"), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), childEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child %s: %v\n%s", t.Name(), err, out)
	}
	m := regexp.MustCompile(`(?m)^VMHWM_BYTES=(\d+)$`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("child %s printed no VmHWM:\n%s", t.Name(), out)
	}
	hwm, _ := strconv.ParseInt(string(m[1]), 10, 64)
	// The child's own log lines, for -v.
	for _, line := range bytes.Split(out, []byte("\n")) {
		if bytes.Contains(line, []byte(".go:")) {
			t.Log("child:", strings.TrimSpace(string(line)))
		}
	}
	return hwm
}

// InChild reports whether this process is PeakRSS's child for t.
func InChild(t *testing.T) bool { return os.Getenv(childEnv) == t.Name() }

// vmHWM reads the process's peak resident set.
func vmHWM() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("/proc/self/status VmHWM %q: %w", v, err)
			}
			return kb << 10, nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("/proc/self/status has no VmHWM")
}

// ResetPeakRSS sets the process's VmHWM back to its resident set now
// (Linux's /proc/self/clear_refs "5"), so that what a test built before
// its case (inputs it generated and freed) is not counted in the case's
// peak.
func ResetPeakRSS(t *testing.T) {
	t.Helper()
	debug.FreeOSMemory()
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatalf("resetting VmHWM: %v", err)
	}
}
