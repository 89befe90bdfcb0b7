// Command jkn_exporter exposes JKN coverage per region, read from the Excel
// workbooks BPJS Kesehatan branch offices send, as Prometheus metrics.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"

	"github.com/jkn-exporter/jkn_exporter/criteria"
	"github.com/jkn-exporter/jkn_exporter/exporter"
	"github.com/jkn-exporter/jkn_exporter/exporter/config"
	"github.com/jkn-exporter/jkn_exporter/exporter/ingest"
	"github.com/jkn-exporter/jkn_exporter/exporter/server"
	exporterweb "github.com/jkn-exporter/jkn_exporter/exporter/web"
	"github.com/jkn-exporter/jkn_exporter/lang"
	"github.com/jkn-exporter/jkn_exporter/region"
	"github.com/jkn-exporter/jkn_exporter/sources/demo"
)

// defaultAddress is outside the 9100-9999 range of the Prometheus wiki's
// port allocations, which is full.
const defaultAddress = ":10947"

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	app := kingpin.New("jkn_exporter", "Exposes JKN (national health insurance) coverage per region, read from BPJS Kesehatan branch-office workbooks, as Prometheus metrics.")
	app.Version(version.Print("jkn_exporter"))
	app.HelpFlag.Short('h')
	app.UsageWriter(stdout)
	app.ErrorWriter(stderr)
	configFile := app.Flag("config.file", "Configuration file (YAML). Without it, the embedded demo is served.").String()

	serve := app.Command("serve", "Serve the metrics (the default).").Default()
	webConfig := kingpinflag.AddFlags(serve, defaultAddress)
	storagePath := serve.Flag("storage.path", "Directory for the last good snapshot of every source, served at start. Empty: none.").Default("data/").String()
	lifecycle := serve.Flag("web.enable-lifecycle", "Enable config reload via HTTP request (POST /-/reload).").Bool()
	writeRate := serve.Flag("web.write-rate-limit", "Write requests (uploads, ingest triggers, reloads) per second each client address may make, "+
		"in bursts of up to 10; over it they get 429 and Retry-After. 0: no limit.").Default("1").Float64()
	limits := server.Limits{MinBodyRate: server.DefaultMinBodyRate, MaxHeaderBytes: server.DefaultMaxHeaderBytes}
	serve.Flag("web.max-connections", "Most connections open at once on each listen address; more wait in the kernel's queue. 0: no limit.").
		Default(strconv.Itoa(server.DefaultMaxConnections)).IntVar(&limits.MaxConnections)
	serve.Flag("web.read-header-timeout", "How long a connection may take to send its request line and headers (and the TLS handshake); "+
		"a connection that sends nothing is closed after it.").Default(server.DefaultReadHeaderTimeout.String()).DurationVar(&limits.ReadHeaderTimeout)
	serve.Flag("web.read-body-timeout", fmt.Sprintf("The longest a request body (an upload) may pause. Once it has passed, the body must "+
		"also have come at %d KiB/s on average: a 64 MiB workbook still comes through on a slow link, a trickle does not.", server.DefaultMinBodyRate>>10)).
		Default(server.DefaultBodyTimeout.String()).DurationVar(&limits.BodyTimeout)
	serve.Flag("web.write-timeout", "The longest a response may go without the client taking 64 KiB of it; per write, "+
		"so a scrape of any size finishes for a client that keeps reading.").Default(server.DefaultWriteTimeout.String()).DurationVar(&limits.WriteTimeout)
	serve.Flag("web.idle-timeout", "How long a keep-alive connection may wait for its next request.").
		Default(server.DefaultIdleTimeout.String()).DurationVar(&limits.IdleTimeout)
	demoKind := serve.Flag("demo", "The demo served without --config.file: seed (the published seed figures of docs/domain.md) or national "+
		"(every regency and city with its real 2025 population and SYNTHETIC participant figures).").Default(demo.Seed).Enum(demo.Seed, demo.National)
	logConfig := &promslog.Config{Writer: stderr}
	promslogflag.AddFlags(app, logConfig)

	check := app.Command("check", "Check the configuration and show what workbooks become, without serving. Exit 1 if a workbook would be rejected.")
	checkSource := check.Flag("source", "Read the workbooks with the settings of this configured source (branch office, province).").String()
	checkProvince := check.Flag("province", "Province for sheets that carry neither codes nor a province column.").String()
	checkBranch := check.Flag("branch-office", "Branch office label for the report.").Default("(check)").String()
	checkLang := check.Flag("lang", "Language of the report: id (Bahasa Indonesia) or en (English, as earlier versions wrote it).").Default(string(lang.Default)).Enum(string(lang.ID), string(lang.EN))
	checkFiles := check.Arg("workbook", "Workbooks to read (.xlsx, .xls, CSV: the format is told by the content). Without any, every configured source is read.").ExistingFiles()

	subs := []subcommand{}
	for _, add := range extraCommands {
		subs = append(subs, add(app))
	}

	cmd, err := app.Parse(args)
	if err != nil {
		fmt.Fprintf(stderr, "jkn_exporter: %v\n", err)
		return 2
	}
	logger := promslog.New(logConfig)
	for _, sub := range subs {
		if cmd == sub.cmd.FullCommand() {
			return sub.run(stdout, stderr)
		}
	}
	switch cmd {
	case check.FullCommand():
		return runCheck(checkOptions{
			configFile: *configFile, source: *checkSource, province: *checkProvince,
			branch: *checkBranch, files: *checkFiles, lang: lang.Lang(*checkLang),
		}, stdout, stderr)
	default:
		if err := runServe(*configFile, *storagePath, *lifecycle, *demoKind, *writeRate, webConfig, limits, logger); err != nil {
			logger.Error("exiting", "err", err)
			return 1
		}
		return 0
	}
}

