"""National facts (finland scope): values against their source rows, time order of the cases,
site-level criteria said to be not assessed, the additive tree's exact decomposition, and the
tree model's card refusal."""

import json

import numpy as np
import pandas as pd
import pytest

from matcher import FINLAND, load_profile, parse_profile, rank
from matcher.core.catalog import haversine_matrix
from matcher.core.criteria import CRITERION_NAMES, INDEX
from matcher.core.features import pair_features
from matcher.core.national import PORT_CLASS_FACTOR, PORT_KM_REF, RENEWABLE_KM, Known
from matcher.learn.boosting import AdditiveBoostingRanker
from matcher.learn.cases import build, decision_cases
from matcher.learn.model_store import ModelRefused, TreeRanker, load, save_tree

from .conftest import AS_OF, ROOT, profile


def _row(catalog, code):
    return int(np.flatnonzero(catalog.national.codes == code)[0])


def _km(catalog, a, b):
    m = catalog.municipalities.set_index("municipality_code")
    d = haversine_matrix(m.loc[[a, b], "lat"].to_numpy(float), m.loc[[a, b], "lon"].to_numpy(float))
    return float(d[0, 1])


def test_port_access_is_the_best_size_weighted_nearness_over_the_source_rows(catalog):
    ports = pd.read_csv(ROOT / "data" / "fi_seaports.csv", dtype=str)
    for code in ("205", "091", "765"):
        expected = max(PORT_CLASS_FACTOR[r.size_class] * max(0.0, 1 - _km(catalog, code, r.municipality_code)
                                                              / PORT_KM_REF) for r in ports.itertuples())
        assert catalog.national.port_access[_row(catalog, code)] == pytest.approx(expected, abs=1e-9)
    # Helsinki's own port is large (15.18 Mt in 2022 in its source row)
    assert ports.set_index("port_id").loc["P091", "size_class"] == "large"


def test_grid_distance_is_to_the_nearest_listed_400_kv_substation_in_service(catalog):
    subs = pd.read_csv(ROOT / "data" / "fi_grid_substations.csv", dtype={"municipality_code": str})
    listed = subs[(subs["voltage_kv"] >= 400) & (subs["status"] == "operating")]
    km = catalog.national.transmission(None)[0]
    for code in ("205", "765", "091"):
        expected = min(_km(catalog, code, c) for c in listed["municipality_code"])
        assert km[_row(catalog, code)] == pytest.approx(expected, abs=1e-9)
    assert km[_row(catalog, "205")] == 0.0  # Vuolijoki is in Kajaani (source row E20)
    assert "Rauma" not in set(listed["name"])  # its source names no voltage: not counted as 400 kV


def test_a_substation_counts_for_a_decision_only_from_the_year_after_it_went_into_service(catalog):
    nf = catalog.national
    s = nf.substations
    new = s[s["since_year"].notna() & (s["status"] == "operating")]
    assert len(new), "the bundled table names new substations with their first year in service"
    r = new.iloc[0]
    m = int(r["mun"])
    before = nf.transmission(Known(year=int(r["since_year"])))
    after = nf.transmission(Known(year=int(r["since_year"]) + 1))
    assert after[0][m] == 0.0 and s.iloc[after[1][m]]["name"] == r["name"]
    assert before[1][m] < 0 or s.iloc[before[1][m]]["name"] != r["name"]
    assert np.isnan(nf.transmission(Known(year=None))[0]).all()  # year unknown: unknown


def test_a_planned_substation_never_counts_not_even_today(catalog):
    nf = catalog.national
    planned = nf.substations[nf.substations["status"] == "planned"]
    assert len(planned), "the bundled table lists substations not yet in service"
    for known in (None, Known(year=2035)):
        of = nf.transmission(known)[1]
        assert not set(of[of >= 0]) & set(planned.index)


def test_a_university_in_the_municipality_scores_one_and_a_uas_only_less(catalog):
    nf = catalog.national
    assert nf.education[_row(catalog, "564")] == 1.0  # University of Oulu
    assert nf.education[_row(catalog, "205")] == pytest.approx(0.6)  # Kajaani: KAMK only, no university
    assert nf.education[_row(catalog, "205")] < nf.education[_row(catalog, "564")]


def test_a_plant_a_decision_may_have_built_is_hidden_from_that_decision_and_earlier_ones(catalog):
    nf = catalog.national
    kajaani = _row(catalog, "205")
    # LUMI (CSC, Kajaani) is listed as a plant; Kajaani has data-centre decisions in 2010, 2019, 2025
    live, _ = nf.industry_nearby("63.11", None)
    in_2010, _ = nf.industry_nearby("63.11", Known(2010, "x"))
    assert live[kajaani] == 1.0 and in_2010[kajaani] < 1.0
    # a mill that closed after the decision's year still ran then (Veitsiluoto, Kemi, closed 2021)
    kemi = _row(catalog, "240")
    assert nf.industry_nearby("17.11", Known(2021, "x"))[0][kemi] == 1.0


def test_an_operating_by_year_never_hides_a_plant_that_having_no_year_would_show(catalog):
    """Hetzner's Tuusula campus is known to run only by 2021 (a later bound, not its first year). Read
    as a first year it hid the campus from every decision of 2016-2021; as a bound it is seen wherever a
    campus without a year is (after the 2015 decision that built it), and still hidden from that one."""
    from matcher.core.national import NationalFacts

    t = catalog.national_tables
    plants = t["fi_reference_plants.csv"]
    row = plants["name"] == "Tuusula data centre campus"
    assert plants.loc[row, "since_year"].item() == 2021 and plants.loc[row, "since_bound"].item() == 1.0
    nf, tuusula = catalog.national, _row(catalog, "858")
    assert nf.industry_nearby("63.11", Known(2019, "x"))[0][tuusula] == 1.0
    assert nf.industry_nearby("63.11", Known(2015, "x"))[0][tuusula] < 1.0  # it may be the 2015 decision's outcome
    as_first = NationalFacts.build(catalog.municipalities, nf.dist, t["fi_seaports.csv"], t["fi_grid_substations.csv"],
                                   plants.assign(since_bound=0.0), t["fi_higher_education.csv"], t["decisions.csv"],
                                   _renewables())
    assert as_first.industry_nearby("63.11", Known(2019, "x"))[0][tuusula] < 1.0


def test_a_closed_bakery_or_brewery_is_no_brownfield_a_closed_mill_is(catalog):
    """A closed mill's site has water, rail and a grid connection to reuse; a closed bakery has none:
    once its closure year was sourced, "Oulu bakery, closed 2019" became a data centre's reason."""
    from matcher.core.national import BROWNFIELD_DIVISIONS

    nf = catalog.national
    value, of = nf.brownfield(None)
    named = nf.plants.iloc[[j for j in of if j >= 0]]
    assert named["nace_division"].isin(BROWNFIELD_DIVISIONS).all()
    assert not named["name"].str.contains("bakery|brewery|ice cream").any()
    oulu, kotka = _row(catalog, "564"), _row(catalog, "285")
    assert nf.plants.iloc[of[oulu]]["name"] != "Oulu bakery"
    assert value[kotka] == 1.0 and nf.plants.iloc[of[kotka]]["nace_division"] == "17"  # Sunila's pulp mill, closed 2023


