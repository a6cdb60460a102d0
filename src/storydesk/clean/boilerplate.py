"""Boilerplate removal: keep an article's own paragraphs, drop the page furniture, count what went.

:class:`BoilerplateCleaner` works on one article. Text is cut into units (lines of plain text, blocks
of trafilatura's output for HTML) and each unit is judged by its features, not by strings seen before:
its length and sentence shape (terminal punctuation), headline shape (short, no full stop), repetition
inside the article, credit markers (©, "Photo:"), list shape (bullets, a run of headline/blurb pairs
after a "See also" label or at the end of the page), its position (header block, footer tail) and a
small vocabulary of generic page-UI words (share, rate, comment, sign in, subscribe ...). A site's
notice to its visitor (:mod:`storydesk.clean.notices`: archive crawl notes, "enable JavaScript", sign-up
forms) goes as a block; a page that is nothing but such a notice is dropped with its kind named.

:class:`CorpusBoilerplateFilter` then looks across the articles of a run: a run of paragraphs whose
vocabulary fits neither the rest of their own article nor any other article (TF-IDF cosine) is a wall
of unrelated teasers and goes too. A retelling of another outlet's story bundled at the end of an
article fits that other article, so it stays.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from scipy import sparse

from storydesk.clean.metadata import header_datetime, is_title_line, original_title, scan_text, source_url
from storydesk.clean.normalize import WORD, fold, normalize_text
from storydesk.clean.notices import FAMILIES as NOTICE_FAMILIES
from storydesk.clean.notices import (
    SITE_DESCRIPTION_REASON,
    VIDEO_PAGE_REASON,
    describe_notices,
    is_link_line,
    is_site_description,
    notice_cues,
    reports_speech,
    speaks_to_visitor,
)
from storydesk.errors import InputError, Reason
from storydesk.records import Article, Paragraph, RemovedBlock
from storydesk.settings import CleanSettings
from storydesk.stage import ArticleStage

logger = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# features
# ---------------------------------------------------------------------------------------------

_CLOSERS = "\"'”’»)]"
_SENTENCE_END = re.compile(rf"[.!?…][{re.escape(_CLOSERS)}]*$")
_FULL_STOP_END = re.compile(rf"[.…][{re.escape(_CLOSERS)}]*$")
_BULLET = re.compile(r"^\s*(?:[•·▪▫◦‣►▸●○■□✓✔*]|[-–—]\s)\s*")
_MONTH_NAMES = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
    "nov(?:ember)?|dec(?:ember)?"
)

# Generic page-UI vocabulary: phrases that only page widgets use. A line counts as a widget only
# when it is also short and not a sentence, so "declined to comment." in a report stays.
_WIDGET_PHRASES = re.compile(
    r"\b(?:share\s+(?:this|on|via|the|article|story|page|post)|share\s*:|shares?\b(?=\s*$)|"
    r"rate\s+(?:this|the|post|article|story)|ratings?\b|\d\s*stars?\b|stars?\s*\d|votes?\b|"
    r"be the first to comment|(?:leave|add|post|write)\s+a\s+(?:comment|reply)|comments?\s*(?:\(\d+\))?\s*$|"
    r"\d+\s+comments?|(?:show|view|hide|load)\s+(?:all\s+)?comments|comments are closed|"
    r"join the (?:conversation|discussion)|sign\s*in|sign\s*up|log\s*in|log\s*out|login|"
    r"register\s+(?:now|here|to|for)|subscribe|newsletter|notify\s+(?:me|of)|follow\s+us|"
    r"advertisement|sponsored|cookies?\b|all rights reserved|read\s+more|show\s+more|load\s+more|"
    r"click\s+here|tap\s+here|download\s+(?:our|the)\s+app|bookmark|print\s+(?:this|article|page)|"
    r"e-?mail\s+(?:this|article|page)|skip\s+to\s+(?:content|main))",
    re.IGNORECASE,
)
# Network names and button words are also ordinary words of a report ("took to Twitter"): they make
# a widget only on a very short line or one made mostly of them ("Facebook Twitter Email").
_WIDGET_WORDS = re.compile(
    r"\b(?:share|tweet|whatsapp|facebook|twitter|telegram|vkontakte|linkedin|pinterest|reddit|email|"
    r"e-mail|print|copy\s+link|messenger|viber|flipboard)\b",
    re.IGNORECASE,
)
_WIDGET_FILLER = re.compile(
    r"(?i)stars?|votes?|ratings?|share|tweet|whatsapp|facebook|twitter|telegram|linkedin|pinterest|"
    r"reddit|email|e-mail|print|messenger|viber|flipboard|like|likes|comments?|reply|up|down"
)
_CREDIT = re.compile(
    r"©|\(c\)\s|\b(?:photo(?:graph)?s?|image|picture|pictured|video|illustration|graphic|caption|source)"
    r"\s*(?::|by\b|credit|courtesy)|\bcredit\s*:|\bgetty\s+images\b|\bshutterstock\b|\bap\s+photo\b|"
    r"\b(?:afp|reuters|epa|ap|tass|ria novosti|sputnik|xinhua|anadolu)\s*(?:photo)?\s*/|"
    r"/\s*(?:afp|reuters|ap|epa|getty)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\(?\s*(?:by|written\s+by|reporting\s+by|additional\s+reporting\s+by|writing\s+by|editing\s+by|"
    r"compiled\s+by|story\s+by|text\s+by|words\s+by|posted\s+by|published\s+by|author\s*:|"
    r"reporter\s*:|correspondent\s*:)\s+\S",
    re.IGNORECASE,
)
_BYLINE_STAMP = re.compile(r"\s*[/|]\s*(?:published|posted|updated)\b.*$", re.IGNORECASE)
# A list label: what sits above a list of links to other stories.
_LIST_HEADER = re.compile(
    r"^(?:see\s+also|related(?:\s+\w+)?|read\s+(?:more|also|next)|also\s+read|more\s+(?:on|from|about)\b.{0,40}|"
    r"more\s+(?:stories|news|articles|coverage|videos?|headlines)|recommended(?:\s+for\s+you)?|"
    r"you\s+(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested\s+in)|(?:most\s+)?popular(?:\s+now)?|"
    r"most\s+(?:read|viewed|shared|commented)|trending(?:\s+now)?|top\s+stories|latest(?:\s+news|\s+stories)?|"
    r"further\s+reading|in\s+other\s+news|editor['’]?s\s+picks|what\s+to\s+read\s+next|other\s+news)$",
    re.IGNORECASE,
)
# "MOSCOW (Interfax) — ", "WASHINGTON, May 10 (Reuters) - ", "Washington (CNN) — ": a leading dateline.
# Up to two parts after the place ("FLORENCE, Italy, Feb. 25 (UPI) --"); a dash glued to the next word is a
# dateline's only after a place in capitals and when it is a long dash ("WASHINGTON—An attorney ..."), not the
# hyphen of "U.S.-Russian".
_DATELINE = re.compile(
    r"^(?:(?P<caps>[A-Z][A-Z'’.\-]{2,}(?:\s+[A-Z][A-Z'’.\-]+){0,3})|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?(?=\s*\())"
    r"(?:,\s*[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*)?(?:\s+\d{1,2})?){0,2}\s*(?P<agency>\([^()]{1,40}\))?"
    r"(?:\s*[—–-]{1,2}\s+(?=\S)|(?<=[A-Z)])(?:—|–|--)(?=[A-Z\"“])|(?<=\))\s*(?=[A-Z\"“]))"
)
# An agency's tag opening a paragraph without a place: "(CNN) The Department ...", "(HealthDay News) -- Babies ...".
_AGENCY_LEAD = re.compile(r"^\((?P<agency>[A-Z][\w.&-]*(?:\s+[A-Z][\w.&-]*){0,2})\)\s*(?:[—–-]{1,2}\s*)?(?=[A-Z\"“])")


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def ends_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text.rstrip()))


def headline_like(text: str, max_words: int = 20) -> bool:
    """Short and without a full stop: a headline, a label, a teaser title (may end with ? or !)."""
    words = _words(text)
    return 0 < len(words) <= max_words and len(text) <= 180 and not _FULL_STOP_END.search(text.rstrip())


def heading_like(text: str) -> bool:
    """A subheading: short, no sentence-final punctuation, not a quotation or label."""
    stripped = text.rstrip()
    return (
        headline_like(stripped, 15)
        and not ends_sentence(stripped)
        and not stripped.endswith((":", ",", ";"))
        and not stripped.startswith(('"', "“", "«", "„", "'"))
    )


def is_widget(text: str) -> bool:
    words = _words(text)
    if not words or _FULL_STOP_END.search(text.rstrip()):
        return False
    if len(words) > 12:
        # A long widget is a row of buttons or rating steps ("Rate this: 1 Star 2 Stars ... 5 Stars"):
        # a widget phrase, and most of the words are digits or widget words.
        filler = sum(1 for w in words if w.isdigit() or _WIDGET_FILLER.fullmatch(w))
        return len(words) <= 30 and bool(_WIDGET_PHRASES.search(text)) and 2 * filler >= len(words)
    if _WIDGET_PHRASES.search(text):
        return True
    buttons = _WIDGET_WORDS.findall(text)
    return bool(buttons) and (len(words) <= 3 or 2 * len(buttons) >= len(words))


def is_credit(text: str) -> bool:
    return (len(_words(text)) <= 20 and bool(_CREDIT.search(text))) or ends_with_credit(text)


# A photo credit closing a caption: "... Nepal May 30, 2016. REUTERS/Navesh Chitrakar",
# "... on Tuesday. (AP Photo/Jane Doe)", "... in 2019. Photo: John Smith/Getty Images".
_CREDIT_TAIL = re.compile(
    r"(?:[.!?…\"”)]\s+|^)\(?(?:(?i:afp|reuters|epa|ap|tass|xinhua|anadolu|upi|getty\s+images)"
    r"(?:\s+(?i:photo|images))?(?:\s+(?i:via\s+getty\s+images))?\s*/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
    r"(?:\s*/\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2})?|(?i:photo(?:graph)?|image|picture)\s*(?::|by)\s+"
    r"[A-Z][\w.'’-]*(?:[\s/]+[A-Z][\w.'’-]*){0,4})\)?\s*$"
)


def ends_with_credit(text: str) -> bool:
    """A caption: a paragraph (at most a few sentences) that closes with a photo credit."""
    return len(_words(text)) <= 60 and _credit_tail(text.strip()) is not None


# Credits written around a caption in scraped text: "Tom Williams/Getty Images Rep. X ..." (before it),
# "... last week. (Katherine Frey/The Washington Post)", "... in 2005. Michael Nagle/Getty Images" (after),
# "caption. | Saul Loeb/AFP/Getty Images Headline" (between a caption and the page's headline).
_AGENCY = (
    r"(?i:ap\s+photo|ap|afp|reuters|epa|getty\s+images|getty|associated\s+press|shutterstock|scanpix|"
    r"invision|tass|xinhua|upi|zuma(?:\s+press)?|istock(?:photo)?|corbis|alamy|staff\s+photographer|politico|"
    r"bloomberg)"
)
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_PERSON = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}"  # at least two words: a person's or a body's name
_LEAD_CREDIT = re.compile(rf"^(?:Buy\s+Photo\b|(?:{_NAME}\s*/\s*)+{_AGENCY}\b)")
_TAIL_CREDITS = (
    re.compile(
        rf"\(\s*(?:(?i:photo(?:graph)?|image|picture|credit)s?\s*(?::|by\b)[^()]*|{_PERSON}(?:,\s*{_NAME})?"
        rf"\s*/\s*[^()]*)\)\s*$"
    ),
    re.compile(rf"(?:^|(?<=[.!?…\"”)])\s+)(?:{_NAME}\s*/\s*)+{_AGENCY}\.?\s*$"),
    re.compile(r"(?<=[.!?…\"”)])\s+(?i:photo(?:graph)?|image|picture)\s*:\s*[^\s.][^.!?]{0,60}$"),
)
_PIPE_CREDIT = re.compile(rf"\s\|\s*(?:{_NAME}\s*/\s*)*{_AGENCY}(?:\s+Photo)?(?=\s|$)\s*(?P<rest>.*)$")
_CREDIT_LABEL = re.compile(
    r"^\(?\s*(?i:(?:photo(?:graph)?|image|picture)s?(?:\s+credit)?|credits?)\s*(?::|by\b|courtesy\b|copyright\b)"
)
# Lines that only a photo's caption opens with: "FILE - In this May 20, 2017 file photo, ...", "This undated
# photo provided by ... shows", "A photo from the 1998 excavation, with ...", the BBC's "Image copyright X
# Image caption ..." and "Media playback is unsupported on your device Media caption ...".
_CAPTION_START = re.compile(
    r"^(?:FILE(?:\s+PHOTO)?\s*[-–—:]\s*|FILE\s+PHOTO\b|"
    r"In\s+this\s+(?:[^;:]{0,60}?\s)?(?:file\s+)?(?:photo(?:graph)?|image|picture|frame\s+grab|screenshot|"
    r"still|video\s+grab)(?:\s+(?:made|taken|released|provided|obtained|shot|from|courtesy)\b|\s*,)|"
    r"This\s+(?:[\w,-]+\s+){0,4}(?:photo(?:graph)?|image|picture|screenshot|frame\s+grab)\s+"
    r"(?:shows?|provided|released|taken|made|obtained|courtesy)\b|"
    r"An?\s+(?:file\s+|handout\s+|undated\s+|recent\s+)?(?:photo(?:graph)?|picture|image|screenshot|still)\s+"
    r"(?:(?:from|of)\s+[^,.;]{1,80}?(?:,|\s+(?:shows?|showing)\b)|shows?\b|taken\b)|"
    r"Pictured\s*(?::|above|below|left|right|here\b)|(?:Image|Media)\s+(?:copyright|caption)\b|"
    r"Media\s+playback\s+is\s+unsupported|Photo\s+illustration\b|CLOSE\s+(?=[A-Z]))",
)
# A caption that names its photo further in: "X, in this photograph provided by Y, is seen ...", "X is
# pictured ... in this evidence photo", "A patient is prepared for an MRI in a file photo".
_CAPTION_INSIDE = re.compile(
    r"\bin\s+(?:this|a)\s+(?:[^.;:]{0,40}?\s)?(?:file|evidence|undated|handout)?\s*"
    r"(?:photo(?:graph)?|image|picture)\b(?:\s+(?:provided|released|taken|made|obtained|courtesy)\b|[\s,.…]*$)"
    r"|\b(?:is|are|was|were)\s+(?:seen|shown|pictured)\b[^.]{0,120}\bin\s+(?:this|a)\s+[^.]{0,40}?"
    r"\b(?:photo(?:graph)?|image|picture)\b"
)
# Where a person stands in the photo, as only a caption says it: "X, third from left, and ...", "(L-R)",
# "X (left) and Y". A party label ("Sen. X (R-S.C.)", "(R)") is not one.
_CAPTION_POSITION = re.compile(
    r",\s*(?:(?:far|first|second|third|fourth|fifth)\s+)?(?:from\s+)?(?:left|right|center|centre)\s*,"
    r"|,\s*(?:(?:first|second|third|fourth|fifth)\s+)?from\s+(?:left|right)\b"
    r"|\((?:L|L-R|R-L|l-r|left|right|center|centre|top|bottom|front|back|(?:(?:first|second|third)\s+)?"
    r"from\s+(?:left|right))\)|\b[Pp]ictured\s+(?:left|right|above|below|with|at|in|on|during)\b"
)
_LONE_CREDIT = re.compile(rf"^\(?(?:{_NAME}\s*/\s*)*{_AGENCY}(?:\s+(?i:photo|images))?\)?\.?$")
_INLINE_CREDIT = re.compile(r"\s(?:CREDIT|Credit|Photo credit|PHOTO CREDIT)\s*:\s")
_CAPTION_MAX_WORDS = 120  # an agency's full caption runs to a few sentences; a longer paragraph is reporting
_CREDITED_MAX_WORDS = 80  # a line with a credit in it: a caption, or a headline with its photo's credit
# Words that open the sentence of a standfirst glued after a headline ("... stirs obstruction talk Many
# lawyers say ..."): a capitalised function word after a lowercase word does not continue a headline.
_DEK_OPENERS = frozenset({
    "Many", "Some", "Most", "Several", "The", "A", "An", "In", "On", "At", "After", "As", "But", "And", "His",
    "Her", "Their", "Its", "He", "She", "It", "They", "We", "This", "That", "These", "Those", "When", "While",
    "With", "For", "Critics", "Experts", "Officials", "Lawyers",
})  # fmt: skip


def is_caption_start(text: str) -> bool:
    """A paragraph shaped like a photo's caption by its opening words ("FILE - In this ... photo, ...")."""
    return len(_words(text)) <= _CAPTION_MAX_WORDS and bool(_CAPTION_START.match(text.strip()))


