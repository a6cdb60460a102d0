"""Date expressions, resolved against the article's publish date (or a story's reference date).

We look for date expressions with our own patterns, sentence by sentence (``dateparser.search_dates``
over whole text gives false hits such as "We" or "may"), and resolve them:
- absolute dates with a year ("May 10, 2017", "12 April 2017", "March 2014", "in 2013") need no reference
  (dateparser reads the explicit ones, which also covers other languages such as "10 мая 2017 года");
- everything else ("April 12", "in July", "on Thursday", "last week", "yesterday") needs the reference
  date, and when the expression alone is ambiguous the tense of its clause decides the direction:
  "will take part on Thursday" is the coming Thursday, "met on Wednesday" the past one, and a present or
  progressive clause takes the nearest.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from storydesk.records import Article, DateMention, Precision, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Token

    from storydesk.annotate.entities import Segment

Tense = Literal["past", "future", "present", "unknown"]
Direction = Literal["past", "future", "nearest"]

_MONTHS = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTH_INDEX = {m: i + 1 for i, m in enumerate(_MONTHS)} | {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_INDEX["sept"] = 9
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ORDINALS = {
    w: i + 1
    for i, w in enumerate(
        [
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
            "twenty-first",
            "twenty-second",
            "twenty-third",
            "twenty-fourth",
            "twenty-fifth",
            "twenty-sixth",
            "twenty-seventh",
            "twenty-eighth",
            "twenty-ninth",
            "thirtieth",
            "thirty-first",
        ]
    )
}
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
} | {"a": 1, "an": 1, "several": 3, "a few": 3, "few": 3}

_MONTH_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_ANY = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_ORD_WORD = "(?:" + "|".join(sorted(_ORDINALS, key=len, reverse=True)) + ")"
_NUM = r"(?:\d{1,3}|a few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"

# (kind, pattern); the first pattern to claim a stretch of text wins, longer matches first.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?P<m>{_MONTH_ANY})\s+(?P<d>{_DAY}),?\s+(?P<y>{_YEAR})\b")),
    (
        "dmy",
        re.compile(
            rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH_ANY}),?\s+(?P<y>{_YEAR})\b"
        ),
    ),
    (
        "dmy_word",
        re.compile(
            rf"\b(?:the\s+)?(?P<d>{_ORD_WORD})\s+of\s+(?P<m>{_MONTH_FULL}),?\s+(?P<y>{_YEAR})\b", re.I
        ),
    ),
    ("my", re.compile(rf"\b(?P<m>{_MONTH_FULL})\s+(?:of\s+)?(?P<y>{_YEAR})\b")),
    ("md", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?P<m>{_MONTH_ANY})\s+(?P<d>{_DAY})\b(?![\d:.,]\d)")),
    ("dm", re.compile(rf"\b(?:{_WEEKDAY},?\s+)?(?:the\s+)?(?P<d>{_DAY})\s+(?:of\s+)?(?P<m>{_MONTH_ANY})\b")),
    ("dm_word", re.compile(rf"\b(?:the\s+)?(?P<d>{_ORD_WORD})\s+of\s+(?P<m>{_MONTH_FULL})\b", re.I)),
    (
        "day_rel",
        re.compile(
            r"\b(?P<w>the day before yesterday|the day after tomorrow|yesterday|today|tonight|tomorrow|this (?:morning|afternoon|evening))\b",
            re.I,
        ),
    ),
    ("ago", re.compile(rf"\b(?P<n>{_NUM})\s+(?P<u>day|week|month|year)s?\s+(?:ago|earlier)\b", re.I)),
    (
        "in_n",
        re.compile(
            rf"\b(?:in|within)\s+(?P<n>{_NUM})\s+(?P<u>day|week|month|year)s?(?!\s+(?:ago|earlier))\b", re.I
        ),
    ),
    (
        "period",
        re.compile(
            r"\b(?:(?P<mod>last|next|this|past|coming|previous)|(?P<pre>later|earlier|early|late)\s+this)\s+(?P<u>week|month|year)\b",
            re.I,
        ),
    ),
    ("weekday", re.compile(rf"\b(?:(?P<mod>last|next|this|past|coming)\s+)?(?P<w>{_WEEKDAY})\b", re.I)),
    ("month", re.compile(rf"\b(?:(?P<mod>last|next|this|past|coming)\s+)?(?P<m>{_MONTH_FULL})\b")),
    ("year", re.compile(rf"(?<![\w$€£¥.,/-])(?P<y>{_YEAR})(?![\w%/]|[.,]\d|-\d\d-)")),
]
# Something every match of every pattern above (and _FOREIGN_DMY) holds: a digit, a unit, a month or a
# word of day_rel; a sentence without one has no candidate (most have none: skip the 15 scans).
_DATE_HINT = re.compile(
    r"\d|day|week|month|year|tonight|tomorrow|morning|afternoon|evening|" + "|".join(_MONTHS), re.I
)
# Non-English articles: explicit dates for dateparser in the article's language ("10 мая 2017 года").
_FOREIGN_DMY = re.compile(r"\b(?P<d>[0-3]?\d)\.?\s+(?P<m>[^\W\d_]{3,})\.?\s+(?P<y>1[89]\d\d|20\d\d)\b")

# Words before a bare month that make it a date ("in July") rather than a name or the verb ("May I").
_MONTH_CONTEXT = frozenset(
    [
        "in",
        "since",
        "until",
        "till",
        "by",
        "from",
        "to",
        "through",
        "throughout",
        "during",
        "early",
        "mid",
        "late",
        "last",
        "next",
        "this",
        "of",
        "the",
        "before",
        "after",
        "around",
        "and",
        "or",
        "between",
        "end",
        "beginning",
        "middle",
    ]
)
# Words before a four-digit number that make it a year.
_YEAR_BEFORE = frozenset(
    [
        "in",
        "since",
        "of",
        "until",
        "till",
        "by",
        "from",
        "to",
        "before",
        "after",
        "between",
        "and",
        "or",
        "around",
        "circa",
        "during",
        "early",
        "late",
        "mid",
        "the",
        "fiscal",
        "year",
        "summer",
        "winter",
        "spring",
        "autumn",
        "fall",
        "through",
        "throughout",
        "as",
        "'s",
        "’s",
        "back",
    ]
)
_YEAR_NOT_ENTITIES = {"CARDINAL", "MONEY", "QUANTITY", "PERCENT"}
# Governors of an infinitive that look ahead: "is scheduled to meet on Wednesday".
_FUTURE_GOVERNORS = frozenset(
    [
        "schedule",
        "scheduled",
        "expect",
        "expected",
        "set",
        "due",
        "plan",
        "planned",
        "planning",
        "plans",
        "intend",
        "intends",
        "intended",
        "hope",
        "hopes",
        "want",
        "wants",
        "aim",
        "aims",
        "prepare",
        "prepares",
        "preparing",
        "going",
        "agree",
        "agreed",
        "promise",
        "promised",
        "decide",
        "decided",
        "likely",
        "about",
    ]
)
_FUTURE_AUX = frozenset(
    {"will", "shall", "'ll", "’ll", "wo", "may", "might", "could", "can", "should", "must"}
)
_PAST_AUX = frozenset({"was", "were", "had", "has", "have", "did", "'d", "’ve", "'ve"})


@dataclass(slots=True)
class _Candidate:
    kind: str
    match: re.Match[str]
    start: int  # article offsets
    end: int
    sentence: int


TenseOracle = Callable[[int, int], Tense]


# --------------------------------------------------------------------------------------------
# tense of the clause that holds a date
# --------------------------------------------------------------------------------------------


def _governing_verb(token: Token) -> Token | None:
    t = token
    for _ in range(10):
        if t.pos_ in {"VERB", "AUX"} or t.tag_.startswith("VB") or t.tag_ == "MD":
            return t
        if t.head is t:
            return None
        t = t.head
    return None


def clause_tense(token: Token) -> Tense:
    """Tense of the clause ``token`` belongs to, from its governing verb and auxiliaries."""
    verb = _governing_verb(token)
    for _ in range(4):
        if verb is None:
            return "unknown"
        aux = [c.lower_ for c in verb.children if c.dep_ in {"aux", "auxpass"}]
        if any(a in _FUTURE_AUX for a in aux):
            return "future"
        if verb.tag_ == "VB" and "to" in aux:
            governor = verb.head
            if governor is verb:  # headline style "Minister to start visit on Tuesday"
                return "future"
            if governor.lower_ in _FUTURE_GOVERNORS or governor.lemma_ in _FUTURE_GOVERNORS:
                return "future"
            verb = _governing_verb(governor)
            continue
        if (
            verb.lower_ in _FUTURE_GOVERNORS
            and verb.tag_ in {"VBN", "JJ"}
            and any(a in {"is", "are", "am", "'s", "’s", "'re"} for a in aux)
        ):
            return "future"  # "the vote is scheduled for Friday"
        if verb.tag_ == "VBD" or any(a in _PAST_AUX for a in aux):
            return "past"
        if verb.tag_ in {"VBZ", "VBP", "VBG"} or any(a in {"is", "are", "am"} for a in aux):
            return "present"
        if verb.tag_ == "MD":
            return "future" if verb.lower_ in _FUTURE_AUX else "unknown"
        return "unknown"
    return "unknown"


def tense_oracle(segments: Sequence[Segment]) -> TenseOracle:
    """Look up the tense at an article offset in the parsed segments."""
    starts = [s.start for s in segments]

    def at(start: int, end: int) -> Tense:
        i = bisect.bisect_right(starts, start) - 1
        if i < 0:
            return "unknown"
        seg = segments[i]
        span = seg.doc.char_span(start - seg.start, end - seg.start, alignment_mode="expand")
        if span is None or len(span) == 0:
            return "unknown"
        return clause_tense(span.root)

    return at


def _token_at(segments: Sequence[Segment], start: int) -> Token | None:
    starts = [s.start for s in segments]
    i = bisect.bisect_right(starts, start) - 1
    if i < 0:
        return None
    seg = segments[i]
    span = seg.doc.char_span(start - seg.start, start - seg.start + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


# --------------------------------------------------------------------------------------------
# calendar arithmetic
# --------------------------------------------------------------------------------------------


def _direction(tense: Tense) -> Direction:
    return "past" if tense == "past" else "future" if tense == "future" else "nearest"


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _pick_month(ref: dt.date, month: int, direction: Direction, strict: bool = False) -> dt.date:
    """The ``month`` (first day) before, after or nearest to ``ref``'s month."""
    options = [dt.date(ref.year + k, month, 1) for k in (-1, 0, 1)]
    here = dt.date(ref.year, ref.month, 1)
    if direction == "past":
        return max(o for o in options if (o < here if strict else o <= here))
    if direction == "future":
        return min(o for o in options if (o > here if strict else o >= here))
    # nearest; a tie (six months either way) goes to the past: news mostly reports
    return min(options, key=lambda o: (abs((o.year - here.year) * 12 + o.month - here.month), o > here))


