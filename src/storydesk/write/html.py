"""The brief for people: one self-contained HTML page (inline CSS, JS and SVG; works offline).

``render_html`` turns the records into small view records (what each part of the page shows, with the
geometry of the two charts already worked out) and renders the Jinja2 templates in ``templates/`` with
autoescaping on, so article text can never inject markup. Nothing on the page loads from the network.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from storydesk.records import (
    Article,
    Brief,
    Contradiction,
    Entity,
    InputRecord,
    Quote,
    Story,
    SummarySentence,
    TimelineEntry,
)

__all__ = ["build_page", "render_html", "render_template", "write_html"]

# Colour per independent source group (Okabe-Ito, readable for colour-blind readers; dark enough for
# white-on-colour text contrast ≥ 4.5 is not needed: the colours only mark borders and dots).
_PALETTE = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#7a6a00", "#444444")
_RELATION_LABEL = {
    "duplicate": "copy",
    "translation": "translation",
    "contains": "contains",
    "shares": "shares text",
}
# "<derived article> <phrase> <origin>"
_RELATION_PHRASE = {
    "duplicate": "copy of",
    "translation": "translation of",
    "contains": "contains",
    "shares": "shares text with",
}
_ENTITY_TYPE_LABEL = {
    "PERSON": "People",
    "ORG": "Organisations",
    "GPE": "Places",
    "LOC": "Places",
    "FAC": "Places",
    "NORP": "Groups and nationalities",
    "EVENT": "Events",
}
# Graphs with more articles than this show only the articles that take part in a link (the others
# are independent and listed under the graph), so a story of hundreds of articles stays readable.
_GRAPH_MAX_NODES = 12
_SAFE_ID = re.compile(r"[A-Za-z0-9_.:-]+")


# --------------------------------------------------------------------------------------------
# view records
# --------------------------------------------------------------------------------------------


@dataclass(slots=True, frozen=True)
class ArticleRef:
    """How an article is cited on the page: ``[n]`` linking to its panel."""

    id: str
    anchor: str  # the panel's DOM id: "article-<id>"
    number: int
    outlet: str
    title: str

    @property
    def label(self) -> str:
        return f"[{self.number}]"

    @property
    def short(self) -> str:
        """A short name for tight spaces: the outlet, else the title, else the id."""
        return _clip(self.outlet or self.title or self.id, 28)

    @property
    def describe(self) -> str:
        parts = [p for p in (self.outlet, self.title) if p]
        return f"{self.label} " + (" — ".join(parts) if parts else self.id)


@dataclass(slots=True, frozen=True)
class SentenceView:
    anchor: str
    text: str


@dataclass(slots=True)
class ArticleView:
    ref: ArticleRef
    published: str
    url: str  # only http(s) URLs are kept, so a link can never run script
    language: str
    location: str
    original_title: str
    paragraphs: list[list[SentenceView]]
    chars: int
    boilerplate_chars: int
    removed: int
    stories: list[str]


@dataclass(slots=True)
class DifferView:
    """A disagreement noted beside a summary sentence: each value with the articles that give it."""

    about: str
    values: list[tuple[str, list[ArticleRef]]]


@dataclass(slots=True)
class CitedText:
    text: str
    refs: list[ArticleRef]
    differ: list[DifferView] = field(default_factory=list)  # summary sentences only


@dataclass(slots=True, frozen=True)
class MatrixColumn:
    ref: ArticleRef
    group: int
    copy_of: ArticleRef | None  # None for the group's origin
    relation: str


@dataclass(slots=True, frozen=True)
class MatrixGroup:
    label: str
    columns: int
    color: str


@dataclass(slots=True, frozen=True)
class MatrixCell:
    href: str  # "" when the fact's wording in that article is not known
    wording: str


@dataclass(slots=True)
class MatrixRow:
    fact_id: str
    text: str
    cells: list[MatrixCell | None]
    stated_by: int
    independent_sources: int


@dataclass(slots=True)
class Matrix:
    groups: list[MatrixGroup]
    columns: list[MatrixColumn]
    rows: list[MatrixRow]


@dataclass(slots=True)
class ClaimView:
    value: str
    text: str
    refs: list[ArticleRef]
    sources: int


@dataclass(slots=True)
class ContradictionView:
    about: str
    kind: str
    claims: list[ClaimView]


@dataclass(slots=True)
class VariantView:
    ref: ArticleRef | None
    article: str
    text: str


@dataclass(slots=True)
class QuoteView:
    text: str
    refs: list[ArticleRef]
    variants: list[VariantView]
    direct: bool
    cue: str

    @property
    def quoted(self) -> bool:
        """The text already opens with a quotation mark, so the page adds none."""
        return self.text[:1] in "\"“”«„'‘"


@dataclass(slots=True)
class SpeakerView:
    name: str
    entity: str | None
    quotes: list[QuoteView]


@dataclass(slots=True)
class EntityView:
    name: str
    type: str
    aliases: list[str]
    mentions: int
    refs: list[ArticleRef]


@dataclass(slots=True)
class EntityGroupView:
    label: str
    entities: list[EntityView]


@dataclass(slots=True, frozen=True)
class TimelineDot:
    x: float
    y: float
    number: int
    precision: str
    anchor: str
    label: str


@dataclass(slots=True, frozen=True)
class TimelineTick:
    x: float
    lines: tuple[str, ...]


@dataclass(slots=True, frozen=True)
class TimelineGap:
    x: float
    label: str


@dataclass(slots=True)
class TimelineView:
    width: int
    height: int
    axis_y: float
    axis_x0: float
    axis_x1: float
    dots: list[TimelineDot]
    ticks: list[TimelineTick]
    gaps: list[TimelineGap]
    items: list[tuple[int, str, str, CitedText]]  # number, anchor, date label, cited text
    description: str


@dataclass(slots=True, frozen=True)
class GraphNode:
    ref: ArticleRef
    x: float
    y: float
    color: str
    line1: str
    line2: str


@dataclass(slots=True, frozen=True)
class GraphEdge:
    path: str
    relation: str
    label: str
    label_x: float
    label_y: float
    directed: bool
    description: str


@dataclass(slots=True)
class GraphView:
    width: int
    height: int
    node_width: int
    node_height: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    hidden: list[ArticleRef]
    description: str


@dataclass(slots=True)
class StoryView:
    id: str
    anchor: str
    headline: str
    event_date: str
    places: list[str]
    refs: list[ArticleRef]
    independent_sources: int
    summary: list[CitedText]
    matrix: Matrix
    contradictions: list[ContradictionView]
    speakers: list[SpeakerView]
    entity_groups: list[EntityGroupView]
    timeline: TimelineView | None
    graph: GraphView
    source_groups: list[tuple[str, list[ArticleRef]]]


@dataclass(slots=True)
class StatRow:
    name: str
    items_in: int
    items_out: int
    dropped: str
    seconds: str


@dataclass(slots=True)
class PageView:
    title: str
    stories: list[StoryView]
    articles: list[ArticleView]
    inputs: list[InputRecord]
    input_counts: dict[str, int]
    stats: list[StatRow] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# building the view
# --------------------------------------------------------------------------------------------


def _dom_id(prefix: str, raw: str) -> str:
    """A DOM id for a record id; ids with unsafe characters get a hash so they stay unique."""
    if _SAFE_ID.fullmatch(raw):
        return f"{prefix}-{raw}"
    cleaned = re.sub(r"[^A-Za-z0-9_.:-]+", "_", raw)[:40]
    digest = hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{prefix}-{cleaned}-{digest}"


def _safe_url(url: str) -> str:
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return ""
    return url.strip() if scheme in ("http", "https") else ""


def _format_date(value: dt.date | None, precision: str = "day") -> str:
    if value is None:
        return ""
    if precision == "year":
        return f"{value.year}"
    if precision == "month":
        return value.strftime("%B %Y")
    return f"{value.day} {value.strftime('%B %Y')}"


def _format_published(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    text = _format_date(value.date())
    if value.time() != dt.time(0, 0):
        text += value.strftime(", %H:%M")
        if value.tzinfo is not None:
            text += " " + (value.tzname() or "")
    return text.strip()


class _Refs:
    """Numbers every article once per page, so ``[3]`` means the same article in every story."""

    def __init__(self, articles: list[Article], stories: list[Story]) -> None:
        self._refs: dict[str, ArticleRef] = {}
        for article in articles:
            self._add(article.id, article.outlet, article.title)
        for story in stories:  # ids a story cites without an Article record still get a number
            for aid in story.articles:
                self._add(aid, "", "")

    def _add(self, aid: str, outlet: str, title: str) -> None:
        if aid not in self._refs:
            self._refs[aid] = ArticleRef(
                id=aid, anchor=_dom_id("article", aid), number=len(self._refs) + 1, outlet=outlet, title=title
            )

    def get(self, aid: str) -> ArticleRef:
        self._add(aid, "", "")
        return self._refs[aid]

    def many(self, ids: list[str]) -> list[ArticleRef]:
        seen: dict[str, ArticleRef] = {}
        for aid in ids:
            seen.setdefault(aid, self.get(aid))
        return sorted(seen.values(), key=lambda r: r.number)


def _sentence_anchor(ref: ArticleRef, index: int) -> str:
    return f"{ref.anchor}-s{index}"


def _article_view(article: Article, ref: ArticleRef, stories: list[str]) -> ArticleView:
    paragraphs: list[list[SentenceView]] = []
    if article.sentences:
        by_paragraph: dict[int, list[SentenceView]] = defaultdict(list)
        for sentence in article.sentences:
            by_paragraph[sentence.paragraph].append(
                SentenceView(anchor=_sentence_anchor(ref, sentence.index), text=sentence.text)
            )
        paragraphs = [by_paragraph[k] for k in sorted(by_paragraph)]
    else:
        # not annotated (or nothing survived cleaning): show paragraphs, else the raw text's blocks
        blocks = [p.text for p in article.paragraphs] or re.split(r"\n\s*\n", article.text or article.raw)
        paragraphs = [[SentenceView(anchor="", text=b.strip())] for b in blocks if b.strip()]
    return ArticleView(
        ref=ref,
        published=_format_published(article.published),
        url=_safe_url(article.url),
        language=article.language,
        location=article.location,
        original_title=article.original_title,
        paragraphs=paragraphs,
        chars=article.chars,
        boilerplate_chars=article.boilerplate_chars,
        removed=len(article.removed),
        stories=stories,
    )


def _origins(story: Story) -> dict[str, tuple[str, str]]:
    """Map a copied article → (the article it was copied from, relation), from directed links."""
    out: dict[str, tuple[str, str]] = {}
    for link in story.provenance:
        if link.directed and link.article not in out and link.article != link.derived_from:
            out[link.article] = (link.derived_from, link.relation)
    return out


def _source_groups(story: Story, refs: _Refs) -> list[list[ArticleRef]]:
    """The story's independent source groups, each with its origin first and its copies after it."""
    origins = _origins(story)
    group_of = story.source_group_of()
    groups: dict[int, list[ArticleRef]] = defaultdict(list)
    for aid in story.articles:
        groups[group_of[aid]].append(refs.get(aid))
    ordered: list[list[ArticleRef]] = []
    for members in groups.values():
        members.sort(key=lambda r: (r.id in origins, r.number))
        ordered.append(members)
    ordered.sort(key=lambda g: g[0].number)
    return ordered


