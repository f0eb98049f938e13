"""What every page needs: the signed-in user by role, the CSRF check, the profile codec for
shareable links, and the archetype presets."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable, Coroutine
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from matcher import InvestorProfile
from matcher.core.paths import ARCHETYPES_DIR
from matcher.core.profile import field_and_reason, load_profile

from ..deps import CatalogDep, RankerDep
from .session import WebUser, csrf_ok, current_user, load_secret, state_dir


class NeedSignIn(Exception):
    def __init__(self, next_url: str):
        self.next_url = next_url


class Forbidden(Exception):
    def __init__(self, message_key: str = "web.forbidden"):
        self.message_key = message_key


class BadCsrf(Exception):
    pass


class BadLink(Exception):
    """A profile link that cannot be read or no longer validates: 422 with the reason."""

    def __init__(self, reason: str):
        self.reason = reason


log = logging.getLogger("kainuu.web")


def current(request: Request, catalog: CatalogDep, ranker: RankerDep) -> None:
    """Every page sees the catalog and ranker through the API's own dependencies (so a page
    ranks on the same data as the API does) as ``request.state.catalog`` / ``.ranker``."""
    request.state.catalog = catalog
    request.state.ranker = ranker


def stored_rows(engine: Any) -> list[dict[str, str]]:
    """Every stored site row (the CSV columns as strings), by id."""
    from sqlalchemy import select

    from ..storage import sites

    with engine.connect() as conn:
        return [json.loads(r.row_json) for r in conn.execute(select(sites.c.row_json).order_by(sites.c.site_id))]


def table_rows(filename: str, data: bytes) -> list[dict[str, Any]]:
    """An uploaded table as dicts keyed by its header (see ``numbered_rows``)."""
    return [row for _, row in numbered_rows(filename, data)]


def numbered_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(line in the file, row) for each row of an uploaded table: XLSX, or CSV (UTF-8) separated by
    whichever of ';' and ',' its header line has more of (Finnish Excel writes ';'). A row of empty
    cells (a spreadsheet's trailing ';;;' line) is no row; the line numbers stay the file's own, so an
    error names the line the user sees."""
    if filename.lower().endswith(".xlsx"):
        import io

        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        it = wb.active.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(it, [])]
        return [(n, {h: v for h, v in zip(header, row) if h}) for n, row in enumerate(it, start=2)
                if any(str(v).strip() for v in row if v is not None)]
    import csv
    import io

    text = data.decode("utf-8-sig")
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=sep)
    return [(reader.line_num, r) for r in reader if any(str(v or "").strip() for v in r.values())]


class WebRoute(APIRoute):
    """A page route: an unexpected error is logged and answered with a page in the reader's
    language (status 500), never a bare traceback text."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except (NeedSignIn, Forbidden, BadCsrf, BadLink, StarletteHTTPException, RequestValidationError):
                raise
            except Exception:
                log.exception("web page %s failed", request.url.path)
                from matcher.core.messages import t

                from .render import lang_of, page

                return page(request, "message.html", user_or_none(request), status_code=500,
                            message=t("web.failed", lang_of(request)))  # type: ignore[arg-type]

        return guarded


def web_secret(request: Request) -> bytes:
    app = request.app
    if not hasattr(app.state, "web_secret"):
        settings = app.state.settings
        app.state.web_secret = load_secret(settings.session_secret, state_dir(settings.db_url()))
    return app.state.web_secret


def user_or_none(request: Request) -> WebUser | None:
    web_secret(request)
    return current_user(request)


def require(request: Request, *roles: str) -> WebUser:
    user = user_or_none(request)
    if user is None:
        nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise NeedSignIn(nxt)
    if roles and user.role not in roles:
        raise Forbidden()
    return user


async def form_checked(request: Request, user: WebUser) -> Any:
    """The posted form, after its CSRF token is checked against the session's."""
    form = await request.form()
    if not csrf_ok(user, str(form.get("csrf") or "")):
        raise BadCsrf()
    return form


def encode_profile(profile: dict[str, Any]) -> str:
    raw = json.dumps(profile, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_profile(text: str) -> dict[str, Any]:
    if len(text) > 8000:
        raise ValueError("profile link too long")
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    data = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("not a profile")
    return data


def share_query(profile: dict[str, Any], scope: str, snapshot: str) -> str:
    return f"p={quote(encode_profile(profile))}&scope={scope}&snap={quote(snapshot)}"


# The profile's shares that the web takes and shows in percent (the match form's field, the referral
# batch's column): 90 there is 0.9 in the profile, and a bound is said as 100 %, not 1.
PERCENT_FIELDS = frozenset({"green_power_share_min"})


def validate(data: dict[str, Any], lang: str = "en") -> tuple[InvestorProfile | None, dict[str, str]]:
    """The profile, or every problem as field -> reason (the API's wording, in the page's language;
    the bounds of a field typed in percent, in percent)."""
    try:
        return InvestorProfile.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for e in exc.errors():
            field, reason = field_and_reason(e, lang, percent=".".join(map(str, e["loc"])) in PERCENT_FIELDS)
            errors.setdefault(field or "profile", reason)
        return None, errors


def profile_from_link(p: str) -> InvestorProfile:
    try:
        values = decode_profile(p)
    except ValueError:
        raise BadLink("the link is damaged") from None
    profile, errors = validate(values)
    if profile is None:
        field, reason = next(iter(errors.items()))
        raise BadLink(f"{field}: {reason}")
    return profile


def new_lead(engine: Any, user: WebUser, code_name: str, profile: InvestorProfile) -> dict[str, Any]:
    """A lead from the match page or a referral batch: a partner's own, the coordinator's unowned."""
    from .. import lead_store

    p = user.principal
    return lead_store.create(engine, p.actor, {
        "code_name": code_name.strip()[:80], "referral_source": p.label or p.actor,
        "owner_key_id": p.key_id if p.role == "referral_partner" else None, "profile": dump(profile),
        "stage": "new", "chosen_site": None, "visited": [], "dropped": [], "shared_with": [], "notes": ""})


@lru_cache(maxsize=1)
def _presets() -> tuple[tuple[str, InvestorProfile], ...]:
    return tuple((p.stem, load_profile(p)) for p in sorted(ARCHETYPES_DIR.glob("*.json")))


def presets() -> dict[str, InvestorProfile]:
    """The 13 archetypes by file name, read once per process (every page that offers them called this)."""
    return dict(_presets())


def dump(p: InvestorProfile) -> dict[str, Any]:
    return p.model_dump(exclude_none=True)


def named(results: list[dict[str, Any]], catalog: Any, lang: str, *, scope: str = "kainuu",
          key: str = "candidate_id") -> list[dict[str, Any]]:
    """Records (a ranking's results) with each site's ``name`` as the page's reader sees it
    (``Catalog.name_of``: Finnish where the data has it); the JSON of the API keeps the canonical one."""
    return [{**r, "name": catalog.name_of(r[key], lang, r["name"], scope=scope)} for r in results]
