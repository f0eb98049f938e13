"""Every ranker keeps scikit-learn's estimator contract and the engine's: parameters only in
``__init__``, ``fit`` returns self and changes no parameter, ``clone`` works, the same data give
the same scores, contributions add up to the score, a card round-trips, a tampered card is refused."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone

from matcher.core.criteria import CRITERION_NAMES, PRIOR_WEIGHTS
from matcher.core.rankers import ExpertPriorRanker
from matcher.learn.boosting import AdditiveBoostingRanker
from matcher.learn.logit import ConditionalLogitRanker
from matcher.learn.model_store import LinearRanker, ModelRefused, TreeRanker, load, save, save_tree

K = len(CRITERION_NAMES)


def choices(seed: int = 3, cases: int = 40, per: int = 12):
    rng = np.random.default_rng(seed)
    X = rng.uniform(0, 1, (cases * per, K))
    groups = np.repeat(np.arange(cases), per)
    u = X @ (PRIOR_WEIGHTS * 8) + rng.gumbel(size=len(X))
    y = np.zeros(len(X), bool)
    for g in range(cases):
        rows = np.flatnonzero(groups == g)
        y[rows[np.argmax(u[rows])]] = True
    return X, y, groups


def fitted_tree():
    X, y, groups = choices()
    return AdditiveBoostingRanker(max_iter=10, negatives_per_case=5).fit(X, y, groups=groups)


RANKERS = {
    "expert_prior": lambda: ExpertPriorRanker(),
    "expert_prior_weights": lambda: ExpertPriorRanker(weights=np.linspace(0, 1, K)),
    "conditional_logit": lambda: ConditionalLogitRanker(l2=1.0),
    "linear_from_card": lambda: LinearRanker(coef=np.linspace(1, 0, K), version="lin", temperature=7.0),
    "additive_boosting": lambda: AdditiveBoostingRanker(max_iter=10, negatives_per_case=5),
    "tree_from_card": lambda: TreeRanker(fitted_tree(), "tree", ("finland",)),
}


def params_equal(a: dict, b: dict) -> bool:
    if a.keys() != b.keys():
        return False
    for k in a:
        x, y = a[k], b[k]
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            if not np.array_equal(np.asarray(x), np.asarray(y)):
                return False
        elif isinstance(x, AdditiveBoostingRanker):
            if not params_equal(x.get_params(), y.get_params()):
                return False
        elif x != y:
            return False
    return True


@pytest.mark.parametrize("name", sorted(RANKERS))
def test_fit_returns_self_and_changes_no_parameter(name):
    X, y, groups = choices()
    r = RANKERS[name]()
    before = r.get_params(deep=False)
    assert r.fit(X, y, groups=groups) is r
    assert params_equal(r.get_params(deep=False), before)


@pytest.mark.parametrize("name", sorted(RANKERS))
def test_clone_gives_the_same_parameters_and_the_same_scores_after_fit(name):
    X, y, groups = choices()
    r = RANKERS[name]().fit(X, y, groups=groups)
    c = clone(r)
    assert params_equal(c.get_params(deep=False), r.get_params(deep=False))
    c.fit(X, y, groups=groups)
    assert np.allclose(c.decision_function(X), r.decision_function(X))


@pytest.mark.parametrize("name", sorted(RANKERS))
def test_the_same_data_give_the_same_scores(name):
    X, y, groups = choices()
    a = RANKERS[name]().fit(X, y, groups=groups).decision_function(X)
    b = RANKERS[name]().fit(X, y, groups=groups).decision_function(X)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("name", sorted(RANKERS))
def test_contributions_add_up_to_the_score(name):
    X, y, groups = choices()
    r = RANKERS[name]().fit(X, y, groups=groups)
    parts = r.contributions(X[:50])
    assert parts.shape == (50, K)
    assert np.allclose(parts.sum(axis=1), r.decision_function(X[:50]), atol=1e-9)


def test_a_learned_linear_model_round_trips_through_its_card_and_refuses_tampering(tmp_path):
    X, y, groups = choices()
    m = ConditionalLogitRanker(l2=1.0).fit(X, y, groups=groups)
    assert m.converged_
    folder = save(tmp_path / "clogit" / "v1", m.coef_, m.temperature_, {"name": "clogit", "version": "v1"})
    back = LinearRanker.from_card(folder)
    assert np.allclose(back.decision_function(X), m.decision_function(X), atol=1e-9)
    assert back.temperature_ == pytest.approx(m.temperature_)
    w = json.loads((folder / "weights.json").read_text())
    w["coef"][0] += 0.5
    (folder / "weights.json").write_text(json.dumps(w))
    with pytest.raises(ModelRefused, match="sha256"):
        LinearRanker.from_card(folder)


def test_a_tree_model_round_trips_through_its_card_and_refuses_tampering(tmp_path):
    X, y, groups = choices()
    tree = fitted_tree()
    folder = save_tree(tmp_path / "gbt" / "v1", tree, {"name": "gbt", "version": "v1", "scopes": ["finland"]})
    back = load(folder)
    assert isinstance(back, TreeRanker)
    assert np.allclose(back.decision_function(X), tree.decision_function(X))
    with (folder / "model.joblib").open("ab") as f:
        f.write(b"\0")
    with pytest.raises(ModelRefused, match="sha256"):
        load(folder)
    with pytest.raises(ModelRefused):
        LinearRanker.from_card(folder)


def test_a_linear_ranker_without_weights_says_so():
    with pytest.raises(ValueError, match="coef"):
        LinearRanker().fit()


def test_own_bins_give_the_scores_of_scikit_learns_weighted_binning():
    """The tree's bin edges are computed in one pass per criterion (scikit-learn draws weighted
    quantiles one at a time); they must be scikit-learn's own edges, so that the fitted model and its
    scores on new values (between training values) are the ones scikit-learn itself gives."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    rng = np.random.default_rng(7)
    n = 1500
    X = np.c_[rng.random((n, 3)),
              rng.integers(0, 5, (n, 1)),  # few distinct values: used as they are
              np.round(rng.random((n, 1)) * 40) / 4,  # ties
              rng.permutation(np.r_[np.arange(255), rng.integers(0, 255, n - 255)]),  # exactly 255 distinct
              rng.permutation(np.r_[np.arange(256), rng.integers(0, 256, n - 256)]) / 7]  # 256 distinct
    X[rng.random(n) < 0.02, 0] = np.nan
    y = rng.random(n) < 0.05 + 0.3 * np.nan_to_num(X[:, 0])
    ours = AdditiveBoostingRanker(max_iter=30, negatives_per_case=None).fit(X, y)
    ref = HistGradientBoostingClassifier(
        max_iter=30, learning_rate=0.1, max_leaf_nodes=8, min_samples_leaf=20, interaction_cst="no_interactions",
        class_weight="balanced", early_stopping=False, monotonic_cst=[1] * X.shape[1],
        random_state=ours.random_state).fit(X, y)
    assert [t is None for t in ours.thresholds_] == [False, False, False, True, True, True, False]
    for j, thr in enumerate(ours.thresholds_):
        if thr is not None:
            assert np.array_equal(thr, ref._bin_mapper.bin_thresholds_[j]), j
    new = X + rng.normal(scale=0.01, size=X.shape)  # values the fit never saw
    new[:, 3:6] = X[:, 3:6]
    want = ref.decision_function(new) - ref.decision_function(np.zeros((1, X.shape[1])))[0]
    assert np.allclose(ours.decision_function(new), want, atol=1e-9)


