"""Titles of plain-text inputs are never page chrome: bylines, site taglines, section labels, editor's notes,
buttons, datelines, captions, disclaimers; the chrome above the text goes with its own reason code."""

from __future__ import annotations

import pytest

from storydesk.clean.boilerplate import (
    BoilerplateCleaner,
    is_button_row,
    is_disclaimer,
    is_editor_note,
    is_section_label,
    opening_chrome,
    strip_dateline,
)
from storydesk.clean.metadata import scan_text
from storydesk.clean.normalize import normalize_text
from storydesk.ingest.text import parse_text_article
from storydesk.records import Article
from storydesk.settings import CleanSettings

LEDE = "The Velden council voted on Tuesday to close the old harbour bridge. It reopens in the spring."
LEDE_TITLE = "The Velden council voted on Tuesday to close the old harbour bridge"
SECOND = "Engineers found cracks in two of its piers during an inspection last month, the council said."


def _title(text: str) -> str:
    return scan_text(normalize_text(text)).title


def _clean(text: str) -> Article:
    article = parse_text_article("x", "x.txt", text)
    return BoilerplateCleaner(CleanSettings()).process(article)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("By Mara Quill, Harbour Desk Public Affairs", "byline"),
        ("By Staff Sgt. Ona T. Reyes, 9th Wing Public Affairs / Published May 2, 2019", "byline"),
        ("From Wikipedia, the free encyclopedia", "page_chrome"),
        ("Columnist", "section_label"),
        ("INTRODUCTION:", "section_label"),
        ("Abstract and Introduction", "section_label"),
        ("Your Health", "section_label"),
        ("Play Facebook", "widget"),
        ("Embed Bridge Shut For Repairs 1:52 autoplay Copy this code to your website or blog", "widget"),
        ("This story is updated at the bottom with a response from the mayor", "editor_note"),
        ("Updated 6.15pm", "editor_note"),
        ("VELDEN, Norland -", "dateline"),
        ("Mayor Ilse Brandt, second from left, and engineers arrive at the bridge on Monday", "caption"),
        ("Ilse Brandt (left) and Piet Moor", "caption"),
    ],
)
def test_title_chrome_opening_line_is_removed_with_its_reason(line: str, reason: str) -> None:
    text = f"{line}\n\n{LEDE}\n\n{SECOND}"
    assert opening_chrome(line) == reason
    assert _title(text) == LEDE_TITLE
    article = _clean(text)
    assert (reason, line) in [(r.reason, r.text) for r in article.removed]
    assert article.text.startswith("The Velden council voted")


@pytest.mark.parametrize(
    "headline",
    [
        "Facebook buys Velden start-up",
        "Tina Vark",
        "Harbour bridge shut",
        "Update on the harbour bridge",
        "Election results from Velden",
        "Sen. Ola Brandt (R) wins the harbour seat",
    ],
)
def test_title_chrome_real_short_headline_survives(headline: str) -> None:
    assert opening_chrome(headline) == ""
    assert _title(f"{headline}\n\n{LEDE}") == headline


def test_title_chrome_datelines_are_cut_from_a_derived_title() -> None:
    rest = "The council voted on Tuesday to close the old harbour bridge. It reopens in the spring."
    for dateline in ("(VNN)", "VELDEN, Norland, Feb. 25 (NPI) --", "VELDEN—", "—", "Velden (VNN)"):
        sep = "" if dateline.endswith("—") and dateline != "—" else " "
        assert _title(dateline + sep + rest) == "The council voted on Tuesday to close the old harbour bridge"
    # a hyphen in a name is no dateline's dash, nor is a party label an agency
    assert strip_dateline("U.S.-Norland talks on the bridge resumed on Monday in Velden")[0] == ""
    assert strip_dateline("(R-Vel.) said the bridge must close before winter")[0] == ""


def test_title_chrome_summary_label_and_tags_are_cut_from_a_title_line() -> None:
    assert _title("Story highlights Velden closes its harbour bridge\n\n" + LEDE) == "Velden closes its harbour bridge"
    assert _title("bridge bridge repairs Velden Closes Its Old Harbour Bridge\n\n" + LEDE) == (
        "Velden Closes Its Old Harbour Bridge"
    )


def test_title_chrome_caps_paragraph_is_not_the_title_but_stays() -> None:
    caps = "WATCH OUR FREE STORM APP FOR UPDATES. THE HARBOUR BRIDGE IN VELDEN IS CLOSING FOR REPAIRS THIS WINTER."
    text = f"{caps}\n\n{LEDE}\n\n{SECOND}"
    assert _title(text) == LEDE_TITLE
    assert "WATCH OUR FREE STORM APP" in _clean(text).text
    assert _title("VELDEN SHUTS HARBOUR BRIDGE\n\n" + LEDE) == "VELDEN SHUTS HARBOUR BRIDGE"


def test_title_chrome_sentence_broken_across_blank_lines_is_joined() -> None:
    text = "The harbour bridge in Velden is absolutely\n\nunsafe\n\n...\n\n" + LEDE
    assert _title(text) == "The harbour bridge in Velden is absolutely unsafe"


def test_title_chrome_drop_capital_joins_its_word() -> None:
    text = "T\n\nhe council voted on Tuesday to close the old harbour bridge. Engineers found cracks."
    assert normalize_text(text).startswith("The council voted")
    assert _title(text) == "The council voted on Tuesday to close the old harbour bridge"
    assert normalize_text("A\n\nlist of closures follows").startswith("A\n")  # "A" is a word


def test_title_chrome_caption_sentence_glued_before_the_lede_is_skipped() -> None:
    text = "A diver is seen under the bridge in a file photo. " + LEDE + " " + SECOND
    assert _title(text) == LEDE_TITLE


def test_title_chrome_disclaimer_and_its_continuation_go() -> None:
    note = (
        "The boundaries shown on this map do not imply the expression of any opinion whatsoever on the part "
        "of the Velden Trust concerning the legal status of any"
    )
    article = _clean(f"{note}\n\nterritory or of its authorities.\n\n{LEDE}\n\n{SECOND}")
    assert [r.reason for r in article.removed][:2] == ["disclaimer", "disclaimer"]
    assert article.text.startswith("The Velden council")
    assert is_disclaimer("The views expressed here are those of the author.")
    assert not is_disclaimer('"This does not reflect the views of the council," Brandt said.')


def test_title_chrome_editor_note_in_the_body_goes() -> None:
    article = _clean(f"Velden shuts harbour bridge\n\n{LEDE}\n\nThis story was edited at 5:48 p.m. to correct a quote.")
    assert ("editor_note", "This story was edited at 5:48 p.m. to correct a quote.") in [
        (r.reason, r.text) for r in article.removed
    ]
    assert is_editor_note("UPDATE: May 8, 8:25 AM")
    assert not is_editor_note("UPDATE: Police identified the two divers found under the bridge.")


def test_title_chrome_button_rows_and_section_labels_need_only_their_words() -> None:
    assert is_button_row("Share Tweet Email")
    assert not is_button_row("Facebook buys WhatsApp")
    assert is_section_label("Local News More>>")
    assert not is_section_label("Local News Anchor Retires")
