"""Metadata parsing helpers: dates, domains, title clean-up, header scanning."""

from __future__ import annotations

import datetime as dt

from storydesk.clean.metadata import (
    clean_title,
    date_from_url,
    find_date,
    header_datetime,
    original_title,
    parse_published,
    registered_domain,
    scan_text,
    source_url,
)


def test_metadata_registered_domain() -> None:
    assert registered_domain("https://www.velden-courier.com/a/b") == "velden-courier.com"
    assert registered_domain("http://news.coastal.co.uk/x") == "coastal.co.uk"
    assert registered_domain("m.example.org") == "example.org"
    assert registered_domain("") == ""


def test_metadata_dates_in_many_shapes() -> None:
    assert find_date("on 2019-07-10 at noon")[0] == dt.date(2019, 7, 10)  # type: ignore[index]
    assert find_date("Tuesday, 9th of May 2017")[0] == dt.date(2017, 5, 9)  # type: ignore[index]
    assert find_date("Sept. 3, 2020")[0] == dt.date(2020, 9, 3)  # type: ignore[index]
    assert find_date("31.12.2018")[0] == dt.date(2018, 12, 31)  # type: ignore[index]
    assert find_date("room 2019 and 45 May") is None


def test_metadata_header_lines_are_mostly_a_date() -> None:
    assert header_datetime("Updated 10.05.2017 14:02 MSK") == dt.datetime(2017, 5, 10, 14, 2)
    assert header_datetime("Published: May 9, 2017 at 3:15 pm") == dt.datetime(2017, 5, 9, 15, 15)
    assert header_datetime("The ministers met on 9 May 2017 in the capital") is None


def test_metadata_url_dates() -> None:
    assert date_from_url("https://x.com/story/2017/05/10/trump-visit-1") == dt.datetime(2017, 5, 10)
    assert date_from_url("https://x.com/news/20190311/storm") == dt.datetime(2019, 3, 11)
    assert date_from_url("https://x.com/news/2019-03/storm") == dt.datetime(2019, 3, 1)
    assert date_from_url("https://x.com/about") is None


def test_metadata_source_and_original_lines() -> None:
    assert source_url("Source: https://a.example/x?y=1") == "https://a.example/x?y=1"
    assert source_url("The source said https://a.example was down") is None
    assert original_title("Original: Le pont rouvre") == "Le pont rouvre"
    assert original_title("Original: https://a.example/x") is None


def test_metadata_parse_published_keeps_wall_clock() -> None:
    assert parse_published("2022-05-14T23:30:00-04:00") == dt.datetime(2022, 5, 14, 23, 30)
    assert parse_published("Sat, 14 May 2022 08:00:00 GMT") == dt.datetime(2022, 5, 14, 8, 0)
    assert parse_published("") is None


def test_metadata_clean_title() -> None:
    assert clean_title("Dam passes test.  Dam passes test Related: other") == "Dam passes test"
    assert clean_title("  Dam   passes test ") == "Dam passes test"


def test_metadata_scan_text_reports_consumed_lines() -> None:
    text = "Dam passes test\n\nThe dam passed.\n\nOriginal: Damm besteht Test\nSource: https://www.morrow.example/2020/01/02/dam"
    meta = scan_text(text)
    assert meta.title == "Dam passes test" and meta.title_line == 0
    assert meta.header_lines == {4: "original_title", 5: "source_line"}
    assert meta.outlet == "morrow.example" and meta.published == dt.datetime(2020, 1, 2)


def test_metadata_untitled_text_title_skips_the_dateline() -> None:
    """An untitled text's title is its first sentence, without the dateline (whose "Conn." is no full stop)."""
    meta = scan_text(
        "STORRS, Conn. (WTNH) — Eight people have been arrested in the investigation into the death of a student.\n\n"
        "Police said the party was held off campus.\n"
    )
    assert meta.title == "Eight people have been arrested in the investigation into the death of a student"
    assert meta.title_line is None
