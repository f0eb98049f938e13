"""What-ifs: a named set of changes to sites, evaluated against a portfolio of investor
profiles. Per profile and changed site: rank, score, feasibility and choice share before
and after, and which contributions moved. Choice shares are a softmax within the candidates on
offer (feasible and not reserved), so what one site gains the others lose."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..core.catalog import ZONING_READY, Catalog
from ..core.criteria import CRITERION_NAMES, KAINUU
from ..core.engine import Scored, score
from ..core.feasibility import STATES, assess
from ..core.features import pair_features
from ..core.messages import Reason
from ..core.profile import (
    InvestorProfile,
    ProfileError,
    error_from_validation,
    load_profiles,
    read_json,
)
from ..core.rankers import ExpertPriorRanker, Ranker
from ..core.ranking import rank_key, rank_of
from ..core.schema import (
    ID_PATTERN,
    ID_RE,
    SITE_KINDS,
    area_problem,
    column_of,
    columns_of,
    header_of,
    value_problem,
)

NUMERIC = {c.name for c in columns_of("sites.csv") if c.kind in ("float", "int")}
EDITABLE = NUMERIC | {c.name for c in columns_of("sites.csv") if c.kind in ("bool", "enum")}
# what a scenario may change for a whole Kainuu municipality (kainuu_municipalities.csv)
MUNICIPAL = {c.name: c.kind for c in columns_of("kainuu_municipalities.csv")
             if c.kind in ("float", "bool", "nace_list")}
Value = float | bool | str | None


class Change(BaseModel):
    """Set a value, or add to a known one (``{"add": 20}``). Adding to an unknown value is
    refused: "unknown + 20" is still unknown, and guessing a base would invent a number."""

    model_config = ConfigDict(extra="forbid")
    set: Value = None
    add: float | None = Field(default=None, ge=-1e6, le=1e6, allow_inf_nan=False)


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    sites: dict[Annotated[str, Field(pattern=ID_PATTERN)], dict[str, Change | Value]] = Field(
        default_factory=dict, max_length=50, description="site_id -> column -> value or {add: x}")
    new_sites: list[dict[str, Value]] = Field(default_factory=list, max_length=20)
    municipalities: dict[Annotated[str, Field(pattern=r"^\d{3}$")], dict[str, Change | Value]] = Field(
        default_factory=dict, max_length=8,
        description="Kainuu municipality code -> column of kainuu_municipalities.csv -> value or {add: x}")

    @field_validator("municipalities")
    @classmethod
    def _municipal_columns(cls, v: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for code, cols in v.items():
            for col in cols:
                if col not in MUNICIPAL:
                    raise ValueError(f"{code}.{col}: not a municipal column a what-if can change "
                                     f"({', '.join(sorted(MUNICIPAL))})")
        return v

    @field_validator("sites")
    @classmethod
    def _columns(cls, v: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        for sid, cols in v.items():
            for col in cols:
                if col not in EDITABLE:
                    raise ValueError(f"{sid}.{col}: not a site column a what-if can change")
        return v

    @field_validator("new_sites")
    @classmethod
    def _new_sites(cls, v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        known = set(header_of("sites.csv"))
        for n, site in enumerate(v):
            for col in ("site_id", "name", "municipality_code", "kind"):
                if not isinstance(site.get(col), str) or not site[col]:
                    raise ValueError(f"{n}.{col}: required (text)")
            if not ID_RE.fullmatch(site["site_id"]):
                raise ValueError(f"{n}.site_id: {site['site_id'][:60]!r} is not an id (letters, digits, _ . -)")
            if site["kind"] not in SITE_KINDS:
                raise ValueError(f"{n}.kind: {site['kind']!r} is not one of {', '.join(SITE_KINDS)}")
            for col, val in site.items():
                if col not in known:
                    raise ValueError(f"{n}.{col}: not a site column")
                if col in NUMERIC and val is not None and (isinstance(val, (bool, str))):
                    raise ValueError(f"{n}.{col}: must be a number")
        return v

    def site_ids(self, catalog: Catalog | None = None) -> list[str]:
        """The offerings the scenario touches: changed and new sites, and every site of a
        municipality whose values it changes."""
        ids = list(self.sites) + [str(s.get("site_id")) for s in self.new_sites]
        if catalog is not None and self.municipalities:
            s = catalog.sites
            ids += [x for x in s.loc[s["municipality_code"].isin(list(self.municipalities)), "site_id"] if x not in ids]
        return ids


class WhatIfError(ProfileError):
    """A scenario that cannot be applied: the field and the reason (CLI exit 2, HTTP 422)."""


def load_scenario(path: str | Path) -> Scenario:
    """A scenario file, checked whole (structure and every value); errors name the field."""
    data = read_json(path)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise error_from_validation(exc, "scenario") from None
    check_values(scenario)
    return scenario


def new_value(ch: Change | Value, base: Any, field: str, numeric: bool) -> Value:
    """The value a change gives: set as given, or added to a known number. Adding to an
    unknown value is refused (unknown + 20 is still unknown)."""
    ch = ch if isinstance(ch, Change) else Change(set=ch)
    if ch.add is None:
        return ch.set
    if not numeric:
        raise WhatIfError(field, "add works on numeric columns only")
    if base is None or pd.isna(base):
        raise WhatIfError(field, Reason("whatif.add_unknown"))
    return float(base) + ch.add


def checked(file: str, col: str, v: Value, field: str) -> Value:
    """``v`` if the schema accepts it for ``col`` of ``file`` (the rules site upkeep uses),
    else WhatIfError naming the field: a what-if computes nothing from impossible values."""
    column = column_of(file, col)
    why = value_problem(column, v) if column else Reason("data.not_a_column")
    if why and not (v is None and why.key == "data.missing"):
        raise WhatIfError(field, why)
    return v


def check_values(scenario: Scenario) -> None:
    """Every value the scenario sets, checked by the schema before anything is computed."""
    for prefix, file, changes in (("sites", "sites.csv", scenario.sites),
                                  ("municipalities", "kainuu_municipalities.csv", scenario.municipalities)):
        for rid, cols in changes.items():
            for col, ch in cols.items():
                ch = ch if isinstance(ch, Change) else Change(set=ch)
                if ch.add is None:
                    checked(file, col, ch.set, f"{prefix}.{rid}.{col}")
    for n, new in enumerate(scenario.new_sites):
        for col, v in new.items():
            if not col.endswith("_source"):
                checked("sites.csv", col, v, f"new_sites.{n}.{col}")
        area_checked(new.get("area_ha"), new.get("area_ha_max"), f"new_sites.{n}.area_ha")


def area_checked(area: object, bound: object, field: str) -> None:
    """The site's one cross-column rule (``schema.area_problem``) for a what-if: no more area than the
    stated upper bound, whichever path computes the what-if."""
    why = area_problem(area, bound)
    if why:
        raise WhatIfError(field, why)


def _changed(table: pd.DataFrame, key: str, changes: dict[str, dict[str, Any]], prefix: str,
             typed: Callable[[str, Value], Any], numeric: Callable[[str], bool], missing: str,
             file: str) -> pd.DataFrame:
    """A copy of ``table`` with the scenario's changes to the rows keyed by ``key``."""
    out = table.copy()
    for rid, cols in changes.items():
        hit = out.index[out[key] == rid]
        if not len(hit):
            raise WhatIfError(f"{prefix}.{rid}", missing)
        for col, ch in cols.items():
            field = f"{prefix}.{rid}.{col}"
            v = checked(file, col, new_value(ch, out.loc[hit[0], col], field, numeric(col)), field)
            out.loc[hit[0], col] = typed(col, v)
        if file == "sites.csv" and ({"area_ha", "area_ha_max"} & set(cols)):
            area_checked(out.loc[hit[0], "area_ha"], out.loc[hit[0], "area_ha_max"], f"{prefix}.{rid}.area_ha")
    return out


