"""Timeline: every dated event of a story, merged across articles, and the story's event date.

Dates come from the annotator (``Article.dates``: resolved against each article's own publish date,
weekday references by the tense of their verb). An article without a publish date is re-resolved
against the story's reference date (the upper median of the known publish dates), since "on
Thursday" means nothing without one. Mentions of one date merge into one entry with all their
articles; a coarse mention ("last month ... the missile strike") joins a finer entry inside it when
both describe the same event. The event date is the day most independent sources talk about,
discounted by its distance from the publish dates (a story is about what just happened, not about the
background it recalls).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from storydesk.analyse.facts import content_words, derived_articles, dice
from storydesk.analyse.numbers import DateResolver, resolve_undated
from storydesk.records import Article, Precision, Story, TimelineEntry
from storydesk.settings import AnalyseSettings
from storydesk.stage import StoryStage

logger = logging.getLogger(__name__)

_PRECISION_ORDER: dict[str, int] = {"year": 0, "month": 1, "day": 2}
_MIN_WORDS = 4  # words besides the date; datelines and bylines ("06:36 GMT 09 May 2017") are not events
_MAX_TEXT_WORDS = 40
_LEAD_SENTENCES = 3  # an article's lead: where news names the day of its event
_HISTORY_DAYS = 2 * 365  # undated: a day this long before the story's latest date is background

@dataclass(slots=True)
class Dated:
    """One dated statement in one article."""

    date: dt.date
    precision: Precision
    article: str
    sentence: int
    text: str
    words: frozenset[str]
    relative: bool
    heading: bool = False
    span_days: int = 1  # a week ("last week") is a day-precision date covering seven days


@dataclass(slots=True)
class _Entry:
    date: dt.date
    precision: Precision
    span_days: int = 1
    items: list[Dated] = field(default_factory=list)

    @property
    def words(self) -> frozenset[str]:
        out: set[str] = set()
        for item in self.items:
            out |= item.words
        return frozenset(out)

    def bounds(self) -> tuple[dt.date, dt.date]:
        """First day and the day after the last day this entry covers."""
        if self.precision == "year":
            return self.date, dt.date(self.date.year + 1, 1, 1)
        if self.precision == "month":
            y, m = (self.date.year + 1, 1) if self.date.month == 12 else (self.date.year, self.date.month + 1)
            return self.date, dt.date(y, m, 1)
        return self.date, self.date + dt.timedelta(days=max(1, self.span_days))

    @property
    def width(self) -> int:
        lo, hi = self.bounds()
        return (hi - lo).days


def normalise(value: dt.date, precision: Precision) -> dt.date:
    """The canonical date of a period: the first day of its month or year."""
    if precision == "year":
        return dt.date(value.year, 1, 1)
    if precision == "month":
        return dt.date(value.year, value.month, 1)
    return value


def clause_around(text: str, start: int, end: int) -> str:
    """A long sentence cut to the clause holding the date, so the entry reads as one event."""
    if len(text.split()) <= _MAX_TEXT_WORDS:
        return text.strip()
    lo = max(text.rfind(sep, 0, start) for sep in (";", ". ", " — ", ", which", ", where", ", while")) + 1
    his = [i for i in (text.find(sep, end) for sep in (";", ". ", " — ", ", which", ", where", ", while")) if i >= 0]
    hi = min(his) if his else len(text)
    piece = text[lo:hi].strip(" ,;—")
    return piece[:1].upper() + piece[1:] if piece else text.strip()


def dated_statements(story: Story, articles: Mapping[str, Article]) -> list[Dated]:
    """Every resolved date mention of the story with the clause it dates."""
    out: list[Dated] = []
    for aid in story.articles:
        article = articles.get(aid)
        if article is None or not article.sentences:
            continue
        headings = {p.index for p in article.paragraphs if p.is_heading}
        for d in article.dates:
            if not 0 <= d.sentence < len(article.sentences):
                continue
            s = article.sentences[d.sentence]
            rest = s.text[: d.start - s.start] + " " + s.text[d.end - s.start :]
            if len(re.findall(r"[^\W\d_]{3,}", rest)) < _MIN_WORDS:
                continue  # a dateline or a byline, not an event
            text = clause_around(s.text, d.start - s.start, d.end - s.start)
            out.append(
                Dated(
                    date=normalise(d.value, d.precision), precision=d.precision, article=aid, sentence=d.sentence,
                    text=text, words=content_words(text), relative=d.relative, heading=s.paragraph in headings,
                    span_days=d.span_days if d.precision == "day" else 1,
                )
            )
    return out


def _inside(fine: _Entry, coarse: _Entry) -> bool:
    flo, fhi = fine.bounds()
    clo, chi = coarse.bounds()
    return fine.width < coarse.width and clo <= flo and fhi <= chi


def _idf(items: Sequence[Dated]) -> dict[str, float]:
    df: dict[str, int] = {}
    for item in items:
        for w in item.words:
            df[w] = df.get(w, 0) + 1
    n = len(items)
    return {w: math.log((1 + n) / (1 + c)) + 1.0 for w, c in df.items()}


def similarity(a: frozenset[str], b: frozenset[str], idf: Mapping[str, float]) -> float:
    """Cosine of IDF-weighted word sets: the story's ubiquitous names count for little."""
    if not a or not b:
        return 0.0
    shared = sum(idf.get(w, 1.0) ** 2 for w in a & b)
    norm_a = math.sqrt(sum(idf.get(w, 1.0) ** 2 for w in a))
    norm_b = math.sqrt(sum(idf.get(w, 1.0) ** 2 for w in b))
    return shared / (norm_a * norm_b)