def _credit_tail(text: str) -> re.Match[str] | None:
    for pattern in (*_TAIL_CREDITS, _CREDIT_TAIL):
        m = pattern.search(text)
        if m:
            return m
    return None


def _cut_standfirst(text: str) -> str:
    words = text.split()
    for k in range(3, len(words)):
        # a headline in sentence case has no capitalised article inside it; other openers must follow a
        # lowercase word ("... obstruction talk Many lawyers say ...")
        if words[k] in _DEK_OPENERS and (words[k - 1][:1].islower() or words[k] in ("The", "A", "An")):
            return " ".join(words[:k])
    return text


def opening_furniture(line: str) -> str | None:
    """An opening line judged as page furniture around a headline.

    ``None``: no caption or credit in it. ``""``: the line is a photo's credit or caption, never a title
    ("Photo: KUVP archives", "A photo from the 1998 excavation, with ...", "... last week. (Jane Roe/AP)").
    Otherwise the headline left once the credit is cut: "Shopping when hungry could be a bad idea (Image:
    X/Getty)" gives "Shopping when hungry could be a bad idea"; a caption, a credit and then the headline
    (as Politico pages scrape: "caption. | AP Photo Headline Standfirst") gives the headline."""
    line = line.strip()
    if is_caption_start(line):
        return ""
    words = _words(line)
    if not words or len(words) > _CREDITED_MAX_WORDS:
        return None
    if _LEAD_CREDIT.match(line) or _LONE_CREDIT.match(line) or _CAPTION_INSIDE.search(line):
        return ""
    if _CAPTION_POSITION.search(line) and len(words) <= 60:
        return ""
    inline = _INLINE_CREDIT.search(line)
    if inline:
        head = line[: inline.start()].strip()
        return head if len(_words(head)) >= 4 and headline_like(head, 25) else ""
    pipe = _PIPE_CREDIT.search(line)
    if pipe:
        rest = pipe["rest"].strip()
        return _cut_standfirst(rest) if len(_words(rest)) >= 3 else ""
    tail = _credit_tail(line)
    if tail:
        # the stop that some credit patterns take in belongs to the text before the credit
        head = line[: tail.start() + (line[tail.start()] in ".!?…")].strip()
        # What is left is a headline only when it is headline-shaped; a sentence is the photo's caption.
        if len(_words(head)) >= 4 and headline_like(head, 25) and not re.search(r"[.!?]\s+[A-Z]", head):
            return head
        return ""
    if len(words) <= 20 and _CREDIT_LABEL.match(line):
        return ""
    return None


