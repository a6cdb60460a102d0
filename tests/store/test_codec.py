"""Tests for the store's (de)serialisers."""

from __future__ import annotations

import datetime as dt

import numpy as np

from storydesk.records import Article, DateMention, Mention, Paragraph, RemovedBlock, Sentence
from storydesk.store import codec


def test_codec_content_hash_ignores_case_and_spacing() -> None:
    assert codec.content_hash("Lavrov  met\nTillerson ") == codec.content_hash("lavrov met tillerson")
    assert codec.content_hash("Lavrov met Tillerson") != codec.content_hash("Lavrov met Trump")


def test_codec_annotations_round_trip() -> None:
    sentences = [Sentence(index=0, text="A b.", start=0, end=4, paragraph=0)]
    mentions = [Mention(text="Kathmandu", label="GPE", start=5, end=14, sentence=0)]
    dates = [DateMention(text="on Saturday", value=dt.date(2015, 4, 25), precision="day", start=1, end=3,
                         sentence=0, relative=True)]
    assert codec.sentences_from_json(codec.sentences_to_json(sentences)) == sentences
    assert codec.mentions_from_json(codec.mentions_to_json(mentions)) == mentions
    assert codec.dates_from_json(codec.dates_to_json(dates)) == dates
    assert codec.sentences_from_json(None) == []


def test_codec_cleaned_fields_round_trip() -> None:
    article = Article(id="a", location="a", paragraphs=[Paragraph(index=0, text="T", start=0, is_heading=True)],
                      removed=[RemovedBlock(text="Share this", reason="widget")], boilerplate_chars=10)
    back = Article(id="a", location="a")
    codec.cleaned_from_json(back, codec.cleaned_to_json(article))
    assert back == article


def test_codec_sketches_round_trip() -> None:
    vec = {3: 0.5, 1_000_000: 0.25}
    back = codec.sparse_from_bytes(codec.sparse_to_bytes(vec))
    assert back.keys() == vec.keys() and all(abs(back[k] - vec[k]) < 1e-6 for k in vec)
    emb = np.arange(4, dtype=np.float32)
    restored = codec.vector_from_bytes(codec.vector_to_bytes(emb))
    assert restored is not None and np.array_equal(restored, emb)
    assert codec.vector_from_bytes(None) is None


def test_codec_dates_keep_their_span() -> None:
    import datetime as dt

    from storydesk.records import DateMention
    from storydesk.store import codec

    week = DateMention(text="last week", value=dt.date(2017, 5, 1), precision="day", start=0, end=9, sentence=2,
                       relative=True, span_days=7)
    assert codec.dates_from_json(codec.dates_to_json([week])) == [week]
    # Rows written before the span was stored read back as one day.
    old = '[["May 1", "2017-05-01", "day", 0, 5, 0, false]]'
    assert codec.dates_from_json(old)[0].span_days == 1
