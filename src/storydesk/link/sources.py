"""Provenance: who copied, translated or bundled whom, and how many independent sources remain.

:class:`ProvenanceFinder` links articles of a corpus in three steps:
1. candidates from cheap indexes (``fingerprints``): MinHash-LSH over shingles, SimHash-LSH over
   article and passage embeddings, and an anchor index (numbers, transliterated names) across languages;
2. sentence alignment of each candidate pair (``alignment``) with the English embedding, the
   multilingual one when the languages differ, or character n-grams of names, numbers and cognates
   (``lexical``) when a language is outside what the multilingual model was trained on;
3. a relation from the alignment (duplicate, translation, contains, shares) and a direction from the
   evidence (``direction``).
:class:`ProvenanceLinker` is the story stage; :func:`source_groups` turns links into independent sources.
"""

from __future__ import annotations

import itertools
import logging
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from datasketch import MinHash

from storydesk.annotate.embeddings import get_embedder
from storydesk.annotate.language import UNDETERMINED
from storydesk.disjoint import DisjointSets
from storydesk.link.alignment import Alignment, align
from storydesk.link.direction import TextClues, decide_direction, text_clues
from storydesk.link.fingerprints import (
    AnchorIndex,
    ShingleIndex,
    VectorIndex,
    anchor_keys,
    minhash,
    normalise_words,
    shingles,
)
from storydesk.link.lexical import char_grams, gram_cosine
from storydesk.records import Article, Passage, ProvenanceLink, Relation, Story
from storydesk.settings import LinkSettings
from storydesk.stage import StoryStage

logger = logging.getLogger(__name__)

Matrix = npt.NDArray[np.float32]

# The "model" of pairs aligned by character n-grams rather than embeddings (see _model_for).
LEXICAL = "lexical"

# Relations that make two articles one source: a copy, a translation or a bundled retelling. Articles
# that only share a passage (a quoted statement, a press-release paragraph) stay separate sources.
COPY_RELATIONS: frozenset[str] = frozenset({"duplicate", "translation", "contains"})


@dataclass(slots=True)
class Unit:
    """A sentence that takes part in alignment (fragments and repeats are left out)."""

    sentence: int  # index into Article.sentences (or the line number when there are none)
    text: str
    tokens: set[str]
    _anchors: set[str] | None = None
    _grams: Counter[str] | None = None

    @property
    def anchors(self) -> set[str]:
        """Numbers and name skeletons (see fingerprints.anchor_keys); only cross-language work needs them."""
        if self._anchors is None:
            self._anchors = anchor_keys(self.text)
        return self._anchors

    def grams(self, min_word_chars: int, sizes: Sequence[int]) -> Counter[str]:
        """Character n-grams of the folded words (lexical.char_grams), cached: the settings are fixed per run."""
        if self._grams is None:
            self._grams = char_grams(self.text, min_word_chars, sizes)
        return self._grams


@dataclass(slots=True)
class Profile:
    """Everything the linker derives from one article, computed once per run."""

    article: Article
    units: list[Unit]
    signature: MinHash
    shingle_count: int
    vectors: dict[str, Matrix] = field(default_factory=dict)  # model name → unit embeddings
    _clues: TextClues | None = None
    _anchors: set[str] | None = None

    @property
    def anchors(self) -> set[str]:
        if self._anchors is None:
            self._anchors = anchor_keys(self.article.text or self.article.raw)
        return self._anchors

    @property
    def clues(self) -> TextClues:
        if self._clues is None:
            self._clues = text_clues(self.article.text or self.article.raw)
        return self._clues

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def language(self) -> str:
        return self.article.language


@dataclass(slots=True)
class FinderStats:
    articles: int = 0
    candidates: int = 0
    candidates_shingles: int = 0
    candidates_vectors: int = 0
    candidates_anchors: int = 0
    aligned: int = 0
    links: int = 0


def _sentence_texts(article: Article) -> list[tuple[int, str]]:
    if article.sentences:
        return [(s.index, s.text) for s in article.sentences]
    # Not annotated (a store import, a test): fall back to non-empty lines as units.
    lines = [ln.strip() for ln in (article.text or article.raw).splitlines()]
    return [(i, ln) for i, ln in enumerate(ln for ln in lines if ln)]


