"""Who said what: direct quotes (and clear indirect speech) with their speakers, grouped across articles.

Per article, :func:`extract_quotes` finds quoted spans with a tolerant reader of quote marks (« », “ ”,
straight quotes, a closing mark used to open, a quote left open at the end of a paragraph), then finds the
attribution in the same sentence: a cue verb and a speaker after the quote (``,” said X`` / ``,” X said``),
before it (``X said: “`` / ``X, role: “`` / ``X said his meeting was “...”``), or ``according to X``. A
quote paragraph without its own attribution takes the one of its paragraph. Reported speech comes from
the dependency parse: a verb's clause (``X said/fears/showed that ...``, ``A, X said, B``), by the verb's
class its object (``announced a plan to ...``, not a bare ``the report``), addressee and infinitive (``urged
Congress to act``) or label (``called the charges false``), or a noun of saying with its author (``X's claim
that ...``); negated, hypothetical, questioned and nested uses report nothing of their own. Pronouns go to
the speaker of the previous quote when it is near, else to the nearest person named before, never to one
known to be of the other gender (a common given name, an earlier "he"/"she"); definite titles ("the
minister") go to the person described with that role, while "a White House official" stays a new, unnamed
speaker. A name the tagger did not label a person is one when the article describes it as one (a title, an
age, "who", "X, a rapper,", "his"/"her"), and one that speaks ("Havoc said") may be what a later "he"/"she"
stands for; "it" stays with organisations; a platform ("wrote on Instagram") is never a speaker.
:class:`QuoteExtractor` then maps speakers to canonical entities and merges the same utterance across
articles and translations (sentence embeddings, plus the provenance linker's aligned sentences) into one
:class:`Quote` with its variants.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from storydesk.analyse.canon import EntityIndex
from storydesk.analyse.names import (
    STOP_WORDS,
    fold,
    given_gender,
    looks_like_name_token,
    parse_person_name,
    words,
)
from storydesk.analyse.persons import (
    ADVERBS,
    CUE_RE,
    CUE_WORDS,
    NAME_TOKEN_RE,
    NP_END,
    ROLE_WORDS,
    clean_mention_text,
    person_like,
)
from storydesk.disjoint import DisjointSets
from storydesk.records import Article, Mention, Quote, QuoteVariant, Sentence, Story
from storydesk.settings import AnalyseSettings, AnnotateSettings
from storydesk.stage import StoryStage

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

# Cues that introduce a direct quote but rarely indirect speech ("he believes that ..." is opinion).
_INDIRECT_CUES = CUE_WORDS - words(
    "ask asked asks asking continued continues joked quipped called calls calling describe described "
    "describes describing labeled labelled dubbed branded praised accused accusing commented demanded "
    "wondered boasted exclaimed scoffed snapped fumed retorted pleaded offered chimed"
)

PRONOUNS = words("he she they it we i")
_PERSON_PRONOUNS = words("he she")
_OPEN_ONLY = "«„‹"
_CLOSE_ONLY = "»›"
_AMBIGUOUS = '"“”‟'
_MARKS = _OPEN_ONLY + _CLOSE_ONLY + _AMBIGUOUS
_NP_WORDS = words("of in at for from on the a an")
_SPACE_PUNCT = " \t\n,.;:!?)]}—–―-…"


@dataclass(slots=True, kw_only=True)
class QuoteSpan:
    """One quote inside one article, with character offsets (for evaluation and grouping)."""

    article: str
    start: int
    end: int
    text: str
    speaker: str = ""  # resolved name, or the speaker phrase as written ("the document")
    speaker_start: int = -1  # the speaker as written next to the cue ("he", "the minister")
    speaker_end: int = -1
    speaker_label: str = ""  # PERSON, ORG, ... when the speaker is a named mention
    cue: str = ""
    direct: bool = True
    paragraph: int = 0
    resolved: bool = True  # False for a pronoun we could not resolve


@dataclass(slots=True)
class _Speaker:
    name: str
    start: int
    end: int
    label: str = ""
    resolved: bool = True


# ---------------------------------------------------------------------- quote marks


def find_quoted_spans(text: str) -> list[tuple[int, int, bool]]:
    """Quoted spans ``(start, end, closed)`` in one paragraph, marks excluded.

    Tolerant of machine translation: a mark's role (opening or closing) comes from its neighbours
    (space before an opening mark, space or punctuation after a closing one) before its glyph; a new
    opening mark while a quote is open closes the earlier quote at its last sentence end; a quote still
    open at the end of the paragraph runs to the end (the news convention for multi-paragraph quotes).
    """
    spans: list[tuple[int, int, bool]] = []
    open_at = -1
    n = len(text)
    for i, ch in enumerate(text):
        if ch not in _MARKS:
            continue
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < n else " "
        left = before.isspace() or before in "([{—–-:" or before in _MARKS
        right = after.isspace() or after in _SPACE_PUNCT or after in _MARKS
        if ch in _OPEN_ONLY:
            role = "open"
        elif ch in _CLOSE_ONLY:
            role = "close"
        elif left and not right:
            role = "open"
        elif right and not left:
            role = "close"
        elif ch == "“" and not (left and right):
            role = "open"
        elif ch in "”‟" and not (left and right):
            role = "close"
        else:
            role = "close" if open_at >= 0 else "open"
        if (
            role == "open"
            and open_at >= 0
            and _ATTRIBUTION_TAIL.match(text[i + 1 : _next_mark(text, i + 1, n)])
        ):
            role = "close"  # “We agreed ... “Volkov said.: the second mark closes the quote
        if (
            role == "open"
            and open_at < 0
            and _ATTRIBUTION_TAIL.match(text[i + 1 : _next_mark(text, i + 1, n)])
        ):
            # “Volkov said. : a closing mark written as an opening one, right before the attribution.
            if spans and spans[-1][2]:
                spans[-1] = (spans[-1][0], i, True)  # the words between were the same quote
            elif not spans and len(text[:i].split()) >= 3:
                spans.append((0, i, False))
            continue
        if role == "open":
            if open_at < 0:
                open_at = i + 1
            else:
                # An opening mark inside an open quote: an unclosed quote followed by a new one.
                inner = text[open_at:i]
                stop = max(inner.rfind(". "), inner.rfind("? "), inner.rfind("! "))
                if stop > 0 and len(inner[:stop].split()) >= 3:
                    spans.append((open_at, open_at + stop + 1, False))
                    open_at = i + 1
        elif open_at >= 0:
            if i > open_at:
                spans.append((open_at, i, True))
            open_at = -1
        elif not spans and len(text[:i].split()) >= 3:
            # A closing mark with no opening one: the quote began with the paragraph.
            spans.append((0, i, False))
    if open_at >= 0 and n - open_at > 1:
        spans.append((open_at, n, False))
    return [(s, e, c) for s, e, c in spans if any(ch.isalnum() for ch in text[s:e])]


_ATTRIBUTION_TAIL = re.compile(
    r"^\s*(?:[A-Z][\w’'-]*\s+){1,3}(?:"
    + r"said|says|added|noted|stated|asked|stressed|explained|concluded"
    + r")\W*$"
    r"|^\s*[,—–-]*\s*(?:said|says|added|noted|stated|asked)\s+(?:[A-Z][\w’'-]*\s*){1,3}\W*$"
)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Quote span without surrounding space, marks and a trailing comma."""
    while start < end and (text[start].isspace() or text[start] in _MARKS):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _MARKS + ",—–-"):
        end -= 1
    return start, end


# ---------------------------------------------------------------------- extraction


class _ArticleContext:
    """Sentence lookup, mentions and the discourse state used to resolve speakers in one article."""

    def __init__(self, article: Article, quote_ranges: list[tuple[int, int]]) -> None:
        self.article = article
        self.text = article.text
        self.sent_starts = [s.start for s in article.sentences]
        self.mentions = sorted(
            (m for m in article.mentions if m.label in ("PERSON", "ORG", "GPE", "NORP")),
            key=lambda m: m.start,
        )
        self.mention_starts = [m.start for m in self.mentions]
        ranges = sorted(quote_ranges)
        outside = [m for m in self.mentions if not any(s <= m.start < e for s, e in ranges)]
        # Names the tagger did not call a person ("Havoc" as an organisation): a person when the article
        # describes them as one; a candidate for a later "he"/"she" when they speak, looking like a name.
        described_people, speaking_names = person_like(self.text, outside, self.sent_starts)
        self.person_like = {m.start for m in described_people}
        # A platform is where something was said ("wrote on Instagram"), never who, whatever its label.
        self.persons = [
            m for m in outside if (m.label == "PERSON" or m.start in self.person_like) and not _is_platform(m.text)
        ]
        self.person_starts = [m.start for m in self.persons]
        self.antecedents = sorted(self.persons + speaking_names, key=lambda m: m.start)
        self.antecedent_starts = [m.start for m in self.antecedents]
        self.last_speaker: tuple[_Speaker, int] | None = None  # speaker and paragraph index
        # "f"/"m" per surname key: from a common given name, else from a "she"/"he" that resolved to them.
        self.gender: dict[str, str] = {}
        # Words describing each named person ("Russian Foreign Minister Sergei Volkov"), by surname.
        self.described: dict[str, set[str]] = {}
        self.names: dict[str, Counter[str]] = {}
        self.mention_count: dict[str, int] = {}
        prev_end = 0
        for m in self.persons:
            key = _surname_key(m.text)
            lower = prev_end
            prev_end = m.end
            if not key:
                continue
            # The words before a name describe it only up to the previous name.
            self.described.setdefault(key, set()).update(_context_words(self.text, m, lower))
            self.mention_count[key] = self.mention_count.get(key, 0) + 1
            self.names.setdefault(key, Counter())[_person_name(m.text)] += 1
            parts = _person_name(m.text).split()
            if len(parts) >= 2 and given_gender(parts[0]):
                self.gender.setdefault(key, given_gender(parts[0]))

    def sentence_bounds(self, pos: int) -> tuple[int, int]:
        if not self.sent_starts:
            return 0, len(self.text)
        i = max(0, bisect.bisect_right(self.sent_starts, pos) - 1)
        sent = self.article.sentences[i]
        return sent.start, sent.end

    def mention_in(self, start: int, end: int) -> Mention | None:
        i = bisect.bisect_left(self.mention_starts, start)
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if m.end <= end + 2:
                return m
            i += 1
        # A mention that begins before the phrase and runs into it.
        j = bisect.bisect_left(self.mention_starts, start) - 1
        if j >= 0 and self.mentions[j].end > start:
            return self.mentions[j]
        return None

    def person_ending(self, start: int, end: int) -> Mention | None:
        """The person mention that closes ``text[start:end]`` ("UConn spokesperson Stephanie Reitz")."""
        i = bisect.bisect_left(self.mention_starts, start)
        found = None
        while i < len(self.mentions) and self.mentions[i].start < end:
            m = self.mentions[i]
            if self.label_of(m) == "PERSON" and end - 1 <= m.end <= end + 2:
                found = m
            i += 1
        return found

    def previous_person(self, pos: int) -> Mention | None:
        i = bisect.bisect_left(self.person_starts, pos) - 1
        return self.persons[i] if i >= 0 else None

    def previous_antecedent(self, pos: int, gender: str = "") -> Mention | None:
        """The nearest earlier name a "he" or "she" may stand for: a person, or a name that spoke. Never one
        known to be of the other ``gender`` ("f" or "m"); one known to be of that gender, named in this
        paragraph or the one before, wins over a nearer name of unknown gender ("Romney caricature") that
        is not in the pronoun's own sentence."""
        i = bisect.bisect_left(self.antecedent_starts, pos) - 1
        nearest: Mention | None = None
        floor = self.paragraph_of(pos) - 1
        while i >= 0:
            m = self.antecedents[i]
            i -= 1
            known = self.gender_of(m.text)
            if gender and known and known != gender:
                continue
            if not gender or known == gender:
                return m if nearest is None or self.paragraph_of(m.start) >= floor else nearest
            if nearest is None:
                if self.same_sentence(m.start, pos):
                    return m  # "While Havoc claimed ..., he said": a name of its own sentence stands
                nearest = m
        return nearest

    def paragraph_of(self, pos: int) -> int:
        if not self.sent_starts:
            return 0
        return self.article.sentences[max(0, bisect.bisect_right(self.sent_starts, pos) - 1)].paragraph

    def gender_of(self, name: str) -> str:
        """"f", "m" or "" for a person: their own given name, else what the article said of their surname
        (not when two people share it: "Donald Trump" and "Ivanka Trump")."""
        parts = _person_name(name).split()
        if len(parts) >= 2 and given_gender(parts[0]):
            return given_gender(parts[0])
        key = _surname_key(name)
        givens = {fold(n.split()[0]) for n in self.names.get(key, ()) if len(n.split()) >= 2}
        return self.gender.get(key, "") if len(givens) <= 1 else ""

    def learn_gender(self, name: str, gender: str) -> None:
        """A "he"/"she" resolved to ``name``: later pronouns of the other gender are not theirs."""
        key = _surname_key(name)
        givens = {fold(n.split()[0]) for n in self.names.get(key, ()) if len(n.split()) >= 2}
        if key and len(givens) <= 1:
            self.gender.setdefault(key, gender)

    def gender_clash(self, name: str, gender: str) -> bool:
        """Is the person named ``name`` known to be of the other gender than ``gender`` ("f", "m", "")?"""
        known = self.gender_of(name)
        return bool(gender and known and known != gender)

    def same_sentence(self, a: int, b: int) -> bool:
        return self.sentence_bounds(a) == self.sentence_bounds(b)

    def label_of(self, m: Mention) -> str:
        """A mention's label, PERSON for a name the article describes as a person."""
        return "PERSON" if m.start in self.person_like else m.label

    def name_of(self, m: Mention) -> str:
        return _person_name(m.text) if self.label_of(m) == "PERSON" else clean_mention_text(m.text)

    def person_described(self, pos: int, phrase_words: set[str]) -> str | None:
        """The person named before ``pos`` whose descriptions best match a title ("the Russian minister");
        on a tie the one named nearest before ``pos`` (never a set's order: the same input, the same brief)."""
        nearest_first: list[str] = []
        for m in reversed(self.persons[: bisect.bisect_left(self.person_starts, pos)]):
            key = _surname_key(m.text)
            if key and key not in nearest_first:
                nearest_first.append(key)
        last = _surname_key(self.last_speaker[0].name) if self.last_speaker else ""
        best: tuple[float, str] | None = None
        for key in nearest_first:
            overlap = len(self.described.get(key, set()) & phrase_words)
            if not overlap:
                continue
            score = overlap + (1.5 if key == last else 0.0) + 0.1 * min(self.mention_count.get(key, 0), 10)
            if best is None or score > best[0]:
                best = (score, key)
        if best is None:
            return None
        names = self.names[best[1]]
        # The most used full form, then the longest, then the first in alphabetical order.
        return min(names, key=lambda n: (-names[n], -len(n), n))

    def is_person_surname(self, token: str) -> bool:
        return fold(token) in self.described


