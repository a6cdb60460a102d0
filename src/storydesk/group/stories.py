"""Group articles into stories at the event level, in batch or online as a stream arrives.

Each article is compared with the *centroids* of the stories that are still active (an embedding
centroid, a hashed TF-IDF term centroid and an entity centroid, with the story's time span); it joins
the best one when the weighted similarity clears ``similarity_threshold``, else it starts a story. When
an article is close to two stories and their centroids have grown close, the two merge. Candidate
stories come from an inverted index over each story's heaviest terms and names (plus the most recently
updated stories), so the cost per article does not grow with the length of the stream, and a story keeps
only fixed-size centroids, never its articles' vectors: memory is bounded by the number of active
stories, which ``max_active_stories`` and the time window cap. A short text seen near-verbatim
``template_copies`` times (an embed notice, an archive banner) gets a story of its own that never
attracts other articles.

Coverage of one event in another language shares no words with the story, so neither the term index
nor the term score can find it. Once the stream has seen a second language (``stream_cross_language``),
each article also gets a multilingual embedding; each story keeps its sum and the set of its members'
languages, a dense matrix of the stories' mean vectors finds stories in other languages, and an
article scored against a story in another language gets at least the rescaled multilingual cosine
(as in the batch clusterer). Articles in a language ``embedding_model`` cannot read are compared by the
multilingual embedding instead of it (or by words and names alone); English scoring is untouched.

One pass in arrival order commits early: an article that arrives before its event's other coverage
starts a story that later articles may not join, and a story can absorb what a look at the whole
picture would keep apart. The clusterer therefore keeps the features of its most recent
``reconcile_window`` articles and, every ``reconcile_every`` arrivals, re-clusters them with the batch
clusterer; the new clusters are mapped onto the existing story ids (most shared members first) and the
articles whose story changed are moved (their vectors subtracted from one story's sums, added to the
other's). A story left empty becomes an alias of the story that took most of its articles. State stays
bounded (the window is a fixed-length deque) and the cost is O(window²) per reconcile.

``group_articles`` (a whole collection at once) uses the batch clusterer in ``group.batch`` up to
``batch_max_articles`` and this stream clusterer beyond.
"""

from __future__ import annotations

import heapq
from collections import Counter, OrderedDict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from operator import itemgetter
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from storydesk.annotate.embeddings import SentenceEmbedder, get_embedder
from storydesk.annotate.language import UNDETERMINED
from storydesk.errors import SettingsError
from storydesk.group.features import (
    ArticleFeatures,
    ArticleFeaturizer,
    DocumentFrequencies,
    Sparse,
    Vector,
    article_language,
    head_text,
    sparse_cosine,
    to_timestamp,
    truncate,
)
from storydesk.records import Article, Story
from storydesk.settings import GroupSettings

if TYPE_CHECKING:
    from storydesk.group.batch import BatchClusterer

DAY = 86_400.0
_TEMPLATE_MEMORY = 100_000  # short-text fingerprints remembered (bounded state: a few MB)


@dataclass(slots=True, kw_only=True)
class StoryState:
    """What the clusterer remembers of one story: fixed-size sketches, never per-article vectors."""

    id: str
    articles: list[str] = field(default_factory=list)
    embedding: Vector | None = None  # sum of the member embeddings (normalised on use)
    terms: Sparse = field(default_factory=dict)  # sum of member term vectors, truncated
    entities: Sparse = field(default_factory=dict)
    first_time: float | None = None
    last_time: float | None = None
    title: str = ""
    indexed: set[int] = field(default_factory=set)  # keys this story is filed under in the index
    # cross-language matching: the sum of the members' multilingual embeddings, how many members have
    # one (articles from before the stream turned multilingual do not), and the members' languages
    meaning: Vector | None = None
    meaning_count: int = 0
    languages: set[str] = field(default_factory=set)

    @property
    def size(self) -> int:
        return len(self.articles)


@dataclass(slots=True, frozen=True)
class ArticleLanguage:
    """An article's language and, once the stream mixes languages, its multilingual embedding.

    Kept beside :class:`ArticleFeatures` (shared with the batch clusterer, which computes its own).
    """

    language: str
    meaning: Vector | None = None


@dataclass(slots=True, frozen=True)
class Assignment:
    """Where one article went: the story it joined (or started) and the stories merged into it."""

    article_id: str
    story_id: str
    created: bool
    score: float
    merged: tuple[str, ...] = ()


def _add(into: Sparse, vec: Sparse, keep: int) -> Sparse:
    for k, w in vec.items():
        into[k] = into.get(k, 0.0) + w
    # prune lazily (at twice the budget) so truncation costs O(1) amortised per article
    return truncate(into, keep) if len(into) > 2 * keep else into


def _subtract(into: Sparse, vec: Sparse) -> Sparse:
    """Take one member's vector out of a story sum.

    Sums are additive, so this undoes :func:`_add` exactly, except for keys that truncation already
    dropped from the story (nothing left to subtract) and weights truncation cut short: the result is
    approximate, and a key that falls to (about) zero is removed rather than kept negative.
    """
    for k, w in vec.items():
        left = into.get(k)
        if left is None:
            continue
        if left - w <= 1e-6:
            del into[k]
        else:
            into[k] = left - w
    return into


