"""Build Article records by hand for link tests (pysbd sentences, no cleaner or annotator needed)."""

from __future__ import annotations

import datetime as dt
import re

import pysbd

from storydesk.records import Article, Paragraph, Sentence

_SEGMENTERS: dict[str, pysbd.Segmenter] = {}
_META = re.compile(r"^(Source|Original):\s*(.+)$")


def _segmenter(language: str) -> pysbd.Segmenter:
    """pysbd's rules for ``language``, or its English ones where it has none (Czech, Slovak, ...)."""
    if language not in _SEGMENTERS:
        try:
            _SEGMENTERS[language] = pysbd.Segmenter(language=language, clean=False)
        except ValueError:
            _SEGMENTERS[language] = pysbd.Segmenter(language="en", clean=False)
    return _SEGMENTERS[language]


def article_from_text(
    article_id: str,
    text: str,
    *,
    language: str = "en",
    published: dt.datetime | None = None,
    url: str = "",
) -> Article:
    """An article whose paragraphs are blank-line blocks and sentences come from pysbd.

    ``Source: <url>`` and ``Original: <title>`` lines become ``url`` and ``original_title``, as the
    metadata cleaner does.
    """
    segmenter = _segmenter(language)
    original_title = ""
    kept: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        block = " ".join(line.strip() for line in block.splitlines() if line.strip())
        meta = _META.match(block)
        if meta and meta.group(1) == "Source":
            url = url or meta.group(2).strip()
        elif meta:
            original_title = meta.group(2).strip()
        elif block:
            kept.append(block)
    body = ""
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    for p_index, block in enumerate(kept):
        start = len(body)
        paragraphs.append(Paragraph(index=p_index, text=block, start=start))
        cursor = 0
        for piece in segmenter.segment(block):
            piece = piece.strip()
            if not piece:
                continue
            offset = block.find(piece, cursor)
            offset = cursor if offset < 0 else offset
            cursor = offset + len(piece)
            sentences.append(
                Sentence(
                    index=len(sentences),
                    text=piece,
                    start=start + offset,
                    end=start + offset + len(piece),
                    paragraph=p_index,
                )
            )
        body += block + "\n\n"
    return Article(
        id=article_id,
        location=f"{article_id}.txt",
        raw=text,
        text=body.rstrip("\n"),
        paragraphs=paragraphs,
        sentences=sentences,
        language=language,
        published=published,
        url=url,
        original_title=original_title,
    )
