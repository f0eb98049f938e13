"""One command from cases to a model on disk: build the training set, evaluate by nested
leave-one-group-out beside the baselines, fit on all cases, write weights and card."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..core.catalog import Catalog
from ..core.criteria import CRITERION_NAMES, PRIOR_WEIGHTS
from .cases import Case, build, decision_cases
from .evaluation import (
    BLIND,
    L2_GRID,
    SEED,
    TREE_MARGIN_MRR,
    Evaluation,
    adoption,
    blind,
    choose_l2,
    leave_one_group_out,
)
from .logit import FROZEN, ConditionalLogitRanker
from .model_store import CARD, library_versions, save, save_tree

NAME = "clogit"
TREE_NAME = "gbt"
ADOPTION_RULE = ("used by the engine only if it beats every baseline (expert prior, TOPSIS, largest population, "
                 "random) on held-out cases over all decisions (higher MRR and a lower median rank) and holds up "
                 "over final investment decisions and land purchases alone and over new sites alone (no "
                 "expansion at the investor's own site): there no baseline may be ahead on both MRR and median "
                 "rank, nor ahead on either in at least 95 % of a paired bootstrap over project groups; the "
                 "tree only if the linear model does not pass, or the tree has the higher MRR with a median rank no "
                 "worse (a tie keeps the linear model)")
STRONG_TYPES = ("final_investment_decision", "land_purchase")
# A scope is served by the learned weights only with at least this many of its own cases.
MIN_CASES_PER_SCOPE = 10


def jobs() -> int:
    """Worker processes for the outer folds: ``KAINUU_JOBS``, else the cores this process may use
    (joblib reads container limits) up to four."""
    from joblib import cpu_count

    value = os.environ.get("KAINUU_JOBS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"KAINUU_JOBS: a whole number of at least 1, not {value!r}")
        return int(value)
    return max(1, min(4, cpu_count()))


def evaluate(catalog: Catalog, data_dir: Path, leads: list[Case] | None = None,
             with_tree: bool = True, types: tuple[str, ...] | None = None,
             l2: float | None = None) -> tuple[Evaluation, Any]:
    """``types``: only decisions of these types (data/README.md: FIDs and land purchases are the
    strongest revealed preferences), for training and evaluation alike. ``l2``: a fixed penalty
    instead of the nested choice (faster; the held-out cases still never see their own fold)."""
    from threadpoolctl import threadpool_limits

    decisions = [c for c in decision_cases(data_dir) if types is None or c.decision_type in types]
    ts = build(catalog, decisions + list(leads or []))
    with threadpool_limits(1):  # small problems: threads only contend on a shared machine
        return leave_one_group_out(ts, l2=l2, with_tree=with_tree, n_jobs=jobs()), ts


def card_evaluation(fixed: float | None) -> str:
    return "leave-one-project-group-out, " + ("nested choice of l2" if fixed is None else
                                               f"fixed l2 = {fixed} (not adoptable)")


def evaluation_key(ts: Any) -> str:
    """What a recorded evaluation depends on beyond the cases' features: the methods' settings, the
    baselines' inputs and the library versions. A record is reused only under the same key."""
    import hashlib

    from .boosting import AdditiveBoostingRanker
    from .logit import ConditionalLogitRanker as Logit

    parts = [ts.fingerprint, repr(L2_GRID), str(SEED), repr(sorted(AdditiveBoostingRanker().get_params().items())),
             f"nonnegative={Logit().nonnegative}",
             repr(PRIOR_WEIGHTS.tolist()), repr(np.asarray(ts.population).tolist()),
             repr(sorted(library_versions().items())), "|".join(str(c.decision_type) for c in ts.cases)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def train(catalog: Catalog, data_dir: Path, models_dir: Path, leads: list[Case] | None = None,
          version: str | None = None, with_tree: bool = True, l2: float | None = None) -> tuple[Path, dict[str, Any]]:
    """``l2``: a fixed penalty (recorded in the card, never adopted) instead of the nested choice."""
    t0 = time.perf_counter()
    ev, ts = evaluate(catalog, data_dir, leads, with_tree, l2=l2)
    ts = replace(ts, X=blind(ts.X))  # fitted as evaluated: without the sampling artifact
    all_cases = np.arange(len(ts.cases))
    penalty = choose_l2(ts, all_cases) if l2 is None else l2
    model = ConditionalLogitRanker(l2=penalty).fit(ts.X, ts.chosen, groups=ts.case_of_row)
    # The same rule on the strongest revealed preferences only (final investment decisions and land
    # purchases, data/README.md), and on new sites alone: a method is adopted only if it beats every
    # baseline on all three.
    ev_strong, _ = evaluate(catalog, data_dir, leads, with_tree, types=STRONG_TYPES, l2=l2)
    new = ev.new_sites()
    new_sites = new.methods
    key, recorded = evaluation_key(ts), ev.as_dict()
    v = adoption(ev.methods, ev_strong.held_out(), STRONG_TYPES, new)
    # a fit that did not converge is not adopted, nor one evaluated with a fixed penalty (the rule's
    # numbers are those of the nested choice)
    adopted = v["adopt"] == "learned" and model.converged_ and l2 is None
    version = version or f"{dt.date.today().isoformat()}-{ts.fingerprint[:8]}"
    scopes = sorted(sc for sc in {c.scope for c in ts.cases}
                    if sum(c.scope == sc for c in ts.cases) >= MIN_CASES_PER_SCOPE)
    tree_folder = None
    if with_tree:
        from threadpoolctl import threadpool_limits

        from .boosting import AdditiveBoostingRanker

        with threadpool_limits(1):
            tree = AdditiveBoostingRanker(random_state=SEED).fit(ts.X, ts.chosen, groups=ts.case_of_row)
        tree_folder = save_tree(models_dir / TREE_NAME / version, tree, {
            "name": TREE_NAME, "version": version,
            "model": "gradient-boosted trees without feature interactions (additive), pointwise, classes "
                     "balanced, scikit-learn HistGradientBoostingClassifier; contributions exact",
            "trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "training_data": {"sha256": ts.fingerprint, "cases": len(ts.cases), "source": "data/decisions.csv"},
            "parameters": tree.get_params(), "metrics_held_out": ev.methods,
            "metrics_held_out_fid_and_land_purchases": ev_strong.methods,
            "metrics_held_out_new_sites": new_sites, "verdict": v,
            "held_out_ranks": held_out_ranks(ev, "tree"),
            "adopted": v["adopt"] == "tree" and l2 is None, "scopes": scopes,
            "evaluation": card_evaluation(l2), "evaluation_key": key,
            "adoption_rule": ADOPTION_RULE, "library_versions": library_versions()})
    varying = (ts.X.std(axis=0) > 0).tolist()
    card = {
        "name": NAME, "version": version, "model": "conditional logit (McFadden), L2 toward the expert prior",
        "trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "training_data": {"sha256": ts.fingerprint, "cases": len(ts.cases),
                          "decisions": sum(c.origin == "decision" for c in ts.cases),
                          "lead_outcomes": sum(c.origin == "lead" for c in ts.cases),
                          "candidate_rows": len(ts.X), "source": "data/decisions.csv"},
        "parameters": {"l2": penalty, "l2_grid": list(L2_GRID), "frozen": list(FROZEN), "seed": SEED,
                       "nonnegative": model.nonnegative,
                       "evaluation_blind_to": list(BLIND), "tree_margin_mrr": TREE_MARGIN_MRR},
        "weights": {n: float(w) for n, w in zip(CRITERION_NAMES, model.coef_)},
        "prior_weights": {n: float(w) for n, w in zip(CRITERION_NAMES, PRIOR_WEIGHTS)},
        "learned_from_data": {n: bool(x) and n not in FROZEN for n, x in zip(CRITERION_NAMES, varying)},
        "temperature": model.temperature_, "prior_temperature": model.prior_temperature_,
        "converged": model.converged_, "iterations": model.n_iter_,
        "metrics_held_out": ev.methods, "metrics_held_out_fid_and_land_purchases": ev_strong.methods,
        "metrics_held_out_new_sites": new_sites,
        "evaluation_cases_fid_and_land_purchases": ev_strong.case_rows(),
        "held_out_ranks": held_out_ranks(ev, "learned"),
        "evaluation": card_evaluation(l2), "evaluation_key": key,
        "verdict": v, "adopted": bool(adopted),
        "scopes": scopes, "tree_model": None if tree_folder is None else f"{TREE_NAME}/{version}",
        "scope_rule": f"used only for scopes with at least {MIN_CASES_PER_SCOPE} of its cases; elsewhere the "
                      "expert prior ranks (choices among municipalities cannot teach site-level weights)",
        "adoption_rule": ADOPTION_RULE,
        "weights_across_folds": recorded["weights_across_folds"],
        "evaluation_cases": recorded["cases"],  # per held-out case: the choice, every method's rank, the top 3
        "library_versions": library_versions(),
        "seconds": round(time.perf_counter() - t0, 2),
    }
    folder = save(models_dir / NAME / version, model.coef_, model.temperature_, card)
    return folder, json.loads((folder / CARD).read_text())


