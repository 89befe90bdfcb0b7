#!/usr/bin/python3
"""Write the golden delimited-text files of package csv.

    cd sources/read/csv/testdata && /usr/bin/python3 make_golden.py

A district sheet of Kabupaten Sidoarjo (real district codes and names,
made-up figures) is written by openpyxl as src/kecamatan_id.xlsx (dates
shown DD/MM/YYYY) and src/kecamatan_en.xlsx (dates shown YYYY-MM-DD),
then saved by LibreOffice Calc as text, "save cell contents as shown", in
the forms offices send:

  id_semicolon.csv  Indonesian locale, ';', UTF-8: 1.234.567, 97,63%, 63,43
  id_bom_crlf.csv   the same with a UTF-8 byte-order mark and CR LF line
                    ends, as Excel's "CSV UTF-8" writes it (LibreOffice
                    7.4 writes neither: both are added here)
  id_unicode.txt    Indonesian locale, tab, UTF-16LE with a byte-order
                    mark: Excel's "Unicode Text"
  id_cp1252.csv     Indonesian locale, ';', Windows-1252 (the title's en
                    dash and "km²" are not ASCII)
  id_tab.tsv        Indonesian locale, tab, UTF-8
  id_pipe.csv       Indonesian locale, '|', UTF-8
  en_comma.csv      English (US) locale, ',', UTF-8: "1,234,567", 97.63%

The locale is LibreOffice's (LANG), which formats the numbers as shown;
token 6 of the filter options (1057 Indonesian, 1033 English US) is the
language the test's oracle reads them back with (csv_test.go, FILES).
"""
import datetime
import os
import shutil
import subprocess
import tempfile

import openpyxl
from openpyxl.styles import Alignment

HERE = os.path.dirname(os.path.abspath(__file__))

# Kabupaten Sidoarjo's districts (region/data/districts.csv).
DISTRICTS = [
    ("35.15.01", "Tarik"), ("35.15.02", "Prambon"), ("35.15.03", "Krembung"),
    ("35.15.04", "Porong"), ("35.15.05", "Jabon"), ("35.15.06", "Tanggulangin"),
    ("35.15.07", "Candi"), ("35.15.08", "Sidoarjo"), ("35.15.09", "Tulangan"),
    ("35.15.10", "Wonoayu"), ("35.15.11", "Krian"), ("35.15.12", "Balongbendo"),
    ("35.15.13", "Taman"), ("35.15.14", "Sukodono"), ("35.15.15", "Buduran"),
    ("35.15.16", "Gedangan"), ("35.15.17", "Sedati"), ("35.15.18", "Waru"),
]

# Notes with what CSV must quote or keep: the separators, quotes, a line
# break, spaces around, a dash, a phone number's leading zero.
NOTES = {
    "Porong": "Data; sementara",
    "Candi": 'Desa "Larangan" belum lapor',
    "Sidoarjo": "Ibu kota, kabupaten",
    "Krian": "Dua\nbaris",
    "Taman": "  spasi di tepi  ",
    "Sedati": "-",
    "Waru": "Hubungi 0812-3456-7890 | kantor",
}


def figures(i):
    """Made-up, deterministic figures of district i."""
    pop = 45_000 + (i * 37_919) % 190_000
    part = int(pop * (0.88 + (i * 7 % 16) / 100))
    act = int(part * (0.72 + (i * 5 % 23) / 100))
    return pop, part, act


