"""Batch story clustering: every pair of articles is compared, then average-linkage clustering.

When the whole collection is known (``storydesk brief``), nothing forces the one-pass, arrival-order
decisions of the stream clusterer. This module scores every pair of articles with the collection's own
IDF, then:

1. isolates *templates*: a short text that recurs near-verbatim in several inputs (an embed notice, an
   archive banner, a consent wall) is page furniture, not coverage; it says nothing about which story
   its pages belong to, and letting its copies link would glue unrelated stories together;
2. compares articles in different languages by a multilingual embedding (their words cannot meet);
3. sharpens the pair score with the articles' neighbourhoods: two articles about one event have the
   same nearest neighbours, two articles that merely share a topic word do not (a shared-nearest-
   neighbour, second-order similarity, geometric mean with the direct score);
4. cuts an average-linkage dendrogram at ``batch_threshold``: a story joins another only if its articles
   are similar *on average*, which stops chains of pairwise look-alikes across related events;
5. refines each larger cluster (``batch_refine_min_size``): one cluster is often one *topic* holding
   several events of one kind (two monthly jobs reports, a trial's delay and its opening day). Inside the
   cluster the words every member uses say only "this topic"; discounting each term by the share of
   members that use it leaves the words that tell the events apart (the month, the figure, the people
   of that day). The cluster is re-cut on that within-cluster score and split only where the cut finds
   at least two groups of two or more articles; an article left on its own rejoins the closest group
   (one odd article is not a second event).

Collections of up to ``batch_small_max`` articles skip step 3 (a handful of articles has no
neighbourhood statistics worth the name) and cut the direct score, names weighted in, at
``batch_small_threshold``.

Memory is O(n²) (dense pair matrices), so ``group_articles`` hands collections larger than
``batch_max_articles`` to the stream clusterer instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

from storydesk.annotate.embeddings import SentenceEmbedder, get_embedder
from storydesk.errors import SettingsError
from storydesk.group.features import (
    ArticleFeatures,
    ArticleFeaturizer,
    Sparse,
    article_language,
    head_text,
    normalise,
)
from storydesk.records import Article
from storydesk.settings import GroupSettings

Matrix = npt.NDArray[np.float32]
DAY = 86_400.0


def sparse_rows(vectors: Sequence[Sparse]) -> csr_matrix:
    """Stack hashed sparse vectors (already L2-normalised) into a CSR matrix over their ids.

    Each row keeps its vector's order (a row's products are summed in that order); the columns are the
    distinct ids in sorted order (which column an id gets changes no product or sum).
    """
    n = len(vectors)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, vectors), np.int64, n), out=indptr[1:])
    total = int(indptr[-1])
    keys = np.fromiter(chain.from_iterable(vectors), np.int64, total)
    data = np.fromiter(chain.from_iterable(vec.values() for vec in vectors), np.float32, total)
    columns, indices = np.unique(keys, return_inverse=True)
    return csr_matrix((data, indices.astype(np.int64), indptr), shape=(n, max(1, len(columns))))


def cosine_matrix(vectors: Sequence[Sparse]) -> Matrix:
    rows = sparse_rows(vectors)
    return np.asarray((rows @ rows.T).toarray(), dtype=np.float32)


def rescale(cos: Matrix, floor: float) -> Matrix:
    """Map cosines onto 0..1 above ``floor`` (the similarity that unrelated texts already reach)."""
    return np.clip((cos - floor) / (1.0 - floor), 0.0, 1.0).astype(np.float32)


def template_mask(terms: Matrix, words: Sequence[int], settings: GroupSettings) -> npt.NDArray[np.bool_]:
    """Short articles whose wording recurs near-verbatim in ``template_copies - 1`` other short articles.

    Long near-duplicates are kept: a wire story reprinted by several outlets is one story, and is long.
    """
    short = np.asarray(words) <= settings.template_max_words
    near = terms >= settings.template_similarity
    np.fill_diagonal(near, False)
    copies = (near & short[None, :]).sum(axis=1)
    return np.asarray(short & (copies >= settings.template_copies - 1))


def neighbourhood_similarity(pairs: Matrix, k: int, floor: float = 0.05) -> Matrix:
    """Cosine of the articles' top-``k`` neighbour profiles (each row keeps its k best, itself included)."""
    profile = pairs.copy()
    np.fill_diagonal(profile, 1.0)
    profile[profile < floor] = 0.0
    if k < profile.shape[1]:
        cut = np.argpartition(-profile, k - 1, axis=1)[:, k:]
        np.put_along_axis(profile, cut, 0.0, axis=1)
    norms = np.linalg.norm(profile, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    profile /= norms
    return np.asarray(profile @ profile.T, dtype=np.float32)


class BatchClusterer:
    """Average-linkage clustering of a whole collection over a calibrated pair score."""

    def __init__(self, settings: GroupSettings, embedder: SentenceEmbedder | None = None) -> None:
        _check_refine(settings)
        self.settings = settings
        if embedder is None and settings.batch_weight_embedding > 0:
            embedder = get_embedder(settings.embedding_model)
        self._embedder = embedder
        self.templates: list[str] = []  # ids isolated as recurring template text in the last run

    def featurize(self, articles: Sequence[Article]) -> list[ArticleFeatures]:
        s = self.settings
        featurizer = ArticleFeaturizer(
            embedder=self._embedder if s.batch_weight_embedding > 0 else None,
            buckets=s.hash_buckets,
            max_terms=s.batch_article_terms,
            embed_chars=s.embed_chars,
        )
        featurizer.observe(articles)  # the IDF of the whole collection, for every article alike
        return featurizer.featurize(articles, update_df=False)

    def pair_scores(
        self,
        articles: Sequence[Article],
        features: Sequence[ArticleFeatures],
        *,
        weight_entities: float | None = None,
    ) -> Matrix:
        """The direct pair score (0..1): weighted terms, names and embedding; other languages by meaning."""
        languages, meanings = self.languages(articles)
        return self.feature_scores(features, languages=languages, meanings=meanings, weight_entities=weight_entities)

    def feature_scores(
        self,
        features: Sequence[ArticleFeatures],
        *,
        languages: Sequence[str] | None = None,
        meanings: Matrix | None = None,
        weight_entities: float | None = None,
    ) -> Matrix:
        """:meth:`pair_scores` from precomputed features: ``meanings`` (multilingual embeddings, one row
        per article) score the pairs whose ``languages`` differ; without them, words only."""
        s = self.settings
        weight_entities = s.batch_weight_entities if weight_entities is None else weight_entities
        terms = cosine_matrix([f.terms for f in features])
        score = terms.copy()
        total = 1.0
        if weight_entities > 0:
            score += weight_entities * cosine_matrix([f.entities for f in features])
            total += weight_entities
        if s.batch_weight_embedding > 0 and self._embedder is not None:
            vectors = np.stack([f.embedding for f in features])
            score += s.batch_weight_embedding * rescale(vectors @ vectors.T, s.embedding_floor)
            total += s.batch_weight_embedding
        score /= total
        if languages is not None and meanings is not None:
            self._cross_language(languages, meanings, score)
        self._time_window(features, score)
        templates = template_mask(terms, [f.words for f in features], s)
        self.templates = [f.article_id for f, t in zip(features, templates, strict=True) if t]
        score[templates, :] = 0.0
        score[:, templates] = 0.0
        np.fill_diagonal(score, 1.0)
        return score

    def cluster(self, articles: Sequence[Article]) -> list[list[str]]:
        """Clusters of article ids (each cluster in input order; clusters by their first article)."""
        if not articles:
            return []
        if len(articles) == 1:
            return [[articles[0].id]]
        features = self.featurize(articles)  # first: it records each article's language when none was
        languages, meanings = self.languages(articles)
        return self.cluster_features(features, languages=languages, meanings=meanings)

    def cluster_features(
        self,
        features: Sequence[ArticleFeatures],
        *,
        languages: Sequence[str] | None = None,
        meanings: Matrix | None = None,
    ) -> list[list[str]]:
        """Clusters of precomputed features (the stream clusterer re-clusters its recent window this way)."""
        if len(features) <= 1:
            return [[f.article_id for f in features]]
        s = self.settings
        if len(features) <= s.batch_small_max:
            # A handful of articles: each has too few neighbours for shared neighbourhoods to mean
            # anything (with k >= n every profile is the whole pile), and the sqrt with that weak second
            # order splits one event told by outlets with different wording. The direct score, with
            # shared names weighted in (outlets word an event differently but name the same people and
            # places), is cut at its own, lower threshold instead.
            score = self.feature_scores(
                features, languages=languages, meanings=meanings, weight_entities=s.batch_small_weight_entities
            )
            return self._cut(features, score, s.batch_small_threshold)
        direct = self.feature_scores(features, languages=languages, meanings=meanings)
        if s.batch_neighbours > 0:
            # geometric mean: a pair needs direct evidence AND a shared neighbourhood
            second = neighbourhood_similarity(direct, s.batch_neighbours)
            score = np.sqrt(np.clip(direct, 0.0, 1.0) * np.clip(second, 0.0, 1.0))
        else:
            score = direct
        clusters = self._cut(features, score, s.batch_threshold)
        if s.batch_refine_min_size > 0:
            position = {f.article_id: i for i, f in enumerate(features)}
            clusters = [
                part
                for members in clusters
                for part in self._refine(
                    members, features, position, score, languages if meanings is not None else None
                )
            ]
        return clusters

    def _refine(
        self,
        members: list[str],
        features: Sequence[ArticleFeatures],
        position: dict[str, int],
        score: Matrix,
        languages: Sequence[str] | None,
    ) -> list[list[str]]:
        """Split one cluster where its members' *distinctive* words form two or more groups (step 5).

        Words say nothing about a pair in two languages: such a pair keeps its pair ``score`` (its
        multilingual similarity), so a translation is never split from its original for lack of words.
        """
        s = self.settings
        n = len(members)
        if n < max(s.batch_refine_min_size, 4):
            return [members]
        index = [position[m] for m in members]
        by_id = {m: features[i] for m, i in zip(members, index, strict=True)}
        vectors = [by_id[m].terms for m in members]
        users = Counter(key for vec in vectors for key in vec)
        # weight 1 for a word one member uses, 0 for a word all members use
        local = [
            normalise({k: w * (1.0 - (users[k] - 1) / (n - 1)) for k, w in vec.items() if users[k] < n})
            for vec in vectors
        ]
        within = cosine_matrix(local)
        if languages is not None:
            lang = np.asarray([languages[i] for i in index])
            other = lang[:, None] != lang[None, :]
            within[other] = score[np.ix_(index, index)][other]
        np.fill_diagonal(within, 1.0)
        labels = _average_linkage(within, s.batch_refine_threshold)
        sizes = Counter(labels)
        groups = [label for label, size in sizes.items() if size >= 2]
        if len(groups) < 2:
            return [members]
        rows: dict[int, list[int]] = {label: [] for label in groups}
        in_group = {g: np.asarray(labels) == g for g in groups}
        for i, label in enumerate(labels):
            if sizes[label] < 2:  # a lone article rejoins the group it is closest to on average
                closeness = within[i]
                label = max(groups, key=lambda g: float(np.mean(closeness[in_group[g]])))
            rows[label].append(i)
        # two events, not one event's angles: the groups must be far apart compared with how tight they are
        cohesion = min(_mean_off_diagonal(within[np.ix_(r, r)]) for r in rows.values())
        blocks = list(rows.values())
        between = max(float(within[np.ix_(a, b)].mean()) for i, a in enumerate(blocks) for b in blocks[i + 1 :])
        if cohesion <= 0.0 or between > s.batch_refine_max_ratio * cohesion:
            return [members]
        return [[members[i] for i in r] for r in blocks]

    @staticmethod
    def _cut(features: Sequence[ArticleFeatures], score: Matrix, threshold: float) -> list[list[str]]:
        """Average-linkage clusters of ``score`` cut at ``threshold`` (clusters in input order)."""
        clusters: dict[int, list[str]] = {}
        for feature, label in zip(features, _average_linkage(score, threshold), strict=True):
            clusters.setdefault(label, []).append(feature.article_id)
        return list(clusters.values())

    # ------------------------------------------------------------------------------------------------

    def languages(self, articles: Sequence[Article]) -> tuple[list[str], Matrix | None]:
        """Each article's language and, when the collection mixes languages, multilingual embeddings."""
        from storydesk.annotate.language import UNDETERMINED

        languages = [article_language(a) for a in articles]
        if len({lang for lang in languages if lang != UNDETERMINED}) < 2:
            return languages, None
        embedder = get_embedder(self.settings.cross_language_model)
        texts = [head_text(a, self.settings.embed_chars) for a in articles]
        return languages, np.asarray(embedder.embed(texts), dtype=np.float32)

    def _cross_language(self, languages: Sequence[str], meanings: Matrix, score: Matrix) -> None:
        """Pairs in different languages share no words: score them by a multilingual embedding."""
        from storydesk.annotate.language import UNDETERMINED

        meaning = rescale(meanings @ meanings.T, self.settings.cross_language_floor)
        lang = np.asarray(languages)
        known = lang != UNDETERMINED
        other = (lang[:, None] != lang[None, :]) & known[:, None] & known[None, :]
        score[other] = np.maximum(score[other], meaning[other])

    def _time_window(self, features: Sequence[ArticleFeatures], score: Matrix) -> None:
        """Articles published further apart than the time window are not one event."""
        times = np.asarray([np.nan if f.time is None else f.time for f in features], dtype=np.float64)
        if np.isnan(times).all():
            return
        gap = np.abs(times[:, None] - times[None, :])
        apart = gap > self.settings.time_window_days * DAY  # NaN compares False: undated pairs stay
        score[apart] = 0.0


def _check_refine(settings: GroupSettings) -> None:
    if settings.batch_refine_min_size < 0:
        raise SettingsError(f"[group] batch_refine_min_size must be >= 0, got {settings.batch_refine_min_size}")
    if not 0.0 < settings.batch_refine_threshold < 1.0:
        raise SettingsError(
            f"[group] batch_refine_threshold must be between 0 and 1, got {settings.batch_refine_threshold}"
        )
    if settings.batch_refine_max_ratio < 0:
        raise SettingsError(f"[group] batch_refine_max_ratio must be >= 0, got {settings.batch_refine_max_ratio}")


def _mean_off_diagonal(block: Matrix) -> float:
    n = block.shape[0]
    return float((block.sum() - np.trace(block)) / (n * (n - 1))) if n > 1 else 0.0


def _average_linkage(score: Matrix, threshold: float) -> list[int]:
    """Cluster labels of an average-linkage dendrogram over ``1 - score`` cut at ``1 - threshold``."""
    # 1 - clip(score), made exactly symmetric for squareform: (d + d.T) / 2, with one temporary less
    distance = score.astype(np.float64)
    np.clip(distance, 0.0, 1.0, out=distance)
    np.subtract(1.0, distance, out=distance)
    symmetric = distance + distance.T
    symmetric /= 2.0
    np.fill_diagonal(symmetric, 0.0)
    tree = linkage(squareform(symmetric, checks=False), method="average")
    return [int(label) for label in fcluster(tree, t=1.0 - threshold, criterion="distance")]


def batch_cluster(
    articles: Sequence[Article], settings: GroupSettings, embedder: SentenceEmbedder | None = None
) -> list[list[str]]:
    """Event-level clusters of a whole collection (see the module docstring)."""
    return BatchClusterer(settings, embedder).cluster(articles)

