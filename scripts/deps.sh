#!/usr/bin/env bash
# Installs what the test suite runs for real, on a fresh Debian machine:
# promtool and prometheus (prometheus), soffice (libreoffice-calc), chromium
# (the status-page test, headless), victoria-metrics (the remote_write test of
# docs/scaling.md), and for the tests of the Debian package (deploy/deb):
# lintian, the shellcheck program, systemd-analyze (systemd), dpkg-deb (dpkg)
# and unshare (util-linux).
# Go modules and the Go programs the tests build from the module proxy
# (Alertmanager and amtool 0.28, Helm, nfpm: internal/testtool.GoTool) come
# through `go` itself; Debian bookworm's Alertmanager (0.25) is too old for the
# example configuration's Telegram settings.
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# soffice: the template test re-saves a workbook with LibreOffice Calc, headless.
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
# victoria-metrics: grafana's TestNationalRemoteWrite remote-writes to it.
command -v victoria-metrics >/dev/null 2>&1 || command -v victoriametrics >/dev/null 2>&1 || need+=(victoria-metrics)
# The .deb's tests (deploy/deb): Debian's checks of the package, the unit and
# the maintainer scripts.
command -v lintian >/dev/null 2>&1 || need+=(lintian)
command -v shellcheck >/dev/null 2>&1 || need+=(shellcheck)
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
command -v dpkg-deb >/dev/null 2>&1 || need+=(dpkg)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  mapfile -t packages < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "installing: ${packages[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${packages[@]}"
fi
