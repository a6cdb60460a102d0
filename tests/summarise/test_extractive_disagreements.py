"""The summary states a disputed claim once, from its best-supported side, with every side's value
beside it; and it never repeats a statement that differs from a chosen one only in its numbers.

Hand-made articles (tests/analyse/builders.py) and hand-made contradictions: the summariser reads
``story.contradictions`` as the contradiction stage leaves them. Real embeddings: slow.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

import pytest

from storydesk.analyse.contradictions import ContradictionFinder
from storydesk.records import Article, Claim, Contradiction, Story, SummarySentence
from storydesk.settings import AnalyseSettings, LinkSettings, SummariseSettings
from storydesk.summarise.extractive import ExtractiveSummarizer
from tests.analyse.builders import article

pytestmark = pytest.mark.slow  # every test here embeds sentences with wordllama

TWELVE = "Twelve dock workers were taken to hospital with breathing difficulties, the port authority said."
TWELVE_AGAIN = "Twelve workers were treated in hospital after the leak; all but two had gone home by evening."
FOURTEEN = (
    "Fourteen dock workers were taken to hospital after a solvent tank burst at the harbour, "
    "forcing the port to close to all ships."
)
CLOSED = "The harbour was closed to all ships on Tuesday after a solvent tank burst at the eastern terminal."
SEALED = (
    "Firefighters from three stations sealed the ruptured tank by ten o'clock and laid foam over the spill."
)
REOPEN = "The port authority said the harbour would reopen on Thursday if air tests near the terminal came back clean."
FORKLIFT = "The accident happened shortly after six in the morning, when a forklift hit the solvent tank."


def _harbour() -> tuple[dict[str, Article], Story]:
    """Two independent sources say twelve; one says fourteen, in its lead, and tells more besides."""
    arts = [
        article("herald", [CLOSED, TWELVE, REOPEN]),
        article(
            "radio",
            [
                "The harbour will reopen on Thursday after air tests near the terminal came back clean.",
                TWELVE_AGAIN,
            ],
        ),
        article("daily", [FOURTEEN, SEALED, FORKLIFT]),
    ]
    contra = Contradiction(
        about="Number: … dock workers were taken to hospital",
        kind="count",
        claims=[
            Claim(value="12 workers", text=TWELVE, articles=["herald", "radio"]),
            Claim(value="14 workers", text=FOURTEEN, articles=["daily"]),
        ],
    )
    story = Story(
        id="s",
        articles=["daily", "herald", "radio"],
        source_groups=[["daily"], ["herald"], ["radio"]],
        contradictions=[contra],
    )
    return {a.id: a for a in arts}, story


def _summarise(story: Story, articles: Mapping[str, Article], **overrides: object) -> list[SummarySentence]:
    settings = dataclasses.replace(SummariseSettings(), **overrides)  # type: ignore[arg-type]
    return ExtractiveSummarizer(settings, LinkSettings()).summarise(story, articles)


def _counts(summary: list[SummarySentence]) -> list[SummarySentence]:
    return [s for s in summary if re.match(r"(Twelve|Fourteen)\b", s.text)]


def test_extractive_disagreements_without_them_both_sides_are_stated() -> None:
    """The baseline the rule exists for: with no contradiction known, each side reads as fact."""
    arts, story = _harbour()
    summary = _summarise(
        dataclasses.replace(story, contradictions=[]), arts, max_sentences=10, min_relative_score=0.0
    )
    texts = {s.text for s in summary}
    assert FOURTEEN in texts and (TWELVE in texts or TWELVE_AGAIN in texts), texts


def test_extractive_disagreements_state_the_best_supported_side_once_with_a_note() -> None:
    arts, story = _harbour()
    summary = _summarise(story, arts, max_sentences=10, min_relative_score=0.0)
    stated = _counts(summary)
    assert [s.text for s in stated] == [TWELVE]  # the claim once, the majority's sentence, verbatim
    (twelve,) = stated
    assert twelve.citations[0] == "herald" and "daily" not in twelve.citations
    assert TWELVE in arts[twelve.citations[0]].text
    (note,) = twelve.sources_differ
    assert note.kind == "count"
    assert [(v.value, v.articles) for v in note.values] == [
        ("12 workers", ["herald", "radio"]),
        ("14 workers", ["daily"]),
    ]
    # Only that sentence carries the note; the minority article's other, undisputed news still counts.
    assert all(not s.sources_differ for s in summary if s is not twelve)
    assert any(s.text in (SEALED, FORKLIFT) for s in summary), [s.text for s in summary]


def test_extractive_disagreements_swap_the_minority_lead_for_the_majority_wording() -> None:
    """Scoring on position alone puts the fourteen lead first; the summary still gives twelve."""
    arts, story = _harbour()
    position_only = dict(
        weight_centrality=0.0,
        weight_lexical=0.0,
        weight_entities=0.0,
        weight_coverage=0.0,
        weight_headline=0.0,
        weight_phrases=0.0,
        weight_support=0.0,
    )
    plain = _summarise(dataclasses.replace(story, contradictions=[]), arts, max_sentences=3, **position_only)
    assert FOURTEEN in {s.text for s in plain}  # the minority's lead wins on position ...
    summary = _summarise(story, arts, max_sentences=3, **position_only)
    assert [s.text for s in _counts(summary)] == [TWELVE]  # ... but the summary gives the majority's value
    assert summary and all(s.text != FOURTEEN for s in summary)


def test_extractive_disagreements_equal_support_keeps_the_scorers_choice_and_notes_it() -> None:
    arts, story = _harbour()
    contra = story.contradictions[0]
    contra.claims[0].articles = ["herald"]  # now one source each way
    story = dataclasses.replace(story, source_groups=[["daily"], ["herald", "radio"]])
    summary = _summarise(story, arts, max_sentences=10, min_relative_score=0.0)
    stated = _counts(summary)
    assert len(stated) == 1 and stated[0].sources_differ, [s.text for s in summary]
    assert {v.value for v in stated[0].sources_differ[0].values} == {"12 workers", "14 workers"}


def test_extractive_disagreements_found_by_the_contradiction_stage() -> None:
    """End to end over the two stages: the stage's own claims settle the summary."""
    arts, story = _harbour()
    story = dataclasses.replace(story, contradictions=[])
    ContradictionFinder(AnalyseSettings()).run(story, arts)
    assert story.contradictions, "the contradiction stage should see 12 vs 14 dock workers"
    summary = _summarise(story, arts, max_sentences=10, min_relative_score=0.0)
    stated = _counts(summary)
    assert len(stated) == 1 and stated[0].text.startswith("Twelve"), [s.text for s in summary]
    assert stated[0].sources_differ


def test_extractive_restatement_with_other_numbers_is_not_repeated() -> None:
    """Two sources count differently; no contradiction was detected, and the embedding test is off:
    the words, numbers aside, still say these are one statement, so it is made once."""
    a = article(
        "a",
        [
            "Police arrested 14 protesters in 3 cities on Sunday.",
            "The interior ministry banned further marches in the capital until next month.",
        ],
    )
    b = article("b", ["Police arrested 40 protesters across 5 cities, officials reported."])
    story = Story(id="s", articles=["a", "b"], source_groups=[["a"], ["b"]])
    summary = _summarise(
        story, {"a": a, "b": b}, max_sentences=5, min_relative_score=0.0, redundancy_threshold=1.01
    )
    assert sum("arrested" in s.text for s in summary) == 1, [s.text for s in summary]
    assert any("banned" in s.text for s in summary)  # distinct news stays
