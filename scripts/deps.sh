#!/usr/bin/env bash
# Installs what the test suite runs for real, on a fresh Debian machine:
# promtool (prometheus), amtool and alertmanager (prometheus-alertmanager),
# soffice (libreoffice-calc), chromium (the status-page test, headless),
# victoria-metrics (the remote_write test of docs/scaling.md).
# Go modules come through `go` itself.
set -euo pipefail
need=()
command -v promtool >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v amtool >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v prometheus-alertmanager >/dev/null 2>&1 || need+=(prometheus-alertmanager)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# soffice: the template test re-saves a workbook with LibreOffice Calc, headless.
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc)
# victoria-metrics: grafana's TestNationalRemoteWrite remote-writes to it.
command -v victoria-metrics >/dev/null 2>&1 || command -v victoriametrics >/dev/null 2>&1 || need+=(victoria-metrics)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $(printf '%s\n' "${need[@]}" | sort -u)
fi