def test_an_idle_plant_is_neither_a_cluster_nor_a_brownfield(catalog):
    from matcher.core.national import NationalFacts

    t = catalog.national_tables
    plants = t["fi_reference_plants.csv"]
    # BASF's Harjavalta precursor plant (built, never allowed to run) and Green Fuel Nordic's Lieksa bio-oil refinery
    assert (plants["status"] == "idle").any()
    idle = plants["status"] == "idle"
    nf = catalog.national
    for sector in ("20.13", "19.20"):
        _, best = nf.industry_nearby(sector, None)
        assert not nf.plants.iloc[[b for b in best if b >= 0]]["status"].eq("idle").any()
    as_operating = NationalFacts.build(catalog.municipalities, nf.dist, t["fi_seaports.csv"], t["fi_grid_substations.csv"],
                                       plants.assign(status=plants["status"].where(~idle, "operating")),
                                       t["fi_higher_education.csv"], t["decisions.csv"], _renewables())
    lieksa = _row(catalog, "422")  # Harjavalta has running chemical plants too (its gas plants): Lieksa has no other
    assert as_operating.industry_nearby("19.20", None)[0][lieksa] > nf.industry_nearby("19.20", None)[0][lieksa]
    assert np.array_equal(nf.brownfield(None)[0], as_operating.brownfield(None)[0])


def test_a_case_never_sees_itself_later_decisions_or_its_own_project_family(catalog):
    nf = catalog.national
    hamina = _row(catalog, "075")
    # Google Hamina: 2009 purchase, expansions 2012, 2013, 2024 (group google_hamina)
    assert nf.precedent("63.11", Known(2009, "google_hamina"))[0][hamina] < 1.0
    assert nf.precedent("63.11", Known(2013, "google_hamina"))[0][hamina] < 1.0  # own family never counts
    assert nf.precedent("63.11", Known(2013, "someone_else"))[0][hamina] == 1.0  # Google's 2009/2012 did happen
    assert nf.precedent("63.11", Known(2009, "someone_else"))[0][hamina] < 1.0  # not yet in 2009
    # the year unknown: the time-dependent facts are unknown, not guessed
    assert np.isnan(nf.precedent("63.11", Known(None, "g"))[0]).all()


def test_training_cases_are_built_with_only_earlier_decisions(catalog, monkeypatch):
    seen = []
    from matcher.learn import cases as cases_module

    orig = cases_module.pair_features

    def spy(p, c, **kw):
        seen.append(kw.get("known"))
        return orig(p, c, **kw)

    monkeypatch.setattr(cases_module, "pair_features", spy)
    cases = decision_cases(ROOT / "data")
    build(catalog, cases)
    assert [k.year for k in seen] == [c.year for c in cases]
    assert [k.group for k in seen] == [c.group for c in cases]
    f22 = next(c for c in cases if c.case_id == "F22")  # Metsä Fibre Äänekoski, 2015
    fm = pair_features(f22.profile, catalog.candidates(FINLAND), key_sector=None, known=f22.known)
    i = int(np.flatnonzero(catalog.candidates(FINLAND).ids == "240")[0])  # Kemi: Metsä Fibre's 2021 decision
    assert fm.raw[i, INDEX["precedent"]] < 1.0


@pytest.mark.parametrize("name", ["data_centre", "battery_chemicals", "pulp_bioproducts",
                                  "sawmill_engineered_wood"])
def test_site_level_needs_are_said_not_assessed_in_the_national_scope(catalog, name):
    r = rank(load_profile(ROOT / "examples" / f"{name}.json"), catalog, scope=FINLAND, top=3, as_of=AS_OF)
    for m in r.results:
        na = [x for x in m.explanation.missing if x.get("status") == "not_assessed"]
        assert {x["criterion"] for x in na} >= {"land"}
        assert all("not assessed at municipal level" in x["en"] and "kuntatasolla" in x["fi"] for x in na)
        total = sum(c.contribution for c in m.explanation.contributions)
        assert total == pytest.approx(m.score, abs=1e-12)


def test_a_site_level_hard_need_leaves_every_municipality_unverified_and_says_not_assessed(catalog):
    r = rank(load_profile(ROOT / "examples" / "battery_chemicals.json"), catalog, scope=FINLAND, top=5, as_of=AS_OF)
    assert r.meets_total == 0 and r.unverified_total == len(catalog.candidates(FINLAND))
    for m in r.results:
        assert m.feasibility == "unverified"
        rail = [x for x in m.explanation.missing if x["criterion"] == "rail"]
        assert rail and all(x.get("status") == "not_assessed" and "pistoraide" in x["fi"] for x in rail)
        assert all(x.get("status") == "not_assessed" for x in m.explanation.missing)  # nothing "unknown"


def test_town_size_counts_each_tenfold_the_same_between_fixed_ends():
    from matcher.core.features import TOWN_POP_HI, TOWN_POP_LO, town_size

    v = town_size(np.array([500.0, TOWN_POP_LO, 10 * TOWN_POP_LO, 100 * TOWN_POP_LO, TOWN_POP_HI, 5e6, np.nan]))
    assert v[0] == 0.0 and v[1] == 0.0 and v[4] == pytest.approx(1.0) and v[5] == 1.0 and np.isnan(v[6])
    assert v[3] - v[2] == pytest.approx(v[2] - v[1])


def test_four_industries_get_four_different_national_top_tens_naming_port_grid_cluster(catalog):
    tops, labels = {}, set()
    for name in ("data_centre", "battery_chemicals", "pulp_bioproducts", "sawmill_engineered_wood"):
        r = rank(load_profile(ROOT / "examples" / f"{name}.json"), catalog, scope=FINLAND, top=10, as_of=AS_OF)
        tops[name] = tuple(m.candidate_id for m in r.results)
        labels |= {c.criterion for m in r.results for c in m.explanation.contributions if c.contribution > 0}
    assert len(set(tops.values())) == 4
    assert {"port", "transmission", "industry_nearby"} <= labels


def _renewables():
    return pd.read_csv(ROOT / "data" / "fi_renewable_generation.csv", dtype={"municipality_code": str})