def test_a_tree_pickled_before_its_own_bins_still_scores_raw_values():
    rng = np.random.default_rng(3)
    X, y = rng.random((300, 4)), rng.random(300) < 0.2
    m = AdditiveBoostingRanker(max_iter=5, negatives_per_case=None).fit(X, y)
    del m.thresholds_  # as a model saved by the previous version
    assert np.isfinite(m.decision_function(X)).all()


def test_the_trees_never_count_more_of_a_criterion_against_a_place():
    """Every criterion is defined so that more is better: the trees are monotone, so no part of an
    explanation is negative against the all-worst reference (an earlier investment nearby never 'hurts')."""
    rng = np.random.default_rng(11)
    X = rng.random((600, len(CRITERION_NAMES)))
    y = rng.random(600) < 0.1 + 0.5 * (X[:, 0] < 0.3)  # a decreasing effect in the data
    m = AdditiveBoostingRanker(max_iter=30, negatives_per_case=None).fit(X, y)
    parts = m.contributions(rng.random((200, len(CRITERION_NAMES))))
    assert (parts >= -1e-12).all()
    free = AdditiveBoostingRanker(max_iter=30, negatives_per_case=None, monotonic=False).fit(X, y)
    assert (free.contributions(rng.random((200, len(CRITERION_NAMES)))) < -1e-6).any()  # the constraint mattered
