#!/usr/bin/env bash
# make bench: the side-by-side of issue 7, in one run, on this machine.
#
#  1. builds jkn_exporter and jknbench, generates the benchmark workbooks
#     (scripts/genbench: every regency, district and village, real codes and
#     names, made-up figures) into $BENCH_OUT (default benchdata/, gitignored);
#     LibreOffice saves the district workbook as .ods and as a web page
#     (.html), for the readers of those formats;
#  2. checks the fast sheet reader against excelize, cell for cell, on every
#     generated workbook (sources/read/xlsx TestFastPathBenchdata);
#  3. ingest, paired: jkn_exporter's ingest (read, parse, resolve, validate,
#     publish the snapshot) and the pandas + prometheus_client script
#     (scripts/bench/pandas_exporter.py) alternately, one process per run,
#     wall time and peak RSS of each; the render and compression that follow
#     an ingest in the exporter;
#  4. scrapes over loopback HTTP of the real jkn_exporter binary, in turn
#     with a server writing the same exposition from memory (jknbench bytes:
#     the floor of any server on this machine), of a plain client_golang
#     registry holding the same series (jknbench plain) and of the pandas
#     script's prometheus_client server, with their memory; and promtool
#     check metrics on the national exposition; the exporter restarted on
#     the state it saved (time to the first scrape, peak RSS of the restore);
#     the district sheet saved by LibreOffice as .xls, .ods and a web page,
#     and the district and village sheets saved as CSV, are ingested too,
#     in turn with their .xlsx; the .xls is also converted back to .xlsx by
#     LibreOffice and that ingested (what reading .xlsx alone would cost);
#     the Go benchmarks of the .xls, CSV, .ods and HTML readers run
#     (readers.md);
#     the CPU per tick of the running exporter on `@every 3s` with an
#     unchanged national sheet (a stat, not a parse: issue 18);
#  5. writes the medians and ratios into BENCHMARKS.md (between the
#     bench:begin and bench:end markers) and $BENCH_OUT/results.md.
#
# Knobs: BENCH_RUNS (Go ingest runs, 5), BENCH_PANDAS_RUNS (3), BENCH_SCRAPES
# (10), BENCH_QUICK=1 (skip the village-level pandas and client_golang servers,
# the slowest part), BENCH_PORT (19947: the first of the loopback ports the
# servers take; another for a second run on the machine), BENCH_REPORT_ONLY=1
# (only step 5, from the last run's results). Loopback only; everything it
# starts, it stops.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
OUT=${BENCH_OUT:-benchdata}
RUNS=${BENCH_RUNS:-5}
PANDAS_RUNS=${BENCH_PANDAS_RUNS:-3}
SCRAPES=${BENCH_SCRAPES:-10}
QUICK=${BENCH_QUICK:-0}
# The servers listen on 127.0.0.1 at PORT, PORT+1, PORT+2 and PORT+10.
PORT=${BENCH_PORT:-19947}
PY=/usr/bin/python3
mkdir -p "$OUT/bin"
OUT=$(cd "$OUT" && pwd)
RESULTS=$OUT/results.jsonl
# SERVER is the server being measured (one at a time) and FLOOR the
# prebuilt-bytes server beside it; both stopped on exit.
SERVER=""
FLOOR=""
stop_server() {
  for pid in $SERVER $FLOOR; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  SERVER=""
  FLOOR=""
}
trap stop_server EXIT INT TERM
say() { printf '\n== %s\n' "$*" >&2; }

