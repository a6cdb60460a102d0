"""The annotator keeps the parse of the sentences a predicate selects (for the quote extractor), each as its
own doc that knows where its sentence sits; without a predicate it keeps nothing."""

from __future__ import annotations

from storydesk.annotate.annotator import Annotator
from storydesk.annotate.entities import load_model, model_for
from storydesk.records import Article

TEXT = (
    "The council met on Monday. The mayor said the budget was final. Rain fell all day.\n\n"
    "Three roads were closed. A spokesman said crews were working through the night."
)


def _said(text: str) -> bool:
    return " said " in text


def _stored(annotator: Annotator, article: Article) -> list[tuple[int, int, str, list[str]]]:
    from spacy.tokens import DocBin

    kept = article.sentence_parse
    assert kept is not None
    nlp = load_model(model_for("en", annotator.settings.spacy_models) or "")
    with nlp.memory_zone():
        docs = DocBin().from_bytes(kept.docs).get_docs(nlp.vocab)
        return [
            (index, offset, doc.text, [t.dep_ for t in doc])
            for index, offset, doc in zip(kept.sentences, kept.offsets, docs, strict=True)
        ]


def test_annotator_keeps_no_parse_without_a_predicate(annotator: Annotator) -> None:
    article = annotator.process(Article(id="a", location="a.txt", text=TEXT))
    assert article.sentences
    assert article.sentence_parse is None


def test_annotator_keeps_the_parse_of_the_selected_sentences_only(annotator: Annotator) -> None:
    keeping = Annotator(annotator.settings, keep_parse=_said)
    article = keeping.process(Article(id="a", location="a.txt", text=TEXT))
    stored = _stored(keeping, article)
    selected = [s for s in article.sentences if _said(s.text)]
    assert len(selected) == 2
    assert [index for index, _, _, _ in stored] == [s.index for s in selected]
    for (_, offset, text, deps), sent in zip(stored, selected, strict=True):
        assert offset == sent.start
        assert text.rstrip() == sent.text
        assert "nsubj" in deps and "ROOT" in deps  # the dependency parse, not just tokens


def test_annotator_reannotating_without_a_predicate_drops_the_kept_parse(annotator: Annotator) -> None:
    keeping = Annotator(annotator.settings, keep_parse=_said)
    article = keeping.process(Article(id="a", location="a.txt", text=TEXT))
    assert article.sentence_parse is not None
    assert annotator.process(article).sentence_parse is None
