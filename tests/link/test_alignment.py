"""Sentence alignment: one-to-one matching, the monotone chain, blocks and verbatim pairs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from storydesk.link.alignment import align


def test_alignment_monotone_chain_skips_crossing_pairs() -> None:
    sim = np.array(
        [
            [0.95, 0.10, 0.10, 0.10],
            [0.10, 0.10, 0.90, 0.10],  # crosses the next row's match: only one can be in order
            [0.10, 0.85, 0.10, 0.10],
            [0.10, 0.10, 0.10, 0.92],
        ],
        dtype=np.float32,
    )
    result = align(sim, 0.8)
    assert len(result.matches) == 4  # order ignored: every row finds its best
    chain = [(p.left, p.right) for p in result.chain]
    assert chain[0] == (0, 0) and chain[-1] == (3, 3)
    assert len(chain) == 3
    assert result.coverage("left") == 0.75
    assert result.coverage("left", ordered=False) == 1.0


def test_alignment_matching_is_one_to_one() -> None:
    sim = np.array([[0.9, 0.2], [0.88, 0.85], [0.87, 0.2]], dtype=np.float32)
    result = align(sim, 0.8, margin=0.2)
    lefts = [p.left for p in result.matches]
    rights = [p.right for p in result.matches]
    assert len(set(lefts)) == len(lefts) and len(set(rights)) == len(rights)
    assert len(result.matches) == 2


def test_alignment_block_finds_bundled_run() -> None:
    # the left article (12 units) holds the right one (4 units) at positions 6..9
    sim = np.full((12, 4), 0.1, dtype=np.float32)
    for k in range(4):
        sim[6 + k, k] = 0.9
    result = align(sim, 0.8)
    block = result.block("left", max_gap=1)
    assert block is not None
    assert (block.start, block.end, block.matches) == (6, 9, 4)
    assert result.longest_adjacent_run() == 4


def test_alignment_marks_verbatim_pairs_by_word_overlap() -> None:
    sim = np.array([[0.99, 0.1], [0.1, 0.85]], dtype=np.float32)
    left = [{"the", "minister", "arrived", "today"}, {"talks", "were", "useful"}]
    right = [{"the", "minister", "arrived", "today"}, {"negotiations", "proved", "helpful"}]
    result = align(sim, 0.8, left_tokens=left, right_tokens=right, verbatim_jaccard=0.8)
    flags = {(p.left, p.right): p.verbatim for p in result.matches}
    assert flags == {(0, 0): True, (1, 1): False}
    assert result.verbatim_ratio == 0.5


def test_alignment_no_pair_above_threshold_gives_empty_alignment() -> None:
    result = align(np.full((3, 3), 0.2, dtype=np.float32), 0.8)
    assert result.matches == [] and result.chain == []
    assert result.block("left", 2) is None


@settings(max_examples=60, deadline=None)
@given(arrays(np.float32, st.tuples(st.integers(1, 12), st.integers(1, 12)), elements=st.floats(0, 1, width=32)))
def test_alignment_chain_is_increasing_and_above_threshold(sim: np.ndarray) -> None:
    result = align(sim, 0.5)
    for p in result.chain:
        assert p.score >= 0.5
    for prev, nxt in zip(result.chain, result.chain[1:], strict=False):
        assert nxt.left > prev.left and nxt.right > prev.right
    assert len(result.chain) <= min(sim.shape)
