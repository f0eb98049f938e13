"""The match page: profile form, ranked cards, map, side-by-side, brief and shortlist
downloads, and a shareable link that reruns the same profile."""

from __future__ import annotations

import csv
import io
import math
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from matcher import rank
from matcher.brief.brief_render import render
from matcher.brief.pitch import build_brief
from matcher.core import nace
from matcher.core.criteria import CRITERION_NAMES
from matcher.core.messages import CATALOGUE, t
from matcher.core.profile import profile_title
from matcher.core.skills import SKILL_FAMILIES

from ..edge import CSP_HTML
from .common import (
    PERCENT_FIELDS,
    WebRoute,
    current,
    decode_profile,
    dump,
    encode_profile,
    form_checked,
    named,
    new_lead,
    presets,
    profile_from_link,
    require,
    share_query,
    validate,
)
from .maps import ranking_map
from .nace_picker import label, options
from .render import lang_of, page

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(current)])
NUMBERS = ("investment_meur", "jobs", "power_mw", "energy_gwh_per_year", "green_power_share_min", "land_ha",
           "floor_area_m2", "water_m3_per_day", "waste_heat_mw")
INTEGERS = {"jobs"}
HARD_BY_NEED = {"power_mw": "power", "land_ha": "land", "floor_area_m2": "land", "water_m3_per_day": "water",
                "needs_rail": "rail", "green_power_share_min": "green_power", "start_by": "readiness"}
MAX_COMPARE = 4


def parse_number(text: str) -> float:
    """A number as a person types it in either language: 39 930, 0,8 or 0.8. 'inf', 'nan' and
    1e309 (which overflows to infinity) are refused: no need is infinite."""
    x = float(text.replace("\xa0", "").replace(" ", "").replace(",", "."))
    if not math.isfinite(x):
        raise ValueError(f"not a finite number: {text!r}")
    return x


def parse_percent(text: str) -> float:
    """A percentage as a person types it, as the share it is: 90, 90 %, 90% or 90,5 % → 0.9, 0.905.
    The match form's percent fields, a batch cell with '%' and a site's share column read it."""
    return parse_number(text.strip().removesuffix("%")) / 100


def profile_from_form(form: Any, lang: str = "en") -> tuple[dict[str, Any], dict[str, str]]:
    """The form as a profile dict (empty fields left out) and the fields it could not read (in ``lang``)."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in ("name", "investor_type", "start_by"):
        v = str(form.get(key) or "").strip()
        if v:
            data[key] = v
    sector = str(form.get("sector") or "").strip()
    if sector:
        data["sector"] = nace.read_code(sector)
    for key in NUMBERS:
        v = str(form.get(key) or "").strip()
        if not v:
            continue
        try:
            x = parse_percent(v) if key in PERCENT_FIELDS else parse_number(v)
        except ValueError:
            errors[key] = t("ref.not_a_number", lang, value=repr(v))  # type: ignore[arg-type]
            continue
        data[key] = int(x) if key in INTEGERS and x.is_integer() else x
    rail = str(form.get("needs_rail") or "")
    if rail in ("true", "false"):
        data["needs_rail"] = rail == "true"
    skills, weights = {}, {}
    for fam in SKILL_FAMILIES:
        v = str(form.get(f"skill_{fam}") or "").strip()
        if v:
            try:
                skills[fam] = int(parse_number(v))
            except ValueError:
                errors[f"skills.{fam}"] = t("ref.not_a_number", lang, value=repr(v))  # type: ignore[arg-type]
    for crit in CRITERION_NAMES:
        v = str(form.get(f"weight_{crit}") or "").strip()
        if v:
            try:
                weights[crit] = parse_number(v)
            except ValueError:
                errors[f"weights.{crit}"] = t("ref.not_a_number", lang, value=repr(v))  # type: ignore[arg-type]
    must = [c for c in CRITERION_NAMES if form.get(f"must_{c}")]
    if skills:
        data["skills"] = skills
    if weights:
        data["weights"] = weights
    if must:
        data["must"] = must
    return data, errors


def field_label(field: str, lang: str) -> str:
    """A profile field as the form labels it ('Investointi (M€)', 'Paino: vihreä sähkö'), for the
    summary of what to correct; a field the form has no label for keeps its name."""
    head, _, rest = field.partition(".")
    if head == "skills" and f"skill.{rest}" in CATALOGUE:
        return t(f"skill.{rest}", lang)  # type: ignore[arg-type]
    if head == "weights" and f"label.{rest}" in CATALOGUE:
        return f"{t('match.weight', lang)}: {t(f'label.{rest}', lang)}"  # type: ignore[arg-type]
    return t(f"field.{field}", lang) if f"field.{field}" in CATALOGUE else field  # type: ignore[arg-type]


def feasibility_state(result: dict[str, Any], profile: dict[str, Any]) -> str:
    """meets / unverified / fails: the engine's own field when it gives one; otherwise derived
    from feasible, blockers and the unknowns among the profile's hard requirements."""
    state = result.get("feasibility")
    if state in ("meets", "unverified", "fails"):
        return str(state)
    if not result["feasible"] or result["blockers"]:
        return "fails"
    hard = {c for k, c in HARD_BY_NEED.items() if profile.get(k) not in (None, False)} | set(profile.get("must", []))
    if any(m["criterion"] in hard for m in result["missing"]):
        return "unverified"
    return "meets"


