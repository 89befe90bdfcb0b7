// Command loadtest prints the load figures of RELIABILITY.md: it builds
// and starts the exporter on loopback with sources covering every regency
// and city, then scrapes /metrics from many clients while workbooks are
// rewritten and ingested and the config is reloaded, checking every
// scrape (see internal/loadtest). Run it from the repository root:
//
//	go run ./scripts/loadtest -clients 32 -duration 10s
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"time"

	"github.com/jkn-exporter/jkn_exporter/internal/loadtest"
	"github.com/jkn-exporter/jkn_exporter/region"
)

func main() {
	var (
		bin         = flag.String("bin", "", "exporter binary (default: built from ./cmd/jkn_exporter)")
		clients     = flag.Int("clients", 32, fmt.Sprintf("concurrent scrapers (at most %d)", loadtest.MaxClients))
		duration    = flag.Duration("duration", 10*time.Second, fmt.Sprintf("how long to scrape (at most %v)", loadtest.MaxDuration))
		nSources    = flag.Int("sources", 4, "directory sources sharing the regencies and cities")
		ingestEvery = flag.Duration("ingest-every", 250*time.Millisecond, "rewrite and ingest one source this often (0: never)")
		reloadEvery = flag.Duration("reload-every", time.Second, "change and reload the config this often (0: never)")
	)
	flag.Parse()
	if err := run(*bin, *clients, *duration, *nSources, *ingestEvery, *reloadEvery); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(bin string, clients int, duration time.Duration, nSources int, ingestEvery, reloadEvery time.Duration) error {
	dir, err := os.MkdirTemp("", "jkn-loadtest-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if bin == "" {
		bin = filepath.Join(dir, "jkn_exporter")
		if out, err := exec.Command("go", "build", "-o", bin, "./cmd/jkn_exporter").CombinedOutput(); err != nil {
			return fmt.Errorf("go build: %w\n%s", err, out)
		}
	}
	ref, err := region.Load()
	if err != nil {
		return err
	}
	setup, err := loadtest.Prepare(dir, ref, nSources)
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := l.Addr().String()
	l.Close()
	logFile, err := os.Create(filepath.Join(dir, "exporter.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	// The writes of the run come from one address, faster than the default
	// per-client limit: the limit is off here.
	cmd := exec.Command(bin, "--web.listen-address="+addr, "--config.file="+setup.Config, "--storage.path="+filepath.Join(dir, "data"),
		"--web.enable-lifecycle", "--web.write-rate-limit=0")
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}()
	base := "http://" + addr
	if err := waitReady(base + "/-/ready"); err != nil {
		return err
	}
	fmt.Printf("host: %d CPUs (%s/%s), exporter pid %d\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, cmd.Process.Pid)
	res, err := loadtest.Run(context.Background(), loadtest.Config{
		BaseURL: base, Clients: clients, Duration: duration, Setup: setup, PID: cmd.Process.Pid,
		IngestEvery: ingestEvery, ReloadEvery: reloadEvery, FullParse: 20,
	})
	if err != nil {
		return err
	}
	fmt.Println(res)
	for _, e := range res.Errors {
		fmt.Println("  error:", e)
	}
	if res.Failed > 0 || res.Torn > 0 || res.IngestErrors > 0 || res.ReloadErrors > 0 {
		return fmt.Errorf("%d failed and %d torn scrapes, %d failed ingests, %d failed reloads", res.Failed, res.Torn, res.IngestErrors, res.ReloadErrors)
	}
	return nil
}

func waitReady(url string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("exporter not ready after 60 s")
}