# report: step 5, the medians and ratios into results.md and BENCHMARKS.md.
report() {
  say "report"
  {
    echo "Measured by \`make bench\` on $(date -u -r "$RESULTS" +%Y-%m-%d), at $(cat "$OUT/commit.txt" 2>/dev/null || echo '?'):"
    echo
    cat "$OUT/machine.md"
    echo
    "$B" report "$RESULTS"
    [ -f "$OUT/readers.md" ] && cat "$OUT/readers.md"
    cat "$OUT/promtool-summary.txt"
  } >"$OUT/results.md"
  cat "$OUT/results.md"
  if grep -q '<!-- bench:begin -->' BENCHMARKS.md 2>/dev/null; then
    awk -v f="$OUT/results.md" '
      /<!-- bench:begin -->/ { print; while ((getline l < f) > 0) print l; skip = 1; next }
      /<!-- bench:end -->/ { skip = 0 }
      !skip' BENCHMARKS.md >"$OUT/BENCHMARKS.md.new"
    mv "$OUT/BENCHMARKS.md.new" BENCHMARKS.md
    echo "BENCHMARKS.md updated (between the bench markers)" >&2
  fi
}
# readers_md: the medians of the reader benchmarks in readers.txt.
readers_md() {
  echo "### Readers of the other formats (Go benchmarks, medians of 5: Open and every row)"
  echo
  echo "| benchmark | ns/op | MB/s | B/op | allocs/op |"
  echo "|---|---|---|---|---|"
  awk '/^Benchmark/ { n[$1]++; t[$1, n[$1]] = $3; mb[$1, n[$1]] = $5; by[$1, n[$1]] = $7; al[$1, n[$1]] = $9; if (!($1 in seen)) { seen[$1] = 1; order[++k] = $1 } }
    function med(a, name, c,   i, j, v, x) { for (i = 1; i <= c; i++) v[i] = a[name, i] + 0; for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (v[j] < v[i]) { x = v[i]; v[i] = v[j]; v[j] = x }; return v[int((c + 1) / 2)] }
    END { for (i = 1; i <= k; i++) { b = order[i]; printf "| %s | %.0f | %.1f | %.0f | %.0f |\n", b, med(t, b, n[b]), med(mb, b, n[b]), med(by, b, n[b]), med(al, b, n[b]) } }' "$OUT/readers.txt"
  echo
}
B=$OUT/bin/jknbench
if [ "${BENCH_REPORT_ONLY:-0}" = 1 ]; then
  go build -o "$B" ./scripts/jknbench
  report
  exit 0
fi
: >"$RESULTS"

say "dependencies"
need=()
"$PY" -c 'import pandas' 2>/dev/null || need+=(python3-pandas)
"$PY" -c 'import openpyxl' 2>/dev/null || need+=(python3-openpyxl)
"$PY" -c 'import prometheus_client' 2>/dev/null || need+=(python3-prometheus-client)
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${need[@]}"
fi

say "build"
go build -o "$OUT/bin/jkn_exporter" ./cmd/jkn_exporter
go build -o "$B" ./scripts/jknbench

say "workbooks"
go run ./scripts/genbench -out "$OUT" >&2

# The same rows in the other formats read, written by LibreOffice from the
# generated .xlsx (issue 18: .xls within 2x of the .xlsx, CSV at village
# level at least as fast as the .xlsx).
OTHER=()
if command -v soffice >/dev/null 2>&1; then
  say "other formats: LibreOffice saves the district sheet as .xls"
  soffice -env:UserInstallation="file://$OUT/lo-profile" --headless --norestore \
    --convert-to xls --outdir "$OUT" "$OUT/district_sst.xlsx" >&2
  OTHER+=(district_sst.xls)
  # CSV as an Indonesian office saves it: ';', the cells as shown (1.234.567, 97,63%).
  say "other formats: LibreOffice saves the district and village sheets as CSV (Indonesian locale)"
  LANG=id_ID.UTF-8 LC_ALL=id_ID.UTF-8 soffice -env:UserInstallation="file://$OUT/lo-profile" --headless --norestore \
    --convert-to 'csv:Text - txt - csv (StarCalc):59,34,76,1,,1057,false,true,true' --outdir "$OUT" \
    "$OUT/district_sst.xlsx" "$OUT/village_sst.xlsx" >&2
  OTHER+=(district_sst.csv village_sst.csv)
else
  echo "soffice not installed: the .xls and CSV ingests are not measured" >&2
fi
if command -v soffice >/dev/null 2>&1; then
  say "the district sheet as LibreOffice saves it as .ods and as a web page"
  soffice -env:UserInstallation="file://$OUT/lo-profile" --headless --norestore \
    --convert-to ods --outdir "$OUT" "$OUT/district_sst.xlsx" >&2
  soffice -env:UserInstallation="file://$OUT/lo-profile" --headless --norestore \
    --convert-to html --outdir "$OUT" "$OUT/district_sst.xlsx" >&2
  OTHER+=(district_sst.ods district_sst.html)
fi

