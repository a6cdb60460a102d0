"""Reported speech beyond "X said that ...": a clause before or around its cue, verbs whose object or
addressee carries what was said, verbs of thinking and showing, nouns of saying. Each construction has
a positive case and a near miss that must report nothing (or not that)."""

from __future__ import annotations

import pytest

from storydesk.analyse.quotes import QuoteSpan, extract_quotes
from tests.analyse.test_canon import make

PEOPLE = ("Maria Lopez", "Tom Weber", "Lopez", "Weber")


def reported(text: str) -> list[QuoteSpan]:
    return [q for q in extract_quotes(make("a", text, PEOPLE, {})) if not q.direct]


def only(quotes: list[QuoteSpan]) -> QuoteSpan:
    assert len(quotes) == 1, [(q.speaker, q.cue, q.text) for q in quotes]
    return quotes[0]


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content"),
    [
        # the reported clause before its cue, with a speaker that is not a name
        (
            "The bridge will stay closed until Friday because of the storm damage, port officials said.",
            "port officials",
            "said",
            "The bridge will stay closed until Friday because of the storm damage",
        ),
        # the cue inside the clause it reports: both parts are what was said
        (
            "The museum, Maria Lopez said, would open again in the spring after the repairs.",
            "Maria Lopez",
            "said",
            "The museum would open again in the spring after the repairs",
        ),
        (
            "As Tom Weber has pointed out, the ferry has lost money for three years in a row.",
            "Tom Weber",
            "pointed",
            "the ferry has lost money for three years in a row",
        ),
        # a verb of saying with a noun phrase as its object
        (
            "Maria Lopez denied the allegations of fraud made by the dock workers' union.",
            "Maria Lopez",
            "denied",
            "the allegations of fraud made by the dock workers' union",
        ),
        (
            "Tom Weber announced a plan to rebuild the old harbour wall before the winter.",
            "Tom Weber",
            "announced",
            "a plan to rebuild the old harbour wall before the winter",
        ),
        # a request: the addressee and what they are asked to do
        (
            "Maria Lopez urged the city council to approve the harbour budget before the summer.",
            "Maria Lopez",
            "urged",
            "the city council to approve the harbour budget before the summer",
        ),
        (
            "Tom Weber called on the harbour master to resign over the missing funds.",
            "Tom Weber",
            "called",
            "the harbour master to resign over the missing funds",
        ),
        (
            "Tom Weber called for an independent audit of the port accounts.",
            "Tom Weber",
            "called",
            "an independent audit of the port accounts",
        ),
        # naming: the object and what it was called
        (
            "Maria Lopez called the charges unfounded and politically motivated.",
            "Maria Lopez",
            "called",
            "the charges unfounded and politically motivated",
        ),
        (
            "Tom Weber described the new timetable as a disaster for the island villages.",
            "Tom Weber",
            "described",
            "the new timetable as a disaster for the island villages",
        ),
        # speaking about something
        (
            "Maria Lopez warned against cutting the winter ferry service to the islands.",
            "Maria Lopez",
            "warned",
            "cutting the winter ferry service to the islands",
        ),
        # thinking and showing: a full that-clause
        (
            "Tom Weber fears that the port will lose its last shipping line next year.",
            "Tom Weber",
            "fears",
            "the port will lose its last shipping line next year",
        ),
        (
            "The harbour survey shows that most residents support the new tram line.",
            "The harbour survey",
            "shows",
            "most residents support the new tram line",
        ),
        # an account: how or why, after a verb of explaining
        (
            "Maria Lopez explained how the new ferry schedule would work in the winter months.",
            "Maria Lopez",
            "explained",
            "how the new ferry schedule would work in the winter months",
        ),
        # nouns of saying with their author
        (
            "Tom Weber's claim that the port was losing money turned out to be false.",
            "Tom Weber",
            "claim",
            "the port was losing money",
        ),
        (
            "The union ignored a warning from Maria Lopez that the port would close in March.",
            "Maria Lopez",
            "warning",
            "the port would close in March",
        ),
        (
            "Tom Weber issued a statement saying the port would stay open through the winter.",
            "Tom Weber",
            "saying",
            "the port would stay open through the winter",
        ),
    ],
)
def test_quotes_reported_cues_constructions(text: str, speaker: str, cue: str, content: str) -> None:
    quote = only(reported(text))
    assert quote.speaker.lower().removeprefix("the ") == speaker.lower().removeprefix("the ")
    assert quote.cue == cue
    assert quote.text == content


