"""Site upkeep: validate like ``validate-data``, write in one transaction with the audit
row, then swap in a refreshed catalog so rankings use the change without a restart."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
from fastapi import FastAPI
from sqlalchemy import Engine, delete, insert, select, update

from matcher.schema import as_cell, column_of, header_of, typed
from matcher.validate import Problem, validate_rows

from .storage import audit_log, sites


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
            problems.append(Problem("sites.csv", line, str(k)[:80], "unknown column"))
            continue
        name = k.removesuffix("_source") if k.endswith("_source") else k
        col = column_of("sites.csv", name) if name == k else None  # a *_source cell is text
        try:
            out[k] = as_cell(col, v)
        except ValueError as exc:
            problems.append(Problem("sites.csv", line, k, str(exc)))
    if problems:
        raise RowsRejected(problems)
    if not out.get("last_updated"):
        out["last_updated"] = dt.date.today().isoformat()
    return out


def rows_digest(rows: list[dict[str, str]]) -> str:
    return hashlib.sha256(json.dumps(sorted(rows, key=lambda r: r["site_id"]), sort_keys=True).encode()).hexdigest()


def refresh_catalog(app: FastAPI) -> None:
    """Swap in a catalog built from the stored sites. While they equal the bundled file the
    snapshot id stays the bundled one; after an edit it says ``+db-<hash>``."""
    rows = all_rows(app.state.engine)
    base = app.state.base_catalog
    if not hasattr(app.state, "bundled_sites_digest"):  # the bundled file is read once per app
        app.state.bundled_sites_digest = rows_digest(read_csv_rows(app.state.settings.data_dir / "sites.csv"))
    if rows_digest(rows) == app.state.bundled_sites_digest:
        app.state.catalog = base
        return
    df = typed(pd.DataFrame(rows, columns=header_of("sites.csv")).fillna(""), "sites.csv")
    app.state.catalog = base.with_tables(sites=df, tag=f"db-{rows_digest(rows)[:8]}")


def all_rows(engine: Engine) -> list[dict[str, str]]:
    with engine.connect() as conn:
        return [json.loads(r.row_json) for r in conn.execute(select(sites.c.row_json).order_by(sites.c.site_id))]


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


def write_many(engine: Engine, actor: str, changes: list[tuple[str, dict | None, dict | None]]) -> None:
    """Rows and their audit entries in one transaction: every row or none."""
    with engine.begin() as conn:
        for action, before, after in changes:
            _apply(conn, action, before, after)
            conn.execute(insert(audit_log).values(
                actor=actor, action=action, site_id=(after or before)["site_id"],
                before_json=json.dumps(before, ensure_ascii=False) if before else None,
                after_json=json.dumps(after, ensure_ascii=False) if after else None))


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