def _ranking(request: Request, profile: Any, scope: str, top: int, pipeline: bool = False,
             lang: str | None = None) -> dict[str, Any]:
    """The ranking's record, its sites named in the reader's language (``lang``, else the page's)."""
    if pipeline and scope == "kainuu":  # skills read what won and shortlisted leads leave of each pool
        from ..routes.match import ranking_seeing_pipeline

        out = ranking_seeing_pipeline(request, profile, request.state.catalog, request.state.ranker, top).as_dict()
    else:
        out = rank(profile, request.state.catalog, scope=scope, top=top, ranker=request.state.ranker).as_dict()
    out["results"] = named(out["results"], request.state.catalog, lang or lang_of(request), scope=scope)
    return out


def preset_query(request: Request, scope: str) -> str:
    """What a preset chip carries over from the page it is on: the scope (a national reader stays
    national) and the language where the page's address names it (a cookie's language carries itself)."""
    lang = request.query_params.get("lang")
    return f"&scope={scope}" + (f"&lang={lang}" if lang in ("en", "fi") else "")


def _form_page(request: Request, user: Any, values: dict[str, Any], errors: dict[str, str], *,
               ranking: dict[str, Any] | None = None, scope: str = "kainuu", share: str = "",
               snap_then: str = "", status: int = 200, typed: dict[str, str] | None = None) -> Response:
    """The form, with ``values`` in the reader's format; after a refused submission each field
    shows what was ``typed`` into it, as typed (never a reformatted 1e+20 or an emptied field)."""
    st = request.app.state
    lang = lang_of(request)
    cards, the_map = [], None
    if ranking:
        for r in ranking["results"]:
            cards.append({**r, "state": feasibility_state(r, values),
                          "bar": max(0.0, min(1.0, r["score"])) * 100,
                          "unknowns": [m[lang] for m in r["missing"]],
                          "blocked": [b[lang] for b in r["blockers"]]})
        the_map = ranking_map(ranking, request.state.catalog, st.settings.data_dir)
    labels = {f: field_label(f, lang) for f in errors}
    return page(request, "match.html", user, status_code=status, values=values, typed=typed or {}, errors=errors,
                labels=labels, scope=scope,
                ranking=ranking, cards=cards, map=the_map, share=share, snap_then=snap_then,
                query=share.split("?", 1)[1] if share else "", p_enc=encode_profile(values) if ranking else "",
                kainuu_query=share_query(values, "kainuu", ranking["data_snapshot"]) if ranking else "",
                presets=presets(), preset_query=preset_query(request, scope), nace=options(lang),
                sector_label=label(values.get("sector", ""), lang) if values.get("sector") else "",
                skills=list(SKILL_FAMILIES), criteria=CRITERION_NAMES, may_save=user.role != "municipality")


