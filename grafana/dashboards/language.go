package dashboards

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/jkn-exporter/jkn_exporter/lang"
)

// The dashboards are written once, in English, in this package's Go code, and generated in
// both languages of the bundle: Bahasa Indonesia (the default set: the committed files beside
// this one, with the UIDs jkn-uhc-overview, jkn-region-detail, jkn-exporter-health) and
// English (grafana/en/dashboards, UIDs with -en). The Indonesian set is the English one with
// every text a person reads replaced from the table in indonesian.go; a text without an entry
// fails the build, so a new panel cannot reach the Indonesian set in English.

// UID is the UID of the dashboard uid (as this package's code names it) in l.
func UID(uid string, l lang.Lang) string {
	if l == lang.EN {
		return uid + "-en"
	}
	return uid
}

// Path is where the dashboard with the given UID (in l) is written, relative to
// grafana/dashboards.
func Path(uid string, l lang.Lang) string {
	if l == lang.EN {
		return "../en/dashboards/" + UID(uid, l) + ".json"
	}
	return uid + ".json"
}

// tag is the tag every dashboard of a set carries and the dashboard links list: the
// Indonesian set keeps the bundle's tag, the English set has its own so that each set's
// links lead to dashboards of its language.
func tag(l lang.Lang) string {
	if l == lang.EN {
		return "jkn-en"
	}
	return "jkn"
}

// Keys whose string values are texts a person reads: each must have an Indonesian entry.
var textKeys = map[string]bool{
	"title": true, "description": true, "label": true, "legendFormat": true,
	"text": true, "displayName": true, "tooltip": true,
}

// Keys whose values name a field, which renameByName may have renamed: translated when the
// name is in the table, kept (a label or a query's name) otherwise.
var fieldKeys = map[string]bool{"options": true, "field": true, "name": true}

// placeholders are Grafana's and the legends' template parts, which stay as they are.
var placeholders = regexp.MustCompile(`\{\{[^}]*\}\}|\$\{[^}]*\}|\$[a-z_]+`)

// isText reports whether s holds words besides placeholders.
func isText(s string) bool {
	return strings.ContainsFunc(placeholders.ReplaceAllString(s, ""), func(r rune) bool {
		return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
	})
}

// translator turns a dashboard's JSON, as the English code builds it, into lang.
type translator struct {
	lang  lang.Lang
	table map[string]string
	// used collects the table's entries a build looked up, for the test that finds stale ones.
	used    map[string]bool
	missing []string
}

func (tr *translator) text(s string, must bool) string {
	if tr.lang == lang.EN || !isText(s) {
		return s
	}
	if id, ok := tr.table[s]; ok {
		tr.used[s] = true
		return id
	}
	if must {
		tr.missing = append(tr.missing, s)
	}
	return s
}

// value translates the string s found under the object keys path.
func (tr *translator) value(path []string, s string) string {
	key := path[len(path)-1]
	parent := ""
	if len(path) > 1 {
		parent = path[len(path)-2]
	}
	switch {
	case len(path) == 1 && key == "uid":
		return UID(s, tr.lang)
	case key == "url":
		for _, uid := range []string{uidOverview, uidRegion, uidHealth} {
			s = strings.ReplaceAll(s, "/d/"+uid+"?", "/d/"+UID(uid, tr.lang)+"?")
		}
		return s
	case key == "tags" && s == "jkn":
		return tag(tr.lang)
	case key == "expr" || key == "query" || key == "definition" || key == "regex":
		return s
	case parent == "renameByName":
		return tr.text(s, true)
	case textKeys[key]:
		return tr.text(s, true)
	case fieldKeys[key]:
		return tr.text(s, false)
	}
	return s
}

// translate rewrites the dashboard JSON data (compact) into the translator's language,
// keeping the order of every object's keys.
func (tr *translator) translate(data []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var out bytes.Buffer
	if _, err := tr.walk(dec, &out, nil); err != nil {
		return nil, err
	}
	if tok, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("trailing data after the dashboard: %v", tok)
	}
	if len(tr.missing) > 0 {
		return nil, fmt.Errorf("no Indonesian text (indonesian.go) for %q", tr.missing)
	}
	return out.Bytes(), nil
}

// walk copies one JSON value from dec to out; path holds the keys of the objects around it
// ("[]" for an array).
// It returns the value written when it is a string.
func (tr *translator) walk(dec *json.Decoder, out *bytes.Buffer, path []string) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			out.WriteByte('{')
			// id is the object's "id" string: an override property {"id": "displayName",
			// "value": ...} holds a text in its value.
			id := ""
			for i := 0; dec.More(); i++ {
				k, err := dec.Token()
				if err != nil {
					return "", err
				}
				key, ok := k.(string)
				if !ok {
					return "", fmt.Errorf("object key %v", k)
				}
				if i > 0 {
					out.WriteByte(',')
				}
				writeString(out, key)
				out.WriteByte(':')
				inner := key
				if key == "value" && id == "displayName" {
					inner = "displayName"
				}
				v, err := tr.walk(dec, out, append(path, inner))
				if err != nil {
					return "", err
				}
				if key == "id" {
					id = v
				}
			}
			if _, err := dec.Token(); err != nil {
				return "", err
			}
			out.WriteByte('}')
		case '[':
			out.WriteByte('[')
			// An array's strings belong to the array's key (tags, options).
			for i := 0; dec.More(); i++ {
				if i > 0 {
					out.WriteByte(',')
				}
				if _, err := tr.walk(dec, out, path); err != nil {
					return "", err
				}
			}
			if _, err := dec.Token(); err != nil {
				return "", err
			}
			out.WriteByte(']')
		}
	case string:
		if len(path) > 0 {
			t = tr.value(path, t)
		}
		writeString(out, t)
		return t, nil
	case json.Number:
		out.WriteString(t.String())
	case bool:
		fmt.Fprint(out, t)
	case nil:
		out.WriteString("null")
	}
	return "", nil
}

// writeString writes s as encoding/json does (HTML characters escaped).
func writeString(out *bytes.Buffer, s string) {
	data, _ := json.Marshal(s)
	out.Write(data)
}
