"""Referral partners: a batch of investors from CSV (',' or ';', as Finnish Excel saves it) or
XLSX, from a downloadable template; each valid row is matched and becomes a lead."""

from __future__ import annotations

import base64
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from matcher import rank
from matcher.criteria import CRITERION_NAMES
from matcher.messages import t
from matcher.skills import SKILL_FAMILIES

from .common import WebRoute, current, form_checked, new_lead, require, table_rows, validate
from .pages_match import NUMBERS, csv_text, parse_number, xlsx_bytes
from .render import lang_of, page

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(current)])
TEMPLATE_COLUMNS = ["code_name", "name", "sector", "investor_type", *NUMBERS, "needs_rail", "start_by", "must",
                    *(f"skill_{f}" for f in SKILL_FAMILIES)]
EXAMPLE = {"code_name": "Project Aurora", "name": "Example data centre", "sector": "63.11",
           "investor_type": "strategic", "investment_meur": "500", "jobs": "60", "power_mw": "50",
           "green_power_share_min": "0.9", "land_ha": "40", "start_by": "2028-06", "skill_ict": "25"}


def row_profile(row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    skills: dict[str, int] = {}
    weights: dict[str, float] = {}
    for key, raw in row.items():
        if key is None or raw is None or str(raw).strip() == "":
            continue
        key = str(key).strip()
        v = str(raw).strip() if not isinstance(raw, (int, float)) else raw
        try:
            if key in ("name", "sector", "investor_type", "start_by"):
                data[key] = str(v)
            elif key in NUMBERS:
                x = float(v) if isinstance(v, (int, float)) else parse_number(v)
                data[key] = int(x) if key == "jobs" and x.is_integer() else x
            elif key == "needs_rail":
                data[key] = str(v).lower() in ("true", "yes", "kyllä", "1", "x")
            elif key == "must":
                data[key] = [m for m in str(v).replace(",", " ").replace(";", " ").replace("|", " ").split() if m]
            elif key.startswith("skill_"):
                skills[key[6:]] = int(float(v) if isinstance(v, (int, float)) else parse_number(v))
            elif key.startswith("weight_") and key[7:] in CRITERION_NAMES:
                weights[key[7:]] = float(v) if isinstance(v, (int, float)) else parse_number(v)
            elif key != "code_name":
                errors[key] = "unknown column"
        except ValueError:
            errors[key] = f"not a number: {v!r}"
    if skills:
        data["skills"] = skills
    if weights:
        data["weights"] = weights
    return data, errors


@router.get("/referrals")
def referrals(request: Request) -> Response:
    user = require(request, "referral_partner", "coordinator")
    return page(request, "referrals.html", user, results=None)


@router.get("/referrals/template.{ext}")
def template(request: Request, ext: str) -> Response:
    require(request, "referral_partner", "coordinator")
    lang = lang_of(request)
    rows = [[EXAMPLE.get(c, "") for c in TEMPLATE_COLUMNS]]
    if ext == "xlsx":
        return Response(xlsx_bytes(TEMPLATE_COLUMNS, rows), headers={
            "Content-Disposition": 'attachment; filename="referrals-template.xlsx"'},
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(csv_text(TEMPLATE_COLUMNS, rows, lang).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="referrals-template.csv"'})


@router.post("/referrals")
async def upload(request: Request) -> Response:
    user = require(request, "referral_partner", "coordinator")
    form = await form_checked(request, user)
    lang = lang_of(request)
    st = request.app.state
    file = form.get("file")
    limit = st.settings.max_batch
    try:
        data = await file.read(st.settings.max_body_bytes + 1)  # type: ignore[union-attr]
        rows = table_rows(getattr(file, "filename", "") or "", data)
    except Exception:  # noqa: BLE001  unreadable upload: say so in words
        return page(request, "referrals.html", user, status_code=422, results=None, error=t("ref.bad_file", lang))  # type: ignore[arg-type]
    if len(rows) > limit:
        return page(request, "referrals.html", user, status_code=422, results=None,
                    error=t("ref.too_many", lang, n=limit))  # type: ignore[arg-type]
    results = []
    for n, row in enumerate(rows, start=2):
        values, errors = row_profile(row)
        profile, more = validate(values)
        errors = {**more, **errors}
        item: dict[str, Any] = {"row": n, "name": values.get("name", ""), "errors": errors, "top": [], "lead": None}
        if profile is not None and not errors:
            r = rank(profile, request.state.catalog, top=3, ranker=request.state.ranker).as_dict()
            item["top"] = [f"{x['rank']}. {x['name']} ({x['municipality']})" for x in r["results"]]
            item["lead"] = new_lead(st.engine, user, str(row.get("code_name") or ""), profile)["id"]
        results.append(item)
    head = [t("ref.row", lang), t("field.name", lang), t("ref.ok", lang), t("ref.top", lang), t("ref.lead", lang)]  # type: ignore[arg-type]
    table = [[x["row"], x["name"], "; ".join(f"{k}: {v}" for k, v in x["errors"].items()) or "ok",
              " | ".join(x["top"]), x["lead"] or ""] for x in results]
    xlsx = base64.b64encode(xlsx_bytes(head, table)).decode()
    return page(request, "referrals.html", user, results=results, xlsx=xlsx,
                ok=sum(1 for x in results if x["lead"]))
