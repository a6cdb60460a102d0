"""Shared fixtures: paths to ../shared and helpers to build annotated articles from text."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DATASETS = SHARED / "datasets"


@pytest.fixture(autouse=True)
def _restore_storydesk_logger() -> Iterator[None]:
    """The CLI configures the ``storydesk`` logger (its own handler, no propagation): undo that after each
    test, so that a later test's ``caplog`` sees the warnings whatever order the tests run in."""
    logger = logging.getLogger("storydesk")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    yield
    logger.handlers[:], logger.level, logger.propagate = saved


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    return SEEDS


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    if not DATASETS.is_dir():
        pytest.skip("../shared/datasets is not beside the project")
    return DATASETS


@pytest.fixture(scope="session")
def make_article() -> Callable[..., object]:
    """Build a cleaned and annotated Article from plain text (real cleaner and annotator)."""
    from storydesk.annotate.annotator import Annotator
    from storydesk.clean.boilerplate import BoilerplateCleaner
    from storydesk.records import Article
    from storydesk.settings import load_settings

    settings = load_settings()
    cleaner = BoilerplateCleaner(settings.clean)
    annotator = Annotator(settings.annotate)

    def build(
        article_id: str,
        text: str,
        *,
        title: str = "",
        published: dt.datetime | None = None,
        outlet: str = "",
    ) -> Article:
        article = Article(
            id=article_id, location=f"{article_id}.txt", raw=text, title=title, published=published,
            outlet=outlet,
        )
        article = cleaner.process(article)
        return annotator.process(article)

    return build
