"""NACE Rev. 2 codes: validation and the section a code belongs to."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from .paths import DATA_DIR

SECTIONS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRSTU")


@lru_cache(maxsize=4)
def _codes(data_dir: Path = DATA_DIR) -> dict[str, str]:
    with open(data_dir / "nace_rev2.csv", newline="", encoding="utf-8") as fh:
        return {r["code"]: r["section"] for r in csv.DictReader(fh)}


def codes() -> tuple[str, ...]:
    return tuple(_codes())


def is_valid(code: str) -> bool:
    return code in _codes()


def section_of(code: str) -> str:
    """The section letter of a valid code (a section is its own section)."""
    try:
        return _codes()[code]
    except KeyError:
        raise ValueError(f"unknown NACE Rev. 2 code {code!r}") from None


def division_of(code: str) -> str | None:
    """The two-digit division, or None for a bare section letter."""
    return code[:2] if code[:2].isdigit() else None


def matches(code: str, prefix: str) -> bool:
    """True when ``code`` and ``prefix`` overlap: one lies under the other.

    A section letter matches every code of that section, so an investor who only
    says "C" (manufacturing) matches a site that lists "16".
    """
    if code == prefix:
        return True
    if not code[:1].isdigit() or not prefix[:1].isdigit():
        return section_of(code) == section_of(prefix)
    return code.startswith(prefix) or prefix.startswith(code)
