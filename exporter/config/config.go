// Package config reads and checks the exporter's YAML configuration.
// Decoding is strict: an unknown key is an error naming file, line and key,
// as blackbox_exporter does, because a typo that is silently ignored makes a
// source read the wrong folder or a region miss its target.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/robfig/cron/v3"
	"golang.org/x/crypto/bcrypt"
	"gopkg.in/yaml.v3"
)

// DefaultSchedule is used by a source that names none.
const DefaultSchedule = "@every 15m"

// Config is the whole configuration file.
type Config struct {
	// Criteria names the UHC threshold set, or by_date for the set in
	// force at each region's as-of date (see package criteria).
	Criteria string   `yaml:"criteria"`
	Sources  []Source `yaml:"sources"`
	// Regions overrides the targets of single regions, by dotted code.
	Regions map[string]criteria.Override `yaml:"regions"`
	// Awards are the UHC Award 2026 tiers' thresholds; a key left out
	// keeps its default.
	Awards criteria.Awards `yaml:"awards"`
	// Checks bound the data-quality checks against earlier sheets and the
	// reference data; 0 or absent: the default, negative: off.
	Checks Checks `yaml:"checks"`
	// Limits bound what one workbook may cost.
	Limits Limits `yaml:"limits"`
	// Pages are settings of the pages people read (the region page).
	Pages Pages `yaml:"pages"`
}

// Pages are the settings of the pages people read; each is optional and
// its figure or link is left out without it.
type Pages struct {
	// GrafanaURL is the Grafana the region page links its region dashboard
	// in (jkn-region-detail), e.g. https://grafana.example.go.id/.
	GrafanaURL string `yaml:"grafana_url"`
	// PremiumPerPersonMonth is the contribution, in rupiah, a local
	// government pays per person per month for the residents it registers
	// (PBPU Pemda): the region page gives the yearly budget registering
	// its residents to register would take. 0: no budget shown.
	PremiumPerPersonMonth float64 `yaml:"premium_per_person_month"`
}

// Rules gathers what the config says about judging regions.
func (c *Config) Rules() (criteria.Rules, error) {
	p, err := criteria.Lookup(c.Criteria)
	if err != nil {
		return criteria.Rules{}, err
	}
	return criteria.Rules{Policy: p, Overrides: c.Regions, Awards: c.Awards.OrDefault()}, nil
}

// Source is one branch office's inbox: a directory (path) or a URL.
type Source struct {
	// Name is the `source` label: [a-z0-9-]+, unique.
	Name string `yaml:"name"`
	// Path is a directory of .xlsx files.
	Path string `yaml:"path"`
	// URL is a workbook published over HTTP(S).
	URL      string `yaml:"url"`
	Schedule string `yaml:"schedule"`
	// BranchOffice labels every region of this source.
	BranchOffice string `yaml:"branch_office"`
	// Province resolves names in sheets that carry neither codes nor a
	// province column.
	Province string `yaml:"province"`
	// Expected lists the regions the source must report; without it, the
	// regions its earlier sheets carried are expected. A province setting
	// implies nothing: an office reports only some of a province's
	// regencies.
	Expected *Expected `yaml:"expected"`

	// SettleTime (directories): a file modified more recently than this is
	// still being written and waits for the next run.
	SettleTime time.Duration `yaml:"settle_time"`
	// Upload lets the branch office upload workbooks into the directory.
	Upload *Upload `yaml:"upload"`

	// HTTP settings (URL sources). Secrets are only ever read from files.
	Timeout         time.Duration `yaml:"timeout"`
	Retries         *int          `yaml:"retries"`
	BasicAuth       *BasicAuth    `yaml:"basic_auth"`
	BearerTokenFile string        `yaml:"bearer_token_file"`
	CAFile          string        `yaml:"ca_file"`
}

// BasicAuth is HTTP basic auth with the password in a file.
type BasicAuth struct {
	Username     string `yaml:"username"`
	PasswordFile string `yaml:"password_file"`
}

// Upload is a source's own upload credential: a bearer token in a file, or
// a bcrypt hash of a basic-auth password whose username is the source name.
type Upload struct {
	TokenFile    string `yaml:"token_file"`
	PasswordHash string `yaml:"password_hash"`
}

// Defaults of the source settings.
const (
	DefaultSettleTime = 30 * time.Second
	DefaultTimeout    = 30 * time.Second
	DefaultRetries    = 2
)

