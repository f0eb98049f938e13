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


def test_the_schemas_reasons_are_said_in_finnish_with_finnish_numbers_and_stay_english_as_text():
    """A data reason keeps its English text (validate-data, logs) and is said again in Finnish:
    numbers the Finnish way, the column a missing source belongs to by name, no decimal-point hint
    in the web forms, which read 12,5."""
    from api.web.pages_sites import said
    from matcher.core.schema import column_of, value_problem

    def why(col, value):
        return value_problem(column_of("sites.csv", col), value)

    big = why("grid_free_mw", 1e11)
    assert big == "1e+11 MW is above the allowed maximum 5000"
    assert big.say("fi").replace("\xa0", " ") == "100 000 000 000 MW on yli sallitun enimmäisarvon 5 000"
    assert why("grid_free_mw", -5).say("fi") == "-5 MW on alle sallitun vähimmäisarvon 0"
    assert why("water_m3_per_day", 2e7).say("fi").replace("\xa0", " ") == (
        "20 000 000 m³/vrk on yli sallitun enimmäisarvon 10 000 000")
    lots = why("grid_free_mw", "lots")
    assert lots == "not a number: 'lots' (ASCII digits, e.g. 12.5)"
    assert lots.say("fi").startswith("ei ole luku: 'lots'")
    assert said(lots, "fi") == "ei ole luku: 'lots' (numeroin, esim. 12,5)"
    assert why("kind", "20").say("fi").startswith("'20' ei ole mikään näistä: plot, business_park")
    assert why("district_heat", 1.0).say("fi") == "pitää olla true tai false, ei luku"
    assert why("district_heat", 1.0) == "must be true or false, not a number"

    from matcher.core.schema import check_row

    problems = dict(check_row("sites.csv", {"site_id": "X1", "grid_free_mw": "40"}, codes=set(), nace_codes=set(),
                              source_ids=set()))
    assert problems["grid_free_mw_source"] == ("value has no source (fill grid_free_mw_source with a URL or a "
                                               "source_id)")
    assert "grid_free_mw_source" in problems["grid_free_mw_source"].say("fi")
    assert problems["name"].say("fi") == "pakollinen arvo puuttuu"
