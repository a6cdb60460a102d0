"""Numbers in news sentences, normalised so that two wordings of one value compare equal.

``extract_quantities`` finds counts, amounts, percentages, ages, durations, distances, weights and
years in a sentence; number words ("two", "twenty-five", "1.5 million", "a dozen") and units are
normalised to one scale per dimension (seconds, metres, kilograms, a currency code). Each quantity
carries how it was qualified ("more than", "about", "up to") so :func:`consistent` compares value
*ranges*, not printed numbers: "more than two hours" and "150 minutes" agree; "93-year-old" and
"turning 94" agree because an upcoming birthday states the age one year ahead.

Dates are resolved by the annotator; :func:`resolve_undated` re-resolves the articles that have no
publish date against the story's reference date, so every analyse stage sees the same dates.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from storydesk.records import Article, DateMention, Story

Kind = Literal["count", "amount", "percent", "age", "duration", "distance", "weight", "temperature", "year"]
Bound = Literal["exact", "approx", "lower", "upper"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "mln": 1_000_000, "bn": 1_000_000_000, "m": 1_000_000,
    "k": 1_000, "tn": 1_000_000_000_000,
}
_SPELLED_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}

# Duration units in seconds; a month and a year are averages (only used to compare, never shown).
_DURATION = {
    "second": 1.0, "sec": 1.0, "minute": 60.0, "min": 60.0, "hour": 3600.0, "hr": 3600.0,
    "day": 86_400.0, "week": 604_800.0, "fortnight": 1_209_600.0, "month": 2_629_746.0,
    "year": 31_556_952.0, "decade": 315_569_520.0, "century": 3_155_695_200.0,
}
_DISTANCE = {
    "km": 1000.0, "kilometre": 1000.0, "kilometer": 1000.0, "mile": 1609.344, "mi": 1609.344,
    "metre": 1.0, "meter": 1.0, "foot": 0.3048, "feet": 0.3048, "ft": 0.3048, "yard": 0.9144,
    "cm": 0.01, "centimetre": 0.01, "centimeter": 0.01, "nautical": 1852.0,
}
_WEIGHT = {
    "kg": 1.0, "kilogram": 1.0, "kilo": 1.0, "gram": 0.001, "g": 0.001, "tonne": 1000.0,
    "ton": 1000.0, "lb": 0.45359237, "lbs": 0.45359237, "ounce": 0.0283495, "oz": 0.0283495,
}
_CURRENCY_SYMBOL = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB"}
_CURRENCY_WORD = {
    "dollar": "USD", "usd": "USD", "euro": "EUR", "eur": "EUR", "rouble": "RUB", "ruble": "RUB",
    "rub": "RUB", "yuan": "CNY", "yen": "JPY", "hryvnia": "UAH", "sterling": "GBP", "gbp": "GBP",
}
_PERCENT = {"%", "percent", "pct", "percentage"}

# Words before a number that turn it into a range; why: "more than two hours" is not "two hours".
_LOWER = ("more than", "over", "at least", "in excess of", "upwards of", "no fewer than", "no less than")
_UPPER = ("less than", "fewer than", "under", "up to", "at most", "no more than", "below")
_APPROX = ("about", "around", "some", "roughly", "approximately", "nearly", "almost", "close to",
           "an estimated", "estimated", "circa", "approx")
# Aggregate markers: a total may exceed any of its parts without contradicting them.
_AGGREGATE = re.compile(
    r"\b(in total|total|totall?y|altogether|overall|combined|in all|all told|cumulative|both\b.{1,60}\band)\b",
    re.IGNORECASE,
)
# "Jane Doe, 28, was charged", "Pally, 19, of West Hartford": a capitalised name, then the age in commas.
_APPOSITIVE_AGE_BEFORE = re.compile(r"(?<![,\d])\b[A-Z][\w'’-]*[a-z][\w'’-]*,\s*$")
_APPOSITIVE_AGE_AFTER = re.compile(r"\s*(?:,|\)|$)")
_BIRTHDAY = re.compile(r"\b(turns?|turning|will turn|celebrat\w*)\s*$", re.IGNORECASE)

# Digit groups may be separated by commas or by (narrow/no-break) spaces: "1,000,000", "1 000 000".
# A comma only continues a number when three digits follow ("28, was" is 28 and a comma).
_TOKEN = re.compile(
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+,\d+|\d+(?:\.\d+)?|[A-Za-z]+|[$€£¥₽%]|-|\S"
)
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
}
_STOPWORD_TEXT = """a an the and or but of in on at to for from by with as is are was were be been being has have had
    do does did this that these those it its he she they them his her their we our you your i me my not no
    than then there here which who whom whose what when where why how all any both each few more most other
    some such only own same so too very can will just should would could may might must also after before
    during while about into over under again further once up down out off against between through said says
    say according"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


