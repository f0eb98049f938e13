"""A standing corpus of bad input (issue 11): every endpoint and the CLI, each case a clean
4xx in the one error shape naming the field, or one line on stderr and exit 2 naming it."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from api.storage import create_key
from matcher.cli import main

from .conftest import ROOT

GOOD = {"name": "Corpus investor", "sector": "63.11", "power_mw": 5}

# (field of the profile the error must name, the profile with that one thing wrong)
PROFILE_MUTATIONS: list[tuple[str, dict]] = [
    ("name", {**GOOD, "name": ""}), ("name", {k: v for k, v in GOOD.items() if k != "name"}),
    ("name", {**GOOD, "name": 5}), ("name", {**GOOD, "name": "a" * 201}), ("name", {**GOOD, "name": "a\x00b"}),
    ("sector", {**GOOD, "sector": "99.99"}), ("sector", {**GOOD, "sector": ""}), ("sector", {**GOOD, "sector": 63}),
    ("power_mw", {**GOOD, "power_mw": -1}), ("power_mw", {**GOOD, "power_mw": "10"}),
    ("power_mw", {**GOOD, "power_mw": True}), ("power_mw", {**GOOD, "power_mw": 1e9}),
    ("jobs", {**GOOD, "jobs": 1.5}), ("jobs", {**GOOD, "jobs": True}), ("jobs", {**GOOD, "jobs": -1}),
    ("green_power_share_min", {**GOOD, "green_power_share_min": 2}),
    ("needs_rail", {**GOOD, "needs_rail": "yes"}), ("needs_rail", {**GOOD, "needs_rail": 1}),
    ("skills", {**GOOD, "skills": {"wizards": 1}}), ("skills", {**GOOD, "skills": {"ict": -1}}),
    ("skills", {**GOOD, "skills": []}), ("start_by", {**GOOD, "start_by": "2026-13"}),
    ("start_by", {**GOOD, "start_by": "soon"}), ("weights", {**GOOD, "weights": {"power": -1}}),
    ("weights", {**GOOD, "weights": {"nope": 1}}), ("must", {**GOOD, "must": ["nope"]}),
    ("must", {**GOOD, "must": "power"}), ("colour", {**GOOD, "colour": "blue"}),
    ("investor_type", {**GOOD, "investor_type": "angel"}), ("land_ha", {**GOOD, "land_ha": -3}),
]

# endpoint -> (method, path, body around the profile, the field prefix of the profile, role)
PROFILE_ENDPOINTS = {
    "match": ("POST", "/api/v1/match", lambda p: p, "body.", None),
    "pitch": ("POST", "/api/v1/pitch", lambda p: {"profile": p}, "body.profile.", "coordinator"),
    "sensitivity": ("POST", "/api/v1/sensitivity", lambda p: {"profile": p}, "body.profile.", None),
    "advise": ("POST", "/api/v1/advise", lambda p: {"candidate_id": "S01", "profile": p, "target_rank": 3},
               "body.profile.", None),
    "create_lead": ("POST", "/api/v1/leads", lambda p: {"code_name": "Owl", "profile": p}, "body.profile.",
                    "coordinator"),
    "update_lead": ("PATCH", "/api/v1/leads/{lead}", lambda p: {"profile": p}, "body.profile.", "coordinator"),
    "whatif": ("POST", "/api/v1/whatif", lambda p: {"scenario": {"name": "x"}, "profiles": [p]},
               "body.profiles.0.", "coordinator"),
}

SITE = {"site_id": "CORP1", "name": "Corpus plot", "municipality_code": "205", "kind": "plot",
        "availability": "available", "availability_source": "https://example.org/a", "lat": 64.2, "lon": 27.7,
        "location_precision": "area", "location_source": "https://example.org/m", "source_urls": "https://example.org/s"}
SITE_MUTATIONS: list[tuple[str, dict]] = [
    ("site_id", {"site_id": "a/b"}), ("site_id", {"site_id": "x" * 41}), ("site_id", {"site_id": "S\x00"}),
    ("name", {"name": {"a": 1}}), ("name", {"name": ""}), ("municipality_code", {"municipality_code": "999"}),
    ("municipality_code", {"municipality_code": 205}), ("kind", {"kind": "castle"}), ("kind", {"kind": 5}),
    ("lat", {"lat": "\u0666\u0665"}), ("lat", {"lat": 10}), ("lon", {"lon": "6_5"}),
    ("area_ha", {"area_ha": -5, "area_ha_source": "https://example.org/a"}),
    ("area_ha", {"area_ha": True, "area_ha_source": "https://example.org/a"}),
    ("area_ha_source", {"area_ha": 5}), ("district_heat", {"district_heat": 1, "district_heat_source": "https://e.org"}),
    ("last_updated", {"last_updated": "2026-13-45"}), ("source_urls", {"source_urls": "not a url"}),
    ("colour", {"colour": "red"}), ("plot_count", {"plot_count": 2.5, "plot_count_source": "https://e.org"}),
]
PATCHABLE = [(f, m) for f, m in SITE_MUTATIONS if f != "site_id"]

MALFORMED_BODIES = [b'{"name":', b"\xff\xfe", b"[" * 50_000 + b"]" * 50_000, b"nul\x00"]
JSON_POSTS = ["/api/v1/match", "/api/v1/match/batch", "/api/v1/sensitivity", "/api/v1/advise", "/api/v1/whatif",
              "/api/v1/pitch", "/api/v1/leads", "/api/v1/sites"]

# (method, path, params, role, field): bad paths, queries and headers
REQUEST_CASES = [
    ("POST", "/api/v1/match", {"top": 0}, None, "top"), ("POST", "/api/v1/match", {"top": "abc"}, None, "top"),
    ("POST", "/api/v1/match", {"top": 501}, None, "top"), ("POST", "/api/v1/match", {"scope": "mars"}, None, "scope"),
    ("GET", "/api/v1/sites/a.b.c%2F..", None, None, "path"), ("GET", "/api/v1/sites/%00", None, None, "site_id"),
    ("GET", "/api/v1/sites/" + "x" * 41, None, None, "site_id"), ("GET", "/api/v1/sites/NOPE", None, None, "site_id"),
    ("GET", "/api/v1/municipalities/12a/embed", None, None, "code"),
    ("GET", "/api/v1/municipalities/999/embed", None, None, "code"),
    ("GET", "/api/v1/municipalities", {"kainuu_only": "maybe"}, None, "kainuu_only"),
    ("GET", "/api/v1/completeness", {"municipality": "999"}, None, "municipality"),
    ("GET", "/api/v1/completeness", {"municipality": "abc"}, None, "municipality"),
    ("GET", "/api/v1/leads", {"limit": 0}, "coordinator", "limit"),
    ("GET", "/api/v1/leads", {"offset": -1}, "coordinator", "offset"),
    ("GET", "/api/v1/leads", {"stage": "dreaming"}, "coordinator", "stage"),
    ("GET", "/api/v1/leads/abc", None, "coordinator", "lead_id"),
    ("GET", "/api/v1/leads/0", None, "coordinator", "lead_id"),
    ("GET", "/api/v1/leads/99999999999", None, "coordinator", "lead_id"),
    ("GET", "/api/v1/leads/999", None, "coordinator", "lead_id"),
    ("GET", "/api/v1/leads", None, None, "X-API-Key"),
    ("GET", "/api/v1/leads", None, "km_18446744073709551616_x", "X-API-Key"),
    ("GET", "/api/v1/leads", None, "km_0001_x", "X-API-Key"),
    ("DELETE", "/api/v1/sites/a..b", None, "coordinator", "site_id"),
    ("DELETE", "/api/v1/sites/S01", None, "referral_partner", "role"),
    ("POST", "/api/v1/pitch", {"format": "docx"}, "coordinator", "format"),
    ("PUT", "/api/v1/match", None, None, "method"),
]

# (json body, field) for endpoints whose own fields are wrong
BODY_CASES = [
    ("/api/v1/match/batch", {"profiles": []}, "profiles"), ("/api/v1/match/batch", {"profiles": "x"}, "profiles"),
    ("/api/v1/match/batch", {}, "profiles"), ("/api/v1/match/batch", {"profiles": [GOOD] * 101}, "profiles"),
    ("/api/v1/sensitivity", {"profile": GOOD, "draws": 5}, "draws"),
    ("/api/v1/sensitivity", {"profile": GOOD, "draws": 1e9}, "draws"),
    ("/api/v1/sensitivity", {"profile": GOOD, "top": True}, "top"),
    ("/api/v1/advise", {"candidate_id": "../x", "profile": GOOD, "target_rank": 3}, "candidate_id"),
    ("/api/v1/advise", {"candidate_id": "S01", "profile": GOOD, "target_rank": 0}, "target_rank"),
    ("/api/v1/advise", {"candidate_id": "S01", "profile": GOOD, "target_rank": "1"}, "target_rank"),
    ("/api/v1/whatif", {"scenario": {"name": "x"}, "include_leads": 0}, "include_leads"),
    ("/api/v1/whatif", {"scenario": {"name": ""}}, "name"),
    ("/api/v1/whatif", {"scenario": {"name": "x", "sites": {"S01": {"grid_free_mw": "abc"}}}}, "grid_free_mw"),
    ("/api/v1/whatif", {"scenario": {"name": "x", "sites": {"S01": {"kind": 5}}}}, "kind"),
    ("/api/v1/whatif", {"scenario": {"name": "x", "sites": {"S01": {"zoning_status": "bogus"}}}}, "zoning_status"),
    ("/api/v1/whatif", {"scenario": {"name": "x", "sites": {"S01": {"owner": "me"}}}}, "sites"),
    ("/api/v1/whatif", {"scenario": {"name": "x", "sites": {"a/b": {"area_ha": 1}}}}, "sites"),
    ("/api/v1/whatif", {"scenario": {"name": "x", "municipalities": {"205": {"max_grid_kv": -1}}}}, "max_grid_kv"),
    ("/api/v1/whatif", {"scenario": {"name": "x", "new_sites": [{"site_id": "N1"}]}}, "new_sites"),
    ("/api/v1/pitch", {"profile": GOOD, "lang": "sv"}, "lang"), ("/api/v1/pitch", {"profile": GOOD, "top": 11}, "top"),
    ("/api/v1/leads", {"code_name": "", "profile": GOOD}, "code_name"),
    ("/api/v1/leads", {"code_name": "Owl", "profile": GOOD, "shared_with": ["999"]}, "shared_with"),
    ("/api/v1/leads", {"code_name": "Owl", "profile": GOOD, "notes": "x" * 5001}, "notes"),
    ("/api/v1/leads", {"code_name": "Owl"}, "profile"),
]

CSV_CASES = [
    (b"name,sector\nA,63.11,extra\n", "file"), (b"name,sector\n" + b"A" * 140_000 + b",63.11\n", "file"),
    (b"name,sector\n\xe4,63.11\n", "file"), (b"name,sector\n", "file"), (b"", "file"),
]


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    db = tmp_path_factory.mktemp("corpus") / "c.sqlite"
    app = create_app(Settings(database_url=f"sqlite:///{db}"))
    with TestClient(app) as c:
        keys = {r: create_key(app.state.engine, r, "205" if r == "municipality" else None)
                for r in ("coordinator", "municipality", "referral_partner")}
        lead = c.post("/api/v1/leads", json={"code_name": "Owl", "profile": GOOD},
                      headers={"X-API-Key": keys["coordinator"]}).json()["id"]
        assert c.post("/api/v1/sites", json=SITE, headers={"X-API-Key": keys["coordinator"]}).status_code == 201
        c.keys, c.lead = keys, lead
        yield c


def clean_4xx(r, field: str, status: int | None = None) -> None:
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:300])
    if status:
        assert r.status_code == status, r.text[:300]
    body = r.json()
    assert set(body) >= {"error", "detail"} and body["detail"], body
    fields = " ".join(str(d.get("field", "")) for d in body["detail"])
    assert field in fields, (field, body)


def headers(api, role):
    if role is None:
        return {}
    return {"X-API-Key": api.keys.get(role, role)}


@pytest.mark.parametrize("endpoint", list(PROFILE_ENDPOINTS))
@pytest.mark.parametrize("field, profile", PROFILE_MUTATIONS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(PROFILE_MUTATIONS)])
def test_bad_profile_on_every_endpoint(api, endpoint, field, profile):
    method, path, wrap, prefix, role = PROFILE_ENDPOINTS[endpoint]
    r = api.request(method, path.format(lead=api.lead), json=wrap(profile), headers=headers(api, role))
    clean_4xx(r, f"{prefix}{field}", 422)


@pytest.mark.parametrize("field, change", SITE_MUTATIONS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(SITE_MUTATIONS)])
def test_bad_site_create(api, field, change):
    r = api.post("/api/v1/sites", json={**SITE, "site_id": "CORP2", **change}, headers=headers(api, "coordinator"))
    clean_4xx(r, field, 422)
    assert api.get("/api/v1/sites/CORP2").status_code == 404


@pytest.mark.parametrize("field, change", PATCHABLE, ids=[f"{f}-{i}" for i, (f, _) in enumerate(PATCHABLE)])
def test_bad_site_patch(api, field, change):
    before = api.get("/api/v1/sites/CORP1").json()["site"]
    r = api.patch("/api/v1/sites/CORP1", json=change, headers=headers(api, "coordinator"))
    clean_4xx(r, field)
    assert api.get("/api/v1/sites/CORP1").json()["site"] == before


IMPORT_MUTATIONS = [("site_id", {"site_id": "a/b"}), ("site_id", {"site_id": "x" * 41}), ("kind", {"kind": "castle"}),
                    ("lat", {"lat": "\u0666\u0665"}), ("lon", {"lon": "6_5"}), ("municipality_code", {"municipality_code": "999"}),
                    ("area_ha", {"area_ha": "-5", "area_ha_source": "https://example.org/a"}),
                    ("last_updated", {"last_updated": "2026-02-30"}), ("colour", {"colour": "red"})]


@pytest.mark.parametrize("field, change", IMPORT_MUTATIONS, ids=[f"{f}-{i}" for i, (f, _) in enumerate(IMPORT_MUTATIONS)])
def test_bad_site_import(api, field, change):
    row = {**SITE, "site_id": "CORP3", **change}
    text = ",".join(row) + "\n" + ",".join('"' + str(v).replace('"', '""') + '"' for v in row.values()) + "\n"
    r = api.post("/api/v1/sites/import", files={"file": ("s.csv", text.encode(), "text/csv")},
                 headers=headers(api, "coordinator"))
    clean_4xx(r, field)
    assert api.get("/api/v1/sites/CORP3").status_code == 404


@pytest.mark.parametrize("path", JSON_POSTS)
@pytest.mark.parametrize("body", MALFORMED_BODIES, ids=["truncated", "utf16-bom", "deep", "nul"])
def test_malformed_json_body(api, path, body):
    r = api.post(path, content=body, headers={"Content-Type": "application/json", **headers(api, "coordinator")})
    clean_4xx(r, "body", 400)


@pytest.mark.parametrize("method, path, params, role, field", REQUEST_CASES,
                         ids=[f"{m}-{p[8:30]}-{f}" for m, p, _, _, f in REQUEST_CASES])
def test_bad_request_line_query_or_key(api, method, path, params, role, field):
    r = api.request(method, path, params=params, headers=headers(api, role), json=GOOD if method == "POST" else None)
    clean_4xx(r, field)


@pytest.mark.parametrize("path, body, field", BODY_CASES, ids=[f"{p[8:]}-{f}" for p, _, f in BODY_CASES])
def test_bad_body_fields(api, path, body, field):
    r = api.post(path, json=body, headers=headers(api, "coordinator"))
    clean_4xx(r, field, 422)


@pytest.mark.parametrize("data, field", CSV_CASES, ids=["extra-cell", "huge-cell", "latin1", "no-rows", "empty"])
def test_bad_batch_csv(api, data, field):
    r = api.post("/api/v1/match/batch/csv", files={"file": ("r.csv", data, "text/csv")})
    clean_4xx(r, field)


def _profile_file(tmp_path, profile) -> str:
    p = tmp_path / "p.json"
    p.write_text(json.dumps(profile))
    return str(p)


CLI_PROFILE_COMMANDS = [["rank", "{p}"], ["explain", "{p}", "S01"], ["sensitivity", "{p}"],
                        ["advise", "S01", "{p}", "--target-rank", "3"], ["pitch", "{p}", "--out", "{tmp}/b.md"]]


@pytest.mark.parametrize("command", CLI_PROFILE_COMMANDS, ids=[c[0] for c in CLI_PROFILE_COMMANDS])
@pytest.mark.parametrize("field, profile", PROFILE_MUTATIONS[::3], ids=[f for f, _ in PROFILE_MUTATIONS[::3]])
def test_cli_bad_profile(tmp_path, capsys, command, field, profile):
    path = _profile_file(tmp_path, profile)
    argv = [a.format(p=path, tmp=tmp_path) for a in command]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err and field in err, err


CLI_CASES = [
    (["rank", "{good}", "--top", "0"], "--top"), (["rank", "{good}", "--top", "x"], "--top"),
    (["rank", "{good}", "--scope", "mars"], "--scope"), (["rank", "{tmp}"], "folder"),
    (["rank", "{tmp}/missing.json"], "not found"), (["explain", "{good}", "NOPE"], "CANDIDATE_ID"),
    (["advise", "S01", "{good}", "--target-rank", "0"], "--target-rank"),
    (["sensitivity", "{good}", "--draws", "5"], "--draws"), (["pitch", "{good}", "--out", "{tmp}/b.docx"], "--out"),
    (["pitch", "{good}", "--out", "{tmp}/b.md", "--top", "11"], "--top"),
    (["completeness", "--municipality", "999"], "--municipality"),
    (["completeness", "--limit", "0"], "--limit"), (["whatif", "--scenario", "{tmp}/missing.json"], "--scenario"),
    (["whatif", "--scenario", "{bad_scenario}"], "grid_free_mw"),
    (["serve", "--port", "0"], "--port"), (["serve", "--workers", "0"], "--workers"),
    (["keys", "create", "--role", "referral"], "referral_partner"),
    (["keys", "create", "--role", "municipality"], "municipality"),
    (["keys", "revoke", "abc"], "key id"), (["--data", "{tmp}/nope", "sites"], "--data"),
    (["nonsense"], "invalid choice"),
]


@pytest.mark.parametrize("argv, words", CLI_CASES, ids=[" ".join(a[:2]) + f"-{w}" for a, w in CLI_CASES])
def test_cli_bad_arguments(tmp_path, capsys, monkeypatch, argv, words):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'k.sqlite'}")
    good = _profile_file(tmp_path, GOOD)
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"name": "x", "sites": {"S01": {"grid_free_mw": "lots"}}}))
    assert main([a.format(good=good, tmp=tmp_path, bad_scenario=scenario) for a in argv]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err and words in err, err


def test_the_corpus_is_large():
    n = (len(PROFILE_MUTATIONS) * len(PROFILE_ENDPOINTS) + len(SITE_MUTATIONS) + len(PATCHABLE) + len(IMPORT_MUTATIONS)
         + len(JSON_POSTS) * len(MALFORMED_BODIES) + len(REQUEST_CASES) + len(BODY_CASES) + len(CSV_CASES)
         + len(CLI_PROFILE_COMMANDS) * len(PROFILE_MUTATIONS[::3]) + len(CLI_CASES))
    assert n >= 150, n
    assert ROOT.exists()
