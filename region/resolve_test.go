package region

import (
	"errors"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// checkError asserts a failed resolution: the zero Region, an *Error with
// the reason, and the exact message (it is shown to branch offices, so it
// is part of the contract).
func checkError(t *testing.T, what string, got jkn.Region, err error, reason Reason, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Errorf("%s = %+v, %v; want *Error %q", what, got, err, msg)
		return
	}
	if got != (jkn.Region{}) {
		t.Errorf("%s returned region %+v with its error", what, got)
	}
	if e.Reason != reason {
		t.Errorf("%s reason = %q, want %q (%s)", what, e.Reason, reason, e.Message)
	}
	if e.Error() != msg {
		t.Errorf("%s error:\n got: %s\nwant: %s", what, e.Error(), msg)
	}
}

func TestResolve(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		q    Query
		want string // code
	}{
		// Codes.
		{Query{Code: "16.07"}, "16.07"},
		{Query{Code: "  16.07 "}, "16.07"},
		{Query{Code: "16"}, "16"},
		{Query{Code: "16.07.01"}, "16.07.01"},
		{Query{Code: "16.07", Name: "Kab. Banyuasin"}, "16.07"},
		{Query{Code: "16.07", Name: "BANYUASIN", Province: "Sumatera Selatan"}, "16.07"},
		{Query{Code: "16.07", Name: "Banyuasin", Province: "16"}, "16.07"},
		{Query{Code: "17.06", Name: "MUKO MUKO"}, "17.06"},
		{Query{Code: "16", Name: "Prov. Sumatera Selatan"}, "16"},
		{Query{Code: "17", Name: "Bengkulu"}, "17"},       // the code decides between province and city
		{Query{Code: "17.71", Name: "Bengkulu"}, "17.71"}, // likewise
		{Query{Code: "63.03", Name: "Banjar"}, "63.03"},
		{Query{Code: "32.79", Name: "banjar"}, "32.79"},
		{Query{Code: "63.02", Name: "Kota Baru"}, "63.02"},
		{Query{Code: "16.07.10", Name: "Talang Kelapa"}, "16.07.10"},
		{Query{Code: "16.07.10", Name: "Kec. Talang Kelapa"}, "16.07.10"},
		{Query{Code: "16.07.10", Regency: "Banyuasin"}, "16.07.10"},
		{Query{Code: "16.07.10", Regency: "16.07"}, "16.07.10"},
		{Query{Code: "16.07", Regency: "Kab. Banyuasin"}, "16.07"},
		{Query{Code: "17.06.02", Name: "Kota Mukomuko"}, "17.06.02"}, // a district whose name starts with "Kota"
		// Undotted codes: the name decides.
		{Query{Code: "1607", Name: "Banyuasin"}, "16.07"},
		{Query{Code: "1101", Name: "Simeulue"}, "11.09"}, // BPS 1101; Kemendagri 11.01 is Aceh Selatan
		{Query{Code: "1101", Name: "Aceh Selatan"}, "11.01"},
		// Names, with and without type words and province.
		{Query{Name: "Kab. Banyuasin"}, "16.07"},
		{Query{Name: "KABUPATEN BANYUASIN"}, "16.07"},
		{Query{Name: "BANYUASIN"}, "16.07"},
		{Query{Name: "BANYUASIN", Province: "Sumatera Selatan"}, "16.07"},
		{Query{Name: "Banyuasin", Province: "SUMATERA SELATAN"}, "16.07"},
		{Query{Name: "Banyuasin", Province: "16"}, "16.07"},
		{Query{Name: "Kab Banyuasin"}, "16.07"},
		{Query{Name: "KAB. BANYUASIN"}, "16.07"},
		{Query{Name: "KAB.BANYUASIN"}, "16.07"},
		{Query{Name: "Banyuasin (Kab.)"}, "16.07"},
		{Query{Name: "Banyuasin, Kabupaten"}, "16.07"},
		{Query{Name: "MUKO MUKO"}, "17.06"},
		{Query{Name: "Muko-Muko"}, "17.06"},
		{Query{Name: "Kab. Mukomuko", Province: "Bengkulu"}, "17.06"},
		{Query{Name: "Kota Pangkalpinang"}, "19.71"},
		{Query{Name: "Pangkalpinang"}, "19.71"},
		{Query{Name: "Kota Pangkal Pinang"}, "19.71"},
		{Query{Name: "Kot. Pangkalpinang"}, "19.71"},
		{Query{Name: "Kab. Bangka Tengah"}, "19.04"},
		{Query{Name: "Bangka Tengah", Province: "Kep. Bangka Belitung"}, "19.04"},
		{Query{Name: "Bangka Tengah", Province: "Bangka Belitung"}, "19.04"},
		{Query{Name: "Banjar", Province: "Kalimantan Selatan"}, "63.03"},
		{Query{Name: "Banjar", Province: "63"}, "63.03"},
		{Query{Name: "Banjar", Province: "Jawa Barat"}, "32.79"},
		{Query{Name: "Kota Banjar"}, "32.79"},
		{Query{Name: "Kabupaten Banjar"}, "63.03"},
		{Query{Name: "Toli-Toli"}, "72.04"},
		{Query{Name: "Tolitoli"}, "72.04"},
		{Query{Name: "Batang Hari"}, "15.04"},
		{Query{Name: "Kota Bau-Bau"}, "74.72"},
		{Query{Name: "Baubau"}, "74.72"},
		{Query{Name: "Palangka Raya"}, "62.71"},
		{Query{Name: "Kab. Lima Puluh Kota"}, "13.07"},
		{Query{Name: "Lima Puluh Kota"}, "13.07"}, // ends with "Kota" but is a kabupaten
		{Query{Name: "Limapuluh Kota"}, "13.07"},
		{Query{Name: "Kota Baru"}, "63.02"}, // Kabupaten Kotabaru; no kota is named "Baru"
		{Query{Name: "Kotabaru"}, "63.02"},
		{Query{Name: "Kota Kotamobagu"}, "71.74"},
		{Query{Name: "Kepulauan Seribu"}, "31.01"},
		{Query{Name: "Kep. Seribu"}, "31.01"},
		{Query{Name: "Kab. Adm. Kep. Seribu"}, "31.01"},
		{Query{Name: "Kabupaten Administrasi Kepulauan Seribu"}, "31.01"},
		{Query{Name: "Jakarta Pusat"}, "31.71"},
		{Query{Name: "Kota Jakarta Pusat"}, "31.71"},
		{Query{Name: "Kota Adm. Jakarta Pusat"}, "31.71"},
		{Query{Name: "Kota Administrasi Jakarta Pusat", Province: "DKI Jakarta"}, "31.71"},
		{Query{Name: "Kota Tanjungpinang"}, "21.72"},
		{Query{Name: "Pare-Pare"}, "73.72"},
		{Query{Name: "Fakfak"}, "92.03"},
		{Query{Name: "Tojo Una-Una"}, "72.09"},
		{Query{Name: "Kotamadya Palembang"}, "16.71"},
		{Query{Name: "Palembang"}, "16.71"},
		{Query{Name: "Karanganyar"}, "33.13"}, // also six districts' name: without a regency the row is a regency row
		// Aliases: renamings and official forms.
		{Query{Name: "Toba Samosir"}, "12.12"},
		{Query{Name: "Kabupaten Toba Samosir"}, "12.12"},
		{Query{Name: "Mamuju Utara"}, "76.01"},
		{Query{Name: "Maluku Tenggara Barat"}, "81.03"},
		{Query{Name: "Selayar"}, "73.01"},
		{Query{Name: "Kabupaten Pontianak"}, "61.02"},
		{Query{Name: "Kab. Pontianak"}, "61.02"},
		{Query{Name: "Pontianak (Kab.)"}, "61.02"}, // a type word after the name counts too
		{Query{Name: "Pontianak"}, "61.71"},        // the renaming alias needs its type word
		{Query{Name: "Kota Pontianak"}, "61.71"},
		{Query{Name: "Pangkajene Kepulauan"}, "73.10"},
		{Query{Name: "Pangkajene dan Kepulauan"}, "73.10"},
		{Query{Name: "Kota Tidore"}, "82.72"},
		{Query{Name: "Tidore Kepulauan"}, "82.72"},
		// Provinces by name.
		{Query{Name: "Prov. Sumatera Selatan"}, "16"},
		{Query{Name: "Provinsi Sumatera Selatan"}, "16"},
		{Query{Name: "SUMATERA SELATAN"}, "16"},
		{Query{Name: "Sumatera Selatan", Province: "Sumatera Selatan"}, "16"},
		{Query{Name: "Provinsi Bengkulu"}, "17"},
		{Query{Name: "Prov. Bengkulu", Province: "Bengkulu"}, "17"},
		{Query{Name: "Kota Bengkulu"}, "17.71"},
		{Query{Name: "Kota Bengkulu", Province: "Bengkulu"}, "17.71"},
		{Query{Name: "DKI Jakarta"}, "31"},
		{Query{Name: "Jakarta"}, "31"},
		{Query{Name: "Provinsi DKI Jakarta"}, "31"},
		{Query{Name: "D.I. Yogyakarta"}, "34"},
		{Query{Name: "Kota Yogyakarta"}, "34.71"},
		{Query{Name: "Kep. Bangka Belitung"}, "19"},
		{Query{Name: "Bangka Belitung"}, "19"},
		{Query{Name: "Provinsi Jambi"}, "15"},
		{Query{Name: "Kota Jambi"}, "15.71"},
		{Query{Name: "Kabupaten Gorontalo"}, "75.01"},
		// Districts with their regency.
		{Query{Name: "Talang Kelapa", Regency: "Banyuasin"}, "16.07.10"},
		{Query{Name: "TALANG KELAPA", Regency: "Kab. Banyuasin", Province: "Sumatera Selatan"}, "16.07.10"},
		{Query{Name: "Kec. Talang Kelapa", Regency: "16.07"}, "16.07.10"},
		{Query{Name: "Kecamatan Talang Kelapa", Regency: "16.07"}, "16.07.10"},
		{Query{Name: "Banyuasin I", Regency: "Banyuasin"}, "16.07.01"},
		{Query{Name: "Kota Mukomuko", Regency: "Mukomuko"}, "17.06.02"},
		{Query{Name: "Ra'as", Regency: "Sumenep"}, "35.29.22"},              // the reference spells it Ra"as
		{Query{Name: "Kabupaten Banyuasin", Regency: "Banyuasin"}, "16.07"}, // a district sheet's regency row
		{Query{Name: "Kecamatan Kota", Regency: "Kota Kediri"}, "35.71.02"},
		{Query{Name: "Distrik Abepura", Regency: "Kota Jayapura"}, "91.71.03"},
		// A 4-digit code ignored for the name, with a regency.
		{Query{Code: "160710", Name: "Talang Kelapa", Regency: "Banyuasin"}, "16.07.10"},
	}
	for _, tt := range tests {
		got, err := r.Resolve(tt.q)
		if err != nil || got.Code != tt.want {
			t.Errorf("Resolve(%+v) = %+v, %v; want %s", tt.q, got, err, tt.want)
			continue
		}
		if want, _ := r.Lookup(tt.want); got != want {
			t.Errorf("Resolve(%+v) = %+v, want %+v", tt.q, got, want)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	r := mustLoad(t)
	tests := []struct {
		q      Query
		reason Reason
		msg    string
	}{
		// Codes.
		{Query{Code: "16.99"}, ReasonUnknown,
			`unknown region code "16.99": no Kemendagri province, regency, city or district has it; write the region's dotted Kemendagri code`},
		{Query{Code: "16.99", Name: "Banyuasin"}, ReasonUnknown,
			`unknown region code "16.99": no Kemendagri province, regency, city or district has it (the row's name "Banyuasin" is Kabupaten Banyuasin (16.07, Sumatera Selatan)); write the region's dotted Kemendagri code`},
		{Query{Code: "99"}, ReasonUnknown,
			`unknown region code "99": no Kemendagri province, regency, city or district has it; write the region's dotted Kemendagri code`},
		{Query{Code: " 16.07 ", Name: "Musi Rawas"}, ReasonMismatch,
			`code 16.07 is Kabupaten Banyuasin, but the row names "Musi Rawas", which is Kabupaten Musi Rawas (16.05, Sumatera Selatan); correct the code or the name`},
		{Query{Code: "16.07", Name: "Kota Banyuasin"}, ReasonMismatch,
			`code 16.07 is Kabupaten Banyuasin, but the row names "Kota Banyuasin"; correct the code or the name`},
		{Query{Code: "16.07", Name: "Xyz"}, ReasonMismatch,
			`code 16.07 is Kabupaten Banyuasin, but the row names "Xyz"; correct the code or the name`},
		{Query{Code: "16", Name: "Bengkulu"}, ReasonMismatch,
			`code 16 is Provinsi Sumatera Selatan, but the row names "Bengkulu"; correct the code or the name`},
		{Query{Code: "16.07.05", Name: "Talang Kelapa"}, ReasonMismatch,
			`code 16.07.05 is Betung in Kabupaten Banyuasin, but the row names "Talang Kelapa", which is Talang Kelapa (16.07.10, Kabupaten Banyuasin); correct the code or the name`},
		{Query{Code: "16.07", Province: "Bengkulu"}, ReasonMismatch,
			`code 16.07 is Kabupaten Banyuasin in Sumatera Selatan, but the row's province is Bengkulu; correct the code or the province`},
		{Query{Code: "16", Province: "17"}, ReasonMismatch,
			`code 16 is Provinsi Sumatera Selatan, but the row's province is Bengkulu; correct the code or the province`},
		{Query{Code: "16.07.05", Province: "Bengkulu"}, ReasonMismatch,
			`code 16.07.05 is Betung in Kabupaten Banyuasin, Sumatera Selatan, but the row's province is Bengkulu; correct the code or the province`},
		{Query{Code: "16.07.05", Regency: "Musi Rawas"}, ReasonMismatch,
			`code 16.07.05 is Betung (16.07.05, Kabupaten Banyuasin), but the row's regency is Kabupaten Musi Rawas (16.05, Sumatera Selatan); correct the code or the regency`},
		{Query{Code: "16.07", Regency: "Musi Rawas"}, ReasonMismatch,
			`code 16.07 is Kabupaten Banyuasin (16.07, Sumatera Selatan), but the row's regency is Kabupaten Musi Rawas (16.05, Sumatera Selatan); correct the code or the regency`},
		{Query{Code: "1607"}, ReasonAmbiguous,
			`ambiguous region code "1607": BPS and Kemendagri codes differ (BPS 1101 is Simeulue, Kemendagri 11.01 is Aceh Selatan), so an undotted code cannot be trusted; write the dotted Kemendagri code ("16.07" if Kemendagri 16.07, Kabupaten Banyuasin, is meant) or add the region name`},
		{Query{Code: "1699"}, ReasonAmbiguous,
			`ambiguous region code "1699": BPS and Kemendagri codes differ (BPS 1101 is Simeulue, Kemendagri 11.01 is Aceh Selatan), so an undotted code cannot be trusted; write the dotted Kemendagri code or add the region name`},
		{Query{Code: "160710"}, ReasonAmbiguous,
			`ambiguous region code "160710": BPS and Kemendagri codes differ (BPS 1101 is Simeulue, Kemendagri 11.01 is Aceh Selatan), so an undotted code cannot be trusted; write the dotted Kemendagri code ("16.07.10" if Kemendagri 16.07.10, Talang Kelapa, is meant) or add the region name`},
		{Query{Code: "16.1"}, ReasonInvalidCode,
			`malformed region code "16.1": Kemendagri codes have two digits per level, dotted ("16", "16.07", "16.07.01"); a code stored as a number loses its trailing zero (16.10 becomes 16.1), so format the code column as text`},
		{Query{Code: "16.07.1", Name: "Banyuasin I"}, ReasonInvalidCode,
			`malformed region code "16.07.1": Kemendagri codes have two digits per level, dotted ("16", "16.07", "16.07.01"); a code stored as a number loses its trailing zero (16.10 becomes 16.1), so format the code column as text`},
		{Query{Code: "16-07", Name: "Banyuasin"}, ReasonInvalidCode,
			`malformed region code "16-07": Kemendagri codes have two digits per level, dotted ("16", "16.07", "16.07.01")`},
		{Query{Code: "1"}, ReasonInvalidCode,
			`malformed region code "1": Kemendagri codes have two digits per level, dotted ("16", "16.07", "16.07.01")`},
		{Query{Code: "16.07.01.2999"}, ReasonUnknown,
			`unknown region code "16.07.01.2999": no Kemendagri village has it (district 16.07.01 is Banyuasin I in Kabupaten Banyuasin); write the village's dotted Kemendagri code`},
		// Missing input.
		{Query{}, ReasonMissing,
			`no region code or name: the row needs the dotted Kemendagri code (e.g. "16.07") or the region name`},
		{Query{Name: "  ", Province: "Sumatera Selatan"}, ReasonMissing,
			`no region code or name: the row needs the dotted Kemendagri code (e.g. "16.07") or the region name`},
		{Query{Name: "--"}, ReasonMissing,
			`region name "--" has no letters or digits: write the region name or its dotted Kemendagri code`},
		// Ambiguous names.
		{Query{Name: "Banjar"}, ReasonAmbiguous,
			`ambiguous name "Banjar": Kabupaten Banjar (63.03, Kalimantan Selatan) or Kota Banjar (32.79, Jawa Barat); add a province column or a code, or set the source's province`},
		{Query{Name: "BANJAR", Code: "6303"}, ReasonAmbiguous, // the undotted code does not decide
			`ambiguous name "BANJAR": Kabupaten Banjar (63.03, Kalimantan Selatan) or Kota Banjar (32.79, Jawa Barat); add a province column or a code, or set the source's province`},
		{Query{Name: "Bengkulu"}, ReasonAmbiguous,
			`ambiguous name "Bengkulu": Provinsi Bengkulu (17) or Kota Bengkulu (17.71, Bengkulu); write "Provinsi Bengkulu" or "Kota Bengkulu", or add the dotted code`},
		{Query{Name: "BENGKULU", Province: "Bengkulu"}, ReasonAmbiguous,
			`ambiguous name "BENGKULU": Provinsi Bengkulu (17) or Kota Bengkulu (17.71, Bengkulu); write "Provinsi Bengkulu" or "Kota Bengkulu", or add the dotted code`},
		{Query{Name: "Jambi"}, ReasonAmbiguous,
			`ambiguous name "Jambi": Provinsi Jambi (15) or Kota Jambi (15.71, Jambi); write "Provinsi Jambi" or "Kota Jambi", or add the dotted code`},
		{Query{Name: "Gorontalo"}, ReasonAmbiguous,
			`ambiguous name "Gorontalo": Provinsi Gorontalo (75), Kabupaten Gorontalo (75.01, Gorontalo) or Kota Gorontalo (75.71, Gorontalo); write "Provinsi Gorontalo", "Kabupaten Gorontalo" or "Kota Gorontalo", or add the dotted code`},
		{Query{Name: "Yogyakarta"}, ReasonAmbiguous,
			`ambiguous name "Yogyakarta": Provinsi Daerah Istimewa Yogyakarta (34) or Kota Yogyakarta (34.71, Daerah Istimewa Yogyakarta); write "Provinsi Daerah Istimewa Yogyakarta" or "Kota Yogyakarta", or add the dotted code`},
		{Query{Name: "Bandung", Province: "Jawa Barat"}, ReasonAmbiguous,
			`ambiguous name "Bandung": Kabupaten Bandung (32.04, Jawa Barat) or Kota Bandung (32.73, Jawa Barat); write "Kabupaten Bandung" or "Kota Bandung", or add the dotted code`},
		{Query{Name: "Tegal"}, ReasonAmbiguous,
			`ambiguous name "Tegal": Kabupaten Tegal (33.28, Jawa Tengah) or Kota Tegal (33.76, Jawa Tengah); write "Kabupaten Tegal" or "Kota Tegal", or add the dotted code`},
		// Contradictions.
		{Query{Name: "Banyuasin", Province: "Bengkulu"}, ReasonMismatch,
			`"Banyuasin" is not in Bengkulu: it is Kabupaten Banyuasin (16.07, Sumatera Selatan); correct the name or the province`},
		{Query{Name: "Banjar", Province: "Jawa Tengah"}, ReasonMismatch,
			`"Banjar" is not in Jawa Tengah: it is Kabupaten Banjar (63.03, Kalimantan Selatan) or Kota Banjar (32.79, Jawa Barat); correct the name or the province`},
		{Query{Name: "Kota Banjar", Province: "Kalimantan Selatan"}, ReasonMismatch,
			`"Kota Banjar" is not in Kalimantan Selatan: it is Kota Banjar (32.79, Jawa Barat); correct the name or the province`},
		{Query{Name: "Sumatera Selatan", Province: "Bengkulu"}, ReasonMismatch,
			`"Sumatera Selatan" is not in Bengkulu: it is Provinsi Sumatera Selatan (16); correct the name or the province`},
		{Query{Name: "Kota Banyuasin"}, ReasonMismatch,
			`"Kota Banyuasin" names a kota, but that name belongs to Kabupaten Banyuasin (16.07, Sumatera Selatan); correct the type word or add the dotted code`},
		{Query{Name: "Kabupaten Palembang"}, ReasonMismatch,
			`"Kabupaten Palembang" names a kabupaten, but that name belongs to Kota Palembang (16.71, Sumatera Selatan); correct the type word or add the dotted code`},
		{Query{Name: "Provinsi Banyuasin"}, ReasonMismatch,
			`"Provinsi Banyuasin" names a provinsi, but that name belongs to Kabupaten Banyuasin (16.07, Sumatera Selatan); correct the type word or add the dotted code`},
		{Query{Name: "Kabupaten Jakarta"}, ReasonMismatch,
			`"Kabupaten Jakarta" names a kabupaten, but that name belongs to Provinsi Daerah Khusus Ibukota Jakarta (31); correct the type word or add the dotted code`},
		// Unknown names, with and without a suggestion.
		{Query{Name: "Xyz"}, ReasonUnknown,
			`unknown region name "Xyz": no province, regency or city has that name; write the name as Kemendagri spells it, or the dotted code`},
		{Query{Name: "Banyuasn"}, ReasonUnknown,
			`unknown region name "Banyuasn": no province, regency or city has that name; write the name as Kemendagri spells it, or the dotted code; did you mean "Kabupaten Banyuasin" (16.07)?`},
		{Query{Name: "Kab. Banyu Asin Raya", Province: "Sumatera Selatan"}, ReasonUnknown,
			`unknown region name "Kab. Banyu Asin Raya": no province, regency or city has that name; write the name as Kemendagri spells it, or the dotted code`},
		{Query{Name: "Musi Rawa", Province: "Sumatera Selatan"}, ReasonUnknown,
			`unknown region name "Musi Rawa": no province, regency or city has that name; write the name as Kemendagri spells it, or the dotted code; did you mean "Kabupaten Musi Rawas" (16.05)?`},
		{Query{Name: "Muara Enin", Province: "Bengkulu"}, ReasonUnknown, // the suggestion is searched in the province only
			`unknown region name "Muara Enin": no province, regency or city has that name; write the name as Kemendagri spells it, or the dotted code`},
		{Query{Name: "Sumsel"}, ReasonUnknown,
			`unknown region name "Sumsel": no province, regency or city has that name; write the name as Kemendagri spells it, or the dotted code`},
		// Unknown province.
		{Query{Name: "Banyuasin", Province: "Sumsel"}, ReasonUnknown,
			`unknown province "Sumsel"; write the province name as Kemendagri spells it (e.g. "Sumatera Selatan") or its 2-digit code`},
		{Query{Code: "16.07", Province: "Sumatra Selatan"}, ReasonUnknown,
			`unknown province "Sumatra Selatan"; write the province name as Kemendagri spells it (e.g. "Sumatera Selatan") or its 2-digit code; did you mean "Provinsi Sumatera Selatan" (16)?`},
		// Districts.
		{Query{Name: "Talang Kelapa"}, ReasonMissing,
			`"Talang Kelapa" is a district (kecamatan) name: Talang Kelapa (16.07.10, Kabupaten Banyuasin); district names repeat across regencies, so district rows need a regency column or the dotted district code, e.g. "16.07.10"`},
		{Query{Name: "Kecamatan Talang Kelapa", Province: "Sumatera Selatan"}, ReasonMissing,
			`"Kecamatan Talang Kelapa" is a district (kecamatan) name: Talang Kelapa (16.07.10, Kabupaten Banyuasin); district names repeat across regencies, so district rows need a regency column or the dotted district code, e.g. "16.07.10"`},
		{Query{Name: "Taman Sari"}, ReasonMissing,
			`"Taman Sari" is a district (kecamatan) name: Taman Sari (19.71.02, Kota Pangkal Pinang), Taman Sari (31.73.03, Kota Administrasi Jakarta Barat), Tamansari (32.01.31, Kabupaten Bogor) and 2 more; district names repeat across regencies, so district rows need a regency column or the dotted district code, e.g. "19.71.02"`},
		{Query{Name: "Tamansari", Province: "Jawa Barat"}, ReasonMissing, // the list narrows to the province
			`"Tamansari" is a district (kecamatan) name: Tamansari (32.01.31, Kabupaten Bogor) or Tamansari (32.78.07, Kota Tasikmalaya); district names repeat across regencies, so district rows need a regency column or the dotted district code, e.g. "32.01.31"`},
		{Query{Name: "Talang Kelap", Regency: "Banyuasin"}, ReasonUnknown,
			`unknown region name "Talang Kelap": Kabupaten Banyuasin (16.07, Sumatera Selatan) has no district of that name; write the district name as Kemendagri spells it, or the dotted district code; did you mean "Talang Kelapa" (16.07.10)?`},
		{Query{Name: "Xyz", Regency: "16.07"}, ReasonUnknown,
			`unknown region name "Xyz": Kabupaten Banyuasin (16.07, Sumatera Selatan) has no district of that name; write the district name as Kemendagri spells it, or the dotted district code`},
		{Query{Name: "Talang Kelapa", Regency: "Banjar"}, ReasonAmbiguous,
			`regency "Banjar": ambiguous name "Banjar": Kabupaten Banjar (63.03, Kalimantan Selatan) or Kota Banjar (32.79, Jawa Barat); add a province column or a code, or set the source's province`},
		{Query{Name: "Talang Kelapa", Regency: "Sumatera Selatan"}, ReasonMismatch,
			`regency "Sumatera Selatan" is Provinsi Sumatera Selatan (16), not a regency or city; district rows need the kabupaten or kota they belong to`},
		{Query{Name: "Talang Kelapa", Regency: "16.07.10"}, ReasonMismatch,
			`regency "16.07.10" is Talang Kelapa (16.07.10, Kabupaten Banyuasin), not a regency or city; district rows need the kabupaten or kota they belong to`},
		{Query{Name: "Talang Kelapa", Regency: "1607"}, ReasonAmbiguous,
			`regency "1607": ambiguous region code "1607": BPS and Kemendagri codes differ (BPS 1101 is Simeulue, Kemendagri 11.01 is Aceh Selatan), so an undotted code cannot be trusted; write the dotted Kemendagri code ("16.07" if Kemendagri 16.07, Kabupaten Banyuasin, is meant) or add the region name`},
		{Query{Name: "Talang Kelapa", Regency: "Banyuasin", Province: "Bengkulu"}, ReasonMismatch,
			`regency "Banyuasin": "Banyuasin" is not in Bengkulu: it is Kabupaten Banyuasin (16.07, Sumatera Selatan); correct the name or the province`},
	}
	for _, tt := range tests {
		got, err := r.Resolve(tt.q)
		checkError(t, "Resolve("+queryString(tt.q)+")", got, err, tt.reason, tt.msg)
	}
}

func queryString(q Query) string {
	return strings.Join([]string{"code=" + q.Code, "name=" + q.Name, "province=" + q.Province, "regency=" + q.Regency, "district=" + q.District}, " ")
}
