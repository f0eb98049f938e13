"""Is a recommendation believable? Measured against sources, not against the engine.

``data/plausibility.csv`` names, for each archetype (or key sector), the offerings or
municipalities that a public source calls a natural home, one source per row. An offering
ranked for an archetype is plausible when a row of that archetype lists its site id, or
names its municipality and the offering does not fail the archetype's hard requirements.
Archetypes without rows of their own use the rows of their key sector.

The Kainuu decisions of ``data/decisions.csv`` whose chosen place is a catalog row
(``data/site_choices.csv``) are site-level held-out cases: the engine never learns from
them; each is ranked against today's offerings with the chosen row put back on offer, as
it was when the investor chose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..core.catalog import Catalog
from ..core.criteria import KAINUU
from ..core.engine import score
from ..core.feasibility import FAILS
from ..core.profile import InvestorProfile
from ..core.rankers import Ranker
from ..core.schema import read_table

TOP = 3


@dataclass
class ArchetypeResult:
    archetype: str
    top: list[tuple[str, str, bool]]  # (site id, name, plausible) for the top 3
    targets: list[str]  # what the sources name, for the table
    sourced: bool  # the archetype (or its key sector) has at least one source row

    @property
    def hit1(self) -> bool:
        return bool(self.top) and self.top[0][2]

    @property
    def hit3(self) -> bool:
        return any(x[2] for x in self.top)


def read_rows(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / "plausibility.csv", dtype=str, keep_default_na=False)


def rows_for(rows: pd.DataFrame, archetype: str, key_sector: str | None) -> pd.DataFrame:
    own = rows[rows["archetype"] == archetype]
    if len(own) or not key_sector:
        return own
    return rows[(rows["archetype"] == "") & (rows["key_sector"] == key_sector)]


def plausible_mask(rows: pd.DataFrame, ids: np.ndarray, codes: np.ndarray, level: np.ndarray) -> np.ndarray:
    """Per candidate: named by a row's site ids, or in a row's municipality without failing."""
    named = {s.strip() for x in rows["site_ids"] for s in x.split(";") if s.strip()}
    municipal = set(rows.loc[rows["target_kind"] == "municipality", "municipality_code"])
    return np.array([str(i) in named or (str(c) in municipal and lv > FAILS)
                     for i, c, lv in zip(ids, codes, level)])


def evaluate_archetypes(catalog: Catalog, data_dir: Path, profiles: dict[str, InvestorProfile],
                        ranker: Ranker | None = None) -> list[ArchetypeResult]:
    rows = read_rows(data_dir)
    out = []
    for name, p in sorted(profiles.items()):
        s = score(p, catalog, scope=KAINUU, ranker=ranker)
        c = s.candidates
        mine = rows_for(rows, name, catalog.key_sector_of(p.sector))
        ok = plausible_mask(mine, c.ids, c.municipality_codes, s.feasibility.level)
        top = [(str(c.ids[i]), str(c.names[i]), bool(ok[i])) for i in s.order[:TOP]]
        targets = sorted({r.offering for r in mine.itertuples()})
        out.append(ArchetypeResult(name, top, targets, bool(len(mine))))
    return out


@dataclass
class SiteCase:
    decision_id: str
    site_id: str
    project: str
    rank: int
    of: int
    top: list[str]


def site_cases(catalog: Catalog, data_dir: Path, ranker: Ranker | None = None) -> list[SiteCase]:
    """The Kainuu decisions with a chosen catalog row, each ranked among the offerings with that
    row on offer again."""
    from .cases import profile_of_decision

    choices = pd.read_csv(data_dir / "site_choices.csv", dtype=str, keep_default_na=False)
    decisions = {r["decision_id"]: r for r in read_table(data_dir, "decisions.csv").to_dict("records")}
    out = []
    for ch in choices.itertuples():
        if ch.decision_id not in decisions or ch.site_id not in set(catalog.sites["site_id"]):
            continue
        d = decisions[ch.decision_id]
        sites = catalog.sites.copy()
        sites.loc[sites["site_id"] == ch.site_id, "availability"] = "available"
        sites.loc[sites["site_id"] == ch.site_id, "kind"] = sites.loc[
            sites["site_id"] == ch.site_id, "kind"].replace({"plant": "industrial_area", "infrastructure": "premises"})
        as_stood = catalog.with_tables(sites=sites, tag=f"as-chosen-{ch.decision_id}")
        p = profile_of_decision(d)
        s = score(p, as_stood, scope=KAINUU, ranker=ranker)
        c = s.candidates
        i = c.index_of(ch.site_id)
        out.append(SiteCase(ch.decision_id, ch.site_id, str(d["project"]), s.rank_of(i), len(c),
                            [str(c.ids[j]) for j in s.order[:TOP]]))
    return out


def table(results: list[ArchetypeResult], cases: list[SiteCase]) -> str:
    lines = [f"{'archetype':<26} {'top-1':<5} {'top-3':<5} top 3 (* = plausible by data/plausibility.csv)"]
    for r in results:
        tops = ", ".join(f"{sid}{'*' if ok else ''} {name[:28]}" for sid, name, ok in r.top)
        flag = "" if r.sourced else "  [no source row]"
        lines.append(f"{r.archetype:<26} {'yes' if r.hit1 else 'no':<5} {'yes' if r.hit3 else 'no':<5} {tops}{flag}")
    n = len(results)
    lines.append(f"plausible at rank 1: {sum(r.hit1 for r in results)}/{n}; in the top 3: "
                 f"{sum(r.hit3 for r in results)}/{n}")
    if cases:
        lines += ["", f"{'decision':<9} {'chosen':<7} {'rank':>9}  top 3   project"]
        for k in cases:
            lines.append(f"{k.decision_id:<9} {k.site_id:<7} {k.rank:>4} of {k.of:<3} {','.join(k.top):<22} "
                         f"{k.project[:50]}")
        ranks = [k.rank for k in cases]
        lines.append(f"site-level held-out cases: {len(cases)}; median rank {np.median(ranks):g}; "
                     f"top-1 {sum(r == 1 for r in ranks)}, top-3 {sum(r <= 3 for r in ranks)}")
    return "\n".join(lines)