def build_profile(article: Article, settings: LinkSettings) -> Profile:
    units: list[Unit] = []
    seen: set[str] = set()
    for index, text in _sentence_texts(article):
        words = normalise_words(text)
        if len(words) < settings.min_sentence_words:
            continue
        key = " ".join(words)
        if key in seen:  # repeated headlines and teasers would align twice
            continue
        seen.add(key)
        units.append(Unit(sentence=index, text=text.strip(), tokens=set(words)))
    body = article.text or article.raw
    shingle_set = shingles(normalise_words(body), settings.shingle_size)
    return Profile(
        article=article,
        units=units,
        signature=minhash(shingle_set, settings.num_perm),
        shingle_count=len(shingle_set),
    )


def _is_english(language: str) -> bool:
    return language in ("", "en")


def _same_language(a: Profile, b: Profile) -> bool:
    return a.language == b.language or not a.language or not b.language


class ProvenanceFinder:
    """Finds provenance links within a set of articles (a story, or a whole corpus)."""

    def __init__(self, settings: LinkSettings) -> None:
        self.settings = settings
        self.stats = FinderStats()

    # ------------------------------------------------------------------ embeddings

    def _model_for(self, a: Profile, b: Profile) -> str:
        if _same_language(a, b) and _is_english(a.language) and _is_english(b.language):
            return self.settings.embedding_model
        if _same_language(a, b):
            return self.settings.multilingual_model
        if not (self._covered(a.language) and self._covered(b.language)):
            return LEXICAL
        return self.settings.multilingual_model

    def _covered(self, language: str) -> bool:
        """Whether the multilingual model reads ``language`` (an unknown language gets the benefit of doubt)."""
        return language in self.settings.multilingual_languages or language in ("", UNDETERMINED)

    def _threshold_for(self, model: str) -> float:
        s = self.settings
        if model == LEXICAL:
            return s.lexical_align_threshold
        return s.align_threshold if model == s.embedding_model else s.crosslingual_align_threshold

    def _embed(self, profiles: Sequence[Profile], model: str) -> None:
        todo = [p for p in profiles if model not in p.vectors]
        if not todo:
            return
        texts = [u.text for p in todo for u in p.units]
        matrix = get_embedder(model).embed(texts) if texts else np.zeros((0, 1), np.float32)
        start = 0
        for p in todo:
            p.vectors[model] = matrix[start : start + len(p.units)]
            start += len(p.units)

    # ------------------------------------------------------------------ candidates

    def candidates(self, profiles: Sequence[Profile]) -> dict[tuple[str, str], str]:
        """Candidate pairs (ids in sorted order) → which index proposed them first."""
        s = self.settings
        out: dict[tuple[str, str], str] = {}
        if len(profiles) <= s.exhaustive_max_articles:
            # A story is small: aligning every pair costs less than being wrong about one.
            for a, b in itertools.combinations(sorted(p.id for p in profiles), 2):
                out[(a, b)] = "all"
            return out

        shingle_index = ShingleIndex(s.lsh_threshold, s.num_perm)
        for p in profiles:
            if p.shingle_count:
                shingle_index.insert(p.id, p.signature)
        for pair in shingle_index.pairs():
            out.setdefault(pair, "shingles")
        self.stats.candidates_shingles += sum(1 for v in out.values() if v == "shingles")

        english = [p for p in profiles if _is_english(p.language) and p.units]
        self._embed(english, s.embedding_model)
        if english:
            vector_index = VectorIndex(
                min_cosine=s.vector_min_cosine,
                recall=s.vector_recall,
                bucket_target=s.vector_bucket_target,
                max_tables=s.vector_max_tables,
                max_bucket=s.vector_max_bucket,
            )
            for p in english:
                vector_index.add(p.id, _passage_vectors(p.vectors[s.embedding_model], s.passage_sentences))
            found = vector_index.pairs()
            for pair in _top_k_per_item(found, s.candidate_top_k):
                if pair not in out:
                    out[pair] = "vectors"
                    self.stats.candidates_vectors += 1

        languages = {p.language for p in profiles if p.language}
        if len(languages) > 1:
            anchor_index = AnchorIndex(
                top_k=s.anchor_top_k, min_score=s.anchor_min_score, max_df=s.anchor_max_df
            )
            for p in profiles:
                anchor_index.add(p.id, p.anchors, p.language or "?")
            for pair in anchor_index.pairs():
                if pair not in out:
                    out[pair] = "anchors"
                    self.stats.candidates_anchors += 1
        return out

    # ------------------------------------------------------------------ pairs

    def _similarity(self, a: Profile, b: Profile, model: str) -> Matrix:
        if model == LEXICAL:
            s = self.settings
            sizes = range(s.lexical_gram_min, s.lexical_gram_max + 1)
            left = [u.grams(s.lexical_min_word_chars, sizes) for u in a.units]
            right = [u.grams(s.lexical_min_word_chars, sizes) for u in b.units]
            sim = gram_cosine(left, right)
            if s.lexical_position_weight > 0:
                sim = sim + s.lexical_position_weight * _position_prior(len(a.units), len(b.units))
            return sim
        self._embed([a, b], model)
        return (a.vectors[model] @ b.vectors[model].T).astype(np.float32)

    def align_pair(self, a: Profile, b: Profile) -> Alignment:
        model = self._model_for(a, b)
        sim = self._similarity(a, b, model)
        verbatim_possible = _same_language(a, b)
        if not verbatim_possible and self.settings.anchor_weight > 0:
            # Names and numbers survive translation even where the multilingual model is weak (it
            # was not trained on every language): sentences sharing them are more likely the same.
            sim = sim + self.settings.anchor_weight * _anchor_dice(a.units, b.units)
        return align(
            sim,
            self._threshold_for(model),
            left_tokens=[u.tokens for u in a.units] if verbatim_possible else None,
            right_tokens=[u.tokens for u in b.units] if verbatim_possible else None,
            verbatim_jaccard=self.settings.verbatim_jaccard,
        )

    def classify(self, a: Profile, b: Profile, alignment: Alignment) -> tuple[Relation, float] | None:
        """The relation between two aligned articles, or None when they are not related by copying."""
        s = self.settings
        model = self._model_for(a, b)
        threshold = self._threshold_for(model)
        # Surface evidence misses sentences without names or cognates: a translation aligns fewer of them.
        min_coverage = s.lexical_min_coverage if model == LEXICAL else s.translation_min_coverage
        if not alignment.matches:
            return None
        left_small = alignment.n_left <= alignment.n_right
        small, large = ("left", "right") if left_small else ("right", "left")
        n_small = alignment.n_left if left_small else alignment.n_right
        cov_small = alignment.coverage(small)
        cov_large = alignment.coverage(large)
        any_small = alignment.coverage(small, ordered=False)
        any_large = alignment.coverage(large, ordered=False)
        quality = alignment.mean_score
        verbatim = _same_language(a, b) and alignment.verbatim_ratio >= s.verbatim_min_ratio

        if verbatim and any_small >= s.duplicate_threshold and any_large >= s.duplicate_min_other_coverage:
            return "duplicate", round(min(1.0, (any_small + any_large) / 2), 3)
        if cov_small >= min_coverage and cov_large >= min_coverage:
            relation: Relation = "duplicate" if verbatim else "translation"
            return relation, round(min(1.0, (cov_small + cov_large) / 2 * quality), 3)
        block = alignment.block(large, s.max_gap)
        if (
            block is not None
            and n_small
            and block.matches / n_small >= s.contains_min_coverage
            # A bundled passage is dense; a few echoes spread over a long article are coincidence.
            and block.matches / (block.end - block.start + 1) >= s.contains_min_density
            # Only part of the longer article is involved, so its other sentences offer many chances
            # of loose matches: the passage must be a close rendering, not a topical echo.
            and quality >= threshold + s.contains_score_margin
        ):
            return "contains", round(min(1.0, block.matches / n_small * quality), 3)
        # Sharing a passage needs strong pairs: two reports of one event echo each other loosely.
        strong = alignment.strong(threshold + s.shares_score_margin)
        if len(strong.chain) >= s.shares_min_sentences and strong.longest_adjacent_run() >= s.shares_min_run:
            return "shares", round(min(1.0, len(strong.chain) / max(n_small, 1) * strong.mean_score), 3)
        return None

    def link_pair(self, a: Profile, b: Profile) -> ProvenanceLink | None:
        if not a.units or not b.units:
            return None
        alignment = self.align_pair(a, b)
        self.stats.aligned += 1
        found = self.classify(a, b, alignment)
        if found is None:
            return None
        relation, score = found
        derived, source, directed = decide_direction(a, b, relation, alignment, self.settings)
        derived_is_left = derived is a
        evidence: list[Passage] = []
        for pair in sorted(alignment.chain, key=lambda p: -p.score)[: self.settings.max_evidence]:
            left_unit, right_unit = a.units[pair.left], b.units[pair.right]
            source_unit, derived_unit = (right_unit, left_unit) if derived_is_left else (left_unit, right_unit)
            evidence.append(
                Passage(
                    article=source.id,
                    text=source_unit.text,
                    derived_text=derived_unit.text,
                    score=round(pair.score, 3),
                )
            )
        evidence.sort(key=lambda p: p.text)  # stable output, independent of score ties
        return ProvenanceLink(
            article=derived.id,
            derived_from=source.id,
            relation=relation,
            score=score,
            directed=directed,
            evidence=evidence,
        )

    def find(self, articles: Sequence[Article]) -> list[ProvenanceLink]:
        profiles = {a.id: build_profile(a, self.settings) for a in articles}
        self.stats.articles += len(profiles)
        pairs = self.candidates(list(profiles.values()))
        self.stats.candidates += len(pairs)
        english = [p for p in profiles.values() if _is_english(p.language) and p.units]
        self._embed(english, self.settings.embedding_model)  # one batch beats many small ones
        links: list[ProvenanceLink] = []
        for a_id, b_id in sorted(pairs):
            link = self.link_pair(profiles[a_id], profiles[b_id])
            if link is not None:
                links.append(link)
        self.stats.links += len(links)
        return links


