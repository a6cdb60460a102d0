"""The per-text embedding cache in front of the real models (wordllama: slow)."""

from __future__ import annotations

import numpy as np
import pytest

from storydesk.annotate.embeddings import CachedEmbedder, get_embedder

pytestmark = pytest.mark.slow

SENTENCES = [
    "The harbour will stay closed until Friday, the port authority said.",
    "Fourteen people were hurt when the crane collapsed.",
    "Officials said the crane collapsed on Tuesday morning.",
    "A short one.",
]


def _fresh() -> CachedEmbedder:
    """A cache of its own around the process-wide model (the shared one is warm from other tests)."""
    return CachedEmbedder(get_embedder("wordllama").model)


def test_embeddings_cached_vectors_equal_the_models_own() -> None:
    cached = _fresh()
    direct = cached.model.embed(SENTENCES)
    first = cached.embed(SENTENCES)
    again = cached.embed(list(reversed(SENTENCES)))
    np.testing.assert_allclose(first, direct, atol=1e-6)
    np.testing.assert_allclose(again, direct[::-1], atol=1e-6)
    norms = np.linalg.norm(first, axis=1)
    np.testing.assert_allclose(norms, 1.0, atol=1e-5)


def test_embeddings_each_distinct_text_reaches_the_model_once() -> None:
    cached = _fresh()
    cached.embed(SENTENCES[:2] + SENTENCES[:2])  # a repeat inside one call
    assert (cached.misses, cached.hits) == (2, 2)
    cached.embed(SENTENCES)  # two known, two new
    assert (cached.misses, cached.hits) == (4, 4)


def test_embeddings_cache_is_bounded_and_evicts_the_least_recent() -> None:
    cached = CachedEmbedder(get_embedder("wordllama").model, capacity=2)
    cached.embed(SENTENCES[:2])
    cached.embed(SENTENCES[:1])  # touch the first: the second is now the oldest
    cached.embed(SENTENCES[2:3])
    assert cached.misses == 3
    cached.embed(SENTENCES[:1])
    assert cached.misses == 3  # still cached
    cached.embed(SENTENCES[1:2])
    assert cached.misses == 4  # evicted, embedded again


def test_embeddings_returned_matrix_is_a_copy_callers_may_change() -> None:
    cached = _fresh()
    out = cached.embed(SENTENCES[:1])
    out[:] = 0.0
    assert float(np.linalg.norm(cached.embed(SENTENCES[:1]))) == pytest.approx(1.0, abs=1e-5)


def test_embeddings_empty_input_keeps_the_models_shape() -> None:
    assert _fresh().embed([]).shape[0] == 0
