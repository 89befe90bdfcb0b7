#!/usr/bin/python3
"""Writes the committed test workbooks under exporter/testdata/.

Run through make_workbooks.sh, which calls this script twice around the LibreOffice steps:

    make_workbooks.py openpyxl --stage DIR   # every openpyxl case, straight into testdata/<case>/,
                                             # plus the openpyxl inputs the LibreOffice steps convert
    (soffice --convert-to ..., lo_encrypt.py)
    make_workbooks.py finish                 # pins LibreOffice zip timestamps, verifies every
                                             # case, writes testdata/README.md

Needs Debian's python3-openpyxl, so run it with /usr/bin/python3 (the python3 first on PATH may
not see it). Every figure lives in this file: the README's expected values are computed from the
same numbers, so the workbooks and the README cannot disagree.

Determinism: workbook properties (created, modified, creator) are fixed per case, and every zip
entry gets a fixed timestamp (openpyxl outputs are re-zipped; LibreOffice outputs are patched in
place so their compressed bytes stay LibreOffice's own). Re-running gives byte-identical files,
except bad_encrypted/data.xlsx, whose salt and key are random on every save.
"""

import argparse
import datetime as dt
import os
import random
import struct
import sys
import zipfile
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.dirname(HERE)

OPENPYXL = "openpyxl %s" % openpyxl.__version__
LIBREOFFICE = "LibreOffice (soffice --convert-to xlsx of an openpyxl draft)"
LIBREOFFICE_XLS = "LibreOffice (soffice --convert-to xls of an openpyxl draft)"
LIBREOFFICE_CSV = "LibreOffice (soffice --convert-to csv)"
LIBREOFFICE_ODS = "LibreOffice (soffice --convert-to ods of an openpyxl draft)"
LIBREOFFICE_HTML = "LibreOffice (soffice --convert-to html of an openpyxl workbook), renamed .xls"

# ---------------------------------------------------------------------------------------------
# Reference regions: Kemendagri code -> (canonical name, province), for the README. Made-up rows
# take their population from /work/shared/data/population_2025.csv (Dukcapil 2025, via
# github.com/cahyadsn/wilayah, MIT); seed rows (docs/domain.md, "Seed figures used by the demo") keep their own.
REGIONS = {
    "16": ("Sumatera Selatan", "Sumatera Selatan"),
    "16.01": ("Kabupaten Ogan Komering Ulu", "Sumatera Selatan"),
    "16.02": ("Kabupaten Ogan Komering Ilir", "Sumatera Selatan"),
    "16.04": ("Kabupaten Lahat", "Sumatera Selatan"),
    "16.06": ("Kabupaten Musi Banyuasin", "Sumatera Selatan"),
    "16.07": ("Kabupaten Banyuasin", "Sumatera Selatan"),
    "16.10": ("Kabupaten Ogan Ilir", "Sumatera Selatan"),
    "16.71": ("Kota Palembang", "Sumatera Selatan"),
    "16.74": ("Kota Prabumulih", "Sumatera Selatan"),
    "17.01": ("Kabupaten Bengkulu Selatan", "Bengkulu"),
    "17.03": ("Kabupaten Bengkulu Utara", "Bengkulu"),
    "17.06": ("Kabupaten Mukomuko", "Bengkulu"),
    "17.09": ("Kabupaten Bengkulu Tengah", "Bengkulu"),
    "17.71": ("Kota Bengkulu", "Bengkulu"),
    "19.01": ("Kabupaten Bangka", "Kepulauan Bangka Belitung"),
    "19.04": ("Kabupaten Bangka Tengah", "Kepulauan Bangka Belitung"),
    "19.71": ("Kota Pangkal Pinang", "Kepulauan Bangka Belitung"),
    "63.01": ("Kabupaten Tanah Laut", "Kalimantan Selatan"),
    "63.03": ("Kabupaten Banjar", "Kalimantan Selatan"),
    "63.05": ("Kabupaten Tapin", "Kalimantan Selatan"),
    "63.71": ("Kota Banjarmasin", "Kalimantan Selatan"),
    "63.72": ("Kota Banjarbaru", "Kalimantan Selatan"),
    # Old codes and names (region/data/changes/): today's codes of the rows.
    "12.12": ("Kabupaten Toba", "Sumatera Utara"),
    "12.16": ("Kabupaten Humbang Hasundutan", "Sumatera Utara"),
    "12.17": ("Kabupaten Samosir", "Sumatera Utara"),
    "93": ("Papua Selatan", "Papua Selatan"),
    "93.01": ("Kabupaten Merauke", "Papua Selatan"),
    "93.02": ("Kabupaten Boven Digoel", "Papua Selatan"),
    "93.03": ("Kabupaten Mappi", "Papua Selatan"),
    "93.04": ("Kabupaten Asmat", "Papua Selatan"),
    "95.01.01": ("Wamena", "Papua Pegunungan"),
    "95.01.02": ("Kurulu", "Papua Pegunungan"),
    "95.01.03": ("Asologaima", "Papua Pegunungan"),
    "95.01.13": ("Napua", "Papua Pegunungan"),
    # Harder layouts (issue 13).
    "16.03": ("Kabupaten Muara Enim", "Sumatera Selatan"),
    "17.02": ("Kabupaten Rejang Lebong", "Bengkulu"),
    "17.04": ("Kabupaten Kaur", "Bengkulu"),
    "17.05": ("Kabupaten Seluma", "Bengkulu"),
    "63.04": ("Kabupaten Barito Kuala", "Kalimantan Selatan"),
    "35.15.07": ("Candi", "Jawa Timur"),
    "35.15.08": ("Sidoarjo", "Jawa Timur"),
    "35.15.13": ("Taman", "Jawa Timur"),
    "35.15.15": ("Buduran", "Jawa Timur"),
    "35.15.18": ("Waru", "Jawa Timur"),
    "35.15.07.2001": ("Karangtanjung", "Jawa Timur"),
    "35.15.07.2002": ("Sumorame", "Jawa Timur"),
    "35.15.08.1004": ("Sidokare", "Jawa Timur"),
    "35.15.08.1005": ("Celep", "Jawa Timur"),
    # The rules cases (criteria by date, award tiers, completeness, checks between sheets).
    "17.07": ("Kabupaten Lebong", "Bengkulu"),
    "17.08": ("Kabupaten Kepahiang", "Bengkulu"),
    "17.71.01": ("Selebar", "Bengkulu"),
    "19.02": ("Kabupaten Belitung", "Kepulauan Bangka Belitung"),
    "19.03": ("Kabupaten Bangka Selatan", "Kepulauan Bangka Belitung"),
    "19.05": ("Kabupaten Bangka Barat", "Kepulauan Bangka Belitung"),
    "19.06": ("Kabupaten Belitung Timur", "Kepulauan Bangka Belitung"),
    "63.02": ("Kabupaten Kotabaru", "Kalimantan Selatan"),
    "63.06": ("Kabupaten Hulu Sungai Selatan", "Kalimantan Selatan"),
    "63.07": ("Kabupaten Hulu Sungai Tengah", "Kalimantan Selatan"),
    "63.08": ("Kabupaten Hulu Sungai Utara", "Kalimantan Selatan"),
    "63.09": ("Kabupaten Tabalong", "Kalimantan Selatan"),
    "63.10": ("Kabupaten Tanah Bumbu", "Kalimantan Selatan"),
    "63.11": ("Kabupaten Balangan", "Kalimantan Selatan"),
}


def level(code):
    if "." not in code:
        return "province"
    if code.count(".") == 3:
        return "village"
    if code.count(".") == 2:
        return "district"
    return "city" if int(code.split(".")[1]) >= 71 else "regency"


# ---------------------------------------------------------------------------------------------
# Number formatting, the way the sheets write them.

def pct(part, whole, places=2):
    """part / whole in percentage points, rounded half up (what a spreadsheet shows)."""
    q = Decimal(1).scaleb(-places)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(q, rounding=ROUND_HALF_UP)


