"""Companies for sale and projects seeking capital as offerings: what is offered (a majority or
minority stake, or the business assets), the capital sought, the company's size band and since
when, each from sites.csv with its source; and the one rule that matches a deal to an investor's
``investor_type``: where the seller or project says which kind of investor it seeks (strategic:
an industrial operator; financial: a fund), an investor of the other kind fails, and an investor
whose type is not stated is unverified. Nothing else about a deal is assumed."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..core.catalog import Catalog
from ..core.feasibility import FAILS, MEETS, UNVERIFIED, Check
from ..core.messages import LANGS, t
from ..core.profile import InvestorProfile

DEAL_KINDS = ("company_for_sale", "project_seeking_capital")
DEAL_COLUMNS = ("offered_stake", "investor_type_sought", "capital_sought_meur", "size_band", "offered_since")


def _value(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)) or (isinstance(v, str) and not v.strip()):
        return None
    return v


def deal_terms(catalog: Catalog, site_id: str) -> dict[str, Any] | None:
    """The deal columns of a company for sale or a project seeking capital, each as
    ``{"value", "source"}`` (value None where no source states it); None for other kinds."""
    s = catalog.sites
    hit = s[s["site_id"] == site_id]
    if not len(hit) or hit["kind"].iloc[0] not in DEAL_KINDS:
        return None
    r = hit.iloc[0]
    out: dict[str, Any] = {"kind": str(r["kind"])}
    for c in DEAL_COLUMNS:
        v = _value(r.get(c))
        out[c] = {"value": float(v) if c == "capital_sought_meur" and v is not None else v,
                  "source": _value(r.get(f"{c}_source"))}
    return out


def deal_check(p: InvestorProfile, terms: dict[str, Any] | None, name: Callable[[str], str]
               ) -> tuple[int, Check | None]:
    """(level, the check that says why) of investor ``p`` for a deal: meets when the deal names no
    investor type or the types agree; fails when they differ; unverified when ``p`` states none.
    ``name``: the offering's name in a language (each sentence names it in its own)."""
    sought = (terms or {}).get("investor_type_sought", {}).get("value")
    if sought is None:
        return MEETS, None
    if p.investor_type is None:
        return UNVERIFIED, Check("investor_type", *(t("deal.type_unknown", lang, name=name(lang), sought=t(
            f"investor_type.{sought}", lang)) for lang in LANGS))
    if p.investor_type != sought:
        return FAILS, Check("investor_type", *(t("deal.type_differs", lang, name=name(lang), sought=t(
            f"investor_type.{sought}", lang), have=t(f"investor_type.{p.investor_type}", lang)) for lang in LANGS))
    return MEETS, None


def capital_note(p: InvestorProfile, terms: dict[str, Any] | None) -> dict[str, str] | None:
    """'brings EUR 50 M of the EUR 1,300 M sought' where both are known (a fact, not a score)."""
    sought = (terms or {}).get("capital_sought_meur", {}).get("value")
    if sought is None or p.investment_meur is None:
        return None
    return {lang: t("deal.capital", lang, have=p.investment_meur, sought=sought) for lang in LANGS}


__all__ = ["DEAL_COLUMNS", "DEAL_KINDS", "capital_note", "deal_check", "deal_terms"]
