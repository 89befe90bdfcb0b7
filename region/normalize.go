package region

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jkn-exporter/jkn_exporter/jkn"
)

// nameType is the kind of region a written name states with a prefix or
// suffix word ("Kab.", "Kota", "Provinsi", "Kecamatan"). It constrains which
// regions the name may resolve to.
type nameType uint8

const (
	typeNone nameType = iota
	typeProvinsi
	typeKabupaten
	typeKota
	typeKecamatan
)

// level is the Level a name of this type denotes; "" for typeNone.
func (t nameType) level() jkn.Level {
	switch t {
	case typeProvinsi:
		return jkn.LevelProvince
	case typeKabupaten:
		return jkn.LevelRegency
	case typeKota:
		return jkn.LevelCity
	case typeKecamatan:
		return jkn.LevelDistrict
	}
	return ""
}

// word is the Indonesian word for the type, as the error messages use it.
func (t nameType) word() string {
	switch t {
	case typeProvinsi:
		return "provinsi"
	case typeKabupaten:
		return "kabupaten"
	case typeKota:
		return "kota"
	case typeKecamatan:
		return "kecamatan"
	}
	return ""
}

// typeWord reports the type a normalised word states. "kot" is "Kot.",
// "kodya"/"kotamadya" the pre-1999 term for a kota, "propinsi" the old
// spelling, and "distrik" the Papuan word for kecamatan. (A switch, not a
// package map, so the package keeps no mutable state.)
func typeWord(w string) (nameType, bool) {
	switch w {
	case "provinsi", "propinsi", "prov":
		return typeProvinsi, true
	case "kabupaten", "kab":
		return typeKabupaten, true
	case "kota", "kot", "kotamadya", "kodya":
		return typeKota, true
	case "kecamatan", "kec", "distrik":
		return typeKecamatan, true
	}
	return typeNone, false
}

// typeWordAtEdge reports whether the first or the last word of a name is
// a type word, as readings would split it, without allocating.
func typeWordAtEdge(s string) bool {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	notWord := func(r rune) bool { return !isWord(r) }
	start := strings.IndexFunc(s, isWord)
	if start < 0 {
		return false
	}
	end := len(s)
	if i := strings.IndexFunc(s[start:], notWord); i >= 0 {
		end = start + i
	}
	if isTypeWordFold(s[start:end]) {
		return true
	}
	lastEnd := strings.LastIndexFunc(s, isWord)
	_, size := utf8.DecodeRuneInString(s[lastEnd:])
	lastEnd += size
	lastStart := 0
	if i := strings.LastIndexFunc(s[:lastEnd], notWord); i >= 0 {
		_, size := utf8.DecodeRuneInString(s[i:])
		lastStart = i + size
	}
	return isTypeWordFold(s[lastStart:lastEnd])
}

// isWordRune reports a rune that is part of a word of a name.
func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// typeWords are the words typeWord knows, in lower case.
func typeWords() [12]string {
	return [...]string{"provinsi", "propinsi", "prov", "kabupaten", "kab", "kota", "kot", "kotamadya", "kodya", "kecamatan", "kec", "distrik"}
}

// isTypeWordFold reports whether w is a type word, in any case.
func isTypeWordFold(w string) bool {
	for _, t := range typeWords() {
		if strings.EqualFold(w, t) {
			return true
		}
	}
	return false
}

// isAdministrasi reports the word that follows "Kabupaten"/"Kota" in the
// Jakarta regions ("Kota Administrasi Jakarta Pusat", "Kab. Adm. Kep. Seribu").
func isAdministrasi(w string) bool {
	return w == "administrasi" || w == "adm"
}

// tokens splits a written name into lower-case words: every rune that is not
// a letter or digit separates words, so "Toli-Toli", "KAB.BANYUASIN" and
// "Ra'as" split the way a reader would. "kep" ("Kep.") is expanded to
// "kepulauan" because both spellings are common for the same word.
func tokens(s string) []string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for i, w := range words {
		if w == "kep" {
			words[i] = "kepulauan"
		}
	}
	return words
}

// key is the comparison key of a name's words: joined without spaces, so
// "Muko Muko" = "Mukomuko" and "Pangkal Pinang" = "Pangkalpinang".
func key(words []string) string {
	return strings.Join(words, "")
}

// normKey is the comparison key of a name taken whole, type words
// included: key(tokens(s)) in one pass, because Load computes it for every
// district.
func normKey(s string) string {
	return string(appendKey(make([]byte, 0, len(s)+len("ulauan")), s))
}

// appendKey appends normKey(s) to dst: with a buffer on the stack, a key
// is compared or looked up without allocating.
func appendKey(dst []byte, s string) []byte {
	start := len(dst) // where the current word starts in dst
	flush := func() {
		if len(dst)-start == 3 && string(dst[start:]) == "kep" {
			dst = append(dst, "ulauan"...)
		}
		start = len(dst)
	}
	for _, c := range s {
		if !unicode.IsLetter(c) && !unicode.IsDigit(c) {
			flush()
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(c))
	}
	flush()
	return dst
}

// reading is one way to understand a written name: a type and the key of
// the rest of the name.
type reading struct {
	typ nameType
	key string
}

// readings returns the ways to understand a written name, most specific
// first: with a type prefix ("Kab. Banyuasin") or else a type suffix
// ("Banyuasin Kab") stripped, then the whole name untyped. The untyped
// reading is kept because real names start or end with a type word: the
// kabupaten "Lima Puluh Kota", and "Kota Baru" written for Kabupaten
// Kotabaru. It returns nil for a name without letters or digits.
func readings(name string) []reading {
	words := tokens(name)
	if len(words) == 0 {
		return nil
	}
	whole := reading{typ: typeNone, key: key(words)}
	if t, ok := typeWord(words[0]); ok && len(words) > 1 {
		rest := words[1:]
		if (t == typeKabupaten || t == typeKota) && len(rest) > 1 && isAdministrasi(rest[0]) {
			rest = rest[1:]
		}
		return []reading{{typ: t, key: key(rest)}, whole}
	}
	if t, ok := typeWord(words[len(words)-1]); ok && len(words) > 1 {
		return []reading{{typ: t, key: key(words[:len(words)-1])}, whole}
	}
	return []reading{whole}
}

// editDistance is the Levenshtein distance between a and b, in runes. It is
// used only to suggest a name in an error message, never to resolve one.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// nearest returns the candidates 0..n-1 whose key is nearest to k, if
// within maxSuggestDistance(k); key gives a candidate's key, or false to
// leave it out.
func nearest(k string, n int, key func(int) (string, bool)) []int {
	limit := maxSuggestDistance(k)
	best := limit + 1
	var hits []int
	runes := utf8.RuneCountInString(k)
	for i := range n {
		c, ok := key(i)
		if !ok {
			continue
		}
		// The distance is at least the difference in length: a 30,000-letter
		// cell is compared with no name at all.
		if m := utf8.RuneCountInString(c); runes-m > limit || m-runes > limit {
			continue
		}
		switch d := editDistance(k, c); {
		case d > limit:
		case d < best:
			best, hits = d, append(hits[:0], i)
		case d == best:
			hits = append(hits, i)
		}
	}
	return hits
}

// maxSuggestDistance is how far a key may be from a name to be suggested:
// short keys get less slack, or "Aru" would suggest "Buru".
func maxSuggestDistance(k string) int {
	switch n := len([]rune(k)); {
	case n >= 6:
		return 2
	case n >= 3:
		return 1
	}
	return 0
}
