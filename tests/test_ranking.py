import numpy as np
import pytest

from matcher import FINLAND, KAINUU, Catalog, load_profile, rank, score
from matcher.core.criteria import INDEX, UNKNOWN_VALUE

from .conftest import AS_OF, EXAMPLES, profile, with_site_values


def test_there_are_example_profiles_for_every_key_sector():
    names = {p.stem for p in EXAMPLES}
    assert len(names) >= 12
    for needed in ["data_centre", "battery_chemicals", "mining", "pulp_bioproducts", "sawmill_engineered_wood",
                   "wind_power", "food_processing", "fish_farming", "tourism_resort", "metal_machinery",
                   "ict_software", "hydrogen"]:
        assert needed in names


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
@pytest.mark.parametrize("scope", [KAINUU, FINLAND])
def test_every_example_ranks_and_contributions_add_up_to_the_score(catalog, path, scope):
    r = rank(load_profile(path), catalog, scope=scope, top=5, as_of=AS_OF)
    assert len(r.results) == 5
    assert [m.rank for m in r.results] == [1, 2, 3, 4, 5]
    for m in r.results:
        total = sum(c.contribution for c in m.explanation.contributions)
        assert total == pytest.approx(m.score, abs=1e-12)
        assert m.explanation.reasons["en"] and m.explanation.reasons["fi"]
        assert len(m.explanation.reasons["en"]) <= 3
    level = [("fails", "unverified", "meets").index(m.feasibility) for m in r.results]
    assert level == sorted(level, reverse=True)  # meets, then unverified, then fails
    for state in ("meets", "unverified", "fails"):
        # within a state by score; among the unverified, reserved offerings after the available ones
        for reserved in (False, True):
            scores = [m.score for m in r.results
                      if m.feasibility == state and (m.availability == "reserved") == reserved]
            assert scores == sorted(scores, reverse=True)
    unverified = [m.availability == "reserved" for m in r.results if m.feasibility == "unverified"]
    assert unverified == sorted(unverified)


def test_kainuu_scope_ranks_only_offerings_not_infrastructure(catalog):
    ids = set(catalog.candidates(KAINUU).ids)
    assert "S01" in ids and "S13" not in ids and "S18" not in ids
    assert len(catalog.candidates(FINLAND)) == 308


def test_site_short_of_power_is_infeasible_with_the_numbers(catalog):
    cat = with_site_values(catalog, "S01", grid_free_mw=8.0)
    s = score(profile(power_mw=20), cat, as_of=AS_OF)
    i = s.candidates.index_of("S01")
    assert not s.feasibility.feasible[i]
    [b] = s.feasibility.blockers(i)
    assert b.criterion == "power"
    assert "needs 20 MW; 8 MW free at Renforsin Ranta business park" in b.en
    assert "20 MW" in b.fi


def test_unknown_capacity_is_unverified_not_failed_and_not_zero(catalog):
    s = score(profile(power_mw=20), catalog, as_of=AS_OF)
    i = s.candidates.index_of("S01")
    assert s.feasibility.feasible[i]
    assert any(u.criterion == "power" for u in s.feasibility.unverified(i))
    j = INDEX["power"]
    assert s.features.applicable[j]  # a profile that needs MW is judged on power
    assert s.features.values[i, j] == UNKNOWN_VALUE > 0
    assert not s.features.known[i, j]


def test_enough_known_capacity_beats_unknown_capacity(catalog):
    cat = with_site_values(catalog, "S01", grid_free_mw=30.0)
    before = score(profile(power_mw=20), catalog, as_of=AS_OF)
    after = score(profile(power_mw=20), cat, as_of=AS_OF)
    i = before.candidates.index_of("S01")
    assert after.scores[i] > before.scores[i]
    assert after.feasibility.feasible[i]


