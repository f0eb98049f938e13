"""Sector choices for the profile form: every NACE Rev. 2 code with its title in the page's language
first and the other after it, so the browser's list search finds "sahaus" and "sawmilling" alike.
Codes and titles come from ``matcher.core.nace`` (data/nace_rev2.csv, read once)."""

from __future__ import annotations

from functools import lru_cache

from matcher.core import nace


@lru_cache(maxsize=2)
def options(lang: str = "fi") -> tuple[tuple[str, str], ...]:
    """(code, "code – title / other-language title") for every code."""
    other = "en" if lang == "fi" else "fi"
    return tuple((c, f"{c} – {nace.name(c, lang)} / {nace.name(c, other)}") for c in nace.codes())


def label(code: str, lang: str = "fi") -> str:
    return dict(options(lang)).get(code, code)
