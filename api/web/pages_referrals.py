"""Referral partners: a batch of investors from CSV (',' or ';', as Finnish Excel saves it) or
XLSX, from a downloadable template; each valid row is matched and becomes a lead."""

from __future__ import annotations

import functools
import re
from functools import cache
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from matcher import rank
from matcher.core import nace
from matcher.core.criteria import CRITERION_NAMES, FINLAND, KAINUU
from matcher.core.messages import either, t, with_municipality
from matcher.core.profile import InvestorProfile
from matcher.core.schema import INVESTOR_TYPES
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
from .common import named as named_in_lang
from .pages_match import NUMBERS, csv_text, parse_number, parse_percent, xlsx_bytes
from .render import lang_of, not_found, page
from .session import WebUser

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(current)])
# The batch's columns, in the template's order, and the message key of each one's Finnish name: the match
# form's label of the field (a skill family's column: ref.col.skill). The English template heads its
# columns with the codes, the Finnish one with these names; the importer reads either, in any case
# (``column_of``), and an error names the column as the reader's template does (``column_named``).
LABELS = {"code_name": "match.code_name", "name": "field.name", "sector": "ref.col.sector",
          "investor_type": "field.investor_type", **{n: f"field.{n}" for n in NUMBERS},
          "needs_rail": "field.needs_rail", "start_by": "field.start_by", "must": "ref.col.must"}
TEMPLATE_COLUMNS = [*LABELS, *(f"skill_{f}" for f in SKILL_FAMILIES)]


def header(code: str, lang: str) -> str:
    """The column's head in the template of ``lang``: its code in English, its label in Finnish."""
    if lang == "en":
        return code
    if code.startswith("skill_") and code[6:] in SKILL_FAMILIES:
        return t("ref.col.skill", lang, family=t(f"skill.{code[6:]}", lang))  # type: ignore[arg-type]
    return t(LABELS[code], lang) if code in LABELS else code  # type: ignore[arg-type]


@cache
def _codes() -> dict[str, str]:
    heads = {header(c, lang).casefold(): c for c in TEMPLATE_COLUMNS for lang in ("fi", "en")}
    return {**heads, **{f"weight_{c}": f"weight_{c}" for c in CRITERION_NAMES}}


def column_of(head: object) -> str:
    """The column code a file's header cell names (code or Finnish label, any case and spacing);
    an unknown header as it is written."""
    text = " ".join(str(head).split())
    return _codes().get(text.casefold(), text)


def column_named(code: str, lang: str, head: str | None = None) -> str:
    """A column as an error names it: as the template of ``lang`` heads it, with the file's own header
    after it where the file heads it otherwise (an English template on the Finnish page)."""
    name = header(code, lang)
    return name if head is None or " ".join(head.split()).casefold() == name.casefold() else f"{name} ({head})"


def example(lang: str) -> list[Any]:
    """The template's example row, in the words of ``lang``: values the importer accepts."""
    row = {"code_name": t("ref.example.code_name", lang), "name": t("ref.example.name", lang),  # type: ignore[arg-type]
           "sector": "63.11", "investor_type": t("field.investor_type.strategic", lang),  # type: ignore[arg-type]
           "investment_meur": 500, "jobs": 60, "power_mw": 50, "green_power_share_min": 90, "land_ha": 40,
           "needs_rail": t("match.no", lang), "start_by": "2028-06", "skill_ict": 25}  # type: ignore[arg-type]
    return [row.get(c, "") for c in TEMPLATE_COLUMNS]


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


class NotAChoice(ValueError):
    """A cell that is none of its column's words; ``words``: the accepted ones, as ``lang`` says them."""

    def __init__(self, words: tuple[str, ...]):
        self.words = words


def yes_no(v: Any, lang: str = "en") -> bool:
    """A yes/no cell as people fill it in, in Finnish or English; anything else is refused, not
    quietly read as no."""
    s = str(v).strip().lower()
    if s in YES:
        return True
    if s in NO:
        return False
    raise NotAChoice((t("match.yes", lang), t("match.no", lang)))  # type: ignore[arg-type]


@functools.cache
def criterion_by_name() -> dict[str, str]:
    """Each criterion's code and its names in both languages (casefolded) -> the code: built once, not
    per uploaded row."""
    return {said: c for c in CRITERION_NAMES
            for said in (c, *(t(f"label.{c}", la).casefold() for la in ("en", "fi")))}  # type: ignore[arg-type]


def musts(v: Any, lang: str = "en") -> list[str]:
    """The must-criteria cell: codes or the criteria's names in either language ("sähkö; maa-ala",
    "power land"), separated by ; , or | (or spaces, for codes). Anything else is refused with the
    names the page's language uses."""
    text = str(v).strip()
    parts = [x for x in re.split(r"[;,|]", text) if x.strip()] if re.search(r"[;,|]", text) else text.split()
    names = criterion_by_name()
    out = []
    for part in parts:
        hit = names.get(part.strip().casefold())
        if hit is None:
            raise NotAChoice(tuple(t(f"label.{c}", lang) for c in CRITERION_NAMES))  # type: ignore[arg-type]
        out.append(hit)
    return out


