"""The service's part of the ``kainuu-match`` command line, registered through the entry point
group ``kainuu_match.service`` (pyproject.toml): its own commands (serve, keys) and what engine
commands need of the service's database (the stored catalog for --database, lead outcomes, the
pipeline's leads). The engine never imports this package; it finds it installed."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from matcher.cli import Unavailable, UsageError, _database_url, _kainuu_code
from matcher.core.catalog import Catalog


def engine(url: str):  # type: ignore[no-untyped-def]
    """An engine that has answered once; else Unavailable naming the database (password hidden)."""
    from sqlalchemy import text
    from sqlalchemy.exc import ArgumentError, DBAPIError

    from .storage import make_engine

    try:
        _sqlite_folder_exists(url)
        engine = make_engine(url)
    except (ArgumentError, ValueError) as exc:
        raise UsageError(f"--database: not a database URL ({exc})".splitlines()[0]) from None
    except ImportError as exc:
        raise UsageError(f"--database: no driver for it ({exc})".splitlines()[0]) from None
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except DBAPIError as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else type(exc).__name__
        engine.dispose()
        raise Unavailable(f"database: cannot connect to {where} ({reason})") from None
    return engine


def _sqlite_folder_exists(url: str) -> None:
    """A SQLite file is created where the URL says, but its folder must exist: a mistyped
    --database would otherwise leave a new folder chain and an empty database behind. Only the
    default file's own folder (var/) is made when missing (``storage.make_engine``)."""
    from sqlalchemy.engine import make_url

    from .storage import DEFAULT_URL

    u = make_url(url)
    if url == DEFAULT_URL or u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
        return
    folder = Path(u.database).parent
    if not folder.is_dir():
        raise UsageError(f"--database: no such folder for the SQLite file: {str(folder)[:200]}")


def cmd_serve(a: argparse.Namespace) -> int:
    import uvicorn

    from . import Settings, create_app

    if not 0 < a.port < 65536:
        raise UsageError(f"--port: {a.port} is not a TCP port")
    if a.database:  # the workers read it from the environment like every other setting
        os.environ["DATABASE_URL"] = a.database
    if not 1 <= a.workers <= 64:
        raise UsageError(f"--workers: {a.workers} is not between 1 and 64")
    engine(Settings().db_url()).dispose()  # unreachable: one line and exit 3, not a traceback per worker
    if a.workers == 1:
        uvicorn.run(create_app(Settings(data_dir=a.data)), host=a.host, port=a.port, log_level=a.log_level)
    else:  # worker processes import the app themselves; settings reach them through the environment
        os.environ["KAINUU_DATA_DIR"] = str(a.data)
        uvicorn.run("api.app:create_app", factory=True, workers=a.workers, host=a.host, port=a.port,
                    log_level=a.log_level)
    return 0


def cmd_keys_create(a: argparse.Namespace) -> int:
    from .storage import create_key

    if a.municipality is not None:
        _kainuu_code(Catalog.load(a.data), a.municipality)
    engine = _key_engine(a)
    try:
        key = create_key(engine, a.role, a.municipality, a.label or "")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    print(key)
    print("(shown once: it is stored only as a hash)", file=sys.stderr)
    return 0


def _key_engine(a: argparse.Namespace):  # type: ignore[no-untyped-def]
    from . import Settings
    from .storage import init_db

    eng = engine(_database_url(a) or Settings().db_url())
    init_db(eng)
    return eng


def _key_id(value: str) -> int:
    from .storage import MAX_KEY_ID

    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_KEY_ID:
        raise argparse.ArgumentTypeError(f"{value[:40]!r} is not a key id (the number in km_<id>_...)")
    return int(value)


