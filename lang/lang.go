// Package lang holds what the people who read jkn_exporter read, in
// Bahasa Indonesia and English: the message catalogue (catalogue.go, one
// entry per text with both languages), the choice of language for a
// request (?lang=, then Accept-Language, then Indonesian), and numbers and
// dates written each language's way (19.841 jiwa, 97,63%, 1 September 2023;
// 19,841, 97.63%, 1 September 2023).
//
// The catalogue is golang.org/x/text/message's: its keys are the English
// format strings, so a message rendered in English is exactly what
// fmt.Sprintf gave before it was translated.
package lang

import (
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/text/language"
)

// Lang is a language jkn_exporter writes in.
type Lang string

// The languages. Indonesian is the default: the readers are Indonesian
// coordinators and branch-office staff.
const (
	ID Lang = "id"
	EN Lang = "en"
)

// Default is the language when nothing asks for another.
const Default = ID

// All lists the languages, the default first.
func All() []Lang { return []Lang{ID, EN} }

// Other is the language a page links to beside l.
func (l Lang) Other() Lang {
	if l == EN {
		return ID
	}
	return EN
}

// Name is the language's name in itself, for the link to it.
func (l Lang) Name() string {
	if l == EN {
		return "English"
	}
	return "Bahasa Indonesia"
}

func (l Lang) tag() language.Tag {
	if l == EN {
		return language.English
	}
	return language.Indonesian
}

// Parse reads a language code ("id", "en", "en-US", "in"); the error names
// the ones there are.
func Parse(s string) (Lang, error) {
	t, err := language.Parse(strings.TrimSpace(s))
	if err == nil {
		if l, ok := match(t); ok {
			return l, nil
		}
	}
	return "", fmt.Errorf("unknown language %q: use id (Bahasa Indonesia) or en (English)", s)
}

var matcher = language.NewMatcher([]language.Tag{language.Indonesian, language.English})

// match is the catalogue language a tag means, when one is close enough
// (Malay reads Indonesian; any English is English).
func match(tags ...language.Tag) (Lang, bool) {
	_, i, c := matcher.Match(tags...)
	if c < language.High {
		return "", false
	}
	return All()[i], true
}

// FromRequest is the language a request asks for: ?lang= when it names
// one, else the best of Accept-Language, else Indonesian.
func FromRequest(r *http.Request) Lang {
	if q := r.URL.Query().Get("lang"); q != "" {
		if l, err := Parse(q); err == nil {
			return l
		}
	}
	if al := r.Header.Get("Accept-Language"); al != "" {
		if tags, _, err := language.ParseAcceptLanguage(al); err == nil {
			// Tags in order of preference: the first we write wins.
			for _, t := range tags {
				if l, ok := match(t); ok {
					return l
				}
			}
		}
	}
	return Default
}
