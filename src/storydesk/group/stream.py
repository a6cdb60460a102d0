"""Stories from a stream: ingest into the store, list stories, brief one story, watch a folder or feed.

These are the library functions behind ``storydesk ingest | stories | brief --story | watch``; the CLI
only parses arguments and prints. Ingest reads, cleans and annotates each batch of new inputs, assigns
every new article to a story with the :class:`OnlineClusterer` (restored from the store, so a stream can
be ingested over many runs), and commits the batch (articles, annotations, story sketches) in one
transaction: a crash loses at most the batch in flight.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from storydesk.errors import InputError, Reason
from storydesk.group.stories import OnlineClusterer
from storydesk.ingest.base import InputSource, read_inputs
from storydesk.records import Article, Brief, InputRecord, StageStats, Story
from storydesk.settings import Settings
from storydesk.store import codec
from storydesk.store.sqlite import Store, StoryRow

logger = logging.getLogger(__name__)

IngestStatus = Literal["new", "duplicate", "skipped", "failed"]


@dataclass(slots=True, kw_only=True)
class IngestEntry:
    """What became of one input: stored as new (in a story), a duplicate of a stored one, or skipped."""

    id: str
    location: str
    status: IngestStatus
    story_id: str = ""
    duplicate_of: str = ""
    code: str = ""
    reason: str = ""


@dataclass(slots=True, kw_only=True)
class IngestReport:
    entries: list[IngestEntry] = field(default_factory=list)
    stories_touched: list[str] = field(default_factory=list)
    stats: dict[str, StageStats] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, status: IngestStatus) -> int:
        return sum(1 for e in self.entries if e.status == status)

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")


BatchHook = Callable[[IngestReport], None]


def _raw_hash(article: Article) -> str:
    return codec.content_hash(article.raw or article.text)


def _main_hash(article: Article) -> str:
    # the cleaned main text decides sameness: the same article scraped twice differs in its boilerplate
    return codec.content_hash(article.text or article.raw)


class _Ingester:
    """One ingest run: pending inputs go through clean → annotate → cluster → store, batch by batch."""

    def __init__(self, settings: Settings, store: Store, on_batch: BatchHook | None = None) -> None:
        from storydesk.annotate.annotator import Annotator
        from storydesk.clean.boilerplate import BoilerplateCleaner, CorpusBoilerplateFilter

        self.settings = settings
        self.store = store
        self.report = IngestReport()
        self.on_batch = on_batch
        self.cleaner = BoilerplateCleaner(settings.clean)
        self.corpus_filter = CorpusBoilerplateFilter(settings.clean)
        self.annotator = Annotator(settings.annotate)
        self.clusterer: OnlineClusterer = store.load_clusterer(settings.group)
        self.pending: list[tuple[InputRecord, Article, str]] = []
        self.pending_hashes: dict[str, str] = {}
        self.touched: set[str] = set()

    def offer(self, record: InputRecord, article: Article | None) -> None:
        if article is None:
            status: IngestStatus = "failed" if record.status == "failed" else "skipped"
            self._entry(record, status)
            self.store.log_input(record, status)
            return
        raw_hash = _raw_hash(article)
        duplicate = self.store.find_duplicate(raw_hash=raw_hash) or self.pending_hashes.get(raw_hash)
        if duplicate:  # skip before the costly stages
            self._duplicate(record, duplicate)
            return
        self.pending_hashes[raw_hash] = article.id
        self.pending.append((record, article, raw_hash))
        if len(self.pending) >= self.settings.store.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending, self.pending_hashes = self.pending, [], {}
        records = {article.id: record for record, article, _ in batch}
        raw_hashes = {article.id: raw_hash for _, article, raw_hash in batch}
        cleaned = list(self.cleaner.run((a for _, a, _ in batch), records))
        self.corpus_filter.run(cleaned)
        annotated = list(self.annotator.run(cleaned, records, batch_size=self.settings.annotate.spacy_batch_size))
        kept = {a.id for a in annotated}
        for record, article, _ in batch:
            if article.id not in kept:  # dropped by a stage: the record carries the reason code
                self._entry(record, "skipped")
                self.store.log_input(record, "skipped")
        fresh: list[tuple[Article, str]] = []
        seen: dict[str, str] = {}
        for article in annotated:
            main_hash = _main_hash(article)
            duplicate = self.store.find_duplicate(content_hash=main_hash) or seen.get(main_hash)
            if duplicate:
                self._duplicate(records[article.id], duplicate)
                continue
            seen[main_hash] = article.id
            fresh.append((article, main_hash))
        # publish order inside the batch, so that the online clusterer sees time move forward
        fresh.sort(key=lambda pair: (pair[0].published is None, _ts(pair[0])))
        assignments = self.clusterer.add([a for a, _ in fresh])
        with self.store.transaction():
            for (article, main_hash), assignment in zip(fresh, assignments, strict=True):
                stored_id = self.store.add_article(
                    article, content_hash=main_hash, raw_hash=raw_hashes[article.id], story_id=assignment.story_id
                )
                if stored_id != article.id:
                    self._rename(article.id, stored_id)
                record = records[article.id]
                self.store.log_input(record, "new", stored_id)
                self.report.entries.append(IngestEntry(id=stored_id, location=record.location, status="new",
                                                       story_id=assignment.story_id, code=record.code,
                                                       reason=record.reason))
                self.touched.add(assignment.story_id)
            self._save()
        if self.on_batch:
            self.on_batch(self.report)

    def _save(self) -> None:
        """Save the clusterer (inside the caller's transaction) and report every article's story now."""
        self.touched.update(self.clusterer.moved.values())  # stories that received re-clustered articles
        self.store.save_clusterer(self.clusterer, self.settings.group)
        # merges rename stories and a reconcile moves articles: report the live ids
        for entry in self.report.entries:
            if entry.story_id:
                entry.story_id = self.clusterer.story_of(entry.id) or self.store.resolve_story(entry.story_id)

    def settle(self) -> None:
        """Re-cluster the recent window once the run's inputs are in (if anything arrived since the last
        time), so that ``storydesk stories`` shows the reconciled stories right after an ingest."""
        if not self.clusterer.reconcile_due(final=True):
            return
        self.clusterer.reconcile()
        with self.store.transaction():
            self._save()

    def _rename(self, old: str, new: str) -> None:
        """The store gave an article a new id (its stem was taken): keep the clusterer's lists in step."""
        self.clusterer.rename_article(old, new)

    def _duplicate(self, record: InputRecord, of: str) -> None:
        self.report.entries.append(IngestEntry(id=record.id, location=record.location, status="duplicate",
                                               duplicate_of=of, reason=f"{record.location}: same text as {of}"))
        self.store.log_input(record, "duplicate", of)

    def _entry(self, record: InputRecord, status: IngestStatus) -> None:
        self.report.entries.append(IngestEntry(id=record.id, location=record.location, status=status,
                                               code=record.code, reason=record.reason))

    def run(self, sources: Iterable[InputSource]) -> IngestReport:
        """Ingest ``sources``; the clusterer (and the loaded models) carry over to the next run."""
        start = time.perf_counter()
        self.report = IngestReport()
        self.touched = set()
        for record, article in read_inputs(sources, self.settings.read):
            self.offer(record, article)
        self.flush()
        self.settle()
        self.report.stories_touched = sorted({self.store.resolve_story(s) for s in self.touched})
        self.report.stats = {"clean": self.cleaner.stats, "annotate": self.annotator.stats}
        self.report.seconds = time.perf_counter() - start
        return self.report


