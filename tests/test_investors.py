"""Offering -> investors: archetypes, leads and real investors ranked for one offering."""

import json

import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from api.storage import create_key
from matcher import parse_profile
from matcher.cli import main
from matcher.core.engine import score
from matcher.portfolio.deals import deal_terms
from matcher.portfolio.investors import (
    Investor,
    archetype_investors,
    decision_investors,
    investors_for,
)


@pytest.fixture(scope="module")
def pool(catalog):
    return archetype_investors() + decision_investors(catalog)


def test_each_investor_gets_the_offerings_own_score_and_parts_that_add_up(catalog, pool):
    out = investors_for("S30", catalog, pool, top=15)
    assert out["counted"]["archetype"] == 13 and out["counted"]["decision"] > 50
    for r in out["results"]:
        assert sum(c["contribution"] for c in r["contributions"]) == pytest.approx(r["score"], abs=1e-9)
        inv = next(x for x in pool if x.source == r["source"] and x.investor_id == r["investor_id"])
        s = score(inv.profile, catalog)
        assert r["score"] == pytest.approx(float(s.scores[s.candidates.index_of("S30")]))
        assert r["site_rank"] == s.rank_of(s.candidates.index_of("S30"))


def test_investors_are_ordered_by_feasibility_state_then_score(catalog, pool):
    res = investors_for("S01", catalog, pool, top=60)["results"]
    level = {"meets": 2, "unverified": 1, "fails": 0}
    keys = [(level[r["feasibility"]], r["score"]) for r in res]
    assert keys == sorted(keys, reverse=True)


def test_the_pulp_project_is_offered_first_to_pulp_investors_who_chose_places_like_it(catalog, pool):
    res = investors_for("S30", catalog, pool, top=5)["results"]
    assert all(r["sector"].startswith("17") for r in res)
    kaicell = next(r for r in res if r["name"] == "KaiCell Fibers Oy")
    assert kaicell["source"] == "decision" and "Paltamo" in kaicell["chose"]["decisions"][0]["municipalities"]


def test_one_real_investor_appears_once_with_every_decision_of_theirs(catalog):
    dec = decision_investors(catalog)
    google = [x for x in dec if x.profile.name == "Google" and x.profile.sector == "63.11"]
    assert len(google) == 1 and len(google[0].chose["decisions"]) >= 4


def test_unknown_offering_names_the_field(catalog, pool):
    with pytest.raises(KeyError, match="offering_id"):
        investors_for("S99", catalog, pool)
    # evidence rows (an operating plant) are not offerings
    plant = catalog.sites.loc[catalog.sites["kind"] == "plant", "site_id"].iloc[0]
    with pytest.raises(KeyError, match="not an offered"):
        investors_for(plant, catalog, pool)