def _position_prior(n_left: int, n_right: int) -> Matrix:
    """1 where two sentences sit at the same relative place of their articles, falling to 0 a tenth away.

    A translation keeps the sentence order, so without a meaning model the place of a sentence is
    evidence too; two reports of one event order their facts differently.
    """
    left = (np.arange(n_left, dtype=np.float32) + 0.5) / max(n_left, 1)
    right = (np.arange(n_right, dtype=np.float32) + 0.5) / max(n_right, 1)
    distance = np.abs(left[:, None] - right[None, :])
    return np.clip(1.0 - distance * 10.0, 0.0, 1.0).astype(np.float32)


def _anchor_dice(left: Sequence[Unit], right: Sequence[Unit]) -> Matrix:
    out = np.zeros((len(left), len(right)), dtype=np.float32)
    for i, u in enumerate(left):
        if not u.anchors:
            continue
        for j, v in enumerate(right):
            if v.anchors:
                shared = len(u.anchors & v.anchors)
                if shared:
                    out[i, j] = 2 * shared / (len(u.anchors) + len(v.anchors))
    return out


def _passage_vectors(units: Matrix, window: int) -> Matrix:
    """The article's mean vector plus one per window of ``window`` units.

    A passage bundled inside a longer article moves that article's mean away from it, but some window
    lies inside the passage and stays close to the passage's own mean.
    """
    rows = [units.mean(axis=0)]
    if len(units) >= 2 * window:
        for start in range(0, len(units) - window + 1, window):
            rows.append(units[start : start + window].mean(axis=0))
    matrix = np.vstack(rows).astype(np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _top_k_per_item(scored: Mapping[tuple[str, str], float], k: int) -> set[tuple[str, str]]:
    """Keep a pair when it is among the ``k`` best for either of its items (bounds the work)."""
    per_item: dict[str, list[tuple[float, tuple[str, str]]]] = {}
    for pair, score in scored.items():
        for item in pair:
            per_item.setdefault(item, []).append((score, pair))
    keep: set[tuple[str, str]] = set()
    for entries in per_item.values():
        entries.sort(key=lambda e: -e[0])
        keep.update(pair for _, pair in entries[:k])
    return keep


def find_links(articles: Sequence[Article], settings: LinkSettings) -> list[ProvenanceLink]:
    """Provenance links among ``articles`` (corpus-level API for benchmarks and the store)."""
    return ProvenanceFinder(settings).find(articles)


def source_groups(article_ids: Sequence[str], links: Sequence[ProvenanceLink]) -> list[list[str]]:
    """Independent sources: articles joined by copying relations (every article in exactly one group)."""
    sets = DisjointSets(article_ids)
    for link in links:
        if link.relation in COPY_RELATIONS and link.article in sets and link.derived_from in sets:
            sets.union(link.article, link.derived_from)
    return sorted((sorted(g) for g in sets.groups()), key=lambda g: g[0])


class ProvenanceLinker(StoryStage):
    """Story stage: sets ``story.provenance`` and ``story.source_groups``."""

    name = "link"

    def __init__(self, settings: LinkSettings) -> None:
        super().__init__()
        self.settings = settings

    def analyse(self, story: Story, articles: Mapping[str, Article]) -> None:
        members = [articles[a] for a in story.articles if a in articles]
        finder = ProvenanceFinder(self.settings)
        story.provenance = finder.find(members)
        story.source_groups = source_groups([a.id for a in members], story.provenance)
        self.stats.extra["candidates"] = self.stats.extra.get("candidates", 0.0) + finder.stats.candidates
        self.stats.extra["links"] = self.stats.extra.get("links", 0.0) + len(story.provenance)