@router.get("/match")
def match_page(request: Request, p: str = "", preset: str = "", scope: str = "kainuu", snap: str = "",
               pipeline: bool = False) -> Response:
    user = require(request)
    scope = scope if scope in ("kainuu", "finland") else "kainuu"
    values: dict[str, Any] = {}
    if preset:
        found = presets().get(preset)
        if found is None:
            return _form_page(request, user, {}, {"preset": t("web.unknown_archetype", lang_of(request))},  # type: ignore[arg-type]
                              status=404)
        values = dump(found)
        values["name"] = profile_title(found.name, lang_of(request))  # the brief's title in the reader's language
    elif p:
        try:
            values = decode_profile(p)
        except ValueError:
            return _form_page(request, user, {}, {"profile": t("web.link_damaged", lang_of(request))},  # type: ignore[arg-type]
                              status=422)
    if not values:
        return _form_page(request, user, {}, {}, scope=scope)
    profile, errors = validate(values, lang_of(request))
    if profile is None:
        return _form_page(request, user, values, errors, scope=scope, status=422)
    ranking = _ranking(request, profile, scope, 10 if scope == "kainuu" else 20, pipeline)
    share = "/match?" + share_query(values, scope, ranking["data_snapshot"]) + ("&pipeline=true" if pipeline else "")
    return _form_page(request, user, values, {}, ranking=ranking, scope=scope, share=share,
                      snap_then=snap if snap and snap != ranking["data_snapshot"] else "")


@router.post("/match")
async def match_post(request: Request) -> Response:
    user = require(request)
    form = await form_checked(request, user)
    values, errors = profile_from_form(form, lang_of(request))
    scope = str(form.get("scope") or "kainuu")
    scope = scope if scope in ("kainuu", "finland") else "kainuu"
    profile, more = validate(values, lang_of(request))
    errors = {**more, **errors}
    if errors or profile is None:
        typed = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf"}
        return _form_page(request, user, values, errors, scope=scope, status=422, typed=typed)
    snapshot = request.state.catalog.snapshot
    return RedirectResponse("/match?" + share_query(dump(profile), scope, snapshot), status_code=303)


@router.get("/match/compare")
def compare(request: Request, p: str, scope: str = "kainuu") -> Response:
    user = require(request)
    ids = request.query_params.getlist("ids")
    lang = lang_of(request)
    profile = profile_from_link(p)
    scope = scope if scope in ("kainuu", "finland") else "kainuu"
    if not 2 <= len(ids) <= MAX_COMPARE:
        return page(request, "message.html", user, status_code=422, heading=t("web.check", lang),  # type: ignore[arg-type]
                    message=t("match.compare.count", lang),
                    back="/match?" + share_query(dump(profile), scope, request.state.catalog.snapshot))
    total = len(request.state.catalog.candidates(scope))
    ranking = _ranking(request, profile, scope, total)
    chosen = [r for r in ranking["results"] if r["candidate_id"] in ids]
    values = dump(profile)
    for r in chosen:
        r["state"] = feasibility_state(r, values)
        r["by"] = {c["criterion"]: c for c in r["contributions"]}
    crits = [c for c in CRITERION_NAMES if any(c in r["by"] for r in chosen)]
    return page(request, "compare.html", user, sites=chosen, criteria=crits, ranking=ranking,
                back="/match?" + share_query(values, scope, ranking["data_snapshot"]))


MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}