def _matrix(story: Story, refs: _Refs, groups: list[list[ArticleRef]]) -> Matrix:
    origins = _origins(story)
    columns: list[MatrixColumn] = []
    matrix_groups: list[MatrixGroup] = []
    for gi, members in enumerate(groups):
        color = _PALETTE[gi % len(_PALETTE)]
        origin = members[0]
        name = origin.short
        label = (
            name
            if len(members) == 1
            else f"{name} + {len(members) - 1} cop{'y' if len(members) == 2 else 'ies'}"
        )
        matrix_groups.append(MatrixGroup(label=label, columns=len(members), color=color))
        for ref in members:
            source = origins.get(ref.id)
            copy_of = refs.get(source[0]) if source and ref is not origin else None
            relation = _RELATION_PHRASE.get(source[1], source[1]) if source and copy_of else ""
            columns.append(MatrixColumn(ref=ref, group=gi, copy_of=copy_of, relation=relation))
    rows: list[MatrixRow] = []
    for fact in story.facts:
        wording = {m.article: m for m in fact.mentions}
        stated = set(fact.articles) | set(wording)
        cells: list[MatrixCell | None] = []
        for column in columns:
            if column.ref.id not in stated:
                cells.append(None)
                continue
            mention = wording.get(column.ref.id)
            if mention is None:
                cells.append(MatrixCell(href="", wording=fact.text))
            else:
                cells.append(
                    MatrixCell(href=_sentence_anchor(column.ref, mention.sentence), wording=mention.text)
                )
        rows.append(
            MatrixRow(
                fact_id=fact.id,
                text=fact.text,
                cells=cells,
                stated_by=len(stated),
                independent_sources=fact.independent_sources or story.count_sources(sorted(stated)),
            )
        )
    return Matrix(groups=matrix_groups, columns=columns, rows=rows)


