"""Tests for the SQLite store: round trips, idempotence keys, migrations, crash safety, clusterer state."""

from __future__ import annotations

import dataclasses
import datetime as dt
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from storydesk.errors import SettingsError
from storydesk.group.stories import OnlineClusterer
from storydesk.records import Article, DateMention, Mention, Paragraph, ProvenanceLink, Sentence, Story
from storydesk.settings import GroupSettings
from storydesk.store import codec
from storydesk.store.sqlite import SCHEMA_VERSION, Store, StoreError, migrate

ROOT = Path(__file__).resolve().parents[2]
LEXICAL = dataclasses.replace(GroupSettings(), mode="cluster", weight_embedding=0.0, similarity_threshold=0.2,
                              hash_buckets=4096)


def _article(aid: str, text: str, *, published: dt.datetime | None = None, title: str = "") -> Article:
    return Article(
        id=aid, location=f"/in/{aid}.txt", raw=text, text=text, title=title, outlet="Wire", url=f"https://x/{aid}",
        published=published, language="en",
        paragraphs=[Paragraph(index=0, text=text, start=0)],
        sentences=[Sentence(index=0, text=text, start=0, end=len(text), paragraph=0)],
        mentions=[Mention(text="Nepal", label="GPE", start=0, end=5, sentence=0)],
        dates=[DateMention(text="Saturday", value=dt.date(2015, 4, 25), precision="day", start=6, end=14,
                           sentence=0, relative=True)],
    )


def _add(store: Store, article: Article, story_id: str | None = None) -> str:
    return store.add_article(article, content_hash=codec.content_hash(article.text),
                             raw_hash=codec.content_hash(article.raw), story_id=story_id)


def test_sqlite_article_round_trip(tmp_path: Path) -> None:
    article = _article("a1", "Nepal quake on Saturday kills hundreds in Kathmandu.",
                       published=dt.datetime(2015, 4, 25, 8, 30, tzinfo=dt.UTC), title="Quake")
    article.title_derived = True
    with Store(tmp_path / "s.db") as store:
        assert _add(store, article) == "a1"
    with Store(tmp_path / "s.db") as store:
        assert store.get_article("a1") == article
        assert store.schema_version == SCHEMA_VERSION and store.integrity_ok()


