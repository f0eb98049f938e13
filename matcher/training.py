"""One command from cases to a model on disk: build the training set, evaluate by nested
leave-one-group-out beside the baselines, fit on all cases, write weights and card."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from .cases import Case, build, decision_cases
from .catalog import Catalog
from .criteria import CRITERION_NAMES, PRIOR_WEIGHTS
from .evaluation import (
    BLIND,
    L2_GRID,
    SEED,
    TREE_MARGIN_MRR,
    Evaluation,
    blind,
    choose_l2,
    leave_one_group_out,
    verdict,
)
from .logit import FROZEN, ConditionalLogitRanker
from .model_store import CARD, library_versions, save

NAME = "clogit"
# A scope is served by the learned weights only with at least this many of its own cases.
MIN_CASES_PER_SCOPE = 10


def evaluate(catalog: Catalog, data_dir: Path, leads: list[Case] | None = None,
             with_tree: bool = True) -> tuple[Evaluation, Any]:
    ts = build(catalog, decision_cases(data_dir) + list(leads or []))
    return leave_one_group_out(ts, with_tree=with_tree), ts


def train(catalog: Catalog, data_dir: Path, models_dir: Path, leads: list[Case] | None = None,
          version: str | None = None, with_tree: bool = True) -> tuple[Path, dict[str, Any]]:
    t0 = time.perf_counter()
    ev, ts = evaluate(catalog, data_dir, leads, with_tree)
    ts = replace(ts, X=blind(ts.X))  # fitted as evaluated: without the sampling artifact
    all_cases = np.arange(len(ts.cases))
    l2 = choose_l2(ts, all_cases)
    model = ConditionalLogitRanker(l2=l2).fit(ts.X, ts.chosen, groups=ts.case_of_row)
    v = verdict(ev.methods)
    adopted = v["learned_beats"]["expert_prior"]  # the rule in ``verdict``: higher MRR, median no worse
    version = version or f"{dt.date.today().isoformat()}-{ts.fingerprint[:8]}"
    varying = (ts.X.std(axis=0) > 0).tolist()
    card = {
        "name": NAME, "version": version, "model": "conditional logit (McFadden), L2 toward the expert prior",
        "trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "training_data": {"sha256": ts.fingerprint, "cases": len(ts.cases),
                          "decisions": sum(c.origin == "decision" for c in ts.cases),
                          "lead_outcomes": sum(c.origin == "lead" for c in ts.cases),
                          "candidate_rows": int(len(ts.X)), "source": "data/decisions.csv"},
        "parameters": {"l2": l2, "l2_grid": list(L2_GRID), "frozen": list(FROZEN), "seed": SEED,
                       "evaluation_blind_to": list(BLIND), "tree_margin_mrr": TREE_MARGIN_MRR},
        "weights": {n: float(w) for n, w in zip(CRITERION_NAMES, model.coef_)},
        "prior_weights": {n: float(w) for n, w in zip(CRITERION_NAMES, PRIOR_WEIGHTS)},
        "learned_from_data": {n: bool(x) and n not in FROZEN for n, x in zip(CRITERION_NAMES, varying)},
        "temperature": model.temperature_, "prior_temperature": model.prior_temperature_,
        "metrics_held_out": ev.methods, "evaluation": "leave-one-project-group-out, nested choice of l2",
        "verdict": v, "adopted": bool(adopted),
        "scopes": sorted(sc for sc in {c.scope for c in ts.cases}
                         if sum(c.scope == sc for c in ts.cases) >= MIN_CASES_PER_SCOPE),
        "scope_rule": f"used only for scopes with at least {MIN_CASES_PER_SCOPE} of its cases; elsewhere the "
                      "expert prior ranks (choices among municipalities cannot teach site-level weights)",
        "adoption_rule": "used by the engine only if it beats the expert prior on held-out cases "
                         "(higher MRR, median rank no worse)",
        "weights_across_folds": ev.as_dict()["weights_across_folds"],
        "library_versions": library_versions(),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    folder = save(models_dir / NAME / version, model.coef_, model.temperature_, card)
    return folder, json.loads((folder / CARD).read_text())


def table(methods: dict[str, dict[str, float]]) -> str:
    cols = ("median_rank", "mrr", "hit@1", "hit@5", "hit@10", "ndcg")
    lines = [f"{'method':<14}" + "".join(f"{c:>12}" for c in cols)]
    for m, v in methods.items():
        lines.append(f"{m:<14}" + "".join(f"{v[c]:>12.3f}" for c in cols))
    return "\n".join(lines)
