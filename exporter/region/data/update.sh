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
# villages.csv and islands.csv are left out on purpose: nothing reads them yet.
FILES="provinces.csv regencies.csv districts.csv LICENSE.md"

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
echo "idn-area-data $VERSION: copied $FILES to $here"