def _contradictions(story: Story, refs: _Refs) -> list[ContradictionView]:
    out: list[ContradictionView] = []
    for c in story.contradictions:
        out.append(_contradiction_view(c, story, refs))
    return out


def _contradiction_view(c: Contradiction, story: Story, refs: _Refs) -> ContradictionView:
    claims = [
        ClaimView(
            value=cl.value,
            text=cl.text,
            refs=refs.many(cl.articles),
            sources=story.count_sources(cl.articles),
        )
        for cl in c.claims
    ]
    return ContradictionView(about=c.about, kind=c.kind, claims=claims)


def _speakers(quotes: list[Quote], entities: list[Entity], refs: _Refs) -> list[SpeakerView]:
    names = {e.id: e.name for e in entities}
    speakers: dict[str, SpeakerView] = {}
    for q in quotes:
        key = q.speaker_entity or q.speaker.strip().casefold() or "?"
        name = names.get(q.speaker_entity or "", "") or q.speaker.strip() or "Unattributed"
        view = speakers.setdefault(key, SpeakerView(name=name, entity=q.speaker_entity, quotes=[]))
        variants = [
            VariantView(ref=refs.get(v.article) if v.article else None, article=v.article, text=v.text)
            for v in q.variants
            if v.text.strip() != q.text.strip()
        ]
        view.quotes.append(
            QuoteView(
                text=q.text,
                refs=refs.many(q.articles),
                variants=variants,
                direct=q.direct,
                cue=q.cue if any(ch.isalpha() for ch in q.cue) else "",  # a bare ":" is no cue to show
            )
        )
    # the most quoted speakers first; ties keep the order quotes were found in
    return sorted(speakers.values(), key=lambda s: -len(s.quotes))


