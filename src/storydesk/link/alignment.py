"""Sentence alignment between two articles: which sentences say the same thing, and in what order.

Given the cosine matrix of two articles' sentence embeddings, :func:`align` finds
- a one-to-one matching (greedy by similarity, order ignored: survives shuffled paragraphs), and
- the heaviest monotone chain (both sides in increasing order: what a translation or a bundled
  retelling looks like, and what two independent reports of one event rarely produce),
and marks which matched pairs are verbatim (same words), which separates a copy from a translation.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class AlignedPair:
    left: int  # index of the sentence unit in the left article
    right: int
    score: float
    verbatim: bool = False


@dataclass(frozen=True, slots=True)
class Block:
    """A contiguous run of aligned units on one side (gaps of a few unaligned units allowed)."""

    start: int
    end: int  # inclusive
    matches: int


@dataclass(slots=True)
class Alignment:
    n_left: int
    n_right: int
    matches: list[AlignedPair] = field(default_factory=list)  # one-to-one, any order
    chain: list[AlignedPair] = field(default_factory=list)  # monotone in both sides

    def coverage(self, side: str, ordered: bool = True) -> float:
        """Share of one side's units that are aligned (by the monotone chain, or by any matching)."""
        n = self.n_left if side == "left" else self.n_right
        pairs = self.chain if ordered else self.matches
        return len(pairs) / n if n else 0.0

    @property
    def verbatim_ratio(self) -> float:
        if not self.matches:
            return 0.0
        return sum(p.verbatim for p in self.matches) / len(self.matches)

    @property
    def mean_score(self) -> float:
        pairs = self.chain or self.matches
        return float(np.mean([p.score for p in pairs])) if pairs else 0.0

    def block(self, side: str, max_gap: int) -> Block | None:
        """The chain's densest contiguous run on ``side`` (where a bundled passage sits)."""
        positions = sorted(p.left if side == "left" else p.right for p in self.chain)
        if not positions:
            return None
        best = Block(positions[0], positions[0], 1)
        start, count = positions[0], 1
        for prev, pos in itertools.pairwise(positions):
            if pos - prev <= max_gap + 1:
                count += 1
            else:
                start, count = pos, 1
            if count > best.matches:
                best = Block(start, pos, count)
        return best

    def strong(self, min_score: float) -> Alignment:
        """The same alignment restricted to pairs scoring at least ``min_score``."""
        return Alignment(
            n_left=self.n_left,
            n_right=self.n_right,
            matches=[p for p in self.matches if p.score >= min_score],
            chain=[p for p in self.chain if p.score >= min_score],
        )

    def longest_adjacent_run(self) -> int:
        """Longest run of chain pairs that are neighbours on both sides (a copied passage)."""
        best = run = 0
        prev: AlignedPair | None = None
        for pair in self.chain:
            if prev is not None and pair.left == prev.left + 1 and pair.right == prev.right + 1:
                run += 1
            else:
                run = 1
            best = max(best, run)
            prev = pair
        return best


def _candidates(sim: npt.NDArray[np.float32], threshold: float, margin: float) -> list[tuple[int, int, float]]:
    """Entries above ``threshold`` that are within ``margin`` of their row's or column's best."""
    if sim.size == 0:
        return []
    row_best = sim.max(axis=1, keepdims=True)
    col_best = sim.max(axis=0, keepdims=True)
    keep = (sim >= threshold) & ((sim >= row_best - margin) | (sim >= col_best - margin))
    rows, cols = np.nonzero(keep)
    return [(int(r), int(c), float(sim[r, c])) for r, c in zip(rows, cols, strict=True)]


def _greedy_matching(cands: list[tuple[int, int, float]]) -> list[tuple[int, int, float]]:
    used_left: set[int] = set()
    used_right: set[int] = set()
    out: list[tuple[int, int, float]] = []
    for i, j, s in sorted(cands, key=lambda c: -c[2]):
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        out.append((i, j, s))
    return out


def _monotone_chain(cands: list[tuple[int, int, float]], n_right: int) -> list[tuple[int, int, float]]:
    """Heaviest chain with strictly increasing left and right indexes (weighted LIS, O(k log k))."""
    if not cands:
        return []
    # Same-left entries come in decreasing right order, so two of them never chain together.
    order = sorted(cands, key=lambda c: (c[0], -c[1]))
    size = n_right + 1
    tree_val = [0.0] * (size + 1)
    tree_arg = [-1] * (size + 1)
    best_val = [0.0] * len(order)
    back = [-1] * len(order)

    def query(pos: int) -> tuple[float, int]:  # max over right indexes < pos
        val, arg = 0.0, -1
        while pos > 0:
            if tree_val[pos] > val:
                val, arg = tree_val[pos], tree_arg[pos]
            pos -= pos & -pos
        return val, arg

    def update(pos: int, val: float, arg: int) -> None:
        pos += 1
        while pos <= size:
            if val > tree_val[pos]:
                tree_val[pos], tree_arg[pos] = val, arg
            pos += pos & -pos

    for k, (_, j, s) in enumerate(order):
        prev_val, prev_arg = query(j)
        best_val[k] = prev_val + s
        back[k] = prev_arg
        update(j, best_val[k], k)
    k = int(np.argmax(best_val))
    chain: list[tuple[int, int, float]] = []
    while k >= 0:
        chain.append(order[k])
        k = back[k]
    chain.reverse()
    return chain


def token_jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def align(
    sim: npt.NDArray[np.float32],
    threshold: float,
    *,
    left_tokens: Sequence[set[str]] | None = None,
    right_tokens: Sequence[set[str]] | None = None,
    verbatim_jaccard: float = 0.6,
    margin: float = 0.05,
) -> Alignment:
    """Align two articles from their sentence-similarity matrix (rows: left, columns: right)."""
    n_left, n_right = sim.shape
    cands = _candidates(sim, threshold, margin)
    alignment = Alignment(n_left=n_left, n_right=n_right)
    if not cands:
        return alignment

    def make(i: int, j: int, s: float) -> AlignedPair:
        verbatim = False
        if left_tokens is not None and right_tokens is not None:
            verbatim = token_jaccard(left_tokens[i], right_tokens[j]) >= verbatim_jaccard
        return AlignedPair(left=i, right=j, score=s, verbatim=verbatim)

    alignment.matches = [make(i, j, s) for i, j, s in _greedy_matching(cands)]
    alignment.chain = [make(i, j, s) for i, j, s in _monotone_chain(cands, n_right)]
    return alignment