def _pick_day(ref: dt.date, month: int, day: int, direction: Direction) -> dt.date | None:
    options: list[dt.date] = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            options.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not options:
        return None
    past = [o for o in options if o <= ref]
    future = [o for o in options if o >= ref]
    if direction == "past" and past:
        return max(past)
    if direction == "future" and future:
        return min(future)
    return min(options, key=lambda o: (abs((o - ref).days), o > ref))


def _pick_weekday(ref: dt.date, weekday: int, direction: Direction, modifier: str) -> dt.date:
    delta = (weekday - ref.weekday()) % 7  # 0..6 days ahead
    if modifier in {"last", "past"}:
        return ref - dt.timedelta(days=(7 - delta) if delta else 7)
    if modifier in {"next", "coming"}:
        return ref + dt.timedelta(days=delta or 7)
    if direction == "future":
        return ref + dt.timedelta(days=delta)
    if direction == "past":
        return ref - dt.timedelta(days=(7 - delta) % 7)
    return ref + dt.timedelta(days=delta if delta <= 3 else delta - 7)


def _number(text: str) -> int | None:
    text = text.lower()
    if text.isdigit():
        return int(text)
    return _NUMBER_WORDS.get(text)


def _month_number(word: str) -> int:
    key = word.lower().rstrip(".")
    return _MONTH_INDEX.get(key) or _MONTH_INDEX[key[:3]]


