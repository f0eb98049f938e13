"""The values a listed (enum) or yes/no site column may take, as the pages name them: the site
form's select shows these labels, the what-if offers them and reads them back. One source, so a
value is called the same on every page."""

from __future__ import annotations

from matcher.core.messages import LANGS, Lang, t, term
from matcher.core.schema import Column


def choices(column: Column, lang: Lang) -> list[tuple[str, str]]:
    """(stored code, label in ``lang``) of each value of ``column``; none for a column of free values."""
    if column.kind == "bool":
        return [("true", t("match.yes", lang)), ("false", t("match.no", lang))]
    if column.kind == "enum":
        return [(code, term(column.name, code, lang)) for code in column.choices]
    return []


def code_of(column: Column, text: str) -> str | None:
    """The code ``text`` names: the code itself or its label in either language, in any case
    ('varattu', 'Reserved' and 'reserved' are all 'reserved'); None if it names none."""
    wanted = text.strip().casefold()
    for lang in LANGS:
        for code, label in choices(column, lang):
            if wanted in (code.casefold(), label.casefold()):
                return code
    return None
