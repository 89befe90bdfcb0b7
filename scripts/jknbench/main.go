// Command jknbench is the measuring side of `make bench`
// (scripts/bench/bench.sh). Each subcommand does one measured thing in its
// own process, so its peak RSS is its own, and prints one JSON line:
//
//	jknbench ingest [-render] [-label L] FILE   parse, resolve, validate, publish (and render, compress)
//	jknbench ingest -soffice PROFILE FILE      LibreOffice converts FILE to .xlsx first, then the same
//	jknbench plain -listen ADDR FILE     serve the same series from a plain client_golang registry
//	jknbench bytes -listen ADDR FILE     serve FILE's bytes from memory: the floor of any server here
//	jknbench scrape [-gzip] [-openmetrics] -n N [TOOL=]URL...   scrape N times, time and bytes
//	jknbench rss PID                     a process's VmRSS and VmHWM
//	jknbench cpu -for D -ticks N PID     a process's CPU time over D, per tick of N
//	jknbench restart -url URL -- CMD...  start CMD: time to the first scrape with region series, peak RSS of the restore
//	jknbench report RESULTS.jsonl        medians and ratios as Markdown
//
// The exporter itself is measured as the real binary (bench.sh starts
// jkn_exporter with a config pointing at the workbook).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter/collector"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/snapshot"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: jknbench ingest|plain|scrape|rss|report ...")
		os.Exit(2)
	}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(75) // as jkn_exporter runs (cmd/jkn_exporter)
	}
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "ingest":
		err = runIngest(args)
	case "plain":
		err = runPlain(args)
	case "bytes":
		err = runBytes(args)
	case "scrape":
		err = runScrape(args)
	case "rss":
		err = runRSS(args)
	case "cpu":
		err = runCPU(args)
	case "restart":
		err = runRestart(args)
	case "report":
		err = runReport(args)
	default:
		err = fmt.Errorf("unknown subcommand %q", cmd)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "jknbench:", err)
		os.Exit(1)
	}
}

// result is one measurement, one JSON line.
type result struct {
	What string `json:"what"` // "ingest", "scrape", "rss", ...
	Tool string `json:"tool"` // "jkn_exporter", "pandas", "client_golang"
	File string `json:"file,omitempty"`
	Rows int    `json:"rows,omitempty"`
	// Rejected counts rows not accepted (names-only sheets: the villages
	// whose name another village of their district shares are ambiguous).
	Rejected int     `json:"rejected,omitempty"`
	MS       float64 `json:"ms,omitempty"`
	// Ingest phases. ConvertMS: LibreOffice's conversion to .xlsx, in MS
	// (ingest -soffice).
	ConvertMS  float64 `json:"convert_ms,omitempty"`
	RenderMS   float64 `json:"render_ms,omitempty"`
	CompressMS float64 `json:"compress_ms,omitempty"`
	Series     int     `json:"series,omitempty"`
	Bytes      int64   `json:"bytes,omitempty"`
	GzipBytes  int64   `json:"gzip_bytes,omitempty"`
	MaxRSSKB   int64   `json:"maxrss_kb,omitempty"`
	RSSKB      int64   `json:"rss_kb,omitempty"`
	// Restarts: ReadyMS is when the restore was done (/-/ready), and
	// ServedRSSKB the peak RSS at the first scrape.
	ReadyMS     float64 `json:"ready_ms,omitempty"`
	ServedRSSKB int64   `json:"served_rss_kb,omitempty"`
	// Scrapes.
	Encoding string `json:"encoding,omitempty"`
	Format   string `json:"format,omitempty"`
	Label    string `json:"label,omitempty"`
}

func emit(r result) {
	b, _ := json.Marshal(r)
	fmt.Println(string(b))
}

func maxRSSKB() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss // kilobytes on Linux
}

// ingestFile runs what the exporter runs for one source with one
// workbook: read the file, parse, resolve, validate, build the snapshot
// and publish it in a store (without rendering).
func ingestFile(path string) (*snapshot.Store, *ingest.Result, time.Duration, error) {
	ref, err := region.Load()
	if err != nil {
		return nil, nil, 0, err
	}
	start := time.Now()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, 0, err
	}
	st, _ := os.Stat(path)
	f := sources.NewFile(filepath.Base(path), path, st.ModTime(), data)
	res := ingest.Ingest([]sources.File{f}, ingest.Settings{BranchOffice: "Nasional"}, ref)
	snap := snapshot.Build("nasional", "Nasional", res, nil, start, time.Now())
	store := snapshot.NewStore(nil)
	store.Put(snap)
	return store, res, time.Since(start), nil
}

