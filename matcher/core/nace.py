"""NACE Rev. 2 codes: validation, the section a code belongs to, and its title."""

from __future__ import annotations

import csv
from functools import lru_cache

from .paths import DATA_DIR

SECTIONS: tuple[str, ...] = tuple("ABCDEFGHIJKLMNOPQRSTU")
# Production of electricity (wind, solar, hydro, nuclear...): its MW is what a plant makes, not what it
# needs from the grid, and it is sited away from towns.
GENERATION = "35.11"


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, str]]:
    """data/nace_rev2.csv, read once: per code its section and its titles."""
    with open(DATA_DIR / "nace_rev2.csv", newline="", encoding="utf-8") as fh:
        return {r["code"]: {"section": r["section"], "en": r.get("name_en") or "", "fi": r.get("name_fi") or ""}
                for r in csv.DictReader(fh)}


def parent_of(code: str) -> str | None:
    """The code one level up (class → group → division → section), None for a section."""
    if "." in code:
        head, tail = code.split(".")
        return f"{head}.{tail[:-1]}" if len(tail) > 1 else head
    return _table()[code]["section"] if code[:1].isdigit() and code in _table() else None


def name(code: str, lang: str) -> str:
    """The code's title in ``lang`` (en or fi); where the table has none, the nearest parent's
    (five retail classes have no Finnish title in our source). Unknown codes: empty."""
    seen: str | None = code
    while seen:
        title = _table().get(seen, {}).get(lang, "")
        if title:
            return title
        seen = parent_of(seen)
    return ""


def named(code: str, lang: str) -> str:
    """The code with its title, for reasons and reports: "16.21 Vaneriviilun ja puupaneelien valmistus"."""
    title = name(code, lang)
    return f"{code} {title}" if title else code


def read_code(text: str) -> str:
    """What a person typed for a sector, as a code: a list entry ("16.10 – Puun sahaus … / …"), a code
    ("16.10", "C"), a TOL 2008 code without its dot as registers write it ("16100", "1610", "10110
    Teurastus"), or a title in either language that names one code exactly ("Puun sahaus, höyläys ja
    kyllästys"). Anything else is returned as typed, for the profile's check to refuse in its words."""
    t = text.strip()
    head = t.split(" – ")[0].strip()
    first = head.split()[0] if head.split() else ""
    if is_valid(first):
        return first
    digits = first.rstrip(".")
    if digits.isdigit() and len(digits) in (4, 5) and is_valid(f"{digits[:2]}.{digits[2:4]}"):
        return f"{digits[:2]}.{digits[2:4]}"  # the fifth digit of TOL 2008 is national detail within the class
    wanted = t.casefold()
    hits = {c for c, n in _table().items() if wanted and wanted in (n["en"].casefold(), n["fi"].casefold())}
    if len(hits) == 1:
        return hits.pop()
    if hits:  # a group and its only class share a title: the finest level
        return max(hits, key=len)
    return first or t


def codes() -> tuple[str, ...]:
    return tuple(_table())


def is_valid(code: str) -> bool:
    return code in _table()


def section_of(code: str) -> str:
    """The section letter of a valid code (a section is its own section)."""
    try:
        return _table()[code]["section"]
    except KeyError:
        raise ValueError(f"unknown NACE Rev. 2 code {code!r}") from None


def division_of(code: str) -> str | None:
    """The two-digit division, or None for a bare section letter."""
    return code[:2] if code[:2].isdigit() else None


def group_of(code: str) -> str | None:
    """The three-digit group ("20.1" of "20.13"), or None for a section or a bare division."""
    return code[:4] if len(code) >= 4 and code[:2].isdigit() and code[2] == "." and code[3].isdigit() else None


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
