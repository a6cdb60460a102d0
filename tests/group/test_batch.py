"""Tests for batch story clustering: pair scores, templates, neighbourhoods, time, languages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from storydesk.errors import SettingsError
from storydesk.group.batch import BatchClusterer, batch_cluster, neighbourhood_similarity, template_mask
from storydesk.group.stories import group_articles
from storydesk.records import Article
from storydesk.settings import GroupSettings, load_settings

# lexical only: no embedding model is loaded, so these tests stay fast
LEXICAL = dataclasses.replace(GroupSettings(), mode="cluster", batch_weight_embedding=0.0)

QUAKE = [
    "A magnitude 7.8 earthquake struck Nepal, killing hundreds in Kathmandu. Rescue teams searched collapsed "
    "buildings as the Nepal death toll rose and the Dharahara tower fell.",
    "Survivors in Kathmandu dug through rubble after the Nepal earthquake flattened the Dharahara tower; "
    "officials said the magnitude 7.8 quake killed hundreds.",
    "The Nepal earthquake toppled the Dharahara tower in Kathmandu; rescue teams reached collapsed homes as "
    "the death toll from the magnitude 7.8 quake climbed.",
]
FLOOD = [
    "Floods in Bavaria forced thousands from their homes as the Danube burst its banks near Passau. "
    "Soldiers filled sandbags along the Danube and Passau's old town stood under water.",
    "The Danube flood reached record levels in Passau, Bavaria, where soldiers stacked sandbags and thousands "
    "of residents were evacuated from their homes.",
    "Bavaria declared a disaster as the Danube flooded Passau; thousands evacuated while soldiers raised "
    "sandbag walls along the river.",
]
BANNER = (
    "You can add location information to your posts, such as your city or precise location, from the web and "
    "via third-party applications. Learn more"
)


def _article(aid: str, text: str, *, published: dt.datetime | None = None, title: str = "") -> Article:
    return Article(id=aid, location=f"{aid}.txt", raw=text, text=text, title=title, published=published)


def _story_of(clusters: list[list[str]]) -> dict[str, int]:
    return {aid: i for i, members in enumerate(clusters) for aid in members}


def test_batch_separates_two_events() -> None:
    articles = [_article(f"q{i}", t) for i, t in enumerate(QUAKE)] + [
        _article(f"f{i}", t) for i, t in enumerate(FLOOD)
    ]
    clusters = batch_cluster(articles, LEXICAL)
    assert sorted(sorted(c) for c in clusters) == [["f0", "f1", "f2"], ["q0", "q1", "q2"]]


def test_batch_template_copies_stay_apart_but_wire_copies_join() -> None:
    articles = [_article(f"q{i}", t) for i, t in enumerate(QUAKE)]
    # the same short banner scraped from three different pages: furniture, not a story
    articles += [_article(f"b{i}", BANNER) for i in range(3)]
    # a long wire story reprinted by three outlets: one story
    wire = " ".join(FLOOD) * 3
    articles += [_article(f"w{i}", wire) for i in range(3)]
    clusterer = BatchClusterer(LEXICAL)
    clusters = clusterer.cluster(articles)
    story = _story_of(clusters)
    assert sorted(clusterer.templates) == ["b0", "b1", "b2"]
    assert len({story["b0"], story["b1"], story["b2"]}) == 3
    assert all(len(c) == 1 for c in clusters if c[0].startswith("b"))
    assert story["w0"] == story["w1"] == story["w2"]
    assert story["q0"] == story["q1"] == story["q2"] != story["w0"]


def test_batch_two_copies_are_not_yet_a_template() -> None:
    terms = np.eye(4, dtype=np.float32)
    terms[0, 1] = terms[1, 0] = 0.95
    assert not template_mask(terms, [30, 30, 30, 30], LEXICAL).any()
    terms[0, 2] = terms[2, 0] = terms[1, 2] = terms[2, 1] = 0.95
    assert template_mask(terms, [30, 30, 30, 30], LEXICAL).tolist() == [True, True, True, False]
    # the same three copies, but long: a reprinted story, not a template
    assert not template_mask(terms, [900, 900, 900, 30], LEXICAL).any()


def test_batch_neighbourhood_similarity_rewards_shared_neighbours() -> None:
    # two tight groups and one pair that looks alike directly but has different neighbours
    direct = np.array(
        [[1.0, 0.6, 0.6, 0.3, 0.0, 0.0],
         [0.6, 1.0, 0.6, 0.0, 0.0, 0.0],
         [0.6, 0.6, 1.0, 0.0, 0.0, 0.0],
         [0.3, 0.0, 0.0, 1.0, 0.6, 0.6],
         [0.0, 0.0, 0.0, 0.6, 1.0, 0.6],
         [0.0, 0.0, 0.0, 0.6, 0.6, 1.0]],
        dtype=np.float32,
    )
    second = neighbourhood_similarity(direct, k=3)
    assert second[1, 2] > 0.9
    assert second[0, 3] < 0.5 * second[1, 2]
    assert second[1, 4] == pytest.approx(0.0)
    assert np.allclose(second, second.T)


def test_batch_time_window_splits_the_same_words_months_apart() -> None:
    spring = dt.datetime(2015, 4, 25, tzinfo=dt.UTC)
    autumn = dt.datetime(2015, 10, 1, tzinfo=dt.UTC)
    articles = [_article("a0", QUAKE[0], published=spring), _article("a1", QUAKE[1], published=spring),
                _article("b0", QUAKE[2], published=autumn), _article("b1", QUAKE[0], published=autumn)]
    story = _story_of(batch_cluster(articles, LEXICAL))
    assert story["a0"] == story["a1"] and story["b0"] == story["b1"] and story["a0"] != story["b0"]


def test_batch_large_collections_use_the_stream_clusterer() -> None:
    articles = [_article(f"q{i}", t) for i, t in enumerate(QUAKE)] + [
        _article(f"f{i}", t) for i, t in enumerate(FLOOD)
    ]
    settings = dataclasses.replace(LEXICAL, batch_max_articles=2, weight_embedding=0.0,
                                   similarity_threshold=0.2, merge_threshold=0.5)
    stories = group_articles(articles, settings)
    assert [s.articles for s in stories] == [["q0", "q1", "q2"], ["f0", "f1", "f2"]]


# Two events of one kind (a bridge collapse), each told by two outlets in their own words: the outlets
# share few words with each other but name the same places and people.
GENOA = [
    "A motorway viaduct gave way in Genoa on Tuesday, sending cars plunging onto railway tracks below. "
    "Danilo Toninelli, the transport minister, blamed Autostrade per l'Italia for the Morandi span.",
    "Dozens died when the Morandi bridge collapsed over the Polcevera valley in Genoa. Firefighters "
    "searched the rubble overnight while Toninelli demanded that Autostrade resign its concession.",
]
MINNEAPOLIS = [
    "The I-35W bridge over the Mississippi in Minneapolis fell into the river during rush hour. Governor "
    "Tim Pawlenty said divers from Hennepin County were recovering vehicles from the water.",
    "Rescuers in Minneapolis pulled commuters from the Mississippi after the interstate span buckled. "
    "Pawlenty ordered inspections of every similar bridge across Minnesota, Hennepin officials said.",
]


def test_batch_small_pile_joins_each_event_and_keeps_two_events_apart() -> None:
    articles = [_article("g0", GENOA[0]), _article("m0", MINNEAPOLIS[0]), _article("g1", GENOA[1]),
                _article("m1", MINNEAPOLIS[1])]
    assert len(articles) <= LEXICAL.batch_small_max  # the small-collection regime
    clusters = batch_cluster(articles, LEXICAL)
    assert sorted(sorted(c) for c in clusters) == [["g0", "g1"], ["m0", "m1"]]


def test_batch_small_regime_can_be_turned_off() -> None:
    articles = [_article("g0", GENOA[0]), _article("g1", GENOA[1]), _article("m0", MINNEAPOLIS[0])]
    small = batch_cluster(articles, LEXICAL)
    # without it, the same pile goes through the neighbourhood-sharpened score and its stricter cut
    large = batch_cluster(articles, dataclasses.replace(LEXICAL, batch_small_max=0, batch_threshold=0.95))
    assert _story_of(small)["g0"] == _story_of(small)["g1"] != _story_of(small)["m0"]
    assert len(large) == 3


@pytest.mark.parametrize(("field", "value"), [("batch_threshold", 1.5), ("batch_neighbours", -1),
                                              ("template_copies", 1), ("batch_small_threshold", 0.0),
                                              ("batch_small_max", -1), ("batch_small_weight_entities", -0.5)])
def test_batch_bad_settings_are_settings_errors(field: str, value: float) -> None:
    with pytest.raises(SettingsError, match=field):
        group_articles([_article("a", QUAKE[0])], dataclasses.replace(LEXICAL, **{field: value}))  # type: ignore[arg-type]


@pytest.mark.slow
def test_batch_russian_original_joins_its_english_coverage(datasets_dir: Path) -> None:
    root = ET.parse(datasets_dir / "wmt21_ru_en" / "newstest2021.ru-en.all.xml").getroot()
    docs = list(root.iter("doc"))
    articles: list[Article] = []
    for doc, kinds in ((docs[0], ("src", "ref")), (docs[1], ("ref",)), (docs[4], ("ref",))):
        for kind in kinds:
            element = doc.find(kind)
            assert element is not None
            segments = [seg.text or "" for seg in element.iter("seg")]
            articles.append(_article(f"{doc.get('id')}.{kind}", "\n".join(segments[1:]), title=segments[0]))
    settings = dataclasses.replace(load_settings().group, mode="cluster")
    story = _story_of(batch_cluster(articles, settings))
    russian, english, *others = articles
    assert story[russian.id] == story[english.id]
    assert all(story[o.id] != story[russian.id] for o in others)


@pytest.mark.slow
def test_batch_bundled_example_is_one_story() -> None:
    from storydesk.pipeline import prepare_articles

    example = Path(__file__).resolve().parents[2] / "examples" / "harbour-closure"
    settings = load_settings()
    articles = prepare_articles([str(example)], settings, [], {})
    assert len(articles) >= 5
    stories = group_articles(articles, settings.group)
    assert len(stories) == 1 and sorted(stories[0].articles) == sorted(a.id for a in articles)