def _typed_municipal(col: str, v: Value) -> Any:
    if MUNICIPAL[col] == "float":
        return np.nan if v is None else float(v)  # type: ignore[arg-type]
    if MUNICIPAL[col] == "bool":
        return np.nan if v is None else (1.0 if v else 0.0)
    return v


def apply(catalog: Catalog, scenario: Scenario) -> Catalog:
    """The catalog as it would be after the scenario."""
    check_values(scenario)
    sites = _changed(catalog.sites, "site_id", scenario.sites, "sites", _typed, lambda c: c in NUMERIC,
                     "no such site", "sites.csv")
    kainuu = _changed(catalog.kainuu, "municipality_code", scenario.municipalities, "municipalities",
                      _typed_municipal, lambda c: MUNICIPAL[c] == "float", "not a Kainuu municipality",
                      "kainuu_municipalities.csv")
    codes = set(catalog.municipalities["municipality_code"])
    for n, new in enumerate(scenario.new_sites):
        if new["site_id"] in set(sites["site_id"]):
            raise WhatIfError(f"new_sites.{n}.site_id", f"{new['site_id']!r} exists already")
        if new["municipality_code"] not in codes:
            raise WhatIfError(f"new_sites.{n}.municipality_code", f"unknown municipality {new['municipality_code']!r}")
    if scenario.new_sites:
        mun = catalog.municipalities.set_index("municipality_code")
        # a planned site is offered; without coordinates it stands at its municipality's centre
        rows = pd.DataFrame([{"availability": "available", "location_precision": "village",
                              "lat": float(mun.loc[s["municipality_code"], "lat"]),
                              "lon": float(mun.loc[s["municipality_code"], "lon"]),
                              **{k: _typed(k, v) for k, v in s.items()}} for s in scenario.new_sites])
        sites = pd.concat([sites, rows.reindex(columns=sites.columns)], ignore_index=True)
    return catalog.with_tables(sites=sites, kainuu=kainuu, tag=f"whatif-{hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()[:8]}")


