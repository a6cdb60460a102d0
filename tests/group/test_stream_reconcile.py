"""Tests for ingest with the recent-window reconcile: the store shows the reconciled stories at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.group.stream import ingest, list_stories
from storydesk.settings import Settings, load_settings
from storydesk.store.sqlite import Store
from tests.group.test_stream import _write_stream


def _gluing_settings(db: Path, **group: object) -> Settings:
    # a single pass that glues everything (every article clears the join and merge thresholds)
    overrides = {"mode": "cluster", "similarity_threshold": 0.01, "merge_threshold": 0.01, **group}
    return load_settings(overrides={"group": overrides, "store": {"path": str(db), "batch_size": 3}})


def _events(store: Store) -> list[set[int]]:
    return sorted(
        ({int(a.id[4:]) % 2 for a in store.articles_for_story(r.id)} for r in list_stories(store)), key=sorted
    )


@pytest.mark.slow
def test_stream_reconcile_splits_what_the_single_pass_glued(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write_stream(folder, 8)
    with Store(tmp_path / "off.db") as store:
        ingest([str(folder)], _gluing_settings(tmp_path / "off.db", reconcile_window=0), store)
        assert [r.size for r in list_stories(store)] == [8]  # the single pass alone glues both events
    settings = _gluing_settings(tmp_path / "s.db")
    with Store(settings.store.path) as store:
        report = ingest([str(folder)], settings, store)
        assert report.new == 8
        assert sorted(r.size for r in list_stories(store)) == [4, 4]
        assert _events(store) == [{0}, {1}]  # earthquake items and football items apart
        # the report gives each article's story after the reconcile, as the store has it
        for entry in report.entries:
            assert entry.id in {a.id for a in store.articles_for_story(entry.story_id)}
        assert sorted(report.stories_touched) == sorted(r.id for r in list_stories(store))
        # a second run (two more earthquake items) files its articles with the first run's stories
        more = tmp_path / "more"
        more.mkdir()
        for path in _write_stream(tmp_path / "gen", 12)[8::2]:
            (more / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        second = ingest([str(more)], settings, store)
        assert second.new == 2
        assert sorted(r.size for r in list_stories(store)) == [4, 6]
        assert _events(store) == [{0}, {1}]
