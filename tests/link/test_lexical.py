"""Character n-gram similarity for languages the multilingual model does not read."""

from __future__ import annotations

import numpy as np

from storydesk.link.lexical import char_grams, gram_cosine


def test_lexical_char_grams_fold_case_accents_and_skip_short_words() -> None:
    grams = char_grams("Do KOŠIC a z Košic", 4, (3,))
    assert set(grams) == {"^ko", "kos", "osi", "sic", "ic$"}
    assert grams["kos"] == 2  # both spellings fold to the same word
    assert not char_grams("a do z 12", 4, (3, 4))  # short words and digits carry no grams


def test_lexical_char_grams_transliterate_cyrillic() -> None:
    assert set(char_grams("Прага", 4, (4,))) == set(char_grams("Praga", 4, (4,)))


def test_lexical_gram_cosine_ranks_the_rendering_first() -> None:
    sizes = (3, 4)
    left = [char_grams(t, 4, sizes) for t in ("President Kupka visited Jihlava", "The weather stayed cold")]
    right = [
        char_grams(t, 4, sizes)
        for t in ("Počasí zůstalo chladné", "Prezident Kupka navštívil Jihlavu", "Ministr mluvil dlouho")
    ]
    sim = gram_cosine(left, right)
    assert sim.shape == (2, 3)
    assert int(np.argmax(sim[0])) == 1
    assert sim[0, 1] > 0.3
    assert np.all(sim <= 1.0 + 1e-6)


def test_lexical_gram_cosine_handles_empty_units_and_sides() -> None:
    grams = [char_grams("Prague and Brno", 4, (3, 4)), char_grams("a b", 4, (3, 4))]
    sim = gram_cosine(grams, grams)
    assert sim[0, 0] > 0.99
    assert sim[1, 1] == 0.0  # an empty unit matches nothing, not even itself
    assert gram_cosine([], grams).shape == (0, 2)
