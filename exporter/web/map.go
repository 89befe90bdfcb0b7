package web

import (
	"cmp"
	_ "embed"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// The status page's map is an inline SVG drawn on the server: no script, no
// tiles, no external asset, so it works offline and under the page's CSP.
// It uses a plate carrée projection (longitude and latitude as x and y at
// one scale): within 11 degrees of the equator it distorts by under 2%.
// Indonesia has no coastline in the reference data, so the land is only
// suggested: a disc around every regency and city centre, joined to its
// near neighbours of the same province by bands and by the short triangles
// between them. The frame and a graticule give the bearings.

//go:embed map.html
var mapHTML string

// The canvas, in SVG user units; the SVG scales to the page's width.
const (
	mapWidth  = 1200.0
	mapHeight = 440.0
)

// bbox is a longitude/latitude box.
type bbox struct {
	MinLon, MaxLon, MinLat, MaxLat float64
}

// nationalFrame is the national view: every regency and city centre lies
// within lon 95.3-140.8, lat -10.7-5.8.
var nationalFrame = bbox{MinLon: 94, MaxLon: 142, MinLat: -11, MaxLat: 6}

// Zoom limits: a filtered view shows at least this span, so one region or a
// city province (DKI Jakarta) is not blown up to a street map, and leaves
// this share of the markers' span as margin on each side.
const (
	minZoomSpan = 1.2 // degrees
	zoomMargin  = 0.12
)

// projection maps longitude and latitude to canvas coordinates: the centre
// of the box it was fitted to is the canvas centre, Scale units a degree.
type projection struct {
	CLon, CLat, Scale float64
}

// fit returns the projection that shows b whole and centred on the canvas.
func fit(b bbox) projection {
	spanLon, spanLat := b.MaxLon-b.MinLon, b.MaxLat-b.MinLat
	return projection{
		CLon: (b.MinLon + b.MaxLon) / 2, CLat: (b.MinLat + b.MaxLat) / 2,
		Scale: min(mapWidth/spanLon, mapHeight/spanLat),
	}
}

// xy projects a point; y grows southwards, as on the screen.
func (p projection) xy(pt region.Point) (x, y float64) {
	return mapWidth/2 + (pt.Lon-p.CLon)*p.Scale, mapHeight/2 - (pt.Lat-p.CLat)*p.Scale
}

// bounds is the box the canvas shows under p.
func (p projection) bounds() bbox {
	hw, hh := mapWidth/2/p.Scale, mapHeight/2/p.Scale
	return bbox{MinLon: p.CLon - hw, MaxLon: p.CLon + hw, MinLat: p.CLat - hh, MaxLat: p.CLat + hh}
}

// zoomTo is the box a filtered view shows: the markers' box with a margin,
// at least minZoomSpan wide and high.
func zoomTo(points []region.Point) bbox {
	b := bbox{MinLon: math.Inf(1), MaxLon: math.Inf(-1), MinLat: math.Inf(1), MaxLat: math.Inf(-1)}
	for _, p := range points {
		b.MinLon, b.MaxLon = min(b.MinLon, p.Lon), max(b.MaxLon, p.Lon)
		b.MinLat, b.MaxLat = min(b.MinLat, p.Lat), max(b.MaxLat, p.Lat)
	}
	pad := func(lo, hi float64) (float64, float64) {
		m := (hi - lo) * zoomMargin
		if span := hi - lo + 2*m; span < minZoomSpan {
			m += (minZoomSpan - span) / 2
		}
		return lo - m, hi + m
	}
	b.MinLon, b.MaxLon = pad(b.MinLon, b.MaxLon)
	b.MinLat, b.MaxLat = pad(b.MinLat, b.MaxLat)
	return b
}

// land is the suggested land: discs around the regency and city centres,
// links between near neighbours of a province and the triangles between
// them, in degrees.
type land struct {
	discs []landDisc
	links [][2]region.Point
	// triangles fill the space between three near centres, so that a
	// large island's interior (Kalimantan, Papua) reads as land.
	triangles [][3]region.Point
}

type landDisc struct {
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

// newLand builds the land from every regency and city of the reference,
// served or not; nil without a reference.
func newLand(ref *region.Reference) *land {
	if ref == nil {
		return nil
	}
	l := &land{}
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
			l.discs = append(l.discs, landDisc{At: p, Radius: min(max(0.75*nearest, minDisc), maxDisc)})
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

// mapView is what the map template renders. Numbers are preformatted.
type mapView struct {
	// Show is false when no served region has a point: there is nothing
	// to place.
	Show bool
	// Zoomed is true for a filtered view, fitted to its markers.
	Zoomed bool
	// Empty is true when the filter selects no region with a point.
	Empty         bool
	Width, Height string
	LandDiscs     string // path data
	LandLinks     []landLink
	Grid          []gridLine
	Markers       []mapMarker
	Legend        []legendItem
	Sizes         []sizeItem
	// Unplaced counts the selected regions without a point (districts,
	// villages).
	Unplaced int
}

// landLink joins two land discs; Shore is the width of its outline layer.
type landLink struct{ X1, Y1, X2, Y2, Width, Shore string }

// gridLine is a meridian or parallel with its label.
type gridLine struct {
	X1, Y1, X2, Y2 string
	Label          string
	LX, LY         string
	// Anchor is the label's text-anchor.
	Anchor string
}

// mapMarker is one served region.
type mapMarker struct {
	Code, Status string
	// Class is the marker's colour class (markerClass).
	Class    string
	Province bool // a province row: drawn as a ring under its regencies
	CX, CY   string
	R        string
	Title    string
	// Href zooms to the region's province; empty when the view shows it.
	Href string
	// Label is the short name written beside the marker in a zoomed view.
	Label, LX, LY string
	name          string
	x, y, radius  float64
}

type legendItem struct {
	Class, Label string
	Count        int
}

// sizeItem is a circle of the size legend.
type sizeItem struct {
	R, Diameter, Center, Label string
}

// The colour classes of the markers.
const (
	classUnknown       = "m-unknown"
	classMeets         = "m-meets"
	classBelowActive   = "m-below-active"
	classBelowCoverage = "m-below-coverage"
)

// markerClass is a status's colour: a region below its coverage target is
// red whatever its active ratio; unknown covers both a missing active
// figure and a missing coverage figure (no status).
func markerClass(s criteria.Status) string {
	switch s {
	case criteria.MeetsTargets:
		return classMeets
	case criteria.BelowActiveTarget:
		return classBelowActive
	case criteria.BelowCoverageTarget, criteria.BelowBothTargets:
		return classBelowCoverage
	}
	return classUnknown
}

// classRank is the drawing order of the colours: the regions that need
// action are drawn last, on top.
func classRank(c string) int {
	return slices.Index([]string{classUnknown, classMeets, classBelowActive, classBelowCoverage}, c)
}

// Marker radii, in canvas units of the national view: the area grows with
// the uninsured persons (the radius with their square root), clamped so
// that a region with few stays visible and one with many does not cover
// its neighbours. A zoomed view, with room between the markers, draws them
// zoomRadius times bigger.
const (
	minRadius, maxRadius = 3.0, 14.0
	radiusPerSqrt        = 1.0 / 24 // 10,000 uninsured: 3 + 4.2
	zoomRadius           = 1.5
)

// markerRadius is the radius for a number of uninsured persons (known is
// false when the sheet gives no figure to compute it) at a scale of 1
// (national) or zoomRadius.
func markerRadius(uninsured float64, known bool, scale float64) float64 {
	if !known {
		return minRadius * scale
	}
	return scale * min(max(minRadius+math.Sqrt(max(uninsured, 0))*radiusPerSqrt, minRadius), maxRadius)
}

// maxLabels is the most markers a zoomed view writes names beside.
const maxLabels = 60

// buildMap draws the served regions the filter selects: the national view
// unfiltered, else fitted to the selected markers.
func buildMap(rd *collector.Rendered, f filterView, l *land) mapView {
	v := mapView{Width: fmtNum(mapWidth), Height: fmtNum(mapHeight)}
	if len(rd.Points) == 0 {
		return v
	}
	v.Show = true
	type placed struct {
		r  *collector.Served
		at region.Point
	}
	var sel []placed
	for i := range rd.Regions {
		r := &rd.Regions[i]
		if !f.matches(r) {
			continue
		}
		p, ok := rd.Points[r.Region.Code]
		if !ok {
			v.Unplaced++
			continue
		}
		sel = append(sel, placed{r, p})
	}
	frame := nationalFrame
	if f.Active && len(sel) > 0 {
		pts := make([]region.Point, len(sel))
		for i, s := range sel {
			pts[i] = s.at
		}
		frame, v.Zoomed = zoomTo(pts), true
	}
	v.Empty = len(sel) == 0
	proj := fit(frame)
	v.LandDiscs, v.LandLinks = l.draw(proj)
	v.Grid = graticule(proj)

	scale := 1.0
	if v.Zoomed {
		scale = zoomRadius
	}
	counts := map[string]int{}
	for _, s := range sel {
		m := marker(s.r, s.at, proj, scale)
		if !v.Zoomed || !f.matchesProvinceOnly(s.r) {
			m.Href = "?province=" + s.r.Region.ProvinceCode
		}
		counts[m.Class]++
		v.Markers = append(v.Markers, m)
	}
	// Provinces under their regencies; then the colours in rank order, the
	// regions that need action on top; within a colour the big ones first,
	// so the small ones stay visible.
	slices.SortStableFunc(v.Markers, func(a, b mapMarker) int {
		if a.Province != b.Province {
			if a.Province {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(classRank(a.Class), classRank(b.Class)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.radius, a.radius); c != 0 {
			return c
		}
		return cmp.Compare(a.Code, b.Code)
	})
	if v.Zoomed && len(v.Markers) <= maxLabels {
		placeLabels(v.Markers)
	}
	v.Legend = []legendItem{
		{classMeets, "meets targets", counts[classMeets]},
		{classBelowActive, "below active target", counts[classBelowActive]},
		{classBelowCoverage, "below coverage target (or both)", counts[classBelowCoverage]},
		{classUnknown, "unknown (no active or coverage figure)", counts[classUnknown]},
	}
	for _, n := range []float64{1000, 10000, 100000} {
		r := markerRadius(n, true, scale)
		v.Sizes = append(v.Sizes, sizeItem{R: fmtNum(r), Diameter: fmtNum(2*r + 2), Center: fmtNum(r + 1), Label: thousands(n) + " uninsured"})
	}
	return v
}

// matchesProvinceOnly reports whether the filter is one province and r is
// in it: its markers need no zoom link.
func (f filterView) matchesProvinceOnly(r *collector.Served) bool {
	return f.Province != "" && f.matches(r)
}

func marker(r *collector.Served, at region.Point, proj projection, scale float64) mapMarker {
	x, y := proj.xy(at)
	rv := regionStatus(r)
	coverage := rv.Coverage + " (target " + rv.CoverageTarget + ")"
	if !r.Derived.HasCoverage {
		coverage = "—"
	}
	status := rv.StatusLabel
	if r.Status == "" {
		status = "no coverage figure"
	}
	rad := markerRadius(r.Derived.Uninsured, r.Derived.HasUninsured, scale)
	title := []string{
		rv.Name + " (" + rv.Code + ", " + rv.Province + ")",
		"Coverage: " + coverage,
		"Active: " + rv.Active + " (target " + rv.ActiveTarget + ")",
		"Uninsured: " + rv.Uninsured,
		"As of: " + rv.AsOf,
		"Status: " + status,
		"Branch office: " + rv.BranchOffice,
	}
	return mapMarker{
		Code: rv.Code, Status: string(r.Status), Class: markerClass(r.Status),
		Province: r.Region.Level == jkn.LevelProvince,
		CX:       fmtNum(x), CY: fmtNum(y), R: fmtNum(rad), x: x, y: y, radius: rad,
		Title: strings.Join(title, "\n"),
		name:  shortName(rv.Name),
	}
}

// box is a rectangle on the canvas.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlap(b box) float64 {
	w, h := min(a.x1, b.x1)-max(a.x0, b.x0), min(a.y1, b.y1)-max(a.y0, b.y0)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

func (a box) area() float64 { return (a.x1 - a.x0) * (a.y1 - a.y0) }

// Label metrics of the 13-unit sans-serif the map's CSS sets: a character
// is about 7.5 units wide on average.
const (
	labelCharWidth = 7.5
	labelHeight    = 13.0
)

// placeLabels writes each marker's name beside it: right of it, else left,
// above or below, whichever overlaps least the labels placed before and
// the markers (greedy, good enough for a province).
func placeLabels(markers []mapMarker) {
	var taken []box
	for _, m := range markers {
		taken = append(taken, box{m.x - m.radius, m.y - m.radius, m.x + m.radius, m.y + m.radius})
	}
	// The regions that need action (drawn last) choose first.
	for i := len(markers) - 1; i >= 0; i-- {
		m := &markers[i]
		w := float64(len([]rune(m.name))) * labelCharWidth
		type spot struct {
			x, y float64 // text baseline start
		}
		spots := []spot{
			{m.x + m.radius + 3, m.y + 4.5},
			{m.x - m.radius - 3 - w, m.y + 4.5},
			{m.x - w/2, m.y - m.radius - 4},
			{m.x - w/2, m.y + m.radius + labelHeight},
		}
		best, bestCost := spots[0], math.Inf(1)
		for _, s := range spots {
			b := box{s.x, s.y - labelHeight + 2, s.x + w, s.y + 3}
			cost := 0.0
			for j, t := range taken {
				if j != i {
					cost += b.overlap(t)
				}
			}
			// Off the canvas counts as covered.
			cost += b.area() - b.overlap(box{0, 0, mapWidth, mapHeight})
			if cost < bestCost {
				best, bestCost = s, cost
			}
			if cost == 0 {
				break
			}
		}
		m.Label, m.LX, m.LY = m.name, fmtNum(best.x), fmtNum(best.y)
		taken = append(taken, box{best.x, best.y - labelHeight + 2, best.x + w, best.y + 3})
	}
}

// shortName drops the type words a zoomed map has no room for:
// "Kabupaten Banyuasin" -> "Banyuasin"; "Kota ..." stays, so that Kota
// Bogor and Kabupaten Bogor differ.
func shortName(name string) string {
	for _, p := range []string{"Kabupaten Administrasi ", "Kabupaten "} {
		if s, ok := strings.CutPrefix(name, p); ok {
			return s
		}
	}
	if s, ok := strings.CutPrefix(name, "Kota Administrasi "); ok {
		return "Kota " + s
	}
	return name
}

// shoreWidth is the width of the land's outline, in canvas units.
const shoreWidth = 3

// draw projects the land: discs and triangles as one path, links as
// lines as wide as the smaller disc they join (at 80%: a strait between
// two near regencies still narrows).
func (l *land) draw(proj projection) (discs string, links []landLink) {
	if l == nil {
		return "", nil
	}
	vis := proj.bounds()
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
		x, y := proj.xy(d.At)
		// A circle as two arcs.
		b.WriteString("M" + fmtNum(x-r) + " " + fmtNum(y) + "a" + fmtNum(r) + " " + fmtNum(r) + " 0 1 0 " + fmtNum(2*r) + " 0a" +
			fmtNum(r) + " " + fmtNum(r) + " 0 1 0 " + fmtNum(-2*r) + " 0z")
	}
	for _, t := range l.triangles {
		if !near(t[0], maxTriangle) {
			continue
		}
		var xy [3][2]float64
		for i, p := range t {
			xy[i][0], xy[i][1] = proj.xy(p)
		}
		// The same winding as the discs' arcs (negative area on the
		// screen): under the nonzero fill rule, an overlap of opposite
		// windings would cancel out and leave a hole.
		if (xy[1][0]-xy[0][0])*(xy[2][1]-xy[0][1])-(xy[1][1]-xy[0][1])*(xy[2][0]-xy[0][0]) > 0 {
			xy[1], xy[2] = xy[2], xy[1]
		}
		b.WriteString("M" + fmtNum(xy[0][0]) + " " + fmtNum(xy[0][1]) + "L" + fmtNum(xy[1][0]) + " " + fmtNum(xy[1][1]) +
			"L" + fmtNum(xy[2][0]) + " " + fmtNum(xy[2][1]) + "z")
	}
	for _, e := range l.links {
		if !near(e[0], maxLink) && !near(e[1], maxLink) {
			continue
		}
		x1, y1 := proj.xy(e[0])
		x2, y2 := proj.xy(e[1])
		w := 2 * min(radius[e[0]], radius[e[1]]) * 0.8
		links = append(links, landLink{X1: fmtNum(x1), Y1: fmtNum(y1), X2: fmtNum(x2), Y2: fmtNum(y2), Width: fmtNum(w), Shore: fmtNum(w + shoreWidth)})
	}
	return b.String(), links
}

// graticule draws meridians and parallels at a round step that gives a
// handful of lines across the view, labelled at the bottom and left edges.
func graticule(proj projection) []gridLine {
	vis := proj.bounds()
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
	var out []gridLine
	for lon := math.Ceil(vis.MinLon/step) * step; lon <= vis.MaxLon; lon += step {
		x, _ := proj.xy(region.Point{Lon: lon})
		g := gridLine{X1: fmtNum(x), Y1: "0", X2: fmtNum(x), Y2: fmtNum(mapHeight), LX: fmtNum(x), LY: fmtNum(mapHeight - 6), Anchor: "middle"}
		if x > edge && x < mapWidth-edge {
			g.Label = degrees(lon, "E", "W")
		}
		out = append(out, g)
	}
	for lat := math.Ceil(vis.MinLat/step) * step; lat <= vis.MaxLat; lat += step {
		_, y := proj.xy(region.Point{Lat: lat})
		g := gridLine{X1: "0", Y1: fmtNum(y), X2: fmtNum(mapWidth), Y2: fmtNum(y), LX: "6", LY: fmtNum(y - 4), Anchor: "start"}
		if y > edge && y < mapHeight-edge {
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

// fmtNum writes a canvas coordinate with one decimal: a tenth of a unit
// is finer than any screen shows.
func fmtNum(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