@router.get("/match/brief")
def brief(request: Request, p: str, format: str = "pdf", lang: str = "", scope: str = "kainuu") -> Response:
    """The brief of a Kainuu ranking. The brief builder knows Kainuu's offerings only (site facts and
    sources, the municipality's contact, a visit route from Kajaani airport), so a national ranking
    gets a page saying so, never a brief about other places than the ranking it came from."""
    user = require(request)
    lang = lang if lang in ("en", "fi") else lang_of(request)
    profile = profile_from_link(p)
    if scope != "kainuu":
        kainuu = "/match?" + share_query(dump(profile), "kainuu", request.state.catalog.snapshot)
        return page(request, "message.html", user, status_code=422, heading=t("web.check", lang_of(request)),  # type: ignore[arg-type]
                    message=t("match.brief.kainuu_only", lang_of(request)), back=kainuu)  # type: ignore[arg-type]
    fmt = format if format in MEDIA else "pdf"
    b = build_brief(profile, request.state.catalog, lang=lang, top=3, ranker=request.state.ranker)
    return Response(render(b, fmt), media_type=MEDIA[fmt], headers={
        # the HTML brief opens in the browser (to read or print); PDF and Markdown download
        "Content-Disposition": f'{"inline" if fmt == "html" else "attachment"}; filename="brief-{lang}.{fmt}"',
        "X-Data-Snapshot": b.snapshot,
        # shown in the browser now: the strict policy of the API's own HTML brief (inline style, a data: image)
        "Content-Security-Policy": CSP_HTML, "X-Frame-Options": "DENY"})


def shortlist_rows(ranking: dict[str, Any], profile: dict[str, Any], lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [t("pitch.col.rank", lang), t("sites.col.id", lang), t("pitch.col.site", lang), t("pitch.col.municipality", lang),  # type: ignore[arg-type]
            t("pitch.col.score", lang), t("web.feasibility", lang), t("card.reasons", lang),  # type: ignore[arg-type]
            t("card.blockers", lang), t("card.unknowns", lang), t("web.snapshot", lang)]  # type: ignore[arg-type]
    rows = [[r["rank"], r["candidate_id"], r["name"], r["municipality"], round(r["score"], 3),
             t(f"feas.{feasibility_state(r, profile)}", lang),  # type: ignore[arg-type]
             " | ".join(r["reasons"][lang] + ([r["reasons"]["weakness"][lang]] if r["reasons"]["weakness"][lang] else [])
                        + r["reasons"]["unweighted"][lang]), " | ".join(b[lang] for b in r["blockers"]),
             " | ".join(m[lang] for m in r["missing"]), ranking["data_snapshot"]] for r in ranking["results"]]
    return head, rows


@router.get("/match/shortlist.{ext}")
def shortlist(request: Request, ext: str, p: str, scope: str = "kainuu", lang: str = "") -> Response:
    require(request)
    lang = lang if lang in ("en", "fi") else lang_of(request)
    profile = profile_from_link(p)
    scope = scope if scope in ("kainuu", "finland") else "kainuu"
    ranking = _ranking(request, profile, scope, 10 if scope == "kainuu" else 20, lang=lang)
    head, rows = shortlist_rows(ranking, dump(profile), lang)
    name = f"shortlist-{lang}.{ext}"
    if ext == "xlsx":
        return Response(xlsx_bytes(head, rows, t("match.shortlist_sheet", lang)),  # type: ignore[arg-type]
                        headers={"Content-Disposition": f'attachment; filename="{name}"'},
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(csv_text(head, rows, lang).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def csv_text(head: list[str], rows: list[list[Any]], lang: str) -> str:
    """Finnish Excel opens ';'-separated files with decimal commas; English ones ','."""
    sep = ";" if lang == "fi" else ","
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=sep)
    w.writerow(head)
    for r in rows:
        w.writerow([str(v).replace(".", ",") if lang == "fi" and isinstance(v, float) else v for v in r])
    return buf.getvalue()


def xlsx_bytes(head: list[str], rows: list[list[Any]], sheet: str = "Sheet1") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(head)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    for col, width in zip("ABCDEFGHIJ", (6, 8, 40, 14, 8, 18, 60, 40, 40, 18)):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@router.post("/match/lead")
async def save_lead(request: Request) -> Response:
    user = require(request, "coordinator", "referral_partner")
    form = await form_checked(request, user)
    profile = profile_from_link(str(form.get("p") or ""))
    lead = new_lead(request.app.state.engine, user, str(form.get("code_name") or ""), profile)
    return RedirectResponse(f"/leads/{lead['id']}", status_code=303)
