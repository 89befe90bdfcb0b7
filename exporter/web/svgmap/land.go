package svgmap

import (
	"math"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/region"
)

// Land is the suggested land: discs around the regency and city centres,
// links between near neighbours of a province and the triangles between
// them, in degrees. Built once (NewLand), drawn for each view (Draw).
type Land struct {
	discs []disc
	links [][2]region.Point
	// triangles fill the space between three near centres, so that a
	// large island's interior (Kalimantan, Papua) reads as land.
	triangles [][3]region.Point
}

// disc is the land around one regency or city centre.
type disc struct {
	At     region.Point
	Radius float64 // degrees
}

// Land shape parameters, in degrees: a disc reaches 75% of the way to the
// nearest centre of its province, within these bounds; centres of a province
// closer than maxLink are joined (a minimum spanning tree's edges), so a
// chain of regencies on one island reads as land, and a strait as sea.
const (
	minDisc, maxDisc = 0.3, 0.9
	maxLink          = 1.6
)

// NewLand builds the land from every regency and city of the reference,
// served or not; nil without a reference.
func NewLand(ref *region.Reference) *Land {
	if ref == nil {
		return nil
	}
	l := &Land{}
	for _, prov := range ref.Provinces() {
		var pts []region.Point
		for _, r := range ref.Children(prov.Code) {
			if p, ok := ref.Coordinates(r.Code); ok {
				pts = append(pts, p)
			}
		}
		for i, p := range pts {
			nearest := math.Inf(1)
			for j, q := range pts {
				if i != j {
					nearest = min(nearest, dist(p, q))
				}
			}
			l.discs = append(l.discs, disc{At: p, Radius: min(max(0.75*nearest, minDisc), maxDisc)})
		}
		for _, e := range spanningTree(pts) {
			if dist(pts[e[0]], pts[e[1]]) <= maxLink {
				l.links = append(l.links, [2]region.Point{pts[e[0]], pts[e[1]]})
			}
		}
		l.triangles = append(l.triangles, delaunayTriangles(pts, maxTriangle)...)
	}
	return l
}

// maxTriangle is the longest side, in degrees, of a land triangle: wider
// gaps between centres are taken for sea (the Gulf of Bone, the straits).
const maxTriangle = 2.2

// delaunayTriangles returns the triangles of points whose sides are at most
// maxSide and whose circumcircle holds no other point: the short
// triangles of the Delaunay triangulation (brute force; a province has at
// most 38 centres), which fill the space between near centres.
func delaunayTriangles(pts []region.Point, maxSide float64) [][3]region.Point {
	var out [][3]region.Point
	for i := range pts {
		for j := i + 1; j < len(pts); j++ {
			if dist(pts[i], pts[j]) > maxSide {
				continue
			}
			for k := j + 1; k < len(pts); k++ {
				if dist(pts[i], pts[k]) > maxSide || dist(pts[j], pts[k]) > maxSide {
					continue
				}
				a, b, c := pts[i], pts[j], pts[k]
				empty := true
				for m, q := range pts {
					if m != i && m != j && m != k && inCircumcircle(q, a, b, c) {
						empty = false
						break
					}
				}
				if empty {
					out = append(out, [3]region.Point{a, b, c})
				}
			}
		}
	}
	return out
}

// inCircumcircle reports whether p lies strictly inside the circle through
// a, b and c (the classic determinant, made independent of abc's
// orientation). A degenerate (collinear) abc contains nothing.
func inCircumcircle(p, a, b, c region.Point) bool {
	ax, ay := a.Lon-p.Lon, a.Lat-p.Lat
	bx, by := b.Lon-p.Lon, b.Lat-p.Lat
	cx, cy := c.Lon-p.Lon, c.Lat-p.Lat
	det := (ax*ax+ay*ay)*(bx*cy-cx*by) - (bx*bx+by*by)*(ax*cy-cx*ay) + (cx*cx+cy*cy)*(ax*by-bx*ay)
	orient := (b.Lon-a.Lon)*(c.Lat-a.Lat) - (b.Lat-a.Lat)*(c.Lon-a.Lon)
	if orient == 0 {
		return false
	}
	return det*orient > 1e-12
}

