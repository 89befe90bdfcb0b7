package collector

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// TestHistoryIsTheTextTimestamped: the same views rendered to the scrape
// text and into a History give the same families, HELP texts and series,
// every family of the table (jkn_region_info and segments included); the
// History adds the extra labels and each date's timestamp, keeps each
// series' samples in date order and writes each family once.
func TestHistoryIsTheTextTimestamped(t *testing.T) {
	sep := time.Date(2023, 9, 1, 0, 0, 0, 0, time.UTC)
	oct := sep.AddDate(0, 1, 0)
	view := func(asOf time.Time, part float64) snapshot.View {
		r := record("16.07", "Kab. \"Banyu\\asin\"\n", "Palembang", asOf, 837062, part)
		r.Figures.Set(jkn.FieldActive, 700000)
		r.Figures.Set(jkn.FieldPBPU, 1234)
		return snapshot.View{{Source: "kc-a", Records: []ingest.Record{r, record("16.71", "Kota Palembang", "Palembang", asOf, 1801367, 1787156)}}}
	}
	rd := renderer()
	rd.Places = fakePlaces{"16.07": {Lat: -2.88333, Lon: 104.38306}}
	h := NewHistory(`,job="jkn"`)
	var texts []string
	for _, c := range []struct {
		at   time.Time
		part float64
	}{{sep, 817221}, {oct, 819540}} {
		v := view(c.at, c.part)
		texts = append(texts, rd.Render(v).Text.String())
		h.At(c.at)
		if out := rd.RenderTo(h, v); out.Text != nil || len(out.Regions) != 2 || len(out.Points) != 1 {
			t.Fatalf("RenderTo: text %v, %d regions, points %v", out.Text, len(out.Regions), out.Points)
		}
	}
	var b bytes.Buffer
	series, samples, err := h.Encode(&b)
	if err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if !strings.HasSuffix(got, "\n# EOF\n") {
		t.Fatalf("no # EOF:\n%s", got)
	}
	// Each text line, with the extra label and its date's timestamp, is
	// a line of the history, and the history has no other.
	var want []string
	headers := map[string]bool{}
	for i, text := range texts {
		ts := []string{"1693526400", "1696118400"}[i]
		for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			if strings.HasPrefix(line, "#") {
				if !headers[line] {
					headers[line] = true
					want = append(want, line)
				}
				continue
			}
			sp := strings.LastIndexByte(line, ' ')
			want = append(want, line[:sp-1]+`,job="jkn"} `+line[sp+1:]+" "+ts)
		}
	}
	lines := strings.Split(strings.TrimSuffix(got, "\n# EOF\n"), "\n")
	if !slices.Equal(sorted(lines), sorted(want)) {
		t.Errorf("history:\n%s\nwant the lines:\n%s", got, strings.Join(want, "\n"))
	}
	for _, fam := range []string{"jkn_population", "jkn_segment_participants", "jkn_uhc_status", "jkn_data_as_of_timestamp_seconds", "jkn_region_info"} {
		if n := strings.Count(got, "# TYPE "+fam+" gauge\n"); n != 1 {
			t.Errorf("%s described %d times", fam, n)
		}
	}
	// 16.07's participants: September, then October.
	sepLine := `jkn_participants{region_code="16.07",region="Kab. \"Banyu\\asin\"\n",level="regency",province="Sumatera Selatan",branch_office="Palembang",job="jkn"} 817221 1693526400`
	if i, j := strings.Index(got, sepLine), strings.Index(got, "} 819540 1696118400"); i < 0 || j < i {
		t.Errorf("16.07's samples not in date order:\n%s", got)
	}
	// Both dates have the same series.
	if samples != len(lines)-len(headers) || series*2 != samples {
		t.Errorf("%d series, %d samples counted; the history has %d sample lines", series, samples, len(lines)-len(headers))
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}
