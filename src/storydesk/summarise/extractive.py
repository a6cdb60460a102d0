"""Multi-document extractive summaries: what the independent sources agree on, once, in order, cited.

The summariser picks whole sentences from the story's articles:

1. candidates: clean, self-contained sentences (see :mod:`candidates`), from the articles in the
   story's language;
2. statements: candidates that say the same thing (sentence embeddings above the link stage's
   sentence-match threshold and sharing content words, or mentions of one aligned fact) are one
   statement; the articles behind a statement are its citations, and its support is the number of
   independent source groups behind them (copies and translations count once);
3. score: centrality to the story (embedding centroid and cross-source word weights, with each
   source group weighed once), corroboration, position in the article, entity salience, times a
   penalty for sentences that lean on the one before them;
4. select greedily within the budget, skipping anything that repeats a chosen sentence (numbers
   aside: "twelve workers were hurt" and "fourteen workers were hurt" restate one claim);
5. disagreements: a sentence that gives one side of a detected contradiction settles it for the
   summary. The best-supported side's sentence is quoted, verbatim, once, with every side's value
   beside it (``SummarySentence.sources_differ``); a sentence giving another side is never chosen,
   so the reader never gets two values for one fact, both as fact;
6. order by time (when the statement was first reported), then by importance.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from storydesk.analyse.numbers import Quantity, comparable, consistent, extract_quantities
from storydesk.annotate.embeddings import get_embedder
from storydesk.records import (
    Article,
    Contradiction,
    DateMention,
    DifferingValue,
    SourcesDiffer,
    Story,
    SummarySentence,
)
from storydesk.settings import LinkSettings, SummariseSettings
from storydesk.stage import StoryStage
from storydesk.summarise.candidates import (
    STOP_WORDS,
    Candidate,
    collect_candidates,
    content_tokens,
    stem,
    without_numbers,
    words,
)
from storydesk.summarise.segment import ensure_sentences

_ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
# Date expressions for articles the annotator did not see (it resolves dates when it runs).
_ABSOLUTE_DATE = re.compile(rf"\b(?:{_MONTH}\.?\s+\d{{1,2}}\b|\d{{1,2}}\s+{_MONTH}\b|(?:19|20)\d\d\b)")
_RELATIVE_WORDS = re.compile(
    r"(?i)\b(?:today|yesterday|tomorrow|tonight|last night|this (?:morning|afternoon|evening|week)"
    r"|on (?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"
)
_DATE_WORDS = re.compile(
    rf"\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|{_MONTH}\.?\s+\d{{1,2}}\b|\d{{1,2}}\s+{_MONTH}\b"
    r"|today|yesterday|tonight|(?:last|next|this) (?:week|month|year))"
)
# Capitalised runs stand in for entity mentions when the annotator found none.
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|de|al))*")


def _bigrams(text: str) -> set[tuple[str, str]]:
    """Adjacent word pairs with at least one content word (stop-word pairs say nothing)."""
    toks = [stem(w) for w in words(text)]
    return {(a, b) for a, b in itertools.pairwise(toks) if a not in STOP_WORDS or b not in STOP_WORDS}


def _placeable(date: DateMention) -> bool:
    """A date a reader can place without the article's publish date ("May 10", "2013", not "today")."""
    return not date.relative or bool(_ABSOLUTE_DATE.search(date.text))


