import io
import itertools
import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import select

from api import Settings, create_app
from api.storage import audit_log, create_key
from matcher.cli import main

from .conftest import ROOT

KAINUU = {"205": "S01", "765": "S06", "290": "S09", "578": "S08", "105": "S11", "620": "S12"}
ALL8 = ["205", "765", "290", "578", "105", "620", "697", "777"]


@pytest.fixture()
def app_client(db_url):
    app = create_app(Settings(database_url=db_url))
    with TestClient(app) as c:
        yield app, c


def key(app, role, code=None):
    return {"X-API-Key": create_key(app.state.engine, role, code)}


# a point inside Kainuu for every municipality's test plot (the schema refuses points outside)
KAINUU_POINT = {"lat": "64.22", "lon": "27.73"}


def new_site(site_id, code, **extra):
    return {"site_id": site_id, "name": f"Test plot {site_id}", "municipality_code": code, "kind": "plot",
            "availability": "available", "availability_source": "https://example.org/plot", **KAINUU_POINT,
            "location_precision": "village", "location_source": "https://example.org/plot",
            "source_urls": "https://example.org/plot", **extra}


def audit_rows(app):
    with app.state.engine.connect() as conn:
        return conn.execute(select(audit_log)).fetchall()


def test_writes_need_a_key(app_client):
    app, c = app_client
    assert c.post("/api/v1/sites", json=new_site("T1", "205")).status_code == 401
    assert c.post("/api/v1/sites", json=new_site("T1", "205"), headers={"X-API-Key": "km_1_nope"}).status_code == 401
    partner = key(app, "referral_partner")
    assert c.post("/api/v1/sites", json=new_site("T1", "205"), headers=partner).status_code == 403


def test_municipality_key_changes_only_its_own_sites_for_every_pair(app_client):
    app, c = app_client
    keys = {code: key(app, "municipality", code) for code in ALL8}
    for own, other in itertools.permutations(ALL8, 2):
        h = keys[own]
        r = c.post("/api/v1/sites", json=new_site(f"T{own}{other}", other), headers=h)
        assert r.status_code == 403, (own, other)
        if other in KAINUU:
            sid = KAINUU[other]
            assert c.patch(f"/api/v1/sites/{sid}", json={"grid_free_mw": 5,
                           "grid_free_mw_source": "https://example.org"}, headers=h).status_code == 403
            assert c.delete(f"/api/v1/sites/{sid}", headers=h).status_code == 403
    assert audit_rows(app) == []
    # and each may change its own
    for own in ALL8:
        r = c.post("/api/v1/sites", json=new_site(f"OWN{own}", own), headers=keys[own])
        assert r.status_code == 201, r.text
    # moving an own site into another municipality is refused too
    r = c.patch("/api/v1/sites/OWN205", json={"municipality_code": "765"}, headers=keys["205"])
    assert r.status_code == 403


def test_patch_is_validated_audited_and_used_by_the_ranker_without_restart(app_client):
    app, c = app_client
    h = key(app, "municipality", "205")
    prof = json.loads((ROOT / "examples" / "data_centre.json").read_text())
    before = c.post("/api/v1/match", json=prof, params={"top": 13}).json()
    s01 = next(m for m in before["results"] if m["candidate_id"] == "S01")
    r = c.patch("/api/v1/sites/S01", headers=h, json={"grid_free_mw": 80,
                "grid_free_mw_source": "https://example.org/kajaani-grid"})
    assert r.status_code == 200, r.text
    after = c.post("/api/v1/match", json=prof, params={"top": 13}).json()
    s01b = next(m for m in after["results"] if m["candidate_id"] == "S01")
    assert s01b["score"] > s01["score"]
    assert after["data_snapshot"] != before["data_snapshot"]
    [row] = audit_rows(app)
    assert row.action == "update" and row.actor.endswith(":205")
    assert json.loads(row.before_json)["grid_free_mw"] == ""
    assert json.loads(row.after_json)["grid_free_mw"] == "80"


def test_invalid_write_is_422_with_row_field_and_writes_nothing(app_client):
    app, c = app_client
    h = key(app, "coordinator")
    r = c.patch("/api/v1/sites/S01", headers=h, json={"grid_free_mw": -1})
    assert r.status_code == 422
    fields = {d["field"] for d in r.json()["detail"]}
    assert {"grid_free_mw", "grid_free_mw_source"} <= fields
    assert c.get("/api/v1/sites/S01").json()["site"]["grid_free_mw"] is None
    assert audit_rows(app) == []


