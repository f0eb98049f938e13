"""Municipality pages: own sites table, edit and add forms with the schema's errors beside
each field, the what-if page and the data to-do list. The coordinator sees every site."""

from __future__ import annotations

import json
import math
import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from matcher import InvestorProfile
from matcher.core.criteria import KAINUU
from matcher.core.messages import CATALOGUE, LANGS, Lang, Reason, either, say, t, term
from matcher.core.paths import ARCHETYPES_DIR
from matcher.core.profile import ProfileError
from matcher.core.schema import columns_of, header_of
from matcher.municipal.advice import advise
from matcher.municipal.completeness import completeness, todo_text, worth_doing
from matcher.municipal.whatif import EDITABLE, Change, Scenario, evaluate, portfolio

from .. import lead_store
from ..site_store import (
    RowsRejected,
    check,
    get_row,
    normalise,
    refresh_catalog,
    write_many,
)
from .choices import choices, code_of
from .common import (
    Forbidden,
    WebRoute,
    current,
    form_checked,
    numbered_rows,
    presets,
    require,
    stored_rows,
)
from .messages import COLUMN_HELP_FI
from .pages_match import parse_number, parse_percent
from .render import lang_of, municipality_name, page

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(current)])
EDITORS = ("coordinator", "municipality")
COLUMNS = columns_of("sites.csv")
BY_NAME = {c.name: c for c in COLUMNS}
SHARES = {c.name for c in COLUMNS if c.unit == "0..1"}  # a share 0–1: 90 % is read as 0.9 too
MAX_ADD = 1e6  # what a what-if may add or take away in one step (the scenario's own bound)


def _own_rows(request: Request, user: Any) -> list[dict[str, str]]:
    rows = stored_rows(request.app.state.engine)
    if user.role == "municipality":
        rows = [r for r in rows if r["municipality_code"] == user.municipality_code]
    return rows


@router.get("/sites")
def sites_table(request: Request, saved: str = "") -> Response:
    user = require(request, *EDITORS)
    rows = _own_rows(request, user)
    measured = [c.name for c in COLUMNS if c.kind in ("float", "int", "bool", "enum") and c.name not in ("lat", "lon")]
    table = [{**r, "known": sum(1 for c in measured if (r.get(c) or "").strip()), "of": len(measured)} for r in rows]
    return page(request, "sites.html", user, rows=table, saved=saved,
                snapshot=request.state.catalog.snapshot,
                title=t("sites.own", lang_of(request), name=municipality_name(request, user.municipality_code))  # type: ignore[arg-type]
                if user.role == "municipality" else t("sites.title", lang_of(request)))  # type: ignore[arg-type]


def _choices(request: Request) -> dict[str, list[tuple[str, str]]]:
    """(code, label) of every listed or yes/no column, in the page's language."""
    lang = lang_of(request)
    return {c.name: listed for c in COLUMNS if (listed := choices(c, lang))}  # type: ignore[arg-type]


def _form(request: Request, user: Any, row: dict[str, str], errors: dict[str, str], *, new: bool,
          status: int = 200, typed: dict[str, str] | None = None) -> Response:
    """The site form with ``row``'s values; after a refused save each field shows what was ``typed``."""
    return page(request, "site_form.html", user, status_code=status, row=row, errors=errors, new=new,
                columns=COLUMNS, finnish_help=COLUMN_HELP_FI, choices=_choices(request), typed=typed or {})


@router.get("/sites/new")
def new_site(request: Request) -> Response:
    user = require(request, *EDITORS)
    row = {k: "" for k in header_of("sites.csv")}
    row["municipality_code"] = user.municipality_code or ""
    return _form(request, user, row, {}, new=True)


