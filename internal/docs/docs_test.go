// Package docs checks the repository's text against the repository: every
// relative link leads somewhere, nothing cites the contract documents that
// live outside the repository, and README's layout section lists the
// packages there are. README's flag and metric tables are checked against
// the program in cmd/jkn_exporter (readme_test.go), which can run it.
package docs

import (
	"bufio"
	"bytes"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// root is the repository's top, from this package's directory.
const root = "../.."

// files lists the repository's files (slash-separated, relative to root):
// the tracked ones and the new ones not ignored, as long as they exist, so
// a link to a file not yet added still counts and one deleted does not.
func files(t *testing.T) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("git ls-files: %v", err)
		}
		t.Skipf("not a git checkout (git ls-files: %v)", err)
	}
	var names []string
	for _, name := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		if info, err := os.Stat(filepath.Join(root, name)); err == nil && info.Mode().IsRegular() {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// tree is the set of the repository's files and of the directories that
// hold them.
type tree map[string]bool

func newTree(names []string) tree {
	t := tree{".": true}
	for _, n := range names {
		for p := n; p != "."; p = path.Dir(p) {
			t[p] = true
		}
	}
	return t
}

var (
	// A link or image: [text](target "title"). The target may be in <>.
	inlineLink = regexp.MustCompile(`\]\(\s*(<[^>]*>|[^)\s]+)(?:\s+"[^"]*")?\s*\)`)
	// A reference definition: [label]: target
	refLink = regexp.MustCompile(`^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)`)
	// An HTML anchor or link target.
	htmlAttr = regexp.MustCompile(`(?i)<a\s[^>]*\b(?:href|src)="([^"]*)"`)
	scheme   = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	codeSpan = regexp.MustCompile("`+[^`]*`+")
)

// markdownLines returns a Markdown file's lines outside fenced code blocks,
// with inline code spans blanked: what is in code is not a link.
func markdownLines(text string) []string {
	var lines []string
	fence := ""
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence == "" && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			fence = trimmed[:3]
			lines = append(lines, "")
			continue
		case fence != "":
			if strings.HasPrefix(trimmed, fence) {
				fence = ""
			}
			lines = append(lines, "")
			continue
		}
		lines = append(lines, codeSpan.ReplaceAllString(line, ""))
	}
	return lines
}

// links returns the link targets of a Markdown file, by line (1-based).
func links(text string) map[int][]string {
	out := map[int][]string{}
	for i, line := range markdownLines(text) {
		for _, m := range inlineLink.FindAllStringSubmatch(line, -1) {
			out[i+1] = append(out[i+1], m[1])
		}
		if m := refLink.FindStringSubmatch(line); m != nil {
			out[i+1] = append(out[i+1], m[1])
		}
		for _, m := range htmlAttr.FindAllStringSubmatch(line, -1) {
			out[i+1] = append(out[i+1], m[1])
		}
	}
	return out
}

var (
	headingLine = regexp.MustCompile(`^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$`)
	anchorAttr  = regexp.MustCompile(`(?i)<a\s[^>]*\b(?:id|name)="([^"]+)"`)
	mdLinkText  = regexp.MustCompile(`!?\[([^\]]*)\]\([^)]*\)`)
)

