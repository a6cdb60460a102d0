"""Which sentences may stand alone in a summary (hand-made sentences, no models)."""

from __future__ import annotations

import pytest

from storydesk.records import Article, Paragraph, Sentence
from storydesk.summarise.candidates import (
    collect_candidates,
    content_tokens,
    dependency_penalty,
    rejection,
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Lavrov met Tillerson in Washington on Wednesday to discuss Syria.", None),
        ("Sanctions and Bilateral Issues", "fragment"),  # a heading: no closing punctuation
        ("Will the two leaders meet in Hamburg in July this year?", "question"),
        ("and then the talks went on for two more hours.", "fragment"),  # cut mid-sentence
        ("Read more: Trump fires FBI director James Comey.", "furniture"),
        ("Click here to sign up for our daily newsletter about world politics.", "furniture"),
        ("The talks lasted two hours. © Photo: Vadim Savitsky/Defense Ministry.", "furniture"),
        ("RUSSIA AND US AGREE TO KEEP TALKING ABOUT SYRIA.", "shouting"),
        ("Too short.", "fragment"),
        ("Charged with eight counts of fraud and held without bail in the county jail.", "fragment"),
        ("Speaking to reporters on Monday, the mayor said the port would reopen.", None),
        ("Read on for the backstage reactions from the winners and the losers.", "reader_prompt"),
        ("Fans were quick to react, so share your own thoughts in the comments.", "reader_prompt"),
        ("Why it matters: The port handles most of the region's trade.", "label"),
        ("The minister said: we will rebuild every school that was damaged.", None),
    ],
)
def test_candidates_rejection_reasons(text: str, reason: str | None) -> None:
    assert rejection(text, min_words=6, max_words=60) == reason


def test_candidates_rejects_run_on_page_text() -> None:
    text = " ".join(["word"] * 80) + "."
    assert rejection(text, min_words=6, max_words=60) == "run_on"


def test_candidates_pronoun_and_connective_openings_are_penalised() -> None:
    assert dependency_penalty("He said the talks were useful.", 0.5, 0.8) == 0.5
    assert dependency_penalty("“They can and should help,” Lavrov said.", 0.5, 0.8) == 0.5
    assert dependency_penalty("However, no progress was made on sanctions.", 0.5, 0.8) == 0.8
    assert dependency_penalty("Lavrov said the talks were useful.", 0.5, 0.8) == 1.0
    # "Therefore" is a connective; "The" and "Then-president" are not pronouns
    assert dependency_penalty("The meeting lasted two hours.", 0.5, 0.8) == 1.0


def test_candidates_content_tokens_stem_and_drop_stop_words() -> None:
    a = content_tokens("Russia's foreign minister held talks.")
    b = content_tokens("The talk with Russia: the minister is foreign.")
    assert {"russia", "talk", "minister", "foreign"} <= a & b
    assert "the" not in b and "is" not in b


def test_candidates_skip_heading_paragraphs_and_rank_positions() -> None:
    text = "Talks in Washington\n\nLavrov met Tillerson in Washington on Wednesday.\nWhat happens next?\nBoth sides agreed to keep talking about Syria."
    paragraphs = [
        Paragraph(index=0, text="Talks in Washington", start=0, is_heading=True),
        Paragraph(index=1, text=text[21:], start=21),
    ]
    sentences: list[Sentence] = []
    for sent in ["Lavrov met Tillerson in Washington on Wednesday.", "What happens next?", "Both sides agreed to keep talking about Syria."]:
        start = text.index(sent)
        sentences.append(Sentence(index=len(sentences) + 1, text=sent, start=start, end=start + len(sent), paragraph=1))
    # the heading is also a "sentence" of its own heading paragraph, long enough and closed:
    heading_like = Sentence(index=0, text="Talks in Washington ended well.", start=0, end=19, paragraph=0)
    article = Article(id="a", location="a.txt", text=text, paragraphs=paragraphs, sentences=[heading_like, *sentences])
    out = collect_candidates(
        article, min_words=6, max_words=60, max_per_article=10, pronoun_penalty=0.5, connective_penalty=0.8
    )
    assert [c.text for c in out] == [sentences[0].text, sentences[2].text]
    assert [c.position for c in out] == [0, 1]