@router.get("/sites/{site_id}/edit")
def edit_site(request: Request, site_id: str) -> Response:
    user = require(request, *EDITORS)
    row = get_row(request.app.state.engine, site_id)
    if row is None:
        return page(request, "message.html", user, status_code=404, message=t("web.not_found", lang_of(request)))  # type: ignore[arg-type]
    if not user.principal.may_edit(row["municipality_code"]):
        raise Forbidden("sites.refused")
    return _form(request, user, row, {}, new=False)


NUMERIC = {c.name for c in COLUMNS if c.kind in ("float", "int")}
DECIMAL_COMMA = re.compile(r"^-?[\d\s\u00a0]+,\d+$")


def finnish_numbers(row: dict[str, Any]) -> dict[str, Any]:
    """Decimal commas (64,2), spaces in thousands (1 200) and a share in percent (90 % of a 0–1
    column) as the schema reads them; anything else is left for the schema to refuse in words."""
    out = dict(row)
    for k in NUMERIC & set(row):
        v = row[k]
        if not isinstance(v, str):
            continue
        if k in SHARES and v.strip().endswith("%"):
            try:
                out[k] = f"{parse_percent(v):.10g}"
            except ValueError:
                pass
        elif DECIMAL_COMMA.match(v.strip()) or re.fullmatch(r"\d{1,3}([ \u00a0]\d{3})+", v.strip()):
            out[k] = v.strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    return out


def _typed_row(form: Any) -> dict[str, str]:
    """The site columns as the user typed them (shown again as typed if the save is refused)."""
    return {k: str(form.get(k) or "").strip() for k in header_of("sites.csv") if k in form}


def _example(column: str | None) -> Reason:
    """A value to show as a number's example, inside ``column``'s range: 12,5 where the column
    allows it, 0,9 or 90 % for a share, else the middle of its range (a whole one for a count)."""
    col = BY_NAME.get(column or "")
    if col is not None and col.name in SHARES:
        return Reason("data.example_share")
    x = 12.5
    if col is not None and not ((col.lo is None or col.lo <= x) and (col.hi is None or x <= col.hi)):
        x = col.lo if col.hi is None else col.hi if col.lo is None else round((col.lo + col.hi) / 2, 1)  # type: ignore[assignment]
    if col is not None and col.kind == "int":
        x = round(x)
    return Reason("data.number", value=x)


def said(reason: object, lang: str, column: str | None = None, *, on_form: bool = False) -> str:
    """A schema reason in the page's language. The pages read decimal commas (``finnish_numbers``),
    so where the catalogue has their own wording (a number's hint, with an example the ``column``
    accepts) the page says that; the site form (``on_form``) shows fields, not columns, so a reason
    worded for its fields (a value's source is the field below it) says that there. The import
    page's user fills columns: it keeps their codes."""
    if isinstance(reason, Reason):
        for variant in ((".field", ".form") if on_form else (".form",)):
            if f"{reason.key}{variant}" in CATALOGUE:
                return say(Reason(f"{reason.key}{variant}", **reason.values, example=_example(column)), lang)
    return say(reason, lang)


def _reason_of(exc: Exception, lang: str, column: str | None = None) -> str:
    """Why a what-if value (for ``column``) was refused, in the page's language."""
    if isinstance(exc, ProfileError):
        return exc.reason_in(lang) if exc.error is not None else said(exc.reason, lang, column)
    if exc.args and isinstance(exc.args[0], Reason):
        return said(exc.args[0], lang, column)
    return str(exc).splitlines()[0]


def _errors(exc: RowsRejected, lang: str, *, on_form: bool = False) -> dict[str, str]:
    out: dict[str, str] = {}
    for p in exc.problems:
        out.setdefault(p.column, said(p.reason, lang, p.column, on_form=on_form))
    return out


