#!/usr/bin/python3
"""The exporter a user would otherwise write: pandas + prometheus_client.

It is the comparison in `make bench` (scripts/bench/bench.sh), written the
way such scripts are written: pandas.read_excel (openpyxl underneath) on the
sheet whose layout the author knows (header on row 4 under two title rows),
ratios computed with pandas, one Gauge per metric with the same labels as
jkn_exporter's, set row by row, and the registry served by prometheus_client
(generate_latest on every scrape). It exports the same series jkn_exporter
does, so the scrape sizes compare: counts, ratios, uninsured, segments,
targets, the UHC status as a StateSet, the as-of date.

    pandas_exporter.py ingest WORKBOOK       one ingest; prints a JSON result line
    pandas_exporter.py serve WORKBOOK PORT   ingest, then serve /metrics until killed

Needs Debian's python3-pandas, python3-openpyxl and python3-prometheus-client;
run it with /usr/bin/python3.
"""

import datetime
import json
import os
import resource
import sys
import time

import pandas as pd
from prometheus_client import CollectorRegistry, Gauge, start_http_server

BRANCH_OFFICE = "Nasional"
# The sheets carry their date in a title cell ("Posisi Data : 1 Mei 2025");
# a script for one monthly sheet writes it in.
AS_OF = datetime.datetime(2025, 5, 1, tzinfo=datetime.timezone.utc).timestamp()
# UHC 2025: coverage above 98%, active above 80%.
TARGET_COVERAGE, TARGET_ACTIVE = 0.98, 0.80
STATUSES = ["meets_targets", "below_active_target", "below_coverage_target", "below_both_targets", "unknown"]
SEGMENTS = {"PBI APBN": "pbi_apbn", "PBPU Pemda": "pbpu_pemda", "PPU": "ppu", "PBPU": "pbpu", "BP": "bp"}
LABELS = ["region_code", "region", "level", "province", "branch_office"]
FROM_SHEET = " Values come from the newest ingested sheet."


def ingest(path):
    """Reads the workbook into a registry; returns it and the rows and series."""
    # Header on row 4: skip the title rows.
    df = pd.read_excel(path, sheet_name=0, skiprows=3, dtype={"Kode Wilayah": str})
    # Region rows only: drop the JUMLAH row and the footnote under the table.
    df = df[df["Kode Wilayah"].notna() & (df["Kode Wilayah"].str.count(r"\.") >= 1)]

    if "Desa/Kelurahan" in df.columns:
        name_col = "Desa/Kelurahan"
        df["level"] = "village"
    elif "Kecamatan" in df.columns:
        name_col = "Kecamatan"
        df["level"] = "district"
    else:
        name_col = "Kabupaten/Kota"
        df["level"] = ["city" if int(c[3:5]) >= 71 else "regency" for c in df["Kode Wilayah"]]

    pop = df["Jumlah Penduduk"].astype(float)
    part = df["Jumlah Peserta"].astype(float)
    act = df["Peserta Aktif"].astype(float)
    df["coverage"] = part / pop
    df["active_ratio"] = act / pop
    df["participant_active"] = act / part
    df["uninsured"] = (pop - part).clip(lower=0)
    # The smallest whole number above the strict targets ("> 98%"), 0 when met.
    df["to_register"] = ((pop * TARGET_COVERAGE).floordiv(1) + 1 - part).clip(lower=0)
    df["to_reactivate"] = ((pop * TARGET_ACTIVE).floordiv(1) + 1 - act).clip(lower=0)
    cov_ok = df["coverage"] > TARGET_COVERAGE
    act_ok = df["active_ratio"] > TARGET_ACTIVE
    df["status"] = "below_both_targets"
    df.loc[cov_ok & act_ok, "status"] = "meets_targets"
    df.loc[cov_ok & ~act_ok, "status"] = "below_active_target"
    df.loc[~cov_ok & act_ok, "status"] = "below_coverage_target"

    reg = CollectorRegistry()

    def gauge(name, help_text, extra=()):
        return Gauge(name, help_text + FROM_SHEET, LABELS + list(extra), registry=reg)

    g = {
        "population": gauge("jkn_population", "Residents of the region."),
        "participants": gauge("jkn_participants", "Registered JKN participants."),
        "active": gauge("jkn_active_participants", "Active JKN participants."),
        "uninsured": gauge("jkn_uninsured", "Residents not registered."),
        "coverage": gauge("jkn_coverage_ratio", "Participants divided by population."),
        "active_ratio": gauge("jkn_active_ratio", "Active participants divided by population."),
        "participant_active": gauge("jkn_participant_active_ratio", "Active participants divided by participants."),
        "target_coverage": gauge("jkn_target_coverage_ratio", "Coverage threshold in force."),
        "target_active": gauge("jkn_target_active_ratio", "Active-ratio threshold in force."),
        "to_register": gauge("jkn_residents_to_register", "Residents still to register for the coverage target."),
        "to_reactivate": gauge("jkn_participants_to_reactivate", "Participants still to make active for the active target."),
        "status": gauge("jkn_uhc_status", "UHC status of the region as a StateSet.", ["status"]),
        "as_of": gauge("jkn_data_as_of_timestamp_seconds", "As-of date of the figures."),
    }
    segments = [c for c in SEGMENTS if c in df.columns]
    seg = gauge("jkn_segment_participants", "Registered JKN participants by segment.", ["segment"]) if segments else None

    rows = df.rename(columns={"Kode Wilayah": "code", name_col: "name", "Provinsi": "province",
                              "Jumlah Penduduk": "pop", "Jumlah Peserta": "part", "Peserta Aktif": "act"})
    seg_cols = [rows.columns.get_loc(c) for c in segments]
    for r in rows.itertuples(index=False):
        lv = (r.code, r.name, r.level, r.province, BRANCH_OFFICE)
        g["population"].labels(*lv).set(r.pop)
        g["participants"].labels(*lv).set(r.part)
        g["active"].labels(*lv).set(r.act)
        g["uninsured"].labels(*lv).set(r.uninsured)
        g["coverage"].labels(*lv).set(r.coverage)
        g["active_ratio"].labels(*lv).set(r.active_ratio)
        g["participant_active"].labels(*lv).set(r.participant_active)
        g["target_coverage"].labels(*lv).set(TARGET_COVERAGE)
        g["target_active"].labels(*lv).set(TARGET_ACTIVE)
        g["to_register"].labels(*lv).set(r.to_register)
        g["to_reactivate"].labels(*lv).set(r.to_reactivate)
        for st in STATUSES:
            g["status"].labels(*lv, st).set(1 if st == r.status else 0)
        g["as_of"].labels(*lv).set(AS_OF)
        for name, i in zip(segments, seg_cols):
            seg.labels(*lv, SEGMENTS[name]).set(r[i])
    series = len(rows) * (13 + len(STATUSES) - 1 + len(segments))
    return reg, len(rows), series


def main():
    mode, path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    reg, rows, series = ingest(path)
    elapsed = time.perf_counter() - start
    if mode == "ingest":
        print(json.dumps({"what": "ingest", "tool": "pandas", "file": os.path.basename(path), "rows": rows,
                          "series": series, "ms": round(elapsed * 1000, 3),
                          "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)
        return
    start_http_server(int(sys.argv[3]), addr="127.0.0.1", registry=reg)
    print("ready series=%d" % series, flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
