"""Site upkeep: validate like ``validate-data``, write in one transaction with the audit
row, then swap in a refreshed catalog so rankings use the change without a restart."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import logging
import threading
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import FastAPI
from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from matcher import Catalog
from matcher.core.messages import Reason
from matcher.core.schema import as_cell, column_of, header_of, typed
from matcher.core.validate import Problem, validate_rows

from .storage import audit_log, sites

log = logging.getLogger("kainuu.api")


class RowsRejected(Exception):
    """Nothing was written: these problems were found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def normalise(row: dict[str, Any], line: int = 2) -> dict[str, str]:
    """A full CSV row of strings, converted strictly by the schema (text for text columns,
    numbers never from a bool, ...). Unknown columns are refused by name."""
    out = {k: "" for k in header_of("sites.csv")}
    problems = []
    for k, v in row.items():
        if k not in out:
            problems.append(Problem("sites.csv", line, str(k)[:80], Reason("data.unknown_column")))
            continue
        name = k.removesuffix("_source") if k.endswith("_source") else k
        col = column_of("sites.csv", name) if name == k else None  # a *_source cell is text
        try:
            out[k] = as_cell(col, v)
        except ValueError as exc:
            problems.append(Problem("sites.csv", line, k, exc.args[0]))
    if problems:
        raise RowsRejected(problems)
    if not out.get("last_updated"):
        out["last_updated"] = dt.date.today().isoformat()
    return out


def rows_digest(rows: list[dict[str, str]]) -> str:
    return hashlib.sha256(json.dumps(sorted(rows, key=lambda r: r["site_id"]), sort_keys=True).encode()).hexdigest()


def catalog_version(conn: Connection) -> int:
    """The stored catalog's version: the newest site audit row. Every site write adds one in
    its own transaction, so after a write commits every reader sees a new version."""
    return int(conn.execute(select(func.coalesce(func.max(audit_log.c.id), 0))).scalar_one())


def stored_catalog(engine: Engine, base: Catalog, bundled_digest: str) -> tuple[Catalog, int]:
    """The catalog of the stored sites and its version. While they equal the bundled file
    the snapshot id stays the bundled one; after an edit it says ``+db-<hash of the rows>``,
    the same id in every worker and in the CLI. The version is read before the rows: a write
    between the two makes the next check refresh again, never keeps old rows as new."""
    with engine.connect() as conn:
        version = catalog_version(conn)
        rows = [json.loads(r.row_json) for r in conn.execute(select(sites.c.row_json).order_by(sites.c.site_id))]
    digest = rows_digest(rows)
    if digest == bundled_digest or not rows:
        return base, version
    df = typed(pd.DataFrame(rows, columns=header_of("sites.csv")).fillna(""), "sites.csv")
    return base.with_tables(sites=df, tag=f"db-{digest[:8]}"), version


def bundled_digest(data_dir: Path) -> str:
    return rows_digest(read_csv_rows(data_dir / "sites.csv"))


_refresh_lock = threading.Lock()


def refresh_catalog(app: FastAPI) -> None:
    """Swap in the catalog of the stored sites (after this worker's own write, or when
    ``current_catalog`` sees another worker's)."""
    if not hasattr(app.state, "bundled_sites_digest"):  # the bundled file is read once per app
        app.state.bundled_sites_digest = bundled_digest(app.state.settings.data_dir)
    with _refresh_lock:
        app.state.catalog, app.state.catalog_version = stored_catalog(
            app.state.engine, app.state.base_catalog, app.state.bundled_sites_digest)


def current_catalog(app: FastAPI) -> Catalog:
    """The catalog as the database has it now: one indexed query per request, a rebuild only
    when another worker (or this one) has written since. With the database unreachable, the
    last catalog read is served (rankings go on; writes fail with 503)."""
    try:
        with app.state.engine.connect() as conn:
            version = catalog_version(conn)
    except DBAPIError:
        log.warning("database unreachable: serving the catalog of version %s", app.state.catalog_version)
        return app.state.catalog
    if version != app.state.catalog_version:
        refresh_catalog(app)
    return app.state.catalog


def check(rows: list[dict[str, str]], app: FastAPI, existing_ids: set[str]) -> None:
    cat = app.state.base_catalog
    problems = validate_rows(
        "sites.csv", rows, codes=set(cat.municipalities["municipality_code"]),
        nace_codes=_nace_codes(app), source_ids=set(cat.sources["source_id"]), existing_ids=existing_ids)
    if problems:
        raise RowsRejected(problems)


def _nace_codes(app: FastAPI) -> set[str]:
    if not hasattr(app.state, "nace_codes"):
        path = app.state.settings.data_dir / "nace_rev2.csv"
        app.state.nace_codes = {r["code"] for r in read_csv_rows(path)}
    return app.state.nace_codes


class SiteExists(Exception):
    """A create raced another for the same site_id (the database's key refused it)."""


def write_many(engine: Engine, actor: str, changes: list[tuple[str, dict | None, dict | None]]) -> None:
    """Rows and their audit entries in one transaction: every row or none."""
    try:
        with engine.begin() as conn:
            for action, before, after in changes:
                _apply(conn, action, before, after)
                conn.execute(insert(audit_log).values(
                    actor=actor, action=action, site_id=(after or before)["site_id"],
                    before_json=json.dumps(before, ensure_ascii=False) if before else None,
                    after_json=json.dumps(after, ensure_ascii=False) if after else None))
    except IntegrityError:
        raise SiteExists() from None


def _apply(conn, action: str, before: dict | None, after: dict | None) -> None:  # type: ignore[no-untyped-def]
    if action == "create":
        conn.execute(insert(sites).values(site_id=after["site_id"], municipality_code=after["municipality_code"],
                                          row_json=json.dumps(after, ensure_ascii=False)))
    elif action == "update":
        conn.execute(update(sites).where(sites.c.site_id == after["site_id"]).values(
            municipality_code=after["municipality_code"], row_json=json.dumps(after, ensure_ascii=False),
            updated_at=dt.datetime.now(dt.timezone.utc)))
    elif action == "delete":
        conn.execute(delete(sites).where(sites.c.site_id == before["site_id"]))


def get_row(engine: Engine, site_id: str) -> dict[str, str] | None:
    with engine.connect() as conn:
        r = conn.execute(select(sites.c.row_json).where(sites.c.site_id == site_id)).first()
    return json.loads(r.row_json) if r else None