@dataclass(frozen=True, slots=True)
class Quantity:
    """One normalised number in a sentence.

    ``value`` is on the canonical scale of its ``unit`` (seconds, metres, kilograms, a currency code,
    "percent", "years" for ages and years, or the counted noun for counts).
    """

    kind: Kind
    value: float
    unit: str
    text: str
    start: int
    end: int
    bound: Bound = "exact"
    noun: str = ""  # for counts: the counted thing ("people", "diplomat")
    aggregate: bool = False  # the sentence states a total ("in total", "both ... and ...")
    birthday: bool = False  # an age at an upcoming birthday ("turning 94")

    def interval(self) -> tuple[float, float]:
        """The range of true values this wording allows (rounding, qualifiers, birthdays)."""
        v = self.value
        if self.kind == "age":
            # "93-year-old" means 93 <= age < 94; "turning 94" means the age is 93 until the birthday.
            return (v - 1.0, v) if self.birthday else (v, v + 0.999)
        if self.kind == "year":
            return (v, v)
        # Rounding: a printed figure stands for anything that rounds to it at its last significant digit.
        slack = _rounding_slack(self.text, v)
        if self.bound == "lower":
            return (v, math.inf)
        if self.bound == "upper":
            return (0.0, v + slack)
        if self.bound == "approx":
            return (v * 0.85 - slack, v * 1.15 + slack)
        return (v - slack, v + slack)


def _rounding_slack(text: str, value: float) -> float:
    """Half a unit of the last printed digit, plus 3% for unit conversions ("5 miles" ≈ "8 km")."""
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", text)
    if digits and digits.group(1):
        step = 10.0 ** -len(digits.group(1))
        raw = float(digits.group(0).replace(",", ""))
        scale = value / raw if raw else 1.0
        return 0.5 * step * scale + abs(value) * 0.03
    return abs(value) * 0.03


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        return self.text.lower()


