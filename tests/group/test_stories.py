"""Tests for story grouping: batch modes, the online clusterer, merges, time windows, bounded state."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from storydesk.errors import SettingsError
from storydesk.group.stories import OnlineClusterer, group_articles
from storydesk.records import Article
from storydesk.settings import GroupSettings, load_settings

NEPAL = [
    ("Nepal earthquake kills hundreds",
     "A magnitude 7.8 earthquake struck Nepal on Saturday, killing hundreds of people in Kathmandu. "
     "Rescue teams searched collapsed buildings in Kathmandu as the Nepal death toll rose. The quake "
     "destroyed the Dharahara tower and triggered avalanches on Everest."),
    ("Kathmandu digs out after quake",
     "Survivors in Kathmandu dug through rubble after the Nepal earthquake. Officials in Nepal said the "
     "magnitude 7.8 quake killed hundreds and flattened the Dharahara tower. Climbers on Everest were hit "
     "by avalanches."),
    ("Everest avalanche after Nepal quake",
     "The Nepal earthquake set off avalanches on Everest that killed climbers at base camp. In Kathmandu "
     "the death toll from the magnitude 7.8 quake climbed as rescue teams reached collapsed homes near "
     "the Dharahara tower."),
]
CHILE = [
    ("Chile earthquake triggers tsunami warning",
     "A magnitude 8.3 earthquake struck off Chile near Illapel, triggering a tsunami warning along the "
     "Pacific coast. Residents of Valparaiso and Coquimbo fled to higher ground as Chile evacuated a "
     "million people."),
    ("Tsunami hits Coquimbo after Chile quake",
     "Waves flooded the port of Coquimbo after the magnitude 8.3 Chile earthquake near Illapel. Chile's "
     "president Michelle Bachelet visited Coquimbo as a million people evacuated the coast."),
    ("Bachelet visits quake zone",
     "Michelle Bachelet toured Illapel and Coquimbo after the Chile earthquake. The magnitude 8.3 quake "
     "and tsunami forced Chile to evacuate a million residents from the Pacific coast."),
]

LEXICAL = dataclasses.replace(
    GroupSettings(), mode="cluster", weight_embedding=0.0, weight_terms=1.0, weight_entities=0.3,
    similarity_threshold=0.2, merge_threshold=0.5,
)


def _articles(items: list[tuple[str, str]], prefix: str, day: dt.datetime | None = None) -> list[Article]:
    out = []
    for i, (title, text) in enumerate(items):
        published = day + dt.timedelta(hours=i) if day else None
        out.append(Article(id=f"{prefix}{i}", location=f"{prefix}{i}.txt", title=title, text=text,
                           raw=text, published=published))
    return out


def _interleave(a: list[Article], b: list[Article]) -> list[Article]:
    return [x for pair in zip(a, b, strict=True) for x in pair]


def test_stories_single_mode_is_one_story() -> None:
    articles = _articles(NEPAL, "n") + _articles(CHILE, "c")
    stories = group_articles(articles, dataclasses.replace(GroupSettings(), mode="single"))
    assert len(stories) == 1
    assert stories[0].id == "S1" and stories[0].articles == [a.id for a in articles]


def test_stories_empty_input_is_no_story() -> None:
    assert group_articles([], LEXICAL) == []


def test_stories_unknown_mode_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="mode"):
        group_articles(_articles(NEPAL, "n"), dataclasses.replace(GroupSettings(), mode="topics"))


def test_stories_online_keeps_two_earthquakes_apart() -> None:
    day = dt.datetime(2015, 9, 16, 12, tzinfo=dt.UTC)
    articles = _interleave(_articles(NEPAL, "n", day), _articles(CHILE, "c", day))
    clusterer = OnlineClusterer(LEXICAL)
    assignments = clusterer.add(articles)
    story_of = {a.article_id: a.story_id for a in assignments}
    assert len({story_of[f"n{i}"] for i in range(3)}) == 1
    assert len({story_of[f"c{i}"] for i in range(3)}) == 1
    assert story_of["n0"] != story_of["c0"]
    assert [a.created for a in assignments[:2]] == [True, True]
    assert len(clusterer.stories) == 2


def test_stories_batch_ids_follow_input_order() -> None:
    articles = _interleave(_articles(NEPAL, "n"), _articles(CHILE, "c"))
    stories = group_articles(articles, LEXICAL)
    assert [s.id for s in stories] == ["S1", "S2"]
    assert stories[0].articles == ["n0", "n1", "n2"]
    assert stories[1].articles == ["c0", "c1", "c2"]
    again = group_articles(list(articles), LEXICAL)
    assert [(s.id, s.articles) for s in again] == [(s.id, s.articles) for s in stories]


def test_stories_time_window_splits_the_same_words_months_apart() -> None:
    early = _articles(NEPAL[:2], "a", dt.datetime(2015, 4, 25, tzinfo=dt.UTC))
    late = _articles(NEPAL[2:], "b", dt.datetime(2015, 9, 1, tzinfo=dt.UTC))
    clusterer = OnlineClusterer(LEXICAL)
    assignments = clusterer.add(early + late)
    assert assignments[1].story_id == assignments[0].story_id
    assert assignments[2].created and assignments[2].story_id != assignments[0].story_id


def test_stories_merge_when_a_bridging_article_arrives() -> None:
    # two halves of one event that share little until a fuller report mentions both
    part_a = Article(id="a", location="a", title="Tower falls in Kathmandu",
                     text="The Dharahara tower in Kathmandu collapsed, killing dozens of visitors at the tower.")
    part_b = Article(id="b", location="b", title="Avalanche on Everest",
                     text="An avalanche swept Everest base camp, killing climbers and burying tents at base camp.")
    bridge = Article(id="c", location="c", title="Nepal quake: tower falls, Everest avalanche",
                     text="The Nepal quake brought down the Dharahara tower in Kathmandu, killing dozens, and "
                          "an avalanche swept Everest base camp, killing climbers.")
    settings = dataclasses.replace(LEXICAL, similarity_threshold=0.15, merge_threshold=0.1)
    clusterer = OnlineClusterer(settings)
    first = clusterer.add([part_a, part_b])
    assert first[0].story_id != first[1].story_id
    (joined,) = clusterer.add([bridge])
    assert joined.merged, "the bridge should merge the two stories"
    assert len(clusterer.stories) == 1
    (story,) = clusterer.stories.values()
    assert sorted(story.articles) == ["a", "b", "c"]
    gone = joined.merged[0]
    assert clusterer.resolve(gone) == story.id


def test_stories_state_is_bounded() -> None:
    settings = dataclasses.replace(LEXICAL, story_terms=8, max_active_stories=3, similarity_threshold=0.99)
    clusterer = OnlineClusterer(settings)
    texts = [f"topic{i} alpha{i} beta{i} gamma{i} delta{i} epsilon{i} zeta{i} eta{i} theta{i} iota{i} kappa{i}"
             for i in range(10)]
    clusterer.add([Article(id=str(i), location=str(i), text=t) for i, t in enumerate(texts)])
    assert len(clusterer.stories) == 3  # the least recently updated were retired
    assert len(clusterer.retired) == 7
    for story in clusterer.stories.values():
        assert len(story.terms) <= 2 * settings.story_terms


def test_stories_old_stories_retire_in_stream_time() -> None:
    settings = dataclasses.replace(LEXICAL, retire_after_days=10.0, reconcile_window=0)
    clusterer = OnlineClusterer(settings)
    clusterer.add(_articles(NEPAL[:1], "old", dt.datetime(2015, 4, 25, tzinfo=dt.UTC)))
    clusterer.add(_articles(CHILE[:1], "new", dt.datetime(2015, 9, 16, tzinfo=dt.UTC)))
    assert [s.articles for s in clusterer.stories.values()] == [["new0"]]
    assert clusterer.retired == {"S1": NEPAL[0][0]}  # the headline stays for the store's story row


def test_stories_old_story_stays_while_its_articles_are_in_the_window() -> None:
    # one ingest of coverage from months apart: the dated articles come first, the undated ones last
    settings = dataclasses.replace(LEXICAL, retire_after_days=10.0, reconcile_window=4, reconcile_every=1000)
    clusterer = OnlineClusterer(settings)
    old = clusterer.add(_articles(NEPAL[:1], "old", dt.datetime(2015, 4, 25, tzinfo=dt.UTC)))
    clusterer.add(_articles(CHILE[:1], "new", dt.datetime(2015, 9, 16, tzinfo=dt.UTC)))
    undated = clusterer.add(_articles(NEPAL[1:2], "undated"))
    assert undated[0].story_id == old[0].story_id  # the old story was still there to join
    assert not clusterer.retired
    # once the window has moved past its articles, the old story retires like any other
    clusterer.add(_articles(CHILE[1:], "later", dt.datetime(2015, 9, 17, tzinfo=dt.UTC)))
    clusterer.add(_articles(CHILE[:2], "again", dt.datetime(2015, 9, 18, tzinfo=dt.UTC)))
    assert old[0].story_id in clusterer.retired and old[0].story_id not in clusterer.stories
    # without the window (no re-clustering), the undated article finds no old story to join
    plain = OnlineClusterer(dataclasses.replace(settings, reconcile_window=0))
    old = plain.add(_articles(NEPAL[:1], "old", dt.datetime(2015, 4, 25, tzinfo=dt.UTC)))
    plain.add(_articles(CHILE[:1], "new", dt.datetime(2015, 9, 16, tzinfo=dt.UTC)))
    assert plain.add(_articles(NEPAL[1:2], "undated"))[0].story_id != old[0].story_id


@pytest.mark.slow
def test_stories_embeddings_join_paraphrases_and_split_events() -> None:
    settings = dataclasses.replace(load_settings().group, mode="cluster")
    articles = _interleave(_articles(NEPAL, "n"), _articles(CHILE, "c"))
    stories = group_articles(articles, settings)
    assert sorted(sorted(s.articles) for s in stories) == [["c0", "c1", "c2"], ["n0", "n1", "n2"]]


@pytest.mark.slow
def test_stories_seeds_form_one_story(seeds_dir: Path) -> None:
    from storydesk.pipeline import prepare_articles

    settings = load_settings()
    assert settings.group.mode == "cluster"  # clustering is the default
    articles = prepare_articles([str(seeds_dir)], settings, [], {})
    assert len(articles) == 5
    stories = group_articles(articles, settings.group)
    assert len(stories) == 1 and sorted(stories[0].articles) == sorted(a.id for a in articles)


def test_stories_online_templates_get_stories_of_their_own() -> None:
    banner = ("You can add location information to your posts, such as your city or precise location, from "
              "the web and via third-party applications. Learn more")
    articles = _articles(NEPAL, "n")
    articles[1:1] = [Article(id=f"b{i}", location=f"b{i}", text=banner, raw=banner) for i in range(4)]
    clusterer = OnlineClusterer(LEXICAL)
    story_of = {a.article_id: a.story_id for a in clusterer.add(articles)}
    # the first two copies cannot yet be told from a short story told twice; later copies are templates
    assert story_of["b0"] == story_of["b1"]
    assert len({story_of["b1"], story_of["b2"], story_of["b3"]}) == 3
    assert story_of["b2"] not in clusterer.stories and story_of["b2"] in clusterer.retired
    assert story_of["n0"] == story_of["n1"] == story_of["n2"]
    again = OnlineClusterer(dataclasses.replace(LEXICAL, template_copies=100))
    story_of = {a.article_id: a.story_id for a in again.add(articles)}
    assert len({story_of[f"b{i}"] for i in range(4)}) == 1
    # a short text lightly edited by each outlet is one story told four times, not a template
    edited = [Article(id=f"e{i}", location=f"e{i}", text=banner.replace("city", word), raw=banner)
              for i, word in enumerate(("town", "village", "street", "region"))]
    story_of = {a.article_id: a.story_id for a in OnlineClusterer(LEXICAL).add(edited)}
    assert len(set(story_of.values())) == 1