func runIngest(args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ExitOnError)
	render := fs.Bool("render", false, "also render the exposition and compress it, as the exporter does before the first scrape")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the ingest")
	label := fs.String("label", "", "a label for the report: \"readers\" marks the rounds of the other formats with their .xlsx, compared pairwise")
	soffice := fs.String("soffice", "", "LibreOffice profile `directory`: soffice converts FILE to .xlsx first (its time in the ingest's, and its peak RSS if larger), the .xlsx is ingested: what a reader of .xlsx alone costs")
	_ = fs.Parse(args)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		_ = pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("ingest FILE")
	}
	path, tool, name := fs.Arg(0), "jkn_exporter", filepath.Base(fs.Arg(0))
	var convert time.Duration
	if *soffice != "" {
		dir, err := os.MkdirTemp("", "jknbench-soffice-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if path, convert, err = convertXLSX(*soffice, dir, path); err != nil {
			return err
		}
		tool, name = "soffice+jkn_exporter", name+" (soffice → .xlsx)"
	}
	store, res, d, err := ingestFile(path)
	if err != nil {
		return err
	}
	r := result{What: "ingest", Tool: tool, File: name, Rows: res.RowsAccepted, Rejected: res.RowsRejected, MS: ms(convert + d), ConvertMS: ms(convert), Label: *label}
	if len(res.Records) != res.RowsAccepted {
		return fmt.Errorf("%d rows accepted, %d records", res.RowsAccepted, len(res.Records))
	}
	if *render {
		r.What = "ingest+render"
		crit, _ := criteria.Lookup("uhc_2025")
		t := time.Now()
		out := (&collector.Renderer{Criteria: crit}).Render(store.View())
		r.RenderMS = ms(time.Since(t))
		t = time.Now()
		out.Text.Compress()
		r.CompressMS = ms(time.Since(t))
		r.Series, r.Bytes, r.GzipBytes = out.Text.Series(), out.Text.Len(), int64(out.Text.GzipLen())
	}
	r.MaxRSSKB = maxRSSKB()
	if *soffice != "" {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
		r.MaxRSSKB = max(r.MaxRSSKB, ru.Maxrss) // soffice's, when larger
	}
	emit(r)
	return nil
}

// convertXLSX has LibreOffice (soffice, headless, the profile given: a
// warm one, as an office's own) convert path to .xlsx in dir, and returns
// the .xlsx and the wall time of the conversion.
func convertXLSX(profile, dir, path string) (string, time.Duration, error) {
	abs, err := filepath.Abs(profile)
	if err != nil {
		return "", 0, err
	}
	start := time.Now()
	cmd := exec.Command("soffice", "-env:UserInstallation=file://"+abs, "--headless", "--norestore",
		"--convert-to", "xlsx", "--outdir", dir, path)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", 0, fmt.Errorf("soffice: %w\n%s", err, out)
	}
	d := time.Since(start)
	out := filepath.Join(dir, strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))+".xlsx")
	if _, err := os.Stat(out); err != nil {
		return "", 0, fmt.Errorf("soffice did not convert %s: %w", path, err)
	}
	return out, d, nil
}

// runPlain serves the series of a workbook from a plain client_golang
// registry, one GaugeVec per family, as an exporter written the usual way
// would: the comparison for scrape time, bytes and memory.
func runPlain(args []string) error {
	fs := flag.NewFlagSet("plain", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address")
	_ = fs.Parse(args)
	if fs.NArg() != 1 {
		return fmt.Errorf("plain -listen ADDR FILE")
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	series, err := fillRegistry(reg, fs.Arg(0))
	if err != nil {
		return err
	}
	runtime.GC()
	debug.FreeOSMemory()
	return serveMetrics(*listen, promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}), fmt.Sprintf("series=%d", series))
}

// serveMetrics serves h at /metrics on listen, prints "ready ADDR what"
// (bench.sh waits for it), and stops at SIGINT or SIGTERM.
func serveMetrics(listen string, h http.Handler, what string) error {
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", h)
	srv := &http.Server{Handler: mux}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("ready %s %s\n", ln.Addr(), what)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return srv.Close()
}

// runBytes serves a file's bytes, read into memory once, at /metrics with
// their length, in one write: what no exporter can beat on this machine,
// measured beside the exporter serving the same exposition.
func runBytes(args []string) error {
	fs := flag.NewFlagSet("bytes", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address")
	_ = fs.Parse(args)
	if fs.NArg() != 1 {
		return fmt.Errorf("bytes -listen ADDR FILE")
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	return serveMetrics(*listen, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		_, _ = w.Write(b)
	}), fmt.Sprintf("bytes=%d", len(b)))
}

