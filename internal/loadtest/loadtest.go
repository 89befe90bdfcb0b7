// Package loadtest drives a running exporter on loopback: many clients
// scrape /metrics while workbooks are rewritten and ingested and the
// config is reloaded; every scrape is checked (status, format, and no torn
// snapshot), and the latency, throughput and memory are measured. It
// serves scripts/loadtest (the figures of RELIABILITY.md) and the short
// correctness test in cmd/jkn_exporter.
//
// Torn snapshots are caught by construction: version v of a source's
// workbook is dated the first of month v (1..12), and every figure in it
// ends in the digits of v (population 4_000_000+100*i+v). A scrape in
// which a region's population, participants and as-of date do not all
// name the same version, or in which two regions of one branch office
// name different versions, mixes two snapshots.
package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/jkn-exporter/jkn_exporter/internal/hostile"
	"github.com/jkn-exporter/jkn_exporter/jkn"
	"github.com/jkn-exporter/jkn_exporter/region"
)

// Limits keep a run bounded whatever the flags say.
const (
	MaxClients  = 128
	MaxDuration = 2 * time.Minute
)

// Token is the upload token of every source of a Setup (loopback only).
const Token = "loadtest-token-0123456789abcdef"

var months = []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// Setup is a config of directory sources, each holding one workbook of
// the regencies and cities of some provinces.
type Setup struct {
	Dir, Config string
	Sources     []Source
	Regions     int
	overrideOn  atomic.Bool
}

// Source is one configured source and the regions its workbook carries.
type Source struct {
	Name, Inbox string
	regions     []jkn.Region
	version     atomic.Int64
}

// Prepare writes, under dir, a config of n sources sharing the provinces
// of the reference table between them, each with its workbook at version 1.
func Prepare(dir string, ref *region.Reference, n int) (*Setup, error) {
	s := &Setup{Dir: dir, Config: filepath.Join(dir, "jkn.yml")}
	tok := filepath.Join(dir, "upload.token")
	if err := os.WriteFile(tok, []byte(Token+"\n"), 0o600); err != nil {
		return nil, err
	}
	for i := range n {
		s.Sources = append(s.Sources, Source{Name: fmt.Sprintf("kc-load-%d", i+1), Inbox: filepath.Join(dir, fmt.Sprintf("inbox-%d", i+1))})
	}
	for i, p := range ref.Provinces() {
		src := &s.Sources[i%n]
		src.regions = append(src.regions, ref.Children(p.Code)...)
	}
	var cfg strings.Builder
	cfg.WriteString("sources:\n")
	for i := range s.Sources {
		src := &s.Sources[i]
		if err := os.MkdirAll(src.Inbox, 0o755); err != nil {
			return nil, err
		}
		s.Regions += len(src.regions)
		if err := src.write(1); err != nil {
			return nil, err
		}
		fmt.Fprintf(&cfg, "  - name: %s\n    path: %s\n    schedule: \"@every 1h\"\n    settle_time: 1ms\n    branch_office: Load %d\n    upload: { token_file: %s }\n",
			src.Name, src.Inbox, i+1, tok)
	}
	if err := os.WriteFile(s.Config, []byte(cfg.String()), 0o644); err != nil {
		return nil, err
	}
	return s, nil
}

// write puts version v (1..12) of the source's workbook in place, through
// a rename so that no ingest reads half of it.
func (src *Source) write(v int) error {
	rows := make([][]string, 0, len(src.regions))
	for i, r := range src.regions {
		pop := 4_000_000 + 100*i + v
		rows = append(rows, []string{r.Code, r.Name, strconv.Itoa(pop), strconv.Itoa(pop - 100_000)})
	}
	data := hostile.Table("1 "+months[v-1]+" 2025", rows...)
	tmp := filepath.Join(src.Inbox, ".rekap.xlsx.tmp")
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	src.version.Store(int64(v))
	return os.Rename(tmp, filepath.Join(src.Inbox, "rekap.xlsx"))
}

// toggleOverride rewrites the config with or without a target override,
// so that a reload changes what is rendered.
func (s *Setup) toggleOverride() error {
	data, err := os.ReadFile(s.Config)
	if err != nil {
		return err
	}
	text, _, _ := strings.Cut(string(data), "regions:\n")
	if !s.overrideOn.Load() && len(s.Sources[0].regions) > 0 {
		text += fmt.Sprintf("regions:\n  %q: { target_coverage: 0.99 }\n", s.Sources[0].regions[0].Code)
	}
	s.overrideOn.Store(!s.overrideOn.Load())
	return os.WriteFile(s.Config, []byte(text), 0o644)
}

