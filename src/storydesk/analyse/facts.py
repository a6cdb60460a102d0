"""Facts: statements made by several articles, aligned across sources and counted once per source.

Two sentences from different articles are one fact when they *say the same thing*, not merely talk
about the same topic. A sentence embedding (annotate/embeddings.py) proposes pairs; the pair is kept
only when the meaning is close AND the sentences share an anchor (an entity, a number, a date, or most
of their content words), because embeddings put "Volkov met Trump" and "Volkov met Harlow" close
together. Aligned pairs are clustered with an average-link rule (no chaining through a sentence that
is close to two different facts). ``independent_sources`` goes through :meth:`Story.count_sources`,
so a translation or a reprint of an article never counts as a second source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from storydesk.analyse.numbers import (
    STOPWORDS,
    DateResolver,
    extract_quantities,
    format_value,
    resolve_undated,
    singular,
)
from storydesk.annotate.embeddings import Matrix, get_embedder
from storydesk.records import Article, Fact, FactMention, Story
from storydesk.settings import AnalyseSettings, LinkSettings
from storydesk.stage import StoryStage

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?", re.UNICODE)
_MIN_WORDS = 5
_MAX_WORDS = 90  # longer "sentences" are usually merged teaser lists or tables
_CLAUSE_MIN_SENTENCE_WORDS = 18  # shorter sentences are one statement
# Derived articles (copies, translations, bundles) are the worst place to take a fact's wording from.
_DERIVED = ("duplicate", "translation", "contains")


def content_words(text: str) -> frozenset[str]:
    """Lower-cased, crudely singularised content words (numbers and stop words dropped)."""
    return frozenset(
        singular(w) for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in STOPWORDS and len(w) > 2
    )


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap coefficient: shared / size of the smaller set (a paraphrase may add words)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice coefficient: unlike :func:`overlap`, a short fragment inside a long sentence scores low."""
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


# Clause boundaries inside long sentences: a statement is often one clause of a longer sentence
# ("On Thursday, the minister will attend the meeting, where the US will hand over the chair").
# Dashes are not boundaries: they usually open an aside ("his visit—the first since 2013—is a sign").
_CLAUSE = re.compile(
    r"\s*(?:;|,\s+(?=(?:where|which|when|while|whereas|but|although|though|who|during which)\b))\s*"
)
_RELATIVE_OPENING = re.compile(r"(?:which|who|whom|whose)\b")
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$|[\"”’»]$")