def _check(settings: GroupSettings) -> None:
    if settings.mode not in ("single", "cluster"):
        raise SettingsError(f"[group] mode must be 'single' or 'cluster', not {settings.mode!r}")
    if not 0.0 < settings.similarity_threshold < 1.0:
        raise SettingsError(f"[group] similarity_threshold must be between 0 and 1, got {settings.similarity_threshold}")
    weights = (settings.weight_embedding, settings.weight_terms, settings.weight_entities)
    if min(weights) < 0 or sum(weights) <= 0:
        raise SettingsError("[group] weight_embedding, weight_terms and weight_entities must be >= 0, one > 0")
    if settings.time_window_days <= 0:
        raise SettingsError(f"[group] time_window_days must be positive, got {settings.time_window_days}")
    if not 0.0 < settings.batch_threshold < 1.0:
        raise SettingsError(f"[group] batch_threshold must be between 0 and 1, got {settings.batch_threshold}")
    if settings.batch_neighbours < 0 or min(settings.batch_weight_entities, settings.batch_weight_embedding) < 0:
        raise SettingsError("[group] batch_neighbours, batch_weight_entities and batch_weight_embedding must be >= 0")
    if not 0.0 < settings.batch_small_threshold < 1.0:
        raise SettingsError(
            f"[group] batch_small_threshold must be between 0 and 1, got {settings.batch_small_threshold}"
        )
    if settings.batch_small_max < 0 or settings.batch_small_weight_entities < 0:
        raise SettingsError("[group] batch_small_max and batch_small_weight_entities must be >= 0")
    if settings.template_copies < 2:
        raise SettingsError(f"[group] template_copies must be at least 2, got {settings.template_copies}")
    if settings.stream_cross_language not in ("off", "auto", "always"):
        raise SettingsError(
            "[group] stream_cross_language must be 'off', 'auto' or 'always', "
            f"not {settings.stream_cross_language!r}"
        )
    if settings.cross_language_candidates < 0 or settings.cross_language_min_articles < 1:
        raise SettingsError(
            "[group] cross_language_candidates must be >= 0 and cross_language_min_articles >= 1"
        )
    if not 0.0 <= settings.cross_language_min_share < 1.0:
        raise SettingsError(
            f"[group] cross_language_min_share must be in [0, 1), got {settings.cross_language_min_share}"
        )
    if settings.reconcile_window < 0 or settings.reconcile_every < 1:
        raise SettingsError(
            "[group] reconcile_window must be >= 0 (0 = off) and reconcile_every >= 1, got "
            f"{settings.reconcile_window} and {settings.reconcile_every}"
        )


class _MeaningIndex:
    """The mean multilingual vector of every active story that has one, as rows of one dense matrix.

    Words cannot find coverage in another language, so the inverted index cannot either: one matrix
    product over these rows does. Rows of merged or retired stories are zeroed and reused, so the matrix
    is bounded by the number of active stories. Each row also carries the story's one language (or
    "mixed"), so a search skips stories told only in the article's own language.
    """

    _MIXED = -1  # members in two or more languages: another language than any article's
    _NONE = -2  # no known language: never a cross-language candidate

    def __init__(self) -> None:
        self._matrix: npt.NDArray[np.float32] = np.zeros((0, 0), dtype=np.float32)
        self._codes: npt.NDArray[np.int32] = np.zeros(0, dtype=np.int32)
        self._ids: list[str | None] = []
        self._row: dict[str, int] = {}
        self._free: list[int] = []
        self._language_code: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._row)

    def put(self, story: StoryState) -> None:
        """File (or refresh) a story's row; a story without a multilingual vector is dropped."""
        if story.meaning is None or story.meaning_count <= 0:
            self.drop(story.id)
            return
        row = self._row.get(story.id)
        if row is None:
            row = self._free.pop() if self._free else self._append(story.meaning.shape[0])
            self._row[story.id] = row
            self._ids[row] = story.id
        self._matrix[row] = story.meaning / story.meaning_count
        known = story.languages - {UNDETERMINED}
        if not known:
            self._codes[row] = self._NONE
        elif len(known) > 1:
            self._codes[row] = self._MIXED
        else:
            self._codes[row] = self._code(next(iter(known)))

    def drop(self, story_id: str) -> None:
        row = self._row.pop(story_id, None)
        if row is not None:
            self._matrix[row] = 0.0
            self._codes[row] = self._NONE
            self._ids[row] = None
            self._free.append(row)

    def nearest(self, vector: Vector, language: str, k: int, floor: float) -> list[str]:
        """Ids of up to ``k`` stories not told only in ``language`` whose mean cosine clears ``floor``."""
        n = len(self._ids)
        if not n or k <= 0 or vector.shape[0] != self._matrix.shape[1]:
            return []
        cos = self._matrix[:n] @ vector
        codes = self._codes[:n]
        cos[(codes == self._NONE) | (codes == self._language_code.get(language, self._NONE))] = -1.0
        top = np.argpartition(-cos, k - 1)[:k] if k < n else np.arange(n)
        top = top[np.argsort(-cos[top])]
        return [sid for i in top if cos[i] > floor and (sid := self._ids[i]) is not None]

    def _code(self, language: str) -> int:
        return self._language_code.setdefault(language, len(self._language_code))

    def _append(self, dim: int) -> int:
        n = len(self._ids)
        if n == self._matrix.shape[0]:
            bigger = np.zeros((max(64, 2 * n), dim), dtype=np.float32)
            if n:
                bigger[:n] = self._matrix[:n]
            self._matrix = bigger
            codes = np.full(bigger.shape[0], self._NONE, dtype=np.int32)
            codes[:n] = self._codes[:n]
            self._codes = codes
        self._ids.append(None)
        return n


