"""Training cases: one real choice each (a decision from data/decisions.csv, or a lead's
recorded outcome), with the candidate set it was made from and its feature rows."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..core import nace
from ..core.catalog import Catalog
from ..core.criteria import FINLAND, KAINUU
from ..core.features import pair_features
from ..core.national import Known
from ..core.profile import InvestorProfile, parse_profile
from ..core.schema import read_table

# Features are computed as of one fixed day so that training is reproducible.
AS_OF = dt.date(2026, 1, 1)
FINGERPRINT_DECIMALS = 6


@dataclass(frozen=True)
class Case:
    case_id: str
    group: str  # cases of one group are held out together (sister decisions, expansions)
    profile: InvestorProfile
    chosen: tuple[str, ...]  # candidate ids; a decision with several sites has several
    scope: str
    candidates: tuple[str, ...] | None = None  # None: the whole scope
    origin: str = "decision"
    year: int | None = None  # the decision's year: its features see only what was known before it
    decision_type: str | None = None  # final_investment_decision, land_purchase, permit_application, announcement
    new_site: bool = True  # False: an expansion where the investor already operates (referrals are new sites)

    @property
    def known(self) -> Known:
        """What the decision could know: decisions before its year outside its own project family."""
        return Known(self.year, self.group)


def _num(v: Any) -> float | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else float(v)




def profile_of_decision(r: dict[str, Any]) -> InvestorProfile:
    """The profile a decision states (sector, MW needed, jobs, capex); the unknown stays unknown."""
    prof: dict[str, Any] = {"name": str(r["investor"])[:200], "sector": r["nace"]}
    if _num(r["capex_meur"]) is not None:
        prof["investment_meur"] = _num(r["capex_meur"])
    if _num(r["power_mw"]) is not None and not str(r["nace"]).startswith(nace.GENERATION):
        prof["power_mw"] = _num(r["power_mw"])
    jobs = r.get("jobs_created", r.get("jobs"))
    if _num(jobs) is not None:
        prof["jobs"] = int(jobs)  # type: ignore[arg-type]
    return parse_profile(prof)


def decision_cases(data_dir: Path) -> list[Case]:
    """Each decision as a choice among all municipalities."""
    d = read_table(data_dir, "decisions.csv")
    out = []
    for r in d.to_dict("records"):
        year = _num(r.get("event_year"))
        out.append(Case(r["decision_id"], r["project_group"], profile_of_decision(r),
                        tuple(str(r["municipality_codes"]).split(";")), FINLAND,
                        year=None if year is None else int(year), decision_type=r.get("decision_type"),
                        new_site=_num(r.get("expansion")) == 0.0))  # unknown expansion: not counted as new
    return out


def lead_cases(leads: list[dict[str, Any]]) -> list[Case]:
    """A lead with a chosen site is a choice among the Kainuu sites; when the coordinator
    recorded which sites were visited or dropped, those are the set it was chosen from."""
    out = []
    for lead in leads:
        if not lead.get("chosen_site"):
            continue
        considered = {lead["chosen_site"], *lead.get("visited", []), *lead.get("dropped", [])}
        out.append(Case(f"lead-{lead['id']}", f"lead-{lead['id']}", parse_profile(lead["profile"]),
                        (lead["chosen_site"],), KAINUU,
                        tuple(sorted(considered)) if len(considered) > 1 else None, origin="lead"))
    return out


@dataclass(frozen=True)
class TrainingSet:
    """Stacked candidate rows of all cases; rows of one case are contiguous."""

    X: np.ndarray  # (N, k) feature values, zero where a criterion does not apply to the case
    chosen: np.ndarray  # (N,) bool
    case_of_row: np.ndarray  # (N,) case index
    population: np.ndarray  # (N,) inhabitants of the candidate's municipality (a baseline)
    cases: tuple[Case, ...]
    fingerprint: str  # sha256 of the arrays: the model card's training data hash
    candidate_ids: np.ndarray | None = None  # (N,) candidate id of each row (municipality code or site id)
    candidate_names: np.ndarray | None = None  # (N,) its name

    def rows(self, i: int) -> slice:
        idx = np.flatnonzero(self.case_of_row == i)
        return slice(int(idx[0]), int(idx[-1]) + 1)

    @property
    def groups(self) -> np.ndarray:
        return np.array([c.group for c in self.cases])


def build(catalog: Catalog, cases: list[Case]) -> TrainingSet:
    Xs, ys, case_idx, pops, kept, cids, cnames = [], [], [], [], [], [], []
    m = catalog.municipalities
    population = dict(zip(m["municipality_code"], m["population"].fillna(0.0)))
    for case in cases:
        cands = catalog.candidates(case.scope)
        ids = cands.ids.astype(str)
        fm = pair_features(case.profile, cands, key_sector=catalog.key_sector_of(case.profile.sector), as_of=AS_OF,
                           known=case.known)
        keep = np.ones(len(ids), bool) if case.candidates is None else np.isin(ids, case.candidates)
        chosen = np.isin(ids, case.chosen) & keep
        if not chosen.any() or chosen.all():
            continue  # the choice is not among the candidates, or there was nothing to choose
        n = len(kept)
        kept.append(case)
        Xs.append((fm.values * fm.applicable)[keep])
        ys.append(chosen[keep])
        case_idx.append(np.full(int(keep.sum()), n))
        pops.append(np.array([population[c] for c in cands.municipality_codes[keep]], dtype=float))
        cids.append(ids[keep])
        cnames.append(cands.names.astype(str)[keep])
    X, y, g, pop = np.vstack(Xs), np.concatenate(ys), np.concatenate(case_idx), np.concatenate(pops)
    h = hashlib.sha256()
    # features rounded before hashing: another CPU's vector maths differs in the last bits (seen
    # between two machines of this project), which is not a change of training data
    for a in (np.round(X, FINGERPRINT_DECIMALS) + 0.0, y, g):  # + 0.0: -0.0 hashes as 0.0
        h.update(np.ascontiguousarray(a).tobytes())
    h.update("|".join(f"{c.case_id}:{c.group}" for c in kept).encode())
    return TrainingSet(X, y, g, pop, tuple(kept), h.hexdigest(), np.concatenate(cids), np.concatenate(cnames))
