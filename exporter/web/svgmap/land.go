package svgmap

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/jkn-exporter/jkn_exporter/region"
)

// coastlineJSON is Indonesia's and its neighbours' land from Natural Earth,
// simplified and clipped to the map's frame by scripts/coastline (see
// data/README.md). A package variable only because go:embed requires one;
// nothing writes to it.
//
//go:embed data/coastline.geojson
var coastlineJSON []byte

// Land is the map's land: Indonesia's islands, and the neighbours' land
// within the frame (Malaysia, Timor-Leste, Papua New Guinea and the
// others), drawn in a lighter shade. Rings under the even-odd rule: a ring
// inside another is a lake.
type Land struct {
	Indonesia, Neighbours []Ring
	// national is the national view drawn once (the one most pages
	// show: about 2 ms and 0.8 MB of garbage a drawing).
	national [2]string
}

// CoastFeature is one country of data/coastline.geojson, a GeoJSON
// feature: the file's format, which scripts/coastline writes.
type CoastFeature struct {
	Type       string `json:"type"` // "Feature"
	Properties struct {
		Name string `json:"name"`
		// ISON3 is the ISO 3166-1 numeric code, Natural Earth's and
		// world-atlas's id: "360" for Indonesia.
		ISON3 string `json:"iso_n3"`
		// Indonesia is true for Indonesia's land, false for a
		// neighbour's.
		Indonesia bool `json:"indonesia"`
	} `json:"properties"`
	Geometry struct {
		Type string `json:"type"` // "MultiPolygon"
		// Coordinates are polygons of rings of [lon, lat], each ring
		// closed (its first point repeated last).
		Coordinates [][][][2]float64 `json:"coordinates"`
	} `json:"geometry"`
}

// LoadLand reads the embedded coastline.
func LoadLand() (*Land, error) {
	var fc struct {
		Features []CoastFeature `json:"features"`
	}
	if err := json.Unmarshal(coastlineJSON, &fc); err != nil {
		return nil, fmt.Errorf("map coastline data/coastline.geojson: %w", err)
	}
	l := &Land{}
	for _, f := range fc.Features {
		if f.Geometry.Type != "MultiPolygon" {
			return nil, fmt.Errorf("map coastline data/coastline.geojson: %s is a %s, want a MultiPolygon", f.Properties.Name, f.Geometry.Type)
		}
		for _, poly := range f.Geometry.Coordinates {
			for _, c := range poly {
				if len(c) < 4 {
					return nil, fmt.Errorf("map coastline data/coastline.geojson: %s has a ring of %d points", f.Properties.Name, len(c))
				}
				r := make(Ring, len(c)-1) // GeoJSON repeats the first point last
				for i, p := range c[:len(c)-1] {
					r[i] = region.Point{Lon: p[0], Lat: p[1]}
				}
				if f.Properties.Indonesia {
					l.Indonesia = append(l.Indonesia, r)
				} else {
					l.Neighbours = append(l.Neighbours, r)
				}
			}
		}
	}
	l.national[0], l.national[1] = l.draw(National())
	return l, nil
}

// OnLand reports whether a point lies on Indonesia's land.
func (l *Land) OnLand(p region.Point) bool { return l != nil && inside(l.Indonesia, p) }

// drawTolerance is how far, in canvas units, a drawn coastline may stray
// from the data: half a unit, under a pixel at the page's width, so the
// national view draws a fraction of the points a province's zoom does.
const drawTolerance = 0.5

// Draw projects the land as SVG path data, Indonesia's and the
// neighbours': only what the view shows, clipped to it (with a margin
// that hides the cut under the frame), simplified to drawTolerance.
func (l *Land) Draw(proj Projection) (indonesia, neighbours string) {
	if l == nil {
		return "", ""
	}
	if proj == National() && l.national[0] != "" {
		return l.national[0], l.national[1]
	}
	return l.draw(proj)
}

func (l *Land) draw(proj Projection) (indonesia, neighbours string) {
	vis := proj.Bounds()
	m := 4 / proj.Scale // 4 units, in degrees
	clip := BBox{MinLon: vis.MinLon - m, MaxLon: vis.MaxLon + m, MinLat: vis.MinLat - m, MaxLat: vis.MaxLat + m}
	draw := func(rings []Ring) string {
		var w pathWriter
		for _, r := range rings {
			b := r.Bounds()
			if !b.overlaps(clip) || (b.MaxLon-b.MinLon)*proj.Scale < 1 && (b.MaxLat-b.MinLat)*proj.Scale < 1 {
				continue // off the view, or smaller than a unit
			}
			if b.MinLon < clip.MinLon || b.MaxLon > clip.MaxLon || b.MinLat < clip.MinLat || b.MaxLat > clip.MaxLat {
				r = r.Clip(clip)
			}
			// Canvas points, held in Points so that Simplify serves
			// both; closed, so that the ring's start is kept.
			xy := make([]region.Point, len(r)+1)
			for i, p := range r {
				x, y := proj.XY(p)
				xy[i] = region.Point{Lon: x, Lat: y}
			}
			xy[len(r)] = xy[0]
			pts := Simplify(xy, drawTolerance)
			out := make([][2]float64, len(pts))
			for i, p := range pts {
				out[i] = [2]float64{p.Lon, p.Lat}
			}
			w.ring(out)
		}
		return w.String()
	}
	return draw(l.Indonesia), draw(l.Neighbours)
}
