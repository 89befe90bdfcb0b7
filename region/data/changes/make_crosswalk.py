#!/usr/bin/python3
"""Writes district_village_code_changes.csv: where each district and village of a renumbered
regency went.

    make_crosswalk.py WILAYAH_CHECKOUT

WILAYAH_CHECKOUT is a checkout of github.com/cahyadsn/wilayah (MIT); the script reads its
archived decree tables db/archive/wilayah_{2018,2020,2022,2023}.sql and checks their sha256
against the pinned ones below, so the output only changes when the inputs do.

For every `renumbered` row of region_code_changes.csv (old regency code O, today's code N), every
district and village code under O in every archived table that lists O under its old name is
matched BY NAME to today's districts and villages under N (idn-area-data 4.0.1, ../districts.csv
and ../villages.csv.gz): a district to the district of N with the same name, a village to the
village of the same name in its district's successor, else anywhere in N; of a desa and a
kelurahan of that name, the one of the old code's kind. Names are compared as
the exporter compares them (letters and digits only, case folded, "Kep." = "Kepulauan").

The suffix is not kept: of the 594 old districts, 229 have another suffix today, and 154 old
codes with the new prefix are another district today (old 91.02.03 Kurulu is 95.01.02; 95.01.03
is Asologaima); of the 5,597 old villages, 3,139 and 1,452. Hence a table, not a prefix rule.

status:
  renumbered    one unit of that name today: new_code, new_name
  area_changed  a district with a successor by name whose villages did not all stay together:
                some went to another district, or came from one (detail); the old figures
                cover another area than today's district
  no_successor  no unit of that name under N today
  ambiguous     several units of that name under N today (detail lists them)

Only the standard library: run with any python3.
"""

import csv
import gzip
import hashlib
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)

# The archived tables, pinned (github.com/cahyadsn/wilayah, commit b7ad440, db/archive/).
ARCHIVES = {
    "2018": "9b9a3c3addb9daa22ed6fa9a48f2342866aecb52ac94649eb1e85946776ad9a9",
    "2020": "1ca9557e3cede8f9b6702c3a125865bc64985c876bbbf5521e1fae32ac3ed05e",
    "2022": "c8849883ccaeda1e82b78adf8786123ad9789b61039d141895ef8633ab1b3227",
    "2023": "dc105d79c39430da9eb3666e62f18818df3ed4a308121d1c219b2e697bfc2978",
}

ROW = re.compile(r"\('([0-9.]+)',\s*'((?:[^'\\]|\\.)*)'\)")


def load_archive(path, want_sha):
    raw = open(path, "rb").read()
    got = hashlib.sha256(raw).hexdigest()
    if got != want_sha:
        sys.exit("%s: sha256 %s, want %s" % (path, got, want_sha))
    return {m.group(1): m.group(2).replace("\\'", "'") for m in ROW.finditer(raw.decode("utf-8"))}


def key(name):
    """The exporter's comparison key (region/normalize.go normKey)."""
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", name).lower())
    return "".join("kepulauan" if w == "kep" else w for w in words)