func dist(a, b region.Point) float64 { return math.Hypot(a.Lon-b.Lon, a.Lat-b.Lat) }

// spanningTree returns the edges of a minimum spanning tree of pts (Prim's
// algorithm; a province has at most 38 regencies and cities).
func spanningTree(pts []region.Point) [][2]int {
	if len(pts) < 2 {
		return nil
	}
	in := make([]bool, len(pts))
	best := make([]float64, len(pts))
	from := make([]int, len(pts))
	for i := range best {
		best[i] = math.Inf(1)
	}
	best[0] = 0
	var edges [][2]int
	for range pts {
		next := -1
		for i := range pts {
			if !in[i] && (next < 0 || best[i] < best[next]) {
				next = i
			}
		}
		in[next] = true
		if next != 0 {
			edges = append(edges, [2]int{from[next], next})
		}
		for i := range pts {
			if d := dist(pts[next], pts[i]); !in[i] && d < best[i] {
				best[i], from[i] = d, next
			}
		}
	}
	return edges
}

// Link joins two land discs, as SVG line attributes; Shore is the width
// of its outline layer.
type Link struct{ X1, Y1, X2, Y2, Width, Shore string }

// shoreWidth is the width of the land's outline, in canvas units.
const shoreWidth = 3

// Draw projects the land: discs and triangles as one path, links as
// lines as wide as the smaller disc they join (at 80%: a strait between
// two near regencies still narrows).
func (l *Land) Draw(proj Projection) (discs string, links []Link) {
	if l == nil {
		return "", nil
	}
	vis := proj.Bounds()
	near := func(p region.Point, m float64) bool {
		return p.Lon >= vis.MinLon-m && p.Lon <= vis.MaxLon+m && p.Lat >= vis.MinLat-m && p.Lat <= vis.MaxLat+m
	}
	var b strings.Builder
	radius := map[region.Point]float64{}
	for _, d := range l.discs {
		r := d.Radius * proj.Scale
		radius[d.At] = r
		if !near(d.At, d.Radius) {
			continue
		}
		x, y := proj.XY(d.At)
		// A circle as two arcs.
		b.WriteString("M" + Coord(x-r) + " " + Coord(y) + "a" + Coord(r) + " " + Coord(r) + " 0 1 0 " + Coord(2*r) + " 0a" +
			Coord(r) + " " + Coord(r) + " 0 1 0 " + Coord(-2*r) + " 0z")
	}
	for _, t := range l.triangles {
		if !near(t[0], maxTriangle) {
			continue
		}
		var xy [3][2]float64
		for i, p := range t {
			xy[i][0], xy[i][1] = proj.XY(p)
		}
		// The same winding as the discs' arcs (negative area on the
		// screen): under the nonzero fill rule, an overlap of opposite
		// windings would cancel out and leave a hole.
		if (xy[1][0]-xy[0][0])*(xy[2][1]-xy[0][1])-(xy[1][1]-xy[0][1])*(xy[2][0]-xy[0][0]) > 0 {
			xy[1], xy[2] = xy[2], xy[1]
		}
		b.WriteString("M" + Coord(xy[0][0]) + " " + Coord(xy[0][1]) + "L" + Coord(xy[1][0]) + " " + Coord(xy[1][1]) +
			"L" + Coord(xy[2][0]) + " " + Coord(xy[2][1]) + "z")
	}
	for _, e := range l.links {
		if !near(e[0], maxLink) && !near(e[1], maxLink) {
			continue
		}
		x1, y1 := proj.XY(e[0])
		x2, y2 := proj.XY(e[1])
		w := 2 * min(radius[e[0]], radius[e[1]]) * 0.8
		links = append(links, Link{X1: Coord(x1), Y1: Coord(y1), X2: Coord(x2), Y2: Coord(y2), Width: Coord(w), Shore: Coord(w + shoreWidth)})
	}
	return b.String(), links
}