# A pointer to the outlet's own media or stories, set in the text as a paragraph of its own: "(PHOTOS:
# Oklahoma tornado)", "[VIDEO: ...]", "READ MORE: ...", "Related: Headline".
_POINTER = re.compile(
    r"^[\[(]?\s*(?P<label>(?i:photos|videos?|watch|slideshow|gallery|audio|listen|related(?:\s+\w+)?|"
    r"read(?:\s+more|\s+also|\s+next)?|also\s+read|more|see\s+also))\s*(?::|\s[-–—]\s)\s*"
    r"(?P<rest>[\"“‘'$A-Z0-9].*?)[\])]?\s*$"
)
_MEDIA_LINK = re.compile(r"^(?i:photo|logo|video|image)\s*(?::|\s[-–—])\s*https?://\S+$")
_MEDIA_LABEL = re.compile(r"(?i)photos|videos?|watch|slideshow|gallery|audio|listen")
_POINTER_MAX_WORDS = 25


def pointer_kind(text: str) -> str:
    """``media_pointer`` for a paragraph that points to the outlet's photos or video, ``teaser`` for one that
    points to another story, "" for anything else."""
    text = text.strip()
    if _MEDIA_LINK.match(text):
        return "media_pointer"
    m = _POINTER.match(text)
    if not m or len(_words(m["rest"])) > _POINTER_MAX_WORDS or re.search(r"[.!?]\s+[A-Z]", m["rest"]):
        return ""
    return "media_pointer" if _MEDIA_LABEL.fullmatch(m["label"]) else "teaser"


# A press release's standard footer after its body: an end mark ("###", "-30-"), an "About <Organisation>"
# section, the organisation's self-description ("The X, founded in 1869, is one of the world's preeminent
# ...", "Acme is a leading provider of ..."), and the media contacts.
_END_MARK = re.compile(r"^(?:#{3,}|-\s?30\s?-|[-–—]?\s*ENDS?\s*[-–—]?)$")
_ABOUT_LABEL = re.compile(r"^About\s+(?:the\s+|us\b)?[A-Z0-9\"“]")
_SELF_DESCRIPTION = re.compile(
    r"^(?:The\s+)?[A-Z0-9][\w&.'’-]*(?:\s+(?:[A-Z0-9&][\w&.'’-]*|of|for|and|the|de|du|on)){0,9}"
    r"(?:\s*\([^()]{1,40}\))?"
    r"(?:,\s*(?:(?:a|an|the)\s+)?[^,]{0,80}?\b(?:founded|established|incorporated|headquartered|based|created)\b"
    r"[^,]{0,60},)?"
    r"\s+(?:is|are)\s+(?:(?:a|an|the)\s+|one\s+of\s+(?:the\s+)?)"
    r"(?:[\w’'-]+\s+){0,3}?(?:world['’]s|nation['’]s|country['’]s|america['’]s|leading|largest|premier|"
    r"pre-?eminent|foremost|global|international|renowned|award-winning|non-?profit|not-for-profit|"
    r"independent|provider|publisher|developer|manufacturer|supplier)\b",
    re.IGNORECASE,
)
_FOUNDED = re.compile(r"\b(?:founded|established)\s+in\s+\d{4}\b", re.IGNORECASE)
_CONTACT = re.compile(
    r"^(?:(?:media|press|investor|news)\s+contacts?|contacts?|press\s+office|for\s+(?:more|further)\s+"
    r"information|source\s*:?\s+[A-Z])\b|@[\w-]+\.\w{2,}|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}|^https?://\S+$|"
    r"^(?:www\.)\S+$|^(?:follow|like|become a fan of)\b",
    re.IGNORECASE,
)
_RELEASE_TAIL_SHARE = 0.5  # the footer is the smaller part of the text: never more than half of it


def is_self_description(text: str) -> bool:
    """An organisation describing itself in a release footer: "The X, founded in 1869, is one of the
    world's preeminent ...", "Acme is a leading provider of ..."."""
    return len(_words(text)) <= 200 and bool(_SELF_DESCRIPTION.match(text.strip()))


def is_contact_line(text: str) -> bool:
    """A line of a release's contact block: a contacts label, a phone number, an e-mail address, a bare
    link, a "follow us" line."""
    return len(_words(text)) <= 30 and bool(_CONTACT.search(text.strip()))


