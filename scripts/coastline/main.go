// Command coastline writes the status page's map data
// (exporter/web/svgmap/data/coastline.geojson): Indonesia and its
// neighbours from Natural Earth's countries as the npm package world-atlas
// ships them (TopoJSON), simplified and clipped to the map's frame.
//
//	npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
//	go run ./scripts/coastline -in package/countries-10m.json \
//	    -out exporter/web/svgmap/data/coastline.geojson
//
// The borders are simplified once per TopoJSON arc (Douglas-Peucker), so a
// border two countries share stays one line; then each ring is clipped to
// the frame and the islands too small to see at a province's zoom dropped.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"

	"github.com/jkn-exporter/jkn_exporter/exporter/web/svgmap"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// frame is the box the data is clipped to: Indonesia (95.0-141.0 E,
// 11.0 S-6.1 N) with the national map's canvas around it.
var frame = svgmap.BBox{MinLon: 93.8, MaxLon: 142.2, MinLat: -11.5, MaxLat: 6.5}

// countries are the ones drawn, by ISO 3166-1 numeric code (world-atlas's
// ids): Indonesia as the land, the others as neighbours.
var countries = map[string]bool{
	"360": true,                                                          // Indonesia
	"458": false, "702": false, "096": false, "626": false, "598": false, // Malaysia, Singapore, Brunei, Timor-Leste, Papua New Guinea
	"608": false, "764": false, "036": false, // Philippines, Thailand, Australia
}

func main() {
	in := flag.String("in", "countries-10m.json", "world-atlas countries TopoJSON")
	out := flag.String("out", "coastline.geojson", "output GeoJSON")
	tol := flag.Float64("tolerance", 0.01, "Douglas-Peucker tolerance, degrees")
	minArea := flag.Float64("min-area", 0.0004, "smallest island kept, square degrees")
	flag.Parse()
	if err := run(*in, *out, *tol, *minArea); err != nil {
		fmt.Fprintln(os.Stderr, "coastline:", err)
		os.Exit(1)
	}
}

// topology is the part of a TopoJSON file this reads.
type topology struct {
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string          `json:"type"`
				ID         string          `json:"id"`
				Arcs       json.RawMessage `json:"arcs"`
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
	Arcs [][][2]float64 `json:"arcs"`
}

func run(in, out string, tol, minArea float64) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var topo topology
	if err := json.Unmarshal(raw, &topo); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	arcs := decodeArcs(topo)
	for i, a := range arcs {
		arcs[i] = svgmap.Simplify(a, tol)
	}
	var feats []svgmap.CoastFeature
	points := 0
	for _, g := range topo.Objects.Countries.Geometries {
		land, ok := countries[g.ID]
		if !ok {
			continue
		}
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			err = json.Unmarshal(g.Arcs, &p)
			polys = [][][]int{p}
		case "MultiPolygon":
			err = json.Unmarshal(g.Arcs, &polys)
		default:
			err = fmt.Errorf("geometry type %q", g.Type)
		}
		if err != nil {
			return fmt.Errorf("%s %s: %w", in, g.Properties.Name, err)
		}
		f := svgmap.CoastFeature{Type: "Feature"}
		f.Properties.Name, f.Properties.ISON3, f.Properties.Indonesia = g.Properties.Name, g.ID, land
		f.Geometry.Type = "MultiPolygon"
		for _, poly := range polys {
			var rings [][][2]float64
			for i, refs := range poly {
				r := ring(arcs, refs).Clip(frame)
				// A small island is dropped, and a small lake with it.
				if len(r) < 3 || r.Area() < minArea {
					if i == 0 {
						break
					}
					continue
				}
				rings = append(rings, coords(r))
				points += len(r)
			}
			if len(rings) > 0 {
				f.Geometry.Coordinates = append(f.Geometry.Coordinates, rings)
			}
		}
		if len(f.Geometry.Coordinates) > 0 {
			feats = append(feats, f)
		}
	}
	slices.SortFunc(feats, func(a, b svgmap.CoastFeature) int { return cmpStr(a.Properties.ISON3, b.Properties.ISON3) })
	var b bytes.Buffer
	b.WriteString(`{"type":"FeatureCollection","features":[` + "\n")
	for i, f := range feats {
		j, err := json.Marshal(f)
		if err != nil {
			return err
		}
		b.Write(j)
		if i < len(feats)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]}\n")
	if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "coastline: %d countries, %d points, %d bytes\n", len(feats), points, b.Len())
	return nil
}

func cmpStr(a, b string) int {
	x, _ := strconv.Atoi(a)
	y, _ := strconv.Atoi(b)
	return x - y
}

// decodeArcs undoes TopoJSON's quantisation: positions delta-encoded on a
// grid, the transform taking the grid to degrees.
func decodeArcs(t topology) [][]region.Point {
	out := make([][]region.Point, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		pts := make([]region.Point, len(a))
		for j, p := range a {
			if t.Transform == nil {
				pts[j] = region.Point{Lon: p[0], Lat: p[1]}
				continue
			}
			x, y = x+p[0], y+p[1]
			pts[j] = region.Point{Lon: x*t.Transform.Scale[0] + t.Transform.Translate[0], Lat: y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		out[i] = pts
	}
	return out
}

// ring joins a ring's arcs: index ^i is arc i reversed; each arc starts
// where the last ended, so that point is not repeated.
func ring(arcs [][]region.Point, refs []int) svgmap.Ring {
	var r svgmap.Ring
	for _, ref := range refs {
		var a []region.Point
		if ref >= 0 {
			a = arcs[ref]
		} else {
			a = slices.Clone(arcs[^ref])
			slices.Reverse(a)
		}
		if len(r) > 0 {
			a = a[1:]
		}
		r = append(r, a...)
	}
	if n := len(r); n > 1 && r[n-1] == r[0] {
		r = r[:n-1]
	}
	return r
}

// coords writes a ring as GeoJSON wants it: closed, counter-clockwise
// rounded to 3 decimals (about 110 m; the data is simplified to more).
func coords(r svgmap.Ring) [][2]float64 {
	out := make([][2]float64, 0, len(r)+1)
	round := func(v float64) float64 { return math.Round(v*1000) / 1000 }
	for _, p := range append(r, r[0]) {
		out = append(out, [2]float64{round(p.Lon), round(p.Lat)})
	}
	return out
}
