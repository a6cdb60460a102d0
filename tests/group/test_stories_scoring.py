"""Tests that the stream clusterer's fast paths give exactly the numbers of the plain rules they replace.

The clusterer scores an article against every candidate story at once and tokenizes each text once;
each test compares with the one-at-a-time rule written out here, float for float (a score that moves
in its last bit can flip a join or a merge at the threshold).
"""

from __future__ import annotations

import dataclasses
import random
import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from storydesk.group.features import ArticleFeatures, Sparse, sparse_cosine, tokenize, tokenize_both
from storydesk.group.stories import ArticleLanguage, OnlineClusterer, StoryState
from storydesk.records import Article
from storydesk.settings import GroupSettings

RUSSIAN = "Землетрясение произошло в Непале, и это было в субботу. Спасатели сказали, что 7,8 балла."
ENGLISH = "The rescuers' teams said Nepal's quake killed 136,000 people; it's the worst in years."


class _HashEmbedder:
    """A deterministic stand-in for a sentence model: bag of hashed words, L2-normalised."""

    name = "hashed-words"

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), 32), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, zlib.crc32(word.encode()) % 32] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return (out / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def _reference_sparse_cosine(a: Sparse, b: Sparse) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(k, 0.0) for k, w in a.items())


def _reference_similarity(
    clusterer: OnlineClusterer, features: ArticleFeatures, story: StoryState, lingual: ArticleLanguage | None
) -> float:
    """One story at a time, as the clusterer scored before it scored candidates together."""
    s = clusterer.settings
    n = float(story.size) or 1.0
    parts: list[tuple[float, float]] = []
    if s.weight_embedding > 0:
        embedding = clusterer._embedding_part(features, story, lingual)
        if embedding is not None:
            parts.append((s.weight_embedding, embedding))
    if s.weight_terms > 0:
        parts.append((s.weight_terms, _reference_sparse_cosine(features.terms, story.terms) / n))
    if s.weight_entities > 0 and features.entities and story.entities:
        parts.append((s.weight_entities, _reference_sparse_cosine(features.entities, story.entities) / n))
    total = sum(w for w, _ in parts)
    score = sum(w * v for w, v in parts) / total if total else 0.0
    if lingual is None or lingual.meaning is None or lingual.language == "und":
        return score
    if not story.languages - {lingual.language, "und"}:
        return score
    return max(score, clusterer._meaning_cosine(lingual.meaning, story))


def _random_sparse(rng: random.Random, size: int, keys: int) -> Sparse:
    return {rng.randrange(keys): rng.random() ** 2 for _ in range(size)}


def test_features_sparse_cosine_adds_in_the_smaller_vectors_order() -> None:
    rng = random.Random(11)
    for _ in range(3000):
        a = _random_sparse(rng, rng.randrange(0, 40), 120)
        b = _random_sparse(rng, rng.randrange(0, 40), 120)
        assert sparse_cosine(a, b) == _reference_sparse_cosine(a, b)
        assert sparse_cosine(b, a) == _reference_sparse_cosine(b, a)


def test_features_tokenize_both_is_the_language_and_the_english_reading() -> None:
    for text in (RUSSIAN, ENGLISH, RUSSIAN + " " + ENGLISH, "", "a 1 I’m Lavrov’s 2017's"):
        for language in ("ru", "en", "de", "und", "xx"):
            own, english = tokenize_both(text, language)
            assert own == tokenize(text, language)
            assert english == tokenize(text)
    own, english = tokenize_both(RUSSIAN, "ru")
    assert "что" in english and "что" not in own  # Russian stop words are dropped in Russian only


def test_features_fingerprint_is_the_english_reading_whatever_the_language() -> None:
    clusterer = OnlineClusterer(dataclasses.replace(GroupSettings(), mode="cluster", weight_embedding=0.0))
    as_russian = Article(id="a", location="a", title="t", text=RUSSIAN, raw=RUSSIAN, language="ru")
    as_english = Article(id="b", location="b", title="t", text=RUSSIAN, raw=RUSSIAN, language="en")
    first, second = clusterer.featurizer.featurize([as_russian, as_english])
    assert first.fingerprint == second.fingerprint == zlib.crc32(" ".join(tokenize(RUSSIAN)).encode("utf-8"))
    assert first.terms != second.terms  # the terms do follow the language


def test_stories_similarities_equal_one_story_at_a_time() -> None:
    rng = random.Random(5)
    settings = dataclasses.replace(GroupSettings(), mode="cluster", weight_entities=0.3)
    clusterer = OnlineClusterer(settings, embedder=_HashEmbedder())
    stories: list[StoryState] = []
    for i in range(40):
        story = StoryState(id=f"S{i}", articles=[f"a{i}.{j}" for j in range(rng.randrange(1, 6))])
        story.terms = _random_sparse(rng, rng.randrange(0, 120), 400)
        story.entities = _random_sparse(rng, rng.randrange(0, 3) and rng.randrange(1, 30), 60)
        if i % 7:
            story.embedding = rng.random() * np.ones(32, dtype=np.float32) * story.size
        if i % 3 == 0:
            story.languages = {"ru"} if i % 2 else {"en", "ru"}
            story.meaning = np.full(8, 0.3 + 0.01 * i, dtype=np.float32)
            story.meaning_count = 1
        stories.append(story)
    article = ArticleFeatures(
        article_id="new", terms=_random_sparse(rng, 80, 400), entities=_random_sparse(rng, 12, 60),
        embedding=np.full(32, 0.17, dtype=np.float32), time=None,
    )
    meaning = np.full(8, 0.35, dtype=np.float32)
    for lingual in (None, ArticleLanguage("en"), ArticleLanguage("en", meaning), ArticleLanguage("fr", meaning)):
        got = clusterer.similarities(article, stories, lingual)
        want = [_reference_similarity(clusterer, article, story, lingual) for story in stories]
        assert got == want
        assert [clusterer.similarity(article, story, lingual) for story in stories] == want
    assert clusterer.similarities(article, [], None) == []
    assert max(want) > 0.0  # the fixture does reach the word, name and embedding parts