def _ts(article: Article) -> float:
    return article.published.timestamp() if article.published else 0.0


def ingest(
    sources: Iterable[InputSource], settings: Settings, store: Store, on_batch: BatchHook | None = None
) -> IngestReport:
    """Read, clean, annotate and store the inputs, assigning each new article to a story online.

    Idempotent: an input whose text is already stored is reported as a duplicate and changes nothing.
    ``on_batch`` is called after each committed batch (progress display).
    """
    return _Ingester(settings, store, on_batch).run(sources)


def list_stories(store: Store) -> list[StoryRow]:
    """Live stories, most recently active first: id, size, first/last publish date, headline."""
    return store.stories()


def brief_for_story(store: Store, story_id: str, settings: Settings) -> Brief:
    """Run the per-story stages on one stored story, store the brief and return it."""
    from storydesk.pipeline import analyse_story, story_stages
    from storydesk.write.brief_json import brief_to_dict

    live = store.resolve_story(story_id)
    articles = store.articles_for_story(live)
    if not articles:
        known = ", ".join(row.id for row in store.stories()[:10]) or "none yet: run storydesk ingest"
        raise KeyError(f"no story {story_id!r} in {store.path}; stories: {known}")
    brief = Brief(articles=articles)
    brief.inputs = [InputRecord(id=a.id, location=a.location) for a in articles]
    story = Story(id=live, articles=[a.id for a in articles])
    analyse_story(story, {a.id: a for a in articles}, story_stages(settings), brief.stats)
    brief.stories = [story]
    store.save_brief(story, brief_to_dict(brief))
    return brief