// Expected lists the regions a source must report (ingest.Expected, field
// for field): codes, or every region of a level within the given regions.
type Expected struct {
	Codes  []string  `yaml:"codes"`
	Within []string  `yaml:"within"`
	Level  jkn.Level `yaml:"level"`
}

// ExpectedLevels are the levels `within` can descend to: regency takes in
// the cities.
var ExpectedLevels = []jkn.Level{jkn.LevelRegency, jkn.LevelDistrict, jkn.LevelVillage}

// Checks bound the data-quality checks that compare a sheet with what the
// source served before and with the reference data (ingest.Thresholds, field
// for field). 0 is the default; a negative value turns the check off.
type Checks struct {
	// PopulationChange is the share by which a region's population may
	// move between two sheets of the same semester.
	PopulationChange float64 `yaml:"population_change"`
	// ParticipantsDrop is the share by which participants may fall from
	// one sheet to the next.
	ParticipantsDrop float64 `yaml:"participants_drop"`
	// CoverageMax is the coverage ratio above which a sheet's figures are
	// implausible.
	CoverageMax float64 `yaml:"coverage_max"`
	// DukcapilPopulation is the share by which a province's, regency's or
	// city's population may differ from Dukcapil's 2025 figure.
	DukcapilPopulation float64 `yaml:"dukcapil_population"`
}

// Check describes every threshold that cannot be meant, by its key.
func (t Checks) Check() []string {
	var bad []string
	for _, f := range []struct {
		key string
		v   float64
	}{{"population_change", t.PopulationChange}, {"participants_drop", t.ParticipantsDrop}, {"dukcapil_population", t.DukcapilPopulation}} {
		if f.v > 1 || math.IsNaN(f.v) {
			bad = append(bad, fmt.Sprintf("%s %v must be a share of at most 1 (write 0.05 for 5%%; negative: off)", f.key, f.v))
		}
	}
	if t.CoverageMax > 0 && t.CoverageMax < 1 || t.CoverageMax > 10 || math.IsNaN(t.CoverageMax) {
		bad = append(bad, fmt.Sprintf("coverage_max %v must be a ratio from 1 to 10 (write 1.1 for 110%%; negative: off)", t.CoverageMax))
	}
	return bad
}

// Limits bound the resources one workbook may use. Zero means the default.
type Limits struct {
	// MaxFileBytes rejects larger workbook files before they are opened.
	MaxFileBytes int64 `yaml:"max_file_bytes"`
	// MaxUnzipBytes bounds what a workbook may unpack to; a sheet or shared
	// strings table over MaxUnzipXMLBytes is read from a temporary file
	// rather than held in memory.
	MaxUnzipBytes    int64 `yaml:"max_unzip_bytes"`
	MaxUnzipXMLBytes int64 `yaml:"max_unzip_xml_bytes"`
	// MaxRows bounds the rows with a value in the data sheet, MaxSheets the
	// visible sheets examined for the table, MaxSharedStrings the shared
	// strings table.
	MaxRows          int `yaml:"max_rows"`
	MaxSheets        int `yaml:"max_sheets"`
	MaxSharedStrings int `yaml:"max_shared_strings"`
	// MaxMemoryBytes is the whole process's memory budget, given to the
	// Go runtime as its soft memory limit (exporter.SetMemoryLimit).
	MaxMemoryBytes int64 `yaml:"max_memory_bytes"`
	// MaxConcurrentUploads bounds the uploads received at once across
	// every source (more get 503 with Retry-After), MaxUploadBytesInFlight
	// the bytes they may hold together (each reserves its source's
	// max_file_bytes). Read at start: a change needs a restart.
	MaxConcurrentUploads   int   `yaml:"max_concurrent_uploads"`
	MaxUploadBytesInFlight int64 `yaml:"max_upload_bytes_in_flight"`
	// MaxConcurrentPages bounds the status pages and source lists
	// rendered at once (more get 503 with Retry-After), MaxFilesListed the
	// files a source lists on the status page and in one page of
	// GET /api/v1/sources. Read at start.
	MaxConcurrentPages int `yaml:"max_concurrent_pages"`
	MaxFilesListed     int `yaml:"max_files_listed"`
}

// Error is a configuration error located in its file.
type Error struct {
	File string
	Line int // 0 when unknown
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors is every problem found in one file.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Load reads and checks a configuration file.
func Load(file string) (*Config, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading config: %w", err)
	}
	return Parse(file, data)
}

