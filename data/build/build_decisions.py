"""Build data/decisions.csv from data/sources/investment_decisions_finland.csv.

Only real location decisions become training cases. The source's ``event_type`` is free
text, so each row's treatment is written out below with its reason: decisions, site
selections, expansions and production starts are kept; plans, letters of intent, grants
without a decision, acquisitions of running businesses, a closure, a municipality's own
investment, a transmission line and a row without a disclosed municipality are left out.
A land or property purchase (Google in Kajaani and Muhos, Otanmäki) counts as a site selection:
money was spent on that place. The source's sector words are mapped to NACE Rev. 2 codes by this project (the mapping is
the table below). Numbers are copied as stated; for a stated range the lower end is kept;
approximate values ("~100") keep their number. Nothing is filled in.

Sources: data/sources/investment_decisions_finland.csv (compiled for the project) and
data/sources/investment_decisions_additions.csv (found later, same columns, each row with URLs).

Run: python data/build/build_decisions.py
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "sources" / "investment_decisions_finland.csv"
# Decisions this project found later (same columns, ids A..): each with its URLs
ADDITIONS = ROOT / "data" / "sources" / "investment_decisions_additions.csv"
OUT = ROOT / "data" / "decisions.csv"

# row id -> (event_kind, NACE code), for kept rows
KEEP: dict[str, tuple[str, str]] = {
    "K01": ("decision", "63.11"), "K02": ("site_selection", "63.11"), "K03": ("expansion", "63.11"),
    "K06": ("site_selection", "63.11"), "K07": ("decision", "20.13"),
    "K10": ("site_selection", "07.29"), "K11": ("decision", "20.14"), "K12": ("decision", "35.11"),
    "K13": ("production_start", "07.29"), "K15": ("decision", "16.10"), "K20": ("decision", "82.11"),
    "F01": ("decision", "63.11"), "F02": ("expansion", "63.11"), "F03": ("expansion", "63.11"),
    "F04": ("expansion", "63.11"), "F05a": ("site_selection", "63.11"), "F06": ("decision", "63.11"),
    "F07": ("expansion", "63.11"), "F08": ("decision", "63.11"), "F13": ("site_selection", "20.13"),
    "F15": ("decision", "07.29"), "F16": ("decision", "20.13"), "F22": ("decision", "17.11"),
    "F23": ("decision", "17.11"), "F25": ("decision", "17.12"), "F26": ("decision", "19.20"),
    "F31": ("decision", "07.29"), "F34": ("production_start", "35.11"), "F36": ("production_start", "07.29"),
    "A01": ("decision", "20.11"), "A02": ("site_selection", "63.11"), "A03": ("decision", "16.10"),
    "A05": ("site_selection", "63.11"), "A06": ("decision", "10.89"),
}
# one decision, several sites: the other rows' municipalities join the first row's
SAME_DECISION = {"F05b": "F05a", "F05c": "F05a", "A04": "K06"}
LEFT_OUT = {
    "K05": "acquisition of a running business", "K08": "acquisition of a running business",
    "K16": "acquisition of a running business", "F10": "acquisition of a running business",
    "F20": "acquisition of a running business", "K18": "transmission line through 12 municipalities",
    "K19": "closure", "K21": "municipal energy company founded 1986", "K22": "the municipality's own investment",
    "F09": "municipality not disclosed",
    "K09": "land reserved and permits sought, no investment decision (the source's own caveat)", "F17": "grant awarded, no decision stated", "F18": "letter of intent",
    "F19": "plan", "F27": "grant awarded, decision pending", "F29": "no dated decision in the source",
    "F30": "EIA only, no FID", "F32": "plan", "F33": "plan",
}
# place names in the source that are not municipality names
PLACE_FIXES = {'Kemi (source: "Kemi mine")': "Kemi"}


def first_number(text: str) -> str:
    """The stated number, or the lower end of a stated range ('350-400' -> '350'); '' if none."""
    m = re.search(r"\d+(?:\.\d+)?", (text or "").replace(",", ""))
    return m.group(0) if m and not text.strip().startswith(">") else ""


def main() -> None:
    with open(ROOT / "data" / "municipalities.csv", encoding="utf-8") as fh:
        codes = {r["name_fi"]: r["municipality_code"] for r in csv.DictReader(fh)}
    rows: dict[str, dict[str, str]] = {}
    for path in (SOURCE, ADDITIONS):
        with open(path, encoding="utf-8") as fh:
            rows.update({r["id"]: r for r in csv.DictReader(fh)})
    unhandled = set(rows) - set(KEEP) - set(SAME_DECISION) - set(LEFT_OUT)
    assert not unhandled, f"decide how to treat source rows {sorted(unhandled)}"
    out = []
    for rid, (kind, code) in KEEP.items():
        r = rows[rid]
        places = [r["municipality"]] + [rows[o]["municipality"] for o, m in SAME_DECISION.items() if m == rid]
        names = [PLACE_FIXES.get(x.strip(), x.strip()) for p in places for x in PLACE_FIXES.get(p, p).split(";")]
        munis = ";".join(codes[n] for n in names)
        urls = " ; ".join(dict.fromkeys(u.strip() for o in [rid, *[o for o, m in SAME_DECISION.items() if m == rid]]
                                        for u in rows[o]["source_urls"].split(" ; ") if u.strip()))
        year = r["event_year"] if re.fullmatch(r"\d{4}", r["event_year"] or "") else ""
        out.append({
            "decision_id": rid, "project_group": r["project_group"], "investor": r["investor"],
            "project": r["project"], "nace": code, "municipality_codes": munis, "event_year": year,
            "event_kind": kind, "power_mw": first_number(r["power_mw"]), "jobs": first_number(r["jobs_direct"]),
            "capex_meur": first_number(r["capex_meur"]), "source_row": rid, "source_urls": urls,
        })
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(out[0]))
        w.writeheader()
        w.writerows(out)
    print(f"{OUT.relative_to(ROOT)}: {len(out)} decisions ({len(LEFT_OUT)} source rows left out)")


if __name__ == "__main__":
    main()