# ------------------------------------------------------------------------------------------------
# watch
# ------------------------------------------------------------------------------------------------


def _is_feed_target(target: str) -> bool:
    return "://" in target or not Path(target).is_dir()


def _scan(folder: Path, extensions: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """Path -> (mtime_ns, size) of every readable file under ``folder``."""
    out: dict[str, tuple[int, int]] = {}
    for root, _dirs, files in os.walk(folder):
        for name in files:
            if name.startswith(".") or not name.lower().endswith(extensions):
                continue
            path = os.path.join(root, name)
            try:
                st = os.stat(path)
            except OSError:
                continue  # vanished between listing and stat: the next poll sees the truth
            out[path] = (st.st_mtime_ns, st.st_size)
    return out


def watch(
    target: str,
    settings: Settings,
    store: Store,
    poll_seconds: float,
    stop: threading.Event,
    on_update: Callable[[IngestReport], None],
) -> None:
    """Poll a folder (new or changed files) or an RSS/Atom feed (URL or file) and ingest what arrives.

    Raises :class:`InputError` (``not_found``) when the target is neither a URL nor an existing path.
    Returns when ``stop`` is set or on Ctrl-C. ``on_update`` gets the report of each poll that stored
    or skipped something. A failing poll (feed unreachable) is logged and retried at the next one.
    """
    if "://" not in target and not Path(target).exists():
        raise InputError(Reason.NOT_FOUND, f"{target}: no such folder or feed file to watch")
    ingester = _Ingester(settings, store)  # models and clusterer load once for the whole watch
    seen: dict[str, tuple[int, int]] = {}
    folder = None if _is_feed_target(target) else Path(target)
    # a file modified this recently may still be being written: wait for it to settle
    settle_ns = int(min(1.0, poll_seconds) * 1e9)
    try:
        while not stop.is_set():
            try:
                if folder is not None:
                    now = time.time_ns()
                    current = _scan(folder, settings.read.extensions)
                    ready = sorted(p for p, sig in current.items() if seen.get(p) != sig and now - sig[0] >= settle_ns)
                    report = ingester.run(ready) if ready else None
                    seen.update({p: current[p] for p in ready})
                else:
                    report = ingester.run([target])
                if report is not None and (report.new or report.count("skipped") or report.count("failed")):
                    on_update(report)
            except Exception as exc:  # a poll must not end the watch: log it and try again next poll
                logger.warning("watch %s: poll failed: %s", target, exc)
            stop.wait(poll_seconds)
    except KeyboardInterrupt:
        logger.info("watch %s: stopped", target)