# An embedded social post as a page scrape renders it: a tweet closes with "— Name (@handle) June 20, 2017",
# an Instagram post with "A post shared by Name (@handle) on Jun 20, 2017 at 10:33am PDT".
_EMBED_TAIL = re.compile(
    r"(?:[—–]\s*[^\n()]{0,60}?\s*\(@\w{1,15}\)\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}"
    r"|\bA post shared by\s+[^\n]{1,80}?\(@[\w.]{1,30}\)\s+on\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}"
    r"(?:\s+at\s+\d{1,2}:\d{2}\s*[ap]m(?:\s+[A-Z]{2,4})?)?)\s*$"
)


def is_social_embed(text: str) -> bool:
    """A post quoted from a social network, as the page embedded it: the post's words, then its author's
    handle and date (not the outlet's reporting; two pages embedding one post are not two sources)."""
    return len(_words(text)) <= 150 and bool(_EMBED_TAIL.search(text.strip()))


def is_byline(text: str) -> bool:
    text = _BYLINE_STAMP.sub("", text)  # "By Jane Doe, Agency / Published March 24, 2017"
    words = _words(text)
    if not _BYLINE.match(text) or len(words) > 25 or _FULL_STOP_END.search(text.rstrip(") ")):
        return False
    if re.match(r"(?i)\(?\s*by\s", text):
        # "By Jane Doe", "By JANE DOE, Associated Press": a name follows; "By Tuesday the talks..." is prose.
        rest = text.split(None, 1)[1] if len(text.split(None, 1)) > 1 else ""
        name = _words(rest)[:3]
        return len(words) <= 12 and len(name) >= 2 and all(w[0].isupper() for w in name[:2])
    return True


def is_list_header(text: str) -> bool:
    label = _BULLET.sub("", text).strip().rstrip(":").strip()
    return len(_words(label)) <= 6 and bool(_LIST_HEADER.match(label))


def strip_dateline(text: str) -> tuple[str, str]:
    """``("MOSCOW (Interfax) —", "Volkov is ...")`` for a paragraph opening with a dateline, else ("", text)."""
    m = _DATELINE.match(text)
    if not m or not (m["agency"] or (m["caps"] and len(m["caps"]) >= 3)):
        m = _AGENCY_LEAD.match(text)
        if not m:
            return "", text
    rest = text[m.end() :]
    if len(_words(rest)) < 4:
        return "", text
    return text[: m.end()].strip(), rest


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Page chrome that opens a text and is never its title: a wiki's tagline ("From Wikipedia, the free
# encyclopedia"), an editor's note ("This story is updated at the bottom with ...", "Updated 6.15pm"), a section
# label ("Columnist", "INTRODUCTION:", "Abstract and Introduction"), a player's buttons ("Play Facebook").
_SITE_TAGLINE = re.compile(r"^From\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?,\s+the\s+free\s+[a-z]+(?:\s+[a-z]+)?\.?$")
_EDITOR_NOTE = re.compile(
    r"^\(?(?:(?i:editor['’]?s\s+note|correction|clarification)\s*[:.–—-]\s*\S"
    r"|This\s+(?:story|post|article|report|piece|page|blog\s+post)\s+(?:has\s+been|had\s+been|was|is|will\s+be)\s+"
    r"(?:\w+\s+)?(?:updated|corrected|edited|amended|revised|clarified)\b"
    r"|(?i:update[ds]?\s*[:|–—-]?\s*(?:(?:at|on)\s+)?(?:\d{1,2}[:.]\d{2}(?!\d)|(?:" + _MONTH_NAMES + r")\.?\s+\d{1,2}\b|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day\b)))",
)
_EDITOR_NOTE_MAX_WORDS = 40
# Names of a site's sections and of a paper's parts: a line made only of them is a label over what follows.
_SECTION_WORDS = _vocabulary("""
    abstract introduction intro background methods method conclusion conclusions summary columnist column
    columns opinion opinions editorial editorials commentary analysis features feature news world politics
    business sports sport health science technology tech entertainment culture lifestyle travel local
    national international us u s uk europe asia africa americas markets economy money elections election
    weather video videos photos blogs blog reviews obituaries crime education environment media arts books
    music movies tv television food style fashion latest breaking top stories story headlines
""")
_SECTION_FILLER = frozenset({"and", "&", "your", "more", "the", "of", "in"})
_SECTION_MAX_WORDS = 5
# Buttons of a video player or a share bar beside the network names of _WIDGET_WORDS.
_BUTTON_WORDS = _vocabulary("play pause replay watch embed autoplay mute unmute close next previous prev pin copy link save")
# The widget phrases that only a button says ("votes", "comments" also head a report: "Council votes to ...").
_BUTTON_PHRASES = re.compile(
    r"(?i)\b(?:share\s+(?:this|on|via)|e-?mail\s+(?:this|article|page)|print\s+(?:this|article|page)|click\s+here|"
    r"tap\s+here|sign\s*in|sign\s*up|log\s*in|subscribe|follow\s+us|read\s+more|show\s+more|load\s+more|"
    r"skip\s+to\s+(?:content|main)|download\s+(?:our|the)\s+app)\b"
)
_PLAYER_UI = re.compile(r"(?i)\bautoplay\b|\bcopy\s+this\s+code\b|\bembed\s+code\b|\bcopy\s+(?:the\s+)?embed\b")
_PLAYER_MAX_WORDS = 40
_DISCLAIMER = re.compile(
    r"\b(?:do|does)\s+not\s+(?:necessarily\s+)?(?:imply|reflect|represent|constitute)\s+(?:the\s+expression\s+of\s+"
    r"any\s+opinion|(?:an?\s+)?endorsement|(?:the\s+)?(?:official\s+)?(?:views?|opinions?|positions?|polic(?:y|ies))"
    r"\s+of)|\b(?:views|opinions)\s+expressed\s+(?:here(?:in)?|in\s+this\s+\w+|above|below)?\s*are\s+(?:solely\s+)?"
    r"those\s+of\s+the\s+(?:author|writer|contributor)s?\b",
    re.IGNORECASE,
)
_DISCLAIMER_MAX_WORDS = 90
# A whole paragraph in capitals is a broadcast's closed captions or a promotion, not a headline: a headline
# in capitals is a few words.
_CAPS_PARAGRAPH_MIN_WORDS = 15


def is_site_tagline(text: str) -> bool:
    """A wiki's line under its page title: "From Wikipedia, the free encyclopedia"."""
    return bool(_SITE_TAGLINE.match(text.strip()))


def is_editor_note(text: str) -> bool:
    """An editor's note about the page itself: "This story has been updated.", "Updated 6.15pm",
    "Correction: ...". An "Update:" that goes on to report news ("UPDATE: Police identified ...") is not."""
    return len(_words(text)) <= _EDITOR_NOTE_MAX_WORDS and bool(_EDITOR_NOTE.match(text.strip()))


def is_section_label(text: str) -> bool:
    """A line made only of section names ("Columnist", "INTRODUCTION:", "Your Health", "Local News More>>")."""
    words = [w.lower() for w in _words(text)]
    content = [w for w in words if w not in _SECTION_FILLER]
    return (
        0 < len(words) <= _SECTION_MAX_WORDS
        and bool(content)
        and all(w in _SECTION_WORDS for w in content)
        and not ends_sentence(text.strip())
    )


def is_button_row(text: str) -> bool:
    """A widget that is nothing but buttons ("Play Facebook", "Share this"), or a video player's controls
    around its clip's name ("Embed ... 2:14 autoplay Copy this code to your website"); a headline naming a
    network ("Facebook buys a start-up") has words of its own and is not one."""
    if len(_words(text)) <= _PLAYER_MAX_WORDS and _PLAYER_UI.search(text):
        return True
    if not is_widget(text):
        return False
    if _BUTTON_PHRASES.search(text):
        return True
    return all(_WIDGET_FILLER.fullmatch(w) or w.lower() in _BUTTON_WORDS for w in _words(text))


