"""Direction clues: translator glosses, lowered names, publish time and Source: metadata."""

from __future__ import annotations

import datetime as dt

from storydesk.link.alignment import Alignment
from storydesk.link.direction import decide_direction, gloss_count, lowered_names, text_clues
from storydesk.link.sources import Profile, build_profile
from storydesk.records import Article
from storydesk.settings import LinkSettings


def test_direction_gloss_count_finds_translator_glosses_only() -> None:
    text = (
        "Washington was shocked that trump fired FBI Director James Komi (James Comey). "
        "Secretary Rex Tillerson (Rex Tillerson) met the minister. "
        "The North Atlantic Treaty Organization (NATO) met in Brussels (Reuters)."
    )
    assert gloss_count(text) == 2


def test_direction_lowered_names_counts_names_the_other_capitalises() -> None:
    derived = text_clues("Officials said that trump met the minister. Later trump spoke again.")
    original = text_clues("Officials said that President Trump met the minister. Later Trump spoke again.")
    assert lowered_names(derived, original) == 1
    assert lowered_names(original, derived) == 0


def _profile(
    article_id: str, text: str, *, published: dt.datetime | None = None, url: str = ""
) -> Profile:
    article = Article(
        id=article_id, location=article_id, text=text, language="en", published=published, url=url
    )
    return build_profile(article, LinkSettings())


def test_direction_later_article_is_the_copy() -> None:
    early = _profile("b", "The minister arrived in the capital for talks.", published=dt.datetime(2017, 5, 10, 8))
    late = _profile("a", "The minister arrived in the capital for talks.", published=dt.datetime(2017, 5, 10, 14))
    derived, source, directed = decide_direction(late, early, "duplicate", Alignment(1, 1), LinkSettings())
    assert (derived.id, source.id, directed) == ("a", "b", True)


def test_direction_source_url_in_text_points_to_the_original() -> None:
    original = _profile("z", "The minister arrived for talks.", url="http://example.org/story/1")
    copy = _profile("a", "The minister arrived for talks. Source: http://example.org/story/1")
    derived, source, directed = decide_direction(original, copy, "duplicate", Alignment(1, 1), LinkSettings())
    assert (derived.id, source.id, directed) == ("a", "z", True)


def test_direction_without_evidence_stays_undirected() -> None:
    a = _profile("b", "The minister arrived in the capital for talks.")
    b = _profile("a", "The minister arrived in the capital for talks.")
    derived, source, directed = decide_direction(a, b, "duplicate", Alignment(1, 1), LinkSettings())
    assert directed is False
    assert (derived.id, source.id) == ("a", "b")
