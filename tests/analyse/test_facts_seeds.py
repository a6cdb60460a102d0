"""End to end on ../shared/seeds through the real pipeline: facts, contradictions, timeline (issue 5)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storydesk.records import Brief, Story

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def brief(seeds_dir: Path) -> Brief:
    from storydesk.pipeline import build_brief
    from storydesk.settings import load_settings

    return build_brief([str(seeds_dir)], load_settings())


@pytest.fixture(scope="module")
def story(brief: Brief) -> Story:
    # The five seeds cover one event; take the story holding most of them.
    return max(brief.stories, key=lambda s: len(s.articles))


def seed(story: Story, prefix: str) -> str:
    return next(a for a in story.articles if a.startswith(prefix))


def test_facts_seeds_year_of_previous_visit_is_flagged(story: Story) -> None:
    found = [
        c for c in story.contradictions
        if c.kind in ("year", "date") and {cl.value[:4] for cl in c.claims} >= {"2013", "2014"}
    ]
    assert len(found) == 1, [(c.kind, [cl.value for cl in c.claims]) for c in story.contradictions]
    sides = {cl.value[:4]: cl.articles for cl in found[0].claims}
    assert seed(story, "003") in sides["2013"]
    assert seed(story, "002") in sides["2014"]
    assert "visit" in found[0].about.lower()


def test_facts_seeds_consistent_values_are_not_flagged(story: Story) -> None:
    # Kissinger: "93-year-old" and "turns 94 on May 27" agree.
    assert not [c for c in story.contradictions if c.kind == "age"]
    # 40 minutes in the Oval Office is part of more than two hours of talks in total.
    texts = " ".join(cl.text for c in story.contradictions for cl in c.claims)
    assert "40 minutes" not in texts
    assert "two hours" not in texts


def test_facts_seeds_timeline_holds_the_story_dates(story: Story) -> None:
    entries = {(e.date, e.precision): e for e in story.timeline}
    expected = [
        (dt.date(2014, 3, 1), "month"),  # Crimea
        (dt.date(2016, 12, 1), "month"),  # restrictions on diplomatic property
        (dt.date(2017, 4, 6), "day"),  # missile strike
        (dt.date(2017, 4, 12), "day"),  # Tillerson in Moscow
        (dt.date(2017, 5, 7), "day"),  # French election
        (dt.date(2017, 5, 10), "day"),  # the talks
        (dt.date(2017, 5, 11), "day"),  # Arctic Council, from the preview's "on Thursday"
        (dt.date(2017, 7, 1), "month"),  # the expected presidents' meeting
    ]
    missing = [key for key in expected if key not in entries]
    assert not missing, [(e.date, e.precision, e.text[:60]) for e in story.timeline]
    assert seed(story, "004") in entries[(dt.date(2017, 5, 11), "day")].articles
    assert "Arctic" in entries[(dt.date(2017, 5, 11), "day")].text
    assert "Crimea" in entries[(dt.date(2014, 3, 1), "month")].text
    # Several independent sources report the day of the talks.
    assert story.count_sources(entries[(dt.date(2017, 5, 10), "day")].articles) >= 3


def test_facts_seeds_event_date_is_the_day_of_the_talks(story: Story) -> None:
    assert story.event_date == dt.date(2017, 5, 10)


def test_facts_seeds_support_counts_go_through_source_groups(story: Story) -> None:
    assert story.facts
    for fact in story.facts:
        assert len(fact.articles) >= 2
        assert fact.independent_sources == story.count_sources(fact.articles)
        assert fact.independent_sources <= len(fact.articles)
    # The translation 000 of 001: a fact only they state is one source, whatever the wording.
    translated = [f for f in story.facts if set(f.articles) == {seed(story, "000"), seed(story, "001")}]
    assert translated, "the translation pair shares no aligned fact"
    assert any(seed(story, "000") in g and seed(story, "001") in g for g in story.source_groups)
    assert all(f.independent_sources == 1 for f in translated)
    # A fact that several outlets report is corroborated by more than one source.
    assert story.facts[0].independent_sources >= 2
