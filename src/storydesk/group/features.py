"""What the story clusterer sees of an article: hashed TF-IDF terms, entity keys, an embedding, a time.

Term and entity vectors are sparse dicts over *hashed* ids with an online document-frequency table of
fixed size, so the state is bounded however long the stream runs (a collision only blurs two rare
words together). Entities come from the annotator's mentions; without them (the light path used for
very large streams) capitalised words that do not open a sentence stand in for names.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import mul, truediv

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from storydesk.annotate.embeddings import SentenceEmbedder
from storydesk.annotate.language import detect_language
from storydesk.records import Article

Vector = npt.NDArray[np.float32]
# characters of an article's head read to tell its language when the reader did not: enough for a
# confident call on news text (detection is linear in them: 3,000 cost ~0.7 ms an article, 600 ~0.2 ms)
_LANGUAGE_SAMPLE = 600
Sparse = dict[int, float]

# Distinct words remembered per language by ``tokenize_both`` (each a few hundred bytes: some tens of MB
# at most), and tokens per featurizer whose hash bucket is remembered; a full table starts over.
_WORD_MEMORY = 200_000
_HASH_MEMORY = 1 << 18

# Labels that name who and where: the signal that separates two events of the same kind
# (two earthquakes, two rehab check-ins). Dates and numbers are left to the time feature.
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"})

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]|\d[\d,.]*\d%?|\d%?", re.UNICODE)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”]\s+|\n\s*)([A-Z][a-zA-Z'’-]*)")
_STOP = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    {"said", "says", "say", "told", "according", "mr", "mrs", "ms", "new", "year", "years", "just", "like",
     "also", "would", "could", "one", "two", "people", "time", "week", "day", "days", "last", "first"}
)
# Capitalised words that are not names (weekdays, months, titles, sentence adverbs).
_NOT_NAMES = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
     "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
     "mr", "mrs", "ms", "dr", "president", "minister", "the", "a", "an", "in", "on", "but", "and", "it",
     "he", "she", "they", "we", "i", "this", "that", "there", "after", "when", "while", "as", "at", "for",
     "read", "more", "photo", "image", "getty", "images", "ap", "reuters", "advertisement", "click"}
)


def article_language(article: Article) -> str:
    """The article's language: what the annotate stage recorded, else detected from its head and recorded,
    so that every later reader (the next featurize call, the clusterers' language checks) reuses it."""
    if not article.language:
        article.language = detect_language(head_text(article, _LANGUAGE_SAMPLE))
    return article.language


def head_text(article: Article, chars: int) -> str:
    """Title and the first ``chars`` characters of the text: what embeddings and language checks read."""
    return f"{article.title}\n{(article.text or article.raw)[:chars]}"


def stable_hash(token: str, buckets: int) -> int:
    """A process-independent hash (Python's ``hash`` is salted per run; stored state must survive)."""
    return zlib.crc32(token.encode("utf-8")) % buckets


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """Stop words of ``language``: English's always, plus spaCy's list for the language when it has one.

    Without them the function words of a language that is rare in a collection get a *high* IDF, and
    every two articles in that language look alike (two unrelated Russian articles sharing "что", "это").
    spaCy's language data ships with spaCy itself: no model is needed.
    """
    if language in ("en", "", "und") or not language.isalpha():
        return _STOP
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except ImportError:
        return _STOP
    return _STOP | frozenset(w.lower() for w in getattr(module, "STOP_WORDS", ()))


def tokenize(text: str, language: str = "en") -> list[str]:
    """Lowercased content words: letters first, stop words (of ``language`` and English) and one-letter
    tokens dropped."""
    stop = stop_words(language)
    return _tokens(_word_matches(text), stop, "en" if stop is _STOP else language)


def tokenize_both(text: str, language: str) -> tuple[list[str], list[str]]:
    """``tokenize(text, language)`` and ``tokenize(text)`` from one pass over the text (the same list
    twice when ``language`` adds no stop words to English's).

    The featurizer needs both: the words of the article's language for its terms, and the English
    reading for its fingerprint, which must not depend on the detected language.
    """
    stop = stop_words(language)
    words = _word_matches(text)
    english = _tokens(words, _STOP, "en")
    return (english if stop is _STOP else _tokens(words, stop, language)), english


def _word_matches(text: str) -> list[str]:
    # ’ and ' are both inner characters of a word and neither can start or end one: unifying them in
    # the whole text first leaves every match where it was
    return _WORD.findall(text.lower().replace("’", "'"))


# per language: each word seen -> its token ("" for a word dropped); see ``_tokens``
_TOKENS: dict[str, dict[str, str]] = {}


def _tokens(words: list[str], stop: frozenset[str], language: str) -> list[str]:
    """The tokens of ``words`` (regex matches) under ``stop`` (``stop_words(language)``), empty ones left out.

    A word's token depends on the word alone, so a table per language remembers it: the tokens of a
    text are then looked up in C, and only the words the table has not seen yet go through ``_token``.
    A full table is replaced, not cleared, so that a caller in another thread keeps the one it holds.
    """
    table = _TOKENS.get(language)
    if table is None:
        table = _TOKENS[language] = {}
    new = set(words).difference(table)
    if new:
        if len(table) + len(new) > _WORD_MEMORY:
            table = _TOKENS[language] = {}
            new = set(words)
        for word in new:
            table[word] = _token(word, stop)
    return list(filter(None, map(table.__getitem__, words)))


def _token(word: str, stop: frozenset[str]) -> str:
    """One regex match as a token: "" when it is dropped (a stop word, a one-letter token, one digit)."""
    if word.endswith("'s"):
        word = word[:-2]
    if word[0].isdigit():
        # numbers tell events of one kind apart ("136,000 jobs" vs "943,000 jobs"); one digit is noise
        return "#" + word.replace(",", "") if len(word) > 1 else ""
    if len(word) < 3 or word in _STOP or word in stop:
        return ""
    # a crude plural fold: "attacks"/"attack" should meet; "ss" and "us" endings are not plurals
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    return word


def entity_keys(article: Article, text: str) -> list[str]:
    """Name keys: from spaCy mentions when the article was annotated, else capitalised words."""
    keys: list[str] = []
    if article.mentions:
        for mention in article.mentions:
            if mention.label not in ENTITY_LABELS:
                continue
            words = [w for w in tokenize(mention.text) if w not in _NOT_NAMES]
            keys.extend(words)  # "Sergei Volkov" and "Volkov" must meet: key every word of a name
        return keys
    starts = {m.start(1) for m in _SENTENCE_START.finditer(text)}
    for match in re.finditer(r"\b[A-Z][a-zA-Z'’-]+", text):
        if match.start() in starts:
            continue
        word = match.group(0).lower().replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < 3 or word in _NOT_NAMES or word in _STOP:
            continue
        keys.append(word)
    return keys


def sparse_cosine(a: Sparse, b: Sparse) -> float:
    if len(a) > len(b):
        a, b = b, a
    # the shared keys in ``a``'s order, found by ``filter`` in C (the clusterer's hottest loop); their
    # products are summed in that order: the sum of all of ``a``'s products, whose others are 0
    return sum([a[k] * b[k] for k in filter(b.__contains__, a)], 0.0)


def normalise(vec: Sparse) -> Sparse:
    weights = vec.values()
    # the same sums and quotients, in the same order, as a loop over the items (in C)
    norm = math.sqrt(sum(map(mul, weights, weights), 0.0))
    return dict(zip(vec, map(truediv, weights, repeat(norm)), strict=True)) if norm else {}


def truncate(vec: Sparse, keep: int) -> Sparse:
    """Keep the ``keep`` heaviest weights (bounds the size of a story centroid)."""
    if len(vec) <= keep:
        return vec
    top = sorted(vec.items(), key=lambda kv: kv[1], reverse=True)[:keep]
    return dict(top)


@dataclass(slots=True, kw_only=True)
class ArticleFeatures:
    """One article as the clusterer sees it (all vectors L2-normalised)."""

    article_id: str
    terms: Sparse
    entities: Sparse
    embedding: Vector
    time: float | None  # POSIX seconds of the publish time, None when unknown
    title: str = ""
    words: int = 0  # length of the text in words (short repeated texts are templates)
    fingerprint: int = 0  # hash of the text's content words in order: equal for identical texts


class DocumentFrequencies:
    """Online document frequencies over hashed ids: IDF improves as the stream grows."""

    def __init__(self, buckets: int) -> None:
        if buckets < 1024:
            raise ValueError(f"hash buckets must be at least 1024, got {buckets}; raise [group] hash_buckets")
        self.buckets = buckets
        self.df = np.zeros(buckets, dtype=np.int32)
        self.docs = 0
        self.touched: set[int] = set()  # buckets changed since the store last saved them

    def add(self, ids: Sequence[int]) -> None:
        self.docs += 1
        if ids:
            unique = set(ids)
            self.df[np.fromiter(unique, dtype=np.int64)] += 1
            self.touched.update(unique)

    def idf(self, ids: Sequence[int]) -> npt.NDArray[np.float64]:
        df = self.df[np.asarray(ids, dtype=np.int64)].astype(np.float64)
        return np.log((1.0 + self.docs) / (1.0 + df)) + 1.0


@functools.lru_cache(maxsize=4096)
def _sublinear(count: int) -> float:
    # sublinear tf: a word repeated ten times is not ten times the evidence
    return 1.0 + math.log(count)


def _weighted(counts: Counter[int], frequencies: DocumentFrequencies, keep: int) -> Sparse:
    if not counts:
        return {}
    ids = list(counts)
    idf = frequencies.idf(ids).tolist()
    vec = dict(zip(ids, map(mul, map(_sublinear, counts.values()), idf), strict=True))
    return normalise(truncate(vec, keep))


def to_timestamp(value: dt.datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


class ArticleFeaturizer:
    """Turns articles into :class:`ArticleFeatures`, updating the online document frequencies."""

    def __init__(
        self,
        *,
        embedder: SentenceEmbedder | None,
        buckets: int,
        max_terms: int,
        embed_chars: int,
        title_boost: int = 2,
    ) -> None:
        self._embedder = embedder
        self.terms_df = DocumentFrequencies(buckets)
        self.entities_df = DocumentFrequencies(buckets)
        self.buckets = buckets
        self.max_terms = max_terms
        self.embed_chars = embed_chars
        self.title_boost = title_boost
        # token -> hash bucket (``stable_hash``), remembered: a text's words are mostly words seen before
        self._bucket: Callable[[str], int] = functools.lru_cache(maxsize=_HASH_MEMORY)(
            functools.partial(stable_hash, buckets=buckets)
        )

    def observe(self, articles: Sequence[Article]) -> None:
        """Count a batch into the document frequencies without featurizing it.

        Batch grouping observes every article first, so that the first article is weighted with the
        same IDF as the last (online, IDF can only learn from what has arrived).
        """
        for article in articles:
            text = self._text(article)
            terms, entities = self._counts(article, text, tokenize(text, article_language(article)))
            self.terms_df.add(list(terms))
            self.entities_df.add(list(entities))

    def featurize(self, articles: Sequence[Article], *, update_df: bool = True) -> list[ArticleFeatures]:
        """Features for a batch (embeddings are computed in one call: much faster than one by one)."""
        texts = [self._text(a) for a in articles]
        vectors = self._embed([head_text(a, self.embed_chars) for a in articles])
        out: list[ArticleFeatures] = []
        for i, (article, text) in enumerate(zip(articles, texts, strict=True)):
            words, english = tokenize_both(text, article_language(article))
            term_counts, entity_counts = self._counts(article, text, words)
            if update_df:
                self.terms_df.add(list(term_counts))
                self.entities_df.add(list(entity_counts))
            out.append(
                ArticleFeatures(
                    article_id=article.id,
                    terms=_weighted(term_counts, self.terms_df, self.max_terms),
                    entities=_weighted(entity_counts, self.entities_df, self.max_terms),
                    embedding=vectors[i],
                    time=to_timestamp(article.published),
                    title=article.title,
                    words=len(text.split()),
                    fingerprint=zlib.crc32(" ".join(english).encode("utf-8")),
                )
            )
        return out

    def _counts(self, article: Article, text: str, words: list[str]) -> tuple[Counter[int], Counter[int]]:
        """Hashed term and name counts; ``words`` is ``tokenize(text, article_language(article))``."""
        bucket = self._bucket
        terms: Counter[int] = Counter(map(bucket, words))
        for w in tokenize(article.title, article_language(article)):
            terms[bucket(w)] += self.title_boost
        entities: Counter[int] = Counter(map(bucket, entity_keys(article, f"{article.title}\n{text}")))
        return terms, entities

    @staticmethod
    def _text(article: Article) -> str:
        # cleaned text when the cleaner ran; the raw text is the fallback for the light path
        return article.text or article.raw

    def _embed(self, texts: list[str]) -> npt.NDArray[np.float32]:
        if self._embedder is None:
            return np.zeros((len(texts), 1), dtype=np.float32)
        return self._embedder.embed(texts)
