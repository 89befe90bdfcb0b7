package web

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden JSON files (review the diff before committing)")

// volatileJSON are the values that depend on the clock or the machine:
// times, durations and the temporary inbox directories.
var volatileJSON = regexp.MustCompile(`("(?:modtime|attempted|last_success|next_run|location)": )"[^"]*"|("duration_seconds": )[0-9.e-]+`)

func normalizeJSON(b []byte) []byte {
	return volatileJSON.ReplaceAllFunc(b, func(m []byte) []byte {
		sub := volatileJSON.FindSubmatch(m)
		if len(sub[1]) > 0 {
			return append(sub[1], `"…"`...)
		}
		return append(sub[2], '0')
	})
}

// TestWireGolden: what the API sends, key by key, is the reviewed files in
// testdata/: an accepted upload's report, a rejected one's, and the
// source list after them.
func TestWireGolden(t *testing.T) {
	env := newAPIEnv(t)
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		golden, method, path string
		body                 []byte
		code                 int
	}{
		{"upload_accepted.json", "PUT", "/api/v1/sources/kc-banjarmasin/workbooks/kepesertaan_jkn_mei_2025.xlsx",
			read("seed_banjarmasin/kepesertaan_jkn_mei_2025.xlsx"), 200},
		{"upload_rejected.json", "PUT", "/api/v1/sources/kc-banjarmasin/workbooks/data.xlsx", read("bad_truncated/data.xlsx"), 422},
		{"sources.json", "GET", "/api/v1/sources", nil, 200},
	} {
		code, body := env.do(t, c.method, c.path, env.tokenB, bytes.NewReader(c.body), "")
		if code != c.code {
			t.Fatalf("%s %s: %d %s, want %d", c.method, c.path, code, body, c.code)
		}
		got := normalizeJSON(body)
		path := filepath.Join("testdata", c.golden)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s %s sent, normalised:\n%s\nwant (%s):\n%s", c.method, c.path, got, path, want)
		}
	}
}
