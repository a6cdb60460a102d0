"""Normalisation: spaces and invisible characters go, quote marks and line structure stay."""

from __future__ import annotations

from storydesk.clean.normalize import collapse_whitespace, fold, normalize_text


def test_normalize_spaces_and_invisibles() -> None:
    raw = "Velden\u00a0council \u200bvoted\u00ad  today\r\n\r\nSecond\u2028line\t end  "
    assert normalize_text(raw) == "Velden council voted today\n\nSecond\nline end"


def test_normalize_keeps_quote_marks_and_composes() -> None:
    raw = '«Да», “yes”, „ja“ and "ok" \u2014 Cafe\u0301'
    out = normalize_text(raw)
    assert "«Да»" in out and "“yes”" in out and "„ja“" in out and '"ok"' in out
    assert out.endswith("Café") and len(out.split()[-1]) == 4


def test_normalize_fold_ignores_case_punctuation_and_accents() -> None:
    assert fold("Türkiye’s “Big” Day!") == fold("turkiye s big day")
    assert collapse_whitespace(" a \n\n b\tc ") == "a b c"
