#!/bin/sh
# make_golden.sh: writes the golden .xls files of sources/read/xls/testdata.
#
# openpyxl drafts (make_golden.py) are converted by LibreOffice, the writer under test:
# "MS Excel 97" (BIFF8). LibreOffice 7.4 no longer writes "MS Excel 95" (BIFF5): it fails
# with "SfxBaseModel::impl_store ... failed: 0x81a"; it still reads it. Needs /usr/bin/python3
# with python3-openpyxl, python3-uno and soffice. The golden files under bad/ are rejected by
# the reader; the oracle test reads the others.
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
# A password-protected copy (password "rahasia"), rejected as encrypted. Its salt is random:
# every run writes different bytes.
/usr/bin/python3 "$here/lo_encrypt_xls.py" "$out/date1904.xls" "$out/bad/encrypted.xls" rahasia "$profile"
ls -l "$out"/*.xls "$out"/bad/*.xls
