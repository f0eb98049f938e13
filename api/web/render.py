"""Templates and locale formatting: one Jinja2 environment, texts from the one catalogue,
numbers, percentages and dates by Babel in the reader's language (fi: 39 930; 0,8; 90 %;
28.11.2026)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from matcher.core.messages import CATALOGUE, LANGS, t, term, with_municipality
from matcher.core.profile import profile_title

from . import messages  # noqa: F401  (adds the web texts to the catalogue)
from .session import LANG_COOKIE, WebUser

LOCALES = {"en": "en_GB", "fi": "fi_FI"}
# The pages load nothing but this app's own files: no inline script or style, no other origin.
CSP_WEB = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; "
           "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def lang_of(request: Request) -> str:
    q = request.query_params.get("lang")
    if q in LANGS:
        return q
    c = request.cookies.get(LANG_COOKIE)
    if c in LANGS:
        return c
    accept = request.headers.get("accept-language", "")
    return "fi" if accept.lower().startswith("fi") else "en"


def _huge(value: Any, lang: str) -> str | None:
    """A value no grouping format can print (a rejected 1e308 shown back in its form field):
    scientific notation, with the language's decimal sign."""
    if isinstance(value, (int, float)) and (not math.isfinite(value) or abs(value) >= 1e15):
        out = f"{value:g}"
        return out.replace(".", ",") if lang == "fi" else out
    return None


def number(value: Any, lang: str, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    fmt = "#,##0" + ("." + "0" * digits if digits else "")
    return _huge(value, lang) or format_decimal(value, format=fmt, locale=LOCALES[lang])


def decimal(value: Any, lang: str) -> str:
    """A number with as many decimals as it has (up to 3): 0,8; 39 930; 1,25."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        value += 0.0  # a rounded -0.0 prints as 0, not "-0"
    return _huge(value, lang) or format_decimal(value, format="#,##0.###", locale=LOCALES[lang])


def percent(value: Any, lang: str, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    fmt = "#,##0" + ("." + "0" * digits if digits else "") + " %"
    out = format_percent(value, format=fmt, locale=LOCALES[lang])
    return out if lang == "fi" else out.replace("\xa0%", "%").replace(" %", "%")


def municipality_name(request: Request, code: str | None) -> str:
    """A municipality code as its name (Kajaani for 205); the code where no name is known."""
    catalog = getattr(request.state, "catalog", None)
    try:
        return catalog.municipality_name(code) if code and catalog is not None else code or ""
    except KeyError:
        return code


def column_label(column: str, lang: str) -> str:
    """A site column as the reader names it; a ``*_source`` column as its value's source."""
    if f"col.{column}" in CATALOGUE:
        return t(f"col.{column}", lang)  # type: ignore[arg-type]
    if column.endswith("_source"):
        return f"{column_label(column[:-len('_source')], lang)}, {t('sites.source', lang)}"  # type: ignore[arg-type]
    return column


def not_found(request: Request, user: WebUser | None) -> Response:
    """The page for a lead, job or row this reader may not see or that does not exist."""
    lang = lang_of(request)
    return page(request, "message.html", user, status_code=404, heading=t("web.not_found_title", lang),  # type: ignore[arg-type]
                message=t("web.not_found", lang))  # type: ignore[arg-type]


def date(value: Any, lang: str) -> str:
    if not value:
        return "–"
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if lang == "fi":  # CLDR's short Finnish date is 28.11.2026 already; say so without depending on its version
        return f"{value.day}.{value.month}.{value.year}"
    return format_date(value, format="d MMM yyyy", locale=LOCALES[lang])


def page(request: Request, name: str, user: WebUser | None, status_code: int = 200, **ctx: Any) -> Response:
    lang = lang_of(request)

    def tr(key: str, **kw: Any) -> str:
        return t(key, lang, **kw)  # type: ignore[arg-type]

    context = {
        "request": request, "user": user, "lang": lang, "_": tr,
        "num": lambda v, d=0: number(v, lang, d), "dec": lambda v: decimal(v, lang),
        "pct": lambda v, d=0: percent(v, lang, d), "date": lambda v: date(v, lang),
        "term": lambda column, v: term(column, v, lang),  # type: ignore[arg-type]
        "label": lambda column: column_label(column, lang),
        "mun": lambda code: municipality_name(request, code),
        "pname": lambda name: profile_title(name, lang), "place": with_municipality,
        "nav": navigation(user), "path": request.url.path, **ctx,
    }
    resp = templates.TemplateResponse(request, name, context, status_code=status_code)
    resp.headers["Content-Language"] = lang
    resp.headers["Content-Security-Policy"] = CSP_WEB
    resp.headers["X-Frame-Options"] = "DENY"
    resp.headers["Cache-Control"] = "no-store"  # pages show confidential leads: never kept in a shared cache
    return resp


def navigation(user: WebUser | None) -> list[tuple[str, str]]:
    """(path, message key) of the menu for the user's role."""
    if user is None:
        return []
    if user.role == "coordinator":
        return [("/match", "nav.match"), ("/leads", "nav.leads"), ("/monitoring", "nav.monitoring"),
                ("/sites", "nav.sites"), ("/whatif", "nav.whatif"), ("/completeness", "nav.completeness"),
                ("/offerings", "nav.offerings"), ("/allocation", "nav.allocation"),
                ("/evenhandedness", "nav.evenhandedness")]
    if user.role == "municipality":
        return [("/sites", "nav.own_sites"), ("/whatif", "nav.whatif"), ("/completeness", "nav.completeness"),
                ("/match", "nav.match"), ("/leads", "nav.leads"), ("/offerings", "nav.offerings"),
                ("/evenhandedness", "nav.evenhandedness")]
    return [("/match", "nav.match"), ("/referrals", "nav.referrals"), ("/leads", "nav.leads"),
            ("/offerings", "nav.offerings")]
