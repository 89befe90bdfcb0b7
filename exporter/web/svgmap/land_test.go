package svgmap

import (
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/region"
)

func loadLand(t *testing.T) *Land {
	t.Helper()
	l, err := LoadLand()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// pathToken is a letter or a number of the path data pathWriter writes.
var pathToken = regexp.MustCompile(`[Mlz]|-?(?:\d+(?:\.\d*)?|\.\d+)`)

// parsePath reads path data back into rings of canvas points, as a
// browser would: M absolute, l relative (the pairs after it too), z.
func parsePath(t *testing.T, d string) []Ring {
	t.Helper()
	var rings []Ring
	var cmd string
	var nums []float64
	var x, y float64
	for _, tok := range pathToken.FindAllString(d, -1) {
		switch tok {
		case "M", "l", "z":
			cmd = tok
			continue
		}
		v, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			t.Fatalf("path number %q: %v", tok, err)
		}
		if nums = append(nums, v); len(nums) < 2 {
			continue
		}
		switch cmd {
		case "M":
			x, y = nums[0], nums[1]
			rings = append(rings, Ring{{Lon: x, Lat: y}})
		case "l":
			x, y = x+nums[0], y+nums[1]
			rings[len(rings)-1] = append(rings[len(rings)-1], region.Point{Lon: x, Lat: y})
		default:
			t.Fatalf("numbers after %q", cmd)
		}
		nums = nums[:0]
	}
	return rings
}

// centres are the reference's regency and city centres, by province.
func centres(t *testing.T) map[string][]region.Point {
	t.Helper()
	ref, err := region.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]region.Point{}
	for _, p := range ref.Provinces() {
		for _, r := range ref.Children(p.Code) {
			if pt, ok := ref.Coordinates(r.Code); ok {
				out[p.Code] = append(out[p.Code], pt)
			}
		}
	}
	return out
}

// TestLandUnderMarkers: the markers, projected as the page projects them,
// fall on the coastline the page draws: at least 97% of the 514 regency
// and city centres on the national map (the rest are coastal cities just
// offshore at this simplification, island regencies whose point lies
// between their islands, and Kota Binjai, whose reference point lies in the
// Natuna Sea), and every one of Jawa Barat's in its zoomed view.
func TestLandUnderMarkers(t *testing.T) {
	l := loadLand(t)
	byProv := centres(t)
	nat := National()
	land, neighbours := l.Draw(nat)
	rings := parsePath(t, land)
	n, on := 0, 0
	var off []region.Point
	for _, pts := range byProv {
		for _, p := range pts {
			n++
			if !l.OnLand(p) {
				off = append(off, p)
			}
			x, y := nat.XY(p)
			if inside(rings, region.Point{Lon: x, Lat: y}) {
				on++
			}
		}
	}
	if n != 514 {
		t.Fatalf("%d centres, want 514", n)
	}
	if float64(on) < 0.97*float64(n) {
		t.Errorf("%d of %d markers on the drawn land, want at least 97%%", on, n)
	}
	if float64(n-len(off)) < 0.97*float64(n) {
		t.Errorf("%d of %d centres on the coastline's land, want at least 97%%: off %v", n-len(off), n, off)
	}
	if len(parsePath(t, neighbours)) == 0 {
		t.Error("no neighbours drawn")
	}

	jabar := byProv["32"]
	zoom := Fit(ZoomTo(jabar))
	zland, _ := l.Draw(zoom)
	zrings := parsePath(t, zland)
	for _, p := range jabar {
		x, y := zoom.XY(p)
		if !inside(zrings, region.Point{Lon: x, Lat: y}) {
			t.Errorf("Jawa Barat's centre %v, at %.1f, %.1f, is off the zoomed land", p, x, y)
		}
	}
	// The zoom crops the coastline: nothing beyond the canvas and the
	// clip's margin, and less path than the national view for a small
	// part of the country.
	for _, r := range zrings {
		for _, p := range r {
			if p.Lon < -5 || p.Lon > Width+5 || p.Lat < -5 || p.Lat > Height+5 {
				t.Fatalf("zoomed coastline point %v off the canvas", p)
			}
		}
	}
	if len(zland) >= len(land) || len(zrings) == 0 {
		t.Errorf("zoomed path %d bytes in %d rings, national %d bytes", len(zland), len(zrings), len(land))
	}
}

// TestLandSize: the coastline keeps the page light. The budget is the
// national view's path data, the most the page carries (a zoom draws a
// part at more detail, and less).
func TestLandSize(t *testing.T) {
	land, neighbours := loadLand(t).Draw(National())
	const budget = 40 << 10
	if size := len(land) + len(neighbours); size > budget {
		t.Errorf("the national map's coastline is %d bytes of path data, budget %d", size, budget)
	}
	if a, b := loadLand(t).draw(National()); a != land || b != neighbours {
		t.Error("the national view drawn once differs from a fresh drawing")
	}
	var none *Land
	if a, b := none.Draw(National()); a != "" || b != "" {
		t.Error("no land drew something")
	}
	if none.OnLand(region.Point{Lon: 110, Lat: -7.5}) {
		t.Error("no land has land")
	}
}