def _entity_groups(entities: list[Entity], refs: _Refs) -> list[EntityGroupView]:
    groups: dict[str, list[EntityView]] = {}
    for e in sorted(entities, key=lambda e: (-e.mentions, e.name)):
        label = _ENTITY_TYPE_LABEL.get(e.type, "Other")
        aliases = [a for a in dict.fromkeys(e.aliases) if a != e.name]
        groups.setdefault(label, []).append(
            EntityView(
                name=e.name, type=e.type, aliases=aliases, mentions=e.mentions, refs=refs.many(e.articles)
            )
        )
    order = [*dict.fromkeys(_ENTITY_TYPE_LABEL.values()), "Other"]
    return [EntityGroupView(label=k, entities=groups[k]) for k in order if k in groups]


def _gap_label(days: int) -> str:
    if days >= 730:
        return f"{round(days / 365.25)} years"
    if days >= 365:
        return "1 year"
    if days >= 60:
        return f"{round(days / 30.4)} months"
    return f"{days} days"


def _timeline(story: Story, refs: _Refs) -> TimelineView | None:
    """An ordinal time axis: one column per distinct date, so a cluster of days next to an event years
    earlier stays readable; long jumps are marked on the axis with their length."""
    if not story.timeline:
        return None
    entries: list[TimelineEntry] = sorted(story.timeline, key=lambda t: (t.date, t.precision != "year"))
    slots: dict[tuple[dt.date, str], list[int]] = {}
    for i, entry in enumerate(entries):
        slots.setdefault((entry.date, entry.precision), []).append(i)
    col_w, left, right, top, row_h = 96, 56, 56, 24, 30
    stack = max(len(v) for v in slots.values())
    axis_y = top + stack * row_h + 8
    width = left + max(len(slots) - 1, 0) * col_w + right
    height = int(axis_y + 58)
    anchor_base = _dom_id("story", story.id)
    dots: list[TimelineDot] = []
    ticks: list[TimelineTick] = []
    gaps: list[TimelineGap] = []
    items: list[tuple[int, str, str, CitedText]] = []
    previous: dt.date | None = None
    for col, ((date, precision), members) in enumerate(slots.items()):
        x = left + col * col_w
        for level, i in enumerate(members):
            entry = entries[i]
            anchor = f"{anchor_base}-t{i + 1}"
            label = f"{i + 1}. {_format_date(entry.date, entry.precision)}: {entry.text}"
            dots.append(
                TimelineDot(
                    x=x,
                    y=axis_y - 18 - level * row_h,
                    number=i + 1,
                    precision=precision,
                    anchor=anchor,
                    label=label,
                )
            )
        if precision == "day":
            lines: tuple[str, ...] = (date.strftime("%d %b").lstrip("0"), str(date.year))
        elif precision == "month":
            lines = (date.strftime("%b"), str(date.year))
        else:
            lines = (str(date.year),)
        ticks.append(TimelineTick(x=x, lines=lines))
        if previous is not None:
            days = (date - previous).days
            if days > 45:
                gaps.append(TimelineGap(x=x - col_w / 2, label=_gap_label(days)))
        previous = date
    for i, entry in enumerate(entries):
        items.append(
            (
                i + 1,
                f"{anchor_base}-t{i + 1}",
                _format_date(entry.date, entry.precision),
                CitedText(text=entry.text, refs=refs.many(entry.articles)),
            )
        )
    first, last = entries[0], entries[-1]
    description = (
        f"{len(entries)} dated events from {_format_date(first.date, first.precision)} "
        f"to {_format_date(last.date, last.precision)}; the list below gives each one with its sources."
    )
    return TimelineView(
        width=max(width, 240),
        height=height,
        axis_y=axis_y,
        axis_x0=left - 28,
        axis_x1=max(width, 240) - right + 28,
        dots=dots,
        ticks=ticks,
        gaps=gaps,
        items=items,
        description=description,
    )


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _graph(story: Story, refs: _Refs, groups: list[list[ArticleRef]]) -> GraphView:
    """Who copied whom: originals in the left column, each copy one column right of what it copied."""
    color_of: dict[str, str] = {}
    for gi, members in enumerate(groups):
        for ref in members:
            color_of[ref.id] = _PALETTE[gi % len(_PALETTE)]
    linked = {link.article for link in story.provenance} | {link.derived_from for link in story.provenance}
    shown = [aid for aid in story.articles if len(story.articles) <= _GRAPH_MAX_NODES or aid in linked]
    hidden = refs.many([aid for aid in story.articles if aid not in shown])
    parents: dict[str, set[str]] = defaultdict(set)
    for link in story.provenance:
        if (
            link.directed
            and link.article in shown
            and link.derived_from in shown
            and link.article != link.derived_from
        ):
            parents[link.article].add(link.derived_from)

    depth: dict[str, int] = {}

    def depth_of(aid: str, trail: frozenset[str]) -> int:
        # longest chain of copies above this article; a cycle (both directions claimed) is cut
        if aid in depth:
            return depth[aid]
        ups = [p for p in parents.get(aid, ()) if p not in trail]
        value = 1 + max((depth_of(p, trail | {aid}) for p in ups), default=-1)
        depth[aid] = value
        return value

    for aid in shown:
        depth_of(aid, frozenset())
    node_w, node_h, gap_x, gap_y, pad = 196, 48, 96, 20, 16
    columns: dict[int, list[ArticleRef]] = defaultdict(list)
    group_rank = {ref.id: gi for gi, members in enumerate(groups) for ref in members}
    for aid in shown:
        columns[depth[aid]].append(refs.get(aid))
    for members in columns.values():
        members.sort(key=lambda r: (group_rank.get(r.id, 0), r.number))
    pos: dict[str, tuple[float, float]] = {}
    nodes: list[GraphNode] = []
    for d in sorted(columns):
        for row, ref in enumerate(columns[d]):
            x = pad + d * (node_w + gap_x)
            y = pad + row * (node_h + gap_y)
            pos[ref.id] = (x, y)
            nodes.append(
                GraphNode(
                    ref=ref,
                    x=x,
                    y=y,
                    color=color_of.get(ref.id, _PALETTE[-1]),
                    # SVG text does not wrap: clip to what fits the box at the chart's font size
                    line1=_clip(f"{ref.label} {ref.short}", 22),
                    line2=_clip(ref.title or ref.id, 27),
                )
            )
    edges: list[GraphEdge] = []
    seen: set[tuple[str, str]] = set()
    for link in story.provenance:
        a, b = link.derived_from, link.article
        if a not in pos or b not in pos or a == b or (a, b) in seen:
            continue
        seen.add((a, b))
        (ax, ay), (bx, by) = pos[a], pos[b]
        label = _RELATION_LABEL.get(link.relation, link.relation)
        ra, rb = refs.get(a), refs.get(b)
        if link.directed and bx > ax:
            x1, y1, x2, y2 = ax + node_w, ay + node_h / 2, bx - 2, by + node_h / 2
            path = f"M{x1:.0f},{y1:.0f} C{x1 + 48:.0f},{y1:.0f} {x2 - 48:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
            lx, ly = (x1 + x2) / 2, (y1 + y2) / 2 - 6
        else:
            # same column (undirected, or a cut cycle): an arc on the right-hand side
            x1, y1, x2, y2 = ax + node_w, ay + node_h / 2, bx + node_w + 2, by + node_h / 2
            bulge = 40 + abs(y2 - y1) / 4
            path = (
                f"M{x1:.0f},{y1:.0f} C{x1 + bulge:.0f},{y1:.0f} {x2 + bulge:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
            )
            lx, ly = max(x1, x2) + bulge * 0.75, (y1 + y2) / 2
        verb = _RELATION_PHRASE.get(link.relation, link.relation)
        if link.relation in ("duplicate", "translation"):
            verb = "is a " + verb
        edges.append(
            GraphEdge(
                path=path,
                relation=link.relation,
                label=label,
                label_x=lx,
                label_y=ly,
                directed=link.directed,
                description=f"{rb.describe} {verb} {ra.describe} (score {link.score:.2f})",
            )
        )
    n_cols = max(columns) + 1 if columns else 1
    n_rows = max((len(v) for v in columns.values()), default=1)
    width = pad * 2 + n_cols * node_w + (n_cols - 1) * gap_x + 80
    height = pad * 2 + n_rows * node_h + (n_rows - 1) * gap_y
    copies = sum(1 for e in edges if e.directed)
    description = (
        f"{len(nodes)} articles, {copies} copied from another, {len(groups)} independent sources"
        if edges
        else f"{len(nodes)} articles; no copying found, so each is its own source"
    )
    return GraphView(
        width=width,
        height=height,
        node_width=node_w,
        node_height=node_h,
        nodes=nodes,
        edges=edges,
        hidden=hidden,
        description=description,
    )


