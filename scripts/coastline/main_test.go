package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/exporter/web/svgmap"
)

// quantum is the test topology's grid, in degrees.
const quantum = 0.001

// arc encodes degrees as a quantised TopoJSON arc: the first position on
// the grid, the rest as differences.
func arc(pts ...[2]float64) [][2]float64 {
	out := make([][2]float64, len(pts))
	var px, py float64
	for i, p := range pts {
		x, y := math.Round(p[0]/quantum), math.Round(p[1]/quantum)
		out[i] = [2]float64{x - px, y - py}
		px, py = x, y
	}
	return out
}

// TestRun: a small topology through the script. Indonesia and Malaysia
// share a border arc, Indonesia's other arc has a wiggle under the
// tolerance and it has an island under the smallest area; Australia
// reaches south of the frame; France is not drawn.
func TestRun(t *testing.T) {
	topo := map[string]any{
		"type":      "Topology",
		"transform": map[string]any{"scale": []float64{quantum, quantum}, "translate": []float64{0, 0}},
		"arcs": [][][2]float64{
			arc([2]float64{110, 0}, [2]float64{110, 2}),                                                                         // 0: the border
			arc([2]float64{110, 2}, [2]float64{109, 2.004}, [2]float64{108, 2}, [2]float64{108, 0}, [2]float64{110, 0}),         // 1: Indonesia
			arc([2]float64{110, 0}, [2]float64{112, 0}, [2]float64{112, 2}, [2]float64{110, 2}),                                 // 2: Malaysia
			arc([2]float64{120, 1}, [2]float64{120.01, 1}, [2]float64{120.01, 1.01}, [2]float64{120, 1.01}, [2]float64{120, 1}), // 3: an islet
			arc([2]float64{130, -11}, [2]float64{131, -11}, [2]float64{131, -12}, [2]float64{130, -12}, [2]float64{130, -11}),   // 4: Australia
			arc([2]float64{100, 0}, [2]float64{101, 0}, [2]float64{101, 1}, [2]float64{100, 0}),                                 // 5: France
		},
		"objects": map[string]any{"countries": map[string]any{"type": "GeometryCollection", "geometries": []any{
			map[string]any{"type": "Polygon", "id": "036", "arcs": [][]int{{4}}, "properties": map[string]any{"name": "Australia"}},
			map[string]any{"type": "MultiPolygon", "id": "360", "arcs": [][][]int{{{0, 1}}, {{3}}}, "properties": map[string]any{"name": "Indonesia"}},
			map[string]any{"type": "Polygon", "id": "458", "arcs": [][]int{{^0, 2}}, "properties": map[string]any{"name": "Malaysia"}},
			map[string]any{"type": "Polygon", "id": "250", "arcs": [][]int{{5}}, "properties": map[string]any{"name": "France"}},
		}}},
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "countries.json"), filepath.Join(dir, "coastline.geojson")
	raw, err := json.Marshal(topo)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(in, out, 0.01, 0.0004); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string                `json:"type"`
		Features []svgmap.CoastFeature `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		t.Fatalf("output is not GeoJSON: %v\n%s", err, data)
	}
	if len(fc.Features) != 3 || fc.Features[0].Properties.ISON3 != "036" || fc.Features[1].Properties.ISON3 != "360" || fc.Features[2].Properties.ISON3 != "458" {
		t.Fatalf("features %+v, want Australia, Indonesia, Malaysia in code order", fc.Features)
	}
	aus, idn, mys := fc.Features[0], fc.Features[1], fc.Features[2]
	if !idn.Properties.Indonesia || aus.Properties.Indonesia || mys.Properties.Indonesia || idn.Properties.Name != "Indonesia" {
		t.Errorf("Indonesia flags: %+v %+v %+v", aus.Properties, idn.Properties, mys.Properties)
	}
	// Indonesia: the islet dropped, the wiggle simplified away, the ring
	// closed.
	want := [][2]float64{{110, 0}, {110, 2}, {108, 2}, {108, 0}, {110, 0}}
	if got := idn.Geometry.Coordinates; len(got) != 1 || len(got[0]) != 1 || !equal(got[0][0], want) {
		t.Errorf("Indonesia %v, want the one ring %v", got, want)
	}
	// Malaysia: the shared border, point for point, the other way round.
	want = [][2]float64{{110, 2}, {110, 0}, {112, 0}, {112, 2}, {110, 2}}
	if got := mys.Geometry.Coordinates; len(got) != 1 || !equal(got[0][0], want) {
		t.Errorf("Malaysia %v, want %v", got, want)
	}
	// Australia: cut at the frame's southern edge.
	minLat := math.Inf(1)
	for _, p := range aus.Geometry.Coordinates[0][0] {
		minLat = min(minLat, p[1])
	}
	if minLat != frame.MinLat {
		t.Errorf("Australia reaches %v, want clipped at %v: %v", minLat, frame.MinLat, aus.Geometry.Coordinates)
	}
}

func equal(a, b [][2]float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i][0]-b[i][0]) > 1e-9 || math.Abs(a[i][1]-b[i][1]) > 1e-9 {
			return false
		}
	}
	return true
}