// subcommand is a command beside serve and check, defined in its own file.
type subcommand struct {
	cmd *kingpin.CmdClause
	run func(stdout, stderr io.Writer) int
}

// extraCommands register the other subcommands, in help order.
var extraCommands = []func(*kingpin.Application) subcommand{templateCommand, backfillCommand}

// defaultGCPercent is the GOGC the server runs with when GOGC is not set.
const defaultGCPercent = 75

// demoSources makes the demo's offices exporter sources: no schedule (a
// demo is read once), no upload.
func demoSources(offices []demo.Office) []*exporter.Source {
	var out []*exporter.Source
	for _, o := range offices {
		out = append(out, &exporter.Source{Source: o.Source, Kind: "demo", Location: o.Location,
			Settings: ingest.Settings{BranchOffice: o.BranchOffice, Province: o.Province}})
	}
	return out
}

func runServe(configFile, storagePath string, lifecycle bool, demoKind string, writeRate float64, webConfig *web.FlagConfig, limits server.Limits, logger *slog.Logger) error {
	logger.Info("starting jkn_exporter", "version", version.Info(), "build_context", version.BuildContext())
	if os.Getenv("GOGC") == "" {
		// As Prometheus does: a little more collector work for a smaller
		// heap; a national village snapshot is long-lived and large.
		debug.SetGCPercent(defaultGCPercent)
	}
	ref, err := region.Load()
	if err != nil {
		return fmt.Errorf("loading region reference: %w", err)
	}
	var (
		srcs      []*exporter.Source
		cfg       = &config.Config{Criteria: "uhc_2025", Awards: criteria.DefaultAwards()}
		serveDemo = configFile == ""
	)
	switch {
	case serveDemo && demoKind == demo.National:
		logger.Warn("no --config.file given: serving the NATIONAL DEMO: all 514 regencies and cities with their real 2025 population " +
			"and SYNTHETIC participant and active figures made up by the exporter (source \"demo\", branch office \"" + demo.NationalBranchOffice + "\"); do not act on them. " +
			"To read real sheets, write a config with one source per branch office (see README: Reading real sheets) and start with --config.file=jkn.yml")
		offices, err := demo.NationalOffices(ref)
		if err != nil {
			return err
		}
		srcs = demoSources(offices)
		storagePath = "" // demo figures are rebuilt at each start
	case serveDemo:
		logger.Warn("no --config.file given: serving the embedded DEMO workbooks (seed figures from published reports; neighbouring regions are synthetic). " +
			"To read real sheets, write a config with one source per branch office (see README: Configuration) and start with --config.file=jkn.yml")
		srcs = demoSources(demo.SeedOffices())
		storagePath = "" // demo figures are rebuilt at each start
	case demoKind != demo.Seed:
		return fmt.Errorf("--demo=%s serves a demo, which --config.file replaces: give one or the other", demoKind)
	default:
		if cfg, err = config.Load(configFile); err != nil {
			return err
		}
		srcs = exporter.SourcesFromConfig(cfg)
		logger.Info("loaded config", "file", configFile, "sources", len(srcs), "criteria", cfg.Criteria)
	}
	rules, err := cfg.Rules()
	if err != nil {
		return err
	}
	memLimit := exporter.SetMemoryLimit(cfg.Limits.MaxMemoryBytes, logger)
	logger.Info("memory budget", "bytes", memLimit)
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		versioncollector.NewCollector("jkn_exporter"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	exp, err := exporter.New(exporter.Options{Logger: logger, Reference: ref, StoragePath: storagePath, Registerer: reg,
		MaxConcurrentUploads: cfg.Limits.MaxConcurrentUploads, MaxUploadBytesInFlight: cfg.Limits.MaxUploadBytesInFlight}, srcs, rules)
	if err != nil {
		return err
	}
	reloader, err := exporter.NewReloader(configFile, exp, logger, reg)
	if err != nil {
		return err
	}
	pages := &exporterweb.Pages{}
	pages.Store(cfg.Pages)
	reloader.Applied = func(c *config.Config) { pages.Store(c.Pages) }
	handler, err := exporterweb.Handler(exporterweb.Options{
		Exporter: exp, Gatherer: reg, Logger: logger, Demo: serveDemo, NationalDemo: serveDemo && demoKind == demo.National,
		Reloader: reloader, EnableLifecycle: lifecycle, WriteRateLimit: writeRate, Pages: pages,
		MaxConcurrentPages: cfg.Limits.MaxConcurrentPages, MaxFilesListed: cfg.Limits.MaxFilesListed,
	})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go reloader.Run(ctx)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				_ = reloader.Reload(ctx) // the reloader logs the outcome
			}
		}
	}()
	srv := limits.Server(handler)
	// The server's own complaints (refused accepts, TLS handshakes) in the
	// log's format, not on bare stderr.
	srv.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	errc := make(chan error, 2)
	go func() { errc <- exp.Run(ctx) }()
	go func() { errc <- server.ListenAndServe(srv, webConfig, limits, logger) }()
	select {
	case <-ctx.Done():
		logger.Info("shutting down")
		return srv.Shutdown(context.Background())
	case err := <-errc:
		return err
	}
}
