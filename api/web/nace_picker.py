"""Sector choices for the profile form: every NACE Rev. 2 code of data/nace_rev2.csv with a
name in English and Finnish, so the browser's list search finds "data" and "datakeskus"
alike. Names come from data/nace_rev2.csv when it has name_en/name_fi columns; otherwise
from this package's section and division names (a group or class shows its division's)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

NAMES = Path(__file__).parent / "nace_names.csv"


@lru_cache(maxsize=2)
def options(data_dir: Path) -> tuple[tuple[str, str], ...]:
    """(code, "code – English name / Finnish name") for every code."""
    with open(NAMES, newline="", encoding="utf-8") as fh:
        names = {r["code"]: (r["name_en"], r["name_fi"]) for r in csv.DictReader(fh)}
    out = []
    with open(data_dir / "nace_rev2.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            code = r["code"]
            en, fi = r.get("name_en") or "", r.get("name_fi") or ""
            if not (en and fi):
                en, fi = names.get(code) or names.get(code[:2]) or names.get(r["section"], ("", ""))
            out.append((code, f"{code} – {en} / {fi}"))
    return tuple(out)


def label(code: str, data_dir: Path) -> str:
    return dict(options(data_dir)).get(code, code)
