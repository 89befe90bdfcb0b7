package svgmap

import (
	"math"
	"strconv"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/region"
)

// Ring is a closed outline, its last point joined to its first (not
// repeated), in longitude and latitude.
type Ring []region.Point

// Simplify drops the points of a polyline that lie within tol of the line
// through the points kept (Douglas-Peucker); the first and last points
// stay. Coordinates are whatever units tol is in. A ring passed as a
// polyline keeps its first point, its last and the shape between.
func Simplify(pts []region.Point, tol float64) []region.Point {
	if len(pts) < 3 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	// An explicit stack: a coastline of thousands of points would recurse
	// deep.
	stack := [][2]int{{0, len(pts) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, farD := -1, tol
		for i := s[0] + 1; i < s[1]; i++ {
			if d := segDist(pts[i], pts[s[0]], pts[s[1]]); d > farD {
				far, farD = i, d
			}
		}
		if far >= 0 {
			keep[far] = true
			stack = append(stack, [2]int{s[0], far}, [2]int{far, s[1]})
		}
	}
	out := make([]region.Point, 0, len(pts)/4)
	for i, k := range keep {
		if k {
			out = append(out, pts[i])
		}
	}
	return out
}

// segDist is the distance from p to the segment ab.
func segDist(p, a, b region.Point) float64 {
	dx, dy := b.Lon-a.Lon, b.Lat-a.Lat
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = min(max(((p.Lon-a.Lon)*dx+(p.Lat-a.Lat)*dy)/l2, 0), 1)
	}
	return math.Hypot(p.Lon-a.Lon-t*dx, p.Lat-a.Lat-t*dy)
}

// Clip cuts a ring to the box (Sutherland-Hodgman, one edge of the box at
// a time): the part of the ring's area inside the box, its cut edges
// running along the box's sides. Nil when nothing is inside.
func (r Ring) Clip(b BBox) Ring {
	out := r
	for edge := range 4 {
		in := func(p region.Point) bool {
			switch edge {
			case 0:
				return p.Lon >= b.MinLon
			case 1:
				return p.Lon <= b.MaxLon
			case 2:
				return p.Lat >= b.MinLat
			}
			return p.Lat <= b.MaxLat
		}
		cross := func(p, q region.Point) region.Point {
			var t float64
			switch edge {
			case 0:
				t = (b.MinLon - p.Lon) / (q.Lon - p.Lon)
			case 1:
				t = (b.MaxLon - p.Lon) / (q.Lon - p.Lon)
			case 2:
				t = (b.MinLat - p.Lat) / (q.Lat - p.Lat)
			default:
				t = (b.MaxLat - p.Lat) / (q.Lat - p.Lat)
			}
			return region.Point{Lon: p.Lon + t*(q.Lon-p.Lon), Lat: p.Lat + t*(q.Lat-p.Lat)}
		}
		var next Ring
		for i, q := range out {
			p := out[(i+len(out)-1)%len(out)]
			switch pin, qin := in(p), in(q); {
			case pin && qin:
				next = append(next, q)
			case pin:
				next = append(next, cross(p, q))
			case qin:
				next = append(next, cross(p, q), q)
			}
		}
		if len(next) < 3 {
			return nil
		}
		out = next
	}
	return out
}

// Bounds is the ring's bounding box.
func (r Ring) Bounds() BBox {
	b := BBox{MinLon: math.Inf(1), MaxLon: math.Inf(-1), MinLat: math.Inf(1), MaxLat: math.Inf(-1)}
	for _, p := range r {
		b.MinLon, b.MaxLon = min(b.MinLon, p.Lon), max(b.MaxLon, p.Lon)
		b.MinLat, b.MaxLat = min(b.MinLat, p.Lat), max(b.MaxLat, p.Lat)
	}
	return b
}

// Area is the ring's area in square degrees, positive whichever way it
// winds (the shoelace formula).
func (r Ring) Area() float64 {
	a := 0.0
	for i, q := range r {
		p := r[(i+len(r)-1)%len(r)]
		a += p.Lon*q.Lat - q.Lon*p.Lat
	}
	return math.Abs(a) / 2
}

// overlaps reports whether two boxes share a point.
func (b BBox) overlaps(o BBox) bool {
	return b.MinLon <= o.MaxLon && o.MinLon <= b.MaxLon && b.MinLat <= o.MaxLat && o.MinLat <= b.MaxLat
}

// inside reports whether p lies inside the rings under the even-odd rule
// (a ring inside another is a lake), counting the edges a ray eastwards
// from p crosses.
func inside(rings []Ring, p region.Point) bool {
	in := false
	for _, r := range rings {
		for i, q := range r {
			o := r[(i+len(r)-1)%len(r)]
			if (o.Lat > p.Lat) != (q.Lat > p.Lat) &&
				p.Lon < o.Lon+(p.Lat-o.Lat)*(q.Lon-o.Lon)/(q.Lat-o.Lat) {
				in = !in
			}
		}
	}
	return in
}

// pathWriter writes SVG path data compactly: a subpath's first point
// absolute, the rest relative on a grid of a tenth of a unit (the
// differences are taken between rounded points, so no error accumulates),
// numbers without a leading zero and without a separator before a minus.
type pathWriter struct {
	b      strings.Builder
	x, y   int64 // the pen, in tenths
	last   byte  // the last character written
	dot    bool  // the last number written has a decimal point
	inLine bool  // an l command is open: further pairs need no letter
}

// ring writes one closed subpath of canvas points; fewer than three
// distinct points write nothing.
func (w *pathWriter) ring(xy [][2]float64) {
	pts := make([][2]int64, 0, len(xy))
	for _, p := range xy {
		q := [2]int64{int64(math.Round(p[0] * 10)), int64(math.Round(p[1] * 10))}
		if n := len(pts); n > 0 && pts[n-1] == q {
			continue
		}
		pts = append(pts, q)
	}
	if n := len(pts); n > 1 && pts[n-1] == pts[0] {
		pts = pts[:n-1]
	}
	if len(pts) < 3 {
		return
	}
	w.letter('M')
	w.num(pts[0][0])
	w.num(pts[0][1])
	w.x, w.y = pts[0][0], pts[0][1]
	w.inLine = false
	for _, p := range pts[1:] {
		if !w.inLine {
			w.letter('l')
			w.inLine = true
		}
		w.num(p[0] - w.x)
		w.num(p[1] - w.y)
		w.x, w.y = p[0], p[1]
	}
	w.letter('z')
	w.x, w.y = pts[0][0], pts[0][1]
}

func (w *pathWriter) letter(c byte) {
	w.b.WriteByte(c)
	w.last = c
}

// num writes v tenths: "12.3", "-.5", "7".
func (w *pathWriter) num(v int64) {
	s := strconv.FormatFloat(float64(v)/10, 'f', -1, 64)
	if strings.HasPrefix(s, "0.") {
		s = s[1:]
	} else if strings.HasPrefix(s, "-0.") {
		s = "-" + s[2:]
	}
	// A separator only where this number would run into the last one: not
	// before a minus, nor before a leading dot when the last had a dot.
	if w.last >= '0' && w.last <= '9' {
		if s[0] != '-' && (s[0] != '.' || !w.dot) {
			w.b.WriteByte(' ')
		}
	}
	w.b.WriteString(s)
	w.last, w.dot = s[len(s)-1], strings.Contains(s, ".")
}

func (w *pathWriter) String() string { return w.b.String() }
