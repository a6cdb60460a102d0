"""WARC reader: HTML responses become articles, other records are passed over."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storydesk.ingest.base import read_inputs
from storydesk.settings import ReadSettings

PAGE = (
    "<html><head><title>Snow closes Brenn pass</title></head><body><article>"
    "<p>The Brenn pass stayed closed for a third day on Sunday after heavy snow, the road authority said.</p>"
    "<p>Drivers were told to use the coastal route, which adds about four hours to the journey.</p>"
    "</article></body></html>"
)


def write_warc(path: Path, gz: bool) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        for url, ctype, body in [
            ("https://alpine-news.example/2024/01/14/brenn-pass", "text/html; charset=utf-8", PAGE.encode()),
            ("https://alpine-news.example/logo.png", "image/png", b"\x89PNG...."),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


def test_warc_html_responses_are_articles(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, gz=True)
    results = list(read_inputs([str(path)], ReadSettings()))
    assert [(r.id, r.status) for r, _ in results] == [("crawl:1", "ok")]
    article = results[0][1]
    assert article is not None and article.source_format == "html"
    assert article.url == "https://alpine-news.example/2024/01/14/brenn-pass"
    assert article.title == "Snow closes Brenn pass"


def test_warc_uncompressed(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, gz=False)
    assert [r.status for r, _ in read_inputs([str(path)], ReadSettings())] == ["ok"]


def test_warc_broken_archive_is_recorded(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc"
    path.write_bytes(b"WARC/1.0\r\nthis is not a warc record at all\r\n\r\n")
    results = list(read_inputs([str(path)], ReadSettings()))
    assert results and all(a is None for _, a in results)
    assert results[-1][0].status == "skipped" and str(path) in results[-1][0].reason
