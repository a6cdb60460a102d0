"""Metadata found in scraped plain text: title, source URL, outlet, publish date, original title.

Scraped text files carry their page furniture as loose lines: a date / "Register" header, a time stamp
("06:36 GMT +3 09 May 2017"), a ``Source: <url>`` footer, an ``Original: <title>`` line naming the
source-language headline. :func:`scan_text` finds them by shape (a line that is mostly a date, a
``Key: value`` line) so the reader can fill the Article's metadata and the cleaner can drop the same
lines from the text. Only the first and last few lines are scanned: in the body a date line is content.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from storydesk.clean.normalize import collapse_whitespace, fold

HEAD_LINES = 6  # metadata headers live in the first few non-empty lines ...
TAIL_LINES = 8  # ... and footers in the last few
MAX_TITLE_CHARS = 200
MAX_TITLE_WORDS = 30

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
# A day may follow a glued time-zone offset ("GMT +309 May 2017" is "+3" then "09 May 2017"):
# either no digit before it, or a signed one-digit offset.
_DAY_START = r"(?:(?<!\d)|(?<=[+-]\d))"
_YEAR = r"(?P<y>(?:19|20)\d{2})(?!\d)"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    re.compile(
        rf"{_DAY_START}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{_MONTH_RE})\.?,?\s+{_YEAR}",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?P<mn>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}", re.IGNORECASE),
    # 09.05.2017: day first (the order used by most non-US outlets that print dots)
    re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.{_YEAR}"),
]
_TIME = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2}):(?P<mi>\d{2})(?::\d{2})?\s*(?P<ampm>[ap]\.?m\.?)?(?![\d:])", re.I
)
_TZ = re.compile(r"\b(?:GMT|UTC|Z|[ECMP][SD]T|MSK|CET|CEST|BST)\b|[+-]\d{1,2}(?::?\d{2})?\b|[+-]\d\b")
_URL_DATE = re.compile(
    r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})(?:[/-](?P<d>\d{1,2}))?(?=[/-]|$)"
    r"|/(?P<y2>(?:19|20)\d{2})(?P<m2>[01]\d)(?P<d2>[0-3]\d)(?=/)"
)
_SOURCE = re.compile(
    r"^(?:source|source url|url|link|original url|originally published(?: at| in| on)?|read more at|via)"
    r"\s*[:：]?\s*(?:.*?\s)?(?P<url>https?://\S+?)[).,]?$",
    re.IGNORECASE,
)
_ORIGINAL = re.compile(r"^original(?:\s+(?:title|headline))?\s*[:：]\s*(?P<title>.+)$", re.IGNORECASE)
# Words allowed beside a date on a header line ("date 2017-05-09 Register", "Published: ...").
_HEADER_WORDS = {
    "date", "dated", "published", "posted", "updated", "modified", "created", "last", "on", "at",
    "register", "registered", "time", "issued", "am", "pm",
}  # fmt: skip
_SECOND_LEVEL = {"co", "com", "net", "org", "gov", "ac", "edu", "or", "ne", "go", "mil", "nic", "gv"}


@dataclass(slots=True, kw_only=True)
class TextMetadata:
    """What :func:`scan_text` found, with the line indices it consumed."""

    title: str = ""
    url: str = ""
    outlet: str = ""
    published: dt.datetime | None = None
    original_title: str = ""
    title_line: int | None = None  # index of the title line (None: the title was derived from the body)
    header_lines: dict[int, str] = field(default_factory=dict)  # line index → reason code


def registered_domain(url_or_host: str) -> str:
    """``https://www.dailyglobe.com/story/...`` → ``dailyglobe.com``; ``news.bbc.co.uk`` → ``bbc.co.uk``."""
    host = urlsplit(url_or_host).hostname if "//" in url_or_host else url_or_host
    if not host:
        return ""
    labels = [p for p in host.lower().strip(".").split(".") if p]
    if len(labels) <= 2:
        return ".".join(labels)
    # Without a public-suffix list: a two-letter country code under a generic second level
    # (co.uk, com.au, gov.ru) keeps three labels, anything else keeps two.
    if len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_date(text: str) -> tuple[dt.date, tuple[int, int]] | None:
    """The first calendar date written in ``text`` (ISO, "9 May 2017", "May 9, 2017", 09.05.2017)."""
    best: tuple[dt.date, tuple[int, int]] | None = None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            groups = m.groupdict()
            month = _MONTHS[groups["mn"].lower()] if groups.get("mn") else int(groups["m"])
            value = _make_date(int(groups["y"]), month, int(groups["d"]))
            if value is not None and (best is None or m.start() < best[1][0]):
                best = (value, m.span())
                break
    return best


