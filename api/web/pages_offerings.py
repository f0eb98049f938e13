"""An offering's own page: who could this site, company or project fit (archetypes, the
leads the user may see, real investors who chose places like this)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from matcher.core.messages import t
from matcher.portfolio.investors import investors_for, offering_ids

from ..routes.offerings import investor_pool
from .common import WebRoute, current, named, require
from .render import lang_of, page

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(current)])


@router.get("/offerings")
def offerings_list(request: Request) -> Response:
    user = require(request)
    c, lang = request.state.catalog.candidates("kainuu"), lang_of(request)
    rows = [{"id": str(c.ids[i]), "name": c.name_in(i, lang), "kind": str(c.kinds[i]),
             "municipality": str(c.municipality_names[i]), "availability": str(c.availability[i])}
            for i in range(len(c))]
    return page(request, "offerings.html", user, rows=rows, snapshot=request.state.catalog.snapshot)


@router.get("/offerings/{site_id}")
def offering_page(request: Request, site_id: str) -> Response:
    user = require(request)
    catalog = request.state.catalog
    if site_id not in offering_ids(catalog):
        return page(request, "message.html", user, status_code=404,
                    message=t("web.not_offered", lang_of(request), id=site_id[:40]))  # type: ignore[arg-type]
    fit = investors_for(site_id, catalog, investor_pool(request, user.principal, catalog), top=10,
                        ranker=request.state.ranker)
    from matcher.portfolio.similar import similar

    lang = lang_of(request)
    like = similar(site_id, catalog, top=5)
    like["kainuu"] = named(like["kainuu"], catalog, lang, key="id")
    offering = named([fit["offering"]], catalog, lang, key="id")[0]
    return page(request, "offering.html", user, fit=fit, offering=offering, snapshot=catalog.snapshot, like=like)


@router.get("/allocation")
def allocation_page(request: Request) -> Response:
    from matcher.portfolio.allocation import allocate

    from ..routes.allocation import active_leads, won_projects

    user = require(request, "coordinator")
    leads = active_leads(request, user.principal, lang_of(request))
    cat, ranker = request.state.catalog, request.state.ranker
    out = allocate(leads, cat, ranker=ranker, pipeline=won_projects(request, cat, ranker)) if leads else None
    return page(request, "allocation.html", user, out=out, snapshot=request.state.catalog.snapshot)


@router.get("/evenhandedness")
def evenhandedness_page(request: Request) -> Response:
    from ..routes.evenhandedness import report_for

    user = require(request, "coordinator", "municipality")
    out = report_for(request, user.principal, request.state.catalog, request.state.ranker)
    return page(request, "evenhandedness.html", user, out=out, snapshot=out["data_snapshot"])


@router.get("/evenhandedness.pdf")
def evenhandedness_pdf_page(request: Request, lang: str = "en") -> Response:
    from matcher.municipal.evenhandedness import to_pdf

    from ..routes.evenhandedness import report_for

    user = require(request, "coordinator", "municipality")
    lang = lang if lang in ("en", "fi") else "en"
    out = report_for(request, user.principal, request.state.catalog, request.state.ranker)
    return Response(to_pdf(out, lang), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="evenhandedness_{lang}.pdf"'})
