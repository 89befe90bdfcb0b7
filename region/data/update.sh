#!/bin/sh
# update.sh regenerates this folder's copies of the idn-area-data reference
# files from the npm registry. The copies are byte-for-byte unmodified, so
# running it again must leave `git diff` empty.
#
# To move to a new version: change VERSION and SHA256 (the tarball's sha256
# as printed by `sha256sum` after `npm pack idn-area-data@VERSION`), run this
# script, update README.md, and review the Go tests in the parent package
# (they pin the region counts).
set -eu

VERSION=4.0.1
SHA256=8d47ffb2be39c08aacb0a2dd43193a1edb5754edb1022d57158341c702acc32d
# islands.csv is left out on purpose: nothing reads it. villages.csv (2.8 MB)
# is kept gzip-compressed (villages.csv.gz, about 0.7 MB in the binary): the
# compressed bytes are `gzip -9n` of the unmodified file, so
# `gunzip -c villages.csv.gz` gives the package's file byte for byte.
FILES="provinces.csv regencies.csv districts.csv LICENSE.md"
GZIPPED="villages.csv"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

(cd "$tmp" && npm pack --silent "idn-area-data@$VERSION" >/dev/null)
tarball="$tmp/idn-area-data-$VERSION.tgz"

# Pinned so a changed tarball (mirror, cache, registry) cannot slip in.
echo "$SHA256  $tarball" | sha256sum -c --quiet -

mkdir "$tmp/x"
tar -xzf "$tarball" -C "$tmp/x"
for f in $FILES; do
	cp "$tmp/x/package/data/$f" "$here/$f"
	chmod 0644 "$here/$f"
done
for f in $GZIPPED; do
	# -n: no name or timestamp in the header, so the output is reproducible.
	gzip -9n -c "$tmp/x/package/data/$f" >"$here/$f.gz"
	chmod 0644 "$here/$f.gz"
done
echo "idn-area-data $VERSION: copied $FILES and gzip-compressed $GZIPPED to $here"
