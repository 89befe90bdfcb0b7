#!/bin/sh
# Builds the jkn-exporter Debian package: `make package` runs this after `make build`.
#   deploy/deb/build.sh BINARY OUTDIR
# from the repository root, with in the environment
#   DEB_VERSION      the package's upstream version (digits first)
#   JKN_REGION_DATA  the region data folder, whose licence and attribution notices go in
#   NFPM             the nfpm command (default: nfpm v2.45.2 through `go run`)
#   SOURCE_DATE_EPOCH  the files' time (default: the last commit's), for a reproducible build
# It writes the man page (from the binary's --help-man) and the Debian changelog that
# nfpm.yaml picks up from OUTDIR/build/, then OUTDIR/jkn-exporter_<version>-1_amd64.deb.
set -eu

binary=$1
out=$2
case $binary in */*) ;; *) binary=./$binary ;; esac
: "${DEB_VERSION:?}" "${JKN_REGION_DATA:?}"
nfpm=${NFPM:-go run github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2}
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
	SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
fi
export SOURCE_DATE_EPOCH

maintainer="jkn_exporter maintainers <maintainers@users.noreply.h-seed-27a65139.example>"
build=$out/build
mkdir -p "$build"

# kingpin's --help-man puts the whole version banner into .TH and no description into
# NAME: both are written here, the flags and commands come from the binary.
{
	printf '.TH JKN_EXPORTER 1 "" "jkn_exporter %s" "User Commands"\n' "$DEB_VERSION"
	printf '.SH "NAME"\njkn_exporter \\- Prometheus exporter for JKN coverage per region\n'
	"$binary" --help-man | sed '1,/^\.SH "NAME"/d' | sed '1d'
} | gzip -9n >"$build/jkn_exporter.1.gz"

{
	printf 'jkn-exporter (%s-1) unstable; urgency=medium\n\n' "$DEB_VERSION"
	printf '  * Built from the jkn_exporter sources, version %s.\n\n' "$DEB_VERSION"
	printf ' -- %s  %s\n' "$maintainer" "$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$build/changelog.Debian.gz"

JKN_BINARY=$binary JKN_BUILD=$build DEB_MAINTAINER=$maintainer JKN_REGION_DATA=$JKN_REGION_DATA \
	$nfpm package --packager deb --config deploy/deb/nfpm.yaml --target "$out/"
