"""Labour pools, in one place: how many workers of a skill family live within commuting reach of
each candidate, how many one new employer can recruit, and how many are already taken by the
pipeline (won and shortlisted leads).

A family's pool at a candidate is the commuting area's workforce in the family's industry
sections (every municipality whose centre lies within ``COMMUTE_RADIUS_KM`` of the candidate),
weighted by the area's education level relative to the nation (clipped to 0.5–1.5). The share
that new employers can recruit is ``RECRUITABLE_SHARE`` of it (a modelling assumption, stated in
matcher/core/skills.py). A pipeline project at site *s* takes its headcount from the pool of every
candidate within the commuting radius of *s* (their commuting areas overlap).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .catalog import SECTIONS, Candidates, Catalog, haversine_points
from .criteria import KAINUU
from .skills import COMMUTE_RADIUS_KM, RECRUITABLE_SHARE, SKILL_FAMILIES

PIPELINE_STAGES = ("won", "shortlisted")  # leads whose workforce the region already counts on


def _cols(family: str) -> list[int]:
    return [SECTIONS.index(s.lower()) for s in SKILL_FAMILIES[family].sections]


def family_pool(c: Candidates, family: str) -> np.ndarray:
    """Workers of ``family`` within commuting reach of each candidate."""
    f = SKILL_FAMILIES[family]
    return c.area_section_workforce[:, _cols(family)].sum(1) * np.clip(c.area_edu_rel[f.education], 0.5, 1.5)


def recruitable(c: Candidates, family: str) -> np.ndarray:
    """Workers of ``family`` that new employers can plausibly recruit around each candidate."""
    return RECRUITABLE_SHARE * family_pool(c, family)


def within_commute(c: Candidates) -> np.ndarray:
    """(n, n) True where candidate j lies within the commuting radius of candidate i."""
    return haversine_points(c.lat, c.lon, c.lat, c.lon) <= COMMUTE_RADIUS_KM


@dataclass(frozen=True)
class PipelineProject:
    """A won or shortlisted lead: where it goes and the people it needs per skill family."""

    lead_id: str
    site_id: str
    headcount: dict[str, int]


def taken_by_pipeline(c: Candidates, projects: list[PipelineProject]) -> dict[str, np.ndarray]:
    """Workers per family taken from each candidate's pool by the pipeline projects (those at a
    site within the commuting radius of the candidate). Projects at sites outside the scope's
    candidates are measured from their own row of the catalog."""
    taken: dict[str, np.ndarray] = {}
    ids = list(c.ids)
    near = within_commute(c)
    for pr in projects:
        if pr.site_id not in ids:
            continue
        j = ids.index(pr.site_id)
        for fam, n in pr.headcount.items():
            taken.setdefault(fam, np.zeros(len(c)))
            taken[fam] += near[:, j] * float(n)
    return taken


def with_pipeline(catalog: Catalog, projects: list[PipelineProject]) -> tuple[Catalog, dict[str, np.ndarray]]:
    """The catalog as a new lead sees it: each family's sections of each Kainuu candidate's
    commuting workforce reduced by what the pipeline takes (never below zero), so the skills
    criterion and its reason read what is left. Families sharing sections share the loss."""
    c = catalog.candidates(KAINUU)
    taken = taken_by_pipeline(c, projects)
    if not taken:
        return catalog, taken
    work = c.area_section_workforce.copy()
    for fam, n in taken.items():
        pool = family_pool(c, fam)
        with np.errstate(divide="ignore", invalid="ignore"):
            left = np.where(pool > 0, np.clip(1.0 - n / pool, 0.0, 1.0), 1.0)
        work[:, _cols(fam)] *= left[:, None]
    out = catalog.with_tables(tag="pipeline")
    out.__dict__["_kainuu_candidates"] = replace(c, area_section_workforce=work)  # the cached property's slot
    return out, taken




def pipeline_projects(leads: list[dict[str, Any]], catalog: Catalog, ranker: Any = None) -> list[PipelineProject]:
    """Won and shortlisted leads as pipeline projects: at their chosen site, or (shortlisted,
    nothing chosen yet) at the site their own ranking puts first. Leads needing no people are left out."""
    from .engine import score
    from .profile import InvestorProfile

    out = []
    for x in leads:
        if x.get("stage") not in PIPELINE_STAGES:
            continue
        p = InvestorProfile.model_validate(x["profile"])
        if not p.headcount:
            continue
        site = x.get("chosen_site")
        if not site:
            s = score(p, catalog, scope=KAINUU, ranker=ranker)
            site = str(s.candidates.ids[s.order[0]])
        out.append(PipelineProject(str(x.get("id", "")), str(site), p.headcount))
    return out


def rank_with_pipeline(p: Any, catalog: Catalog, projects: list[PipelineProject], *, top: int = 10,
                       ranker: Any = None) -> Any:
    """``rank`` in Kainuu as a new lead sees it once the pipeline has taken its people: the
    skills criterion reads what is left, and each result whose pool the pipeline shares says
    so ("of 1,734 process workers within 50 km, 300 are taken by pipeline projects")."""
    from .engine import rank
    from .messages import LANGS, t

    seen, taken = with_pipeline(catalog, projects)
    r = rank(p, seen, scope=KAINUU, top=top, ranker=ranker)
    c = catalog.candidates(KAINUU)
    ids = list(c.ids)
    for m in r.results:
        i = ids.index(m.candidate_id)
        for fam in p.headcount:
            n = float(taken.get(fam, np.zeros(len(c)))[i])
            if n <= 0:
                continue
            f = SKILL_FAMILIES[fam]
            pool = float(family_pool(c, fam)[i])
            for lang in LANGS:
                m.explanation.reasons[lang].append(t(
                    "pipeline.taken", lang, pool=pool, taken=n, radius=COMMUTE_RADIUS_KM,
                    family=f.label_fi if lang == "fi" else f.label_en))
    r.data_snapshot = seen.snapshot
    return r


__all__ = ["PIPELINE_STAGES", "PipelineProject", "family_pool", "pipeline_projects", "rank_with_pipeline",
           "recruitable", "taken_by_pipeline", "with_pipeline", "within_commute"]
