"""Which of two linked articles was derived from the other, when the evidence says so.

Each clue casts a weighted vote for "A derived from B" or the reverse:
- publish time: the later article is the copy;
- metadata: an article whose text names the other's URL ("Source: …"), or that carries an
  ``Original:`` title while the other is in another language, is the derived one;
- translation artifacts: original-language glosses in parentheses ("Jane Kolbi (Jane Colby)") and
  names the other article capitalises but this one writes in lower case ("trump");
- containment: the article that bundles the other's text after its own is the derived one.
Without a clear margin the link stays undirected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz

from storydesk.link.alignment import Alignment

if TYPE_CHECKING:
    from storydesk.link.sources import Profile
    from storydesk.settings import LinkSettings

# "(<Capitalised Latin name of one to four words>)": the words before it are compared afterwards
_PAREN = re.compile(r"\(([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;\"“”«»—–-]\s*|\n\s*)$")


def gloss_count(text: str) -> int:
    """Parenthesised glosses that repeat or respell the preceding name: a translator's habit."""
    count = 0
    for match in _PAREN.finditer(text):
        inside = match.group(1)
        words = text[max(0, match.start() - 100) : match.start()].split()
        tail = " ".join(words[-len(inside.split()) :])
        if tail and fuzz.ratio(tail.lower(), inside.lower()) >= 60:
            count += 1
    return count


def _capitalisation(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """Words written capitalised mid-sentence, and words written in lower case, in one text."""
    upper: set[str] = set()
    lower: set[str] = set()
    for match in _WORD.finditer(text):
        word = match.group(0)
        if len(word) < 3:
            continue
        if word[0].isupper():
            if not _SENTENCE_START.search(text[max(0, match.start() - 3) : match.start()]):
                upper.add(word.lower())
        elif word.islower():
            lower.add(word)
    return frozenset(upper), frozenset(lower)


@dataclass(frozen=True, slots=True)
class TextClues:
    """Per-article facts the direction votes use (computed once per article, not once per pair)."""

    glosses: int
    upper: frozenset[str]  # words capitalised mid-sentence (lower-cased)
    lower: frozenset[str]  # words written in lower case

    @property
    def names(self) -> frozenset[str]:
        """Words this text always capitalises: proper names."""
        return self.upper - self.lower


def text_clues(text: str) -> TextClues:
    upper, lower = _capitalisation(text)
    return TextClues(glosses=gloss_count(text), upper=upper, lower=lower)


def lowered_names(clues: TextClues, other: TextClues) -> int:
    """Names the other text capitalises mid-sentence that this text only writes in lower case."""
    return len({w for w in other.names & clues.lower if w not in clues.upper})


def artifact_score(clues: TextClues, other: TextClues) -> float:
    return clues.glosses + lowered_names(clues, other)


def decide_direction(
    a: Profile, b: Profile, relation: str, alignment: Alignment, settings: LinkSettings
) -> tuple[Profile, Profile, bool]:
    """(derived, source, directed) for a linked pair; undirected links keep id order."""
    vote = 0.0  # > 0: a is derived from b
    art_a, art_b = a.article, b.article
    if art_a.published and art_b.published:
        hours = (art_a.published - art_b.published).total_seconds() / 3600
        if abs(hours) >= settings.direction_min_hours:
            vote += settings.weight_time if hours > 0 else -settings.weight_time
    text_a, text_b = art_a.text or art_a.raw, art_b.text or art_b.raw
    if art_b.url and art_b.url in text_a:
        vote += settings.weight_metadata
    if art_a.url and art_a.url in text_b:
        vote -= settings.weight_metadata
    languages_differ = bool(a.language and b.language and a.language != b.language)
    if languages_differ:
        vote += settings.weight_metadata * (bool(art_a.original_title) - bool(art_b.original_title))
    if relation in ("translation", "contains", "duplicate"):
        clues_a, clues_b = a.clues, b.clues
        diff = artifact_score(clues_a, clues_b) - artifact_score(clues_b, clues_a)
        vote += max(-settings.weight_artifacts, min(settings.weight_artifacts, diff))
    if relation == "contains":
        vote += _container_vote(alignment, settings)
    if vote >= settings.direction_min_margin:
        return a, b, True
    if vote <= -settings.direction_min_margin:
        return b, a, True
    first, second = (a, b) if a.id <= b.id else (b, a)
    return first, second, False


def _container_vote(alignment: Alignment, settings: LinkSettings) -> float:
    """+weight when the left article bundles the right one after its own text, - for the reverse."""
    left_larger = alignment.n_left > alignment.n_right
    side = "left" if left_larger else "right"
    block = alignment.block(side, settings.max_gap)
    if block is None or block.start < settings.own_text_min_units:
        # The shared block opens the larger article: a truncated copy looks the same, so no vote.
        return 0.0
    return settings.weight_superset if left_larger else -settings.weight_superset
