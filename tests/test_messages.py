"""The message catalogues: every sentence in both languages, with the same placeholders, so a
Finnish page never misses a text nor a number that the English one shows."""

from __future__ import annotations

import string

import pytest

from api.web.messages import CATALOGUE as WEB
from matcher.core.messages import CATALOGUE, LANGS, t


def placeholders(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("catalogue", [CATALOGUE, WEB], ids=["matcher", "web"])
def test_every_message_has_both_languages_and_the_same_placeholders(catalogue):
    assert catalogue
    for key, texts in catalogue.items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key
        assert placeholders(texts["en"]) == placeholders(texts["fi"]), key


def test_a_placeholder_mismatch_would_be_caught():
    assert placeholders("{name} needs {need:,.0f} MW") == {"name", "need"}
    assert placeholders("{name} tarvitsee") != placeholders("{name} needs {need} MW")


def test_finnish_numbers_are_formatted_the_finnish_way():
    fi = t("block.power", "fi", name="S01", need=39930, have=0.8)
    assert "39\u00a0930 MW" in fi and "0,8 MW" in fi
    assert t("block.power", "en", name="S01", need=39930, have=0.8).startswith("needs 39930 MW; 0.8 MW")