var (
	nameRE       = regexp.MustCompile(`^[a-z0-9-]+$`)
	regionCodeRE = regexp.MustCompile(`^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$`)
	// yaml.v3 reports unknown keys as "line N: field K not found in type T".
	unknownFieldRE = regexp.MustCompile(`^line (\d+): field (.+) not found in type (\S+)$`)
	typeErrRE      = regexp.MustCompile(`^line (\d+): (.*)$`)
)

// Parse checks a configuration held in memory; file names it in errors.
// Relative source paths are taken relative to the file's directory.
func Parse(file string, data []byte) (*Config, error) {
	// Keys left out of awards: keep their defaults.
	cfg := &Config{Awards: criteria.DefaultAwards()}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	// io.EOF is an empty file: the defaults.
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(file, err)
	}
	// A second decode into nodes gives the lines semantic errors point at.
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root)
	lines := nodeLines(&root)

	var errs Errors
	add := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	if cfg.Criteria == "" {
		cfg.Criteria = "uhc_2025"
	}
	if _, err := criteria.Lookup(cfg.Criteria); err != nil {
		add(lines.key("criteria"), "%v", err)
	}
	seen := map[string]int{}
	for i := range cfg.Sources {
		s := &cfg.Sources[i]
		line := lines.source(i)
		switch {
		case s.Name == "":
			add(line, "sources[%d]: name is required", i)
		case !nameRE.MatchString(s.Name):
			add(line, "sources[%d]: name %q must match [a-z0-9-]+", i, s.Name)
		default:
			if first, dup := seen[s.Name]; dup {
				add(line, "sources[%d]: name %q is already used by sources[%d]", i, s.Name, first)
			}
			seen[s.Name] = i
		}
		rel := func(p *string) {
			if *p != "" && !filepath.IsAbs(*p) {
				*p = filepath.Join(filepath.Dir(file), *p)
			}
		}
		switch {
		case s.Path == "" && s.URL == "":
			add(line, "source %q: path (a directory of .xlsx files) or url is required", s.Name)
		case s.Path != "" && s.URL != "":
			add(line, "source %q: give path or url, not both", s.Name)
		case s.URL != "":
			if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				add(line, "source %q: url must be an http or https URL", s.Name)
			} else if u.User != nil {
				add(line, "source %q: url must not carry credentials; use basic_auth.password_file or bearer_token_file", s.Name)
			}
			if s.Upload != nil {
				add(line, "source %q: upload needs a directory source (path), not a url", s.Name)
			}
		}
		rel(&s.Path)
		rel(&s.CAFile)
		rel(&s.BearerTokenFile)
		if s.BasicAuth != nil {
			rel(&s.BasicAuth.PasswordFile)
			if s.BasicAuth.Username == "" || s.BasicAuth.PasswordFile == "" {
				add(line, "source %q: basic_auth needs username and password_file", s.Name)
			}
			if s.BearerTokenFile != "" {
				add(line, "source %q: give basic_auth or bearer_token_file, not both", s.Name)
			}
		}
		if s.URL == "" && (s.BasicAuth != nil || s.BearerTokenFile != "" || s.CAFile != "" || s.Timeout != 0 || s.Retries != nil) {
			add(line, "source %q: basic_auth, bearer_token_file, ca_file, timeout and retries are for url sources", s.Name)
		}
		for _, f := range []string{s.CAFile, s.BearerTokenFile} {
			if f != "" {
				if _, err := os.Stat(f); err != nil {
					add(line, "source %q: %v", s.Name, err)
				}
			}
		}
		if s.Timeout == 0 {
			s.Timeout = DefaultTimeout
		}
		if s.Retries == nil {
			n := DefaultRetries
			s.Retries = &n
		} else if *s.Retries < 0 || *s.Retries > 10 {
			add(line, "source %q: retries must be between 0 and 10", s.Name)
		}
		if s.SettleTime == 0 {
			s.SettleTime = DefaultSettleTime
		}
		if u := s.Upload; u != nil {
			rel(&u.TokenFile)
			switch {
			case u.TokenFile == "" && u.PasswordHash == "":
				add(line, "source %q: upload needs token_file or password_hash", s.Name)
			case u.TokenFile != "" && u.PasswordHash != "":
				add(line, "source %q: upload takes token_file or password_hash, not both", s.Name)
			case u.TokenFile != "":
				if tok, err := os.ReadFile(u.TokenFile); err != nil {
					add(line, "source %q: upload token_file: %v", s.Name, err)
				} else if len(strings.TrimSpace(string(tok))) < 16 {
					add(line, "source %q: upload token_file %s holds a token shorter than 16 characters", s.Name, u.TokenFile)
				}
			default:
				if _, err := bcrypt.Cost([]byte(u.PasswordHash)); err != nil {
					add(line, "source %q: upload password_hash is not a bcrypt hash: %v", s.Name, err)
				}
			}
		}
		if s.Schedule == "" {
			s.Schedule = DefaultSchedule
		}
		if _, err := cron.ParseStandard(s.Schedule); err != nil {
			add(line, "source %q: schedule %q: %v", s.Name, s.Schedule, err)
		}
		if strings.TrimSpace(s.BranchOffice) == "" {
			add(line, "source %q: branch_office is required (it labels every region of the source)", s.Name)
		}
		if e := s.Expected; e != nil {
			for _, c := range append(append([]string(nil), e.Codes...), e.Within...) {
				if !regionCodeRE.MatchString(c) {
					add(line, "source %q: expected: %q is not a dotted Kemendagri code such as \"16.07\"", s.Name, c)
				}
			}
			switch {
			case len(e.Codes) == 0 && len(e.Within) == 0:
				add(line, "source %q: expected needs codes, or within and level", s.Name)
			case len(e.Within) > 0 && !slices.Contains(ExpectedLevels, e.Level):
				add(line, "source %q: expected: within needs a level: regency (regencies and cities), district or village", s.Name)
			case len(e.Within) == 0 && e.Level != "":
				add(line, "source %q: expected: level %q needs within (the regions whose %ss are expected)", s.Name, e.Level, e.Level)
			}
		}
	}
	for _, o := range overlaps(cfg.Sources) {
		add(lines.sourceKey(o.i, o.key), "%s", o.msg)
	}
	codes := make([]string, 0, len(cfg.Regions))
	for code := range cfg.Regions {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		t := cfg.Regions[code]
		line := lines.region(code)
		if !regionCodeRE.MatchString(code) {
			add(line, "regions: %q is not a dotted Kemendagri code such as \"16.07\"", code)
		}
		for _, kv := range []struct {
			key string
			v   *float64
		}{{"target_coverage", t.Coverage}, {"target_active", t.Active}} {
			if kv.v != nil && (*kv.v < 0 || *kv.v > 1.5) {
				add(line, "regions %q: %s %v must be a ratio between 0 and 1.5 (write 0.98, not 98)", code, kv.key, *kv.v)
			}
		}
	}
	for _, msg := range cfg.Awards.Check() {
		add(lines.key("awards"), "awards: %s", msg)
	}
	for _, msg := range cfg.Checks.Check() {
		add(lines.key("checks"), "checks: %s", msg)
	}
	if l := cfg.Limits; l.MaxFileBytes < 0 || l.MaxUnzipBytes < 0 || l.MaxUnzipXMLBytes < 0 || l.MaxRows < 0 || l.MaxSheets < 0 || l.MaxSharedStrings < 0 || l.MaxMemoryBytes < 0 || l.MaxConcurrentUploads < 0 || l.MaxUploadBytesInFlight < 0 || l.MaxConcurrentPages < 0 || l.MaxFilesListed < 0 {
		add(lines.key("limits"), "limits: sizes and counts must not be negative")
	}
	if g := cfg.Pages.GrafanaURL; g != "" {
		// Never echoed when it carries credentials: errors reach the log.
		switch u, err := url.Parse(g); {
		case err == nil && u.User != nil:
			add(lines.pagesKey("grafana_url"), "pages: grafana_url must not carry credentials (the page shows the link to everyone)")
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			add(lines.pagesKey("grafana_url"), "pages: grafana_url %q must be an http or https URL", g)
		}
	}
	if p := cfg.Pages.PremiumPerPersonMonth; p < 0 || p > 10_000_000 {
		add(lines.pagesKey("premium_per_person_month"), "pages: premium_per_person_month %v must be rupiah per person per month, between 0 and 10,000,000", p)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return cfg, nil
}