// Config is one run.
type Config struct {
	// BaseURL is the exporter's address; it must be on loopback.
	BaseURL  string
	Clients  int
	Duration time.Duration
	// IngestEvery rewrites one source's workbook (round robin) and asks
	// for its ingest; ReloadEvery changes the config and reloads it. Zero:
	// never.
	IngestEvery, ReloadEvery time.Duration
	Setup                    *Setup
	// PID is the exporter's process, for its memory (Linux /proc); 0: none.
	PID int
	// FullParse parses every n-th scrape with the Prometheus text parser
	// as well (0: never); every scrape gets the torn-snapshot check.
	FullParse int
}

// Result is what a run measured.
type Result struct {
	Scrapes, Failed, Torn          int64
	Ingests, IngestErrors          int64
	Reloads, ReloadErrors          int64
	P50, P90, P99, Max             time.Duration
	Elapsed                        time.Duration
	ScrapesPerSecond               float64
	BodyBytes                      int64
	RSSPeakBytes, RSSEndBytes      int64
	Errors                         []string
	Regions, Clients, SourcesCount int
}

// String is the report scripts/loadtest prints.
func (r *Result) String() string {
	return fmt.Sprintf(`clients %d, %v, %d regions in %d sources (exposition %d KiB)
scrapes: %d (%.0f/s), failed %d, torn %d
latency: p50 %v, p90 %v, p99 %v, max %v
writes: %d ingests (%d failed), %d reloads (%d failed)
exporter RSS: peak %d MiB, at the end %d MiB`,
		r.Clients, r.Elapsed.Round(time.Millisecond), r.Regions, r.SourcesCount, r.BodyBytes>>10,
		r.Scrapes, r.ScrapesPerSecond, r.Failed, r.Torn,
		r.P50, r.P90, r.P99, r.Max,
		r.Ingests, r.IngestErrors, r.Reloads, r.ReloadErrors,
		r.RSSPeakBytes>>20, r.RSSEndBytes>>20)
}

// Run drives the exporter for cfg.Duration.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("%s is not on loopback: the load test only drives a local exporter", cfg.BaseURL)
	}
	cfg.Clients = min(max(cfg.Clients, 1), MaxClients)
	cfg.Duration = min(max(cfg.Duration, time.Second), MaxDuration)
	ctx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()

	res := &Result{Clients: cfg.Clients}
	if cfg.Setup != nil {
		res.Regions, res.SourcesCount = cfg.Setup.Regions, len(cfg.Setup.Sources)
	}
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.Clients}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      []string
	)
	fail := func(counter *int64, format string, args ...any) {
		atomic.AddInt64(counter, 1)
		mu.Lock()
		if len(errs) < 10 {
			errs = append(errs, fmt.Sprintf(format, args...))
		}
		mu.Unlock()
	}
	var wg sync.WaitGroup
	start := time.Now()
	for c := range cfg.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for n := 0; ctx.Err() == nil; n++ {
				t0 := time.Now()
				body, err := get(ctx, client, cfg.BaseURL+"/metrics")
				d := time.Since(t0)
				if ctx.Err() != nil {
					break // cut short by the end of the run, not a failure
				}
				atomic.AddInt64(&res.Scrapes, 1)
				mine = append(mine, d)
				if err != nil {
					fail(&res.Failed, "client %d: %v", c, err)
					continue
				}
				atomic.StoreInt64(&res.BodyBytes, int64(len(body)))
				if err := checkTorn(body); err != nil {
					fail(&res.Torn, "client %d: %v", c, err)
				}
				if cfg.FullParse > 0 && n%cfg.FullParse == 0 {
					p := expfmt.NewTextParser(model.UTF8Validation)
					if _, err := p.TextToMetricFamilies(bytes.NewReader(body)); err != nil {
						fail(&res.Failed, "client %d: exposition does not parse: %v", c, err)
					}
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	if cfg.Setup != nil && cfg.IngestEvery > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			every(ctx, cfg.IngestEvery, func(i int) {
				src := &cfg.Setup.Sources[i%len(cfg.Setup.Sources)]
				if err := src.write(int(src.version.Load())%12 + 1); err != nil {
					fail(&res.IngestErrors, "rewriting %s: %v", src.Name, err)
					return
				}
				atomic.AddInt64(&res.Ingests, 1)
				if code, err := post(ctx, client, cfg.BaseURL+"/api/v1/sources/"+src.Name+"/ingest", Token); err != nil || code != 200 {
					if ctx.Err() == nil {
						fail(&res.IngestErrors, "ingest %s: %d %v", src.Name, code, err)
					}
				}
			})
		}()
	}
	if cfg.Setup != nil && cfg.ReloadEvery > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			every(ctx, cfg.ReloadEvery, func(int) {
				if err := cfg.Setup.toggleOverride(); err != nil {
					fail(&res.ReloadErrors, "config: %v", err)
					return
				}
				atomic.AddInt64(&res.Reloads, 1)
				if code, err := post(ctx, client, cfg.BaseURL+"/-/reload", ""); err != nil || code != 200 {
					if ctx.Err() == nil {
						fail(&res.ReloadErrors, "reload: %d %v", code, err)
					}
				}
			})
		}()
	}
	if cfg.PID > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			every(ctx, 100*time.Millisecond, func(int) {
				if rss, err := rssBytes(cfg.PID, "VmRSS:"); err == nil {
					res.RSSPeakBytes = max(res.RSSPeakBytes, rss)
				}
			})
		}()
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	if cfg.PID > 0 {
		res.RSSEndBytes, _ = rssBytes(cfg.PID, "VmRSS:")
		if hwm, err := rssBytes(cfg.PID, "VmHWM:"); err == nil {
			res.RSSPeakBytes = max(res.RSSPeakBytes, hwm)
		}
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration {
		if len(latencies) == 0 {
			return 0
		}
		return latencies[min(len(latencies)-1, int(p*float64(len(latencies))))]
	}
	res.P50, res.P90, res.P99 = pct(0.50), pct(0.90), pct(0.99)
	if len(latencies) > 0 {
		res.Max = latencies[len(latencies)-1]
	}
	res.ScrapesPerSecond = float64(res.Scrapes) / res.Elapsed.Seconds()
	res.Errors = errs
	return res, nil
}

