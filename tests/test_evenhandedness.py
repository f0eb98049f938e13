"""Even-handedness: top-3 counts per municipality and what holds each back, CLI, API, PDF (fi/en)."""

import io
import json

from fastapi.testclient import TestClient
from pypdf import PdfReader

from api import Settings, create_app
from api.storage import create_key
from matcher import rank
from matcher.cli import main
from matcher.core.paths import ARCHETYPES_DIR
from matcher.municipal.completeness import completeness, worth_doing
from matcher.municipal.evenhandedness import evenhandedness
from matcher.municipal.whatif import portfolio


def test_top3_counts_are_the_rankings_own_and_every_municipality_is_listed(catalog):
    ps = portfolio(ARCHETYPES_DIR)
    out = evenhandedness(catalog, ps)
    assert len(out["municipalities"]) == 8
    expected = {}
    for p in ps:
        r = rank(p, catalog, top=3)
        for code in {m.municipality_code for m in r.results}:
            expected[code] = expected.get(code, 0) + 1
    assert {m["municipality_code"]: m["top3"] for m in out["municipalities"] if m["top3"]} == expected
    assert sum(m["top1"] for m in out["municipalities"]) == len(ps)


def test_held_back_by_is_completeness_summed_per_municipality(catalog):
    ps = portfolio(ARCHETYPES_DIR)
    out = evenhandedness(catalog, ps)
    todo = worth_doing(completeness(catalog, ps)["items"])
    for m in out["municipalities"]:
        for b in m["held_back_by"]:
            mine = [x for x in todo if x["municipality_code"] == m["municipality_code"] and x["criterion"] == b["criterion"]]
            assert b["worth_ranks"] == sum(x["worth_ranks"] for x in mine) and b["gaps"] == len(mine)
        worth = [b["worth_ranks"] for b in m["held_back_by"]]
        assert worth == sorted(worth, reverse=True)
        assert all(w > 0 for w in worth), "a gap worth no rank holds nothing back"


def test_cli_json_table_and_pdf_in_finnish(tmp_path, capsys):
    assert main(["evenhandedness", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["municipalities"]) == 8
    assert main(["evenhandedness", "--lang", "fi"]) == 0
    assert "kolmen parhaan joukossa" in capsys.readouterr().out
    f = tmp_path / "eh.pdf"
    assert main(["evenhandedness", "--pdf", str(f), "--lang", "fi"]) == 0
    text = "".join(pg.extract_text() for pg in PdfReader(str(f)).pages)
    assert "Kainuun kuntien tasapuolinen kohtelu" in text and "Hyrynsalmi" in text
    assert main(["evenhandedness", "--pdf", str(tmp_path / "x.txt")]) == 2


def test_api_json_and_pdf_for_coordinator_and_municipality_not_partner(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'k.sqlite'}"))
    with TestClient(app) as c:
        coord = {"X-API-Key": create_key(app.state.engine, "coordinator", None)}
        mun = {"X-API-Key": create_key(app.state.engine, "municipality", "205")}
        partner = {"X-API-Key": create_key(app.state.engine, "referral_partner", None)}
        r = c.get("/api/v1/evenhandedness", headers=coord)
        assert r.status_code == 200 and r.json()["profiles"] == 13
        assert c.get("/api/v1/evenhandedness", headers=mun).status_code == 200
        assert c.get("/api/v1/evenhandedness", headers=partner).status_code == 403
        r = c.get("/api/v1/evenhandedness/pdf?lang=en", headers=coord)
        assert r.headers["content-type"] == "application/pdf"
        text = "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(r.content)).pages)
        assert "Even-handedness across the Kainuu municipalities" in text
        assert c.get("/api/v1/evenhandedness/pdf?lang=sv", headers=coord).status_code == 422