def tokenize(text: str) -> list[_Tok]:
    return [_Tok(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def singular(word: str) -> str:
    """A crude English singular, enough to compare units and counted nouns."""
    w = word.lower()
    if w in ("feet", "people", "children", "men", "women", "series", "news"):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def parse_number_words(words: list[str]) -> tuple[float, int] | None:
    """Parse spelled or written numbers at the start of ``words`` ("twenty - five", "1.5 million").

    Returns (value, tokens used) or None. Hyphens between tens and units are tokens of their own.
    """
    if not words:
        return None
    first = words[0].lower()
    i = 0
    total = 0.0
    current = 0.0
    seen = False
    if re.fullmatch(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+", first):
        first = re.sub(r"[ \u00a0\u202f]", ",", first)
    if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", first):
        if "," in first and not re.fullmatch(r"\d{1,3}(,\d{3})+", first):
            return None  # "1,2" is a list, not a number
        current = float(first.replace(",", ""))
        i = 1
        seen = True
        # A written number may carry a spelled scale: "1.5 million", "2 bn".
        if i < len(words) and words[i].lower() in _SCALES:
            current *= _SCALES[words[i].lower()]
            i += 1
        return current, i
    if first in ("a", "an") and len(words) > 1 and words[1].lower() in ("hundred", "thousand", "million", "billion", "dozen"):
        words = ["one", *words[1:]]
        first = "one"
    while i < len(words):
        w = words[i].lower()
        if w in _UNITS:
            current += _UNITS[w]
            seen = True
        elif w in _TENS:
            current += _TENS[w]
            seen = True
        elif w == "-" and seen and i + 1 < len(words) and words[i + 1].lower() in _UNITS:
            pass  # twenty-five
        elif w == "and" and seen and i + 1 < len(words) and (
            words[i + 1].lower() in _UNITS or words[i + 1].lower() in _TENS
        ) and current >= 100:
            pass  # one hundred and five
        elif w == "dozen" and seen:
            current *= 12
        elif w in _SPELLED_SCALES and seen:
            if w == "hundred":
                current *= 100
            else:
                total += current * _SCALES[w]
                current = 0.0
        else:
            break
        i += 1
    if not seen:
        return None
    return total + current, i


def _qualifier(text: str, start: int) -> Bound:
    before = text[max(0, start - 24) : start].lower().rstrip()
    before = re.sub(r"[$€£¥₽]$", "", before).rstrip()
    for phrase in _LOWER:
        if before.endswith(phrase):
            return "lower"
    for phrase in _UPPER:
        if before.endswith(phrase):
            return "upper"
    for phrase in _APPROX:
        if before.endswith(phrase):
            return "approx"
    return "exact"


def _unit_at(toks: list[_Tok], j: int) -> tuple[str, str, float, int] | None:
    """The unit starting at token ``j`` (skipping one hyphen): (kind, canonical unit, factor, tokens used)."""
    k = j + 1 if j < len(toks) and toks[j].text == "-" else j
    if k >= len(toks):
        return None
    w = toks[k].low
    s = singular(w)
    if w in _PERCENT:
        return ("percent", "percent", 1.0, k - j + 1)
    if w == "per" and k + 1 < len(toks) and toks[k + 1].low == "cent":
        return ("percent", "percent", 1.0, k - j + 2)
    if s in _DURATION:
        return ("duration", "s", _DURATION[s], k - j + 1)
    if s in _DISTANCE or w in _DISTANCE:
        return ("distance", "m", _DISTANCE.get(s, _DISTANCE.get(w, 1.0)), k - j + 1)
    if s in _WEIGHT or w in _WEIGHT:
        return ("weight", "kg", _WEIGHT.get(s, _WEIGHT.get(w, 1.0)), k - j + 1)
    if s in _CURRENCY_WORD:
        return ("amount", _CURRENCY_WORD[s], 1.0, k - j + 1)
    if w == "degrees" or w == "degree":
        nxt = toks[k + 1].low if k + 1 < len(toks) else ""
        return ("temperature", "F" if nxt.startswith("f") else "C", 1.0, k - j + (2 if nxt in ("celsius", "c", "fahrenheit", "f") else 1))
    return None


def extract_quantities(text: str) -> list[Quantity]:
    """Every number in ``text`` with its kind, unit and qualifier (offsets are into ``text``)."""
    # facts, contradictions and the summariser all read the same sentences: parse each text once.
    return list(_quantities(text))


@functools.lru_cache(maxsize=20_000)
def _quantities(text: str) -> tuple[Quantity, ...]:
    return tuple(_parse_quantities(text))


_PART_OF = re.compile(r"\b([\w-]+)\s+(?:out\s+)?of\s+(?:the\s+)?$", re.IGNORECASE)


def _parse_quantities(text: str) -> list[Quantity]:
    toks = tokenize(text)
    aggregate = bool(_AGGREGATE.search(text))
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        # A digit glued to a letter ("G20", "F-16", "2+2") is a name, not a quantity.
        if tok.text[0].isdigit() and tok.start > 0 and (text[tok.start - 1].isalpha() or text[tok.start - 1] in "-+"):
            i += 1
            continue
        # An ordinal ("94th", "3rd") is a rank or a date, not an amount.
        if tok.text[0].isdigit() and i + 1 < len(toks) and toks[i + 1].start == tok.end and toks[i + 1].low in ("st", "nd", "rd", "th"):
            i += 2
            continue
        # A number right after a month name is a day of the month ("April 12"), left to the date resolver.
        if tok.text[0].isdigit() and i > 0 and (
            toks[i - 1].low in _MONTHS or (toks[i - 1].text == "." and i > 1 and toks[i - 2].low in _MONTHS)
        ):
            i += 1
            continue
        # A clock time ("11:20am"), a decade ("1960s", "'60s") or a code glued to letters ("20am")
        # is not an amount; a unit glued to a number ("5km", "2bn") still is.
        if tok.text[0].isdigit() and (
            (tok.start > 0 and text[tok.start - 1] in ":'’")
            or (tok.end < len(text) and text[tok.end] == ":" and tok.end + 1 < len(text) and text[tok.end + 1].isdigit())
            or (i + 1 < len(toks) and toks[i + 1].start == tok.end and toks[i + 1].text.isalpha() and not _glued_unit(toks[i + 1].low))
        ):
            i += 1
            continue
        parsed = parse_number_words([t.text for t in toks[i : i + 12]])
        if parsed is None:
            i += 1
            continue
        value, used = parsed
        j = i + used
        start = tok.start
        end = toks[j - 1].end
        nxt = toks[j].text if j < len(toks) else ""
        if nxt in ("+", "/") or (nxt == "-" and j + 1 < len(toks) and toks[j + 1].text[0].isdigit()):
            i = j + 1  # "2 + 2", "24/7", "2013-2014": formats and ranges, not single values
            continue
        # Currency symbol before the number ("$5 million", "US$ 5").
        currency = ""
        if i > 0 and toks[i - 1].text in _CURRENCY_SYMBOL:
            currency = _CURRENCY_SYMBOL[toks[i - 1].text]
            start = toks[i - 1].start
        bound = _qualifier(text, start)
        before = text[max(0, start - 30) : start]
        part = _PART_OF.search(before)
        if part and parse_number_words([part.group(1)]) is not None:
            i = j  # "four of five charges": the whole a part is taken from, not a count of its own
            continue
        after_text = text[end : end + 40].lower()
        q: Quantity | None = None
        span_end = end
        if currency:
            q = Quantity(kind="amount", value=value, unit=currency, text="", start=start, end=end, bound=bound)
        else:
            unit = _unit_at(toks, j)
            # "93-year-old", "93 years old", "aged 93", "turning 94", "his 94th birthday".
            if re.match(r"\s*-?\s*years?\s*-?\s*old\b", after_text):
                m = re.match(r"\s*-?\s*years?\s*-?\s*old", text[end:])
                span_end = end + (m.end() if m else 0)
                q = Quantity(kind="age", value=value, unit="years", text="", start=start, end=span_end)
            elif (
                used == 1 and toks[i].text.isdigit() and 1 <= value <= 120
                and _APPOSITIVE_AGE_BEFORE.search(before) and _APPOSITIVE_AGE_AFTER.match(text[end:])
            ):
                # News style gives an age in commas after the name: "Jane Doe, 28, was charged".
                q = Quantity(kind="age", value=value, unit="years", text="", start=start, end=end)
            elif re.search(r"\baged\s*$", before, re.IGNORECASE):
                q = Quantity(kind="age", value=value, unit="years", text="", start=start, end=end)
            elif _BIRTHDAY.search(before) and (unit is None or unit[0] != "duration" or re.match(r"\s*years?\b(?!\s+(ago|of|in|since))", after_text) is None):
                q = Quantity(kind="age", value=value, unit="years", text="", start=start, end=end, birthday=True)
            elif unit is not None and unit[0] == "duration" and re.match(r"\s*-?\s*\w+\s+ago\b", after_text):
                i = j + unit[3]
                continue  # "three years ago" is a date, left to the date resolver
            elif unit is not None:
                kind, canon, factor, n = unit
                span_end = toks[j + n - 1].end
                if kind == "temperature" and canon == "F":
                    value, canon = (value - 32.0) * 5.0 / 9.0, "C"
                    factor = 1.0
                q = Quantity(kind=kind, value=value * factor, unit=canon, text="", start=start, end=span_end, bound=bound)  # type: ignore[arg-type]
            elif (
                toks[i].text.isdigit() and len(toks[i].text) == 4 and 1000 <= value <= 2199 and used == 1
                and not _plural_noun_follows(toks, j)
            ):
                q = Quantity(kind="year", value=value, unit="year", text="", start=start, end=end)
            else:
                noun, noun_end = _counted_noun(toks, j)
                # "one" is more often a pronoun than a count; a count without a noun says nothing.
                if noun and value != 1 and not (toks[i].low in ("a", "an") and used <= 1):
                    q = Quantity(kind="count", value=value, unit=noun, text="", start=start, end=noun_end, bound=bound, noun=noun)
        if q is not None:
            out.append(
                Quantity(
                    kind=q.kind, value=q.value, unit=q.unit, text=text[q.start : q.end], start=q.start,
                    end=q.end, bound=q.bound, noun=q.noun, aggregate=aggregate, birthday=q.birthday,
                )
            )
        i = max(j, i + 1)
    # A birthday is often stated as an ordinal: "his 94th birthday".
    for m in re.finditer(r"\b(\d{1,3})(?:st|nd|rd|th)\s+birthday\b", text, re.IGNORECASE):
        out.append(Quantity(kind="age", value=float(m.group(1)), unit="years", text=m.group(0), start=m.start(), end=m.end(), birthday=True))
    return out


def _glued_unit(word: str) -> bool:
    """A unit or scale that may be written glued to its number ("5km", "2bn", "40kg", "3pm" is not)."""
    return word in _SCALES or word in _DISTANCE or word in _WEIGHT or word in _PERCENT or singular(word) in _DURATION or word in ("st", "nd", "rd", "th")


def _plural_noun_follows(toks: list[_Tok], j: int) -> bool:
    """True for "2000 troops" (a count), False for "2016 election" or "2013." (a year)."""
    if j >= len(toks):
        return False
    w = toks[j].text
    return w.isalpha() and w.islower() and w.endswith("s") and not w.endswith("ss") and w not in ("was", "has", "is")


def _counted_noun(toks: list[_Tok], j: int) -> tuple[str, int]:
    """The counted thing after a number and where it ends: the first content word within three
    words ("20 Russian diplomats" → "diplomat")."""
    for k in range(j, min(j + 3, len(toks))):
        w = toks[k].text
        if not w.isalpha():
            if w == "-":
                continue
            return "", 0
        low = w.lower()
        if low in _MONTHS and k == j:
            return "", 0  # "12 April" is a date
        if low in STOPWORDS:
            if k == j:
                return "", 0
            continue
        if k + 1 < min(j + 3, len(toks)) and toks[k + 1].text.isalpha() and toks[k + 1].text.islower() and toks[k + 1].low not in STOPWORDS and not w.islower():
            continue  # "20 Russian diplomats": skip the adjective
        # A compound noun counts its head: "12 dock workers" and "12 workers" count the same thing.
        # A singular modifier ("dock", "cargo", "police") followed by a plural noun gives way to it.
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if (
            nxt is not None and nxt.text.isalpha() and nxt.text.islower() and nxt.low not in STOPWORDS
            and not _is_plural(low) and _is_plural(nxt.low)
        ):
            return singular(nxt.low), nxt.end
        return singular(low), toks[k].end
    return "", 0


_IRREGULAR_PLURALS = frozenset({"people", "children", "men", "women", "feet"})


def _is_plural(word: str) -> bool:
    return word in _IRREGULAR_PLURALS or singular(word) != word


_DIMENSION_OF_KIND = {"age": "age", "year": "year"}


def comparable(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities measure the same kind of thing (so their values may be compared)."""
    if a.kind != b.kind or a.unit != b.unit:
        return False
    if a.kind == "count":
        return bool(a.noun) and a.noun == b.noun
    return True


def consistent(a: Quantity, b: Quantity) -> bool:
    """True when both wordings can describe the same true value.

    A total may be larger than one of its parts ("more than two hours of talks in total" vs "a
    40-minute meeting"), so when exactly one side states an aggregate, the part only has to fit in it.
    """
    if not comparable(a, b):
        return True
    lo_a, hi_a = a.interval()
    lo_b, hi_b = b.interval()
    if max(lo_a, lo_b) <= min(hi_a, hi_b):
        return True
    if a.aggregate != b.aggregate and a.kind in ("duration", "count", "amount", "distance", "weight"):
        whole, part = (a, b) if a.aggregate else (b, a)
        return part.interval()[0] <= whole.interval()[1]
    return False


def format_value(q: Quantity) -> str:
    """A normalised, readable value for a claim ("2013", "40 minutes", "93 years")."""
    if q.kind == "year":
        return str(int(q.value))
    if q.kind == "age":
        return f"turning {_fmt(q.value)}" if q.birthday else f"{_fmt(q.value)} years old"
    if q.kind == "duration":
        return _bound_prefix(q) + _duration(q.value)
    if q.kind == "percent":
        return _bound_prefix(q) + f"{_fmt(q.value)}%"
    if q.kind == "amount":
        return _bound_prefix(q) + f"{_fmt(q.value)} {q.unit}"
    if q.kind == "count":
        # The noun as written ("people", "diplomats"), the number normalised ("twelve" → "12").
        return _bound_prefix(q) + f"{_fmt(q.value)} {q.text.split()[-1]}"
    return _bound_prefix(q) + f"{_fmt(q.value)} {q.unit}"


_SHOWN_UNITS = (
    ("year", 31_556_952.0), ("month", 2_629_746.0), ("week", 604_800.0), ("day", 86_400.0),
    ("hour", 3600.0), ("minute", 60.0),
)


def _duration(seconds: float) -> str:
    """A duration in the largest unit it is a whole number of ("9 months", not "273.93 days"); else in
    the largest unit it reaches, with decimals ("1.5 years")."""
    for name, secs in _SHOWN_UNITS:
        n = seconds / secs
        if n >= 1 and abs(n - round(n)) < 1e-6 * max(1.0, n):
            return f"{_fmt(round(n))} {name}{'' if round(n) == 1 else 's'}"
    for name, secs in _SHOWN_UNITS:
        if seconds >= secs:
            return f"{_fmt(seconds / secs)} {name}s"
    return f"{_fmt(seconds)} second{'' if seconds == 1 else 's'}"


def _bound_prefix(q: Quantity) -> str:
    return {"exact": "", "approx": "about ", "lower": "more than ", "upper": "up to "}[q.bound]


def _fmt(v: float) -> str:
    if abs(v - round(v)) < 1e-9:
        return f"{round(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------------------------
# dates of articles without a publish date
# --------------------------------------------------------------------------------------------

DateResolver = Callable[[Article, dt.date | None], list[DateMention]]
# (article id, text hash, reference) → the dates list written back. An article counts as done only
# while it still holds that very list: a fresh Article with the same id and text (the next run over
# the same files) still carries the annotator's dates and must be resolved again.
_RESOLVED: dict[tuple[str, int, dt.date], list[DateMention]] = {}


def story_reference_date(story: Story, articles: Mapping[str, Article]) -> dt.date | None:
    """The story's 'now': the upper median publish date (reports are written after their previews)."""
    dates = sorted(d for d in (articles[a].published_date for a in story.articles if a in articles) if d)
    return statistics.median_high(dates) if dates else None


def default_resolver() -> DateResolver | None:
    try:
        from storydesk.annotate.dates import resolve_dates
    except ImportError:  # the annotator's date module is missing: keep the dates as annotated
        return None
    return resolve_dates


def resolve_undated(
    story: Story, articles: Mapping[str, Article], resolver: DateResolver | None = None
) -> dt.date | None:
    """Resolve the dates of articles without a publish date against the story's reference date.

    The annotator can only resolve "on Thursday" or "May 10" against an article's own date; an
    article without one gets the story's. The result is written back to ``Article.dates`` (once per
    article and reference) so that facts, contradictions and the timeline see the same dates.
    Returns the reference date.
    """
    reference = story_reference_date(story, articles)
    resolve = resolver or default_resolver()
    if reference is None or resolve is None:
        return reference
    for aid in story.articles:
        article = articles.get(aid)
        if article is None or article.published is not None or not article.sentences:
            continue
        key = (article.id, hash(article.text), reference)
        if _RESOLVED.get(key) is article.dates:
            continue
        article.dates = resolve(article, reference)
        if len(_RESOLVED) > 100_000:  # a long-running server: forget old articles, never grow unbounded
            _RESOLVED.clear()
        _RESOLVED[key] = article.dates
    return reference
