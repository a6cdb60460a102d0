"""Plain-text reader: the first non-empty line is the title; scrape headers and footers are metadata.

The raw text is kept whole (the cleaner removes the title and metadata lines again and counts them);
this reader only fills the Article's metadata fields from what :func:`scan_text` finds.
"""

from __future__ import annotations

from storydesk.clean.metadata import scan_text
from storydesk.clean.normalize import normalize_text
from storydesk.errors import InputError, Reason
from storydesk.records import Article


def parse_text_article(article_id: str, location: str, text: str) -> Article:
    """An Article from a scraped plain-text file (raw text kept, metadata parsed)."""
    normalized = normalize_text(text)
    if not normalized.strip():
        raise InputError(Reason.EMPTY, f"{location}: the file holds only whitespace")
    meta = scan_text(normalized)
    return Article(
        id=article_id,
        location=location,
        source_format="text",
        raw=text,
        title=meta.title,
        title_derived=bool(meta.title) and meta.title_line is None,
        outlet=meta.outlet,
        url=meta.url,
        published=meta.published,
        original_title=meta.original_title,
    )
