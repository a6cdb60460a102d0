"""(De)serialisers between records and SQLite columns: JSON text for nested records, bytes for vectors.

Every function here is the inverse of its partner (``*_to_json`` / ``*_from_json``) so an article read
back from the store is equal to the one written, field for field.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any

import numpy as np

from storydesk.records import (
    Article,
    DateMention,
    Mention,
    Paragraph,
    Passage,
    ProvenanceLink,
    RemovedBlock,
    Sentence,
)

_SPACE = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Hash of the text with whitespace and case folded: the same article fetched twice hashes alike."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().lower().encode("utf-8")).hexdigest()


def datetime_to_text(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def datetime_from_text(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


# ------------------------------------------------------------------------------------------------
# clean: paragraphs and removed blocks
# ------------------------------------------------------------------------------------------------


def cleaned_to_json(article: Article) -> str:
    return json.dumps(
        {
            "paragraphs": [[p.index, p.text, p.start, p.is_heading] for p in article.paragraphs],
            "removed": [[b.text, b.reason] for b in article.removed],
            "boilerplate_chars": article.boilerplate_chars,
        },
        ensure_ascii=False,
    )


def cleaned_from_json(article: Article, text: str | None) -> None:
    if not text:
        return
    data = json.loads(text)
    article.paragraphs = [Paragraph(index=i, text=t, start=s, is_heading=h) for i, t, s, h in data["paragraphs"]]
    article.removed = [RemovedBlock(text=t, reason=r) for t, r in data["removed"]]
    article.boilerplate_chars = int(data["boilerplate_chars"])


# ------------------------------------------------------------------------------------------------
# annotate: sentences, mentions, dates (compact arrays: an article has hundreds of them)
# ------------------------------------------------------------------------------------------------


def sentences_to_json(sentences: list[Sentence]) -> str:
    return json.dumps([[s.index, s.text, s.start, s.end, s.paragraph] for s in sentences], ensure_ascii=False)


def sentences_from_json(text: str | None) -> list[Sentence]:
    if not text:
        return []
    return [Sentence(index=i, text=t, start=s, end=e, paragraph=p) for i, t, s, e, p in json.loads(text)]


def mentions_to_json(mentions: list[Mention]) -> str:
    return json.dumps([[m.text, m.label, m.start, m.end, m.sentence] for m in mentions], ensure_ascii=False)


def mentions_from_json(text: str | None) -> list[Mention]:
    if not text:
        return []
    return [Mention(text=t, label=lab, start=s, end=e, sentence=n) for t, lab, s, e, n in json.loads(text)]


def dates_to_json(dates: list[DateMention]) -> str:
    return json.dumps(
        [[d.text, d.value.isoformat(), d.precision, d.start, d.end, d.sentence, d.relative, d.span_days]
         for d in dates],
        ensure_ascii=False,
    )


def dates_from_json(text: str | None) -> list[DateMention]:
    if not text:
        return []
    out: list[DateMention] = []
    for row in json.loads(text):
        t, v, p, s, e, n, r = row[:7]
        span = row[7] if len(row) > 7 else 1  # rows written before span_days was stored
        out.append(DateMention(text=t, value=dt.date.fromisoformat(v), precision=p, start=s, end=e, sentence=n,
                               relative=r, span_days=span))
    return out


# ------------------------------------------------------------------------------------------------
# story records
# ------------------------------------------------------------------------------------------------


def evidence_to_json(evidence: list[Passage]) -> str:
    return json.dumps([[p.article, p.text, p.derived_text, p.score] for p in evidence], ensure_ascii=False)


def evidence_from_json(text: str | None) -> list[Passage]:
    if not text:
        return []
    return [Passage(article=a, text=t, derived_text=d, score=float(s)) for a, t, d, s in json.loads(text)]


def provenance_row(story_id: str, link: ProvenanceLink) -> tuple[Any, ...]:
    return (story_id, link.article, link.derived_from, link.relation, float(link.score), int(link.directed),
            evidence_to_json(link.evidence))


# ------------------------------------------------------------------------------------------------
# clusterer sketches
# ------------------------------------------------------------------------------------------------


def sparse_to_bytes(vec: dict[int, float]) -> bytes:
    keys = np.fromiter(vec.keys(), dtype=np.int64, count=len(vec))
    values = np.fromiter(vec.values(), dtype=np.float32, count=len(vec))
    return keys.tobytes() + values.tobytes()


def sparse_from_bytes(data: bytes | None) -> dict[int, float]:
    if not data:
        return {}
    n = len(data) // 12  # 8 bytes of key and 4 of value per entry
    keys = np.frombuffer(data[: n * 8], dtype=np.int64)
    values = np.frombuffer(data[n * 8 :], dtype=np.float32)
    return {int(k): float(v) for k, v in zip(keys, values, strict=True)}


def vector_to_bytes(vec: np.ndarray | None) -> bytes | None:
    return None if vec is None else np.asarray(vec, dtype=np.float32).tobytes()


def vector_from_bytes(data: bytes | None) -> np.ndarray | None:
    return None if data is None else np.frombuffer(data, dtype=np.float32).copy()


def languages_to_text(languages: set[str]) -> str:
    """A story's member languages as one sorted, comma-separated column ("en,ru")."""
    return ",".join(sorted(languages))


def languages_from_text(text: str | None) -> set[str]:
    return {lang for lang in (text or "").split(",") if lang}
