"""Hand-built annotated articles for the analyse tests (no spaCy): one sentence per paragraph, with
mentions and dates placed by finding their text in each sentence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from storydesk.records import Article, DateMention, Mention, Sentence

# (text, value) at day precision, or (text, value, precision, relative)
DateSpec = tuple[str, dt.date] | tuple[str, dt.date, str, bool]


def article(
    aid: str,
    sentences: Sequence[str],
    *,
    names: Sequence[tuple[str, str]] = (),
    dates: Sequence[DateSpec] = (),
    language: str = "en",
    published: dt.datetime | None = dt.datetime(2017, 5, 10),
) -> Article:
    text = "\n\n".join(sentences)
    a = Article(id=aid, location=f"{aid}.txt", text=text, published=published, language=language)
    pos = 0
    for i, s in enumerate(sentences):
        start = text.index(s, pos)
        pos = start + len(s)
        a.sentences.append(Sentence(index=i, text=s, start=start, end=pos, paragraph=i))
        for name, label in names:
            k = s.find(name)
            if k >= 0:
                a.mentions.append(Mention(text=name, label=label, start=start + k, end=start + k + len(name), sentence=i))
        for spec in dates:
            dtext, value = spec[0], spec[1]
            precision: Any = spec[2] if len(spec) > 2 else "day"
            relative = bool(spec[3]) if len(spec) > 3 else False
            k = s.find(dtext)
            if k >= 0:
                a.dates.append(DateMention(text=dtext, value=value, precision=precision, start=start + k,
                                           end=start + k + len(dtext), sentence=i, relative=relative))
    return a
