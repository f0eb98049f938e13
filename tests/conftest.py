from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from matcher import Catalog, parse_profile

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))
AS_OF = dt.date(2026, 11, 27)
# Every ranking in the suite (and in the servers it starts) is computed for AS_OF, whatever the
# calendar says: readiness is judged against start dates, so results would otherwise move with it.
os.environ.setdefault("KAINUU_AS_OF", AS_OF.isoformat())


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load(ROOT / "data")


PG_URL = os.environ.get("TEST_DATABASE_URL")


def _database_of_this_worker(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (``<database>_gw0``…), created
    on first use, so storage tests running side by side never drop each other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ProgrammingError

    base = make_url(url)
    name = f"{base.database or 'kainuu_test'}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
                try:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                except ProgrammingError as e:  # another session created it meanwhile
                    if getattr(e.orig, "sqlstate", None) != "42P04":
                        raise
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_url() -> str:
    """This worker's PostgreSQL database; only the tests that use it connect (or fail) here."""
    if not PG_URL:
        pytest.skip("PostgreSQL storage tests need TEST_DATABASE_URL (set by .ci/run when a server is found)")
    from sqlalchemy.exc import SQLAlchemyError

    try:
        return _database_of_this_worker(PG_URL)
    except SQLAlchemyError as e:
        pytest.fail(f"TEST_DATABASE_URL is set but its database cannot be prepared: {e}")


# The suite sends thousands of requests from one address; the rate-limit tests set their own.
os.environ.setdefault("KAINUU_RATE_LIMIT_ANONYMOUS", "1000000/minute")
os.environ.setdefault("KAINUU_RATE_LIMIT_KEY", "1000000/minute")
os.environ.setdefault("KAINUU_RATE_LIMIT_AUTH_FAILURES", "1000000/minute")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> str:
    """A clean database: a SQLite file always; PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kainuu.sqlite'}"
    url = request.getfixturevalue("pg_url")
    from api.storage import drop_all, make_engine

    engine = make_engine(url)
    drop_all(engine)
    engine.dispose()
    return url


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(ROOT / "data", dst, ignore=shutil.ignore_patterns("sources", "build"))
    return dst


def with_site_values(catalog: Catalog, site_id: str, **values: float) -> Catalog:
    """A catalog where one site has the given (typed) values."""
    sites = catalog.sites.copy()
    row = sites.index[sites["site_id"] == site_id][0]
    for k, v in values.items():
        sites.loc[row, k] = v
    return catalog.with_tables(sites=sites, tag=f"test-{site_id}")


def profile(**kw):
    base = {"name": "Test investor", "sector": "63.11"}
    base.update(kw)
    return parse_profile(base)


@pytest.fixture()
def signed_in(tmp_path: Path):
    """Sign a new web key in on a fresh app: ``signed_in(role, municipality=None, lang="en")`` gives
    (client, csrf token) with the page language set; a second call signs the client in anew."""
    import re

    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings
    from api.storage import create_key

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'web.sqlite'}"))
    with TestClient(app) as client:
        def sign_in(role: str, municipality: str | None = None, lang: str = "en") -> tuple[TestClient, str]:
            client.cookies.clear()
            csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text).group(1)  # type: ignore[union-attr]
            key = create_key(app.state.engine, role, municipality, role)
            r = client.post("/signin", data={"csrf": csrf, "key": key, "next": "/"}, follow_redirects=False)
            assert r.status_code == 303
            client.get(f"/lang/{lang}?next=/")
            return client, re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)  # type: ignore[union-attr]

        yield sign_in