def is_disclaimer(text: str) -> bool:
    """A legal disclaimer of the page ("The designations employed ... do not imply the expression of any
    opinion whatsoever ...", "The views expressed are those of the author"), not reported speech."""
    return (
        len(_words(text)) <= _DISCLAIMER_MAX_WORDS
        and bool(_DISCLAIMER.search(text))
        and not reports_speech(text)
    )


def is_caps_paragraph(text: str) -> bool:
    """A paragraph set in capitals (a broadcast's closed captions, a station's promotion)."""
    words = _words(text)
    letters = [c for c in text if c.isalpha()]
    return (
        len(words) >= _CAPS_PARAGRAPH_MIN_WORDS
        and sum(c.isupper() for c in letters) >= 0.9 * len(letters)
    )


def is_lone_dateline(text: str) -> bool:
    """A dateline on a line of its own ("MOUNT DORA, Fla. -"): the place of the text below it."""
    text = text.strip()
    if len(_words(text)) > 8:
        return False
    m = _DATELINE.match(text + " X")
    if not m:
        return False
    return m.end() == len(text) + 1 and bool(m["agency"] or (m["caps"] and len(m["caps"]) >= 3))


def opening_chrome(line: str) -> str:
    """The reason code of an opening line that is page chrome, never a title; "" for anything else.

    Captions and credits (:func:`opening_furniture`), bylines, a wiki's tagline, an editor's note, a section
    label, a row of buttons, a dateline alone on its line, a legal disclaimer."""
    line = line.strip()
    if opening_furniture(line) == "":
        return "caption"
    if is_byline(line):
        return "byline"
    if is_site_tagline(line):
        return "page_chrome"
    if is_editor_note(line):
        return "editor_note"
    if is_section_label(line):
        return "section_label"
    if is_button_row(line):
        return "widget"
    if is_lone_dateline(line):
        return "dateline"
    if is_disclaimer(line):
        return "disclaimer"
    return ""