def _minmax(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    if values.size == 0:
        return values
    lo, hi = float(values.min()), float(values.max())
    if hi - lo < 1e-12:
        return np.ones_like(values) if hi > 0 else np.zeros_like(values)
    return (values - lo) / (hi - lo)


def _conflict(mine: Sequence[Quantity], theirs: Sequence[Quantity]) -> bool:
    """Whether two wordings give different values for one thing ("Twelve workers" vs "Fourteen
    workers"): then they are not the same statement, whatever else they share."""
    for q in mine:
        same_thing = [o for o in theirs if comparable(q, o)]
        if same_thing and not any(consistent(q, o) for o in same_thing):
            return True
    return False


def _agrees(mine: Sequence[Quantity], theirs: Sequence[Quantity]) -> bool:
    """Whether some value in ``mine`` is comparable with, and consistent with, one in ``theirs``."""
    return any(comparable(q, o) and consistent(q, o) for q in mine for o in theirs)


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the shorter sentence's content words that the other one has."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _disputed(contra: Contradiction) -> list[list[Quantity]]:
    """Per side, its sentence's values that the other sides' sentences contradict: the number or
    date the sources disagree on, not whatever else the sentences count."""
    said = [extract_quantities(cl.text) for cl in contra.claims]
    out: list[list[Quantity]] = []
    for s, mine in enumerate(said):
        theirs = [o for t, qs in enumerate(said) if t != s for o in qs]
        out.append([q for q in mine if _conflict([q], theirs)])
    return out


def _mark_sides(
    contradictions: Sequence[Contradiction],
    pool: list[Candidate],
    min_overlap: float,
    story_order: Sequence[str],
) -> list[list[list[str]]]:
    """Set ``Candidate.sides``: which side of each detected contradiction a candidate states; return,
    per contradiction and side, the articles that give that side (the stage's and the candidates').

    A candidate states a side when it is that side's sentence; when it gives that side's disputed
    value and shares some of that sentence's wording (numbers aside: "Twelve workers were treated in
    hospital" gives the side of "Twelve dock workers were taken to hospital"); or when its article is
    on that side only and it states the same thing as that side's sentence (the fact stage's and
    embeddings' word, for dates and names that are not numbers). A sentence that gives more than one
    side ("12, or 14 by another count") takes no side.
    """
    rank = {a: i for i, a in enumerate(story_order)}
    backers: list[list[list[str]]] = []
    by_text: dict[str, list[Candidate]] = defaultdict(list)
    for c in pool:
        by_text[_norm(c.text)].append(c)
    quantities = {c.uid: extract_quantities(c.text) for c in pool}
    for k, contra in enumerate(contradictions):
        disputed = _disputed(contra)
        states: dict[int, set[int]] = defaultdict(set)  # uid -> sides
        for side, cl in enumerate(contra.claims):
            own = set(cl.articles) - {a for o in contra.claims if o is not cl for a in o.articles}
            topic = without_numbers(content_tokens(cl.text))
            for c in by_text.get(_norm(cl.text), []):
                states[c.uid].add(side)
                for u in c.same_as:
                    if pool[u].article in own:
                        states[u].add(side)
            if not disputed[side]:
                continue
            for c in pool:
                # The value alone could count something else ("12 workers were evacuated"): the
                # sentence must also be about what the claim is about, if in its own words.
                near = _overlap(c.topic, topic) >= min_overlap / 2
                if near and _agrees(quantities[c.uid], disputed[side]):
                    states[c.uid].add(side)
        sided = [set(cl.articles) for cl in contra.claims]
        for uid, sides in states.items():
            if len(sides) == 1:
                pool[uid].sides[k] = side = next(iter(sides))
                sided[side].add(pool[uid].article)
        backers.append([sorted(arts, key=lambda a: (rank.get(a, len(rank)), a)) for arts in sided])
    return backers


def _contradicts(cand: Candidate, settled: Mapping[int, tuple[int, int]]) -> bool:
    """Whether the candidate gives another side of a disagreement the summary already states."""
    return any(k in settled and settled[k][0] != side for k, side in cand.sides.items())


def _restates(cand: Candidate, settled: Mapping[int, tuple[int, int]]) -> bool:
    """Whether the candidate states, on either side, a disputed claim another chosen sentence states:
    the summary gives a disputed claim once, beside its note."""
    return any(k in settled and settled[k][1] != cand.uid for k in cand.sides)


def _differ(contra: Contradiction, backers: Sequence[Sequence[str]]) -> SourcesDiffer:
    return SourcesDiffer(
        about=contra.about,
        kind=contra.kind,
        values=[
            DifferingValue(value=cl.value, articles=list(arts))
            for cl, arts in zip(contra.claims, backers, strict=True)
        ],
    )


def _norm(text: str) -> str:
    return " ".join(text.split())


class ExtractiveSummarizer(StoryStage):
    """Sets ``story.summary``: the best-supported, central statements, each citing every article that states it."""

    name = "summarise"

    def __init__(self, settings: SummariseSettings, link: LinkSettings) -> None:
        super().__init__()
        self.settings = settings
        self.link = link

    # ---------------------------------------------------------------------------------- stage
    def analyse(self, story: Story, articles: Mapping[str, Article]) -> None:
        story.summary = self.summarise(story, articles)

    def summarise(self, story: Story, articles: Mapping[str, Article]) -> list[SummarySentence]:
        """The summary for one story (does not modify the story)."""
        arts = [ensure_sentences(articles[a]) for a in story.articles if a in articles]
        pool = self._candidates(arts)
        if not pool:
            return []
        groups = story.source_group_of()
        for c in pool:
            groups.setdefault(c.article, len(groups) + 1000)  # articles outside story.articles
        vectors = get_embedder(self.link.embedding_model).embed([c.text for c in pool])
        sims = vectors @ vectors.T
        self._link_statements(story, pool, sims, {a.id: a for a in arts})
        derived = {
            link.article
            for link in story.provenance
            if link.directed and link.relation in ("duplicate", "translation")
        }
        for c in pool:
            c.support = story.count_sources([c.article, *sorted(c.equivalents)])
            if c.article in derived and c.equivalents - derived:
                # A copy or translation says it second-hand (a translation garbles it): quote the
                # original, which cites this article too.
                c.superseded = True
        self._time_penalties(story, arts, pool)
        self._score(story, arts, pool, vectors, groups)
        backers = _mark_sides(
            story.contradictions, pool, self.settings.equivalence_min_overlap, story.articles
        )
        support = [[story.count_sources(arts) for arts in sides] for sides in backers]
        chosen, settled = self._select(pool, sims, support)
        published = {a.id: a.published for a in arts}
        return [
            SummarySentence(
                text=c.text,
                citations=self._citations(c, story),
                sources_differ=[
                    _differ(story.contradictions[k], backers[k]) for k, uid in settled.items() if uid == c.uid
                ],
            )
            for c in self._order(chosen, published, self._lead(story, arts, chosen))
        ]

    # ----------------------------------------------------------------------------- candidates
    def _candidates(self, arts: Sequence[Article]) -> list[Candidate]:
        s = self.settings
        # Summaries are written in the story's main language; other-language versions still count
        # as support through facts and provenance, but their sentences are not quoted.
        langs = [a.language for a in arts if a.language]
        main = max(set(langs), key=langs.count) if langs else ""
        pool: list[Candidate] = []
        for art in arts:
            if main and art.language and art.language != main:
                continue
            pool.extend(
                collect_candidates(
                    art,
                    min_words=s.min_sentence_words,
                    max_words=s.max_sentence_words,
                    max_per_article=s.max_candidates_per_article,
                    pronoun_penalty=s.pronoun_penalty,
                    connective_penalty=s.connective_penalty,
                )
            )
        for uid, cand in enumerate(pool):
            cand.uid = uid
        return pool

    # ----------------------------------------------------------------------------- statements
    def _link_statements(
        self, story: Story, pool: list[Candidate], sims: npt.NDArray[np.float32], by_id: Mapping[str, Article]
    ) -> None:
        """Mark candidates of different articles that state the same thing as equivalent.

        Two wordings that differ in a number or a date are never the same statement, and an article
        that gives a different value for something a candidate states never cites it.
        """
        threshold = self.link.sentence_match_threshold
        min_overlap = self.settings.equivalence_min_overlap
        quantities = [extract_quantities(c.text) for c in pool]
        rows, cols = np.nonzero(np.triu(sims >= threshold, k=1))
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
            a, b = pool[i], pool[j]
            if a.article == b.article:
                continue
            if _overlap(a.tokens, b.tokens) < min_overlap:
                continue  # same topic, different claim ("X will meet Y" vs "X met Z")
            if _conflict(quantities[i], quantities[j]):
                continue  # a different number or date: the other side of a disagreement
            a.equivalents.add(b.article)
            b.equivalents.add(a.article)
            a.same_as.add(j)
            b.same_as.add(i)
        # Aligned facts are the fact stage's word on what states the same thing.
        index = {(c.article, c.sentence.index): c for c in pool}
        for fact in story.facts:
            members = [
                index[(m.article, m.sentence)] for m in fact.mentions if (m.article, m.sentence) in index
            ]
            wordings = [(m.article, extract_quantities(m.text)) for m in fact.mentions]
            for c in members:
                mine = quantities[c.uid]
                c.equivalents.update(a for a, qs in wordings if a != c.article and not _conflict(mine, qs))
                c.same_as.update(
                    m.uid for m in members if m is not c and not _conflict(mine, quantities[m.uid])
                )
        # Articles on the other side of a contradiction about what a candidate states never cite it,
        # even when another of their sentences is close to it.
        for c in pool:
            mine = quantities[c.uid]
            for contra in story.contradictions:
                stated = [
                    cl
                    for cl in contra.claims
                    if c.article in cl.articles
                    and (cl.text.strip() == c.text.strip() or _agrees(mine, extract_quantities(cl.text)))
                ]
                if not stated:
                    continue
                ours = {a for cl in stated for a in cl.articles}
                theirs = {a for cl in contra.claims if cl not in stated for a in cl.articles} - ours
                c.equivalents -= theirs
                c.same_as = {u for u in c.same_as if pool[u].article not in theirs}
        # Whatever the contradiction stage found: an article whose own values for what the candidate
        # counts or dates all differ from it is a witness against it, not a citation.
        article_quantities: dict[str, list[Quantity]] = {}
        for c in pool:
            mine = quantities[c.uid]
            if not mine or not c.equivalents:
                continue
            against: set[str] = set()
            for aid in c.equivalents:
                if aid not in by_id:
                    continue
                if aid not in article_quantities:
                    article_quantities[aid] = [
                        q for sent in by_id[aid].sentences for q in extract_quantities(sent.text)
                    ]
                if _conflict(mine, article_quantities[aid]):
                    against.add(aid)
            if against:
                c.equivalents -= against
                c.same_as = {u for u in c.same_as if pool[u].article not in against}

    # --------------------------------------------------------------------------------- scores
    def _time_penalties(self, story: Story, arts: Sequence[Article], pool: list[Candidate]) -> None:
        """Penalise what a reader cannot place in time: a preview written before the event, and a
        sentence whose only dates are relative ("today", "on Tuesday") to a publish date the summary
        does not show."""
        s = self.settings
        by_id = {a.id: a for a in arts}
        absolute = {(a.id, d.sentence) for a in arts for d in a.dates if _placeable(d)}
        relative = {(a.id, d.sentence) for a in arts for d in a.dates if not _placeable(d)}
        for c in pool:
            art = by_id[c.article]
            key = (c.article, c.sentence.index)
            if art.dates:
                only_relative = key in relative and key not in absolute
            else:
                only_relative = bool(_RELATIVE_WORDS.search(c.text)) and not _ABSOLUTE_DATE.search(c.text)
            if only_relative:
                c.penalty *= s.relative_date_penalty
            published = art.published_date
            if story.event_date and published and published < story.event_date:
                c.penalty *= s.preview_penalty  # superseded by reports written after the event

    def _score(
        self,
        story: Story,
        arts: Sequence[Article],
        pool: list[Candidate],
        vectors: npt.NDArray[np.float32],
        groups: dict[str, int],
    ) -> None:
        s = self.settings
        member_groups = np.array([groups[c.article] for c in pool])
        unique_groups = sorted(set(member_groups.tolist()))
        n_groups = len(unique_groups)

        # Embedding centroid with one vote per independent source group (a copy does not pull twice).
        group_means = np.stack([vectors[member_groups == g].mean(axis=0) for g in unique_groups])
        centroid = group_means.mean(axis=0)
        norm = float(np.linalg.norm(centroid)) or 1.0
        central = _minmax((vectors @ (centroid / norm)).astype(np.float64))

        # Word weights: the share of source groups that use the word. Words every source uses are
        # what the story is about; a word one source uses is its own angle.
        group_tokens: dict[int, set[str]] = defaultdict(set)
        for c, g in zip(pool, member_groups.tolist(), strict=True):
            group_tokens[g].update(c.tokens)
        df: dict[str, int] = defaultdict(int)
        for toks in group_tokens.values():
            for t in toks:
                df[t] += 1
        lexical = np.array(
            [
                sum(df[t] / n_groups for t in c.tokens) / max(len(c.tokens) + s.lexical_length_prior, 1.0)
                for c in pool
            ]
        )
        lexical = _minmax(lexical)

        # Phrases (word pairs) that other independent sources repeat: the wording of shared facts.
        bigrams = [_bigrams(c.text) for c in pool]
        group_bigrams: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for bg, g in zip(bigrams, member_groups.tolist(), strict=True):
            group_bigrams[g].update(bg)
        bdf: dict[tuple[str, str], int] = defaultdict(int)
        for bset in group_bigrams.values():
            for b in bset:
                bdf[b] += 1
        shared = np.array(
            [
                sum(bdf[b] - 1 for b in bg) / max(n_groups - 1, 1) / (len(bg) + s.lexical_length_prior)
                for bg in bigrams
            ]
        )
        shared = _minmax(shared)

        position = np.array([1.0 / (1.0 + c.position) ** s.position_decay for c in pool])
        support = np.array(
            [(c.support - 1) / (n_groups - 1) if n_groups > 1 else 0.0 for c in pool], dtype=np.float64
        )
        entities = _minmax(self._entity_salience(story, arts, pool, n_groups, groups))
        # Headlines are each outlet's own one-line summary: sentences close to them carry the news.
        titles = [a.title for a in arts if a.title.strip()]
        headline = np.zeros(len(pool))
        if titles:
            title_vectors = get_embedder(self.link.embedding_model).embed(titles)
            headline = _minmax((vectors @ title_vectors.T).mean(axis=1).astype(np.float64))

        total = (
            s.weight_centrality * central
            + s.weight_lexical * lexical
            + s.weight_position * position
            + s.weight_support * support
            + s.weight_entities * entities
            + s.weight_headline * headline
            + s.weight_phrases * shared
        )
        for c, value in zip(pool, total.tolist(), strict=True):
            c.score = value * c.penalty

    def _entity_salience(
        self,
        story: Story,
        arts: Sequence[Article],
        pool: list[Candidate],
        n_groups: int,
        groups: dict[str, int],
    ) -> npt.NDArray[np.float64]:
        """Sum over the sentence's entities of the share of source groups that mention them.

        Also records each candidate's facets (entities, "when", "where") for coverage in selection.
        """
        names: dict[str, float] = {}
        if story.entities:
            for ent in story.entities:
                if ent.type not in _ENTITY_LABELS:
                    continue
                weight = story.count_sources(ent.articles) / max(n_groups, 1)
                for name in (ent.name, *ent.aliases):
                    key = name.lower().strip()
                    if len(key) > 1:
                        names[key] = max(names.get(key, 0.0), weight)
        else:
            seen: dict[str, set[int]] = defaultdict(set)
            for art in arts:
                mentions = [m.text for m in art.mentions if m.label in _ENTITY_LABELS]
                if not mentions:
                    mentions = [m.group(0) for s in art.sentences for m in _CAPITALISED.finditer(s.text)]
                for text in mentions:
                    seen[text.lower().strip()].add(groups.get(art.id, -1))
            names = {k: len(v) / max(n_groups, 1) for k, v in seen.items() if len(k) > 1 and len(v) > 1}
        by_id = {a.id: a for a in arts}
        # "when": a date the reader can place. The event's own date (or any absolute date when the
        # timeline found no event date) counts fully; "today", "on Tuesday" count half.
        dated: dict[tuple[str, int], float] = {}
        for a in arts:
            for d in a.dates:
                on_event = story.event_date is None or d.value == story.event_date
                value = (1.0 if _placeable(d) else 0.5) * (1.0 if on_event else 0.5)
                spot = (a.id, d.sentence)
                dated[spot] = max(dated.get(spot, 0.0), value)
        placed = {(a.id, m.sentence) for a in arts for m in a.mentions if m.label in _PLACE_LABELS}
        places = [p.lower() for p in story.places if p.strip()]
        pattern = (
            re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b")
            if names
            else None
        )
        out = np.zeros(len(pool))
        for i, c in enumerate(pool):
            lowered = c.text.lower()
            found = {m.group(0) for m in pattern.finditer(lowered)} if pattern else set()
            out[i] = sum(names[f] for f in found)
            c.facets = {f"entity:{f}": names[f] for f in found}
            where = (c.article, c.sentence.index)
            annotated = bool(by_id[c.article].dates or by_id[c.article].mentions)
            if where in dated:
                c.facets["when"] = dated[where]
            elif not annotated and _DATE_WORDS.search(c.text):
                c.facets["when"] = 1.0 if _ABSOLUTE_DATE.search(c.text) else 0.5
            if where in placed or any(p in lowered for p in places):
                c.facets["where"] = 1.0
        return out

    # ------------------------------------------------------------------------------ selection
    def _select(
        self, pool: list[Candidate], sims: npt.NDArray[np.float32], support: Sequence[Sequence[int]]
    ) -> tuple[list[Candidate], dict[int, int]]:
        """Greedy selection within the budget: score, plus what the sentence adds (entities, when,
        where) that the chosen ones do not yet say, minus its similarity to them (MMR); never two
        sentences that state the same thing, nor two sides of one disagreement.

        Returns the chosen candidates and, per contradiction the summary states, the uid of the one
        sentence that states it (``support[k][s]``: independent sources behind side ``s`` of ``k``).
        """
        s = self.settings
        order = sorted((i for i, c in enumerate(pool) if not c.superseded), key=lambda i: -pool[i].score)
        top_entities = max((self._gain(c, set(), 1.0)[0] for c in pool), default=0.0) or 1.0
        chosen: list[int] = []
        covered: set[str] = set()
        settled: dict[int, tuple[int, int]] = {}  # contradiction -> (side, uid of the sentence stating it)
        used_words = 0
        while order:
            if s.max_words > 0:
                if used_words >= s.max_words:
                    break
            elif len(chosen) >= s.max_sentences:
                break
            best, best_value = -1, -np.inf
            for i in order:
                if pool[i].score + s.weight_coverage < best_value:
                    break  # sorted by score; coverage adds at most weight_coverage
                entity_gain, when, where = self._gain(pool[i], covered, top_entities)
                gain = (entity_gain + when + where) / 3.0
                redundancy = max((float(sims[i, j]) for j in chosen), default=0.0)
                value = pool[i].score + s.weight_coverage * gain - s.redundancy_weight * max(redundancy, 0.0)
                if value > best_value:
                    best, best_value = i, value
            order.remove(best)
            if _restates(pool[best], settled):
                continue  # the summary already gives this disputed claim, with its note
            if any(self._repeats(pool[best], pool[j], float(sims[best, j])) for j in chosen):
                continue
            past_minimum = s.max_words <= 0 and chosen and len(chosen) >= s.min_sentences
            if past_minimum and pool[best].score < s.min_relative_score * pool[chosen[0]].score:
                break  # stop before the summary turns to marginal detail
            best = self._best_side(best, pool, order, chosen, settled, sims, support)
            best = self._wording(best, pool, covered, chosen, sims, settled)
            cand = pool[best]
            chosen.append(best)
            for k, side in cand.sides.items():
                settled.setdefault(k, (side, cand.uid))
            covered.update(cand.facets)
            used_words += cand.words
        return [pool[i] for i in chosen], {k: uid for k, (_, uid) in settled.items()}

    def _best_side(
        self,
        best: int,
        pool: list[Candidate],
        order: list[int],
        chosen: list[int],
        settled: Mapping[int, tuple[int, int]],
        sims: npt.NDArray[np.float32],
        support: Sequence[Sequence[int]],
    ) -> int:
        """When the chosen sentence opens a disagreement, the sentence for its best-supported side.

        The scorer may prefer the minority's wording (it may be the lead, or say more); the summary
        still gives the value most independent sources give, and notes the others beside it. A side
        no clean sentence states leaves the choice as it is (the note still shows every value).
        """
        cand = pool[best]
        opened = [k for k in cand.sides if k not in settled]
        if not opened:
            return best

        def backing(i: int) -> tuple[int, ...]:
            return tuple(support[k][pool[i].sides[k]] if k in pool[i].sides else -1 for k in opened)

        rivals = [
            i
            for i in order
            if all(k in pool[i].sides for k in opened)
            and not _restates(pool[i], settled)
            and not any(self._repeats(pool[i], pool[j], float(sims[i, j])) for j in chosen)
        ]
        better = [i for i in rivals if backing(i) > backing(best)]
        if not better:
            return best
        pick = max(better, key=lambda i: (backing(i), pool[i].score))  # order is by score: ties keep it
        order.remove(pick)  # ``best`` is left out: it gives a side the summary no longer states
        return pick

    def _wording(
        self,
        best: int,
        pool: list[Candidate],
        covered: set[str],
        chosen: list[int],
        sims: npt.NDArray[np.float32],
        settled: Mapping[int, tuple[int, int]],
    ) -> int:
        """Among the versions of the chosen statement, the one that also says when, then where.

        Sources word one fact differently and only some say when or where it happened; a summary
        that never dates its event is worse for it. Only versions scoring close to the best compete,
        and only those giving the same side of every disagreement the chosen one takes part in.
        """
        floor = self.settings.wording_min_score * pool[best].score
        sides = {**settled, **{k: (side, best) for k, side in pool[best].sides.items() if k not in settled}}

        def key(i: int) -> tuple[float, float, float]:
            c = pool[i]
            when = c.facets.get("when", 0.0) if "when" not in covered else 0.0
            where = c.facets.get("where", 0.0) if "where" not in covered else 0.0
            return (when, where, c.score)

        versions = [
            i
            for i in pool[best].same_as
            if not pool[i].superseded
            and pool[i].score >= floor
            and pool[i].sides.keys() == pool[best].sides.keys()
            and not _contradicts(pool[i], sides)
            and not _restates(pool[i], settled)
            and not any(self._repeats(pool[i], pool[j], float(sims[i, j])) for j in chosen)
        ]
        return max([best, *versions], key=key)

    @staticmethod
    def _gain(cand: Candidate, covered: set[str], top_entities: float) -> tuple[float, float, float]:
        """What the sentence adds that the summary does not say yet: (entities, when, where), each 0..1."""
        entities = sum(v for f, v in cand.facets.items() if f.startswith("entity:") and f not in covered)
        when = cand.facets.get("when", 0.0) if "when" not in covered else 0.0
        where = cand.facets.get("where", 0.0) if "where" not in covered else 0.0
        return entities / top_entities, when, where

    def _repeats(self, cand: Candidate, other: Candidate, sim: float) -> bool:
        """Whether ``cand`` restates ``other``: close in meaning, one statement, or mostly its words.

        When both count the same thing (the same counted noun), their numbers are set aside for the
        words test: "Police arrested 14 protesters in 3 cities" restates "Police arrested 40
        protesters across 5 cities" whatever the figures. Other numbers stay words: a year, a sum or
        a share does not say what it is of, and "a plan that costs $700 a week" is news beside "a
        $27,000 suit" even when the rest of the wording is alike.
        """
        if sim >= self.settings.redundancy_threshold:
            return True
        if other.uid in cand.same_as:
            return True
        limit = self.settings.redundancy_overlap
        if _overlap(cand.tokens, other.tokens) >= limit:
            return True
        if _overlap(cand.topic, other.topic) < limit:
            return False
        theirs = [o for o in extract_quantities(other.text) if o.kind == "count"]
        return any(comparable(q, o) for q in extract_quantities(cand.text) for o in theirs)

    # ------------------------------------------------------------------------------- ordering
    @classmethod
    def _lead(cls, story: Story, arts: Sequence[Article], chosen: list[Candidate]) -> Candidate | None:
        """The sentence that opens the summary when time order would open with background: the best-scored
        chosen sentence that states the event (None: plain time order).

        Background is what a preview written before the event says, and a sentence about an earlier day
        ("during his April 12 visit"): the first sentence a reader sees should state the event itself.
        """
        if not chosen or story.event_date is None:
            return None
        event = story.event_date
        before = {a.id for a in arts if a.published_date and a.published_date < event}
        by_id = {a.id: a for a in arts}

        def background(c: Candidate) -> bool:
            if c.article in before and not c.equivalents - before:
                return True  # only previews say it
            art = by_id.get(c.article)
            dates = [d for d in (art.dates if art else []) if d.sentence == c.sentence.index]
            return any(d.precision == "day" and d.value < event for d in dates)

        published = {a.id: a.published for a in arts}
        if not background(cls._order(chosen, published)[0]):
            return None  # time order already opens with the event
        stating = [c for c in chosen if not background(c)]
        return max(stating, key=lambda c: c.score) if stating else None

    @staticmethod
    def _order(
        chosen: list[Candidate], published: Mapping[str, object], lead: Candidate | None = None
    ) -> list[Candidate]:
        """The lead first, then time (the day the statement was first reported), then importance."""

        def first_reported(c: Candidate) -> str:
            dates = [published.get(a) for a in (c.article, *c.equivalents)]
            days = sorted(d.date().isoformat() for d in dates if d is not None and hasattr(d, "date"))
            return days[0] if days else "9999-99-99"  # undated statements after dated ones

        rest = sorted((c for c in chosen if c is not lead), key=lambda c: (first_reported(c), -c.score))
        return [lead, *rest] if lead is not None else rest

    @staticmethod
    def _citations(cand: Candidate, story: Story) -> list[str]:
        """The article quoted first, then every other article that states it, in story order."""
        rank = {a: i for i, a in enumerate(story.articles)}
        others = sorted(cand.equivalents - {cand.article}, key=lambda a: (rank.get(a, len(rank)), a))
        return [cand.article, *others]


__all__ = ["ExtractiveSummarizer", "content_tokens"]