def workbook(path, date_format):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kepesertaan"
    ws.append(["REKAPITULASI KEPESERTAAN JKN PER KECAMATAN"])
    ws.append(["KABUPATEN SIDOARJO \u2013 Posisi Data : 1 September 2023"])
    ws.append([])
    ws.append(["No", "Kode Wilayah", "Kecamatan", "Jumlah\nPenduduk", "Jumlah Peserta",
               "Peserta Aktif", "% Cakupan", "% Keaktifan", "Tanggal Data",
               "Luas (km\u00b2)", "Keterangan"])
    ws["D4"].alignment = Alignment(wrap_text=True)
    total = [0, 0, 0]
    for i, (code, name) in enumerate(DISTRICTS, 1):
        pop, part, act = figures(i)
        if name == "Sidoarjo":
            pop, part, act = 1_234_567, 1_271_604, 1_000_000  # 103% coverage
        total = [total[0] + pop, total[1] + part, total[2] + act]
        row = [i, code, name, pop, part, act, round(part / pop, 4), round(act / pop, 4),
               datetime.date(2023, 9, 1 + i % 3), 20 + (i * 13.37) % 60, NOTES.get(name)]
        if name == "Jabon":
            row[5] = None  # not reported: an empty cell
        ws.append(row)
    ws.append(["JUMLAH", None, None] + total + [round(total[1] / total[0], 4), round(total[2] / total[0], 4)])
    ws.append([])
    ws.append(["Sumber: BPJS Kesehatan Cabang Sidoarjo (angka buatan untuk uji)"])
    for r in ws.iter_rows(min_row=5, max_row=5 + len(DISTRICTS)):
        for c in r[3:6]:
            c.number_format = "#,##0"
        for c in r[6:8]:
            c.number_format = "0.00%"
        r[8].number_format = date_format
        r[9].number_format = "0.00"
    wb.save(path)


def main():
    src = os.path.join(HERE, "src")
    os.makedirs(src, exist_ok=True)
    workbook(os.path.join(src, "kecamatan_id.xlsx"), "DD/MM/YYYY")
    workbook(os.path.join(src, "kecamatan_en.xlsx"), "YYYY-MM-DD")
    csv = "Text - txt - csv (StarCalc)"
    # Field separator, text delimiter, charset (76 UTF-8, 65535 UTF-16LE,
    # 1 Windows-1252), first line, column formats (none), language,
    # quote all text cells (no), detect special numbers (import only),
    # save cell contents as shown (yes).
    jobs = {
        "id_ID.UTF-8": [
            ("kecamatan_id.xlsx", "id_semicolon.csv", "59,34,76,1,,1057,false,true,true"),
            ("kecamatan_id.xlsx", "id_unicode.txt", "9,34,65535,1,,1057,false,true,true"),
            ("kecamatan_id.xlsx", "id_cp1252.csv", "59,34,1,1,,1057,false,true,true"),
            ("kecamatan_id.xlsx", "id_tab.tsv", "9,34,76,1,,1057,false,true,true"),
            ("kecamatan_id.xlsx", "id_pipe.csv", "124,34,76,1,,1057,false,true,true"),
        ],
        "en_US.UTF-8": [
            ("kecamatan_en.xlsx", "en_comma.csv", "44,34,76,1,,1033,false,true,true"),
        ],
    }
    for lang, convs in jobs.items():
        with tempfile.TemporaryDirectory() as tmp:
            args = ["|".join((os.path.join(src, s), "", "", os.path.join(HERE, d), csv, o)) for s, d, o in convs]
            env = dict(os.environ, LANG=lang, LC_ALL=lang, HOME=tmp)
            subprocess.run(["/usr/bin/python3", os.path.join(HERE, "lo_convert.py"), os.path.join(tmp, "profile")] + args,
                           env=env, check=True)
    with open(os.path.join(HERE, "id_semicolon.csv"), "rb") as f:
        text = f.read()
    with open(os.path.join(HERE, "id_bom_crlf.csv"), "wb") as f:
        # Line ends outside quoted values become CR LF; the line break
        # inside "Dua\nbaris" stays LF, as Excel writes it.
        out, quoted = bytearray(b"\xef\xbb\xbf"), False
        for c in text:
            if c == ord('"'):
                quoted = not quoted
            if c == ord("\n") and not quoted:
                out += b"\r"
            out.append(c)
        f.write(bytes(out))
    shutil.rmtree(os.path.join(HERE, "__pycache__"), ignore_errors=True)


if __name__ == "__main__":
    main()
