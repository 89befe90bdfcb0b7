package testtool

import (
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// Versions of the programs tests build from the Go module proxy, where
// Debian has none or one too old.
const (
	// Alertmanager is the version deploy/docker-compose.yml runs: the example
	// configuration needs 0.28 or later (bot_token_file, message_thread_id)
	// and Debian bookworm has 0.25.
	Alertmanager = "v0.28.1"
	// Helm lints and renders the chart in deploy/helm.
	Helm = "v3.22.0"
	// NFPM builds the Debian package (make package).
	NFPM = "v2.45.2"
)

// goTools serialises the builds of this process: two tests asking for the
// same program wait for one build.
var goTools sync.Mutex

// GoTool returns the path of a program built from the Go module proxy with
// `go install pkgVersion` (for example "helm.sh/helm/v3/cmd/helm@v3.22.0").
// It is built once per machine, Go version and pkgVersion into the user's
// cache directory and reused from there: a tagged module version never
// changes, so neither does the program. Without the proxy the test fails.
func GoTool(t testing.TB, pkgVersion string) string {
	t.Helper()
	SkipShort(t, "builds and runs "+pkgVersion)
	pkg, version, ok := strings.Cut(pkgVersion, "@")
	if !ok || version == "" {
		t.Fatalf("GoTool(%q): want package@version", pkgVersion)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "jkn_exporter-tools", runtime.Version(),
		strings.NewReplacer("/", "_", "@", "_").Replace(pkgVersion))
	bin := filepath.Join(dir, path.Base(pkg))

	goTools.Lock()
	defer goTools.Unlock()
	if _, err := os.Stat(bin); err == nil {
		return bin
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// Into a directory of its own, then renamed into place: another test
	// process building the same program never sees half a file.
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "install", pkgVersion)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOFLAGS=", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go install %s: %v\n%s", pkgVersion, err, out)
	}
	if err := os.Rename(filepath.Join(tmp, path.Base(pkg)), bin); err != nil {
		t.Fatal(err)
	}
	return bin
}