say "fast reader vs excelize, every cell of every generated workbook"
JKN_BENCHDATA=$OUT go test -count=1 -run 'TestFastPathBenchdata' -timeout 30m ./sources/read/xlsx >&2

say "machine"
# The commit measured, kept for a later BENCH_REPORT_ONLY=1.
echo "$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo ' with local changes')" >"$OUT/commit.txt"
{
  echo "- CPU: $(nproc) cores, $(lscpu | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
  echo "- memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "- kernel: $(uname -r); $(go version | cut -d' ' -f3-4); Python $("$PY" -c 'import sys; print(sys.version.split()[0])'), pandas $("$PY" -c 'import pandas; print(pandas.__version__)'), openpyxl $("$PY" -c 'import openpyxl; print(openpyxl.__version__)'), prometheus_client $(dpkg-query -W -f '${Version}' python3-prometheus-client 2>/dev/null || echo '?')"
  echo "- load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/machine.md"
cat "$OUT/machine.md" >&2

say "ingest, paired: jkn_exporter and the pandas script alternately"
for wb in regency_sst district_sst village_sst village_sst_seg; do
  for i in $(seq 1 "$RUNS"); do
    "$B" ingest "$OUT/$wb.xlsx" | tee -a "$RESULTS" >&2
    if [ "$i" -le "$PANDAS_RUNS" ] && [ "$wb" != village_sst_seg ]; then
      "$PY" scripts/bench/pandas_exporter.py ingest "$OUT/$wb.xlsx" | tee -a "$RESULTS" >&2
    fi
  done
done
# The other formats in turn with the .xlsx of the same rows (their peers
# in the targets), one run of each per round, so that the machine's load
# weighs on both alike; and the .xls as a reader of .xlsx alone would take
# it: LibreOffice converts it (the warm profile above), then the .xlsx is
# ingested (issue 13: the .xls reader at least 3x faster than that).
if [ ${#OTHER[@]} -gt 0 ]; then
  say "other formats, in turn with their .xlsx; the .xls also through LibreOffice's conversion"
  for i in $(seq 1 "$RUNS"); do
    for f in district_sst.xlsx "${OTHER[@]}" village_sst.xlsx; do
      "$B" ingest -label readers "$OUT/$f" | tee -a "$RESULTS" >&2
    done
    "$B" ingest -label readers -soffice "$OUT/lo-profile" "$OUT/district_sst.xls" | tee -a "$RESULTS" >&2
  done
fi
say "readers: Go benchmarks of the .xls, CSV, .ods and HTML readers (medians of 5)"
go test -run '^$' -bench 'BenchmarkXLS|BenchmarkCSV|BenchmarkODS|BenchmarkHTML' -count 5 \
  ./sources/read/xls ./sources/read/csv ./sources/read/ods ./sources/read/html 2>/dev/null |
  tee "$OUT/readers.txt" >&2 || true
readers_md >"$OUT/readers.md"
# jkn_exporter check on the national sheet, in turn with an ingest of it
# (issue 18: check within 2x of the ingest); its report, some 170,000
# lines, written out as it goes, here to /dev/null. The command's whole
# time: its start and the reference data's load included.
say "check: jkn_exporter check on the national sheet, in turn with its ingest"
for i in $(seq 1 3); do
  "$B" ingest -label check "$OUT/village_sst.xlsx" | tee -a "$RESULTS" >&2
  t0=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$OUT/check.rss" "$OUT/bin/jkn_exporter" check --lang=en "$OUT/village_sst.xlsx" >/dev/null || true
  t1=$(date +%s%N)
  echo "{\"what\":\"check\",\"tool\":\"jkn_exporter\",\"file\":\"village_sst.xlsx\",\"ms\":$(((t1 - t0) / 1000000)),\"maxrss_kb\":$(tail -1 "$OUT/check.rss")}" | tee -a "$RESULTS" >&2
done
for wb in village_inline_seg village_sst_names; do
  for i in $(seq 1 3); do "$B" ingest "$OUT/$wb.xlsx" | tee -a "$RESULTS" >&2; done
done
for wb in village_sst village_sst_seg; do
  for i in $(seq 1 3); do "$B" ingest -render "$OUT/$wb.xlsx" | tee -a "$RESULTS" >&2; done
done

# wait_http URL: until it answers 200 (60 s at most).
wait_http() {
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.25
  done
  echo "no answer from $1" >&2
  return 1
}

# start_exporter WORKBOOK PORT [ENV...]: the real binary reading WORKBOOK
# from a directory source, with a state directory, as deployed, and an
# upload token so that an ingest can be triggered; sets SERVER. The
# source's schedule is $SCHEDULE (default @every 24h).
start_exporter() {
  local wb=$1 port=$2 dir=$OUT/serve/$1 schedule=${SCHEDULE:-@every 24h}
  shift 2
  rm -rf "$dir" && mkdir -p "$dir/inbox"
  cp "$OUT/$wb.xlsx" "$dir/inbox/"
  touch -d '2025-05-02 00:00' "$dir/inbox/$wb.xlsx" # settled: read at once
  printf 'bench-token-0123456789' >"$dir/token"
  cat >"$dir/jkn.yml" <<EOF
sources:
  - name: nasional
    path: $dir/inbox
    schedule: "$schedule"
    branch_office: Nasional
    upload:
      token_file: $dir/token
EOF
  env "$@" "$OUT/bin/jkn_exporter" --config.file="$dir/jkn.yml" --web.listen-address="127.0.0.1:$port" \
    --storage.path="$dir/state" >"$dir/log" 2>&1 &
  SERVER=$!
  wait_http "http://127.0.0.1:$port/-/ready"
}

# reingest_peak WORKBOOK PORT TOOL: the peak RSS of the running exporter
# while it ingests the workbook again with the previous snapshot still
# served (VmHWM reset first), three times.
reingest_peak() {
  local wb=$1 port=$2 tool=$3
  for _ in 1 2 3; do
    echo 5 >"/proc/$SERVER/clear_refs" # resets VmHWM
    curl -fs -o /dev/null -X POST -H 'Authorization: Bearer bench-token-0123456789' \
      "http://127.0.0.1:$port/api/v1/sources/nasional/ingest"
    sleep 1 # the gzip form and the state file follow the ingest
    "$B" rss "$SERVER" "$tool" "$wb" | tee -a "$RESULTS" >&2
  done
}

# serve_exporter WORKBOOK PORT: scrapes, memory after them, and the peak of
# a re-ingest.
serve_exporter() {
  local wb=$1 port=$2 dir=$OUT/serve/$1
  start_exporter "$wb" "$port"
  local pid=$SERVER
  # The gzip form is compressed in the background after the ingest.
  for _ in $(seq 1 240); do
    curl -fs -o /dev/null -D - -H 'Accept-Encoding: gzip' "http://127.0.0.1:$port/metrics" | grep -qi '^content-encoding: gzip' && break
    sleep 0.25
  done
  grep -o 'msg=ingested.*' "$dir/log" >&2 || true
  local url=http://127.0.0.1:$port/metrics
  # The floor: the same exposition served from memory in one write,
  # scraped in turn with the exporter.
  curl -fs -o "$dir/exposition.prom" "$url"
  "$B" bytes -listen "127.0.0.1:$((port + 10))" "$dir/exposition.prom" >"$dir/bytes.log" 2>&1 &
  FLOOR=$!
  for _ in $(seq 1 120); do grep -q '^ready' "$dir/bytes.log" && break; sleep 0.25; done
  grep -q '^ready' "$dir/bytes.log" || { cat "$dir/bytes.log" >&2; exit 1; }
  "$B" scrape -n "$SCRAPES" -label "$wb" "jkn_exporter=$url" "prebuilt_bytes=http://127.0.0.1:$((port + 10))/metrics" | tee -a "$RESULTS" >&2
  kill "$FLOOR" && wait "$FLOOR" 2>/dev/null || true
  FLOOR=""
  "$B" scrape -n "$SCRAPES" -gzip -label "$wb" "$url" | tee -a "$RESULTS" >&2
  "$B" scrape -n 3 -openmetrics -label "$wb" "$url" | tee -a "$RESULTS" >&2
  "$B" scrape -n "$SCRAPES" -openmetrics -gzip -label "$wb" "$url" | tee -a "$RESULTS" >&2
  "$B" rss "$pid" jkn_exporter "$wb" | tee -a "$RESULTS" >&2
  reingest_peak "$wb" "$port" "jkn_exporter (re-ingest)"
  if [ "$wb" = village_sst_seg ]; then
    local t0 t1 n
    t0=$(date +%s%N)
    n=$(promtool check metrics <"$dir/exposition.prom" 2>&1 | tee "$OUT/promtool.txt" | wc -l)
    t1=$(date +%s%N)
    echo "\`promtool check metrics\` on the whole $wb exposition (text format): $n lines of output (clean), in $(((t1 - t0) / 1000000)) ms." | tee "$OUT/promtool-summary.txt" >&2
    [ "$n" -eq 0 ] || { cat "$OUT/promtool.txt" >&2; exit 1; }
  fi
  stop_server
}

# restart_exporter WORKBOOK PORT: the exporter started again on the state
# serve_exporter left (the snapshot and exposition its last ingest saved),
# three times: the time from the start of the process to the first scrape
# with region series, and the peak RSS (VmHWM) when the restore is done
# (/-/ready). Each waits for the exposition its own first ingest saves
# before it stops, so the next finds it whole.
restart_exporter() {
  local wb=$1 port=$2 dir=$OUT/serve/$1
  for _ in 1 2 3; do
    "$B" restart -url "http://127.0.0.1:$port" -label "$wb" -wait "$dir/state/.exposition.bin" -- \
      "$OUT/bin/jkn_exporter" --config.file="$dir/jkn.yml" --web.listen-address="127.0.0.1:$port" \
      --storage.path="$dir/state" 2>>"$dir/restart.log" | tee -a "$RESULTS" >&2
  done
}

# serve_other TOOL WORKBOOK PORT SCRAPES: a comparison server.
serve_other() {
  local tool=$1 wb=$2 port=$3 n=$4 log=$OUT/serve/$1-$2.log
  mkdir -p "$OUT/serve"
  if [ "$tool" = pandas ]; then
    "$PY" scripts/bench/pandas_exporter.py serve "$OUT/$wb.xlsx" "$port" >"$log" 2>&1 &
  else
    "$B" plain -listen "127.0.0.1:$port" "$OUT/$wb.xlsx" >"$log" 2>&1 &
  fi
  SERVER=$!
  local pid=$!
  for _ in $(seq 1 600); do grep -q '^ready' "$log" && break; sleep 0.5; done
  grep -q '^ready' "$log" || { cat "$log" >&2; exit 1; }
  local url=http://127.0.0.1:$port/metrics
  "$B" scrape -n "$n" -tool "$tool" -label "$wb" "$url" | tee -a "$RESULTS" >&2
  "$B" scrape -n "$n" -gzip -tool "$tool" -label "$wb" "$url" | tee -a "$RESULTS" >&2
  "$B" rss "$pid" "$tool" "$wb" | tee -a "$RESULTS" >&2
  stop_server
}

say "scrapes: jkn_exporter"
serve_exporter regency_sst "$PORT"
serve_exporter village_sst "$PORT"
say "restart: jkn_exporter on the state it saved"
restart_exporter village_sst "$PORT"
serve_exporter village_sst_seg "$PORT"
restart_exporter village_sst_seg "$PORT"

say "re-ingest with a soft memory limit: GOMEMLIMIT=250MiB"
for wb in village_sst village_sst_seg; do
  start_exporter "$wb" "$PORT" GOMEMLIMIT=250MiB
  reingest_peak "$wb" "$PORT" "jkn_exporter GOMEMLIMIT=250MiB (re-ingest)"
  stop_server
done

say "an unchanged national sheet on @every 3s: CPU per tick of the running exporter (30 s)"
for wb in village_sst village_sst_seg; do
  SCHEDULE="@every 3s" start_exporter "$wb" "$PORT"
  sleep 4 # the start-up ingest read the file; its compression and collection are over
  "$B" cpu -for 30s -every 3s "$SERVER" jkn_exporter "$wb" | tee -a "$RESULTS" >&2
  stop_server
done

say "scrapes: a plain client_golang registry and the pandas script's server"
serve_other client_golang regency_sst $((PORT + 1)) "$SCRAPES"
serve_other pandas regency_sst $((PORT + 2)) 3
if [ "$QUICK" != 1 ]; then
  serve_other client_golang village_sst $((PORT + 1)) 1
  serve_other pandas village_sst $((PORT + 2)) 1
fi

report