@functools.lru_cache(maxsize=4096)
def _dateparser(text: str, language: str) -> dt.date | None:
    import dateparser

    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "RELATIVE_BASE": dt.datetime(2000, 1, 1),  # explicit dates only: the base must not leak in
        "REQUIRE_PARTS": ["year"],
        "STRICT_PARSING": False,
    }
    try:
        parsed = dateparser.parse(text, languages=[language], settings=settings)  # type: ignore[arg-type]
    except (ValueError, KeyError, OverflowError):
        return None
    return parsed.date() if parsed else None


# --------------------------------------------------------------------------------------------
# finding and resolving
# --------------------------------------------------------------------------------------------


def _candidates(text: str, sentences: Sequence[Sentence], language: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    patterns = (
        _PATTERNS if language in {"en", ""} else [("foreign", _FOREIGN_DMY), *_PATTERNS[:1], _PATTERNS[-1]]
    )
    for sentence in sentences:
        if not _DATE_HINT.search(text, sentence.start, sentence.end):
            continue
        body = text[sentence.start : sentence.end]
        taken: list[tuple[int, int]] = []
        for kind, pattern in patterns:
            for m in pattern.finditer(body):
                a, b = m.span()
                if any(a < y and x < b for x, y in taken):
                    continue
                taken.append((a, b))
                found.append(_Candidate(kind, m, sentence.start + a, sentence.start + b, sentence.index))
    return sorted(found, key=lambda c: c.start)


def _previous_word(text: str, start: int) -> str:
    m = re.search(r"([\w'’]+)\W*$", text[max(0, start - 30) : start])
    return m.group(1).lower() if m else ""


def _next_word(text: str, end: int) -> str:
    m = re.match(r"\s*([\w'’]+)", text[end : end + 30])
    return m.group(1) if m else ""


def _is_year(c: _Candidate, text: str, segments: Sequence[Segment] | None, ref: dt.date | None) -> bool:
    value = int(c.match.group("y"))
    if ref is not None and value > ref.year + 30:
        return False
    token = _token_at(segments, c.start) if segments else None
    if token is not None:
        if token.ent_type_ in _YEAR_NOT_ENTITIES:
            return False
        if token.ent_type_ == "DATE":
            return True
    before = _previous_word(text, c.start)
    after = _next_word(text, c.end)
    if before in {"g", "number", "no", "nos", "page", "pages", "room", "flight", "route", "code", "model"}:
        return False
    if (
        after.islower()
        and after.endswith("s")
        and not after.endswith("ss")
        and after not in {"was", "is", "has"}
    ):
        return False  # "2013 people", "1500 troops": a count
    if after.lower() in {
        "percent",
        "per",
        "km",
        "miles",
        "kilometres",
        "kilometers",
        "meters",
        "metres",
        "tons",
    }:
        return False
    return before in _YEAR_BEFORE or not after or not after[0].isalnum()


def _resolve(
    c: _Candidate,
    text: str,
    ref: dt.date | None,
    tense: Callable[[], Tense],
    language: str,
    segments: Sequence[Segment] | None,
) -> tuple[dt.date, Precision, bool, int] | None:
    """(value, precision, relative, span_days) for one candidate, or None when it cannot be resolved."""
    m = c.match
    kind = c.kind
    if kind == "iso":
        try:
            return dt.date(int(m["y"]), int(m["m"]), int(m["d"])), "day", False, 1
        except ValueError:
            return None
    if kind in {"mdy", "dmy", "dmy_word", "foreign"}:
        day_text = m["d"]
        day = _ORDINALS.get(day_text.lower()) or int(re.sub(r"\D", "", day_text))
        if kind == "foreign":
            value = _dateparser(m.group(0), language)
            return (value, "day", False, 1) if value else None
        try:
            return dt.date(int(m["y"]), _month_number(m["m"]), day), "day", False, 1
        except ValueError:
            return None
    if kind == "my":
        return dt.date(int(m["y"]), _month_number(m["m"]), 1), "month", False, 1
    if kind == "year":
        if not _is_year(c, text, segments, ref):
            return None
        return dt.date(int(m["y"]), 1, 1), "year", False, 1
    if ref is None:
        return None  # everything below needs a reference date
    if kind in {"md", "dm", "dm_word"}:
        month_word = m["m"]
        day_text = m["d"]
        day = _ORDINALS.get(day_text.lower()) or int(re.sub(r"\D", "", day_text) or 0)
        if not 1 <= day <= 31:
            return None
        value = _pick_day(ref, _month_number(month_word), day, _direction(tense()))
        return (value, "day", True, 1) if value else None
    if kind == "day_rel":
        word = m["w"].lower()
        offset = {"yesterday": -1, "tomorrow": 1, "the day before yesterday": -2, "the day after tomorrow": 2}
        return ref + dt.timedelta(days=offset.get(word, 0)), "day", True, 1
    if kind in {"ago", "in_n"}:
        n = _number(m["n"])
        if n is None:
            return None
        if kind == "in_n" and tense() != "future":
            return None  # "the first visit in four years" is a duration, not a date
        sign = -1 if kind == "ago" else 1
        unit = m["u"].lower()
        if unit == "day":
            return ref + dt.timedelta(days=sign * n), "day", True, 1
        if unit == "week":
            return ref + dt.timedelta(days=sign * 7 * n), "day", True, 7
        if unit == "month":
            y, mo = _add_months(ref.year, ref.month, sign * n)
            return dt.date(y, mo, 1), "month", True, 1
        return dt.date(ref.year + sign * n, 1, 1), "year", True, 1
    if kind == "period":
        mod = (m["mod"] or "this").lower()
        step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(mod, 0)
        unit = m["u"].lower()
        if unit == "week":
            monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(days=7 * step)
            return monday, "day", True, 7
        if unit == "month":
            y, mo = _add_months(ref.year, ref.month, step)
            return dt.date(y, mo, 1), "month", True, 1
        return dt.date(ref.year + step, 1, 1), "year", True, 1
    if kind == "weekday":
        weekday = _WEEKDAYS.index(m["w"].lower())
        if m["w"][0].islower() and not m["mod"]:
            return None
        return _pick_weekday(ref, weekday, _direction(tense()), (m["mod"] or "").lower()), "day", True, 1
    if kind == "month":
        mod = (m["mod"] or "").lower()
        before = _previous_word(text, c.start)
        after = _next_word(text, c.end)
        if not mod and before not in _MONTH_CONTEXT and after not in {"'s", "’s"}:
            return None  # "May I", "March on", a person called April
        month = _month_number(m["m"])
        if mod in {"last", "past"}:
            return _pick_month(ref, month, "past", strict=True), "month", True, 1
        if mod in {"next", "coming"}:
            return _pick_month(ref, month, "future", strict=True), "month", True, 1
        return _pick_month(ref, month, _direction(tense())), "month", True, 1
    return None


def find_dates(
    text: str,
    sentences: Sequence[Sentence],
    reference: dt.date | None,
    *,
    segments: Sequence[Segment] | None = None,
    language: str = "en",
) -> list[DateMention]:
    """Every date expression in ``text`` that can be resolved; ``segments`` (parsed text) give tenses."""
    oracle = tense_oracle(segments) if segments else None
    out: list[DateMention] = []
    for c in _candidates(text, sentences, language):

        def tense(c: _Candidate = c) -> Tense:
            return oracle(c.start, c.end) if oracle else "unknown"

        resolved = _resolve(c, text, reference, tense, language, segments)
        if resolved is None:
            continue
        value, precision, relative, span_days = resolved
        out.append(
            DateMention(
                text=text[c.start : c.end],
                value=value,
                precision=precision,
                start=c.start,
                end=c.end,
                sentence=c.sentence,
                relative=relative,
                span_days=span_days,
            )
        )
    return out


def resolve_dates(
    article: Article, reference: dt.date | None = None, *, spacy_models: Sequence[str] | None = None
) -> list[DateMention]:
    """Re-resolve an annotated article's dates against ``reference`` (default: its publish date).

    For the timeline stage: an article without a publish date can be resolved against the story's date.
    Absolute dates with a year resolve without any reference; relative ones need one. ``spacy_models``
    defaults to the packaged ``[annotate] spacy_models``.
    """
    from storydesk.annotate.entities import Segment, load_model, model_for
    from storydesk.settings import AnnotateSettings

    ref = reference or article.published_date
    segments: list[Segment] = []
    models = spacy_models if spacy_models is not None else AnnotateSettings().spacy_models
    name = model_for(article.language or "en", models)
    if name is not None and article.sentences:
        # Parse only the sentences that hold a candidate: the tense is all we need from spaCy here.
        wanted = sorted({c.sentence for c in _candidates(article.text, article.sentences, article.language)})
        chosen = [article.sentences[i] for i in wanted]
        nlp = load_model(name)
        for sentence, doc in zip(chosen, nlp.pipe([s.text for s in chosen]), strict=True):
            segments.append(Segment(start=sentence.start, doc=doc))
    return find_dates(
        article.text, article.sentences, ref, segments=segments or None, language=article.language or "en"
    )