def held_out_ranks(ev: Evaluation, method: str) -> dict[str, float]:
    """Per decision, the held-out rank of its real choice by ``method``: the model's track record,
    which a ranking reads for the profile's industry (``engine.track_record``)."""
    return {c: float(r) for c, r in zip(ev.case_ids, ev.ranks[method])}


SHORT = {"learned": "clogit", "expert_prior": "prior", "topsis_equal": "topsis", "population": "pop",
         "tree": "gbt", "random": "random"}


def case_table(ev: Evaluation, top_method: str = "learned") -> str:
    """Per held-out case: the real choice, its rank (of the candidates) by each method, and the top 3
    the model put first when it had not seen the case's project family."""
    methods = list(ev.ranks)
    head = f"{'case':<6}{'year':>5}  {'chosen':<26}" + "".join(f"{SHORT.get(m, m):>8}" for m in methods)
    lines = [head + f"  top 3 ({SHORT.get(top_method, top_method)}, held out)"]
    for r in ev.case_rows():
        year = "" if r["year"] is None else str(r["year"])
        ranks = "".join(f"{r['rank'][m]:>8g}" for m in methods)  # type: ignore[index]  (a tie's half rank shows: 40.5)
        top = ", ".join(r["top3"].get(top_method, []))  # type: ignore[union-attr]
        lines.append(f"{r['case_id']:<6}{year:>5}  {str(r['chosen'])[:25]:<26}{ranks}  {top}")
    return "\n".join(lines)