def merge_dated(items: Sequence[Dated], min_similarity: float = 0.2) -> list[_Entry]:
    """One entry per date; a coarser mention folds into the finer entry it describes.

    "Last month ... the missile strike" joins "the missile strike on April 6" when their wording
    (IDF-weighted) agrees; a week ("last week") that dates nothing finer becomes its month.
    """
    idf = _idf(items)
    by_key: dict[tuple[dt.date, str, int], _Entry] = {}
    for item in items:
        key = (item.date, item.precision, item.span_days)
        by_key.setdefault(key, _Entry(item.date, item.precision, item.span_days)).items.append(item)
    kept: dict[tuple[dt.date, str, int], _Entry] = {}
    for entry in sorted(by_key.values(), key=lambda e: (e.width, e.date)):  # finest first
        leftovers: list[Dated] = []
        for item in entry.items:
            # Fold item by item: "in April" may be the missile strike or the Moscow visit.
            best: _Entry | None = None
            best_score = min_similarity
            for target in kept.values():
                if _inside(target, entry):
                    score = similarity(item.words, target.words, idf)
                    if score >= best_score:
                        best, best_score = target, score
            if best is not None:
                best.items.append(item)
            else:
                leftovers.append(item)
        if not leftovers:
            continue
        precision, date, span = entry.precision, entry.date, entry.span_days
        if precision == "day" and span > 1:  # an unplaced week: say the month it mostly falls in
            middle = date + dt.timedelta(days=span // 2)
            precision, date, span = "month", dt.date(middle.year, middle.month, 1), 1
        key = (date, precision, span)
        target = kept.setdefault(key, _Entry(date, precision, span))
        target.items.extend(leftovers)
    return list(kept.values())


def entry_text(entry: _Entry, derived: set[str]) -> str:
    """The wording most typical of the entry: explicit dates, originals and real sentences first."""
    def score(item: Dated) -> tuple[bool, bool, bool, float, int]:
        typical = sum(dice(item.words, other.words) for other in entry.items if other is not item)
        return (
            item.precision == entry.precision, not item.heading, item.article not in derived,
            round(typical, 2), -len(item.text),
        )

    return max(entry.items, key=score).text


def event_date(
    entries: Sequence[TimelineEntry],
    story: Story,
    reference: dt.date | None,
    window_days: float,
    lead_days: frozenset[dt.date] = frozenset(),
) -> dt.date | None:
    """The day most independent sources report, discounted by distance from the publish dates.

    Without any publish date there is nothing to tell the event from the background it recalls ("the
    tape was released on August 5, 1974"), so a day qualifies only when two independent sources report
    it or an article names it in its lead (``lead_days``), where news puts the day of the event, and it
    is not years before the latest day or month the story names; else the event date stays unknown
    rather than wrong.
    """
    best: tuple[float, int, dt.date] | None = None
    # Undated, the story is at least as recent as the latest day or month it names: a day years before
    # it is history recalled ("the break-in on June 17, 1972"), even in a backgrounder's lead.
    latest = max((e.date for e in entries if e.precision != "year"), default=None)
    for e in entries:
        if e.precision != "day":
            continue
        sources = story.count_sources(e.articles)
        if reference is None and (
            (sources < 2 and e.date not in lead_days)
            or (latest is not None and (latest - e.date).days > _HISTORY_DAYS)
        ):
            continue
        weight = float(sources)
        if reference is not None and window_days > 0:
            weight *= math.exp(-abs((e.date - reference).days) / window_days)
        key = (round(weight, 6), len(e.articles), e.date)
        if best is None or key > best:
            best = key
    if best is not None:
        return best[2]
    return reference


class TimelineBuilder(StoryStage):
    """Sets ``story.timeline`` (dated events with their articles) and ``story.event_date``."""

    name = "timeline"

    def __init__(self, settings: AnalyseSettings, resolver: DateResolver | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.resolver = resolver

    def analyse(self, story: Story, articles: Mapping[str, Article]) -> None:
        reference = resolve_undated(story, articles, self.resolver)
        items = dated_statements(story, articles)
        derived = derived_articles(story)
        order = {aid: i for i, aid in enumerate(story.articles)}
        timeline: list[TimelineEntry] = []
        for entry in merge_dated(items):
            arts = sorted({i.article for i in entry.items}, key=lambda a: order.get(a, len(order)))
            timeline.append(
                TimelineEntry(date=entry.date, precision=entry.precision, text=entry_text(entry, derived), articles=arts)
            )
        timeline.sort(key=lambda e: (e.date, _PRECISION_ORDER[e.precision]))
        story.timeline = timeline
        lead_days = frozenset(i.date for i in items if i.precision == "day" and i.sentence < _LEAD_SENTENCES)
        story.event_date = event_date(timeline, story, reference, self.settings.event_window_days, lead_days)
        self.stats.extra["timeline_entries"] = self.stats.extra.get("timeline_entries", 0.0) + len(timeline)
