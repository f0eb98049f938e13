"""Persistence through SQLAlchemy: a SQLite file by default (WAL, synchronous=FULL),
PostgreSQL when ``DATABASE_URL`` says so. Every write runs in one transaction with
its audit-log row, so a change is either all there or not at all."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    inspect,
    select,
    text,
)

from matcher.core.paths import VAR_DIR
from matcher.core.schema import CONTROL_RE

metadata = MetaData()

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True),
    Column("key_hash", String(64), nullable=False),
    Column("role", String(20), nullable=False),
    Column("municipality_code", String(3)),
    Column("label", String(200)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked_at", DateTime(timezone=True)),
)
sites = Table(
    "sites", metadata,
    Column("site_id", String(40), primary_key=True),
    Column("municipality_code", String(3), nullable=False, index=True),
    Column("row_json", Text, nullable=False),  # the CSV row as strings: one schema with data/sites.csv
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


def change_log(name: str, *subject: Column) -> Table:
    """A change log: who changed what, when, with the row before and after."""
    return Table(
        name, metadata,
        Column("id", Integer, primary_key=True),
        Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("actor", String(100), nullable=False),
        *subject,
        Column("before_json", Text),
        Column("after_json", Text),
    )


audit_log = change_log("audit_log", Column("action", String(20), nullable=False),
                       Column("site_id", String(40), nullable=False, index=True))

leads = Table(
    "leads", metadata,
    Column("id", Integer, primary_key=True),
    Column("code_name", String(80), nullable=False),
    Column("referral_source", String(100), nullable=False),
    Column("owner_key_id", Integer, index=True),  # the referral partner's key that sent it
    Column("profile_json", Text, nullable=False),
    Column("stage", String(20), nullable=False),
    Column("chosen_site", String(40)),
    Column("visited_json", Text, nullable=False),
    Column("dropped_json", Text, nullable=False),
    Column("shared_with_json", Text, nullable=False),
    Column("notes", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)
lead_log = change_log("lead_log", Column("lead_id", Integer, nullable=False, index=True))

# A referral batch running in the background: its progress and per-row results (api/batch_jobs.py)
batch_jobs = Table(
    "batch_jobs", metadata,
    Column("id", String(32), primary_key=True),  # unguessable token
    Column("owner_key_id", Integer, nullable=False, index=True),
    Column("total", Integer, nullable=False),
    Column("done", Integer, nullable=False),
    Column("status", String(10), nullable=False),  # running | done | failed
    Column("results_json", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

ROLES = ("coordinator", "municipality", "referral_partner")
DEFAULT_URL = f"sqlite:///{VAR_DIR / 'kainuu.sqlite'}"


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(conn, _):  # type: ignore[no-untyped-def]
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


MIGRATIONS = Path(__file__).parent / "migrations"
FIRST_REVISION = "0001"


def _alembic(conn: Connection) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """One process at a time through schema upgrade and seeding: with several server
    workers starting on a fresh database, each would otherwise create the same tables."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        import fcntl

        with open(f"{engine.url.database}.lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
    elif engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(727274)"))
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(727274)"))
                conn.commit()
    else:
        yield


def init_db(engine: Engine) -> None:
    """Bring the schema to the newest migration. A database made before migrations
    existed (tables, no version row) is stamped with the first revision, then upgraded."""
    with engine.begin() as conn:
        cfg = _alembic(conn)
        names = set(inspect(conn).get_table_names())
        if "api_keys" in names and "alembic_version" not in names:
            command.stamp(cfg, FIRST_REVISION)
        command.upgrade(cfg, "head")


def head_revision() -> str:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(cfg).get_current_head())


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def drop_all(engine: Engine) -> None:
    """Remove every table, the migration version included (tests on a shared server)."""
    with engine.begin() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


def seed_sites(engine: Engine, rows: list[dict[str, str]]) -> int:
    """Load the bundled sites into an empty database (first start). Returns rows added."""
    with engine.begin() as conn:
        if conn.execute(select(func.count()).select_from(sites)).scalar_one():
            return 0
        conn.execute(insert(sites), [{"site_id": r["site_id"], "municipality_code": r["municipality_code"],
                                      "row_json": json.dumps(r, ensure_ascii=False)} for r in rows])
        return len(rows)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(engine: Engine, role: str, municipality_code: str | None, label: str = "") -> str:
    """Store a new key (hashed) and return it: the only time it is ever shown."""
    if role not in ROLES:
        raise ValueError(f"role: must be one of {', '.join(ROLES)}")
    if (role == "municipality") != bool(municipality_code):
        raise ValueError("municipality: required for the municipality role and only for it")
    if len(label) > 200 or CONTROL_RE.search(label):
        raise ValueError("label: at most 200 characters, no control characters")
    secret = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        kid = conn.execute(insert(api_keys).values(key_hash=_hash(secret), role=role,
                                                   municipality_code=municipality_code, label=label)
                           ).inserted_primary_key[0]
    return f"km_{kid}_{secret}"


# km_<id>_<secret>: the id in plain ASCII digits without sign, space or leading zero, within
# a 32-bit integer column on every database; the secret as token_urlsafe makes it.
KEY_RE = re.compile(r"km_([1-9][0-9]{0,9})_([A-Za-z0-9_-]{1,200})", re.ASCII)
MAX_KEY_ID = 2**31 - 1


def parse_key_id(presented: str) -> int | None:
    """The key id of a well-formed key, else None (never an exception: any text may arrive)."""
    m = KEY_RE.fullmatch(presented)
    if not m or int(m.group(1)) > MAX_KEY_ID:
        return None
    return int(m.group(1))


def list_keys(engine: Engine) -> list[dict[str, Any]]:
    """Every key without its hash: id, role, municipality, label, created, revoked."""
    cols = [c for c in api_keys.c if c.name != "key_hash"]
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(*cols).order_by(api_keys.c.id))]


def revoke_key(engine: Engine, key_id: int) -> bool:
    """Stop a key working (the row stays). False when there is no such active key."""
    with engine.begin() as conn:
        done = conn.execute(api_keys.update().where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                            .values(revoked_at=now())).rowcount
    return bool(done)


def rotate_key(engine: Engine, key_id: int) -> str:
    """A new key with the same role, municipality and label; the old one revoked, in one
    transaction. Returns the new key (shown once)."""
    secret = secrets.token_urlsafe(32)
    with engine.begin() as conn:
        old = conn.execute(select(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))).first()
        if old is None:
            raise ValueError(f"key: no active key {key_id}")
        conn.execute(api_keys.update().where(api_keys.c.id == key_id).values(revoked_at=now()))
        kid = conn.execute(insert(api_keys).values(key_hash=_hash(secret), role=old.role,
                                                   municipality_code=old.municipality_code, label=old.label)
                           ).inserted_primary_key[0]
    return f"km_{kid}_{secret}"


def check_key(engine: Engine, presented: str) -> dict[str, Any] | None:
    """The key's principal, or None. The secret's hash is compared in constant time."""
    key_id = parse_key_id(presented)
    if key_id is None:
        return None
    secret = presented.split("_", 2)[2]
    with engine.connect() as conn:
        row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
    expected = row.key_hash if row else _hash("no such key")
    ok = hmac.compare_digest(expected, _hash(secret))
    if not (row and ok) or row.revoked_at is not None:
        return None
    return {"key_id": row.id, "role": row.role, "municipality_code": row.municipality_code,
            "label": row.label or ""}


def now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