def test_cli_investors_json_and_finnish_table(capsys):
    assert main(["investors", "S38", "--top", "3", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["rank"] for r in out["results"]] == [1, 2, 3]
    assert out["results"][0]["name"].startswith("Ski resort acquisition")
    assert main(["investors", "S38", "--top", "2", "--lang", "fi"]) == 0
    assert "esimerkkiprofiili" in capsys.readouterr().out
    assert main(["investors", "NOPE"]) == 2
    assert "OFFERING_ID" in capsys.readouterr().err


def test_api_ranks_the_leads_a_key_may_see_and_refuses_unknown_offerings(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'k.sqlite'}"))
    with TestClient(app) as c:
        coord = {"X-API-Key": create_key(app.state.engine, "coordinator", None)}
        mun = {"X-API-Key": create_key(app.state.engine, "municipality", "578")}
        lead = {"code_name": "Project Kuitu", "profile": {"name": "Secret Pulp Oy", "sector": "17.11", "jobs": 200}}
        assert c.post("/api/v1/leads", json=lead, headers=coord).status_code in (200, 201)
        assert c.post("/api/v1/investors", json={"offering_id": "S30"}).status_code == 401
        r = c.post("/api/v1/investors", json={"offering_id": "S30", "top": 100, "sources": ["lead"]}, headers=coord)
        assert r.status_code == 200, r.text
        assert [x["name"] for x in r.json()["results"]] == ["Secret Pulp Oy"]
        # the lead is not shared with Paltamo: its key sees no leads
        r = c.post("/api/v1/investors", json={"offering_id": "S30", "sources": ["lead"]}, headers=mun)
        assert r.json()["results"] == []
        r = c.post("/api/v1/investors", json={"offering_id": "S99"}, headers=coord)
        assert r.status_code == 422 and "offering_id" in r.text
        r = c.post("/api/v1/investors", json={"offering_id": "S30", "top": 0}, headers=coord)
        assert r.status_code == 422


# companies for sale and projects seeking capital (matcher/portfolio/deals.py) ------------------------------

def test_every_stated_deal_value_carries_its_source_and_only_deal_kinds_have_them(catalog):
    from matcher.portfolio.deals import DEAL_COLUMNS, DEAL_KINDS

    s = catalog.sites
    for c in DEAL_COLUMNS:
        filled = s[s[c].notna()]
        assert filled[f"{c}_source"].notna().all(), c
        assert filled["kind"].isin(DEAL_KINDS).all(), c
    kaicell = deal_terms(catalog, "S30")
    assert kaicell["investor_type_sought"]["value"] == "strategic"
    assert kaicell["capital_sought_meur"]["value"] == 1300.0
    assert deal_terms(catalog, "S01") is None


def test_a_project_seeking_a_strategic_investor_fails_a_financial_one_and_leaves_an_unstated_one_unverified(catalog):
    strategic = parse_profile({"name": "Pulp operator", "sector": "17.11", "investor_type": "strategic"})
    financial = parse_profile({"name": "Pulp fund", "sector": "17.11", "investor_type": "financial",
                               "investment_meur": 200})
    unstated = parse_profile({"name": "Pulp someone", "sector": "17.11"})
    pool = [Investor("lead", str(n), p) for n, p in enumerate((financial, unstated, strategic))]
    res = {r["name"]: r for r in investors_for("S30", catalog, pool, top=3)["results"]}
    assert [r["name"] for r in investors_for("S30", catalog, pool, top=3)["results"]] == [
        "Pulp operator", "Pulp someone", "Pulp fund"]
    assert res["Pulp fund"]["feasibility"] == "fails"
    assert any(b["criterion"] == "investor_type" and "strategic" in b["en"] for b in res["Pulp fund"]["blockers"])
    assert "200" in res["Pulp fund"]["capital"]["en"] and "1,300" in res["Pulp fund"]["capital"]["en"]
    assert "1 300" in res["Pulp fund"]["capital"]["fi"].replace("\u00a0", " ")
    assert res["Pulp someone"]["feasibility"] == "unverified"
    assert res["Pulp operator"]["feasibility"] == "meets"
    # the same three scores: the deal rule orders by state, it does not change a score
    assert res["Pulp operator"]["score"] == pytest.approx(res["Pulp fund"]["score"])


def test_month_columns_refuse_a_day_or_a_bad_month():
    from matcher.core.schema import SITE_COLUMNS, check_value

    col = next(c for c in SITE_COLUMNS if c.name == "offered_since")
    kw = {"codes": set(), "nace_codes": set(), "source_ids": set()}
    assert check_value(col, "2018-03", **kw) is None
    assert "YYYY-MM" in check_value(col, "2018-13", **kw)
    assert "YYYY-MM" in check_value(col, "2018-03-01", **kw)


def test_investors_whose_profiles_score_an_offering_the_same_share_a_rank(catalog):
    """Ten real investors all scored Renforsin Ranta 0.848 and were numbered 1 to 10 by name: a
    reader took the order for fit. Equal scores share a (competition) rank and say how many share it."""
    from matcher.portfolio.investors import decision_investors

    res = investors_for("S01", catalog, decision_investors(catalog), top=30)
    rows = res["results"]
    for a in rows:
        same = [b for b in rows if b["score"] == a["score"] and b["feasibility"] == a["feasibility"]]
        assert a["tied"] >= len(same) and len({b["rank"] for b in same}) == 1
    assert rows[0]["tied"] > 1 and res["tied_note"]
    ranks = [r["rank"] for r in rows]
    assert ranks == sorted(ranks) and ranks[0] == 1
    first_after = next(r for r in rows if r["rank"] > 1)
    assert first_after["rank"] == rows[0]["tied"] + 1  # competition ranking: 1, 1, …, 1, n+1
