// Package svgmap is the geometry of the status page's map, an inline SVG
// drawn on the server: no script, no tiles, no external asset, so it works
// offline and under the page's CSP. It has the canvas, the projection and
// the frames (national, zoomed to a filter), the land (Natural Earth's
// coastline, data/), the graticule, the markers' radii and where their
// names go. What is drawn and how it looks (statuses, colours, titles, the
// HTML) is the page's.
//
// It uses a plate carrée projection (longitude and latitude as x and y at
// one scale): within 11 degrees of the equator it distorts by under 2%.
// The coastline and the markers go through the same projection, so a
// regency's marker falls on its island.
package svgmap

import (
	"math"
	"strconv"

	"github.com/jkn-exporter/jkn_exporter/region"
)

// The canvas, in SVG user units; the SVG scales to the page's width.
const (
	Width  = 1200.0
	Height = 440.0
)

// BBox is a longitude/latitude box.
type BBox struct {
	MinLon, MaxLon, MinLat, MaxLat float64
}

// nationalFrame is the national view: every regency and city centre lies
// within lon 95.3-140.8, lat -10.7-5.8.
var nationalFrame = BBox{MinLon: 94, MaxLon: 142, MinLat: -11, MaxLat: 6}

// National is the projection of the national view.
func National() Projection { return Fit(nationalFrame) }

// Zoom limits: a filtered view shows at least MinZoomSpan degrees, so one
// region or a city province (DKI Jakarta) is not blown up to a street
// map, and leaves zoomMargin of the markers' span as margin on each side.
const (
	MinZoomSpan = 1.2 // degrees
	zoomMargin  = 0.12
)

// Projection maps longitude and latitude to canvas coordinates: the centre
// of the box it was fitted to is the canvas centre, Scale units a degree.
type Projection struct {
	CLon, CLat, Scale float64
}

// Fit returns the projection that shows b whole and centred on the canvas.
func Fit(b BBox) Projection {
	spanLon, spanLat := b.MaxLon-b.MinLon, b.MaxLat-b.MinLat
	return Projection{
		CLon: (b.MinLon + b.MaxLon) / 2, CLat: (b.MinLat + b.MaxLat) / 2,
		Scale: min(Width/spanLon, Height/spanLat),
	}
}

// XY projects a point; y grows southwards, as on the screen.
func (p Projection) XY(pt region.Point) (x, y float64) {
	return Width/2 + (pt.Lon-p.CLon)*p.Scale, Height/2 - (pt.Lat-p.CLat)*p.Scale
}

// Bounds is the box the canvas shows under p.
func (p Projection) Bounds() BBox {
	hw, hh := Width/2/p.Scale, Height/2/p.Scale
	return BBox{MinLon: p.CLon - hw, MaxLon: p.CLon + hw, MinLat: p.CLat - hh, MaxLat: p.CLat + hh}
}

// ZoomTo is the box a filtered view shows: the markers' box with a margin,
// at least MinZoomSpan wide and high.
func ZoomTo(points []region.Point) BBox {
	b := BBox{MinLon: math.Inf(1), MaxLon: math.Inf(-1), MinLat: math.Inf(1), MaxLat: math.Inf(-1)}
	for _, p := range points {
		b.MinLon, b.MaxLon = min(b.MinLon, p.Lon), max(b.MaxLon, p.Lon)
		b.MinLat, b.MaxLat = min(b.MinLat, p.Lat), max(b.MaxLat, p.Lat)
	}
	pad := func(lo, hi float64) (float64, float64) {
		m := (hi - lo) * zoomMargin
		if span := hi - lo + 2*m; span < MinZoomSpan {
			m += (MinZoomSpan - span) / 2
		}
		return lo - m, hi + m
	}
	b.MinLon, b.MaxLon = pad(b.MinLon, b.MaxLon)
	b.MinLat, b.MaxLat = pad(b.MinLat, b.MaxLat)
	return b
}

// GridLine is a meridian or parallel with its label, as SVG attributes.
type GridLine struct {
	X1, Y1, X2, Y2 string
	// Label is empty on a line too near a corner to be labelled.
	Label  string
	LX, LY string
	// Anchor is the label's text-anchor.
	Anchor string
}

// Graticule draws meridians and parallels at a round step that gives a
// handful of lines across the view, labelled at the bottom and left edges.
func Graticule(proj Projection) []GridLine {
	vis := proj.Bounds()
	step := 10.0
	for _, s := range []float64{5, 2, 1, 0.5, 0.25, 0.1} {
		if (vis.MaxLon-vis.MinLon)/s > 12 {
			break
		}
		step = s
	}
	// Labels too near a corner would be cut or collide: their lines are
	// drawn unlabelled.
	const edge = 30
	var out []GridLine
	for lon := math.Ceil(vis.MinLon/step) * step; lon <= vis.MaxLon; lon += step {
		x, _ := proj.XY(region.Point{Lon: lon})
		g := GridLine{X1: Coord(x), Y1: "0", X2: Coord(x), Y2: Coord(Height), LX: Coord(x), LY: Coord(Height - 6), Anchor: "middle"}
		if x > edge && x < Width-edge {
			g.Label = degrees(lon, "E", "W")
		}
		out = append(out, g)
	}
	for lat := math.Ceil(vis.MinLat/step) * step; lat <= vis.MaxLat; lat += step {
		_, y := proj.XY(region.Point{Lat: lat})
		g := GridLine{X1: "0", Y1: Coord(y), X2: Coord(Width), Y2: Coord(y), LX: "6", LY: Coord(y - 4), Anchor: "start"}
		if y > edge && y < Height-edge {
			g.Label = degrees(lat, "N", "S")
		}
		out = append(out, g)
	}
	return out
}

// degrees labels a meridian or parallel: "105°E", "5°S", "0°".
func degrees(v float64, pos, neg string) string {
	v = math.Round(v*100) / 100
	hemi := pos
	if v < 0 {
		hemi, v = neg, -v
	}
	if v == 0 {
		hemi = ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + "°" + hemi
}

// Coord writes a canvas coordinate with one decimal: a tenth of a unit
// is finer than any screen shows.
func Coord(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