def table(methods: dict[str, dict[str, float]]) -> str:
    cols = ("median_rank", "mrr", "hit@1", "hit@5", "hit@10", "ndcg")
    lines = [f"{'method':<14}" + "".join(f"{c:>12}" for c in cols)]
    for m, v in methods.items():
        lines.append(f"{m:<14}" + "".join(f"{v[c]:>12.3f}" for c in cols))
    return "\n".join(lines)


def markdown(ev: Evaluation, top_method: str = "learned") -> str:
    """The method table and the per-case table as Markdown (the README's headline is pasted from it)."""
    cols = ("median_rank", "mrr", "hit@1", "hit@5", "hit@10", "ndcg")
    lines = ["| method | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for m, v in ev.methods.items():
        lines.append(f"| {m} | " + " | ".join(f"{v[c]:.3f}".rstrip("0").rstrip(".") for c in cols) + " |")
    methods = list(ev.ranks)
    lines += ["", "| case | year | chosen | " + " | ".join(SHORT.get(m, m) for m in methods)
              + f" | top 3 ({SHORT.get(top_method, top_method)}, held out) |", "|---" * (len(methods) + 4) + "|"]
    for r in ev.case_rows():
        year = "" if r["year"] is None else str(r["year"])
        ranks = " | ".join(f"{r['rank'][m]:g}" for m in methods)  # type: ignore[index]
        top = ", ".join(r["top3"].get(top_method, []))  # type: ignore[union-attr]
        lines.append(f"| {r['case_id']} | {year} | {r['chosen']} | {ranks} | {top} |")
    return "\n".join(lines)
