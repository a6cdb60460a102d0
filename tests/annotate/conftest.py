"""Fixtures for the annotate tests: one Annotator per session, articles built straight from text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from storydesk.annotate.annotator import Annotator
from storydesk.records import Article
from storydesk.settings import load_settings

Annotate = Callable[..., Article]


@pytest.fixture(scope="session")
def annotator() -> Annotator:
    return Annotator(load_settings().annotate)


@pytest.fixture(scope="session")
def annotate(annotator: Annotator) -> Annotate:
    """Annotate plain text (paragraphs separated by blank lines) without the cleaner."""

    def build(
        text: str, *, published: dt.date | None = None, title: str = "", article_id: str = "a"
    ) -> Article:
        when = dt.datetime.combine(published, dt.time(12)) if published else None
        article = Article(id=article_id, location=f"{article_id}.txt", text=text, title=title, published=when)
        return annotator.process(article)

    return build
