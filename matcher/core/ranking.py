"""The one ranking rule: a better feasibility level first, then a higher score, then the smaller
id (so equal scores always come in the same order, whatever the catalog's row order). Every
place that orders candidates or asks "which rank would this be" uses these functions."""

from __future__ import annotations

import numpy as np

FEASIBLE_BONUS = 10.0  # scores lie in [-1, 1]: a better feasibility level always outranks a worse one


def rank_key(scores: np.ndarray, level: np.ndarray) -> np.ndarray:
    """One sortable number per candidate: meets, then unverified, then fails (``level`` 2/1/0, a
    reserved offering 0.5; a boolean feasible array works too), and by score within a level."""
    return scores + FEASIBLE_BONUS * level


def order(key: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Indices of all candidates in rank order."""
    return np.lexsort((ids, -key))


def top_k(key: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` of ``order(key, ids)``, without sorting the whole catalog."""
    n = len(key)
    k = min(k, n)
    if k < n:
        part = np.argpartition(-key, k - 1)[:k]
        cut = key[part].min()
        part = np.flatnonzero(key >= cut)  # every candidate tied at the cut competes on id
    else:
        part = np.arange(n)
    return part[np.lexsort((ids[part], -key[part]))][:k]


def rank_of(key: np.ndarray, ids: np.ndarray, i: int, value: float | None = None) -> int:
    """The rank of candidate ``i`` (1 = first), or the rank it would have with key ``value``."""
    v = key[i] if value is None else value
    ahead = (key > v) | ((key == v) & (ids < ids[i]))
    ahead[i] = False
    return 1 + int(ahead.sum())


def ranks(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """(n, d) keys, one column per draw -> the (n, d) rank of every candidate in every column."""
    tie = np.argsort(np.argsort(ids, kind="stable"), kind="stable")  # id order as a number
    idx = np.lexsort((np.broadcast_to(tie[:, None], keys.shape), -keys), axis=0)
    out = np.empty_like(idx)
    out[idx, np.arange(keys.shape[1])] = np.arange(1, keys.shape[0] + 1)[:, None]
    return out
