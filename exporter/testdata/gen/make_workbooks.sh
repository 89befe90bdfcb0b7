#!/bin/sh
# Regenerates every workbook under exporter/testdata/ (see README.md there).
# Needs Debian's python3-openpyxl, libreoffice-calc and python3-uno:
#   apt-get install -y --no-install-recommends python3-openpyxl libreoffice-calc python3-uno
# Only for generating: the outputs are committed, CI does not run this.
set -eu
GEN=$(cd "$(dirname "$0")" && pwd)
TD=$(dirname "$GEN")
PY=/usr/bin/python3   # Debian's python, which sees python3-openpyxl and python3-uno
STAGE=$(mktemp -d)
trap 'rm -rf "$STAGE"' EXIT
PROFILE="file://$STAGE/lo-profile"   # a throw-away LibreOffice profile
soffice_() { soffice -env:UserInstallation="$PROFILE" --headless --norestore "$@"; }

# 1. openpyxl: every openpyxl case into testdata/<case>/, and the drafts LibreOffice converts.
"$PY" "$GEN/make_workbooks.py" openpyxl --stage "$STAGE"

# 2. LibreOffice: load each draft (recalculating its formulas) and save it as LibreOffice does.
soffice_ --convert-to xlsx --outdir "$TD/seed_pangkalpinang" "$STAGE/seed_pangkalpinang/bangka_tengah_2022-12-31.xlsx"
soffice_ --convert-to xlsx --outdir "$TD/formula_cached" "$STAGE/formula_cached/rekap_mei_2025.xlsx"
soffice_ --convert-to xls --outdir "$TD/seed_pangkalpinang_xls" "$STAGE/seed_pangkalpinang/bangka_tengah_2022-12-31.xlsx"
soffice_ --convert-to xls --outdir "$STAGE/xls" "$STAGE/xls_named_xlsx/data.xlsx"
mv "$STAGE/xls/data.xls" "$TD/xls_named_xlsx/data.xlsx"
# CSV as offices save it: LibreOffice in a locale (LANG), the cells as shown (token 9), field
# separator, quote and charset (76 UTF-8, 1 Windows-1252) as tokens 1-3.
csv_() { LANG=$1 LC_ALL=$1 soffice_ --convert-to "csv:Text - txt - csv (StarCalc):$2,34,$3,1,,1057,false,true,true" --outdir "$4" "$5"; }
csv_ id_ID.UTF-8 59 76 "$TD/seed_bengkulu_csv" "$TD/seed_bengkulu/cakupan_jkn_juli_2024.xlsx"
csv_ en_US.UTF-8 44 1 "$TD/seed_palembang_cp1252" "$STAGE/seed_palembang_cp1252/rekap_kepesertaan_sept_2023.xlsx"
soffice_ --convert-to ods --outdir "$TD/ods_pangkalpinang" "$STAGE/seed_pangkalpinang/bangka_tengah_2022-12-31.xlsx"
soffice_ --convert-to html --outdir "$STAGE/html" "$TD/seed_palembang/rekap_kepesertaan_sept_2023.xlsx"
mv "$STAGE/html/rekap_kepesertaan_sept_2023.html" "$TD/html_xls_palembang/rekap_kepesertaan_sept_2023.xls"
"$PY" "$GEN/lo_encrypt.py" "$STAGE/bad_encrypted/data.xlsx" "$TD/bad_encrypted/data.xlsx" rahasia "$PROFILE"

# 3. Pin LibreOffice's zip timestamps, check every case, write README.md.
"$PY" "$GEN/make_workbooks.py" finish
