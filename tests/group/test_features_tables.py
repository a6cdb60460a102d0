"""The featurizer's remembered words and hashes give exactly the plain rules' tokens, hashes and floats.

``tokenize_both`` looks each distinct word up in a table, the featurizer remembers each token's hash
bucket, and the TF-IDF weights are built by C-level maps: each test compares with the rule written
out word by word (as the featurizer computed it before), token for token and float for float.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter

import pytest

from storydesk.group import features
from storydesk.group.features import (
    ArticleFeaturizer,
    DocumentFrequencies,
    entity_keys,
    normalise,
    stable_hash,
    stop_words,
    tokenize,
    tokenize_both,
    truncate,
)
from storydesk.records import Article

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]|\d[\d,.]*\d%?|\d%?", re.UNICODE)
TEXTS = [
    "The rescuers' teams said Nepal's quake killed 136,000 people; it's the worst in years.",
    "Землетрясение произошло в Непале, и это было в субботу. Спасатели сказали, что 7,8 балла.",
    "Der Minister kam gestern an. Er sprach mit dem Außenminister über die Lage in Syrien.",
    "a 1 I’m Lavrov’s 2017's ²abc ³4 U.S.-led 1,200 2% O'Neill's bus status analysis attacks crisis",
    "",
    "Ørsted's ÆSIR deals: 12,,3 1.5.% -x- 'q' a-b-c the THE The",
]


def _reference_tokenize_both(text: str, language: str) -> tuple[list[str], list[str]]:
    """The word-by-word loop ``tokenize_both`` ran before it remembered words."""
    stop = stop_words(language)
    english_stop = stop_words("en")
    english: list[str] = []
    own = english if stop is english_stop else []
    for word in _WORD.findall(text.lower().replace("’", "'")):
        if word.endswith("'s"):
            word = word[:-2]
        if word[0].isdigit():
            if len(word) > 1:
                english.append("#" + word.replace(",", ""))
                if own is not english:
                    own.append(english[-1])
            continue
        if len(word) < 3 or word in english_stop:
            continue
        kept = own is not english and word not in stop
        if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        english.append(word)
        if kept:
            own.append(word)
    return own, english


def _random_text(rng: random.Random) -> str:
    pieces = ["Smith's", "attacks", "the", "1,200", "7", "crisis", "что", "это", "und", "Lage", "’s", "-", "'",
              "U.S.", "2%", "Москва", "über", "bus", "news", "x", "ab", "abc", ".", ",", "\n"]
    return " ".join(rng.choice(pieces) for _ in range(rng.randrange(0, 40)))


def test_features_tokenize_both_equals_the_word_by_word_rule() -> None:
    rng = random.Random(3)
    texts = TEXTS + [_random_text(rng) for _ in range(300)]
    for _ in range(2):  # the second round reads every word from the tables
        for text in texts:
            for language in ("en", "ru", "de", "und", "xx"):
                assert tokenize_both(text, language) == _reference_tokenize_both(text, language)


def test_features_tokenize_tables_are_bounded_and_start_over(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "_WORD_MEMORY", 8)
    monkeypatch.setattr(features, "_TOKENS", {})
    # a table holds at most 8 words, or one text's words when that text alone has more
    bound = max(8, *(len(set(_WORD.findall(text.lower()))) for text in TEXTS))
    for _ in range(3):
        for text in TEXTS:
            assert tokenize_both(text, "ru") == _reference_tokenize_both(text, "ru")
            assert all(len(table) <= bound for table in features._TOKENS.values())
    assert tokenize(TEXTS[0]) == _reference_tokenize_both(TEXTS[0], "en")[1]


def test_features_weighted_vectors_equal_the_plain_formula() -> None:
    rng = random.Random(7)
    frequencies = DocumentFrequencies(1024)
    for _ in range(50):
        frequencies.add([rng.randrange(1024) for _ in range(rng.randrange(1, 60))])
    for keep in (5, 100):
        for _ in range(200):
            counts = Counter({rng.randrange(1024): rng.randrange(1, 40) for _ in range(rng.randrange(0, 80))})
            got = features._weighted(counts, frequencies, keep)
            ids = list(counts)
            idf = frequencies.idf(ids)
            plain = {i: (1.0 + math.log(counts[i])) * float(w) for i, w in zip(ids, idf, strict=True)}
            vec = truncate(plain, keep)
            norm = math.sqrt(sum(w * w for w in vec.values()))
            want = {k: w / norm for k, w in vec.items()} if norm else {}
            assert list(got.items()) == list(want.items())  # same keys, same order, same floats


def test_features_normalise_equals_the_plain_loop() -> None:
    rng = random.Random(9)
    for _ in range(300):
        vec = {rng.randrange(10_000): rng.random() * rng.choice((1e-3, 1.0, 1e3)) for _ in range(rng.randrange(0, 50))}
        norm = math.sqrt(sum(w * w for w in vec.values()))
        want = {k: w / norm for k, w in vec.items()} if norm else {}
        assert list(normalise(vec).items()) == list(want.items())
    assert normalise({}) == {} and normalise({3: 0.0}) == {}


def test_features_remembered_hash_buckets_equal_stable_hash() -> None:
    featurizer = ArticleFeaturizer(embedder=None, buckets=4099, max_terms=100, embed_chars=200)
    article = Article(id="a", location="a", title="Quake in Nepal", text=TEXTS[0] + " Aid reached Kathmandu and Nepal")
    words = tokenize(article.text)
    for _ in range(2):
        terms, entities = featurizer._counts(article, article.text, words)
        want = Counter(stable_hash(w, 4099) for w in words)
        for w in tokenize(article.title):
            want[stable_hash(w, 4099)] += featurizer.title_boost
        assert list(terms.items()) == list(want.items())
        names = entity_keys(article, f"{article.title}\n{article.text}")
        assert list(entities.items()) == list(Counter(stable_hash(k, 4099) for k in names).items())
        assert "kathmandu" in names