def investor_type(v: Any, lang: str = "en") -> str:
    """The investor type as its code or as the match form names it (strateginen, rahoitussijoittaja)."""
    s = str(v).strip().casefold()
    for code in INVESTOR_TYPES:
        if s in {code, *(t(f"field.investor_type.{code}", la).casefold() for la in ("en", "fi"))}:  # type: ignore[arg-type]
            return code
    raise NotAChoice(tuple(t(f"field.investor_type.{c}", lang) for c in INVESTOR_TYPES))  # type: ignore[arg-type]


def row_profile(row: dict[str, Any], lang: str = "en") -> tuple[dict[str, Any], dict[str, str]]:
    """A batch row (headed by codes or Finnish labels) as profile values, and the cells it could not
    read: column code -> reason in ``lang``."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    skills: dict[str, int] = {}
    weights: dict[str, float] = {}
    for head, raw in row.items():
        if head is None or raw is None or str(raw).strip() == "":
            continue
        key = column_of(head)
        v = str(raw).strip() if not isinstance(raw, (int, float)) else raw
        try:
            if key == "sector":
                data[key] = nace.read_code(str(v))
            elif key in ("name", "start_by"):
                data[key] = str(v)
            elif key == "investor_type":
                data[key] = investor_type(v, lang)
            elif key in PERCENT_FIELDS:
                data[key] = share_of(v)
            elif key in NUMBERS:
                x = float(v) if isinstance(v, (int, float)) else parse_number(v)
                data[key] = int(x) if key == "jobs" and x.is_integer() else x
            elif key == "needs_rail":
                data[key] = yes_no(v, lang)
            elif key == "must":
                data[key] = musts(v, lang)
            elif key.startswith("skill_"):
                skills[key[6:]] = int(float(v) if isinstance(v, (int, float)) else parse_number(v))
            elif key.startswith("weight_") and key[7:] in CRITERION_NAMES:
                weights[key[7:]] = float(v) if isinstance(v, (int, float)) else parse_number(v)
            elif key != "code_name":
                errors[key] = t("ref.unknown_column", lang)  # type: ignore[arg-type]
        except NotAChoice as exc:
            errors[key] = t("ref.not_choice", lang, choices=either(exc.words, lang), value=repr(v))  # type: ignore[arg-type]
        except ValueError:
            errors[key] = t("ref.not_a_number", lang, value=repr(v))  # type: ignore[arg-type]
    if skills:
        data["skills"] = skills
    if weights:
        data["weights"] = weights
    return data, errors


def _page(request: Request, user: WebUser, status_code: int = 200, **ctx: Any) -> Response:
    """The batch page; its help names the percent column as the reader's template heads it."""
    return page(request, "referrals.html", user, status_code=status_code,
                percent_column=header("green_power_share_min", lang_of(request)), **ctx)


@router.get("/referrals")
def referrals(request: Request) -> Response:
    user = require(request, "referral_partner", "coordinator")
    return _page(request, user)


