"""Regression tests for issue 11: each named after the bug it pins."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from api.storage import create_key
from matcher import Catalog, parse_profile, rank
from matcher.cli import main

from .conftest import ROOT

GREEN_MUST = [{"name": "x", "sector": "63.11", "power_mw": 10, "must": ["green_power"]},
              {"name": "x", "sector": "63.11", "energy_gwh_per_year": 50, "must": ["green_power"]}]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "t.sqlite"
    app = create_app(Settings(database_url=f"sqlite:///{db}"))
    with TestClient(app) as c:
        c.app_ = app
        yield c


def coordinator(client) -> dict[str, str]:
    return {"X-API-Key": create_key(client.app_.state.engine, "coordinator", None)}


@pytest.mark.parametrize("body", GREEN_MUST)
def test_must_green_power_without_share_does_not_crash_match_pitch_batch_or_cli(client, body, tmp_path, capsys):
    r = rank(parse_profile(body), Catalog.load(ROOT / "data"), top=20)
    assert r.results
    assert client.post("/api/v1/match", json=body).status_code == 200
    batch = client.post("/api/v1/match/batch", json={"profiles": [body, body]})
    assert batch.status_code == 200 and batch.json()["ok"] == 2
    assert client.post("/api/v1/pitch", json={"profile": body}, headers=coordinator(client)).status_code == 200
    path = tmp_path / "p.json"
    path.write_text(json.dumps(body))
    assert main(["rank", str(path), "--top", "3"]) == 0
    capsys.readouterr()