def clauses(text: str) -> list[tuple[int, str]]:
    """(offset, text) of the clauses of a long sentence that are long enough to state something."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _CLAUSE.finditer(text):
        out.append((pos, text[pos : m.start()]))
        pos = m.end()
    out.append((pos, text[pos:]))
    # A clause opened by a relative pronoun ("which was reported to be...", "who asked not to be named")
    # says something of a word left in the clause before it: on its own it states nothing a reader can
    # check. "where"/"when" clauses keep their own subject ("where the United States will hand over...").
    return [
        (o, c.strip()) for o, c in out if len(c.split()) >= _MIN_WORDS and not _RELATIVE_OPENING.match(c.strip())
    ]


@dataclass(slots=True)
class Statement:
    """One candidate sentence (or clause of a long sentence) of one article, with its anchors."""

    article: str
    sentence: int
    text: str
    position: float  # 0 = first sentence of the article, 1 = last
    words: frozenset[str]
    anchors: frozenset[str]  # entity names, normalised numbers and dates
    language: str = ""
    clause: bool = False  # a clause cut from a longer sentence (``text`` is the clause)

    @property
    def specific(self) -> frozenset[str]:
        """Numbers and dates: the anchors that pin a statement down."""
        return frozenset(a for a in self.anchors if a[0] in "ND")


def entity_keys(story: Story) -> dict[str, str]:
    """Lower-cased name or alias → canonical entity id, so "Kolbi" and "Colby" anchor alike."""
    keys: dict[str, str] = {}
    for entity in story.entities:
        for name in (entity.name, *entity.aliases):
            keys.setdefault(name.lower(), entity.id)
    return keys


_PRECISION_CHARS = {"year": 4, "month": 7, "day": 10}


def statement_anchors(article: Article, index: int, keys: Mapping[str, str], span: tuple[int, int]) -> frozenset[str]:
    """Entities, numbers and dates stated in one sentence span, normalised to comparable strings."""
    sentence = article.sentences[index]
    lo, hi = sentence.start + span[0], sentence.start + span[1]
    out: set[str] = set()
    for m in article.mentions:
        if m.sentence != index or m.label in ("CARDINAL", "ORDINAL", "DATE", "TIME", "QUANTITY", "MONEY", "PERCENT"):
            continue
        if m.end <= lo or m.start >= hi:
            continue
        name = m.text.lower().strip()
        if name:
            out.add("E:" + keys.get(name, name.split()[-1]))
    for d in article.dates:
        if d.sentence == index and lo <= d.start < hi:
            out.add("D:" + d.value.isoformat()[: _PRECISION_CHARS[d.precision]])
    for q in extract_quantities(sentence.text[span[0] : span[1]]):
        out.add("N:" + (str(int(q.value)) if q.kind == "year" else format_value(q)))
    return frozenset(out)


def collect_statements(story: Story, articles: Mapping[str, Article]) -> list[Statement]:
    """Sentences (and clauses of long ones) that can carry a fact: no headings, captions or fragments."""
    keys = entity_keys(story)
    out: list[Statement] = []
    for aid in story.articles:
        article = articles.get(aid)
        if article is None or not article.sentences:
            continue
        headings = {p.index for p in article.paragraphs if p.is_heading}
        n = len(article.sentences)
        for s in article.sentences:
            text = s.text.strip()
            n_words = len(text.split())
            # Headlines, captions and teasers rarely end like a sentence; statements do.
            if s.paragraph in headings or n_words < _MIN_WORDS or n_words > _MAX_WORDS or not _TERMINAL.search(text):
                continue
            offset = s.text.index(text)
            spans = [(offset, text, False)]
            if n_words >= _CLAUSE_MIN_SENTENCE_WORDS:
                parts = clauses(text)
                if len(parts) > 1:
                    spans += [(offset + o, c, True) for o, c in parts]
            for start, piece, is_clause in spans:
                out.append(
                    Statement(
                        article=aid, sentence=s.index, text=piece, position=s.index / max(1, n - 1),
                        words=content_words(piece),
                        anchors=statement_anchors(article, s.index, keys, (start, start + len(piece))),
                        language=article.language, clause=is_clause,
                    )
                )
    return prune_common_anchors(out)


def prune_common_anchors(statements: list[Statement], max_share: float = 0.2, max_article_share: float = 0.6) -> list[Statement]:
    """Drop entity anchors that the story mentions everywhere: in a story about Volkov's visit,
    "Volkov" anchors nothing. Numbers and dates always stay (they pin one statement down)."""
    sentences: dict[str, set[tuple[str, int]]] = {}
    for s in statements:
        for a in s.anchors:
            sentences.setdefault(a, set()).add((s.article, s.sentence))
    n = len({(s.article, s.sentence) for s in statements})
    n_articles = len({s.article for s in statements})
    common = set()
    for anchor, where in sentences.items():
        if anchor[0] != "E":
            continue
        n_in = len({aid for aid, _ in where})
        if len(where) > max(2.0, max_share * n) or (n_in >= 3 and n_in >= max_article_share * n_articles):
            common.add(anchor)
    for s in statements:
        s.anchors = s.anchors - common
    return statements


def embed_statements(statements: Sequence[Statement], link: LinkSettings) -> Matrix:
    """English-only stories use the fast English model; mixed languages need the multilingual one."""
    languages = {s.language for s in statements if s.language}
    english_only = not languages or languages == {"en"}
    name = link.embedding_model if english_only else link.multilingual_model
    if not statements:
        return np.zeros((0, 1), dtype=np.float32)
    return get_embedder(name).embed([s.text for s in statements])


@dataclass(slots=True)
class AlignmentThresholds:
    """When two statements count as the same statement (see :func:`same_statement`)."""

    cosine: float = 0.75  # meaning close enough on its own terms, given shared wording and an anchor
    anchored_cosine: float = 0.6  # enough when a number or date AND wording are shared
    paraphrase_cosine: float = 0.85  # near-verbatim: no anchor needed (quotes, opinions)
    min_dice: float = 0.3  # shared content words (Dice) below which meaning alone never suffices
    anchored_dice: float = 0.35  # shared wording needed on top of a shared number or date
    paraphrase_dice: float = 0.5


def same_statement(a: Statement, b: Statement, cosine: float, t: AlignmentThresholds) -> bool:
    """Meaning close AND anchored: shared entities/numbers/dates and shared wording."""
    cross_language = bool(a.language and b.language and a.language != b.language)
    if cross_language:
        # Words are not comparable across languages; names, numbers and dates mostly survive.
        return cosine >= t.cosine and bool(a.anchors & b.anchors)
    lex = dice(a.words, b.words)
    if lex < t.min_dice:
        return False
    if cosine >= t.paraphrase_cosine and lex >= t.paraphrase_dice:
        return True
    if cosine >= t.cosine and (a.anchors & b.anchors or lex >= t.paraphrase_dice):
        return True
    return cosine >= t.anchored_cosine and lex >= t.anchored_dice and bool(a.specific & b.specific)


def align(
    statements: Sequence[Statement], vectors: Matrix, thresholds: AlignmentThresholds
) -> list[list[int]]:
    """Groups of statement indices (from at least two articles) that state the same thing.

    Candidate edges join statements of different articles; clusters merge greedily from the
    strongest edge down, and only while most cross pairs between the two clusters are themselves the
    same statement: one sentence close to two different facts cannot chain them together.
    """
    n = len(statements)
    if n < 2:
        return []
    sims = vectors @ vectors.T
    floor = min(thresholds.cosine, thresholds.anchored_cosine)
    accepted: set[tuple[int, int]] = set()
    edges: list[tuple[float, int, int]] = []
    rows, cols = np.nonzero(np.triu(sims >= floor, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        a, b = statements[i], statements[j]
        if a.article == b.article:
            continue
        cos = float(sims[i, j])
        if same_statement(a, b, cos, thresholds):
            accepted.add((i, j))
            # Shared numbers and dates make an alignment more certain than the cosine alone says.
            edges.append((cos + 0.1 * len(a.specific & b.specific), i, j))
    edges.sort(key=lambda e: (-e[0], e[1], e[2]))
    owner = list(range(n))
    clusters: dict[int, list[int]] = {i: [i] for i in range(n)}
    for _, i, j in edges:
        ci, cj = owner[i], owner[j]
        if ci == cj:
            continue
        left, right = clusters[ci], clusters[cj]
        # A clause and its own sentence never sit in one fact twice: one statement per sentence.
        if {(statements[k].article, statements[k].sentence) for k in left} & {
            (statements[k].article, statements[k].sentence) for k in right
        }:
            continue
        cross = [(min(x, y), max(x, y)) for x in left for y in right if statements[x].article != statements[y].article]
        if cross and sum(p in accepted for p in cross) * 2 <= len(cross):
            continue
        clusters[ci] = left + right
        for k in right:
            owner[k] = ci
        del clusters[cj]
    return [sorted(m) for m in clusters.values() if len({statements[k].article for k in m}) >= 2]


def derived_articles(story: Story) -> set[str]:
    """Articles known to be copies, translations or bundles of another article in the story."""
    return {p.article for p in story.provenance if p.directed and p.relation in _DERIVED}


def build_fact(
    fid: str, members: Sequence[int], statements: Sequence[Statement], vectors: Matrix, story: Story,
    derived: set[str],
) -> Fact:
    """A fact from aligned statements: one mention per article, the best wording as its text."""
    by_article: dict[str, int] = {}
    group = list(members)
    sims = vectors[group] @ vectors[group].T
    centrality = {k: float(sims[n].mean()) for n, k in enumerate(group)}
    for k in group:
        aid = statements[k].article
        if aid not in by_article or centrality[k] > centrality[by_article[aid]]:
            by_article[aid] = k
    ordered = sorted(by_article.values(), key=lambda k: story.articles.index(statements[k].article))

    def wording_score(k: int) -> tuple[bool, float, int]:
        s = statements[k]
        # An original over its copy or translation; then the most central (typical) wording.
        return (s.article not in derived, round(centrality[k], 2), -abs(len(s.text) - 160))

    best = max(ordered, key=wording_score)
    article_ids = [statements[k].article for k in ordered]
    return Fact(
        id=fid,
        text=statements[best].text,
        articles=article_ids,
        independent_sources=story.count_sources(article_ids),
        mentions=[
            FactMention(article=statements[k].article, sentence=statements[k].sentence, text=statements[k].text)
            for k in ordered
        ],
    )


def drop_covered(facts: Sequence[Fact]) -> list[Fact]:
    """Keep a fact only if it adds a sentence that no better-ranked fact holds (a sentence and one of
    its clauses can both align; the brief should state the fact once)."""
    used: set[tuple[str, int]] = set()
    out: list[Fact] = []
    for fact in facts:
        keys = {(m.article, m.sentence) for m in fact.mentions}
        if keys <= used:
            continue
        used |= keys
        out.append(fact)
    return out


class FactAligner(StoryStage):
    """Sets ``story.facts``: statements several articles make, with their independent-source counts."""

    name = "facts"

    def __init__(self, settings: AnalyseSettings, link: LinkSettings, resolver: DateResolver | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.link = link
        self.resolver = resolver
        self.thresholds = AlignmentThresholds(
            cosine=settings.fact_match_threshold,
            anchored_cosine=min(settings.fact_match_threshold, settings.fact_anchored_threshold),
        )

    def analyse(self, story: Story, articles: Mapping[str, Article]) -> None:
        resolve_undated(story, articles, self.resolver)  # dates are anchors: resolve undated articles first
        statements = collect_statements(story, articles)
        vectors = embed_statements(statements, self.link)
        groups = align(statements, vectors, self.thresholds)
        derived = derived_articles(story)
        facts = [build_fact("", g, statements, vectors, story, derived) for g in groups]
        position = {id(f): min(statements[k].position for k in g) for f, g in zip(facts, groups, strict=True)}
        # Most independent sources first; then most articles; then what the articles say first.
        facts.sort(key=lambda f: (-f.independent_sources, -len(f.articles), position[id(f)]))
        facts = drop_covered(facts)
        facts = facts[: self.settings.max_facts] if self.settings.max_facts > 0 else facts
        for n, fact in enumerate(facts, start=1):
            fact.id = f"F{n}"
        story.facts = facts
        self.stats.extra["statements"] = self.stats.extra.get("statements", 0.0) + len(statements)
        self.stats.extra["facts"] = self.stats.extra.get("facts", 0.0) + len(facts)