def test_a_refused_write_says_why_in_the_callers_language_with_finnish_numbers(app_client):
    app, c = app_client
    h = key(app, "coordinator")
    body = {"grid_free_mw": 1e11, "grid_free_mw_source": "https://example.org/grid", "rail_siding": "kyllä",
            "area_ha": 12.5}
    fi = c.patch("/api/v1/sites/S01?lang=fi", headers=h, json=body)
    assert fi.status_code == 422
    reasons = {d["field"]: d["reason"].replace("\xa0", " ") for d in fi.json()["detail"]}
    assert reasons["grid_free_mw"] == "100 000 000 000 MW on yli sallitun enimmäisarvon 5 000"
    assert reasons["rail_siding"] == "pitää olla true tai false, ei 'kyllä'"
    assert reasons["area_ha_source"].startswith("arvolla ei ole lähdettä (täytä area_ha_source")
    first = fi.json()["detail"][0]
    assert fi.json()["error"] == f"{first['field']}: {first['reason']}" and "ei" in first["reason"].split()
    en = c.patch("/api/v1/sites/S01", headers=h, json=body).json()["detail"]
    assert {d["field"]: d["reason"] for d in en}["grid_free_mw"] == "1e+11 MW is above the allowed maximum 5000"
    typed = c.patch("/api/v1/sites/S01", headers={**h, "Accept-Language": "fi"}, json={"district_heat": 1.0})
    assert typed.json()["detail"][0]["reason"] == "pitää olla true tai false, ei luku"
    assert audit_rows(app) == []


def test_import_is_all_or_nothing(app_client):
    app, c = app_client
    h = key(app, "municipality", "765")
    good = new_site("IMP1", "765", area_ha="12", area_ha_source="https://example.org/a")
    bad = new_site("IMP2", "765", area_ha="-4", area_ha_source="https://example.org/a")
    header = list(good)

    def csv_of(rows):
        buf = io.StringIO()
        buf.write(",".join(header) + "\n")
        for r in rows:
            buf.write(",".join(str(r[k]) for k in header) + "\n")
        return buf.getvalue()

    r = c.post("/api/v1/sites/import", headers=h, files={"file": ("s.csv", csv_of([good, bad]), "text/csv")})
    assert r.status_code == 422 and r.json()["written"] == 0
    assert r.json()["detail"][0]["row"] == 3
    assert c.get("/api/v1/sites/IMP1").status_code == 404
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    ws.append([good[k] for k in header])
    data = io.BytesIO()
    wb.save(data)
    r = c.post("/api/v1/sites/import", headers=h, files={"file": ("s.xlsx", data.getvalue(), "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert r.json()["created"] == 1
    assert c.get("/api/v1/sites/IMP1").json()["site"]["area_ha"] == 12


def test_delete_removes_the_site_from_ranking(app_client):
    app, c = app_client
    h = key(app, "municipality", "290")
    assert c.delete("/api/v1/sites/S09", headers=h).status_code == 200
    r = c.post("/api/v1/match", json={"name": "x", "sector": "16.10"}, params={"top": 20}).json()
    assert "S09" not in {m["candidate_id"] for m in r["results"]}


def test_keys_create_prints_a_key_once(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite'}")
    assert main(["keys", "create", "--role", "municipality", "--municipality", "205"]) == 0
    assert capsys.readouterr().out.startswith("km_")
    assert main(["keys", "create", "--role", "municipality"]) == 2


def test_a_site_read_from_the_api_is_a_body_the_api_takes_back(app_client):
    """Flags are true/false in what the API gives (never 1.0), so a GET body round-trips through PATCH."""
    from api.site_store import normalise

    app, c = app_client
    site = c.get("/api/v1/sites/S01").json()["site"]
    assert site["district_heat"] is True and site["waste_heat_offtake"] is True
    r = c.patch("/api/v1/sites/S01", headers=key(app, "coordinator"), json=site)
    assert r.status_code == 200, r.text
    assert r.json()["site"]["district_heat"] == "true"
    for item in c.get("/api/v1/sites").json()["items"]:
        normalise(item)  # every listed site is a body the schema reads (raises RowsRejected otherwise)
    munis = c.get("/api/v1/municipalities?kainuu_only=true").json()["items"]
    assert all(m["in_kainuu"] is True for m in munis)
    assert {m["kainuu"]["rail_station"] for m in munis} <= {True, False, None}
