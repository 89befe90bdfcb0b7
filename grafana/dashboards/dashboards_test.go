package dashboards

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
)

const regenerate = "run `go generate ./grafana/...` (or `make dashboards`) and commit the result"

// TestCommittedJSONIsGenerated fails when the committed JSON differs from what the
// generator writes: Grafana provisions the files, not the Go code.
func TestCommittedJSONIsGenerated(t *testing.T) {
	files, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	layout, err := Layout()
	if err != nil {
		t.Fatal(err)
	}
	files[LayoutFile] = layout
	for name, want := range files {
		got, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("grafana/dashboards/%s: %v; %s", name, err, regenerate)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("grafana/dashboards/%s differs from the generator's output; %s", name, regenerate)
		}
	}
	committed, err := filepath.Glob("*.json")
	if err != nil {
		t.Fatal(err)
	}
	english, err := filepath.Glob("../en/dashboards/*.json")
	if err != nil {
		t.Fatal(err)
	}
	committed = append(committed, english...)
	for _, name := range committed {
		if _, ok := files[name]; !ok {
			t.Errorf("grafana/dashboards/%s is not generated any more: delete it", name)
		}
	}
}

// buildErrors returns nil for a nil error and for an empty cog.BuildErrors: the SDK's strict
// unmarshalling and Validate return a typed nil on success, which is not == nil.
func buildErrors(err error) error {
	var errs cog.BuildErrors
	if errors.As(err, &errs) && len(errs) == 0 {
		return nil
	}
	return err
}

// rawPanel holds what the conventions need of a panel, read without the SDK so that
// nothing the SDK drops goes unchecked.
type rawPanel struct {
	Type        string             `json:"type"`
	ID          *uint32            `json:"id"`
	Title       string             `json:"title"`
	Description string             `json:"description"`
	Datasource  *rawDatasource     `json:"datasource"`
	Targets     []json.RawMessage  `json:"targets"`
	Panels      []rawPanel         `json:"panels"`
	FieldConfig *rawFieldConfig    `json:"fieldConfig"`
	GridPos     *dashboard.GridPos `json:"gridPos"`
}

type rawDatasource struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type rawFieldConfig struct {
	Defaults struct {
		Unit string `json:"unit"`
	} `json:"defaults"`
}

func (ds *rawDatasource) isVariable() bool {
	return ds != nil && ds.Type == "prometheus" && ds.UID == "$datasource"
}

func TestDashboards(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	files, err := Build()
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	uids := map[string]bool{}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			data := files[name]
			var d dashboard.Dashboard
			if err := buildErrors(d.UnmarshalJSONStrict(data)); err != nil {
				t.Fatalf("strict unmarshal: %v", err)
			}
			if err := buildErrors(d.Validate()); err != nil {
				t.Fatalf("validate: %v", err)
			}
			if d.Uid == nil || *d.Uid+".json" != filepath.Base(name) {
				t.Errorf("uid %v does not match the file name", d.Uid)
			} else if uids[*d.Uid] {
				t.Errorf("uid %s used twice", *d.Uid)
			} else {
				uids[*d.Uid] = true
			}
			if d.Editable == nil || *d.Editable {
				t.Error("dashboard is editable; provisioned dashboards are read-only")
			}
			if d.Description == nil || *d.Description == "" {
				t.Error("dashboard has no description")
			}
			checkVariables(t, d)

			var raw struct {
				Panels []rawPanel `json:"panels"`
			}
			if err := json.Unmarshal(data, &raw); err != nil {
				t.Fatal(err)
			}
			ids := map[uint32]bool{}
			for _, p := range raw.Panels {
				checkPanel(t, p, ids)
				for _, nested := range p.Panels {
					checkPanel(t, nested, ids)
				}
			}
		})
	}
}

func checkVariables(t *testing.T, d dashboard.Dashboard) {
	t.Helper()
	found := false
	for _, v := range d.Templating.List {
		switch v.Type {
		case dashboard.VariableTypeDatasource:
			if v.Name == "datasource" && v.Query != nil && v.Query.String != nil && *v.Query.String == "prometheus" {
				found = true
			}
		case dashboard.VariableTypeQuery:
			if v.Datasource == nil || v.Datasource.Uid == nil || *v.Datasource.Uid != "$datasource" {
				t.Errorf("variable %s does not query $datasource", v.Name)
			}
		}
	}
	if !found {
		t.Error("no $datasource variable of type prometheus")
	}
}

func checkPanel(t *testing.T, p rawPanel, ids map[uint32]bool) {
	t.Helper()
	if p.ID == nil {
		t.Errorf("panel %q has no id", p.Title)
	} else if ids[*p.ID] {
		t.Errorf("panel %q: id %d used twice", p.Title, *p.ID)
	} else {
		ids[*p.ID] = true
	}
	if p.GridPos == nil || p.GridPos.X+p.GridPos.W > 24 {
		t.Errorf("panel %q lies outside the 24-column grid: %+v", p.Title, p.GridPos)
	}
	if p.Type == "row" {
		return
	}
	if p.Title == "" {
		t.Errorf("a %s panel has no title", p.Type)
	}
	if p.Description == "" {
		t.Errorf("panel %q has no description", p.Title)
	}
	if p.FieldConfig == nil || p.FieldConfig.Defaults.Unit == "" {
		t.Errorf("panel %q has no unit", p.Title)
	}
	if !p.Datasource.isVariable() {
		t.Errorf("panel %q does not use the $datasource variable: %+v", p.Title, p.Datasource)
	}
	if len(p.Targets) == 0 {
		t.Errorf("panel %q has no query", p.Title)
	}
	refIDs := map[string]bool{}
	for i, raw := range p.Targets {
		var q prometheus.Dataquery
		if err := buildErrors(q.UnmarshalJSONStrict(raw)); err != nil {
			t.Errorf("panel %q, query %d: strict unmarshal: %v", p.Title, i, err)
			continue
		}
		if err := buildErrors(q.Validate()); err != nil {
			t.Errorf("panel %q, query %d: validate: %v", p.Title, i, err)
		}
		if q.RefId == nil || *q.RefId == "" {
			t.Errorf("panel %q, query %d has no refId", p.Title, i)
		} else if refIDs[*q.RefId] {
			t.Errorf("panel %q: refId %s used twice", p.Title, *q.RefId)
		} else {
			refIDs[*q.RefId] = true
		}
		if q.Expr == "" {
			t.Errorf("panel %q, query %d has no expression", p.Title, i)
		}
		var ds *rawDatasource
		if q.Datasource != nil && q.Datasource.Type != nil && q.Datasource.Uid != nil {
			ds = &rawDatasource{Type: *q.Datasource.Type, UID: *q.Datasource.Uid}
		}
		if !ds.isVariable() {
			t.Errorf("panel %q, query %d does not use the $datasource variable", p.Title, i)
		}
	}
}
