"""The pipeline, composed in one place: it reads like the product description.

inputs → read → clean → annotate → group → per story: link → entities → quotes → facts →
contradictions → timeline → overview → summarise → Brief
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from storydesk.analyse.canon import EntityCanonicalizer
from storydesk.analyse.contradictions import ContradictionFinder
from storydesk.analyse.facts import FactAligner
from storydesk.analyse.overview import StoryOverview
from storydesk.analyse.quotes import QuoteExtractor, may_report_speech
from storydesk.analyse.timeline import TimelineBuilder
from storydesk.annotate.annotator import Annotator
from storydesk.clean.boilerplate import BoilerplateCleaner, CorpusBoilerplateFilter
from storydesk.group.stories import group_articles
from storydesk.ingest.base import InputSource, read_inputs
from storydesk.link.sources import ProvenanceLinker
from storydesk.records import Article, Brief, InputRecord, StageStats, Story
from storydesk.settings import Settings
from storydesk.stage import StoryStage
from storydesk.summarise.extractive import ExtractiveSummarizer

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(slots=True)
class _Timer:
    stats: StageStats
    start: float = 0.0

    def __enter__(self) -> _Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stats.seconds += time.perf_counter() - self.start


def story_stages(settings: Settings) -> list[StoryStage]:
    """The per-story analysis, in order: each stage reads what the ones before it wrote."""
    return [
        ProvenanceLinker(settings.link),
        EntityCanonicalizer(settings.analyse),
        QuoteExtractor(settings.analyse, settings.annotate.spacy_models),
        FactAligner(settings.analyse, settings.link),
        ContradictionFinder(settings.analyse),
        TimelineBuilder(settings.analyse),
        StoryOverview(settings.analyse),
        ExtractiveSummarizer(settings.summarise, settings.link),
    ]


def prepare_articles(
    sources: Iterable[InputSource],
    settings: Settings,
    inputs: list[InputRecord],
    stats: dict[str, StageStats],
    progress: Progress | None = None,
) -> list[Article]:
    """Read, clean and annotate every input; every input gets an :class:`InputRecord` in ``inputs``."""
    read_stats = stats.setdefault("read", StageStats(name="read"))
    records: dict[str, InputRecord] = {}

    def read() -> Iterator[Article]:
        start = time.perf_counter()
        for record, article in read_inputs(sources, settings.read):
            inputs.append(record)
            records[record.id] = record
            read_stats.items_in += 1
            if article is None:
                read_stats.dropped[record.code] = read_stats.dropped.get(record.code, 0) + 1
                continue
            read_stats.items_out += 1
            read_stats.seconds += time.perf_counter() - start
            yield article
            start = time.perf_counter()
        read_stats.seconds += time.perf_counter() - start

    cleaner = BoilerplateCleaner(settings.clean)
    # The annotate stage keeps the parse of the sentences the quote extractor reads (no second parse).
    annotator = Annotator(settings.annotate, keep_parse=may_report_speech)
    cleaned = list(cleaner.run(read(), records))
    stats["clean"] = cleaner.stats
    corpus_filter = CorpusBoilerplateFilter(settings.clean)
    with _Timer(cleaner.stats):
        corpus_filter.run(cleaned)
    articles: list[Article] = []
    total = len(cleaned)
    for article in annotator.run(cleaned, records, batch_size=settings.annotate.spacy_batch_size):
        articles.append(article)
        if progress:
            progress("annotate", len(articles), total)
    stats["annotate"] = annotator.stats
    return articles


def analyse_story(
    story: Story, by_id: dict[str, Article], stages: list[StoryStage], stats: dict[str, StageStats]
) -> Story:
    # One canonical order: the same articles give the same brief whether they came from a folder, the
    # store or the API, in whatever order they arrived.
    story.articles = sorted(story.articles)
    for stage in stages:
        stage.run(story, by_id)
    for stage in stages:
        stats[stage.name] = stage.stats
    return story


def build_brief(
    sources: Iterable[InputSource], settings: Settings, progress: Progress | None = None
) -> Brief:
    """The main job: a folder (or any inputs) of coverage in, a cited brief out."""
    brief = Brief()
    articles = prepare_articles(sources, settings, brief.inputs, brief.stats, progress)
    brief.articles = articles
    if not articles:
        return brief
    group_stats = brief.stats.setdefault("group", StageStats(name="group"))
    with _Timer(group_stats):
        stories = group_articles(articles, settings.group)
    group_stats.items_in = len(articles)
    group_stats.items_out = len(stories)
    by_id = {a.id: a for a in articles}
    stages = story_stages(settings)
    for i, story in enumerate(stories):
        analyse_story(story, by_id, stages, brief.stats)
        if progress:
            progress("analyse", i + 1, len(stories))
    brief.stories = stories
    return brief
