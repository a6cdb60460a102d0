"""Headline and places of a story.

The headline is the cleanest title of the article closest to the story's centre (a title that repeats
itself, as scrapes often do, is cut back to one copy); before a brief, a story list uses the title whose
words the other titles share most (:func:`central_title`). Places are the location entities that the most
independent sources mention.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from storydesk.annotate.embeddings import get_embedder
from storydesk.clean.metadata import first_sentence
from storydesk.group.features import tokenize
from storydesk.records import Article, Story
from storydesk.settings import AnalyseSettings
from storydesk.stage import StoryStage

_PLACE_LABELS = {"GPE", "LOC", "FAC"}


def clean_title(title: str, max_words: int = 24) -> str:
    """Collapse a title that scraping duplicated ("A. A. B" → "A.") and cap its length."""
    title = re.sub(r"\s+", " ", title).strip()
    # A scraped title often holds the headline twice, then a teaser: keep the first sentence-like run
    # that repeats.
    # (a stop after "Sen." or "U.S." ends no sentence: "Sen." occurs again in "Senate" and is no copy)
    first = first_sentence(title).strip()
    if first != title and title.count(first.rstrip(".!?")) > 1:
        title = first
    words = title.split()
    if len(words) > max_words:
        title = " ".join(words[:max_words]) + "…"
    return title


def central_title(titles: Sequence[tuple[str, bool]]) -> str:
    """The headline of a story from its members' titles alone (``(title, derived)`` pairs, oldest first),
    for story lists kept before any brief: the title whose words the other titles share most (a preview
    or a follow-up shares fewer of them than the report of the event itself). Titles made from a first
    sentence and titles longer than a headline are a last resort; ties go to the oldest."""
    cleaned = [(clean_title(t), derived) for t, derived in titles if t.strip()]
    if not cleaned:
        return ""
    bags = [set(tokenize(t)) for t, _ in cleaned]
    shared = Counter(w for bag in bags for w in bag)
    best, best_score = 0, -np.inf
    for i, ((title, derived), bag) in enumerate(zip(cleaned, bags, strict=True)):
        # how many other titles share each word, per word (the cosine of a binary bag with the sum)
        score = sum(shared[w] - 1 for w in bag) / np.sqrt(len(bag)) if bag else 0.0
        n_words = len(title.split())
        if derived or n_words > 20:
            score -= 1_000.0
        elif n_words < 4:
            score -= 0.5
        if score > best_score:
            best, best_score = i, score
    return cleaned[best][0]


class StoryOverview(StoryStage):
    name = "overview"

    def __init__(self, settings: AnalyseSettings, embedding_model: str = "wordllama") -> None:
        super().__init__()
        self.settings = settings
        self.embedding_model = embedding_model

    def analyse(self, story: Story, articles: Mapping[str, Article]) -> None:
        members = [articles[a] for a in story.articles if a in articles]
        story.headline = self._headline(members)
        story.places = self._places(story, members)

    def _headline(self, members: list[Article]) -> str:
        titled = [a for a in members if a.title.strip()]
        if not titled:
            return ""
        if len(titled) == 1:
            return clean_title(titled[0].title)
        # Centre of the story: mean embedding of each article's opening sentences.
        embedder = get_embedder(self.embedding_model)
        leads = [" ".join(s.text for s in a.sentences[:5]) or a.text[:1000] for a in titled]
        vectors = embedder.embed(leads)
        centre = vectors.mean(axis=0)
        scores = vectors @ centre
        # Prefer English titles of headline length: a "title" that is really the first paragraph (a text
        # without a title line) is a last resort.
        for i, a in enumerate(titled):
            n_words = len(a.title.split())
            if a.language and a.language != "en":
                scores[i] -= 0.2
            if n_words < 4:
                scores[i] -= 0.1
            if n_words > 20 or a.title_derived:
                scores[i] -= 1.0
        return clean_title(titled[int(np.argmax(scores))].title)

    def _places(self, story: Story, members: list[Article]) -> list[str]:
        groups = story.source_group_of()
        if story.entities:
            ranked: list[tuple[int, int, str]] = []
            for e in story.entities:
                if e.type in _PLACE_LABELS:
                    n_sources = len({groups.get(a, a) for a in e.articles})
                    ranked.append((n_sources, e.mentions, e.name))
            ranked.sort(key=lambda t: (-t[0], -t[1], t[2]))
            return [name for n, _, name in ranked if n >= 2][:4] or [name for _, _, name in ranked[:2]]
        sources: dict[str, set[object]] = {}
        counts: Counter[str] = Counter()
        for a in members:
            for m in a.mentions:
                if m.label in _PLACE_LABELS:
                    sources.setdefault(m.text, set()).add(groups.get(a.id, a.id))
                    counts[m.text] += 1
        names = sorted(sources, key=lambda n: (-len(sources[n]), -counts[n], n))
        return names[:4]
