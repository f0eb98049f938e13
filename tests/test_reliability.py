"""Regression tests for issue 11: each named after the bug it pins."""

from __future__ import annotations

import json
import re

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


@pytest.mark.parametrize("bad", ["km_18446744073709551616_x", "km_2147483648_x", "km_+1_x", "km_0001_x",
                                 "km_ 1_x", "km_-1_x", "km_1_", "km_1", "km__x", "KM_1_x", "km_1_x\u00e9",
                                 "km_\u0661_x", "km_1_" + "a" * 201])
def test_malformed_keys_are_401_not_500_and_never_parse_as_another_id(client, bad):
    from api.storage import parse_key_id

    assert parse_key_id(bad) is None
    r = client.get("/api/v1/leads", headers={"X-API-Key": bad.encode()})
    assert r.status_code == 401 and r.json()["detail"][0]["field"] == "X-API-Key"


@pytest.fixture()
def app_client(db_url):
    app = create_app(Settings(database_url=db_url))
    with TestClient(app) as c:
        c.app_ = app
        yield c


def new_site(site_id, code="205", **extra):
    return {"site_id": site_id, "name": f"Test plot {site_id}", "municipality_code": code, "kind": "plot",
            "availability": "available", "availability_source": "https://example.org/plot",
            "lat": 64.22, "lon": 27.73, "location_precision": "area", "location_source": "https://example.org/map",
            "source_urls": "https://example.org/plot", **extra}


def field_of(r) -> str:
    return r.json()["detail"][0]["field"]


@pytest.mark.parametrize("sid", ["x" * 41, "S\x0001", "a/b", "../../etc", "..", " S1", "S1 ", "Ä1", "-S1", ""])
def test_bad_site_ids_are_422_on_every_database_and_store_nothing(app_client, sid):
    h = coordinator(app_client)
    before = app_client.get("/api/v1/sites").json()["count"]
    r = app_client.post("/api/v1/sites", json=new_site(sid), headers=h)
    assert r.status_code == 422 and field_of(r) == "site_id", r.text
    assert app_client.get("/api/v1/sites").json()["count"] == before


@pytest.mark.parametrize("field", ["notes", "referral_source", "code_name"])
def test_nul_bytes_in_lead_text_are_422_not_a_postgresql_500(app_client, field):
    body = {"code_name": "Falcon", "profile": {"name": "x", "sector": "63.11"}, field: "a\x00b"}
    r = app_client.post("/api/v1/leads", json=body, headers=coordinator(app_client))
    assert r.status_code == 422 and field_of(r) == f"body.{field}", r.text
    r = app_client.post("/api/v1/leads", json={"code_name": "Falcon", "profile": {"name": "a\x00", "sector": "63.11"}},
                        headers=coordinator(app_client))
    assert r.status_code == 422 and field_of(r) == "body.profile.name", r.text


def test_get_site_with_a_nul_suffix_is_not_the_site(client):
    assert client.get("/api/v1/sites/S01%00").status_code == 422
    assert client.get("/api/v1/sites/S01").status_code == 200


@pytest.mark.parametrize("column, value", [
    ("name", {"a": 1}), ("name", ["x"]), ("name", 5), ("lat", "\u0666\u0665"), ("lat", "6_5"),
    ("area_ha", "1_000"), ("area_ha", True), ("area_ha", "nan"), ("area_ha", "inf"), ("area_ha", " 1e999"),
    ("plot_count", 2.5), ("plot_count", "3.5"), ("district_heat", 1), ("district_heat", "yes"),
    ("last_updated", "2026-13-45"), ("last_updated", "2026-02-30"), ("last_updated", "\u0662026-01-01"),
    ("kind", 5), ("status", "a\x00b"), ("municipality_code", 205)])
def test_site_upkeep_refuses_values_the_schema_cannot_hold(app_client, column, value):
    h = coordinator(app_client)
    extra = {column: value}
    if column in ("area_ha", "plot_count", "district_heat"):
        extra[f"{column}_source"] = "https://example.org/x"
    r = app_client.post("/api/v1/sites", json=new_site("T9", **extra), headers=h)
    assert r.status_code == 422 and column in {d["field"] for d in r.json()["detail"]}, r.text
    assert r.json()["written"] == 0
    assert app_client.get("/api/v1/sites/T9").status_code == 404


