"""Names from the data in the reader's language: a Finnish reader sees a site's, campus's or plant's
Finnish name (``name_fi``) wherever a name is shown; an English reader the canonical ``name``; a row
without a Finnish name falls back to ``name`` in both."""

from __future__ import annotations

from matcher import load_profile, rank
from matcher.brief.brief_render import to_markdown
from matcher.brief.pitch import build_brief
from matcher.cli import main
from matcher.core.catalog import name_in
from matcher.core.explain import fact

from .conftest import ROOT, profile, with_site_values

DC = ROOT / "examples" / "data_centre.json"
S01_FI = "Renforsin Ranta -yritysalue"
S01_EN = "Renforsin Ranta business park"
XTX_FI = "XTX Markets -datakeskuskampus (entinen Pohjan Sellun tontti)"
XTX_EN = "XTX Markets data centre campus (former Pohjan Sellu plot)"


def test_the_one_rule_takes_the_finnish_name_only_for_finnish_and_only_when_there_is_one():
    assert name_in("University of Turku", "Turun yliopisto", "fi") == "Turun yliopisto"
    assert name_in("University of Turku", "Turun yliopisto", "en") == "University of Turku"
    for empty in (None, "", "  ", float("nan")):
        assert name_in("Arcada University of Applied Sciences", empty, "fi") == "Arcada University of Applied Sciences"


def test_every_kainuu_site_has_a_finnish_name(catalog):
    missing = catalog.sites.loc[catalog.sites["name_fi"].isna(), "site_id"].tolist()
    assert missing == []


def test_a_finnish_ranking_table_names_the_sites_in_finnish_and_an_english_one_in_english(capsys):
    assert main(["rank", str(DC), "--top", "3", "--lang", "fi"]) == 0
    fi = capsys.readouterr().out
    assert S01_FI in fi and S01_EN not in fi and "City of Kajaani" not in fi
    assert main(["rank", str(DC), "--top", "3"]) == 0
    en = capsys.readouterr().out
    assert S01_EN in en and S01_FI not in en


def test_a_finnish_explanation_quotes_the_nearby_site_by_its_finnish_name(catalog):
    e = rank(load_profile(DC), catalog, top=1).results[0].explanation
    assert any(XTX_FI in r for r in e.reasons["fi"]) and not any(XTX_EN in r for r in e.reasons["fi"])
    assert any(XTX_EN in r for r in e.reasons["en"])


def test_a_blocker_names_the_site_in_the_readers_language(catalog):
    r = rank(profile(land_ha=5000), catalog, top=len(catalog.candidates("kainuu")))
    b = next(m for m in r.results if m.candidate_id == "S22").explanation.blockers[0]
    assert "Löytösuon tuulivoima-alue" in b.fi and "Löytösuo wind farm area" in b.en


def test_a_national_fact_names_the_university_in_finnish_for_a_finnish_reader(catalog):
    f = catalog.candidates("finland")
    pori = f.index_of("609")
    assert fact("education", profile(), f, pori, "fi", None, {}).startswith("Turun yliopisto")
    assert fact("education", profile(), f, pori, "en", None, {}).startswith("University of Turku")


def test_a_finnish_brief_names_its_sites_and_visits_in_finnish_and_an_english_one_in_english(catalog):
    p = load_profile(DC)
    fi, en = build_brief(p, catalog, lang="fi", top=3), build_brief(p, catalog, lang="en", top=3)
    assert fi.sites[0].name.startswith(S01_FI) and en.sites[0].name.startswith(S01_EN)
    assert {v.name for v in fi.visits} == {s.name for s in fi.sites}
    md = to_markdown(fi)
    assert S01_FI in md and S01_EN not in md


def test_a_site_without_a_finnish_name_keeps_its_name_in_finnish(catalog):
    changed = with_site_values(catalog, "S01", name_fi=None)
    c = changed.candidates("kainuu")
    i = c.index_of("S01")
    assert c.name_in(i, "fi") == c.name_in(i, "en") == str(c.names[i])
    assert changed.name_of("S01", "fi") == str(c.names[i])
    table = rank(load_profile(DC), changed, top=1)
    assert table.results[0].name == str(c.names[i])  # the record keeps the canonical name


def test_the_json_record_keeps_the_canonical_name(catalog):
    first = rank(load_profile(DC), catalog, top=1).as_dict()["results"][0]
    assert first["name"].startswith(S01_EN)


def test_a_municipality_keeps_its_own_name_in_both_languages(catalog):
    assert catalog.name_of("205", "fi", "Kajaani", scope="finland") == "Kajaani"
    assert catalog.name_of("205", "en", "Kajaani", scope="finland") == "Kajaani"


def test_the_finnish_match_page_shortlist_and_offerings_name_the_sites_in_finnish(signed_in):
    client, _ = signed_in("coordinator", lang="fi")
    page = client.get("/match?preset=data_centre").text
    assert S01_FI in page and S01_EN not in page
    assert "Kajaanin kaupungin yritystontit" in client.get("/offerings").text
    assert S01_FI in client.get("/offerings/S01").text
    from api.web.common import dump, encode_profile

    p = encode_profile(dump(load_profile(DC)))
    csv_fi = client.get(f"/match/shortlist.csv?p={p}&lang=fi").content.decode("utf-8-sig")
    assert S01_FI in csv_fi
    csv_en = client.get(f"/match/shortlist.csv?p={p}&lang=en").content.decode("utf-8-sig")
    assert S01_EN in csv_en and S01_FI not in csv_en


def test_the_english_match_page_names_the_sites_in_english(signed_in):
    client, _ = signed_in("coordinator", lang="en")
    page = client.get("/match?preset=data_centre").text
    assert S01_EN in page and S01_FI not in page
