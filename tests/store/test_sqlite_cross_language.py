"""Tests for the stream clusterer's cross-language state in the SQLite store (schema 5)."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from storydesk.group.stories import OnlineClusterer
from storydesk.records import Article
from storydesk.settings import GroupSettings
from storydesk.store import codec
from storydesk.store.sqlite import SCHEMA_VERSION, Store, migrate

SETTINGS = dataclasses.replace(GroupSettings(), mode="cluster", hash_buckets=4096)
QUAKE_RU = Article(
    id="quake.ru",
    location="quake.ru",
    title="Землетрясение в Непале: сотни погибших",
    text="Землетрясение магнитудой 7,8 произошло в Непале в субботу. В Катманду погибли сотни человек. "
    "Спасатели разбирают завалы обрушившихся домов, башня Дхарахара разрушена, а на Эвересте сошли лавины.",
)
QUAKE_EN = Article(
    id="quake.en",
    location="quake.en",
    title="Earthquake in Nepal: hundreds dead",
    text="A magnitude 7.8 earthquake struck Nepal on Saturday. Hundreds of people were killed in Kathmandu. "
    "Rescuers are clearing the rubble of collapsed houses, the Dharahara tower was destroyed, and "
    "avalanches came down on Everest.",
)
DERBY_EN = Article(
    id="derby.en",
    location="derby.en",
    title="Spartak win the Moscow derby",
    text="Spartak beat CSKA 3-1 in the Moscow derby. The striker scored two goals in the second half, and the "
    "coach praised the midfield. The team climbed to second place in the league table.",
)


def _save(store: Store, clusterer: OnlineClusterer, articles: list[Article]) -> list[str]:
    assignments = clusterer.add(articles)
    with store.transaction():
        for article, assignment in zip(articles, assignments, strict=True):
            store.add_article(
                article,
                content_hash=codec.content_hash(article.text),
                raw_hash=codec.content_hash(article.text),
                story_id=assignment.story_id,
            )
        store.save_clusterer(clusterer, SETTINGS)
    return [a.story_id for a in assignments]


@pytest.mark.slow
def test_sqlite_cross_language_state_survives_a_restart(tmp_path: Path) -> None:
    settings = dataclasses.replace(SETTINGS, stream_cross_language="always", recent_candidates=0)
    path = tmp_path / "s.db"
    with Store(path) as store:
        clusterer = store.load_clusterer(settings, OnlineClusterer(settings))
        (quake, derby) = _save(store, clusterer, [QUAKE_RU, DERBY_EN])
        saved = {s.id: (s.meaning, s.meaning_count, s.languages) for s in clusterer.stories.values()}
        counts = dict(clusterer.language_counts)
    assert quake != derby
    with Store(path) as store:
        restored = store.load_clusterer(settings, OnlineClusterer(settings))
        assert restored.language_counts == counts == {"ru": 1, "en": 1}
        for sid, (meaning, count, languages) in saved.items():
            story = restored.stories[sid]
            assert meaning is not None and story.meaning is not None
            assert np.array_equal(story.meaning, meaning)
            assert (story.meaning_count, story.languages) == (count, languages)
        # the restored multilingual centroid is searchable: the translation finds its original
        (joined,) = _save(store, restored, [QUAKE_EN])
        assert joined == quake


def test_sqlite_cross_language_counts_switch_auto_mode_on_after_a_restart(tmp_path: Path) -> None:
    settings = dataclasses.replace(SETTINGS, weight_embedding=0.0)
    path = tmp_path / "s.db"
    with Store(path) as store:
        clusterer = store.load_clusterer(settings, OnlineClusterer(settings))
        clusterer.language_counts.update({"en": 5, "ru": 2})
        store.save_clusterer(clusterer, settings)
    with Store(path) as store:
        restored = store.load_clusterer(settings, OnlineClusterer(settings))
        assert restored.language_counts == {"en": 5, "ru": 2} and restored.multilingual


def test_sqlite_cross_language_migrates_version_4_sketches(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=4) == 4
    conn.execute(
        "INSERT INTO stories (id, headline, size, created_at, updated_at) VALUES ('S1', 'Old', 1, 'x', 'x')"
    )
    conn.execute(
        "INSERT INTO story_sketches (story_id, embedding, terms, entities, title) VALUES (?, ?, ?, ?, ?)",
        (
            "S1",
            codec.vector_to_bytes(np.ones(3, dtype=np.float32)),
            codec.sparse_to_bytes({7: 1.0}),
            codec.sparse_to_bytes({}),
            "Old",
        ),
    )
    conn.close()
    settings = dataclasses.replace(SETTINGS, weight_embedding=0.0)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION == 6
        (story,) = store.load_clusterer(settings, OnlineClusterer(settings)).stories.values()
        assert story.id == "S1" and story.terms == {7: 1.0}
        assert story.meaning is None and story.meaning_count == 0 and story.languages == set()


def test_codec_languages_round_trip() -> None:
    assert codec.languages_from_text(codec.languages_to_text({"ru", "en"})) == {"en", "ru"}
    assert codec.languages_to_text({"ru", "en"}) == "en,ru"
    assert codec.languages_from_text("") == set() and codec.languages_from_text(None) == set()