def frac(part, whole):
    """part / whole as a fraction rounded to 4 places (a '0.00%' cell holding a typed value)."""
    return float((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def id_int(n):
    """837062 -> '837.062' (Indonesian thousands separator)."""
    return "{:,}".format(n).replace(",", ".")


def id_pct(points):
    """Decimal('97.63') -> '97,63%'."""
    return "{:.2f}".format(points).replace(".", ",") + "%"


def en_int(n):
    return "{:,}".format(n)


# ---------------------------------------------------------------------------------------------
# Case bookkeeping: every writer registers what it wrote and what a reader should expect.

class Expect:
    """One region row the exporter should accept, with the figures straight from the sheet."""

    def __init__(self, code, as_of, population, participants, active=None, segments=None,
                 sheet_name=None, reported=None, note=""):
        self.code, self.as_of = code, as_of
        self.population, self.participants, self.active = population, participants, active
        self.segments = segments or {}
        self.sheet_name, self.reported, self.note = sheet_name, reported, note
        if self.segments and sum(self.segments.values()) != participants:
            raise SystemExit("segments of %s sum to %d, not %d" % (
                code, sum(self.segments.values()), participants))


class Case:
    def __init__(self, name, writer, exercises, source, files, expect=(), findings=(),
                 good=True, as_of_from=None, notes=()):
        self.name, self.writer, self.exercises = name, writer, exercises
        self.source, self.files = source, files
        self.expect, self.findings, self.good = list(expect), list(findings), good
        self.as_of_from, self.notes = as_of_from, list(notes)


CASES = []


def case_dir(name):
    d = os.path.join(TESTDATA, name)
    os.makedirs(d, exist_ok=True)
    return d


def write_source(name, branch_office, province=None, extra=()):
    """source.yml: the source's settings; extra are (key, YAML flow value) pairs, such as
    ("criteria", "by_date") or ("expected", '{within: ["19"], level: regency}')."""
    lines = ["branch_office: %s" % branch_office]
    if province:
        lines.append("province: %s" % province)
    lines += ["%s: %s" % kv for kv in extra]
    with open(os.path.join(case_dir(name), "source.yml"), "w") as f:
        f.write("\n".join(lines) + "\n")
    src = {"branch_office": branch_office}
    if province:
        src["province"] = province
    src.update(extra)
    return src


# ---------------------------------------------------------------------------------------------
# Writing and pinning zip files.

FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def new_workbook(author, when):
    wb = openpyxl.Workbook()
    p = wb.properties
    p.creator = author
    p.lastModifiedBy = author
    p.created = when
    p.modified = when
    return wb


def save_pinned(wb, path):
    """Save with openpyxl, then rewrite the zip with fixed entry timestamps (same order, same
    compression), so that re-running the generator gives byte-identical files."""
    tmp = path + ".tmp"
    wb.save(tmp)
    with zipfile.ZipFile(tmp) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            dst.writestr(zi, src.read(info.filename))
    os.remove(tmp)


def pin_zip_times_in_place(path):
    """Overwrite the DOS time/date of every local header and central directory entry of a zip
    written by LibreOffice, leaving every other byte (and so its compressed streams) untouched."""
    t = FIXED_ZIP_TIME
    dos_time = (t[3] << 11) | (t[4] << 5) | (t[5] // 2)
    dos_date = ((t[0] - 1980) << 9) | (t[1] << 5) | t[2]
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        cd_offset = z.start_dir
    data = bytearray(open(path, "rb").read())
    for info in infos:
        off = info.header_offset
        assert data[off:off + 4] == b"PK\x03\x04", path
        struct.pack_into("<HH", data, off + 10, dos_time, dos_date)
    off = cd_offset
    while data[off:off + 4] == b"PK\x01\x02":
        struct.pack_into("<HH", data, off + 12, dos_time, dos_date)
        n, m, k = struct.unpack_from("<HHH", data, off + 28)
        off += 46 + n + m + k
    open(path, "wb").write(bytes(data))


BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def header(ws, row, names, col=1):
    for i, n in enumerate(names):
        c = ws.cell(row=row, column=col + i, value=n)
        c.font = BOLD
        c.alignment = CENTER


def widths(ws, *ws_):
    for i, w in enumerate(ws_):
        ws.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width = w


# ---------------------------------------------------------------------------------------------
# The cases. Each function documents what it exercises.

PALEMBANG_AS_OF = dt.date(2023, 9, 1)
PALEMBANG_SEGS = ["PBI APBN", "PBPU Pemda", "PPU", "PBPU", "BP"]
PALEMBANG_ROWS = [  # label, code, population, participants, segments
    ("Kab. Banyuasin", "16.07", 837062, 817221, [452318, 38096, 158427, 151964, 16416]),
    ("Kab. Musi Banyuasin", "16.06", 736897, 721534, [371208, 92415, 141066, 104233, 12612]),
    ("Kota Palembang", "16.71", 1801367, 1769902, [612540, 301228, 498617, 321974, 35543]),
]


def palembang_expect():
    """The rows of seed_palembang, which html_xls_palembang reads too."""
    return [Expect(code, PALEMBANG_AS_OF, pop, part, segments=dict(zip(PALEMBANG_SEGS, seg)),
                   sheet_name=label, reported=id_pct(pct(part, pop)))
            for label, code, pop, part, seg in PALEMBANG_ROWS]


def seed_palembang(stage):
    """Seed figures for Kab. Banyuasin (docs/domain.md) in the classic KC Palembang layout: sheet
    "Rekap", three merged title rows (the as-of date is in "Posisi Data : 1 September 2023"),
    header at row 5, every number written as TEXT in Indonesian format ("837.062", "97,63%"),
    the five segment columns (PBPU Pemda next to plain PBPU), a JUMLAH total row, a blank row
    and a "Sumber:" footnote."""
    name = "seed_palembang"
    as_of = PALEMBANG_AS_OF
    segs, rows = PALEMBANG_SEGS, PALEMBANG_ROWS
    wb = new_workbook("BPJS Kesehatan KC Palembang", dt.datetime(2023, 9, 4, 8, 30))
    ws = wb.active
    ws.title = "Rekap"
    titles = ["REKAPITULASI KEPESERTAAN JKN", "KABUPATEN/KOTA DI PROVINSI SUMATERA SELATAN",
              "Posisi Data : 1 September 2023"]
    for r, t in enumerate(titles, start=1):
        ws.cell(row=r, column=1, value=t).font = BOLD
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=10)
    header(ws, 5, ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "% Cakupan"] + segs)
    for i, (label, code, pop, part, seg) in enumerate(rows, start=1):
        p = pct(part, pop)
        ws.append([i, label, id_int(pop), id_int(part), id_pct(p)] + [id_int(v) for v in seg])
    expect = palembang_expect()
    tp = sum(r[2] for r in rows)
    tq = sum(r[3] for r in rows)
    tot = ["", "JUMLAH", id_int(tp), id_int(tq), id_pct(pct(tq, tp))]
    tot += [id_int(sum(r[4][k] for r in rows)) for k in range(len(segs))]
    ws.append(tot)
    for c in ws[ws.max_row]:
        c.font = BOLD
    ws.append([])
    ws.append(["Sumber: BPJS Kesehatan KC Palembang"])
    widths(ws, 5, 24, 16, 16, 11, 12, 12, 12, 12, 10)
    save_pinned(wb, os.path.join(case_dir(name), "rekap_kepesertaan_sept_2023.xlsx"))
    CASES.append(Case(
        name, OPENPYXL, seed_palembang.__doc__,
        write_source(name, "Palembang", "Sumatera Selatan"), ["rekap_kepesertaan_sept_2023.xlsx"],
        expect, as_of_from='title cell A3 "Posisi Data : 1 September 2023"',
        notes=["JUMLAH, the blank row and the footnote are skipped (3 rows), not findings"]))
    # The same sheet with a footnote Windows-1252 writes in a byte UTF-8 does not have (the en
    # dash, 0x96), for LibreOffice to save as CSV in that code page (make_workbooks.sh).
    ws.cell(row=ws.max_row, column=1, value="Sumber: BPJS Kesehatan \u2013 KC Palembang")
    d = os.path.join(stage, "seed_palembang_cp1252")
    os.makedirs(d, exist_ok=True)
    save_pinned(wb, os.path.join(d, "rekap_kepesertaan_sept_2023.xlsx"))
    cname = "seed_palembang_cp1252"
    CASES.append(Case(
        cname, LIBREOFFICE_CSV + ", English locale, ',', Windows-1252", SEED_PALEMBANG_CP1252,
        write_source(cname, "Palembang", "Sumatera Selatan"), ["rekap_kepesertaan_sept_2023.csv"],
        expect, as_of_from='title cell A3 "Posisi Data : 1 September 2023"',
        notes=["the same figures as seed_palembang, and the same .prom but for the source label"]))


SEED_PALEMBANG_CP1252 = """The seed_palembang sheet saved by LibreOffice as CSV in Windows-1252 with ',' between
fields: the footnote's en dash is the byte 0x96 (no UTF-8), so the text is decoded as Windows-1252;
the Indonesian number texts with a comma ("97,63%") are quoted; the merged title rows are plain
rows of one field."""


def seed_province():
    """Seed figure for the province of Sumatera Selatan: a one-row sheet whose only row is the
    province itself ("Prov. Sumatera Selatan", level province, code 16), numbers as numeric
    cells shown English-style ('#,##0'), the reported coverage as the number 95.9 (points) shown
    '0.00'; as-of from the title "Data per 31 Desember 2023". No province in source.yml."""
    name = "seed_province"
    as_of = dt.date(2023, 12, 31)
    pop, part = 8755130, 8396170
    wb = new_workbook("BPJS Kesehatan KC Palembang", dt.datetime(2024, 1, 8, 9, 0))
    ws = wb.active
    ws.title = "Provinsi"
    ws["A1"] = "CAKUPAN KEPESERTAAN JKN PROVINSI SUMATERA SELATAN"
    ws["A1"].font = BOLD
    ws["A2"] = "Data per 31 Desember 2023"
    header(ws, 4, ["No", "Provinsi", "Jumlah Penduduk", "Jumlah Peserta", "% Cakupan"])
    ws.append([1, "Prov. Sumatera Selatan", pop, part, float(pct(part, pop))])
    for col in "CD":
        ws["%s5" % col].number_format = "#,##0"
    ws["E5"].number_format = "0.00"
    widths(ws, 5, 26, 16, 16, 11)
    save_pinned(wb, os.path.join(case_dir(name), "cakupan_provinsi_2023.xlsx"))
    CASES.append(Case(
        name, OPENPYXL, seed_province.__doc__, write_source(name, "Palembang"),
        ["cakupan_provinsi_2023.xlsx"],
        [Expect("16", as_of, pop, part, sheet_name="Prov. Sumatera Selatan", reported="95.9 (points)")],
        as_of_from='title cell A2 "Data per 31 Desember 2023"'))


def seed_bengkulu():
    """Seed figure for Kab. Mukomuko written "MUKO MUKO" (an alias of "Mukomuko", upper case),
    plus "KOTA BENGKULU"; short headers Kab/Kota | Penduduk | Peserta JKN | Cakupan, numeric
    cells, the reported coverage as a FRACTION (0.9893) in a cell formatted '0.00%'; as-of from
    "Data per 16 Juli 2024"."""
    name = "seed_bengkulu"
    as_of = dt.date(2024, 7, 16)
    rows = [("MUKO MUKO", "17.06", 201227, 199078), ("KOTA BENGKULU", "17.71", 400533, 391872)]
    wb = new_workbook("BPJS Kesehatan KC Bengkulu", dt.datetime(2024, 7, 17, 10, 0))
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "REKAP CAKUPAN JKN KC BENGKULU"
    ws["A1"].font = BOLD
    ws["A2"] = "Data per 16 Juli 2024"
    header(ws, 4, ["Kab/Kota", "Penduduk", "Peserta JKN", "Cakupan"])
    expect = []
    for label, code, pop, part in rows:
        ws.append([label, pop, part, frac(part, pop)])
        r = ws.max_row
        ws["B%d" % r].number_format = ws["C%d" % r].number_format = "#,##0"
        ws["D%d" % r].number_format = "0.00%"
        expect.append(Expect(code, as_of, pop, part, sheet_name=label,
                             reported="%s (fraction, shown %s)" % (frac(part, pop), pct(part, pop))))
    widths(ws, 18, 12, 12, 10)
    save_pinned(wb, os.path.join(case_dir(name), "cakupan_jkn_juli_2024.xlsx"))
    CASES.append(Case(name, OPENPYXL, seed_bengkulu.__doc__,
                      write_source(name, "Bengkulu", "Bengkulu"), ["cakupan_jkn_juli_2024.xlsx"],
                      expect, as_of_from='title cell A2 "Data per 16 Juli 2024"',
                      notes=['"MUKO MUKO" is Kemendagri\'s "Kabupaten Mukomuko"']))
    cname = "seed_bengkulu_csv"
    CASES.append(Case(cname, LIBREOFFICE_CSV + ", Indonesian locale, ';', UTF-8", SEED_BENGKULU_CSV,
                      write_source(cname, "Bengkulu", "Bengkulu"), ["cakupan_jkn_juli_2024.csv"],
                      expect, as_of_from='title cell A2 "Data per 16 Juli 2024"',
                      notes=["the same figures as seed_bengkulu, and the same .prom but for the "
                             "source label"]))


SEED_BENGKULU_CSV = """The seed_bengkulu workbook saved by LibreOffice in the Indonesian locale as CSV, the way
an office's "Simpan Sebagai CSV" writes it: ';' between fields, the cells as shown, so the counts
carry the Indonesian thousands separator ("201.227") and the fractions in '0.00%' cells become
"98,93%" with a decimal comma; UTF-8 without a byte-order mark."""


PANGKALPINANG_ROWS = [
    ("Kab. Bangka Tengah", "19.04", 202131, 195157, 151457),
    ("Kota Pangkalpinang", "19.71", 242285, 238914, 187402),
    ("Kab. Bangka", "19.01", 337755, 325618, 251337),
]


def pangkalpinang_expect(as_of):
    """The rows of seed_pangkalpinang, which ods_pangkalpinang reads too."""
    return [Expect(code, as_of, pop, part, active, sheet_name=label,
                   reported="cakupan %s / keaktifan %s (fractions)" % (frac(part, pop), frac(active, pop)),
                   note="non aktif %s" % en_int(part - active))
            for label, code, pop, part, active in PANGKALPINANG_ROWS]


def seed_pangkalpinang(stage):
    """Seed figures for Kab. Bangka Tengah, saved by LibreOffice (shared strings, LibreOffice
    styles and merge records). TWO-ROW merged header: No, Kabupaten/Kota and Jumlah Penduduk
    are merged down rows 3-4; "Peserta JKN" is merged across Jumlah | Aktif | Non Aktif;
    "Persentase" across Cakupan | Keaktifan (active / population). Percentages are fractions in
    '0.00%' cells. NO date anywhere in the sheet: the as-of date 2022-12-31 comes from the file
    name bangka_tengah_2022-12-31.xlsx."""
    name = "seed_pangkalpinang"
    as_of = dt.date(2022, 12, 31)
    fname = "bangka_tengah_2022-12-31.xlsx"
    wb = new_workbook("BPJS Kesehatan KC Pangkalpinang", dt.datetime(2023, 1, 9, 8, 0))
    ws = wb.active
    ws.title = "Kepesertaan"
    ws["A1"] = "REKAPITULASI KEPESERTAAN JKN KC PANGKALPINANG"
    ws["A1"].font = BOLD
    ws.merge_cells("A1:H1")
    for ref, text in [("A3", "No"), ("B3", "Kabupaten/Kota"), ("C3", "Jumlah Penduduk"),
                      ("D3", "Peserta JKN"), ("G3", "Persentase"), ("D4", "Jumlah"), ("E4", "Aktif"),
                      ("F4", "Non Aktif"), ("G4", "Cakupan"), ("H4", "Keaktifan")]:
        ws[ref] = text
    for rng in ["A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:H3"]:
        ws.merge_cells(rng)
    for row in ws["A3:H4"]:
        for c in row:
            c.font = BOLD
            c.alignment = CENTER
    for i, (label, code, pop, part, active) in enumerate(PANGKALPINANG_ROWS, start=1):
        ws.append([i, label, pop, part, active, part - active, frac(part, pop), frac(active, pop)])
        r = ws.max_row
        for col in "CDEF":
            ws["%s%d" % (col, r)].number_format = "#,##0"
        for col in "GH":
            ws["%s%d" % (col, r)].number_format = "0.00%"
    expect = pangkalpinang_expect(as_of)
    widths(ws, 5, 22, 14, 12, 12, 12, 10, 10)
    d = os.path.join(stage, name)
    os.makedirs(d, exist_ok=True)
    save_pinned(wb, os.path.join(d, fname))
    CASES.append(Case(name, LIBREOFFICE, seed_pangkalpinang.__doc__,
                      write_source(name, "Pangkalpinang", "Kepulauan Bangka Belitung"), [fname],
                      expect, as_of_from="file name bangka_tengah_2022-12-31.xlsx",
                      notes=['"Kota Pangkalpinang" is Kemendagri\'s "Kota Pangkal Pinang"']))
    xname, xfile = "seed_pangkalpinang_xls", "bangka_tengah_2022-12-31.xls"
    CASES.append(Case(xname, LIBREOFFICE_XLS, SEED_PANGKALPINANG_XLS,
                      write_source(xname, "Pangkalpinang", "Kepulauan Bangka Belitung"), [xfile],
                      expect, as_of_from="file name " + xfile,
                      notes=["the same figures as seed_pangkalpinang, and the same .prom but for the "
                             "source label"]))


SEED_PANGKALPINANG_XLS = """The seed_pangkalpinang draft saved by LibreOffice as Excel 97-2003
(.xls: an OLE2 compound file, BIFF8): shared strings (SST), MERGEDCELLS records for the two-row
header, numbers as RK/MULRK and NUMBER records, '0.00%' formats in XF records. The as-of date
comes from the file name bangka_tengah_2022-12-31.xls, as it does from the .xlsx."""


def ods_pangkalpinang():
    """The seed_pangkalpinang figures in an OpenDocument spreadsheet that LibreOffice writes
    (soffice --convert-to ods of the same openpyxl draft): office:value cells beside their shown
    text, the fractions as percentage cells, covered cells under the merges of the two-row header,
    the empty area after the data as repeated rows and columns. The as-of date 2022-12-31 comes
    from the file name bangka_tengah_2022-12-31.ods. The figures served must be seed_pangkalpinang's."""
    name = "ods_pangkalpinang"
    fname = "bangka_tengah_2022-12-31.ods"
    CASES.append(Case(name, LIBREOFFICE_ODS, ods_pangkalpinang.__doc__,
                      write_source(name, "Pangkalpinang", "Kepulauan Bangka Belitung"), [fname],
                      pangkalpinang_expect(dt.date(2022, 12, 31)), as_of_from="file name " + fname,
                      notes=["the same rows as seed_pangkalpinang, read from an .ods"]))


def html_xls_palembang():
    """The seed_palembang workbook saved by LibreOffice as a web page (soffice --convert-to html)
    and named rekap_kepesertaan_sept_2023.xls, as web applications export an HTML table with an
    .xls name: one <table>, the merged title rows as colspan, every number as Indonesian TEXT
    ("837.062", "97,63%") without LibreOffice's sdval (they were text in the workbook), the JUMLAH
    row, the blank row and the footnote. The sheet is "Tabel 1". The figures served must be
    seed_palembang's."""
    name = "html_xls_palembang"
    fname = "rekap_kepesertaan_sept_2023.xls"
    CASES.append(Case(name, LIBREOFFICE_HTML, html_xls_palembang.__doc__,
                      write_source(name, "Palembang", "Sumatera Selatan"), [fname],
                      palembang_expect(), as_of_from='title cell A3 "Posisi Data : 1 September 2023"',
                      notes=["the same rows as seed_palembang, read from an HTML table",
                             "JUMLAH, the blank row and the footnote are skipped (3 rows), not findings"]))


BANJARMASIN_SEGS = ["PBI APBN", "PBI APBD", "PPU PN", "PPU BU", "PBPU", "BP"]
BANJARMASIN_ROWS = [  # label, code, population, participants, active, segments
    ("Banjar", "63.03", 590393, 581578, 472638, [243112, 118905, 38417, 72880, 96734, 11530]),
    ("Kota Banjarmasin", "63.71", 681693, 668240, 561377, [201355, 142810, 61204, 152993, 95611, 14267]),
    ("Kota Banjarbaru", "63.72", 285546, 283905, 236118, [72416, 58902, 39877, 61345, 44119, 7246]),
]


def seed_banjarmasin():
    """Seed figures for Kab. Banjar: a cover sheet "Petunjuk" (prose) comes FIRST and must be
    passed over for sheet "Data"; as-of from "per 1 Mei 2025"; a Provinsi column that resolves
    the bare name "Banjar" (Kalimantan Selatan, 63.03, not Kota Banjar 32.79); percentages as
    numbers in POINTS (99.47); the six split segments (PBI APBD, PPU PN, PPU BU); a TOTAL row
    of SUM formulas that openpyxl saves with no cached value (totals are skipped anyway).
    Banjar's reported % UHC 99.47 is wrong on purpose (the seed report's error; the counts give
    98.51): a data-quality finding. Its % Aktif 80.05 is right."""
    name = "seed_banjarmasin"
    as_of = dt.date(2025, 5, 1)
    wb = new_workbook("BPJS Kesehatan KC Banjarmasin", dt.datetime(2025, 5, 2, 8, 0))
    cover = wb.active
    cover.title = "Petunjuk"
    for line in ["PETUNJUK PENGISIAN",
                 "Lembar ini berisi rekapitulasi kepesertaan JKN untuk Pemerintah Daerah.",
                 "Data rinci per kabupaten/kota ada pada lembar Data.",
                 "Jumlah penduduk bersumber dari data Dukcapil semester terakhir.",
                 "Pertanyaan dapat disampaikan kepada Bagian Kepesertaan KC Banjarmasin."]:
        cover.append([line])
    cover["A1"].font = BOLD
    cover.column_dimensions["A"].width = 80
    ws = wb.create_sheet("Data")
    ws["A1"] = "DATA KEPESERTAAN JKN KC BANJARMASIN"
    ws["A1"].font = BOLD
    ws["A2"] = "per 1 Mei 2025"
    header(ws, 4, ["No", "Kabupaten/Kota", "Provinsi", "Jumlah Penduduk", "Jumlah Peserta",
                   "Peserta Aktif", "% UHC", "% Aktif"] + BANJARMASIN_SEGS)
    expect = []
    for i, (label, code, pop, part, active, seg) in enumerate(BANJARMASIN_ROWS, start=1):
        uhc = Decimal("99.47") if code == "63.03" else pct(part, pop)
        ws.append([i, label, "Kalimantan Selatan", pop, part, active, float(uhc),
                   float(pct(active, pop))] + seg)
        r = ws.max_row
        for col in "DEF" + "IJKLMN":
            ws["%s%d" % (col, r)].number_format = "#,##0"
        ws["G%d" % r].number_format = ws["H%d" % r].number_format = "0.00"
        expect.append(Expect(code, as_of, pop, part, active, dict(zip(BANJARMASIN_SEGS, seg)),
                             sheet_name=label, reported="%s / %s (points)" % (uhc, pct(active, pop)),
                             note="reported % UHC 99.47 is wrong (counts give 98.51)"
                             if code == "63.03" else ""))
    first, last = 5, ws.max_row
    tot = ["", "TOTAL", ""]
    for col in "DEF":
        tot.append("=SUM(%s%d:%s%d)" % (col, first, col, last))
    tot += ["=E{0}/D{0}*100".format(last + 1), "=F{0}/D{0}*100".format(last + 1)]
    for col in "IJKLMN":
        tot.append("=SUM(%s%d:%s%d)" % (col, first, col, last))
    ws.append(tot)
    for c in ws[ws.max_row]:
        c.font = BOLD
    widths(ws, 5, 20, 20, 16, 16, 14, 8, 8, 10, 10, 10, 10, 10, 8)
    save_pinned(wb, os.path.join(case_dir(name), "kepesertaan_jkn_mei_2025.xlsx"))
    CASES.append(Case(
        name, OPENPYXL, seed_banjarmasin.__doc__, write_source(name, "Banjarmasin"),
        ["kepesertaan_jkn_mei_2025.xlsx"], expect,
        findings=["Banjar (63.03), row 5 column G: reported coverage 99.47% but 581,578 of 590,393 is "
                  "98.51% (off by more than 0.05 points)"],
        as_of_from='title cell A2 "per 1 Mei 2025"',
        notes=["the TOTAL row (row 8, formulas without cached values) is skipped, not a finding",
               'sheet "Petunjuk" has no table and is passed over']))


def english_headers():
    """English headers (Region Code | Region | Population | Participants | Active Participants |
    Coverage (%) | Date), dotted Kemendagri codes as text (63.03, 63.71, 63.72: the code, not
    the bare name "Banjar", resolves the region), English-format numbers as TEXT ("590,393",
    "98.51"), and the as-of date in a Date column of real date cells (2025-05-01, shown
    yyyy-mm-dd). The title carries no date."""
    name = "english_headers"
    as_of = dt.date(2025, 5, 1)
    wb = new_workbook("BPJS Kesehatan KC Banjarmasin", dt.datetime(2025, 5, 2, 8, 0))
    ws = wb.active
    ws.title = "Coverage"
    ws["A1"] = "JKN coverage by region, KC Banjarmasin"
    ws["A1"].font = BOLD
    header(ws, 3, ["Region Code", "Region", "Population", "Participants", "Active Participants",
                   "Coverage (%)", "Date"])
    expect = []
    for label, code, pop, part, active, _ in BANJARMASIN_ROWS:
        ws.append([code, label, en_int(pop), en_int(part), en_int(active), str(pct(part, pop)),
                   dt.datetime(2025, 5, 1)])
        ws["G%d" % ws.max_row].number_format = "yyyy-mm-dd"
        expect.append(Expect(code, as_of, pop, part, active, sheet_name=label,
                             reported="%s (points, text)" % pct(part, pop)))
    widths(ws, 12, 20, 12, 12, 18, 12, 12)
    save_pinned(wb, os.path.join(case_dir(name), "jkn_coverage_2025-05.xlsx"))
    CASES.append(Case(name, OPENPYXL, english_headers.__doc__, write_source(name, "Banjarmasin"),
                      ["jkn_coverage_2025-05.xlsx"], expect,
                      as_of_from="column G Date (date cells 2025-05-01)"))


def hidden_columns():
    """Hidden columns are read like any other: column B "Kode" (dotted codes as text, so 16.10
    keeps its trailing zero) and column E "Jumlah Peserta" itself are hidden (<col hidden="1">).
    Also: Kota Prabumulih has MORE participants than population (100.23%): coverage is not
    clamped and uninsured is 0. As-of from "Posisi Data: 1 Juni 2025"."""
    name = "hidden_columns"
    as_of = dt.date(2025, 6, 1)
    rows = [("Kab. Ogan Ilir", "16.10", 446020, 437512), ("Kab. Lahat", "16.04", 448141, 433870),
            ("Kota Prabumulih", "16.74", 213523, 214006)]
    wb = new_workbook("BPJS Kesehatan KC Palembang", dt.datetime(2025, 6, 3, 8, 0))
    ws = wb.active
    ws.title = "Rekap"
    ws["A1"] = "REKAPITULASI KEPESERTAAN JKN"
    ws["A1"].font = BOLD
    ws["A2"] = "Posisi Data: 1 Juni 2025"
    header(ws, 4, ["No", "Kode", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "% Cakupan"])
    expect = []
    for i, (label, code, pop, part) in enumerate(rows, start=1):
        ws.append([i, code, label, pop, part, float(pct(part, pop))])
        r = ws.max_row
        ws["D%d" % r].number_format = ws["E%d" % r].number_format = "#,##0"
        ws["F%d" % r].number_format = "0.00"
        expect.append(Expect(code, as_of, pop, part, sheet_name=label,
                             reported="%s (points)" % pct(part, pop),
                             note="coverage > 100%, uninsured 0" if part > pop else ""))
    widths(ws, 5, 8, 22, 16, 16, 11)
    ws.column_dimensions["B"].hidden = True
    ws.column_dimensions["E"].hidden = True
    save_pinned(wb, os.path.join(case_dir(name), "rekap_juni_2025.xlsx"))
    CASES.append(Case(name, OPENPYXL, hidden_columns.__doc__,
                      write_source(name, "Palembang", "Sumatera Selatan"), ["rekap_juni_2025.xlsx"],
                      expect, as_of_from='title cell A2 "Posisi Data: 1 Juni 2025"'))


FORMULA_SEGS = ["PBI APBN", "PBI APBD", "PPU", "PBPU", "BP"]


def formula_rows():
    out = []
    for label, code, pop, part, _active, s in BANJARMASIN_ROWS:
        label = "Kab. Banjar" if code == "63.03" else label
        out.append((label, code, pop, part, [s[0], s[1], s[2] + s[3], s[4], s[5]]))
    return out


def formula_sheet(wb, cached_row_formulas):
    """The shared layout of formula_cached and formula_no_cache: header at row 5, data rows 6-8,
    C population, D participants, E coverage, F uninsured, G..K segments."""
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "REKAP KEPESERTAAN JKN KC BANJARMASIN"
    ws["A1"].font = BOLD
    ws["A2"] = "per 1 Mei 2025"
    header(ws, 5, ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "Cakupan",
                   "Belum Terdaftar"] + FORMULA_SEGS)
    for i, (label, code, pop, part, seg) in enumerate(formula_rows(), start=1):
        r = 5 + i
        if cached_row_formulas(r):
            d, e, f = "=SUM(G{0}:K{0})".format(r), "=D{0}/C{0}".format(r), "=C{0}-D{0}".format(r)
        else:
            d, e, f = part, frac(part, pop), pop - part
        ws.append([i, label, pop, d, e, f] + seg)
        for col in "CDFGHIJK":
            ws["%s%d" % (col, r)].number_format = "#,##0"
        ws["E%d" % r].number_format = "0.00%"
    widths(ws, 5, 20, 16, 16, 10, 16, 10, 10, 10, 10, 8)
    return ws