def regency_key(name):
    """A regency name without its type word: "KAB. MERAUKE" -> "merauke"."""
    return key(re.sub(r"^\s*(KAB\.|KABUPATEN|KOTA)\s*", "", name, flags=re.I))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    checkout = sys.argv[1]
    archives = {v: load_archive(os.path.join(checkout, "db", "archive", "wilayah_%s.sql" % v), sha)
                for v, sha in ARCHIVES.items()}
    today = {}
    with open(os.path.join(DATA, "districts.csv"), newline="") as f:
        for row in csv.DictReader(f):
            today[row["code"]] = row["name"].strip()
    with gzip.open(os.path.join(DATA, "villages.csv.gz"), "rt", newline="") as f:
        for row in csv.DictReader(f):
            today[row["code"]] = row["name"].strip()
    with open(os.path.join(HERE, "region_code_changes.csv"), newline="") as f:
        changes = [c for c in csv.DictReader(f) if c["change"] == "renumbered"]

    out = []
    for ch in changes:
        old, new = ch["old_code"], ch["new_code"]
        # old code -> {name: [versions]}, from every table that lists the old regency.
        olds = {}
        for v in sorted(archives):
            tab = archives[v]
            if old not in tab or regency_key(tab[old]) != regency_key(ch["old_name"]):
                continue
            for code, name in tab.items():
                if code.startswith(old + "."):
                    olds.setdefault(code, {}).setdefault(name, []).append(v)
        if not olds:
            sys.exit("no archived table lists %s %s" % (old, ch["old_name"]))
        t_dist, t_vill, t_vill_in = {}, {}, {}
        for code, name in today.items():
            if not code.startswith(new + "."):
                continue
            if len(code) == 8:
                t_dist.setdefault(key(name), []).append(code)
            else:
                t_vill.setdefault(key(name), []).append(code)
                t_vill_in.setdefault((code[:8], key(name)), []).append(code)

        def latest(code, fits=None):
            """The old name the latest table gives, among those of today's name if fits."""
            names = olds[code]
            pick = [n for n in names if fits is None or key(n) == key(fits)] or list(names)
            return max(pick, key=lambda n: max(names[n]))

        succ = {}
        for code in sorted(c for c in olds if len(c) == 8):
            succ[code] = sorted({s for n in olds[code] for s in t_dist.get(key(n), [])})
        for code in sorted(c for c in olds if len(c) == 13):
            parents = succ.get(code[:8], [])
            found = {s for n in olds[code] for d in parents for s in t_vill_in.get((d, key(n)), [])}
            if not found:
                found = {s for n in olds[code] for s in t_vill.get(key(n), [])}
            # A desa and a kelurahan of one name: the kind digit (1NNN kelurahan,
            # 2NNN desa, 3NNN desa adat) tells them apart.
            same_kind = {s for s in found if (s[9] == "1") == (code[9] == "1")}
            if len(found) > 1 and len(same_kind) == 1:
                found = same_kind
            succ[code] = sorted(found)

        # Which old district each of today's villages came from, for area_changed.
        came_from = {}
        for code, s in succ.items():
            if len(code) == 13 and len(s) == 1:
                came_from[s[0]] = code[:8]
        for code in sorted(olds):
            s = succ[code]
            row = {"old_code": code, "old_name": latest(code, today[s[0]] if len(s) == 1 else None),
                   "status": "", "new_code": "",
                   "new_name": "", "detail": ""}
            level = "district" if len(code) == 8 else "village"
            if not s:
                row["status"] = "no_successor"
                row["detail"] = "no %s named %s under %s today" % (level, row["old_name"], new)
            elif len(s) > 1:
                row["status"] = "ambiguous"
                row["detail"] = "%ss named %s under %s today: %s" % (
                    level, row["old_name"], new, " ".join("%s (%s)" % (c, today[c]) for c in s))
            else:
                row["status"], row["new_code"], row["new_name"] = "renumbered", s[0], today[s[0]]
                if level == "district":
                    out_to = sorted({succ[v][0][:8] for v in olds if len(v) == 13 and v[:8] == code
                                     and len(succ[v]) == 1 and succ[v][0][:8] != s[0]})
                    in_from = sorted({came_from[v] for v in today if len(v) == 13 and v[:8] == s[0]
                                      and v in came_from and came_from[v] != code})
                    parts = []
                    if out_to:
                        parts.append("villages went to " + ", ".join("%s (%s)" % (d, today[d]) for d in out_to))
                    if in_from:
                        parts.append("villages came from " + ", ".join(
                            "%s (%s)" % (d, latest(d)) for d in in_from))
                    if parts:
                        row["status"], row["detail"] = "area_changed", "; ".join(parts)
            out.append(row)

    path = os.path.join(HERE, "district_village_code_changes.csv")
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["old_code", "old_name", "status", "new_code", "new_name", "detail"],
                           lineterminator="\n")
        w.writeheader()
        w.writerows(out)
    counts = {}
    for r in out:
        k = ("district" if len(r["old_code"]) == 8 else "village", r["status"])
        counts[k] = counts.get(k, 0) + 1
    print("%s: %d rows %s" % (path, len(out), sorted(counts.items())))


if __name__ == "__main__":
    main()
