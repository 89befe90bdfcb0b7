package deploy

import (
	"bufio"
	"bytes"
	"debug/elf"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// testVersion is the version the test's `make package` stamps into the binary.
const testVersion = "v1.2.3-test"

// debPackage is the package `make package` built for the test, unpacked.
type debPackage struct {
	deb     string // the .deb
	root    string // its files, as dpkg-deb -x unpacks them
	control string // its control files, as dpkg-deb -e extracts them
}

// buildPackage runs `make package` as a user would, with the binary and the package written
// into the test's directory, nfpm built from the module proxy at the Makefile's version.
func buildPackage(t *testing.T) debPackage {
	t.Helper()
	makefile, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	if want := "github.com/goreleaser/nfpm/v2/cmd/nfpm@" + testtool.NFPM; !bytes.Contains(makefile, []byte(want)) {
		t.Fatalf("the Makefile does not run %s, the nfpm this test builds", want)
	}
	nfpm := testtool.GoTool(t, "github.com/goreleaser/nfpm/v2/cmd/nfpm@"+testtool.NFPM)
	dir := t.TempDir()
	dist := filepath.Join(dir, "dist")
	cmd := exec.Command(testtool.Need(t, "make"), "package", "VERSION="+testVersion, "REVISION=c0ffee", "BRANCH=test",
		"BIN="+filepath.Join(dir, "jkn_exporter"), "PACKAGE_DIR="+dist, "NFPM="+nfpm)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make package: %v\n%s", err, out)
	}
	debs, _ := filepath.Glob(filepath.Join(dist, "*.deb"))
	if want := filepath.Join(dist, "jkn-exporter_1.2.3.test-1_amd64.deb"); !slices.Equal(debs, []string{want}) {
		t.Fatalf("make package wrote %v, want %s", debs, want)
	}
	p := debPackage{deb: debs[0], root: filepath.Join(dir, "root"), control: filepath.Join(dir, "control")}
	dpkgDeb := testtool.Need(t, "dpkg-deb")
	run(t, dpkgDeb, "-x", p.deb, p.root)
	run(t, dpkgDeb, "-e", p.deb, p.control)
	return p
}

// run runs a program and returns its combined output; it fails the test when the program
// fails.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// regionData is the folder of the region reference data.
func regionData(t *testing.T) string {
	t.Helper()
	const dir = "../region/data"
	if _, err := os.Stat(filepath.Join(dir, "LICENSE.md")); err != nil {
		t.Fatalf("the region data folder has no LICENSE.md: %v", err)
	}
	return dir
}

