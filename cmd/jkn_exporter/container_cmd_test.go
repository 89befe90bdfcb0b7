package main

import (
	"bufio"
	"bytes"
	"debug/elf"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/internal/testtool"
)

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, ...
	args string
}

// stage is one FROM and the instructions under it.
type stage struct {
	from, name string
	ins        []instruction
}

func (s *stage) all(cmd string) []string {
	var out []string
	for _, in := range s.ins {
		if in.cmd == cmd {
			out = append(out, in.args)
		}
	}
	return out
}

// parseDockerfile reads the subset of Dockerfile syntax this repository
// uses: comments, line continuations, instructions; enough to check it.
func parseDockerfile(t *testing.T, path string) []*stage {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var stages []*stage
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		if in.cmd == "FROM" {
			from, name, _ := strings.Cut(in.args, " AS ")
			stages = append(stages, &stage{from: strings.TrimSpace(from), name: strings.TrimSpace(name)})
			return
		}
		if len(stages) == 0 {
			t.Fatalf("%s before the first FROM", line)
		}
		stages[len(stages)-1].ins = append(stages[len(stages)-1].ins, in)
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		cur.WriteString(line)
		flush()
	}
	flush()
	return stages
}

// execForm decodes a JSON-array ENTRYPOINT or CMD.
func execForm(t *testing.T, s string) []string {
	t.Helper()
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		t.Fatalf("%s is not in exec form: %v", s, err)
	}
	return out
}

// TestDockerfile checks what can be checked of the image without a
// Docker engine: the build runs the Makefile's build target, whose recipe
// makes a static, trimmed, version-stamped binary; the runtime stage runs
// that binary as a non-root user with flags it accepts, on the default
// port, with the storage path on the volume. No image is built here.
func TestDockerfile(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	stages := parseDockerfile(t, filepath.Join(root, "Dockerfile"))
	if len(stages) != 2 {
		t.Fatalf("%d stages, want build and runtime", len(stages))
	}
	build, rt := stages[0], stages[1]

	// The Go of the build image is go.mod's.
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goVersion := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(gomod)
	if goVersion == nil || build.from != "golang:"+string(goVersion[1]) || build.name != "build" {
		t.Errorf("build stage FROM %q AS %q, want golang:%s AS build", build.from, build.name, goVersion[1])
	}

	// The binary comes from `make build`, with the version passed in.
	var makeRun string
	for _, r := range build.all("RUN") {
		if strings.HasPrefix(r, "make build") {
			makeRun = r
		}
	}
	for _, want := range []string{`VERSION="$VERSION"`, `REVISION="$REVISION"`, `BRANCH="$BRANCH"`} {
		if !strings.Contains(makeRun, want) {
			t.Errorf("build stage RUN %q lacks %s", makeRun, want)
		}
	}
	for _, arg := range []string{"VERSION", "REVISION", "BRANCH"} {
		if !slices.ContainsFunc(build.all("ARG"), func(a string) bool { return strings.HasPrefix(a, arg+"=") }) {
			t.Errorf("build stage has no ARG %s", arg)
		}
	}

	// What `make build` runs, with test version values.
	mk := exec.Command(testtool.Need(t, "make"), "-s", "-n", "build", "VERSION=v9.9.9-test", "REVISION=c0ffee", "BRANCH=test-branch")
	mk.Dir = root
	recipe, err := mk.Output()
	if err != nil {
		t.Fatalf("make -n build: %v", err)
	}
	cmdline := strings.TrimSpace(string(recipe))
	for _, want := range []string{
		"CGO_ENABLED=0 ", " build -trimpath ", "-s -w",
		"-X github.com/prometheus/common/version.Version=v9.9.9-test",
		"-X github.com/prometheus/common/version.Revision=c0ffee",
		"-X github.com/prometheus/common/version.Branch=test-branch",
		" -o jkn_exporter ./cmd/jkn_exporter",
	} {
		if !strings.Contains(cmdline, want) {
			t.Errorf("make build runs %q: lacks %q", cmdline, want)
		}
	}
	// The runtime stage copies what that recipe wrote in the build WORKDIR.
	workdir := build.all("WORKDIR")
	copies := rt.all("COPY")
	if len(workdir) != 1 || len(copies) == 0 || copies[0] != "--from=build "+workdir[0]+"/jkn_exporter /bin/jkn_exporter" {
		t.Errorf("runtime COPY %q does not take the build's %v/jkn_exporter", copies, workdir)
	}

	// Run the recipe itself, into a temporary directory.
	bin := filepath.Join(t.TempDir(), "jkn_exporter")
	sh := exec.Command("sh", "-c", strings.Replace(cmdline, " -o jkn_exporter ", " -o '"+bin+"' ", 1))
	sh.Dir = root
	if out, err := sh.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", cmdline, err, out)
	}
	assertStatic(t, bin, root)

	// Runtime stage.
	if !strings.HasPrefix(rt.from, "gcr.io/distroless/static") || !strings.HasSuffix(rt.from, ":nonroot") {
		t.Errorf("runtime FROM %q, want a distroless static nonroot image", rt.from)
	}
	users := rt.all("USER")
	if len(users) != 1 || regexp.MustCompile(`^(0|root)(:|$)`).MatchString(users[0]) {
		t.Errorf("USER %v: want one non-root user", users)
	}
	_, port, _ := net.SplitHostPort(defaultAddress)
	if got := rt.all("EXPOSE"); !slices.Equal(got, []string{port}) {
		t.Errorf("EXPOSE %v, want the default listen port %s", got, port)
	}
	entry := rt.all("ENTRYPOINT")
	if len(entry) != 1 || !slices.Equal(execForm(t, entry[0]), []string{"/bin/jkn_exporter"}) {
		t.Errorf("ENTRYPOINT %v, want [\"/bin/jkn_exporter\"]", entry)
	}
	cmds := rt.all("CMD")
	if len(cmds) != 1 {
		t.Fatalf("CMD %v", cmds)
	}
	args := execForm(t, cmds[0])
	var storage string
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "--storage.path="); ok {
			storage = v
		}
	}
	if vols := rt.all("VOLUME"); storage == "" || !slices.Equal(vols, []string{storage}) {
		t.Errorf("VOLUME %v, CMD --storage.path=%q: want the storage path on the volume", vols, storage)
	}
	// The volume directory exists in the image, owned by the USER.
	wantOwned := "--from=build --chown=" + users[0] + " /rootfs" + storage + " " + storage
	if !slices.Contains(copies, wantOwned) {
		t.Errorf("no COPY %q among %q: the volume would be root's", wantOwned, copies)
	}
	labels := strings.Join(rt.all("LABEL"), " ")
	for _, want := range []string{
		`org.opencontainers.image.title="jkn_exporter"`, `org.opencontainers.image.description="`,
		`org.opencontainers.image.source="https://github.com/jkn-exporter/jkn_exporter"`,
		`org.opencontainers.image.licenses="`,
		`org.opencontainers.image.version="$VERSION"`, `org.opencontainers.image.revision="$REVISION"`,
	} {
		if !strings.Contains(labels, want) {
			t.Errorf("LABEL lacks %s", want)
		}
	}
	for _, arg := range []string{"VERSION", "REVISION"} {
		if !slices.ContainsFunc(rt.all("ARG"), func(a string) bool { return strings.HasPrefix(a, arg) }) {
			t.Errorf("runtime stage uses $%s in a LABEL without declaring ARG %s", arg, arg)
		}
	}

	// The image's command, as the image runs it (no config: the demo),
	// on a free port: ready, serving, version stamped.
	addr, _ := startExporter(t, bin, args...)
	metrics := get(t, "http://"+addr+"/metrics")
	for _, want := range []string{
		`jkn_participants{region_code="16.07"`,
		`version="v9.9.9-test"`, `revision="c0ffee"`, `branch="test-branch"`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("binary from the image's build, run with %q: /metrics lacks %s", args, want)
		}
	}
}

