"""Referral partners: a batch of investors from CSV (',' or ';', as Finnish Excel saves it) or
XLSX, from a downloadable template; each valid row is matched and becomes a lead."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from matcher import rank
from matcher.core.criteria import CRITERION_NAMES
from matcher.core.messages import t
from matcher.core.profile import InvestorProfile
from matcher.core.skills import SKILL_FAMILIES

from .. import batch_jobs
from .common import (
    PERCENT_FIELDS,
    WebRoute,
    current,
    form_checked,
    new_lead,
    numbered_rows,
    require,
    validate,
)
from .pages_match import NUMBERS, csv_text, parse_number, parse_percent, xlsx_bytes
from .render import lang_of, not_found, page
from .session import WebUser

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(current)])
TEMPLATE_COLUMNS = ["code_name", "name", "sector", "investor_type", *NUMBERS, "needs_rail", "start_by", "must",
                    *(f"skill_{f}" for f in SKILL_FAMILIES)]
EXAMPLE = {"code_name": "Project Aurora", "name": "Example data centre", "sector": "63.11",
           "investor_type": "strategic", "investment_meur": "500", "jobs": "60", "power_mw": "50",
           "green_power_share_min": "90 %", "land_ha": "40", "start_by": "2028-06", "skill_ict": "25"}


def share_of(v: str | int | float) -> float:
    """A share as a batch gives it, in percent like the match form ('90 %', '90') or as a share
    (0,9 or 0.9, or an XLSX cell formatted as percent): '%' always means percent; without it a
    number above 1 is percent and 1 or less a share (ref.help.percent says so on the page)."""
    if isinstance(v, str) and v.strip().endswith("%"):
        return parse_percent(v)
    x = float(v) if isinstance(v, (int, float)) else parse_number(v)
    return x / 100 if x > 1 else x


YES = ("true", "yes", "y", "kyllä", "k", "joo", "1", "1.0", "x", "tosi")  # TOSI/EPÄTOSI: Finnish Excel
NO = ("false", "no", "n", "ei", "e", "0", "0.0", "-", "epätosi")


class NotYesNo(ValueError):
    pass


def yes_no(v: Any) -> bool:
    """A yes/no cell as people fill it in, in Finnish or English; anything else is refused, not
    quietly read as no."""
    s = str(v).strip().lower()
    if s in YES:
        return True
    if s in NO:
        return False
    raise NotYesNo(s)


def row_profile(row: dict[str, Any], lang: str = "en") -> tuple[dict[str, Any], dict[str, str]]:
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
            elif key in PERCENT_FIELDS:
                data[key] = share_of(v)
            elif key in NUMBERS:
                x = float(v) if isinstance(v, (int, float)) else parse_number(v)
                data[key] = int(x) if key == "jobs" and x.is_integer() else x
            elif key == "needs_rail":
                data[key] = yes_no(v)
            elif key == "must":
                data[key] = [m for m in str(v).replace(",", " ").replace(";", " ").replace("|", " ").split() if m]
            elif key.startswith("skill_"):
                skills[key[6:]] = int(float(v) if isinstance(v, (int, float)) else parse_number(v))
            elif key.startswith("weight_") and key[7:] in CRITERION_NAMES:
                weights[key[7:]] = float(v) if isinstance(v, (int, float)) else parse_number(v)
            elif key != "code_name":
                errors[key] = t("ref.unknown_column", lang)  # type: ignore[arg-type]
        except NotYesNo:
            errors[key] = t("ref.not_yes_no", lang, value=repr(v))  # type: ignore[arg-type]
        except ValueError:
            errors[key] = t("ref.not_a_number", lang, value=repr(v))  # type: ignore[arg-type]
    if skills:
        data["skills"] = skills
    if weights:
        data["weights"] = weights
    return data, errors


@router.get("/referrals")
def referrals(request: Request) -> Response:
    user = require(request, "referral_partner", "coordinator")
    return page(request, "referrals.html", user)


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
    """Check the file and every row at once (bad rows are answered, not matched), then match the
    valid rows in the background and send the partner to the job's page."""
    user = require(request, "referral_partner", "coordinator")
    form = await form_checked(request, user)
    lang = lang_of(request)
    st = request.app.state
    file = form.get("file")
    limit = st.settings.max_batch
    try:
        data = await file.read(st.settings.max_body_bytes + 1)  # type: ignore[union-attr]
        numbered = numbered_rows(getattr(file, "filename", "") or "", data)
        rows = [r for _, r in numbered]
    except Exception:  # noqa: BLE001  unreadable upload: say so in words
        return page(request, "referrals.html", user, status_code=422, error=t("ref.bad_file", lang))  # type: ignore[arg-type]
    if len(rows) > limit:
        return page(request, "referrals.html", user, status_code=422, error=t("ref.too_many", lang, n=limit))  # type: ignore[arg-type]
    if not rows:
        return page(request, "referrals.html", user, status_code=422, error=t("ref.empty", lang))  # type: ignore[arg-type]
    if not {"name", "sector"} <= {str(k).strip() for k in rows[0] if k}:
        return page(request, "referrals.html", user, status_code=422, error=t("ref.not_template", lang))  # type: ignore[arg-type]
    items = []
    for n, row in numbered:  # the file's own line numbers, blank lines skipped
        values, errors = row_profile(row, lang)
        profile, more = validate(values, lang)
        items.append((n, str(values.get("name", "")), str(row.get("code_name") or ""), profile, {**more, **errors}))
    catalog, ranker, engine = request.state.catalog, request.state.ranker, st.engine  # the data of this request

    def work(item: tuple[int, str, str, InvestorProfile | None, dict[str, str]]) -> dict[str, Any]:
        n, name, code_name, profile, errors = item
        out: dict[str, Any] = {"row": n, "name": name, "errors": errors, "top": [], "lead": None}
        if profile is not None and not errors:
            r = rank(profile, catalog, top=3, ranker=ranker).as_dict()
            out["top"] = [f"{x['rank']}. {x['name']} ({x['municipality']})" for x in r["results"]]
            out["lead"] = new_lead(engine, user, code_name, profile)["id"]
        return out

    def failed(item: tuple[int, str, str, InvestorProfile | None, dict[str, str]], _: Exception) -> dict[str, Any]:
        return {"row": item[0], "name": item[1], "errors": {"row": t("ref.row_failed", lang)},  # type: ignore[arg-type]
                "top": [], "lead": None}

    job_id = batch_jobs.start(engine, user.principal.key_id, items, work, failed)
    return RedirectResponse(f"/referrals/jobs/{job_id}", status_code=303)