# Where something was posted or broadcast: after "on"/"in"/"via" it is the medium, never the speaker.
_PLATFORMS = words(
    """instagram twitter facebook youtube tiktok snapchat reddit weibo wechat telegram whatsapp linkedin
    tumblr twitch threads periscope soundcloud vimeo myspace pinterest truth social parler gab"""
)
_MEDIUM_BEFORE = re.compile(r"\b(?:on|in|via|through)\s+(?:the\s+)?$", re.IGNORECASE)
# Heads of abstract nouns whose that-clause is not anybody's words ("The prospect of ... that he did so").
_NON_SOURCE_NOUNS = words(
    "prospect prospects possibility possibilities fact facts idea ideas notion notions likelihood chance chances"
)


def _is_platform(text: str) -> bool:
    """A social network's or platform's name ("Instagram", "Truth Social")."""
    toks = [fold(t) for t in NAME_TOKEN_RE.findall(clean_mention_text(text))]
    return bool(toks) and all(t in _PLATFORMS for t in toks)


def _person_name(text: str) -> str:
    """A person mention as a clean name (title chains and glued words removed)."""
    parsed = parse_person_name(clean_mention_text(text))
    return " ".join(parsed.tokens) if parsed is not None else clean_mention_text(text)


def _surname_key(name: str) -> str:
    toks = [t for t in NAME_TOKEN_RE.findall(clean_mention_text(name)) if t[:1].isalpha()]
    return fold(toks[-1]) if toks else ""


def _stems(text: str) -> set[str]:
    """Content words cut to six letters ("ministry" and "minister" share "minist")."""
    return {fold(w)[:6] for w in NAME_TOKEN_RE.findall(text) if len(w) > 2 and fold(w) not in STOP_WORDS}


def _context_words(text: str, m: Mention, lower: int = 0) -> set[str]:
    """Title before a name and apposition after it ("Alexei Arbatov, head of the Center ...")."""
    window = text[max(0, lower, m.start - 80) : m.start]
    # a title runs up to the name; a verb of speech or a "that" between them ends it ("The spokesman
    # said that Weber ..." does not make the name a spokesman)
    before = re.split(
        r"[.!?;,“”\"«»()]|\b(?:and|with|between|by|from|to|that|said|says|told|tells|added|stated)\b", window
    )[-1]
    after = text[m.end : m.end + 100]
    after = (
        re.split(r"[.;:“”\"«»(]|,\s*(?:said|says|told)|\b(?:said|says)\b", after[1:])[0]
        if after.startswith(",")
        else ""
    )
    return _stems(before + " " + after)


def _resolve_phrase(ctx: _ArticleContext, start: int, end: int, paragraph: int) -> _Speaker | None:
    """Turn the speaker phrase at ``text[start:end]`` into a speaker (name, pronoun or title resolved)."""
    text = ctx.text
    while start < end and (text[start] in " ,—–-" or text[start] in _MARKS):
        start += 1
    phrase = text[start:end].strip()
    phrase = re.sub(
        r"^(?:(?:and|but|so|then|later|earlier|also|meanwhile|now|yet|however|finally|still)\b,?\s+)+",
        "",
        phrase,
        flags=re.IGNORECASE,
    )
    if not phrase:
        return None
    start += text[start:end].find(phrase)
    end = start + len(phrase)
    tokens = phrase.split()
    if tokens[0].lower() in _RELATIVE_OPENERS | {"that"}:
        return None  # 'the list of “anarchist cities” that officials say ...': a relative clause, no speaker
    mention = ctx.mention_in(start, end)
    if mention is not None and _is_platform(mention.text) and _MEDIUM_BEFORE.search(text[max(0, mention.start - 12) : mention.start]):
        return None  # "wrote on Instagram": where, not who
    if mention is not None and ctx.label_of(mention) != "PERSON":
        # An organisation or place in a title ("Lehigh County Humane Society Executive Director Mary
        # Shafer"): the person who ends the phrase is the speaker.
        mention = ctx.person_ending(start, end) or mention
    lead = re.match(r"(?:the\s+)?", phrase, re.IGNORECASE)
    if mention is not None and mention.start <= start + (lead.end() if lead else 0) + 1:
        label = ctx.label_of(mention)
        name = ctx.name_of(mention)
        # A nationality or place inside a title ("the Russian minister") is not the speaker.
        whole = len(name) >= len(clean_mention_text(phrase)) - 1
        if name and (label in ("PERSON", "ORG") or whole):
            return _Speaker(name, mention.start, mention.end, label)
    if (
        mention is not None
        and ctx.label_of(mention) == "PERSON"
        and mention.end >= end - 1
        and not _MEDIUM_BEFORE.search(text[start : mention.start])  # "eulogized her on Instagram"
        and (
            len(phrase.split()) <= 7
            # "the director of the port administration of Valmora Ingrid Solberg": a longer title is
            # still the name's own when it holds a role word.
            or (
                len(phrase.split()) <= 12
                and any(fold(t) in ROLE_WORDS for t in text[start : mention.start].split())
            )
        )
    ):
        # "Tulsa police Chief Chuck Jordan": a title phrase that ends with the name.
        return _Speaker(ctx.name_of(mention), mention.start, mention.end, "PERSON")
    low = phrase.lower()
    if low in ("his", "her"):
        low = "he" if low == "his" else "she"  # the author of "his claim that ..."
    if low in PRONOUNS:
        if low in ("i", "we"):
            return None
        return _resolve_pronoun(ctx, low, start, end, paragraph)
    if len(tokens) > 9:
        return None
    if tokens[0].lower() in (
        "the",
        "a",
        "an",
        "this",
        "that",
        "his",
        "her",
        "its",
        "their",
        "our",
        "one",
        "another",
    ):
        if len(tokens) < 2:
            return None
        heads = {fold(t) for t in tokens[1:]}
        head = NP_END.split(" " + " ".join(tokens[1:]))[0].split()
        if head and fold(head[-1]) in _NON_SOURCE_NOUNS:
            return None  # "The prospect of a new confrontation ...": a state of affairs, not a source
        indefinite = tokens[0].lower() in ("a", "an", "one", "another")
        if heads & (ROLE_WORDS | words("political scientist")) and not indefinite:
            # Only a definite title refers back ("the spokesman"); "a White House official" is someone new.
            person = ctx.person_described(start, _stems(phrase))
            if person is not None:
                return _Speaker(person, start, end, "PERSON")
            # No person described by that role: "the spokesman" stays as written (the last person
            # quoted is as often someone else: a minister quoted before his spokesman speaks).
        # "the document", "the press release", "a White House official": a short noun phrase.
        if len(tokens) > 7 or any(fold(t) in STOP_WORDS - _NP_WORDS for t in tokens[1:]):
            return None
        return _Speaker(phrase, start, end, "", True)
    if len(tokens) <= 4 and all(looks_like_name_token(t) for t in tokens):
        is_person = len(tokens) > 1 or ctx.is_person_surname(tokens[0])
        return _Speaker(clean_mention_text(phrase), start, end, "PERSON" if is_person else "")
    if len(tokens) <= 3 and tokens[0][:1].isupper():
        return _Speaker(clean_mention_text(phrase), start, end, "")
    if low in ("sources", "officials", "experts", "analysts", "critics", "aides", "witnesses", "police"):
        return _Speaker(phrase, start, end, "")
    return None


def _resolve_pronoun(ctx: _ArticleContext, pronoun: str, start: int, end: int, paragraph: int) -> _Speaker:
    last = ctx.last_speaker
    if last is not None and last[0].start >= start:
        # An antecedent comes before its pronoun: a speaker named later (reported speech is read after
        # the whole article's direct quotes) cannot be what "he" refers to.
        last = None
    if pronoun in _PERSON_PRONOUNS:
        gender = "f" if pronoun == "she" else "m"
        # Never a person known to be of the other gender (a common given name, or an earlier pronoun).
        prev = ctx.previous_antecedent(start, gender)
        if last is not None and (last[0].label != "PERSON" or ctx.gender_clash(last[0].name, gender)):
            last = None
        found: _Speaker | None = None
        if last is not None:
            spk, last_para = last
            # Continuity: a quote right after another is usually the same speaker's, unless a person was
            # named after that quote's attribution; a name only mentioned in the attribution's own sentence
            # ("she said, thanking Director X") does not take over, and the same pronoun carries across
            # an aside paragraph ("(PHOTOS: ...)").
            same_pronoun = ctx.text[spk.start : spk.end].lower() == pronoun
            near = paragraph - last_para <= 1 or (same_pronoun and paragraph - last_para <= 2)
            if near and (
                prev is None
                or prev.start <= spk.start
                or paragraph == last_para
                or ctx.same_sentence(prev.start, spk.start)
            ):
                found = _Speaker(spk.name, start, end, "PERSON")
        if found is None and prev is not None:
            found = _Speaker(ctx.name_of(prev), start, end, "PERSON")
        if found is None and last is not None:
            found = _Speaker(last[0].name, start, end, "PERSON")
        if found is not None:
            ctx.learn_gender(found.name, gender)
            return found
    elif last is not None and last[0].label != "PERSON" and paragraph - last[1] <= 2:
        return _Speaker(last[0].name, start, end, last[0].label)
    return _Speaker(pronoun, start, end, "", resolved=False)


