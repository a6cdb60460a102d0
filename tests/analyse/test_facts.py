"""Fact alignment and independent-source counts (analyse/facts.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pytest

from storydesk.analyse.facts import (
    AlignmentThresholds,
    FactAligner,
    Statement,
    align,
    clauses,
    content_words,
    drop_covered,
    same_statement,
)
from storydesk.records import (
    Article,
    Entity,
    Fact,
    FactMention,
    ProvenanceLink,
    Story,
)
from storydesk.settings import load_settings
from tests.analyse.builders import article


def statement(article: str, text: str, anchors: Sequence[str] = (), language: str = "en", sentence: int = 0) -> Statement:
    return Statement(
        article=article, sentence=sentence, text=text, position=0.0, words=content_words(text),
        anchors=frozenset(anchors), language=language,
    )


def test_facts_same_statement_needs_meaning_and_anchor() -> None:
    t = AlignmentThresholds()
    a = statement("a", "The minister met the secretary of state in Moscow on April 12.", ["D:2017-04-12"])
    b = statement("b", "The secretary of state met the minister on April 12 during a visit to Moscow.", ["D:2017-04-12"])
    other_day = statement("c", "The secretary of state met the minister on May 3 during a visit to Moscow.", ["D:2017-05-03"])
    assert same_statement(a, b, 0.65, t)  # a shared date and shared words carry a modest cosine
    assert not same_statement(a, other_day, 0.65, t)
    assert same_statement(a, other_day, 0.8, t)  # close meaning with shared wording: the same statement
    unrelated = statement("d", "Protesters gathered outside parliament demanding new elections.", [])
    assert not same_statement(a, unrelated, 0.9, t)  # no shared wording: never the same statement


def test_facts_same_statement_across_languages_uses_anchors_only() -> None:
    t = AlignmentThresholds()
    ru = statement("ru", "Лавров встретился с Тиллерсоном 10 мая.", ["E:E1", "D:2017-05-10"], language="ru")
    en = statement("en", "Lavrov met Tillerson on May 10.", ["E:E1", "D:2017-05-10"])
    assert same_statement(ru, en, 0.8, t)
    assert not same_statement(ru, statement("x", "Lavrov met Tillerson.", []), 0.8, t)


def test_facts_align_does_not_chain_through_one_sentence() -> None:
    # b is close to both a and c, but a and c say different things: two facts, not one chain.
    s = [
        statement("a", "The minister met the secretary of state in Moscow on Wednesday.", ["D:1"]),
        statement("b", "The minister met the secretary of state in Moscow on Wednesday and Thursday.", ["D:1", "D:2"]),
        statement("c", "The minister met the secretary of state in Moscow on Thursday.", ["D:2"]),
    ]
    v = np.array([[1.0, 0.0], [0.8, 0.6], [0.28, 0.96]], dtype=np.float32)  # cos a-b .8, b-c .8, a-c .55
    groups = align(s, v, AlignmentThresholds())
    assert len(groups) == 1
    assert groups[0] in ([0, 1], [1, 2])


def test_facts_align_never_pairs_sentences_of_one_article() -> None:
    s = [statement("a", "The minister met the secretary of state in Moscow on Wednesday.", ["D:1"], sentence=i) for i in range(3)]
    v = np.ones((3, 2), dtype=np.float32) / np.sqrt(2)
    assert align(s, v, AlignmentThresholds()) == []


def test_facts_clauses_split_long_sentences() -> None:
    text = ("On Thursday, the minister will take part in the ministerial meeting of the Arctic Council, "
            "where the United States will hand the two-year chairmanship over to Finland.")
    parts = [c for _, c in clauses(text)]
    assert parts[0].startswith("On Thursday") and parts[0].endswith("Arctic Council")
    assert parts[1].startswith("where the United States")


def test_facts_clauses_leave_out_relative_clauses_without_their_antecedent() -> None:
    text = ("The new bones are larger than those of the giant found in the south, which was reported to be "
            "one of the largest animals ever found on the continent.")
    parts = [c for _, c in clauses(text)]
    assert parts == ["The new bones are larger than those of the giant found in the south"]
    said = "\u201cI don\u2019t know where this goes,\u201d said a senior lawmaker of the party, who asked not to be named."
    assert all(not c.startswith("who") for _, c in clauses(said))


def test_facts_drop_covered_keeps_a_fact_once() -> None:
    big = Fact(id="", text="x", mentions=[FactMention(article="a", sentence=1, text=""), FactMention(article="b", sentence=2, text="")])
    clause = Fact(id="", text="x", mentions=[FactMention(article="a", sentence=1, text=""), FactMention(article="b", sentence=2, text="")])
    new = Fact(id="", text="y", mentions=[FactMention(article="a", sentence=1, text=""), FactMention(article="c", sentence=0, text="")])
    assert drop_covered([big, clause, new]) == [big, new]


# --------------------------------------------------------------------------------------------
# with the real embedders
# --------------------------------------------------------------------------------------------




def align_story(articles: Sequence[Article], story: Story) -> Story:
    settings = load_settings()
    FactAligner(settings.analyse, settings.link, resolver=lambda a, ref: a.dates).analyse(
        story, {a.id: a for a in articles}
    )
    return story


ORIGINAL = article("orig", [
    "Russian Foreign Minister Sergei Lavrov held talks with Secretary of State Rex Tillerson in Washington on May 10.",
    "Tillerson met with Putin during his April 12 visit to the Kremlin.",
    "The Kremlin recently declared that relations are at their worst point since the end of the Cold War.",
], names=[("Sergei Lavrov", "PERSON"), ("Rex Tillerson", "PERSON"), ("Tillerson", "PERSON"), ("Putin", "PERSON")],
   dates=[("May 10", dt.date(2017, 5, 10)), ("April 12", dt.date(2017, 4, 12))])
TRANSLATION = article("trans", [
    "Minister of foreign Affairs of Russia Sergey Lavrov held talks with us Secretary of state Rex Tillerson in Washington on 10 May.",
    "Tillerson met with Putin on 12 April, during his visit to the Kremlin.",
    "Recently, the Kremlin said that relations are experiencing the worst period since the end of the cold war.",
], names=[("Sergey Lavrov", "PERSON"), ("Rex Tillerson", "PERSON"), ("Tillerson", "PERSON"), ("Putin", "PERSON")],
   dates=[("10 May", dt.date(2017, 5, 10)), ("12 April", dt.date(2017, 4, 12))])
WIRE = article("wire", [
    "The previous meeting between Tillerson and Lavrov took place on April 12, when the secretary arrived in Russia and met Putin.",
    "The Arctic Council will hold its ministerial meeting in Fairbanks, Alaska, on Thursday.",
], names=[("Tillerson", "PERSON"), ("Lavrov", "PERSON"), ("Putin", "PERSON")],
   dates=[("April 12", dt.date(2017, 4, 12))])


@pytest.mark.slow
def test_facts_translation_counts_one_independent_source() -> None:
    story = Story(
        id="S1", articles=["orig", "trans", "wire"], source_groups=[["orig", "trans"], ["wire"]],
        provenance=[ProvenanceLink(article="trans", derived_from="orig", relation="translation", score=0.9)],
    )
    align_story([ORIGINAL, TRANSLATION, WIRE], story)
    by_articles = {tuple(f.articles): f for f in story.facts}
    visit = by_articles[("orig", "trans", "wire")]
    assert "April 12" in visit.text
    assert visit.independent_sources == 2  # the translation is not a second source
    kremlin = next(f for f in story.facts if "Cold War" in f.text or "cold war" in f.text)
    assert kremlin.articles == ["orig", "trans"]
    assert kremlin.independent_sources == 1
    assert kremlin.text == ORIGINAL.sentences[2].text  # the original's wording, not the translation's
    assert [m.article for m in kremlin.mentions] == ["orig", "trans"]
    assert story.facts[0] is visit  # most independent sources first
    # The Arctic Council sentence is stated by one article only: not a corroborated fact.
    assert not any("Arctic" in f.text for f in story.facts)


@pytest.mark.slow
def test_facts_without_provenance_each_article_counts() -> None:
    story = Story(id="S1", articles=["orig", "trans", "wire"])
    align_story([ORIGINAL, TRANSLATION, WIRE], story)
    visit = next(f for f in story.facts if len(f.articles) == 3)
    assert visit.independent_sources == 3


@pytest.mark.slow
def test_facts_same_topic_different_statement_not_aligned() -> None:
    a = article("a", [
        "The minister held talks with the secretary of state in Washington on Wednesday.",
        "The minister said sanctions were not discussed during the talks.",
    ], dates=[("Wednesday", dt.date(2017, 5, 10))])
    b = article("b", [
        "The minister will attend the Arctic Council meeting in Alaska on Thursday.",
        "The secretary of state said sanctions would remain in place until Moscow changes course.",
    ], dates=[("Thursday", dt.date(2017, 5, 11))])
    story = align_story([a, b], Story(id="S1", articles=["a", "b"]))
    assert story.facts == []


@pytest.mark.slow
def test_facts_translation_across_languages_counts_one_source() -> None:
    names = [("Лавров", "PERSON"), ("Тиллерсоном", "PERSON"), ("Lavrov", "PERSON"), ("Tillerson", "PERSON")]
    ru = article("ru", ["Глава МИД России Сергей Лавров 10 мая провёл переговоры с госсекретарём США Рексом Тиллерсоном в Вашингтоне."],
                 language="ru", names=names, dates=[("10 мая", dt.date(2017, 5, 10))])
    en = article("en", ["Russian Foreign Minister Sergei Lavrov held talks with US Secretary of State Rex Tillerson in Washington on May 10."],
                 names=names, dates=[("May 10", dt.date(2017, 5, 10))])
    other = article("other", ["An earthquake killed twelve people in the mountain villages on Tuesday, the ministry said."])
    story = Story(
        id="S1", articles=["ru", "en", "other"], source_groups=[["ru", "en"], ["other"]],
        entities=[Entity(id="E1", name="Sergei Lavrov", type="PERSON", aliases=["Лавров", "Lavrov"]),
                  Entity(id="E2", name="Rex Tillerson", type="PERSON", aliases=["Тиллерсоном", "Tillerson"])],
    )
    align_story([ru, en, other], story)
    assert [f.articles for f in story.facts] == [["ru", "en"]]
    assert story.facts[0].independent_sources == 1