def test_site_upkeep_takes_plain_numbers_and_number_text(app_client):
    h = coordinator(app_client)
    r = app_client.post("/api/v1/sites", json=new_site("T8", area_ha="12.5", area_ha_source="https://example.org/a",
                                                       plot_count=3, plot_count_source="https://example.org/a"),
                        headers=h)
    assert r.status_code == 201, r.text
    site = app_client.get("/api/v1/sites/T8").json()["site"]
    assert site["area_ha"] == 12.5 and site["plot_count"] == 3


@pytest.mark.parametrize("changes, field", [
    ({"sites": {"S01": {"grid_free_mw": "abc"}}}, "sites.S01.grid_free_mw"),
    ({"sites": {"S01": {"district_heat": "maybe"}}}, "sites.S01.district_heat"),
    ({"sites": {"S01": {"kind": 5}}}, "sites.S01.kind"),
    ({"sites": {"S01": {"grid_free_mw": -50}}}, "sites.S01.grid_free_mw"),
    ({"sites": {"S01": {"grid_free_mw": 1e308}}}, "sites.S01.grid_free_mw"),
    ({"sites": {"S01": {"grid_free_mw": {"set": 1e308}}}}, "sites.S01.grid_free_mw"),
    ({"sites": {"S01": {"green_power_share": 7}}}, "sites.S01.green_power_share"),
    ({"sites": {"S01": {"zoning_status": "bogus"}}}, "sites.S01.zoning_status"),
    ({"sites": {"S01": {"district_heat": 1}}}, "sites.S01.district_heat"),
    ({"sites": {"S01": {"area_ha": True}}}, "sites.S01.area_ha"),
    ({"municipalities": {"205": {"max_grid_kv": -1}}}, "municipalities.205.max_grid_kv"),
    ({"municipalities": {"205": {"sector_emphasis": "ZZ"}}}, "municipalities.205.sector_emphasis"),
    ({"new_sites": [{"site_id": "N1", "name": "n", "municipality_code": "205", "kind": "plot", "area_ha": -5}]},
     "new_sites.0.area_ha"),
])
def test_whatif_values_are_checked_by_the_schema(client, changes, field):
    h = coordinator(client)
    r = client.post("/api/v1/whatif", json={"scenario": {"name": "x", **changes}}, headers=h)
    assert r.status_code == 422 and field_of(r) == field, r.text


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity"])
def test_whatif_nan_and_infinity_are_refused(client, raw):
    body = '{"scenario": {"name": "x", "sites": {"S01": {"grid_free_mw": %s}}}}' % raw
    r = client.post("/api/v1/whatif", content=body, headers={**coordinator(client), "Content-Type": "application/json"})
    assert r.status_code == 422 and field_of(r) == "sites.S01.grid_free_mw", r.text


