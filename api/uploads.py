"""Uploaded tables (CSV or XLSX) read the same way for site imports and batch matching:
UTF-8 (BOM allowed), ',' or ';' separated (Finnish Excel saves ';'), any line ending, every
problem named by line; never an exception from the csv module."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from .errors import ApiError

MAX_FIELD = 100_000  # characters in one cell


def decode(data: bytes, field: str = "file") -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApiError(422, field, "api.not_utf8") from None


def delimiter_of(text: str) -> str:
    """';' when the header line has more semicolons than commas (Excel in a Finnish locale)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def csv_rows(text: str, field: str = "file") -> list[dict[str, str]]:
    """Rows keyed by the header. A row with more cells than the header is refused by line
    (its extra cells would otherwise be lost without a word)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text), strict=False)
    rows: list[dict[str, str]] = []
    try:
        header = next(reader, None)
        if header is None:
            return []
        header = [h.strip() for h in header]
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(row) > len(header):
                raise ApiError(422, f"{field}.line{line}", "api.cells", n=len(row), m=len(header))
            for c in row:
                if len(c) > MAX_FIELD:
                    raise ApiError(422, f"{field}.line{line}", "api.cell_too_long", limit=MAX_FIELD)
            rows.append(dict(zip(header, row)))
    except csv.Error as exc:
        raise ApiError(422, f"{field}.line{reader.line_num}", "api.bad_csv", why=str(exc)) from None
    return rows


def xlsx_cell(v: Any) -> str:
    """An XLSX cell as the text a CSV would hold."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def table_rows(filename: str, data: bytes, field: str = "file") -> list[dict[str, str]]:
    """CSV (UTF-8) or XLSX rows as dicts of text keyed by the header."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            it = wb.active.iter_rows(values_only=True)
            header = [xlsx_cell(h).strip() for h in next(it, [])]
            return [{h: xlsx_cell(v) for h, v in zip(header, row) if h} for row in it
                    if any(v is not None for v in row)]
        except Exception as exc:  # a broken workbook: say so, by name
            raise ApiError(422, field, "api.bad_xlsx", why=type(exc).__name__) from None
    return csv_rows(decode(data, field), field)