def test_renewable_capacity_nearby_is_the_sum_of_the_source_rows_within_100_km(catalog):
    nf, rows = catalog.national, _renewables()
    for code in ("751", "240", "205", "091"):  # Simo, Kemi, Kajaani, Helsinki
        near = [r.mw for r in rows.itertuples() if _km(catalog, code, r.municipality_code) <= RENEWABLE_KM]
        assert nf.renewable_mw(None)[_row(catalog, code)] == pytest.approx(sum(near), abs=1e-9)
    # Keminmaa's own plants (Taivalkoski 133 MW since 1976, Isohaara 106 MW since 1949) are in Kemi's sum
    assert nf.renewable_mw(None)[_row(catalog, "240")] >= 133 + 106
    assert nf.renewable_mw(None)[_row(catalog, "091")] == 0.0  # nothing listed within 100 km of Helsinki


def test_a_case_never_sees_renewable_capacity_of_its_own_year_or_later(catalog):
    nf, rows = catalog.national, _renewables()
    totals = rows[rows.kind == "municipal_total"]
    assert set(totals.since_year) == {2021}  # the wind totals were counted at the end of 2021
    # no municipality has both a total and a plant of one technology, so every visible row simply adds up
    assert not set(zip(totals.municipality_code, totals.technology)) & set(
        zip(rows[rows.kind == "plant"].municipality_code, rows[rows.kind == "plant"].technology))

    def expected(code, year):
        return sum(r.mw for r in rows.itertuples()
                   if r.since_year < year and _km(catalog, code, r.municipality_code) <= RENEWABLE_KM)

    simo = _row(catalog, "751")
    for year in (1950, 2011, 2012, 2021, 2022):
        assert nf.renewable_mw(Known(year, "x"))[simo] == pytest.approx(expected("751", year))
    # a 2021 decision does not see the end-of-2021 totals (Simo's own 280 MW among them), a 2022 one does
    assert nf.renewable_mw(Known(2022, "x"))[simo] - nf.renewable_mw(Known(2021, "x"))[simo] >= 280
    # Tornio's Rajakiiri farm (28.8 MW, in operation 2011) counts from 2012 on
    tornio = _row(catalog, "851")
    assert nf.renewable_mw(Known(2012, "x"))[tornio] - nf.renewable_mw(Known(2011, "x"))[tornio] == pytest.approx(28.8)
    # a plant counts only from the year after it started: Porttipahta (Sodankylä, 1981)
    sodankyla = _row(catalog, "758")
    assert nf.renewable_mw(Known(1982, "x"))[sodankyla] - nf.renewable_mw(Known(1981, "x"))[sodankyla] == pytest.approx(40.5)
    assert np.isnan(nf.renewable_mw(Known(None, "x"))).all()  # year unknown: unknown, not zero


def test_of_one_municipalitys_totals_only_the_newest_before_the_year_counts(catalog):
    from matcher.core.national import NationalFacts

    m = catalog.municipalities
    extra = pd.DataFrame([
        {"generation_id": "T1", "name": "Simo 2015", "technology": "wind", "kind": "municipal_total",
         "mw": 50.0, "municipality_code": "751", "since_year": 2015, "source_urls": "https://x"},
        {"generation_id": "T2", "name": "a Simo farm", "technology": "wind", "kind": "plant",
         "mw": 20.0, "municipality_code": "751", "since_year": 2010, "source_urls": "https://x"}])
    t = catalog.national_tables
    nf = NationalFacts.build(m, catalog.national.dist, t["fi_seaports.csv"], t["fi_grid_substations.csv"],
                             t["fi_reference_plants.csv"], t["fi_higher_education.csv"], t["decisions.csv"],
                             pd.concat([_renewables(), extra], ignore_index=True))
    simo, base = _row(catalog, "751"), catalog.national.renewable_mw(Known(2016, "x"))[_row(catalog, "751")]
    assert nf.renewable_mw(Known(2016, "x"))[simo] == pytest.approx(base + 50.0)  # the 2015 total, farm inside it
    assert nf.renewable_mw(Known(2012, "x"))[simo] == pytest.approx(
        catalog.national.renewable_mw(Known(2012, "x"))[simo] + 20.0)  # before any total: the farm itself
    assert nf.renewable_mw(Known(2022, "x"))[simo] == catalog.national.renewable_mw(Known(2022, "x"))[simo]


def test_renewable_capacity_is_log_scaled_between_fixed_ends():
    from matcher.core.features import RENEWABLE_MW_REF, renewable_scale

    v = renewable_scale(np.array([0.0, 9.0, 99.0, RENEWABLE_MW_REF, 10 * RENEWABLE_MW_REF, np.nan]))
    assert v[0] == 0.0 and v[3] == 1.0 and v[4] == 1.0 and np.isnan(v[5])
    assert v[2] - v[1] == pytest.approx(v[1] - v[0])  # each tenfold of (1 + MW) counts the same


_TRIAL_SCRIPT = """
import numpy as np
from matcher import FINLAND
from matcher.core.catalog import Catalog
from matcher.core.criteria import CRITERION_NAMES, INDEX
from matcher.core.features import pair_features, renewable_scale
from matcher.core.national import Known
from matcher.core.profile import parse_profile
c = Catalog.load({data!r}); cands = c.candidates(FINLAND)
assert CRITERION_NAMES[-1] == "renewables"
soft = pair_features(parse_profile({{"name": "x", "sector": "62.01"}}), cands, key_sector=None)
assert not soft.applicable[INDEX["renewables"]]
dc = pair_features(parse_profile({{"name": "x", "sector": "63.11", "power_mw": 50}}), cands, key_sector=None,
                   known=Known(2022, "x"))
assert dc.applicable[INDEX["renewables"]]
i = int(np.flatnonzero(cands.ids == "751")[0]); m = int(np.flatnonzero(c.national.codes == "751")[0])
assert dc.raw[i, INDEX["renewables"]] == renewable_scale(c.national.renewable_mw(Known(2022, "x")))[m] > 0
print("ok")
"""


