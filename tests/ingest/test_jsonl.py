"""JSONL reader: one article per line, each line its own input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from storydesk.ingest.base import read_inputs
from storydesk.settings import ReadSettings

DATA = Path(__file__).resolve().parent / "data"


def test_jsonl_each_line_is_an_input() -> None:
    results = list(read_inputs([str(DATA / "articles.jsonl")], ReadSettings()))
    records = [(r.id, r.status, r.code) for r, _ in results]
    assert records == [
        ("gazette-1", "ok", ""),
        ("articles:2", "ok", ""),
        ("articles:3", "skipped", "bad_json"),
        ("articles:4", "skipped", "bad_record"),
        ("articles:6", "ok", ""),
    ]
    assert results[2][0].location.endswith("articles.jsonl:3")
    assert "articles.jsonl:3" in results[2][0].reason


def test_jsonl_fields_become_metadata() -> None:
    by_id = {r.id: a for r, a in read_inputs([str(DATA / "articles.jsonl")], ReadSettings())}
    first = by_id["gazette-1"]
    assert first is not None
    assert (first.title, first.outlet, first.source_format) == (
        "New pier opens in Kestral Bay",
        "Kestral Bay Gazette",
        "text",
    )
    assert first.published == dt.datetime(2022, 5, 14, 9, 0)  # the outlet's wall-clock time
    assert first.raw.startswith("The new pier")
    second = by_id["articles:2"]
    assert second is not None and second.source_format == "html"
    assert second.outlet == "velden-courier.example" and second.published == dt.datetime(2022, 5, 15)
    untitled = by_id["articles:6"]
    assert untitled is not None and untitled.title == "A record without a title: its first line is the title"


def test_jsonl_size_limit_is_per_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    small = '{"title": "A", "text": "The pier opened on Saturday, the harbour master said."}'
    big = '{"title": "B", "text": "' + "word " * 100 + '"}'
    path.write_text(small + "\n" + big + "\n" + small.replace('"A"', '"C"') + "\n")
    results = list(read_inputs([str(path)], ReadSettings(max_bytes=200)))
    assert [(r.status, r.code) for r, _ in results] == [("ok", ""), ("skipped", "too_large"), ("ok", "")]


def test_jsonl_bad_published_is_a_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"title": "A", "text": "Body text of the article.", "published": "not a date at all"}\n')
    ((record, article),) = list(read_inputs([str(path)], ReadSettings()))
    assert article is None and record.code == "bad_record" and "published" in record.reason


def test_jsonl_json_array_file(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(
        '[{"id": "x1", "title": "A", "text": "First body."}, {"title": "B", "text": "Second body."}]'
    )
    results = list(read_inputs([str(path)], ReadSettings()))
    assert [r.id for r, _ in results] == ["x1", "batch:2"]
