"""Data completeness: which missing values cost a site most across a portfolio of investor
profiles. The municipalities' to-do list for standardised data collection: "fill in free
grid capacity: worth up to 3 ranks for data-centre profiles"."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from ..core.catalog import Catalog
from ..core.criteria import CRITERION_NAMES, DATA_COLUMNS, KAINUU
from ..core.engine import Scored, score
from ..core.feasibility import HARD_CRITERION
from ..core.messages import LANGS, Lang, t
from ..core.profile import InvestorProfile, profile_title
from ..core.rankers import Ranker
from ..core.ranking import FEASIBLE_BONUS, rank_key, rank_of


def _state_gain(s: Scored, i: int, j: int) -> float:
    """The feasibility bonus a value could add: when criterion j is the one hard requirement
    left unverified at i (and none fails), a value that meets it makes the site 'meets'."""
    f = s.feasibility
    open_ = {HARD_CRITERION.get(h, h) for h, u in zip(f.hard, f.unknown[i]) if u}
    return FEASIBLE_BONUS if not f.failed[i].any() and open_ == {CRITERION_NAMES[j]} else 0.0


def completeness(catalog: Catalog, profiles: list[InvestorProfile], ranker: Ranker | None = None,
                 ) -> dict[str, Any]:
    """Per offering and missing criterion: the most ranks a perfect value could win (the
    upper bound of what filling the gap is worth), and for which profiles."""
    gain: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    meta: dict[str, tuple[str, str, str]] = {}
    for p in profiles:
        s = score(p, catalog, scope=KAINUU, ranker=ranker)
        c = s.candidates
        key = rank_key(s.scores, s.feasibility.rank_level)
        ids = c.ids.astype(str)
        for i in range(len(c)):
            meta[ids[i]] = (str(c.names[i]), str(c.municipality_codes[i]), str(c.municipality_names[i]))
            now = rank_of(key, ids, i)
            for j in np.flatnonzero(s.features.applicable & ~s.features.known[i] & (s.weights > 0)):
                if s.feasibility.failed[i].any():
                    ranks = 0  # a known need already fails here (a wind area for a data centre): no value helps
                else:
                    best = key[i] + s.weights[j] * (1.0 - s.features.values[i, j]) + _state_gain(s, i, j)
                    ranks = now - rank_of(key, ids, i, best)
                gain[(ids[i], CRITERION_NAMES[j])].append((ranks, p.name))
    items = []
    for (cid, crit), hits in gain.items():
        worth = max(r for r, _ in hits)
        who = [n for r, n in sorted(hits, reverse=True) if r > 0]
        name, code, mun = meta[cid]
        columns = list(DATA_COLUMNS.get(crit, ()))
        texts = {lang: todo_text(f"{t(f'label.{crit}', lang)} ({', '.join(columns)})", worth, who, lang)
                 for lang in LANGS}
        items.append({"candidate_id": cid, "name": name, "municipality_code": code, "municipality": mun,
                      "criterion": crit, "columns": columns, "worth_ranks": worth, "helped": who,
                      "profiles_helped": len(who), "profiles_missing": len(hits), **texts})
    items.sort(key=lambda x: (-x["worth_ranks"], -x["profiles_helped"], x["candidate_id"], x["criterion"]))
    by_mun: dict[str, dict[str, Any]] = {}
    for x in items:
        m = by_mun.setdefault(x["municipality_code"], {"municipality": x["municipality"], "gaps": 0, "worth_ranks": 0})
        m["gaps"] += 1
        m["worth_ranks"] += x["worth_ranks"]
    return {"profiles": len(profiles), "data_snapshot": catalog.snapshot, "items": items, "municipalities": by_mun}


def todo_text(what: str, ranks: int, helped: list[str], lang: Lang) -> str:
    """One to-do item as a sentence: fill in ``what`` (the criterion and its columns for the CLI and
    the API; the form's fields on the web page), worth up to ``ranks``, for the profiles ``helped``."""
    profiles = "; ".join(profile_title(n, lang) for n in helped[:3]) + (" …" if len(helped) > 3 else "")
    return t("todo.fill", lang, what=what, ranks=ranks, profiles=profiles or "-")


def worth_doing(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The to-do items whose filling could win at least one rank: a gap worth none holds nothing
    back (the full list, zeros included, stays in the JSON)."""
    return [x for x in items if x["worth_ranks"] > 0]
