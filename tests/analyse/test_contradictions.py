"""Contradictions between aligned statements (analyse/contradictions.py), on hand-built articles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from storydesk.analyse.contradictions import ContradictionFinder, same_name
from storydesk.records import Article, Fact, FactMention, Story
from storydesk.settings import AnalyseSettings
from tests.analyse.builders import article


def run(*articles: Article, facts: Sequence[Sequence[tuple[str, int]]] = (), groups: Sequence[Sequence[str]] = ()) -> Story:
    story = Story(id="S1", articles=[a.id for a in articles], source_groups=[list(g) for g in groups])
    by_id = {a.id: a for a in articles}
    story.facts = [
        Fact(
            id=f"F{n}", text="", articles=[aid for aid, _ in f],
            mentions=[FactMention(article=aid, sentence=i, text=by_id[aid].sentences[i].text) for aid, i in f],
        )
        for n, f in enumerate(facts, start=1)
    ]
    ContradictionFinder(AnalyseSettings(), resolver=lambda a, ref: a.dates).analyse(story, by_id)
    return story


def test_contradictions_year_disagreement_is_flagged() -> None:
    a = article("a", ["The talks were moved to Washington, which the minister last visited in 2013."])
    b = article("b", ["The talks were moved to Washington, which the minister last visited in the fall of 2014."])
    c = article("c", ["The talks were moved to Washington, which the minister last visited in 2013."])
    story = run(a, b, c)
    assert len(story.contradictions) == 1
    found = story.contradictions[0]
    assert found.kind == "year"
    assert {cl.value: cl.articles for cl in found.claims} == {"2013": ["a", "c"], "2014": ["b"]}
    assert "last visited" in found.about
    assert found.claims[0].value == "2013"  # the side with more support first


def test_contradictions_age_now_vs_upcoming_birthday_not_flagged() -> None:
    a = article("a", ["The president now has a guru of world diplomacy, 93-year-old Henry Kissinger."])
    b = article("b", ["The president met Henry Kissinger, who turns 94 on May 27, in the Oval Office."])
    c = article("c", ["The president met Henry Kissinger, who turns 96 on May 27, in the Oval Office."])
    assert run(a, b, facts=[[("a", 0), ("b", 0)]]).contradictions == []
    flagged = run(a, c, facts=[[("a", 0), ("c", 0)]]).contradictions
    assert [x.kind for x in flagged] == ["age"]


def test_contradictions_one_meeting_vs_all_talks_not_flagged() -> None:
    a = article("a", ["The meeting in the Oval Office was closed to the press and lasted only 40 minutes."])
    b = article("b", ["In total, the negotiations both in the White House and in the State Department lasted more than two hours."])
    assert run(a, b, facts=[[("a", 0), ("b", 0)]]).contradictions == []
    # The same two durations for one and the same meeting are a disagreement.
    c = article("c", ["The meeting in the Oval Office was closed to the press and lasted two hours."])
    assert [x.kind for x in run(a, c).contradictions] == ["duration"]


def test_contradictions_one_quantity_in_two_units_not_flagged() -> None:
    a = article("a", ["The protesters marched 5 miles from the square to the parliament building."])
    b = article("b", ["The protesters marched 8 km from the square to the parliament building."])
    c = article("c", ["The protesters marched 50 km from the square to the parliament building."])
    assert run(a, b).contradictions == []
    assert [x.kind for x in run(a, c).contradictions] == ["distance"]


def test_contradictions_relative_and_explicit_date_same_day_not_flagged() -> None:
    wed = dt.date(2017, 5, 10)
    a = article("a", ["The ministers held talks in Washington on Wednesday."], dates=[("Wednesday", wed, "day", True)])
    b = article("b", ["The ministers held talks in Washington on May 10."], dates=[("May 10", wed, "day", False)])
    c = article("c", ["The ministers held talks in Washington on May 17."], dates=[("May 17", dt.date(2017, 5, 17), "day", False)])
    assert run(a, b).contradictions == []
    flagged = run(b, c).contradictions
    assert [x.kind for x in flagged] == ["date"]
    assert sorted(cl.value for cl in flagged[0].claims) == ["2017-05-10", "2017-05-17"]


def test_contradictions_preview_vs_report_not_flagged() -> None:
    # The preview resolved "Wednesday" ahead of its Tuesday date; the report, written on Friday, back.
    preview = article(
        "p", ["The foreign minister will meet the secretary of state on Wednesday in Washington."],
        dates=[("Wednesday", dt.date(2017, 5, 10), "day", True)], published=dt.datetime(2017, 5, 9),
    )
    report = article(
        "r", ["The foreign minister met the secretary of state on Wednesday in Washington."],
        dates=[("Wednesday", dt.date(2017, 5, 10), "day", True)], published=dt.datetime(2017, 5, 12),
    )
    late = article(
        "l", ["The foreign minister met the secretary of state on Wednesday in Washington."],
        dates=[("Wednesday", dt.date(2017, 5, 17), "day", True)], published=dt.datetime(2017, 5, 19),
    )
    assert run(preview, report).contradictions == []
    # Same wording, resolved a week apart (e.g. a wrong publish date): the sources do not disagree.
    assert run(preview, late).contradictions == []


def test_contradictions_different_places_in_the_same_slot() -> None:
    names = [("Geneva", "GPE"), ("Vienna", "GPE"), ("USA", "GPE"), ("the United States", "GPE")]
    a = article("a", ["The next round of talks will be held in Geneva next month, officials said."], names=names)
    b = article("b", ["The next round of talks will be held in Vienna next month, officials said."], names=names)
    found = run(a, b).contradictions
    assert [x.kind for x in found] == ["place"]
    assert sorted(cl.value for cl in found[0].claims) == ["Geneva", "Vienna"]
    c = article("c", ["It happened just as the minister's plane was heading to the USA."], names=names)
    d = article("d", ["It happened just as the minister's plane was heading to the United States."], names=names)
    assert run(c, d).contradictions == []


def test_contradictions_values_about_different_things_not_flagged() -> None:
    a = article("a", ["Officials fear Russian efforts to swing France's May 7 presidential election."],
                dates=[("May 7", dt.date(2017, 5, 7), "day", False)])
    b = article("b", ["Officials fear Russian efforts to swing the 2016 US presidential election."],
                dates=[("2016", dt.date(2016, 1, 1), "year", False)])
    assert run(a, b, facts=[[("a", 0), ("b", 0)]]).contradictions == []


def test_contradictions_counts_normalised_before_comparing() -> None:
    a = article("a", ["The earthquake killed twelve people in the mountain villages, the ministry said."])
    b = article("b", ["The earthquake killed 12 people in the mountain villages, the ministry said."])
    c = article("c", ["The earthquake killed 20 people in the mountain villages, the ministry said."])
    assert run(a, b).contradictions == []
    found = run(a, b, c).contradictions
    assert len(found) == 1 and found[0].kind == "count"
    assert {cl.value: cl.articles for cl in found[0].claims} == {"12 people": ["a", "b"], "20 people": ["c"]}


def test_contradictions_same_article_never_contradicts_itself() -> None:
    a = article("a", [
        "The minister last visited the capital in 2013, his office said.",
        "The minister last visited the capital in 2014, his office said.",
    ])
    assert run(a).contradictions == []


def test_contradictions_same_name_recognises_short_forms() -> None:
    assert same_name("USA", "the United States")
    assert same_name("UN", "the United Nations")
    assert same_name("Lavrov", "Sergei Lavrov")
    assert not same_name("North Korea", "South Korea")
    assert not same_name("Geneva", "Vienna")


def test_contradictions_independent_reports_disagreeing_on_a_count() -> None:
    """Two outlets word the same toll differently (little shared wording, no fact alignment): the
    count of the same thing ("dock workers" / "workers") in the same slot is still compared."""
    tue = ("on Tuesday", dt.date(2026, 3, 10), "day", True)
    a = article("a", ["Twelve dock workers were taken to St. Brigid's Hospital with breathing difficulties, the port authority said."])
    b = article(
        "b",
        ["Fourteen dock workers were treated in hospital on Tuesday after a solvent tank burst at the port, forcing the authorities to close the harbour."],
        dates=[tue],
    )
    c = article("c", ["Twelve workers were treated in hospital after Tuesday's solvent leak, the hospital said."])
    story = run(a, b, c)
    counts = [x for x in story.contradictions if x.kind == "count"]
    assert len(counts) == 1, [(x.about, [cl.value for cl in x.claims]) for x in story.contradictions]
    sides = {cl.value.split()[0]: set(cl.articles) for cl in counts[0].claims}
    assert sides == {"12": {"a", "c"}, "14": {"b"}}


def test_contradictions_different_counted_things_are_not_compared() -> None:
    """Twelve hurt and two still in hospital, 23 ships and 40 lorries: different things, no conflict."""
    a = article("a", ["Twelve workers were treated in hospital after the leak, and 23 ships were held in port."])
    b = article("b", ["Two workers were still in hospital on Wednesday evening, and 40 lorries were held at the port."])
    c = article("c", ["Twelve workers were treated in hospital after the leak; two were still there on Wednesday."])
    assert not run(a, b, c).contradictions


def test_contradictions_counts_on_different_days_are_not_compared() -> None:
    """ "125 died across the country on Monday" and "four were killed across the country on Tuesday"
    are two days' tolls, even in undated articles where the weekdays stay unresolved."""
    a = article("a", ["As many as 125 people died across the country on Monday, the activists said."], published=None)
    b = article("b", ["As day broke on Tuesday, four people were killed across the country, activists said."], published=None)
    assert not run(a, b).contradictions
