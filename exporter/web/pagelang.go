package web

import (
	"html/template"
	"net/url"

	"github.com/jkn-exporter/jkn_exporter/lang"
)

// pageLang is what every page needs to be read in its language, chosen by
// lang.FromRequest (?lang=, Accept-Language, else Indonesian): the
// printer its template writes with, the page's lang attribute, and the
// link to the same page in the other language. Pages embed it.
type pageLang struct {
	// L writes the template's texts: {{.L.Text "English key" args}}, or
	// {{.L.HTML ...}} for an entry with markup.
	L    pageText
	Lang lang.Lang
	// OtherName is the other language's name, OtherHref this page in it.
	OtherName, OtherHref string
	// KeepLang is the lang value links and forms carry so that the next
	// page stays in this language; empty for the default.
	KeepLang lang.Lang
}

func newPageLang(p *lang.Printer, q url.Values) pageLang {
	pl := pageLang{L: pageText{p}, Lang: p.Lang(), OtherName: p.Lang().Other().Name()}
	if p.Lang() != lang.Default {
		pl.KeepLang = p.Lang()
	}
	other := url.Values{}
	for k, v := range q {
		other[k] = v
	}
	other.Set("lang", string(p.Lang().Other()))
	pl.OtherHref = "?" + other.Encode()
	return pl
}

// withLang adds the lang a link must carry to a query ("?province=16").
func withLang(query string, p *lang.Printer) string {
	if p.Lang() == lang.Default {
		return query
	}
	return query + "&lang=" + string(p.Lang())
}

// pageText is the printer a template calls.
type pageText struct{ *lang.Printer }

// HTML writes a catalogue entry that holds markup (<code>, <strong>): the
// entry is trusted code; its arguments are escaped.
func (t pageText) HTML(format string, args ...any) template.HTML {
	esc := make([]any, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok {
			a = template.HTMLEscapeString(s)
		}
		esc[i] = a
	}
	return template.HTML(t.Text(format, esc...)) //nolint:gosec // the format is a catalogue entry, the arguments are escaped
}
