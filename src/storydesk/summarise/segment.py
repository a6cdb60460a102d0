"""Sentences for articles that reach the summariser without them.

The annotator normally fills ``Article.paragraphs`` and ``Article.sentences``. When it did not (an
article built by hand, an annotator that was skipped, a benchmark that runs without spaCy), the
summariser fills them with the annotator's own splitter (blank-line paragraphs, pysbd sentences, heading
lines split off), so the light path and the full pipeline cut sentences the same way.
"""

from __future__ import annotations

from storydesk.annotate.sentences import split_paragraphs, split_sentences
from storydesk.records import Article


def ensure_sentences(article: Article, default_language: str = "en") -> Article:
    """Fill paragraphs and sentences when the annotator did not; leave annotated articles alone."""
    if article.sentences:
        return article
    if not article.text:
        article.text = article.raw
    if not article.paragraphs:
        article.paragraphs = split_paragraphs(article.text)
    article.sentences = split_sentences(article.text, article.paragraphs, article.language or default_language)
    return article
