"""Tests for the clusterer's article features (hand-made articles, no models)."""

from __future__ import annotations

import numpy as np
import pytest

from storydesk.group.features import (
    ArticleFeaturizer,
    DocumentFrequencies,
    entity_keys,
    sparse_cosine,
    stable_hash,
    tokenize,
    truncate,
)
from storydesk.records import Article, Mention


def test_features_tokenize_drops_stop_words_and_keeps_numbers() -> None:
    words = tokenize("The economy added 136,000 jobs in September, and the rate fell to 3.5%.")
    assert "the" not in words and "and" not in words
    assert "#136000" in words and "#3.5%" in words
    assert "economy" in words and "september" in words


def test_features_tokenize_folds_plurals_and_possessives() -> None:
    assert tokenize("attacks attack") == ["attack", "attack"]
    assert tokenize("Lavrov's visit") == ["lavrov", "visit"]
    assert tokenize("the crisis press") == ["crisis", "press"]  # "-is"/"-ss" endings are not plurals


def test_features_stable_hash_is_deterministic_and_bounded() -> None:
    assert stable_hash("earthquake", 1 << 20) == stable_hash("earthquake", 1 << 20)
    assert all(0 <= stable_hash(w, 1024) < 1024 for w in ("a", "Nepal", "землетрясение"))


def test_features_entity_keys_use_mentions_when_annotated() -> None:
    text = "Sergei Lavrov met Rex Tillerson on Wednesday in Washington."
    article = Article(id="a", location="a", text=text, mentions=[
        Mention(text="Sergei Lavrov", label="PERSON", start=0, end=13, sentence=0),
        Mention(text="Wednesday", label="DATE", start=37, end=46, sentence=0),
        Mention(text="Washington", label="GPE", start=50, end=60, sentence=0),
    ])
    keys = entity_keys(article, text)
    assert keys == ["sergei", "lavrov", "washington"]  # dates are not names


def test_features_entity_keys_fall_back_to_capitalised_words() -> None:
    text = "Rescuers searched the rubble. Officials in Kathmandu said the Nepal quake killed dozens."
    keys = entity_keys(Article(id="a", location="a", text=text), text)
    assert "kathmandu" in keys and "nepal" in keys
    assert "rescuers" not in keys and "officials" not in keys  # sentence-initial words are not names


def test_features_document_frequencies_reject_tiny_tables() -> None:
    with pytest.raises(ValueError, match="hash_buckets"):
        DocumentFrequencies(10)


def test_features_idf_favours_rare_terms() -> None:
    freq = DocumentFrequencies(1024)
    for _ in range(10):
        freq.add([1, 2])
    freq.add([3])
    common, rare = freq.idf([1, 3])
    assert rare > common
    assert freq.touched == {1, 2, 3}


def test_features_vectors_are_normalised_and_truncated() -> None:
    featurizer = ArticleFeaturizer(embedder=None, buckets=4096, max_terms=5, embed_chars=100)
    text = "alpha beta gamma delta epsilon zeta theta iota kappa lambda " * 2
    (features,) = featurizer.featurize([Article(id="a", location="a", text=text, title="Alpha")])
    assert len(features.terms) == 5
    assert sparse_cosine(features.terms, features.terms) == pytest.approx(1.0)
    assert features.embedding.shape == (1,) and not np.any(features.embedding)


def test_features_truncate_keeps_the_heaviest() -> None:
    assert truncate({1: 0.1, 2: 0.9, 3: 0.5}, 2) == {2: 0.9, 3: 0.5}


def test_features_drop_the_function_words_of_the_articles_language() -> None:
    text = "Губернатор сказал, что это решение было принято для жителей региона"
    russian = tokenize(text, "ru")
    assert "что" not in russian and "это" not in russian and "для" not in russian
    assert "губернатор" in russian and "региона" in russian
    assert "что" in tokenize(text)  # read as English, Russian function words look like content
    assert tokenize("The mayor said the bridge reopened", "xx") == tokenize("The mayor said the bridge reopened")


def test_features_record_the_language_they_detect_once() -> None:
    article = Article(id="r", location="r.txt", raw="", text="Губернатор сказал, что мост через реку откроют в пятницу утром.")
    featurizer = ArticleFeaturizer(embedder=None, buckets=1024, max_terms=50, embed_chars=500)
    featurizer.observe([article])
    assert article.language == "ru"  # recorded: the next reader does not detect it again
    kept = Article(id="e", location="e.txt", raw="", text="The bridge opens on Friday.", language="en")
    featurizer.featurize([kept])
    assert kept.language == "en"
