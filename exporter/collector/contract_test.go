package collector

import (
	"os"
	"regexp"
	"testing"
)

// TestContractDocumented: every region family is in README's metric table
// and docs/design.md's metric contract, so a new family cannot slip into
// the contract unannounced.
func TestContractDocumented(t *testing.T) {
	fams, _ := renderer().families()
	for _, doc := range []string{"../../README.md", "../../docs/design.md"} {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fams {
			// A table row's first cell: "| `name`", "| `name{label}`" or "`a`, `name`".
			listed := regexp.MustCompile("(\\| |, )`" + regexp.QuoteMeta(f.name) + "[`{]")
			if !listed.Match(data) {
				t.Errorf("%s does not list %s in its metric table", doc, f.name)
			}
		}
	}
}