def parse_datetime(text: str) -> dt.datetime | None:
    """A date with an optional clock time, as naive local time (the time the outlet printed)."""
    found = find_date(text)
    if found is None:
        return None
    day, span = found
    rest = text[: span[0]] + " " + text[span[1] :]
    hour = minute = 0
    m = _TIME.search(rest)
    if m:
        hour, minute = int(m["h"]), int(m["mi"])
        ampm = (m["ampm"] or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            hour = minute = 0
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def parse_published(value: str) -> dt.datetime | None:
    """A publish date given as a string in a feed, JSONL record or HTML page (ISO 8601 or free text)."""
    value = value.strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        # Keep the outlet's wall-clock time: the local date is the one the article talks about.
        return parsed.replace(tzinfo=None)
    except ValueError:
        pass
    found = parse_datetime(value)
    if found is not None:
        return found
    import dateparser  # slow to import; only needed for unusual formats

    parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": False})
    return parsed


def date_from_url(url: str) -> dt.datetime | None:
    """A publish date from the URL path: ``/2017/05/10/``, ``/2017-05-10-...``, ``/20170510/``."""
    path = urlsplit(url).path
    m = _URL_DATE.search(path)
    if not m:
        return None
    if m["y"]:
        value = _make_date(int(m["y"]), int(m["m"]), int(m["d"] or 1))
    else:
        value = _make_date(int(m["y2"]), int(m["m2"]), int(m["d2"]))
    return dt.datetime(value.year, value.month, value.day) if value else None


def source_url(line: str) -> str | None:
    """The URL of a ``Source: <url>`` style line, else None."""
    m = _SOURCE.match(line.strip())
    return m["url"] if m else None


def original_title(line: str) -> str | None:
    """The title of an ``Original: <title>`` line (the headline in the source language), else None."""
    m = _ORIGINAL.match(line.strip())
    if not m or m["title"].strip().lower().startswith("http"):
        return None
    return m["title"].strip()


def header_datetime(line: str) -> dt.datetime | None:
    """The date of a line that is only a date / time stamp plus a few header words, else None."""
    if len(line) > 80:
        return None
    found = find_date(line)
    if found is None:
        return None
    _, span = found
    rest = line[: span[0]] + " " + line[span[1] :]
    rest = _TIME.sub(" ", rest)
    rest = _TZ.sub(" ", rest)
    words = re.findall(r"[^\W\d_]+", rest)
    extra = [w for w in words if w.lower() not in _HEADER_WORDS and w.lower() not in _MONTHS]
    if len(extra) > 1 or len(words) > 4:
        return None
    return parse_datetime(line)


def clean_title(title: str) -> str:
    """Collapse whitespace and drop a headline that scraping repeated ("A. A B" → "A")."""
    title = collapse_whitespace(title)
    words = title.split()
    for size in range(3, len(words) // 2 + 1):
        if fold(" ".join(words[:size])) == fold(" ".join(words[size : 2 * size])):
            return " ".join(words[:size]).rstrip(" .;:,")
    return title


def is_title_line(line: str) -> bool:
    """Shaped like a headline: short, and not a full sentence (an untitled text starts with its lede)."""
    words = len(line.split())
    sentence = words >= 10 and line.rstrip("\"'”’») ").endswith(".")
    return len(line) <= MAX_TITLE_CHARS and words <= MAX_TITLE_WORDS and not sentence


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Abbreviations that a name or a number always follows ("Gov. Fallin", "Jan. 6", "St. Louis"): a full
# stop after one of them never ends a sentence.
_NON_FINAL_ABBREVIATIONS = _word_set("""
    mr mrs ms messrs mme dr prof gen lt col maj capt cmdr cdr adm sgt cpl pvt gov govs sen sens rep reps
    pres rev fr hon amb atty supt insp det gens st ste mt ft vs
    jan feb mar apr jun jul aug sep sept oct nov dec
""")
# Abbreviations that may also close a sentence ("... the tornado that hit Moore, Okla. But she ...",
# "... sold to Acme Inc. The deal ..."): a stop after them ends a sentence only when the next word opens one.
_MAYBE_FINAL_ABBREVIATIONS = _word_set("""
    inc corp co ltd llc plc bros jr sr
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss mo mont neb nev
    okla ore pa tenn tex va vt wash wis wyo
""")
_SENTENCE_OPENERS = _word_set("""
    a an the but and or so yet still then now he she it they we i you his her its their our this that
    these those there here in on at after before as when while if although though however meanwhile
    officials police authorities
""")
_LAST_WORD = re.compile(r"(?:^|[\s(\"“‘'«\[—–-])(?P<word>[^\W\d_][\w.'’-]*)\.$")
_SENTENCE_BREAK = re.compile(r"[.!?…](?=\s+[A-Z\"“«‘'(])")


def abbreviation_at_end(text: str) -> str:
    """How ``text`` ends if it ends at an abbreviation's full stop: "never" for an honorific, a title, a
    month or an initial ("Gov.", "Ms.", "Jan.", "O."), which a name or a number always follows; "maybe"
    for one that may also close a sentence ("U.S.", "Okla.", "Inc."); "" for anything else."""
    m = _LAST_WORD.search(text.rstrip())
    if not m:
        return ""
    word = m["word"]
    key = word.lower().rstrip(".")
    if key in _NON_FINAL_ABBREVIATIONS or re.fullmatch(r"[A-Z]", word):
        return "never"
    if key in _MAYBE_FINAL_ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):
        return "maybe"  # dotted initials: "U.S.", "D.C.", "N.J."
    return ""


def ends_at_abbreviation(text: str) -> bool:
    """A title or sentence cut right after an abbreviation, with or without its stop ("Oklahoma Gov",
    "the U.N")."""
    text = text.rstrip().rstrip("…").rstrip()
    return bool(text) and bool(abbreviation_at_end(text if text.endswith(".") else text + "."))


def first_sentence(paragraph: str) -> str:
    """The first sentence of ``paragraph``: the first stop followed by a capital that is not an
    abbreviation's ("Oklahoma Gov. Mary Fallin said ..." does not end at "Gov.")."""
    for m in _SENTENCE_BREAK.finditer(paragraph):
        head = paragraph[: m.end()]
        kind = abbreviation_at_end(head) if head.endswith(".") else ""
        if kind == "never":
            continue
        if kind == "maybe":
            following = re.match(r"\s*[\"“«‘'(]?([^\W\d_]+)", paragraph[m.end() :])
            if not following or following[1].lower() not in _SENTENCE_OPENERS:
                continue
        return head
    return paragraph


_MAX_SKIPPED_SENTENCES = 2


def derived_title(paragraph: str, max_words: int = 20) -> str:
    """A title for an untitled text: its first sentence, cut at ``max_words`` words.

    A leading dateline ("STORRS, Conn. (WTNH) —") is not part of it: its abbreviation would end the
    "sentence" early, and a place and an agency make no headline. Neither a sentence nor a cut ends at
    an abbreviation ("Sen.", "Ms.", an initial): that made headlines such as "Oklahoma Gov"."""
    # Imported here: the cleaner imports this module.
    from storydesk.clean.boilerplate import opening_chrome, strip_dateline

    paragraph = strip_dateline(paragraph)[1]
    first = first_sentence(paragraph)
    # A photo's caption or a page's note glued before the text in one paragraph ("A patient is prepared for an
    # MRI in a file photo. The medical advancement ...") is not the title: the next sentence is.
    for _ in range(_MAX_SKIPPED_SENTENCES):
        rest = paragraph[len(first) :].strip()
        if first == paragraph or len(rest.split()) < 4 or not opening_chrome(first.rstrip(".")):
            break
        paragraph = strip_dateline(rest)[1]
        first = first_sentence(paragraph)
    words = first.split()
    if len(words) > max_words:
        words = words[:max_words]
        while len(words) > 1 and abbreviation_at_end(words[-1]) == "never":
            words.pop()  # "... by Sen.…" says less than "... by…"
        return " ".join(words).rstrip(",;:—–-") + "…"
    # A sentence that closes on an abbreviation keeps its stop: "... hit Moore, Okla." is whole.
    return first if abbreviation_at_end(first) else first.rstrip(".")


def scan_text(text: str, *, take_title: bool = True) -> TextMetadata:
    """Find header/footer metadata lines and the title line in normalised plain text."""
    lines = text.split("\n")
    meta = TextMetadata()
    nonempty = [i for i, line in enumerate(lines) if line.strip()]
    if not nonempty:
        return meta
    head = nonempty[:HEAD_LINES]
    tail = nonempty[-TAIL_LINES:]
    stamps: list[dt.datetime] = []
    for i in dict.fromkeys(head + tail):  # ordered, no repeats
        line = lines[i].strip()
        url = source_url(line)
        if url:
            meta.url = meta.url or url
            meta.header_lines[i] = "source_line"
            continue
        original = original_title(line)
        if original:
            meta.original_title = meta.original_title or original
            meta.header_lines[i] = "original_title"
            continue
        when = header_datetime(line)
        if when is not None:
            stamps.append(when)
            meta.header_lines[i] = "date_header"
    # Prefer a stamp with a clock time (the most precise), else the first date header.
    timed = [s for s in stamps if s.hour or s.minute]
    if timed or stamps:
        meta.published = (timed or stamps)[0]
    if meta.url:
        meta.outlet = registered_domain(meta.url)
        if meta.published is None:
            meta.published = date_from_url(meta.url)
    if take_title:
        _find_title(lines, nonempty, meta)
    return meta


_MAX_OPENING_CAPTIONS = 5  # a lead photo's caption and credit, a slideshow's few captions; then the text
_DATA_REASONS = frozenset({"source_line", "original_title", "date_header"})
# A label above the highlights or summary points of a page, glued to the first of them by scraping.
_SUMMARY_LABEL = re.compile(
    r"^(?i:story\s+highlights|highlights|key\s+points|at\s+a\s+glance|in\s+brief)\s*:?\s+(?=[\"“‘'A-Z])"
)
# A run of lowercase tags glued before a headline in title case ("jobs jobs jobs Obama’s Jobs Speech ...").
_TAG_PREFIX = re.compile(r"^(?:[a-z][a-z'’-]*\s+){2,5}(?=[A-Z])")
# A caption toggle and its credit glued after a headline ("... Study itoggle caption Jb Reed/Bloomberg").
_CAPTION_TOGGLE = re.compile(r"\s+i?toggle\s+caption\b.*$", re.IGNORECASE)
_LEAD_DASH = re.compile(r"^[—–-]+\s+(?=\S)")  # what is left of a dateline whose place was cut off
_OPEN_LINE_END = re.compile(r"[.!?:;…\"”’»)\]]$")
_MAX_JOINED_LINES = 3


def title_text(title: str) -> str:
    """A title without the chrome scraping glued to it: a summary label ("Story highlights ..."), a run of
    lowercase tags before a headline in title case, a dash left of a dateline."""
    # Imported here: the cleaner imports this module.
    from storydesk.clean.boilerplate import strip_dateline

    title = _LEAD_DASH.sub("", _SUMMARY_LABEL.sub("", _CAPTION_TOGGLE.sub("", title.strip())))
    title = strip_dateline(title)[1]
    m = _TAG_PREFIX.match(title)
    if m:
        rest = title[m.end() :].split()
        capitalised = sum(w[:1].isupper() for w in rest)
        if len(rest) >= 4 and capitalised >= 0.6 * len(rest):
            title = " ".join(rest)
    return title


def _find_title(lines: list[str], nonempty: list[int], meta: TextMetadata) -> None:
    # Imported here: the cleaner imports this module.
    from storydesk.clean.boilerplate import is_caps_paragraph, opening_chrome, opening_furniture

    candidates = [i for i in nonempty if i not in meta.header_lines]
    if not candidates:
        return
    # Page chrome above the text (a lead photo's credit or caption, a byline, a section label, an editor's note,
    # a wiki's tagline, a player's buttons) is neither the headline nor the first sentence of the text. A
    # paragraph in capitals (a broadcast's captions) stays in the text but is not the title either.
    skipped: list[int] = []
    removed = 0
    while len(candidates) > 1 and removed < _MAX_OPENING_CAPTIONS:
        line = lines[candidates[0]].strip()
        reason = opening_chrome(line)
        if reason:
            meta.header_lines[candidates.pop(0)] = reason
            removed += 1
            # a chrome paragraph that scraping broke in two: its lowercase continuation goes with it
            if (
                candidates
                and not _OPEN_LINE_END.search(line)
                and lines[candidates[0]].strip()[:1].islower()
            ):
                meta.header_lines[candidates.pop(0)] = reason
        elif is_caps_paragraph(line) and not skipped:
            skipped.append(candidates.pop(0))
        else:
            break
    candidates = candidates or skipped
    if not candidates:
        return
    first = candidates[0]
    # Lines left in a header block after its metadata lines (a lead-photo caption, a kicker) are
    # not the headline when the next block opens with a headline-shaped line.
    in_header_block = any(
        h < first and reason in _DATA_REASONS and all(lines[k].strip() for k in range(h, first))
        for h, reason in meta.header_lines.items()
    )
    if in_header_block:
        block_end = first
        while block_end < len(lines) and lines[block_end].strip():
            block_end += 1
        after = [i for i in candidates if i > block_end]
        if after and after[0] in nonempty[: HEAD_LINES + 2] and _headline_shaped(lines[after[0]]):
            for i in candidates:
                if i >= after[0]:
                    break
                meta.header_lines[i] = "header"
            first = after[0]
    line = lines[first].strip()
    # A sentence that scraping broke across blank lines ("The park is absolutely" / "incredible") is no headline:
    # the title is derived from the sentence joined again.
    pos = candidates.index(first) if first in candidates else len(candidates)
    joined = line
    for nxt in candidates[pos + 1 : pos + 1 + _MAX_JOINED_LINES]:
        following = lines[nxt].strip()
        if _OPEN_LINE_END.search(joined) or not following[:1].islower():
            break
        joined = f"{joined} {following}"
    if joined != line:
        meta.title = derived_title(title_text(joined))
        return
    # A headline carrying its photo's credit ("... (Image: X/Getty)") is the headline without it.
    headline = opening_furniture(line)
    if headline:
        meta.title = clean_title(title_text(headline))
        meta.title_line = first
    elif is_title_line(line):
        meta.title = clean_title(title_text(line))
        meta.title_line = first
    else:
        meta.title = derived_title(title_text(line))


def _headline_shaped(line: str) -> bool:
    line = line.strip()
    return (
        bool(line)
        and is_title_line(line)
        and not line.endswith((".", ":", ";", ","))
        and not re.match(r"(?i)by\s", line)  # a byline, not a headline
    )