def formula_cached(stage):
    """Formulas with cached values, as LibreOffice saves them: in every region row, Jumlah
    Peserta is =SUM(G:K) of the five segment columns, Cakupan =D/C and Belum Terdaftar =C-D.
    The openpyxl draft has no cached values; LibreOffice recalculates on load and writes a <v>
    after every <f> (checked by `finish`). As-of from "per 1 Mei 2025"."""
    name = "formula_cached"
    as_of = dt.date(2025, 5, 1)
    wb = new_workbook("BPJS Kesehatan KC Banjarmasin", dt.datetime(2025, 5, 2, 8, 0))
    formula_sheet(wb, lambda r: True)
    d = os.path.join(stage, name)
    os.makedirs(d, exist_ok=True)
    save_pinned(wb, os.path.join(d, "rekap_mei_2025.xlsx"))
    expect = [Expect(code, as_of, pop, part, segments=dict(zip(FORMULA_SEGS, seg)), sheet_name=label,
                     reported="=D/C, cached %s" % (Decimal(part) / Decimal(pop)).quantize(Decimal("0.000001")),
                     note="uninsured =C-D, cached %s" % en_int(pop - part))
              for label, code, pop, part, seg in formula_rows()]
    CASES.append(Case(name, LIBREOFFICE, formula_cached.__doc__,
                      write_source(name, "Banjarmasin", "Kalimantan Selatan"), ["rekap_mei_2025.xlsx"],
                      expect, as_of_from='title cell A2 "per 1 Mei 2025"'))


def formula_no_cache():
    """The formula_cached sheet as openpyxl saves it: formulas get NO cached value. Only one
    region row holds a formula: Kota Banjarbaru's Jumlah Peserta D8 =SUM(G8:K8) (its Cakupan
    and Belum Terdaftar, like every other cell, are plain numbers). That row must be rejected
    with a finding (a formula without a value is not 0) and the other two rows kept."""
    name = "formula_no_cache"
    as_of = dt.date(2025, 5, 1)
    wb = new_workbook("BPJS Kesehatan KC Banjarmasin", dt.datetime(2025, 5, 2, 8, 0))
    ws = formula_sheet(wb, lambda r: False)
    ws["D8"] = "=SUM(G8:K8)"
    save_pinned(wb, os.path.join(case_dir(name), "rekap_mei_2025.xlsx"))
    expect = [Expect(code, as_of, pop, part, segments=dict(zip(FORMULA_SEGS, seg)), sheet_name=label,
                     reported="%s (fraction)" % frac(part, pop))
              for label, code, pop, part, seg in formula_rows() if code != "63.72"]
    CASES.append(Case(name, OPENPYXL, formula_no_cache.__doc__,
                      write_source(name, "Banjarmasin", "Kalimantan Selatan"), ["rekap_mei_2025.xlsx"],
                      expect, as_of_from='title cell A2 "per 1 Mei 2025"', findings=[
                          "sheet Data, row 8 (Kota Banjarbaru), column D (Jumlah Peserta): formula "
                          "=SUM(G8:K8) has no cached value: row rejected"]))


def header_deep():
    """The header is at row 25, after 24 rows of letter-head (address, phone), letter fields
    (Nomor, Lampiran, Perihal), the title, the as-of line "Posisi Data : 31 Mei 2025" and
    numbered notes, one of which mentions "Jumlah penduduk" in prose. Headers use the JML
    abbreviation and capitals: NAMA KABUPATEN/KOTA | JML PENDUDUK | JML PESERTA | PESERTA AKTIF
    | % CAKUPAN | % AKTIF (numbers in points)."""
    name = "header_deep"
    as_of = dt.date(2025, 5, 31)
    rows = [("Kab. Bengkulu Utara", "17.03", 309773, 301482, 236905),
            ("Kab. Bengkulu Selatan", "17.01", 177137, 174906, 141220),
            ("Kab. Bengkulu Tengah", "17.09", 126339, 121847, 93518)]
    top = [
        "BADAN PENYELENGGARA JAMINAN SOSIAL KESEHATAN",
        "KANTOR CABANG BENGKULU",
        "Jl. Letjen S. Parman No. 1, Padang Jati, Kota Bengkulu",
        "Telp. (0736) 000000  Faks. (0736) 000001",
        None,
        "Nomor : 0412/VII-07/0625",
        "Lampiran : 1 (satu) berkas",
        "Perihal : Data Kepesertaan JKN",
        None,
        "Kepada Yth.",
        "Kepala Dinas Kesehatan",
        "di tempat",
        None,
        "REKAPITULASI CAKUPAN KEPESERTAAN JKN",
        "Posisi Data : 31 Mei 2025",
        None,
        "Catatan:",
        "1. Jumlah penduduk bersumber dari data Dukcapil Semester II 2024.",
        "2. Peserta aktif adalah peserta yang iurannya terbayar dan berhak atas pelayanan.",
        "3. Persentase cakupan = jumlah peserta / jumlah penduduk x 100.",
        "4. Persentase aktif = peserta aktif / jumlah penduduk x 100.",
        "5. Data bersifat sementara dan dapat berubah.",
        None,
        None,
    ]
    assert len(top) == 24
    wb = new_workbook("BPJS Kesehatan KC Bengkulu", dt.datetime(2025, 6, 3, 9, 0))
    ws = wb.active
    ws.title = "Lampiran"
    for text in top:
        ws.append([text] if text else [])
    header(ws, 25, ["NO", "NAMA KABUPATEN/KOTA", "JML PENDUDUK", "JML PESERTA", "PESERTA AKTIF",
                    "% CAKUPAN", "% AKTIF"])
    expect = []
    for i, (label, code, pop, part, active) in enumerate(rows, start=1):
        ws.append([i, label, pop, part, active, float(pct(part, pop)), float(pct(active, pop))])
        r = ws.max_row
        for col in "CDE":
            ws["%s%d" % (col, r)].number_format = "#,##0"
        ws["F%d" % r].number_format = ws["G%d" % r].number_format = "0.00"
        expect.append(Expect(code, as_of, pop, part, active, sheet_name=label,
                             reported="%s / %s (points)" % (pct(part, pop), pct(active, pop))))
    assert ws.max_row == 28
    widths(ws, 5, 26, 14, 14, 14, 11, 10)
    save_pinned(wb, os.path.join(case_dir(name), "surat_kepesertaan_mei_2025.xlsx"))
    CASES.append(Case(name, OPENPYXL, header_deep.__doc__, write_source(name, "Bengkulu", "Bengkulu"),
                      ["surat_kepesertaan_mei_2025.xlsx"], expect,
                      as_of_from='title cell A15 "Posisi Data : 31 Mei 2025"'))


