"""Provenance links and independent source groups (relations, direction, corpus candidates)."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from storydesk.link.alignment import AlignedPair, Alignment
from storydesk.link.sources import (
    ProvenanceFinder,
    ProvenanceLinker,
    build_profile,
    find_links,
    source_groups,
)
from storydesk.records import Article, ProvenanceLink, Story
from storydesk.settings import LinkSettings, load_settings
from tests.link.articles import article_from_text

SETTINGS = load_settings().link


def _link(a: str, b: str, relation: str) -> ProvenanceLink:
    return ProvenanceLink(article=a, derived_from=b, relation=relation, score=1.0)  # type: ignore[arg-type]


def test_sources_source_groups_join_copies_but_not_shared_passages() -> None:
    links = [_link("b", "a", "duplicate"), _link("c", "b", "translation"), _link("e", "d", "shares")]
    groups = source_groups(["a", "b", "c", "d", "e", "f"], links)
    assert groups == [["a", "b", "c"], ["d"], ["e"], ["f"]]
    flat = [a for g in groups for a in g]
    assert sorted(flat) == ["a", "b", "c", "d", "e", "f"]  # every article exactly once


def _article(article_id: str, sentences: int) -> Article:
    text = " ".join(f"Sentence number {i} of article {article_id} says something." for i in range(sentences))
    return article_from_text(article_id, text)


def _alignment(n_left: int, n_right: int, pairs: list[tuple[int, int]], verbatim: bool) -> Alignment:
    chain = [AlignedPair(left=i, right=j, score=0.9, verbatim=verbatim) for i, j in pairs]
    return Alignment(n_left=n_left, n_right=n_right, matches=list(chain), chain=chain)


@pytest.mark.parametrize(
    ("n_left", "n_right", "pairs", "verbatim", "expected"),
    [
        (10, 10, [(i, i) for i in range(10)], True, "duplicate"),
        (10, 10, [(i, i) for i in range(8)], False, "translation"),
        (30, 10, [(12 + i, i) for i in range(9)], False, "contains"),
        (30, 10, [(12 + i, i) for i in range(9)], True, "contains"),
        (30, 30, [(3, 4), (4, 5), (5, 6)], True, "shares"),
        (30, 30, [(3, 4), (9, 5), (15, 6)], False, None),  # scattered echoes are not a shared passage
    ],
)
def test_sources_classify_relation_from_alignment(
    n_left: int, n_right: int, pairs: list[tuple[int, int]], verbatim: bool, expected: str | None
) -> None:
    finder = ProvenanceFinder(SETTINGS)
    a = build_profile(_article("a", n_left), SETTINGS)
    b = build_profile(_article("b", n_right), SETTINGS)
    found = finder.classify(a, b, _alignment(n_left, n_right, pairs, verbatim))
    assert (found[0] if found else None) == expected


STORY = [
    "The city council approved a new budget for public transport on Tuesday evening.",
    "The plan adds forty electric buses and extends three tram lines to the northern suburbs.",
    "Council members argued for hours about the cost of the tram extension.",
    "The mayor said the investment would cut commuting times by a fifth within five years.",
    "Opposition members warned that ticket prices could rise to pay for the expansion.",
    "Construction of the first tram line is due to start next spring.",
]
OTHER = [
    "A rare comet will be visible to the naked eye across Europe this weekend.",
    "Astronomers advise looking low on the western horizon shortly after sunset.",
    "The comet last passed close to the Sun more than six thousand years ago.",
    "Clear skies are forecast for most of the continent on Saturday night.",
    "Amateur observers are sharing photographs of its long green tail online.",
    "Planetariums in several cities are opening their roofs to the public for the event.",
    "The comet's nucleus is thought to be about a kilometre across.",
    "It will fade quickly after the middle of next month as it heads back into deep space.",
]
RETOLD = [
    "On Tuesday night the municipal council passed a fresh public transport budget.",
    "Under the plan, forty electric buses will be added and three tram routes extended to the northern suburbs.",
    "Councillors debated the price of the tram extension for hours.",
    "According to the mayor, the investment will reduce commuting times by twenty percent in five years.",
    "Members of the opposition cautioned that fares might increase to finance the expansion.",
    "Work on the first tram line is scheduled to begin next spring.",
]


@pytest.mark.slow
def test_sources_find_links_copy_bundle_retelling_and_unrelated() -> None:
    articles = [
        article_from_text("orig", "\n\n".join(STORY)),
        article_from_text("copy", "Share this story.\n\n" + "\n\n".join(STORY) + "\n\nAdvertisement"),
        article_from_text("bundle", "\n\n".join(OTHER) + "\n\nRelated materials\n\n" + "\n\n".join(STORY)),
        article_from_text("retold", "\n\n".join(RETOLD)),
        article_from_text("comet", "\n\n".join([*OTHER[:2], "Telescopes are not needed to see it."])),
    ]
    links = {(min(lk.article, lk.derived_from), max(lk.article, lk.derived_from)): lk for lk in find_links(articles, SETTINGS)}
    assert links[("copy", "orig")].relation == "duplicate"
    assert links[("bundle", "orig")].relation == "contains"
    assert links[("bundle", "orig")].article == "bundle"  # the bundle is derived: it adds its own text first
    assert links[("bundle", "orig")].directed
    assert links[("orig", "retold")].relation == "translation"
    evidence = links[("orig", "retold")].evidence
    assert len(evidence) >= 4 and all(p.score >= SETTINGS.align_threshold for p in evidence)
    assert ("comet", "orig") not in links and ("comet", "retold") not in links


@pytest.mark.slow
def test_sources_corpus_candidates_come_from_indexes(seeds_dir: Path) -> None:
    """With exhaustive pairing off, the LSH and embedding indexes must still propose the true pairs."""
    settings = dataclasses.replace(SETTINGS, exhaustive_max_articles=0)
    articles = [article_from_text(p.name[:3], p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))]
    copy = article_from_text("005", "Reprinted from a wire service.\n\n" + articles[4].text)
    finder = ProvenanceFinder(settings)
    links = finder.find([*articles, copy])
    found = {(lk.article, lk.derived_from, lk.relation) for lk in links}
    assert finder.stats.candidates < 15  # not all 21 pairs
    assert any({a, b} == {"000", "001"} and r == "translation" for a, b, r in found)
    assert any({a, b} == {"004", "005"} and r == "duplicate" for a, b, r in found)


@pytest.mark.slow
def test_sources_seeds_translation_containment_and_three_sources(seeds_dir: Path) -> None:
    articles = {p.name[:3]: article_from_text(p.name[:3], p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))}
    story = Story(id="s1", articles=sorted(articles))
    linker = ProvenanceLinker(SETTINGS)
    linker.run(story, articles)
    by_pair = {frozenset((lk.article, lk.derived_from)): lk for lk in story.provenance}
    translation = by_pair[frozenset(("000", "001"))]
    assert translation.relation == "translation"
    assert (translation.article, translation.derived_from, translation.directed) == ("000", "001", True)
    contains = by_pair[frozenset(("002", "003"))]
    assert contains.relation == "contains"
    assert (contains.article, contains.derived_from) == ("002", "003")
    assert not any("004" in pair for pair in by_pair)
    assert frozenset(("001", "002")) not in by_pair and frozenset(("001", "004")) not in by_pair
    assert story.source_groups == [["000", "001"], ["002", "003"], ["004"]]
    assert story.count_sources(["000", "001", "004"]) == 2


def _wmt_documents(datasets_dir: Path, count: int) -> list[dict[str, list[str]]]:
    path = datasets_dir / "wmt21_ru_en" / "newstest2021.ru-en.all.xml"
    out: list[dict[str, list[str]]] = []
    for _, doc in ET.iterparse(path):
        if doc.tag != "doc":
            continue
        versions: dict[str, list[str]] = {}
        for version in doc:
            name = version.tag if version.tag == "src" else f"{version.tag}-{version.get('translator') or version.get('system')}"
            versions[name] = [seg.text or "" for seg in version.iter("seg")]
        out.append(versions)
        if len(out) == count:
            break
    return out


@pytest.mark.slow
def test_sources_links_russian_original_to_english_translation(datasets_dir: Path) -> None:
    docs = _wmt_documents(datasets_dir, 3)
    articles = [
        article_from_text("ru0", "\n\n".join(docs[0]["src"]), language="ru"),
        article_from_text("en0", "\n\n".join(docs[0]["ref-A"])),
        article_from_text("en1", "\n\n".join(docs[1]["ref-A"])),
        article_from_text("ru2", "\n\n".join(docs[2]["src"]), language="ru"),
    ]
    links = find_links(articles, SETTINGS)
    pairs = {frozenset((lk.article, lk.derived_from)): lk.relation for lk in links}
    assert pairs.get(frozenset(("ru0", "en0"))) == "translation"
    assert not any(pair & {"ru0"} and pair & {"en1"} for pair in pairs)
    assert not any(pair & {"ru2"} and pair & {"en0", "en1"} for pair in pairs)
    assert all(re.match(r"^(ru|en)\d$", a) for pair in pairs for a in pair)


def test_sources_linker_gives_lone_articles_their_own_group() -> None:
    story = Story(id="s", articles=["x"])
    linker = ProvenanceLinker(LinkSettings())
    linker.run(story, {"x": article_from_text("x", "Only one article here, with a single sentence in it.")})
    assert story.provenance == [] and story.source_groups == [["x"]]


@pytest.mark.slow
def test_sources_seeds_through_real_cleaner_and_annotator(
    seeds_dir: Path, make_article: Callable[..., Article]
) -> None:
    articles = {
        p.name[:3]: make_article(p.name[:3], p.read_text(encoding="utf-8")) for p in sorted(seeds_dir.glob("*.txt"))
    }
    story = Story(id="seeds", articles=sorted(articles))
    ProvenanceLinker(SETTINGS).run(story, articles)
    relations = {frozenset((lk.article, lk.derived_from)): lk.relation for lk in story.provenance}
    assert relations == {frozenset(("000", "001")): "translation", frozenset(("002", "003")): "contains"}
    assert story.source_groups == [["000", "001"], ["002", "003"], ["004"]]
