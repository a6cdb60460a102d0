"""The HTTP API's view of the story store: ingest, list stories, brief one story (cached).

The API is a thin layer over the same library functions as the CLI (``storydesk ingest | stories |
brief --story``): articles go into the SQLite store through :func:`storydesk.group.stream.ingest`, and a
story's brief is made by :func:`storydesk.group.stream.brief_for_story`. Making a brief runs the story
stages (seconds), so each brief is kept with its JSON and HTML renderings until new articles arrive.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storydesk.records import Brief
from storydesk.settings import Settings

if TYPE_CHECKING:  # the store pulls in the clusterer; import it only when the service is used
    from storydesk.group.stream import IngestReport
    from storydesk.ingest.base import InlineInput
    from storydesk.store.sqlite import Store, StoryRow

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class CachedBrief:
    """One story's brief and its renderings (made on first request, then reused)."""

    brief: Brief
    version: int
    _json: bytes | None = None
    _html: bytes | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def ready(self) -> bool:
        """Both renderings exist, so serving them needs no thread and no lock."""
        return self._json is not None and self._html is not None

    def json_bytes(self) -> bytes:
        with self._lock:
            if self._json is None:
                from storydesk.write.brief_json import brief_to_dict

                self._json = json.dumps(brief_to_dict(self.brief), ensure_ascii=False).encode("utf-8")
            return self._json

    def html_bytes(self) -> bytes:
        with self._lock:
            if self._html is None:
                from storydesk.write.html import render_html

                self._html = render_html(self.brief).encode("utf-8")
            return self._html


class StoryService:
    """Owns the store connection; one writer at a time, cached briefs served without waiting."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._store: Store | None = None
        self._open_lock = threading.Lock()
        # ingest and brief-making share the models and the clusterer: one at a time
        self._work_lock = threading.Lock()
        self._version = 0  # bumped by every ingest that stores something; stale briefs are rebuilt
        self._cache: dict[str, CachedBrief] = {}

    @property
    def location(self) -> str:
        return ":memory:" if self.settings.serve.database == "memory" else self.settings.store.path

    def store(self) -> Store:
        with self._open_lock:
            if self._store is None:
                from storydesk.store.sqlite import Store

                self._store = Store(self.location)
            return self._store

    def close(self) -> None:
        with self._open_lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def ingest(self, documents: list[InlineInput]) -> IngestReport:
        from storydesk.group.stream import ingest

        store = self.store()
        with self._work_lock:
            report = ingest(documents, self.settings, store)
            if report.new:
                # a new article can join, or merge, any story: every cached brief may be stale
                self._version += 1
                self._cache.clear()
        return report

    def stories(self) -> list[StoryRow]:
        from storydesk.group.stream import list_stories

        return list_stories(self.store())

    def story(self, story_id: str) -> StoryRow | None:
        store = self.store()
        live = store.resolve_story(story_id)
        return next((row for row in self.stories() if row.id == live), None)

    def cached(self, story_id: str) -> CachedBrief | None:
        """The brief if it is cached and current (a dict lookup: safe to call from the event loop)."""
        cached = self._cache.get(story_id)
        return cached if cached is not None and cached.version == self._version else None

    def brief(self, story_id: str) -> CachedBrief | None:
        """The story's brief, or None when there is no such story."""
        cached = self._cache.get(story_id)
        if cached is not None and cached.version == self._version:
            return cached
        from storydesk.group.stream import brief_for_story

        store = self.store()
        with self._work_lock:
            cached = self._cache.get(story_id)  # another request may have made it while we waited
            if cached is not None and cached.version == self._version:
                return cached
            if self.story(story_id) is None:
                return None
            brief = brief_for_story(store, story_id, self.settings)
            cached = CachedBrief(brief=brief, version=self._version)
            self._cache[story_id] = cached
            return cached
