package region

import (
	"embed"
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// geoFiles holds unmodified copies of the regency/city centre points and
// the 2025 population (MIT, see data/geo/README.md). A package variable
// only because go:embed requires one; nothing writes to it.
//
//go:embed data/geo/regency_coordinates.csv data/geo/population_2025.csv
var geoFiles embed.FS

// File names inside the geo file system.
const (
	coordinatesFile = "data/geo/regency_coordinates.csv"
	populationFile  = "data/geo/population_2025.csv"
)

// Point is a position in decimal degrees (WGS 84).
type Point struct {
	Lat, Lon float64
}

// Indonesia's frame: every point must lie within it, so a swapped
// latitude and longitude or a sign error fails the load.
const (
	minLat, maxLat = -11.5, 6.5
	minLon, maxLon = 94.0, 142.0
)

// places holds the centre points and populations of the provinces,
// regencies and cities, by code. Districts and villages have neither.
type places struct {
	points     map[string]Point
	population map[string]int64
}

// loadPlaces reads the points and populations from fsys and checks them
// against the reference: every regency and city has one point under its
// canonical name and province; every province, regency and city has a
// population. Provinces are placed at the population-weighted centre of
// their regencies and cities.
func loadPlaces(fsys fs.FS, r *Reference) (*places, error) {
	p := &places{points: make(map[string]Point, 560), population: make(map[string]int64, 560)}
	err := readCSV(fsys, populationFile, []string{"code", "name", "male", "female", "total"}, func(rec []string) error {
		code := rec[0]
		i, ok := r.byCode[code]
		if !ok || i >= int32(r.nTop) {
			return fmt.Errorf("%s is not a province, regency or city code", code)
		}
		if _, dup := p.population[code]; dup {
			return fmt.Errorf("duplicate code %s", code)
		}
		n, err := strconv.ParseInt(rec[4], 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("code %s: total %q is not a positive whole number", code, rec[4])
		}
		p.population[code] = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCSV(fsys, coordinatesFile, []string{"code", "province_code", "name", "latitude", "longitude"}, func(rec []string) error {
		code, prov, name := rec[0], rec[1], rec[2]
		i, ok := r.byCode[code]
		if !ok || i >= int32(r.nTop) || r.regions[i].Level == jkn.LevelProvince {
			return fmt.Errorf("%s is not a regency or city code", code)
		}
		if reg := r.regions[i]; reg.ProvinceCode != prov || reg.Name != strings.TrimSpace(name) {
			return fmt.Errorf("code %s is %s of province %s in the reference, not %q of %s", code, reg.Name, reg.ProvinceCode, name, prov)
		}
		if _, dup := p.points[code]; dup {
			return fmt.Errorf("duplicate code %s", code)
		}
		lat, err1 := strconv.ParseFloat(rec[3], 64)
		lon, err2 := strconv.ParseFloat(rec[4], 64)
		if err1 != nil || err2 != nil || lat < minLat || lat > maxLat || lon < minLon || lon > maxLon {
			return fmt.Errorf("code %s: (%s, %s) is not a latitude, longitude within Indonesia", code, rec[3], rec[4])
		}
		p.points[code] = Point{Lat: lat, Lon: lon}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, prov := range r.children[""] {
		pc := r.regions[prov].Code
		if _, ok := p.population[pc]; !ok {
			return nil, fmt.Errorf("%s: no population for province %s", populationFile, pc)
		}
		var lat, lon, weight float64
		for _, c := range r.children[pc] {
			code := r.regions[c].Code
			pt, ok := p.points[code]
			if !ok {
				return nil, fmt.Errorf("%s: no point for %s %s", coordinatesFile, code, r.regions[c].Name)
			}
			n, ok := p.population[code]
			if !ok {
				return nil, fmt.Errorf("%s: no population for %s %s", populationFile, code, r.regions[c].Name)
			}
			lat += pt.Lat * float64(n)
			lon += pt.Lon * float64(n)
			weight += float64(n)
		}
		if weight == 0 {
			return nil, fmt.Errorf("province %s has no regencies or cities to place it by", pc)
		}
		// A plain weighted mean of degrees: Indonesia lies near the equator
		// and far from the antimeridian. Five decimals (about a metre) keep
		// the label short and stable.
		p.points[pc] = Point{Lat: round5(lat / weight), Lon: round5(lon / weight)}
	}
	return p, nil
}

func round5(v float64) float64 { return math.Round(v*1e5) / 1e5 }

// Coordinates returns the approximate centre point of a province, regency
// or city by its dotted code: for a regency or city the point of
// data/geo/regency_coordinates.csv, for a province the population-weighted
// centre of its regencies and cities. Districts, villages and unknown
// codes have none (false); so has a nil Reference.
func (r *Reference) Coordinates(code string) (Point, bool) {
	if r == nil || r.places == nil {
		return Point{}, false
	}
	p, ok := r.places.points[strings.TrimSpace(code)]
	return p, ok
}

// Population returns the 2025 Dukcapil population of a province, regency
// or city (Kepmendagri 300.2.2-2138/2025, data/geo/population_2025.csv):
// reference data, not a figure from a branch office's sheet. Districts,
// villages and unknown codes have none (false).
func (r *Reference) Population(code string) (int64, bool) {
	if r == nil || r.places == nil {
		return 0, false
	}
	n, ok := r.places.population[strings.TrimSpace(code)]
	return n, ok
}
