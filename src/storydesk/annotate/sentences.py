"""Paragraph and sentence splitting with offsets into the article text.

Sentences never cross a paragraph boundary: each paragraph is split on its own with pysbd (rule-based,
robust to "U.S.", "Dr.", "5 p.m." and to quotes), or with a small regex splitter for languages pysbd does
not know. A line break inside a paragraph ends a sentence only when the line looks like a heading or
caption (short, no closing punctuation), so hard-wrapped prose stays whole.
"""

from __future__ import annotations

import functools
import re
from typing import Protocol

from storydesk.records import Paragraph, Sentence

_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_HEADING_LINE_MAX = 80
# Regex fallback: a run ending in terminal punctuation (and closing quotes) followed by space and a capital.
_FALLBACK_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”»)\]]*\s+(?=[\"'“«(\[]?[^\W\d_])", re.UNICODE)


# Any place a sentence could end before the end of a block (pysbd decides which really do).
_MAYBE_BOUNDARY = re.compile(r"[.!?…。！？][\"'”»)\]]*\s+\S")


_RE_CACHE_SIZE = 4096


class _Segmenter(Protocol):
    def segment(self, text: str) -> list[str]: ...


# pysbd's own rule for where a sentence found by its processor lies in the text: the sentence and the
# whitespace after it (``Segmenter.sentences_with_char_spans``).
_TRAILING_SPACE = re.compile(r"\s*")


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs separated by blank lines, with their offsets (used when the cleaner did not set them)."""
    out: list[Paragraph] = []
    pos = 0
    for match in [*_BLANK_LINES.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[pos:end]
        stripped = chunk.strip()
        if stripped:
            start = pos + chunk.index(stripped)
            out.append(Paragraph(index=len(out), text=stripped, start=start))
        if match:
            pos = match.end()
    return out


@functools.cache
def _pysbd_segmenter(language: str) -> _Segmenter | None:
    import pysbd
    from pysbd.languages import LANGUAGE_CODES

    if language not in LANGUAGE_CODES:
        return None
    # pysbd compiles two regexes per abbreviation it finds in a block through re's module cache, which
    # keeps 512 patterns: on news text it evicts and recompiles all the time (~40% of its run time).
    # A larger cache (a few MB at most) keeps them compiled; it changes no result.
    re._MAXCACHE = max(getattr(re, "_MAXCACHE", 512), _RE_CACHE_SIZE)  # type: ignore[attr-defined]
    # clean=False keeps the text byte-identical so that every sentence is a substring we can locate.
    segmenter: _Segmenter = pysbd.Segmenter(language=language, clean=False)
    return segmenter


def _pysbd_segments(segmenter: _Segmenter, text: str) -> list[str]:
    """``segmenter.segment(text)``, with its last step done without regexes.

    pysbd finds each sentence its processor returns back in the text by compiling the escaped sentence
    as a regex and scanning the text from the start: a compile per sentence (none is ever reused, and
    they push its abbreviation patterns out of re's cache) and a quadratic scan. The same search with
    ``str.find`` gives the same pieces. Should pysbd's internals move, its public ``segment`` is used.
    """
    processor = getattr(segmenter, "processor", None)
    if processor is None or getattr(segmenter, "clean", True) or getattr(segmenter, "char_span", True):
        return segmenter.segment(text)
    pieces: list[str] = []
    prior_end = 0
    for sentence in processor(text).process():
        if not sentence:  # an empty pattern matches anywhere: leave that case to pysbd's own loop
            return segmenter.segment(text)
        # The first occurrence (scanning on past each one, as re.finditer does) that ends, with the
        # whitespace after it, beyond the previous sentence; a sentence not found is left out.
        pos = text.find(sentence)
        while pos >= 0:
            space = _TRAILING_SPACE.match(text, pos + len(sentence))
            end = space.end() if space else pos + len(sentence)
            if end > prior_end:
                pieces.append(text[pos:end])
                prior_end = end
                break
            pos = text.find(sentence, end)
    return pieces


def _regex_segments(text: str) -> list[str]:
    pieces: list[str] = []
    pos = 0
    for match in _FALLBACK_BOUNDARY.finditer(text):
        pieces.append(text[pos : match.start()])
        pos = match.start()
    pieces.append(text[pos:])
    return pieces


def _line_blocks(text: str) -> list[tuple[int, int]]:
    """Split a paragraph at line breaks that follow a heading-like line; (start, end) pairs."""
    blocks: list[tuple[int, int]] = []
    start = 0
    pos = 0
    for line in text.splitlines(keepends=True):
        line_end = pos + len(line)
        body = line.strip()
        if body and line.endswith("\n") and _is_heading_line(body) and text[line_end:].strip():
            blocks.append((start, line_end))
            start = line_end
        pos = line_end
    blocks.append((start, len(text)))
    return blocks


def _is_heading_line(line: str) -> bool:
    last = line[-1]
    if last in '.!?…"”»':  # a finished sentence
        return True
    if len(line) > _HEADING_LINE_MAX:  # a long unfinished line is wrapped prose
        return False
    words = [w for w in line.split() if len(w) >= 4 and w[0].isalpha()]
    if words and sum(w[0].isupper() for w in words) >= 0.6 * len(words):  # Title Case: a heading
        return True
    # Hard-wrapped prose ends its lines mid-sentence with a lowercase word, comma or hyphen.
    return not (last.islower() or last in ",;:-–")


def segment_text(text: str, language: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets inside one paragraph, whitespace trimmed."""
    segmenter = _pysbd_segmenter(language) if language else None
    spans: list[tuple[int, int]] = []
    for block_start, block_end in _line_blocks(text):
        # The remaining line breaks are wrapped prose: pysbd would split there, so hide them (same length).
        block = text[block_start:block_end].replace("\r", " ").replace("\n", " ")
        if not _MAYBE_BOUNDARY.search(block.rstrip()):
            pieces = [block]  # no stop inside the block: one sentence (pysbd is slow; skip it)
        elif segmenter is not None:
            pieces = _pysbd_segments(segmenter, block)
        else:
            pieces = _regex_segments(block)
        cursor = 0
        for piece in pieces:
            body = piece.strip()
            if not body:
                continue
            found = block.find(body, cursor)
            if found < 0:  # pysbd altered the text (should not happen with clean=False): skip safely
                continue
            start, end = block_start + found, block_start + found + len(body)
            if spans and spans[-1][1] > block_start and _continues(text[spans[-1][0] : spans[-1][1]], body):
                spans[-1] = (spans[-1][0], end)  # a false stop after an abbreviation: glue it back
            else:
                spans.append((start, end))
            cursor = found + len(body)
    return spans


# The end of a short abbreviation ("R-Ky.", "Conn.", "Inc.", "Gen."): where a splitter may stop wrongly.
_ABBREVIATION_END = re.compile(r"(?:^|\s)[A-Z][\w-]{0,4}\.$")


def _continues(previous: str, piece: str) -> bool:
    """Whether ``piece`` is the rest of the previous sentence, not a sentence of its own: no sentence
    opens with a comma or a closing bracket, nor with a lowercase word right after an abbreviation
    ("Sen. Rand Paul, R-Ky., said ...", "Smith & Co. said")."""
    if piece[0] in ",;:)]}":
        return True
    return piece[0].islower() and bool(_ABBREVIATION_END.search(previous))


def split_sentences(text: str, paragraphs: list[Paragraph], language: str) -> list[Sentence]:
    """Sentences of every paragraph, indexed in article order, offsets into ``text``."""
    sentences: list[Sentence] = []
    for paragraph in paragraphs:
        para_text = text[paragraph.start : paragraph.start + len(paragraph.text)]
        for start, end in segment_text(para_text, language):
            a, b = paragraph.start + start, paragraph.start + end
            sentences.append(
                Sentence(index=len(sentences), text=text[a:b], start=a, end=b, paragraph=paragraph.index)
            )
    return sentences
