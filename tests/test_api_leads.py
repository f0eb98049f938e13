"""Leads are confidential: coordinator and sending partner see them; municipalities only when shared."""

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api import Settings, create_app
from api.routes.leads import Code
from api.storage import create_key, lead_log

LEAD = {"code_name": "Project Aurora", "notes": "CEO visits in March",
        "profile": {"name": "Secret Datacenter Oy", "sector": "63.11", "power_mw": 20, "jobs": 30}}


@pytest.fixture()
def app_client(db_url):
    app = create_app(Settings(database_url=db_url))
    with TestClient(app) as c:
        yield app, c


def key(app, role, code=None, label=""):
    return {"X-API-Key": create_key(app.state.engine, role, code, label)}


def test_the_literal_of_municipality_codes_is_the_eight_kainuu_municipalities(catalog):
    kainuu = set(catalog.municipalities.loc[catalog.municipalities["in_kainuu"].astype(bool), "municipality_code"])
    assert set(Code.__args__) == kainuu


def test_leads_need_a_key_and_municipalities_cannot_create_them(app_client):
    app, c = app_client
    assert c.get("/api/v1/leads").status_code == 401
    assert c.post("/api/v1/leads", json=LEAD).status_code == 401
    assert c.post("/api/v1/leads", json=LEAD, headers=key(app, "municipality", "205")).status_code == 403


def test_a_lead_is_seen_by_its_partner_and_the_coordinator_only(app_client):
    app, c = app_client
    iif, other = key(app, "referral_partner", label="Invest in Finland"), key(app, "referral_partner")
    coord, kajaani = key(app, "coordinator"), key(app, "municipality", "205")
    r = c.post("/api/v1/leads", json=LEAD, headers=iif)
    assert r.status_code == 201, r.text
    lead = r.json()
    assert lead["stage"] == "new" and lead["referral_source"] == "Invest in Finland"
    lid = lead["id"]
    assert c.get(f"/api/v1/leads/{lid}", headers=iif).json()["profile"]["name"] == "Secret Datacenter Oy"
    assert c.get(f"/api/v1/leads/{lid}", headers=coord).status_code == 200
    for h in (other, kajaani):
        assert c.get(f"/api/v1/leads/{lid}", headers=h).status_code == 404
        assert c.get("/api/v1/leads", headers=h).json()["items"] == []
    assert c.patch(f"/api/v1/leads/{lid}", json={"notes": "x"}, headers=other).status_code == 404
    assert c.get(f"/api/v1/leads/{lid}", headers=iif).json()["notes"] == LEAD["notes"]


def test_sharing_shows_a_municipality_the_code_name_not_the_investor(app_client):
    app, c = app_client
    coord = key(app, "coordinator")
    lid = c.post("/api/v1/leads", json=LEAD, headers=coord).json()["id"]
    r = c.patch(f"/api/v1/leads/{lid}", json={"shared_with": ["205"]}, headers=coord)
    assert r.status_code == 200, r.text
    seen = c.get(f"/api/v1/leads/{lid}", headers=key(app, "municipality", "205")).json()
    assert seen["profile"]["name"] == "Project Aurora" and seen["notes"] == ""
    assert "Secret" not in json.dumps(seen)
    assert c.get(f"/api/v1/leads/{lid}", headers=key(app, "municipality", "765")).status_code == 404
    assert c.get("/api/v1/leads", headers=key(app, "municipality", "765")).json()["count"] == 0


def test_only_the_coordinator_moves_the_pipeline_and_every_change_is_logged(app_client):
    app, c = app_client
    iif, coord = key(app, "referral_partner"), key(app, "coordinator")
    lid = c.post("/api/v1/leads", json=LEAD, headers=iif).json()["id"]
    r = c.patch(f"/api/v1/leads/{lid}", json={"stage": "pitched"}, headers=iif)
    assert r.status_code == 403 and r.json()["detail"][0]["field"] == "stage"
    assert c.patch(f"/api/v1/leads/{lid}", json={"stage": "visited", "visited": ["S01", "S06"]},
                   headers=coord).status_code == 200
    r = c.patch(f"/api/v1/leads/{lid}", json={"stage": "won"}, headers=coord)
    assert r.status_code == 422 and "chosen_site" in r.json()["error"]
    r = c.patch(f"/api/v1/leads/{lid}", json={"stage": "won", "chosen_site": "NOPE"}, headers=coord)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "chosen_site"
    r = c.patch(f"/api/v1/leads/{lid}", json={"stage": "won", "chosen_site": "S01", "dropped": ["S06"]},
                headers=coord)
    assert r.status_code == 200 and r.json()["stage"] == "won"
    assert [x["id"] for x in c.get("/api/v1/leads", params={"stage": "won"}, headers=coord).json()["items"]] == [lid]
    assert c.get("/api/v1/leads", params={"stage": "new"}, headers=coord).json()["count"] == 0
    with app.state.engine.connect() as conn:
        log = conn.execute(select(lead_log).order_by(lead_log.c.id)).fetchall()
    assert len(log) == 3  # create, visited, won: refused changes leave no trace
    assert json.loads(log[-1].before_json)["stage"] == "visited"
    assert json.loads(log[-1].after_json)["chosen_site"] == "S01"


@pytest.mark.parametrize("body,field", [
    ({**LEAD, "profile": {"name": "x", "sector": "99.99"}}, "body.profile.sector"),
    ({**LEAD, "code_name": ""}, "body.code_name"),
    ({**LEAD, "surprise": 1}, "body.surprise"),
    ({**LEAD, "shared_with": ["091"]}, "body.shared_with.0"),
])
def test_bad_lead_is_422_naming_the_field(app_client, body, field):
    app, c = app_client
    r = c.post("/api/v1/leads", json=body, headers=key(app, "coordinator"))
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == field


def test_partner_cannot_share_and_nulls_are_refused(app_client):
    app, c = app_client
    iif, coord = key(app, "referral_partner"), key(app, "coordinator")
    assert c.post("/api/v1/leads", json={**LEAD, "shared_with": ["205"]}, headers=iif).status_code == 403
    lid = c.post("/api/v1/leads", json=LEAD, headers=coord).json()["id"]
    r = c.patch(f"/api/v1/leads/{lid}", json={"stage": None}, headers=coord)
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "stage"
