package web

import (
	"cmp"
	_ "embed"
	"slices"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/web/svgmap"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// The status page's map: the served regions the filter selects, each a
// circle coloured by its UHC status with its figures on hover, on
// Indonesia's coastline. Its geometry (canvas, projection, land, graticule,
// radii, where names go) is svgmap's; this file decides what is drawn and
// how it reads, and map.html is its SVG and HTML.

//go:embed map.html
var mapHTML string

// mapView is what the map template renders. Numbers are preformatted.
type mapView struct {
	// L writes the texts in the page's language.
	L pageText
	// Show is false when no served region has a point: there is nothing
	// to place.
	Show bool
	// Zoomed is true for a filtered view, fitted to its markers.
	Zoomed bool
	// Empty is true when the filter selects no region with a point.
	Empty         bool
	Width, Height string
	// Land and Neighbours are path data: Indonesia's coastline, and the
	// neighbours' land in a lighter shade.
	Land, Neighbours string
	Grid             []svgmap.GridLine
	Markers          []mapMarker
	Legend           []legendItem
	Sizes            []sizeItem
	// Unplaced counts the selected regions without a point (districts,
	// villages).
	Unplaced int
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
	// Href zooms to the region's province, or, when the view shows it,
	// opens the region's page.
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

// maxLabels is the most markers a zoomed view writes names beside.
const maxLabels = 60

// buildMap draws the served regions the filter selects: the national view
// unfiltered, else fitted to the selected markers.
func buildMap(rd *collector.Rendered, f filterView, l *svgmap.Land, p *lang.Printer) mapView {
	v := mapView{L: pageText{p}, Width: svgmap.Coord(svgmap.Width), Height: svgmap.Coord(svgmap.Height)}
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
	proj := svgmap.National()
	if f.Active && len(sel) > 0 {
		pts := make([]region.Point, len(sel))
		for i, s := range sel {
			pts[i] = s.at
		}
		proj, v.Zoomed = svgmap.Fit(svgmap.ZoomTo(pts)), true
	}
	v.Empty = len(sel) == 0
	v.Land, v.Neighbours = l.Draw(proj)
	v.Grid = svgmap.Graticule(proj)

	scale := 1.0
	if v.Zoomed {
		scale = svgmap.ZoomRadius
	}
	counts := map[string]int{}
	for _, s := range sel {
		m := marker(s.r, s.at, proj, scale, p)
		if tv := withTier(regionView{}, rd, s.r, p); tv.Tier != "" {
			m.Title += "\nUHC Award 2026: " + tv.Tier
			if tv.TierNext != "" {
				m.Title += " (" + tv.TierNext + ")"
			}
		}
		// On the national map a click zooms to the province; in the
		// province it opens the region's own page.
		if !v.Zoomed || !f.matchesProvinceOnly(s.r) {
			m.Href = withLang("?province="+s.r.Region.ProvinceCode, p)
		} else {
			m.Href = "region/" + s.r.Region.Code
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
		circles := make([]svgmap.Circle, len(v.Markers))
		for i, m := range v.Markers {
			circles[i] = svgmap.Circle{X: m.x, Y: m.y, R: m.radius, Name: m.name}
		}
		for i, at := range svgmap.PlaceLabels(circles) {
			m := &v.Markers[i]
			m.Label, m.LX, m.LY = m.name, svgmap.Coord(at.X), svgmap.Coord(at.Y)
		}
	}
	v.Legend = []legendItem{
		{classMeets, p.Text("meets targets"), counts[classMeets]},
		{classBelowActive, p.Text("below active target"), counts[classBelowActive]},
		{classBelowCoverage, p.Text("below coverage target (or both)"), counts[classBelowCoverage]},
		{classUnknown, p.Text("unknown (no active or coverage figure)"), counts[classUnknown]},
	}
	for _, n := range []float64{1000, 10000, 100000} {
		r := svgmap.MarkerRadius(n, true, scale)
		v.Sizes = append(v.Sizes, sizeItem{R: svgmap.Coord(r), Diameter: svgmap.Coord(2*r + 2), Center: svgmap.Coord(r + 1), Label: p.Text("%s uninsured", p.Count(n))})
	}
	return v
}

// matchesProvinceOnly reports whether the filter is one province and r is
// in it: its markers need no zoom link.
func (f filterView) matchesProvinceOnly(r *collector.Served) bool {
	return f.Province != "" && f.matches(r)
}

func marker(r *collector.Served, at region.Point, proj svgmap.Projection, scale float64, p *lang.Printer) mapMarker {
	x, y := proj.XY(at)
	rv := regionStatus(r, p)
	coverage := p.Text("%s (target %s)", rv.Coverage, rv.CoverageTarget)
	if !r.Derived.HasCoverage {
		coverage = "—"
	}
	status := rv.StatusLabel
	if r.Status == "" {
		status = p.Text("no coverage figure")
	}
	rad := svgmap.MarkerRadius(r.Derived.Uninsured, r.Derived.HasUninsured, scale)
	title := []string{
		rv.Name + " (" + rv.Code + ", " + rv.Province + ")",
		p.Text("Coverage: %s", coverage),
		p.Text("Active: %s", p.Text("%s (target %s)", rv.Active, rv.ActiveTarget)),
		p.Text("Uninsured: %s", rv.Uninsured),
		p.Text("As of: %s", rv.AsOf),
		p.Text("Status: %s", status),
		p.Text("Branch office: %s", rv.BranchOffice),
	}
	return mapMarker{
		Code: rv.Code, Status: string(r.Status), Class: markerClass(r.Status),
		Province: r.Region.Level == jkn.LevelProvince,
		CX:       svgmap.Coord(x), CY: svgmap.Coord(y), R: svgmap.Coord(rad), x: x, y: y, radius: rad,
		Title: strings.Join(title, "\n"),
		name:  shortName(rv.Name),
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
