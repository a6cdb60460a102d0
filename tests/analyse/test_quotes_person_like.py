"""Pronoun speakers and names the tagger did not label as people (a rapper tagged as an organisation)."""

from __future__ import annotations

from storydesk.analyse.quotes import QuoteSpan, extract_quotes
from tests.analyse.test_canon import make


def by_text(quotes: list[QuoteSpan], fragment: str) -> QuoteSpan:
    found = [q for q in quotes if fragment in q.text]
    assert len(found) == 1, f"{fragment!r} in {[q.text for q in quotes]}"
    return found[0]


def test_quotes_he_after_a_speaker_tagged_organisation_is_that_speaker() -> None:
    text = (
        "Mayor Ana Kovac opened the harbour festival on Friday.\n\n"
        "“This is the best night of the whole year,” Havoc said.\n\n"
        "“I grew up two streets from this pier,” he added."
    )
    quotes = extract_quotes(make("a", text, ("Ana Kovac",), {"Havoc": "ORG"}))
    assert by_text(quotes, "best night").speaker == "Havoc"
    assert by_text(quotes, "grew up").speaker == "Havoc"  # not the mayor named before


def test_quotes_person_cues_make_a_mislabelled_name_a_person() -> None:
    cases = {
        "“Nobody listened to us,” said Havoc, a rapper from Eastport.": "GPE",  # apposition
        "The 45-year-old Havoc spoke for an hour. “Nobody listened to us,” Havoc said.": "NORP",  # age
        "Havoc, who grew up by the docks, spoke. “Nobody listened to us,” Havoc said.": "GPE",  # "who"
        "Havoc and his crew came late. “Nobody listened to us,” Havoc said.": "GPE",  # "his"
    }
    for lead, label in cases.items():
        text = f"Judge Leo Marsh closed the hearing.\n\n{lead}\n\n“We will be back next month,” she said."
        quotes = extract_quotes(make("a", text, ("Leo Marsh",), {"Havoc": label}))
        assert by_text(quotes, "Nobody listened").speaker_label == "PERSON", lead
        assert by_text(quotes, "next month").speaker == "Havoc", lead


def test_quotes_he_never_goes_to_an_organisation_or_a_country() -> None:
    text = (
        "Leo Marsh chaired the hearing.\n\n"
        "“The bridge is safe for traffic,” the Valtrex Company said.\n\n"
        "“We will pay for the repairs,” it added. “The costs are covered,” he said.\n\n"
        "“We were never told about the cracks,” Russia said.\n\n"
        "“Nobody listened to the engineers,” he said."
    )
    quotes = extract_quotes(make("a", text, ("Leo Marsh",), {"Valtrex Company": "ORG", "Russia": "GPE"}))
    assert by_text(quotes, "pay for the repairs").speaker == "Valtrex Company"  # "it" stays with the company
    assert by_text(quotes, "costs are covered").speaker == "Leo Marsh"
    assert by_text(quotes, "Nobody listened").speaker == "Leo Marsh"  # a country that speaks is no "he"


def test_quotes_organisation_cues_keep_a_speaking_name_off_he_and_she() -> None:
    for org in ("Norvale, which runs the ferry,", "Norvale said its ferry was late and"):
        text = (
            "Ana Kovac runs the port.\n\n"
            f"{org} “Delays happen every winter,” Norvale said.\n\n"
            "“We are sorry for the delay,” she said."
        )
        quotes = extract_quotes(make("a", text, ("Ana Kovac",), {"Norvale": "ORG"}))
        assert by_text(quotes, "sorry for the delay").speaker == "Ana Kovac", org