def bad_rows():
    """Good rows mixed with four bad ones, in a source with NO province setting and a sheet with
    NO province column; numbers as Indonesian text. Row 7: participants "8l7.221" (a letter l
    for a 1): not a number. Row 8: bare "Banjar": ambiguous (Kabupaten Banjar 63.03 or Kota
    Banjar 32.79). Row 9: "Kabupaten Antah Berantah": no such region. Row 10: a No and figures
    but no region name. Only Kota Banjarmasin and Kota Banjarbaru are accepted."""
    name = "bad_rows"
    as_of = dt.date(2025, 5, 1)
    wb = new_workbook("BPJS Kesehatan KC Banjarmasin", dt.datetime(2025, 5, 2, 8, 0))
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "DATA KEPESERTAAN JKN"
    ws["A1"].font = BOLD
    ws["A2"] = "per 1 Mei 2025"
    header(ws, 4, ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "% Cakupan"])
    good = [("Kota Banjarmasin", "63.71", 681693, 668240), ("Kota Banjarbaru", "63.72", 285546, 283905)]
    expect = []
    for i, (label, code, pop, part) in enumerate(good, start=1):
        ws.append([i, label, id_int(pop), id_int(part), id_pct(pct(part, pop))])
        expect.append(Expect(code, as_of, pop, part, sheet_name=label, reported=id_pct(pct(part, pop))))
    ws.append([3, "Kabupaten Tanah Laut", id_int(369818), "8l7.221", "97,10%"])
    ws.append([4, "Banjar", id_int(590393), id_int(581578), id_pct(pct(581578, 590393))])
    ws.append([5, "Kabupaten Antah Berantah", id_int(123456), id_int(120000), id_pct(pct(120000, 123456))])
    ws.append([6, None, id_int(202061), id_int(199870), id_pct(pct(199870, 202061))])
    widths(ws, 5, 26, 16, 16, 11)
    save_pinned(wb, os.path.join(case_dir(name), "data_mei_2025.xlsx"))
    CASES.append(Case(name, OPENPYXL, bad_rows.__doc__, write_source(name, "Banjarmasin"),
                      ["data_mei_2025.xlsx"], expect, findings=[
                          'row 7, column D (Jumlah Peserta): "8l7.221" is not a number (Kabupaten Tanah Laut)',
                          'row 8: "Banjar" is ambiguous (Kabupaten Banjar 63.03 / Kota Banjar 32.79)',
                          'row 9: "Kabupaten Antah Berantah": unknown region',
                          "row 10: figures but no region name",
                      ], as_of_from='title cell A2 "per 1 Mei 2025"'))


def palembang_simple(ws, title_date, rows):
    ws.title = "Rekap"
    ws["A1"] = "REKAPITULASI KEPESERTAAN JKN"
    ws["A1"].font = BOLD
    ws["A2"] = "Posisi Data : " + title_date
    header(ws, 4, ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "% Cakupan"])
    for i, (label, _code, pop, part) in enumerate(rows, start=1):
        ws.append([i, label, id_int(pop), id_int(part), id_pct(pct(part, pop))])
    widths(ws, 5, 24, 16, 16, 11)


def conflict_two_files():
    """Two workbooks in one folder, both with Kab. Banyuasin: rekap_oktober_2023.xlsx ("Posisi
    Data : 1 Oktober 2023", 819.540 participants) and rekap_september_2023.xlsx ("Posisi Data :
    1 September 2023", 817.221). The NEWER as-of wins, whatever the read order (the newer file
    sorts first by name); the conflict is counted. Kab. Musi Banyuasin is only in the September
    file and is served from it."""
    name = "conflict_two_files"
    sep = [("Kab. Banyuasin", "16.07", 837062, 817221), ("Kab. Musi Banyuasin", "16.06", 736897, 721534)]
    octo = [("Kab. Banyuasin", "16.07", 837062, 819540)]
    for fname, title, rows, when in [
            ("rekap_september_2023.xlsx", "1 September 2023", sep, dt.datetime(2023, 9, 4, 8, 30)),
            ("rekap_oktober_2023.xlsx", "1 Oktober 2023", octo, dt.datetime(2023, 10, 3, 8, 30))]:
        wb = new_workbook("BPJS Kesehatan KC Palembang", when)
        palembang_simple(wb.active, title, rows)
        save_pinned(wb, os.path.join(case_dir(name), fname))
    expect = [Expect("16.07", dt.date(2023, 10, 1), 837062, 819540, sheet_name="Kab. Banyuasin",
                     reported=id_pct(pct(819540, 837062)),
                     note="from rekap_oktober_2023.xlsx; the September row (817.221) loses"),
              Expect("16.06", dt.date(2023, 9, 1), 736897, 721534, sheet_name="Kab. Musi Banyuasin",
                     reported=id_pct(pct(721534, 736897)), note="from rekap_september_2023.xlsx")]
    CASES.append(Case(name, OPENPYXL, conflict_two_files.__doc__,
                      write_source(name, "Palembang", "Sumatera Selatan"),
                      ["rekap_oktober_2023.xlsx", "rekap_september_2023.xlsx"], expect,
                      findings=["Kab. Musi Banyuasin (16.06) is not in rekap_oktober_2023.xlsx, the newest sheet, "
                                "though the September sheet carries it: region_missing (it is still served from "
                                "September)"],
                      as_of_from='title cell A2 of each file ("Posisi Data : 1 Oktober 2023" / '
                                 '"Posisi Data : 1 September 2023")',
                      notes=["one conflict counted: 16.07 in both files, 2023-10-01 beats 2023-09-01"]))


def not_zip_bytes(seed):
    """Random-looking text: what a half-finished download or a mislabeled note looks like."""
    rnd = random.Random(seed)
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 .,;:-_/\n"
    return "".join(rnd.choice(alphabet) for _ in range(1500)).encode()