def test_sqlite_finds_duplicates_by_hash_and_keeps_clashing_ids_apart(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        _add(store, _article("a", "First text about the quake."))
        assert store.find_duplicate(content_hash=codec.content_hash("first TEXT about the quake.")) == "a"
        assert store.find_duplicate(raw_hash=codec.content_hash("unseen")) is None
        # another file with the same stem but another text is stored under a distinct id
        other = _add(store, _article("a", "Second, different text."))
        assert other != "a" and other.startswith("a~")
        with pytest.raises(sqlite3.IntegrityError):  # the same text twice is one record
            _add(store, _article("b", "First text about the quake."))
        assert store.article_count() == 2


def test_sqlite_migrates_a_version_1_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == 1
    conn.execute(
        "INSERT INTO articles (id, content_hash, location, title, text, story_id, published, ingested_at) "
        "VALUES ('old', 'h1', '/in/old.txt', 'Old title', 'Old text of an old article.', 'S1', "
        "'2015-04-25T00:00:00', '2015-04-26')"
    )
    conn.execute("INSERT INTO stories (id, headline, size, first_published, last_published, created_at, "
                 "updated_at) VALUES ('S1', 'Old story', 1, '2015-04-25', '2015-04-25', 'x', 'x')")
    conn.close()
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        old = store.get_article("old")
        assert old is not None and old.text == "Old text of an old article." and old.sentences == []
        rows = store.stories()
        assert [(r.id, r.size, r.headline) for r in rows] == [("S1", 1, "Old story")]
        assert rows[0].first_date == dt.date(2015, 4, 25)
        # the new tables work on the upgraded file
        _add(store, _article("new", "A new article after the upgrade."), story_id="S1")
        assert [a.id for a in store.articles_for_story("S1")] == ["old", "new"]


def test_sqlite_refuses_a_newer_schema(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_sqlite_rejects_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a usable"):
        Store(path)


def test_sqlite_failed_transaction_rolls_back(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(RuntimeError), store.transaction():
            _add(store, _article("a", "Text a."))
            raise RuntimeError("boom")
        assert store.article_count() == 0 and store.get_article("a") is None


_CRASH_CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {src!r})
    sys.path.insert(0, {tests!r})
    from test_sqlite import _add, _article
    from storydesk.store.sqlite import Store
    store = Store({db!r})
    with store.transaction():
        _add(store, _article("committed", "This one was committed before the crash."))
    with store.transaction():
        _add(store, _article("inflight", "This one is in flight when the process dies."))
        print("inside", flush=True)
        time.sleep(60)
    """
)


def test_sqlite_sigkill_mid_transaction_keeps_what_was_committed(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    script = _CRASH_CHILD.format(src=str(ROOT / "src"), tests=str(Path(__file__).parent), db=str(db))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "inside"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    with Store(db) as store:
        assert store.integrity_ok()
        assert store.article_ids() == ["committed"]
        assert store.get_article("committed") is not None
        assert store.get_article("inflight") is None
        _add(store, _article("after", "The store takes new writes after the crash."))
        assert store.article_count() == 2


def _stream_articles() -> list[Article]:
    day = dt.datetime(2015, 4, 25, tzinfo=dt.UTC)
    texts = [
        "Nepal earthquake kills hundreds in Kathmandu; Dharahara tower collapses.",
        "Kathmandu rescue teams dig through rubble after the Nepal earthquake; Dharahara tower gone.",
        "Chile earthquake near Illapel triggers tsunami warning for Coquimbo and Valparaiso.",
    ]
    return [Article(id=f"a{i}", location=f"a{i}", text=t, raw=t, title=t.split(";")[0],
                    published=day + dt.timedelta(hours=i)) for i, t in enumerate(texts)]


def test_sqlite_clusterer_state_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    articles = _stream_articles()
    with Store(path) as store:
        clusterer = store.load_clusterer(LEXICAL, OnlineClusterer(LEXICAL))
        assignments = clusterer.add(articles[:2])
        with store.transaction():
            for article, assignment in zip(articles[:2], assignments, strict=True):
                _add(store, article, assignment.story_id)
            store.save_clusterer(clusterer, LEXICAL)
        saved = {s.id: (sorted(s.terms), s.size) for s in clusterer.stories.values()}
        docs = clusterer.featurizer.terms_df.docs
    assert assignments[0].story_id == assignments[1].story_id
    with Store(path) as store:
        restored = store.load_clusterer(LEXICAL, OnlineClusterer(LEXICAL))
        assert {s.id: (sorted(s.terms), s.size) for s in restored.stories.values()} == saved
        assert restored.featurizer.terms_df.docs == docs
        (chile,) = restored.add(articles[2:])
        assert chile.created and chile.story_id not in saved  # new ids continue the numbering
        (again,) = restored.add([Article(id="a3", location="a3", text="Nepal earthquake: Kathmandu "
                                         "mourns as the Dharahara tower death toll rises.")])
        assert again.story_id == assignments[0].story_id
        rows = store.stories()
        assert [(r.id, r.size) for r in rows] == [(assignments[0].story_id, 2)]


def test_sqlite_rejects_a_changed_hash_table_size(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        store.save_clusterer(OnlineClusterer(LEXICAL), LEXICAL)
        with pytest.raises(SettingsError, match="hash_buckets"):
            store.load_clusterer(dataclasses.replace(LEXICAL, hash_buckets=8192))


def test_sqlite_stores_briefs_and_provenance(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        _add(store, _article("a", "Text a."), story_id="S1")
        story = Story(id="S1", articles=["a"], headline="Quake in Nepal", provenance=[
            ProvenanceLink(article="b", derived_from="a", relation="translation", score=0.9)])
        store.save_brief(story, {"schema_version": "1", "stories": [{"id": "S1"}]})
        assert store.load_brief("S1") == {"schema_version": "1", "stories": [{"id": "S1"}]}
        assert store.provenance("S1") == story.provenance
        assert store.load_brief("S9") is None


def _ingest_by_hand(store: Store, clusterer: OnlineClusterer, articles: list[Article],
                    settings: GroupSettings) -> list[str]:
    assignments = clusterer.add(articles)
    with store.transaction():
        for article, assignment in zip(articles, assignments, strict=True):
            _add(store, article, assignment.story_id)
        store.save_clusterer(clusterer, settings)
    return [a.story_id for a in assignments]


def test_sqlite_merges_move_articles_and_leave_an_alias(tmp_path: Path) -> None:
    settings = dataclasses.replace(LEXICAL, similarity_threshold=0.15, merge_threshold=0.1)
    tower = Article(id="a", location="a", title="Tower falls in Kathmandu",
                    text="The Dharahara tower in Kathmandu collapsed, killing dozens of visitors at the tower.")
    avalanche = Article(id="b", location="b", title="Avalanche on Everest",
                        text="An avalanche swept Everest base camp, killing climbers and burying tents at base camp.")
    bridge = Article(id="c", location="c", title="Nepal quake: tower falls, Everest avalanche",
                     text="The Nepal quake brought down the Dharahara tower in Kathmandu, killing dozens, and "
                          "an avalanche swept Everest base camp, killing climbers.")
    with Store(tmp_path / "s.db") as store:
        clusterer = store.load_clusterer(settings, OnlineClusterer(settings))
        first = _ingest_by_hand(store, clusterer, [tower, avalanche], settings)
        assert len(set(first)) == 2 and store.story_count() == 2
        (joined,) = _ingest_by_hand(store, clusterer, [bridge], settings)
        (row,) = store.stories()
        assert row.id == joined and row.size == 3
        gone = next(s for s in first if s != joined)
        assert store.resolve_story(gone) == joined
        assert sorted(a.id for a in store.articles_for_story(gone)) == ["a", "b", "c"]


def test_sqlite_retired_stories_keep_their_rows_but_drop_their_sketches(tmp_path: Path) -> None:
    settings = dataclasses.replace(LEXICAL, max_active_stories=1)
    articles = _stream_articles()
    with Store(tmp_path / "s.db") as store:
        clusterer = store.load_clusterer(settings, OnlineClusterer(settings))
        ids = _ingest_by_hand(store, clusterer, articles, settings)
        assert ids[0] == ids[1] != ids[2]
        assert sorted((r.id, r.size) for r in store.stories()) == sorted([(ids[0], 2), (ids[2], 1)])
        restored = store.load_clusterer(settings, OnlineClusterer(settings))
        assert list(restored.stories) == [ids[2]]  # only the active story's sketch is reloaded


def test_sqlite_story_headline_follows_its_members_until_a_brief_sets_it(tmp_path: Path) -> None:
    titles = [
        "Inspectors to visit Kessel docks after safety complaints",
        "Storm shuts Kessel harbour",
        "Ships queue as storm shuts Kessel harbour",
    ]
    with Store(tmp_path / "s.db") as store:
        clusterer = OnlineClusterer(LEXICAL)
        first = _article("a0", "Storm over Kessel harbour: ships wait outside the port.", title=titles[0])
        _ingest_by_hand(store, clusterer, [first], LEXICAL)
        (row,) = store.stories()
        assert row.headline == titles[0]  # the only title so far
        more = [
            _article(f"a{i}", f"Storm over Kessel harbour: ships wait outside the port, report {i}.", title=t)
            for i, t in enumerate(titles[1:], start=1)
        ]
        _ingest_by_hand(store, clusterer, more, LEXICAL)
        (row,) = store.stories()
        assert row.size == 3 and row.headline == titles[1]
        store.save_brief(Story(id=row.id, articles=["a0", "a1", "a2"], headline="Storm closes Kessel"), {})
        late = _article("a3", "Storm over Kessel harbour: ships wait outside the port, late report.",
                        title="Kessel harbour: ships queue as storm shuts port")
        _ingest_by_hand(store, clusterer, [late], LEXICAL)
        (row,) = store.stories()
        assert row.size == 4 and row.headline == "Storm closes Kessel"  # the brief's headline stays
