"""WARC reader (warcio): every HTTP response record holding an HTML page is one input.

Other records (requests, metadata, images, scripts) are not articles and are passed over.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

from storydesk.errors import InputError, Reason
from storydesk.ingest.html import parse_html_article
from storydesk.ingest.jsonl import Outcome

logger = logging.getLogger(__name__)


def _charset(content_type: str) -> str:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return "utf-8"


def read_warc(path: Path, stem: str, max_bytes: int) -> Iterator[Outcome]:
    """One outcome per HTML response in the archive (``.warc`` or ``.warc.gz``)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    name = str(path)
    number = 0
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                content_type = record.http_headers.get_header("Content-Type") or ""
                if "html" not in content_type.lower():
                    continue
                number += 1
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                location = f"{name}:{number}"
                article_id = f"{stem}:{number}"
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield (
                        article_id,
                        location,
                        InputError(
                            Reason.TOO_LARGE, f"{location}: {url} is over the limit of {max_bytes:,} bytes"
                        ),
                    )
                    continue
                html = body.decode(_charset(content_type), errors="replace")
                try:
                    yield article_id, location, parse_html_article(article_id, location, html, url)
                except InputError as exc:
                    yield article_id, location, exc
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield stem, name, InputError(Reason.UNREADABLE, f"{name}: not a readable WARC archive ({exc})")
        return
    if number == 0:
        yield stem, name, InputError(Reason.NO_TEXT, f"{name}: the archive holds no HTML responses")
