package region

// alias is another name a province, regency or city is written under in
// sheets. The name is normalised like any sheet name. An alias written with
// a type word ("Kabupaten Pontianak") matches only names that carry that
// type word too.
type alias struct {
	name string
	code string
}

// aliases returns the names the reference does not spell but sheets do.
//
// Only two kinds are accepted, each checkable: official names the region
// had before Permendagri 137/2017 (renamed by government regulation, so
// older templates and habits keep them) and official name forms / the name
// without a qualifier where that is unique. Names changed since 2017 are
// not aliases: they are in the change table (data/changes/), and a row
// that uses one resolves with a finding (ResolveRow). Spelling variants that differ only in
// spaces, hyphens, case or "Kep."/"Kepulauan" need no alias: normalisation
// covers them ("Muko Muko", "Pangkalpinang", "Tolitoli", "Bau-Bau",
// "Palangka Raya", "Kep. Seribu").
//
// Acronyms (Sumsel, Babel, DIY, NTB, OKU, Pangkep, Sitaro, PALI, ...) are
// deliberately absent: they are an open-ended, region-specific set whose
// short forms collide easily; a sheet that uses them should carry codes.
//
// A function, not a package variable, so the package keeps no mutable state.
func aliases() []alias {
	return []alias{
		// Provinces.
		{"DKI Jakarta", "31"},              // the name form used until 2024 ("D.K.I. Jakarta" normalises the same)
		{"Daerah Khusus Jakarta", "31"},    // its name since UU 2/2024
		{"Jakarta", "31"},                  // no Jakarta regency or city shares the bare name
		{"DI Yogyakarta", "34"},            // also "D.I. Yogyakarta"
		{"Yogyakarta", "34"},               // shares the name with Kota Yogyakarta (34.71): bare "Yogyakarta" is ambiguous in Resolve
		{"Bangka Belitung", "19"},          // Kepulauan Bangka Belitung without the qualifier
		{"Nanggroe Aceh Darussalam", "11"}, // the province's name under UU 18/2001 (replaced by "Aceh" in UU 11/2006)
		// Regencies renamed by Peraturan Pemerintah before 2017, so the
		// Kemendagri code tables the change table compares never list the
		// old name.
		{"Selayar", "73.01"},             // Kabupaten Kepulauan Selayar, PP 59/2008
		{"Kabupaten Pontianak", "61.02"}, // Kabupaten Mempawah, PP 58/2014; typed only, bare "Pontianak" stays Kota Pontianak
		// Official names shortened in common use.
		{"Tidore", "82.72"}, // Kota Tidore Kepulauan
	}
}
