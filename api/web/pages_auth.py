"""Sign-in with an API key (or a one-time link), sign-out, the language switch and home."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from matcher.core.messages import LANGS, t

from ..storage import check_key
from .common import WebRoute, current, require, user_or_none, web_secret
from .render import lang_of, page
from .session import (
    COOKIE,
    LANG_COOKIE,
    SESSION_SECONDS,
    csrf_ok,
    new_session,
    state_dir,
    use_link_token,
)

router = APIRouter(include_in_schema=False, route_class=WebRoute, dependencies=[Depends(current)])
PRE_CSRF = "km_signin_csrf"


def _safe_next(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


def _signed_in(request: Request, key_id: int, next_url: str) -> Response:
    resp = RedirectResponse(_safe_next(next_url), status_code=303)
    resp.set_cookie(COOKIE, new_session(web_secret(request), key_id), max_age=SESSION_SECONDS, httponly=True,
                    samesite="strict", secure=request.url.scheme == "https", path="/")
    resp.delete_cookie(PRE_CSRF, path="/")
    return resp


def _signin_page(request: Request, next_url: str, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    resp = page(request, "signin.html", None, status_code=status, next=_safe_next(next_url), error=error,
                csrf=token)
    resp.set_cookie(PRE_CSRF, token, max_age=3600, httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", path="/")
    return resp


@router.get("/signin")
def signin(request: Request, next: str = "/", link: str = "") -> Response:
    if link:
        settings = request.app.state.settings
        key_id = use_link_token(state_dir(settings.db_url()), link)
        if key_id is not None:
            return _signed_in(request, key_id, next)
        return _signin_page(request, next, t("web.signin.link_bad", lang_of(request)), 401)  # type: ignore[arg-type]
    return _signin_page(request, next)


@router.post("/signin")
async def signin_post(request: Request) -> Response:
    form = await request.form()
    expected = request.cookies.get(PRE_CSRF, "")
    given = str(form.get("csrf") or "")
    next_url = str(form.get("next") or "/")
    if not expected or not secrets.compare_digest(expected, given):
        return _signin_page(request, next_url, t("web.csrf", lang_of(request)), 403)  # type: ignore[arg-type]
    found = check_key(request.app.state.engine, str(form.get("key") or "").strip())
    if not found:
        return _signin_page(request, next_url, t("web.signin.bad", lang_of(request)), 401)  # type: ignore[arg-type]
    return _signed_in(request, int(found["key_id"]), next_url)


@router.post("/signout")
async def signout(request: Request) -> Response:
    user = require(request)
    form = await request.form()
    if not csrf_ok(user, str(form.get("csrf") or "")):
        return RedirectResponse("/", status_code=303)
    resp = RedirectResponse("/signin", status_code=303)
    resp.delete_cookie(COOKIE, path="/")
    return resp


def _without_lang(url: str) -> str:
    """The address without a ``lang`` parameter: one in the address outranks the cookie, so the
    switch would otherwise send the reader back to the language they left."""
    path, _, query = url.partition("?")
    pairs = parse_qsl(query, keep_blank_values=True)
    if all(k != "lang" for k, _ in pairs):
        return url
    kept = [(k, v) for k, v in pairs if k != "lang"]
    return path + ("?" + urlencode(kept) if kept else "")


@router.get("/lang/{lang}")
def switch_language(request: Request, lang: str, next: str = "/") -> Response:
    resp = RedirectResponse(_without_lang(_safe_next(next)), status_code=303)
    if lang in LANGS:
        resp.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict", path="/")
    return resp


@router.get("/")
def home(request: Request) -> Response:
    user = user_or_none(request)
    if user is None:
        return RedirectResponse("/signin", status_code=303)
    return page(request, "home.html", user)