# ---------------------------------------------------------------------------------------------
# units
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Unit:
    text: str
    block: int  # units in one block were separated by single newlines only
    kind: str = "line"  # "line" for plain text; trafilatura's block kind for HTML
    links: float = 0.0  # share of the text inside links (HTML only)
    verdict: str = ""  # "" = kept, else the RemovedBlock reason
    heading: bool = False

    @property
    def kept(self) -> bool:
        return not self.verdict

    @property
    def n_words(self) -> int:
        return len(_words(self.text))


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into paragraphs (a line broken mid-sentence)."""
    if len(lines) >= 3:
        width = max(len(line) for line in lines)
        body = lines[:-1]
        if width <= 100 and all(0.6 * width <= len(line) for line in body):
            return [" ".join(lines)]
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        if prev and not re.search(r"[.!?:;…\"”»)\]]$", prev) and line[:1].islower():
            out[-1] = f"{prev} {line}"
        else:
            out.append(line)
    return out


# ---------------------------------------------------------------------------------------------
# the per-article cleaner
# ---------------------------------------------------------------------------------------------


class BoilerplateCleaner(ArticleStage):
    """Fills ``text``, ``paragraphs``, ``removed`` and ``boilerplate_chars`` from the raw text or HTML."""

    name: ClassVar[str] = "clean"

    def __init__(self, settings: CleanSettings) -> None:
        super().__init__()
        self.settings = settings

    # -- entry point ---------------------------------------------------------------------------

    def process(self, article: Article) -> Article:
        chrome = ""
        if article.source_format == "html":
            units, chrome = self._html_units(article)
        else:
            units = self._text_units(article)
        self._drop_headline(units, article.title)
        self._mark(units)
        article = self._assemble(article, units)
        if chrome:
            # What trafilatura dropped (navigation, widgets, footers) counts as removed boilerplate too.
            article.removed.insert(0, RemovedBlock(text=chrome, reason="page_chrome"))
            article.boilerplate_chars += len(chrome)
        return article

    # -- unit construction ---------------------------------------------------------------------

    def _text_units(self, article: Article) -> list[_Unit]:
        text = normalize_text(article.raw)
        lines = text.split("\n")
        meta = scan_text(text)
        verdicts: dict[int, str] = {
            i: (reason if reason in _OPENING_REASONS else "metadata") for i, reason in meta.header_lines.items()
        }
        # The title line goes as the headline, also when the title was cut out of it (a credit around it).
        if meta.title_line is not None and (
            _same_headline(lines[meta.title_line], article.title)
            or (meta.title and fold(meta.title) == fold(article.title))
        ):
            verdicts[meta.title_line] = "headline"
        units: list[_Unit] = []
        block = 0
        pending: list[str] = []

        def flush() -> None:
            nonlocal block
            if pending:
                units.extend(_Unit(text=t, block=block) for t in _unwrap(pending))
                pending.clear()
                block += 1

        for i, line in enumerate(lines):
            if not line.strip():
                flush()
            elif i in verdicts:
                flush()
                units.append(_Unit(text=line.strip(), block=block, verdict=verdicts[i]))
            else:
                pending.append(line.strip())
        flush()
        return units

    def _html_units(self, article: Article) -> tuple[list[_Unit], str]:
        from storydesk.ingest.html import extract_main_text, page_chrome

        try:
            blocks = extract_main_text(article.raw)
        except Exception as exc:  # lxml/trafilatura errors on broken markup
            raise InputError(
                Reason.NO_TEXT, f"{article.location}: the HTML cannot be parsed ({exc})"
            ) from exc
        units: list[_Unit] = []
        for i, b in enumerate(blocks):
            # The plain-text layout rules (metadata lines, footers) apply to extracted text as well.
            units.append(_Unit(text=normalize_text(b.text), block=i, kind=b.kind, links=b.links))
        return units, page_chrome(article.raw, blocks)

    @staticmethod
    def _drop_headline(units: list[_Unit], title: str) -> None:
        """The headline repeated at the top of the text (or a subheading equal to it) goes."""
        if not title:
            return
        for u in units[:6]:
            if u.kept and _same_headline(u.text, title):
                u.verdict = "headline"

    # -- the rules -----------------------------------------------------------------------------

    def _mark(self, units: list[_Unit]) -> None:
        self._mark_metadata(units)
        self._mark_social_embeds(units)
        self._mark_widgets(units)
        self._mark_pointers(units)
        self._mark_captions(units)
        self._mark_credits(units)
        self._mark_bylines(units)
        self._mark_repeats(units)
        self._mark_lists(units)
        self._mark_tail_teasers(units)
        self._mark_release_footer(units)
        self._mark_page_notes(units)
        self._mark_labels(units)
        self._mark_footer(units)
        self._mark_notices(units)
        self._mark_notice_page(units)
        self._mark_headings(units)

    @staticmethod
    def _mark_metadata(units: list[_Unit]) -> None:
        # HTML text and JSONL text bodies may also carry "Source:" / "Original:" / date lines.
        kept = [u for u in units if u.kept]
        edge = kept[:4] + kept[-6:]
        for u in edge:
            if source_url(u.text) or original_title(u.text) or header_datetime(u.text) is not None:
                u.verdict = "metadata"

    @staticmethod
    def _mark_social_embeds(units: list[_Unit]) -> None:
        for u in units:
            if u.kept and is_social_embed(u.text):
                u.verdict = "social_embed"

    @staticmethod
    def _mark_widgets(units: list[_Unit]) -> None:
        for u in units:
            if u.kept and is_widget(u.text):
                u.verdict = "widget"
        # A stray label beside a widget ("Notify of", a misspelt "Sing in:") belongs to the widget.
        changed = True
        while changed:
            changed = False
            for i, u in enumerate(units):
                if not u.kept or u.n_words > 3 or (ends_sentence(u.text) and not u.text.endswith("!")):
                    continue
                neighbours = [units[j] for j in (i - 1, i + 1) if 0 <= j < len(units)]
                if any(n.verdict == "widget" for n in neighbours):
                    u.verdict = "widget"
                    changed = True

    @staticmethod
    def _mark_pointers(units: list[_Unit]) -> None:
        for u in units:
            if u.kept:
                u.verdict = pointer_kind(u.text) or u.verdict

    @staticmethod
    def _mark_captions(units: list[_Unit]) -> None:
        """Paragraphs that open as only captions do ("FILE - In this ... photo, ..."); a credit marks the
        others (:meth:`_mark_credits`)."""
        for u in units:
            if u.kept and is_caption_start(u.text):
                u.verdict = "caption"

    @staticmethod
    def _mark_release_footer(units: list[_Unit]) -> None:
        """A press release's footer after its body: from an end mark ("###"), an "About X" label or the
        organisation's self-description to the end of the text, when what follows is footer too (the
        description, contacts, links) and the body above stays the larger part. A report that mentions
        when a company was founded is not in this shape: it is not followed by only footer lines."""
        kept = [u for u in units if u.kept]
        if len(kept) < 3:
            return
        total = sum(len(u.text) for u in kept)

        def footer_after(k: int) -> bool:
            return all(
                is_contact_line(u.text) or is_self_description(u.text) or u.n_words <= 12
                for u in kept[k + 1 :]
            )

        start = None
        reason = "release_footer"
        tail_chars = 0
        for k in range(len(kept) - 1, 0, -1):
            u = kept[k]
            text = u.text.strip()
            tail_chars += len(u.text)
            if tail_chars > _RELEASE_TAIL_SHARE * total:
                break
            label = _ABOUT_LABEL.match(text) and (headline_like(text, 10) or text.rstrip().endswith(":"))
            inline_about = (
                _ABOUT_LABEL.match(text)
                and re.match(r"^About\s[^:]{1,60}:\s", text)
                and (is_self_description(text.split(":", 1)[1]) or _FOUNDED.search(text))
            )
            if _END_MARK.match(text) or label or inline_about:
                # an explicit footer opening: what follows it is release matter
                start, reason = k, "release_footer"
            elif is_self_description(text) and footer_after(k):
                start, reason = k, "release_footer"
                # the organisation's name as a label just above its description goes with it
                if k > 1 and headline_like(kept[k - 1].text, 12) and not ends_sentence(kept[k - 1].text):
                    start = k - 1
            elif is_contact_line(text) and footer_after(k) and re.match(r"(?i)(?:media|press|contact)", text):
                start, reason = k, "contact_footer"
        if start is None:
            return
        for u in kept[start:]:
            u.verdict = reason

    @staticmethod
    def _mark_page_notes(units: list[_Unit]) -> None:
        """Notes about the page rather than the story: an editor's note ("This story was edited at 5:48 p.m.
        to correct ..."), a legal disclaimer, a wiki's tagline. A note that scraping broke in two takes its
        lowercase continuation with it."""
        for i, u in enumerate(units):
            if u.verdict in _NOTE_REASONS:
                pass  # found above the text by the title finder; its continuation is looked for below
            elif not u.kept:
                continue
            elif is_editor_note(u.text):
                u.verdict = "editor_note"
            elif is_disclaimer(u.text):
                u.verdict = "disclaimer"
            elif is_site_tagline(u.text):
                u.verdict = "page_chrome"
            else:
                continue
            nxt = units[i + 1] if i + 1 < len(units) else None
            if nxt is not None and nxt.kept and not ends_sentence(u.text) and nxt.text[:1].islower():
                nxt.verdict = u.verdict

    @staticmethod
    def _mark_credits(units: list[_Unit]) -> None:
        for i, u in enumerate(units):
            if not (u.kept or u.verdict == "caption") or not is_credit(u.text):
                continue
            if u.n_words > 12 and ends_sentence(u.text) and "©" not in u.text and not ends_with_credit(u.text):
                continue
            u.verdict = "caption"
            # The photo's caption sits just above its credit ...
            if i > 0 and units[i - 1].kept:
                prev = units[i - 1]
                same_block = prev.block == u.block
                if (same_block and prev.n_words <= 50) or headline_like(prev.text, 30):
                    prev.verdict = "caption"
            # ... and a related-story headline is often glued just below it.
            if i + 1 < len(units) and units[i + 1].kept:
                nxt = units[i + 1]
                if nxt.block == u.block and headline_like(nxt.text) and not ends_sentence(nxt.text):
                    nxt.verdict = "teaser"

    @staticmethod
    def _mark_bylines(units: list[_Unit]) -> None:
        for u in units:
            if u.kept and is_byline(u.text):
                u.verdict = "byline"

    @staticmethod
    def _mark_repeats(units: list[_Unit]) -> None:
        """A short label repeated in one article is page furniture; a repeated paragraph is a copy."""
        keys = [fold(u.text) for u in units]
        counts = Counter(k for k in keys if k)
        seen: set[str] = set()
        for u, key in zip(units, keys, strict=True):
            if not u.kept or not key:
                continue
            if counts[key] >= 2 and headline_like(u.text, 12) and not ends_sentence(u.text):
                u.verdict = "repeated_label"
            elif key in seen and u.n_words >= 8:
                u.verdict = "repeated_paragraph"
            seen.add(key)

    def _mark_lists(self, units: list[_Unit]) -> None:
        """A "See also" / "Related" label and the headline / blurb list after it."""
        for i, u in enumerate(units):
            if not u.kept or not is_list_header(u.text):
                continue
            u.verdict = "teaser_list"
            self._consume_teasers(units, i + 1)
        # Runs of link-only list items (HTML) are link lists even without a label.
        run: list[_Unit] = []
        for u in [*units, _Unit(text="", block=-1)]:
            if u.kept and u.links >= 0.8 and headline_like(u.text, 25):
                run.append(u)
                continue
            if len(run) >= 2:
                for r in run:
                    r.verdict = "teaser_list"
            run = []

    @staticmethod
    def _consume_teasers(units: list[_Unit], start: int) -> int:
        """Mark the list items from ``start``: headlines, each followed by at most one short blurb.

        A list shows its shape in its first items: once two headlines follow each other it is a list
        of bare headlines, and the next paragraph of prose is the article again, not a blurb.
        """
        after_title = False
        blurbs_allowed = True
        titles = 0
        j = start
        while j < len(units):
            u = units[j]
            if not u.kept:
                j += 1  # a tag or label already removed inside the list
                continue
            if _BULLET.match(u.text) or headline_like(u.text):
                if after_title and titles == 1:
                    blurbs_allowed = False
                u.verdict = "teaser_list"
                after_title = True
                titles += 1
            elif after_title and blurbs_allowed and u.n_words <= 60:
                u.verdict = "teaser_list"
                after_title = False
            else:
                break
            j += 1
        return j

    def _mark_tail_teasers(self, units: list[_Unit]) -> None:
        """A run of headline / blurb pairs that ends the page: a teaser wall without a label.

        A listicle or a Q&A has the same shape, so the run must also be about something else than
        the article above it (few shared content words), must not ask questions (Q&A) and its
        blurbs must not be quotations (answers).
        """
        kept = [i for i, u in enumerate(units) if u.kept]
        titles = 0
        k = len(kept) - 1
        first = len(kept)

        def is_title(u: _Unit) -> bool:
            text = u.text.rstrip()
            return headline_like(text, 15) and not ends_sentence(text) and "://" not in text

        while k >= 0:
            u = units[kept[k]]
            if is_title(u):
                titles += 1
                first = k
                k -= 1
            elif (
                u.n_words <= 60
                and k > 0
                and is_title(units[kept[k - 1]])
                and not u.text.startswith(('"', "“", "«", "„", "'", "‘"))
            ):
                k -= 1  # a blurb; its headline is the next unit back
            else:
                break
        if titles < self.settings.teaser_run_min_lines or first >= len(kept):
            return
        run = [units[i] for i in kept[first:]]
        body = [units[i] for i in kept[:first]]
        if _overlap(" ".join(u.text for u in run), " ".join(u.text for u in body)) > 0.35:
            return
        for u in run:
            u.verdict = "teaser_list"

    @staticmethod
    def _mark_labels(units: list[_Unit]) -> None:
        """One- or two-word lines without punctuation ("Politics", "Context"): section labels."""
        for u in units:
            if not u.kept:
                continue
            limit = 1 if u.kind == "head" else 2
            text = u.text.rstrip(":").strip()
            if u.n_words <= limit and not ends_sentence(text) and not text.startswith(('"', "“", "«")):
                u.verdict = "section_label"

    @staticmethod
    def _mark_footer(units: list[_Unit]) -> None:
        """Short non-sentences after the last paragraph of prose: the page footer."""
        for u in reversed(units):
            if not u.kept:
                continue
            if u.n_words <= 6 and (not ends_sentence(u.text) or u.text.endswith("!")):
                u.verdict = "footer"
                continue
            if u.links >= 0.8 and headline_like(u.text, 25):
                u.verdict = "teaser_list"  # a link to another story under the article
                continue
            break

    @staticmethod
    def _mark_notices(units: list[_Unit]) -> None:
        """A site's notice to its visitor inside an article (a newsletter form, "Please enable JavaScript
        to watch this video"): several cues of one notice family, in the site's voice, reporting nobody."""
        for u in units:
            if not u.kept or u.n_words > _NOTICE_BLOCK_MAX_WORDS:
                continue
            family, n = notice_cues(u.text)
            if (
                family
                and n >= family.block_min_cues
                and speaks_to_visitor(u.text)
                and not reports_speech(u.text)
            ):
                u.verdict = family.reason

    @staticmethod
    def _mark_notice_page(units: list[_Unit]) -> None:
        """A page that is a notice and nothing else loses what is left, so that it ends as ``no_main_text``
        with the kind of page named: a page of notice paragraphs (an archive's crawl description, an error
        page), a video description made of link lines, or a one-line list of what a site offers.

        What is left must itself read as part of the notice (a cue of a notice family, a short line, a link)
        and report nobody: one paragraph of reporting keeps the page an article.
        """
        kept = [u for u in units if u.kept and u.text.strip()]
        if not kept:
            return
        verdict = _notice_page_verdict(units, kept)
        if not verdict:
            return
        for u in units:
            if u.kept or u.verdict in _WEAK_VERDICTS:
                family, n = notice_cues(u.text)
                # on a page of notices each line keeps its own kind (an archive notice above an error page)
                u.verdict = family.reason if family and n and verdict in _FAMILY_REASONS else verdict

    @staticmethod
    def _mark_headings(units: list[_Unit]) -> None:
        kept = [u for u in units if u.kept]
        for u, nxt in itertools.pairwise(kept):
            if u.kind == "head" or (heading_like(u.text) and (ends_sentence(nxt.text) or nxt.n_words > 25)):
                u.heading = True

    # -- output --------------------------------------------------------------------------------

    def _assemble(self, article: Article, units: list[_Unit]) -> Article:
        if not any(u.kept and not u.heading for u in units):
            # A very short text (one line, no full stop) is judged by shape rules meant for page
            # furniture; when they would leave nothing, the weak verdicts are taken back.
            for u in units:
                if u.verdict in _WEAK_VERDICTS:
                    u.verdict = ""
                    u.heading = False
        removed: list[RemovedBlock] = []
        kept: list[tuple[str, bool]] = []
        for u in units:
            if not u.kept:
                removed.append(RemovedBlock(text=u.text, reason=u.verdict))
                continue
            # A list marker ("* ", "• ", "- ") is layout, not words of the sentence that follows it.
            text = _BULLET.sub("", u.text, count=1) or u.text
            if not u.heading:
                dateline, text = strip_dateline(text)
                if dateline:
                    removed.append(RemovedBlock(text=dateline, reason="dateline"))
            kept.append((text, u.heading))
        if not any(not heading for _, heading in kept):
            what = describe_notices((r.reason, r.text) for r in removed)
            if what:
                raise InputError(Reason.NO_TEXT, f"{article.location}: {what}, not an article")
            found = (
                f"only {len(removed)} boilerplate block{'s' if len(removed) != 1 else ''} (menus, captions, "
                "notices) and no article text"
                if removed
                else "no text outside markup and scripts"
            )
            raise InputError(Reason.NO_TEXT, f"{article.location}: {found}")
        set_paragraphs(article, kept)
        article.removed = removed
        article.boilerplate_chars = sum(len(r.text) for r in removed)
        return article


