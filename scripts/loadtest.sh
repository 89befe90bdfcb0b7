#!/usr/bin/env bash
# Prints the load figures of RELIABILITY.md: 32 clients scrape /metrics for
# 10 s on loopback while workbooks are ingested and the config reloaded.
# Arguments go to scripts/loadtest (e.g. -clients 64 -duration 30s).
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./scripts/loadtest "$@"
