#!/usr/bin/python3
"""make_golden.py STAGE_DIR: writes the openpyxl drafts of the golden .xls files into STAGE_DIR.

Run through make_golden.sh, which converts each draft with LibreOffice (soffice --headless
--convert-to xls:"MS Excel 97", and xls:"MS Excel 95" for the BIFF5 copies) into testdata/.
Needs Debian's python3-openpyxl: run it with /usr/bin/python3.

The drafts cover the layouts branch offices send (see exporter/testdata): a cover sheet, a
title row and a date-formatted title cell, a two- and a three-row merged header, figures as
numbers and as Indonesian text ("817.221", "97,63%"), percent formats, a date cell, hidden
columns, a hidden and a very hidden sheet, formulas with cached values of every kind, long
and non-ASCII strings (the SST and its CONTINUE records), numbers of every form an .xls
stores (RK integers and x100 decimals, IEEE doubles), and the 1904 date system.
"""

import datetime as dt
import os
import sys

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904

FIXED = dt.datetime(2025, 6, 2, 8, 0, 0)

# Seed-like rows (made-up figures): code, name, population, participants, non-active.
ROWS = [
    ("16.01", "Kabupaten Ogan Komering Ulu", 417396, 396713, 38420),
    ("16.02", "Kabupaten Ogan Komering Ilir", 823221, 784812, 91077),
    ("16.04", "Kabupaten Lahat", 430071, 421187, 50211),
    ("16.07", "Kabupaten Banyuasin", 837062, 817221, 103314),
    ("16.71", "Kota Palembang", 1772492, 1730404, 240117),
    ("16.74", "Kota Prabumulih", 198013, 196551, 17090),
]


def fixed(wb):
    wb.properties.creator = "make_golden.py"
    wb.properties.created = FIXED
    wb.properties.modified = FIXED


def seed(path):
    """The layouts: cover, title, merged header of two rows, hidden column, formulas, hidden sheets."""
    wb = openpyxl.Workbook()
    fixed(wb)
    cover = wb.active
    cover.title = "Sampul"
    cover["A1"] = "LAPORAN KEPESERTAAN JKN"
    cover["A1"].font = Font(bold=True, size=14)
    cover["A3"] = "Disusun oleh: BPJS Kesehatan Kantor Cabang Palembang"
    cover["A4"] = dt.date(2025, 5, 31)
    cover["A4"].number_format = "d mmmm yyyy"

    ws = wb.create_sheet("Data")
    ws["A1"] = "DATA KEPESERTAAN JKN PER KABUPATEN/KOTA PROVINSI SUMATERA SELATAN"
    ws.merge_cells("A1:H1")
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = "Keadaan per"
    # A date-formatted title cell; "Keadaan" inside the quotes has a d that is no date token.
    ws["B2"] = dt.date(2025, 5, 31)
    ws["B2"].number_format = '"Keadaan per "dd/mm/yyyy'
    heads = [("A4:A5", "No"), ("B4:B5", "Kabupaten/Kota"), ("C4:C5", "Jumlah Penduduk"),
             ("D4:F4", "Kepesertaan JKN"), ("G4:G5", "Cakupan (%)"), ("H4:H5", "Kode Wilayah")]
    for rng, text in heads:
        ws[rng.split(":")[0]] = text
        ws.merge_cells(rng)
    ws["D5"], ws["E5"], ws["F5"] = "Jumlah", "Aktif", "Non Aktif"
    r = 6
    for i, (code, name, pop, part, non) in enumerate(ROWS, 1):
        ws.cell(r, 1, i)
        ws.cell(r, 2, name)
        if i == 4:
            # Figures as an Indonesian office types them: text with thousands dots.
            ws.cell(r, 3, "{:,}".format(pop).replace(",", "."))
            ws.cell(r, 4, "{:,}".format(part).replace(",", "."))
        else:
            ws.cell(r, 3, pop)
            ws.cell(r, 4, part)
        ws.cell(r, 6, non)
        ws.cell(r, 5, "=D%d-F%d" % (r, r) if i != 4 else part - non)
        if i == 5:
            ws.cell(r, 7, "97,63%")  # a percentage as text
        else:
            ws.cell(r, 7, "=D%d/C%d" % (r, r) if i != 4 else round(part / pop, 4))
            ws.cell(r, 7).number_format = "0.00%"
        ws.cell(r, 8, code)
        r += 1
    ws.cell(r, 2, "Jumlah")
    for col in "CDEF":
        ws["%s%d" % (col, r)] = "=SUM(%s6:%s%d)" % (col, col, r - 1)
    ws.column_dimensions["H"].hidden = True
    ws.column_dimensions["J"].hidden = True  # hidden and empty
    ws["A%d" % (r + 2)] = "Sumber: BPJS Kesehatan, diolah"
    ws["A%d" % (r + 3)] = dt.date(2025, 6, 2)
    ws["A%d" % (r + 3)].number_format = "dd/mm/yyyy"

    notes = wb.create_sheet("Catatan")
    notes["A1"] = "Lembar tersembunyi: jangan dibaca"
    notes["A2"] = 123
    notes.sheet_state = "hidden"
    secret = wb.create_sheet("Rahasia")
    secret["A1"] = "Lembar sangat tersembunyi"
    secret.sheet_state = "veryHidden"

    h3 = wb.create_sheet("Header3")
    h3["A1"] = "REKAPITULASI KEPESERTAAN JKN KABUPATEN BANYUASIN"
    h3.merge_cells("A1:E1")
    h3["A2"], h3["B2"], h3["C2"] = "Kecamatan", "Penduduk", "Kepesertaan JKN"
    h3.merge_cells("A2:A4")
    h3.merge_cells("B2:B4")
    h3.merge_cells("C2:E2")
    h3["C3"] = "Peserta"
    h3.merge_cells("C3:E3")
    h3["C4"], h3["D4"], h3["E4"] = "Jumlah", "Aktif", "Non Aktif"
    for i, (name, pop) in enumerate([("Rantau Bayur", 41233), ("Betung", 61872), ("Banyuasin III", 70541),
                                     ("Talang Kelapa", 167440), ("Muara Padang", 33917)]):
        part = pop - 1000 - 37 * i
        non = 3000 + 111 * i
        h3.append([name, pop, part, part - non, non])
    h3.column_dimensions["F"].hidden = True
    h3.column_dimensions["G"].hidden = True

    f = wb.create_sheet("Rumus")
    f["A1"], f["B1"] = "Jenis", "Hasil"
    cases = [("angka", "=6*7"), ("pecahan", "=1/3"), ("teks", '="Kab. "&"Lahat"'), ("benar", "=1<2"),
             ("salah", "=1>2"), ("bagi nol", "=1/0"), ("tidak ada", "=NA()"), ("teks kosong", '=""'),
             ("jika", '=IF(B2>40,"besar","kecil")'), ("referensi", "=B2"), ("tanggal", "=DATE(2025,5,31)"),
             ("persen", "=B2/100"), ("nilai salah", '=VALUE("x")'), ("logika", "=TRUE()")]
    for i, (name, formula) in enumerate(cases, 2):
        f.cell(i, 1, name)
        f.cell(i, 2, formula)
    f["B12"].number_format = "dd/mm/yyyy"
    f["B13"].number_format = "0%"
    f["C2"] = True
    f["C3"] = False
    wb.save(path)


