package lang

import (
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

func TestFromRequest(t *testing.T) {
	for _, c := range []struct {
		url, accept string
		want        Lang
	}{
		{"/", "", ID},
		{"/", "en-US,en;q=0.9", EN},
		{"/", "fr-FR, en;q=0.5", EN},
		{"/", "fr-FR, de;q=0.5", ID},
		{"/", "ms-MY", ID},
		{"/", "id-ID,id;q=0.9,en;q=0.8", ID},
		{"/?lang=en", "id", EN},
		{"/?lang=id", "en", ID},
		{"/?lang=xx", "en", EN}, // an unknown ?lang= is ignored
		{"/", "garbage;;;q=", ID},
	} {
		r := httptest.NewRequest("GET", c.url, nil)
		if c.accept != "" {
			r.Header.Set("Accept-Language", c.accept)
		}
		if got := FromRequest(r); got != c.want {
			t.Errorf("%s, Accept-Language %q: %s, want %s", c.url, c.accept, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	for in, want := range map[string]Lang{"id": ID, "en": EN, "en-GB": EN, "in": ID, " id ": ID} {
		if got, err := Parse(in); err != nil || got != want {
			t.Errorf("Parse(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	if _, err := Parse("fr"); err == nil {
		t.Error("Parse(fr) accepted a language without a catalogue")
	}
}

func TestNumbersAndDates(t *testing.T) {
	id, en := For(ID), For(EN)
	day := time.Date(2023, time.September, 1, 6, 0, 0, 0, time.FixedZone("WIB", 7*3600))
	for _, c := range []struct{ got, want string }{
		{id.Count(19841), "19.841"},
		{en.Count(19841), "19,841"},
		{id.Count(1801367), "1.801.367"},
		{en.Count(837), "837"},
		{id.Percent(0.97634), "97,63%"},
		{en.Percent(0.97634), "97.63%"},
		{id.Threshold(0.98), "98%"},
		{id.Threshold(0.975), "97,5%"},
		{en.Threshold(0.975), "97.5%"},
		// A share in a message: at most two decimals, trailing zeros dropped.
		{id.Text("%s", jkn.Share(0.1234)), "12,34%"},
		{en.Text("%s", jkn.Share(0.1234)), "12.34%"},
		{id.Text("%s", jkn.Share(0.05)), "5%"},
		{jkn.Share(0.15004).String(), "15%"},
		{id.Date(day), "1 September 2023"},
		{en.Date(day), "1 September 2023"},
		{id.Date(day.AddDate(1, 11, 16)), "17 Agustus 2025"},
		{en.Date(day.AddDate(1, 11, 16)), "17 August 2025"},
		{id.Time(day), "1 September 2023 06.00.00 WIB"},
		{en.Time(day), "1 September 2023 06:00:00 WIB"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestMessage(t *testing.T) {
	m := jkn.Msgf("%s", jkn.Percent(0.97634))
	if got := For(ID).Message(m); got != "97,63%" {
		t.Errorf("Indonesian %q", got)
	}
	if got := For(EN).Message(m); got != m.String() || got != "97.63%" {
		t.Errorf("English %q, String %q", got, m.String())
	}
	// A key the catalogue lacks (a state file of another version) is English.
	odd := jkn.Msgf("not in the catalogue %d", 1234)
	if got := For(ID).Message(odd); got != "not in the catalogue 1234" {
		t.Errorf("unknown key: %q", got)
	}
	f := jkn.Finding{File: "rekap.xlsx", Sheet: "Data", Row: 1207, Column: "D", Check: "x", Reason: "stored", Message: jkn.Msgf("%v", jkn.Msgf("%s", jkn.Percent(0.5)))}
	if got, want := For(ID).Finding(f), `rekap.xlsx: lembar "Data" baris 1207 kolom D: 50,00%`; got != want {
		t.Errorf("Indonesian finding %q, want %q", got, want)
	}
	f.Message = jkn.Message{}
	if got := For(EN).Finding(f); got != f.String() {
		t.Errorf("English finding %q, want %q (jkn.Finding.String)", got, f.String())
	}
}
