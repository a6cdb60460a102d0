"""Tests for the store after the stream clusterer re-clusters its window: moved rows, aliases, the window."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from storydesk.group.stories import OnlineClusterer
from storydesk.records import Article
from storydesk.store import codec
from storydesk.store.sqlite import Store
from tests.group.test_stories_reconcile import GLUING, SPLITTING, _two_events


def _store_single_pass(store: Store, clusterer: OnlineClusterer, articles: list[Article]) -> dict[str, str]:
    """Ingest by hand without a reconcile (as the stream does): article -> story it was stored under."""
    assignments = clusterer.add(articles)
    with store.transaction():
        for article, assignment in zip(articles, assignments, strict=True):
            text = article.text or article.raw
            store.add_article(
                article,
                content_hash=codec.content_hash(text),
                raw_hash=codec.content_hash(text),
                story_id=assignment.story_id,
            )
        store.save_clusterer(clusterer, clusterer.settings)
    return {a.article_id: a.story_id for a in assignments}


def _rows(store: Store) -> list[list[str]]:
    return sorted(sorted(a.id for a in store.articles_for_story(r.id)) for r in store.stories())


def test_sqlite_reconcile_moves_rows_and_old_ids_resolve(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        clusterer = store.load_clusterer(SPLITTING, OnlineClusterer(SPLITTING))
        before = _store_single_pass(store, clusterer, _two_events())
        assert store.story_count() == 6
        clusterer.reconcile()
        with store.transaction():
            store.save_clusterer(clusterer, SPLITTING)
        assert _rows(store) == [["c0", "c1", "c2"], ["n0", "n1", "n2"]]
        assert sorted(r.size for r in store.stories()) == [3, 3]
        for aid, old in before.items():  # every old id still finds its article's story
            assert aid in {a.id for a in store.articles_for_story(old)}


def test_sqlite_reconcile_split_keeps_the_glued_id_for_one_event(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        clusterer = store.load_clusterer(GLUING, OnlineClusterer(GLUING))
        (glued,) = set(_store_single_pass(store, clusterer, _two_events()).values())
        clusterer.reconcile()
        with store.transaction():
            store.save_clusterer(clusterer, GLUING)
        assert _rows(store) == [["c0", "c1", "c2"], ["n0", "n1", "n2"]]
        assert store.resolve_story(glued) == glued and len(store.articles_for_story(glued)) == 3


def test_sqlite_window_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    articles = _two_events()
    settings = dataclasses.replace(SPLITTING, reconcile_window=5)
    with Store(path) as store:
        clusterer = store.load_clusterer(settings, OnlineClusterer(settings))
        _store_single_pass(store, clusterer, articles[:4])
        _store_single_pass(store, clusterer, articles[4:])
        saved = [(f.article_id, sorted(f.terms.items()), f.time) for f, _ in clusterer.window]
    with Store(path) as store:
        restored = store.load_clusterer(settings, OnlineClusterer(settings))
        assert [(f.article_id, sorted(f.terms.items()), f.time) for f, _ in restored.window] == [
            (aid, [(k, pytest.approx(w)) for k, w in terms], t) for aid, terms, t in saved
        ]
        assert len(restored.window) == 5 and restored.story_of("n0") is None
        # the next run re-clusters its articles together with the last ones of the previous run
        restored.reconcile()
        with store.transaction():
            store.save_clusterer(restored, settings)
        homes = {a.id: r.id for r in store.stories() for a in store.articles_for_story(r.id)}
        assert homes["c0"] == homes["c1"] == homes["c2"] and homes["n1"] == homes["n2"]