def cmd_keys_list(a: argparse.Namespace) -> int:
    from .storage import list_keys

    keys = list_keys(_key_engine(a))
    if a.format == "json":
        print(json.dumps(keys, default=str, indent=2))
        return 0
    print(f"{'id':>5} {'role':<17} {'muni':<5} {'created':<20} {'revoked':<20} label")
    for k in keys:
        print(f"{k['id']:>5} {k['role']:<17} {k['municipality_code'] or '':<5} {str(k['created_at'])[:19]:<20} "
              f"{str(k['revoked_at'] or '')[:19]:<20} {k['label'] or ''}")
    return 0


def cmd_keys_revoke(a: argparse.Namespace) -> int:
    from .storage import revoke_key

    if not revoke_key(_key_engine(a), a.key_id):
        raise UsageError(f"KEY_ID: no active key {a.key_id} (see `kainuu-match keys list`)")
    print(f"revoked key {a.key_id}")
    return 0


def cmd_keys_rotate(a: argparse.Namespace) -> int:
    from .storage import rotate_key

    try:
        key = rotate_key(_key_engine(a), a.key_id)
    except ValueError:
        raise UsageError(f"KEY_ID: no active key {a.key_id} (see `kainuu-match keys list`)") from None
    print(key)
    print(f"(key {a.key_id} revoked; the new key is shown once: it is stored only as a hash)", file=sys.stderr)
    return 0


def stored_catalog(base: Catalog, data_dir: Path, url: str) -> Catalog:
    """The catalog with the sites as the service's database has them (the server's data id)."""
    from .site_store import bundled_digest
    from .site_store import stored_catalog as stored
    from .storage import schema_revision

    eng = engine(url)
    try:
        if not schema_revision(eng):
            return base  # a database the service has not set up yet
        return stored(eng, base, bundled_digest(data_dir))[0]
    finally:
        eng.dispose()


def lead_outcomes() -> list:
    """Recorded lead outcomes of the service's database (DATABASE_URL or the default file) as cases."""
    from matcher.learn.cases import lead_cases

    from . import Settings
    from .lead_store import outcomes
    from .storage import make_engine, schema_revision

    url = Settings().db_url()
    if url.startswith("sqlite:///") and not Path(url.split("///", 1)[1]).exists():
        return []
    eng = make_engine(url)
    try:
        return lead_cases(outcomes(eng)) if schema_revision(eng) else []
    finally:
        eng.dispose()


def stored_leads(url: str, stages: tuple[str, ...]) -> list[dict[str, Any]]:
    """The leads of the service's database in ``stages``."""
    from .lead_store import in_stages

    eng = engine(url)
    try:
        return in_stages(eng, stages)
    finally:
        eng.dispose()


def add_commands(sub: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    """The service's commands: serve and keys."""
    sv = sub.add_parser("serve", help="run the HTTP API (FastAPI + uvicorn)")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--workers", type=int, default=1, help="server processes (one per core is usual)")
    sv.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    sv.set_defaults(func=cmd_serve)

    k = sub.add_parser("keys", help="API keys (stored hashed; DATABASE_URL or the default SQLite file)")
    ksub = k.add_subparsers(dest="keys_cmd", required=True, parser_class=parser_class)
    kc = ksub.add_parser("create", help="create a key and print it once")
    from .storage import ROLES

    kc.add_argument("--role", required=True, choices=ROLES)
    kc.add_argument("--municipality", help="3-digit code (municipality role only)")
    kc.add_argument("--label", default="")
    kc.set_defaults(func=cmd_keys_create)
    kl = ksub.add_parser("list", help="every key: id, role, municipality, label, created, revoked (never a secret)")
    kl.add_argument("--format", choices=("table", "json"), default="table")
    kl.set_defaults(func=cmd_keys_list)
    kr = ksub.add_parser("revoke", help="stop a key working (kept in the list, with the time)")
    kr.add_argument("key_id", type=_key_id)
    kr.set_defaults(func=cmd_keys_revoke)
    ko = ksub.add_parser("rotate", help="a new key with the same role; the old one revoked")
    ko.add_argument("key_id", type=_key_id)
    ko.set_defaults(func=cmd_keys_rotate)
