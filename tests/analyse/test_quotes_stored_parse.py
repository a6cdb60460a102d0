"""Reported speech from the annotate stage's kept parse: no second parse, the same quotes as parsing the
sentences again, a fresh parse only for what was not kept, and the cache never reaches the brief."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import pytest

from storydesk.analyse import quotes as quotes_module
from storydesk.analyse.quotes import QuoteSpan, extract_quotes, may_report_speech
from storydesk.annotate.annotator import Annotator
from storydesk.ingest.base import InlineInput
from storydesk.records import Article, Sentence
from storydesk.settings import load_settings

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

TEXT = (
    "Harbour officials closed the northern dock on Monday after a crane collapsed.\n\n"
    "Maria Lopez, the port director, said the dock would reopen on Thursday. The crane was old, "
    "according to the workers' union.\n\n"
    "The inspection will take two more days, Tom Weber said. He warned that shipping "
    "costs could rise for local firms.\n\n"
    "Nobody was hurt. Lopez did not say whether the company would pay for the repairs."
)


@pytest.fixture(scope="module")
def annotator() -> Annotator:
    return Annotator(load_settings().annotate, keep_parse=may_report_speech)


@pytest.fixture(scope="module")
def kept(annotator: Annotator) -> Article:
    return annotator.process(Article(id="a", location="a.txt", text=TEXT))


def _fresh(article: Article) -> Article:
    return dataclasses.replace(article, sentence_parse=None)


def _key(quotes: Sequence[QuoteSpan]) -> list[tuple[int, int, str, str, bool]]:
    return [(q.start, q.end, q.speaker, q.cue, q.direct) for q in quotes]


def _no_parse(parser: object, article: Article, sentences: Sequence[Sentence]) -> Iterator[object]:
    raise AssertionError(f"parsed again: {[s.text for s in sentences]}")


def test_quotes_stored_parse_keeps_only_the_selected_sentences(kept: Article) -> None:
    from spacy.tokens import DocBin

    from storydesk.annotate.entities import load_model, model_for

    parse = kept.sentence_parse
    assert parse is not None
    nlp = load_model(model_for("en", load_settings().annotate.spacy_models) or "")
    with nlp.memory_zone():
        docs = DocBin().from_bytes(parse.docs).get_docs(nlp.vocab)
        stored = {
            (i, offset): doc.text for i, offset, doc in zip(parse.sentences, parse.offsets, docs, strict=True)
        }
    selected = [s for s in kept.sentences if may_report_speech(s.text)]
    assert 0 < len(selected) < len(kept.sentences)
    assert sorted(index for index, _ in stored) == [s.index for s in selected]
    for (_, offset), text in stored.items():
        assert kept.text[offset : offset + len(text.rstrip())] == text.rstrip()


def test_quotes_stored_parse_is_used_without_a_second_parse(
    kept: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = extract_quotes(_fresh(kept))  # parses the cue sentences on their own
    monkeypatch.setattr(quotes_module, "_parse_sentences", _no_parse)
    found = extract_quotes(kept)
    assert [q for q in found if not q.direct], "no reported speech found"
    assert _key(found) == _key(expected)
    with pytest.raises(AssertionError, match="parsed again"):
        extract_quotes(_fresh(kept))


def test_quotes_stored_parse_reads_the_expected_reported_speech(kept: Article) -> None:
    reported = {(q.speaker, q.text) for q in extract_quotes(kept) if not q.direct}
    assert ("Maria Lopez", "the dock would reopen on Thursday") in reported
    assert ("Tom Weber", "The inspection will take two more days") in reported
    # "did not say whether": negated, an indirect question: nothing reported.
    assert not any("pay for the repairs" in text for _, text in reported)


def test_quotes_stored_parse_falls_back_for_sentences_not_kept(annotator: Annotator) -> None:
    # A predicate that keeps nothing: every cue sentence is parsed by the quote extractor instead.
    bare = Annotator(annotator.settings, keep_parse=lambda text: False)
    article = bare.process(Article(id="b", location="b.txt", text=TEXT))
    assert article.sentence_parse is None
    kept = annotator.process(Article(id="b", location="b.txt", text=TEXT))
    assert _key(extract_quotes(article)) == _key(extract_quotes(kept))


def test_quotes_stored_parse_of_a_changed_text_is_not_used(
    kept: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A text edited after annotation: the stale docs are not read; its cue sentences are parsed again
    # and the quote carries the new wording.
    changed = dataclasses.replace(kept, text=kept.text.replace("would reopen", "could reopen"))
    parsed: list[str] = []
    fallback = quotes_module._parse_sentences

    def recording(
        parser: Language, article: Article, sentences: Sequence[Sentence]
    ) -> Iterator[tuple[Sentence, Doc, int]]:
        parsed.extend(s.text for s in sentences)
        return fallback(parser, article, sentences)

    monkeypatch.setattr(quotes_module, "_parse_sentences", recording)
    found = [q.text for q in extract_quotes(changed) if not q.direct]
    assert parsed == [s.text for s in kept.sentences if may_report_speech(s.text)]
    assert "the dock could reopen on Thursday" in found


def test_quotes_stored_parse_is_not_written_to_the_brief() -> None:
    from storydesk.pipeline import build_brief
    from storydesk.write.brief_json import brief_to_dict

    brief = build_brief([InlineInput(id="port", content=TEXT, title="Dock closed")], load_settings())
    assert [a.sentence_parse is not None for a in brief.articles] == [True]
    data = brief_to_dict(brief)
    assert "sentence_parse" not in data["articles"][0]
    assert "sentence_parse" not in json.dumps(data, default=str)
    assert any(not q["direct"] for s in data["stories"] for q in s["quotes"])
