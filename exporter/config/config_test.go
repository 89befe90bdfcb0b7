package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/jkn"
)

func TestLoadGood(t *testing.T) {
	cfg, err := Load("testdata/good.yml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Criteria != "uhc_2025" || len(cfg.Sources) != 2 {
		t.Fatalf("got %+v", cfg)
	}
	// Relative paths are relative to the config file.
	if want := filepath.Join("testdata", "inbox/palembang"); cfg.Sources[0].Path != want {
		t.Errorf("path: got %q, want %q", cfg.Sources[0].Path, want)
	}
	if cfg.Sources[1].Province != "" || cfg.Sources[1].Schedule != "0 6 * * *" {
		t.Errorf("source 2: %+v", cfg.Sources[1])
	}
	if c := cfg.Regions["16.07"].Coverage; c == nil || *c != 1.0 {
		t.Errorf("16.07 target: %v", c)
	}
	if cfg.Regions["16.07"].Active != nil {
		t.Error("16.07 active target must stay unset")
	}
}

func TestLoadURLAndUpload(t *testing.T) {
	cfg, err := Load("testdata/sources_good.yml")
	if err != nil {
		t.Fatal(err)
	}
	u, d := cfg.Sources[0], cfg.Sources[1]
	if u.URL != "https://bpjs.example/kc-bengkulu/rekap.xlsx" || u.Timeout != DefaultTimeout || *u.Retries != 3 ||
		u.BasicAuth.PasswordFile != filepath.Join("testdata", "bengkulu.password") {
		t.Errorf("url source: %+v", u)
	}
	if d.SettleTime != DefaultSettleTime || d.Upload.TokenFile != filepath.Join("testdata", "palembang.token") {
		t.Errorf("dir source: %+v", d)
	}
}