// assertStatic checks that a binary needs no dynamic loader or shared
// library (it runs on distroless/static) and carries no build-machine path.
func assertStatic(t *testing.T, bin, root string) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("%s has a %s program header: dynamically linked", bin, p.Type)
		}
	}
	if libs, err := f.ImportedLibraries(); err != nil || len(libs) > 0 {
		t.Errorf("%s imports shared libraries %v (%v)", bin, libs, err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(root+"/")) {
		t.Errorf("%s contains the source path %s: built without -trimpath", bin, root)
	}
}

// TestDockerignoreKeepsBuildInputs checks that .dockerignore leaves in
// every file `make build` needs: the module files, the Makefile, the
// packages and the embedded data.
func TestDockerignoreKeepsBuildInputs(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	var patterns []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			patterns = append(patterns, strings.TrimPrefix(l, "/"))
		}
	}
	// A path is excluded when a pattern matches it or a directory above it
	// (Docker's rule, for patterns without "**" or "!", which are not used).
	excluded := func(rel string) string {
		for _, p := range patterns {
			if strings.Contains(p, "**") || strings.HasPrefix(p, "!") {
				t.Fatalf(".dockerignore pattern %q: extend this test's matcher first", p)
			}
			for dir := rel; dir != "."; dir = filepath.Dir(dir) {
				if ok, _ := filepath.Match(p, dir); ok {
					return p
				}
			}
		}
		return ""
	}
	needed := []string{"go.mod", "go.sum", "Makefile"}
	for _, dir := range []string{"cmd", "criteria", "exporter", "internal", "jkn", "region", "sources"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(path, "_test.go") {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			needed = append(needed, rel)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, rel := range needed {
		if p := excluded(rel); p != "" {
			t.Errorf(".dockerignore pattern %q leaves %s out of the build context", p, rel)
		}
	}
	for _, rel := range []string{".git", "jkn_exporter", "data/snap.json"} {
		if excluded(rel) == "" {
			t.Errorf(".dockerignore does not leave out %s", rel)
		}
	}
	if len(needed) < 20 || !slices.Contains(needed, filepath.Join("region", "data", "regencies.csv")) {
		t.Errorf("only %d build inputs found", len(needed))
	}
}
