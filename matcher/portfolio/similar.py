"""Sites like this one: the offerings nearest to a site in feature space, in Kainuu, and — at
municipal level — the Finnish municipalities nearest to the site's own municipality ("where else
in Finland is a place like our Renforsin Ranta, and how do we compare").

Features are standardised (zero mean, unit variance over the set compared, sklearn's
StandardScaler) and compared by Euclidean distance (sklearn's NearestNeighbors). A value a row
does not have is set to the mean (0 after scaling): it neither pulls the row closer nor pushes it
away, and the row says which of its values were unknown. Sizes are compared on a log scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import StandardScaler

from ..core import site_use
from ..core.catalog import SECTIONS, Candidates, Catalog, station_near
from ..core.criteria import FINLAND, KAINUU
from ..core.messages import LANGS, t
from ..core.skills import SKILL_FAMILIES
from ..core.workforce import family_pool

MAX_SIMILAR = 50
# Kainuu offerings: the site's own values and its surroundings
SITE_FEATURES = ("log_area_ha", "grid_kv", "log_grid_free_mw", "port_km", "airport_km", "rail", "zoning_ready",
                 "log_process_workers", "log_all_workers", "tertiary_rel")
# Finnish municipalities: what a municipal comparison can measure
MUNICIPAL_FEATURES = ("log_population", "median_income_eur", "dist_helsinki_km", "transmission_km",
                      "industry_lq", "ict_lq", "tourism_lq", "vocational_rel", "tertiary_rel")


def _log(x: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.log10(1.0 + np.asarray(x, float))


def site_features(c: Candidates) -> np.ndarray:
    s = c.site
    near = station_near(s)
    rail = np.where(s["rail_siding"] == 1, 1.0, np.where(near == 1, 0.5, np.where(
        np.isnan(s["rail_siding"]) & np.isnan(near), np.nan, 0.0)))  # no point: unknown
    return np.column_stack([
        _log(s["area_ha"]), s["grid_kv"], _log(s["grid_free_mw"]),
        np.where(np.isnan(s["dist_port_km"]), s["calc_port_km"], s["dist_port_km"]),
        np.where(np.isnan(s["dist_airport_km"]), s["calc_airport_km"], s["dist_airport_km"]),
        rail, s["zoning_ready"], _log(family_pool(c, "process_operators")), _log(family_pool(c, "general")),
        c.area_edu_rel["tertiary"]])


def municipal_features(c: Candidates) -> np.ndarray:
    lq = lambda sections: np.nanmean(  # noqa: E731
        np.log2(np.clip(c.section_lq[:, [SECTIONS.index(x) for x in sections]], 0.05, None)), axis=1)
    nf = c.national
    assert nf is not None and c.mun_index is not None
    return np.column_stack([
        _log(c.mun["population"]), c.mun["median_income_eur"], c.mun["dist_helsinki_km"],
        nf.transmission(None)[0][c.mun_index], lq("bcde"), lq("j"), lq("i"), c.area_edu_rel["vocational"],
        c.area_edu_rel["tertiary"]])


# Offerings are compared within their family: a wind-power area is no "site like" a business park,
# however close their other numbers are.
KIND_FAMILY = {"plot": "land", "business_park": "land", "industrial_area": "land", "brownfield": "land",
               "premises": "land", "data_centre_site": "land", "tourism_area": "tourism", "wind_area": "wind",
               "mining_area": "mining", "company_for_sale": "deal", "project_seeking_capital": "deal"}


def _neighbours(X: np.ndarray, i: int, k: int, pool: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The k rows of ``pool`` (default all) nearest to row i (itself left out), by Euclidean distance
    on standardised columns with unknown values at the mean; columns unknown everywhere are dropped."""
    keep = ~np.isnan(X).all(axis=0)
    Z = StandardScaler().fit_transform(np.where(np.isnan(X[:, keep]), np.nanmean(X[:, keep], axis=0), X[:, keep]))
    cand = np.flatnonzero(np.ones(len(Z), bool) if pool is None else pool)
    cand = cand[cand != i]
    if not len(cand):
        return np.array([], dtype=int), np.array([])
    nn = NearestNeighbors(n_neighbors=min(k, len(cand))).fit(Z[cand])
    dist, idx = nn.kneighbors(Z[i:i + 1])
    return cand[idx[0]], dist[0]


def shown(name: str, v: float) -> float:
    """A compared value as a reader knows it: sizes are compared as log10(1 + x) and location quotients
    as log2(LQ), but shown as hectares, workers, inhabitants and the quotient itself."""
    if name.startswith("log_"):
        return float(10.0 ** v - 1.0)
    if name.endswith("_lq"):
        return float(2.0 ** v)
    return float(v)


def _values(names: tuple[str, ...], row: np.ndarray) -> dict[str, float | None]:
    return {n: None if np.isnan(v) else shown(n, float(v)) for n, v in zip(names, row)}


def similar(site_id: str, catalog: Catalog, *, top: int = 5) -> dict[str, Any]:
    if not 1 <= top <= MAX_SIMILAR:
        raise ValueError(f"top must be between 1 and {MAX_SIMILAR}")
    c = catalog.candidates(KAINUU)
    if site_id not in set(c.ids):
        raise KeyError(f"site_id: {site_id!r} is not an offered Kainuu site")
    i = c.index_of(site_id)
    X = site_features(c)
    family = np.array(["tourism" if KIND_FAMILY.get(str(k)) == "land" and site_use.tourism_only(sec)
                       else KIND_FAMILY.get(str(k), str(k)) for k, sec in zip(c.kinds, c.site_sectors)])
    near, dist = _neighbours(X, i, top, pool=family == family[i])
    here = _values(SITE_FEATURES, X[i])
    kainuu = [{"id": str(c.ids[j]), "name": str(c.names[j]), "kind": str(c.kinds[j]),
               "municipality": str(c.municipality_names[j]), "distance": float(d),
               "values": _values(SITE_FEATURES, X[j]),
               "unknown": [n for n, v in zip(SITE_FEATURES, X[j]) if np.isnan(v)]} for j, d in zip(near, dist)]
    f = catalog.candidates(FINLAND)
    code = str(c.municipality_codes[i])
    m = f.index_of(code)
    M = municipal_features(f)
    mnear, mdist = _neighbours(M, m, top)
    finland = [{"code": str(f.ids[j]), "name": str(f.names[j]), "in_kainuu": bool(f.in_kainuu[j]),
                "distance": float(d), "values": _values(MUNICIPAL_FEATURES, M[j])} for j, d in zip(mnear, mdist)]
    return {"site": {"id": site_id, "name": str(c.names[i]), "kind": str(c.kinds[i]),
                     "municipality": str(c.municipality_names[i]), "municipality_code": code, "values": here,
                     "municipal_values": _values(MUNICIPAL_FEATURES, M[m])},
            "kainuu": kainuu, "finland": finland, "data_snapshot": catalog.snapshot,
            "features": {"kainuu": {n: {lang: t(f"similar.f.{n}", lang) for lang in LANGS} for n in SITE_FEATURES},
                         "finland": {n: {lang: t(f"similar.f.{n}", lang) for lang in LANGS}
                                     for n in MUNICIPAL_FEATURES}},
            "method": {lang: t("similar.method", lang) for lang in LANGS},
            "process_workers_label": {lang: SKILL_FAMILIES["process_operators"].label_fi if lang == "fi" else
                                      SKILL_FAMILIES["process_operators"].label_en for lang in LANGS}}


__all__ = ["MUNICIPAL_FEATURES", "SITE_FEATURES", "similar"]