class OnlineClusterer:
    """Assign articles, in arrival order, to stories; stories merge when the evidence accumulates."""

    def __init__(self, settings: GroupSettings, embedder: SentenceEmbedder | None = None) -> None:
        _check(settings)
        self.settings = settings
        if embedder is None and settings.weight_embedding > 0:
            embedder = get_embedder(settings.embedding_model)
        self._embedder = embedder
        self.featurizer = ArticleFeaturizer(
            embedder=embedder,
            buckets=settings.hash_buckets,
            max_terms=settings.article_terms,
            embed_chars=settings.embed_chars,
        )
        self.stories: OrderedDict[str, StoryState] = OrderedDict()  # active, least recently updated first
        self.aliases: dict[str, str] = {}  # merged-away story id -> the story it went into
        # stories dropped from memory (too old or over the cap) since the store last saved: id -> headline
        # (a story can be created and retired within one batch: the store still needs its headline)
        self.retired: dict[str, str] = {}
        self.next_number = 1
        self.dirty: set[str] = set()  # stories changed since the last ``take_dirty`` (for the store)
        self._postings: dict[int, deque[str]] = {}
        self.newest_time: float | None = None
        # fingerprint of each recent short text -> copies seen (bounded, least recently seen dropped first)
        self._short_texts: OrderedDict[int, int] = OrderedDict()
        # articles seen per detected language (a few hundred languages at most): turns cross-language on
        self.language_counts: dict[str, int] = {}
        self._meaning_embedder: SentenceEmbedder | None = None  # loaded when the stream turns multilingual
        self._meanings = _MeaningIndex()
        # the recent window (see ``reconcile``): each article's features, oldest first, and its story now
        self.window: deque[tuple[ArticleFeatures, ArticleLanguage | None]] = deque(
            maxlen=max(1, settings.reconcile_window)
        )
        self._home: dict[str, str] = {}  # article id in the window -> the story holding it (live id)
        self.unreconciled = 0  # articles added to the window since the last reconcile
        self.moved: dict[str, str] = {}  # article -> story it was moved to, since the store last saved
        # window entries not yet saved by the store (so a later run can re-cluster them too)
        self.fresh: deque[tuple[ArticleFeatures, ArticleLanguage | None]] = deque(
            maxlen=max(1, settings.reconcile_window)
        )
        self._batch: BatchClusterer | None = None

    # ----------------------------------------------------------------------------------------
    # public verbs
    # ----------------------------------------------------------------------------------------

    def add(self, articles: Sequence[Article], *, update_df: bool = True) -> list[Assignment]:
        """Assign a batch of articles in the given order (embedding is batched; assignment is online).

        When ``reconcile_every`` articles have arrived since the last reconcile, the recent window is
        re-clustered at the end of the batch, and the assignments report where each article is then.
        """
        features = self.featurizer.featurize(articles, update_df=update_df)
        lingual = self.languages_of(articles)
        assignments = [self.add_features(f, lang) for f, lang in zip(features, lingual, strict=True)]
        if not self.reconcile_due():
            return assignments
        self.reconcile()
        return [self._settled(a) for a in assignments]

    def _settled(self, assignment: Assignment) -> Assignment:
        story_id = self._home.get(assignment.article_id)
        if story_id is None or story_id == assignment.story_id:
            return assignment
        return replace(assignment, story_id=story_id)

    @property
    def multilingual(self) -> bool:
        """Whether articles get a multilingual embedding now (see ``stream_cross_language``)."""
        mode = self.settings.stream_cross_language
        if mode != "auto":
            return mode == "always"
        # a language counts once it has min_articles articles AND min_share of the stream: a couple of
        # misdetected pages in a long English stream must not switch on the (slow) multilingual model
        total = sum(self.language_counts.values())
        enough = max(self.settings.cross_language_min_articles, self.settings.cross_language_min_share * total)
        return sum(1 for n in self.language_counts.values() if n >= enough) >= 2

    def languages_of(self, articles: Sequence[Article]) -> list[ArticleLanguage | None]:
        """Each article's language and, once the stream is multilingual, its multilingual embedding.

        The multilingual model is ~100 times slower than the English one, so in "auto" mode it runs only
        after a second language has been seen ``cross_language_min_articles`` times (a single misjudged
        page does not switch it on); the articles of the batch that switches it on are all embedded,
        earlier ones are not (their stories can still be found by later articles' own languages).
        """
        if self.settings.stream_cross_language == "off":
            return [None] * len(articles)
        languages = [article_language(a) for a in articles]
        for lang in languages:
            if lang != UNDETERMINED:
                self.language_counts[lang] = self.language_counts.get(lang, 0) + 1
        if not articles or not self.multilingual:
            return [ArticleLanguage(lang) for lang in languages]
        if self._meaning_embedder is None:
            self._meaning_embedder = get_embedder(self.settings.cross_language_model)
        vectors = self._meaning_embedder.embed([head_text(a, self.settings.embed_chars) for a in articles])
        return [ArticleLanguage(lang, vectors[i].astype(np.float32)) for i, lang in enumerate(languages)]

    def add_features(self, features: ArticleFeatures, lingual: ArticleLanguage | None = None) -> Assignment:
        if features.time is not None:
            self.newest_time = features.time if self.newest_time is None else max(self.newest_time, features.time)
        if self._is_template(features):
            return self._isolate(features)
        scored = self._score_candidates(features, lingual)
        best_id, best = (scored[0] if scored else ("", 0.0))
        if best >= self.settings.similarity_threshold:
            story = self.stories[best_id]
            created = False
        else:
            story = self._new_story()
            created = True
        self._absorb(story, features, lingual)
        merged = self._merge_evidence(story, scored, features)
        self._remember(features, lingual, self.resolve(story.id))
        self._retire()
        return Assignment(
            article_id=features.article_id, story_id=self.resolve(story.id), created=created, score=best,
            merged=merged,
        )

    def _remember(self, features: ArticleFeatures, lingual: ArticleLanguage | None, story_id: str) -> None:
        """Keep an article's features in the recent window (the oldest one drops out when it is full)."""
        if self.settings.reconcile_window <= 0:
            return
        if len(self.window) == self.window.maxlen:
            oldest, _ = self.window[0]
            self._home.pop(oldest.article_id, None)
        self.window.append((features, lingual))
        self.fresh.append((features, lingual))
        self._home[features.article_id] = story_id
        self.unreconciled += 1

    def _is_template(self, features: ArticleFeatures) -> bool:
        """A short text seen verbatim ``template_copies - 1`` times before is page furniture.

        Only verbatim repeats count here (the batch clusterer also catches near-verbatim ones): in a
        stream, a short wire brief lightly edited by each outlet is one story told several times, and
        cannot be told apart from a banner one article at a time. The table is bounded like the rest.
        """
        s = self.settings
        if features.words > s.template_max_words or not features.terms:
            return False
        key = features.fingerprint
        seen = self._short_texts.pop(key, 0) + 1
        self._short_texts[key] = seen
        if len(self._short_texts) > _TEMPLATE_MEMORY:
            self._short_texts.popitem(last=False)
        return seen >= s.template_copies

    def _isolate(self, features: ArticleFeatures) -> Assignment:
        """A template gets a story of its own that is retired at once: it never attracts other articles."""
        story = self._new_story()
        story.articles.append(features.article_id)
        story.title = features.title
        story.first_time = story.last_time = features.time
        del self.stories[story.id]
        self.retired[story.id] = story.title
        self.dirty.add(story.id)
        return Assignment(article_id=features.article_id, story_id=story.id, created=True, score=0.0)

    def resolve(self, story_id: str) -> str:
        """The live id of a story (merges leave an alias behind, so old ids keep working)."""
        seen = 0
        while story_id in self.aliases and seen < 1000:
            story_id = self.aliases[story_id]
            seen += 1
        return story_id

    def take_dirty(self) -> list[str]:
        """Ids of stories changed since the last call (the store saves only those)."""
        out = sorted(self.dirty)
        self.dirty.clear()
        return out

    def take_moves(self) -> dict[str, str]:
        """Articles that ``reconcile`` moved since the last call, each with the (live) story it is in now."""
        out = {aid: self._home.get(aid, self.resolve(sid)) for aid, sid in self.moved.items()}
        self.moved.clear()
        return out

    def take_fresh(self) -> list[tuple[ArticleFeatures, ArticleLanguage | None]]:
        """Window entries added since the last call (the store keeps the window across runs)."""
        out = list(self.fresh)
        self.fresh.clear()
        return out

    def story_of(self, article_id: str) -> str | None:
        """The story a window article is in now (None for articles outside the window)."""
        return self._home.get(article_id)

    def rename_article(self, old: str, new: str) -> None:
        """The store gave an article another id (its own was taken): follow it everywhere."""
        story_id = self._home.pop(old, None)
        home = self.stories.get(story_id) if story_id is not None else None
        candidates = [home] if home is not None else list(self.stories.values())
        for story in candidates:
            if old in story.articles:
                story.articles[story.articles.index(old)] = new
                break
        if story_id is not None:
            self._home[new] = story_id
            for features, _ in self.window:
                if features.article_id == old:
                    features.article_id = new  # the same object is in ``fresh``
        if old in self.moved:
            self.moved[new] = self.moved.pop(old)

    def restore_window(self, entries: Iterable[tuple[ArticleFeatures, ArticleLanguage | None, str]]) -> None:
        """Reload the recent window saved by a previous run (oldest first: features, language, story)."""
        if self.settings.reconcile_window <= 0:
            return
        for features, lingual, story_id in entries:
            if len(self.window) == self.window.maxlen:
                self._home.pop(self.window[0][0].article_id, None)
            self.window.append((features, lingual))
            self._home[features.article_id] = story_id

    # ----------------------------------------------------------------------------------------
    # reconcile: re-cluster the recent window
    # ----------------------------------------------------------------------------------------

    def reconcile_due(self, *, final: bool = False) -> bool:
        """Whether to re-cluster now: ``reconcile_every`` arrivals since the last time, or any at the end
        of a run (``final``: ``storydesk ingest`` reconciles before it returns)."""
        if self.settings.reconcile_window <= 0 or not self.unreconciled:
            return False
        return final or self.unreconciled >= self.settings.reconcile_every

    def reconcile(self) -> list[str]:
        """Re-cluster the recent window with the batch clusterer and move articles to match.

        Each new cluster takes the id of the existing story holding most of its members (greedy, each
        id once; ties go to the bigger story, so long-running stories keep their ids); a cluster left
        without one starts a story. A story left with no articles becomes an alias of the story that
        took most of them, like a merge. Returns the ids of the articles moved.

        Only articles of stories the window holds *whole* move. A story with members older than the
        window is judged by its centroid of all of them, which the window's clusters cannot see: on a
        long stream the batch cut of its few recent members would split stories that the single pass
        joined correctly (a replicated 4,000-article stream lost a third of its recall that way). Such
        members still anchor their cluster to their story, so recent articles can join it. Articles
        whose story was retired (or a template's story of its own) are left alone.
        """
        self.unreconciled = 0
        entries = [(f, lang) for f, lang in self.window if self._home.get(f.article_id) in self.stories]
        in_window = Counter(self._home[f.article_id] for f, _ in entries)
        whole = {sid for sid, n in in_window.items() if n == self.stories[sid].size}
        if len(entries) < 2 or not whole:
            return []
        clusters = self._recluster(entries)
        targets = self._claim(clusters)
        by_id = {f.article_id: (f, lang) for f, lang in entries}
        went: dict[str, Counter[str]] = {}  # story that lost articles -> where they went
        moved: list[str] = []
        for members, target in zip(clusters, targets, strict=True):
            story = self.stories.get(target)
            for aid in members:
                old_id = self._home[aid]
                if old_id == target or old_id not in whole:
                    continue
                story = story or self._new_story()  # only once an article actually moves into it
                features, lingual = by_id[aid]
                self._move(features, lingual, self.stories[old_id], story)
                went.setdefault(old_id, Counter())[story.id] += 1
                moved.append(aid)
        for old_id, where in went.items():
            self._settle_loser(self.stories[old_id], where, by_id)
        return moved

    def _recluster(self, entries: list[tuple[ArticleFeatures, ArticleLanguage | None]]) -> list[list[str]]:
        """The batch clusters of the window (by meaning across languages when the window has it)."""
        if self._batch is None:
            from storydesk.group.batch import BatchClusterer

            settings = self.settings
            if self._embedder is None:  # no embedding in the features: the batch scores cannot use one
                settings = replace(settings, batch_weight_embedding=0.0)
            self._batch = BatchClusterer(settings, self._embedder)
        features = [f for f, _ in entries]
        meanings = [lang.meaning for _, lang in entries if lang is not None and lang.meaning is not None]
        if not meanings:
            return _drop_templates(self._batch.cluster_features(features), self._batch.templates)
        # articles from before the stream turned multilingual have no multilingual embedding: a zero row
        # scores 0 across languages, which leaves their pairs to the words (a long English stream that
        # turns multilingual late is still re-clustered as a whole)
        matrix = np.zeros((len(entries), meanings[0].shape[0]), dtype=np.float32)
        for i, (_, lang) in enumerate(entries):
            if lang is not None and lang.meaning is not None:
                matrix[i] = lang.meaning
        languages = [lang.language if lang is not None else UNDETERMINED for _, lang in entries]
        clusters = self._batch.cluster_features(features, languages=languages, meanings=matrix)
        return _drop_templates(clusters, self._batch.templates)

    def _claim(self, clusters: list[list[str]]) -> list[str]:
        """The existing story id each new cluster takes ("" = a new story): greedy by shared members."""
        pairs: list[tuple[int, int, int, str]] = []
        for i, members in enumerate(clusters):
            for sid, n in Counter(self._home[aid] for aid in members).items():
                pairs.append((n, self.stories[sid].size, i, sid))
        pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3]))
        targets = [""] * len(clusters)
        claimed: set[str] = set()
        for _, _, i, sid in pairs:
            if not targets[i] and sid not in claimed:
                targets[i] = sid
                claimed.add(sid)
        return targets

    def _move(
        self, features: ArticleFeatures, lingual: ArticleLanguage | None, old: StoryState, new: StoryState
    ) -> None:
        """Take an article out of one story's sums and add it to another's."""
        old.articles.remove(features.article_id)
        if old.embedding is not None:
            old.embedding = old.embedding - features.embedding.astype(np.float32)
        old.terms = _subtract(old.terms, features.terms)
        old.entities = _subtract(old.entities, features.entities)
        if lingual is not None and lingual.meaning is not None and old.meaning is not None:
            old.meaning = old.meaning - lingual.meaning
            old.meaning_count = max(0, old.meaning_count - 1)
            if old.meaning_count == 0:
                old.meaning = None
        self._meanings.put(old)
        self._absorb(new, features, lingual)
        self._home[features.article_id] = new.id
        self.moved[features.article_id] = new.id

    def _settle_loser(
        self,
        story: StoryState,
        went: Counter[str],
        window: Mapping[str, tuple[ArticleFeatures, ArticleLanguage | None]],
    ) -> None:
        """A story that lost articles: an alias of their main destination when empty, else re-spanned."""
        if not story.articles:
            keep = self.stories[went.most_common(1)[0][0]]
            self._meanings.drop(story.id)
            del self.stories[story.id]
            self.dirty.add(story.id)
            self.aliases[story.id] = keep.id
            return
        known = [window[aid] for aid in story.articles if aid in window]
        if len(known) == len(story.articles):
            # every member is in the window: span, title and languages can be recomputed exactly
            times = [f.time for f, _ in known if f.time is not None]
            story.first_time = min(times) if times else None
            story.last_time = max(times) if times else None
            story.title = next((f.title for f, _ in known if f.title), story.title)
            story.languages = {
                lang.language for _, lang in known if lang is not None and lang.language != UNDETERMINED
            }
            self._meanings.put(story)
        # else older members are no longer known: the span and languages stay as they were (a superset)
        self._touch(story)

    def restore(self, stories: Iterable[StoryState], aliases: dict[str, str], next_number: int,
                terms_df: DocumentFrequencies | None, entities_df: DocumentFrequencies | None,
                language_counts: Mapping[str, int] | None = None) -> None:
        """Load state saved by a previous run (see ``store.sqlite.Store.load_clusterer``)."""
        for story in stories:
            self.stories[story.id] = story
            story.indexed = set()
            self._index(story)
            self._meanings.put(story)
        if language_counts:
            self.language_counts.update(language_counts)
        self.aliases.update(aliases)
        self.next_number = max(self.next_number, next_number)
        if terms_df is not None:
            self.featurizer.terms_df = terms_df
        if entities_df is not None:
            self.featurizer.entities_df = entities_df

    # ----------------------------------------------------------------------------------------
    # scoring
    # ----------------------------------------------------------------------------------------

    def _candidates(
        self, features: ArticleFeatures, lingual: ArticleLanguage | None = None
    ) -> list[StoryState]:
        cands: dict[str, StoryState] = {}
        keys = _top_keys(features.terms, self.settings.query_terms) + _top_keys(
            features.entities, self.settings.query_terms, offset=1
        )
        for key in keys:
            for sid in self._postings.get(key, ()):
                story = self.stories.get(sid)
                if story is not None:
                    cands[sid] = story
        # the most recently updated stories are always candidates: a story about the same event in
        # other words (a translation, a different angle) may share no indexed term with the article
        for sid in islice(reversed(self.stories), self.settings.recent_candidates):
            cands[sid] = self.stories[sid]
        # ... and the stories in other languages closest in meaning (words cannot find them)
        if lingual is not None and lingual.meaning is not None and lingual.language != UNDETERMINED:
            s = self.settings
            for sid in self._meanings.nearest(
                lingual.meaning, lingual.language, s.cross_language_candidates, s.cross_language_floor
            ):
                cands.setdefault(sid, self.stories[sid])
        return [s for s in cands.values() if self._in_window(s, features.time)]

    def story_candidates(self, story: StoryState) -> list[StoryState]:
        """Other live stories filed under one of this story's heaviest terms or names."""
        keys = _top_keys(story.terms, self.settings.query_terms) + _top_keys(
            story.entities, self.settings.query_terms, offset=1
        )
        out: dict[str, StoryState] = {}
        for key in keys:
            for sid in self._postings.get(key, ()):
                other = self.stories.get(sid)
                if other is not None and sid != story.id:
                    out[sid] = other
        return list(out.values())

    def _in_window(self, story: StoryState, time: float | None) -> bool:
        if time is None or story.first_time is None or story.last_time is None:
            return True
        gap = max(0.0, story.first_time - time, time - story.last_time)
        return gap <= self.settings.time_window_days * DAY

    def _score_candidates(
        self, features: ArticleFeatures, lingual: ArticleLanguage | None = None
    ) -> list[tuple[str, float]]:
        candidates = self._candidates(features, lingual)
        scores = self.similarities(features, candidates, lingual)
        scored = [(story.id, score) for story, score in zip(candidates, scores, strict=True)]
        scored.sort(key=lambda kv: kv[1], reverse=True)
        return scored

    def similarity(
        self, features: ArticleFeatures, story: StoryState, lingual: ArticleLanguage | None = None
    ) -> float:
        """Weighted mean similarity of an article to a story's members (average linkage, 0..1-ish).

        The mean of the member vectors is compared, not its normalised direction: a diffuse story has a
        short mean vector and so attracts less, which stops a story from chaining across related events.
        A story with members in another language than the article's scores at least the rescaled
        multilingual cosine of the article with the story's mean (the words of two languages cannot meet).
        """
        return self.similarities(features, [story], lingual)[0]

    def similarities(
        self, features: ArticleFeatures, stories: Sequence[StoryState], lingual: ArticleLanguage | None = None
    ) -> list[float]:
        """:meth:`similarity` to each of ``stories`` (an article meets ~80 candidates).

        Each part is one comprehension over the stories and the parts are combined as arrays, in the
        order ``_combine`` adds them: the same floats as one ``similarity`` call per story, with a
        fraction of the calls.
        """
        s = self.settings
        m = len(stories)
        sizes = np.fromiter((float(story.size) or 1.0 for story in stories), np.float64, m)
        total = np.zeros(m)  # as _combine: the weights of the parts present, and the weighted parts
        weighted = np.zeros(m)
        if s.weight_embedding > 0:
            if lingual is None or lingual.language == UNDETERMINED or lingual.language in s.embedding_languages:
                # ``_embedding_part`` by ``embedding_model``, the checks on the article made once
                # (``ndarray.dot`` of two vectors is ``@``'s own dot product, without the ufunc dispatch)
                dot = features.embedding.dot
                floor = s.embedding_floor
                embedding: list[float | None] = [
                    None if story.embedding is None
                    else _rescale(float(dot(story.embedding)) / (float(story.size) or 1.0), floor)
                    for story in stories
                ]
            else:
                embedding = [self._embedding_part(features, story, lingual) for story in stories]
            present = np.fromiter((e is not None for e in embedding), bool, m)
            values = np.fromiter((0.0 if e is None else e for e in embedding), np.float64, m)
            total += np.where(present, s.weight_embedding, 0.0)
            weighted += np.where(present, s.weight_embedding * values, 0.0)
        if s.weight_terms > 0:
            cos = np.fromiter(_cosines(features.terms, (story.terms for story in stories)), np.float64, m)
            total += s.weight_terms
            weighted += s.weight_terms * (cos / sizes)
        if s.weight_entities > 0 and features.entities:
            others = [story.entities for story in stories]
            present = np.fromiter(map(bool, others), bool, m)
            cos = np.fromiter(_cosines(features.entities, others), np.float64, m)  # 0.0 for an empty one
            total += np.where(present, s.weight_entities, 0.0)
            weighted += np.where(present, s.weight_entities * (cos / sizes), 0.0)
        scores: list[float] = np.divide(weighted, total, out=np.zeros(m), where=total > 0).tolist()
        if lingual is None or lingual.meaning is None or lingual.language == UNDETERMINED:
            return scores
        for i, story in enumerate(stories):
            if story.languages - {lingual.language, UNDETERMINED}:
                scores[i] = max(scores[i], self._meaning_cosine(lingual.meaning, story))
        return scores

    def _embedding_part(
        self, features: ArticleFeatures, story: StoryState, lingual: ArticleLanguage | None
    ) -> float | None:
        """The embedding similarity, by a model that reads the article's language.

        ``embedding_model`` reads ``embedding_languages`` only: on other text its vectors are noise that
        makes every pair look alike (wordllama puts any two Russian texts at cosine ~0.93). Such an
        article is compared by the multilingual embedding when the stream has one, else not by embedding.
        """
        s = self.settings
        if lingual is None or lingual.language == UNDETERMINED or lingual.language in s.embedding_languages:
            if story.embedding is None:
                return None
            cos = float(features.embedding @ story.embedding) / (float(story.size) or 1.0)
            return _rescale(cos, s.embedding_floor)
        if lingual.meaning is None or story.meaning is None:
            return None
        return self._meaning_cosine(lingual.meaning, story)

    def _meaning_cosine(self, meaning: Vector, story: StoryState) -> float:
        """Rescaled multilingual cosine of an article with a story's mean (0 when the story has none)."""
        if story.meaning is None or story.meaning_count <= 0:
            return 0.0
        cos = float(meaning @ story.meaning) / story.meaning_count
        return _rescale(cos, self.settings.cross_language_floor)

    def story_similarity(self, a: StoryState, b: StoryState) -> float:
        """Average-linkage similarity of two stories (the merge test); by meaning across languages."""
        s = self.settings
        n = float(a.size * b.size) or 1.0
        parts: list[tuple[float, float]] = []
        meaning = self._story_meaning(a, b)
        if s.weight_embedding > 0:
            if self._reads(a) and self._reads(b):
                if a.embedding is not None and b.embedding is not None:
                    cos = float(a.embedding @ b.embedding) / n
                    parts.append((s.weight_embedding, _rescale(cos, s.embedding_floor)))
            elif meaning is not None:
                parts.append((s.weight_embedding, meaning))
        if s.weight_terms > 0:
            parts.append((s.weight_terms, sparse_cosine(a.terms, b.terms) / n))
        if s.weight_entities > 0 and a.entities and b.entities:
            parts.append((s.weight_entities, sparse_cosine(a.entities, b.entities) / n))
        score = _combine(parts)
        if meaning is None or len((a.languages | b.languages) - {UNDETERMINED}) < 2:
            return score
        return max(score, meaning)

    def _reads(self, story: StoryState) -> bool:
        """Whether ``embedding_model`` reads the story (a member in one of its languages, or none known)."""
        known = story.languages - {UNDETERMINED}
        return not known or not known.isdisjoint(self.settings.embedding_languages)

    def _story_meaning(self, a: StoryState, b: StoryState) -> float | None:
        if a.meaning is None or b.meaning is None or a.meaning_count <= 0 or b.meaning_count <= 0:
            return None
        cos = float(a.meaning @ b.meaning) / (a.meaning_count * b.meaning_count)
        return _rescale(cos, self.settings.cross_language_floor)

    # ----------------------------------------------------------------------------------------
    # state updates
    # ----------------------------------------------------------------------------------------

    def _new_story(self) -> StoryState:
        story = StoryState(id=f"S{self.next_number}")
        self.next_number += 1
        self.stories[story.id] = story
        return story

    def _absorb(
        self, story: StoryState, features: ArticleFeatures, lingual: ArticleLanguage | None = None
    ) -> None:
        keep = self.settings.story_terms
        story.articles.append(features.article_id)
        emb = features.embedding.astype(np.float32)
        story.embedding = emb.copy() if story.embedding is None else story.embedding + emb
        story.terms = _add(story.terms, features.terms, keep)
        story.entities = _add(story.entities, features.entities, keep)
        if features.time is not None:
            story.first_time = features.time if story.first_time is None else min(story.first_time, features.time)
            story.last_time = features.time if story.last_time is None else max(story.last_time, features.time)
        if not story.title and features.title:
            story.title = features.title
        if lingual is not None:
            self._absorb_language(story, lingual)
        self._touch(story)

    def _absorb_language(self, story: StoryState, lingual: ArticleLanguage) -> None:
        if lingual.language != UNDETERMINED:
            story.languages.add(lingual.language)
        if lingual.meaning is not None:
            meaning = lingual.meaning
            story.meaning = meaning.copy() if story.meaning is None else story.meaning + meaning
            story.meaning_count += 1
        if story.meaning is not None:
            self._meanings.put(story)

    def _touch(self, story: StoryState) -> None:
        self.stories.move_to_end(story.id)
        self.dirty.add(story.id)
        self._index(story)

    def _index(self, story: StoryState) -> None:
        n = self.settings.index_terms
        keys = set(_top_keys(story.terms, n)) | set(_top_keys(story.entities, n, offset=1))
        for key in keys - story.indexed:
            posting = self._postings.get(key)
            if posting is None:
                # a capped posting keeps the most recent stories for a common key: bounded and fresh
                posting = self._postings[key] = deque(maxlen=self.settings.posting_cap)
            posting.append(story.id)
        story.indexed = keys

    def _merge_evidence(
        self, story: StoryState, scored: list[tuple[str, float]], features: ArticleFeatures
    ) -> tuple[str, ...]:
        """Merge stories the new article bridges, when their centroids have also grown close."""
        merged: list[str] = []
        for sid, score in scored:
            if sid == story.id or sid not in self.stories:
                continue
            if score < self.settings.similarity_threshold:
                break  # sorted: the rest are weaker
            other = self.stories[sid]
            if self.story_similarity(story, other) < self.settings.merge_threshold:
                continue
            keep, gone = (story, other) if story.size >= other.size else (other, story)
            self.merge(keep, gone)
            merged.append(gone.id)
            story = keep
        return tuple(merged)

    def merge(self, keep: StoryState, gone: StoryState) -> None:
        """Fold ``gone`` into ``keep``; ``gone``'s id becomes an alias of ``keep``."""
        keep.articles.extend(gone.articles)
        if gone.embedding is not None:
            keep.embedding = gone.embedding.copy() if keep.embedding is None else keep.embedding + gone.embedding
        keep.terms = truncate(_add(keep.terms, gone.terms, self.settings.story_terms), self.settings.story_terms)
        keep.entities = truncate(
            _add(keep.entities, gone.entities, self.settings.story_terms), self.settings.story_terms
        )
        times = [t for t in (keep.first_time, gone.first_time) if t is not None]
        keep.first_time = min(times) if times else None
        times = [t for t in (keep.last_time, gone.last_time) if t is not None]
        keep.last_time = max(times) if times else None
        keep.title = keep.title or gone.title
        keep.languages |= gone.languages
        if gone.meaning is not None:
            keep.meaning = gone.meaning.copy() if keep.meaning is None else keep.meaning + gone.meaning
            keep.meaning_count += gone.meaning_count
        self._meanings.drop(gone.id)
        self._meanings.put(keep)
        del self.stories[gone.id]
        self.dirty.add(gone.id)
        self.aliases[gone.id] = keep.id
        if self._home:  # window members follow (the aliases are dropped once the store has them)
            for aid in gone.articles:
                if aid in self._home:
                    self._home[aid] = keep.id
        self._touch(keep)

    def _retire(self) -> None:
        """Forget stories that went quiet (older than the window) or exceed the active cap.

        A story with a member in the recent window stays, however old: the window's undated articles
        (sorted after the dated ones of their batch) may still belong to it, and re-clustering the window
        can only move articles between stories it holds whole. An ingest that mixes coverage from years
        apart would otherwise retire the older story before its undated articles arrive.
        """
        cap = self.settings.max_active_stories
        while len(self.stories) > cap:
            sid, story = self.stories.popitem(last=False)
            self._meanings.drop(sid)
            self.retired[sid] = story.title
        if self.newest_time is None:
            return
        horizon = self.newest_time - self.settings.retire_after_days * DAY
        while self.stories:
            sid, story = next(iter(self.stories.items()))
            if story.last_time is None or story.last_time >= horizon or self._has_recent_member(story):
                break  # stories are in order of their last update: the later ones are newer still
            del self.stories[sid]
            self._meanings.drop(sid)
            self.retired[sid] = story.title

    def _has_recent_member(self, story: StoryState) -> bool:
        # newest members last: a story with one in the window usually answers at the first look
        return bool(self._home) and any(aid in self._home for aid in reversed(story.articles))


