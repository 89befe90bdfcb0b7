"""Writes the .xlsx sources of the .ods golden files with openpyxl.

make.sh runs it, then has LibreOffice convert each .xlsx (and each .fods
written by hand) to .ods: the golden files are .ods as LibreOffice writes
them. The figures are made up, in the shapes branch offices send.
"""
import datetime
import sys

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

out = sys.argv[1]
NOTE = "Contoh: angka buatan untuk uji pembaca .ods."


def seed():
    """The seed offices' sheets, one per sheet, behind a cover sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Petunjuk"
    ws.append(["Rekap kepesertaan JKN per kabupaten/kota, BPJS Kesehatan."])
    ws.append(["Data ada di lembar berikut."])

    ws = wb.create_sheet("Rekap")
    for r in [
        ["REKAPITULASI KEPESERTAAN JKN KABUPATEN/KOTA"],
        ["BPJS Kesehatan Kantor Cabang Palembang"],
        ["Posisi Data : 1 September 2023"],
        [],
        ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Jumlah Peserta", "% Cakupan", "PBPU Pemda"],
        ["1", "Prov. Sumatera Selatan", "8.755.130", "8.396.170", "95,90%"],
        ["2", "Kab. Banyuasin", "837.062", "817.221", "97,63%", "38.096"],
        ["3", "Kab. Musi Banyuasin", "736.897", "718.474", "97,50%"],
        ["4", "Kota Palembang", "1.801.367", "1.787.156", "99,21%"],
        [],
        [NOTE],
    ]:
        ws.append(r)

    ws = wb.create_sheet("Bengkulu")
    for r in [
        ["Data per 16 Juli 2024"],
        ["Kab/Kota", "Penduduk", "Peserta JKN", "Cakupan"],
        ["MUKO MUKO", 201227, 199078, 0.9893],
        ["KOTA BENGKULU", 400533, 396128, 0.9890],
        ["BENGKULU UTARA", 309773, 300519, 0.9701],
    ]:
        ws.append(r)
    for row in ws["D3:D5"]:
        for c in row:
            c.number_format = "0.00%"

    ws = wb.create_sheet("Pangkalpinang")
    for r in [
        ["CAKUPAN KEPESERTAAN JKN SEMESTER II 2022"],
        [],
        ["No", "Kabupaten/Kota", "Jumlah Penduduk", "Peserta JKN", None, None, "Persentase"],
        [None, None, None, "Jumlah", "Aktif", "Non Aktif", "Cakupan", "Keaktifan"],
        [1, "Kab. Bangka Tengah", 202131, 195157, 151457, 43700, "96,55%", "74,93%"],
        [2, "Kota Pangkalpinang", 242285, 239862, 201484, 38378, "99,00%", "83,16%"],
        [None, "JUMLAH", "=SUM(C5:C6)", "=SUM(D5:D6)", "=SUM(E5:E6)", "=SUM(F5:F6)"],
    ]:
        ws.append(r)
    for m in ["A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:H3", "A1:H1"]:
        ws.merge_cells(m)

    ws = wb.create_sheet("Data")
    day = datetime.date(2025, 5, 1)
    ws.append(["Kabupaten/Kota", "Provinsi", "Tanggal Data", "Jumlah Penduduk", "Jumlah Peserta",
               "Peserta Aktif", "% UHC", "% Aktif", "PBI APBN", "PBI APBD", "PPU", "PBPU", "BP"])
    ws.append(["Banjar", "Kalimantan Selatan", day, 590393, 581578, 472638, 99.47, 80.05,
               228512, 121604, 118723, 97381, 15358])
    ws.append(["Kota Banjarmasin", "Kalimantan Selatan", day, 681693, 674876, 552117, 99.00, 80.99])
    ws.append(["Tapin", "Kalimantan Selatan", day, 202061, 196404, 150543, 97.20, 74.50])
    for row in ws["C2:C4"]:
        for c in row:
            c.number_format = "dd/mm/yyyy"
    wb.save(f"{out}/seed.xlsx")


def layouts():
    """A three-row merged header with split segments, a column-number row,
    a hidden column and a hidden sheet, a date title cell, formulas, and
    names that are not ASCII."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Kecamatan"
    ws["A1"] = "REKAPITULASI PESERTA JKN PER KECAMATAN — KABUPATEN SIDOARJO"
    ws.merge_cells("A1:K1")
    ws["A2"] = "Posisi Data :"
    ws["C2"] = datetime.date(2024, 5, 31)
    ws["C2"].number_format = "d mmmm yyyy"
    ws["A4"], ws["B4"], ws["C4"], ws["D4"], ws["G4"], ws["K4"] = (
        "No", "Kecamatan", "Jumlah Penduduk", "Kepesertaan JKN", "Segmen", "Kode Internal")
    ws["D5"], ws["E5"], ws["F5"], ws["G5"], ws["I5"] = "Jumlah", "Aktif", "Non Aktif", "PBI APBN", "PBPU"
    ws["G6"], ws["H6"], ws["I6"], ws["J6"] = "Aktif", "Non Aktif", "Aktif", "Non Aktif"
    for m in ["A4:A6", "B4:B6", "C4:C6", "D4:F4", "G4:J4", "K4:K6", "D5:D6", "E5:E6", "F5:F6", "G5:H5", "I5:J5"]:
        ws.merge_cells(m)
    ws.append([f"({i})" for i in range(1, 12)])
    rows = [
        ("Sidoarjo", 212345, 205123, 170321, 60012, 5123, 40111, 3210),
        ("Candi", 165432, 160001, 138765, 45000, 4100, 30500, 2100),
        ("Tanggulangin", 98765, 95001, 80123, 30000, 2000, 20000, 1500),
        ("Krembung “Kidul”", 65432, 64000, 52000, 20000, 1500, 15000, 1000),
        ("Sêdati – Ñgémplak ²", 100000, 101234, 90000, 35000, 2500, 25000, 1800),
    ]
    for i, (name, pop, part, act, pbi_a, pbi_n, pbpu_a, pbpu_n) in enumerate(rows, start=1):
        n = 7 + i
        ws.append([i, name, pop, part, act, f"=D{n}-E{n}", pbi_a, pbi_n, pbpu_a, pbpu_n, f"K-{i:03d}"])
    total = 8 + len(rows)
    ws.append([None, "JUMLAH"] + [f"=SUM({c}8:{c}{total - 1})" for c in "CDEFGHIJ"])
    ws.cell(row=total + 1, column=2, value="Cakupan")
    ws.cell(row=total + 1, column=4, value=f"=D{total}/C{total}").number_format = "0.00%"
    ws.column_dimensions["K"].hidden = True

    ref = wb.create_sheet("Referensi")
    ref.sheet_state = "hidden"
    ref.append(["Kode", "Kecamatan"])
    ref.append(["35.15.01", "Sidoarjo"])

    dates = wb.create_sheet("Tanggal")
    dates.append(["Tanggal", "Waktu", "Tanggal dan waktu", "Teks"])
    for i in range(3):
        dates.append([datetime.date(2024, 1, 31 - i), datetime.time(13, 45 + i),
                      datetime.datetime(2024, 2, 29, 6 + i, 30), "31/05/2024"])
    for row in dates["A2:A4"]:
        for c in row:
            c.number_format = "dd/mm/yyyy"
    for row in dates["C2:C4"]:
        for c in row:
            c.number_format = "yyyy-mm-dd hh:mm"
    wb.save(f"{out}/layouts.xlsx")


def date1904():
    """A workbook in the 1904 date system (old Mac Excel)."""
    wb = openpyxl.Workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Mac"
    ws.append(["Posisi", "Peserta"])
    ws.append([datetime.date(2024, 5, 31), 1000])
    ws.append([datetime.date(1904, 1, 2), 2000])
    for row in ws["A2:A3"]:
        for c in row:
            c.number_format = "yyyy-mm-dd"
    wb.save(f"{out}/date1904.xlsx")


seed()
layouts()
date1904()
