"""A listwise competitor measured and not adopted: LightGBM's LGBMRanker under the same held-out
protocol as ``kainuu-match evaluate`` (leave one project group out, "in Kainuu" blinded), with the
constraints that keep the adopted trees explainable (no feature interactions, every criterion
monotone increasing).

Not a dependency of the engine: ``pip install lightgbm`` first, then
``python notebooks/lightgbm_ranker_trial.py`` (about a minute per objective on two cores). It prints
median rank, MRR and hit@10 over all decisions, FIDs and land purchases, and new sites, for
``lambdarank`` and ``rank_xendcg``; the README's national section records the figures of
2026-11-29 beside the adopted trees'.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from threadpoolctl import threadpool_limits

from matcher.core.catalog import Catalog
from matcher.core.paths import DATA_DIR
from matcher.learn.cases import build, decision_cases
from matcher.learn.evaluation import blind
from matcher.learn.metrics import ndcg, rank_of_choice, summary

STRONG = ("final_investment_decision", "land_purchase")


def held_out(objective: str) -> None:
    import lightgbm as lgb

    ts = build(Catalog.load(DATA_DIR), decision_cases(DATA_DIR))
    ts = replace(ts, X=blind(ts.X))
    k, groups = ts.X.shape[1], ts.groups
    ranks, nd = np.zeros(len(ts.cases)), np.zeros(len(ts.cases))
    with threadpool_limits(1):
        for g in dict.fromkeys(groups):
            held = np.flatnonzero(groups == g)
            rows = ~np.isin(ts.case_of_row, held)
            sizes = np.unique(ts.case_of_row[rows], return_counts=True)[1]  # rows of a case are contiguous
            model = lgb.LGBMRanker(objective=objective, n_estimators=100, learning_rate=0.05, num_leaves=8,
                                   interaction_constraints=[[j] for j in range(k)], monotone_constraints=[1] * k,
                                   label_gain=[0, 1], verbose=-1, n_jobs=1, random_state=1)
            model.fit(ts.X[rows], ts.chosen[rows].astype(int), group=sizes)
            for i in held:
                sl = ts.rows(int(i))
                s = model.predict(ts.X[sl])
                ranks[i], nd[i] = rank_of_choice(s, ts.chosen[sl]), ndcg(s, ts.chosen[sl])
    sets = {"all": np.ones(len(ranks), bool),
            "FID + land": np.array([c.decision_type in STRONG for c in ts.cases]),
            "new sites": np.array([c.new_site for c in ts.cases])}
    for name, keep in sets.items():
        s = summary(ranks[keep], nd[keep])
        print(f"{objective:<12} {name:<11} n={int(keep.sum()):<4} median {s['median_rank']:>5.1f}  "
              f"MRR {s['mrr']:.3f}  hit@10 {s['hit@10']:.3f}")


if __name__ == "__main__":
    for objective in ("lambdarank", "rank_xendcg"):
        held_out(objective)
