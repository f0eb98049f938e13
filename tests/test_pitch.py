"""Pitch briefs: the shortlist and its sources in every format and both languages."""

import io
import re

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from api import Settings, create_app
from api.storage import create_key
from matcher import load_profile, rank
from matcher.brief.brief_render import render, to_markdown
from matcher.brief.pitch import build_brief
from matcher.cli import main

from .conftest import ROOT

DC = ROOT / "examples" / "data_centre.json"


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("lang,title,why", [("en", "Investment brief", "Why it fits"),
                                            ("fi", "Sijoitusmuistio", "Miksi se sopii")])
def test_brief_holds_the_shortlist_sources_and_snapshot_in_every_format(catalog, lang, title, why):
    p = load_profile(DC)
    brief = build_brief(p, catalog, lang=lang, top=3)
    shortlist = [m.candidate_id for m in rank(p, catalog, top=3).results]
    assert [s.candidate_id for s in brief.sites] == shortlist
    first_source = brief.sites[0].sources[0]
    for fmt in ("md", "html", "pdf"):
        data = render(brief, fmt)
        text = pdf_text(data) if fmt == "pdf" else data.decode()
        flat = " ".join(text.split())
        assert title in flat and why in flat, fmt
        for s in brief.sites:
            assert " ".join(s.name.split()) in flat, (fmt, s.name)
        assert brief.snapshot in flat
        assert first_source[:40] in flat.replace(" ", "") or first_source[:40] in flat, fmt


def test_visit_plan_starts_at_the_airport_and_names_hosts(catalog):
    brief = build_brief(load_profile(ROOT / "examples" / "fish_farming.json"), catalog, top=3)
    assert len(brief.visits) == 3
    assert {v.candidate_id for v in brief.visits} == {s.candidate_id for s in brief.sites}
    assert all(v.host for v in brief.visits) and all(v.km_from_previous >= 0 for v in brief.visits)


def test_unknown_facts_are_said_to_be_unknown_not_zero(catalog):
    md = to_markdown(build_brief(load_profile(DC), catalog))
    assert "not known (unverified)" in md and not re.search(r"\bnan\b", md, re.IGNORECASE)  # "kunnanhallitus" is Finnish


def test_pitch_cli_writes_the_file_and_refuses_an_unknown_format(tmp_path, capsys):
    out = tmp_path / "brief.pdf"
    assert main(["pitch", str(DC), "--lang", "fi", "--out", str(out)]) == 0
    assert "Sijoitusmuistio" in pdf_text(out.read_bytes())
    assert main(["pitch", str(DC), "--out", str(tmp_path / "brief.docx")]) == 2
    assert "--out" in capsys.readouterr().err


def test_pitch_api_needs_a_key_and_returns_pdf(tmp_path):
    import json

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'p.sqlite'}"))
    with TestClient(app) as c:
        body = {"profile": json.loads(DC.read_text()), "lang": "en", "top": 2}
        assert c.post("/api/v1/pitch", json=body).status_code == 401
        h = {"X-API-Key": create_key(app.state.engine, "coordinator", None)}
        r = c.post("/api/v1/pitch", json=body, params={"format": "pdf"}, headers=h)
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        assert "Investment brief" in pdf_text(r.content)
        muni = {"X-API-Key": create_key(app.state.engine, "municipality", "205")}
        assert c.post("/api/v1/pitch", json=body, headers=muni).status_code == 403


@pytest.mark.parametrize("lang,sep", [("en", "."), ("fi", ",")])
def test_brief_scores_use_the_languages_decimal_mark_in_every_format(catalog, lang, sep):
    brief = build_brief(load_profile(DC), catalog, lang=lang, top=3)
    score = f"{brief.sites[0].score:.3f}".replace(".", sep)
    for fmt in ("md", "html", "pdf"):
        data = render(brief, fmt)
        text = pdf_text(data) if fmt == "pdf" else data.decode()
        assert score in text, (fmt, score)
        if lang == "fi":
            assert f"{brief.sites[0].score:.3f}" not in text, fmt


def test_the_visit_plan_measures_the_first_stop_from_the_airport(tmp_path):
    from matcher.cli import main

    out = tmp_path / "b.md"
    assert main(["pitch", str(ROOT / "examples" / "data_centre.json"), "--lang", "fi", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "1. " in text and "km Kajaanin lentoasemalta; isäntä" in text
    assert text.index("Kajaanin lentoasemalta; isäntä") < text.index("km edellisestä")


def test_a_stop_at_the_same_point_as_the_one_before_is_not_called_zero_km_away():
    from types import SimpleNamespace

    from matcher.brief.brief_render import visit_line
    from matcher.core.messages import t

    b = SimpleNamespace(text=lambda key, **kw: t(key, "fi", **kw))
    stop = SimpleNamespace(name="Renforsin Ranta", municipality="Kajaani", km_from_previous=0.0, host="Kajaani",
                           approximate=False, exact_leg=True)
    assert "samassa paikassa kuin edellinen kohde" in visit_line(b, 2, stop)
    assert "0 km edellisestä" not in visit_line(b, 2, stop)
    # two sites placed at their village's point are not "the same place": the distance is not known
    village = SimpleNamespace(**{**vars(stop), "exact_leg": False})
    assert "lähellä edellistä kohdetta" in visit_line(b, 2, village)
    assert "samassa paikassa" not in visit_line(b, 2, village)
    assert "12 km edellisestä" in visit_line(b, 2, SimpleNamespace(**{**vars(stop), "km_from_previous": 12.0}))


def test_the_finnish_brief_names_the_contact_in_finnish(catalog):
    """The Finnish brief read "Yhteyshenkilö: Kehitysjohtaja (development director), City of Kajaani"
    (walk 11b): a Finnish reader gets the role as the Finnish source titles it; English keeps its own."""
    from matcher import load_profile
    from matcher.brief.pitch import build_brief

    p = load_profile(ROOT / "examples" / "data_centre.json")
    fi = {b.candidate_id: b.contact for b in build_brief(p, catalog, lang="fi").sites}
    en = {b.candidate_id: b.contact for b in build_brief(p, catalog, lang="en").sites}
    assert fi["S01"] == "Kajaanin kaupungin kehitysjohtaja"
    assert en["S01"] == "Kehitysjohtaja (development director), City of Kajaani"
