"""Unicode and whitespace normalisation shared by the readers and the cleaner.

Quote marks are kept as they are: the quote extractor parses « », “ ”, „ “ and straight quotes,
and their shape tells it where a quotation opens and closes.
"""

from __future__ import annotations

import re
import unicodedata

# Spaces that scraped pages use for layout; all become a plain space.
_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
# Invisible characters that break tokenisation (zero-width, soft hyphen, BOM, bidi marks).
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff\u200e\u200f\u202a-\u202e]")
# C0/C1 control characters other than newline (tabs were mapped to spaces above).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_MULTISPACE = re.compile(r" {2,}")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85]")


# A drop capital that scraping set on a line of its own ("T" / "he most likely person ..."): one capital letter,
# then the lowercase rest of its word. "A" and "I" are words by themselves and are left alone.
_DROP_CAPITAL = re.compile(r"(?m)^([B-HJ-Z])\n+(?=[a-z])")


def normalize_text(text: str) -> str:
    """NFC, one kind of newline and space, no invisible or control characters, no trailing spaces.

    Line structure (single and blank lines) is kept: the cleaner reads layout from it.
    """
    text = _LINE_BREAKS.sub("\n", text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _CONTROL.sub("", text)
    lines = [_MULTISPACE.sub(" ", line).strip() for line in text.split("\n")]
    return _DROP_CAPITAL.sub(r"\1", "\n".join(lines)).strip("\n")


def collapse_whitespace(text: str) -> str:
    """All runs of whitespace (newlines included) become one space."""
    return " ".join(text.split())


_NOT_ALNUM = re.compile(r"[\W_]+")
# A word of page text: letters and digits, joined across an apostrophe or hyphen ("don't", "co-founder").
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def fold(text: str) -> str:
    """A comparison key: case-folded, letters and digits only, single spaces.

    Used to spot a repeated headline or label whatever its punctuation or quote style.
    """
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    # [\W_] is exactly "not str.isalnum()": one regex pass instead of a Python loop per character
    return " ".join(_NOT_ALNUM.sub(" ", text.casefold()).split())
