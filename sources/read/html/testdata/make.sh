#!/bin/sh
# Writes the HTML golden files that LibreOffice writes: it saves three
# workbooks of the repository as web pages (soffice --convert-to html):
#   pangkalpinang.html  the seed_pangkalpinang case of exporter/testdata (one
#                       sheet, a two-row merged header, numbers with sdval);
#   repeats.html        sources/read/ods/testdata/repeats.ods (booleans, an
#                       error, dates, a note, a line break, 1,010 rows);
#   layouts.html        sources/read/ods/testdata/layouts.ods (two visible
#                       sheets under LibreOffice's "Sheet N:" headings, a
#                       three-row merged header; its hidden sheet is left out).
# webapp.xls is written by hand (in Windows-1252, as Excel saves a web page on
# Windows), as web applications export a table with an
# .xls name (th, thead, &nbsp;, Indonesian number text, no sdval). Review
# the result before committing it (git diff, and the tests): the golden
# files are what the tests hold the reader to.
#
#   sources/read/html/testdata/make.sh
set -eu
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp ../../../../exporter/testdata/seed_pangkalpinang/bangka_tengah_2022-12-31.xlsx "$work/pangkalpinang.xlsx"
cp ../../ods/testdata/repeats.ods ../../ods/testdata/layouts.ods "$work/"
soffice -env:UserInstallation="file://$work/profile" --headless --norestore \
	--convert-to html --outdir . \
	"$work/pangkalpinang.xlsx" "$work/repeats.ods" "$work/layouts.ods"
ls -l ./*.html
