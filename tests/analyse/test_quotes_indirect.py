"""Reported speech from the parse: each construction gives the right speaker and content; verbs that are
not speech, questions, negated and hypothetical uses give nothing."""

from __future__ import annotations

import pytest

from storydesk.analyse.quotes import QuoteSpan, cue_lemma, extract_quotes
from tests.analyse.test_canon import make
from tests.analyse.test_quotes import _story

PEOPLE = ("Maria Lopez", "Tom Weber", "Lopez")


def reported(text: str, *, persons: tuple[str, ...] = PEOPLE, orgs: tuple[str, ...] = ()) -> list[QuoteSpan]:
    art = make("a", text, persons, {o: "ORG" for o in orgs})
    return [q for q in extract_quotes(art) if not q.direct]


def only(quotes: list[QuoteSpan]) -> QuoteSpan:
    assert len(quotes) == 1, [(q.speaker, q.text) for q in quotes]
    return quotes[0]


def test_quotes_indirect_cue_lemma_maps_inflections_of_speech_verbs_only() -> None:
    assert [cue_lemma(w) for w in ("said", "Says", "told", "admitted", "denied", "warning", "argues")] == [
        "say", "say", "tell", "admit", "deny", "warn", "argue",
    ]  # fmt: skip
    assert [cue_lemma(w) for w in ("statement", "tables", "port", "reopened")] == [None, None, None, None]


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        (
            "Maria Lopez said the port would reopen on Thursday.",
            "Maria Lopez",
            "the port would reopen on Thursday",
        ),
        (
            "Tom Weber told reporters that the budget would be cut by half next year.",
            "Tom Weber",
            "the budget would be cut by half next year",
        ),
        (
            "Maria Lopez denied that she had met the lobbyists in March.",
            "Maria Lopez",
            "she had met the lobbyists",
        ),
        ("Tom Weber warned that prices would rise again next month.", "Tom Weber", "prices would rise again"),
        (
            "The bridge will stay closed until Friday, Maria Lopez said.",
            "Maria Lopez",
            "The bridge will stay closed until Friday",
        ),
        (
            "The bridge will stay closed until Friday, said Tom Weber.",
            "Tom Weber",
            "The bridge will stay closed until Friday",
        ),
        (
            "The harbour office announced that the ferries would run again from Monday.",
            "The harbour office",
            "the ferries would run again from Monday",
        ),
    ],
)
def test_quotes_indirect_speech_verb_constructions(text: str, speaker: str, content: str) -> None:
    quote = only(reported(text, orgs=("The harbour office",)))
    assert quote.speaker == speaker.removeprefix("The ")  # an organisation is named without its article
    assert content in quote.text
    assert not quote.text.startswith(("that ", ","))
    assert speaker.split()[-1] not in quote.text  # the attribution is not part of what was said


def test_quotes_indirect_according_to_before_and_after_the_content() -> None:
    first = only(reported("According to police, the driver fled in a grey van after the crash."))
    assert first.speaker == "police" and first.cue == "according to"
    assert first.text.startswith("the driver fled in a grey van")
    after = only(reported("The driver fled in a grey van, according to Maria Lopez."))
    assert after.speaker == "Maria Lopez"
    assert after.text == "The driver fled in a grey van"


def test_quotes_indirect_pronoun_speaker_is_the_person_named_before() -> None:
    quotes = reported(
        "Maria Lopez visited the docks on Monday.\n\nShe said the repairs would take another week."
    )
    quote = only(quotes)
    assert quote.speaker == "Maria Lopez"
    assert quote.text == "the repairs would take another week"


def test_quotes_indirect_partial_quote_gives_the_quoted_phrase_and_the_reported_clause() -> None:
    art = make(
        "a", "Maria Lopez said the plan was “a disaster for the whole city” and had to be dropped.", PEOPLE
    )
    quotes = extract_quotes(art)
    direct = [q for q in quotes if q.direct]
    indirect = [q for q in quotes if not q.direct]
    assert [q.text for q in direct] == ["a disaster for the whole city"]
    assert only(indirect).speaker == "Maria Lopez"
    assert only(indirect).text.startswith("the plan was")


@pytest.mark.parametrize(
    "text",
    [
        "Tom Weber ate lunch with his team in the canteen near the port.",  # no speech verb
        "Tom Weber bought the house that his brother had built in the hills.",
        "Did Maria Lopez say that the port would reopen on Thursday?",  # a question
        "Tom Weber did not say that the port would reopen on Thursday.",  # negated
        "Maria Lopez would never claim that the port will close for good.",  # a modal: hypothetical
        "If Tom Weber says that the port will close, the workers will strike.",  # conditional
        "Maria Lopez refused to say whether the port would reopen on Thursday.",  # an indirect question
        "It was reported that the port would reopen on Thursday.",  # no speaker
        "This suggests that the port will reopen on Thursday.",  # not a speaker
    ],
)
def test_quotes_indirect_no_attribution_without_a_speech_act(text: str) -> None:
    assert reported(text) == []


@pytest.mark.slow
def test_quotes_indirect_reported_clause_is_not_a_variant_of_the_quote_inside_it() -> None:
    art = make(
        "a", "Maria Lopez said the plan was “a disaster for the whole city” and had to be dropped.", PEOPLE
    )
    story = _story(art)
    assert sorted(q.direct for q in story.quotes) == [False, True]
    assert all(len(q.variants) == 1 for q in story.quotes)


def test_quotes_indirect_content_never_ends_inside_an_open_bracket() -> None:
    from storydesk.analyse.quotes import _balanced

    text = "they may meet during the July summit in Hamburg (Germany"
    assert [text[a:b] for a, b in _balanced(text, [(0, len(text))])] == ["they may meet during the July summit in Hamburg"]
    closed = "they may meet in Hamburg (Germany) in July"
    assert _balanced(closed, [(0, len(closed))]) == [(0, len(closed))]


def test_quotes_indirect_a_relative_clause_is_not_a_reported_statement() -> None:
    found = reported(
        "The two leaders may meet in July, which, according to Tom Weber, may happen during the summit in Hamburg."
    )
    assert not [q for q in found if q.text.lower().startswith(("which", "who"))]


@pytest.mark.parametrize(
    ("text", "content", "not_speaker"),
    [
        # a role noun is not the last person quoted ...
        (
            '"We will reopen the port," said Maria Lopez.\n\nThe spokesman said that talks would cover both the '
            "harbour and the rail link.",
            "talks would cover",
            "Maria Lopez",
        ),
        # ... nor a name after "said that", which does not take the speaker's title
        (
            "Tom Weber arrived in the capital on Monday for the talks.\n\n"
            "The spokesman said that Tom Weber would discuss both the harbour and the rail link.",
            "would discuss",
            "Tom Weber",
        ),
    ],
)
def test_quotes_indirect_a_role_noun_without_a_described_person_stays_as_written(
    text: str, content: str, not_speaker: str
) -> None:
    spoken = [q for q in extract_quotes(make("a", text, PEOPLE, {})) if not q.direct and content in q.text]
    assert spoken and all(q.speaker != not_speaker for q in spoken)
    assert spoken[0].speaker.lower() == "the spokesman"