_WEAK_VERDICTS = frozenset({"footer", "section_label"})
_NOTE_REASONS = frozenset({"editor_note", "disclaimer", "page_chrome"})
# What the title finder may remove above the text (see :func:`opening_chrome`); date and source lines are
# "metadata".
_OPENING_REASONS = frozenset(
    {"header", "caption", "byline", "page_chrome", "editor_note", "section_label", "widget", "dateline", "disclaimer"}
)
_NOTICE_BLOCK_MAX_WORDS = 80  # a notice is a few lines; a long paragraph with such words is a report on them
_NOTICE_PAGE_MAX_WORDS = 150  # one paragraph of a notice page (an archive's crawl description runs long)
_VIDEO_PAGE_MAX_PROSE_WORDS = 150  # a video description's own text beside its link lines
_FAMILY_REASONS = frozenset(f.reason for f in NOTICE_FAMILIES)
_LINK_SOURCES = frozenset({"", "widget", "footer", "section_label", "teaser_list"})


def _notice_page_verdict(units: list[_Unit], kept: list[_Unit]) -> str:
    """The reason for every remaining unit when the page is only a notice, else ""."""
    if len(kept) == 1 and is_site_description(kept[0].text):
        return SITE_DESCRIPTION_REASON
    # Both page kinds below allow no reporting outside link lines: most articles stop here.
    if any(reports_speech(u.text) and not is_link_line(u.text) for u in kept):
        return ""
    cues = {id(u): notice_cues(u.text) for u in units if u.kept or u.verdict in _FAMILY_REASONS}
    # notice paragraphs: those marked already, and two-cue ones that the stricter in-article rule left
    strong = [u for u in units if u.verdict in _FAMILY_REASONS]
    rest: list[_Unit] = []
    for u in kept:
        family, n = cues[id(u)]
        if family and n >= 2 and u.n_words <= _NOTICE_PAGE_MAX_WORDS and speaks_to_visitor(u.text):
            strong.append(u)
        else:
            rest.append(u)
    if strong and all(_notice_like(u, cues[id(u)][1]) for u in rest):
        weight: dict[str, int] = {}
        for u in strong:
            family, _ = cues[id(u)]
            if family:
                weight[family.reason] = weight.get(family.reason, 0) + len(u.text)
        # the notice is the bulk of the page, not one form beside a few short lines of a report
        cued = sum(len(u.text) for u in strong) + sum(len(u.text) for u in rest if cues[id(u)][1])
        if weight and cued >= sum(len(u.text) for u in rest if not cues[id(u)][1]):
            return max(weight, key=lambda r: weight[r])
    links = [u for u in units if u.verdict in _LINK_SOURCES and is_link_line(u.text)]
    prose = [u for u in kept if not is_link_line(u.text)]
    # link lines dominate: at least as many as paragraphs of prose when that prose is a short blurb, twice
    # as many when it runs to a channel's self-description
    prose_words = sum(u.n_words for u in prose)
    dominated = (len(links) >= len(prose) and prose_words <= _VIDEO_PAGE_MAX_PROSE_WORDS) or (
        len(links) >= 2 * len(prose) and prose_words <= 2 * _VIDEO_PAGE_MAX_PROSE_WORDS
    )
    return VIDEO_PAGE_REASON if len(links) >= 3 and dominated else ""


