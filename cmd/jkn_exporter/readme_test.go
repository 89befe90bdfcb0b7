package main

import (
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// childEnv, set in the environment, makes this test binary the exporter:
// TestMain runs run() with the binary's arguments instead of the tests. The
// README tests run the program that way, without building it.
const childEnv = "JKN_EXPORTER_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// readmeSection returns README.md's section under a heading line, up to
// the next heading of the same level or higher.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "\n"+heading+"\n")
	if !ok {
		t.Fatalf("README.md has no %q", heading)
	}
	level := strings.IndexByte(heading, ' ')
	lines := strings.Split(rest, "\n")
	fenced := false
	for i, l := range lines {
		if strings.HasPrefix(l, "```") {
			fenced = !fenced
		}
		if n := len(l) - len(strings.TrimLeft(l, "#")); !fenced && n > 0 && n <= level && strings.HasPrefix(l[n:], " ") {
			return strings.Join(lines[:i], "\n")
		}
	}
	return rest
}

// tableNames returns the names a pattern finds in the first column of the
// Markdown tables of a section.
func tableNames(section string, name *regexp.Regexp) []string {
	var out []string
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(line, "|")
		if !strings.HasPrefix(line, "|") || len(cells) < 3 {
			continue
		}
		for _, m := range name.FindAllStringSubmatch(cells[1], -1) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// compare reports the names one list has and the other lacks.
func compare(t *testing.T, what string, documented, actual []string) {
	t.Helper()
	for _, n := range actual {
		if !slices.Contains(documented, n) {
			t.Errorf("README.md's %s lack %s", what, n)
		}
	}
	for _, n := range documented {
		if !slices.Contains(actual, n) {
			t.Errorf("README.md's %s name %s, which the exporter does not have", what, n)
		}
	}
}

// TestReadmeFlags: README's flag table lists the flags of serve, the
// default command, and the global ones (--help and --version aside), as
// kingpin's --help-long shows them.
func TestReadmeFlags(t *testing.T) {
	cmd := exec.Command(os.Args[0], "--help-long")
	cmd.Env = append(os.Environ(), childEnv+"=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("--help-long: %v\n%s", err, out)
	}
	_, flags, ok := strings.Cut(string(out), "\nFlags:\n")
	if ok {
		flags, _, ok = strings.Cut(flags, "\nCommands:\n")
	}
	if !ok {
		t.Fatalf("--help-long has no Flags and Commands sections:\n%s", out)
	}
	// "  -h, --help", "      --config.file=...": a flag's line; its help
	// goes on further in, where "--help-long" is no flag.
	flag := regexp.MustCompile(`^  (?:-\w, |    )--(?:\[no-\])?([a-z][\w.-]*)`)
	var actual []string
	for _, line := range strings.Split(flags, "\n") {
		if m := flag.FindStringSubmatch(line); m != nil && m[1] != "help" && m[1] != "version" {
			actual = append(actual, m[1])
		}
	}
	slices.Sort(actual)
	if len(actual) < 5 {
		t.Fatalf("found only %v in --help-long:\n%s", actual, flags)
	}
	documented := tableNames(readmeSection(t, "### Flags"), regexp.MustCompile("`--([a-z][\\w.-]*)"))
	compare(t, "flags", documented, actual)
}

// onlyOnError are metric families the demo does not render: a counter
// that has counted nothing has no series, nor a family no demo sheet
// fills. Each is still in the README.
var onlyOnError = []string{
	"jkn_snapshot_persist_errors_total", // the demo keeps no snapshot on disk
	"jkn_source_ingest_errors_total",    // the demo's workbooks are all read
	// The demo's sources have no schedule: read once, never found unchanged.
	"jkn_source_files_unchanged_total",
	// Only from sheets that split each segment into Aktif | Non Aktif.
	"jkn_segment_active_participants",
	// Only for a region a source expects and its newest sheet leaves out:
	// the demo's sheets carry every region they carried before.
	"jkn_region_missing",
}

// TestReadmeMetrics: README's metric tables name every jkn_ family the
// seed demo serves on /metrics, region and self-metrics alike, and no other
// (but the counters of onlyOnError, which the exporter's code must still
// declare). go_ and process_ are the client library's standard families.
func TestReadmeMetrics(t *testing.T) {
	t.Setenv(childEnv, "1")
	p := runExporter(t, os.Args[0])
	exposition := get(t, p.url("/metrics"))
	typeLine := regexp.MustCompile(`(?m)^# TYPE (jkn_\w+) `)
	var actual []string
	for _, m := range typeLine.FindAllStringSubmatch(exposition, -1) {
		if slices.Contains(onlyOnError, m[1]) {
			t.Errorf("the demo now serves %s: take it out of onlyOnError", m[1])
		}
		actual = append(actual, m[1])
	}
	if len(actual) < 10 {
		t.Fatalf("found only %v on /metrics:\n%s", actual, exposition)
	}
	actual = append(actual, onlyOnError...)
	slices.Sort(actual)
	documented := tableNames(readmeSection(t, "## Metrics"), regexp.MustCompile("`(jkn_\\w+)"))
	compare(t, "metric tables", documented, slices.Compact(actual))

	// The exporter's code still declares each of onlyOnError.
	var code strings.Builder
	for _, dir := range []string{"../../exporter", "../../exporter/collector", "../../exporter/snapshot", "../../exporter/ingest"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
				b, err := os.ReadFile(dir + "/" + e.Name())
				if err != nil {
					t.Fatal(err)
				}
				code.Write(b)
			}
		}
	}
	for _, name := range onlyOnError {
		if !strings.Contains(code.String(), `"`+name+`"`) {
			t.Errorf("no code of the exporter declares %s: take it out of onlyOnError and README.md", name)
		}
	}
}
