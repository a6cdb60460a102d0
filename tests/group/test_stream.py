"""Tests for stories from a stream: idempotent ingest, crash safety, listing, briefs, the watch loop."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from storydesk.errors import InputError
from storydesk.group.stream import IngestReport, brief_for_story, ingest, list_stories, watch
from storydesk.settings import Settings, load_settings
from storydesk.store.sqlite import Store

ROOT = Path(__file__).resolve().parents[2]
PLACES = ["Kathmandu", "Pokhara", "Lalitpur", "Bhaktapur", "Gorkha", "Chitwan", "Dhading", "Sindhupalchok"]
TEAMS = ["Arsenal", "Chelsea", "Liverpool", "Everton", "Fulham", "Brentford", "Burnley", "Wolves"]


def _cluster_settings(db: Path, **store: object) -> Settings:
    return load_settings(overrides={"group": {"mode": "cluster"}, "store": {"path": str(db), **store}})


def _write_stream(folder: Path, n: int) -> list[Path]:
    """``n`` distinct plain-text articles about two unrelated events."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        if i % 2 == 0:
            place = PLACES[i % len(PLACES)]
            text = (f"Earthquake damage reported in {place}, report {i}\n\n"
                    f"Rescue workers in {place} searched collapsed houses on day {i} after the Nepal earthquake, "
                    f"officials said. The earthquake destroyed {i + 3} schools around {place} and cut roads.\n\n"
                    f"Aid agencies sent tents and water to {place}, where {10 * i + 7} families slept outdoors.")
        else:
            team = TEAMS[i % len(TEAMS)]
            text = (f"{team} win derby, match report {i}\n\n"
                    f"{team} scored {i % 4 + 1} goals in the second half to win the league match at home, "
                    f"their manager praised the midfield.\n\n"
                    f"The striker, signed in round {i}, scored twice as {team} climbed the Premier League table.")
        path = folder / f"item{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.slow
def test_stream_coverage_years_apart_in_one_ingest_keeps_each_story_whole(tmp_path: Path, seeds_dir: Path) -> None:
    # the bundled example (2026, dated) and the seeds (2017, some undated) in one run: the undated seeds
    # are sorted after every dated article, when stream time is already years past the seeds' story
    settings = _cluster_settings(tmp_path / "s.db")
    example = ROOT / "examples" / "harbour-closure"
    with Store(settings.store.path) as store:
        report = ingest([str(example), str(seeds_dir)], settings, store)
        assert report.new == 11
        rows = list_stories(store)
        assert sorted(r.size for r in rows) == [5, 6]
        assert all(r.headline for r in rows)  # a story retired within the batch keeps its headline
        story_of = {e.location: e.story_id for e in report.entries}
        seeds = {story_of[str(p)] for p in seeds_dir.iterdir()}
        assert len(seeds) == 1


@pytest.mark.slow
def test_stream_reingest_is_idempotent(tmp_path: Path, seeds_dir: Path) -> None:
    settings = _cluster_settings(tmp_path / "s.db")
    with Store(settings.store.path) as store:
        first = ingest([str(seeds_dir)], settings, store)
        assert first.new == 5 and first.duplicates == 0
        stories_before = [(r.id, r.size) for r in list_stories(store)]
        # the same files again, and one of them copied under another name in another folder
        copy = tmp_path / "elsewhere"
        copy.mkdir()
        seed = sorted(seeds_dir.iterdir())[1]
        shutil.copy(seed, copy / "renamed.txt")
        second = ingest([str(seeds_dir), str(copy)], settings, store)
        assert second.new == 0 and second.duplicates == 6
        renamed = next(e for e in second.entries if e.location.endswith("renamed.txt"))
        assert renamed.status == "duplicate" and renamed.duplicate_of == seed.stem
        assert store.article_count() == 5
        assert [(r.id, r.size) for r in list_stories(store)] == stories_before


@pytest.mark.slow
def test_stream_seeds_ingest_as_one_story_and_brief(tmp_path: Path, seeds_dir: Path) -> None:
    settings = _cluster_settings(tmp_path / "s.db")
    with Store(settings.store.path) as store:
        report = ingest([str(seeds_dir)], settings, store)
        assert len(report.stories_touched) == 1
        (row,) = list_stories(store)
        assert row.size == 5 and row.first_date is not None and row.last_date is not None
        assert row.first_date <= row.last_date
        brief = brief_for_story(store, row.id, settings)
        assert [s.id for s in brief.stories] == [row.id]
        assert sorted(brief.stories[0].articles) == sorted(a.id for a in brief.articles)
        assert brief.stories[0].headline
        stored = store.load_brief(row.id)
        assert stored is not None and stored["stories"][0]["id"] == row.id
        with pytest.raises(KeyError, match="no story"):
            brief_for_story(store, "S999", settings)


