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


def test_metadata_derived_title_does_not_end_at_an_abbreviation() -> None:
    text = (
        "Velden Gov. Ana Ruiz said Sunday she is encouraged by the response to the flood that hit Marlow, Okla. "
        "But she worries about red tape.\n\nMore follows here in a second paragraph of the report."
    )
    meta = scan_text(text)
    assert meta.title_line is None
    assert meta.title == (
        "Velden Gov. Ana Ruiz said Sunday she is encouraged by the response to the flood that hit Marlow, Okla."
    )
    quote = scan_text("“She needs a lawyer,” Ms. Oduya said of Mr. Brand. “It is all on tape.”\n\nBody text.")
    assert quote.title == "“She needs a lawyer,” Ms. Oduya said of Mr. Brand"
    initial = scan_text("Kira Holm was one of David O. Selznick’s aides. She kept the letters.\n\nBody.")
    assert initial.title == "Kira Holm was one of David O. Selznick’s aides"


def test_metadata_derived_title_still_ends_at_a_sentence_after_an_ambiguous_abbreviation() -> None:
    meta = scan_text("The harbour deal was signed in the U.S. The talks went on for a week.\n\nBody.")
    assert meta.title == "The harbour deal was signed in the U.S."
    cut = scan_text(("word " * 18) + "by Sen. Holm and many others in the long list of names.\n\nBody.")
    assert cut.title.endswith("by…")


def test_metadata_photo_credit_line_is_not_the_title() -> None:
    text = "Photo: Velden Courier archives\n\nTeam finds giant fossil foot\n\nThe foot was found in 1998."
    meta = scan_text(text)
    assert meta.title == "Team finds giant fossil foot"
    assert any(reason == "caption" for reason in meta.header_lines.values())


def test_metadata_caption_line_is_not_the_title() -> None:
    for caption in (
        "A photo from the 1998 dig, with the foot bones below a tail of another dinosaur.",
        "FILE - In this May 20, 2017 file photo, Mayor Ana Ruiz speaks in Velden.",
        "Harbour workers stand by the gate on Monday. (Jon Smith/The Velden Courier)",
        "Tom Brand/Getty Images Mayor Ana Ruiz speaks during a meeting in Velden.",
    ):
        meta = scan_text(f"{caption}\n\nThe team found the bones of a giant dinosaur in the hills. It was big.")
        assert meta.title == "The team found the bones of a giant dinosaur in the hills", caption


def test_metadata_credit_is_cut_from_a_title() -> None:
    meta = scan_text("Shopping when hungry may cost you more (Image: Jon Smith/Getty)\n\nA study says so. More.")
    assert meta.title == "Shopping when hungry may cost you more"
    assert meta.title_line == 0
    pipe = scan_text(
        '"There is no cover story," said one professor. | AP Photo Mayor\'s plea stirs obstruction talk Many '
        "lawyers say a recall is the only remedy.\n\nThe revelation came on Tuesday."
    )
    assert pipe.title == "Mayor's plea stirs obstruction talk"