def test_whatif_cli_error_names_the_field(tmp_path, capsys):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"name": "x", "sites": {"S01": {"grid_free_mw": "lots"}}}))
    assert main(["whatif", "--scenario", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "sites.S01.grid_free_mw" in err and "\n" not in err


@pytest.mark.parametrize("body, field", [
    ({"jobs": True}, "jobs"), ({"jobs": "3"}, "jobs"), ({"needs_rail": 1}, "needs_rail"),
    ({"power_mw": "10"}, "power_mw"), ({"power_mw": True}, "power_mw"), ({"skills": {"ict": True}}, "skills.ict")])
def test_profile_numbers_and_flags_are_strict(client, body, field):
    r = client.post("/api/v1/match", json={"name": "x", "sector": "63.11", **body})
    assert r.status_code == 422 and field_of(r) == f"body.{field}", r.text


@pytest.mark.parametrize("raw", ["NaN", "Infinity"])
def test_nan_power_is_refused_as_not_finite_not_as_above_5000(client, raw):
    r = client.post("/api/v1/match", content='{"name": "x", "sector": "63.11", "power_mw": %s}' % raw,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and "finite" in r.json()["error"] and "5000" not in r.json()["error"]


@pytest.mark.parametrize("value", [0, 1, "true", None])
def test_include_leads_takes_only_true_or_false(client, value):
    r = client.post("/api/v1/whatif", json={"scenario": {"name": "x"}, "include_leads": value},
                    headers=coordinator(client))
    assert r.status_code == 422 and field_of(r) == "body.include_leads", r.text


def test_embed_says_nothing_like_nan_for_a_site_without_status(client):
    h = coordinator(client)
    r = client.post("/api/v1/sites", json=new_site("NOSTATUS", "205"), headers=h)
    assert r.status_code == 201, r.text
    page = client.get("/api/v1/municipalities/205/embed").text
    assert "NOSTATUS" in page or "Test plot NOSTATUS" in page
    assert not re.search(r"\bnan\b", page, re.IGNORECASE)  # the word, not "financing" or "Kajaani"


def one_line_exit_2(capsys, argv, *words):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    for w in words:
        assert w in err, err
    return err


@pytest.fixture()
def deep_json(tmp_path):
    p = tmp_path / "deep.json"
    p.write_text("[" * 100_000 + "]" * 100_000)
    return p


def test_cli_folder_or_deeply_nested_profile_is_one_line_exit_2(tmp_path, deep_json, capsys):
    for cmd in (["rank"], ["sensitivity"], ["pitch", "--out", str(tmp_path / "b.md")]):
        one_line_exit_2(capsys, [cmd[0], str(tmp_path), *cmd[1:]], "folder")
        one_line_exit_2(capsys, [cmd[0], str(deep_json), *cmd[1:]], "nested")
    one_line_exit_2(capsys, ["whatif", "--scenario", str(deep_json)], "nested")


def test_cli_data_pointing_to_a_missing_folder_is_one_line_exit_2(tmp_path, capsys):
    one_line_exit_2(capsys, ["--data", str(tmp_path / "nope"), "sites"], "--data")


@pytest.mark.parametrize("code", ["abc", "999", "Kajaani", "091"])
def test_cli_completeness_refuses_a_municipality_that_is_not_kainuu(capsys, code, client):
    one_line_exit_2(capsys, ["completeness", "--municipality", code], "--municipality")
    r = client.get("/api/v1/completeness", params={"municipality": code})
    assert r.status_code == 422 and field_of(r).endswith("municipality")


def test_cli_advise_target_rank_error_names_target_rank_not_top(capsys):
    err = one_line_exit_2(capsys, ["advise", "S01", str(ROOT / "examples" / "data_centre.json"), "--target-rank", "0"],
                          "--target-rank")
    assert "--top" not in err


def test_cli_explain_of_an_infrastructure_site_says_why_it_is_not_ranked(capsys):
    one_line_exit_2(capsys, ["explain", str(ROOT / "examples" / "data_centre.json"), "S13"], "infrastructure")


def test_cli_keys_create_refuses_unknown_municipality_long_label_and_names_referral_partner(capsys, tmp_path,
                                                                                             monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite'}")
    one_line_exit_2(capsys, ["keys", "create", "--role", "municipality", "--municipality", "999"], "--municipality")
    one_line_exit_2(capsys, ["keys", "create", "--role", "referral"], "referral_partner")
    one_line_exit_2(capsys, ["keys", "create", "--role", "coordinator", "--label", "x" * 201], "label")


def batch_csv(client, text, **params):
    data = text.encode() if isinstance(text, str) else text
    return client.post("/api/v1/match/batch/csv", params=params, files={"file": ("refs.csv", data, "text/csv")})


def test_batch_csv_bare_cr_line_endings_are_read(client):
    r = batch_csv(client, "name,sector,power_mw\rA,63.11,10\rB,20.13,5\r")
    assert r.status_code == 200 and r.json()["ok"] == 2, r.text


def test_batch_csv_huge_field_is_422_naming_the_line(client):
    r = batch_csv(client, "name,sector\n" + "A" * 140_000 + ",63.11\n")
    assert r.status_code in (413, 422) and field_of(r).startswith("file"), r.text


def test_batch_csv_semicolon_file_as_finnish_excel_saves_it(client):
    text = "\ufeffname;sector;power_mw;land_ha;must\r\nA;63.11;10,5;2;power,land\r\nB;20.13;5;;\r\n"
    r = batch_csv(client, text.encode("utf-8"))
    assert r.status_code == 200 and r.json()["ok"] == 2, r.text


def test_batch_csv_skills_and_weights_as_columns(client):
    r = batch_csv(client, "name,sector,skills.process_operators,skills.ict,weights.power\nA,20.13,150,20,3\n")
    assert r.status_code == 200 and r.json()["ok"] == 1, r.text
    r = batch_csv(client, "name,sector,skills.wizards\nA,20.13,150\n")
    assert r.json()["items"][0]["error"]["field"].startswith("profiles.0.skills")


def test_batch_csv_row_with_more_cells_than_the_header_is_refused_by_line(client):
    r = batch_csv(client, "name,sector\nA,63.11,extra\n")
    assert r.status_code == 422 and field_of(r) == "file.line2", r.text


def test_batch_csv_not_utf8_is_422_naming_the_file(client):
    r = batch_csv(client, "name,sector\n\xe4,63.11\n".encode("latin-1"))
    assert r.status_code == 422 and field_of(r) == "file"


def test_batch_work_is_bounded_by_profiles_times_top(client):
    body = {"profiles": [{"name": f"p{i}", "sector": "63.11"} for i in range(5)]}
    r = client.post("/api/v1/match/batch", params={"top": 500, "scope": "finland"}, json=body)
    assert r.status_code == 422 and field_of(r) == "top", r.text
    text = "name,sector\n" + "".join(f"p{i},63.11\n" for i in range(5))
    r = batch_csv(client, text, top=500, scope="finland")
    assert r.status_code == 422 and field_of(r) == "top", r.text


def test_heavy_batch_csv_runs_off_the_event_loop(tmp_path):
    """/health answers while the largest allowed CSV batch is ranked (it ran on the loop)."""
    import threading
    import time

    import httpx

    from tests.server_process import ServerProcess

    text = "name,sector,power_mw,jobs\n" + "".join(f"p{i},63.11,{i % 50 + 1},{i + 10}\n" for i in range(100))
    with ServerProcess(f"sqlite:///{tmp_path / 'h.sqlite'}") as server:
        done = threading.Event()
        took = []

        def heavy():
            t0 = time.perf_counter()
            httpx.post(f"{server.url}/api/v1/match/batch/csv", params={"top": 20, "scope": "finland"},
                       files={"file": ("r.csv", text, "text/csv")}, timeout=120)
            took.append(time.perf_counter() - t0)
            done.set()

        t = threading.Thread(target=heavy)
        t.start()
        worst = 0.0
        while not done.is_set():
            t0 = time.perf_counter()
            assert httpx.get(f"{server.url}/api/v1/health", timeout=30).status_code == 200
            worst = max(worst, time.perf_counter() - t0)
        t.join()
    # on the event loop, one /health waited for the whole batch; off it, for a share of the GIL
    assert worst < 0.5 * took[0], (worst, took)


JSON = {"Content-Type": "application/json"}


@pytest.mark.parametrize("body", [b'{"name":', b"\xff\xfe{\"a\"", b"[" * 100_000 + b"]" * 100_000,
                                  b'{"name": "\xe4", "sector": "63.11"}', b"", b"nul\x00"])
def test_unreadable_json_body_is_400_naming_the_body(client, body):
    r = client.post("/api/v1/match", content=body, headers=JSON)
    assert r.status_code in (400, 422) and field_of(r).startswith("body"), r.text
    if body != b"":
        assert r.status_code == 400


def test_chunked_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(100):
            yield b"x" * 100_000

    r = client.post("/api/v1/match", content=chunks(), headers=JSON)
    assert r.status_code == 413 and field_of(r) == "body"


def test_broken_multipart_is_a_4xx_naming_the_body_or_file(client):
    r = client.post("/api/v1/match/batch/csv", content=b"--xx\r\nbroken",
                    headers={"Content-Type": "multipart/form-data; boundary=xx"})
    assert 400 <= r.status_code < 500 and field_of(r).split(".")[0] in ("body", "file"), r.text


@pytest.mark.parametrize("path, methods", [("/api/v1/match", {"POST"}), ("/api/v1/sites", {"GET", "POST"}),
                                           ("/api/v1/sites/S01", {"GET", "PATCH", "DELETE"})])
def test_options_lists_the_methods_of_the_path(client, path, methods):
    r = client.options(path)
    assert r.status_code == 204 and set(r.headers["allow"].split(", ")) == methods | {"OPTIONS"}


def test_options_of_an_unknown_path_is_404(client):
    assert client.options("/api/v1/nope").status_code == 404


def test_security_headers_on_every_answer_and_no_store_on_leads(client):
    for r in (client.get("/api/v1/sites"), client.post("/api/v1/match", json={}), client.get("/api/v1/leads")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert r.headers["referrer-policy"] == "no-referrer"
    r = client.get("/api/v1/leads", headers=coordinator(client))
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"


def test_cors_opens_the_public_feed_and_embed_and_nothing_else(client):
    origin = {"Origin": "https://www.kajaani.fi"}
    for path in ("/api/v1/sites", "/api/v1/sites/S01", "/api/v1/municipalities", "/api/v1/municipalities/205/embed"):
        r = client.get(path, headers=origin)
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*", path
        pre = client.options(path, headers={**origin, "Access-Control-Request-Method": "GET"})
        assert pre.headers["access-control-allow-origin"] == "*" and "POST" not in pre.headers[
            "access-control-allow-methods"]
    assert "frame-ancestors 'none'" not in client.get("/api/v1/municipalities/205/embed").headers[
        "content-security-policy"]
    for method, path in (("POST", "/api/v1/match"), ("GET", "/api/v1/leads"), ("POST", "/api/v1/sites"),
                         ("POST", "/api/v1/whatif")):
        r = client.request(method, path, headers=origin, json={})
        assert "access-control-allow-origin" not in r.headers, path
        pre = client.options(path, headers={**origin, "Access-Control-Request-Method": method,
                                            "Access-Control-Request-Headers": "x-api-key"})
        assert "access-control-allow-origin" not in pre.headers, path


@pytest.fixture()
def limited(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'l.sqlite'}", rate_limit_anonymous="5/minute",
                              rate_limit_key="8/minute", rate_limit_auth_failures="3/minute"))
    with TestClient(app) as c:
        c.app_ = app
        yield c


def test_rate_limit_per_anonymous_client_is_429_with_retry_after(limited):
    codes = [limited.post("/api/v1/match", json={"name": "x", "sector": "63.11"}).status_code for _ in range(7)]
    assert codes == [200] * 5 + [429] * 2
    r = limited.get("/api/v1/sites")
    assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1 and field_of(r) == "rate"
    assert limited.get("/api/v1/health").status_code == 200  # monitors are not limited


def test_rate_limit_per_key_is_its_own_budget(limited):
    h = coordinator(limited)
    codes = [limited.get("/api/v1/leads", headers=h).status_code for _ in range(10)]
    assert codes == [200] * 8 + [429] * 2
    assert limited.get("/api/v1/sites").status_code == 200  # the anonymous budget is untouched


def test_wrong_keys_are_limited_per_client(limited):
    codes = [limited.get("/api/v1/leads", headers={"X-API-Key": f"km_{i + 1}_guess"}).status_code
             for i in range(6)]
    assert codes == [401] * 3 + [429] * 3


UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/none"


def test_serve_with_an_unreachable_database_exits_3_with_one_line():
    import subprocess
    import sys

    p = subprocess.run([sys.executable, "-m", "matcher.cli", "--database", UNREACHABLE, "serve", "--port", "1"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 3 and p.stderr.count("\n") == 1 and "database" in p.stderr, p.stderr


def test_cli_with_an_unreachable_database_exits_3_with_one_line(capsys):
    assert main(["--database", UNREACHABLE, "rank", str(ROOT / "examples" / "data_centre.json")]) == 3
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith("error: database:")


def test_health_reports_the_database_and_503_when_it_is_unreachable(tmp_path):
    from api.storage import make_engine

    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'h.sqlite'}"))
    with TestClient(app) as c:
        h = {"X-API-Key": create_key(app.state.engine, "coordinator", None)}
        r = c.get("/api/v1/health")
        assert r.status_code == 200 and r.json()["database"] == "ok"
        good, app.state.engine = app.state.engine, make_engine(UNREACHABLE)
        try:
            r = c.get("/api/v1/health")
            assert r.status_code == 503 and r.json()["database"] == "unreachable" and r.json()["status"] == "degraded"
            r = c.get("/api/v1/leads", headers=h)
            assert r.status_code == 503 and field_of(r) == "database" and "Retry-After" in r.headers
            assert c.post("/api/v1/match", json={"name": "x", "sector": "63.11"}).status_code == 200
        finally:
            app.state.engine.dispose()
            app.state.engine = good
        assert c.get("/api/v1/health").status_code == 200


def test_duplicate_site_create_is_409_not_500(app_client):
    h = coordinator(app_client)
    assert app_client.post("/api/v1/sites", json=new_site("DUP1"), headers=h).status_code == 201
    r = app_client.post("/api/v1/sites", json=new_site("DUP1"), headers=h)
    assert r.status_code == 409 and field_of(r) == "site_id"


def test_racing_creates_of_one_site_id_are_409_not_500(app_client):
    """The check and the insert race between workers: the database's key decides, and the
    loser gets a 409 (simulated: the catalog this worker holds does not know the site yet)."""
    from api.site_store import SiteExists, write_many

    h = coordinator(app_client)
    assert app_client.post("/api/v1/sites", json=new_site("RACE1"), headers=h).status_code == 201
    from api.site_store import normalise

    with pytest.raises(SiteExists):
        write_many(app_client.app_.state.engine, "test", [("create", None, normalise(new_site("RACE1")))])


@pytest.mark.parametrize("workers", [2])
def test_every_worker_serves_a_write_at_once_read_after_write(db_url, tmp_path, workers, capsys):
    """PATCH then GET on fresh connections (either worker): never the old value; a new site
    is found and ranked at once; the CLI given the database reports the server's data id."""
    import os

    import httpx

    from tests.server_process import ServerProcess

    tries = int(os.environ.get("KAINUU_RAW_TRIES", "20"))  # 60 reads after writes per run; raise it to hunt
    with ServerProcess(db_url, workers=workers) as server:
        base = f"{server.url}/api/v1"
        from api.storage import make_engine

        engine = make_engine(db_url)
        h = {"X-API-Key": create_key(engine, "coordinator", None)}
        engine.dispose()
        stale = 0
        for i in range(tries):
            sid = f"RAW{i}"
            with httpx.Client() as c:
                assert c.post(f"{base}/sites", json=new_site(sid), headers=h).status_code == 201
            with httpx.Client() as c:
                stale += c.get(f"{base}/sites/{sid}").status_code != 200
            with httpx.Client() as c:
                r = c.patch(f"{base}/sites/{sid}", json={"area_ha": i + 1, "area_ha_source": "https://example.org/a"},
                            headers=h)
                assert r.status_code == 200, r.text
                snapshot = r.json()["data_snapshot"]
            for _ in range(2):
                with httpx.Client() as c:
                    got = c.get(f"{base}/sites/{sid}").json()
                    stale += got["site"]["area_ha"] != i + 1 or got["data_snapshot"] != snapshot
        assert stale == 0, f"{stale} stale reads in {tries * 3}"
        with httpx.Client() as c:
            health = c.get(f"{base}/health").json()
    assert main(["--database", db_url, "sites", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["data_snapshot"] == health["data_snapshot"]


def test_keys_list_revoke_and_rotate(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'k.sqlite'}"
    assert main(["--database", db, "keys", "create", "--role", "municipality", "--municipality", "205",
                 "--label", "Kajaani"]) == 0
    first = capsys.readouterr().out.strip()
    assert main(["--database", db, "keys", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["label"] == "Kajaani" and listed[0]["revoked_at"] is None
    assert "key_hash" not in listed[0] and first.split("_", 2)[2] not in json.dumps(listed)
    assert main(["--database", db, "keys", "rotate", "1"]) == 0
    second = capsys.readouterr().out.strip()
    assert second.startswith("km_2_")
    app = create_app(Settings(database_url=db))
    with TestClient(app) as c:
        assert c.get("/api/v1/leads", headers={"X-API-Key": first}).status_code == 401
        assert c.get("/api/v1/leads", headers={"X-API-Key": second}).status_code == 200
        assert main(["--database", db, "keys", "revoke", "2"]) == 0
        assert c.get("/api/v1/leads", headers={"X-API-Key": second}).status_code == 401
    capsys.readouterr()
    one_line_exit_2(capsys, ["--database", db, "keys", "revoke", "2"], "no active key 2")
    one_line_exit_2(capsys, ["--database", db, "keys", "rotate", "99"], "no active key 99")
    one_line_exit_2(capsys, ["--database", db, "keys", "revoke", "abc"], "key id")
    assert main(["--database", db, "keys", "list"]) == 0
    table = capsys.readouterr().out
    assert "Kajaani" in table and table.count("\n") == 3


def audit_events(caplog) -> list[dict]:
    return [r.event for r in caplog.records if r.name == "kainuu.audit"]


@pytest.fixture()
def audit_caplog(caplog):
    import logging

    logger = logging.getLogger("kainuu.audit")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="kainuu.audit")
    yield caplog
    logger.removeHandler(caplog.handler)


def test_auth_failures_are_logged_as_json_with_key_id_and_reason_never_the_secret(client, audit_caplog):
    from api.audit import JsonFormatter

    client.get("/api/v1/leads", headers={"X-API-Key": "km_7_s3cretvalue"})
    client.get("/api/v1/leads", headers={"X-API-Key": "garbage-s3cret"})
    client.get("/api/v1/leads")
    client.get("/api/v1/leads", params={"api_key": "km_7_s3cretvalue"})
    events = audit_events(audit_caplog)[-4:]
    assert [(e["event"], e["reason"], e["key_id"]) for e in events] == [
        ("auth_failure", "unknown_or_revoked", 7), ("auth_failure", "malformed", None), ("auth_failure", "missing", None),
        ("auth_failure", "key_in_query_string", None)]
    lines = [JsonFormatter().format(r) for r in audit_caplog.records if r.name == "kainuu.audit"]
    assert all(json.loads(line)["event"] for line in lines)
    assert not any("s3cret" in line for line in lines)


def test_confidential_lead_reads_are_logged_with_the_key_id(client, audit_caplog):
    h = coordinator(client)
    made = client.post("/api/v1/leads", json={"code_name": "Owl", "profile": {"name": "x", "sector": "63.11"}}, headers=h)
    lead_id = made.json()["id"]
    client.get(f"/api/v1/leads/{lead_id}", headers=h)
    client.get("/api/v1/leads", headers=h)
    reads = [e for e in audit_events(audit_caplog) if e["event"] == "lead_read"]
    key_id = int(h["X-API-Key"].split("_")[1])
    assert reads[-2]["lead_ids"] == [lead_id] and reads[-2]["key_id"] == key_id and reads[-2]["role"] == "coordinator"
    assert lead_id in reads[-1]["lead_ids"]
    assert not any(h["X-API-Key"] in json.dumps(e) for e in reads)


def test_a_key_in_the_query_string_is_not_written_to_the_access_log():
    import logging

    from api.audit import RedactQueryKeys

    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/api/v1/leads?api_key=km_1_s3cret&stage=new", "1.1", 401), None)
    RedactQueryKeys().filter(record)
    line = record.getMessage()
    assert "s3cret" not in line and "stage=new" in line and "api_key=%2A%2A%2A" in line
