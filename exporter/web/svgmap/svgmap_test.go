package svgmap

import (
	"math"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/region"
)

func TestProjection(t *testing.T) {
	// The national frame fills the canvas's height (48 x 17 degrees is
	// wider than 1200 x 440), centred.
	p := National()
	if math.Abs(p.Scale-25) > 1e-9 {
		t.Errorf("national scale %v, want 25 units a degree (1200 / 48)", p.Scale)
	}
	for _, tc := range []struct {
		pt   region.Point
		x, y float64
	}{
		{region.Point{Lon: 118, Lat: -2.5}, 600, 220},   // the frame's centre
		{region.Point{Lon: 94, Lat: 6}, 0, 7.5},         // north-west corner
		{region.Point{Lon: 142, Lat: -11}, 1200, 432.5}, // south-east corner
		{region.Point{Lon: 119, Lat: -3.5}, 625, 245},   // east is right, south is down
	} {
		x, y := p.XY(tc.pt)
		if math.Abs(x-tc.x) > 1e-9 || math.Abs(y-tc.y) > 1e-9 {
			t.Errorf("xy(%v) = %v, %v; want %v, %v", tc.pt, x, y, tc.x, tc.y)
		}
	}
	b := p.Bounds()
	if b.MinLon != 94 || b.MaxLon != 142 || b.MinLat >= -11 || b.MaxLat <= 6 {
		t.Errorf("national view shows %+v, want the whole frame", b)
	}

	// A zoomed view: the markers' box plus a margin, fitted whole.
	pts := []region.Point{{Lat: -2.88333, Lon: 104.38306}, {Lat: -4.5, Lon: 103.0}, {Lat: -2.97607, Lon: 104.77543}}
	z := ZoomTo(pts)
	if z.MinLon >= 103.0 || z.MaxLon <= 104.77543 || z.MinLat >= -4.5 || z.MaxLat <= -2.88333 {
		t.Errorf("zoom box %+v does not hold the markers with a margin", z)
	}
	zp := Fit(z)
	for _, pt := range pts {
		x, y := zp.XY(pt)
		if x < 20 || x > Width-20 || y < 20 || y > Height-20 {
			t.Errorf("marker %v at %v, %v: not inside the zoomed canvas with a margin", pt, x, y)
		}
	}
	if zp.Scale < 4*p.Scale {
		t.Errorf("province zoom scale %v is hardly more than the national %v", zp.Scale, p.Scale)
	}
	// One marker: a minimum span around it, not an infinite zoom.
	one := ZoomTo(pts[:1])
	if w, h := one.MaxLon-one.MinLon, one.MaxLat-one.MinLat; math.Abs(w-MinZoomSpan) > 1e-9 || math.Abs(h-MinZoomSpan) > 1e-9 {
		t.Errorf("a single marker zooms to %v x %v degrees, want %v", w, h, MinZoomSpan)
	}
	if c := Fit(one); c.CLon != pts[0].Lon || c.CLat != pts[0].Lat {
		t.Errorf("a single marker is not centred: %+v", c)
	}
}

func TestMarkerRadius(t *testing.T) {
	if r := MarkerRadius(0, true, 1); r != MinRadius {
		t.Errorf("0 uninsured: radius %v", r)
	}
	if r := MarkerRadius(1e9, true, 1); r != MaxRadius {
		t.Errorf("a billion uninsured: radius %v, want clamped to %v", r, MaxRadius)
	}
	// The square root scale: area, not radius, grows with the count.
	a, b := MarkerRadius(10000, true, 1)-MinRadius, MarkerRadius(40000, true, 1)-MinRadius
	if math.Abs(b/a-2) > 1e-9 {
		t.Errorf("4x the uninsured gives %vx the radius above the minimum, want 2x", b/a)
	}
	if r := MarkerRadius(5000, false, 1); r != MinRadius {
		t.Errorf("unknown uninsured: radius %v", r)
	}
	if r := MarkerRadius(10000, true, ZoomRadius); math.Abs(r-ZoomRadius*MarkerRadius(10000, true, 1)) > 1e-9 {
		t.Errorf("zoomed radius %v is not the national one scaled", r)
	}
}

// TestPlaceLabels: a name goes right of its circle when there is room,
// left of it at the canvas's right edge, and never over a circle drawn
// on top of it.
func TestPlaceLabels(t *testing.T) {
	spots := PlaceLabels([]Circle{
		{X: 100, Y: 100, R: 5, Name: "Banjar"},
		{X: Width - 10, Y: 200, R: 5, Name: "Kotabaru"},
		// Right of a, where a's name would go; drawn last, it chooses first.
		{X: 130, Y: 104, R: 8, Name: "Banjarbaru"},
	})
	if len(spots) != 3 {
		t.Fatalf("%d spots for 3 circles", len(spots))
	}
	if s := spots[2]; s.X != 130+8+3 || s.Y != 104+4.5 {
		t.Errorf("the top circle's name at %+v, want right of it", s)
	}
	if s := spots[1]; s.X+float64(len("Kotabaru"))*labelCharWidth > Width {
		t.Errorf("a name at the right edge runs off the canvas: %+v", s)
	}
	if s := spots[0]; s.X > 100 && s.Y > 104-8-labelHeight && s.Y < 104+8+labelHeight && s.X < 130+8 {
		t.Errorf("Banjar's name at %+v covers Banjarbaru's circle", s)
	}
}
