"""The batch clusterer's matrix helpers give exactly the floats of the plain formulas they replace.

``sparse_rows`` numbers its columns by sorted id (it used to number them in order of first sight) and
``_average_linkage`` builds its distances with fewer temporaries; pair scores and cuts must not move by
a bit (a score that moves in its last bit can flip a cut at the threshold).
"""

from __future__ import annotations

import random

import numpy as np
import numpy.typing as npt
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

from storydesk.group import batch
from storydesk.group.batch import _average_linkage, cosine_matrix, sparse_rows
from storydesk.group.features import Sparse, normalise


def _first_seen_rows(vectors: list[Sparse]) -> csr_matrix:
    """``sparse_rows`` as it was: columns numbered in order of first sight."""
    columns: dict[int, int] = {}
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for vec in vectors:
        for key, weight in vec.items():
            indices.append(columns.setdefault(key, len(columns)))
            data.append(weight)
        indptr.append(len(indices))
    return csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int64), np.asarray(indptr)),
        shape=(len(vectors), max(1, len(columns))),
    )


def _vectors(rng: random.Random, n: int, keys: int) -> list[Sparse]:
    return [
        normalise({rng.randrange(keys): rng.random() for _ in range(rng.randrange(0, 60))}) for _ in range(n)
    ]


def test_batch_cosine_matrix_equals_the_first_seen_column_layout() -> None:
    rng = random.Random(4)
    for n, keys in ((1, 10), (7, 20), (120, 400), (300, 1 << 20)):
        vectors = _vectors(rng, n, keys)
        rows = _first_seen_rows(vectors)
        want = np.asarray((rows @ rows.T).toarray(), dtype=np.float32)
        got = cosine_matrix(vectors)
        assert got.dtype == np.float32
        assert np.array_equal(got.view(np.uint32), want.view(np.uint32))
        assert sparse_rows(vectors).nnz == rows.nnz
    assert cosine_matrix([{}, {}]).shape == (2, 2)


def _plain_labels(score: npt.NDArray[np.float32], threshold: float) -> tuple[list[int], npt.NDArray[np.float64]]:
    distance = 1.0 - np.clip(score, 0.0, 1.0).astype(np.float64)
    distance = (distance + distance.T) / 2.0
    np.fill_diagonal(distance, 0.0)
    condensed = squareform(distance, checks=False)
    tree = linkage(condensed, method="average")
    return [int(label) for label in fcluster(tree, t=1.0 - threshold, criterion="distance")], condensed


def test_batch_average_linkage_distances_equal_the_plain_formula(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[npt.NDArray[np.float64]] = []

    def recording(condensed: npt.NDArray[np.float64], method: str) -> npt.NDArray[np.float64]:
        seen.append(condensed.copy())
        return linkage(condensed, method=method)

    monkeypatch.setattr(batch, "linkage", recording)
    rng = np.random.default_rng(8)
    for n in (2, 5, 60, 301):
        raw = rng.random((n, n), dtype=np.float32) * 1.3 - 0.15  # outside 0..1 too: clipped
        score = (raw + 0.5 * raw.T).astype(np.float32)  # not symmetric: the distances are made so
        before = score.copy()
        labels = _average_linkage(score, 0.3)
        want_labels, want = _plain_labels(score, 0.3)
        assert labels == want_labels
        assert np.array_equal(seen[-1].view(np.uint64), want.view(np.uint64))
        assert np.array_equal(score, before)  # the caller's matrix is left alone
