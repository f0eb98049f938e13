"""Sector choices for the profile form: every NACE Rev. 2 code with its title in the page's language
first and the other after it, so the browser's list search finds "sahaus" and "sawmilling" alike.
Titles come from data/nace_rev2.csv (``matcher.core.nace.name``)."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from matcher.core import nace


@lru_cache(maxsize=4)
def options(data_dir: Path, lang: str = "fi") -> tuple[tuple[str, str], ...]:
    """(code, "code – title / other-language title") for every code."""
    other = "en" if lang == "fi" else "fi"
    with open(data_dir / "nace_rev2.csv", newline="", encoding="utf-8") as fh:
        codes = [r["code"] for r in csv.DictReader(fh)]
    return tuple((c, f"{c} – {nace.name(c, lang)} / {nace.name(c, other)}") for c in codes)


def label(code: str, data_dir: Path, lang: str = "fi") -> str:
    return dict(options(data_dir, lang)).get(code, code)