@pytest.mark.slow
def test_stream_separates_two_events_and_reports_skips(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _write_stream(folder, 8)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    settings = _cluster_settings(tmp_path / "s.db")
    with Store(settings.store.path) as store:
        report = ingest([str(folder)], settings, store)
        assert report.new == 8 and report.count("skipped") == 1
        sizes = sorted(r.size for r in list_stories(store))
        assert sizes == [4, 4]
        for row in list_stories(store):
            ids = {int(a.id[4:]) % 2 for a in store.articles_for_story(row.id)}
            assert len(ids) == 1  # earthquake items and football items never share a story


_INGEST_CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {src!r})
    from storydesk.group.stream import ingest
    from storydesk.settings import load_settings
    from storydesk.store.sqlite import Store
    settings = load_settings(overrides={{"group": {{"mode": "cluster"}}, "store": {{"path": {db!r}, "batch_size": 3}}}})
    def committed(report):
        print("committed", report.new, flush=True)
        time.sleep(0.5)  # leave the parent time to kill us between and during batches
    ingest([{folder!r}], settings, Store(settings.store.path), on_batch=committed)
    print("done", flush=True)
    """
)


@pytest.mark.slow
def test_stream_sigkill_mid_ingest_leaves_a_consistent_store(tmp_path: Path) -> None:
    folder, db = tmp_path / "in", tmp_path / "crash.db"
    paths = _write_stream(folder, 24)
    script = _INGEST_CHILD.format(src=str(ROOT / "src"), db=str(db), folder=str(folder))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline().split()
        assert line[:1] == ["committed"], line
        time.sleep(0.6)  # into the next batch's work
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    settings = _cluster_settings(db, batch_size=3)
    with Store(db) as store:
        assert store.integrity_ok()
        stored = store.article_count()
        assert 3 <= stored < len(paths) and stored % 3 == 0  # whole batches only
        rows = list_stories(store)
        assert sum(r.size for r in rows) == stored  # every stored article is in exactly one live story
        for row in rows:
            for article in store.articles_for_story(row.id):
                assert article.sentences, "annotations were committed with their article"
        # the store carries on: a re-run stores the rest and reports the committed ones as duplicates
        report = ingest([str(folder)], settings, store)
        assert report.duplicates == stored and report.new == len(paths) - stored
        assert store.article_count() == len(paths)


@pytest.mark.slow
def test_stream_watch_picks_up_a_new_file(tmp_path: Path) -> None:
    folder = tmp_path / "watched"
    _write_stream(folder, 1)
    settings = _cluster_settings(tmp_path / "s.db")
    store = Store(settings.store.path)
    updates: list[IngestReport] = []
    arrived = threading.Event()

    def on_update(report: IngestReport) -> None:
        updates.append(report)
        arrived.set()

    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(str(folder), settings, store, 0.1, stop, on_update), daemon=True)
    thread.start()
    try:
        assert arrived.wait(60), "the file present at start was not ingested"
        arrived.clear()
        late = folder / "late.txt"
        late.write_text("Late news from Pokhara\n\nRescue workers in Pokhara reached villages cut off by the "
                        "Nepal earthquake, officials said on Tuesday.", encoding="utf-8")
        assert arrived.wait(60), "the new file was not picked up"
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive(), "watch did not stop when asked"
    assert [e.id for e in updates[-1].entries if e.status == "new"] == ["late"]
    assert store.get_article("late") is not None and store.article_count() == 2
    store.close()


def test_stream_watch_returns_when_stop_is_set(tmp_path: Path) -> None:
    settings = _cluster_settings(tmp_path / "s.db")
    stop = threading.Event()
    with Store(settings.store.path) as store:
        # a 1-hour poll: only the stop event can end the wait
        thread = threading.Thread(target=watch, args=(str(tmp_path), settings, store, 3600.0, stop,
                                                       lambda report: None), daemon=True)
        thread.start()
        stop.set()
        thread.join(timeout=60)
        assert not thread.is_alive()
        assert store.article_count() == 0


def test_stream_watch_refuses_a_missing_target(tmp_path: Path) -> None:
    settings = _cluster_settings(tmp_path / "s.db")
    with Store(settings.store.path) as store, pytest.raises(InputError, match="no such folder"):
        watch(str(tmp_path / "missing"), settings, store, 1.0, threading.Event(), lambda report: None)
