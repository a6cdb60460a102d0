from storydesk.annotate.sentences import segment_text, split_paragraphs, split_sentences


def _split(text: str, language: str = "en") -> list[tuple[str, int]]:
    sentences = split_sentences(text, split_paragraphs(text), language)
    for s in sentences:
        assert text[s.start : s.end] == s.text  # offsets point into the article text
    return [(s.text, s.paragraph) for s in sentences]


def test_sentences_keep_abbreviations_whole() -> None:
    text = "The U.S. envoy met Dr. Smith at 5 p.m. on Monday. He left for Washington."
    assert _split(text) == [
        ("The U.S. envoy met Dr. Smith at 5 p.m. on Monday.", 0),
        ("He left for Washington.", 0),
    ]


def test_sentences_keep_quote_attribution_together() -> None:
    text = "“The symbolism does seem significant,” said Samuel Charap. “Is it?” she asked."
    assert [t for t, _ in _split(text)] == [
        "“The symbolism does seem significant,” said Samuel Charap.",
        "“Is it?” she asked.",
    ]


def test_sentences_never_cross_a_paragraph() -> None:
    text = "First paragraph has no final stop\n\nSecond paragraph starts here. And ends here."
    assert _split(text) == [
        ("First paragraph has no final stop", 0),
        ("Second paragraph starts here.", 1),
        ("And ends here.", 1),
    ]


def test_sentences_split_heading_lines_but_not_wrapped_prose() -> None:
    text = "Lavrov To Start Visit On Tuesday\nThe minister will fly to\nWashington on Tuesday. He returns Friday."
    assert [t for t, _ in _split(text)] == [
        "Lavrov To Start Visit On Tuesday",
        "The minister will fly to\nWashington on Tuesday.",
        "He returns Friday.",
    ]


def test_sentences_paragraph_offsets_skip_blank_lines() -> None:
    text = "  \n\nOne.\n\n\n  Two three.  \n"
    paragraphs = split_paragraphs(text)
    assert [(p.text, text[p.start : p.start + len(p.text)]) for p in paragraphs] == [
        ("One.", "One."),
        ("Two three.", "Two three."),
    ]


def test_sentences_russian_and_unknown_language() -> None:
    ru = _split("Министр прибыл в г. Вашингтон. Там он встретился с коллегой.", "ru")
    assert [t for t, _ in ru] == ["Министр прибыл в г. Вашингтон.", "Там он встретился с коллегой."]
    # a language pysbd does not know falls back to the regex splitter
    fi = _split("Ministeri saapui eilen. Hän tapasi kollegansa! Sitten hän lähti", "fi")
    assert [t for t, _ in fi] == ["Ministeri saapui eilen.", "Hän tapasi kollegansa!", "Sitten hän lähti"]


def test_sentences_no_sentence_opens_with_a_comma_after_an_abbreviation() -> None:
    """pysbd stops after "R-Ky." in "Sen. Rand Paul, R-Ky., said ...": the rest is not a sentence."""
    text = (
        '"It\'s a partisan farce," Sen. Rand Paul, R-Ky., said of the impeachment effort on "Fox News Sunday." '
        "Paul added that he does not believe a conviction is possible. The U.S. economy grew."
    )
    pieces = [text[a:b] for a, b in segment_text(text, "en")]
    assert pieces == [
        '"It\'s a partisan farce," Sen. Rand Paul, R-Ky., said of the impeachment effort on "Fox News Sunday."',
        "Paul added that he does not believe a conviction is possible.",
        "The U.S. economy grew.",
    ]


def test_sentences_pysbd_pieces_match_its_segment() -> None:
    """The str.find stand-in for pysbd's span search returns what ``Segmenter.segment`` returns, also for
    repeated sentences (each found after the previous one), abbreviations and non-ASCII spaces."""
    from storydesk.annotate.sentences import _pysbd_segmenter, _pysbd_segments

    segmenter = _pysbd_segmenter("en")
    assert segmenter is not None
    texts = [
        "He said no. He said no. He said no.",
        "Yes.  Yes. Yes.",
        "A. B. A. B.",
        "Mr. Smith went home. Mr. Smith went home.",
        "“Hi.” “Hi.”  Done.",
        "Go!\u00a0Go!\u2003Go!",
        "The U.S. envoy met Dr. Smith at 5 p.m. on Monday. He left for Washington.",
        "Sen. Rand Paul, R-Ky., said the bill was dead. Others disagreed.   ",
    ]
    for text in texts:
        assert _pysbd_segments(segmenter, text) == segmenter.segment(text), text
