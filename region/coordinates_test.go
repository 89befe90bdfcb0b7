package region

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"testing/fstest"
)

func TestCoordinates(t *testing.T) {
	r := mustLoad(t)
	var regencies, provinces int
	for _, p := range r.Provinces() {
		pt, ok := r.Coordinates(p.Code)
		if !ok {
			t.Errorf("province %s %s has no point", p.Code, p.Name)
			continue
		}
		provinces++
		popP, ok := r.Population(p.Code)
		if !ok {
			t.Errorf("province %s has no population", p.Code)
		}
		// The province's point is the population-weighted mean of its
		// regencies' points, which therefore lies within their bounding box.
		var sum int64
		minLat, maxLat, minLon, maxLon := 90.0, -90.0, 180.0, -180.0
		for _, c := range r.Children(p.Code) {
			cp, ok := r.Coordinates(c.Code)
			if !ok {
				t.Errorf("%s %s has no point", c.Code, c.Name)
				continue
			}
			n, ok := r.Population(c.Code)
			if !ok || n <= 0 {
				t.Errorf("%s %s has no population", c.Code, c.Name)
			}
			sum += n
			regencies++
			minLat, maxLat = min(minLat, cp.Lat), max(maxLat, cp.Lat)
			minLon, maxLon = min(minLon, cp.Lon), max(maxLon, cp.Lon)
		}
		if pt.Lat < minLat-1e-5 || pt.Lat > maxLat+1e-5 || pt.Lon < minLon-1e-5 || pt.Lon > maxLon+1e-5 {
			t.Errorf("province %s at %v lies outside its regencies' box [%v..%v]x[%v..%v]", p.Code, pt, minLat, maxLat, minLon, maxLon)
		}
		// The file's province totals are the sums of their regencies.
		if sum != popP {
			t.Errorf("province %s: population %d, its regencies and cities sum to %d", p.Code, popP, sum)
		}
	}
	if provinces != 38 || regencies != 514 {
		t.Errorf("placed %d provinces and %d regencies/cities, want 38 and 514", provinces, regencies)
	}

	for _, tc := range []struct {
		code     string
		lat, lon float64
	}{
		// Rows of data/geo/regency_coordinates.csv.
		{"16.07", -2.88333, 104.38306},   // Kabupaten Banyuasin
		{"63.03", -3.31667, 115.08333},   // Kabupaten Banjar
		{" 32.79 ", -7.36996, 108.53209}, // Kota Banjar, spaces ignored
	} {
		pt, ok := r.Coordinates(tc.code)
		if !ok || pt.Lat != tc.lat || pt.Lon != tc.lon {
			t.Errorf("Coordinates(%q) = %v, %v; want %v, %v", tc.code, pt, ok, tc.lat, tc.lon)
		}
	}
	if n, ok := r.Population("63.03"); !ok || n != 590393 {
		t.Errorf("population of Kabupaten Banjar: %d, %v; want 590,393 (the seed report's denominator)", n, ok)
	}
	// DKI Jakarta: its centre is pulled towards the populous cities, away
	// from Kepulauan Seribu far out at sea.
	if pt, _ := r.Coordinates("31"); pt.Lat < -6.4 || pt.Lat > -6.1 || pt.Lon < 106.7 || pt.Lon > 107.0 {
		t.Errorf("DKI Jakarta placed at %v, not in the city", pt)
	}
	for _, none := range []string{"16.07.01", "16.07.01.2001", "99", "99.01", "", "banyuasin"} {
		if pt, ok := r.Coordinates(none); ok {
			t.Errorf("Coordinates(%q) = %v: only provinces, regencies and cities have points", none, pt)
		}
		if n, ok := r.Population(none); ok {
			t.Errorf("Population(%q) = %d", none, n)
		}
	}
	var nilRef *Reference
	if _, ok := nilRef.Coordinates("16.07"); ok {
		t.Error("a nil Reference has coordinates")
	}
}

// TestLoadPlacesRejects: a broken copy of the files fails the load with a
// message that names the file, line and problem.
func TestLoadPlacesRejects(t *testing.T) {
	r := mustLoad(t)
	good := func(name string) string {
		data, err := geoFiles.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	coords, pop := good(coordinatesFile), good(populationFile)
	for _, tc := range []struct {
		name        string
		coords, pop string
		want        string
	}{
		{"swapped latitude and longitude", strings.Replace(coords, "16.07,16,Kabupaten Banyuasin,-2.88333,104.38306", "16.07,16,Kabupaten Banyuasin,104.38306,-2.88333", 1), pop, "not a latitude, longitude within Indonesia"},
		{"wrong name for the code", strings.Replace(coords, "16.07,16,Kabupaten Banyuasin", "16.07,16,Kabupaten Musi Banyuasin", 1), pop, "is Kabupaten Banyuasin of province 16 in the reference"},
		{"missing regency", strings.Replace(coords, "16.07,16,Kabupaten Banyuasin,-2.88333,104.38306\r\n", "", 1), pop, "no point for 16.07 Kabupaten Banyuasin"},
		{"duplicate", coords + "16.07,16,Kabupaten Banyuasin,-2.88333,104.38306\r\n", pop, "duplicate code 16.07"},
		{"district code", coords + "16.07.01,16,Talang Kelapa,-2.8,104.7\r\n", pop, "16.07.01 is not a regency or city code"},
		{"province without population", coords, strings.Replace(pop, "16,Sumatera Selatan", "16.99,Sumatera Selatan", 1), "16.99 is not a province"},
		{"bad total", coords, strings.Replace(pop, ",590393", ",590.393", 1), "total \"590.393\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(coords, "16.07,16,Kabupaten Banyuasin,-2.88333,104.38306\r\n") {
				t.Fatal("fixture line not found: update the test")
			}
			fsys := fstest.MapFS{coordinatesFile: {Data: []byte(tc.coords)}, populationFile: {Data: []byte(tc.pop)}}
			_, err := loadPlaces(fsys, r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestPlaceFilesUnmodified pins the embedded copies to the project's
// reference files (shared/data), so data/geo/README.md's "unmodified
// copies" stays true.
func TestPlaceFilesUnmodified(t *testing.T) {
	for name, sum := range map[string]string{
		coordinatesFile: "248ef95fec6bb8cb891c94f73e5259370ced7b3b5938ac5c24ff703a597423b4",
		populationFile:  "d32361960bf5abc713fd182402009f2885cfe55bb74a5ac89ed288eeb20b9026",
	} {
		b, err := geoFiles.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: sha256 %x, want %s", name, got, sum)
		}
	}
}
