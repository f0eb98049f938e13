"""The service's edge, one ASGI middleware in front of every route: rate limits (the
``limits`` library), security headers, the CORS policy (the public feed and embed are open to
any site; nothing else is), and OPTIONS answered with the path's methods."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Iterable

from limits import RateLimitItem, parse_many, storage, strategies
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import error_body, send_json
from .storage import parse_key_id

# GET-only public feed: the catalog and the embed fragment, for the portal and municipal pages.
PUBLIC = re.compile(r"^/api/v1/(sites(/[^/]+)?|municipalities(/\d{3}/embed)?)$")
CONFIDENTIAL = re.compile(r"^/api/v1/leads(/|$)")
UNLIMITED = {"/api/v1/health"}  # load balancers and monitors poll it
DOCS = ("/docs", "/redoc", "/openapi.json")
CSP_API = "default-src 'none'; frame-ancestors 'none'"
CSP_HTML = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; frame-ancestors 'none'"
CSP_EMBED = "default-src 'none'; style-src 'unsafe-inline'"


class RateLimits:
    """Moving-window limits per API key id and per anonymous client address, and a stricter
    one on failed key checks per address (guessing keys). In memory per process unless
    ``storage_uri`` names a shared store (e.g. redis://): with N workers the in-memory limit
    is per worker."""

    def __init__(self, anonymous: str, per_key: str, auth_failures: str, storage_uri: str = "memory://"):
        self.limiter = strategies.MovingWindowRateLimiter(storage.storage_from_string(storage_uri))
        self.anonymous = parse_many(anonymous)
        self.per_key = parse_many(per_key)
        self.auth_failures = parse_many(auth_failures)

    def _hit(self, items: Iterable[RateLimitItem], who: str) -> float | None:
        """None if allowed, else the seconds until it would be."""
        for item in items:
            if not self.limiter.hit(item, who):
                reset = self.limiter.get_window_stats(item, who).reset_time
                return max(1.0, reset - time.time())
        return None

    def check(self, key_id: int | None, client: str) -> float | None:
        if key_id is not None:
            if any(not self.limiter.test(item, f"authfail:{client}") for item in self.auth_failures):
                return self._retry(self.auth_failures, f"authfail:{client}")
            return self._hit(self.per_key, f"key:{key_id}")
        return self._hit(self.anonymous, f"ip:{client}")

    def _retry(self, items: Iterable[RateLimitItem], who: str) -> float:
        return max(max(1.0, self.limiter.get_window_stats(i, who).reset_time - time.time()) for i in items)

    def auth_failed(self, client: str) -> None:
        for item in self.auth_failures:
            self.limiter.hit(item, f"authfail:{client}")


def client_of(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class Edge:
    def __init__(self, app: ASGIApp, limits: RateLimits | None = None):
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, method = scope["path"], scope["method"]
        headers = dict(scope.get("headers") or [])
        extra = _headers_for(path, method)
        if method == "OPTIONS":
            await self._options(scope, path, headers, extra, send)
            return
        if self.limits is not None and path not in UNLIMITED:
            raw = headers.get(b"x-api-key")
            key_id = parse_key_id(raw.decode("latin-1")) if raw else None
            wait = self.limits.check(key_id if raw else None, client_of(scope))
            if wait is not None:
                await send_json(send, 429, error_body("rate", "too many requests; try again later"),
                                 [*extra, (b"retry-after", str(math.ceil(wait)).encode())])
                return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _options(self, scope: Scope, path: str, headers: dict[bytes, bytes],
                       extra: list[tuple[bytes, bytes]], send: Send) -> None:
        methods = _methods(scope)
        if not methods:
            await send_json(send, 404, error_body("path", "no such endpoint"), extra)
            return
        allow = ", ".join(sorted(methods | {"OPTIONS"}))
        out = [*extra, (b"allow", allow.encode())]
        asked = headers.get(b"access-control-request-method", b"").upper()
        if (PUBLIC.match(path) and b"origin" in headers and asked in (b"GET", b"HEAD")
                and not headers.get(b"access-control-request-headers")):  # a simple read: open to all
            out += [(b"access-control-allow-origin", b"*"), (b"access-control-allow-methods", b"GET, HEAD"),
                    (b"access-control-max-age", b"600")]
        await send({"type": "http.response.start", "status": 204, "headers": out})
        await send({"type": "http.response.body", "body": b""})


def _methods(scope: Scope) -> set[str]:
    """The methods some route takes at this path (asked of the router itself)."""
    routes = getattr(getattr(scope.get("app"), "router", None), "routes", [])
    found = set()
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        probe = {**scope, "method": method}
        if any(r.matches(probe)[0] == Match.FULL for r in routes):
            found.add(method)
    return found


def _headers_for(path: str, method: str) -> list[tuple[bytes, bytes]]:
    out = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
    if path.endswith("/embed"):
        out.append((b"content-security-policy", CSP_EMBED.encode()))  # meant to be shown on other sites
    elif path.startswith("/api/") or path == "/openapi.json":
        # web pages (api/web) send their own policy; API answers get the strict one
        out += [(b"x-frame-options", b"DENY"),
                (b"content-security-policy", (CSP_HTML if path == "/api/v1/pitch" else CSP_API).encode())]
    if PUBLIC.match(path) and method in ("GET", "HEAD"):
        out.append((b"access-control-allow-origin", b"*"))
    if CONFIDENTIAL.match(path):
        out.append((b"cache-control", b"no-store"))
    return out
