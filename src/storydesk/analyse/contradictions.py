"""Contradictions: aligned statements about the same thing whose values conflict.

Candidates are pairs of sentences from different articles that state the same thing: the mentions of
one fact (facts.py), plus value-bearing sentences that share most of their wording. Within a pair,
values are normalised first (numbers.py for number words, units, ages and qualifiers; the annotator's
resolved dates for "on Wednesday" and "May 10") and compared *slot by slot*: a value only meets a value
of the same kind in the same place of the statement. A conflict is flagged only when no reading of the
two wordings fits one true value, so these are consistent and never flagged:
- an age now and the age at an upcoming birthday ("93-year-old", "turns 94 on May 27");
- a part and a total ("a 40-minute meeting" vs "more than two hours of talks in total");
- one quantity in two units ("5 miles" vs "8 km");
- a relative and an explicit date that resolve to the same day;
- a preview and a report of one event ("will meet on Wednesday" vs "met on Wednesday").
Places and people are compared when two close wordings put different names in the same slot.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from storydesk.analyse.facts import content_words, dice
from storydesk.analyse.numbers import (
    DateResolver,
    Quantity,
    comparable,
    consistent,
    extract_quantities,
    format_value,
    resolve_undated,
)
from storydesk.records import Article, Claim, Contradiction, DateMention, Mention, Story
from storydesk.settings import AnalyseSettings
from storydesk.stage import StoryStage

_WINDOW = 6  # words either side of a value that describe what the value is about
# Two sentences counting the same thing ("12 dock workers" / "Fourteen dock workers") are compared
# with less shared wording than other pairs (see counted_conflicts): independent reports word one
# event differently.
_COUNTED_MIN_DICE = 0.35
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_ACTOR_LABELS = {"PERSON", "ORG", "NORP"}
_KIND_LABEL = {
    "date": "Date", "year": "Year", "count": "Number", "amount": "Amount", "percent": "Percentage",
    "age": "Age", "duration": "Duration", "distance": "Distance", "weight": "Weight",
    "temperature": "Temperature", "place": "Place", "actor": "Who",
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(slots=True)
class Value:
    """One comparable value inside a sentence (offsets relative to the sentence text)."""

    kind: str
    key: str  # normalised, for grouping claims ("2013", "2017-05-10", "40 minutes")
    start: int
    end: int
    quantity: Quantity | None = None
    date: DateMention | None = None
    name: str = ""  # for places and actors

    @property
    def text(self) -> str:
        if self.quantity is not None:
            return self.quantity.text
        if self.date is not None:
            return self.date.text
        return self.name


@dataclass(slots=True)
class Said:
    """A value-bearing sentence of one article."""

    article: str
    sentence: int
    text: str
    words: frozenset[str]
    values: list[Value]
    mentions: list[Mention] = field(default_factory=list)  # offsets relative to the sentence


def _date_key(d: DateMention) -> str:
    return d.value.isoformat()[: {"year": 4, "month": 7, "day": 10}[d.precision]]


def sentence_values(article: Article, index: int) -> Said:
    """The dates and quantities of one sentence, normalised."""
    s = article.sentences[index]
    values: list[Value] = []
    date_spans: list[tuple[int, int]] = []
    for d in article.dates:
        if d.sentence != index:
            continue
        lo, hi = d.start - s.start, d.end - s.start
        date_spans.append((lo, hi))
        kind = "year" if d.precision == "year" else "date"
        values.append(Value(kind=kind, key=_date_key(d), start=lo, end=hi, date=d))
    for q in extract_quantities(s.text):
        # A year the annotator already resolved as a date is compared as that date.
        if q.kind == "year" and any(lo <= q.start < hi or q.start <= lo < q.end for lo, hi in date_spans):
            continue
        values.append(Value(kind=q.kind, key=format_value(q), start=q.start, end=q.end, quantity=q))
    mentions = [
        Mention(text=m.text, label=m.label, start=m.start - s.start, end=m.end - s.start, sentence=index)
        for m in article.mentions
        if m.sentence == index
    ]
    return Said(
        article=article.id, sentence=index, text=s.text, words=content_words(s.text), values=values,
        mentions=mentions,
    )


# --------------------------------------------------------------------------------------------
# comparing two values
# --------------------------------------------------------------------------------------------


def _truncate(d: dt.date, precision: str) -> tuple[int, ...]:
    return {"year": (d.year,), "month": (d.year, d.month)}.get(precision, (d.year, d.month, d.day))


_ORDER = {"year": 0, "month": 1, "day": 2}


def dates_consistent(a: DateMention, b: DateMention) -> bool:
    """Same day, month or year at the coarser of the two precisions; relative dates get slack.

    Relative dates ("on Wednesday", "last week") depend on when and in which tense they were written,
    so two of them with the same wording agree, and one that lands within a week of an explicit date
    is not evidence of a disagreement.
    """
    coarse = a.precision if _ORDER[a.precision] <= _ORDER[b.precision] else b.precision
    if _truncate(a.value, coarse) == _truncate(b.value, coarse):
        return True
    if a.relative and b.relative and _weekday_words(a.text) == _weekday_words(b.text):
        return True
    if (a.relative or b.relative) and coarse == "day":
        return abs((a.value - b.value).days) < 7
    if (a.relative or b.relative) and coarse == "month":
        months = abs((a.value.year - b.value.year) * 12 + a.value.month - b.value.month)
        return months <= 1
    return False


def _weekday_words(text: str) -> str:
    low = text.lower()
    found = [w for w in _WEEKDAYS if w in low]
    return found[0] if found else low.strip()


def values_consistent(a: Value, b: Value) -> bool:
    if a.date is not None and b.date is not None:
        return dates_consistent(a.date, b.date)
    if a.quantity is not None and b.quantity is not None:
        return consistent(a.quantity, b.quantity)
    if a.date is not None and b.quantity is not None and b.quantity.kind == "year":
        return a.date.value.year == int(b.quantity.value) or a.date.relative
    if b.date is not None and a.quantity is not None and a.quantity.kind == "year":
        return b.date.value.year == int(a.quantity.value) or b.date.relative
    return a.key == b.key


def values_comparable(a: Value, b: Value) -> bool:
    date_kinds = {"date", "year"}
    if a.kind in date_kinds and b.kind in date_kinds:
        return True
    if a.quantity is not None and b.quantity is not None:
        return comparable(a.quantity, b.quantity)
    return a.kind == b.kind


# --------------------------------------------------------------------------------------------
# what a value is about: its slot in the sentence
# --------------------------------------------------------------------------------------------


def _tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]


def window_words(text: str, start: int, end: int, size: int = _WINDOW) -> list[str]:
    """Words just before and after a span (the span itself excluded)."""
    toks = _tokens(text)
    before = [t for t in toks if t[2] <= start][-size:]
    after = [t for t in toks if t[1] >= end][:size]
    return [t[0] for t in before + after]


def _names(words: Sequence[str], text: str) -> set[str]:
    """Capitalised words that are not the sentence's first word: names of people, places, things.

    Possessives are folded ("Tuesday's" is "Tuesday"), and weekday and month names are left out: they
    are dates, compared as values, not names of what a number is about."""
    first = _tokens(text)[:1]
    first_word = first[0][0] if first else ""
    out = {_fold_name(w) for w in words if w[:1].isupper() and w != first_word}
    return {w for w in out if w not in _CALENDAR_WORDS}


def _fold_name(word: str) -> str:
    return re.sub(r"['’]s$", "", word.lower())


_CALENDAR_WORDS = frozenset(_WEEKDAYS) | frozenset(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
)


def same_slot(sa: Said, a: Value, sb: Said, b: Value, n_a: int, n_b: int) -> bool:
    """Whether two values fill the same slot of the statement (so their values must agree).

    With one value of the kind on each side, the statement alignment already says so, unless the
    words around them name different things ("France's May 7 election" vs "the 2016 US election").
    With several, the surrounding words must agree.
    """
    wa = window_words(sa.text, a.start, a.end)
    wb = window_words(sb.text, b.start, b.end)
    names_a = _names(wa, sa.text) - {_fold_name(w) for w in _tokens_text(sb.text)}
    names_b = _names(wb, sb.text) - {_fold_name(w) for w in _tokens_text(sa.text)}
    if names_a and names_b:
        return False
    ctx_a = content_words(" ".join(wa))
    ctx_b = content_words(" ".join(wb))
    shared = len(ctx_a & ctx_b) / max(1, min(len(ctx_a), len(ctx_b)))
    if n_a == 1 and n_b == 1:
        return shared > 0 or not (ctx_a and ctx_b)
    return shared >= 0.5


def _tokens_text(text: str) -> list[str]:
    return [t[0] for t in _tokens(text)]


@dataclass(slots=True)
class Conflict:
    kind: str
    a: Value
    b: Value
    said_a: Said
    said_b: Said


# Words that make a count a part of a larger one: "two were still in hospital", "three remain
# missing", "five of them children". Such a count is not the total another report gives.
_SUBSET = re.compile(r"\b(?:still|remain\w*|of them|of whom|among them|including|included)\b", re.IGNORECASE)


def is_part(said: Said, value: Value) -> bool:
    """Whether a count is stated as a part of a larger group (see ``_SUBSET``)."""
    if value.kind != "count":
        return False
    return bool(_SUBSET.search(" ".join(window_words(said.text, value.start, value.end, 4))))


def value_conflicts(sa: Said, sb: Said) -> list[Conflict]:
    """Values in the same slot of two aligned sentences that no single true value can satisfy."""
    out: list[Conflict] = []
    for a in sa.values:
        peers = [b for b in sb.values if values_comparable(a, b) and is_part(sa, a) == is_part(sb, b)]
        if not peers or any(values_consistent(a, b) for b in peers):
            continue
        n_a = sum(values_comparable(a, x) for x in sa.values)
        for b in peers:
            if any(values_consistent(x, b) for x in sa.values if values_comparable(x, b)):
                continue
            if same_slot(sa, a, sb, b, n_a, len(peers)):
                kind = "year" if a.kind == b.kind == "year" else ("date" if a.kind in ("date", "year") else a.kind)
                out.append(Conflict(kind=kind, a=a, b=b, said_a=sa, said_b=sb))
                break
    return out


def name_conflicts(sa: Said, sb: Said, aliases: Mapping[str, str], min_ratio: float = 0.75) -> list[Conflict]:
    """Different places or people in the same slot of two closely matching wordings.

    Only for near-parallel sentences (a copy or a close rewrite): the words around the names must
    match, and neither name may appear anywhere in the other sentence. Spelling variants of one name
    ("Sergei"/"Sergey", "Kolbi"/"Colby" when the entity stage merged them) are not conflicts.
    """
    ta, tb = _tokens(sa.text), _tokens(sb.text)
    la, lb = [t[0].lower() for t in ta], [t[0].lower() for t in tb]
    matcher = difflib.SequenceMatcher(a=la, b=lb, autojunk=False)
    if matcher.ratio() < min_ratio:
        return []
    out: list[Conflict] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or i2 - i1 > 4 or j2 - j1 > 4:
            continue
        ma = _mention_covering(sa.mentions, ta[i1][1], ta[i2 - 1][2])
        mb = _mention_covering(sb.mentions, tb[j1][1], tb[j2 - 1][2])
        if ma is None or mb is None:
            continue
        kind = _name_kind(ma.label, mb.label)
        if not kind:
            continue
        na, nb = ma.text.lower(), mb.text.lower()
        if aliases.get(na, na) == aliases.get(nb, nb) or fuzz.ratio(na, nb) >= 75 or same_name(ma.text, mb.text):
            continue
        if na in sb.text.lower() or nb in sa.text.lower():
            continue
        out.append(
            Conflict(
                kind=kind,
                a=Value(kind=kind, key=ma.text, start=ma.start, end=ma.end, name=ma.text),
                b=Value(kind=kind, key=mb.text, start=mb.start, end=mb.end, name=mb.text),
                said_a=sa, said_b=sb,
            )
        )
    return out


_NAME_FILLER = {"the", "of", "and", "for", "de", "la"}


def _initials(name: str) -> str:
    return "".join(w[0] for w in re.findall(r"[^\W\d_]+", name) if w.lower() not in _NAME_FILLER).upper()


def same_name(a: str, b: str) -> bool:
    """One name and its acronym or short form ("USA" / "the United States", "UN" / "United Nations")."""
    for short, long in ((a, b), (b, a)):
        letters = re.sub(r"[^A-Za-z]", "", short)
        if letters.isupper() and 2 <= len(letters) <= 6:
            initials = _initials(long)
            if initials and (letters.startswith(initials) or initials.startswith(letters)):
                return True
    core_a = [w for w in a.lower().split() if w not in _NAME_FILLER]
    core_b = [w for w in b.lower().split() if w not in _NAME_FILLER]
    # A surname alone and the full name ("Volkov" / "Sergei Volkov"); not "North Korea" / "South Korea".
    return bool(core_a and core_b) and min(len(core_a), len(core_b)) == 1 and core_a[-1] == core_b[-1]


def _mention_covering(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    for m in mentions:
        if m.start <= start and end <= m.end + 1:
            return m
    return None


def _name_kind(a: str, b: str) -> str:
    if a in _PLACE_LABELS and b in _PLACE_LABELS:
        return "place"
    if a == b == "PERSON" or (a in _ACTOR_LABELS and b in _ACTOR_LABELS and a == b):
        return "actor"
    return ""


# --------------------------------------------------------------------------------------------
# the stage
# --------------------------------------------------------------------------------------------


def describe(said: Said, value: Value, kind: str) -> str:
    """What is disputed: the clause around the value, with the value left out."""
    text = said.text
    lo = max(text.rfind(sep, 0, value.start) for sep in (",", ";", ":", "—", "(")) + 1
    his = [i for i in (text.find(sep, value.end) for sep in (",", ";", ":", "—", ")")) if i >= 0]
    hi = min(his) if his else len(text)
    clause = (text[lo : value.start] + "…" + text[value.end : hi]).strip().rstrip(".")
    words = clause.split()
    if len(words) > 18:
        pos = next((i for i, w in enumerate(words) if "…" in w), 0)
        words = words[max(0, pos - 10) : pos + 8]
    return f"{_KIND_LABEL.get(kind, kind.title())}: {' '.join(words)}"


def _aliases(story: Story) -> dict[str, str]:
    out: dict[str, str] = {}
    for e in story.entities:
        for name in (e.name, *e.aliases):
            out.setdefault(name.lower(), e.id)
    return out


_NAMED = _PLACE_LABELS | _ACTOR_LABELS


def lexical_pairs(items: Sequence[Said], min_dice: float, max_df: int = 50) -> list[tuple[Said, Said]]:
    """Pairs of sentences from different articles whose content words overlap (Dice >= ``min_dice``).

    An inverted index over the rarer words proposes candidates, so a long story is not all pairs.
    """
    index: dict[str, list[int]] = {}
    for n, s in enumerate(items):
        for w in s.words:
            index.setdefault(w, []).append(n)
    out: list[tuple[Said, Said]] = []
    for n, s in enumerate(items):
        shared: dict[int, int] = {}
        for w in s.words:
            postings = index[w]
            if len(postings) > max_df:
                continue
            for m in postings:
                if m > n and items[m].article != s.article:
                    shared[m] = shared.get(m, 0) + 1
        for m, count in shared.items():
            other = items[m]
            if count >= 2 and dice(s.words, other.words) >= min_dice:
                out.append((s, other))
    return out


_HYPOTHETICAL = re.compile(r"\b(?:would|could|might|may|if|projected|forecasts?|predicts?|expected to)\b")


def _dates_compatible(a: Said, b: Said) -> bool:
    """False when both sentences are dated and no date of one fits a date of the other: then they
    report different days ("104 killed on Monday" / "four killed on Tuesday"), not one toll."""
    days_a = {w for w in _WEEKDAYS if re.search(rf"\b{w}\b", a.text, re.IGNORECASE)}
    days_b = {w for w in _WEEKDAYS if re.search(rf"\b{w}\b", b.text, re.IGNORECASE)}
    if days_a and days_b and not days_a & days_b:
        return False  # named weekdays even when the article's date is unknown and they stay unresolved
    da = [v.date for v in a.values if v.date is not None]
    db = [v.date for v in b.values if v.date is not None]
    if not da or not db:
        return True
    # No slack for relative dates here: "on Monday" and "on Tuesday" are two days of one story.
    return any(
        _truncate(x.value, p) == _truncate(y.value, p)
        for x in da for y in db
        for p in (x.precision if _ORDER[x.precision] <= _ORDER[y.precision] else y.precision,)
    )


def counted_conflicts(items: Sequence[Said]) -> list[Conflict]:
    """Independent reports that give different numbers for the same count ("Twelve dock workers were
    taken to hospital" / "Fourteen dock workers were treated in hospital").

    Such wordings share too little to be aligned as one statement, so the rule is narrow instead: the
    same counted noun, exactly one such count in each sentence, neither a part of a larger group nor
    hypothetical, no disagreement about the day, no different names around the numbers, and the
    words around the numbers agree (two shared, or one plus a close overall wording).
    """
    buckets: dict[tuple[str, str], list[tuple[int, Value]]] = {}
    for n, s in enumerate(items):
        if _HYPOTHETICAL.search(s.text):
            continue
        counts = [v for v in s.values if v.quantity is not None and v.kind == "count"]
        for noun in {v.quantity.noun for v in counts if v.quantity is not None}:
            mine = [v for v in counts if v.quantity is not None and v.quantity.noun == noun]
            if len(mine) == 1 and not is_part(s, mine[0]):
                buckets.setdefault((noun, mine[0].quantity.unit if mine[0].quantity else ""), []).append((n, mine[0]))
    out: list[Conflict] = []
    for members in buckets.values():
        if len(members) > 200:  # a noun counted everywhere in a huge story: too vague to pair
            continue
        for i, (n, x) in enumerate(members):
            for m, y in members[i + 1 :]:
                a, b = items[n], items[m]
                if a.article == b.article or values_consistent(x, y) or not _dates_compatible(a, b):
                    continue
                wa, wb = window_words(a.text, x.start, x.end), window_words(b.text, y.start, y.end)
                names_a = _names(wa, a.text) - {_fold_name(w) for w in _tokens_text(b.text)}
                names_b = _names(wb, b.text) - {_fold_name(w) for w in _tokens_text(a.text)}
                if names_a and names_b:
                    continue
                # Shared words about the event itself: a shared weekday or month says nothing.
                shared = len((content_words(" ".join(wa)) & content_words(" ".join(wb))) - _CALENDAR_WORDS)
                if shared >= 2 or (shared == 1 and dice(a.words, b.words) >= _COUNTED_MIN_DICE):
                    out.append(Conflict(kind="count", a=x, b=y, said_a=a, said_b=b))
    return out


class ContradictionFinder(StoryStage):
    """Sets ``story.contradictions``: where aligned statements disagree on a value."""

    name = "contradictions"

    def __init__(self, settings: AnalyseSettings, resolver: DateResolver | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.resolver = resolver

    def candidate_pairs(self, story: Story, said: Mapping[tuple[str, int], Said]) -> list[tuple[Said, Said]]:
        """Sentence pairs from different articles that state the same thing."""
        pairs: set[tuple[tuple[str, int], tuple[str, int]]] = set()
        for fact in story.facts:
            keys = [(m.article, m.sentence) for m in fact.mentions]
            for i, ka in enumerate(keys):
                for kb in keys[i + 1 :]:
                    if ka[0] != kb[0] and ka in said and kb in said:
                        pairs.add((min(ka, kb), max(ka, kb)))
        # Sentences with most of their wording in common, values aside: the fact stage keeps only
        # the top facts, and a changed number or name lowers the embedding similarity anyway.
        items = [s for s in said.values() if s.values or any(m.label in _NAMED for m in s.mentions)]
        for a, b in lexical_pairs(items, self.settings.contradiction_min_overlap):
            ka, kb = (a.article, a.sentence), (b.article, b.sentence)
            pairs.add((min(ka, kb), max(ka, kb)))
        return [(said[a], said[b]) for a, b in sorted(pairs)]

    def analyse(self, story: Story, articles: Mapping[str, Article]) -> None:
        resolve_undated(story, articles, self.resolver)
        said: dict[tuple[str, int], Said] = {}
        for aid in story.articles:
            article = articles.get(aid)
            if article is None:
                continue
            for s in article.sentences:
                said[(aid, s.index)] = sentence_values(article, s.index)
        aliases = _aliases(story)
        conflicts: list[Conflict] = []
        for sa, sb in self.candidate_pairs(story, said):
            # Two counts stated for different days are two tolls, not one disputed toll.
            same_day = _dates_compatible(sa, sb)
            conflicts.extend(c for c in value_conflicts(sa, sb) if same_day or c.kind in ("date", "year"))
            conflicts.extend(name_conflicts(sa, sb, aliases))
        conflicts.extend(counted_conflicts([s for s in said.values() if s.values]))
        story.contradictions = merge_conflicts(conflicts, story)
        self.stats.extra["contradictions"] = self.stats.extra.get("contradictions", 0.0) + len(story.contradictions)


def merge_conflicts(conflicts: Sequence[Conflict], story: Story) -> list[Contradiction]:
    """One contradiction per disputed thing, one claim per value with every article that states it."""
    groups: list[tuple[str, set[str], set[str], list[Conflict]]] = []  # kind, values, words, conflicts
    for c in conflicts:
        keys = {c.a.key, c.b.key}
        words = set(c.said_a.words | c.said_b.words)
        for kind, values, gwords, members in groups:
            if kind == c.kind and values & keys and dice(frozenset(gwords), frozenset(words)) >= 0.3:
                values |= keys
                gwords |= words
                members.append(c)
                break
        else:
            groups.append((c.kind, keys, words, [c]))
    order = {aid: i for i, aid in enumerate(story.articles)}
    out: list[Contradiction] = []
    for kind, _, _, members in groups:
        claims: dict[str, Claim] = {}
        first: tuple[Said, Value] | None = None
        for c in members:
            for said, value in ((c.said_a, c.a), (c.said_b, c.b)):
                first = first or (said, value)
                claim = claims.setdefault(value.key, Claim(value=value.key, text=said.text, articles=[]))
                if said.article not in claim.articles:
                    claim.articles.append(said.article)
        for claim in claims.values():
            claim.articles.sort(key=lambda a: order.get(a, len(order)))
        assert first is not None
        out.append(
            Contradiction(
                about=describe(first[0], first[1], kind),
                kind=kind,
                claims=sorted(claims.values(), key=lambda cl: (-len(cl.articles), cl.value)),
            )
        )
    # Disagreements between more independent sources first.
    out.sort(key=lambda c: -story.count_sources([a for cl in c.claims for a in cl.articles]))
    return out