// fillRegistry ingests and renders a workbook as the exporter does, then
// sets a GaugeVec child for every series of the rendering.
func fillRegistry(reg *prometheus.Registry, path string) (int, error) {
	store, _, _, err := ingestFile(path)
	if err != nil {
		return 0, err
	}
	crit, _ := criteria.Lookup("uhc_2025")
	text := (&collector.Renderer{Criteria: crit}).Render(store.View()).Text
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(bytes.NewReader(text.Bytes()))
	if err != nil {
		return 0, err
	}
	n := 0
	for name, mf := range mfs {
		var names []string
		for _, l := range mf.GetMetric()[0].GetLabel() {
			names = append(names, l.GetName())
		}
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: mf.GetHelp()}, names)
		reg.MustRegister(g)
		values := make([]string, len(names))
		for _, m := range mf.GetMetric() {
			for i, l := range m.GetLabel() {
				values[i] = l.GetValue()
			}
			g.WithLabelValues(values...).Set(m.GetGauge().GetValue())
			n++
		}
		delete(mfs, name) // let the parsed family go
	}
	return n, nil
}

func runScrape(args []string) error {
	fs := flag.NewFlagSet("scrape", flag.ExitOnError)
	n := fs.Int("n", 5, "scrapes of each URL")
	gz := fs.Bool("gzip", false, "ask for gzip (Accept-Encoding: gzip), as Prometheus does; the body is not decompressed")
	om := fs.Bool("openmetrics", false, "ask for OpenMetrics, as Prometheus does")
	tool := fs.String("tool", "jkn_exporter", "what is scraped, for the report, when a URL has no TOOL=")
	label := fs.String("label", "", "workbook, for the report")
	timeout := fs.Duration("timeout", 5*time.Minute, "per scrape")
	_ = fs.Parse(args)
	if fs.NArg() == 0 {
		return errors.New("usage: scrape [-gzip] [-openmetrics] -n N [TOOL=]URL [[TOOL=]URL]")
	}
	type target struct {
		tool, url string
		buf       []byte // the body buffer, kept across scrapes as Prometheus keeps it
	}
	var targets []*target
	for _, a := range fs.Args() {
		t := &target{tool: *tool, url: a}
		if name, u, ok := strings.Cut(a, "="); ok && !strings.Contains(name, "/") {
			t.tool, t.url = name, u
		}
		targets = append(targets, t)
	}
	c := &http.Client{Timeout: *timeout, Transport: &http.Transport{DisableCompression: true}}
	// Several URLs are scraped in turn, round after round, so that what
	// else the machine does weighs on each alike.
	for range *n {
		for _, tg := range targets {
			req, _ := http.NewRequest("GET", tg.url, nil)
			format := "text"
			if *om {
				format = "openmetrics"
				req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
			} else {
				req.Header.Set("Accept", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
			}
			enc := "identity"
			if *gz {
				enc = "gzip"
				req.Header.Set("Accept-Encoding", "gzip")
			}
			t := time.Now()
			resp, err := c.Do(req)
			if err != nil {
				return err
			}
			// Read as Prometheus reads a body: into a buffer kept from the
			// last scrape of the target, through a size limit.
			body := bytes.NewBuffer(tg.buf[:0])
			nb, err := io.Copy(body, io.LimitReader(resp.Body, 1<<40))
			resp.Body.Close()
			d := time.Since(t)
			tg.buf = body.Bytes()
			if err != nil {
				return err
			}
			if resp.StatusCode != 200 {
				return fmt.Errorf("%s: %s", tg.url, resp.Status)
			}
			if got := resp.Header.Get("Content-Encoding"); *gz && got != "gzip" {
				enc = "identity (gzip asked)"
			}
			emit(result{What: "scrape", Tool: tg.tool, Label: *label, MS: ms(d), Bytes: nb, Encoding: enc, Format: format})
		}
	}
	return nil
}

// runRSS prints a process's resident set size and its peak.
func runRSS(args []string) error {
	if len(args) < 1 {
		return fmt.Errorf("rss PID [tool] [label]")
	}
	r := result{What: "rss"}
	if len(args) > 1 {
		r.Tool = args[1]
	}
	if len(args) > 2 {
		r.Label = args[2]
	}
	var err error
	if r.RSSKB, r.MaxRSSKB, err = procRSS(args[0]); err != nil {
		return err
	}
	emit(r)
	return nil
}

// procRSS reads a process's VmRSS and VmHWM, in kB.
func procRSS(pid string) (rss, hwm int64, err error) {
	f, err := os.Open("/proc/" + pid + "/status")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch k {
		case "VmRSS":
			rss = kb
		case "VmHWM":
			hwm = kb
		}
	}
	return rss, hwm, sc.Err()
}