// overlap is a problem overlaps found with source i, at its key.
type overlap struct {
	i   int
	key string
	msg string
}

// overlaps finds the directory sources that would read one directory: the
// same one under two spellings, or one inside the other (whose directory
// the outer one would then report as an entry it cannot read). Each
// region would belong to two sources (before, every series went to the
// source whose name sorts first). It also finds a secret file inside a
// source's directory, where it would be read as a workbook and listed in
// GET /api/v1/sources. Paths are compared absolute and with links
// resolved as far as they exist.
func overlaps(srcs []Source) []overlap {
	dirs := make([]string, len(srcs)) // canonical; "" for URL sources
	for i, s := range srcs {
		if s.Path != "" && s.URL == "" {
			dirs[i] = canonical(s.Path)
		}
	}
	var out []overlap
	for i := range srcs {
		s := &srcs[i]
		for j := 0; j < i && dirs[i] != ""; j++ {
			other := &srcs[j]
			var how string
			switch {
			case dirs[j] == "":
				continue
			case dirs[i] == dirs[j]:
				how = "is the same directory as"
			case inside(dirs[j], dirs[i]):
				how = "is inside"
			case inside(dirs[i], dirs[j]):
				how = "holds"
			default:
				continue
			}
			out = append(out, overlap{i, "path", fmt.Sprintf("source %q: path %s %s the path of source %q (%s): "+
				"two sources must not read one directory; give each its own, side by side", s.Name, s.Path, how, other.Name, other.Path)})
			break // the first such source is enough to find the mistake
		}
		secrets := []struct{ key, file string }{{"bearer_token_file", s.BearerTokenFile}}
		if s.Upload != nil {
			secrets = append(secrets, struct{ key, file string }{"upload", s.Upload.TokenFile})
		}
		if s.BasicAuth != nil {
			secrets = append(secrets, struct{ key, file string }{"basic_auth", s.BasicAuth.PasswordFile})
		}
		for _, sec := range secrets {
			if sec.file == "" {
				continue
			}
			f := canonical(sec.file)
			for j, d := range dirs {
				if d != "" && inside(d, f) {
					out = append(out, overlap{i, sec.key, fmt.Sprintf("source %q: secret file %s is inside the path of source %q (%s), "+
						"which would read it as a workbook and list it: keep secrets outside every source's directory", s.Name, sec.file, srcs[j].Name, srcs[j].Path)})
					break
				}
			}
		}
	}
	return out
}