def _save(request: Request, user: Any, action: str, before: dict[str, str] | None,
          after: dict[str, str], typed: dict[str, str]) -> Response:
    if not user.principal.may_edit(after["municipality_code"]):
        return _form(request, user, after, {"municipality_code": t("sites.refused", lang_of(request))},  # type: ignore[arg-type]
                     new=before is None, status=403, typed=typed)
    ids = set(request.state.catalog.sites["site_id"])
    try:
        check([after], request.app, existing_ids=ids - {after["site_id"]} if before else ids)
    except RowsRejected as exc:
        return _form(request, user, after, _errors(exc, lang_of(request), on_form=True), new=before is None, status=422,
                     typed=typed)
    write_many(request.app.state.engine, user.principal.actor, [(action, before, after)])
    refresh_catalog(request.app)
    return RedirectResponse(f"/sites?saved={after['site_id']}", status_code=303)


@router.post("/sites/{site_id}/edit")
async def edit_site_post(request: Request, site_id: str) -> Response:
    user = require(request, *EDITORS)
    form = await form_checked(request, user)
    before = get_row(request.app.state.engine, site_id)
    if before is None:
        return page(request, "message.html", user, status_code=404, message=t("web.not_found", lang_of(request)))  # type: ignore[arg-type]
    if not user.principal.may_edit(before["municipality_code"]):
        raise Forbidden("sites.refused")
    typed = _typed_row(form)
    posted = {**before, **finnish_numbers(typed), "site_id": site_id, "last_updated": ""}
    try:
        after = normalise(posted)
    except RowsRejected as exc:  # a value the schema cannot even read as its type
        return _form(request, user, posted, _errors(exc, lang_of(request), on_form=True), new=False, status=422,
                     typed=typed)
    return _save(request, user, "update", before, after, typed)


@router.post("/sites/new")
async def new_site_post(request: Request) -> Response:
    user = require(request, *EDITORS)
    form = await form_checked(request, user)
    typed = _typed_row(form)
    row = finnish_numbers(typed)
    if user.role == "municipality":
        row["municipality_code"] = typed["municipality_code"] = user.municipality_code or ""
    try:
        after = normalise({**row, "last_updated": ""})
    except RowsRejected as exc:
        return _form(request, user, row, _errors(exc, lang_of(request), on_form=True), new=True, status=422,
                     typed=typed)
    return _save(request, user, "create", None, after, typed)


# what-if -----------------------------------------------------------------------------------

def _whatif_columns() -> list[Any]:
    return [c for c in COLUMNS if c.name in EDITABLE]


def _number(col: str, text: str) -> float:
    """A number typed for ``col``: 12,5, 12.5 or 1 200; for a share 0–1 also 90 % (0.9)."""
    try:
        return parse_percent(text) if col in SHARES and text.endswith("%") else parse_number(text)
    except ValueError:
        raise ValueError(Reason("data.not_number", value=repr(text))) from None


def _typed_value(col: str, text: str) -> Any:
    """The value typed for ``col``: a number, or for a listed or yes/no column the code its label
    (in either language) or the code itself names; refused with the labels to choose from."""
    column = BY_NAME[col]
    if text == "":
        return None
    if column.kind in ("float", "int"):
        return _number(col, text)
    if column.kind in ("bool", "enum"):
        code = code_of(column, text)
        if code is None:
            labels = {lang: ", ".join(label for _, label in choices(column, lang)) for lang in LANGS}
            raise ValueError(Reason("data.not_choice", value=repr(text), choices=labels))
        return code == "true" if column.kind == "bool" else code
    return text


def _change(col: str, text: str) -> Any:
    """The form's value as a scenario change: "+20" / "-5" on a number column adds to today's
    value (the question a municipality asks: "with 20 MW more…"), anything else sets it."""
    if BY_NAME[col].kind in ("float", "int") and text[:1] in "+-−" and len(text) > 1:
        sign = -1.0 if text[0] in "-−" else 1.0
        rest = text[1:].strip()
        amount = _number(col, rest) if rest[:1] not in "+-−" else math.nan  # "--5" is no number
        if not math.isfinite(amount) or abs(amount) > MAX_ADD:
            raise ValueError(Reason("whatif.add_range", most=MAX_ADD))
        return Change(add=sign * amount)
    return _typed_value(col, text)