def simple_good_workbook(author, when):
    """A small valid table, used as the content of the bad-file cases whose problem is the file,
    not the sheet."""
    wb = new_workbook(author, when)
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "per 1 Mei 2025"
    header(ws, 3, ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta"])
    ws.append([1, "Kota Banjarmasin", 681693, 668240])
    ws.append([2, "Kota Banjarbaru", 285546, 283905])
    return wb


def simple_good_expect():
    """The rows of simple_good_workbook, as the exporter should accept them."""
    as_of = dt.date(2025, 5, 1)
    return [Expect("63.71", as_of, 681693, 668240, sheet_name="Kota Banjarmasin"),
            Expect("63.72", as_of, 285546, 283905, sheet_name="Kota Banjarbaru")]


BAD_WHEN = dt.datetime(2025, 5, 2, 8, 0)


def bad_files(stage):
    """Files that must be rejected whole, each with its own reason."""
    def reg(name, writer, doc, reason):
        CASES.append(Case(name, writer, doc, write_source(name, "Test"), ["data.xlsx"],
                          findings=["file rejected: " + reason], good=False))

    out = os.path.join(case_dir("bad_not_zip"), "data.xlsx")
    open(out, "wb").write(not_zip_bytes(1))
    reg("bad_not_zip", "make_workbooks.py (random text)",
        "Random-looking text bytes named data.xlsx: not a zip archive.", "not a zip (xlsx) file")

    wb = simple_good_workbook("Test", BAD_WHEN)
    full = os.path.join(stage, "truncated_full.xlsx")
    save_pinned(wb, full)
    blob = open(full, "rb").read()
    open(os.path.join(case_dir("bad_truncated"), "data.xlsx"), "wb").write(blob[:len(blob) // 2])
    reg("bad_truncated", OPENPYXL + ", then cut",
        "A valid openpyxl workbook of %d bytes cut to its first %d: the zip central directory "
        "is missing." % (len(blob), len(blob) // 2), "truncated / corrupt zip")

    d = os.path.join(stage, "xls_named_xlsx")
    os.makedirs(d, exist_ok=True)
    save_pinned(simple_good_workbook("Test", BAD_WHEN), os.path.join(d, "data.xlsx"))
    CASES.append(Case(
        "xls_named_xlsx", "LibreOffice (soffice --convert-to xls), renamed",
        "A genuine Excel 97-2003 .xls (OLE2/BIFF8, magic D0 CF 11 E0) written by LibreOffice and "
        "renamed data.xlsx. The format is told by the content, not the name: the file is read as "
        "the .xls it is.", write_source("xls_named_xlsx", "Test"), ["data.xlsx"],
        simple_good_expect(), as_of_from='title cell A1 "per 1 Mei 2025"'))

    # The title line, padded to the header's fields as a spreadsheet writes it, gives the as-of
    # date (a modification time would change with every checkout).
    body = ("per 1 Mei 2025,,,\nNo,Kabupaten/Kota,Jumlah Penduduk,Jumlah Peserta\n"
            "1,Kota Banjarmasin,681693,668240\n2,Kota Banjarbaru,285546,283905\n")
    open(os.path.join(case_dir("csv_named_xlsx"), "data.xlsx"), "w").write(body)
    CASES.append(Case(
        "csv_named_xlsx", "make_workbooks.py (CSV text)",
        "A CSV file named data.xlsx: plain text, not a zip. The format is told by the content, "
        "not the name: the file is read as the CSV it is.", write_source("csv_named_xlsx", "Test"),
        ["data.xlsx"], simple_good_expect(), as_of_from='title cell A1 "per 1 Mei 2025"'))

    d = os.path.join(stage, "bad_encrypted")
    os.makedirs(d, exist_ok=True)
    save_pinned(simple_good_workbook("Test", BAD_WHEN), os.path.join(d, "data.xlsx"))
    reg("bad_encrypted", "LibreOffice via UNO (lo_encrypt.py), password 'rahasia'",
        "A password-protected xlsx: an OLE2 container (D0 CF 11 E0) holding the streams "
        "EncryptionInfo and EncryptedPackage (ECMA-376 standard encryption, AES-128, as "
        "LibreOffice writes it; password \"rahasia\"). Its bytes change on every run (random salt).",
        "encrypted / password protected")

    wb = new_workbook("Test", BAD_WHEN)
    wb.active.title = "Sheet1"
    save_pinned(wb, os.path.join(case_dir("bad_empty"), "data.xlsx"))
    reg("bad_empty", OPENPYXL, "A valid workbook with one empty sheet: no header, no rows.",
        "no table found (empty workbook)")

    wb = new_workbook("Test", BAD_WHEN)
    ws = wb.active
    ws.title = "Laporan"
    for row in [["Laporan singkat kepesertaan"],
                ["Pada bulan ini jumlah peserta bertambah sekitar 12.345 jiwa."],
                ["Kegiatan sosialisasi dilakukan di 7 kecamatan."],
                [],
                [1, 2, 3, 4],
                [12345, 67890, 13579, 24680],
                ["Catatan", "angka di atas belum final"]]:
        ws.append(row)
    save_pinned(wb, os.path.join(case_dir("bad_no_table"), "data.xlsx"))
    reg("bad_no_table", OPENPYXL,
        "A valid workbook whose only sheet holds prose and bare numbers but no recognisable "
        "header row.", "no table found (no header row in the first 30 rows)")


def mixed_good_bad():
    """A good workbook (rekap_juni_2025.xlsx) next to a broken one (lampiran.xlsx, random text,
    sorts first): the bad file is rejected and counted, the good one is served."""
    name = "mixed_good_bad"
    rows = [("Kab. Ogan Komering Ilir", "16.02", 801059, 781447),
            ("Kab. Ogan Komering Ulu", "16.01", 390048, 382915)]
    wb = new_workbook("BPJS Kesehatan KC Palembang", dt.datetime(2025, 6, 3, 8, 0))
    palembang_simple(wb.active, "1 Juni 2025", rows)
    save_pinned(wb, os.path.join(case_dir(name), "rekap_juni_2025.xlsx"))
    open(os.path.join(case_dir(name), "lampiran.xlsx"), "wb").write(not_zip_bytes(2))
    expect = [Expect(code, dt.date(2025, 6, 1), pop, part, sheet_name=label,
                     reported=id_pct(pct(part, pop))) for label, code, pop, part in rows]
    CASES.append(Case(name, OPENPYXL + " + random text", mixed_good_bad.__doc__,
                      write_source(name, "Palembang", "Sumatera Selatan"),
                      ["lampiran.xlsx (bad)", "rekap_juni_2025.xlsx"], expect,
                      findings=["lampiran.xlsx rejected whole: not a zip (xlsx) file"],
                      as_of_from='title cell A2 "Posisi Data : 1 Juni 2025"'))


def coded_sheet(ws, titles, head, rows):
    """A title block and a table of (code, name, population, participants) rows, numbers as
    Indonesian text, with a % Cakupan column when head has six columns."""
    for r, t in enumerate(titles, start=1):
        ws.cell(row=r, column=1, value=t).font = BOLD
    header(ws, len(titles) + 2, head)
    for i, (code, label, pop, part) in enumerate(rows, start=1):
        row = [i, code, label, id_int(pop), id_int(part)]
        if len(head) == 6:
            row.append(id_pct(pct(part, pop)))
        ws.append(row)
    widths(ws, 5, 12, 24, 16, 16, 11)


def merauke_rekap(path, when, posisi, rows):
    """KC Merauke's regency sheet "Rekap" of (code, name, population, participants) rows."""
    wb = new_workbook("BPJS Kesehatan KC Merauke", when)
    ws = wb.active
    ws.title = "Rekap"
    coded_sheet(ws, ["REKAPITULASI KEPESERTAAN JKN KC MERAUKE", "Posisi Data : " + posisi],
                ["No", "Kode Wilayah", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "% Cakupan"],
                rows)
    save_pinned(wb, path)


def old_codes_papua():
    """A KC Merauke sheet of December 2021, before the Papua split: every regency carries its
    Papua code of then (91.01 Merauke, 91.16 Boven Digoel, 91.17 Mappi, 91.18 Asmat), renumbered
    into Papua Selatan by Kepmendagri 100.1.1-6117/2022. Each row is served under today's code
    (93.01-93.04) with a region_code_changed finding naming the old code, the new code and both
    decrees. The last row is the province, "PROVINSI PAPUA" code 91, with the figures of the old
    province (population: today's Papua, Papua Selatan, Papua Tengah and Papua Pegunungan
    together): it is rejected (province_before_split), since served as today's Papua (91) it
    would count four provinces' residents. Populations are today's (population_2025.csv),
    participants made up."""
    name = "old_codes_papua"
    as_of = dt.date(2021, 12, 31)
    rows = [("91.01", "KAB. MERAUKE", "93.01", 255168, 249871),
            ("91.16", "KAB. BOVEN DIGOEL", "93.02", 71997, 69412),
            ("91.17", "KAB. MAPPI", "93.03", 114153, 108227),
            ("91.18", "KAB. ASMAT", "93.04", 120902, 111530)]
    merauke_rekap(os.path.join(case_dir(name), "rekap_kc_merauke_desember_2021.xlsx"),
                  dt.datetime(2022, 1, 5, 9, 0), "31 Desember 2021",
                  [(old, label, pop, part) for old, label, _, pop, part in rows]
                  + [("91", "PROVINSI PAPUA", 1102360 + 562220 + 1369112 + 1470518, 4213406)])
    expect = [Expect(new, as_of, pop, part, sheet_name="%s %s" % (old, label),
                     reported=id_pct(pct(part, pop)), note="old code %s" % old)
              for old, label, new, pop, part in rows]
    CASES.append(Case(
        name, OPENPYXL, old_codes_papua.__doc__, write_source(name, "Merauke"),
        ["rekap_kc_merauke_desember_2021.xlsx"], expect,
        findings=["rows 5-8: region_code_changed, 91.01 -> 93.01, 91.16 -> 93.02, 91.17 -> 93.03, "
                  "91.18 -> 93.04 (Kepmendagri 100.1.1-6117/2022)",
                  "row 9: PROVINSI PAPUA (91) rejected, province_before_split"],
        as_of_from='title cell A2 "Posisi Data : 31 Desember 2021"'))


def papua_selatan_2023():
    """The KC Merauke sheet of December 2023, after the split: the same four regencies under
    their Papua Selatan codes (93.01-93.04) and the province row "PROVINSI PAPUA SELATAN" (93),
    all served, no finding. With old_codes_papua it is two years of one office: the backfill
    test reads both and finds one history per region under today's codes. Populations are
    today's (population_2025.csv), participants made up."""
    name = "papua_selatan_2023"
    as_of = dt.date(2023, 12, 31)
    rows = [("93.01", "Kab. Merauke", 255168, 251930), ("93.02", "Kab. Boven Digoel", 71997, 70105),
            ("93.03", "Kab. Mappi", 114153, 110346), ("93.04", "Kab. Asmat", 120902, 114228),
            ("93", "PROVINSI PAPUA SELATAN", 562220, 546609)]
    merauke_rekap(os.path.join(case_dir(name), "rekap_kc_merauke_desember_2023.xlsx"),
                  dt.datetime(2024, 1, 4, 9, 0), "31 Desember 2023", rows)
    expect = [Expect(code, as_of, pop, part, sheet_name=label, reported=id_pct(pct(part, pop)))
              for code, label, pop, part in rows]
    CASES.append(Case(
        name, OPENPYXL, papua_selatan_2023.__doc__, write_source(name, "Merauke"),
        ["rekap_kc_merauke_desember_2023.xlsx"], expect,
        as_of_from='title cell A2 "Posisi Data : 31 Desember 2023"'))


def old_codes_districts():
    """A KC Wamena district (kecamatan) sheet of June 2021 with the old Papua district codes.
    The districts were renumbered inside their regency too, so the old suffix is not today's:
    old 91.02.03 Kurulu is 95.01.02 today (95.01.03 is Asologaima, old 91.02.04), old 91.02.41
    Napua is 95.01.13 (there is no 95.01.41). Each resolves by region/data/changes/
    district_village_code_changes.csv, by name, with a region_code_changed finding. Two rows
    are rejected: 91.13.01 Kurima (Yahukimo) still exists as 95.03.01 but gave villages to the
    new district Ukha, so its old figures are another area's; 91.13.36 Holuon has no district
    of that name today. District populations made up."""
    name = "old_codes_districts"
    as_of = dt.date(2021, 6, 30)
    rows = [("91.02.01", "Wamena", "95.01.01", 71253, 69870),
            ("91.02.03", "Kurulu", "95.01.02", 9412, 8893),
            ("91.02.04", "Asologaima", "95.01.03", 11087, 10240),
            ("91.02.41", "Napua", "95.01.13", 6021, 5518)]
    bad = [("91.13.01", "Kurima", 14330, 13012), ("91.13.36", "Holuon", 3904, 3511)]
    wb = new_workbook("BPJS Kesehatan KC Wamena", dt.datetime(2021, 7, 6, 10, 0))
    ws = wb.active
    ws.title = "Kecamatan"
    coded_sheet(ws, ["REKAP KEPESERTAAN JKN PER KECAMATAN", "KC WAMENA",
                     "Posisi Data : 30 Juni 2021"],
                ["No", "Kode", "Kecamatan", "Jumlah Penduduk", "Jumlah Peserta"],
                [(old, label, pop, part) for old, label, _, pop, part in rows] + bad)
    save_pinned(wb, os.path.join(case_dir(name), "kepesertaan_distrik_juni_2021.xlsx"))
    expect = [Expect(new, as_of, pop, part, sheet_name="%s %s" % (old, label), note="old code %s" % old)
              for old, label, new, pop, part in rows]
    CASES.append(Case(
        name, OPENPYXL, old_codes_districts.__doc__, write_source(name, "Wamena"),
        ["kepesertaan_distrik_juni_2021.xlsx"], expect,
        findings=["rows 6-9: region_code_changed, 91.02.01 -> 95.01.01, 91.02.03 -> 95.01.02, "
                  "91.02.04 -> 95.01.03, 91.02.41 -> 95.01.13",
                  "row 10: 91.13.01 Kurima rejected (its villages did not all stay with it)",
                  "row 11: 91.13.36 Holuon rejected (no district of that name today)"],
        as_of_from='title cell A3 "Posisi Data : 30 Juni 2021"'))


def old_names():
    """A Sumatera Utara sheet of December 2019 that still writes "Kab. Toba Samosir", the name
    Kabupaten Toba (12.12) had until Permendagri 72/2019: served as Kabupaten Toba with a
    region_renamed finding naming the old and new name and the decree (Permendagri 58/2021).
    Beside it two regencies whose names did not change. No codes; the province from
    source.yml."""
    name = "old_names"
    as_of = dt.date(2019, 12, 31)
    rows = [("Kab. Toba Samosir", "12.12", 220508, 214911),
            ("Kab. Samosir", "12.17", 149875, 143262),
            ("Kab. Humbang Hasundutan", "12.16", 211022, 203718)]
    wb = new_workbook("BPJS Kesehatan KC Pematangsiantar", dt.datetime(2020, 1, 7, 9, 0))
    palembang_simple(wb.active, "31 Desember 2019", rows)
    save_pinned(wb, os.path.join(case_dir(name), "rekap_desember_2019.xlsx"))
    expect = [Expect(code, as_of, pop, part, sheet_name=label, reported=id_pct(pct(part, pop)))
              for label, code, pop, part in rows]
    expect[0].note = "old name: Kabupaten Toba since Permendagri 58/2021"
    CASES.append(Case(
        name, OPENPYXL, old_names.__doc__, write_source(name, "Pematangsiantar", "Sumatera Utara"),
        ["rekap_desember_2019.xlsx"], expect,
        findings=["row 5: region_renamed, Kab. Toba Samosir -> Kabupaten Toba (12.12)"],
        as_of_from='title cell A2 "Posisi Data : 31 Desember 2019"'))


# ---------------------------------------------------------------------------------------------
# Harder layouts (issue 13): column numbers, three-row headers, the level a column states, the
# regency a title names, segments split into Aktif | Non Aktif.

def column_numbers():
    """A KC Lahat sheet whose two-row header (Peserta JKN merged over Jumlah | Aktif) is followed
    by a unit row "(Jiwa)" and a column-number row "(1) (2) (3) (4) (5) (6)=(4)/(3)": neither is
    data nor a rejected row (both skipped). Kab. Ogan Ilir's row has TWO bad numbers ("43l.210"
    participants, "3S1.002" active): two bad_number findings, but one rejected row, so
    jkn_source_rows{status="rejected"} is 1 (it counted findings, 2, before). Numbers as
    Indonesian text; populations from population_2025.csv, participants made up."""
    name = "column_numbers"
    as_of = dt.date(2025, 6, 30)
    rows = [("Kab. Lahat", "16.04", 448141, 437912, 351208),
            ("Kab. Muara Enim", "16.03", 653731, 641025, 512330),
            ("Kota Prabumulih", "16.74", 213523, 210874, 171502)]
    wb = new_workbook("BPJS Kesehatan KC Lahat", dt.datetime(2025, 7, 3, 9, 0))
    ws = wb.active
    ws.title = "Rekap"
    ws["A1"] = "REKAPITULASI KEPESERTAAN JKN KC LAHAT"
    ws["A1"].font = BOLD
    ws["A2"] = "Posisi Data : 30 Juni 2025"
    header(ws, 4, ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Peserta JKN", None, "% Cakupan"])
    header(ws, 5, [None, None, None, "Jumlah", "Aktif"])
    for rng in ["A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:F5"]:
        ws.merge_cells(rng)
    ws.append(["", "", "(Jiwa)", "(Jiwa)", "(Jiwa)", "(%)"])
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)=(4)/(3)"])
    expect = []
    for i, (label, code, pop, part, act) in enumerate(rows, start=1):
        ws.append([i, label, id_int(pop), id_int(part), id_int(act), id_pct(pct(part, pop))])
        expect.append(Expect(code, as_of, pop, part, act, sheet_name=label, reported=id_pct(pct(part, pop))))
    ws.append([4, "Kab. Ogan Ilir", id_int(446020), "43l.210", "3S1.002", "96,69%"])
    widths(ws, 5, 22, 16, 14, 14, 12)
    save_pinned(wb, os.path.join(case_dir(name), "rekap_kc_lahat_juni_2025.xlsx"))
    CASES.append(Case(
        name, OPENPYXL, column_numbers.__doc__, write_source(name, "Lahat", "Sumatera Selatan"),
        ["rekap_kc_lahat_juni_2025.xlsx"], expect,
        findings=['row 11, columns D and E (Kab. Ogan Ilir): "43l.210" and "3S1.002" are not numbers: '
                  'one row rejected, two findings'],
        as_of_from='title cell A2 "Posisi Data : 30 Juni 2025"',
        notes=["the unit row (row 6) and the column-number row (row 7) are skipped (2 rows)"]))


def header_three_rows():
    """A three-row merged header: "DATA KEPESERTAAN" (D4:G4) over "Kepesertaan JKN" (D5:F5) over
    "Jumlah | Aktif | Non Aktif", with "% Cakupan" merged down G5:G6 and No, Kabupaten/Kota and
    Jumlah Penduduk merged down over all three rows. Read as two rows (rows 4-5), "Kepesertaan
    JKN" made all three columns participants and two of them duplicate_column: the active
    column was lost. Read as three rows, each keeps its meaning. Numeric cells; populations
    from population_2025.csv, participants made up."""
    name = "header_three_rows"
    as_of = dt.date(2025, 5, 31)
    rows = [("Kab. Rejang Lebong", "17.02", 288582, 281340, 224105),
            ("Kab. Kaur", "17.04", 136533, 132018, 101244),
            ("Kab. Seluma", "17.05", 216028, 209311, 160875)]
    wb = new_workbook("BPJS Kesehatan KC Bengkulu", dt.datetime(2025, 6, 4, 10, 0))
    ws = wb.active
    ws.title = "Kepesertaan"
    ws["A1"] = "REKAP KEPESERTAAN JKN PROVINSI BENGKULU"
    ws["A1"].font = BOLD
    ws["A2"] = "Posisi Data : 31 Mei 2025"
    header(ws, 4, ["No", "Kabupaten/Kota", "Jumlah Penduduk", "DATA KEPESERTAAN"])
    header(ws, 5, [None, None, None, "Kepesertaan JKN", None, None, "% Cakupan"])
    header(ws, 6, [None, None, None, "Jumlah", "Aktif", "Non Aktif"])
    for rng in ["A4:A6", "B4:B6", "C4:C6", "D4:G4", "D5:F5", "G5:G6"]:
        ws.merge_cells(rng)
    expect = []
    for i, (label, code, pop, part, act) in enumerate(rows, start=1):
        ws.append([i, label, pop, part, act, part - act, float(pct(part, pop))])
        r = ws.max_row
        for col in "CDEF":
            ws["%s%d" % (col, r)].number_format = "#,##0"
        ws["G%d" % r].number_format = "0.00"
        expect.append(Expect(code, as_of, pop, part, act, sheet_name=label,
                             reported="%s (points)" % pct(part, pop),
                             note="inactive %s" % en_int(part - act)))
    widths(ws, 5, 22, 16, 14, 14, 14, 11)
    save_pinned(wb, os.path.join(case_dir(name), "kepesertaan_bengkulu_mei_2025.xlsx"))
    CASES.append(Case(
        name, OPENPYXL, header_three_rows.__doc__, write_source(name, "Bengkulu", "Bengkulu"),
        ["kepesertaan_bengkulu_mei_2025.xlsx"], expect,
        as_of_from='title cell A2 "Posisi Data : 31 Mei 2025"'))


def district_in_title():
    """A KC Sidoarjo district (kecamatan) sheet for one regency, named only in the title row
    "KABUPATEN SIDOARJO", with a "Kecamatan" column of bare names and no codes, no province in
    source.yml. The title scopes the rows: the names, unique inside Kabupaten Sidoarjo (35.15),
    resolve to its districts. The row "SIDOARJO" is the district Sidoarjo (35.15.08), never the
    regency (it was served as the regency, with one district's figures, and the other rows
    rejected). "GUBENG" is a district of Kota Surabaya, not of Sidoarjo: rejected. The JUMLAH
    row is skipped. District populations and participants made up."""
    name = "district_in_title"
    as_of = dt.date(2025, 6, 30)
    rows = [("SIDOARJO", "35.15.08", 213408, 209871, 168230),
            ("CANDI", "35.15.07", 167325, 163012, 129874),
            ("BUDURAN", "35.15.15", 104781, 101936, 80457),
            ("WARU", "35.15.18", 252046, 247390, 199713),
            ("TAMAN", "35.15.13", 247580, 243112, 191206)]
    wb = new_workbook("BPJS Kesehatan KC Sidoarjo", dt.datetime(2025, 7, 2, 8, 0))
    ws = wb.active
    ws.title = "Kecamatan"
    for r, t in enumerate(["REKAPITULASI KEPESERTAAN JKN PER KECAMATAN", "KABUPATEN SIDOARJO",
                           "Posisi Data : 30 Juni 2025"], start=1):
        ws.cell(row=r, column=1, value=t).font = BOLD
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=5)
    header(ws, 5, ["No", "Kecamatan", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif"])
    expect = []
    for i, (label, code, pop, part, act) in enumerate(rows, start=1):
        ws.append([i, label, pop, part, act])
        expect.append(Expect(code, as_of, pop, part, act, sheet_name=label,
                             note="the district, not Kabupaten Sidoarjo" if label == "SIDOARJO" else ""))
    ws.append([6, "GUBENG", 151021, 148312, 120004])
    ws.append(["", "JUMLAH"] + [sum(r[k] for r in rows) + v for k, v in ((2, 151021), (3, 148312), (4, 120004))])
    widths(ws, 5, 20, 16, 16, 16)
    save_pinned(wb, os.path.join(case_dir(name), "kepesertaan_kecamatan_juni_2025.xlsx"))
    CASES.append(Case(
        name, OPENPYXL, district_in_title.__doc__, write_source(name, "Sidoarjo"),
        ["kepesertaan_kecamatan_juni_2025.xlsx"], expect,
        findings=['row 11: "GUBENG" is no district of Kabupaten Sidoarjo: rejected'],
        as_of_from='title cell A3 "Posisi Data : 30 Juni 2025"',
        notes=['the rows are looked for in Kabupaten Sidoarjo (35.15), from title cell A2 "KABUPATEN SIDOARJO"',
               "the JUMLAH row is skipped"]))


def village_in_title():
    """A KC Sidoarjo village sheet: the title names "KABUPATEN SIDOARJO", a "Desa/Kelurahan" column
    of bare names and no district column. Names unique inside Kabupaten Sidoarjo resolve to
    their village (Sidokare and Celep are kelurahan of Sidoarjo district, Karangtanjung and
    Sumorame desa of Candi); names that repeat inside it are rejected with a finding naming each
    candidate: "Janti" (3 desa: in Tarik, Tulangan, Waru) and "Sidodadi" (2: in Candi, Taman).
    Village figures made up."""
    name = "village_in_title"
    as_of = dt.date(2025, 6, 30)
    rows = [("Sidokare", "35.15.08.1004", 24310, 23877),
            ("Celep", "35.15.08.1005", 9875, 9702),
            ("Karangtanjung", "35.15.07.2001", 4412, 4301),
            ("Sumorame", "35.15.07.2002", 6120, 5987)]
    bad = [("Janti", 5213, 5102), ("Sidodadi", 3980, 3874)]
    wb = new_workbook("BPJS Kesehatan KC Sidoarjo", dt.datetime(2025, 7, 2, 8, 30))
    ws = wb.active
    ws.title = "Desa"
    for r, t in enumerate(["DATA KEPESERTAAN JKN PER DESA/KELURAHAN", "KABUPATEN SIDOARJO",
                           "Posisi Data : 30 Juni 2025"], start=1):
        ws.cell(row=r, column=1, value=t).font = BOLD
    header(ws, 5, ["No", "Desa/Kelurahan", "Jumlah Penduduk", "Jumlah Peserta"])
    expect = []
    for i, (label, code, pop, part) in enumerate(rows + [(b[0], None, b[1], b[2]) for b in bad], start=1):
        ws.append([i, label, id_int(pop), id_int(part)])
        if code:
            expect.append(Expect(code, as_of, pop, part, sheet_name=label))
    widths(ws, 5, 20, 16, 16)
    save_pinned(wb, os.path.join(case_dir(name), "kepesertaan_desa_juni_2025.xlsx"))
    CASES.append(Case(
        name, OPENPYXL, village_in_title.__doc__, write_source(name, "Sidoarjo"),
        ["kepesertaan_desa_juni_2025.xlsx"], expect,
        findings=['row 10: "Janti" is 3 villages of Kabupaten Sidoarjo (35.15.01.2018, 35.15.09.2001, '
                  '35.15.18.2014): rejected',
                  'row 11: "Sidodadi" is 2 villages of Kabupaten Sidoarjo (35.15.07.2018, 35.15.13.2009): rejected'],
        as_of_from='title cell A3 "Posisi Data : 30 Juni 2025"',
        notes=['the rows are looked for in Kabupaten Sidoarjo (35.15), from title cell A2 "KABUPATEN SIDOARJO"']))


SPLIT_SEGS = ["PBI APBN", "PBI APBD", "PPU", "PBPU", "BP"]


def segments_split():
    """A KC Banjarmasin sheet whose segment headings ("PBI APBN", "PBI APBD", "PPU", "PBPU", "BP")
    each span two sub-columns "Aktif | Non Aktif", with NO total participants or active column.
    Each segment's participants are the sum of its two sub-columns (jkn_segment_participants),
    its Aktif sub-column is jkn_segment_active_participants; the region's participants and
    active are the sums over the segments, with one totals_from_segments finding saying so.
    (Before: each heading was mapped to its first sub-column, so the active count was served as
    the segment's participants and the Non Aktif columns were dropped without a word.) Numeric
    cells; populations from population_2025.csv, segment counts made up."""
    name = "segments_split"
    as_of = dt.date(2025, 5, 31)
    rows = [  # label, code, population, [(aktif, non aktif) per segment]
        ("Kab. Tanah Laut", "63.01", 369818, [(131204, 9876), (42310, 3120), (70452, 4211), (61877, 28903), (8120, 1034)]),
        ("Kab. Tapin", "63.05", 202061, [(74105, 5230), (21877, 1902), (35620, 2117), (33012, 16250), (4521, 688)]),
        ("Kab. Barito Kuala", "63.04", 329799, [(121840, 8710), (35102, 2803), (58214, 3650), (55930, 27118), (7012, 977)]),
    ]
    wb = new_workbook("BPJS Kesehatan KC Banjarmasin", dt.datetime(2025, 6, 5, 9, 0))
    ws = wb.active
    ws.title = "Segmen"
    ws["A1"] = "REKAPITULASI PESERTA JKN PER SEGMEN KC BANJARMASIN"
    ws["A1"].font = BOLD
    ws["A2"] = "Posisi Data : 31 Mei 2025"
    top = ["No", "Kabupaten/Kota", "Jumlah Penduduk"]
    for seg in SPLIT_SEGS:
        top += [seg, None]
    header(ws, 4, top)
    header(ws, 5, [None, None, None] + ["Aktif", "Non Aktif"] * len(SPLIT_SEGS))
    for rng in ["A4:A5", "B4:B5", "C4:C5"]:
        ws.merge_cells(rng)
    for k in range(len(SPLIT_SEGS)):
        ws.merge_cells(start_row=4, start_column=4 + 2 * k, end_row=4, end_column=5 + 2 * k)
    expect = []
    for i, (label, code, pop, segs) in enumerate(rows, start=1):
        ws.append([i, label, pop] + [v for pair in segs for v in pair])
        for c in ws[ws.max_row][2:]:
            c.number_format = "#,##0"
        sums = {s: a + n for s, (a, n) in zip(SPLIT_SEGS, segs)}
        act = sum(a for a, _ in segs)
        expect.append(Expect(code, as_of, pop, sum(sums.values()), act, segments=sums, sheet_name=label,
                             note="participants and active summed from the segments; active per segment "
                                  + ", ".join("%s %s" % (s, en_int(a)) for s, (a, _) in zip(SPLIT_SEGS, segs))))
    widths(ws, 5, 20, 16, *([10] * 10))
    save_pinned(wb, os.path.join(case_dir(name), "segmen_kc_banjarmasin_mei_2025.xlsx"))
    CASES.append(Case(
        name, OPENPYXL, segments_split.__doc__, write_source(name, "Banjarmasin", "Kalimantan Selatan"),
        ["segmen_kc_banjarmasin_mei_2025.xlsx"], expect,
        findings=["row 5: totals_from_segments: participants and active participants are the sums of the "
                  "segment columns (the sheet has no column for them)"],
        as_of_from='title cell A2 "Posisi Data : 31 Mei 2025"'))


# The rules cases: criteria by date, the UHC Award 2026 tiers, reporting completeness and the
# checks between one month's sheet and the next. Populations are Dukcapil's 2025 figures
# (population_2025.csv), or rounded to 10,000 where a ratio must land exactly on a threshold.

def cnt(pop, pct):
    """pct percent (a string, two decimals) of pop, exactly: a figure placed on a threshold."""
    v = Decimal(pop) * Decimal(pct) / 100
    if v != v.to_integral_value():
        raise SystemExit("%s%% of %d is not a whole number" % (pct, pop))
    return int(v)


def numeric_rows(ws, first_row, numeric_cols):
    """'#,##0' on the count columns of every row from first_row on."""
    for r in range(first_row, ws.max_row + 1):
        for col in numeric_cols:
            ws["%s%d" % (col, r)].number_format = "#,##0"


BY_DATE_2023_ROWS = [  # label, code, population, coverage %, active %, what it shows
    ("Kab. Bengkulu Selatan", "17.01", 180000, "97.00", "78.00",
     "meets uhc_2023 (>= 95% / >= 75%); under uhc_2025 it would be below both"),
    ("Kab. Bengkulu Utara", "17.03", 310000, "95.00", "75.00", "meets uhc_2023 at both thresholds"),
    ("Kab. Bengkulu Tengah", "17.09", 130000, "94.99", "80.00", "below the 2023 coverage target"),
    ("Kab. Mukomuko", "17.06", 210000, "96.00", "74.99", "below the 2023 active target"),
]


def by_date_2023():
    """A September 2023 sheet of KC Bengkulu read under `criteria: by_date`: every region is
    judged under uhc_2023, the set in force then (coverage >= 95%, active >= 75%, met at the
    threshold), not under 2025's stricter set. Populations are Dukcapil's rounded to 10,000 so
    that 95.00% and 75.00% are exact; jkn_uhc_criteria_info says uhc_2023 for each region."""
    name = "by_date_2023"
    as_of = dt.date(2023, 9, 1)
    wb = new_workbook("BPJS Kesehatan KC Bengkulu", dt.datetime(2023, 9, 4, 8, 0))
    ws = wb.active
    ws.title = "Rekap"
    ws["A1"] = "REKAP KEPESERTAAN JKN KC BENGKULU"
    ws["A1"].font = BOLD
    ws["A2"] = "Posisi Data : 1 September 2023"
    header(ws, 4, ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif"])
    expect = []
    for i, (label, code, pop, cov, act, note) in enumerate(BY_DATE_2023_ROWS, start=1):
        part, active = cnt(pop, cov), cnt(pop, act)
        ws.append([i, label, pop, part, active])
        expect.append(Expect(code, as_of, pop, part, active, sheet_name=label, note=note))
    numeric_rows(ws, 5, "CDE")
    widths(ws, 5, 24, 16, 16, 14)
    save_pinned(wb, os.path.join(case_dir(name), "rekap_september_2023.xlsx"))
    CASES.append(Case(name, OPENPYXL, by_date_2023.__doc__,
                      write_source(name, "Bengkulu", "Bengkulu", [("criteria", "by_date")]),
                      ["rekap_september_2023.xlsx"], expect,
                      as_of_from='title cell A2 "Posisi Data : 1 September 2023"'))


BY_DATE_BOUNDARY_ROWS = [  # label, code, population, as-of, coverage %, active %, what it shows
    ("Kab. Bangka", "19.01", 340000, dt.date(2024, 12, 31), "97.00", "78.00",
     "2024-12-31: uhc_2023, meets its targets"),
    ("Kab. Belitung", "19.02", 190000, dt.date(2025, 1, 1), "97.00", "78.00",
     "2025-01-01: uhc_2025, the same ratios below both targets"),
    ("Kab. Bangka Selatan", "19.03", 220000, dt.date(2025, 1, 1), "98.00", "80.00",
     "2025-01-01: uhc_2025 is strict, exactly 98% / 80% is below both"),
    ("Kab. Bangka Barat", "19.05", 220000, dt.date(2025, 1, 1), "98.01", "80.01",
     "2025-01-01: uhc_2025, just above both: meets"),
]


def by_date_boundary():
    """The day the criteria changed, in one sheet under `criteria: by_date`: a Tanggal Data
    column of date cells puts Kab. Bangka at 2024-12-31 (uhc_2023 in force: 97% / 78% meets)
    and the other rows at 2025-01-01 (uhc_2025: the same 97% / 78% is below both targets,
    exactly 98% / 80% is below both too, as 2025's set is met only above its thresholds, and
    98.01% / 80.01% meets). Each row is judged at its own date."""
    name = "by_date_boundary"
    wb = new_workbook("BPJS Kesehatan KC Pangkalpinang", dt.datetime(2025, 1, 6, 8, 0))
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "REKAP KEPESERTAAN JKN KC PANGKALPINANG"
    ws["A1"].font = BOLD
    header(ws, 3, ["No", "Kabupaten/Kota", "Tanggal Data", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif"])
    expect = []
    for i, (label, code, pop, as_of, cov, act, note) in enumerate(BY_DATE_BOUNDARY_ROWS, start=1):
        part, active = cnt(pop, cov), cnt(pop, act)
        ws.append([i, label, dt.datetime(as_of.year, as_of.month, as_of.day), pop, part, active])
        ws["C%d" % ws.max_row].number_format = "dd/mm/yyyy"
        expect.append(Expect(code, as_of, pop, part, active, sheet_name=label, note=note))
    numeric_rows(ws, 4, "DEF")
    widths(ws, 5, 22, 14, 16, 16, 14)
    save_pinned(wb, os.path.join(case_dir(name), "rekap_pergantian_tahun.xlsx"))
    CASES.append(Case(name, OPENPYXL, by_date_boundary.__doc__,
                      write_source(name, "Pangkalpinang", "Kepulauan Bangka Belitung", [("criteria", "by_date")]),
                      ["rekap_pergantian_tahun.xlsx"], expect,
                      as_of_from="column C Tanggal Data (date cells; each row keeps its own date)"))


AWARD_ROWS = [  # code, label, population, coverage %, active %, PBPU Pemda %, tier, what it shows
    ("63.01", "Kab. Tanah Laut", 370000, "99.00", "95.00", "18.00", "utama", "Utama at every threshold"),
    ("63.02", "Kab. Kotabaru", 330000, "99.00", "95.00", "17.99", "madya", "Utama's Pemda share just short"),
    ("63.03", "Kab. Banjar", 590000, "100.20", "100.00", "5.00", "utama", "Utama's Pemda share waived at 100% active"),
    ("63.04", "Kab. Barito Kuala", 330000, "98.00", "85.00", "10.00", "madya", "Madya at its thresholds"),
    ("63.05", "Kab. Tapin", 200000, "98.00", "84.99", "10.00", "pratama", "Madya's active just short"),
    ("63.06", "Kab. Hulu Sungai Selatan", 240000, "98.00", "80.00", "25.00", "madya",
     "Madya by the alternative, at its thresholds (Pemda 25% with active 80%)"),
    ("63.07", "Kab. Hulu Sungai Tengah", 270000, "98.00", "80.00", "24.99", "pratama", "the alternative's Pemda share just short"),
    ("63.08", "Kab. Hulu Sungai Utara", 240000, "98.00", "80.00", "5.00", "pratama", "Pratama at its thresholds"),
    ("63.09", "Kab. Tabalong", 270000, "97.99", "85.00", "30.00", "none", "coverage just short of every tier"),
    ("63.10", "Kab. Tanah Bumbu", 360000, "98.50", "79.99", "30.00", "none", "active just short of every tier"),
    ("63.11", "Kab. Balangan", 140000, "99.60", "96.00", "30.00", "utama", "Utama (Balangan's 2026 tier)"),
    ("63.71", "Kota Banjarmasin", 680000, "101.50", "96.00", "20.00", "utama", "coverage above 100% meets"),
    ("63.72", "Kota Banjarbaru", 290000, "99.00", "94.99", "40.00", "madya", "Utama's active just short"),
]


def award_tiers():
    """Every UHC Award 2026 tier and its boundaries, with the default thresholds: Utama
    (coverage >= 99%, active >= 95%, PBPU Pemda >= 18% of residents, waived at 100% active),
    Madya (>= 98% and >= 85%, or >= 98% with Pemda >= 25% and active >= 80%), Pratama (>= 98%
    and >= 80%), none. One row per case, each at a threshold or 0.01 points short of one;
    populations are Dukcapil's rounded to 10,000 so the thresholds are exact. A PBPU Pemda
    column (the only segment: the breakdown is not checked)."""
    name = "award_tiers"
    as_of = dt.date(2025, 12, 1)
    wb = new_workbook("BPJS Kesehatan KC Banjarmasin", dt.datetime(2025, 12, 3, 8, 0))
    ws = wb.active
    ws.title = "Data"
    ws["A1"] = "REKAP KEPESERTAAN JKN KC BANJARMASIN"
    ws["A1"].font = BOLD
    ws["A2"] = "per 1 Desember 2025"
    header(ws, 4, ["No", "Kode", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif", "PBPU Pemda"])
    expect = []
    for i, (code, label, pop, cov, act, pemda, tier, note) in enumerate(AWARD_ROWS, start=1):
        part, active, pem = cnt(pop, cov), cnt(pop, act), cnt(pop, pemda)
        ws.append([i, code, label, pop, part, active, pem])
        expect.append(Expect(code, as_of, pop, part, active, sheet_name=label,
                             note="tier %s: %s; PBPU Pemda %s (%s%%)" % (tier, note, en_int(pem), pemda)))
    numeric_rows(ws, 5, "DEFG")
    widths(ws, 5, 8, 26, 16, 16, 14, 12)
    save_pinned(wb, os.path.join(case_dir(name), "rekap_desember_2025.xlsx"))
    CASES.append(Case(name, OPENPYXL, award_tiers.__doc__,
                      write_source(name, "Banjarmasin", "Kalimantan Selatan"), ["rekap_desember_2025.xlsx"],
                      expect, as_of_from='title cell A2 "per 1 Desember 2025"'))


NO_PEMDA_ROWS = [  # code, label, population, coverage %, active % (None: empty cell), tier, what it shows
    ("17.01", "Kab. Bengkulu Selatan", 180000, "99.50", "96.00", "unknown", "Utama or Madya: decided by the Pemda share"),
    ("17.02", "Kab. Rejang Lebong", 290000, "100.20", "100.00", "utama", "100% active waives the Pemda share"),
    ("17.03", "Kab. Bengkulu Utara", 310000, "98.50", "82.00", "unknown", "Madya (by the alternative) or Pratama"),
    ("17.04", "Kab. Kaur", 140000, "98.50", "87.00", "madya", "Madya on active alone"),
    ("17.05", "Kab. Seluma", 220000, "97.50", "82.00", "none", "below every tier whatever the share"),
    ("17.06", "Kab. Mukomuko", 210000, "99.00", None, "unknown", "no active figure (empty cell)"),
    ("17.71.01", "Kec. Selebar", 130000, "99.50", "96.00", "", "a district: no award, no tier series"),
]


def award_tiers_no_pemda():
    """A sheet without any PBPU Pemda segment: the tier is unknown where the Pemda-registered
    share would decide it (Utama or Madya, Madya or Pratama), and known where it would not
    (100% active waives it, 87% active is Madya alone, 97.5% coverage is below every tier). A
    row with an empty active cell is unknown too. A district row (by its code) gets no tier:
    districts and villages receive no award."""
    name = "award_tiers_no_pemda"
    as_of = dt.date(2025, 12, 1)
    wb = new_workbook("BPJS Kesehatan KC Bengkulu", dt.datetime(2025, 12, 3, 8, 0))
    ws = wb.active
    ws.title = "Rekap"
    ws["A1"] = "REKAP KEPESERTAAN JKN KC BENGKULU"
    ws["A1"].font = BOLD
    ws["A2"] = "per 1 Desember 2025"
    header(ws, 4, ["No", "Kode", "Wilayah", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif"])
    expect = []
    for i, (code, label, pop, cov, act, tier, note) in enumerate(NO_PEMDA_ROWS, start=1):
        part = cnt(pop, cov)
        active = cnt(pop, act) if act else None
        ws.append([i, code, label, pop, part, active])
        expect.append(Expect(code, as_of, pop, part, active, sheet_name=label,
                             note=("tier %s: %s" % (tier, note)) if tier else note))
    numeric_rows(ws, 5, "DEF")
    widths(ws, 5, 10, 24, 16, 16, 14)
    save_pinned(wb, os.path.join(case_dir(name), "rekap_desember_2025.xlsx"))
    CASES.append(Case(name, OPENPYXL, award_tiers_no_pemda.__doc__,
                      write_source(name, "Bengkulu", "Bengkulu"), ["rekap_desember_2025.xlsx"],
                      expect, as_of_from='title cell A2 "per 1 Desember 2025"'))


def step_dir(name, step):
    d = os.path.join(case_dir(name), step)
    os.makedirs(d, exist_ok=True)
    return d


DROPPED_ROWS = [("Kab. Ogan Komering Ilir", "16.02", 801059, 781447), ("Kab. Musi Banyuasin", "16.06", 736897, 721534),
                ("Kab. Banyuasin", "16.07", 888324, 869811), ("Kab. Ogan Ilir", "16.10", 446020, 437512),
                ("Kota Palembang", "16.71", 1801367, 1769902)]


def region_dropped():
    """A region dropped from one month to the next, read in two steps: step1/ holds KC
    Palembang's May sheet with its five regencies and cities; in step2/ the office has replaced
    it with the June sheet, which leaves out Kab. Ogan Ilir. The source has no configured list,
    so it expects what its earlier sheets carried: the June ingest reports Ogan Ilir missing (a
    region_missing finding naming the region and the sheet, jkn_region_missing with the region's
    labels, 4 of 5 expected regions reported) although its figures are no longer served."""
    name = "region_dropped"
    expect = []
    for step, fname, title, month, when, rows in [
            ("step1", "rekap_mei_2025.xlsx", "1 Mei 2025", 5, dt.datetime(2025, 5, 5, 8, 0), DROPPED_ROWS),
            ("step2", "rekap_juni_2025.xlsx", "1 Juni 2025", 6, dt.datetime(2025, 6, 4, 8, 0),
             [(l, c, p, q + 1000) for l, c, p, q in DROPPED_ROWS if c != "16.10"])]:
        wb = new_workbook("BPJS Kesehatan KC Palembang", when)
        palembang_simple(wb.active, title, rows)
        save_pinned(wb, os.path.join(step_dir(name, step), fname))
        expect += [Expect(code, dt.date(2025, month, 1), pop, part, sheet_name=label,
                          reported=id_pct(pct(part, pop)), note=step) for label, code, pop, part in rows]
    CASES.append(Case(name, OPENPYXL, region_dropped.__doc__,
                      write_source(name, "Palembang", "Sumatera Selatan"),
                      ["step1/rekap_mei_2025.xlsx", "step2/rekap_juni_2025.xlsx"], expect,
                      findings=["step2: Kabupaten Ogan Ilir (16.10) is not in rekap_juni_2025.xlsx, as of 2025-06-01, "
                                "but the source's earlier sheets carried it (last rekap_mei_2025.xlsx, as of 2025-05-01)"],
                      as_of_from='title cell A2 of each file ("Posisi Data : 1 Mei 2025" / "Posisi Data : 1 Juni 2025")'))


WITHIN_ROWS = [("Kab. Bangka", "19.01", 337755, 330618), ("Kab. Belitung", "19.02", 192405, 189520),
               ("Kab. Bangka Selatan", "19.03", 216079, 210681), ("Kab. Bangka Tengah", "19.04", 210684, 206470),
               ("Kab. Bangka Barat", "19.05", 217859, 213501), ("Kota Pangkal Pinang", "19.71", 242285, 238914)]


def expected_within():
    """A source with a configured list: KC Pangkalpinang reports every regency and city of
    Kepulauan Bangka Belitung (expected: within ["19"], level regency: seven of them). Its sheet
    carries six and leaves out Kab. Belitung Timur, which no sheet has ever carried: it is
    missing all the same (region_missing, jkn_region_missing, 6 of 7 expected reported)."""
    name = "expected_within"
    as_of = dt.date(2025, 6, 1)
    wb = new_workbook("BPJS Kesehatan KC Pangkalpinang", dt.datetime(2025, 6, 3, 8, 0))
    ws = wb.active
    ws.title = "Rekap"
    ws["A1"] = "REKAPITULASI KEPESERTAAN JKN KC PANGKALPINANG"
    ws["A1"].font = BOLD
    ws["A2"] = "Data per 1 Juni 2025"
    header(ws, 4, ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta"])
    expect = []
    for i, (label, code, pop, part) in enumerate(WITHIN_ROWS, start=1):
        ws.append([i, label, pop, part])
        expect.append(Expect(code, as_of, pop, part, sheet_name=label))
    numeric_rows(ws, 5, "CD")
    widths(ws, 5, 24, 16, 16)
    save_pinned(wb, os.path.join(case_dir(name), "rekap_juni_2025.xlsx"))
    CASES.append(Case(name, OPENPYXL, expected_within.__doc__,
                      write_source(name, "Pangkalpinang", "Kepulauan Bangka Belitung",
                                   [("expected", '{within: ["19"], level: regency}')]),
                      ["rekap_juni_2025.xlsx"], expect,
                      findings=["Kabupaten Belitung Timur (19.06) is not in rekap_juni_2025.xlsx, as of 2025-06-01, "
                                "but the source is configured to report it (expected)"],
                      as_of_from='title cell A2 "Data per 1 Juni 2025"'))


BETWEEN_SEGS = ["PBI APBN", "PBPU Pemda", "PPU", "PBPU", "BP"]


def split_segments(part, off=0):
    """A five-segment breakdown of part (40/20/20/17% and the rest), off added to BP."""
    segs = [part * 40 // 100, part * 20 // 100, part * 20 // 100, part * 17 // 100]
    return segs + [part - sum(segs) + off]


# Per region: code, label, then (population, participants, active, segments off) for May, June
# and July, and what each month shows.
BETWEEN_ROWS = [
    ("63.01", "Kab. Tanah Laut", [(369818, 362422, 303000), (399403, 362422, 303000), (369818, 362422, 303000)],
     "June: population +8% within semester I 2025 (population_changed); July: -7.4% into semester II, not a finding"),
    ("63.02", "Kab. Kotabaru", [(382705, 375051, 310000)] * 3,
     "population 15% above Dukcapil's 332,787 in every sheet (population_dukcapil_mismatch); it does not move"),
    ("63.03", "Kab. Banjar", [(590393, 581578, 472638), (608105, 581578, 472638), (608105, 581578, 472638)],
     "June: population +3% within the semester, under 5%: not a finding"),
    ("63.04", "Kab. Barito Kuala", [(329799, 323203, 270000), (329799, 284419, 240000), (329799, 323203, 270000)],
     "June: participants -12% (participants_dropped); July: back up"),
    ("63.05", "Kab. Tapin", [(202061, 198020, 165000), (202061, 188119, 160000), (202061, 188119, 160000)],
     "June: participants -5%, under 10%: not a finding"),
    ("63.06", "Kab. Hulu Sungai Selatan", [(258629, 253456, 210000)] * 3,
     "population 8% above Dukcapil's 239,471, under 10%: not a finding"),
    ("63.10", "Kab. Tanah Bumbu", [(357221, 350077, 290000, 0), (357221, 350077, 290000, -500), (357221, 350077, 290000, 1)],
     "June: segments 500 short of participants (segments_sum_mismatch); July: off by 1, tolerated"),
    ("63.11", "Kab. Balangan", [(138950, 136171, 115000), (138950, 136171, 137000), (138950, 136171, 115000)],
     "June: 137,000 active of 136,171 participants (active_exceeds_participants)"),
    ("63.71", "Kota Banjarmasin", [(681693, 668059, 561377), (681693, 763496, 561377), (681693, 715778, 561377)],
     "June: coverage 112% (coverage_implausible); July: 105%, under 110%, and -6.25% participants: neither a finding"),
    ("63.72", "Kota Banjarbaru", [(285546, 299823, 236118)] * 3, "coverage 105% in every sheet: not a finding"),
]


def between_sheets():
    """The checks between one month's sheet and the next, each firing and not, read in three
    steps as KC Banjarmasin sends them (each step's inbox holds that month's sheet only): May
    (step1), June (step2, semester I like May) and July (step3, semester II). Each region's
    figures are compared with those served before: population moving by more than 5% within a
    semester, participants falling by more than 10%; and, in every sheet, coverage above 110%
    and a population more than 10% off Dukcapil's 2025 figure. The within-sheet checks that
    already existed (active above participants, segments not adding up beyond +-1) fire once
    each too. Every finding is served with its figures: nothing is rejected."""
    name = "between_sheets"
    expect, findings = [], []
    for k, (step, fname, title, month) in enumerate([
            ("step1", "rekap_mei_2025.xlsx", "per 1 Mei 2025", 5),
            ("step2", "rekap_juni_2025.xlsx", "per 1 Juni 2025", 6),
            ("step3", "rekap_juli_2025.xlsx", "per 1 Juli 2025", 7)]):
        wb = new_workbook("BPJS Kesehatan KC Banjarmasin", dt.datetime(2025, month, 3, 8, 0))
        ws = wb.active
        ws.title = "Data"
        ws["A1"] = "REKAP KEPESERTAAN JKN KC BANJARMASIN"
        ws["A1"].font = BOLD
        ws["A2"] = title
        header(ws, 4, ["No", "Kode", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "Peserta Aktif"] + BETWEEN_SEGS)
        for i, (code, label, months, note) in enumerate(BETWEEN_ROWS, start=1):
            fig = months[k]
            pop, part, active = fig[:3]
            segs = split_segments(part, fig[3] if len(fig) > 3 else 0)
            ws.append([i, code, label, pop, part, active] + segs)
            expect.append(Expect(code, dt.date(2025, month, 1), pop, part, active, sheet_name=label,
                                 note="%s; %s" % (step, note)))
        numeric_rows(ws, 5, "DEFGHIJK")
        widths(ws, 5, 8, 26, 16, 16, 14, 10, 10, 10, 10, 8)
        save_pinned(wb, os.path.join(step_dir(name, step), fname))
    findings = ["step1, step2, step3: Kotabaru's population 15% above Dukcapil's (population_dukcapil_mismatch)",
                "step2: Tanah Laut's population +8% within semester I (population_changed)",
                "step2: Barito Kuala's participants -12% (participants_dropped)",
                "step2: Banjarmasin's coverage 112% (coverage_implausible)",
                "step2: Tanah Bumbu's segments 500 short (segments_sum_mismatch)",
                "step2: Balangan's active above participants (active_exceeds_participants)"]
    CASES.append(Case(name, OPENPYXL, between_sheets.__doc__,
                      write_source(name, "Banjarmasin", "Kalimantan Selatan"),
                      ["step1/rekap_mei_2025.xlsx", "step2/rekap_juni_2025.xlsx", "step3/rekap_juli_2025.xlsx"],
                      expect, findings=findings,
                      as_of_from='title cell A2 of each file ("per 1 Mei 2025", "per 1 Juni 2025", "per 1 Juli 2025")'))


def build_all(stage):
    """Runs every case writer (LibreOffice cases only stage their drafts)."""
    seed_palembang(stage)
    seed_province()
    seed_bengkulu()
    seed_pangkalpinang(stage)
    ods_pangkalpinang()
    html_xls_palembang()
    seed_banjarmasin()
    english_headers()
    hidden_columns()
    formula_cached(stage)
    formula_no_cache()
    header_deep()
    bad_rows()
    conflict_two_files()
    bad_files(stage)
    mixed_good_bad()
    old_codes_papua()
    papua_selatan_2023()
    old_codes_districts()
    old_names()
    column_numbers()
    header_three_rows()
    district_in_title()
    village_in_title()
    segments_split()
    by_date_2023()
    by_date_boundary()
    award_tiers()
    award_tiers_no_pemda()
    region_dropped()
    expected_within()
    between_sheets()


LIBREOFFICE_XLSX = ["seed_pangkalpinang/bangka_tengah_2022-12-31.xlsx", "formula_cached/rekap_mei_2025.xlsx"]
LIBREOFFICE_ODS_FILES = ["ods_pangkalpinang/bangka_tengah_2022-12-31.ods"]


# ---------------------------------------------------------------------------------------------
# Verification and README.

def show_workbook(path):
    wb = openpyxl.load_workbook(path, data_only=True)
    for ws in wb.worksheets:
        hidden = [k for k, d in ws.column_dimensions.items() if d.hidden]
        print("  sheet %r%s, merged %s" % (ws.title, " hidden cols %s" % hidden if hidden else "",
                                            [str(m) for m in ws.merged_cells.ranges] or "none"))
        for row in ws.iter_rows():
            vals = [c.value for c in row]
            while vals and vals[-1] is None:
                vals.pop()
            if vals:
                print("   %2d | %s" % (row[0].row, " | ".join("" if v is None else (
                    v.date().isoformat() if isinstance(v, dt.datetime) else str(v)) for v in vals)))


def formulas(path):
    """(formula, cached value) of every formula cell, read from the sheet XML."""
    import re
    out = []
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.startswith("xl/worksheets/sheet"):
                xml = z.read(n).decode()
                for m in re.finditer(r'<c r="([A-Z]+\d+)"[^>]*>(.*?)</c>', xml):
                    f = re.search(r"<f[^>]*>(.*?)</f>", m.group(2))
                    if f:
                        v = re.search(r"<v>(.*?)</v>", m.group(2))
                        out.append((m.group(1), f.group(1), v.group(1) if v else ""))
    return out


def verify():
    ok = True

    def check(cond, msg):
        nonlocal ok
        if not cond:
            ok = False
            print("FAIL: " + msg)

    for c in CASES:
        d = os.path.join(TESTDATA, c.name)
        print("== %s (%s)" % (c.name, c.writer))
        names = sorted(os.listdir(d))
        # A case read in steps (a month each) keeps each step's inbox in stepN/.
        for step in [n for n in names if n.startswith("step")]:
            names.remove(step)
            names += sorted(os.path.join(step, n) for n in os.listdir(os.path.join(d, step)))
        for fn in names:
            path = os.path.join(d, fn)
            size = os.path.getsize(path)
            check(size < 100 * 1024, "%s is %d bytes" % (path, size))
            if not fn.endswith((".xlsx", ".xls")):
                continue
            head = open(path, "rb").read(8)
            print(" %s (%d bytes, starts %s)" % (fn, size, head[:4].hex()))
            try:
                show_workbook(path)
                opened = True
            except Exception as e:  # noqa: BLE001 - bad files are expected to fail here
                print("  openpyxl cannot open it: %s: %s" % (type(e).__name__, str(e)[:100]))
                opened = False
            if c.good and fn != "lampiran.xlsx" and head[:2] == b"PK":
                check(opened, "%s does not open" % path)
    # Case-specific properties of the files themselves.
    for rel in LIBREOFFICE_XLSX:
        with zipfile.ZipFile(os.path.join(TESTDATA, rel)) as z:
            app = z.read("docProps/app.xml").decode()
            check("LibreOffice" in app, rel + " was not written by LibreOffice")
    for rel in LIBREOFFICE_ODS_FILES:
        with zipfile.ZipFile(os.path.join(TESTDATA, rel)) as z:
            first = z.infolist()[0]
            check(first.filename == "mimetype" and z.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet",
                  rel + " is not an .ods (mimetype first)")
            check("LibreOffice" in z.read("meta.xml").decode(), rel + " was not written by LibreOffice")
    page = open(os.path.join(TESTDATA, "html_xls_palembang/rekap_kepesertaan_sept_2023.xls"), "rb").read()
    check(page.startswith(b"<!DOCTYPE html>") and b'content="LibreOffice' in page and page.count(b"<table") == 1
          and b"837.062" in page, "html_xls_palembang is not LibreOffice's web page of one table")
    fc = formulas(os.path.join(TESTDATA, "formula_cached/rekap_mei_2025.xlsx"))
    check(len(fc) == 9 and all(v for _, _, v in fc), "formula_cached: uncached formulas %s" % fc)
    print("formula_cached formulas:", ", ".join("%s=%s -> %s" % x for x in fc))
    fn = formulas(os.path.join(TESTDATA, "formula_no_cache/rekap_mei_2025.xlsx"))
    check(fn == [("D8", "SUM(G8:K8)", "")], "formula_no_cache: %s" % fn)
    print("formula_no_cache formulas:", fn)
    with zipfile.ZipFile(os.path.join(TESTDATA, "hidden_columns/rekap_juni_2025.xlsx")) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
        check(xml.count('hidden="1"') == 2, "hidden_columns: expected two hidden cols")
    for rel in ["xls_named_xlsx/data.xlsx", "seed_pangkalpinang_xls/bangka_tengah_2022-12-31.xls"]:
        xls = open(os.path.join(TESTDATA, rel), "rb").read()
        check(xls[:4] == b"\xd0\xcf\x11\xe0" and "Workbook".encode("utf-16-le") in xls,
              rel + " is not an OLE2 workbook")
    csv = open(os.path.join(TESTDATA, "seed_bengkulu_csv/cakupan_jkn_juli_2024.csv"), "rb").read()
    check(b"MUKO MUKO;201.227;199.078;98,93%" in csv, "seed_bengkulu_csv: not an Indonesian ';' CSV")
    csv = open(os.path.join(TESTDATA, "seed_palembang_cp1252/rekap_kepesertaan_sept_2023.csv"), "rb").read()
    check(b"\x96" in csv and b'"97,63%"' in csv, "seed_palembang_cp1252: not a Windows-1252 ',' CSV")
    enc = open(os.path.join(TESTDATA, "bad_encrypted/data.xlsx"), "rb").read()
    check(enc[:4] == b"\xd0\xcf\x11\xe0" and "EncryptedPackage".encode("utf-16-le") in enc
          and "EncryptionInfo".encode("utf-16-le") in enc, "bad_encrypted is not an encrypted OLE2 package")
    try:
        import olefile
        ole = olefile.OleFileIO(os.path.join(TESTDATA, "bad_encrypted/data.xlsx"))
        streams = sorted("/".join(s) for s in ole.listdir())
        print("bad_encrypted OLE streams:", streams)
        check({"EncryptedPackage", "EncryptionInfo"} <= set(streams), "bad_encrypted streams")
    except ImportError:
        print("(olefile not installed: checked bad_encrypted by its bytes only)")
    if not ok:
        sys.exit("verification failed")
    print("verified %d cases" % len(CASES))


def md(text):
    text = " ".join(text.split()).replace("|", "\\|")
    return text.replace("<", "&lt;").replace(">", "&gt;")


# One line per case for the overview table; the full story is each writer's docstring.
SUMMARY = {
    "seed_palembang_cp1252": "seed_palembang saved as Windows-1252 CSV with ',' by LibreOffice: the same figures",
    "seed_palembang": "Banyuasin seed; numbers as Indonesian text; merged title rows, header row 5; "
                      "5 segments (PBPU Pemda vs PBPU); JUMLAH row, blank row, footnote",
    "seed_province": "a province row (level province, code 16); numeric cells; % in points",
    "seed_bengkulu": "\"MUKO MUKO\" alias, upper case; short headers; % as a fraction in a '0.00%' cell",
    "seed_bengkulu_csv": "seed_bengkulu saved as CSV by LibreOffice, Indonesian locale: ';', 201.227, 98,93%",
    "seed_pangkalpinang": "LibreOffice file; two-row merged header; as-of from the file name only",
    "seed_pangkalpinang_xls": "seed_pangkalpinang saved as .xls (BIFF8) by LibreOffice: the same figures",
    "ods_pangkalpinang": "LibreOffice .ods; seed_pangkalpinang's rows, merged header, as-of from the file name",
    "html_xls_palembang": "LibreOffice web page named .xls; seed_palembang's rows as Indonesian text, "
                          "merged titles as colspan",
    "seed_banjarmasin": "cover sheet first; Provinsi column resolves bare \"Banjar\"; % in points; "
                        "6 split segments; TOTAL row of uncached formulas; wrong reported % (finding)",
    "english_headers": "English headers; dotted codes as text; English number text; Date column of "
                       "date cells",
    "hidden_columns": "hidden Kode and Jumlah Peserta columns are read; coverage > 100% (not clamped)",
    "formula_cached": "LibreOffice file; participants, coverage, uninsured as formulas with cached values",
    "formula_no_cache": "one participants formula with no cached value: that row rejected, others kept",
    "header_deep": "header at row 25 under letter-head and notes; JML abbreviations, capitals",
    "bad_rows": "2 good rows; rejected: \"8l7.221\", ambiguous \"Banjar\", unknown region, no name",
    "conflict_two_files": "same region in two files: newer as-of wins, conflict counted",
    "bad_not_zip": "random text named .xlsx",
    "bad_truncated": "xlsx cut in half",
    "xls_named_xlsx": "real .xls (OLE2/BIFF8) named .xlsx: read by its content",
    "csv_named_xlsx": "CSV named .xlsx: read by its content",
    "bad_encrypted": "password-protected xlsx (OLE2 EncryptedPackage)",
    "bad_empty": "one empty sheet",
    "bad_no_table": "prose and numbers, no header row",
    "mixed_good_bad": "a bad file next to a good one: the good one is served",
    "old_codes_papua": "Papua codes of 2021 (91.01, ...): served under today's (93.01, ...) with a "
                       "finding; the old province row rejected",
    "papua_selatan_2023": "the same office after the split: Papua Selatan codes (93.01, ...) and "
                          "province row (93), served",
    "old_codes_districts": "old Papua district codes: resolved by name, not by suffix; an area "
                           "changed and a vanished district rejected",
    "old_names": "\"Kab. Toba Samosir\": served as Kabupaten Toba with a finding",
    "column_numbers": "a unit row and a column-number row \"(1) (2) ... (6)=(4)/(3)\" under a two-row "
                      "header: skipped; a row with two bad numbers is one rejected row",
    "header_three_rows": "title over \"Kepesertaan JKN\" over \"Jumlah | Aktif | Non Aktif\": a three-row "
                         "merged header, the active column kept",
    "district_in_title": "\"KABUPATEN SIDOARJO\" only in a title row, a Kecamatan column of bare names: "
                         "districts inside it; \"SIDOARJO\" is the district, not the regency",
    "village_in_title": "a Desa/Kelurahan column under the title \"KABUPATEN SIDOARJO\": unique names "
                        "resolve, names repeated inside it rejected naming each village",
    "segments_split": "segments split into Aktif | Non Aktif, no total columns: sums per segment, "
                      "active per segment, region totals summed with a finding",
    "by_date_2023": "a 2023 sheet under criteria by_date: judged under uhc_2023 (>= 95% / >= 75%)",
    "by_date_boundary": "date column across 2024-12-31 / 2025-01-01: each row under the set in force on its date",
    "award_tiers": "every UHC Award 2026 tier at its thresholds and 0.01 points short; the Madya alternative; "
                   "the Utama waiver",
    "award_tiers_no_pemda": "no PBPU Pemda column: unknown where the share decides; a district gets no tier",
    "region_dropped": "two steps: the June sheet leaves out a region the May sheet carried (region_missing)",
    "expected_within": "configured expected regions (within 19, level regency): one never reported is missing",
    "between_sheets": "three steps (May, June, July): each check between sheets firing and not",
}


def readme():
    L = []
    w = L.append
    w("# Test workbooks")
    w("")
    w("Generated by `gen/make_workbooks.sh` (which runs `gen/make_workbooks.py` and LibreOffice);")
    w("this README is generated too, from the same figures: change the script, not this file.")
    w("Each case is a folder: the workbook(s) and `source.yml`, the source settings its golden test")
    w("uses (`branch_office`, optional `province`, `expected`, `checks`, and the exporter's `criteria`")
    w("and `awards`). A case read month after month keeps each month's inbox in `step1/`, `step2/`,")
    w("...: the golden test ingests them in order into one exporter; `<case>.check` has each step's")
    w("report, `<case>.<step>.prom` the exposition after each step but the last, `<case>.prom` after")
    w("the last. The workbooks are written by openpyxl and")
    w("LibreOffice, not by excelize, so the parser is tested on what real offices send. openpyxl")
    w("writes strings inline (`t=\"inlineStr\"`) and formulas without cached values; LibreOffice")
    w("writes shared strings and caches every formula value.")
    w("")
    w("Regenerate (Debian: `apt-get install -y --no-install-recommends python3-openpyxl")
    w("libreoffice-calc python3-uno`; python3-olefile optional, for a deeper check):")
    w("")
    w("```sh")
    w("exporter/testdata/gen/make_workbooks.sh")
    w("```")
    w("")
    w("Re-running gives byte-identical files (fixed workbook properties and zip timestamps), except")
    w("`bad_encrypted/data.xlsx` (a random salt on every save).")
    w("")
    w("## Cases")
    w("")
    w("| case | written by | source.yml | exercises | accepted rows | findings |")
    w("|---|---|---|---|---|---|")
    for c in CASES:
        src = ", ".join("%s: %s" % kv for kv in c.source.items())
        n = str(len(c.expect)) if c.good else "file rejected"
        w("| [`%s`](#%s) | %s | %s | %s | %s | %d |" % (
            c.name, c.name, md(c.writer), src, md(SUMMARY[c.name]), n,
            len(c.findings)))
    w("")
    w("## Cases in detail, with the expected figures")
    w("")
    w("Per case: what it exercises and the rows the exporter should accept. Coverage and active % are recomputed from")
    w("the counts (participants / population, active / population), rounded to 2 places here;")
    w("uninsured = max(0, population - participants). `reported` is what the sheet says.")
    w("Canonical names and codes are Kemendagri's.")
    for c in CASES:
        w("")
        w("### %s" % c.name)
        w("")
        w("Written by %s. Files: %s." % (c.writer, ", ".join("`%s`" % f for f in c.files)))
        w("")
        w(md(c.exercises))
        if c.expect:
            w("")
            w("| code | region (level, province) | in sheet | as of | population | participants | "
              "active | uninsured | coverage % | active % | reported | notes |")
            w("|---|---|---|---|---|---|---|---|---|---|---|---|")
            for e in c.expect:
                cname, prov = REGIONS[e.code]
                act = en_int(e.active) if e.active is not None else "absent"
                actp = str(pct(e.active, e.population)) if e.active is not None else "absent"
                notes = [e.note] if e.note else []
                if e.segments:
                    notes.append("segments " + ", ".join("%s %s" % (k, en_int(v))
                                                         for k, v in e.segments.items()))
                w("| %s | %s (%s, %s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                    e.code, cname, level(e.code), prov, md(e.sheet_name), e.as_of.isoformat(),
                    en_int(e.population), en_int(e.participants), act,
                    en_int(max(0, e.population - e.participants)), pct(e.participants, e.population),
                    actp, md(e.reported or ""), md("; ".join(notes))))
        else:
            w("")
            w("No rows: the file is rejected whole.")
        if c.as_of_from:
            w("")
            w("As-of date from: %s." % md(c.as_of_from))
        w("")
        w("Findings: " + ("; ".join(md(f) for f in c.findings) if c.findings else "none") + ".")
        if c.notes:
            w("")
            w("Also: " + "; ".join(md(n) for n in c.notes) + ".")
    with open(os.path.join(TESTDATA, "README.md"), "w") as f:
        f.write("\n".join(L) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("openpyxl", help="write the openpyxl cases and stage the LibreOffice drafts")
    p.add_argument("--stage", required=True)
    sub.add_parser("finish", help="pin LibreOffice zip times, verify, write README.md")
    a = ap.parse_args()
    if a.cmd == "openpyxl":
        build_all(a.stage)
        return
    # finish: rebuild the case list (cheap, and rewrites the same bytes) in a scratch stage.
    import tempfile
    with tempfile.TemporaryDirectory() as stage:
        build_all(stage)
    for rel in LIBREOFFICE_XLSX + LIBREOFFICE_ODS_FILES:
        pin_zip_times_in_place(os.path.join(TESTDATA, rel))
    verify()
    readme()


if __name__ == "__main__":
    main()
