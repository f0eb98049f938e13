"""Labour pools, in one place: how many workers of a skill family live within commuting reach of
each candidate, how many one new employer can recruit, and how many are already taken by the
pipeline (won and shortlisted leads).

A family's pool at a candidate is the commuting area's workforce in the family's industry
sections (every municipality whose centre lies within ``COMMUTE_RADIUS_KM`` of the candidate),
weighted by the area's education level relative to the nation (clipped to 0.5–1.5). The share
that new employers can recruit is ``RECRUITABLE_SHARE`` of it (a modelling assumption, stated in
matcher/skills.py). A pipeline project at site *s* takes its headcount from the pool of every
candidate within the commuting radius of *s* (their commuting areas overlap).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

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


__all__ = ["PIPELINE_STAGES", "PipelineProject", "family_pool", "recruitable", "taken_by_pipeline",
           "with_pipeline", "within_commute"]
