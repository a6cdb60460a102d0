"""Typed records that flow through the pipeline.

Per-article records are filled in stage by stage (read → clean → annotate); story records are
built by the link / group / analyse / summarise stages. Nothing is passed between stages as a dict.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

InputStatus = Literal["ok", "skipped", "failed"]
SourceFormat = Literal["text", "html"]
Precision = Literal["day", "month", "year"]
Relation = Literal["duplicate", "translation", "contains", "shares"]


# --------------------------------------------------------------------------------------------
# inputs and articles
# --------------------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class InputRecord:
    """One input the user gave us (a file, a JSONL line, a URL) and what became of it."""

    id: str
    location: str
    status: InputStatus = "ok"
    reason: str = ""
    code: str = ""  # stable reason code (see errors.Reason), empty when ok


@dataclass(slots=True, kw_only=True)
class RemovedBlock:
    """A block of text the cleaner removed, with the reason (for audits and counts)."""

    text: str
    reason: str  # e.g. "teaser_list", "widget", "caption", "byline", "header"


@dataclass(slots=True, kw_only=True)
class Paragraph:
    index: int
    text: str
    start: int  # char offset in Article.text
    is_heading: bool = False


@dataclass(slots=True, kw_only=True)
class Mention:
    """An entity mention inside one sentence (offsets relative to the article text)."""

    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, DATE, CARDINAL, ...
    start: int
    end: int
    sentence: int  # index into Article.sentences


@dataclass(slots=True, kw_only=True)
class DateMention:
    """A date expression resolved against the article's publish date."""

    text: str
    value: dt.date
    precision: Precision
    start: int
    end: int
    sentence: int
    relative: bool = False  # resolved from "on Thursday", "last month", ...
    span_days: int = 1  # days covered from ``value`` at day precision ("last week": 7, from its Monday)


@dataclass(slots=True, kw_only=True)
class Sentence:
    index: int  # position in the article (0-based)
    text: str
    start: int
    end: int
    paragraph: int

    def sid(self, article_id: str) -> str:
        return f"{article_id}#{self.index}"


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceParse:
    """Some sentences of an article as the annotate stage parsed them, for a later stage to read.

    The positions live here rather than in each doc's user_data: decoding per-doc user_data costs more
    than the docs themselves.
    """

    docs: bytes  # spaCy DocBin: one doc per sentence, in the order below
    sentences: tuple[int, ...]  # index in Article.sentences of each doc
    offsets: tuple[int, ...]  # char offset of each doc's text in Article.text
    text_hash: int  # hash(Article.text) when parsed: a changed text has a stale parse (this process only)


@dataclass(slots=True, kw_only=True)
class Article:
    """One news article; stages fill the fields below the divider."""

    id: str
    location: str
    source_format: SourceFormat = "text"
    raw: str = ""  # the text or HTML as read
    title: str = ""
    title_derived: bool = False  # no title line: the title was made from the first sentence
    outlet: str = ""
    url: str = ""
    published: dt.datetime | None = None
    original_title: str = ""  # an "Original: ..." line: the title in the source language
    # --- clean
    text: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    removed: list[RemovedBlock] = field(default_factory=list)
    boilerplate_chars: int = 0
    # --- annotate
    language: str = ""
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    # Run-time cache, never written out (brief, store): the annotate stage's parse of the sentences the
    # quote extractor reads, so that it need not parse them again. None: nothing kept.
    sentence_parse: SentenceParse | None = field(default=None, repr=False, compare=False)

    @property
    def chars(self) -> int:
        return len(self.text)

    @property
    def published_date(self) -> dt.date | None:
        return self.published.date() if self.published else None


# --------------------------------------------------------------------------------------------
# story-level records (the brief)
# --------------------------------------------------------------------------------------------


@dataclass(slots=True, kw_only=True)
class Passage:
    """Evidence: a sentence of one article aligned with a sentence of another."""

    article: str
    text: str
    derived_text: str
    score: float


@dataclass(slots=True, kw_only=True)
class ProvenanceLink:
    article: str  # the derived article (or either, when undirected)
    derived_from: str
    relation: Relation
    score: float
    directed: bool = True
    evidence: list[Passage] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Entity:
    id: str
    name: str
    type: str  # PERSON, ORG, GPE, LOC, NORP, ...
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    mentions: int = 0


@dataclass(slots=True, kw_only=True)
class QuoteVariant:
    article: str
    text: str


@dataclass(slots=True, kw_only=True)
class Quote:
    speaker: str
    speaker_entity: str | None
    text: str
    articles: list[str] = field(default_factory=list)
    variants: list[QuoteVariant] = field(default_factory=list)
    cue: str = ""
    direct: bool = True


@dataclass(slots=True, kw_only=True)
class FactMention:
    """One article's wording of a fact."""

    article: str
    sentence: int
    text: str


@dataclass(slots=True, kw_only=True)
class Fact:
    id: str
    text: str
    articles: list[str] = field(default_factory=list)
    independent_sources: int = 0
    mentions: list[FactMention] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Claim:
    value: str
    text: str
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Contradiction:
    about: str
    claims: list[Claim] = field(default_factory=list)
    kind: str = ""  # "year", "date", "count", "age", "duration", "amount", "place", ...


@dataclass(slots=True, kw_only=True)
class TimelineEntry:
    date: dt.date
    precision: Precision
    text: str
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class DifferingValue:
    """One side of a disagreement as a summary sentence reports it: the value and who gives it."""

    value: str
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class SourcesDiffer:
    """A summary sentence states a claim the sources disagree on: the reader sees every value beside it,
    so the one the sentence gives is not taken for settled fact."""

    about: str
    kind: str = ""
    values: list[DifferingValue] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class SummarySentence:
    text: str
    citations: list[str] = field(default_factory=list)
    sources_differ: list[SourcesDiffer] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Story:
    """A story: a group of articles about one event, and everything storydesk found out about it."""

    id: str
    articles: list[str] = field(default_factory=list)
    headline: str = ""
    event_date: dt.date | None = None
    places: list[str] = field(default_factory=list)
    source_groups: list[list[str]] = field(default_factory=list)
    provenance: list[ProvenanceLink] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)

    def source_group_of(self) -> dict[str, int]:
        """Map article id → index of its independent source group (each article alone if unknown)."""
        out: dict[str, int] = {}
        for i, group in enumerate(self.source_groups):
            for aid in group:
                out[aid] = i
        n = len(self.source_groups)
        for aid in self.articles:
            if aid not in out:
                out[aid] = n
                n += 1
        return out

    def count_sources(self, article_ids: list[str]) -> int:
        """Number of independent source groups behind these articles (a copy never counts twice)."""
        groups = self.source_group_of()
        return len({groups.get(a, -1 - i) for i, a in enumerate(article_ids)})


@dataclass(slots=True, kw_only=True)
class StageStats:
    name: str
    items_in: int = 0
    items_out: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    extra: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True, kw_only=True)
class Brief:
    inputs: list[InputRecord] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    stats: dict[str, StageStats] = field(default_factory=dict)
