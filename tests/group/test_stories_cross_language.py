"""Tests for cross-language matching in the stream clusterer (OnlineClusterer).

The texts are hand-written: a Russian report and its English translation for two unrelated events.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from storydesk.errors import SettingsError
from storydesk.group.stories import OnlineClusterer
from storydesk.records import Article
from storydesk.settings import GroupSettings

QUAKE_RU = (
    "Землетрясение в Непале: сотни погибших",
    "Землетрясение магнитудой 7,8 произошло в Непале в субботу. В Катманду погибли сотни человек. "
    "Спасатели разбирают завалы обрушившихся домов, башня Дхарахара разрушена, а на Эвересте сошли лавины.",
)
QUAKE_EN = (
    "Earthquake in Nepal: hundreds dead",
    "A magnitude 7.8 earthquake struck Nepal on Saturday. Hundreds of people were killed in Kathmandu. "
    "Rescuers are clearing the rubble of collapsed houses, the Dharahara tower was destroyed, and "
    "avalanches came down on Everest.",
)
DERBY_RU = (
    "«Спартак» выиграл московское дерби",
    "«Спартак» обыграл ЦСКА со счетом 3:1 в московском дерби. Нападающий забил два гола во втором тайме, "
    "а тренер похвалил игру полузащиты. Команда поднялась на второе место в турнирной таблице.",
)
DERBY_EN = (
    "Spartak win the Moscow derby",
    "Spartak beat CSKA 3-1 in the Moscow derby. The striker scored two goals in the second half, and the "
    "coach praised the midfield. The team climbed to second place in the league table.",
)

SETTINGS = dataclasses.replace(GroupSettings(), mode="cluster")


def _article(aid: str, item: tuple[str, str]) -> Article:
    title, text = item
    return Article(id=aid, location=aid, title=title, text=text, raw=text)


def _groups(clusterer: OnlineClusterer) -> list[set[str]]:
    return sorted((set(s.articles) for s in clusterer.stories.values()), key=lambda g: sorted(g))


@pytest.mark.slow
def test_stories_cross_language_translation_joins_its_original_in_a_stream() -> None:
    clusterer = OnlineClusterer(SETTINGS)
    stream = [
        _article("quake.ru", QUAKE_RU),
        _article("derby.en", DERBY_EN),
        _article("quake.en", QUAKE_EN),
        _article("derby.ru", DERBY_RU),
    ]
    clusterer.add(stream)
    assert clusterer.multilingual  # two languages, each seen twice: "auto" turned the model on
    assert _groups(clusterer) == [{"derby.en", "derby.ru"}, {"quake.en", "quake.ru"}]
    assert {frozenset(s.languages) for s in clusterer.stories.values()} == {frozenset({"en", "ru"})}


@pytest.mark.slow
def test_stories_cross_language_finds_a_story_that_words_and_recency_cannot() -> None:
    # no recent-story candidates: only the multilingual centroid search can find the Russian original
    settings = dataclasses.replace(SETTINGS, stream_cross_language="always", recent_candidates=0)
    clusterer = OnlineClusterer(settings)
    (original,) = clusterer.add([_article("quake.ru", QUAKE_RU)])
    clusterer.add([_article("derby.en", DERBY_EN)])
    (translation,) = clusterer.add([_article("quake.en", QUAKE_EN)])
    assert not translation.created and translation.story_id == original.story_id
    story = clusterer.stories[original.story_id]
    assert story.meaning_count == 2 and story.meaning is not None and story.languages == {"en", "ru"}


@pytest.mark.slow
def test_stories_cross_language_keeps_unrelated_articles_in_two_languages_apart() -> None:
    clusterer = OnlineClusterer(dataclasses.replace(SETTINGS, stream_cross_language="always"))
    first, second = clusterer.add([_article("quake.ru", QUAKE_RU), _article("derby.en", DERBY_EN)])
    assert second.created and first.story_id != second.story_id


@pytest.mark.slow
def test_stories_cross_language_does_not_glue_unrelated_russian_articles() -> None:
    # wordllama reads English only: on Russian text its cosine is ~0.93 for any pair, which used to put
    # every Russian article of a stream into one story
    clusterer = OnlineClusterer(SETTINGS)
    first, second = clusterer.add([_article("quake.ru", QUAKE_RU), _article("derby.ru", DERBY_RU)])
    assert second.created and first.story_id != second.story_id
    assert second.score < 0.1  # English-model cosine on these two texts alone would give ~0.26


@pytest.mark.slow
def test_stories_cross_language_stays_off_for_a_one_language_stream() -> None:
    clusterer = OnlineClusterer(SETTINGS)
    clusterer.add([_article("quake.en", QUAKE_EN), _article("derby.en", DERBY_EN)])
    assert not clusterer.multilingual and clusterer.language_counts == {"en": 2}
    assert all(s.meaning is None and s.languages == {"en"} for s in clusterer.stories.values())
    # one article in a second language is not enough to load the multilingual model ...
    clusterer.add([_article("quake.ru", QUAKE_RU)])
    assert not clusterer.multilingual
    # ... the second one is, and from then on articles carry a multilingual embedding
    clusterer.add([_article("derby.ru", DERBY_RU)])
    assert clusterer.multilingual
    assert sum(s.meaning_count for s in clusterer.stories.values()) == 1


def test_stories_cross_language_off_scores_like_before() -> None:
    # "off": no language is detected and no story carries one; scoring is the monolingual one
    settings = dataclasses.replace(SETTINGS, stream_cross_language="off", weight_embedding=0.0)
    clusterer = OnlineClusterer(settings)
    assigned = clusterer.add([_article("quake.ru", QUAKE_RU), _article("quake.en", QUAKE_EN)])
    assert all(a.created for a in assigned)
    assert clusterer.language_counts == {} and all(not s.languages for s in clusterer.stories.values())


def test_stories_cross_language_merge_folds_meaning_and_languages() -> None:
    settings = dataclasses.replace(SETTINGS, weight_embedding=0.0, stream_cross_language="off")
    clusterer = OnlineClusterer(settings)
    a, b = clusterer._new_story(), clusterer._new_story()
    a.articles, b.articles = ["x"], ["y"]
    a.meaning, a.meaning_count, a.languages = np.ones(4, dtype=np.float32), 1, {"ru"}
    b.meaning, b.meaning_count, b.languages = np.full(4, 2.0, dtype=np.float32), 2, {"en"}
    clusterer.merge(a, b)
    assert a.meaning is not None and a.meaning.tolist() == [3.0] * 4
    assert a.meaning_count == 3 and a.languages == {"en", "ru"} and b.id not in clusterer.stories


@pytest.mark.parametrize(
    "change",
    [
        {"stream_cross_language": "sometimes"},
        {"cross_language_candidates": -1},
        {"cross_language_min_articles": 0},
        {"cross_language_min_share": 1.5},
    ],
)
def test_stories_cross_language_rejects_bad_settings(change: dict[str, object]) -> None:
    with pytest.raises(SettingsError, match="cross_language"):
        OnlineClusterer(dataclasses.replace(SETTINGS, weight_embedding=0.0, **change))  # type: ignore[arg-type]


def test_stories_cross_language_a_few_misdetected_pages_do_not_switch_it_on() -> None:
    # two pages read as another language in a long stream are noise, not a multilingual stream
    settings = dataclasses.replace(SETTINGS, weight_embedding=0.0, cross_language_min_share=0.01)
    clusterer = OnlineClusterer(settings)
    clusterer.language_counts.update({"en": 1000, "de": 2})
    assert not clusterer.multilingual
    clusterer.language_counts["de"] = 12  # 12 of 1012: over 1% of the stream
    assert clusterer.multilingual