def _scenario_name(lang: Lang, sid: str, col: str, text: str) -> str:
    """'S01: Saatavuus = varattu': a listed value by its label in ``lang``, whichever way it was typed."""
    column = BY_NAME[col]
    labels = dict(choices(column, lang))
    text = labels.get(code_of(column, text) or "", text) if labels else text
    text = text if len(text) <= 40 else text[:39] + "…"  # the name is for reading, at most 200 characters
    # the unit after the number, unless the text brings its own ("90 %" for a 0–1 share)
    value = f"{text} {term('unit', column.unit, lang)}" if column.unit and not text.rstrip().endswith("%") else text
    return f"{sid}: {t('col.' + col, lang)} {value if text[:1] in '+-−' else '= ' + value}"[:200]


def _offered(request: Request) -> set[str]:
    """The rows a ranking can place (offerings): only these can be advised."""
    return set(request.state.catalog.candidates(KAINUU).ids)


def _whatif_page(request: Request, user: Any, sites: list[dict[str, str]], *, chosen: dict[str, str],
                 errors: dict[str, str], result: Any = None, advice: Any = None) -> Response:
    """The what-if page: the value field offers the chosen column's labels (``choices``)."""
    whatif_choices = {k: v for k, v in _choices(request).items() if k in EDITABLE}
    return page(request, "whatif.html", user, status_code=422 if errors else 200, sites=sites,
                columns=_whatif_columns(), choices=whatif_choices, chosen=chosen, result=result, errors=errors,
                presets=presets(), advice=advice, offered=_offered(request))


@router.get("/whatif")
def whatif_page(request: Request) -> Response:
    user = require(request, *EDITORS)
    return _whatif_page(request, user, _own_rows(request, user), chosen={}, errors={})


@router.post("/whatif")
async def whatif_post(request: Request) -> Response:
    user = require(request, *EDITORS)
    form = await form_checked(request, user)
    st = request.app.state
    chosen = {k: str(form.get(k) or "").strip() for k in ("site_id", "column", "value")}
    sites = _own_rows(request, user)
    errors: dict[str, str] = {}
    row = next((r for r in sites if r["site_id"] == chosen["site_id"]), None)
    if row is None:
        errors["site_id"] = t("sites.refused", lang_of(request))  # type: ignore[arg-type]
    if chosen["column"] not in EDITABLE:
        errors["column"] = t("web.whatif_column", lang_of(request))  # type: ignore[arg-type]
    lang = lang_of(request)
    if not chosen["value"]:
        errors["value"] = t("whatif.value_required", lang)  # type: ignore[arg-type]
    result = None
    if not errors:
        try:
            value = _change(chosen["column"], chosen["value"])
            scenario = Scenario(name=_scenario_name(lang, chosen["site_id"], chosen["column"], chosen["value"]),  # type: ignore[arg-type]
                                sites={chosen["site_id"]: {chosen["column"]: value}})
            profiles = portfolio(ARCHETYPES_DIR)
            for lead in lead_store.listing(st.engine, user.principal, None, 50, 0):
                profiles.append(InvestorProfile.model_validate(lead_store.as_seen_by(user.principal, lead)["profile"]))
            result = evaluate(scenario, request.state.catalog, profiles, request.state.ranker)
        except (ValueError, ProfileError) as exc:
            errors["value"] = _reason_of(exc, lang, chosen["column"])
    return _whatif_page(request, user, sites, chosen=chosen, errors=errors, result=result)


