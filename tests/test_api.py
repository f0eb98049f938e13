import csv
import json
import re

import httpx
import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from tests.server_process import ServerProcess

from .conftest import ROOT


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "t.sqlite"
    with TestClient(create_app(Settings(max_batch=5, max_body_bytes=50_000, database_url=f"sqlite:///{db}"))) as c:
        yield c


def example(name: str) -> dict:
    return json.loads((ROOT / "examples" / f"{name}.json").read_text())


def test_health_reports_snapshot_and_model(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["sites"] == len(client.app.state.catalog.sites)


def test_match_returns_the_same_json_as_the_cli(client, capsys):
    from matcher.cli import main

    r = client.post("/api/v1/match", params={"top": 3}, json=example("data_centre"))
    assert r.status_code == 200
    main(["rank", str(ROOT / "examples" / "data_centre.json"), "--format", "json", "--top", "3"])
    cli = json.loads(capsys.readouterr().out)
    api = r.json()
    assert [m["candidate_id"] for m in api["results"]] == [m["candidate_id"] for m in cli["results"]]
    assert api["results"][0]["score"] == pytest.approx(cli["results"][0]["score"])
    assert api["data_snapshot"] == cli["data_snapshot"]


def test_match_finland_scope(client):
    r = client.post("/api/v1/match", params={"scope": "finland", "top": 2}, json=example("ict_software"))
    assert r.status_code == 200 and len(r.json()["results"]) == 2


@pytest.mark.parametrize(
    "body, params, field",
    [
        ({"name": "x", "sector": "63.11", "power_mw": -1}, {}, "body.power_mw"),
        ({"name": "x", "sector": "99.99"}, {}, "body.sector"),
        ({"name": "x", "sector": "C", "hat": 1}, {}, "body.hat"),
        ({"name": "x", "sector": "C"}, {"top": 0}, "query.top"),
        ({"name": "x", "sector": "C"}, {"scope": "mars"}, "query.scope"),
    ],
)
def test_bad_input_is_422_naming_the_field(client, body, params, field):
    r = client.post("/api/v1/match", params=params, json=body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == field
    assert field in r.json()["error"]


def test_oversized_body_is_refused(client):
    r = client.post("/api/v1/match", content=b'{"name": "' + b"x" * 60_000 + b'"}',
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert "limit" in r.json()["error"]


def test_batch_ranks_each_profile_and_reports_bad_ones(client):
    good, bad = example("mining"), {"name": "bad", "sector": "C", "land_ha": -3}
    r = client.post("/api/v1/match/batch", json={"profiles": [good, bad]})
    assert r.status_code == 200
    out = r.json()
    assert out["count"] == 2 and out["ok"] == 1
    assert out["items"][0]["ranking"]["results"]
    assert out["items"][1]["error"]["field"] == "profiles.1.land_ha"


def test_batch_over_the_limit_is_refused_with_the_bound(client):
    r = client.post("/api/v1/match/batch", json={"profiles": [example("mining")] * 6})
    assert r.status_code == 422
    assert "limit of 5" in r.json()["error"]


def test_batch_csv_upload(client):
    text = ("name,sector,power_mw,jobs,needs_rail,skills,must\n"
            'A,20.13,30,200,true,"{""process_operators"": 150}",power\n'
            "B,63.11,-4,,,,\n")
    r = client.post("/api/v1/match/batch/csv", files={"file": ("refs.csv", text, "text/csv")})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items[0]["ok"] and not items[1]["ok"]
    assert items[1]["error"]["field"] == "profiles.1.power_mw"


def test_catalog_feed_has_sources_and_dates(client):
    sites = client.get("/api/v1/sites").json()
    bundled = len(list(csv.DictReader(open(ROOT / "data" / "sites.csv", encoding="utf-8"))))
    assert sites["count"] == bundled and all(s["source_urls"] and s["last_updated"] for s in sites["items"])
    one = client.get("/api/v1/sites/S04").json()
    assert one["site"]["area_ha"] == 140 and one["site"]["area_ha_source"].startswith("http")
    assert client.get("/api/v1/sites/NOPE").status_code == 404
    munis = client.get("/api/v1/municipalities", params={"kainuu_only": True}).json()
    assert munis["count"] == 8 and all(m["kainuu"] for m in munis["items"])


def test_municipality_embed_is_an_html_fragment(client):
    r = client.get("/api/v1/municipalities/765/embed")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Nivu" in r.text and "<section" in r.text and "sites and offerings" in r.text
    assert "Terrafame" not in r.text  # an operating mine is evidence of a cluster, not an offering
    fi = client.get("/api/v1/municipalities/765/embed", params={"lang": "fi"}).text
    assert 'lang="fi"' in fi and "kohteet sijoittajille" in fi and "lähteet" in fi and "tontti" in fi
    assert re.search(r"päivitetty \d{1,2}\.\d{1,2}\.\d{4}", fi)  # a Finnish date, not ISO
    reserved = client.get("/api/v1/municipalities/205/embed").text  # Otanmäki–Alussuo is reserved
    assert "reserved for another project" in reserved
    assert client.get("/api/v1/municipalities/765/embed", params={"lang": "sv"}).status_code == 422
    assert client.get("/api/v1/municipalities/5/embed").status_code == 422


def test_real_uvicorn_process_serves_match(tmp_path):
    with ServerProcess(f"sqlite:///{tmp_path / 'serve.sqlite'}") as server:
        assert httpx.get(f"{server.url}/api/v1/health", timeout=5).status_code == 200
        m = httpx.post(f"{server.url}/api/v1/match", json=example("tourism_resort"), timeout=10)
        assert m.status_code == 200 and m.json()["results"]
        assert httpx.get(f"{server.url}/docs", timeout=5).status_code == 200


def test_errors_come_in_finnish_with_lang_fi_or_accept_language_and_name_the_same_field(client):
    bad = {"name": "x", "sector": "63.11", "power_mw": -5, "colour": "red"}
    en = client.post("/api/v1/match", json=bad)
    fi = client.post("/api/v1/match", params={"lang": "fi"}, json=bad)
    fi2 = client.post("/api/v1/match", json=bad, headers={"Accept-Language": "fi-FI,fi;q=0.9"})
    assert en.status_code == fi.status_code == fi2.status_code == 422
    assert [d["field"] for d in fi.json()["detail"]] == [d["field"] for d in en.json()["detail"]]
    assert fi.json() == fi2.json()
    reasons = " ".join(d["reason"] for d in fi.json()["detail"])
    assert "tuntematon kenttä" in reasons or "vähintään 0" in reasons
    assert "Field required" not in reasons and "unknown field" not in reasons
    missing = client.post("/api/v1/match", params={"lang": "fi"}, json={"sector": "63.11"}).json()
    assert missing["detail"][0]["reason"] == "pakollinen kenttä puuttuu"
    assert client.get("/api/v1/nope", params={"lang": "fi"}).json()["detail"][0]["reason"] == \
        "tällaista rajapintaa ei ole"


def test_a_finnish_refusal_of_a_choice_joins_the_choices_with_tai_not_or(client):
    r = client.post("/api/v1/match", params={"lang": "fi"}, json={"name": "x", "sector": "63.11", "investor_type": "x"})
    assert r.json()["detail"][0]["reason"] == "pitää olla jokin näistä: 'strategic' tai 'financial'"
    r = client.post("/api/v1/match", json={"name": "x", "sector": "63.11", "investor_type": "x"})
    assert "'strategic' or 'financial'" in r.json()["detail"][0]["reason"]


def test_every_profile_field_has_a_description_and_an_example_in_the_openapi_document(client):
    spec = client.get("/openapi.json").json()
    props = spec["components"]["schemas"]["InvestorProfile"]["properties"]
    from matcher.core.profile import InvestorProfile

    assert set(props) == set(InvestorProfile.model_fields)
    for name, prop in props.items():
        assert prop.get("description"), name
        assert prop.get("examples"), name
        InvestorProfile.model_validate({"name": "x", "sector": "20.13", name: prop["examples"][0]})
    match = spec["paths"]["/api/v1/match"]["post"]
    assert "orjson" not in match["description"] and "meets" in match["description"]


def test_the_municipal_tools_answer_with_typed_documented_results(client):
    spec = client.get("/openapi.json").json()
    for path, method, model in (("/api/v1/whatif", "post", "WhatIfOut"), ("/api/v1/advise", "post", "AdviceOut"),
                                ("/api/v1/sensitivity", "post", "SensitivityOut"),
                                ("/api/v1/completeness", "get", "CompletenessOut")):
        ref = spec["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/" + model), path
        assert spec["components"]["schemas"][model]["required"]
    todo = client.get("/api/v1/completeness", params={"municipality": "765"}).json()
    assert todo["items"] and {"worth_ranks", "en", "fi"} <= set(todo["items"][0])


def test_a_routes_own_refusals_come_in_finnish_too_with_the_same_field(client):
    """Route refusals (no such site, no key, wrong role) are said from the catalogue in the
    caller's language; the English words stay as they were."""
    from api.storage import create_key

    en = client.get("/api/v1/sites/NOPE")
    fi = client.get("/api/v1/sites/NOPE", params={"lang": "fi"})
    assert en.status_code == fi.status_code == 404
    assert en.json()["detail"] == [{"field": "site_id", "reason": "no site 'NOPE'"}]
    assert fi.json()["detail"] == [{"field": "site_id", "reason": "kohdetta 'NOPE' ei ole"}]
    assert fi.json()["error"] == "site_id: kohdetta 'NOPE' ei ole"
    nokey = client.get("/api/v1/leads", headers={"Accept-Language": "fi"})
    assert nokey.status_code == 401 and nokey.json()["detail"][0] == {"field": "X-API-Key",
                                                                      "reason": "tämä osoite vaatii avaimen"}
    key = create_key(client.app.state.engine, "municipality", "205", "Kajaani")
    alloc = client.post("/api/v1/allocation", params={"lang": "fi"}, headers={"X-API-Key": key}, json={})
    assert alloc.status_code == 403
    assert alloc.json()["detail"][0] == {"field": "role", "reason": "roolilla municipality ei ole tähän oikeutta "
                                                                     "(sallitut roolit: coordinator)"}


def test_every_service_reason_has_both_languages_and_the_same_placeholders():
    from api.messages import API

    from .test_messages import placeholders

    for key, texts in API.items():
        assert texts["en"].strip() and texts["fi"].strip(), key
        assert placeholders(texts["en"]) == placeholders(texts["fi"]), key
