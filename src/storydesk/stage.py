"""The one stage contract.

A per-article stage implements :meth:`ArticleStage.process`; the base class owns the loop, the
timing, the counts and the error handling: an :class:`InputError` drops that article with its reason
code (recorded on its :class:`InputRecord`) and the run goes on. A story stage implements
:meth:`StoryStage.analyse` and sees one story with its articles.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from typing import ClassVar

from storydesk.errors import InputError
from storydesk.records import Article, InputRecord, StageStats, Story

logger = logging.getLogger(__name__)


class ArticleStage:
    """Base for per-article stages (clean, annotate). Subclasses write ``process``."""

    name: ClassVar[str] = "stage"

    def __init__(self) -> None:
        self.stats = StageStats(name=self.name)

    def process(self, article: Article) -> Article:  # pragma: no cover - abstract
        raise NotImplementedError

    def process_batch(self, articles: list[Article]) -> list[Article]:
        """Override to batch (e.g. spaCy's ``nlp.pipe``); the default calls ``process`` per article."""
        return [self.process(a) for a in articles]

    def run(
        self, articles: Iterable[Article], records: Mapping[str, InputRecord], batch_size: int = 1
    ) -> Iterator[Article]:
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch, records)
                batch = []
        if batch:
            yield from self._run_batch(batch, records)

    def _run_batch(self, batch: list[Article], records: Mapping[str, InputRecord]) -> Iterator[Article]:
        start = time.perf_counter()
        self.stats.items_in += len(batch)
        try:
            out = self.process_batch(batch)
        except InputError:
            out = []
            for article in batch:  # retry one by one so that one bad article does not sink the rest
                try:
                    out.append(self.process(article))
                except InputError as exc:
                    self._drop(article, exc, records)
        self.stats.seconds += time.perf_counter() - start
        self.stats.items_out += len(out)
        yield from out

    def _drop(self, article: Article, exc: InputError, records: Mapping[str, InputRecord]) -> None:
        code = exc.reason.value
        message = _without_location(exc.message, article.location)
        self.stats.dropped[code] = self.stats.dropped.get(code, 0) + 1
        record = records.get(article.id)
        if record is not None:
            record.status = "skipped"
            record.code = code
            record.reason = f"{article.location}: {message}"
        logger.warning("%s: skipped in %s: %s", article.location, self.name, message)


class StoryStage:
    """Base for per-story stages (link, analyse, summarise). Subclasses write ``analyse``."""

    name: ClassVar[str] = "story_stage"

    def __init__(self) -> None:
        self.stats = StageStats(name=self.name)

    def analyse(self, story: Story, articles: Mapping[str, Article]) -> None:  # pragma: no cover
        raise NotImplementedError

    def run(self, story: Story, articles: Mapping[str, Article]) -> None:
        start = time.perf_counter()
        self.stats.items_in += 1
        self.analyse(story, articles)
        self.stats.items_out += 1
        self.stats.seconds += time.perf_counter() - start


def _without_location(message: str, location: str) -> str:
    """The message without a leading ``location:`` (the caller names the input once, not twice)."""
    prefix = f"{location}: "
    return message[len(prefix) :] if location and message.startswith(prefix) else message
