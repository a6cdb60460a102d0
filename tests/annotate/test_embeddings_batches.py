"""wordllama runs in batches of 16: a text's vector must not depend on the batch it is embedded in."""

from __future__ import annotations

import random

import numpy as np
import pytest

from storydesk.annotate.embeddings import _WORDLLAMA_BATCH, WordLlamaEmbedder, _normalise, get_embedder

pytestmark = pytest.mark.slow


def test_embeddings_wordllama_vectors_do_not_depend_on_the_batch() -> None:
    embedder = get_embedder("wordllama").model
    assert isinstance(embedder, WordLlamaEmbedder)
    rng = random.Random(2)
    words = ["the", "harbour", "crane", "collapsed", "on", "tuesday", "officials", "said", "fourteen", "hurt"]
    texts = [" ".join(rng.choice(words) for _ in range(rng.randrange(1, 400))) for _ in range(70)]
    texts += ["", "A short one.", "Ünïcödé ПРИВЕТ 東京"]
    for order in (texts, sorted(texts, key=len)):
        got = embedder.embed(order)
        for size in (64, 1, _WORDLLAMA_BATCH + 3):
            want = _normalise(embedder._model.embed(list(order), batch_size=size))
            assert np.array_equal(got.view(np.uint32), want.view(np.uint32))
