"""``validate-data``: check a data folder against the schema, one line per problem."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .messages import Reason, say
from .schema import TABLES, check_row, header_of


@dataclass(frozen=True)
class Problem:
    file: str
    row: int  # line number in the file (header = 1); 0 for file-level problems
    column: str
    reason: str  # English; a Reason (the schema's) keeps its key and values to be said in Finnish too

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.reason}"

    def say(self, lang: str) -> str:
        """The reason in ``lang`` (the column stays the column's name)."""
        return say(self.reason, lang)


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def validate_rows(file: str, rows: list[dict[str, str]], *, codes: set[str], nace_codes: set[str],
                  source_ids: set[str], existing_ids: set[str] | None = None, first_line: int = 2) -> list[Problem]:
    """Problems of ``rows`` of ``file``; ``existing_ids`` are ids already taken elsewhere."""
    _, key = TABLES[file]
    problems = []
    seen: set[str] = set(existing_ids or ())
    for n, row in enumerate(rows, start=first_line):
        for col, why in check_row(file, row, codes=codes, nace_codes=nace_codes, source_ids=source_ids):
            problems.append(Problem(file, n, col, why))
        rid = (row.get(key) or "").strip()
        if rid and rid in seen:
            problems.append(Problem(file, n, key, Reason("data.duplicate_id", value=repr(rid))))
        seen.add(rid)
    return problems


def validate_folder(folder: str | Path) -> list[Problem]:
    d = Path(folder)
    problems: list[Problem] = []
    tables: dict[str, list[dict[str, str]]] = {}
    for file in TABLES:
        path = d / file
        if not path.exists():
            problems.append(Problem(file, 0, "-", "file is missing"))
            continue
        try:
            header, rows = _read(path)
        except (UnicodeDecodeError, csv.Error) as exc:
            problems.append(Problem(file, 0, "-", f"unreadable CSV ({exc})"))
            continue
        expected = header_of(file)
        for col in expected:
            if col not in header:
                problems.append(Problem(file, 1, col, "column is missing"))
        tables[file] = rows
    codes = {r["municipality_code"] for r in tables.get("municipalities.csv", [])}
    nace_codes = {r["code"] for r in tables.get("nace_rev2.csv", [])}
    source_ids = {r["source_id"] for r in tables.get("sources.csv", [])}
    for file, rows in tables.items():
        problems += validate_rows(file, rows, codes=codes, nace_codes=nace_codes, source_ids=source_ids)
    # column-level sources of statistical tables must exist in sources.csv
    for file, (cols, _) in TABLES.items():
        for c in cols:
            if c.source_id and source_ids and c.source_id not in source_ids:
                problems.append(Problem(file, 0, c.name, f"column source {c.source_id!r} not in sources.csv"))
    for n, r in enumerate(tables.get("key_sectors.csv", []), start=2):
        if source_ids and r.get("source_id") not in source_ids:
            problems.append(Problem("key_sectors.csv", n, "source_id", "not a source_id of sources.csv"))
    return problems
