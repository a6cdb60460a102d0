"""Content words without numbers: what a restatement with other figures still shares (no models)."""

from __future__ import annotations

from storydesk.records import Article, Sentence
from storydesk.summarise.candidates import collect_candidates, content_tokens, without_numbers


def test_candidates_numbers_are_dropped_from_the_topic_words() -> None:
    a = without_numbers(content_tokens("Fourteen workers and 2,000 residents left 3 districts on Tuesday."))
    b = without_numbers(content_tokens("Twelve workers and 1,500 residents left five districts on Tuesday."))
    assert a == b == {"worker", "resident", "left", "district", "tuesday"}


def test_candidates_carry_their_topic_words() -> None:
    text = "Fourteen dock workers were taken to hospital on Tuesday."
    art = Article(id="a", location="a.txt", text=text)
    art.sentences = [Sentence(index=0, text=text, start=0, end=len(text), paragraph=0)]
    (cand,) = collect_candidates(
        art, min_words=3, max_words=60, max_per_article=10, pronoun_penalty=0.6, connective_penalty=0.85
    )
    assert "fourteen" in cand.tokens and "fourteen" not in cand.topic
    assert cand.topic == cand.tokens - {"fourteen"}
