"""Tests for the within-cluster refinement: one topic holding two events of one kind is split, one event
told from several angles is not."""

from __future__ import annotations

import dataclasses

import pytest

from storydesk.errors import SettingsError
from storydesk.group.batch import batch_cluster
from storydesk.records import Article
from storydesk.settings import GroupSettings

# the large-collection path (neighbourhoods, cut, refinement) on a hand-sized pile; lexical only
LARGE = dataclasses.replace(GroupSettings(), mode="cluster", batch_weight_embedding=0.0, batch_small_max=0)

# two monthly reports of one kind: the topic words (jobs report, payrolls, unemployment) are shared, the
# month, figures and people are not
MARCH = [
    "Jobs report: payrolls surged by 412,000 in March and unemployment fell to 4.1 percent, beating every "
    "forecast, said Orla Brandt of Kestrel Bank.",
    "March brought 412,000 more payrolls, the jobs report showed; with unemployment at 4.1 percent, Kestrel "
    "Bank's Orla Brandt called it a boom.",
    "Employers went on a March hiring spree: 412,000 payrolls in the jobs report, unemployment 4.1 percent. "
    "Orla Brandt (Kestrel Bank) expects more.",
]
OCTOBER = [
    "Jobs report: payrolls crept up by 96,000 in October and unemployment rose to 5.3 percent, a stall that "
    "worried Ivo Marchetti of Dunmore Trust.",
    "October added only 96,000 payrolls, the jobs report showed; with unemployment at 5.3 percent, Dunmore "
    "Trust's Ivo Marchetti warned of layoffs.",
    "Hiring froze in October: 96,000 payrolls in the jobs report, unemployment 5.3 percent. Ivo Marchetti "
    "(Dunmore Trust) sees a slowdown.",
]
# one storm told by six outlets: three lead with the power cuts, three with the port, and each mentions
# the other angle in passing: two angles of one event, not two events
STORM = [
    "Storm Halvard cut power to 80,000 homes in Vestmark overnight; engineers worked through the night and the "
    "port also closed.",
    "Engineers restored power to some of the 80,000 Vestmark homes Storm Halvard left dark; the port stayed shut.",
    "80,000 homes without power: Storm Halvard felled lines across Vestmark, engineers said, as the port closed.",
    "Storm Halvard closed Vestmark port, stranding ferries and lorries; 80,000 homes also lost power.",
    "Ferries stayed in dock as Storm Halvard kept the Vestmark port closed; power cuts hit 80,000 homes.",
    "Lorries queued outside the closed Vestmark port after Storm Halvard; ferries cancelled, 80,000 homes dark.",
]


def _articles(prefix: str, texts: list[str]) -> list[Article]:
    return [Article(id=f"{prefix}{i}", location=f"{prefix}{i}.txt", raw=t, text=t) for i, t in enumerate(texts)]


def test_batch_refine_splits_one_topic_into_its_two_events() -> None:
    articles = _articles("m", MARCH) + _articles("o", OCTOBER)
    loose = dataclasses.replace(LARGE, batch_threshold=0.1)  # a cut loose enough to glue the topic
    unrefined = batch_cluster(articles, dataclasses.replace(loose, batch_refine_min_size=0))
    # the shared topic glues both months into one cluster: the case the refinement exists for
    assert len(unrefined) == 1
    refined = batch_cluster(articles, loose)
    assert sorted(sorted(c) for c in refined) == [["m0", "m1", "m2"], ["o0", "o1", "o2"]]


def test_batch_refine_keeps_one_event_from_several_angles_whole() -> None:
    articles = _articles("s", STORM)
    assert len(batch_cluster(articles, dataclasses.replace(LARGE, batch_refine_min_size=0))) == 1
    # the within-cluster cut alone does find groups of angles here ...
    assert len(batch_cluster(articles, dataclasses.replace(LARGE, batch_refine_max_ratio=100.0))) > 1
    # ... but they are not far apart compared with their cohesion: one event stays one story
    assert len(batch_cluster(articles, LARGE)) == 1


def test_batch_refine_leaves_small_clusters_alone() -> None:
    # below batch_refine_min_size nothing is re-scored: two articles per month stay together
    articles = _articles("m", MARCH[:2]) + _articles("o", OCTOBER[:2])
    settings = dataclasses.replace(LARGE, batch_threshold=0.1, batch_refine_min_size=5)
    assert len(batch_cluster(articles, settings)) == len(
        batch_cluster(articles, dataclasses.replace(settings, batch_refine_min_size=0))
    )


@pytest.mark.parametrize(("field", "value"), [("batch_refine_min_size", -1), ("batch_refine_threshold", 1.5),
                                              ("batch_refine_max_ratio", -0.1)])
def test_batch_refine_bad_settings_are_settings_errors(field: str, value: float) -> None:
    articles = _articles("m", MARCH)
    with pytest.raises(SettingsError, match=field):
        batch_cluster(articles, dataclasses.replace(LARGE, **{field: value}))  # type: ignore[arg-type]


def test_batch_refine_never_splits_a_translation_from_its_original() -> None:
    import numpy as np

    from storydesk.group.batch import BatchClusterer

    # three English reports of one month and their translations: a translation shares no words with its
    # original, only meaning (here: the same multilingual vector as its original)
    originals = _articles("e", MARCH)
    translated = [
        Article(id=f"x{i}", location=f"x{i}.txt", raw=t, text=t)
        for i, t in enumerate([
            "Zpráva o zaměstnanosti: v březnu přibylo 412 000 míst, nezaměstnanost klesla na 4,1 procenta.",
            "Březen přinesl 412 000 nových míst; při nezaměstnanosti 4,1 procenta mluví Orla Brandt o boomu.",
            "Zaměstnavatelé v březnu nabírali: 412 000 míst, nezaměstnanost 4,1 procenta, čeká další růst.",
        ])
    ]
    articles = originals + translated
    rng = np.random.default_rng(3)
    base = rng.normal(size=(3, 16)).astype(np.float32) + 4.0  # three close meanings: one event
    meanings = np.vstack([base, base])
    meanings /= np.linalg.norm(meanings, axis=1, keepdims=True)
    languages = ["en"] * 3 + ["cs"] * 3
    clusterer = BatchClusterer(dataclasses.replace(LARGE, batch_threshold=0.1))
    clusters = clusterer.cluster_features(clusterer.featurize(articles), languages=languages, meanings=meanings)
    story = {aid: i for i, members in enumerate(clusters) for aid in members}
    assert all(story[f"e{i}"] == story[f"x{i}"] for i in range(3))