def _notice_like(u: _Unit, n_cues: int) -> bool:
    """A paragraph that may stand beside notices on a notice page (it reports nobody): a notice cue, a
    short line or a link."""
    if n_cues >= 1 and u.n_words <= _NOTICE_BLOCK_MAX_WORDS:
        return True
    if n_cues >= 1 and u.n_words <= _NOTICE_PAGE_MAX_WORDS and speaks_to_visitor(u.text):
        return True
    return u.n_words <= 12 or is_link_line(u.text)


_STOP = frozenset({
    "the", "and", "for", "that", "with", "from", "this", "have", "has", "had", "was", "were", "will",
    "would", "been", "are", "not", "but", "its", "their", "they", "said", "says", "about", "after",
    "over", "into", "than", "then", "them", "there", "these", "those", "which", "while", "when",
    "what", "who", "whom", "also", "more", "most", "some", "such", "only", "other", "very", "just",
    "where", "your", "you", "our", "his", "her", "she", "him",
})  # fmt: skip


def _content_words(text: str) -> set[str]:
    return {w for w in (t.lower() for t in _words(text)) if len(w) >= 4 and w not in _STOP}


def _overlap(text: str, reference: str) -> float:
    """Share of ``text``'s content words that also occur in ``reference``."""
    words = _content_words(text)
    return len(words & _content_words(reference)) / len(words) if words else 1.0


def _same_headline(line: str, title: str) -> bool:
    a, b = fold(line), fold(title)
    if not a or not b:
        return False
    # A scraped headline line may carry more than the title ("A. A B"); a lede that merely starts
    # like the title is too long to be a headline line and stays.
    return a == b or (is_title_line(line) and len(b.split()) >= 3 and a.startswith(b))


def set_paragraphs(article: Article, paragraphs: Sequence[tuple[str, bool]]) -> None:
    """Write ``text`` and ``paragraphs`` (start offsets into the text) from (text, is_heading) pairs."""
    parts: list[str] = []
    records: list[Paragraph] = []
    offset = 0
    for index, (text, heading) in enumerate(paragraphs):
        records.append(Paragraph(index=index, text=text, start=offset, is_heading=heading))
        parts.append(text)
        offset += len(text) + 2  # paragraphs are joined by a blank line
    article.text = "\n\n".join(parts)
    article.paragraphs = records


# ---------------------------------------------------------------------------------------------
# the cross-article filter
# ---------------------------------------------------------------------------------------------


class CorpusBoilerplateFilter:
    """Removes runs of paragraphs that fit neither their own article nor any other (TF-IDF cosine).

    Only English articles are judged: the vocabulary model (English stop words, whole-word matches) reads
    an inflected language's paragraphs as unrelated to each other, and a Russian article with no other
    Russian article on its story lost its whole body but the lead. Other articles still count as the
    "other articles" an English paragraph may fit.
    """

    MIN_TERMS = 6  # below this a paragraph is too short to judge by vocabulary (a short quote stays)
    MIN_RUN = 3  # a wall: one or two stray paragraphs are left alone

    def __init__(self, settings: CleanSettings) -> None:
        self.settings = settings
        self.removed_chars = 0

    def run(self, articles: list[Article]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        # the head's language, detected once and recorded, as the clusterers read it
        from storydesk.group.features import article_language

        texts: list[str] = []
        owners: list[tuple[int, int]] = []  # (article index, paragraph index)
        for a_idx, article in enumerate(articles):
            for p in article.paragraphs:
                if not p.is_heading:
                    texts.append(p.text)
                    owners.append((a_idx, p.index))
        if len(texts) < 4:
            return
        vectorizer = TfidfVectorizer(
            stop_words="english", sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b[^\W\d_]{3,}\b"
        )
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # no usable vocabulary at all
            return
        n_terms = np.asarray((matrix > 0).sum(axis=1)).ravel()
        by_article: dict[int, list[int]] = {}
        for row, (a_idx, _) in enumerate(owners):
            by_article.setdefault(a_idx, []).append(row)
        other = self._best_other_article(matrix, [a for a, _ in owners])
        threshold = self.settings.topical_min_similarity
        for a_idx, rows in by_article.items():
            if article_language(articles[a_idx]) != "en":
                continue
            # The article's own topic is read from its lead: a teaser wall is similar to itself, so
            # comparing it with the whole article (wall included) would vouch for it.
            lead = rows[: max(3, (3 * len(rows)) // 10)]
            lead_sum = np.asarray(matrix[lead].sum(axis=0)).ravel()
            misfit: dict[int, bool] = {}
            for row in rows:
                vec = matrix[row].toarray().ravel()
                own = _cosine(vec, lead_sum - vec if row in lead else lead_sum)
                # Direct speech is about the story even in words the rest of the story never uses.
                misfit[owners[row][1]] = bool(
                    n_terms[row] >= self.MIN_TERMS
                    and own < threshold
                    and other[row] < threshold
                    and not _QUOTED.search(texts[row])
                )
            self._drop_runs(articles[a_idx], misfit)

    @staticmethod
    def _best_other_article(matrix: sparse.csr_matrix, row_article: list[int], chunk: int = 2048) -> np.ndarray:
        """Per paragraph row: its best TF-IDF cosine with the summed paragraphs of any *other* article.

        One sparse product for all pairs (paragraphs x articles), in row chunks so that the dense block
        stays small: comparing each paragraph with each article one dense vector at a time grows with
        paragraphs x articles x vocabulary and took minutes on a few hundred articles.
        """
        n_rows = matrix.shape[0]
        owner = np.asarray(row_article)
        n_articles = int(owner.max()) + 1 if n_rows else 0
        membership = sparse.csr_matrix(
            (np.ones(n_rows), (owner, np.arange(n_rows))), shape=(n_articles, n_rows)
        )
        sums = (membership @ matrix).tocsr()  # each article's summed paragraph vectors
        sum_norms = np.sqrt(np.asarray(sums.multiply(sums).sum(axis=1)).ravel())
        row_norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        best = np.zeros(n_rows)
        sums_t = sums.T.tocsc()
        for start in range(0, n_rows, chunk):
            stop = min(start + chunk, n_rows)
            dots = np.asarray((matrix[start:stop] @ sums_t).todense())
            denom = row_norms[start:stop, None] * sum_norms[None, :]
            cos = np.divide(dots, denom, out=np.zeros_like(dots), where=denom > 0)
            cos[np.arange(stop - start), owner[start:stop]] = 0.0  # not its own article
            best[start:stop] = cos.max(axis=1) if cos.shape[1] else 0.0
        return best

    def _drop_runs(self, article: Article, misfit: dict[int, bool]) -> None:
        paragraphs = article.paragraphs
        drop: set[int] = set()
        run: list[int] = []
        for p in [*paragraphs, None]:
            if p is not None and (misfit.get(p.index) or (p.is_heading and run)):
                run.append(p.index)
                continue
            body = [i for i in run if misfit.get(i)]
            if len(body) >= self.MIN_RUN:
                drop.update(run)
            run = []
            if p is not None and misfit.get(p.index):
                run.append(p.index)
        if not drop or len(drop) >= len([p for p in paragraphs if not p.is_heading]):
            return  # never empty an article: a whole article off-topic is a grouping question
        removed = [RemovedBlock(text=p.text, reason="off_topic") for p in paragraphs if p.index in drop]
        set_paragraphs(article, [(p.text, p.is_heading) for p in paragraphs if p.index not in drop])
        article.removed.extend(removed)
        chars = sum(len(r.text) for r in removed)
        article.boilerplate_chars += chars
        self.removed_chars += chars


_QUOTED = re.compile(r"[\"“”«»„]\s*(?:[^\W_]+\W+){3,}?[^\"“”«»„]*[\"“”«»„]")


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    na, nb = float(np.linalg.norm(a)), float(np.linalg.norm(b))
    if na == 0.0 or nb == 0.0:
        return 0.0
    return float(a @ b) / (na * nb)