def _drop_templates(clusters: list[list[str]], templates: Sequence[str]) -> list[list[str]]:
    """Leave out the articles the batch isolated as templates (near-verbatim short copies).

    The batch zeroes every score of such an article: its cluster of one is no judgment about which story
    it belongs to, so it is no reason to move it (online, only verbatim copies are templates, and a short
    brief reprinted with light edits joins its story by content).
    """
    isolated = set(templates)
    if not isolated:
        return clusters
    kept = [[aid for aid in members if aid not in isolated] for members in clusters]
    return [members for members in kept if members]


def _cosines(vec: Sparse, others: Iterable[Sparse]) -> list[float]:
    """``sparse_cosine(vec, other)`` for each of ``others`` (the same sums in the same order), inlined:
    an article is scored against ~100 stories, and the call costs as much as the sum."""
    size = len(vec)
    return [
        sum([vec[k] * other[k] for k in filter(other.__contains__, vec)], 0.0)
        if size <= len(other)
        else sum([other[k] * vec[k] for k in filter(vec.__contains__, other)], 0.0)
        for other in others
    ]


def _rescale(cos: float, floor: float) -> float:
    """Map an embedding cosine onto 0..1 above the similarity that unrelated news already has."""
    return max(0.0, (cos - floor) / (1.0 - floor)) if floor < 1.0 else 0.0