@router.post("/whatif/advise")
async def advise_post(request: Request) -> Response:
    """The smallest change in what the municipality controls that lifts its site into the top K."""
    user = require(request, *EDITORS)
    form = await form_checked(request, user)
    chosen = {k: str(form.get(k) or "").strip() for k in ("advice_site", "archetype", "target")}
    sites = _own_rows(request, user)
    lang = lang_of(request)
    errors: dict[str, str] = {}
    profile = presets().get(chosen["archetype"])
    offered = _offered(request)
    if not any(r["site_id"] == chosen["advice_site"] for r in sites):
        errors["advice_site"] = t("sites.refused", lang)  # type: ignore[arg-type]
    elif chosen["advice_site"] not in offered:
        errors["advice_site"] = t("web.not_an_offering", lang)  # type: ignore[arg-type]
    if profile is None:
        errors["archetype"] = t("web.unknown_archetype", lang)  # type: ignore[arg-type]
    try:
        target = int(chosen["target"] or "3")
        if not 1 <= target <= len(offered):
            raise ValueError
    except ValueError:
        errors["target"] = t("web.whatif_target", lang, lo=1, hi=len(offered))  # type: ignore[arg-type]
        target = 3
    advice = None
    if not errors:
        try:
            advice = advise(profile, request.state.catalog, chosen["advice_site"], target, ranker=request.state.ranker)  # type: ignore[arg-type]
        except (ValueError, ProfileError) as exc:
            errors["advice_site"] = _reason_of(exc, lang)
    return _whatif_page(request, user, sites, chosen=chosen, errors=errors, advice=advice)


def _task(item: dict[str, Any], lang: str) -> str:
    """A to-do item as the web page says it: the site form's fields to fill (by their labels, as the
    form shows them), or the criterion where no field of the form holds its data."""
    fields = [t("todo.field", lang, label=t(f"col.{c}", lang)) for c in item["columns"] if c in BY_NAME]  # type: ignore[arg-type]
    what = either(fields, lang) if fields else t(f"label.{item['criterion']}", lang)  # type: ignore[arg-type]
    return todo_text(what, item["worth_ranks"], item["helped"], lang)  # type: ignore[arg-type]


@router.get("/completeness")
def completeness_page(request: Request) -> Response:
    user = require(request, *EDITORS)
    out = completeness(request.state.catalog, portfolio(ARCHETYPES_DIR), request.state.ranker)
    items = out["items"]
    if user.role == "municipality":
        items = [x for x in items if x["municipality_code"] == user.municipality_code]
    worth, lang = worth_doing(items), lang_of(request)
    return page(request, "completeness.html", user, items=[{**x, "task": _task(x, lang)} for x in worth[:200]],
                left_out=len(items) - len(worth), snapshot=out["data_snapshot"])


# import with a preview -----------------------------------------------------------------------

def _import_plan(request: Request, user: Any, raw: list[dict[str, Any]], lines: list[int] | None = None
                 ) -> tuple[list[dict[str, Any]], bool]:
    """Per uploaded row (``lines``: its line in the file): the action, the columns that would change
    (before → after) and the problems; and whether the whole file may be written (every row or none)."""
    engine = request.app.state.engine
    plan, rows, updated = [], [], set()
    for n, r in zip(lines or range(2, len(raw) + 2), raw):
        r = finnish_numbers(r)
        sid = str(r.get("site_id") or "").strip()
        before = get_row(engine, sid) if sid else None
        merged = {**(before or {}), **{k: v for k, v in r.items() if k and v not in (None, "")}, "last_updated": ""}
        errors: dict[str, str] = {}
        try:
            after = normalise(merged)
        except RowsRejected as exc:
            after = {str(k): "" if v is None else str(v) for k, v in merged.items()}
            errors.update(_errors(exc, lang_of(request)))
        for code in {after["municipality_code"], *([before["municipality_code"]] if before else [])}:
            if not user.principal.may_edit(code):
                errors["municipality_code"] = t("sites.refused", lang_of(request))  # type: ignore[arg-type]
        diff = [(k, (before or {}).get(k, ""), v) for k, v in after.items()
                if k != "last_updated" and v != (before or {}).get(k, "")]
        if before:
            updated.add(sid)
        # an unchanged row is not written: rewriting it would stamp today's date on data nobody touched
        action = "create" if not before else "update" if diff else "unchanged"
        plan.append({"row": n, "site_id": sid, "action": action, "diff": diff, "errors": errors, "after": after})
        rows.append(after)
    ids = set(request.state.catalog.sites["site_id"])
    try:
        check(rows, request.app, existing_ids=ids - updated)
    except RowsRejected as exc:
        for p in exc.problems:
            plan[p.row - 2]["errors"].setdefault(p.column, said(p.reason, lang_of(request), p.column))
    return plan, not any(x["errors"] for x in plan)


