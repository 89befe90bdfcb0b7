package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/jkn-exporter/jkn_exporter/exporter/template"
)

func TestTemplateCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "kc_palembang.xlsx")
	code, stdout, stderr := runCmd("template", "--province=Sumatera Selatan", "--out="+out)
	if code != 0 || !strings.Contains(stderr, "wrote "+out+": 17 rows (regency of Provinsi Sumatera Selatan, 16)") {
		t.Fatalf("template: exit %d\n%s%s", code, stdout, stderr)
	}

	// An office fills in Banyuasin and the date, and `check` reads it back.
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for cell, v := range map[string]any{template.AsOfCell: time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC), "C11": 837062, "D11": 817221} {
		if err := f.SetCellValue(template.DataSheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, stdout, _ = runCmd("check", "--lang=en", out)
	for _, want := range []string{`sheet "Data", header row 4`, "as of 2023-09-01, from title_cell", "row 11   16.07", "coverage 97.63%", "result: ok"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("check of the filled template (exit %d) lacks %q:\n%s", code, want, stdout)
		}
	}
	if strings.Contains(stdout, "findings (") {
		t.Errorf("check reports findings on a filled template:\n%s", stdout)
	}

	// Default name in the current directory; stdout with --out=-.
	t.Chdir(dir)
	if code, _, stderr := runCmd("template", "--province=16", "--level=district"); code != 0 {
		t.Fatalf("district template: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "template_16_district.xlsx")); err != nil {
		t.Errorf("default output name: %v", err)
	}
	code, stdout, _ = runCmd("template", "--province=19", "--out=-")
	if code != 0 || !strings.HasPrefix(stdout, "PK\x03\x04") {
		t.Errorf("--out=-: exit %d, %d bytes starting %q", code, len(stdout), stdout[:min(4, len(stdout))])
	}

	for _, bad := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"template", "--province=Atlantis"}, 1, `unknown province "Atlantis"`},
		{[]string{"template", "--province=Banyuasin"}, 1, "not a province"},
		{[]string{"template", "--province=16", "--level=village"}, 2, "village"},
		{[]string{"template"}, 2, "--province"},
		{[]string{"template", "--province=16", "--out=" + filepath.Join(dir, "missing", "t.xlsx")}, 1, "missing"},
	} {
		code, _, stderr := runCmd(bad.args...)
		if code != bad.code || !strings.Contains(stderr, bad.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", bad.args, code, stderr, bad.code, bad.want)
		}
	}
}
