#!/bin/sh
# Writes the .ods golden files: golden.py writes .xlsx sources with
# openpyxl, repeats.fods is written by hand, and LibreOffice converts them
# all to .ods. Review the result before committing it (git diff --stat,
# and the tests): the golden files are what the tests hold the reader to.
#
#   sources/read/ods/testdata/make.sh
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 golden.py "$work"
cp repeats.fods "$work/"
soffice -env:UserInstallation="file://$work/profile" --headless --norestore \
	--convert-to ods --outdir . \
	"$work/seed.xlsx" "$work/layouts.xlsx" "$work/date1904.xlsx" "$work/repeats.fods"
ls -l ./*.ods