@pytest.mark.parametrize(
    "text",
    [
        "As Maria Lopez said goodbye, the last ferry left the harbour for the islands.",  # not a report
        "Tom Weber confirmed Maria Lopez as the new harbour master on Monday.",  # a person, not a thing said
        "Maria Lopez praised the harbour meeting on Monday.",  # a topic, not what was said
        "Tom Weber refused to confirm the reports of a secret deal with the union.",  # not confirmed
        "The law requires candidates to disclose their assets and sources of income.",  # no one disclosed
        "Tom Weber called the harbour office early on Monday morning.",  # a phone call
        "Maria Lopez told the whole story to her grandchildren every winter.",  # no addressee asked anything
        "Tom Weber spoke to reporters at the harbour on Monday morning.",  # no topic
        "Maria Lopez does not think that the port will reopen this year.",  # negated
        "Tom Weber would hope that the port reopens before the summer.",  # hypothetical
        "Maria Lopez knows when the port will reopen after the storm.",  # an indirect question
        "Tom Weber declined to explain why the ferry schedule had changed.",  # not explained
        "The harbour photographs showed how badly the storm had damaged the pier.",  # evidence, not an account
        "There was no claim that the port was losing money last year.",  # no claim
        "The claim that the port was losing money turned out to be false.",  # no author
        "The idea that the port would close worried the dock workers.",  # not a noun of saying
        "TOM WEBER THINKS THE PORT WILL CLOSE FOR GOOD THIS YEAR",  # a headline in capitals
    ],
)
def test_quotes_reported_cues_near_misses_report_nothing(text: str) -> None:
    assert reported(text) == []


def test_quotes_reported_cues_a_clause_across_a_semicolon_is_not_reported_by_the_next_cue() -> None:
    quote = only(
        reported("The storm damaged the old bridge; port officials say the repairs could take a month.")
    )
    assert quote.text == "the repairs could take a month"


def test_quotes_reported_cues_a_participle_of_saying_starts_a_second_report() -> None:
    quotes = reported(
        "Tom Weber said the plan would fail, arguing that the city lacked the money to finish the harbour wall."
    )
    assert [(q.cue, q.text) for q in quotes] == [
        ("said", "the plan would fail"),
        ("arguing", "the city lacked the money to finish the harbour wall"),
    ]
    assert {q.speaker for q in quotes} == {"Tom Weber"}


def test_quotes_reported_cues_speech_inside_what_was_said_is_the_outer_speakers_account() -> None:
    quote = only(reported("Tom Weber said Maria Lopez had told him that the port would close in March."))
    assert quote.speaker == "Tom Weber"
    assert quote.text.startswith("Maria Lopez had told him")
    belief = only(reported("Tom Weber said Maria Lopez hopes that the port will reopen in May."))
    assert belief.speaker == "Tom Weber"


def test_quotes_reported_cues_a_participle_of_saying_after_a_reported_cue_stays_with_that_cue() -> None:
    quotes = reported(
        "The harbour office noted that Tom Weber had warned the council about the costs, adding that the city "
        "lacked the money to finish the wall."
    )
    adding = [q for q in quotes if q.cue == "adding"]
    assert [(q.speaker, q.text) for q in adding] == [
        ("Tom Weber", "the city lacked the money to finish the wall")
    ]


def test_quotes_reported_cues_a_speech_verb_misread_as_a_modifier_is_not_part_of_the_speaker() -> None:
    quotes = reported(
        "Tom Weber described the port as the worst in the region, and added Russian officials said they had "
        "the same feeling."
    )
    said = [q for q in quotes if q.cue == "said"]
    assert [(q.speaker, q.text) for q in said] == [("Russian officials", "they had the same feeling")]


def test_quotes_reported_cues_a_lone_letter_is_not_a_speaker() -> None:
    assert reported("I offered him a drink but p said he wasn't feeling well that night.") == []