// every calls f(i) every period until ctx is done.
func every(ctx context.Context, period time.Duration, f func(i int)) {
	t := time.NewTicker(period)
	defer t.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f(i)
		}
	}
}

func get(ctx context.Context, c *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	if !bytes.Contains(body, []byte("jkn_exporter_build_info")) {
		return nil, errors.New("exposition cut short (no jkn_exporter_build_info)")
	}
	return body, nil
}

func post(ctx context.Context, c *http.Client, u, token string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", u, nil)
	if err != nil {
		return 0, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// checkTorn checks one scrape: every region's population, participants
// and as-of date name the same workbook version, and so do all regions of
// one branch office. It reads the lines itself: parsing every scrape of
// every client fully would load the host more than the exporter.
func checkTorn(body []byte) error {
	type region struct{ pop, part, asOf int }
	regions := map[string]*region{}
	branch := map[string]int{}
	at := func(code string) *region {
		r := regions[code]
		if r == nil {
			r = &region{-1, -1, -1}
			regions[code] = r
		}
		return r
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		name, rest, ok := strings.Cut(line, "{")
		if !ok || (name != "jkn_population" && name != "jkn_participants" && name != "jkn_data_as_of_timestamp_seconds") {
			continue
		}
		code := labelValue(rest, "region_code")
		labels, value, _ := strings.Cut(rest, "} ")
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return fmt.Errorf("%s: value %q", name, value)
		}
		r := at(code)
		switch name {
		case "jkn_population":
			r.pop = int(v) % 100
		case "jkn_participants":
			r.part = int(v) % 100
		default:
			r.asOf = int(time.Unix(int64(v), 0).UTC().Month())
			b := labelValue(labels, "branch_office")
			if first, ok := branch[b]; ok && first != r.asOf {
				return fmt.Errorf("branch office %q: regions of versions %d and %d in one scrape", b, first, r.asOf)
			}
			branch[b] = r.asOf
		}
	}
	if len(regions) == 0 {
		return errors.New("no region series")
	}
	for code, r := range regions {
		if r.pop != r.asOf || r.part != r.asOf {
			return fmt.Errorf("region %s: population of version %d, participants of %d, as of version %d", code, r.pop, r.part, r.asOf)
		}
	}
	return nil
}

// labelValue finds name="value" in a label set (values here hold no quotes).
func labelValue(labels, name string) string {
	i := strings.Index(labels, name+`="`)
	if i < 0 {
		return ""
	}
	v := labels[i+len(name)+2:]
	j := strings.IndexByte(v, '"')
	if j < 0 {
		return ""
	}
	return v[:j]
}

// rssBytes reads a memory line of /proc/<pid>/status, in bytes.
func rssBytes(pid int, key string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, key) {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, err := strconv.ParseInt(f[1], 10, 64)
				return kb << 10, err
			}
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", key, pid)
}