// TestLandShape: Java's outline is where the atlas has it: Jakarta and
// Surabaya on land, the Java Sea and the Indian Ocean not; Kalimantan's
// interior is Indonesia, Sarawak a neighbour.
func TestLandShape(t *testing.T) {
	l := loadLand(t)
	for _, c := range []struct {
		name string
		p    region.Point
		on   bool
	}{
		{"Jakarta", region.Point{Lon: 106.85, Lat: -6.25}, true},
		{"Surabaya", region.Point{Lon: 112.7, Lat: -7.3}, true},
		{"Palangka Raya", region.Point{Lon: 113.9, Lat: -2.2}, true},
		{"Jayapura", region.Point{Lon: 140.7, Lat: -2.6}, true},
		{"Java Sea", region.Point{Lon: 110, Lat: -5}, false},
		{"Indian Ocean", region.Point{Lon: 110, Lat: -9}, false},
		{"Kuching (Malaysia)", region.Point{Lon: 110.35, Lat: 1.55}, false},
		{"Dili (Timor-Leste)", region.Point{Lon: 125.6, Lat: -8.6}, false},
	} {
		if got := l.OnLand(c.p); got != c.on {
			t.Errorf("%s %v: on Indonesia's land %v, want %v", c.name, c.p, got, c.on)
		}
	}
	if !inside(l.Neighbours, region.Point{Lon: 110.35, Lat: 1.55}) || !inside(l.Neighbours, region.Point{Lon: 125.6, Lat: -8.6}) {
		t.Error("Kuching and Dili are not on the neighbours' land")
	}
	for _, rings := range [][]Ring{l.Indonesia, l.Neighbours} {
		for _, r := range rings {
			b := r.Bounds()
			if b.MinLon < 93.8 || b.MaxLon > 142.2 || b.MinLat < -11.5 || b.MaxLat > 6.5 {
				t.Fatalf("a ring reaches %+v, beyond the frame the data is clipped to", b)
			}
		}
	}
}

func TestSimplify(t *testing.T) {
	// A tent of 0.3 with noise of 0.01 on its sides: the noise goes, the
	// peak stays, the ends stay.
	line := []region.Point{{Lon: 0, Lat: 0}, {Lon: 1, Lat: 0.11}, {Lon: 2, Lat: 0.19}, {Lon: 3, Lat: 0.3}, {Lon: 4, Lat: 0.16}, {Lon: 5, Lat: 0}}
	got := Simplify(line, 0.05)
	want := []region.Point{{Lon: 0, Lat: 0}, {Lon: 3, Lat: 0.3}, {Lon: 5, Lat: 0}}
	if len(got) != len(want) {
		t.Fatalf("simplified to %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("simplified to %v, want %v", got, want)
		}
	}
	if got := Simplify(line, 0.001); len(got) != len(line) {
		t.Errorf("a tolerance under the noise dropped points: %v", got)
	}
}

func TestClip(t *testing.T) {
	sq := Ring{{Lon: 0, Lat: 0}, {Lon: 2, Lat: 0}, {Lon: 2, Lat: 2}, {Lon: 0, Lat: 2}}
	half := sq.Clip(BBox{MinLon: 1, MaxLon: 5, MinLat: -1, MaxLat: 5})
	if math.Abs(half.Area()-2) > 1e-12 || half.Bounds() != (BBox{MinLon: 1, MaxLon: 2, MinLat: 0, MaxLat: 2}) {
		t.Errorf("half a square: %v, area %v", half, half.Area())
	}
	corner := sq.Clip(BBox{MinLon: 1, MaxLon: 5, MinLat: 1, MaxLat: 5})
	if math.Abs(corner.Area()-1) > 1e-12 {
		t.Errorf("a corner: %v, area %v", corner, corner.Area())
	}
	if out := sq.Clip(BBox{MinLon: 3, MaxLon: 5, MinLat: 0, MaxLat: 2}); out != nil {
		t.Errorf("a square outside the box clipped to %v", out)
	}
	if whole := sq.Clip(BBox{MinLon: -1, MaxLon: 5, MinLat: -1, MaxLat: 5}); whole.Area() != 4 || len(whole) != 4 {
		t.Errorf("a square inside the box clipped to %v", whole)
	}
}

// TestPathWriter: the compact path data reads back as the points written,
// to a tenth of a unit, with no error piling up along a long ring.
func TestPathWriter(t *testing.T) {
	var xy [][2]float64
	for i := range 500 {
		a := float64(i) / 500 * 2 * math.Pi
		xy = append(xy, [2]float64{600 + 300*math.Cos(a) + 0.04*float64(i%3), 220 - 200*math.Sin(a)})
	}
	var w pathWriter
	w.ring(xy)
	w.ring([][2]float64{{0.04, 0.02}, {0.03, 0.01}, {0.01, 0.04}}) // one point on the grid: nothing
	w.ring([][2]float64{{10, 10}, {10.5, 10}, {10.5, 9.5}})
	rings := parsePath(t, w.String())
	if len(rings) != 2 {
		t.Fatalf("%d rings read back, want 2: %.80s", len(rings), w.String())
	}
	if len(rings[0]) != len(xy) {
		t.Fatalf("%d points read back, want %d", len(rings[0]), len(xy))
	}
	for i, p := range rings[0] {
		if math.Abs(p.Lon-xy[i][0]) > 0.051 || math.Abs(p.Lat-xy[i][1]) > 0.051 {
			t.Fatalf("point %d read back as %v, written %v", i, p, xy[i])
		}
	}
	if got := rings[1]; got[1] != (region.Point{Lon: 10.5, Lat: 10}) || got[2] != (region.Point{Lon: 10.5, Lat: 9.5}) {
		t.Errorf("a small ring read back as %v", got)
	}
}

// BenchmarkLandDraw: a province's view, drawn for each page (the national
// one is drawn once, in LoadLand).
func BenchmarkLandDraw(b *testing.B) {
	l, err := LoadLand()
	if err != nil {
		b.Fatal(err)
	}
	jabar := Fit(BBox{MinLon: 106.2, MaxLon: 108.9, MinLat: -7.9, MaxLat: -5.9})
	for b.Loop() {
		l.Draw(jabar)
	}
}
