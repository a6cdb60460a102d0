"""The summariser's fallback sentence splitting for articles the annotator did not see."""

from __future__ import annotations

from storydesk.records import Article, Sentence
from storydesk.summarise.segment import ensure_sentences


def test_segment_fills_verbatim_sentences_with_offsets() -> None:
    text = (
        "Talks in Washington\n\n"
        "Russian Foreign Minister Sergei Lavrov met Rex Tillerson on Wednesday. "
        "The U.S. side called the talks useful.\n\n"
        "Both sides will meet again in July."
    )
    article = ensure_sentences(Article(id="a", location="a.txt", raw=text))
    assert article.text == text
    texts = [s.text for s in article.sentences]
    assert texts == [
        "Talks in Washington",
        "Russian Foreign Minister Sergei Lavrov met Rex Tillerson on Wednesday.",
        "The U.S. side called the talks useful.",
        "Both sides will meet again in July.",
    ]
    for sent in article.sentences:
        assert text[sent.start : sent.end] == sent.text
    assert [s.paragraph for s in article.sentences] == [0, 1, 1, 2]
    assert [s.index for s in article.sentences] == [0, 1, 2, 3]


def test_segment_leaves_annotated_articles_alone() -> None:
    sentence = Sentence(index=0, text="Already split.", start=0, end=14, paragraph=0)
    article = Article(id="a", location="a.txt", text="Already split. Not again.", sentences=[sentence])
    assert ensure_sentences(article).sentences == [sentence]
