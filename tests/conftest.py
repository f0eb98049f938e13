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


def _database_of_this_worker(url: str | None) -> str | None:
    """Under pytest-xdist each worker gets its own PostgreSQL database (``test_gw0``…), created on
    first use, so storage tests running side by side never drop each other's tables."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first() is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


PG_URL = _database_of_this_worker(os.environ.get("TEST_DATABASE_URL"))
# The suite sends thousands of requests from one address; the rate-limit tests set their own.
os.environ.setdefault("KAINUU_RATE_LIMIT_ANONYMOUS", "1000000/minute")
os.environ.setdefault("KAINUU_RATE_LIMIT_KEY", "1000000/minute")
os.environ.setdefault("KAINUU_RATE_LIMIT_AUTH_FAILURES", "1000000/minute")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path: Path) -> str:
    """A clean database: a SQLite file always; PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kainuu.sqlite'}"
    if not PG_URL:
        pytest.skip("PostgreSQL storage tests need TEST_DATABASE_URL (set by .ci/run when a server is found)")
    from api.storage import drop_all, make_engine

    engine = make_engine(PG_URL)
    drop_all(engine)
    engine.dispose()
    return PG_URL


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
