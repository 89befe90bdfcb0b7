#!/bin/sh
# make_golden.sh: writes the golden .xls files of sources/read/xls/testdata.
#
# openpyxl drafts (make_golden.py) are converted by LibreOffice, the writer under test:
# "MS Excel 97" (BIFF8). LibreOffice 7.4 no longer writes "MS Excel 95" (BIFF5): it fails
# with "SfxBaseModel::impl_store ... failed: 0x81a"; it still reads it. Needs /usr/bin/python3
# with python3-openpyxl and soffice.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(dirname "$here")
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
/usr/bin/python3 "$here/make_golden.py" "$stage/draft"
profile="file://$stage/profile"
soffice -env:UserInstallation="$profile" --headless --convert-to 'xls:MS Excel 97' \
	--outdir "$stage/97" "$stage"/draft/*.xlsx >/dev/null
cp "$stage"/97/*.xls "$out/"
ls -l "$out"/*.xls
