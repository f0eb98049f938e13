"""The even-handedness report: how often each Kainuu municipality reaches the top 3 across the
archetypes and the leads, and which missing values hold each back (JSON or PDF, fi/en)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from matcher import InvestorProfile
from matcher.core.messages import Lang
from matcher.core.paths import ARCHETYPES_DIR
from matcher.municipal.evenhandedness import evenhandedness, to_pdf
from matcher.municipal.whatif import portfolio

from .. import lead_store
from ..auth import Principal, require_roles
from ..deps import CatalogDep, RankerDep

router = APIRouter(tags=["even-handedness"])
ReaderDep = Annotated[Principal, Depends(require_roles("coordinator", "municipality"))]


def report_for(request: Request, p: Principal, catalog: Any, ranker: Any) -> dict[str, Any]:
    """Archetypes and the leads ``p`` may see (a municipality: those shared with it)."""
    seen = lead_store.listing(request.app.state.engine, p, None, 500, 0)
    profiles = portfolio(ARCHETYPES_DIR) + [InvestorProfile.model_validate(lead_store.as_seen_by(p, x)["profile"])
                                            for x in seen]
    return evenhandedness(catalog, profiles, ranker)


@router.get("/evenhandedness", operation_id="evenhandedness")
def evenhandedness_route(request: Request, p: ReaderDep, catalog: CatalogDep, ranker: RankerDep) -> dict[str, Any]:
    return report_for(request, p, catalog, ranker)


@router.get("/evenhandedness/pdf", operation_id="evenhandedness_pdf",
            responses={200: {"content": {"application/pdf": {}}}})
def evenhandedness_pdf(request: Request, p: ReaderDep, catalog: CatalogDep, ranker: RankerDep,
                       lang: Annotated[Lang, Query()] = "en") -> Response:
    body = to_pdf(report_for(request, p, catalog, ranker), lang)
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="evenhandedness_{lang}.pdf"'})
