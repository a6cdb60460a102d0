"""RSS/Atom reader (feedparser), from a file or fetched from an http(s) URL.

Each feed entry is one input ("feed.xml:N"). An entry's full content is used when the feed carries it,
else its summary. Fetching is done here (not by feedparser) so that it has a time-out and a size limit,
and a failed fetch becomes a recorded input instead of an exception.
"""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

from storydesk.clean.metadata import clean_title, date_from_url, registered_domain
from storydesk.errors import InputError, Reason
from storydesk.ingest.html import looks_like_html, parse_html_article
from storydesk.ingest.jsonl import Outcome
from storydesk.ingest.text import parse_text_article
from storydesk.records import Article

FETCH_TIMEOUT_SECONDS = 20.0
USER_AGENT = "storydesk/0.1 (+https://github.com/storydesk)"


def looks_like_feed(data: bytes) -> bool:
    head = data[:2000].lstrip().lower()
    return (head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")) and (
        b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
    )


def fetch(url: str, max_bytes: int, timeout: float = FETCH_TIMEOUT_SECONDS) -> tuple[bytes, str]:
    """The body and content type at ``url``; any failure is an :class:`InputError` naming the URL."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(max_bytes + 1)
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise InputError(Reason.FETCH_FAILED, f"{url}: the server answered HTTP {exc.code}") from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(Reason.FETCH_FAILED, f"{url}: cannot fetch ({reason})") from exc
    if len(data) > max_bytes:
        raise InputError(Reason.TOO_LARGE, f"{url}: the response is over the limit of {max_bytes:,} bytes")
    return data, str(content_type)


def _entry_published(entry: Any) -> dt.datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            # feedparser normalises to UTC; keep it as naive wall-clock time like every other reader
            return dt.datetime(*value[:6])
    return None


def _entry_article(entry: Any, article_id: str, location: str, outlet: str) -> Article:
    contents = entry.get("content") or []
    body = ""
    if contents:
        body = max((c.get("value", "") for c in contents), key=len)
    if len(body.strip()) < len((entry.get("summary") or "").strip()):
        body = entry.get("summary") or ""
    if not body.strip():
        raise InputError(Reason.NO_TEXT, f"{location}: the feed entry has no content or summary")
    url = entry.get("link") or ""
    if looks_like_html(body) or "<p" in body.lower():
        article = parse_html_article(article_id, location, f"<html><body>{body}</body></html>", url)
    else:
        article = parse_text_article(article_id, location, body)
    article.title = clean_title(entry.get("title") or "") or article.title
    article.url = url or article.url
    article.outlet = outlet or registered_domain(article.url)
    article.published = _entry_published(entry) or article.published or date_from_url(article.url)
    return article


def read_feed(data: bytes, name: str, stem: str) -> Iterator[Outcome]:
    """One outcome per feed entry; a feed that cannot be parsed is one failed outcome."""
    import feedparser

    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if not entries:
        problem = parsed.get("bozo_exception")
        detail = f" ({problem})" if problem else ""
        yield stem, name, InputError(Reason.UNSUPPORTED, f"{name}: not an RSS/Atom feed with entries{detail}")
        return
    feed_info = parsed.get("feed") or {}
    outlet = feed_info.get("title") or registered_domain(feed_info.get("link") or "")
    for number, entry in enumerate(entries, start=1):
        location = f"{name}:{number}"
        article_id = f"{stem}:{number}"
        try:
            yield article_id, location, _entry_article(entry, article_id, location, outlet)
        except InputError as exc:
            yield article_id, location, exc
