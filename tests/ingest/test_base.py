"""read_inputs: sources (files, folders, globs, stdin, URLs, inline) and every kind of bad input."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import logging
import os
import sys
from pathlib import Path

import pytest

from storydesk.errors import InputError
from storydesk.ingest.base import InlineInput, binary_kind, decode, read_inputs
from storydesk.records import Article, InputRecord
from storydesk.settings import ReadSettings

ARTICLE = (
    "Velden council approves tram line\n\n"
    "The Velden city council approved a new tram line to the airport on Tuesday, ending a long dispute.\n"
)


def read_all(
    *sources: object, settings: ReadSettings | None = None
) -> list[tuple[InputRecord, Article | None]]:
    return list(
        read_inputs(
            [s if isinstance(s, InlineInput) else str(s) for s in sources], settings or ReadSettings()
        )
    )


def only(results: list[tuple[InputRecord, Article | None]]) -> tuple[InputRecord, Article | None]:
    assert len(results) == 1, results
    return results[0]


def test_base_folder_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(ARTICLE)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text(ARTICLE)
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "c.txt").write_text(ARTICLE)
    results = read_all(tmp_path)
    assert [r.id for r, _ in results] == ["b", "a"]
    assert all(r.status == "ok" and a is not None for r, a in results)


def test_base_glob_reads_matching_files(tmp_path: Path) -> None:
    for name in ("one.txt", "two.txt", "three.md"):
        (tmp_path / name).write_text(ARTICLE)
    results = read_all(tmp_path / "*.txt")
    assert [r.id for r, _ in results] == ["one", "two"]


def test_base_glob_without_match_is_recorded(tmp_path: Path) -> None:
    record, article = only(read_all(tmp_path / "*.nothing"))
    assert article is None and record.status == "skipped" and record.code == "not_found"


def test_base_missing_file_is_skipped_with_its_name(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing = tmp_path / "gone.txt"
    with caplog.at_level(logging.WARNING):
        record, article = only(read_all(missing))
    assert article is None
    assert (record.status, record.code) == ("skipped", "not_found")
    assert str(missing) in record.reason
    assert str(missing) in caplog.text


def test_base_binary_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    record, article = only(read_all(path))
    assert article is None and record.code == "binary"
    assert "PDF" in record.reason and str(path) in record.reason


def test_base_nul_bytes_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(b"abc\x00\x01\x02def" * 100)
    record, _ = only(read_all(path))
    assert record.code == "binary"


def test_base_empty_and_blank_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n\t \n")
    results = read_all(tmp_path / "empty.txt", tmp_path / "blank.txt")
    assert [(r.status, r.code) for r, _ in results] == [("skipped", "empty"), ("skipped", "empty")]
    assert all(a is None for _, a in results)


def test_base_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE)
    real = Path.read_bytes

    def deny(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real(self)

    # Simulated: the test may run as root, which can read a chmod 000 file.
    monkeypatch.setattr(Path, "read_bytes", deny)
    record, article = only(read_all(path))
    assert article is None and (record.status, record.code) == ("skipped", "unreadable")
    assert "permission denied" in record.reason


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_base_unreadable_file_by_permissions(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(ARTICLE)
    path.chmod(0)
    try:
        record, _ = only(read_all(path))
    finally:
        path.chmod(0o644)
    assert record.code == "unreadable"


def test_base_bad_encoding_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    # 0x81 and 0x8d are undefined in cp1252 and invalid in UTF-8: no clean decoding exists.
    path.write_bytes(b"Tram line approved in Velden\n\n" + b"The council \x81\x8d voted on Tuesday.")
    record, article = only(read_all(path))
    assert article is None and record.code == "bad_encoding"
    assert str(path) in record.reason


def test_base_decodes_utf16_bom_and_clean_cp1252(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes(codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"))
    (tmp_path / "win.txt").write_bytes(
        "Caf\u00e9 owners \u201cangry\u201d\n\nThe owners said so.".encode("cp1252")
    )
    (tmp_path / "bom8.txt").write_bytes(codecs.BOM_UTF8 + ARTICLE.encode())
    results = {r.id: a for r, a in read_all(tmp_path)}
    assert results["u16"] is not None and results["u16"].title == "Velden council approves tram line"
    assert results["win"] is not None and results["win"].title == "Caf\u00e9 owners \u201cangry\u201d"
    assert results["bom8"] is not None and results["bom8"].title == "Velden council approves tram line"


def test_base_decode_prefers_declared_charset() -> None:
    data = "Москва".encode("cp1251")
    assert decode(data, "page.html", "cp1251") == "Москва"
    with pytest.raises(InputError):
        decode(b"\x81\x8d", "x.txt")


def test_base_binary_kind_accepts_text() -> None:
    assert binary_kind(ARTICLE.encode()) is None
    assert binary_kind(codecs.BOM_UTF16_BE + "text".encode("utf-16-be")) is None
    assert binary_kind(b"\x89PNG\r\n\x1a\n....") == "a PNG image"


def test_base_oversized_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text(ARTICLE + "More words. " * 200)
    record, article = only(read_all(path, settings=ReadSettings(max_bytes=500)))
    assert article is None and record.code == "too_large"
    assert "500" in record.reason and str(path) in record.reason


def test_base_duplicate_ids_are_kept_and_disambiguated(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text(ARTICLE)
    (tmp_path / "b" / "story.html").write_text(
        "<html><head><title>Tram</title></head><body><article><p>"
        + "The tram line was approved. " * 5
        + "</p></article></body></html>"
    )
    results = read_all(tmp_path)
    ids = [r.id for r, _ in results]
    assert ids == ["story", "story~2"]
    second_record, second_article = results[1]
    assert second_article is not None and second_article.id == "story~2"
    assert second_record.status == "ok" and second_record.code == "duplicate_id"
    assert "story" in second_record.reason and "a/story.txt" in second_record.reason


def test_base_same_file_twice_is_read_once(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE)
    results = read_all(path, tmp_path)
    assert [a is not None for _, a in results] == [True, False]
    assert results[1][0].code == "duplicate_id"


def test_base_unknown_extension_in_folder_is_recorded(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(ARTICLE)
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n")
    results = read_all(tmp_path)
    by_id = {r.id: r for r, _ in results}
    assert by_id["story"].status == "ok"
    assert by_id["photo"].status == "skipped" and by_id["photo"].code == "unsupported_format"


def test_base_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = (
        b'{"title": "Pier opens", "text": "The pier opened on Saturday, the harbour master said."}\n{oops\n'
    )
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines)))
    results = read_all("-")
    assert [(r.id, r.status) for r, _ in results] == [("stdin:1", "ok"), ("stdin:2", "skipped")]
    assert results[1][0].location == "<stdin>:2" and results[1][0].code == "bad_json"


def test_base_stdin_text_stream_without_buffer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.StringIO('{"title": "Pier", "text": "The pier opened on Saturday."}\n')
    )
    ((record, article),) = read_all("-")
    assert record.status == "ok" and article is not None and article.title == "Pier"


def test_base_unreachable_url_is_a_recorded_input() -> None:
    record, article = only(read_all("http://127.0.0.1:9/feed.xml"))
    assert article is None
    assert (record.status, record.code) == ("skipped", "fetch_failed")
    assert "127.0.0.1:9/feed.xml" in record.reason


def test_base_inline_input_text_and_html() -> None:
    when = dt.datetime(2022, 5, 14, 9, 0)
    text = InlineInput(
        id="t1",
        content="The pier opened on Saturday, the harbour master said.",
        title="Pier opens",
        published=when,
        outlet="Gazette",
    )
    html = InlineInput(
        id="h1",
        content="<html><body><article><p>"
        + "Crowds visited the new pier on Sunday. " * 4
        + "</p></article></body></html>",
        url="https://velden-courier.example/2022/05/15/pier",
    )
    results = read_all(text, html)
    (r1, a1), (_r2, a2) = results
    assert r1.location == "inline:t1" and a1 is not None
    assert (a1.source_format, a1.title, a1.published, a1.outlet) == ("text", "Pier opens", when, "Gazette")
    assert a2 is not None and a2.source_format == "html" and a2.outlet == "velden-courier.example"
    assert a2.published == dt.datetime(2022, 5, 15)


def test_base_inline_input_too_large() -> None:
    record, article = only(
        read_all(InlineInput(id="big", content="x" * 100), settings=ReadSettings(max_bytes=10))
    )
    assert article is None and record.code == "too_large"


def test_base_unexpected_error_is_failed_not_raised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import storydesk.ingest.base as base

    def boom(*args: object, **kwargs: object) -> Article:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(base, "parse_text_article", boom)
    (tmp_path / "a.txt").write_text(ARTICLE)
    record, article = only(read_all(tmp_path / "a.txt"))
    assert article is None and record.status == "failed" and record.code == "internal_error"
    assert "parser exploded" in record.reason


def test_base_container_without_records_is_reported_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "blank.jsonl").write_text("\n\n   \n")
    (tmp_path / "none.json").write_text("[]")
    records = [r for r, _ in read_inputs([str(tmp_path)], ReadSettings())]
    assert sorted((r.id, r.status, r.code) for r in records) == [
        ("blank", "skipped", "empty"), ("none", "skipped", "empty")]
    assert all("holds no article records" in r.reason for r in records)


def test_base_blank_stdin_is_reported_not_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\n"))
    records = [r for r, _ in read_inputs(["-"], ReadSettings())]
    assert [(r.status, r.code) for r in records] == [("skipped", "empty")]
    assert "<stdin>" in records[0].reason