def _combine(parts: list[tuple[float, float]]) -> float:
    total = sum(w for w, _ in parts)
    return sum(w * v for w, v in parts) / total if total else 0.0


def _top_keys(vec: Sparse, n: int, offset: int = 0) -> list[int]:
    # terms and entities share the hash space: tag entity keys (offset 1) so they file apart
    top = heapq.nlargest(n, vec.items(), key=itemgetter(1))  # = sorted(..., reverse=True)[:n], ties too
    return [k * 2 + offset for k, _ in top]


def _publish_order(articles: Sequence[Article]) -> list[Article]:
    """Time order where known; undated articles keep their place relative to each other."""
    if not any(a.published for a in articles):
        return list(articles)
    dated = sorted((a for a in articles if a.published), key=lambda a: to_timestamp(a.published) or 0.0)
    undated = [a for a in articles if not a.published]
    return dated + undated


def cluster_articles(
    articles: Sequence[Article], settings: GroupSettings, embedder: SentenceEmbedder | None = None
) -> list[list[str]]:
    """Event-level clusters of article ids (online pass in publish order, then a merge pass)."""
    clusterer = OnlineClusterer(settings, embedder)
    ordered = _publish_order(articles)
    clusterer.featurizer.observe(ordered)  # batch: every article is weighted with the IDF of the whole batch
    for start in range(0, len(ordered), 256):
        clusterer.add(ordered[start : start + 256], update_df=False)
    if clusterer.reconcile_due(final=True):
        clusterer.reconcile()
    _merge_pass(clusterer)
    return [list(s.articles) for s in clusterer.stories.values()]