@router.get("/sites/import")
def import_page(request: Request) -> Response:
    user = require(request, *EDITORS)
    return page(request, "site_import.html", user, plan=None, ok=False, rows_json="")


@router.get("/sites/template.{ext}")
def sites_template(request: Request, ext: str) -> Response:
    """The sites.csv columns with this user's own rows, to edit in a spreadsheet and upload."""
    user = require(request, *EDITORS)
    from .pages_match import csv_text, xlsx_bytes

    head = header_of("sites.csv")
    rows = [[r.get(k, "") for k in head] for r in _own_rows(request, user)]
    if ext == "xlsx":
        return Response(xlsx_bytes(head, rows), headers={"Content-Disposition": 'attachment; filename="sites.xlsx"'},
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return Response(csv_text(head, rows, lang_of(request)).encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="sites.csv"'})


@router.post("/sites/import")
async def import_preview(request: Request) -> Response:
    user = require(request, *EDITORS)
    form = await form_checked(request, user)
    st = request.app.state
    lang = lang_of(request)
    try:
        file = form.get("file")
        numbered = numbered_rows(getattr(file, "filename", "") or "", await file.read(st.settings.max_body_bytes + 1))  # type: ignore[union-attr]
        raw = [r for _, r in numbered]
    except Exception:  # noqa: BLE001  unreadable upload: say so in words
        return page(request, "site_import.html", user, status_code=422, plan=None, ok=False, rows_json="",
                    error=t("ref.bad_file", lang))  # type: ignore[arg-type]
    if not raw or len(raw) > st.settings.max_import_rows:
        return page(request, "site_import.html", user, status_code=422, plan=None, ok=False, rows_json="",
                    error=t("ref.too_many", lang, n=st.settings.max_import_rows))  # type: ignore[arg-type]
    plan, ok = _import_plan(request, user, raw, [n for n, _ in numbered])
    changed = [x["after"] for x in plan if x["action"] != "unchanged"]
    rows_json = json.dumps(changed, ensure_ascii=False) if ok and changed else ""
    return page(request, "site_import.html", user, status_code=200 if ok else 422, plan=plan, ok=ok,
                rows_json=rows_json, n_changed=len(changed))


@router.post("/sites/import/commit")
async def import_commit(request: Request) -> Response:
    """Write the previewed rows: ownership and the schema are checked again, all or nothing."""
    user = require(request, *EDITORS)
    form = await form_checked(request, user)
    try:
        raw = json.loads(str(form.get("rows") or "[]"))
        assert isinstance(raw, list) and all(isinstance(r, dict) for r in raw)
    except (ValueError, AssertionError):
        return page(request, "site_import.html", user, status_code=422, plan=None, ok=False, rows_json="",
                    error=t("ref.bad_file", lang_of(request)))  # type: ignore[arg-type]
    plan, ok = _import_plan(request, user, raw)
    if not ok:
        return page(request, "site_import.html", user, status_code=422, plan=plan, ok=False, rows_json="")
    engine = request.app.state.engine
    changes = [(x["action"], get_row(engine, x["site_id"]) if x["action"] == "update" else None, x["after"])
               for x in plan if x["action"] != "unchanged"]
    write_many(engine, user.principal.actor, changes)
    refresh_catalog(request.app)
    return RedirectResponse(f"/sites?saved={len(changes)}", status_code=303)