@router.get("/referrals/template.{ext}")
def template(request: Request, ext: str) -> Response:
    """The columns as the reader's language heads them, and one example row in its words (in XLSX
    the numbers are numbers)."""
    require(request, "referral_partner", "coordinator")
    lang = lang_of(request)
    head, rows = [header(c, lang) for c in TEMPLATE_COLUMNS], [example(lang)]
    if ext == "xlsx":
        return Response(xlsx_bytes(head, rows, t("ref.sheet.leads", lang)), headers={  # type: ignore[arg-type]
            "Content-Disposition": 'attachment; filename="referrals-template.xlsx"'},
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(csv_text(head, rows, lang).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="referrals-template.csv"'})


@router.post("/referrals")
async def upload(request: Request) -> Response:
    """Check the file and every row at once (bad rows are answered, not matched), then match the
    valid rows in the background and send the partner to the job's page."""
    user = require(request, "referral_partner", "coordinator")
    form = await form_checked(request, user)
    lang = lang_of(request)
    st = request.app.state
    # which candidates every row is ranked among: Kainuu's offerings or Finland's municipalities
    scope = str(form.get("scope") or KAINUU)
    if scope not in (KAINUU, FINLAND):
        return _page(request, user, status_code=422, error=t("ref.bad_scope", lang))  # type: ignore[arg-type]
    file = form.get("file")
    limit = st.settings.max_batch
    try:
        data = await file.read(st.settings.max_body_bytes + 1)  # type: ignore[union-attr]
        numbered = numbered_rows(getattr(file, "filename", "") or "", data)
        rows = [r for _, r in numbered]
    except Exception:  # noqa: BLE001  unreadable upload: say so in words
        return _page(request, user, status_code=422, scope=scope, error=t("ref.bad_file", lang))  # type: ignore[arg-type]
    if len(rows) > limit:
        return _page(request, user, status_code=422, scope=scope, error=t("ref.too_many", lang, n=limit))  # type: ignore[arg-type]
    if not rows:
        return _page(request, user, status_code=422, scope=scope, error=t("ref.empty", lang))  # type: ignore[arg-type]
    heads = {column_of(k): str(k) for k in rows[0] if k}  # column code -> the file's own header
    if not {"name", "sector"} <= set(heads):
        return _page(request, user, status_code=422, scope=scope, error=t("ref.not_template", lang, name=header("name", lang),  # type: ignore[arg-type]
                                                                sector=header("sector", lang)))
    items = []
    for n, row in numbered:  # the file's own line numbers, blank lines skipped
        coded = {column_of(k): v for k, v in row.items() if k}
        values, errors = row_profile(coded, lang)
        profile, more = validate(values, lang)
        named = {column_named(c, lang, heads.get(c)): why
                 for c, why in [*((_column_of_field(f), why) for f, why in more.items()), *errors.items()]}
        items.append((n, str(values.get("name", "")), str(coded.get("code_name") or ""), profile, named))
    catalog, ranker, engine = request.state.catalog, request.state.ranker, st.engine  # the data of this request

    def work(item: tuple[int, str, str, InvestorProfile | None, dict[str, str]]) -> dict[str, Any]:
        n, name, code_name, profile, errors = item
        out: dict[str, Any] = {"row": n, "name": name, "errors": errors, "top": [], "lead": None, "scope": scope}
        if profile is not None and not errors:
            r = rank(profile, catalog, scope=scope, top=3, ranker=ranker).as_dict()
            out["top"] = [t("ref.top_item", lang, rank=x["rank"], score=x["score"],  # type: ignore[arg-type]
                            name=with_municipality(x["name"], x["municipality"]),
                            state=t(f"state.{x['feasibility']}", lang))  # type: ignore[arg-type]
                          for x in named_in_lang(r["results"], catalog, lang, scope=scope)]
            lead = new_lead(engine, user, code_name, profile)
            out["lead"], out["code_name"] = lead["id"], lead["code_name"]
        return out

    def failed(item: tuple[int, str, str, InvestorProfile | None, dict[str, str]], _: Exception) -> dict[str, Any]:
        return {"row": item[0], "name": item[1], "errors": {t("ref.row", lang): t("ref.row_failed", lang)},  # type: ignore[arg-type]
                "top": [], "lead": None, "scope": scope}

    job_id = batch_jobs.start(engine, user.principal.key_id, items, work, failed)
    return RedirectResponse(f"/referrals/jobs/{job_id}", status_code=303)


def _column_of_field(field: str) -> str:
    """The batch column of a profile field the contract refused ('skills.ict' is skill_ict)."""
    head, _, rest = field.partition(".")
    return {"skills": f"skill_{rest}", "weights": f"weight_{rest}"}.get(head, head) if rest else head


def _visible_job(request: Request, job_id: str) -> tuple[WebUser, batch_jobs.Job | None]:
    """The job, or None where it does not exist or is another partner's (not even said to exist)."""
    user = require(request, "referral_partner", "coordinator")
    job = batch_jobs.get(request.app.state.engine, job_id[:40])
    if job is None or not job.visible_to(user.role, user.principal.key_id):
        return user, None
    return user, job


def scope_of(job: batch_jobs.Job) -> str:
    """The scope the job's rows were ranked in (a job from before the scope was kept: Kainuu)."""
    return next((str(x["scope"]) for x in job.results if x.get("scope")), KAINUU)


def _table(job: batch_jobs.Job, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The results as the job's page shows them, in the reader's language: the result in words, the
    lead by its code name (a job from before code names were kept: its number)."""
    head = [t("ref.row", lang), t("field.name", lang), t("ref.ok", lang), t(f"ref.top.{scope_of(job)}", lang),  # type: ignore[arg-type]
            t("ref.lead", lang)]  # type: ignore[arg-type]
    rows = [[x["row"], x["name"], "; ".join(f"{k}: {v}" for k, v in x["errors"].items()) or t("ref.saved", lang),  # type: ignore[arg-type]
             " | ".join(x["top"]), (x.get("code_name") or x["lead"]) if x["lead"] else ""] for x in job.results]
    return head, rows


@router.get("/referrals/jobs/{job_id}")
def job_page(request: Request, job_id: str) -> Response:
    user, job = _visible_job(request, job_id)
    if job is None:
        return not_found(request, user)
    return _page(request, user, job=job, results=job.results, ok=sum(1 for x in job.results if x["lead"]),
                 scope=scope_of(job))


@router.get("/referrals/jobs/{job_id}/results.xlsx")
def job_xlsx(request: Request, job_id: str) -> Response:
    user, job = _visible_job(request, job_id)
    if job is None:
        return not_found(request, user)
    lang = lang_of(request)
    return Response(xlsx_bytes(*_table(job, lang), t("ref.sheet.results", lang)), headers={  # type: ignore[arg-type]
        "Content-Disposition": 'attachment; filename="referrals-results.xlsx"'},
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