// runRestart starts the exporter (CMD, on a storage path holding a saved
// snapshot) and measures its restart: the time from the start of the
// process to the first /metrics answer carrying region series, the peak
// RSS (VmHWM) then, and, once /-/ready says the restore is done, the time
// and the peak RSS of the whole restore. Then it stops the process.
func runRestart(args []string) error {
	fs := flag.NewFlagSet("restart", flag.ExitOnError)
	base := fs.String("url", "", "the exporter's base URL (http://127.0.0.1:PORT)")
	label := fs.String("label", "", "workbook, for the report")
	series := fs.String("series", "jkn_population{", "what the start of the body must hold: a region series")
	timeout := fs.Duration("timeout", time.Minute, "at most")
	wait := fs.String("wait", "", "a file to wait for, written after the start, before stopping the process (the exposition its first ingest saves, so the next restart finds it)")
	_ = fs.Parse(args)
	if *base == "" || fs.NArg() == 0 {
		return errors.New("usage: restart -url URL [-label L] -- CMD [ARG...]")
	}
	want := *series
	c := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableCompression: true, DisableKeepAlives: true}}
	// ok reports whether path answers 200 and its body starts with what
	// holds (the region part comes first: the first 64 KB say).
	ok := func(path, holds string) bool {
		resp, err := c.Get(*base + path)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		head := make([]byte, 64<<10)
		n, _ := io.ReadFull(resp.Body, head)
		return resp.StatusCode == 200 && bytes.Contains(head[:n], []byte(holds))
	}
	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	pid := strconv.Itoa(cmd.Process.Pid)
	r := result{What: "restart", Tool: "jkn_exporter", Label: *label}
	deadline := start.Add(*timeout)
	for !ok("/metrics", want) {
		if time.Now().After(deadline) {
			return fmt.Errorf("no region series at %s/metrics after %s", *base, *timeout)
		}
		time.Sleep(2 * time.Millisecond)
	}
	r.MS = ms(time.Since(start))
	if _, hwm, err := procRSS(pid); err == nil {
		r.ServedRSSKB = hwm
	}
	for !ok("/-/ready", "") {
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/-/ready not ready after %s", *base, *timeout)
		}
		time.Sleep(2 * time.Millisecond)
	}
	r.ReadyMS = ms(time.Since(start))
	var err error
	if _, r.MaxRSSKB, err = procRSS(pid); err != nil {
		return err
	}
	emit(r)
	for *wait != "" {
		if st, err := os.Stat(*wait); err == nil && st.ModTime().After(start) {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not written after %s", *wait, *timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// runCPU measures the user and system time a process spends over a
// while, per scheduled tick in it: the running exporter on `@every 3s`
// with a workbook that does not change (issue 18: an unchanged file costs
// a stat, not a parse).
func runCPU(args []string) error {
	fs := flag.NewFlagSet("cpu", flag.ContinueOnError)
	over := fs.Duration("for", 30*time.Second, "how long to measure")
	every := fs.Duration("every", 3*time.Second, "the source's schedule")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() < 1 {
		return fmt.Errorf("cpu [-for D] [-every D] PID [tool] [label]")
	}
	pid := fs.Arg(0)
	before, err := procCPU(pid)
	if err != nil {
		return err
	}
	time.Sleep(*over)
	after, err := procCPU(pid)
	if err != nil {
		return err
	}
	r := result{What: "tick_cpu", MS: ms(after-before) / (float64(*over) / float64(*every))}
	if fs.NArg() > 1 {
		r.Tool = fs.Arg(1)
	}
	if fs.NArg() > 2 {
		r.Label = fs.Arg(2)
	}
	emit(r)
	return nil
}

// procCPU is a process's user and system time so far (/proc/PID/stat, in
// the clock ticks of USER_HZ, 100 a second on Linux).
func procCPU(pid string) (time.Duration, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0, err
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: utime and stime are the 14th and 15th of the line.
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, fmt.Errorf("/proc/%s/stat: unexpected %q", pid, b)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("/proc/%s/stat: %w", pid, err)
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
