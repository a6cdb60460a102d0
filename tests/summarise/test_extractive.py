"""The extractive summariser on hand-made stories and on the seeds (real embeddings: slow)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pytest

from storydesk.records import Article, Fact, FactMention, ProvenanceLink, Story, SummarySentence
from storydesk.settings import LinkSettings, SummariseSettings
from storydesk.summarise.extractive import ExtractiveSummarizer
from storydesk.summarise.segment import ensure_sentences

pytestmark = pytest.mark.slow  # every test here embeds sentences with wordllama

BRIDGE_1 = """Council approves bridge

The Springfield city council voted on Monday to build a new bridge over the Clear River.
The bridge will cost 40 million dollars and is due to open in 2026.
Mayor Ann Lee said the vote was a victory for thousands of daily commuters.
Will the bridge be finished on time?
Critics on the council said the money should have gone to schools instead."""

BRIDGE_2 = """On Monday the city council of Springfield voted to build a new bridge across the Clear River.
Mayor Ann Lee called the decision a victory for the thousands of commuters who cross every day.
Construction crews are expected to start work next spring, officials said.
Subscribe to our newsletter for more local news."""

SPORTS = """The Springfield Sharks won the regional hockey final on Saturday night.
Goalkeeper Tom Berg saved three penalties in the shoot-out to seal the title."""


def _article(aid: str, text: str, **kw: object) -> Article:
    return ensure_sentences(Article(id=aid, location=f"{aid}.txt", raw=text, text=text, **kw))  # type: ignore[arg-type]


def _summarise(
    story: Story, articles: Mapping[str, Article], **overrides: object
) -> list[SummarySentence]:
    settings = dataclasses.replace(SummariseSettings(), **overrides)  # type: ignore[arg-type]
    return ExtractiveSummarizer(settings, LinkSettings()).summarise(story, articles)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _states(article: Article, text: str) -> bool:
    """The article has this sentence verbatim or a sentence that says the same (embedding cosine)."""
    from storydesk.annotate.embeddings import get_embedder

    if _norm(text) in _norm(article.text):
        return True
    vectors = get_embedder("wordllama").embed([s.text for s in article.sentences] + [text])
    return float(np.max(vectors[:-1] @ vectors[-1])) >= 0.6


def test_extractive_every_summary_sentence_cites_articles_that_contain_it() -> None:
    arts = {a.id: a for a in (_article("b1", BRIDGE_1), _article("b2", BRIDGE_2))}
    story = Story(id="s", articles=["b1", "b2"])
    summary = _summarise(story, arts)
    assert summary
    for sent in summary:
        assert _norm(sent.text) in _norm(arts[sent.citations[0]].text)  # verbatim in the first
        assert all(_states(arts[c], sent.text) for c in sent.citations)
    vote = next(s for s in summary if "voted" in s.text)
    assert sorted(vote.citations) == ["b1", "b2"]  # both articles report the vote
    mayor = next(s for s in summary if "Ann Lee" in s.text)
    assert sorted(mayor.citations) == ["b1", "b2"]


def test_extractive_never_states_one_fact_twice() -> None:
    arts = {a.id: a for a in (_article("b1", BRIDGE_1), _article("b2", BRIDGE_2))}
    summary = _summarise(Story(id="s", articles=["b1", "b2"]), arts, max_sentences=10)
    assert sum("voted" in s.text for s in summary) == 1
    assert sum("Ann Lee" in s.text for s in summary) == 1
    assert len({_norm(s.text) for s in summary}) == len(summary)


def test_extractive_only_clean_sentences() -> None:
    arts = {a.id: a for a in (_article("b1", BRIDGE_1), _article("b2", BRIDGE_2))}
    summary = _summarise(Story(id="s", articles=["b1", "b2"]), arts, max_sentences=20)
    texts = [s.text for s in summary]
    assert "Council approves bridge" not in texts  # heading
    assert not any(t.endswith("?") for t in texts)  # question
    assert not any("newsletter" in t for t in texts)  # page furniture
    assert len(texts) >= 5


def test_extractive_word_budget_stops_at_the_budget() -> None:
    arts = {a.id: a for a in (_article("b1", BRIDGE_1), _article("b2", BRIDGE_2))}
    summary = _summarise(Story(id="s", articles=["b1", "b2"]), arts, max_words=25, max_sentences=1)
    counts = [len(s.text.split()) for s in summary]
    assert sum(counts) >= 25 and sum(counts[:-1]) < 25
    assert len(summary) >= 2  # a word budget overrides the sentence count


def test_extractive_independent_support_beats_copied_support() -> None:
    claim_x = "The regional water board raised prices for households by nine percent this year."
    claim_y = "Farmers in the valley will receive emergency grants to repair flooded barns."
    claim_y2 = "Valley farmers are getting emergency grants to fix barns damaged by the floods."
    arts = {
        a.id: a
        for a in (
            _article("orig", f"{claim_x}\n\n{claim_y}"),
            _article("copy", f"{claim_x}\n\nA local school reopened its gym after a long renovation."),
            _article("other", f"Rain is expected again across the region on Friday afternoon.\n\n{claim_y2}"),
        )
    }
    only_support = dict(weight_centrality=0.0, weight_lexical=0.0, weight_entities=0.0, weight_coverage=0.0)
    story = Story(id="s", articles=["orig", "copy", "other"], source_groups=[["orig", "copy"], ["other"]])
    best = _summarise(story, arts, max_sentences=1, **only_support)[0]
    assert best.text == claim_y  # two independent sources
    assert sorted(best.citations) == ["orig", "other"]
    # Without provenance, the copy looks independent and the lead sentence X wins on position.
    naive = Story(id="s", articles=["orig", "copy", "other"])
    assert _summarise(naive, arts, max_sentences=1, **only_support)[0].text == claim_x


def test_extractive_cites_articles_of_an_aligned_fact() -> None:
    a = _article("a", "Officials confirmed that the northern pipeline will be closed for repairs until March.")
    b = _article("b", "Gas deliveries through the line in the north stop for maintenance work lasting three months.")
    fact = Fact(
        id="f1",
        text=a.sentences[0].text,
        articles=["a", "b"],
        independent_sources=2,
        mentions=[
            FactMention(article="a", sentence=0, text=a.sentences[0].text),
            FactMention(article="b", sentence=0, text=b.sentences[0].text),
        ],
    )
    story = Story(id="s", articles=["a", "b"], facts=[fact])
    summary = _summarise(story, {"a": a, "b": b}, max_sentences=5)
    assert len(summary) == 1  # the two wordings are one fact: stated once
    assert sorted(summary[0].citations) == ["a", "b"]


def test_extractive_orders_by_time_then_importance() -> None:
    early = _article(
        "early",
        "Storm warnings were issued for the whole coast as the hurricane approached the islands.",
        published=dt.datetime(2024, 9, 1, 8, 0),
    )
    late = _article(
        "late",
        "The hurricane made landfall near the port city, flooding hundreds of homes and cutting power.\n\n"
        "Rescue teams evacuated more than two thousand residents from the flooded districts overnight.",
        published=dt.datetime(2024, 9, 3, 8, 0),
    )
    story = Story(id="s", articles=["late", "early"])
    summary = _summarise(story, {"early": early, "late": late}, max_sentences=3)
    assert [s.citations[0] for s in summary] == ["early", "late", "late"]


def test_extractive_quotes_the_original_rather_than_its_translation() -> None:
    original = _article(
        "orig", "The foreign minister arrived in the capital on Tuesday for two days of talks on the border dispute."
    )
    translated = _article(
        "trans", "Minister of foreign affairs arrived to the capital on Tuesday for talks of two days about dispute of border."
    )
    link = ProvenanceLink(article="trans", derived_from="orig", relation="translation", score=0.9)
    story = Story(
        id="s", articles=["trans", "orig"], source_groups=[["orig", "trans"]], provenance=[link]
    )
    summary = _summarise(story, {"orig": original, "trans": translated})
    assert len(summary) == 1
    assert summary[0].text == original.sentences[0].text
    assert summary[0].citations == ["orig", "trans"]


def test_extractive_empty_and_unusable_stories_give_no_summary() -> None:
    assert _summarise(Story(id="s"), {}) == []
    headings = _article("h", "Breaking News\n\nLive Updates\n\nMore Stories")
    assert _summarise(Story(id="s", articles=["h"]), {"h": headings}) == []


def test_extractive_unrelated_article_does_not_get_cited() -> None:
    arts = {a.id: a for a in (_article("b1", BRIDGE_1), _article("b2", BRIDGE_2), _article("hockey", SPORTS))}
    summary = _summarise(Story(id="s", articles=["b1", "b2", "hockey"]), arts, max_sentences=10)
    for sent in summary:
        if sent.citations[0] != "hockey":
            assert "hockey" not in sent.citations


def test_extractive_sets_story_summary_as_a_stage() -> None:
    arts = {a.id: a for a in (_article("b1", BRIDGE_1), _article("b2", BRIDGE_2))}
    story = Story(id="s", articles=["b1", "b2"])
    stage = ExtractiveSummarizer(SummariseSettings(max_sentences=3), LinkSettings())
    stage.run(story, arts)
    assert 1 <= len(story.summary) <= 3
    assert stage.stats.items_out == 1


# ------------------------------------------------------------------------------ seeds, full pipeline
@pytest.fixture(scope="module")
def seeds_story(seeds_dir: Path) -> tuple[Story, dict[str, Article]]:
    from storydesk.pipeline import build_brief
    from storydesk.settings import load_settings

    brief = build_brief([str(seeds_dir)], load_settings())
    assert len(brief.stories) == 1
    return brief.stories[0], {a.id: a for a in brief.articles}


def test_extractive_seeds_summary_names_who_where_when_and_topics(
    seeds_story: tuple[Story, dict[str, Article]],
) -> None:
    story, _ = seeds_story
    blob = " ".join(s.text for s in story.summary)
    for participant in ("Lavrov", "Tillerson", "Trump"):
        assert participant.lower() in blob.lower(), participant
    assert "Washington" in blob
    assert re.search(r"\bMay 10\b|\b10 May\b|\bWednesday\b", blob), blob
    assert "Syria" in blob


def test_extractive_seeds_summary_never_repeats_itself(
    seeds_story: tuple[Story, dict[str, Article]],
) -> None:
    from storydesk.annotate.embeddings import get_embedder

    story, articles = seeds_story
    texts = [s.text for s in story.summary]
    assert 5 <= len(texts) <= 8
    vectors = get_embedder("wordllama").embed(texts)
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, 0.0)
    assert float(sims.max()) < SummariseSettings().redundancy_threshold
    for sent in story.summary:
        assert _norm(sent.text) in _norm(articles[sent.citations[0]].text)
        assert all(_states(articles[c], sent.text) for c in sent.citations)


def test_extractive_never_cites_an_article_that_gives_another_number() -> None:
    twelve_a = _article(
        "a",
        "A solvent tank burst at the harbour on Tuesday, forcing the port to close to all ships.\n\n"
        "Twelve dock workers were taken to hospital with breathing difficulties.",
    )
    twelve_b = _article(
        "b",
        "The harbour was closed to all ships on Tuesday after a solvent tank burst at the port.\n\n"
        "Twelve dock workers were taken to hospital with breathing problems, officials said.",
    )
    fourteen = _article(
        "c",
        "Fourteen dock workers were taken to hospital with breathing difficulties.",
    )
    arts = {a.id: a for a in (twelve_a, twelve_b, fourteen)}
    # A fact stage that aligned the two counts as one fact must not make "c" a citation of "Twelve".
    fact = Fact(
        id="f1",
        text=twelve_a.sentences[1].text,
        articles=["a", "c"],
        independent_sources=2,
        mentions=[
            FactMention(article="a", sentence=1, text=twelve_a.sentences[1].text),
            FactMention(article="c", sentence=0, text=fourteen.sentences[0].text),
        ],
    )
    summary = _summarise(Story(id="s", articles=["a", "b", "c"], facts=[fact]), arts, max_sentences=5)
    assert any("dock workers" in s.text for s in summary), summary
    stated = [s for s in summary if "Fourteen" in s.text]
    assert all(s.citations == ["c"] for s in stated), summary
    for s in summary:
        if s.text.startswith("Twelve"):
            assert "c" not in s.citations, summary


def test_extractive_preview_written_before_the_event_does_not_lead() -> None:
    preview = _article(
        "preview",
        "Inspectors will visit the chemical plant on Wednesday after workers complained about storage.",
        published=dt.datetime(2024, 3, 4, 8, 0),
    )
    report = _article(
        "report",
        "A fire destroyed the main warehouse of the chemical plant on Tuesday night, injuring three workers.\n\n"
        "Firefighters from four towns fought the blaze for six hours before bringing it under control.",
        published=dt.datetime(2024, 3, 6, 8, 0),
    )
    story = Story(
        id="s", articles=["preview", "report"], event_date=dt.date(2024, 3, 5)
    )
    summary = _summarise(story, {"preview": preview, "report": report}, max_sentences=3, preview_penalty=1.0)
    assert "preview" in [c for s in summary for c in s.citations]  # it is in the summary ...
    assert summary[0].citations[0] == "report"  # ... but the event comes first
    # Without an event date there is no preview: plain time order.
    plain = _summarise(
        Story(id="s", articles=["preview", "report"]), {"preview": preview, "report": report}, max_sentences=3
    )
    assert plain[0].citations[0] == "preview"


def test_extractive_a_sentence_about_an_earlier_day_does_not_lead() -> None:
    from storydesk.records import DateMention

    background = "The minister had visited the plant during her March 2 tour of the region's factories."
    event = "A fire destroyed the main warehouse of the chemical plant on Tuesday night, injuring three workers."
    texts = {"a": f"{background}\n\n{event}", "b": f"{background}\n\n{event}", "c": background}
    published = dt.datetime(2024, 3, 6, 8, 0)
    articles = {aid: _article(aid, text, published=published) for aid, text in texts.items()}
    for art in articles.values():
        start = art.text.index("March 2")
        art.dates = [DateMention(text="March 2", value=dt.date(2024, 3, 2), precision="day", start=start,
                                 end=start + 7, sentence=0)]
    story = Story(id="s", articles=list(texts), event_date=dt.date(2024, 3, 5))
    summary = _summarise(story, articles, max_sentences=2)
    texts_out = [s.text for s in summary]
    # the background sentence is said by more sources and ranks first by time and score alike ...
    assert background in texts_out and event in texts_out
    plain = _summarise(dataclasses.replace(story, event_date=None), articles, max_sentences=2)
    assert plain[0].text == background
    # ... but the summary opens with the event
    assert summary[0].text == event
