"""JSONL reader: one article per line (title, text or html, url, outlet, published, optional id).

Each line is its own input ("file.jsonl:LINE"): a bad line is recorded and skipped, the others are read.
The file is streamed line by line, so a large export does not have to fit in memory; the size limit
applies to each line (one article), not to the whole file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from storydesk.clean.metadata import (
    clean_title,
    date_from_url,
    parse_published,
    registered_domain,
    scan_text,
)
from storydesk.clean.normalize import normalize_text
from storydesk.errors import InputError, Reason
from storydesk.ingest.html import looks_like_html, parse_html_article
from storydesk.ingest.text import parse_text_article
from storydesk.records import Article

Outcome = tuple[str, str, Article | InputError]  # (record id, location, article or the reason it failed)


def _field(obj: dict[str, Any], location: str, *names: str) -> str:
    for name in names:
        value = obj.get(name)
        if value is None:
            continue
        if not isinstance(value, (str, int, float)):
            raise InputError(Reason.BAD_RECORD, f"{location}: field {name!r} must be a string")
        return str(value)
    return ""


def article_from_record(obj: object, article_id: str, location: str) -> Article:
    """An Article from one parsed JSON object (a JSONL line or an element of a JSON array)."""
    if not isinstance(obj, dict):
        raise InputError(Reason.BAD_RECORD, f"{location}: expected a JSON object, got {type(obj).__name__}")
    text = _field(obj, location, "text", "content", "body")
    html = _field(obj, location, "html")
    if not text.strip() and not html.strip():
        raise InputError(Reason.BAD_RECORD, f"{location}: the record has neither 'text' nor 'html'")
    url = _field(obj, location, "url", "link")
    if html.strip() and not text.strip():
        article = parse_html_article(article_id, location, html, url)
    elif looks_like_html(text):
        article = parse_html_article(article_id, location, text, url)
    else:
        article = parse_text_article(article_id, location, text)
        if _field(obj, location, "title"):
            # The record names its title: the first line is body text, not a title.
            meta = scan_text(normalize_text(text), take_title=False)
            article.title = ""
            article.url, article.outlet = meta.url, meta.outlet
            article.published, article.original_title = meta.published, meta.original_title
    title = _field(obj, location, "title", "headline")
    if title:
        article.title = clean_title(title)
    if url:
        article.url = url
    outlet = _field(obj, location, "outlet", "source", "site", "sitename")
    if outlet:
        article.outlet = outlet
    elif article.url and not article.outlet:
        article.outlet = registered_domain(article.url)
    published = _field(obj, location, "published", "date", "published_at")
    if published:
        parsed = parse_published(published)
        if parsed is None:
            raise InputError(Reason.BAD_RECORD, f"{location}: 'published' is not a date: {published!r}")
        article.published = parsed
    elif article.published is None and article.url:
        article.published = date_from_url(article.url)
    original = _field(obj, location, "original_title")
    if original:
        article.original_title = original
    return article


def read_jsonl(lines: Iterable[bytes], name: str, stem: str, max_bytes: int) -> Iterator[Outcome]:
    """One outcome per non-blank line; ``name`` is the file shown in messages (``<stdin>`` for ``-``)."""
    for number, raw in enumerate(lines, start=1):
        location = f"{name}:{number}"
        default_id = f"{stem}:{number}"
        if not raw.strip():
            continue
        if len(raw) > max_bytes:
            yield (
                default_id,
                location,
                InputError(
                    Reason.TOO_LARGE,
                    f"{location}: line of {len(raw):,} bytes is over the limit of {max_bytes:,}",
                ),
            )
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield default_id, location, InputError(Reason.ENCODING, f"{location}: not UTF-8 ({exc.reason})")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                default_id,
                location,
                InputError(Reason.BAD_JSON, f"{location}: not valid JSON ({exc.msg} at column {exc.colno})"),
            )
            continue
        record_id = default_id
        if isinstance(obj, dict) and obj.get("id") not in (None, ""):
            record_id = str(obj["id"])
        try:
            yield record_id, location, article_from_record(obj, record_id, location)
        except InputError as exc:
            yield record_id, location, exc
