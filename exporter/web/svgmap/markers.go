package svgmap

import "math"

// Marker radii, in canvas units of the national view: the area grows with
// the uninsured persons (the radius with their square root), clamped so
// that a region with few stays visible and one with many does not cover
// its neighbours. A zoomed view, with room between the markers, draws them
// ZoomRadius times bigger.
const (
	MinRadius     = 3.0
	MaxRadius     = 14.0
	radiusPerSqrt = 1.0 / 24 // 10,000 uninsured: 3 + 4.2
	ZoomRadius    = 1.5
)

// MarkerRadius is the radius for a number of uninsured persons (known is
// false when the sheet gives no figure to compute it) at a scale of 1
// (national) or ZoomRadius.
func MarkerRadius(uninsured float64, known bool, scale float64) float64 {
	if !known {
		return MinRadius * scale
	}
	return scale * min(max(MinRadius+math.Sqrt(max(uninsured, 0))*radiusPerSqrt, MinRadius), MaxRadius)
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

// Circle is a marker on the canvas, and the name to write beside it.
type Circle struct {
	X, Y, R float64
	Name    string
}

// Spot is where a circle's name goes: the start of the text's baseline.
type Spot struct{ X, Y float64 }

// PlaceLabels says where each circle's name goes: right of it, else left,
// above or below, whichever overlaps least the circles and the names
// placed before (greedy, good enough for a province). The circles are in
// drawing order: the last drawn, on top, chooses first.
func PlaceLabels(circles []Circle) []Spot {
	var taken []box
	for _, c := range circles {
		taken = append(taken, box{c.X - c.R, c.Y - c.R, c.X + c.R, c.Y + c.R})
	}
	out := make([]Spot, len(circles))
	for i := len(circles) - 1; i >= 0; i-- {
		c := circles[i]
		w := float64(len([]rune(c.Name))) * labelCharWidth
		spots := []Spot{
			{c.X + c.R + 3, c.Y + 4.5},
			{c.X - c.R - 3 - w, c.Y + 4.5},
			{c.X - w/2, c.Y - c.R - 4},
			{c.X - w/2, c.Y + c.R + labelHeight},
		}
		best, bestCost := spots[0], math.Inf(1)
		for _, s := range spots {
			b := box{s.X, s.Y - labelHeight + 2, s.X + w, s.Y + 3}
			cost := 0.0
			for j, t := range taken {
				if j != i {
					cost += b.overlap(t)
				}
			}
			// Off the canvas counts as covered.
			cost += b.area() - b.overlap(box{0, 0, Width, Height})
			if cost < bestCost {
				best, bestCost = s, cost
			}
			if cost == 0 {
				break
			}
		}
		out[i] = best
		taken = append(taken, box{best.X, best.Y - labelHeight + 2, best.X + w, best.Y + 3})
	}
	return out
}