def test_site_without_rail_is_infeasible_for_rail_need(catalog):
    cat = with_site_values(catalog, "S01", rail_siding=0.0)
    s = score(profile(sector="20.13", needs_rail=True), cat, as_of=AS_OF)
    i = s.candidates.index_of("S01")
    assert not s.feasibility.feasible[i]
    assert "no rail siding" in s.feasibility.blockers(i)[0].en


def test_small_site_is_infeasible_for_land_need(catalog):
    s = score(profile(land_ha=300), catalog, as_of=AS_OF)
    i = s.candidates.index_of("S31")  # Paltamo's planned industrial area, about 27 ha
    assert not s.feasibility.feasible[i]
    assert "needs 300 ha" in s.feasibility.blockers(i)[0].en
    assert s.rank_of(i) > int(s.feasibility.feasible.sum())


def test_must_makes_a_soft_criterion_hard(catalog):
    s = score(profile(sector="20.13", jobs=100, must=["sector_fit"]), catalog, as_of=AS_OF)
    bad = [i for i in range(len(s.candidates)) if s.features.raw[i, 10] < 0.5]
    assert bad and all(not s.feasibility.feasible[i] for i in bad)


def test_zero_weight_drops_a_criterion(catalog):
    s = score(profile(jobs=50, weights={"skills": 0}), catalog, as_of=AS_OF)
    assert s.weights[0] == 0
    assert np.isclose(s.weights.sum(), 1.0)


def test_missing_data_is_listed_in_the_explanation(catalog):
    r = rank(profile(power_mw=20, water_m3_per_day=100), catalog, top=1, as_of=AS_OF)
    missing = {m["criterion"] for m in r.results[0].explanation.missing}
    assert {"power", "water"} <= missing


def test_snapshot_id_is_stable_and_changes_with_overrides(catalog, data_copy):
    again = Catalog.load(data_copy)
    assert again.snapshot == catalog.snapshot
    assert with_site_values(catalog, "S01", grid_free_mw=1.0).snapshot != catalog.snapshot


def test_ranking_is_reproducible(catalog):
    p = profile(power_mw=10, jobs=30)
    a = rank(p, catalog, top=10, as_of=AS_OF).as_dict()
    b = rank(p, catalog, top=10, as_of=AS_OF).as_dict()
    assert a == b


def test_readiness_late_site_scores_lower(catalog):
    fast = with_site_values(catalog, "S01", readiness_months=3.0)
    slow = with_site_values(catalog, "S01", readiness_months=40.0)
    p = profile(start_by="2027-11")
    i = fast.candidates(KAINUU).index_of("S01")
    assert score(p, fast, as_of=AS_OF).scores[i] > score(p, slow, as_of=AS_OF).scores[i]


def test_top_k_matches_a_full_sort_with_feasible_first():
    from matcher.core.ranking import order, rank_key, top_k

    rng = np.random.default_rng(0)
    s = np.round(rng.random(1000), 2)  # many ties: the id decides
    f = rng.random(1000) > 0.3
    ids = rng.permutation(1000).astype(str)
    full = np.lexsort((ids, -s, ~f))
    key = rank_key(s, f)
    assert order(key, ids).tolist() == full.tolist()
    assert top_k(key, ids, 25).tolist() == full[:25].tolist()
    assert top_k(key, ids, 5000).tolist() == full.tolist()


def test_rank_of_and_ranks_agree_with_the_order():
    from matcher.core.ranking import order, rank_of, ranks

    rng = np.random.default_rng(1)
    keys = np.round(rng.random((200, 7)), 1)
    ids = rng.permutation(200).astype(str)
    r = ranks(keys, ids)
    for d in range(7):
        o = order(keys[:, d], ids)
        assert [rank_of(keys[:, d], ids, int(i)) for i in o] == list(range(1, 201))
        assert r[o, d].tolist() == list(range(1, 201))
    assert rank_of(keys[:, 0], ids, int(order(keys[:, 0], ids)[-1]), value=99.0) == 1
