"""Coordinator pages: the lead pipeline as a board by stage, lead detail with its ranking and
brief, and monitoring of won and pipeline euros against the strategy's 1.2 bn € target."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse, Response

from matcher import InvestorProfile, rank
from matcher.core import clock, nace
from matcher.core.criteria import KAINUU
from matcher.core.messages import t

from .. import lead_store
from .common import WebRoute, current, dump, form_checked, named, require, share_query
from .render import lang_of, not_found, page

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(current)])
TARGET_MEUR = 1200.0  # Kainuu strategy 2022–2025: at least 1.2 bn € of industrial investment
LeadId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


def _visible(request: Request, user: Any) -> list[dict[str, Any]]:
    rows = lead_store.listing(request.app.state.engine, user.principal, None, 500, 0)
    return [lead_store.as_seen_by(user.principal, r) for r in rows]


def _site_choices(request: Request) -> list[tuple[str, str, str]]:
    """(id, text, group) for the "chosen site" list: the offerings (what a Kainuu ranking places)
    first, then the taken plots and reference plants, marked, so a won lead is not put on a plot
    another company builds on by a slip of the mouse."""
    catalog = request.state.catalog
    offered = set(catalog.candidates(KAINUU).ids)
    s = catalog.sites
    s = s[s["kind"] != "infrastructure"]
    lang = lang_of(request)
    out = []
    for r in sorted(s.itertuples(), key=lambda r: (r.site_id not in offered, r.site_id)):
        mark = "" if r.availability == "available" else f" · {t('avail.' + str(r.availability), lang)}"  # type: ignore[arg-type]
        name = catalog.name_of(str(r.site_id), lang, str(r.name))
        out.append((str(r.site_id), f"{r.site_id} – {name}{mark}", "offered" if r.site_id in offered else "other"))
    return out


def _kainuu_municipalities(request: Request) -> list[tuple[str, str]]:
    catalog = request.state.catalog
    return sorted((str(c), catalog.municipality_name(str(c))) for c in catalog.kainuu["municipality_code"])


@router.get("/leads")
def board(request: Request, error: str = "") -> Response:
    user = require(request)
    leads = _visible(request, user)
    columns = {s: [x for x in leads if x["stage"] == s] for s in lead_store.STAGES}
    return page(request, "leads.html", user, columns=columns, stages=lead_store.STAGES,
                sites=_site_choices(request), error=error)


@router.get("/leads/{lead_id}")
def lead_detail(request: Request, lead_id: LeadId, error: str = "") -> Response:
    user = require(request)
    lead = lead_store.get(request.app.state.engine, lead_id)
    if lead is None or not lead_store.visible_to(user.principal, lead):
        return not_found(request, user)
    seen = lead_store.as_seen_by(user.principal, lead)
    profile = InvestorProfile.model_validate(seen["profile"])
    catalog, lang = request.state.catalog, lang_of(request)
    ranking = rank(profile, catalog, top=5, ranker=request.state.ranker).as_dict()
    ranking["results"] = named(ranking["results"], catalog, lang)
    query = share_query(dump(profile), "kainuu", ranking["data_snapshot"])
    chosen = seen["chosen_site"]
    # the chosen site's name, or the municipality's for a lead won by a municipality
    municipality = catalog.municipalities.set_index("municipality_code")["name_fi"].get(chosen) if chosen else None
    name = catalog.name_of(chosen, lang, default=str(municipality or "")) if chosen else ""
    return page(request, "lead.html", user, lead=seen, ranking=ranking, query=query, stages=lead_store.STAGES,
                sites=_site_choices(request), municipalities=_kainuu_municipalities(request), error=error[:20],
                chosen_name=f"{chosen} – {name}" if name else chosen)


@router.post("/leads/{lead_id}/share")
async def share(request: Request, lead_id: LeadId) -> Response:
    """Share the lead (under its code name) with the ticked Kainuu municipalities; an unticked
    one no longer sees it."""
    user = require(request, "coordinator")
    form = await form_checked(request, user)
    kainuu = {c for c, _ in _kainuu_municipalities(request)}
    codes = sorted({str(c) for c in form.getlist("shared_with") if str(c) in kainuu})
    lead = lead_store.change(request.app.state.engine, user.principal.actor, lead_id, {"shared_with": codes},
                             lambda before: None)
    if lead is None:
        return not_found(request, user)
    return RedirectResponse(f"/leads/{lead_id}?shared=1", status_code=303)


@router.post("/leads/{lead_id}/move")
async def move(request: Request, lead_id: LeadId) -> Response:
    user = require(request, "coordinator")
    form = await form_checked(request, user)
    stage = str(form.get("stage") or "")
    chosen = str(form.get("chosen_site") or "").strip() or None
    back = str(form.get("back") or "/leads")
    back = back if re.fullmatch(r"/leads(/\d{1,9})?", back) else "/leads"  # the board or a lead page, nothing else

    def refused(why: str) -> Response:  # back where the move was made (the lead page or the board), with why
        return RedirectResponse(f"{back}?error={why}", status_code=303)

    if stage not in lead_store.STAGES:
        return refused("stage")
    known = set(request.state.catalog.sites["site_id"]) | set(request.state.catalog.municipalities["municipality_code"])
    if chosen and chosen not in known:
        return refused("site")
    changes: dict[str, Any] = {"stage": stage}
    if chosen:
        changes["chosen_site"] = chosen

    class Refused(Exception):
        pass

    def allowed(before: dict[str, Any]) -> None:
        if stage == "won" and not (chosen or before["chosen_site"]):
            raise Refused()

    try:
        lead = lead_store.change(request.app.state.engine, user.principal.actor, lead_id, changes, allowed)
    except Refused:
        return refused("won")
    if lead is None:
        return not_found(request, user)
    return RedirectResponse(back, status_code=303)


def _year(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return str(value.year)
    return str(value)[:4] if value else "?"


def monitoring_tables(leads: list[dict[str, Any]], catalog: Any, lang: str) -> dict[str, Any]:
    """Won and open-pipeline M€ by sector, municipality and year (won: the year it was last
    moved; open: the year it came in). Lost leads count in neither."""
    sites = catalog.sites.set_index("site_id")["municipality_code"].to_dict()
    names = catalog.municipalities.set_index("municipality_code")["name_fi"].to_dict()
    tables: dict[str, dict[str, dict[str, float]]] = {k: defaultdict(lambda: {"won": 0.0, "pipeline": 0.0})
                                                      for k in ("sector", "municipality", "year")}
    won = pipeline = 0.0
    no_amount = 0
    for lead in leads:
        if lead["stage"] == "lost":
            continue
        amount = lead["profile"].get("investment_meur")
        if amount is None:
            no_amount += 1
            amount = 0.0
        part = "won" if lead["stage"] == "won" else "pipeline"
        sec = nace.section_of(lead["profile"]["sector"])
        code = sites.get(lead["chosen_site"] or "", lead["chosen_site"] or "")
        keys = {"sector": f"{sec} – {nace.name(sec, lang) or sec}",
                "municipality": names.get(code, t("mon.unassigned", lang)),  # type: ignore[arg-type]
                "year": _year(lead["updated_at"] if part == "won" else lead["created_at"])}
        for table, key in keys.items():
            tables[table][key][part] += float(amount)
        if part == "won":
            won += float(amount)
        else:
            pipeline += float(amount)
    out = {k: sorted(v.items(), key=lambda kv: (-kv[1]["won"], -kv[1]["pipeline"], kv[0])) for k, v in tables.items()}
    out["year"] = sorted(tables["year"].items())
    return {"tables": out, "won": won, "pipeline": pipeline, "target": TARGET_MEUR, "no_amount": no_amount}


@router.get("/monitoring")
def monitoring(request: Request) -> Response:
    user = require(request, "coordinator")
    data = monitoring_tables(_visible(request, user), request.state.catalog, lang_of(request))
    return page(request, "monitoring.html", user, **data)


def forum_report_pdf(data: dict[str, Any], lang: str, today: dt.date) -> bytes:
    """The annual investment-forum report: the target line and the three tables, as a PDF."""
    from matcher.brief.brief_render import pdf_document

    from .render import date, number, percent

    pdf, line = pdf_document()
    w = pdf.epw

    m = " M€"
    line(t("mon.report_title", lang, year=today.year), 16, "B", 3)  # type: ignore[arg-type]
    line(t("mon.target", lang, won=number(data["won"], lang) + m, target=number(data["target"], lang) + m,  # type: ignore[arg-type]
           share=percent(data["won"] / data["target"], lang), pipeline=number(data["pipeline"], lang) + m))
    if data["no_amount"]:
        line(t("mon.unknown_amount", lang, n=data["no_amount"]), 9)  # type: ignore[arg-type]
    for key, title in (("sector", "mon.by_sector"), ("municipality", "mon.by_municipality"), ("year", "mon.by_year")):
        line(t(title, lang), 13, "B", 1)  # type: ignore[arg-type]
        pdf.set_font("DejaVu", "B", 9.5)
        for text, width in ((t(f"mon.col.{key}", lang), 0.6), (t("mon.won", lang), 0.2), (t("mon.pipeline", lang), 0.2)):  # type: ignore[arg-type]
            pdf.cell(w * width, 6, text, border="B")
        pdf.ln()
        pdf.set_font("DejaVu", "", 9.5)
        if not data["tables"][key]:
            pdf.cell(w, 6, t("mon.no_leads", lang))  # type: ignore[arg-type]
            pdf.ln()
        for name, v in data["tables"][key]:
            pdf.cell(w * 0.6, 6, str(name)[:60])
            pdf.cell(w * 0.2, 6, number(v["won"], lang))
            pdf.cell(w * 0.2, 6, number(v["pipeline"], lang))
            pdf.ln()
        pdf.ln(3)
    line(t("mon.report_footer", lang, date=date(today, lang)), 8)  # type: ignore[arg-type]
    return bytes(pdf.output())


@router.get("/monitoring/report.pdf")
def forum_report(request: Request, lang: str = "") -> Response:
    user = require(request, "coordinator")
    lang = lang if lang in ("en", "fi") else lang_of(request)
    data = monitoring_tables(_visible(request, user), request.state.catalog, lang)
    today = clock.today()
    return Response(forum_report_pdf(data, lang, today), media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="investment-forum-{today.year}-{lang}.pdf"'})
