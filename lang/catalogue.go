package lang

// entries is the catalogue: every text a person reads, its English form
// (the key, a fmt format string) and its Indonesian one. An Indonesian
// text may take the arguments in another order with explicit indexes
// (%[2]s). catalogue_test.go fails when an entry lacks a language, when
// the two forms take different arguments, and when code uses a key that
// is not here.
var entries = []struct{ en, id string }{
	// Where a finding is (Printer.Location).
	{"sheet %q", "lembar %q"},
	{"row %s", "baris %s"},
	{"column %s", "kolom %s"},
	// Passed through: a text made elsewhere, already in its language.
	{"%s", "%s"},
	{"%v", "%v"},
}

// Has reports whether key is in the catalogue.
func Has(key string) bool {
	_, ok := index()[key]
	return ok
}
