"""Offering → investors: who could this site, company or project fit?

The same pipe as ``rank`` turned around. Every investor profile of a pool is scored against the
whole Kainuu catalog; the offering's row of each gives its score for that investor, its
feasibility state and its rank among the sites that investor would be shown. Investors are
ordered like sites are (meets, then unverified, then fails; by score within a state), and each
carries the offering's explanation for it, whose contributions add up to the score. A company for
sale or a project seeking capital adds its deal rule (matcher/portfolio/deals.py: the investor type it seeks).

The pool: the sector archetypes (examples/), the leads the caller may see, and the real
investors of data/decisions.csv, each as the profile its decision states (sector, power, jobs,
capital) — "investors who chose places like this", with where they chose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..core.catalog import Catalog
from ..core.criteria import KAINUU
from ..core.engine import MAX_TOP, score
from ..core.feasibility import FAILS
from ..core.paths import ARCHETYPES_DIR
from ..core.profile import InvestorProfile, ProfileError, load_profiles, parse_profile
from ..core.rankers import Ranker
from ..core.ranking import rank_key
from .deals import capital_note, deal_check, deal_terms

SOURCES = ("archetype", "lead", "decision")


@dataclass(frozen=True)
class Investor:
    """One investor of the pool: where it comes from, its id there, and its profile."""

    source: str  # archetype | lead | decision
    investor_id: str
    profile: InvestorProfile
    chose: dict[str, Any] | None = None  # a real decision: municipalities, year, type, sources


def _num(v: Any) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) else x


def decision_investors(catalog: Catalog) -> list[Investor]:
    """The investors of data/decisions.csv, one per investor and NACE code, as the profile its
    latest decision states (sector, power, jobs, capital where the source gives them; nothing
    else is guessed), with every decision of theirs as where they chose."""
    d: pd.DataFrame = catalog.national_tables["decisions.csv"]
    names = dict(zip(catalog.municipalities["municipality_code"], catalog.municipalities["name_fi"]))
    groups: dict[tuple[str, str], list[Any]] = {}
    for r in d.itertuples(index=False):
        groups.setdefault((str(r.investor), str(r.nace)), []).append(r)
    out = []
    for (investor, code), rs in groups.items():
        rs.sort(key=lambda r: (_num(r.event_year) or 0, str(r.decision_id)))
        last = rs[-1]
        jobs, mw, capex = _num(last.jobs), _num(last.power_mw), _num(last.capex_meur)
        raw = {"name": investor[:200], "sector": code,
               **({"jobs": int(jobs)} if jobs is not None else {}),
               **({"power_mw": mw} if mw is not None else {}),
               **({"investment_meur": capex} if capex is not None else {})}
        try:
            p = parse_profile(raw)
        except ProfileError:
            continue  # a decision whose code the profile contract refuses is not an investor profile
        chose = []
        for r in rs:
            codes = [c for c in str(r.municipality_codes).split(";") if c]
            year = _num(r.event_year)
            chose.append({"decision_id": str(r.decision_id), "project": str(r.project),
                          "municipality_codes": codes, "municipalities": [str(names.get(c, c)) for c in codes],
                          "year": None if year is None else int(year), "decision_type": str(r.decision_type),
                          "source_urls": [u.strip() for u in str(r.source_urls).split(" ; ") if u.strip()]})
        out.append(Investor("decision", str(last.decision_id), p, {"decisions": chose}))
    return out


def archetype_investors(folder: str | Path = ARCHETYPES_DIR) -> list[Investor]:
    """The bundled sector archetypes (examples/*.json), each under its file's stem (or the profiles
    of another folder, or one profile file)."""
    return [Investor("archetype", name, profile) for name, profile in load_profiles(folder)]


def lead_investors(leads: list[dict[str, Any]]) -> list[Investor]:
    """Leads as the caller sees them (``lead_store.as_seen_by``): a municipality gets code names."""
    return [Investor("lead", str(x["id"]), InvestorProfile.model_validate(x["profile"])) for x in leads]


def offering_ids(catalog: Catalog) -> list[str]:
    return [str(x) for x in catalog.candidates(KAINUU).ids]


def investors_for(offering_id: str, catalog: Catalog, pool: list[Investor], *, top: int = 10,
                  ranker: Ranker | None = None, sources: tuple[str, ...] = SOURCES) -> dict[str, Any]:
    """The investors of ``pool`` ranked for the offering, with the offering's explanation for each."""
    if not 1 <= top <= MAX_TOP:
        raise ValueError(f"top must be between 1 and {MAX_TOP}")
    cands = catalog.candidates(KAINUU)
    if offering_id not in set(cands.ids):
        raise KeyError(f"offering_id: {offering_id!r} is not an offered Kainuu site "
                       f"(offered: {', '.join(offering_ids(catalog))})")
    i = cands.index_of(offering_id)
    pool = [x for x in pool if x.source in sources]
    terms = deal_terms(catalog, offering_id)
    rows = []
    keys = np.empty(len(pool))
    scored = []
    for n, inv in enumerate(pool):
        s = score(inv.profile, catalog, scope=KAINUU, ranker=ranker)
        deal_level, deal_said = deal_check(inv.profile, terms, lambda lang: cands.name_in(i, lang))
        level = min(float(s.feasibility.rank_level[i]), float(deal_level))
        keys[n] = rank_key(s.scores[i:i + 1], np.array([level]))[0]
        scored.append((s, deal_level, deal_said))
    order = sorted(range(len(pool)), key=lambda n: (-keys[n], pool[n].source, pool[n].investor_id))
    for n in order[:top]:
        inv, (s, deal_level, deal_said) = pool[n], scored[n]
        e = s.explain(i, catalog).as_dict()
        state = s.feasibility.state(i)
        blockers, missing = list(e["blockers"]), list(e["missing"])
        if deal_said is not None and deal_level == FAILS:
            state = "fails"
            blockers.append(deal_said.as_dict())
        elif deal_said is not None:
            state = "unverified" if state == "meets" else state
            missing.append(deal_said.as_dict())
        rows.append({
            # investors with the same profile score the same: they share a rank (competition ranking),
            # and ``tied`` says how many do, so an order by name is not read as an order by fit
            "rank": int((keys > keys[n]).sum()) + 1, "tied": int((keys == keys[n]).sum()), "source": inv.source, "investor_id": inv.investor_id, "name": inv.profile.name,
            "sector": inv.profile.sector, "investor_type": inv.profile.investor_type,
            "score": e["score"], "feasibility": state, "hard_needs": list(s.feasibility.hard),
            "site_rank": s.rank_of(i),
            "sites_total": len(s.candidates), "contributions": e["contributions"], "reasons": e["reasons"],
            "missing": missing, "blockers": blockers, "capital": capital_note(inv.profile, terms),
            "chose": inv.chose})
    counted = {src: sum(1 for x in pool if x.source == src) for src in sources}
    return {"offering": {"id": offering_id, "name": str(cands.names[i]), "kind": str(cands.kinds[i]),
                         "municipality": str(cands.municipality_names[i]),
                         "availability": str(cands.availability[i]), "deal": terms},
            "data_snapshot": catalog.snapshot, "investors_total": len(pool), "counted": counted,
            "results": rows, "tied_note": any(r["tied"] > 1 for r in rows)}


__all__ = ["Investor", "SOURCES", "archetype_investors", "decision_investors", "investors_for",
           "lead_investors", "offering_ids"]
