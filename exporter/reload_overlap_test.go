package exporter

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReloadRefusesOverlappingSources: a reload to a config where a second
// source reads the first one's directory (before: accepted, and every
// series relabelled to the source name that sorts first) is refused with
// the file, line and both names; the running config keeps serving.
func TestReloadRefusesOverlappingSources(t *testing.T) {
	palembang := writeDemo(t, 0)
	cfgFile := filepath.Join(t.TempDir(), "jkn.yml")
	src := func(name, dir string) string {
		return fmt.Sprintf("  - name: %s\n    path: %s\n    settle_time: 1ms\n    branch_office: Palembang\n", name, dir)
	}
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(cfgFile, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("sources:\n" + src("kc-palembang", palembang))
	ctx, e, reg, r := runReloadable(t, cfgFile)
	before := regionSeries(scrape(t, e, reg))
	if !strings.Contains(before, `branch_office="Palembang"`) {
		t.Fatal("initial source not served")
	}

	// "a-..." sorts before "kc-palembang": it took every series before.
	write("sources:\n" + src("kc-palembang", palembang) + src("a-palembang-lagi", palembang+"/."))
	err := r.Reload(ctx)
	want := fmt.Sprintf(`%s:7: source "a-palembang-lagi": path %s/. is the same directory as the path of source "kc-palembang" (%s): `+
		"two sources must not read one directory; give each its own, side by side", cfgFile, palembang, palembang)
	if err == nil || err.Error() != want {
		t.Fatalf("reload: %v\nwant an error with:\n%s", err, want)
	}
	m := scrape(t, e, reg)
	if got := regionSeries(m); got != before || strings.Contains(m, "a-palembang-lagi") {
		t.Errorf("a refused reload changed what is served:\n%s", got)
	}
	if !strings.Contains(m, "jkn_config_last_reload_successful 0") {
		t.Error("the failed reload is not exported")
	}
	if n := len(e.Sources()); n != 1 {
		t.Errorf("%d sources after a refused reload, want 1", n)
	}
}
