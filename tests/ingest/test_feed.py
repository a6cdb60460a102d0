"""RSS/Atom reader: each entry is an input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from storydesk.ingest.base import read_inputs
from storydesk.settings import ReadSettings

DATA = Path(__file__).resolve().parent / "data"


def test_feed_rss_entries_become_articles() -> None:
    results = list(read_inputs([str(DATA / "feed.rss")], ReadSettings()))
    assert [(r.id, r.status) for r, _ in results] == [("feed:1", "ok"), ("feed:2", "ok")]
    first = results[0][1]
    assert first is not None
    assert first.title == "Lighthouse keeper retires after 41 years"
    assert first.outlet == "Kestral Bay Gazette"
    assert first.url.endswith("/2022/06/01/lighthouse-keeper")
    assert first.published == dt.datetime(2022, 6, 1, 8, 30)
    assert first.source_format == "html" and "Hendrik Maas" in first.raw
    second = results[1][1]
    assert second is not None and second.source_format == "text" and "mooring fees" in second.raw


def test_feed_atom_content() -> None:
    ((record, article),) = list(read_inputs([str(DATA / "feed.atom")], ReadSettings()))
    assert record.status == "ok" and article is not None
    assert article.title == "Velden zoo welcomes two snow leopards"
    assert article.outlet == "Velden Courier"
    assert article.published == dt.datetime(2023, 2, 10, 12, 0)


def test_feed_xml_that_is_no_feed_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "data.xml"
    path.write_text('<?xml version="1.0"?><inventory><item sku="1"/></inventory>')
    ((record, article),) = list(read_inputs([str(path)], ReadSettings()))
    assert article is None and record.code == "unsupported_format" and str(path) in record.reason