// canonical makes a path absolute and, as far as it exists, free of
// links, so two spellings of one directory compare equal.
func canonical(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	rest := ""
	for dir := abs; ; {
		if resolved, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(resolved, rest)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return abs
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
}

// inside reports whether path is strictly below dir.
func inside(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && filepath.IsLocal(rel)
}

// yamlError rewrites yaml.v3's messages into file:line: key form.
func yamlError(file string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := typeErrRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			return &Error{File: file, Line: line, Msg: m[2]}
		}
		return &Error{File: file, Msg: msg}
	}
	var errs Errors
	for _, msg := range te.Errors {
		if m := unknownFieldRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			errs = append(errs, &Error{File: file, Line: line, Msg: fmt.Sprintf("unknown key %q", m[2])})
			continue
		}
		if m := typeErrRE.FindStringSubmatch(msg); m != nil {
			line, _ := strconv.Atoi(m[1])
			errs = append(errs, &Error{File: file, Line: line, Msg: m[2]})
			continue
		}
		errs = append(errs, &Error{File: file, Msg: msg})
	}
	return errs
}

// lineIndex finds the lines of keys in the decoded node tree.
type lineIndex struct{ doc *yaml.Node }

func nodeLines(root *yaml.Node) lineIndex {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		return lineIndex{doc: root.Content[0]}
	}
	return lineIndex{}
}

func (l lineIndex) value(m *yaml.Node, key string) (*yaml.Node, int) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, 0
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1], m.Content[i].Line
		}
	}
	return nil, 0
}

func (l lineIndex) key(key string) int {
	_, line := l.value(l.doc, key)
	return line
}

// pagesKey is the line of a key under pages:, or of pages: itself.
func (l lineIndex) pagesKey(key string) int {
	m, line := l.value(l.doc, "pages")
	if _, kl := l.value(m, key); kl > 0 {
		return kl
	}
	return line
}

func (l lineIndex) source(i int) int {
	seq, _ := l.value(l.doc, "sources")
	if seq == nil || seq.Kind != yaml.SequenceNode || i >= len(seq.Content) {
		return 0
	}
	return seq.Content[i].Line
}

// sourceKey is the line of a key of the i-th source, or of the source.
func (l lineIndex) sourceKey(i int, key string) int {
	seq, _ := l.value(l.doc, "sources")
	if seq == nil || seq.Kind != yaml.SequenceNode || i >= len(seq.Content) {
		return 0
	}
	if _, line := l.value(seq.Content[i], key); line > 0 {
		return line
	}
	return seq.Content[i].Line
}

func (l lineIndex) region(code string) int {
	m, _ := l.value(l.doc, "regions")
	_, line := l.value(m, code)
	return line
}