def _merge_pass(clusterer: OnlineClusterer) -> None:
    """Batch only: merge stories whose centroids clear the merge threshold (candidates from the index)."""
    threshold = clusterer.settings.merge_threshold
    changed = True
    while changed:
        changed = False
        for sid in list(clusterer.stories):
            story = clusterer.stories.get(sid)
            if story is None:
                continue
            for other in clusterer.story_candidates(story):
                if other.id in clusterer.stories and clusterer.story_similarity(story, other) >= threshold:
                    keep, gone = (story, other) if story.size >= other.size else (other, story)
                    clusterer.merge(keep, gone)
                    changed = True
                    story = keep


def group_articles(articles: list[Article], settings: GroupSettings) -> list[Story]:
    """Stories for a batch of articles: one story (mode "single") or event-level clusters ("cluster").

    Up to ``batch_max_articles`` the whole collection is clustered at once (``group.batch``: every pair
    compared, average linkage); beyond that the stream clusterer runs over it in publish order.
    Story ids are "S1", "S2", ... in order of each story's first article in the input.
    """
    _check(settings)
    if not articles:
        return []
    if settings.mode == "single":
        return [Story(id="S1", articles=[a.id for a in articles])]
    if len(articles) <= settings.batch_max_articles:
        from storydesk.group.batch import batch_cluster

        clusters = batch_cluster(articles, settings)
    else:  # too many for dense pair matrices: one online pass in publish order, then a merge pass
        clusters = cluster_articles(articles, settings)
    position = {a.id: i for i, a in enumerate(articles)}
    for members in clusters:
        members.sort(key=lambda aid: position[aid])
    clusters.sort(key=lambda members: position[members[0]])
    return [Story(id=f"S{i}", articles=members) for i, members in enumerate(clusters, start=1)]
