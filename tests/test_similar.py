"""Sites like this one: nearest offerings in Kainuu and nearest municipalities in Finland."""

import json

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api import Settings, create_app
from matcher.cli import main
from matcher.core.criteria import FINLAND, KAINUU
from matcher.portfolio.similar import MUNICIPAL_FEATURES, municipal_features, similar, site_features


def test_neighbours_are_ordered_by_distance_and_exclude_the_site_itself(catalog):
    out = similar("S01", catalog, top=8)
    d = [x["distance"] for x in out["kainuu"]]
    assert d == sorted(d) and len(d) == 8
    assert "S01" not in [x["id"] for x in out["kainuu"]]
    assert out["site"]["municipality_code"] not in [x["code"] for x in out["finland"]]


def test_the_distance_is_euclidean_on_standardised_features_with_unknowns_at_the_mean(catalog):
    f = catalog.candidates(FINLAND)
    M = municipal_features(f)
    filled = np.where(np.isnan(M), np.nanmean(M, axis=0), M)
    Z = (filled - filled.mean(0)) / filled.std(0)
    out = similar("S01", catalog, top=3)
    i = f.index_of(out["site"]["municipality_code"])
    for x in out["finland"]:
        j = f.index_of(x["code"])
        assert x["distance"] == pytest.approx(float(np.linalg.norm(Z[i] - Z[j])))
    all_d = np.linalg.norm(Z - Z[i], axis=1)
    all_d[i] = np.inf
    assert out["finland"][0]["code"] == str(f.ids[int(np.argmin(all_d))])
    assert set(out["finland"][0]["values"]) == set(MUNICIPAL_FEATURES)


def test_kainuu_features_report_the_unknown_values_they_compare(catalog):
    c = catalog.candidates(KAINUU)
    X = site_features(c)
    out = similar("S30", catalog, top=31 - 1)
    for x in out["kainuu"]:
        row = X[c.index_of(x["id"])]
        assert len(x["unknown"]) == int(np.isnan(row).sum())


def test_unknown_site_and_bad_top(catalog, capsys):
    with pytest.raises(KeyError, match="site_id"):
        similar("S99", catalog)
    with pytest.raises(ValueError, match="top"):
        similar("S01", catalog, top=0)
    assert main(["similar", "S99"]) == 2
    assert "SITE_ID" in capsys.readouterr().err


def test_cli_similar_json_and_finnish(capsys):
    assert main(["similar", "S01", "--format", "json", "--top", "3"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert len(out["kainuu"]) == 3 and len(out["finland"]) == 3
    assert main(["similar", "S01", "--lang", "fi"]) == 0
    assert "Kunnat, jotka muistuttavat kuntaa" in capsys.readouterr().out


def test_api_similar_sites(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'k.sqlite'}"))
    with TestClient(app) as c:
        r = c.get("/api/v1/sites/S01/similar?top=4")
        assert r.status_code == 200 and len(r.json()["kainuu"]) == 4
        assert c.get("/api/v1/sites/S99/similar").status_code == 404
        assert c.get("/api/v1/sites/S01/similar?top=0").status_code == 422


def test_sites_like_a_business_park_are_land_offerings_not_wind_or_tourism_areas(catalog):
    from matcher.portfolio.similar import KIND_FAMILY

    out = similar("S01", catalog, top=5)
    assert out["kainuu"]
    for n in out["kainuu"]:
        assert KIND_FAMILY[n["kind"]] == "land", n
        assert "holiday" not in n["name"].lower(), n
    wind = similar("S35", catalog, top=3)
    assert wind["kainuu"] and all(n["kind"] == "wind_area" for n in wind["kainuu"])


def test_values_are_shown_as_a_reader_knows_them_not_on_the_log_scale_they_are_compared_on(catalog):
    """'asukasluku (log10) 4,57' told a municipality nothing: the table shows inhabitants, workers,
    hectares and the location quotient itself; only the comparison uses the log scale."""
    out = similar("S01", catalog, top=3)
    f = catalog.candidates(FINLAND)
    m = f.index_of(out["site"]["municipality_code"])
    assert out["site"]["municipal_values"]["log_population"] == pytest.approx(float(f.mun["population"][m]))
    assert 0.05 <= out["site"]["municipal_values"]["industry_lq"] <= 20  # a quotient, not its log2
    assert out["site"]["values"]["log_all_workers"] > 1000  # Kajaani's commuting area: thousands, not 4.4
