"""Offerings seen from the other side: who could this site, company or project fit; and the
sites (and, at municipal level, the Finnish municipalities) most like it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from matcher.core.schema import ID_PATTERN
from matcher.portfolio.investors import (
    SOURCES,
    Investor,
    archetype_investors,
    decision_investors,
    investors_for,
    lead_investors,
    offering_ids,
)
from matcher.portfolio.similar import MAX_SIMILAR, similar

from .. import lead_store
from ..auth import Principal, PrincipalDep
from ..deps import CatalogDep, RankerDep
from ..errors import ApiError

router = APIRouter(tags=["offerings"])
MAX_LEADS = 200


class InvestorsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    offering_id: str = Field(pattern=ID_PATTERN, description="an offered Kainuu site (see GET /sites)")
    top: StrictInt = Field(default=10, ge=1, le=100)
    sources: list[Literal["archetype", "lead", "decision"]] = Field(default=list(SOURCES), min_length=1, max_length=3)
    include_leads: StrictBool = Field(default=True, description="the leads this key may see (at most 200)")


def investor_pool(request: Request, p: Principal, catalog: Any, *, include_leads: bool = True) -> list[Investor]:
    """Archetypes, the leads ``p`` may see (a municipality sees code names) and the real investors."""
    pool = archetype_investors() + decision_investors(catalog)
    if include_leads:
        seen = lead_store.listing(request.app.state.engine, p, None, MAX_LEADS, 0)
        pool += lead_investors([lead_store.as_seen_by(p, x) for x in seen])
    return pool


@router.post("/investors", operation_id="investors")
def investors(request: Request, body: InvestorsIn, p: PrincipalDep, catalog: CatalogDep,
              ranker: RankerDep) -> dict[str, Any]:
    """Investor profiles ranked for one offering, each with the offering's explanation for it
    (contributions that add up to the score)."""
    pool = investor_pool(request, p, catalog, include_leads=body.include_leads)
    try:
        return investors_for(body.offering_id, catalog, pool, top=body.top, ranker=ranker,
                             sources=tuple(dict.fromkeys(body.sources)))
    except KeyError:
        raise ApiError(422, "offering_id", "api.not_offered", id=body.offering_id,
                       offered=", ".join(offering_ids(catalog))) from None


@router.get("/sites/{site_id}/similar", operation_id="similar_sites")
def similar_sites(site_id: Annotated[str, Path(pattern=ID_PATTERN)], catalog: CatalogDep,
                  top: Annotated[int, Query(ge=1, le=MAX_SIMILAR)] = 5) -> dict[str, Any]:
    """The offerings nearest to this one in standardised features, in Kainuu; and the Finnish
    municipalities nearest to its municipality, with the values compared."""
    try:
        return similar(site_id, catalog, top=top)
    except KeyError:
        raise ApiError(404, "site_id", "api.not_offered_site", id=site_id) from None