// TestDebianPackage builds the package with `make package` and checks it as Debian would and
// as an administrator would use it.
func TestDebianPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the exporter and the package")
	}
	// The tools first, so that under CI a missing one fails before the build.
	lintian := testtool.Need(t, "lintian")
	systemdAnalyze := testtool.Need(t, "systemd-analyze")
	shellcheck := testtool.Need(t, "shellcheck")
	unshare := testtool.Need(t, "unshare")
	p := buildPackage(t)

	t.Run("lintian", func(t *testing.T) {
		// Errors and warnings fail; the overrides (each with its reason in
		// deploy/deb/lintian-overrides) must all still be needed (lintian reports an
		// unused one as information).
		cmd := exec.Command(lintian, "--pedantic", "--display-info", "--fail-on", "error,warning", p.deb)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Errorf("lintian: %v\n%s", err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if strings.HasPrefix(line, "E: ") || strings.HasPrefix(line, "W: ") ||
				strings.Contains(line, "unused-override") || strings.Contains(line, "mismatched-override") {
				t.Errorf("lintian: %s", line)
			}
		}
		t.Logf("lintian:\n%s", out)
	})

	t.Run("contents", func(t *testing.T) { checkContents(t, p) })

	t.Run("systemd-analyze", func(t *testing.T) {
		root := systemdRoot(t, p)
		unit := "/lib/systemd/system/jkn_exporter.service"
		out, err := exec.Command(systemdAnalyze, "verify", "--root="+root, unit).CombinedOutput()
		if err != nil || len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
		// The control: a unit whose program is missing is refused the same way.
		broken := filepath.Join(root, "lib/systemd/system/jkn_exporter_broken.service")
		data, _ := os.ReadFile(filepath.Join(root, unit))
		if err := os.WriteFile(broken, bytes.Replace(data, []byte("ExecStart=/usr/bin/jkn_exporter "), []byte("ExecStart=/usr/bin/jkn_exporter_missing "), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(systemdAnalyze, "verify", "--root="+root, "/lib/systemd/system/jkn_exporter_broken.service").CombinedOutput(); err == nil {
			t.Errorf("systemd-analyze verify accepts a unit whose ExecStart is missing:\n%s", out)
		}
		// Exposure 2.0 or less ("OK" on systemd's scale), without booting it.
		cmd := exec.Command(systemdAnalyze, "security", "--offline=true", "--threshold=20", "--root="+root, "jkn_exporter.service")
		out, err = cmd.CombinedOutput()
		if err != nil {
			t.Errorf("systemd-analyze security: %v\n%s", err, out)
		}
		if m := regexp.MustCompile(`Overall exposure level for jkn_exporter.service: (\S+)`).FindSubmatch(out); m != nil {
			t.Logf("systemd-analyze security: exposure %s", m[1])
		} else {
			t.Errorf("systemd-analyze security printed no exposure level:\n%s", out)
		}
	})

	t.Run("shellcheck", func(t *testing.T) {
		var scripts []string
		for _, s := range []string{"postinst", "prerm", "postrm"} {
			scripts = append(scripts, filepath.Join(p.control, s))
		}
		scripts = append(scripts, "deb/build.sh")
		if out, err := exec.Command(shellcheck, append([]string{"--severity=style"}, scripts...)...).CombinedOutput(); err != nil {
			t.Errorf("shellcheck: %v\n%s", err, out)
		}
	})

	t.Run("serves", func(t *testing.T) { checkServes(t, p, unshare) })

	t.Run("maintainer scripts", func(t *testing.T) { checkMaintainerScripts(t, p, unshare) })
}

// checkContents: the files, their modes and the conffiles; the binary is make build's,
// static; the licences are in /usr/share/doc.
func checkContents(t *testing.T, p debPackage) {
	want := map[string]os.FileMode{
		"usr/bin/jkn_exporter":                                                     0o755,
		"lib/systemd/system/jkn_exporter.service":                                  0o644,
		"etc/jkn_exporter/config.yml":                                              0o644,
		"etc/default/jkn_exporter":                                                 0o644,
		"usr/share/man/man1/jkn_exporter.1.gz":                                     0o644,
		"usr/share/doc/jkn-exporter/copyright":                                     0o644,
		"usr/share/doc/jkn-exporter/README.Debian":                                 0o644,
		"usr/share/lintian/overrides/jkn-exporter":                                 0o644,
		"usr/share/doc/jkn-exporter/changelog.Debian.gz":                           0o644,
		"usr/share/doc/jkn-exporter/region-data/LICENSE.md":                        0o644,
		"usr/share/doc/jkn-exporter/region-data/README.md":                         0o644,
		"usr/share/doc/jkn-exporter/region-data/geo/README.md":                     0o644,
		"usr/share/doc/jkn-exporter/region-data/geo/LICENSE-nusantara-shipping.md": 0o644,
		"usr/share/doc/jkn-exporter/region-data/geo/LICENSE-wilayah.md":            0o644,
	}
	got := map[string]os.FileMode{}
	err := filepath.WalkDir(p.root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(p.root, path)
		got[rel] = info.Mode().Perm()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for path, mode := range want {
		if m, ok := got[path]; !ok {
			t.Errorf("the package lacks /%s", path)
		} else if m != mode {
			t.Errorf("/%s has mode %o, want %o", path, m, mode)
		}
	}
	for path := range got {
		if _, ok := want[path]; !ok {
			t.Errorf("the package has /%s, which this test does not know", path)
		}
	}

	// The files as committed.
	data := regionData(t)
	for pkg, src := range map[string]string{
		"lib/systemd/system/jkn_exporter.service":                                  "deb/jkn_exporter.service",
		"etc/jkn_exporter/config.yml":                                              "deb/config.yml",
		"etc/default/jkn_exporter":                                                 "deb/default",
		"usr/share/doc/jkn-exporter/copyright":                                     "deb/copyright",
		"usr/share/doc/jkn-exporter/region-data/LICENSE.md":                        data + "/LICENSE.md",
		"usr/share/doc/jkn-exporter/region-data/README.md":                         data + "/README.md",
		"usr/share/doc/jkn-exporter/region-data/geo/LICENSE-nusantara-shipping.md": data + "/geo/LICENSE-nusantara-shipping.md",
		"usr/share/doc/jkn-exporter/region-data/geo/LICENSE-wilayah.md":            data + "/geo/LICENSE-wilayah.md",
	} {
		a, err1 := os.ReadFile(filepath.Join(p.root, pkg))
		b, err2 := os.ReadFile(src)
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) {
			t.Errorf("/%s is not %s (%v, %v)", pkg, src, err1, err2)
		}
	}
	for _, s := range []string{"postinst", "prerm", "postrm"} {
		a, _ := os.ReadFile(filepath.Join(p.control, s))
		b, _ := os.ReadFile(filepath.Join("deb", s))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("the package's %s is not deploy/deb/%s", s, s)
		}
	}
	// Both licences: Apache-2.0 for the program, the ODbL for the embedded database.
	copyright, _ := os.ReadFile(filepath.Join(p.root, "usr/share/doc/jkn-exporter/copyright"))
	for _, want := range []string{"License: Apache-2.0", "/usr/share/common-licenses/Apache-2.0", "License: ODbL-1.0",
		"/usr/share/doc/jkn-exporter/region-data/LICENSE.md", "License: MIT", "Copyright: 2025 Dimas", "Copyright: 2017 Cahya DSN",
		"License: ISC", "Copyright 2013-2019 Michael Bostock", "Made with Natural Earth"} {
		if !bytes.Contains(copyright, []byte(want)) {
			t.Errorf("copyright lacks %q", want)
		}
	}

	conffiles, _ := os.ReadFile(filepath.Join(p.control, "conffiles"))
	if got, want := strings.Fields(string(conffiles)), []string{"/etc/default/jkn_exporter", "/etc/jkn_exporter/config.yml"}; !slices.Equal(sorted(got), want) {
		t.Errorf("conffiles %v, want %v", got, want)
	}
	control, _ := os.ReadFile(filepath.Join(p.control, "control"))
	for _, want := range []string{"Package: jkn-exporter\n", "Version: 1.2.3.test-1\n", "Architecture: amd64\n", "Depends: adduser\n"} {
		if !bytes.Contains(control, []byte(want)) {
			t.Errorf("control lacks %q:\n%s", want, control)
		}
	}

	// Static: no interpreter, no shared library (CGO off, as make build has it).
	f, err := elf.Open(filepath.Join(p.root, "usr/bin/jkn_exporter"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP || prog.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %v program header: not static", prog.Type)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// systemdRoot is a root directory for systemd-analyze --root: the package unpacked, plus the
// units and the kill program of this machine, which the unit refers to (sysinit.target,
// multi-user.target, /bin/kill) and a Debian system has.
func systemdRoot(t *testing.T, p debPackage) string {
	t.Helper()
	root := t.TempDir()
	run(t, "cp", "-a", p.root+"/.", root)
	units := filepath.Join(root, "lib/systemd/system")
	for _, dir := range []string{"/lib/systemd/system", "/usr/lib/systemd/system"} {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if _, err := os.Lstat(filepath.Join(units, e.Name())); err == nil {
				continue // the package's own unit
			}
			run(t, "cp", "-a", filepath.Join(dir, e.Name()), units)
		}
	}
	kill, err := exec.LookPath("kill")
	if err != nil || !filepath.IsAbs(kill) {
		kill = "/bin/kill"
	}
	if err := os.MkdirAll(filepath.Join(root, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	run(t, "cp", kill, filepath.Join(root, "bin/kill"))
	return root
}

// unitExec reads the unit's ExecStart and expands it as systemd does, with the variables of
// the package's /etc/default/jkn_exporter (EnvironmentFile=) and those given.
func unitExec(t *testing.T, p debPackage, vars map[string]string) []string {
	t.Helper()
	unit, err := os.ReadFile(filepath.Join(p.root, "lib/systemd/system/jkn_exporter.service"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	defaults, err := os.ReadFile(filepath.Join(p.root, "etc/default/jkn_exporter"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(defaults), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), "="); ok && !strings.HasPrefix(k, "#") {
			env[k] = strings.Trim(v, `"`)
		}
	}
	if !slices.Contains(strings.Split(string(unit), "\n"), "EnvironmentFile=-/etc/default/jkn_exporter") {
		t.Error("the unit does not read /etc/default/jkn_exporter")
	}
	for k, v := range vars {
		env[k] = v
	}
	var words []string
	for _, line := range strings.Split(string(unit), "\n") {
		cmd, ok := strings.CutPrefix(line, "ExecStart=")
		if !ok {
			continue
		}
		// ${VAR} is one word, $VAR is split at spaces (systemd.service(5)).
		for _, w := range strings.Fields(cmd) {
			switch {
			case strings.HasPrefix(w, "$") && !strings.HasPrefix(w, "${"):
				words = append(words, strings.Fields(env[w[1:]])...)
			default:
				words = append(words, regexp.MustCompile(`\$\{(\w+)\}`).ReplaceAllStringFunc(w, func(ref string) string {
					return env[ref[2:len(ref)-1]]
				}))
			}
		}
	}
	if len(words) == 0 || words[0] != "/usr/bin/jkn_exporter" {
		t.Fatalf("ExecStart %q does not run /usr/bin/jkn_exporter", words)
	}
	return words
}

// checkServes: the packaged binary serves the embedded demo; and, run as the unit runs it,
// with the example configuration and its inboxes holding the seed workbooks, it passes
// `check` and serves every source of the example. The example's inboxes are absolute
// (/srv/jkn/inbox/...): they are made on a tmpfs mounted on /srv in a mount namespace of
// their own (unshare), so that the configuration is used as installed.
func checkServes(t *testing.T, p debPackage, unshare string) {
	bin := filepath.Join(p.root, "usr/bin/jkn_exporter")

	// The demo, with no configuration.
	addr := testtool.FreeAddr(t)
	stop := start(t, exec.Command(bin, "--web.listen-address="+addr, "--storage.path="+t.TempDir()))
	metrics := waitMetrics(t, addr, `jkn_source_up{`)
	stop()
	if testtool.RegionLines(metrics) == "" {
		t.Errorf("the packaged binary serves no region without a configuration (the demo):\n%s", metrics)
	}
	if !strings.Contains(metrics, `version="`+testVersion+`"`) {
		t.Errorf("jkn_exporter_build_info does not carry make package's version %s", testVersion)
	}

	// The example configuration, as installed, with the unit's command line.
	config := filepath.Join(p.root, "etc/jkn_exporter/config.yml")
	addr = testtool.FreeAddr(t)
	argv := unitExec(t, p, map[string]string{"STATE_DIRECTORY": t.TempDir(), "ARGS": "--web.listen-address=" + addr})
	argv[0] = bin
	for i, a := range argv {
		argv[i] = strings.Replace(a, "--config.file=/etc/jkn_exporter/config.yml", "--config.file="+config, 1)
	}
	if !slices.Contains(argv, "--config.file="+config) {
		t.Fatalf("the unit's command line %q does not take the example configuration", argv)
	}
	seeds := seedWorkbooks(t)
	setup := []string{"set -e", "mount -t tmpfs tmpfs /srv"}
	for office, files := range seeds {
		dir := "/srv/jkn/inbox/" + office
		setup = append(setup, "mkdir -p "+dir)
		for _, f := range files {
			abs, _ := filepath.Abs(f)
			// Written a while ago: past the sources' settle time.
			setup = append(setup, fmt.Sprintf("cp '%s' %s/ && touch -d 2025-05-02 %s/'%s'", abs, dir, dir, filepath.Base(f)))
		}
	}
	checkOut := filepath.Join(t.TempDir(), "check.out")
	setup = append(setup,
		fmt.Sprintf(`"$1" check --config.file='%s' >'%s' 2>&1 || { echo "check failed:"; cat '%s'; exit 3; }`, config, checkOut, checkOut),
		`exec "$@"`)
	cmd := exec.Command(unshare, append([]string{"--mount", "--propagation", "private", "sh", "-c", strings.Join(setup, "\n"), "sh"}, argv...)...)
	stop = start(t, cmd)
	defer stop()
	metrics = waitMetrics(t, addr, `jkn_source_up{branch_office="Banjarmasin",source="kc-banjarmasin"} 1`)
	for _, source := range []string{"kc-palembang", "kc-bengkulu", "kc-pangkalpinang", "kc-banjarmasin"} {
		if !regexp.MustCompile(`jkn_source_up\{branch_office="[^"]+",source="` + source + `"\} 1`).MatchString(metrics) {
			t.Errorf("source %s of the example configuration is not up", source)
		}
	}
	for _, region := range []string{`region_code="16.07"`, `region_code="17.06"`, `region_code="19.04"`, `region_code="63.03"`} {
		if !strings.Contains(testtool.RegionLines(metrics), region) {
			t.Errorf("the example configuration serves no %s from the seed workbooks", region)
		}
	}
	check, _ := os.ReadFile(checkOut)
	t.Logf("check --config.file with the example configuration: %d lines of report", bytes.Count(check, []byte("\n")))
}

// seedWorkbooks are the seed workbooks of the golden tests (written by openpyxl and
// LibreOffice), by the inbox of the example configuration they belong in.
func seedWorkbooks(t *testing.T) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, office := range []string{"palembang", "bengkulu", "pangkalpinang", "banjarmasin"} {
		var files []string
		for _, dir := range []string{"../exporter/testdata", "../testdata"} {
			files, _ = filepath.Glob(filepath.Join(dir, "seed_"+office, "*.xlsx"))
			if len(files) > 0 {
				break
			}
		}
		if len(files) == 0 {
			t.Fatalf("no seed workbook for %s", office)
		}
		out[office] = files
	}
	return out
}

// start starts a process for the test; stop (also run at the end) ends it and waits.
func start(t *testing.T, cmd *exec.Cmd) (stop func()) {
	t.Helper()
	var log bytes.Buffer
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("%s:\n%s", filepath.Base(cmd.Path), log.String())
		}
	}
	t.Cleanup(stop)
	return stop
}

// waitMetrics polls /metrics until it holds want, and returns it.
func waitMetrics(t *testing.T, addr, want string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var body string
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err == nil {
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(data)
			if strings.Contains(body, want) {
				return body
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s on %s; last /metrics:\n%s", want, addr, body)
	return ""
}

// checkMaintainerScripts runs the package's postinst, prerm and postrm as dpkg would on
// install, reconfigure, remove and purge (twice each, for idempotence), for real against a
// copy of this machine's /etc: each runs in a mount namespace (unshare) where the copy is
// bind-mounted on /etc, and test directories on /var/lib, /run and the unit directory. So
// adduser, deluser, addgroup, delgroup, getent and deb-systemd-helper are the real programs,
// changing the copy only. /run/systemd/system exists there, as under a booted systemd, and
// systemctl and deb-systemd-invoke are shims on PATH that record their calls (there is no
// systemd to talk to here).
func checkMaintainerScripts(t *testing.T, p debPackage, unshare string) {
	dir := t.TempDir()
	etc, varLib, runDir, units, shims := filepath.Join(dir, "etc"), filepath.Join(dir, "var-lib"), filepath.Join(dir, "run"),
		filepath.Join(dir, "units"), filepath.Join(dir, "shims")
	for _, d := range []string{etc, varLib, filepath.Join(runDir, "systemd/system"), units, shims} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	run(t, "cp", "-a", "/etc/.", etc)
	unitDir := "/lib/systemd/system"
	run(t, "cp", "-a", unitDir+"/.", units)
	run(t, "cp", filepath.Join(p.root, "lib/systemd/system/jkn_exporter.service"), units)
	calls := filepath.Join(dir, "calls")
	// The shims record every call; systemctl's offline work (--root: deb-systemd-helper
	// enables the unit with `systemctl --root=/ preset`, which edits /etc/systemd/system)
	// is done by the real systemctl.
	systemctl, err := exec.LookPath("systemctl")
	if err != nil {
		systemctl = "/usr/bin/systemctl"
	}
	for shim, then := range map[string]string{
		"systemctl":          "case \"$*\" in *--root=*) exec " + systemctl + " \"$@\" ;; esac\n",
		"deb-systemd-invoke": "",
	} {
		script := "#!/bin/sh\necho \"" + shim + " $*\" >>" + calls + "\n" + then
		if err := os.WriteFile(filepath.Join(shims, shim), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}

	// maint runs one maintainer script of the package with dpkg's arguments.
	maint := func(script string, args ...string) {
		t.Helper()
		mounts := fmt.Sprintf(`set -e
mount --bind '%s' /etc
mount --bind '%s' /var/lib
mount --bind '%s' /run
mount --bind '%s' '%s'
exec "$@"`, etc, varLib, runDir, units, unitDir)
		cmd := exec.Command(unshare, append([]string{"--mount", "--propagation", "private", "sh", "-c", mounts, "sh",
			filepath.Join(p.control, script)}, args...)...)
		cmd.Dir = "/"
		// The environment dpkg gives maintainer scripts (deb-systemd-helper insists on it).
		cmd.Env = []string{"PATH=" + shims + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C.UTF-8",
			"DPKG_MAINTSCRIPT_PACKAGE=jkn-exporter", "DPKG_MAINTSCRIPT_NAME=" + script, "DPKG_MAINTSCRIPT_ARCH=amd64",
			"DPKG_MAINTSCRIPT_PACKAGE_REFCOUNT=1", "DPKG_ROOT=", "DPKG_ADMINDIR=/var/lib/dpkg"}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", script, strings.Join(args, " "), err, out)
		}
	}
	entries := func(file, name string) []string {
		t.Helper()
		f, err := os.Open(filepath.Join(etc, file))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var out []string
		s := bufio.NewScanner(f)
		for s.Scan() {
			if strings.HasPrefix(s.Text(), name+":") {
				out = append(out, s.Text())
			}
		}
		return out
	}
	takeCalls := func() []string {
		data, _ := os.ReadFile(calls)
		_ = os.Remove(calls)
		return strings.Split(strings.TrimSpace(string(data)), "\n")
	}
	wants := filepath.Join(etc, "systemd/system/multi-user.target.wants/jkn_exporter.service")
	mask := filepath.Join(etc, "systemd/system/jkn_exporter.service")
	if n := len(entries("passwd", "jkn_exporter")) + len(entries("group", "jkn_exporter")); n != 0 {
		t.Fatalf("this machine already has a jkn_exporter user or group")
	}

	// Installation: dpkg runs postinst configure with no old version.
	maint("postinst", "configure")
	users := entries("passwd", "jkn_exporter")
	groups := entries("group", "jkn_exporter")
	if len(users) != 1 || len(groups) != 1 {
		t.Fatalf("after postinst configure: passwd %q, group %q; want one jkn_exporter each", users, groups)
	}
	user := strings.Split(users[0], ":")
	group := strings.Split(groups[0], ":")
	uid, _ := strconv.Atoi(user[2]) // not a number: 0, not a system user
	if uid <= 0 || uid >= 1000 || user[3] != group[2] || user[5] != "/var/lib/jkn_exporter" || user[6] != "/usr/sbin/nologin" {
		t.Errorf("jkn_exporter is %q (group %q): want a system user (uid below 1000) in its own group, home /var/lib/jkn_exporter, no login", users[0], groups[0])
	}
	if target, err := os.Readlink(wants); err != nil || target != "/lib/systemd/system/jkn_exporter.service" {
		t.Errorf("postinst did not enable the unit (%s -> %q, %v)", wants, target, err)
	}
	preset := "systemctl --root=/ --system --preset-mode=enable-only preset jkn_exporter.service"
	if got, want := takeCalls(), []string{preset, "systemctl --system daemon-reload", "deb-systemd-invoke start jkn_exporter.service"}; !slices.Equal(got, want) {
		t.Errorf("postinst configure called %q, want %q", got, want)
	}

	// Again, as on an upgrade or dpkg-reconfigure: the same user, restarted.
	maint("postinst", "configure", "1.2.2-1")
	if again := entries("passwd", "jkn_exporter"); !slices.Equal(again, users) || len(entries("group", "jkn_exporter")) != 1 {
		t.Errorf("after a second postinst configure: passwd %q, want %q", again, users)
	}
	if got, want := takeCalls(), []string{"systemctl --system daemon-reload", "deb-systemd-invoke restart jkn_exporter.service"}; !slices.Equal(got, want) {
		t.Errorf("postinst configure 1.2.2-1 called %q, want %q", got, want)
	}

	// Removal: stopped, masked, the user kept (dpkg keeps the conffiles too).
	maint("prerm", "remove")
	if got, want := takeCalls(), []string{"deb-systemd-invoke stop jkn_exporter.service"}; !slices.Equal(got, want) {
		t.Errorf("prerm remove called %q, want %q", got, want)
	}
	maint("postrm", "remove")
	if target, err := os.Readlink(mask); err != nil || target != "/dev/null" {
		t.Errorf("postrm remove did not mask the unit (%s -> %q, %v)", mask, target, err)
	}
	if len(entries("passwd", "jkn_exporter")) != 1 {
		t.Error("postrm remove removed the user; only purge does")
	}
	takeCalls()

	// Purge: the state directory, the unit's links and mask, the user and the group go.
	state := filepath.Join(varLib, "jkn_exporter")
	if err := os.MkdirAll(state, 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(state, "kc-palembang.snapshot"), []byte("x"), 0o640); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		maint("postrm", "purge")
		if u, g := entries("passwd", "jkn_exporter"), entries("group", "jkn_exporter"); len(u)+len(g) != 0 {
			t.Errorf("after postrm purge #%d: passwd %q, group %q remain", i+1, u, g)
		}
		if s := entries("shadow", "jkn_exporter"); len(s) != 0 {
			t.Errorf("after postrm purge #%d: shadow %q remains", i+1, s)
		}
		for _, path := range []string{state, wants, mask} {
			if _, err := os.Lstat(path); !os.IsNotExist(err) {
				t.Errorf("after postrm purge #%d: %s remains (%v)", i+1, path, err)
			}
		}
	}
	for _, call := range takeCalls() {
		if !strings.HasSuffix(call, " daemon-reload") {
			t.Errorf("postrm purge called %q; want daemon-reloads only", call)
		}
	}
}
