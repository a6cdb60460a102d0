"""The SQLite store: articles, annotations, provenance, stories (with the clusterer's sketches), briefs.

- Idempotent: an article is keyed by the hash of its text; the same article twice is one record.
- Transactional: callers group writes in :meth:`Store.transaction`; a crash (even SIGKILL) in the middle
  leaves the database as it was at the last commit, and it reopens cleanly (WAL journal).
- Versioned: ``PRAGMA user_version`` holds the schema version; :data:`MIGRATIONS` upgrades an older
  file step by step, each step in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from storydesk.analyse.overview import central_title
from storydesk.errors import SettingsError, StorydeskError
from storydesk.group.features import ArticleFeatures, DocumentFrequencies
from storydesk.group.stories import ArticleLanguage, OnlineClusterer, StoryState
from storydesk.records import Article, InputRecord, ProvenanceLink, Story
from storydesk.settings import GroupSettings, StoreSettings
from storydesk.store import codec


class StoreError(StorydeskError):
    """The database cannot be used (newer schema, corrupt file); the message says what to do."""


# Each entry upgrades the schema from version i to i + 1 (statements separated by ";").
MIGRATIONS: list[str] = [
    # 1: articles, stories and briefs
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        location TEXT NOT NULL,
        source_format TEXT NOT NULL DEFAULT 'text',
        title TEXT NOT NULL DEFAULT '',
        outlet TEXT NOT NULL DEFAULT '',
        url TEXT NOT NULL DEFAULT '',
        published TEXT,
        original_title TEXT NOT NULL DEFAULT '',
        raw TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        cleaned TEXT,
        story_id TEXT,
        ingested_at TEXT NOT NULL
    );
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        headline TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL DEFAULT 0,
        first_published TEXT,
        last_published TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE briefs (
        story_id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        brief TEXT NOT NULL
    )
    """,
    # 2: annotations and provenance in their own tables; the raw-input hash skips re-reads early;
    #    an ingest log
    """
    ALTER TABLE articles ADD COLUMN raw_hash TEXT;
    CREATE INDEX articles_raw_hash ON articles(raw_hash);
    CREATE INDEX articles_story ON articles(story_id);
    CREATE TABLE annotations (
        article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        language TEXT NOT NULL DEFAULT '',
        sentences TEXT,
        mentions TEXT,
        dates TEXT
    );
    CREATE TABLE provenance (
        story_id TEXT NOT NULL,
        article TEXT NOT NULL,
        derived_from TEXT NOT NULL,
        relation TEXT NOT NULL,
        score REAL NOT NULL,
        directed INTEGER NOT NULL DEFAULT 1,
        evidence TEXT,
        PRIMARY KEY (story_id, article, derived_from, relation)
    );
    CREATE TABLE inputs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        location TEXT NOT NULL,
        input_id TEXT NOT NULL,
        status TEXT NOT NULL,
        code TEXT NOT NULL DEFAULT '',
        reason TEXT NOT NULL DEFAULT '',
        article_id TEXT,
        at TEXT NOT NULL
    )
    """,
    # 3: online clustering state (story sketches, hashed document frequencies) and story merges
    """
    ALTER TABLE stories ADD COLUMN merged_into TEXT;
    CREATE TABLE story_sketches (
        story_id TEXT PRIMARY KEY,
        embedding BLOB,
        terms BLOB,
        entities BLOB,
        first_time REAL,
        last_time REAL,
        title TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE frequencies (
        kind TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        df INTEGER NOT NULL,
        PRIMARY KEY (kind, bucket)
    ) WITHOUT ROWID;
    CREATE TABLE clusterer (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )
    """,
    # 4: whether the title was made from the first sentence (a text without a title line)
    """
    ALTER TABLE articles ADD COLUMN title_derived INTEGER NOT NULL DEFAULT 0
    """,
    # 5: cross-language matching in the stream clusterer: each story's multilingual embedding sum, how
    #    many members it sums, and its members' languages (comma-separated)
    """
    ALTER TABLE story_sketches ADD COLUMN meaning BLOB;
    ALTER TABLE story_sketches ADD COLUMN meaning_count INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE story_sketches ADD COLUMN languages TEXT NOT NULL DEFAULT ''
    """,
    # 6: the stream clusterer's recent window (the features it re-clusters), so that the next ingest run
    #    re-clusters new articles together with the last ones of the previous run; language is NULL for
    #    articles clustered without one (stream_cross_language = "off")
    """
    CREATE TABLE recent_features (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL,
        terms BLOB,
        entities BLOB,
        embedding BLOB,
        time REAL,
        title TEXT NOT NULL DEFAULT '',
        words INTEGER NOT NULL DEFAULT 0,
        fingerprint INTEGER NOT NULL DEFAULT 0,
        language TEXT,
        meaning BLOB
    )
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
# A story list's headline is picked from the titles of a story's latest members, at most this many.
_HEADLINE_TITLES = 100


@dataclass(slots=True, frozen=True)
class StoryRow:
    """One line of ``storydesk stories``."""

    id: str
    size: int
    first_date: dt.date | None
    last_date: dt.date | None
    headline: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Upgrade the schema to ``target``, one transaction per step; returns the version reached."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {version}, newer than this storydesk ({SCHEMA_VERSION}); "
            "upgrade storydesk or use another [store] path"
        )
    while version < target:
        script = MIGRATIONS[version]
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            # user_version lives in the file header and is written inside the same transaction
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version += 1
    return version


class Store:
    """A storydesk database file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            # autocommit mode: transactions are explicit (BEGIN ... COMMIT) so we decide their extent;
            # one connection may be used from a watch thread, serialised by the lock
            self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            migrate(self._conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path} is not a usable storydesk database ({exc}); move it aside or pick "
                             "another [store] path") from exc
        self._lock = threading.RLock()
        self._depth = 0

    @classmethod
    def open(cls, settings: StoreSettings) -> Store:
        return cls(settings.path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------------------------
    # transactions
    # ----------------------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all (nested uses join the outer one)."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            else:
                self._conn.execute("COMMIT")
            finally:
                self._depth = 0

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _write(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        with self.transaction():
            self._conn.execute(sql, params)

    @property
    def schema_version(self) -> int:
        return int(self._query("PRAGMA user_version")[0][0])

    def integrity_ok(self) -> bool:
        return self._query("PRAGMA integrity_check")[0][0] == "ok"

    # ----------------------------------------------------------------------------------------
    # articles
    # ----------------------------------------------------------------------------------------

    def find_duplicate(self, *, raw_hash: str | None = None, content_hash: str | None = None) -> str | None:
        """The id of a stored article with this raw or content hash, if any."""
        if raw_hash:
            rows = self._query("SELECT id FROM articles WHERE raw_hash = ? LIMIT 1", (raw_hash,))
            if rows:
                return str(rows[0][0])
        if content_hash:
            rows = self._query("SELECT id FROM articles WHERE content_hash = ? LIMIT 1", (content_hash,))
            if rows:
                return str(rows[0][0])
        return None

    def add_article(self, article: Article, *, content_hash: str, raw_hash: str, story_id: str | None = None) -> str:
        """Store an article with its annotations; returns the id it was stored under.

        The id is the article's own unless another text already holds it (two files with one stem in
        two folders): then the hash prefix makes it unique, so nothing is overwritten.
        """
        with self.transaction():
            article_id = article.id
            taken = self._conn.execute("SELECT content_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
            if taken is not None and taken[0] != content_hash:
                article_id = f"{article.id}~{content_hash[:10]}"
            self._conn.execute(
                "INSERT INTO articles (id, content_hash, raw_hash, location, source_format, title, title_derived, "
                "outlet, url, published, original_title, raw, text, cleaned, story_id, ingested_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article_id, content_hash, raw_hash, article.location, article.source_format, article.title,
                 int(article.title_derived), article.outlet, article.url, codec.datetime_to_text(article.published), article.original_title,
                 article.raw, article.text, codec.cleaned_to_json(article), story_id, _now()),
            )
            self._conn.execute(
                "INSERT INTO annotations (article_id, language, sentences, mentions, dates) VALUES (?, ?, ?, ?, ?)",
                (article_id, article.language, codec.sentences_to_json(article.sentences),
                 codec.mentions_to_json(article.mentions), codec.dates_to_json(article.dates)),
            )
        return article_id

    def set_story(self, article_id: str, story_id: str) -> None:
        self._write("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id))

    def get_article(self, article_id: str) -> Article | None:
        articles = self._load_articles("a.id = ?", (article_id,))
        return articles[0] if articles else None

    def articles_for_story(self, story_id: str) -> list[Article]:
        return self._load_articles("a.story_id = ?", (self.resolve_story(story_id),))

    def article_ids(self) -> list[str]:
        return [str(r[0]) for r in self._query("SELECT id FROM articles ORDER BY rowid")]

    def article_count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM articles")[0][0])

    def _load_articles(self, where: str, params: tuple[Any, ...]) -> list[Article]:
        rows = self._query(
            "SELECT a.id, a.location, a.source_format, a.raw, a.title, a.title_derived, a.outlet, a.url, "
            "a.published, a.original_title, a.text, a.cleaned, n.language, n.sentences, n.mentions, n.dates "
            f"FROM articles a LEFT JOIN annotations n ON n.article_id = a.id WHERE {where} "
            "ORDER BY a.published IS NULL, a.published, a.rowid",
            params,
        )
        out: list[Article] = []
        for (aid, location, fmt, raw, title, title_derived, outlet, url, published, original_title, text, cleaned,
             language, sentences, mentions, dates) in rows:
            article = Article(
                id=aid, location=location, source_format=fmt, raw=raw, title=title,
                title_derived=bool(title_derived), outlet=outlet, url=url,
                published=codec.datetime_from_text(published), original_title=original_title, text=text,
                language=language or "",
            )
            codec.cleaned_from_json(article, cleaned)
            article.sentences = codec.sentences_from_json(sentences)
            article.mentions = codec.mentions_from_json(mentions)
            article.dates = codec.dates_from_json(dates)
            out.append(article)
        return out

    def log_input(self, record: InputRecord, status: str, article_id: str | None = None) -> None:
        self._write(
            "INSERT INTO inputs (location, input_id, status, code, reason, article_id, at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (record.location, record.id, status, record.code, record.reason, article_id, _now()),
        )

    # ----------------------------------------------------------------------------------------
    # stories and the clusterer's state
    # ----------------------------------------------------------------------------------------

    def resolve_story(self, story_id: str) -> str:
        """Follow merges: the live story an old id went into."""
        for _ in range(1000):
            rows = self._query("SELECT merged_into FROM stories WHERE id = ?", (story_id,))
            if not rows or rows[0][0] is None:
                return story_id
            story_id = str(rows[0][0])
        return story_id

    def save_clusterer(self, clusterer: OnlineClusterer, settings: GroupSettings) -> None:
        """Write the stories the clusterer changed, its merges and its document frequencies."""
        with self.transaction():
            now = _now()
            for gone, keep in clusterer.aliases.items():
                self._conn.execute("UPDATE stories SET merged_into = ?, size = 0, updated_at = ? WHERE id = ?",
                                   (keep, now, gone))
                self._conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep, gone))
                self._conn.execute("DELETE FROM story_sketches WHERE story_id = ?", (gone,))
            # articles the clusterer moved when it re-clustered its recent window (after the aliases:
            # a story emptied that way is an alias, but its articles may have gone to several stories)
            self._conn.executemany(
                "UPDATE articles SET story_id = ? WHERE id = ?",
                [(sid, aid) for aid, sid in clusterer.take_moves().items()],
            )
            for sid in clusterer.take_dirty():
                story = clusterer.stories.get(sid)
                if story is not None:
                    self._save_story(story, now)
                elif sid not in clusterer.aliases:  # retired after it changed: keep its row current
                    title = clusterer.retired.get(sid, "")
                    self._save_story(StoryState(id=sid, title=title), now, sketch=False)
            clusterer.aliases.clear()  # written: the store's merged_into column now resolves them
            for sid in clusterer.retired:
                self._conn.execute("DELETE FROM story_sketches WHERE story_id = ?", (sid,))
            clusterer.retired.clear()
            self._save_window(clusterer, settings)
            for kind, freq in (("terms", clusterer.featurizer.terms_df), ("entities", clusterer.featurizer.entities_df)):
                if freq.touched:
                    buckets = sorted(freq.touched)
                    self._conn.executemany(
                        "INSERT INTO frequencies (kind, bucket, df) VALUES (?, ?, ?) "
                        "ON CONFLICT (kind, bucket) DO UPDATE SET df = excluded.df",
                        [(kind, b, int(freq.df[b])) for b in buckets],
                    )
                    freq.touched.clear()
                self._set_meta(f"{kind}_docs", str(freq.docs))
            self._set_meta("next_number", str(clusterer.next_number))
            self._set_meta("language_counts", json.dumps(clusterer.language_counts, sort_keys=True))
            self._set_meta("hash_buckets", str(settings.hash_buckets))

    def _save_story(self, story: StoryState, now: str, *, sketch: bool = True) -> None:
        size, first, last = self._conn.execute(
            "SELECT COUNT(*), MIN(published), MAX(published) FROM articles WHERE story_id = ?", (story.id,)
        ).fetchone()
        # The story list's headline follows the members until a brief sets it (the brief reads the texts).
        titles = self._conn.execute(
            "SELECT title, title_derived FROM articles WHERE story_id = ? AND title != '' "
            "ORDER BY rowid DESC LIMIT ?",
            (story.id, _HEADLINE_TITLES),
        ).fetchall()
        headline = central_title([(t, bool(d)) for t, d in reversed(titles)]) or story.title
        self._conn.execute(
            "INSERT INTO stories (id, headline, size, first_published, last_published, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET size = excluded.size, "
            "first_published = excluded.first_published, last_published = excluded.last_published, "
            "updated_at = excluded.updated_at, "
            "headline = CASE WHEN stories.headline != '' AND EXISTS "
            "(SELECT 1 FROM briefs WHERE briefs.story_id = stories.id) THEN stories.headline "
            "ELSE excluded.headline END",
            (story.id, headline, size, first, last, now, now),
        )
        if not sketch:
            return
        self._conn.execute(
            "INSERT OR REPLACE INTO story_sketches (story_id, embedding, terms, entities, first_time, last_time, "
            "title, meaning, meaning_count, languages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (story.id, codec.vector_to_bytes(story.embedding), codec.sparse_to_bytes(story.terms),
             codec.sparse_to_bytes(story.entities), story.first_time, story.last_time, story.title,
             codec.vector_to_bytes(story.meaning), story.meaning_count,
             codec.languages_to_text(story.languages)),
        )

    def _save_window(self, clusterer: OnlineClusterer, settings: GroupSettings) -> None:
        """Append the window entries added since the last save; keep only the last ``reconcile_window``."""
        rows = [
            (f.article_id, codec.sparse_to_bytes(f.terms), codec.sparse_to_bytes(f.entities),
             codec.vector_to_bytes(f.embedding), f.time, f.title, f.words, f.fingerprint,
             None if lang is None else lang.language, None if lang is None else codec.vector_to_bytes(lang.meaning))
            for f, lang in clusterer.take_fresh()
        ]
        self._conn.executemany(
            "INSERT INTO recent_features (article_id, terms, entities, embedding, time, title, words, fingerprint, "
            "language, meaning) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self._conn.execute(
            "DELETE FROM recent_features WHERE seq <= (SELECT MAX(seq) FROM recent_features) - ?",
            (max(0, settings.reconcile_window),),
        )

    def _load_window(self, settings: GroupSettings) -> list[tuple[ArticleFeatures, ArticleLanguage | None, str]]:
        """The saved window, oldest first, each entry with the story its article is in now."""
        if settings.reconcile_window <= 0:
            return []
        rows = self._query(
            "SELECT r.article_id, r.terms, r.entities, r.embedding, r.time, r.title, r.words, r.fingerprint, "
            "r.language, r.meaning, a.story_id FROM recent_features r JOIN articles a ON a.id = r.article_id "
            "WHERE a.story_id IS NOT NULL ORDER BY r.seq DESC LIMIT ?",
            (settings.reconcile_window,),
        )
        out: list[tuple[ArticleFeatures, ArticleLanguage | None, str]] = []
        for aid, terms, entities, emb, time, title, words, fingerprint, language, meaning, sid in reversed(rows):
            embedding = codec.vector_from_bytes(emb)
            features = ArticleFeatures(
                article_id=str(aid), terms=codec.sparse_from_bytes(terms), entities=codec.sparse_from_bytes(entities),
                embedding=np.zeros(1, dtype=np.float32) if embedding is None else embedding, time=time,
                title=title, words=int(words), fingerprint=int(fingerprint),
            )
            lingual = None if language is None else ArticleLanguage(language, codec.vector_from_bytes(meaning))
            out.append((features, lingual, str(sid)))
        return out

    def _set_meta(self, key: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO clusterer (key, value) VALUES (?, ?)", (key, value))

    def _meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM clusterer WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def load_clusterer(self, settings: GroupSettings, clusterer: OnlineClusterer | None = None) -> OnlineClusterer:
        """An online clusterer that carries on where the last ingest into this store stopped."""
        clusterer = clusterer or OnlineClusterer(settings)
        buckets = self._meta("hash_buckets")
        if buckets is not None and int(buckets) != settings.hash_buckets:
            raise SettingsError(
                f"[group] hash_buckets is {settings.hash_buckets} but {self.path} was built with {buckets}; "
                f"set hash_buckets = {buckets} or start a new [store] path"
            )
        members: dict[str, list[str]] = {}
        for aid, sid in self._query("SELECT id, story_id FROM articles WHERE story_id IS NOT NULL ORDER BY rowid"):
            members.setdefault(str(sid), []).append(str(aid))
        stories: list[StoryState] = []
        for sid, emb, terms, entities, first, last, title, meaning, meaning_count, languages in self._query(
            "SELECT s.story_id, s.embedding, s.terms, s.entities, s.first_time, s.last_time, s.title, "
            "s.meaning, s.meaning_count, s.languages "
            "FROM story_sketches s JOIN stories t ON t.id = s.story_id ORDER BY t.updated_at, t.rowid"
        ):
            stories.append(StoryState(
                id=sid, articles=members.get(sid, []), embedding=codec.vector_from_bytes(emb),
                terms=codec.sparse_from_bytes(terms), entities=codec.sparse_from_bytes(entities),
                first_time=first, last_time=last, title=title, meaning=codec.vector_from_bytes(meaning),
                meaning_count=int(meaning_count), languages=codec.languages_from_text(languages),
            ))
        frequencies: dict[str, DocumentFrequencies] = {}
        for kind in ("terms", "entities"):
            freq = DocumentFrequencies(settings.hash_buckets)
            rows = self._query("SELECT bucket, df FROM frequencies WHERE kind = ?", (kind,))
            if rows:
                data = np.asarray(rows, dtype=np.int64)
                freq.df[data[:, 0]] = data[:, 1]
            freq.docs = int(self._meta(f"{kind}_docs") or 0)
            frequencies[kind] = freq
        counts = self._meta("language_counts")
        clusterer.restore(stories, {}, int(self._meta("next_number") or 1), frequencies["terms"],
                          frequencies["entities"], json.loads(counts) if counts else None)
        clusterer.restore_window(self._load_window(settings))
        return clusterer

    def stories(self) -> list[StoryRow]:
        rows = self._query(
            "SELECT id, size, first_published, last_published, headline FROM stories "
            "WHERE merged_into IS NULL AND size > 0 ORDER BY last_published DESC, updated_at DESC, rowid DESC"
        )
        return [
            StoryRow(id=sid, size=int(size), first_date=_date(first), last_date=_date(last), headline=headline)
            for sid, size, first, last, headline in rows
        ]

    def story_count(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND size > 0")[0][0])

    # ----------------------------------------------------------------------------------------
    # briefs and provenance
    # ----------------------------------------------------------------------------------------

    def save_brief(self, story: Story, brief_json: dict[str, Any]) -> None:
        with self.transaction():
            self._conn.execute(
                "INSERT OR REPLACE INTO briefs (story_id, created_at, brief) VALUES (?, ?, ?)",
                (story.id, _now(), json.dumps(brief_json, ensure_ascii=False, default=str)),
            )
            self._conn.execute("DELETE FROM provenance WHERE story_id = ?", (story.id,))
            self._conn.executemany(
                "INSERT OR REPLACE INTO provenance (story_id, article, derived_from, relation, score, directed, "
                "evidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [codec.provenance_row(story.id, link) for link in story.provenance],
            )
            if story.headline:
                self._conn.execute("UPDATE stories SET headline = ? WHERE id = ?", (story.headline, story.id))

    def load_brief(self, story_id: str) -> dict[str, Any] | None:
        rows = self._query("SELECT brief FROM briefs WHERE story_id = ?", (self.resolve_story(story_id),))
        return json.loads(rows[0][0]) if rows else None

    def provenance(self, story_id: str) -> list[ProvenanceLink]:
        rows = self._query(
            "SELECT article, derived_from, relation, score, directed, evidence FROM provenance WHERE story_id = ?",
            (self.resolve_story(story_id),),
        )
        return [
            ProvenanceLink(article=a, derived_from=d, relation=r, score=float(s), directed=bool(di),
                           evidence=codec.evidence_from_json(ev))
            for a, d, r, s, di, ev in rows
        ]


def _date(value: str | None) -> dt.date | None:
    return dt.datetime.fromisoformat(value).date() if value else None