def test_renewables_is_a_trial_criterion_for_energy_heavy_profiles_only_when_asked_for():
    import os
    import subprocess
    import sys

    assert "renewables" not in CRITERION_NAMES  # measured, not adopted: the stored models' features stay as they are
    env = {**os.environ, "KAINUU_TRIAL_CRITERIA": "renewables"}
    out = subprocess.run([sys.executable, "-c", _TRIAL_SCRIPT.format(data=str(ROOT / "data"))], env=env,
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
    bad = subprocess.run([sys.executable, "-c", "import matcher.core.criteria"], capture_output=True, text=True,
                         env={**os.environ, "KAINUU_TRIAL_CRITERIA": "renewable"}, cwd=ROOT, timeout=120)
    assert bad.returncode != 0 and "no trial criterion named renewable" in bad.stderr


def test_port_does_not_apply_to_a_software_company(catalog):
    fm = pair_features(profile(sector="62.01"), catalog.candidates(FINLAND), key_sector=None)
    assert not fm.applicable[INDEX["port"]] and fm.applicable[INDEX["education"]]


def test_additive_boosting_contributions_add_up_exactly():
    rng = np.random.default_rng(0)
    X = rng.random((2000, len(CRITERION_NAMES)))
    y = X[:, 0] + X[:, 1] * X[:, 2] + rng.normal(0, 0.3, 2000) > 1.2
    m = AdditiveBoostingRanker(max_iter=30).fit(X, y)
    c = m.contributions(X[:40])
    assert np.allclose(c.sum(1), m.decision_function(X[:40]), atol=1e-10)
    assert np.allclose(m.contributions(np.zeros((1, X.shape[1]))), 0.0)
    assert m.get_params()["max_iter"] == 30


def test_a_tree_model_loads_only_when_its_file_matches_the_card(tmp_path):
    rng = np.random.default_rng(1)
    X = rng.random((500, len(CRITERION_NAMES)))
    m = AdditiveBoostingRanker(max_iter=5).fit(X, X[:, 0] > 0.7)
    folder = save_tree(tmp_path / "gbt" / "v1", m, {"name": "gbt", "version": "v1", "adopted": True})
    card = json.loads((folder / "model_card.json").read_text())
    assert len(card["files"]["model.joblib"]) == 64 and card["features"] == list(CRITERION_NAMES)
    loaded = load(folder)
    assert isinstance(loaded, TreeRanker)
    assert np.allclose(loaded.decision_function(X[:5]), m.decision_function(X[:5]))
    raw = bytearray((folder / "model.joblib").read_bytes())
    raw[-10] ^= 0xFF  # one flipped byte
    (folder / "model.joblib").write_bytes(bytes(raw))
    with pytest.raises(ModelRefused, match="sha256 does not match"):
        load(folder)
    card["features"] = card["features"][:-1]
    (folder / "model_card.json").write_text(json.dumps(card))
    with pytest.raises(ModelRefused):
        load(folder)


def test_an_adopted_tree_ranks_the_national_scope_with_contributions_that_add_up(catalog):
    from matcher.learn.evaluation import blind

    ts = build(catalog, decision_cases(ROOT / "data"))
    model = AdditiveBoostingRanker(max_iter=30).fit(blind(ts.X), ts.chosen, groups=ts.case_of_row)
    tree = TreeRanker(model, "gbt-test", ("finland",)).fit()
    r = rank(load_profile(ROOT / "examples" / "data_centre.json"), catalog, scope=FINLAND, top=5, ranker=tree,
             as_of=AS_OF)
    assert r.model_version == "gbt-test"
    for m in r.results:
        assert sum(c.contribution for c in m.explanation.contributions) == pytest.approx(m.score, abs=1e-12)
        assert -1.0 <= m.score <= 1.0
    assert [m.score for m in r.results] == sorted((m.score for m in r.results), reverse=True)
    # a profile with its own weights, and the Kainuu sites, are ranked by the linear prior
    own = json.loads((ROOT / "examples" / "sawmill_engineered_wood.json").read_text()) | {"weights": {"sector_fit": 0.15}}
    saw = rank(parse_profile(own), catalog, scope=FINLAND, top=3, ranker=tree, as_of=AS_OF)
    assert saw.model_version.startswith("expert-prior")
    assert tree.for_scope("kainuu").version.startswith("expert-prior")


def test_the_per_case_table_shows_choice_held_out_ranks_and_the_models_top_three(catalog):
    from matcher.learn.evaluation import leave_one_group_out
    from matcher.learn.training import case_table

    cases = [c for c in decision_cases(ROOT / "data") if c.case_id in ("K01", "F01", "F13", "F22", "A03", "F26")]
    ts = build(catalog, cases)
    ev = leave_one_group_out(ts, l2=1.0, with_tree=True)
    rows = ev.case_rows()
    assert [r["case_id"] for r in rows] == [c.case_id for c in ts.cases]
    by_id = {r["case_id"]: r for r in rows}
    assert by_id["F01"]["chosen"] == "Hamina" and by_id["F01"]["year"] == 2009
    for r in rows:
        assert set(r["rank"]) == {"learned", "expert_prior", "topsis_equal", "population", "tree"}
        assert all(1 <= v <= 308 for v in r["rank"].values())
        assert len(r["top3"]["learned"]) == 3 and len(r["top3"]["tree"]) == 3
    text = case_table(ev, "tree").splitlines()
    assert "top 3 (gbt, held out)" in text[0] and len(text) == len(rows) + 1
    assert text[1].startswith(rows[0]["case_id"]) and rows[0]["top3"]["tree"][0] in text[1]
    from matcher.learn.training import markdown

    md = markdown(ev, "learned").split("\n\n")
    methods, per_case = md[0].splitlines(), md[1].splitlines()
    assert len(methods) == 2 + len(ev.methods) and methods[2].startswith("| learned | ")
    assert len(per_case) == 2 + len(rows) and per_case[2].startswith(f"| {rows[0]['case_id']} | ")
    assert f"{rows[0]['rank']['population']:g}" in per_case[2].split(" | ")[6]
    # a tie's half rank is printed as it is (40.5), not rounded to an even neighbour (40)
    ev.ranks["population"][0] = 40.5
    assert markdown(ev, "learned").split("\n\n")[1].splitlines()[2].split(" | ")[6] == "40.5"
    assert "    40.5" in case_table(ev, "tree").splitlines()[1]


def test_renewable_table_validation_names_file_row_column_and_reason(data_copy, capsys):
    import csv

    from matcher.cli import main

    path = data_copy / "fi_renewable_generation.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    rows[0]["mw"] = "-5"
    rows[1]["technology"] = "solar"
    rows[2]["since_year"] = ""
    rows[3]["source_urls"] = "not a url"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert main(["validate-data", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "fi_renewable_generation.csv:2:mw:" in out and "below the allowed minimum" in out
    assert "fi_renewable_generation.csv:3:technology:" in out
    assert "fi_renewable_generation.csv:4:since_year:" in out
    assert "fi_renewable_generation.csv:5:source_urls:" in out


NAMED_FACTS = ("port", "transmission", "industry_nearby", "precedent", "brownfield", "education")


def _not_counted_facts_are_shown_apart(r) -> set[str]:
    """Checks every result of ranking ``r``: a named national fact the ranking gives no weight is on the
    "not counted" line, never among the reasons, and the parts add up to the score. Returns the criteria
    seen so (the caller pins which)."""
    from matcher.core.messages import t

    seen = set()
    for m in r.results:
        e = m.explanation
        for c in e.contributions:
            if c.criterion not in NAMED_FACTS or c.weight != 0:
                continue
            assert c.contribution == 0
            for lang in ("en", "fi"):
                line = t("unweighted", lang, label=t(f"label.{c.criterion}", lang), fact="")
                assert any(x.startswith(line) for x in e.unweighted[lang]), (m.name, c.criterion, lang)
                assert not any(t(f"label.{c.criterion}", lang) in x for x in e.reasons[lang])
            seen.add(c.criterion)
        assert sum(c.contribution for c in e.contributions) == pytest.approx(m.score, abs=1e-12)
    return seen


def test_a_named_fact_the_adopted_model_does_not_weigh_is_shown_as_not_counted_never_as_a_reason(catalog):
    """Whichever model is adopted: a named national fact it gives no weight (under the committed trees the
    port; under session 13's logit it was the campus) is named on a line of its own in the
    battery-chemicals ranking, said to count for nothing, and never among the reasons."""
    from matcher.learn.model_store import load_best_ranker

    ranker = load_best_ranker(ROOT / "models")
    r = rank(load_profile(ROOT / "examples" / "battery_chemicals.json"), catalog, scope=FINLAND, top=5,
             ranker=ranker, as_of=AS_OF)
    assert _not_counted_facts_are_shown_apart(r) & set(NAMED_FACTS)
    kainuu = rank(load_profile(ROOT / "examples" / "battery_chemicals.json"), catalog, top=5, as_of=AS_OF)
    assert all(m.explanation.unweighted == {"en": [], "fi": []} for m in kainuu.results)


def test_the_committed_trees_give_the_port_no_part_and_say_so(catalog):
    """The additive trees (trained beside the logit, not adopted since 2026-11-29 session 13) give nearness
    to a seaport no part: ranked by them, each town's port is named and said to count for nothing."""
    from matcher.learn.model_store import load

    folder = max((ROOT / "models" / "gbt").iterdir())
    r = rank(load_profile(ROOT / "examples" / "battery_chemicals.json"), catalog, scope=FINLAND, top=5,
             ranker=load(folder), as_of=AS_OF)
    assert r.model_version.startswith("gbt")
    assert "port" in _not_counted_facts_are_shown_apart(r)
    assert all(any("port of" in x for x in m.explanation.unweighted["en"]) for m in r.results)
    # in Finnish the label names the port once: "satama: Pori (suuri satama)", not "satama: satama Pori"
    fi = [x for m in r.results for x in m.explanation.unweighted["fi"] if "satama:" in x]
    assert fi and all("satama: satama" not in x for x in fi)
    assert "satama: Pori (suuri satama), samassa kunnassa" in fi[0]


def test_sensitivity_under_the_trees_varies_their_own_parts_and_without_spread_keeps_their_order(catalog, monkeypatch):
    """A tree has no weights, but its score is the sum of exact per-criterion parts: the sensitivity
    analysis varies how much each part counts (not the prior's weights, as it did before 2026-11-30), so
    with no spread every draw is the trees' own ranking, and with the spread the shares are real."""
    from matcher.learn.model_store import load
    from matcher.municipal import sensitivity as sens

    tree = load(max((ROOT / "models" / "gbt").iterdir()))
    p = load_profile(ROOT / "examples" / "battery_chemicals.json")
    out = sens.sensitivity(p, catalog, scope=FINLAND, ranker=tree, draws=200, top=5)
    assert out["model_version"].startswith("gbt") and out["weight_uncertainty"] == sens.PARTS_SPREAD
    assert [r["name"] for r in out["results"]] == [m.name for m in rank(p, catalog, scope=FINLAND, top=5,
                                                                        ranker=tree).results]
    assert min(r["same_rank_share"] for r in out["results"]) < 1.0
    monkeypatch.setattr(sens, "PRIOR_LOG_SIGMA", 0.0)
    still = sens.sensitivity(p, catalog, scope=FINLAND, ranker=tree, draws=50, top=5)
    assert all(r["same_rank_share"] == 1.0 for r in still["results"])


def test_a_part_every_town_gets_alike_is_no_reason_but_still_counts_in_the_score(catalog):
    """Under the trees more than half of all municipalities get the cost criterion's full part, so
    "Fair cost level" was among the reasons of most towns while telling them apart from none. A reason is
    a part that lifts the place above the typical candidate; the part itself stays in the sum."""
    from matcher.core.engine import score

    tree = load(max((ROOT / "models" / "gbt").iterdir()))
    s = score(load_profile(ROOT / "examples" / "data_centre.json"), catalog, scope=FINLAND, ranker=tree)
    i = int(np.flatnonzero(s.candidates.names.astype(str) == "Kajaani")[0])
    j = INDEX["cost"]
    assert 0.99 * s.typical[j] <= s.contributions[i, j] <= s.typical[j] + 1e-12 and s.contributions[i, j] > 0
    e = s.explain(i, catalog)
    assert not any("cost level" in x for x in e.reasons["en"]) and len(e.reasons["en"]) == 3
    assert sum(c.contribution for c in e.contributions) == pytest.approx(s.scores[i], abs=1e-12)
    s.__dict__["typical"] = np.zeros_like(s.typical)  # judged by the size of the parts alone, it would lead
    assert any("cost level" in x for x in s.explain(i, catalog).reasons["en"])


def test_a_strength_that_is_no_reason_is_no_weakness_and_does_not_hide_the_real_one(catalog):
    """With reasons chosen by lift, a strength every town shares (the trees' cost part) was left out of
    the reasons and then won the pick of the weakest point, which, being half-way to perfect, was not
    shown: Tampere, first for software, had no weakness at all. The weakest point is chosen among the
    criteria that are no strength."""
    from matcher.learn.model_store import load_best_ranker

    r = rank(load_profile(ROOT / "examples" / "ict_software.json"), catalog, scope=FINLAND, top=3,
             ranker=load_best_ranker())
    assert all(m.explanation.weakness["en"] for m in r.results)
    from matcher.core.explain import STRENGTH_MIN
    from matcher.core.messages import t

    for m in r.results:  # the weakness named is a criterion below half-way to perfect, never a strength
        weak = [c for c in m.explanation.contributions
                if m.explanation.weakness["en"].startswith(f"Weakest point, {t(f'label.{c.criterion}', 'en')}:")]
        assert len(weak) == 1 and weak[0].value < STRENGTH_MIN


def test_a_half_way_value_a_tree_gives_no_part_does_not_hide_the_real_weakness(catalog):
    """Siikainen's 400 kV access (0.69, no part under the trees for a wind farm) won the pick of the
    weakest point and, being half-way to perfect, was not shown: its real weakness (an earlier project
    of the sector or a closed mill nearby, below 0.5) vanished. Only values below half-way are picked."""
    from matcher.learn.model_store import load_best_ranker

    r = rank(load_profile(ROOT / "examples" / "wind_power.json"), catalog, scope=FINLAND, top=10,
             ranker=load_best_ranker())
    from matcher.core.explain import STRENGTH_MIN

    # (the plant list holds no power plants, so "no plant nearby" is no weakness of a wind farm's town)
    below = [m for m in r.results if any(c.known and c.weight > 0 and c.value < STRENGTH_MIN
                                         and c.criterion != "industry_nearby" for c in m.explanation.contributions)]
    assert {"Siikainen", "Kannus"} <= {m.name for m in below}
    assert all(m.explanation.weakness["en"] for m in below)


def test_lapland_is_told_its_nearest_port_not_the_first_row_of_the_port_table(catalog):
    """Beyond every port's reach the access is 0 everywhere; the port named is then the nearest one
    (an argmax over zeros named HaminaKotka, 760–1,000 km away, for Sodankylä and Utsjoki)."""
    nf = catalog.national
    for code in ("758", "890", "261"):  # Sodankylä, Utsjoki, Kittilä
        m = _row(catalog, code)
        named = nf.ports.iloc[nf.port_of[m]]
        d = [_km(catalog, code, c) for c in nf.ports["municipality_code"]]
        assert _km(catalog, code, named["municipality_code"]) == pytest.approx(min(d))
        assert named["name"] != "HaminaKotka"


def test_a_plant_in_the_same_municipality_is_said_to_be_there_not_zero_km_away(catalog):
    r = rank(load_profile(ROOT / "examples" / "mining.json"), catalog, scope=FINLAND, top=400, as_of=AS_OF)
    sodankyla = next(m for m in r.results if m.candidate_id == "758")
    text = " ".join(sodankyla.explanation.reasons["en"] + sodankyla.explanation.unweighted["en"])
    assert "Kevitsa" in text and "in the same municipality" in text and "Kevitsa copper-nickel mine (Boliden), 0 km" not in text
    fi = " ".join(sodankyla.explanation.reasons["fi"])
    assert "samassa kunnassa" in fi


def test_a_mill_site_taken_over_whole_is_a_brownfield_for_the_decision_that_takes_it_only(catalog):
    """Google bought Stora Enso's closed Summa mill in 2009: it counts as a free site for a 2009
    decision in Hamina, not for later ones nor for today's ranking."""
    nf = catalog.national
    summa = int(np.flatnonzero(nf.plants["name"] == "Summa paper mill")[0])
    hamina = _row(catalog, "075")
    assert nf.brownfield(Known(year=2009))[1][hamina] == summa
    assert nf.brownfield(Known(year=2012))[1][hamina] != summa
    assert nf.brownfield(None)[1][hamina] != summa


def test_a_plant_without_a_named_company_shows_a_question_mark_not_nan(catalog):
    r = rank(load_profile(ROOT / "examples" / "data_centre.json"), catalog, scope=FINLAND, top=400, as_of=AS_OF)
    texts = [x for m in r.results for lang in ("en", "fi") for x in m.explanation.reasons[lang] + m.explanation.unweighted[lang]]
    assert not any("(nan)" in x for x in texts)


def test_a_kainuu_only_weight_leaves_the_national_ranking_to_the_adopted_model(catalog):
    """The wind example weighs the grid, a Kainuu-only criterion: nationally the adopted model still ranks
    (it used to be replaced by the expert prior, which put Espoo second for a wind farm)."""
    from matcher.learn.model_store import load_best_ranker

    ranker = load_best_ranker(ROOT / "models")
    grid_only = profile(sector="35.11", power_mw=50, weights={"grid": 0.2})
    assert ranker.version != "expert-prior-1"
    assert rank(grid_only, catalog, scope=FINLAND, top=3, ranker=ranker, as_of=AS_OF).model_version == ranker.version
    assert any(c["en"].startswith("Track record") for c in rank(grid_only, catalog, scope=FINLAND, top=3, ranker=ranker,
                                                                as_of=AS_OF).caveats)
    # a weight on a national criterion: a linear model takes it over its own, a tree gives way to the
    # prior; either way the ranking is no longer the model's, so its track record is not shown
    national = profile(sector="35.11", power_mw=50, weights={"education": 0.2})
    r = rank(national, catalog, scope=FINLAND, top=3, ranker=ranker, as_of=AS_OF)
    assert not any(c["en"].startswith("Track record") for c in r.caveats)
    assert r.model_version in (ranker.version + "+profile-weights", "expert-prior-1")  # linear: own weights; tree: the prior
    education = next(c for c in r.results[0].explanation.contributions if c.criterion == "education")
    assert education.weight > 0


def test_the_kainuu_strategy_bonus_plays_no_part_in_a_finland_wide_ranking(catalog):
    r = rank(load_profile(ROOT / "examples" / "tourism_resort.json"), catalog, scope=FINLAND, top=400, as_of=AS_OF)
    for m in r.results:
        # not a criterion of the Finland-wide scope at all (it was, and put Kajaani ahead of Eurajoki)
        assert not [c for c in m.explanation.contributions if c.criterion == "strategic_priority"]
        assert not any("strategy key sector" in x for x in m.explanation.reasons["en"])


def test_a_small_load_is_not_judged_on_the_400_kv_grid_but_a_large_one_is(catalog):
    """A 3 MW food plant connects at 20 or 110 kV: "Strong 400 kV transmission grid" was no reason
    for it. From 10 MW (or in an energy-intensive division) the criterion applies."""
    small = rank(profile(sector="10.51", jobs=50, power_mw=3), catalog, scope=FINLAND, top=5, as_of=AS_OF)
    large = rank(profile(sector="10.51", jobs=50, power_mw=40), catalog, scope=FINLAND, top=5, as_of=AS_OF)
    crit = lambda r: {c.criterion for m in r.results for c in m.explanation.contributions}  # noqa: E731
    assert "transmission" not in crit(small) and "transmission" in crit(large)


def test_an_earlier_project_says_how_far_it_got(catalog):
    """Finnpulp's Kuopio mill stopped at its permit: "Strong earlier investment" read as if it was
    built. The fact names the stage the sources document."""
    r = rank(load_profile(ROOT / "examples" / "pulp_bioproducts.json"), catalog, scope=FINLAND, top=400, as_of=AS_OF)
    kuopio = next(m for m in r.results if m.candidate_id == "297").explanation
    texts = " ".join(kuopio.reasons["en"] + kuopio.unweighted["en"] + [kuopio.weakness["en"] or ""])
    assert "Finnpulp" in texts and "(permit application, 2017)" in texts
    fi = [x for m in r.results for x in m.explanation.reasons["fi"] if "alan aiempi hanke" in x]
    assert fi and all(any(s in x for s in ("investointipäätös", "maanosto", "lupahakemus", "julkistettu")) for x in fi)


def test_a_plant_of_a_related_industry_is_said_to_be_related_not_the_same():
    from matcher.core.explain import related_note

    assert related_note("24.10", "20", "en") == " (a related industry: 20 Manufacture of chemicals and chemical products)"
    assert related_note("24.10", "24", "en") == ""
    assert related_note("20.11", "20", "fi") == ""
    assert related_note("16.10", "17", "fi").startswith(" (lähiala: 17 ")


def test_a_national_ranking_for_an_industry_without_recorded_decisions_says_it_is_untested(catalog, capsys):
    """A resort got Helsinki, Espoo and Vantaa first nationally: no decision of division 55 is among
    the 137, so the ranking rests on town size and workforce. It says so, in the table and JSON;
    an industry with decisions (pulp) and any Kainuu ranking carry no such caveat."""
    from matcher.cli import main

    resort = profile(sector="55.10", jobs=80)
    r = rank(resort, catalog, scope=FINLAND, top=3, as_of=AS_OF)
    assert "0 of the 137" in r.caveats[0]["en"] and "55 Majoitus" in r.caveats[0]["fi"]
    assert r.as_dict()["caveats"] == r.caveats
    pulp = rank(load_profile(ROOT / "examples" / "pulp_bioproducts.json"), catalog, scope=FINLAND, top=3)
    assert not any("Untested" in c["en"] for c in pulp.caveats)
    assert rank(resort, catalog, top=3).caveats == []
    assert main(["rank", str(ROOT / "examples" / "ict_software.json"), "--scope", "finland", "--top", "1"]) == 0
    assert "! Untested for this industry" in capsys.readouterr().out


def test_a_national_ranking_without_hard_needs_says_meets_verifies_nothing(catalog):
    plain = rank(profile(sector="10.11", jobs=50), catalog, scope=FINLAND, top=3, as_of=AS_OF)
    assert any("passes by default" in c["en"] for c in plain.caveats)
    needs = rank(profile(sector="10.11", jobs=50, power_mw=5), catalog, scope=FINLAND, top=3, as_of=AS_OF)
    assert not any("passes by default" in c["en"] for c in needs.caveats)
    assert rank(profile(sector="10.11", jobs=50), catalog, top=3).caveats == []


def test_a_national_ranking_states_the_models_held_out_record_for_the_industry(catalog):
    """Held out, the sawmill towns rank low (a sawmill town of 4 000 looks like any other), wind farms
    too; a national ranking says how the model that ranks did on the profile's industry, from its own
    card's record — recomputed here from the card and data/decisions.csv. The prior has no record and
    claims none; an untested industry gets the untested caveat instead; Kainuu rankings neither."""
    from matcher.learn.model_store import MODELS_DIR, load_best_ranker

    ranker = load_best_ranker()
    assert ranker.track_record_, "the adopted model's card carries its held-out record"
    name, version = ranker.version.split("-", 1)
    card = json.loads((MODELS_DIR / name / version / "model_card.json").read_text())
    decisions = pd.read_csv(ROOT / "data" / "decisions.csv", dtype=str)
    ids = decisions.loc[decisions["nace"].str[:2] == "16", "decision_id"]
    ranks = np.array([card["held_out_ranks"][i] for i in ids])
    sawmill = load_profile(ROOT / "examples" / "sawmill_engineered_wood.json")
    r = rank(sawmill, catalog, scope=FINLAND, top=3, ranker=ranker, as_of=AS_OF)
    [line] = [c for c in r.caveats if c["en"].startswith("Track record")]
    assert f"in the {len(ranks)} recorded location decisions of 16 " in line["en"]
    assert f"median rank of {np.median(ranks):.0f} of 308 municipalities" in line["en"]
    assert f"in its top 10 in {int((ranks <= 10).sum())} of them" in line["en"]
    assert line["fi"].startswith("Osumatarkkuus tällä toimialalla (16 ")
    assert r.as_dict()["caveats"] == r.caveats
    assert not any(c["en"].startswith("Track record") for c in
                   rank(sawmill, catalog, scope=FINLAND, top=3, as_of=AS_OF).caveats)  # the prior: no record
    resort = rank(profile(sector="55.10", jobs=80), catalog, scope=FINLAND, top=3, ranker=ranker, as_of=AS_OF)
    assert [c["en"].split(":")[0] for c in resort.caveats][:1] == ["Untested for this industry"]
    assert not any(c["en"].startswith("Track record") for c in resort.caveats)
    assert rank(sawmill, catalog, top=3, ranker=ranker).caveats == []


def test_helsinki_is_in_helsinki_not_0_km_from_it(catalog):
    from matcher.core.explain import fact

    c = catalog.candidates(FINLAND)
    i = list(c.municipality_codes).index("091")
    assert fact("logistics", profile(sector="55.10"), c, i, "fi", None, {}) == "Helsingissä"
    j = list(c.municipality_codes).index("853")
    assert fact("logistics", profile(sector="55.10"), c, j, "en", None, {}).endswith("km from Helsinki")


def test_an_industry_the_plant_list_does_not_cover_is_not_told_no_plant_is_near(catalog):
    """Every wind farm's weakest point read "no listed large plant of this or a related industry
    within 100 km" — the list holds no power plants at all (Pori lies 32 km from Olkiluoto). That is a
    fact about the list: said as "not assessed", and never the weakest point."""
    from matcher.learn.model_store import load_best_ranker

    assert catalog.national.covers("17.11") and not catalog.national.covers("35.11")
    wind = load_profile(ROOT / "examples" / "wind_power.json")
    r = rank(wind, catalog, scope=FINLAND, top=10, ranker=load_best_ranker(), as_of=AS_OF)
    for m in r.results:
        e = m.explanation
        assert "large plants" not in (e.weakness["en"] or "")
        assert not any("no listed large plant" in x for x in e.reasons["en"] + e.unweighted["en"])
    prior = rank(wind, catalog, scope=FINLAND, top=3, as_of=AS_OF)  # the prior weighs it: still not weakest
    assert all("large plants" not in (m.explanation.weakness["en"] or "") for m in prior.results)


def test_an_expansion_does_not_hide_the_plant_it_expands_but_a_new_site_decision_there_would(catalog):
    """Pölkky expanded its Taivalkoski sawmill in 2019 (W08); the list gives that sawmill no first year.
    An expansion cannot have built the plant it expands, so the sawmill ran before 2019 and counts for
    that decision; the same decision recorded as a new site may have built it, and hides it."""
    from matcher.core.national import NationalFacts

    t = catalog.national_tables
    plants, decisions = t["fi_reference_plants.csv"], t["decisions.csv"]
    sawmill = plants[(plants["municipality_code"] == "832") & (plants["nace_division"] == "16")]
    assert len(sawmill) and sawmill["since_year"].isna().all()
    assert decisions.set_index("decision_id").loc["W08", "expansion"] == 1.0
    taivalkoski = _row(catalog, "832")
    assert catalog.national.industry_nearby("16.10", Known(2019, "x"))[0][taivalkoski] == 1.0
    nf = catalog.national
    as_new_site = NationalFacts.build(catalog.municipalities, nf.dist, t["fi_seaports.csv"], t["fi_grid_substations.csv"],
                                      plants, t["fi_higher_education.csv"],
                                      decisions.assign(expansion=decisions["expansion"].where(
                                          decisions["decision_id"] != "W08", 0.0)), _renewables())
    assert as_new_site.industry_nearby("16.10", Known(2019, "x"))[0][taivalkoski] < 1.0
    assert as_new_site.industry_nearby("16.10", Known(2020, "x"))[0][taivalkoski] == 1.0  # after it: built


def test_a_port_counts_for_process_industry_not_for_a_mine_or_a_sawmill(catalog):
    """A mine sits on its ore body and a sawmill in its wood basket: the port's nearness does not move
    them (over all recorded decisions, chosen mines and sawmills lay farther from ports than most candidates)."""
    cands = catalog.candidates(FINLAND)
    applies = {s: bool(pair_features(profile(sector=s), cands, key_sector=None).applicable[INDEX["port"]])
               for s in ("20.13", "17.11", "24.45", "07.29", "16.10", "16.21", "62.01")}
    assert applies == {"20.13": True, "17.11": True, "24.45": True, "07.29": False, "16.10": False,
                       "16.21": False, "62.01": False}


def test_town_size_is_no_pull_for_a_wind_farm(catalog):
    """A wind farm is built away from settlements and employs a handful: a larger town is no reason for it."""
    cands = catalog.candidates(FINLAND)
    assert not pair_features(profile(sector="35.11", power_mw=50), cands, key_sector=None).applicable[INDEX["town_size"]]
    assert pair_features(profile(sector="63.11", power_mw=50), cands, key_sector=None).applicable[INDEX["town_size"]]


def test_town_size_is_no_pull_for_a_sawmill_which_stands_in_its_wood_basket(catalog):
    """Wood products are bound to their raw material (the port does not count for them either): the
    recorded sawmill decisions are in Taivalkoski, Kuhmo, Tervola, Keitele, Alajärvi more than in towns."""
    cands = catalog.candidates(FINLAND)
    for sector in ("16.10", "16.21"):
        assert not pair_features(profile(sector=sector), cands, key_sector=None).applicable[INDEX["town_size"]]
    assert pair_features(profile(sector="17.11"), cands, key_sector=None).applicable[INDEX["town_size"]]


def test_every_plant_an_expansion_now_sees_without_a_first_year_was_reviewed_as_running_before_it():
    """An expansion no longer hides a plant without a first year in its municipality and industry. That
    is right only if the plant is not the expansion's own new build (an expansion can add a separately
    listed plant: Varkaus's LVL mill, safe because it has its year). These twelve were each read and ran
    before the expansions at their place (Kärpänen's row names the xylitol line of Fazer's 2019
    expansion, but the site, an oat mill and bakeries, is older; Veljekset Vaara's Tervola sawmill is
    the one its own 2019 expansion was made at; Punkaharju has made plywood "since the 60s" and UPM's
    Savonlinna mill was being extended in 2010, both before Metsä Wood's 2017 Punkaharju expansion). The
    register of 2026-11-29 added twelve, reviewed the same way: Simpele's board mill and Vihtavuori's powder
    works and Finnforel's Varkaus farm are the sites their expansions were made at; Kaskinen's BCTMP mill is
    the site of Metsä Board's 2022 plan there; Joutseno's BCTMP mill (Metsä Board), Forcit's Kemix plant
    and Carelian Caviar's farm belong to other companies than the expansions beside them; the rest are
    closed (Kaskinen's pulp mill 2009, Myllykoski 2011, Voikkaa 2006 before their expansions; Äänekoski's
    fine-paper mill 2011 and Vaasan's Seinäjoki bakery 2017, closure years added on 2026-11-30: a closed
    plant counts as running up to its closure year). A new such row fails here
    until it has been reviewed the same way, or given its first year (as Kemira's Joutseno plant,
    Kärpänen and Myllykoski were on 2026-11-30)."""
    plants = pd.read_csv(ROOT / "data" / "fi_reference_plants.csv", dtype=str)
    decisions = pd.read_csv(ROOT / "data" / "decisions.csv", dtype=str)
    expanded = {(code, r.nace[:2]) for r in decisions[decisions["expansion"].str.lower().isin(["true", "1", "1.0"])]
                .itertuples() for code in r.municipality_codes.split(";")}
    unyeared = plants[plants["since_year"].isna()]
    seen = {r.plant_id for r in unyeared.itertuples() if (r.municipality_code, r.nace_division) in expanded}
    assert seen == {"R05", "R42", "R79", "R82", "R119", "R126", "R127", "R131", "R141", "R143",
                    "R156", "R157", "R158", "R161", "R167", "R170", "R177", "R178", "R226", "R242", "R243"}


def test_another_group_of_the_same_division_counts_half_like_a_related_division():
    """A dairy is told more by a dairy than by a bakery: the same NACE group counts fully, another group of
    its division half, as a division of its value chain does; where a group is not known, the division."""
    from matcher.core.national import RELATED_FACTOR, related

    assert related("10", "10", "10.5", "10.5") == 1.0
    assert related("10", "10", "10.5", "10.7") == RELATED_FACTOR
    assert related("10", "10", None, "10.7") == 1.0  # a profile given at division level
    assert related("20", "24", "20.1", "24.4") == RELATED_FACTOR  # value chain, whatever the groups
    assert related("20", "10", "20.1", "10.5") == 0.0
    assert related("10", "10", "10.5", float("nan")) == 1.0  # a decision or plant without a group: the division
    assert related("10", "10", "10.5", None) == 1.0
    assert related(None, "10", None, "10.5") == 0.0  # a profile at section level


def test_every_plant_has_a_group_of_its_own_division(catalog):
    plants = catalog.national_tables["fi_reference_plants.csv"]
    assert plants["nace_group"].notna().all()
    assert all(g.startswith(d + ".") and len(g) == 4 for g, d in zip(plants["nace_group"], plants["nace_division"]))


def test_a_dairy_sees_a_dairy_in_full_and_a_bakery_only_as_a_related_industry(catalog):
    nf = catalog.national
    plants = nf.plants
    lapinlahti = _row(catalog, "402")  # Valio's Lapinlahti dairy
    value, of = nf.industry_nearby("10.51", None)
    assert value[lapinlahti] == 1.0 and plants.iloc[of[lapinlahti]]["nace_group"] == "10.5"
    # a town whose only food plant nearby is a bakery or confectionery, not a dairy: half at best
    bakery_only = [m for m in range(len(nf.codes)) if of[m] >= 0 and plants.iloc[of[m]]["nace_group"] != "10.5"]
    assert bakery_only and all(value[m] <= 0.5 for m in bakery_only)
    r = rank(profile(sector="10.51"), catalog, scope=FINLAND, top=400, as_of=AS_OF)
    texts = [x for m in r.results if m.candidate_id in {str(nf.codes[b]) for b in bakery_only}
             for x in m.explanation.reasons["en"] if "large plants" in x]
    assert texts and all("(a related industry: 10." in x for x in texts)
    fi = [x for m in r.results if m.candidate_id in {str(nf.codes[b]) for b in bakery_only}
          for x in m.explanation.reasons["fi"] if "tuotantolaitosten" in x]
    assert fi and all("(lähiala: 10." in x for x in fi)
