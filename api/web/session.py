"""Web sessions: an API key is exchanged once for a signed, HttpOnly, SameSite=Strict cookie.

The cookie holds the key's id, an expiry and a CSRF token, signed with HMAC-SHA256 under a
secret from settings (``KAINUU_SESSION_SECRET``) or, when that is empty, a random secret kept
in the state folder beside the SQLite database (made on first use). Every form carries the
session's CSRF token; a POST without the matching token is refused. One-time sign-in links
(printed by ``make web``) are random tokens whose hashes live in a small file in the same
folder; using one removes it.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from sqlalchemy import Engine, select

from matcher.core.paths import VAR_DIR

from ..auth import Principal
from ..storage import api_keys

COOKIE = "km_session"
LANG_COOKIE = "km_lang"
SESSION_SECONDS = 12 * 3600
LINK_SECONDS = 24 * 3600


def state_dir(database_url: str) -> Path:
    """Where the web app keeps its secret: beside the SQLite file, else ``var/``."""
    if database_url.startswith("sqlite") and "///" in database_url:
        path = database_url.split("///", 1)[1]
        if path and path != ":memory:":
            return Path(path).resolve().parent
    return VAR_DIR


def load_secret(configured: str, folder: Path) -> bytes:
    if configured:
        if len(configured) < 32:
            raise ValueError("KAINUU_SESSION_SECRET: needs at least 32 characters")
        return configured.encode()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "session_secret"
    with open(folder / "session_secret.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip().encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(secret: bytes, payload: dict[str, Any]) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":")).encode())
    mac = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    return f"{body}.{mac}"


def unsign(secret: bytes, value: str) -> dict[str, Any] | None:
    body, _, mac = value.partition(".")
    if not body or not mac or len(value) > 4096:
        return None
    good = _b64(hmac.new(secret, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(good, mac):
        return None
    try:
        data = json.loads(_unb64(body))
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("exp", 0) < time.time():
        return None
    return data


@dataclass(frozen=True)
class WebUser:
    principal: Principal
    csrf: str

    @property
    def role(self) -> str:
        return self.principal.role

    @property
    def municipality_code(self) -> str | None:
        return self.principal.municipality_code


def new_session(secret: bytes, key_id: int) -> str:
    return sign(secret, {"kid": key_id, "csrf": secrets.token_urlsafe(24), "exp": int(time.time()) + SESSION_SECONDS})


def current_user(request: Request) -> WebUser | None:
    """The signed-in user, or None. The key must still exist: deleting it ends its sessions."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    data = unsign(request.app.state.web_secret, raw)
    if not data or not isinstance(data.get("kid"), int):
        return None
    row = _key_row(request.app.state.engine, data["kid"])
    if row is None:
        return None
    return WebUser(Principal(key_id=row.id, role=row.role, municipality_code=row.municipality_code,
                             label=row.label or ""), str(data.get("csrf", "")))


def _key_row(engine: Engine, key_id: int) -> Any:
    with engine.connect() as conn:
        return conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()


def csrf_ok(user: WebUser, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(user.csrf, str(token))


# one-time sign-in links -------------------------------------------------------------------

def _links_file(folder: Path) -> Path:
    return folder / "signin_links.json"


def create_link_token(folder: Path, key_id: int) -> str:
    """A random token that signs in as ``key_id`` once, within a day."""
    token = secrets.token_urlsafe(32)
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder):
        links = _read_links(folder)
        links[hashlib.sha256(token.encode()).hexdigest()] = {"kid": key_id, "exp": int(time.time()) + LINK_SECONDS}
        _write_links(folder, links)
    return token


def use_link_token(folder: Path, token: str) -> int | None:
    """The key id of a valid token, which is used up; None otherwise."""
    if not token or len(token) > 200:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    with _locked(folder):
        links = _read_links(folder)
        found = links.pop(digest, None)
        now = time.time()
        links = {k: v for k, v in links.items() if v.get("exp", 0) > now}
        _write_links(folder, links)
    if not found or found.get("exp", 0) < time.time():
        return None
    return int(found["kid"])


class _locked:
    def __init__(self, folder: Path):
        self.path = folder / "signin_links.lock"

    def __enter__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fh = open(self.path, "w")
        fcntl.flock(self.fh, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        fcntl.flock(self.fh, fcntl.LOCK_UN)
        self.fh.close()


def _read_links(folder: Path) -> dict[str, dict[str, int]]:
    path = _links_file(folder)
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text())
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _write_links(folder: Path, links: dict[str, dict[str, int]]) -> None:
    path = _links_file(folder)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(links))
    tmp.chmod(0o600)
    tmp.replace(path)