def _typed(col: str, v: Value) -> Any:
    if col in NUMERIC:
        return np.nan if v is None else float(v)  # type: ignore[arg-type]
    if isinstance(v, bool):
        return 1.0 if v else 0.0
    return v


def choice_shares(s: Scored, temperature: float) -> np.ndarray:
    """Softmax of temperature x score over the candidates on offer (feasible, not reserved: a site
    marked reserved fell in rank but kept its share), else the feasible ones, else all."""
    return _shares(s.scores, _pool(s.feasibility.on_offer, s.feasibility.feasible), temperature)


def _pool(on_offer: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    return on_offer if on_offer.any() else feasible


def _state(s: Scored, i: int, shares: np.ndarray) -> dict[str, Any]:
    """Rank, score, feasibility (with the hard needs it fails, so a drop says why) and share."""
    return {"rank": s.rank_of(i), "score": float(s.scores[i]), "feasible": bool(s.feasibility.feasible[i]),
            "feasibility": s.feasibility.state(i), "blockers": [c.as_dict() for c in s.feasibility.blockers(i)],
            "choice_share": float(shares[i])}


def evaluate(scenario: Scenario, catalog: Catalog, profiles: list[InvestorProfile], ranker: Ranker,
             scope: str = KAINUU) -> dict[str, Any]:
    after_cat = apply(catalog, scenario)
    ranker = (ranker or ExpertPriorRanker()).for_scope(scope)
    temp = ranker.temperature_
    out = []
    for p in profiles:
        before, after = score(p, catalog, scope=scope, ranker=ranker), score(p, after_cat, scope=scope, ranker=ranker)
        sb, sa = choice_shares(before, temp), choice_shares(after, temp)
        rows = []
        for sid in scenario.site_ids(catalog):
            ia = _index(after, sid)
            if ia is None:
                continue  # not rankable in this scope (e.g. infrastructure)
            ib = _index(before, sid)
            moved = after.contributions[ia] - (before.contributions[ib] if ib is not None else 0.0)
            rows.append({"candidate_id": sid, "before": _state(before, ib, sb) if ib is not None else None,
                         "after": _state(after, ia, sa),
                         "moved": {CRITERION_NAMES[j]: float(moved[j]) for j in np.flatnonzero(np.abs(moved) > 1e-12)}})
        out.append({"profile": p.name, "sector": p.sector, "candidates": rows,
                    "share_total_before": float(sb.sum()), "share_total_after": float(sa.sum())})
    return {"scenario": scenario.name, "scope": scope, "model_version": ranker.version,
            "data_snapshot_before": catalog.snapshot, "data_snapshot_after": after_cat.snapshot,
            "temperature": temp, "profiles": out}


def _index(s: Scored, cid: str) -> int | None:
    hits = np.flatnonzero(s.candidates.ids.astype(str) == cid)
    return int(hits[0]) if len(hits) else None


def portfolio(path: str | Path) -> list[InvestorProfile]:
    """Profiles from a JSON file or every *.json in a folder (the bundled archetypes: examples/)."""
    return [profile for _, profile in load_profiles(path)]


def sweep(catalog: Catalog, scenarios: list[Scenario], profiles: list[InvestorProfile], ranker: Ranker,
          ) -> list[dict[str, Any]]:
    """Many scenarios x many profiles, recomputing only the rows the scenarios change (site
    value changes; a scenario that adds sites goes through ``evaluate``). One row per
    (scenario, profile, changed site) with rank, score, feasibility and choice share
    before and after; the same numbers ``evaluate`` gives."""
    if any(s.new_sites or s.municipalities for s in scenarios):
        raise WhatIfError("new_sites", "sweep handles changes to existing sites; use evaluate for new sites "
                          "and municipal changes")
    ranker = (ranker or ExpertPriorRanker()).for_scope(KAINUU)
    temp = ranker.temperature_
    out: list[dict[str, Any]] = []
    known_sites = set(catalog.sites["site_id"])
    for p in profiles:
        base = score(p, catalog, scope=KAINUU, ranker=ranker)
        c = base.candidates
        ids = c.ids.astype(str)
        pos = {cid: i for i, cid in enumerate(ids)}
        rows, owner = [], []
        for k, sc in enumerate(scenarios):
            for sid in sc.sites:
                if sid not in pos:
                    if sid not in known_sites:
                        raise WhatIfError(f"sites.{sid}", "no such site")
                    continue  # exists, but not ranked in this scope
                rows.append(pos[sid])
                owner.append(k)
        if not rows:
            continue
        sub = c.take(np.array(rows))
        for r, (k, i) in enumerate(zip(owner, rows)):
            for col, ch in scenarios[k].sites[ids[i]].items():
                _set_site_value(sub.site, r, col, ch, f"sites.{ids[i]}.{col}")
            area_checked(sub.site["area_ha"][r], sub.site["area_ha_max"][r], f"sites.{ids[i]}.area_ha")
        fm = pair_features(p, sub, key_sector=base.key_sector, as_of=dt.date.fromisoformat(base.features.as_of))
        sub_scores = (fm.values * base.weights).sum(axis=1)
        sub_feas = assess(p, sub, fm)
        sub_feasible, sub_level, sub_state = sub_feas.feasible, sub_feas.rank_level, sub_feas.level
        sub_offer = sub_feas.on_offer
        key0 = rank_key(base.scores, base.feasibility.rank_level)
        shares0 = choice_shares(base, temp)
        owner_arr = np.array(owner)
        for k in np.unique(owner_arr):
            mine = np.flatnonzero(owner_arr == k)
            idx = np.array(rows)[mine]
            key, scores, feas = key0.copy(), base.scores.copy(), base.feasibility.feasible.copy()
            offer = base.feasibility.on_offer.copy()
            key[idx] = rank_key(sub_scores[mine], sub_level[mine])
            scores[idx], feas[idx], offer[idx] = sub_scores[mine], sub_feasible[mine], sub_offer[mine]
            shares1 = _shares(scores, _pool(offer, feas), temp)
            for r, i in zip(mine, idx):
                after_rank = rank_of(key, ids, int(i))
                out.append({"scenario": scenarios[k].name, "profile": p.name, "candidate_id": ids[i],
                            "before": _state(base, int(i), shares0),
                            "after": {"rank": after_rank, "score": float(scores[i]), "feasible": bool(feas[i]),
                                      "feasibility": STATES[int(sub_state[r])],
                                      "choice_share": float(shares1[i])}})
    return out


def _shares(scores: np.ndarray, feasible: np.ndarray, temperature: float) -> np.ndarray:
    pool = feasible if feasible.any() else np.ones(len(scores), bool)
    u = np.where(pool, temperature * scores, -np.inf)
    e = np.exp(u - u[pool].max())
    return e / e.sum()


def _set_site_value(site: dict[str, np.ndarray], r: int, col: str, ch: Change | Value, field: str) -> None:
    if col == "zoning_status":
        v = checked("sites.csv", col, new_value(ch, None, field, numeric=False), field)
        site["zoning_ready"][r] = ZONING_READY.get(str(v), np.nan)
    elif col in site:  # a column the features read
        v = checked("sites.csv", col, new_value(ch, site[col][r], field, col in NUMERIC), field)
        site[col][r] = _typed(col, v)