def _visible_job(request: Request, job_id: str) -> tuple[WebUser, batch_jobs.Job | None]:
    """The job, or None where it does not exist or is another partner's (not even said to exist)."""
    user = require(request, "referral_partner", "coordinator")
    job = batch_jobs.get(request.app.state.engine, job_id[:40])
    if job is None or not job.visible_to(user.role, user.principal.key_id):
        return user, None
    return user, job


def _table(job: batch_jobs.Job, lang: str) -> tuple[list[str], list[list[Any]]]:
    head = [t("ref.row", lang), t("field.name", lang), t("ref.ok", lang), t("ref.top", lang), t("ref.lead", lang)]  # type: ignore[arg-type]
    rows = [[x["row"], x["name"], "; ".join(f"{k}: {v}" for k, v in x["errors"].items()) or "ok",
             " | ".join(x["top"]), x["lead"] or ""] for x in job.results]
    return head, rows


@router.get("/referrals/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    user, job = _visible_job(request, job_id)
    if job is None:
        return not_found(request, user)
    return page(request, "referrals.html", user, job=job, results=job.results,
                ok=sum(1 for x in job.results if x["lead"]))


@router.get("/referrals/jobs/{job_id}/results.xlsx")
def job_xlsx(request: Request, job_id: str) -> Response:
    user, job = _visible_job(request, job_id)
    if job is None:
        return not_found(request, user)
    return Response(xlsx_bytes(*_table(job, lang_of(request))), headers={
        "Content-Disposition": 'attachment; filename="referrals-results.xlsx"'},
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
