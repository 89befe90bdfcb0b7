package backfill_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/backfill"
	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/region"
)

var update = flag.Bool("update", false, "rewrite the golden histories (review the diff before committing)")

// caseSources is every case folder of the exporter's golden tests as a
// source of its own, with its source.yml settings.
func caseSources(t *testing.T) []*exporter.Source {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join("..", "testdata", "*", "source.yml"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no case folders: %v", err)
	}
	var cfg config.Config
	for _, yml := range dirs {
		data, err := os.ReadFile(yml)
		if err != nil {
			t.Fatal(err)
		}
		var cs struct {
			BranchOffice string `yaml:"branch_office"`
			Province     string `yaml:"province"`
		}
		if err := yaml.Unmarshal(data, &cs); err != nil {
			t.Fatalf("%s: %v", yml, err)
		}
		dir := filepath.Dir(yml)
		cfg.Sources = append(cfg.Sources, config.Source{Name: strings.ReplaceAll(filepath.Base(dir), "_", "-"), Path: dir,
			BranchOffice: cs.BranchOffice, Province: cs.Province})
	}
	return exporter.SourcesFromConfig(&cfg)
}

// TestBackfillGolden: the history written for the fixture (with job and
// instance labels) and for every golden case of the exporter is, byte for
// byte, the reviewed file in testdata/.
func TestBackfillGolden(t *testing.T) {
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	labels := []backfill.Label{{Name: "job", Value: "jkn"}, {Name: "instance", Value: "jkn_exporter:10947"}}
	for _, c := range []struct {
		golden string
		srcs   []*exporter.Source
		labels []backfill.Label
	}{
		{"fixture.om", fixture(t), labels},
		{"cases.om", caseSources(t), nil},
	} {
		om, _ := run(t, c.srcs, ref, c.labels...)
		path := filepath.Join("testdata", c.golden)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(om), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal([]byte(om), want) {
			t.Errorf("history differs from %s (run with -update and review the diff)", path)
		}
	}
}
