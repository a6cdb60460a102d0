"""Plain-text reader: title from the first line, scrape headers and footers as metadata."""

from __future__ import annotations

import datetime as dt

import pytest

from storydesk.errors import InputError
from storydesk.ingest.text import parse_text_article

BODY = (
    "The Velden city council approved a new tram line to the airport on Tuesday, ending a two-year "
    "dispute over its route.\n\nCouncil members voted 31 to 12 for the plan."
)


def test_text_first_line_is_the_title() -> None:
    article = parse_text_article("a", "a.txt", "\n\nTram line approved\n\n" + BODY)
    assert article.title == "Tram line approved"
    assert article.source_format == "text"
    assert article.raw.endswith("31 to 12 for the plan.")


def test_text_source_line_gives_url_outlet_and_date() -> None:
    text = (
        "Tram line approved\n\n"
        + BODY
        + "\n\nSource: https://www.velden-courier.co.uk/news/2021/06/08/tram-line\n"
    )
    article = parse_text_article("a", "a.txt", text)
    assert article.url == "https://www.velden-courier.co.uk/news/2021/06/08/tram-line"
    assert article.outlet == "velden-courier.co.uk"
    assert article.published == dt.datetime(2021, 6, 8)


def test_text_original_line_is_the_original_title() -> None:
    text = "Tram line approved\n\n" + BODY + "\n\nOriginal: Straßenbahnlinie genehmigt\n"
    assert parse_text_article("a", "a.txt", text).original_title == "Straßenbahnlinie genehmigt"


def test_text_header_date_and_time_stamp() -> None:
    text = (
        "Posted 2021-06-07 Register\n14:05 GMT +2 08 June 2021\nCouncil building\n\nTram line approved\n\n"
        + BODY
    )
    article = parse_text_article("a", "a.txt", text)
    # the stamp with a clock time wins over the date-only header; the caption line is not the title
    assert article.published == dt.datetime(2021, 6, 8, 14, 5)
    assert article.title == "Tram line approved"


def test_text_glued_time_zone_and_day() -> None:
    text = "09:10 UTC +310 July 2019\n\nFerry sails again\n\n" + BODY
    article = parse_text_article("a", "a.txt", text)
    assert article.published == dt.datetime(2019, 7, 10, 9, 10)
    assert article.title == "Ferry sails again"


def test_text_untitled_text_keeps_its_lede() -> None:
    lede = (
        "When the council met on Tuesday to vote on the tram line, more than two hundred residents "
        "waited outside the hall in the rain, and many of them had come to oppose the route through the park."
    )
    article = parse_text_article("a", "a.txt", lede + "\n\nThe vote passed.")
    assert article.title.startswith("When the council met on Tuesday")
    assert len(article.title.split()) <= 21


def test_text_repeated_headline_in_title_is_collapsed() -> None:
    text = "Ferry sails again. Ferry sails again Storm damage repaired\n\n" + BODY
    assert parse_text_article("a", "a.txt", text).title == "Ferry sails again"


def test_text_whitespace_only_is_empty() -> None:
    with pytest.raises(InputError) as err:
        parse_text_article("a", "a.txt", " \n\u00a0\n")
    assert err.value.reason.value == "empty"


def test_text_untitled_text_gets_a_derived_title_marked_as_such() -> None:
    lede = (
        "When the Velden city council met on Tuesday evening to vote on the long-disputed tram line to the "
        "airport, few expected the plan to pass with such a large majority of the members present."
    )
    article = parse_text_article("u", "u.txt", lede + "\n\n" + BODY)
    assert article.title_derived
    assert article.title and len(article.title.split()) <= 21
    titled = parse_text_article("t", "t.txt", "Tram line approved\n\n" + BODY)
    assert not titled.title_derived