def _summary_sentence(sentence: SummarySentence, refs: _Refs) -> CitedText:
    differ = [
        DifferView(about=d.about, values=[(v.value, refs.many(v.articles)) for v in d.values])
        for d in sentence.sources_differ
    ]
    return CitedText(text=sentence.text, refs=refs.many(sentence.citations), differ=differ)


def _story_view(story: Story, refs: _Refs, by_id: dict[str, Article]) -> StoryView:
    groups = _source_groups(story, refs)
    headline = story.headline.strip()
    if not headline:
        first = next((by_id[a] for a in story.articles if a in by_id and by_id[a].title), None)
        headline = first.title if first else f"Story {story.id}"
    return StoryView(
        id=story.id,
        anchor=_dom_id("story", story.id),
        headline=headline,
        event_date=_format_date(story.event_date),
        places=list(story.places),
        refs=refs.many(story.articles),
        independent_sources=len(groups),
        summary=[_summary_sentence(s, refs) for s in story.summary],
        matrix=_matrix(story, refs, groups),
        contradictions=_contradictions(story, refs),
        speakers=_speakers(story.quotes, story.entities, refs),
        entity_groups=_entity_groups(story.entities, refs),
        timeline=_timeline(story, refs),
        graph=_graph(story, refs, groups),
        source_groups=[(m[0].short, m) for m in groups],
    )