def numbers(path):
    """Numbers in every form an .xls stores, and text that looks like numbers."""
    wb = openpyxl.Workbook()
    fixed(wb)
    ws = wb.active
    ws.title = "Angka"
    vals = [0, 1, -1, 42, 817221, 536870911, -536870912, 536870912, 1234567890, 2**31, 2**53,
            3171234567890123, 0.1, 0.5, 97.63, -97.63, 0.9763, 12.5, 1e-7, 1e-5, 0.0001, 1e15, 1e16, 1e20,
            1e21, 1.5e300, -2.5e-300, 123456.789, 1 / 3, 2 / 3, 0.30000000000000004, 99999.99, 1234567.5]
    for i, v in enumerate(vals, 1):
        ws.cell(i, 1, v)
        ws.cell(i, 2, repr(v))
    ws["C1"] = "817.221"
    ws["C2"] = "97,63"
    ws["C3"] = "1.234.567"
    ws["C4"] = " 42 "
    ws["C5"] = "0042"
    for i, fmt in enumerate(["0", "0.00", "#,##0", "#,##0.00", "0%", "0.00%", "0.00E+00", "@",
                             "[$-421]dd mmmm yyyy", "yyyy-mm-dd", "mm/dd/yy", "[h]:mm:ss", "h:mm AM/PM",
                             '"Tahun "0', "d-mmm", "mmm-yy", "General", "[Red]0.00", 'dd"."mm"."yyyy'], 1):
        c = ws.cell(i, 4, 45808.25)
        c.number_format = fmt
        ws.cell(i, 5, fmt)
    wb.save(path)


def texts(path):
    """Long and non-ASCII strings: the SST is split over CONTINUE records, some strings across them."""
    wb = openpyxl.Workbook()
    fixed(wb)
    ws = wb.active
    ws.title = "Teks é ñ"
    words = ["Kecamatan", "Kelurahan", "Desa", "Peserta", "Aktif", "Penduduk", "Cakupan", "Jaminan"]
    for i in range(1, 401):
        # Distinct strings, long enough that the SST fills several 8 KB records.
        s = " ".join(words[(i + k) % len(words)] for k in range(12)) + " %04d" % i
        if i % 7 == 0:
            s = "José Ñáñez — Dinas Kesehatan " + s  # UTF-16 (uncompressed) in the SST
        if i % 11 == 0:
            s += " 数据 Ş"
        ws.cell(i, 1, s)
        ws.cell(i, 2, i * 1000 + 7)
    # Strings longer than a record: each crosses at least one CONTINUE, re-sending its flags.
    ws["C1"] = "A" * 9000
    ws["C2"] = ("é" * 5000) + ("B" * 5000)
    ws["C3"] = ("x" * 8000) + ("ñ" * 4000) + "end"
    ws["C4"] = "Ü" * 32767
    ws["C5"] = "  spasi di depan dan belakang  "
    ws["C6"] = "baris satu\nbaris dua"
    ws["C7"] = "tab\tdi tengah"
    ws["C8"] = "😀 emoji di luar BMP"
    wb.save(path)


def date1904(path):
    """The 1904 date system (old Mac Excel)."""
    wb = openpyxl.Workbook()
    fixed(wb)
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Data 1904"
    ws["A1"] = "Keadaan per"
    ws["B1"] = dt.date(2025, 5, 31)
    ws["B1"].number_format = "dd/mm/yyyy"
    ws["A2"], ws["B2"] = "Kota Palembang", 1730404
    ws["A3"] = dt.datetime(1904, 1, 2)
    ws["A3"].number_format = "yyyy-mm-dd"
    wb.save(path)


def main():
    stage = sys.argv[1]
    os.makedirs(stage, exist_ok=True)
    seed(os.path.join(stage, "seed.xlsx"))
    numbers(os.path.join(stage, "numbers.xlsx"))
    texts(os.path.join(stage, "texts.xlsx"))
    date1904(os.path.join(stage, "date1904.xlsx"))


if __name__ == "__main__":
    main()
