"""Timeline and event date (analyse/timeline.py), on hand-built articles with resolved dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from storydesk.analyse.timeline import TimelineBuilder, clause_around
from storydesk.records import Article, DateMention, Sentence, Story
from storydesk.settings import AnalyseSettings

D = dt.date


def article(
    aid: str,
    sentences: Sequence[tuple[str, Sequence[tuple[str, dt.date, str]]]],
    published: dt.datetime | None,
    span_days: int = 1,
) -> Article:
    """Sentences with their date mentions as (text, value, precision); relative when not a full date."""
    text = "\n\n".join(s for s, _ in sentences)
    a = Article(id=aid, location=f"{aid}.txt", text=text, published=published, language="en")
    pos = 0
    for i, (s, dates) in enumerate(sentences):
        start = text.index(s, pos)
        pos = start + len(s)
        a.sentences.append(Sentence(index=i, text=s, start=start, end=pos, paragraph=i))
        for dtext, value, precision in dates:
            k = s.index(dtext)
            a.dates.append(
                DateMention(
                    text=dtext, value=value, precision=precision,  # type: ignore[arg-type]
                    start=start + k, end=start + k + len(dtext), sentence=i,
                    relative=not any(ch.isdigit() for ch in dtext),
                    span_days=span_days if dtext.startswith("last week") else 1,
                )
            )
    return a


def build(*articles: Article, groups: Sequence[Sequence[str]] = ()) -> Story:
    story = Story(id="S1", articles=[a.id for a in articles], source_groups=[list(g) for g in groups])
    TimelineBuilder(AnalyseSettings(), resolver=lambda a, ref: a.dates).analyse(story, {a.id: a for a in articles})
    return story


PREVIEW = article(
    "preview",
    [
        ("The foreign minister will start his visit to the United States on Tuesday.", [("Tuesday", D(2017, 5, 9), "day")]),
        ("He is scheduled to meet the secretary of state on Wednesday in Washington.", [("Wednesday", D(2017, 5, 10), "day")]),
        ("On Thursday, the minister will take part in the ministerial meeting of the Arctic Council.",
         [("Thursday", D(2017, 5, 11), "day")]),
        ("The previous meeting of the two men took place on April 12 in Moscow.", [("April 12", D(2017, 4, 12), "day")]),
    ],
    dt.datetime(2017, 5, 9, 6, 36),
)
REPORT = article(
    "report",
    [
        ("On May 10, the minister held talks with the secretary of state in Washington.", [("May 10", D(2017, 5, 10), "day")]),
        ("The secretary of state visited Moscow on April 12 and met the president.", [("April 12", D(2017, 4, 12), "day")]),
        ("Relations have been tense since the annexation of Crimea in March 2014.", [("March 2014", D(2014, 3, 1), "month")]),
        ("The presidents will meet in July at the summit in Hamburg.", [("July", D(2017, 7, 1), "month")]),
    ],
    dt.datetime(2017, 5, 11, 9, 0),
)
COPY = article(
    "copy",
    [("On Wednesday the minister held talks with the secretary of state in Washington.", [("Wednesday", D(2017, 5, 10), "day")])],
    dt.datetime(2017, 5, 11, 12, 0),
)


def test_timeline_merges_one_date_across_articles_with_sources() -> None:
    story = build(PREVIEW, REPORT, COPY)
    by_date = {(e.date, e.precision): e for e in story.timeline}
    assert by_date[(D(2017, 5, 10), "day")].articles == ["preview", "report", "copy"]
    assert by_date[(D(2017, 4, 12), "day")].articles == ["preview", "report"]
    assert by_date[(D(2017, 5, 11), "day")].articles == ["preview"]
    assert (D(2014, 3, 1), "month") in by_date
    assert (D(2017, 7, 1), "month") in by_date
    assert [e.date for e in story.timeline] == sorted(e.date for e in story.timeline)
    assert "Crimea" in by_date[(D(2014, 3, 1), "month")].text


def test_timeline_event_date_is_the_reported_event_not_the_preview_date() -> None:
    story = build(PREVIEW, REPORT, COPY)
    assert story.event_date == D(2017, 5, 10)
    # With the report a copy of the preview's outlet, support is counted by source, not by article.
    assert build(PREVIEW, REPORT, COPY, groups=[["report", "copy"]]).event_date == D(2017, 5, 10)


def test_timeline_event_date_prefers_recent_events_over_background() -> None:
    background = article(
        "bg",
        [("The secretary of state visited Moscow on April 12 and met the president.", [("April 12", D(2017, 4, 12), "day")])],
        dt.datetime(2017, 5, 10),
    )
    # April 12 has two sources, May 10 two as well, but April 12 is four weeks before the articles.
    story = build(PREVIEW, REPORT, background)
    assert story.event_date == D(2017, 5, 10)


def test_timeline_coarse_mention_folds_into_the_finer_event() -> None:
    a = article(
        "a",
        [("The United States conducted a missile strike against the Syrian airbase on April 6.", [("April 6", D(2017, 4, 6), "day")]),
         ("Russia suspended the memorandum on air safety on April 7.", [("April 7", D(2017, 4, 7), "day")])],
        dt.datetime(2017, 5, 9),
    )
    b = article(
        "b",
        [("Officials have traded harsh words since the missile strike against the Syrian airbase last month.",
          [("last month", D(2017, 4, 1), "month")])],
        dt.datetime(2017, 5, 10),
    )
    story = build(a, b)
    by_date = {(e.date, e.precision): e for e in story.timeline}
    assert (D(2017, 4, 1), "month") not in by_date
    assert by_date[(D(2017, 4, 6), "day")].articles == ["a", "b"]
    assert by_date[(D(2017, 4, 7), "day")].articles == ["a"]
    assert "April 6" in by_date[(D(2017, 4, 6), "day")].text  # the explicit wording describes the entry


def test_timeline_unplaced_week_becomes_its_month() -> None:
    a = article(
        "a",
        [("The two presidents spoke by phone last week about the ceasefire.", [("last week", D(2017, 5, 1), "day")])],
        dt.datetime(2017, 5, 10), span_days=7,
    )
    story = build(a)
    assert [(e.date, e.precision) for e in story.timeline] == [(D(2017, 5, 1), "month")]


def test_timeline_skips_datelines() -> None:
    a = article(
        "a",
        [("06:36 GMT 09 May 2017", [("09 May 2017", D(2017, 5, 9), "day")]),
         ("The minister arrived in Washington on May 9 for talks.", [("May 9", D(2017, 5, 9), "day")])],
        dt.datetime(2017, 5, 9),
    )
    story = build(a)
    assert len(story.timeline) == 1
    assert story.timeline[0].text.startswith("The minister arrived")


def test_timeline_undated_article_uses_the_story_reference() -> None:
    undated = article(
        "undated",
        [("The minister met the secretary of state on Wednesday in Washington.", [])],
        None,
    )
    calls: list[dt.date | None] = []

    def resolver(a: Article, reference: dt.date | None) -> list[DateMention]:
        calls.append(reference)
        s = a.sentences[0]
        k = s.text.index("Wednesday")
        return [DateMention(text="Wednesday", value=D(2017, 5, 10), precision="day", start=s.start + k,
                            end=s.start + k + 9, sentence=0, relative=True)]

    story = Story(id="S1", articles=["preview", "report", "undated"])
    TimelineBuilder(AnalyseSettings(), resolver=resolver).analyse(
        story, {"preview": PREVIEW, "report": REPORT, "undated": undated}
    )
    assert calls == [D(2017, 5, 11)]  # upper median of the known publish dates
    entry = next(e for e in story.timeline if e.date == D(2017, 5, 10))
    assert "undated" in entry.articles


def test_timeline_empty_story_has_no_event_date() -> None:
    a = article("a", [("Nothing dated happens in this sentence at all.", [])], None)
    story = build(a)
    assert story.timeline == []
    assert story.event_date is None


UNDATED_BACKGROUND = article(
    "analysis",
    [
        ("Lawmakers of the president's party began to question his conduct this week.", []),
        ("Several senators asked for the memo to be handed to the committee.", []),
        ("Some of them said the affair reminded them of an earlier scandal.", []),
        ("The earlier tape was released on August 5, 1974, and the president's support evaporated.",
         [("August 5, 1974", D(1974, 8, 5), "day")]),
    ],
    None,
)


def test_timeline_undated_background_day_is_not_the_event_date() -> None:
    story = build(UNDATED_BACKGROUND)
    assert [e.date for e in story.timeline] == [D(1974, 8, 5)]  # still on the timeline
    assert story.event_date is None  # one source, deep in the article, no publish date: unknown


def test_timeline_undated_history_in_a_lead_is_not_the_event_date() -> None:
    backgrounder = article(
        "backgrounder",
        [("Nobody knows if the president ordered the break-in on June 17, 1972.", [("June 17, 1972", D(1972, 6, 17), "day")]),
         ("His successor has faced questions since his campaign began in June 2015.", [("June 2015", D(2015, 6, 1), "month")])],
        None,
    )
    story = build(backgrounder)
    assert D(1972, 6, 17) in [e.date for e in story.timeline]
    assert story.event_date is None


def test_timeline_undated_day_in_a_lead_or_two_sources_is_the_event_date() -> None:
    lead = article(
        "lead",
        [("The bridge collapsed on March 3, 2021, after days of heavy rain.", [("March 3, 2021", D(2021, 3, 3), "day")]),
         ("Engineers had warned about the pillars for years.", [])],
        None,
    )
    assert build(lead, UNDATED_BACKGROUND).event_date == D(2021, 3, 3)
    second = article(
        "second",
        [("Rescuers worked through the night.", []), ("Nobody was hurt.", []), ("The road stays shut.", []),
         ("The tape came out on August 5, 1974, and the president's support was gone.",
          [("August 5, 1974", D(1974, 8, 5), "day")])],
        None,
    )
    assert build(UNDATED_BACKGROUND, second).event_date == D(1974, 8, 5)  # two independent sources agree


def test_timeline_clause_around_cuts_long_sentences() -> None:
    text = ("Later this month he travels to Europe for meetings with officials who mostly take a hard line, "
            "which will be difficult after the long and bitter dispute over sanctions and over the conflict, "
            "especially in the wake of suspected efforts to swing the May 7 election; the Kremlin denies it all.")
    k = text.index("May 7")
    cut = clause_around(text, k, k + 5)
    assert "May 7" in cut and len(cut) < len(text)
