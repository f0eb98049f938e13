"""Audit logs as JSON lines: failed key checks and reads of confidential leads, each with the
key id and the reason, never a secret. The access log loses any key given in a query string."""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request

from .storage import parse_key_id

log = logging.getLogger("kainuu.audit")
SECRET_PARAMS = re.compile(r"^(x[-_]?)?api[-_]?key$|^key$|^token$|^secret$", re.IGNORECASE)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = getattr(record, "event", None) or {"message": record.getMessage()}
        return json.dumps({"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname.lower(),
                           "logger": record.name, **event}, ensure_ascii=False, default=str)


def setup() -> None:
    """JSON lines on stderr, whatever uvicorn's --log-level: audit events are not debug output."""
    if not any(isinstance(h.formatter, JsonFormatter) for h in log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQueryKeys) for f in access.filters):
        access.addFilter(RedactQueryKeys())


def _where(request: Request) -> dict[str, Any]:
    return {"method": request.method, "path": request.url.path,
            "client": request.client.host if request.client else None}


def auth_failed(request: Request, presented: str | None, reason: str) -> None:
    key_id = parse_key_id(presented) if presented else None
    log.warning("auth failure", extra={"event": {"event": "auth_failure", "reason": reason, "key_id": key_id,
                                                 **_where(request)}})


def forbidden(request: Request, key_id: int, role: str, reason: str) -> None:
    log.warning("forbidden", extra={"event": {"event": "forbidden", "reason": reason, "key_id": key_id,
                                              "role": role, **_where(request)}})


def lead_read(request: Request, key_id: int, role: str, lead_ids: list[int]) -> None:
    log.info("lead read", extra={"event": {"event": "lead_read", "key_id": key_id, "role": role,
                                           "lead_ids": lead_ids, **_where(request)}})


class RedactQueryKeys(logging.Filter):
    """uvicorn's access line is (client, method, path?query, http version, status): a key put in
    the query string (refused anyway) is replaced by *** before the line is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            path, _, query = args[2].partition("?")
            pairs = parse_qsl(query, keep_blank_values=True)
            if any(SECRET_PARAMS.match(k) for k, _ in pairs):
                clean = urlencode([(k, "***" if SECRET_PARAMS.match(k) else v) for k, v in pairs])
                record.args = (*args[:2], f"{path}?{clean}", *args[3:])
        return True
