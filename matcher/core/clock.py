"""The date a ranking is computed for. Readiness is judged against the investor's start date
and "today" appears in every ranking, so the date is one setting: ``KAINUU_AS_OF`` (YYYY-MM-DD,
or the CLI's ``--as-of``) makes every entry point — CLI, API, web, what-ifs, briefs — reproducible
for a given day (the test suite pins it); unset, it is the calendar's today."""

from __future__ import annotations

import datetime as dt
import os

ENV = "KAINUU_AS_OF"


def parse(value: str, field: str = ENV) -> dt.date:
    try:
        if len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field}: {value[:40]!r} is not a date (YYYY-MM-DD)") from None


def today() -> dt.date:
    value = os.environ.get(ENV)
    return parse(value) if value else dt.date.today()
