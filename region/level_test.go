package region

import (
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// A row whose column says district (Kecamatan) or village (Desa,
// Kelurahan) is one, never a regency or city of the same name; a regency
// named in a title row (Query.Regency) scopes bare names.
func TestResolveLevel(t *testing.T) {
	r := mustLoad(t)
	district, village := jkn.LevelDistrict, jkn.LevelVillage
	for _, tc := range []struct {
		q    Query
		want string
	}{
		// Without Level, the district sheet's row naming its regency is the
		// regency, as before; with it, the district of that name.
		{Query{Name: "Sidoarjo", Regency: "Kabupaten Sidoarjo"}, "35.15.08"},
		{Query{Name: "Sidoarjo", Regency: "35.15", Level: district}, "35.15.08"},
		{Query{Name: "SIDOARJO", Regency: "KABUPATEN SIDOARJO", Level: district}, "35.15.08"},
		{Query{Name: "Kota Raja", Regency: "Kota Kupang", Level: district}, "53.71.05"},
		{Query{Code: "35.15.08", Level: district}, "35.15.08"},
		// A village unique in its regency resolves without its district.
		{Query{Name: "Oebobo", Regency: "Kota Kupang", Level: village}, "53.71.04.1001"},
		// Maulafa is a district and one of its kelurahan: in a village
		// column, the kelurahan.
		{Query{Name: "Maulafa", Regency: "Kota Kupang", Level: village}, "53.71.02.1002"},
	} {
		got, err := r.Resolve(tc.q)
		if err != nil || got.Code != tc.want {
			t.Errorf("Resolve(%+v) = %s, %v; want %s", tc.q, got.Code, err, tc.want)
		}
	}

	got, err := r.Resolve(Query{Name: "Sidoarjo", Level: district})
	checkError(t, "bare district name", got, err, ReasonMissing,
		`"Sidoarjo" is a district (kecamatan) name: Sidoarjo (35.15.08, Kabupaten Sidoarjo); district names repeat across regencies, so district rows need a regency column or the dotted district code, e.g. "35.15.08"`)
	got, err = r.Resolve(Query{Name: "Kabupaten Sidoarjo", Regency: "35.15", Level: district})
	checkError(t, "the regency in a district column", got, err, ReasonMismatch,
		`"Kabupaten Sidoarjo" is Kabupaten Sidoarjo (35.15, Jawa Timur), but the row's column holds districts (kecamatan): a district row never stands for a regency of the same name; write the district's name as Kemendagri spells it, or its dotted code`)
	got, err = r.Resolve(Query{Code: "35.15", Level: district})
	checkError(t, "a regency code in a district column", got, err, ReasonMismatch,
		`"35.15" is Kabupaten Sidoarjo (35.15, Jawa Timur), but the row's column holds districts (kecamatan): a district row never stands for a regency of the same name; write the district's name as Kemendagri spells it, or its dotted code`)
	got, err = r.Resolve(Query{Name: "Janti", Regency: "Kabupaten Sidoarjo", Level: village})
	checkError(t, "a village name repeated in the regency", got, err, ReasonAmbiguous,
		`ambiguous village name "Janti": Janti (35.15.01.2018, Tarik in Kabupaten Sidoarjo), Janti (35.15.09.2001, Tulangan in Kabupaten Sidoarjo) or Janti (35.15.18.2014, Waru in Kabupaten Sidoarjo), all in Kabupaten Sidoarjo (35.15, Jawa Timur); add a district (kecamatan) column or the dotted village code`)
}
