#!/usr/bin/env bash
# gotool.sh package@version: prints the path of a program built from the Go
# module proxy, building it first when the cache lacks it. The cache is the
# one internal/testtool.GoTool uses (<user cache>/jkn_exporter-tools/<Go
# version>/<package_version>/<program>), so `make lint` and the tests share
# their builds; a tagged version never changes, so neither does the program.
set -euo pipefail
pkgver=${1:?usage: gotool.sh package@version}
pkg=${pkgver%@*}
[ "$pkg" != "$pkgver" ] || { echo "gotool.sh: want package@version, got $pkgver" >&2; exit 2; }
go=${GO:-go}
cache=${XDG_CACHE_HOME:-$HOME/.cache}
dir="$cache/jkn_exporter-tools/$($go env GOVERSION)/$(printf '%s' "$pkgver" | tr '/@' '__')"
bin="$dir/${pkg##*/}"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  # Built in a directory of its own and renamed into place: a test building
  # the same program at the same time never sees half a file.
  tmp=$(mktemp -d "$dir/build-XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  echo "building $pkgver into $dir" >&2
  (cd "$tmp" && GOBIN="$tmp" GOFLAGS='' CGO_ENABLED=0 "$go" install "$pkgver")
  mv "$tmp/${pkg##*/}" "$bin"
fi
echo "$bin"