_AFTER_CUE_FIRST = re.compile(
    r"^[\s,.!?]*[—–-]*\s*(?P<cue>" + CUE_RE + r")\s+(?P<spk>[^,.;:!?()“”\"«»—–]{1,80}?)"
    r"(?=\s*[,.;:!?()“”\"«»—–]|\s+(?:who|in|on|at|during|after|before|when|as|to|from|about)\b|\s*$)",
    re.IGNORECASE,
)
_AFTER_SPEAKER_FIRST = re.compile(
    r"^[\s,.!?]*[—–-]*\s*(?P<spk>[^,.;:!?()“”\"«»—–]{1,80}?)(?:\s*\([^()]{1,60}\))?(?:,[^,;“”\"«»]{1,100},)?\s+"
    + ADVERBS
    + r"(?P<cue>"
    + CUE_RE
    + r")\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"according to\s+(?P<spk>[^,.;:!?“”\"«»]{1,80}?)(?=\s*[,.;:!?“”\"«»]|\s*$)", re.IGNORECASE
)
_BEFORE_COLON = re.compile(
    r"(?P<spk>[^.;:!?“”\"«»]{1,160})\s*(?:,\s*)?(?:"
    + ADVERBS
    + r"(?P<cue>"
    + CUE_RE
    + r")\b[^:.;!?“”\"«»]{0,60}?)?:\s*[—–-]?\s*$",
    re.IGNORECASE,
)
_CUE_IN_CLAUSE = re.compile(r"\b(?P<cue>" + CUE_RE + r")\b(?:\s+that\b)?", re.IGNORECASE)
# _BEFORE_COLON can only match a window ending in a colon (and a dash): checking that first skips the
# pattern's costly scan from every start position (~6 ms per window) for the many that do not.
_ENDS_WITH_COLON = re.compile(r":\s*[—–-]?\s*$")


_ABBREVIATION = re.compile(r"\b(?:[A-Z][a-z]{0,3}|[A-Z])\.(?=[ \t]*[A-Z(]|[A-Z])")
_AFTER_DASH = re.compile(r"^[\s,.]*[―—–]\s*(?P<spk>(?:[A-Z][\w’'․-]*\s?){1,5})")


def _mask_abbreviations(text: str) -> str:
    """Hide the period of "Sen." or "G.K." (same length, so offsets hold) from sentence-end patterns."""
    return _ABBREVIATION.sub(lambda m: m.group(0)[:-1] + "․", text)


def _attribution_after(
    ctx: _ArticleContext, close: int, limit: int, paragraph: int
) -> tuple[_Speaker, str] | None:
    window = _mask_abbreviations(ctx.text[close:limit])
    m = _AFTER_DASH.match(window)
    if m is not None:
        # “...” ― Jorge Falcon: a dash and a name after the quote (vox pops, epigraphs).
        spk = _resolve_phrase(ctx, close + m.start("spk"), close + m.end("spk"), paragraph)
        if spk is not None and spk.label == "PERSON":
            return spk, "―"
    m = _AFTER_CUE_FIRST.match(window)
    if m is not None:
        spk = _appositive_name(ctx, close + m.start("spk"), close + m.end("spk"), limit)
        if spk is None:
            spk = _resolve_phrase(ctx, close + m.start("spk"), close + m.end("spk"), paragraph)
        if spk is not None:
            return spk, m.group("cue").lower()
    m = _AFTER_SPEAKER_FIRST.match(window)
    if m is not None and len(m.group("spk").split()) <= 8:
        spk = _appositive_name(ctx, close + m.start("spk"), close + m.end("spk"), limit)
        if spk is None:
            spk = _resolve_phrase(ctx, close + m.start("spk"), close + m.end("spk"), paragraph)
        if spk is not None:
            return spk, m.group("cue").lower()
    m = re.match(r"^[\s,]*" + _ACCORDING.pattern, window, re.IGNORECASE)
    if m is not None:
        spk = _resolve_phrase(ctx, close + m.start("spk"), close + m.end("spk"), paragraph)
        if spk is not None:
            return spk, "according to"
    return None


# A role phrase before an apposition ("said the US Special Representative for Iran, Brian Hook").
_ROLE_LEAD = re.compile(r"(?:the|a|an|one|another|its|their|his|her)\s", re.IGNORECASE)
_APPOSED_NAME_END = re.compile(r"\s*(?:[,.;:!?)(—–-]|$)")


def _appositive_name(ctx: _ArticleContext, start: int, pos: int, limit: int) -> _Speaker | None:
    """The person named in apposition (", Brian Hook.") after the role phrase ``text[start:pos]`` ("the US
    Special Representative for Iran"): the name is the speaker, the role describes them."""
    phrase = ctx.text[start:pos].strip(" ,—–-")
    if not (_ROLE_LEAD.match(phrase) or any(fold(t) in ROLE_WORDS for t in NAME_TOKEN_RE.findall(phrase))):
        return None
    if ctx.person_ending(start, pos) is not None:
        return None  # "said Special Representative Brian Hook, who ...": the phrase names them already
    comma = re.match(r"\s*,\s*", ctx.text[pos:limit])
    if comma is None:
        return None
    at = pos + comma.end()
    i = bisect.bisect_left(ctx.mention_starts, at)
    mention = ctx.mentions[i] if i < len(ctx.mentions) else None
    if mention is None or mention.start != at or ctx.label_of(mention) != "PERSON" or _is_platform(mention.text):
        return None
    if not _APPOSED_NAME_END.match(ctx.text[mention.end : mention.end + 3]):
        return None  # ", Brian Hook said": a new clause
    return _Speaker(ctx.name_of(mention), mention.start, mention.end, "PERSON")


def _attribution_before(
    ctx: _ArticleContext, sent_start: int, open_: int, paragraph: int, para_start: int
) -> tuple[_Speaker, str] | None:
    window = ctx.text[sent_start:open_]
    last_mark = max((window.rfind(c) for c in _MARKS), default=-1)
    if last_mark >= 0:
        # Another quote sits between the sentence start and this one: use only what follows it.
        sent_start += last_mark + 1
        window = ctx.text[sent_start:open_]
    window = _mask_abbreviations(window)
    m = _BEFORE_COLON.search(window) if _ENDS_WITH_COLON.search(window) else None
    if m is not None:
        phrase_start, phrase_end = sent_start + m.start("spk"), sent_start + m.end("spk")
        phrase = m.group("spk")
        comma = phrase.find(",")
        if comma > 0 and not m.group("cue"):
            # "Jack Rice, former CIA officer:" -> the name before the apposition.
            phrase_end = phrase_start + comma
        elif comma > 0:
            # "In one tweet, Trump said:" -> the words after the last comma.
            phrase_start += phrase.rfind(",") + 1
        spk = _resolve_phrase(ctx, phrase_start, phrase_end, paragraph)
        # Without a speech verb, "X, role:" must name someone (or open the paragraph) and be short.
        if spk is not None and (
            m.group("cue")
            or ((spk.label in ("PERSON", "ORG") or sent_start == para_start) and len(phrase.split()) <= 14)
        ):
            return spk, (m.group("cue") or ":").lower()
    m2 = None
    for found in _ACCORDING.finditer(window):
        m2 = found  # the last "according to" before the quote
    if m2 is not None:
        spk = _resolve_phrase(ctx, sent_start + m2.start("spk"), sent_start + m2.end("spk"), paragraph)
        if spk is not None:
            return spk, "according to"
    # "Trump said his meeting was “very, very good”": speaker and cue earlier in the same clause.
    best: tuple[_Speaker, str] | None = None
    for m3 in _CUE_IN_CLAUSE.finditer(window):
        head = ctx.text[sent_start : sent_start + m3.start()].rstrip()
        tail = re.search(r"(?:^|[,;—–]\s*|\b(?:and|but|while|as)\s+)([^,;—–]{1,80})$", head)
        if tail is None:
            continue
        span_start = sent_start + tail.start(1)
        span_end = sent_start + len(head)
        phrase = ctx.text[span_start:span_end]
        # Keep only the phrase right before the cue: a mention or pronoun that ends there.
        mention = ctx.mention_in(span_start, span_end)
        if (
            mention is not None
            and mention.end <= span_end
            and _ADVERBS_TEXT.match(ctx.text[mention.end : span_end])
        ):
            spk = _resolve_phrase(ctx, mention.start, mention.end, paragraph)
        else:
            last_word = re.search(r"(\b[\w’'-]+)\s*" + ADVERBS + r"$", phrase)
            if last_word is None:
                continue
            lw = last_word.group(1)
            if lw.lower() not in PRONOUNS:
                role = re.search(
                    r"\b(?:the|a|an)\s+(?:[\w-]+\s+){0,3}" + re.escape(lw) + r"\s*" + ADVERBS + r"$",
                    phrase,
                    re.IGNORECASE,
                )
                if role is None or fold(lw) not in ROLE_WORDS:
                    continue
                spk = _resolve_phrase(
                    ctx,
                    span_start + role.start(),
                    span_start + role.start() + len(role.group(0).rstrip()),
                    paragraph,
                )
            else:
                spk = _resolve_phrase(
                    ctx, span_start + last_word.start(1), span_start + last_word.end(1), paragraph
                )
        if spk is not None:
            best = (spk, m3.group("cue").lower())
    return best


_ADVERBS_TEXT = re.compile(r"^\s*" + ADVERBS + r"\s*$")


def extract_quotes(
    article: Article, *, min_words: int = 4, indirect: bool = True, spacy_models: Sequence[str] | None = None
) -> list[QuoteSpan]:
    """All attributed quotes of one article, in text order (speakers as named in this article)."""
    text = article.text
    paragraphs = article.paragraphs or []
    if not paragraphs and text:
        from storydesk.records import Paragraph

        paragraphs = [Paragraph(index=0, text=text, start=0)]
    raw: list[tuple[int, int, bool, int]] = []  # start, end, closed, paragraph index
    for p in paragraphs:
        ptext = text[p.start : p.start + len(p.text)]
        for s, e, closed in find_quoted_spans(ptext):
            for s2, e2, c2 in _split_at_inner_attribution(article, p.start + s, p.start + e, closed):
                raw.append((s2, e2, c2, p.index))
    ctx = _ArticleContext(article, [(s, e) for s, e, _, _ in raw])
    out: list[QuoteSpan] = []
    pending: list[QuoteSpan] = []  # quotes of the current paragraph still without a speaker
    current_para = -1
    para_start = {p.index: p.start for p in paragraphs}
    para_end = {p.index: p.start + len(p.text) for p in paragraphs}

    def flush(spk: _Speaker | None, cue: str) -> None:
        for q in pending:
            if spk is not None:
                _assign(q, spk, cue)
                out.append(q)
        pending.clear()

    def end_paragraph() -> None:
        # “A,” he said. “B.”: a later quote of the paragraph without its own attribution is his too.
        last = ctx.last_speaker
        flush(last[0] if last is not None and last[1] == current_para else None, "")

    for start, end, _closed, pidx in raw:
        if pidx != current_para:
            end_paragraph()
            current_para = pidx
        qs, qe = _trim(text, start, end)
        if qe <= qs:
            continue
        content = text[qs:qe]
        sent_start, _ = ctx.sentence_bounds(max(start - 1, 0))
        close = end + 1 if end < len(text) and text[end] in _MARKS else end
        # The sentence in which the quote ends (a quote may run over several sentences).
        _, last_end = ctx.sentence_bounds(max(qe - 1, 0))
        after_limit = min(max(last_end, close + 1) + 120, para_end.get(pidx, len(text)))
        nxt = _next_mark(text, close, after_limit)
        found = _attribution_after(ctx, close, nxt, pidx)
        if (
            found is not None
            and content.rstrip(_MARKS + " ")[-1:] in ".!?…"
            and not _short_tail(text, close, nxt)
        ):
            # “... for him.” She says it shows ...: a new sentence, not this quote's attribution.
            found = None
        if found is None:
            open_mark = start - 1 if start > 0 and text[start - 1] in _MARKS else start
            pstart = para_start.get(pidx, 0)
            found = _attribution_before(ctx, max(sent_start, pstart), open_mark, pidx, pstart)
            prev_end = para_end.get(pidx - 1, -1)
            if (
                found is None
                and _is_continuation(text, pstart, start)
                and text[:prev_end].rstrip().endswith(":")
            ):
                # "Caddell continued:" closing the paragraph before a quoted paragraph.
                colon = text[:prev_end].rstrip()
                prev_sent, _ = ctx.sentence_bounds(len(colon) - 1)
                found = _attribution_before(
                    ctx,
                    max(prev_sent, para_start.get(pidx - 1, 0)),
                    len(colon),
                    pidx - 1,
                    para_start.get(pidx - 1, 0),
                )
        n_words = len(content.split())
        quote = QuoteSpan(article=article.id, start=qs, end=qe, text=content, paragraph=pidx)
        open_at = start - 1 if start > 0 and text[start - 1] in _MARKS else start
        lead_in = text[max(sent_start, para_start.get(pidx, 0)) : open_at]
        # A short exclamation or question, or words after a colon, are said even mid-sentence.
        uttered = text[start:end].rstrip()[-1:] in "?!" or lead_in.rstrip().endswith(":")
        if (
            lead_in.strip()
            and n_words <= 3
            and not uttered
            and (
                (found is not None and found[1] == "according to")
                or (content[:1].isupper() and not content.startswith("I ") and not _cue_next_to(lead_in))
            )
        ):
            # Scare quotes mid-sentence: a capitalised label ('the difficult "British route"') or a
            # phrase only the source's account contains ('According to police, texts expressed "deep love"').
            continue
        if (
            lead_in.strip()
            and n_words <= 4
            and _title_or_scare_quote(text, open_at, close, text[start:end], lead_in, found is not None)
        ):
            if found is not None:
                # 'Johnson tells MSNBC's “Morning Joe” that “...”': the title is no quote, the speaker stands.
                ctx.last_speaker = (found[0], pidx)
            continue
        if found is not None:
            spk, cue = found
            if n_words < min_words and cue == ":":
                continue
            _assign(quote, spk, cue)
            ctx.last_speaker = (spk, pidx)
            flush(spk, cue)
            out.append(quote)
        elif (
            n_words >= min_words
            and (text[max(0, start - 80) : start].rstrip()[-1:] or ".") in ".:!?…" + _MARKS
        ):
            # A quote that opens its sentence with no attribution yet: the paragraph's attribution
            # (found later) or the previous quote's speaker when the paragraph is all quote.
            pending.append(quote)
            if _is_continuation(text, para_start.get(pidx, 0), start) and ctx.last_speaker is not None:
                last, lp = ctx.last_speaker
                if pidx - lp <= 1 and last.resolved:
                    flush(last, "")
        else:
            # A phrase quoted inside a sentence ("Trump called it “a con”"): the sentence's subject.
            subject = _sentence_subject(ctx, max(sent_start, para_start.get(pidx, 0)), start, pidx)
            if subject is not None:
                _assign(quote, subject, "")
                out.append(quote)
    end_paragraph()
    out.sort(key=lambda q: q.start)
    if indirect:
        quoted = [(s, e) for s, e, _, _ in raw]
        parser = _sentence_parser(article.language, spacy_models or AnnotateSettings().spacy_models)
        if parser is not None:
            parsed, vetoed = _parsed_quotes(ctx, parser, quoted, out)
            # The patterns still catch a few sentences the parser gets wrong ("X said A" parsed as a noun).
            parsed += [
                q
                for q in _indirect_quotes(ctx, quoted, out)
                if not any(q.start < p.end and p.start < q.end for p in parsed)
                and not any(a <= q.start < b for a, b in vetoed)
            ]
            out.extend(parsed)
        else:
            out.extend(_indirect_quotes(ctx, quoted, out))
        out.sort(key=lambda q: q.start)
    return out


_INNER_CUE = re.compile(
    r"[,.]\s*[—–-]?\s*(?P<cue>said|says|added|adds|noted|notes|stated|asked|explained|continued)\s+"
    r"(?P<spk>[A-Z][\w’'-]+(?:\s+[A-Za-z][\w’'-]+){0,2})"
)


def _split_at_inner_attribution(
    article: Article, start: int, end: int, closed: bool
) -> list[tuple[int, int, bool]]:
    """Split a quote whose marks were lost around an attribution ("“A, says John Smith, ... . B”")."""
    text = article.text
    m = _INNER_CUE.search(text, start, end)
    if m is None or not any(
        x.label == "PERSON" and m.start("spk") <= x.start < m.end("spk") for x in article.mentions
    ):
        return [(start, end, closed)]
    parts = [(start, m.start(), True)]
    resume = re.compile(r"[.!?]\s+(?=[A-Z])").search(text, m.end(), end)
    if resume is not None and len(text[resume.end() : end].split()) >= 3:
        parts.append((resume.end(), end, closed))
    return parts


def _sentence_subject(ctx: _ArticleContext, sent_start: int, open_: int, paragraph: int) -> _Speaker | None:
    """The person a sentence opens with (after a short lead-in), when a quoted phrase follows in it."""
    head = ctx.text[sent_start:open_]
    if any(c in _MARKS for c in head[:-1]):
        return None
    lead = re.match(r"^\s*(?:[^,]{0,40},\s*)?", head)
    pos = sent_start + (lead.end() if lead else 0)
    word = re.match(r"(He|She)\b", ctx.text[pos : pos + 4])
    if word is not None:
        return _resolve_pronoun(ctx, word.group(1).lower(), pos, pos + len(word.group(1)), paragraph)
    mention = ctx.mention_in(pos, pos + 1)
    if mention is None or ctx.label_of(mention) != "PERSON" or mention.start > pos + 4:
        return None
    after = ctx.text[mention.end : mention.end + 2]
    if after.startswith(("’s", "'s")):
        return None  # "Trump’s claim that ...": a possessive, not the subject
    return _Speaker(ctx.name_of(mention), mention.start, mention.end, "PERSON")


# Words after which a quoted span fills a noun phrase's place ("the list of “anarchist cities”").
_NOUN_SLOT = re.compile(r"(?:\b(?:the|a|an|of|its|their|his|her|our|these|those|this)|[’']s)\s*$", re.IGNORECASE)
_TITLE_BEFORE = re.compile(r"(?:\b(?:on|in|to|for)|[’']s)\s*$", re.IGNORECASE)


def _title_or_scare_quote(
    text: str, open_at: int, close: int, quoted: str, lead_in: str, attributed: bool
) -> bool:
    """A short quoted span that is a title ('said on CNN's “State of the Union.”', 'wrote in “Fear”') or,
    with no attribution of its own, a scare-quoted noun phrase inside a clause ('the list of “anarchist
    cities” that ...'; not 'the bank's drive to “cross-sell”, she said', nor '“not meeting the demand,” says X')."""
    quoted = quoted.strip()
    if quoted[:1].isupper() and _TITLE_BEFORE.search(text[:open_at]):
        return True
    if attributed or quoted[:1].isupper() or quoted[-1:] in ".!?,;:" or _cue_next_to(lead_in):
        return False
    if not _NOUN_SLOT.search(lead_in):
        return False  # 'that “exactly who did it” remains ...': a clause someone may have said
    # Lowercase words that the sentence runs on after, not a clause's end: part of the writer's sentence.
    return re.match(r"[\s”\"»]*[a-z]", text[close : close + 12]) is not None


def _cue_next_to(lead_in: str) -> bool:
    """Is a speech verb in the clause right before a quote ("Trump called her “Miss Piggy”")?"""
    cues = list(_CUE_IN_CLAUSE.finditer(lead_in))
    return bool(cues) and not re.search(r"[,;—–]", lead_in[cues[-1].end() :])


def _is_continuation(text: str, para_start: int, start: int) -> bool:
    return not text[para_start:start].strip(" " + _MARKS)


def _short_tail(text: str, pos: int, limit: int) -> bool:
    """Is the text after a quote a short attribution sentence ("He said." / "Smith added in a statement.")?"""
    tail = text[pos:limit]
    stop = re.search(r"[.!?](?:\s|$)", tail)
    sentence = tail[: stop.start()] if stop else tail
    return len(sentence.split()) <= 9


def _next_mark(text: str, pos: int, limit: int) -> int:
    for i in range(pos, limit):
        if text[i] in _MARKS:
            return i
    return limit


def _assign(quote: QuoteSpan, spk: _Speaker, cue: str) -> None:
    quote.speaker = spk.name
    quote.speaker_start = spk.start
    quote.speaker_end = spk.end
    quote.speaker_label = spk.label
    quote.cue = cue
    quote.resolved = spk.resolved


_INDIRECT_RE = re.compile(
    r"^(?P<lead>(?:[^,;]{0,40},\s*)?)(?P<spk>[^,;:]{1,80}?)\s+"
    + ADVERBS
    + r"(?P<cue>"
    + CUE_RE
    + r")\s+(?:that\s+)?(?P<content>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_INDIRECT_END_RE = re.compile(
    r"^(?P<content>.{25,}?),\s+(?:(?P<spk>[^,;:]{1,60}?)\s+"
    + ADVERBS
    + r"(?P<cue>"
    + CUE_RE
    + r")|(?P<cue2>"
    + CUE_RE
    + r")\s+(?P<spk2>[^,;:]{1,60}?))\s*[.!?]?$",
    re.IGNORECASE | re.DOTALL,
)


def _sentences_in_discourse(ctx: _ArticleContext, direct: Sequence[QuoteSpan]) -> Iterator[Sentence]:
    """The article's sentences in order, with ``ctx.last_speaker`` set before each one to the speaker of
    the last direct quote that ends before it, not the article's last speaker: the reported-speech passes
    run after the direct quotes of the whole article. A speaker the caller sets while handling a sentence
    stands until a later direct quote replaces it."""
    earlier = sorted((q for q in direct if q.resolved and q.speaker), key=lambda q: q.start)
    k = 0
    ctx.last_speaker = None
    for sent in ctx.article.sentences:
        while k < len(earlier) and earlier[k].end <= sent.start:
            q = earlier[k]
            ctx.last_speaker = (
                _Speaker(q.speaker, q.speaker_start, q.speaker_end, q.speaker_label),
                q.paragraph,
            )
            k += 1
        yield sent


def _indirect_quotes(
    ctx: _ArticleContext, quoted: list[tuple[int, int]], direct: Sequence[QuoteSpan] = ()
) -> list[QuoteSpan]:
    """Reported speech in sentences without quote marks: "X said (that) ...", "..., X said", "According to X, ..."."""
    out: list[QuoteSpan] = []
    for sent in _sentences_in_discourse(ctx, direct):
        text = sent.text
        if any(c in _MARKS for c in text) or any(s < sent.end and sent.start < e for s, e in quoted):
            continue
        found: tuple[int, int, int, int, str] | None = None  # content start/end, speaker start/end, cue
        m = _INDIRECT_RE.match(text)
        if (
            m is not None
            and m.group("cue").lower() in _INDIRECT_CUES
            and not m.group("cue").lower().startswith(("tell", "told"))
        ):
            found = (
                m.start("content"),
                m.end("content"),
                m.start("spk"),
                m.end("spk"),
                m.group("cue").lower(),
            )
        else:
            m = _INDIRECT_END_RE.match(text)
            if m is not None:
                spk_g = "spk" if m.group("spk") else "spk2"
                cue = (m.group("cue") or m.group("cue2") or "").lower()
                if cue in _INDIRECT_CUES:
                    found = (m.start("content"), m.end("content"), m.start(spk_g), m.end(spk_g), cue)
            else:
                m = re.match(_ACCORDING.pattern + r",\s*(?P<content>.+)$", text, re.IGNORECASE | re.DOTALL)
                if m is not None:
                    found = (
                        m.start("content"),
                        m.end("content"),
                        m.start("spk"),
                        m.end("spk"),
                        "according to",
                    )
        if found is None:
            continue
        cs, ce, ss, se, cue = found
        content = text[cs:ce].strip().rstrip(".!?;, ")
        first = content.split()[0].lower().strip(",") if content.split() else ""
        if len(content.split()) < 5 or first in (
            "this",
            "so",
            "as",
            "it",
            "nothing",
            "something",
            "goodbye",
            "hello",
        ):
            continue
        spk_start, spk_end = sent.start + ss, sent.start + se
        appos = re.match(r"(?:an?|the)\s+([\w-]+)", ctx.text[spk_start:spk_end].strip(), re.IGNORECASE)
        before = ctx.previous_person(spk_start)
        if (
            appos is not None
            and fold(appos.group(1)) in ROLE_WORDS
            and before is not None
            and re.fullmatch(r"\s*,\s*", ctx.text[before.end : spk_start]) is not None
        ):
            # "Barbara Morgan, an officer with the Humane Society, says ...": the apposition's person.
            spk_start, spk_end = before.start, before.end
        mention = ctx.mention_in(spk_start, spk_end)
        phrase = ctx.text[spk_start:spk_end].strip()
        # Only clear cases: the speaker is a named person/organisation or a pronoun, right before the cue.
        if mention is None and phrase.lower() not in _PERSON_PRONOUNS:
            continue
        if mention is not None and (
            mention.end < spk_end - 2 and not _ADVERBS_TEXT.match(ctx.text[mention.end : spk_end])
        ):
            continue
        if mention is not None and ctx.label_of(mention) not in ("PERSON", "ORG"):
            continue
        spk = (
            _resolve_phrase(ctx, spk_start, spk_end, sent.paragraph)
            if mention is None
            else _Speaker(clean_mention_text(mention.text), mention.start, mention.end, ctx.label_of(mention))
        )
        if spk is None or not spk.resolved:
            continue
        qs = sent.start + cs
        if spk.label == "PERSON":
            ctx.last_speaker = (spk, sent.paragraph)  # "X said A. B, she said": she is X
        out.append(
            QuoteSpan(
                article=ctx.article.id,
                start=qs,
                end=qs + len(content),
                text=content,
                speaker=spk.name,
                speaker_start=spk.start,
                speaker_end=spk.end,
                speaker_label=spk.label,
                cue=cue,
                direct=False,
                paragraph=sent.paragraph,
            )
        )
    return out


# ---------------------------------------------------------------------- reported speech from the parse

# Verbs of saying (lemmas) whose clausal complement is what was said.
_SPEECH_LEMMAS = words(
    "say tell claim argue warn deny announce insist add explain note report state acknowledge suggest "
    "confirm admit believe accuse predict assert contend maintain stress emphasize emphasise write testify "
    "reply respond answer recall concede allege declare promise vow pledge threaten caution complain boast "
    "reveal disclose indicate tweet reiterate repeat mention observe remark conclude assure hint counter "
    "agree estimate charge signal point"
)
# Verbs of thinking and of showing: only a full that-clause is attributed ("analysts fear that prices will
# rise", "the poll shows that ..."); "Some think it will rain" is a belief, reported with its cue.
_COGNITION_LEMMAS = words(
    "think know hope fear worry expect feel understand realize realise doubt suspect assume recognize "
    "recognise show find prove demonstrate"
)
# Verbs of saying whose direct object is what was said ("denied the allegations", "announced a plan to ...").
_OBJECT_CUES = words(
    "announce deny confirm acknowledge reveal disclose report mention cite propose predict promise pledge "
    "demand reiterate repeat stress emphasize emphasise allege claim recommend outline dispute reject "
    "criticize criticise praise endorse"
)
# Verbs of saying that direct someone: what was said is the infinitive after the addressee ("urged
# Congress to act"); "call" is one only with its particle ("called on X to ...", "called for ...").
_DIRECTIVE_CUES = words("tell urge warn ask encourage advise order instruct remind implore beg call")
# Verbs of naming: what was said is the object with what it was called ("called the charges fabricated",
# "described the plan as a disaster").
_NAMING_CUES = words("call describe label brand dub characterize characterise")
# Verbs of explaining, whose how/why/what clause is an account, not a question ("explained how the fund
# works"); other verbs' wh-clauses are indirect questions ("declined to say whether ..."). Verbs of showing
# are left out: "the photographs showed how cordially ..." is evidence the writer reads, not an account.
_ACCOUNT_CUES = words("explain tell describe detail reveal outline recount")
# Verbs of speaking about something: what was said is the object of "about", "of", "against", "for"
# ("spoke of a crisis", "warned against complacency", "accused him of lying").
_TOPIC_CUES = words("speak talk complain warn accuse criticize criticise blame praise boast testify rail")
_TOPIC_PREPS = words("about of against for on")
_CUE_LEMMAS = _SPEECH_LEMMAS | _COGNITION_LEMMAS | _OBJECT_CUES | _DIRECTIVE_CUES | _NAMING_CUES | _TOPIC_CUES
# Verbs under which a cue reports nothing said (yet): "refused to confirm that ...", "wants to announce ...".
_NON_FACTUAL = words("refuse decline fail avoid want plan hope try seek intend need hesitate aim expect")
# Nouns of saying and believing whose that-clause is what was said ("Trump's claim that ...").
_SPEECH_NOUNS = words(
    "claim statement assertion allegation accusation charge warning promise pledge vow announcement "
    "suggestion argument insistence admission denial report remark comment prediction assurance complaint "
    "threat demand proposal belief view fear hope concern conclusion finding estimate contention testimony"
)
# Verbs that make a message their subject's own ("X issued a statement saying ...", "X made the claim that").
_AUTHOR_VERBS = words(
    "make issue release repeat reiterate offer deliver express voice publish post send write tweet"
)
_IRREGULAR = {
    "said": "say", "told": "tell", "wrote": "write", "written": "write", "thought": "think", "knew": "know",
    "known": "know", "felt": "feel", "found": "find", "shown": "show", "understood": "understand",
    "proven": "prove", "made": "make", "sent": "send",
}  # fmt: skip
# Cues whose infinitive is what was promised ("vowed to repeal the law").
_PROMISE_CUES = words("promise pledge vow threaten")
_MODALS = words("would could might may should must can ca will wo shall")
_NON_SPEAKERS = words("i we you me us this that these those there what which who whom whoever one")
_QUESTION_MARKS = words("whether if")
# The words of a subject phrase that belong to the speaker's name or title (not "of the club" or ", who").
_NAME_DEPS = frozenset({"compound", "det", "amod", "poss", "nmod", "nummod", "flat", "case"})


def cue_lemma(word: str) -> str | None:
    """The speech-verb lemma of an inflected form ("admitted" -> "admit"), or None for other words.

    The shared spaCy pipeline runs without its lemmatizer: a few suffix rules over a closed lexicon
    are exact enough for this one word class.
    """
    return _lemma_in(word, _CUE_LEMMAS)


def _lemma_in(word: str, lexicon: frozenset[str]) -> str | None:
    """The base form of ``word`` in ``lexicon`` by the suffix rules of :func:`cue_lemma`, or None."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w] if _IRREGULAR[w] in lexicon else None
    candidates = [w]
    if w.endswith(("ies", "ied")):
        candidates.append(w[:-3] + "y")
    if w.endswith(("es", "ed")):
        candidates += [w[:-2], w[:-1]]
        if len(w) > 4 and w[-3] == w[-4]:
            candidates.append(w[:-3])  # "admitted" -> "admit"
    elif w.endswith("s"):
        candidates.append(w[:-1])
    if w.endswith("ing"):
        candidates += [w[:-3], w[:-3] + "e"]
        if len(w) > 5 and w[-4] == w[-5]:
            candidates.append(w[:-4])
    return next((c for c in candidates if c in lexicon), None)


_CANDIDATE_RE = re.compile(r"[A-Za-z]+")


def may_report_speech(text: str) -> bool:
    """Cheap filter before parsing: a speech verb or noun or "according to" in the sentence (also the
    annotate stage's ``keep_parse`` predicate: the sentences whose parse this module reads)."""
    if "ccording to" in text:
        return True
    return any(
        cue_lemma(w) is not None or _lemma_in(w, _SPEECH_NOUNS) is not None
        for w in _CANDIDATE_RE.findall(text)
    )


@functools.cache
def _parser_name(language: str, models: tuple[str, ...]) -> str | None:
    from storydesk.annotate.entities import model_for

    try:
        return model_for(language, models)
    except ImportError:
        return None


def _sentence_parser(language: str, models: Sequence[str]) -> Language | None:
    """The annotate stage's spaCy pipeline for English text, or None (no model: the pattern fallback)."""
    if language not in ("en", "", "und"):
        return None  # the speech-verb lexicon is English
    name = _parser_name("en", tuple(models))
    if name is None:
        return None
    from storydesk.annotate.entities import load_model

    return load_model(name)


@dataclass(slots=True)
class _Reported:
    """One reported utterance found in a parse (character offsets in the article)."""

    content: list[tuple[int, int]]  # the complement's pieces (two around a mid-sentence ", X said,")
    speaker: tuple[int, int]
    speaker_token: tuple[int, int]  # the subject's head word, to find the named mention it belongs to
    cue: str
    common_noun: bool = False  # the speaker's head word is a common noun ("experts", "data")
    cue_at: int = -1  # where the cue word is


def _is_hypothetical(verb: Token) -> bool:
    """A negated, modal, conditional or interrogative use of a speech verb: nothing was said."""
    for child in verb.children:
        if child.dep_ == "neg" or (child.dep_ == "aux" and child.lower_ in _MODALS):
            return True
    if verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in verb.children
    ):
        return True
    if verb.dep_ in ("amod", "acl", "compound", "pcomp"):
        return True  # "the so-called", "a reported plan"
    if verb.dep_ == "xcomp" and _lemma_in(verb.head.text, _NON_FACTUAL) is not None:
        return True  # "refused to confirm that ...", "wants to announce ..."
    # A bare infinitive or gerund ("to say", "saying") reports speech only as a participle clause
    # (", saying that ...") or a conjunct of a finite speech verb.
    bare = verb.tag_ in ("VB", "VBG") and not any(c.dep_ == "aux" for c in verb.children)
    return bare and not (verb.tag_ == "VBG" and verb.dep_ in ("advcl", "conj"))


def _subject(verb: Token) -> Token | None:
    """The cue's speaker word: its subject, a conjoined verb's subject, or the noun a relative clause is on."""
    node: Token | None = verb
    while node is not None:
        for child in node.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                if child.dep_ == "nsubjpass":
                    return None  # "it was reported that": no speaker
                if child.lower_ in ("who", "which", "that") and node.dep_ == "relcl":
                    return node.head
                return child
        up = node.dep_ in ("conj", "xcomp") or (node.dep_ == "advcl" and node.tag_ == "VBG")
        if (
            node.dep_ == "advcl" and node.tag_ == "VBG" and node.head.dep_ == "ccomp"
            and cue_lemma(node.head.head.text) in _SPEECH_LEMMAS and cue_lemma(node.head.text) is None
        ):  # fmt: skip
            # "X said the plan would fail, arguing that ...": the participle goes with X's cue, not with
            # the clause it was parsed under (unless that clause is a report too: "... Y noted, adding").
            node = node.head
        node = node.head if up and node.head.i != node.i else None
    return None


def _phrase_bounds(head: Token) -> tuple[int, int]:
    """Character span of a speaker phrase: the head word with its name and title words, no clauses."""
    left = head.i
    for child in head.lefts:
        if child.dep_ in _NAME_DEPS and not any(t.is_punct and t.text not in ".'’" for t in child.subtree):
            left = min(left, child.left_edge.i)
    right = head.i
    for child in head.rights:
        if child.dep_ in ("compound", "flat") and child.i == right + 1:
            right = child.right_edge.i
    doc = head.doc
    # "... and added Russian officials said ...": a speech verb misread as a modifier of the speaker
    for t in doc[left : head.i]:
        if t.tag_ in ("VBD", "VBN") and cue_lemma(t.text) in _SPEECH_LEMMAS:
            left = t.i + 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def _clause_end(clause: Token) -> int:
    """Token index where a reported clause stops: before a conjoined speech verb ("and warned ...", a new
    attribution) or a semicolon. Relative clauses and appositions stay (annotators mostly keep them)."""
    doc = clause.doc
    end = clause.right_edge.i + 1
    for t in clause.subtree:
        if t.i <= clause.i:
            continue
        new_cue = cue_lemma(t.text) in _SPEECH_LEMMAS and (
            (t.dep_ == "conj" and t.head.i == clause.i)
            # ", arguing that ...": a participle clause of saying is an attribution of its own
            or (
                t.dep_ in ("advcl", "conj")
                and t.tag_ == "VBG"
                and t.left_edge.i > 0
                and doc[t.left_edge.i - 1].is_punct
            )
        )
        if (
            clause.pos_ == "NOUN"
            and t.dep_ in ("relcl", "appos")
            and t.left_edge.i > 0
            and doc[t.left_edge.i - 1].text == ","
        ):
            # "praised the plan, which ...": a gloss set off from the thing said is the writer's
            end = min(end, t.left_edge.i - 1)
        if new_cue:
            start = t.left_edge.i
            while start > clause.i and (doc[start - 1].dep_ == "cc" or doc[start - 1].is_punct):
                start -= 1
            end = min(end, start)
        elif t.text == ";":
            end = min(end, t.i)
    return end


def _clause_pieces(clause: Token, cut: Token | None) -> list[tuple[int, int]]:
    """Character pieces of ``clause`` (up to :func:`_clause_end`) without ``cut``'s subtree and edge punctuation."""
    end = _clause_end(clause)
    lo, hi = (cut.left_edge.i, cut.right_edge.i) if cut is not None else (-1, -1)
    keep = [t for t in clause.subtree if t.i < end and not (lo <= t.i <= hi)]
    pieces: list[list[Token]] = []
    for t in keep:
        if pieces and t.i == pieces[-1][-1].i + 1:
            pieces[-1].append(t)
        else:
            pieces.append([t])
    out = []
    for run in pieces:
        while run and (
            run[0].is_punct or run[0].dep_ == "cc" or (run[0].dep_ == "mark" and run[0].lower_ == "that")
        ):
            run = run[1:]
        while run and run[-1].is_punct:
            run = run[:-1]
        if run:
            out.append((run[0].idx, run[-1].idx + len(run[-1].text)))
    return out


def _has_subject(clause: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for c in clause.children)


def _attribution_only(verb: Token) -> bool:
    """Is the verb's clause nothing but an attribution set off by punctuation: after what it reports
    (", officials said"), or inside it (", he said, ") or before it ("As experts noted, ...")?"""
    if any(c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp", "dative") for c in verb.children):
        return False
    doc = verb.doc
    left, right = verb.left_edge.i, verb.right_edge.i
    while left < verb.i and doc[left].is_punct:
        left += 1  # the commas around ", he said," may hang on the verb
    while right > verb.i and doc[right].is_punct:
        right -= 1
    as_clause = verb.dep_ == "advcl" and doc[left].lower_ == "as"
    opened = as_clause or (left > 0 and doc[left - 1].is_punct)
    if verb.i > verb.head.i:
        return opened
    # Before the clause it reports, the attribution is closed by a comma or dash too.
    return opened and right + 1 < len(doc) and doc[right + 1].is_punct and doc[right + 1].text != "."


def _complement(verb: Token, lemma: str) -> list[tuple[int, int]]:
    """What a speech verb reports: its clausal complement, the clause it interrupts (", X said,"), or, by
    the verb's class, its object or the infinitive after its addressee."""
    speech = lemma in _SPEECH_LEMMAS
    if not speech and verb.dep_ in ("ccomp", "xcomp", "relcl", "csubj"):
        # A belief inside another clause ("a study that finds ...", "wants to show that ...") is not
        # asserted by its subject; nor is an object or request below ("the law requires them to disclose").
        return []
    asserted = verb.dep_ not in ("ccomp", "xcomp", "relcl", "csubj")
    if lemma in _PROMISE_CUES:
        # "vowed to repeal the law": a promise's content is its infinitive.
        for c in verb.children:
            if c.dep_ == "xcomp" and c.i > verb.i:
                return _clause_pieces(c, None)
    # The complement after the cue when there are two (a clause before a semicolon parsed as one too).
    comps = sorted((c for c in verb.children if c.dep_ == "ccomp"), key=lambda c: c.i < verb.i)
    if comps and (speech or lemma in _COGNITION_LEMMAS or lemma in _ACCOUNT_CUES):
        comp = comps[0]
        if _is_question(comp) and not (lemma in _ACCOUNT_CUES and _is_account(comp)):
            return []  # "declined to say whether ...": an indirect question
        if not _has_subject(comp):
            return []
        if comp.i < verb.i and (
            (
                cue_lemma(comp.text) in _SPEECH_LEMMAS
                and not any(c.dep_ in ("ccomp", "dobj") for c in comp.children)
            )
            or any(t.text in ";:" for t in verb.doc[comp.right_edge.i + 1 : verb.i])
        ):
            # Before its cue, a clause is what was said only when set off by a comma ("A, X said"): not
            # across a semicolon, and not when it is a bare attribution ("“...?” she said, but ... Y said").
            return []
        if comp.i < verb.i:
            # "A, but B, the source added": every clause before the cue.
            return [
                p
                for c in verb.children
                if c.dep_ == "ccomp" and c.i < verb.i
                for p in _clause_pieces(c, None)
            ]
        return _clause_pieces(comp, None)
    if lemma in _DIRECTIVE_CUES and asserted:
        found = _directive(verb, lemma)
        if found:
            return found
    if lemma in _NAMING_CUES and asserted:
        found = _naming(verb)
        if found:
            return found
    if lemma in _OBJECT_CUES and asserted and not comps:
        objects = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
        if objects and _names_speech_only(objects[0]):
            return []  # "denied the New York Times report": which report, not what it says
        if objects and (objects[0].pos_ == "NOUN" or objects[0].tag_ == "VBG") and _words(objects[0]) >= 4:
            # "denied the allegations of fraud made by ...", "announced a plan to ...": a thing said, not a person
            # addressed; a bare noun phrase ("praised the meeting") names a topic, not what was said.
            return _clause_pieces(objects[0], None)
    if lemma in _TOPIC_CUES and asserted and not comps:
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.i > verb.i and prep.lower_ in _TOPIC_PREPS:
                objects = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
                if objects:
                    return _clause_pieces(objects[0], None)
    head = verb.head
    if (
        (speech or lemma in _COGNITION_LEMMAS) and verb.dep_ in ("parataxis", "ccomp", "advcl")
        and head.pos_ in ("VERB", "AUX") and _has_subject(head) and _attribution_only(verb)
    ):  # fmt: skip
        if verb.dep_ == "advcl" and not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
            return []
        return _clause_pieces(head, verb)
    return []


# Heads of objects that only name a piece of speech ("denied the report", "rejected the allegations",
# "denied disclosure of ..."): without a clause of their own they say nothing that can be checked.
_SPEECH_OBJECT_HEADS = words(
    "report reports reporting story stories account accounts allegation allegations claim claims charge charges "
    "accusation accusations assertion assertions rumor rumors rumour rumours disclosure disclosures leak leaks "
    "statement statements remarks comments"
)


def _names_speech_only(obj: Token) -> bool:
    """Is an object a noun of speech with no clause of its own ("the New York Times report")?"""
    if fold(obj.text) not in _SPEECH_OBJECT_HEADS and obj.lemma_.lower() not in _SPEECH_OBJECT_HEADS:
        return False
    return not any(t.dep_ in ("acl", "relcl", "ccomp") for t in obj.subtree)


def _words(head: Token) -> int:
    """Words in a phrase (its head's subtree, punctuation left out)."""
    return sum(1 for t in head.subtree if not t.is_punct)


def _is_account(comp: Token) -> bool:
    """Is a wh-clause an account ("how the fund works", "why it failed"), not a yes/no question?"""
    if any(c.dep_ == "mark" and c.lower_ in _QUESTION_MARKS for c in comp.children):
        return False
    return comp.left_edge.lower_ in ("how", "why", "what")


def _naming(verb: Token) -> list[tuple[int, int]]:
    """ "called the charges fabricated", "described the plan as a disaster": the object and its label."""
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
    if not objects:
        return []
    obj = objects[0]
    labels = [c for c in verb.children if c.dep_ == "oprd" and c.i > obj.i] + [
        c for c in (*verb.children, *obj.children) if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i
    ]
    # "called the charges unfounded": an adjective after the noun is its label (parsed as a modifier).
    labels += [c for c in obj.children if c.dep_ == "amod" and c.i > obj.i]
    if not labels:
        return []
    doc = verb.doc
    last = max(lab.right_edge.i for lab in labels)
    while last > obj.i and doc[last].is_punct:
        last -= 1
    first = obj.left_edge.i
    return [(doc[first].idx, doc[last].idx + len(doc[last].text))]


def _directive(verb: Token, lemma: str) -> list[tuple[int, int]]:
    """What a request or warning asks of whom: the addressee and the infinitive after it ("urged Congress
    to act", "called on the council to resign"), or what is called for ("called for new elections")."""
    particles = [c for c in verb.children if c.dep_ in ("prep", "prt") and c.lower_ in ("on", "for")]
    if lemma == "call" and not particles:
        return []  # "called him a liar": naming, not a request
    addressees = [c for c in verb.children if c.dep_ in ("dobj", "dative")] + [
        c for p in particles if p.lower_ == "on" for c in p.children if c.dep_ == "pobj"
    ]
    for c in verb.children:
        if c.dep_ == "xcomp" and c.i > verb.i and any(a.lower_ == "to" for a in c.lefts):
            whom = [a for a in addressees if a.i < c.i]
            if whom:
                return _clause_pieces(whom[0], None) + _clause_pieces(c, None)
    if lemma == "call" and any(p.lower_ == "for" for p in particles):
        objects = [
            c for p in particles if p.lower_ == "for" for c in p.children if c.dep_ in ("pobj", "pcomp")
        ]
        if objects:
            return _clause_pieces(objects[0], None)
    return []


def _span(token: Token) -> tuple[int, int]:
    doc = token.doc
    left, right = token.left_edge.i, token.right_edge.i
    while right > left and doc[right].is_punct:
        right -= 1
    while left < right and doc[left].is_punct:
        left += 1
    return doc[left].idx, doc[right].idx + len(doc[right].text)


def _vetoed(doc: Doc) -> bool:
    """A question, or a speech verb used negated, hypothetically or for an indirect question: the
    sentence reports no utterance by that verb (the pattern fallback must not report one either)."""
    if doc.text.rstrip().endswith("?"):
        return True
    for tok in doc:
        if tok.tag_.startswith("VB") and cue_lemma(tok.text) is not None:
            if _is_hypothetical(tok) and tok.dep_ not in ("amod", "acl", "compound", "pcomp"):
                return True
            if any(c.dep_ == "ccomp" and _is_question(c) for c in tok.children):
                return True
            if any(c.dep_ == "dobj" and c.pos_ in ("PROPN", "PRON") for c in tok.children) and not any(
                c.dep_ in ("ccomp", "xcomp", "oprd") for c in tok.children
            ):
                return True  # "confirmed Maria Lopez as harbour master": a person, not a thing said
    return False


def _is_question(comp: Token) -> bool:
    marks = [c for c in comp.children if c.dep_ == "mark"]
    return any(m.lower_ in _QUESTION_MARKS for m in marks) or comp.left_edge.tag_ in ("WP", "WRB", "WDT")


def _reported_in(doc: Doc, offset: int) -> list[_Reported]:
    """Reported speech in one parsed sentence: "X said (that) ...", "..., X said", "according to X, ..."."""
    if doc.text.rstrip().endswith("?"):
        return []
    items: list[tuple[_Found, int]] = []  # what was found, and where its cue is
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            found = _according(tok)
        elif tok.tag_.startswith("VB") and (lemma := cue_lemma(tok.text)) is not None:
            found = _speech_verb(tok, lemma)
        elif tok.tag_ in ("NN", "NNS") and _lemma_in(tok.text, _SPEECH_NOUNS) is not None:
            found = _speech_noun(tok)
        else:
            continue
        if found is not None:
            items.append((found, tok.idx))
    out: list[_Reported] = []
    for (content, speaker, head, cue), at in items:
        shift = lambda s: (s[0] + offset, s[1] + offset)  # noqa: E731
        noun = any(t.idx == head[0] and t.pos_ == "NOUN" for t in doc)
        out.append(
            _Reported([shift(p) for p in content], shift(speaker), shift(head), cue, noun, at + offset)
        )
    return out


_Found = tuple[list[tuple[int, int]], tuple[int, int], tuple[int, int], str]


def _speech_verb(verb: Token, lemma: str) -> _Found | None:
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ == "NOUN" and lemma in _SPEECH_LEMMAS:
        subject = _author(verb.head)  # "X issued a statement saying ...": the statement's author
    elif _is_hypothetical(verb):
        return None
    else:
        subject = _subject(verb)
    if subject is None or subject.lower_ in _NON_SPEAKERS or subject.lower_ in _NON_SOURCE_NOUNS:
        return None  # nobody, or a state of affairs ("The prospect of ... might be causing him to admit that")
    content = _complement(verb, lemma)
    if not content:
        return None
    head = (subject.idx, subject.idx + len(subject.text))
    return content, _phrase_bounds(subject), head, verb.lower_


def _speech_noun(noun: Token) -> _Found | None:
    """ "Trump's claim that ...", "a warning from his lawyer that ...", "X made the claim that ...": a noun
    of saying with its that-clause and an author."""
    if any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in noun.children):
        return None  # "no claim that ..."
    clauses = [
        c for c in noun.children
        if c.dep_ in ("acl", "ccomp") and c.i > noun.i and _has_subject(c)
        and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
    ]  # fmt: skip
    if not clauses or _is_question(clauses[0]):
        return None
    author = _author(noun)
    if author is None or author.lower_ in _NON_SPEAKERS:
        return None
    head = (author.idx, author.idx + len(author.text))
    return _clause_pieces(clauses[0], None), _phrase_bounds(author), head, noun.lower_


def _author(noun: Token) -> Token | None:
    """Whose message a noun of saying is: its possessor ("Trump's claim", "his warning"), its "by"/"from"
    phrase, a name before it ("a New York Times report"), or the subject of a verb that issues it."""
    for c in noun.children:
        if c.dep_ == "poss":
            return c
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            objects = [o for o in c.children if c.i < o.i and o.dep_ == "pobj"]
            if objects:
                return objects[0]
    names = [c for c in noun.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if names:
        return names[-1]
    verb = noun.head
    if noun.dep_ == "dobj" and _lemma_in(verb.text, _AUTHOR_VERBS) is not None and not _is_hypothetical(verb):
        return _subject(verb)
    return None


def _according(word: Token) -> _Found | None:
    prep = word.doc[word.i + 1]
    objs = [c for c in prep.children if c.dep_ == "pobj"] or [c for c in word.children if c.dep_ == "pobj"]
    if not objs:
        return None
    clause = word.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    content = [p for p in _clause_pieces(clause, word) if not (p[0] <= word.idx < p[1])]
    if not content:
        return None
    head = (objs[0].idx, objs[0].idx + len(objs[0].text))
    return content, _phrase_bounds(objs[0]), head, "according to"


def _parse_reported(
    parser: Language, article: Article, skip: Sequence[tuple[int, int]]
) -> tuple[dict[int, list[_Reported]], set[int]]:
    """Reported speech per sentence index (parsing only sentences with a speech verb outside direct
    quotes), and the indices of the sentences :func:`_vetoed` rules out."""
    todo = [
        s for s in article.sentences
        if may_report_speech(s.text) and not any(a <= s.start and s.end <= b for a, b in skip)
    ]  # fmt: skip
    out: dict[int, list[_Reported]] = {}
    vetoed: set[int] = set()
    if not todo:
        return out, vetoed
    # Only plain offsets leave the memory zone.
    with parser.memory_zone():
        for sent, doc, offset in _sentence_docs(parser, article, todo):
            found = _reported_in(doc, offset)
            if found:
                out[sent.index] = found
            if _vetoed(doc):
                vetoed.add(sent.index)
    return out, vetoed


def _sentence_docs(
    parser: Language, article: Article, todo: Sequence[Sentence]
) -> Iterator[tuple[Sentence, Doc, int]]:
    """Each sentence's parse with the char offset of its text in the article: the annotate stage's kept
    parse (``Article.sentence_parse``) when it has the sentence, else a fresh parse. Call inside a memory
    zone of ``parser``."""
    stored = _stored_docs(parser, article)
    missing = [s for s in todo if s.index not in stored]
    for sent in todo:
        if sent.index in stored:
            offset, doc = stored[sent.index]
            yield sent, doc, offset
    if missing:
        yield from _parse_sentences(parser, article, missing)


def _stored_docs(parser: Language, article: Article) -> dict[int, tuple[int, Doc]]:
    """Sentence index -> (offset, doc) from the kept parse; nothing when the article's text changed after
    annotation (its sentences are then parsed again)."""
    kept = article.sentence_parse
    if kept is None or kept.text_hash != hash(article.text):
        return {}
    from spacy.tokens import DocBin

    docs = DocBin().from_bytes(kept.docs).get_docs(parser.vocab)
    return {i: (offset, doc) for i, offset, doc in zip(kept.sentences, kept.offsets, docs, strict=True)}


def _parse_sentences(
    parser: Language, article: Article, sentences: Sequence[Sentence]
) -> Iterator[tuple[Sentence, Doc, int]]:
    """Parse again (no kept parse: articles built by hand, read from the store or annotated without the
    hook): the annotate stage's segments that hold these sentences, so that each sentence gets the parse
    it would have had from the annotate stage, and a brief is the same on either path. No NER needed."""
    from storydesk.annotate.annotator import segment_spans, sentence_docs
    from storydesk.annotate.entities import Segment

    wanted = {s.index for s in sentences}
    spans = [(a, b) for a, b in segment_spans(article.sentences) if any(a <= s.start < b for s in sentences)]
    docs = parser.pipe([article.text[a:b] for a, b in spans], disable=["ner"])
    segments = [Segment(start=a, doc=doc) for (a, _), doc in zip(spans, docs, strict=True)]
    return sentence_docs(article, segments, lambda s: s.index in wanted)


def _covered(pieces: Sequence[tuple[int, int]], ranges: Sequence[tuple[int, int]]) -> float:
    """Share of the pieces' characters inside the given ranges (direct quotes)."""
    total = sum(e - s for s, e in pieces)
    inside = sum(max(0, min(e, b) - max(s, a)) for s, e in pieces for a, b in ranges)
    return inside / total if total else 1.0


def _speaker_of(ctx: _ArticleContext, rep: _Reported, paragraph: int) -> _Speaker | None:
    """The reported speaker: the named mention its head word is in, else the phrase resolved as for quotes."""
    hs, he = rep.speaker_token
    for m in ctx.mentions:
        if m.start <= hs and he <= m.end:
            return _Speaker(ctx.name_of(m), m.start, m.end, ctx.label_of(m))
        if m.start > he:
            break
    phrase = ctx.text[rep.speaker[0] : rep.speaker[1]]
    if not re.search(r"[^\W\d_]{2}", phrase):
        return None  # "p said ...": a lone letter is a typo or a nickname, not a speaker to report
    spk = _resolve_phrase(ctx, rep.speaker[0], rep.speaker[1], paragraph)
    if spk is None and rep.common_noun:
        # "Some experts say ...", "according to federal data": a group or a document, named as written.
        phrase = ctx.text[rep.speaker[0] : rep.speaker[1]]
        if len(phrase.split()) <= 6:
            return _Speaker(phrase, rep.speaker[0], rep.speaker[1], "")
    return spk if spk is not None and spk.resolved else None


def _parsed_quotes(
    ctx: _ArticleContext, parser: Language, quoted: Sequence[tuple[int, int]], direct: Sequence[QuoteSpan]
) -> tuple[list[QuoteSpan], list[tuple[int, int]]]:
    """Reported (indirect and mixed) speech from the dependency parse, speakers resolved in text order;
    and the spans of the sentences that report nothing (questions, negated or hypothetical speech)."""
    found, vetoed = _parse_reported(parser, ctx.article, quoted)
    out: list[QuoteSpan] = []
    seen: set[tuple[int, int]] = set()
    for sent in _sentences_in_discourse(ctx, direct):
        before = ctx.last_speaker
        made: list[tuple[_Reported, QuoteSpan]] = []
        for rep in found.get(sent.index, []):
            quote = _reported_quote(ctx, rep, sent.paragraph, quoted)
            if quote is None or (quote.start, quote.end) in seen:
                continue
            seen.add((quote.start, quote.end))
            made.append((rep, quote))
            _remember_speaker(ctx, quote, sent.paragraph)
        # "X said Y told him that ...", "X said she hopes ...": inside what X said is X's account, not Y's
        # words (when X's report stands: "According to him, Y confirmed ..." with "him" unresolved is Y's).
        kept = [
            (rep, quote) for rep, quote in made
            if not any(a <= rep.cue_at < b for other, _ in made if other is not rep for a, b in other.content)
        ]  # fmt: skip
        if len(kept) < len(made):
            ctx.last_speaker = before
            for _, quote in kept:
                _remember_speaker(ctx, quote, sent.paragraph)
        out.extend(quote for _, quote in kept)
    sentences = ctx.article.sentences
    return out, [(sentences[i].start, sentences[i].end) for i in sorted(vetoed)]


def _remember_speaker(ctx: _ArticleContext, quote: QuoteSpan, paragraph: int) -> None:
    """A person's reported speech: the speaker a later pronoun may refer to."""
    if quote.speaker_label == "PERSON":
        ctx.last_speaker = (_Speaker(quote.speaker, quote.speaker_start, quote.speaker_end, "PERSON"), paragraph)


def _reported_quote(
    ctx: _ArticleContext, rep: _Reported, paragraph: int, quoted: Sequence[tuple[int, int]]
) -> QuoteSpan | None:
    """A :class:`QuoteSpan` (``direct=False``) for one reported utterance, or None when it is not one."""
    if _covered(rep.content, quoted) >= 0.5 or _covered([rep.speaker], quoted) > 0:
        return None  # a direct quote (found by the quote-mark reader) or speech inside a quote
    content = _balanced(ctx.text, list(rep.content))
    if content:
        # Markup left in the text ("<...>but the fact ...") does not open what was said.
        start, end = content[0]
        while start < end and (ctx.text[start] in "<>|*#" or ctx.text[start].isspace()):
            start += 1
        content[0] = (start, end)
        content = [(s, e) for s, e in content if e > s]
    if not content:
        return None
    text = " ".join(ctx.text[s:e] for s, e in content)
    words = NAME_TOKEN_RE.findall(text)
    if len(words) < 3 or words[0].lower() in _RELATIVE_OPENERS:
        return None  # "which may occur ..." is a fragment of a clause, not what someone said
    if not any(c.islower() for c in text):
        return None  # a headline or kicker in capitals ("BOSS THINKS HE'S WRONG"), not running text
    spk = _speaker_of(ctx, rep, paragraph)
    if spk is None:
        return None
    return QuoteSpan(
        article=ctx.article.id,
        start=content[0][0],
        end=content[-1][1],
        text=text,
        speaker=spk.name,
        speaker_start=rep.speaker[0],
        speaker_end=rep.speaker[1],
        speaker_label=spk.label,
        cue=rep.cue,
        direct=False,
        paragraph=paragraph,
    )


_RELATIVE_OPENERS = frozenset({"which", "who", "whom", "whose"})


def _balanced(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The content pieces cut before a bracket they open but never close ("... in Hamburg (Germany")."""
    depth = 0
    opened: tuple[int, int] | None = None  # (piece index, character offset) of the outermost open bracket
    for i, (start, end) in enumerate(pieces):
        for j in range(start, end):
            if text[j] == "(":
                if depth == 0:
                    opened = (i, j)
                depth += 1
            elif text[j] == ")" and depth:
                depth -= 1
    if not depth or opened is None:
        return pieces
    i, cut = opened
    out = pieces[:i]
    head = text[pieces[i][0] : cut].rstrip(" ,;:-–—")
    if head.strip():
        out.append((pieces[i][0], pieces[i][0] + len(head)))
    return out


# ---------------------------------------------------------------------- the stage


class QuoteExtractor(StoryStage):
    """Story stage: ``story.quotes``, one per utterance, speakers linked to canonical entities."""

    name: ClassVar[str] = "quotes"

    def __init__(self, settings: AnalyseSettings, spacy_models: Sequence[str] | None = None) -> None:
        super().__init__()
        self.settings = settings
        # The annotate stage's model list (reported speech is read from a parse); None: the defaults.
        self.spacy_models = spacy_models

    def analyse(self, story: Story, articles: Mapping[str, Article]) -> None:
        index = EntityIndex(story.entities)
        spans: list[QuoteSpan] = []
        for aid in story.articles:
            art = articles.get(aid)
            if art is None or not art.text:
                continue
            found = extract_quotes(
                art, min_words=self.settings.quote_min_words, indirect=self.settings.indirect_quotes,
                spacy_models=self.spacy_models,
            )  # fmt: skip
            for q in found:
                if q.resolved and q.speaker:
                    spans.append(q)
        by_id = {e.id: e for e in story.entities}
        entity_ids: list[str | None] = []
        for q in spans:
            entity = index.lookup(q.speaker, q.article)
            entity_ids.append(entity.id if entity is not None else None)
        groups = self._group(story, spans, entity_ids)
        derived = {
            link.article
            for link in story.provenance
            if link.relation in ("translation", "duplicate", "contains")
        }
        order = {a: i for i, a in enumerate(story.articles)}
        quotes: list[tuple[tuple[int, int], Quote]] = []
        for members in groups:
            members.sort(key=lambda i: (order.get(spans[i].article, 0), spans[i].start))
            # The wording shown: from an article not derived from another one, then the longest.
            main = max(
                members, key=lambda i: (spans[i].article not in derived, spans[i].direct, len(spans[i].text))
            )
            variants: list[QuoteVariant] = []
            seen: set[tuple[str, str]] = set()
            for i in members:
                key = (spans[i].article, spans[i].text)
                if key not in seen:
                    seen.add(key)
                    variants.append(QuoteVariant(article=spans[i].article, text=spans[i].text))
            entity_id = entity_ids[main]
            if entity_id is None:
                known = [entity_ids[i] for i in members if entity_ids[i] is not None]
                # The most frequent, the earliest member's on a tie (not a set's order: briefs repeat).
                entity_id = max(known, key=known.count) if known else None
            entity = by_id.get(entity_id) if entity_id is not None else None
            quote = Quote(
                speaker=entity.name if entity is not None else spans[main].speaker,
                speaker_entity=entity_id,
                text=spans[main].text,
                articles=sorted({spans[i].article for i in members}, key=lambda a: order.get(a, 0)),
                variants=variants,
                cue=spans[main].cue,
                direct=any(spans[i].direct for i in members),
            )
            first = members[0]
            quotes.append(((order.get(spans[first].article, 0), spans[first].start), quote))
        quotes.sort(key=lambda t: t[0])
        story.quotes = [q for _, q in quotes]
        self.stats.extra["quotes"] = self.stats.extra.get("quotes", 0.0) + len(story.quotes)

    def _group(
        self, story: Story, spans: Sequence[QuoteSpan], entity_ids: Sequence[str | None]
    ) -> list[list[int]]:
        """Union the wordings of one utterance (same speaker, similar meaning or aligned sentences).

        The most similar pairs join first, and two groups never join when that would put two wordings
        of one article that are not alike themselves into one entry: "A ~ B" and "B ~ A2" across two
        articles must not chain two different statements A and A2 of one speaker's article together.
        """
        n = len(spans)
        sets = DisjointSets(range(n))
        if n > 1:
            whole, sims = _similarity(spans)
            aligned = _aligned_pairs(story, spans)
            joins: list[tuple[float, int, int]] = []
            # a speaker that is no entity ("the press service", "officials"): the same phrase is the same
            keys = [_speaker_phrase_key(q.speaker) for q in spans]
            for i in range(n):
                for j in range(i + 1, n):
                    same = (entity_ids[i] is not None and entity_ids[i] == entity_ids[j]) or (
                        entity_ids[i] is None and entity_ids[j] is None and keys[i] != "" and keys[i] == keys[j]
                    )
                    # Two known, different speakers never share an utterance.
                    if not same and entity_ids[i] is not None and entity_ids[j] is not None:
                        continue
                    limit = (
                        self.settings.quote_same_speaker_threshold
                        if same
                        else self.settings.quote_match_threshold
                    )
                    if (i, j) in aligned:
                        limit = min(limit, 0.5)
                    sim = sims[i, j]
                    if spans[i].direct != spans[j].direct:
                        # A paraphrase and a verbatim quote are one utterance only when the whole wordings
                        # match, not when a quoted phrase sits inside the reported clause.
                        limit = max(limit, self.settings.quote_match_threshold)
                        sim = whole[i, j]
                    if sim >= limit:
                        joins.append((float(sim), i, j))
            joins.sort(key=lambda t: (-t[0], t[1], t[2]))
            members = {i: [i] for i in range(n)}
            for _, i, j in joins:
                ri, rj = sets.find(i), sets.find(j)
                if ri == rj or any(
                    _unlike_in_one_article(spans, a, b, sims[a, b], self.settings.quote_match_threshold)
                    for a in members[ri]
                    for b in members[rj]
                ):
                    continue
                root = sets.union(i, j)
                members[root] = members.pop(ri) + members.pop(rj)
        return sets.groups()


def _speaker_phrase_key(phrase: str) -> str:
    """A speaker phrase without its article and case ("The ministry" = "the ministry"); "" for none."""
    words = phrase.lower().split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


def _unlike_in_one_article(spans: Sequence[QuoteSpan], i: int, j: int, sim: float, threshold: float) -> bool:
    """Two wordings of one article that cannot share an entry: not alike, and not two pieces of one
    direct quote (a quote broken by its attribution: one paragraph, no other quote of the article between)."""
    a, b = spans[i], spans[j]
    if a.article != b.article or sim >= threshold:
        return False
    if not (a.direct and b.direct and a.paragraph == b.paragraph):
        return True
    lo, hi = min(a.end, b.end), max(a.start, b.start)
    return any(q.article == a.article and lo <= q.start < hi for q in spans)


def _split_sentences(text: str) -> list[str]:
    # Sentences and their coordinated clauses ("A, and B"; "A; B"): an outlet may quote only one clause.
    parts = [
        p.strip() for p in re.split(r"(?<=[.!?…])\s+|;\s+|,\s+(?=(?:and|but)\s)", text) if len(p.split()) >= 3
    ]
    return parts or [text]


def _similarity(spans: Sequence[QuoteSpan]) -> tuple[np.ndarray, np.ndarray]:
    """Meaning similarity of two wordings: the whole-quote cosine, and the larger of it and how well the
    shorter one's sentences are contained in the longer one (a quote cut differently by two outlets)."""
    from storydesk.annotate.embeddings import get_embedder

    embedder = get_embedder("wordllama")
    vectors = embedder.embed([q.text for q in spans])
    whole = vectors @ vectors.T
    sims = whole
    pieces: list[str] = []
    owner: list[int] = []
    for i, q in enumerate(spans):
        for s in _split_sentences(q.text):
            pieces.append(s)
            owner.append(i)
    if len(pieces) > len(spans):
        vec = embedder.embed(pieces)
        piece_sims = vec @ vec.T
        n = len(spans)
        owner_arr = np.array(owner)
        # Pieces of one quote are contiguous: reduceat gives, per quote j, the best match of each piece.
        starts = np.searchsorted(owner_arr, np.arange(n))
        counts = np.bincount(owner_arr, minlength=n)
        contain = np.zeros((n, n), dtype=np.float32)
        for i in range(n):
            block = piece_sims[starts[i] : starts[i] + counts[i]]
            contain[i] = np.maximum.reduceat(block, starts, axis=1).mean(axis=0)
        np.fill_diagonal(contain, 0.0)
        # The shorter wording (fewer sentences) must be inside the longer: use its direction.
        shorter = counts[:, None] <= counts[None, :]
        sims = np.maximum(sims, np.where(shorter, contain, contain.T))
    return whole, sims


def _aligned_pairs(story: Story, spans: Sequence[QuoteSpan]) -> set[tuple[int, int]]:
    """Quote pairs that sit in sentences the provenance linker aligned across two articles."""
    out: set[tuple[int, int]] = set()
    for link in story.provenance:
        for passage in link.evidence:
            a = [
                i
                for i, q in enumerate(spans)
                if q.article == link.derived_from and q.text[:40] in passage.text
            ]
            b = [
                i
                for i, q in enumerate(spans)
                if q.article == link.article and q.text[:40] in passage.derived_text
            ]
            for i in a:
                for j in b:
                    out.add((min(i, j), max(i, j)))
    return out