// anchors returns the anchors GitHub makes for a Markdown file: one per
// heading (lower case, punctuation dropped, spaces to hyphens, a repeated
// one numbered) and the ids of HTML anchors.
func anchors(text string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, line := range markdownLines(text) {
		for _, m := range anchorAttr.FindAllStringSubmatch(line, -1) {
			out[m[1]] = true
		}
		m := headingLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		heading := mdLinkText.ReplaceAllString(m[1], "$1")
		var b strings.Builder
		for _, r := range strings.ToLower(heading) {
			switch {
			case r == ' ':
				b.WriteByte('-')
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				b.WriteRune(r)
			}
		}
		slug := b.String()
		if n := seen[slug]; n > 0 {
			out[slug+"-"+strconv.Itoa(n)] = true
		} else {
			out[slug] = true
		}
		seen[slug]++
	}
	return out
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLinks: every relative link of every Markdown file leads to a file or
// directory of the repository, and an anchor into a Markdown file to one of
// its headings.
func TestLinks(t *testing.T) {
	names := files(t)
	have := newTree(names)
	checked := 0
	for _, name := range names {
		if !strings.HasSuffix(name, ".md") {
			continue
		}
		text := read(t, name)
		for line, targets := range links(text) {
			for _, target := range targets {
				target = strings.TrimSuffix(strings.TrimPrefix(target, "<"), ">")
				if scheme.MatchString(target) || strings.HasPrefix(target, "//") {
					continue // another site: not checked here
				}
				checked++
				file, anchor, _ := strings.Cut(target, "#")
				if p, err := url.PathUnescape(file); err == nil {
					file = p
				}
				to := name
				if file != "" {
					if strings.HasPrefix(file, "/") {
						to = path.Clean(strings.TrimPrefix(file, "/"))
					} else {
						to = path.Join(path.Dir(name), file)
					}
				}
				if strings.HasPrefix(to, "../") || to == ".." || !have[to] {
					t.Errorf("%s:%d: link %q: no %s in the repository", name, line, target, to)
					continue
				}
				if anchor == "" || !strings.HasSuffix(to, ".md") {
					continue
				}
				if !anchors(read(t, to))[anchor] {
					t.Errorf("%s:%d: link %q: %s has no heading for #%s", name, line, target, to, anchor)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no relative link found: the link pattern is broken")
	}
}

// contractDoc is a mention of one of the first contract's documents, which
// are not in the repository; the code cites docs/ instead.
var contractDoc = regexp.MustCompile(`[\w./-]*\b(?:DOMAIN|DESIGN|LAYOUT|STYLE)\.md\b`)

// TestNoContractCitations: outside docs/, no file names the contract's
// documents unless the name is a path to a file of the repository (such
// as grafana/dashboards/LAYOUT.md, the dashboards' own layout), read from
// the file's directory.
func TestNoContractCitations(t *testing.T) {
	names := files(t)
	have := newTree(names)
	for _, name := range names {
		if strings.HasPrefix(name, "docs/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.IndexByte(b, 0) >= 0 {
			continue // binary: workbooks, images
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, len(b)+1)
		for line := 1; sc.Scan(); line++ {
			mentions := contractDoc.FindAllString(sc.Text(), -1)
			resolved := map[string]bool{} // base names that a path on the line resolves
			for _, m := range mentions {
				if have[path.Join(path.Dir(name), m)] || have[path.Clean(m)] {
					resolved[path.Base(m)] = true
				}
			}
			for _, m := range mentions {
				// A bare name beside its path on the line is that file.
				if resolved[path.Base(m)] && (m == path.Base(m) || have[path.Join(path.Dir(name), m)] || have[path.Clean(m)]) {
					continue
				}
				t.Errorf("%s:%d: cites %s, which is not in the repository: cite docs/domain.md or docs/design.md", name, line, m)
			}
		}
	}
}

// TestReadmeLayout: README's layout section has an entry for every Go
// package directory (`go list ./...`), and every entry is a directory of
// the repository.
func TestReadmeLayout(t *testing.T) {
	have := newTree(files(t))
	readme := read(t, "README.md")
	_, section, ok := strings.Cut(readme, "\n## Layout\n")
	if !ok {
		t.Fatal("README.md has no ## Layout section")
	}
	_, block, ok := strings.Cut(section, "```\n")
	if ok {
		block, _, ok = strings.Cut(block, "```")
	}
	if !ok {
		t.Fatal("README.md's layout section has no code block")
	}
	entries := map[string]bool{}
	entry := regexp.MustCompile(`^([\w.-]+(?:/[\w.-]+)*)/(?:\s|$)`)
	for _, line := range strings.Split(block, "\n") {
		m := entry.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		entries[m[1]] = true
		if !have[m[1]] {
			t.Errorf("README.md's layout lists %s/, which is not in the repository", m[1])
		}
	}

	cmd := exec.Command("go", "list", "-f", "{{.Dir}}", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ./...: %v", err)
	}
	top, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, dir := range strings.Fields(string(out)) {
		rel, err := filepath.Rel(top, dir)
		if err != nil {
			t.Fatal(err)
		}
		n++
		if rel = filepath.ToSlash(rel); !entries[rel] {
			t.Errorf("README.md's layout has no entry %s/ for the package there", rel)
		}
	}
	if n == 0 {
		t.Fatal("go list ./... listed no package")
	}
}
