package lang

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// verbs lists a format's verbs by the argument each takes, so that the two
// languages of an entry can be compared: "%[2]s %d" -> {2:"s", 3:"d"}.
func verbs(t *testing.T, format string) map[int]string {
	out := map[int]string{}
	arg := 1
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			continue
		}
		// flags, width, precision and an explicit index, in any order fmt takes
		for i < len(format) && strings.IndexByte("+-# 0123456789.[]", format[i]) >= 0 {
			if format[i] == '[' {
				end := strings.IndexByte(format[i:], ']')
				n, err := strconv.Atoi(format[i+1 : i+end])
				if err != nil {
					t.Fatalf("%q: bad index", format)
				}
				arg = n
				i += end
			}
			i++
		}
		if i >= len(format) {
			t.Fatalf("%q ends inside a verb", format)
		}
		// A % that starts no verb ("> 98%” target") is written %!”(MISSING):
		// the text means %%.
		if strings.IndexByte("sdvqfgexXt", format[i]) < 0 {
			t.Errorf("%q: %%%c is no verb (write %%%% for a percent sign)", format, format[i])
		}
		out[arg] = string(format[i])
		arg++
	}
	return out
}

func TestEveryEntryHasBothLanguages(t *testing.T) {
	seen := map[string]bool{}
	for _, e := range entries {
		if e.en == "" || e.id == "" {
			t.Errorf("entry %q / %q lacks a language", e.en, e.id)
			continue
		}
		if seen[e.en] {
			t.Errorf("entry %q is in the catalogue twice", e.en)
		}
		seen[e.en] = true
		ven, vid := verbs(t, e.en), verbs(t, e.id)
		if len(ven) != len(vid) {
			t.Errorf("%q takes %d arguments, its Indonesian %q %d", e.en, len(ven), e.id, len(vid))
		}
		for n, v := range ven {
			if vid[n] != v {
				t.Errorf("%q: argument %d is %%%s in English, %%%s in Indonesian %q", e.en, n, v, vid[n], e.id)
			}
		}
	}
}

// keyCalls are the calls whose argument at the index is a catalogue key.
var keyCalls = map[string]int{"Msgf": 0, "Text": 0, "HTML": 0, "Report": 0, "newError": 1}

// templateKey is a key in a page template: {{.L.Text "..." ...}} or
// {{$.L.HTML "..."}}.
var templateKey = regexp.MustCompile(`\.L\.(?:Text|HTML)\s+("(?:[^"\\]|\\.)*")`)

// TestEveryKeyInCodeIsInTheCatalogue reads the module's Go files and page
// templates for the keys they use.
func TestEveryKeyInCodeIsInTheCatalogue(t *testing.T) {
	root := filepath.Join("..")
	keys := map[string]string{} // key -> where
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != root {
			return filepath.SkipDir
		}
		switch {
		case strings.HasSuffix(path, ".html"):
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
				k, err := strconv.Unquote(m[1])
				if err != nil {
					t.Errorf("%s: %s: %v", path, m[1], err)
				}
				keys[k] = path
			}
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go"):
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				var name string
				switch fn := call.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				i, ok := keyCalls[name]
				if !ok || i >= len(call.Args) {
					return true
				}
				if id, ok := call.Args[i].(*ast.Ident); ok && id.Name == "format" {
					return true // a wrapper passing its own key on: its callers are read
				}
				lit, ok := call.Args[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					// A computed key would escape this test: keys are literals.
					if name == "Msgf" || name == "newError" || strings.HasPrefix(path, filepath.Join(root, "lang")) {
						t.Errorf("%s: %s's key is not a string literal", fset.Position(call.Pos()), name)
					}
					return true
				}
				k, _ := strconv.Unquote(lit.Value)
				keys[k] = fset.Position(lit.Pos()).String()
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := keys["sheet %q"]; !ok { // Printer.Location's
		t.Fatalf("the scan did not find the key of Printer.Location among %d: it is broken", len(keys))
	}
	for k, where := range keys {
		if !Has(k) {
			t.Errorf("%s: key %q is not in the catalogue", where, k)
		}
	}
}