def build_page(brief: Brief) -> PageView:
    """The view records the template renders (exposed for tests and for the HTTP API)."""
    refs = _Refs(brief.articles, brief.stories)
    by_id = {a.id: a for a in brief.articles}
    stories = [_story_view(s, refs, by_id) for s in brief.stories]
    story_of: dict[str, list[str]] = defaultdict(list)
    for view in stories:
        for ref in view.refs:
            story_of[ref.id].append(view.headline)
    articles = [_article_view(a, refs.get(a.id), story_of.get(a.id, [])) for a in brief.articles]
    counts: dict[str, int] = {"ok": 0, "skipped": 0, "failed": 0}
    for record in brief.inputs:
        counts[record.status] = counts.get(record.status, 0) + 1
    if len(stories) == 1:
        title = stories[0].headline
    else:
        title = f"Story brief: {len(stories)} stories" if stories else "Story brief"
    stats = [
        StatRow(
            name=name,
            items_in=s.items_in,
            items_out=s.items_out,
            dropped=", ".join(f"{k} {v}" for k, v in sorted(s.dropped.items())),
            seconds=f"{s.seconds:.2f}",
        )
        for name, s in brief.stats.items()
    ]
    return PageView(
        title=title,
        stories=stories,
        articles=articles,
        inputs=list(brief.inputs),
        input_counts=counts,
        stats=stats,
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("storydesk.write", "templates"),
        autoescape=True,  # every string from an article is escaped; the templates hold the only markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_html(brief: Brief) -> str:
    """The whole brief as one self-contained HTML document."""
    page = build_page(brief)
    template = _environment().get_template("brief.html.j2")
    return template.render(page=page)


def render_template(name: str, **context: object) -> str:
    """Render another page from ``templates/`` (the web service's index and API pages)."""
    return _environment().get_template(name).render(**context)


def write_html(brief: Brief, path: Path) -> Path:
    path.write_text(render_html(brief), encoding="utf-8")
    return path