func TestEmptyFileIsDefaults(t *testing.T) {
	cfg, err := Parse("empty.yml", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Criteria != "uhc_2025" || len(cfg.Sources) != 0 {
		t.Fatalf("got %+v", cfg)
	}
}

// The error text is part of the contract: it is what an operator reads.
func TestLoadErrors(t *testing.T) {
	for file, want := range map[string]string{
		"unknown_key.yml": `testdata/unknown_key.yml:4: unknown key "shedule"`,
		// A region's override is decoded as strictly as the rest.
		"unknown_region_key.yml": `testdata/unknown_region_key.yml:3: unknown key "target_activ"`,
		"bad_values.yml": `testdata/bad_values.yml:1: unknown criteria "uhc_2030" (known: uhc_2023, uhc_2025, award_2026, by_date)
testdata/bad_values.yml:3: sources[0]: name "KC Palembang" must match [a-z0-9-]+
testdata/bad_values.yml:3: source "KC Palembang": schedule "every fortnight": expected exactly 5 fields, found 2: [every fortnight]
testdata/bad_values.yml:7: source "kc-bengkulu": path (a directory of .xlsx files) or url is required
testdata/bad_values.yml:7: source "kc-bengkulu": branch_office is required (it labels every region of the source)
testdata/bad_values.yml:9: sources[2]: name "kc-bengkulu" is already used by sources[1]
testdata/bad_values.yml:13: regions: "1607" is not a dotted Kemendagri code such as "16.07"
testdata/bad_values.yml:14: regions "19.04": target_active 98 must be a ratio between 0 and 1.5 (write 0.98, not 98)`,
		"sources_bad.yml": `testdata/sources_bad.yml:2: source "both": give path or url, not both
testdata/sources_bad.yml:6: source "creds-in-url": url must not carry credentials; use basic_auth.password_file or bearer_token_file
testdata/sources_bad.yml:9: source "ftp": url must be an http or https URL
testdata/sources_bad.yml:12: source "dir-with-http": basic_auth, bearer_token_file, ca_file, timeout and retries are for url sources
testdata/sources_bad.yml:16: source "upload-none": upload needs token_file or password_hash
testdata/sources_bad.yml:20: source "upload-short": upload token_file testdata/short.token holds a token shorter than 16 characters
testdata/sources_bad.yml:24: source "upload-badhash": upload password_hash is not a bcrypt hash: crypto/bcrypt: hashedSecret too short to be a bcrypted password
testdata/sources_bad.yml:28: source "upload-url": upload needs a directory source (path), not a url
testdata/sources_bad.yml:32: source "auth-half": basic_auth needs username and password_file`,
		"overlap.yml": `testdata/overlap.yml:6: source "kc-palembang-lagi": path /srv/jkn/inbox/palembang/ is the same directory as the path of source "kc-palembang" (/srv/jkn/inbox/palembang): two sources must not read one directory; give each its own, side by side
testdata/overlap.yml:9: source "kc-lahat": path /srv/jkn/inbox/palembang/../palembang/lahat is inside the path of source "kc-palembang" (/srv/jkn/inbox/palembang): two sources must not read one directory; give each its own, side by side
testdata/overlap.yml:13: source "kc-semua": path /srv/jkn/inbox holds the path of source "kc-palembang" (/srv/jkn/inbox/palembang): two sources must not read one directory; give each its own, side by side
testdata/overlap.yml:25: source "kc-bengkulu-url": secret file testdata/bengkulu.password is inside the path of source "kc-config-dir" (testdata), which would read it as a workbook and list it: keep secrets outside every source's directory`,
		"not_yaml.yml":   `testdata/not_yaml.yml:1: did not find expected ',' or ']'`,
		"wrong_type.yml": `testdata/wrong_type.yml:2: cannot unmarshal !!map into []config.Source`,
	} {
		_, err := Load(filepath.Join("testdata", file))
		if err == nil {
			t.Errorf("%s: no error", file)
			continue
		}
		if err.Error() != want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", file, err, want)
		}
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yml"))
	if !os.IsNotExist(unwrapAll(err)) {
		t.Fatalf("got %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

// TestOverlapThroughLinks: two spellings of one directory through links,
// and a directory not made yet below a link, are found as the same.
func TestOverlapThroughLinks(t *testing.T) {
	base := t.TempDir()
	inbox := filepath.Join(base, "inbox")
	if err := os.MkdirAll(filepath.Join(inbox, "lahat"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "share")
	if err := os.Symlink(inbox, link); err != nil {
		t.Fatal(err)
	}
	token := filepath.Join(inbox, "lahat", "upload.token")
	if err := os.WriteFile(token, []byte("tok-0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`sources:
  - name: kc-palembang
    path: %[1]s
    branch_office: Palembang
  - name: kc-share
    path: %[2]s
    branch_office: Palembang
  - name: kc-lahat
    path: %[2]s/lahat
    branch_office: Lahat
    upload: { token_file: %[3]s }
  - name: kc-new
    path: %[2]s/not/made/yet
    branch_office: Baru
  - name: kc-side
    path: %[1]s-2
    branch_office: Sebelah
`, inbox, link, token)
	_, err := Parse("jkn.yml", []byte(cfg))
	const why = ": two sources must not read one directory; give each its own, side by side"
	want := strings.Join([]string{
		fmt.Sprintf(`jkn.yml:6: source "kc-share": path %s is the same directory as the path of source "kc-palembang" (%s)`+why, link, inbox),
		fmt.Sprintf(`jkn.yml:9: source "kc-lahat": path %s/lahat is inside the path of source "kc-palembang" (%s)`+why, link, inbox),
		fmt.Sprintf(`jkn.yml:11: source "kc-lahat": secret file %s is inside the path of source "kc-palembang" (%s), `+
			"which would read it as a workbook and list it: keep secrets outside every source's directory", token, inbox),
		fmt.Sprintf(`jkn.yml:13: source "kc-new": path %s/not/made/yet is inside the path of source "kc-palembang" (%s)`+why, link, inbox),
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("got:\n%v\nwant:\n%s", err, want)
	}
}

func TestPages(t *testing.T) {
	cfg, err := Parse("jkn.yml", []byte("pages:\n  grafana_url: https://grafana.example.go.id/\n  premium_per_person_month: 42000\n"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Pages.GrafanaURL != "https://grafana.example.go.id/" || cfg.Pages.PremiumPerPersonMonth != 42000 {
		t.Errorf("pages: %+v", cfg.Pages)
	}
	if cfg, err := Parse("jkn.yml", nil); err != nil || cfg.Pages != (Pages{}) {
		t.Errorf("no pages: %+v, %v", cfg, err)
	}
	for doc, want := range map[string]string{
		"pages:\n  grafana_url: grafana.local:3000\n":                  `jkn.yml:2: pages: grafana_url "grafana.local:3000" must be an http or https URL`,
		"pages:\n  grafana_url: https://admin:pw@grafana.example/\n":   `jkn.yml:2: pages: grafana_url must not carry credentials (the page shows the link to everyone)`,
		"criteria: uhc_2025\npages:\n  premium_per_person_month: -1\n": `jkn.yml:3: pages: premium_per_person_month -1 must be rupiah per person per month, between 0 and 10,000,000`,
		"pages:\n  premium: 42000\n":                                   `jkn.yml:2: unknown key "premium"`,
	} {
		_, err := Parse("jkn.yml", []byte(doc))
		if err == nil || err.Error() != want {
			t.Errorf("%q:\ngot  %v\nwant %s", doc, err, want)
		}
	}
}

// The judging keys: by_date, awards (keys left out keep their defaults),
// checks (0 or absent: default, negative: off) and a source's expected
// regions.
func TestLoadRules(t *testing.T) {
	cfg, err := Load("testdata/rules_good.yml")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := cfg.Rules()
	if err != nil {
		t.Fatal(err)
	}
	if rules.Policy.Name != criteria.ByDate || rules.Policy.Fixed() {
		t.Errorf("policy %+v", rules.Policy)
	}
	want := criteria.DefaultAwards()
	want.Madya.Active = 0.98
	if rules.Awards != want {
		t.Errorf("awards %+v, want %+v", rules.Awards, want)
	}
	if c := cfg.Checks; c.ParticipantsDrop != 0.2 || c.CoverageMax != -1 || c.PopulationChange != 0 {
		t.Errorf("checks %+v", c)
	}
	if e := cfg.Sources[0].Expected; e == nil || !slices.Equal(e.Codes, []string{"16.06", "16.07", "16.71"}) {
		t.Errorf("expected codes %+v", e)
	}
	if e := cfg.Sources[1].Expected; e == nil || !slices.Equal(e.Within, []string{"16.07"}) || e.Level != jkn.LevelVillage {
		t.Errorf("expected within %+v", e)
	}
	_, err = Load("testdata/rules_bad.yml")
	wantErr := `testdata/rules_bad.yml:2: source "no-list": expected needs codes, or within and level
testdata/rules_bad.yml:6: source "within-no-level": expected: within needs a level: regency (regencies and cities), district or village
testdata/rules_bad.yml:10: source "level-no-within": expected: level "district" needs within (the regions whose districts are expected)
testdata/rules_bad.yml:14: source "bad-code": expected: "1607" is not a dotted Kemendagri code such as "16.07"
testdata/rules_bad.yml:14: source "bad-code": expected: within needs a level: regency (regencies and cities), district or village
testdata/rules_bad.yml:18: awards: utama.coverage 99 must be a ratio between 0 and 1.5 (write 0.98, not 98)
testdata/rules_bad.yml:20: checks: population_change 5 must be a share of at most 1 (write 0.05 for 5%; negative: off)
testdata/rules_bad.yml:20: checks: coverage_max 0.9 must be a ratio from 1 to 10 (write 1.1 for 110%; negative: off)`
	if err == nil || err.Error() != wantErr {
		t.Errorf("got:\n%v\nwant:\n%s", err, wantErr)
	}
}
