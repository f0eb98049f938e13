"""Labour pools with competing demand: won and shortlisted leads take their commuting area's workers."""

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from api.storage import create_key
from matcher import parse_profile, rank
from matcher.cli import main
from matcher.core.criteria import KAINUU
from matcher.core.features import skills_feature
from matcher.core.workforce import (
    PipelineProject,
    family_pool,
    pipeline_projects,
    rank_with_pipeline,
    taken_by_pipeline,
    with_pipeline,
    within_commute,
)

from .conftest import ROOT

BIG = {"name": "Big plant", "sector": "20.13", "skills": {"process_operators": 2000}}


def test_a_won_project_takes_its_headcount_from_every_pool_within_commuting_reach(catalog):
    c = catalog.candidates(KAINUU)
    taken = taken_by_pipeline(c, [PipelineProject("1", "S20", {"process_operators": 300})])
    j = list(c.ids).index("S20")
    assert np.array_equal(taken["process_operators"] > 0, within_commute(c)[:, j])
    assert set(np.unique(taken["process_operators"])) <= {0.0, 300.0}


def test_a_new_lead_sees_what_is_left_and_the_reason_says_so(catalog):
    p = parse_profile(BIG)
    projects = [PipelineProject("1", "S20", {"process_operators": 300})]
    seen, taken = with_pipeline(catalog, projects)
    c, c2 = catalog.candidates(KAINUU), seen.candidates(KAINUU)
    hit = taken["process_operators"] > 0
    before, after = family_pool(c, "process_operators"), family_pool(c2, "process_operators")
    assert np.allclose(after[hit], before[hit] - 300)
    assert np.allclose(after[~hit], before[~hit])
    assert (skills_feature(p, c2)[hit] < skills_feature(p, c)[hit]).all()
    r = rank_with_pipeline(p, catalog, projects, top=31)
    m = next(x for x in r.results if x.candidate_id == "S20")
    pool = before[list(c.ids).index("S20")]
    assert f"of {pool:,.0f} process and plant operators within 50 km, 300 are taken by pipeline projects" in \
        m.explanation.reasons["en"]
    assert any("300 on jo varattu" in x for x in m.explanation.reasons["fi"])
    assert r.data_snapshot.endswith("+pipeline")
    # the base catalog is untouched
    assert np.allclose(family_pool(catalog.candidates(KAINUU), "process_operators"), before)


def test_only_won_and_shortlisted_leads_with_people_count_and_shortlisted_go_to_their_best_site(catalog):
    leads = [{"id": 1, "stage": "won", "chosen_site": "S20", "profile": BIG},
             {"id": 2, "stage": "pitched", "chosen_site": None, "profile": BIG},
             {"id": 3, "stage": "shortlisted", "chosen_site": None, "profile": BIG},
             {"id": 4, "stage": "won", "chosen_site": "S01", "profile": {"name": "No jobs", "sector": "63.11"}}]
    got = pipeline_projects(leads, catalog)
    best = rank(parse_profile(BIG), catalog, top=1).results[0].candidate_id
    assert [(x.lead_id, x.site_id) for x in got] == [("1", "S20"), ("3", best)]


@pytest.fixture()
def service(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.sqlite'}"
    app = create_app(Settings(database_url=url))
    with TestClient(app) as c:
        coord = {"X-API-Key": create_key(app.state.engine, "coordinator", None)}
        lead = {"code_name": "Project Won", "profile": {**BIG, "skills": {"process_operators": 300}}}
        r = c.post("/api/v1/leads", json=lead, headers=coord)
        lead_id = r.json()["id"]
        r = c.patch(f"/api/v1/leads/{lead_id}", json={"stage": "won", "chosen_site": "S20"}, headers=coord)
        assert r.status_code == 200, r.text
        yield c, coord, url


def test_api_match_with_pipeline_says_what_is_taken(service):
    c, coord, _ = service
    plain = c.post("/api/v1/match", json=BIG, headers=coord).json()
    seen = c.post("/api/v1/match?pipeline=true", json=BIG, headers=coord).json()
    s20 = next(x for x in seen["results"] if x["candidate_id"] == "S20")
    assert any("300 are taken by pipeline projects" in x for x in s20["reasons"]["en"])
    assert not any("pipeline" in x for r in plain["results"] for x in r["reasons"]["en"])
    assert c.post("/api/v1/match?pipeline=true&scope=finland", json=BIG, headers=coord).status_code == 422


def test_cli_rank_pipeline_reads_the_database_and_refuses_without_one(service, tmp_path, capsys):
    _, _, url = service
    f = tmp_path / "p.json"
    f.write_text(json.dumps(BIG))
    assert main(["--database", url, "rank", str(f), "--pipeline", "--top", "31", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert any("taken by pipeline projects" in x for r in out["results"] for x in r["reasons"]["en"])
    assert main(["rank", str(f), "--pipeline"]) == 2
    assert "--pipeline: needs --database" in capsys.readouterr().err


def test_skills_are_as_strong_as_the_scarcest_family_so_a_shortfall_is_never_called_a_strength(catalog):
    """Kuhmo has engineers and general workers to spare for the data centre and about 4 ICT workers
    for its 25 ICT jobs: that is the weakest point, not a strength (an average hid it)."""
    raw = json.loads((ROOT / "examples" / "data_centre.json").read_text())
    p = parse_profile(raw)
    c = catalog.candidates(KAINUU)
    alone = {f: skills_feature(parse_profile({**raw, "skills": {f: n}}), c) for f, n in p.headcount.items()}
    assert np.array_equal(skills_feature(p, c), np.minimum.reduce(list(alone.values())))
    # a family with workers to spare everywhere changes nothing; a scarce one sets the value alone
    plus_general = parse_profile({**raw, "skills": {**raw["skills"], "general": 1}})
    assert np.array_equal(skills_feature(plus_general, c), skills_feature(p, c))
    scarce = parse_profile({**raw, "skills": {**raw["skills"], "health_social": 5000}})
    alone_scarce = skills_feature(parse_profile({**raw, "skills": {"health_social": 5000}}), c)
    assert (alone_scarce < skills_feature(p, c)).all()
    assert np.array_equal(skills_feature(scarce, c), alone_scarce)
    kuhmo = next(x for x in rank(p, catalog, top=40).results if x.candidate_id == "S57")
    assert not any("ICT" in r for r in kuhmo.explanation.reasons["en"])
    weak = kuhmo.explanation.weakness["en"]
    assert "ICT" in weak and "osaava työvoima" in kuhmo.explanation.weakness["fi"]
    assert weak.index("ICT") < weak.index("engineers")  # the family that sets the value comes first
