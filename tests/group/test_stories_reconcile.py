"""Tests for the stream clusterer's reconcile: re-clustering its recent window with the batch clusterer."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from storydesk.errors import SettingsError
from storydesk.group.stories import OnlineClusterer
from storydesk.records import Article
from storydesk.settings import GroupSettings
from tests.group.test_stories import CHILE, LEXICAL, NEPAL, _articles, _interleave

# one pass in arrival order that splits each event into stories of one (a join threshold nothing clears)
SPLITTING = dataclasses.replace(
    LEXICAL, similarity_threshold=0.95, merge_threshold=0.99, reconcile_every=1000
)
# ... and one that glues both events into one story (a threshold everything clears)
GLUING = dataclasses.replace(LEXICAL, similarity_threshold=0.01, merge_threshold=0.01, reconcile_every=1000)


def _two_events() -> list[Article]:
    day = dt.datetime(2015, 9, 16, 12, tzinfo=dt.UTC)
    return _interleave(_articles(NEPAL, "n", day), _articles(CHILE, "c", day))


def _stories(clusterer: OnlineClusterer) -> list[list[str]]:
    return sorted(sorted(s.articles) for s in clusterer.stories.values())


EVENTS = [["c0", "c1", "c2"], ["n0", "n1", "n2"]]


def test_reconcile_joins_an_event_the_single_pass_split() -> None:
    clusterer = OnlineClusterer(SPLITTING)
    before = {a.article_id: a.story_id for a in clusterer.add(_two_events())}
    assert len(clusterer.stories) == 6
    moved = clusterer.reconcile()
    assert _stories(clusterer) == EVENTS
    assert len(moved) == 4  # each event kept the id of one of its articles' stories; the others moved
    for aid, old in before.items():
        live = clusterer.resolve(old)  # emptied stories are aliases of the story their article went to
        assert live in clusterer.stories and aid in clusterer.stories[live].articles
        assert clusterer.story_of(aid) == live
    assert clusterer.take_moves() == {aid: clusterer.story_of(aid) for aid in moved}
    assert clusterer.take_moves() == {}


def test_reconcile_splits_two_events_the_single_pass_glued() -> None:
    clusterer = OnlineClusterer(GLUING)
    (glued,) = {a.story_id for a in clusterer.add(_two_events())}
    assert _stories(clusterer) == [sorted(EVENTS[0] + EVENTS[1])]
    clusterer.reconcile()
    assert _stories(clusterer) == EVENTS
    assert glued in clusterer.stories and not clusterer.aliases  # one event keeps the id, one gets a new one
    # the story sums are the sums of their members' vectors again (no truncation at this size)
    features = {f.article_id: f for f, _ in clusterer.window}
    for story in clusterer.stories.values():
        expected: dict[int, float] = {}
        for aid in story.articles:
            for k, w in features[aid].terms.items():
                expected[k] = expected.get(k, 0.0) + w
        assert story.terms.keys() == expected.keys()
        assert all(story.terms[k] == pytest.approx(w, abs=1e-6) for k, w in expected.items())
    assert {clusterer.stories[s].first_time for s in clusterer.stories} == {
        min(features[a].time or 0.0 for a in event) for event in EVENTS
    }


def test_reconcile_runs_at_the_end_of_add_once_enough_articles_arrived() -> None:
    clusterer = OnlineClusterer(dataclasses.replace(SPLITTING, reconcile_every=4))
    articles = _two_events()
    first = clusterer.add(articles[:3])  # 3 < 4 arrivals: not yet
    assert len({a.story_id for a in first}) == 3 and clusterer.unreconciled == 3
    second = clusterer.add(articles[3:])
    assert clusterer.unreconciled == 0 and _stories(clusterer) == EVENTS
    # the assignments of the batch say where each article is after the reconcile
    for assignment in second:
        assert assignment.article_id in clusterer.stories[assignment.story_id].articles


def test_reconcile_window_is_bounded_and_older_articles_never_move() -> None:
    clusterer = OnlineClusterer(dataclasses.replace(SPLITTING, reconcile_window=4))
    clusterer.add(_two_events())
    assert len(clusterer.window) == 4
    assert [f.article_id for f, _ in clusterer.window] == ["n1", "c1", "n2", "c2"]
    assert clusterer.story_of("n0") is None and clusterer.story_of("c2") is not None
    clusterer.reconcile()
    # outside the window: left where the single pass put them (stories of their own)
    assert _stories(clusterer) == [["c0"], ["c1", "c2"], ["n0"], ["n1", "n2"]]


def test_reconcile_never_splits_a_story_with_members_older_than_the_window() -> None:
    clusterer = OnlineClusterer(dataclasses.replace(GLUING, reconcile_window=4))
    clusterer.add(_two_events())
    assert clusterer.reconcile() == []  # the window holds 4 of the glued story's 6: not its whole
    assert _stories(clusterer) == [sorted(EVENTS[0] + EVENTS[1])]
    # ... but recent articles can still join such a story: its window members anchor their cluster to it
    splitting = OnlineClusterer(dataclasses.replace(SPLITTING, reconcile_window=3))
    nepal = _articles(NEPAL, "n")
    splitting.add(nepal)
    splitting.reconcile()
    (quake,) = (sid for sid, s in splitting.stories.items() if s.size == 3)
    late = Article(id="n3", location="n3", title="Nepal quake toll rises", text=NEPAL[0][1], raw=NEPAL[0][1])
    splitting.add([*_articles(CHILE[:1], "c"), late])  # the window is now n2, c0, n3: n0 and n1 are older
    assert splitting.reconcile() == ["n3"]
    assert sorted(splitting.stories[quake].articles) == ["n0", "n1", "n2", "n3"]


def test_reconcile_off_is_the_single_pass() -> None:
    off = OnlineClusterer(dataclasses.replace(GLUING, reconcile_window=0, reconcile_every=1))
    never = OnlineClusterer(GLUING)  # window kept but never due
    articles = _two_events()
    assert off.add(articles) == never.add(articles)
    assert len(off.window) == 0 and not off.reconcile_due(final=True)
    assert off.reconcile() == [] and _stories(off) == _stories(never) == [sorted(EVENTS[0] + EVENTS[1])]


def test_reconcile_leaves_templates_isolated() -> None:
    settings = dataclasses.replace(GLUING, template_copies=2)
    clusterer = OnlineClusterer(settings)
    banner = "Subscribe to our newsletter for the latest earthquake news from Nepal and Chile."
    articles = _two_events() + [
        Article(id=f"t{i}", location=f"t{i}", text=banner, raw=banner) for i in range(2)
    ]
    assignments = {a.article_id: a.story_id for a in clusterer.add(articles)}
    assert clusterer.story_of("t1") is None  # the second copy was isolated: not in the window
    clusterer.reconcile()
    assert all("t1" not in s.articles for s in clusterer.stories.values())
    assert assignments["t1"] not in clusterer.stories


def test_reconcile_settings_are_checked() -> None:
    with pytest.raises(SettingsError, match="reconcile"):
        OnlineClusterer(dataclasses.replace(GroupSettings(), weight_embedding=0.0, reconcile_window=-1))
    with pytest.raises(SettingsError, match="reconcile"):
        OnlineClusterer(dataclasses.replace(GroupSettings(), weight_embedding=0.0, reconcile_every=0))


def test_reconcile_follows_an_article_the_store_renamed() -> None:
    clusterer = OnlineClusterer(SPLITTING)
    clusterer.add(_two_events())
    clusterer.rename_article("n1", "n1~abc")
    assert clusterer.story_of("n1") is None and clusterer.story_of("n1~abc") is not None
    assert any("n1~abc" in s.articles for s in clusterer.stories.values())
    moved = clusterer.reconcile()
    assert _stories(clusterer) == [["c0", "c1", "c2"], ["n0", "n1~abc", "n2"]]
    assert "n1" not in moved and set(clusterer.take_moves()) == set(moved)
    assert [f.article_id for f, _ in clusterer.take_fresh()][:3] == ["n0", "c0", "n1~abc"]
