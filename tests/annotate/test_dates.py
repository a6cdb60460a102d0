from __future__ import annotations

import datetime as dt

import pytest

from storydesk.annotate.dates import find_dates, resolve_dates
from storydesk.annotate.sentences import split_paragraphs, split_sentences
from storydesk.records import Article, DateMention

from .conftest import Annotate

TUESDAY = dt.date(2017, 5, 9)
FRIDAY = dt.date(2017, 5, 12)


def _dates(text: str, reference: dt.date | None = TUESDAY) -> list[DateMention]:
    """Dates found by the patterns alone (no parse, so no tense)."""
    sentences = split_sentences(text, split_paragraphs(text), "en")
    found = find_dates(text, sentences, reference)
    for d in found:
        assert text[d.start : d.end] == d.text
    return found


def _one(text: str, reference: dt.date | None = TUESDAY) -> DateMention:
    found = _dates(text, reference)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "expression", "value"),
    [
        ("They met on May 10, 2017 in Washington.", "May 10, 2017", dt.date(2017, 5, 10)),
        ("They met on 12 April 2016 in Moscow.", "12 April 2016", dt.date(2016, 4, 12)),
        ("It happened on Wednesday, May 10, 2017.", "Wednesday, May 10, 2017", dt.date(2017, 5, 10)),
        ("The report is dated 2015-11-03.", "2015-11-03", dt.date(2015, 11, 3)),
        ("The vote was held on the seventh of May 2017.", "the seventh of May 2017", dt.date(2017, 5, 7)),
    ],
)
def test_dates_absolute_with_year_need_no_reference(text: str, expression: str, value: dt.date) -> None:
    d = _one(text, reference=None)
    assert (d.text, d.value, d.precision, d.relative) == (expression, value, "day", False)


def test_dates_month_and_year_has_month_precision() -> None:
    d = _one("After the annexation in March 2014 he was not invited.", reference=None)
    assert (d.text, d.value, d.precision, d.relative) == ("March 2014", dt.date(2014, 3, 1), "month", False)
    d = _one("Restrictions imposed in December 2016 remain.", reference=None)
    assert (d.value, d.precision) == (dt.date(2016, 12, 1), "month")


def test_dates_year_has_year_precision() -> None:
    d = _one("It was his first visit since 2013, officials said.", reference=None)
    assert (d.text, d.value, d.precision) == ("2013", dt.date(2013, 1, 1), "year")
    assert _one("He last came in 2013.").value == dt.date(2013, 1, 1)
    assert _one("contacts during the 2016 election").value == dt.date(2016, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "The summit of the G20 took place.",
        "Police said 2013 people were detained.",
        "The fund holds $2015 in cash.",
        "About 1500 troops and 1999 vehicles arrived.",
        "Flight 2017 landed late.",
        "Turnout rose by 2016 percent.",
    ],
)
def test_dates_four_digit_numbers_that_are_not_years(text: str) -> None:
    assert [d for d in _dates(text) if d.precision == "year"] == []


def test_dates_day_and_month_without_year_take_the_nearest_year() -> None:
    d = _one("Tillerson met with Putin on 12 April, during his visit.")
    assert (d.text, d.value, d.precision, d.relative) == ("12 April", dt.date(2017, 4, 12), "day", True)
    assert _one("during his April 12 visit").value == dt.date(2017, 4, 12)
    # in early January, "December 28" is last December
    assert _one("The decree of December 28 stands.", reference=dt.date(2018, 1, 3)).value == dt.date(
        2017, 12, 28
    )


def test_dates_relative_words() -> None:
    assert _one("He arrived yesterday.").value == dt.date(2017, 5, 8)
    assert _one("Talks begin today.").value == TUESDAY
    assert _one("He leaves tomorrow.").value == dt.date(2017, 5, 10)
    last_month = _one("The strike ordered last month was criticised.")
    assert (last_month.value, last_month.precision) == (dt.date(2017, 4, 1), "month")
    next_month = _one("A summit is planned for next month.")
    assert (next_month.value, next_month.precision) == (dt.date(2017, 6, 1), "month")
    later = _one("Later this month he travels to Europe.")
    assert (later.value, later.precision) == (dt.date(2017, 5, 1), "month")
    assert _one("They spoke three days ago.").value == dt.date(2017, 5, 6)


def test_dates_last_week_covers_the_previous_calendar_week() -> None:
    d = _one("The two leaders spoke by phone last week.")
    assert (d.value, d.precision, d.span_days, d.relative) == (dt.date(2017, 5, 1), "day", 7, True)


def test_dates_relative_expressions_need_a_reference() -> None:
    text = "He arrived yesterday and leaves on Thursday; the treaty of May 10, 2017 was signed in July."
    found = _dates(text, reference=None)
    assert [d.text for d in found] == ["May 10, 2017"]


def test_dates_bare_month_needs_date_context() -> None:
    assert _dates("May I ask a question? March on, they said.") == []
    d = _one("The leaders could meet in July at the summit.")
    assert (d.text, d.precision) == ("July", "month")


def test_dates_modal_may_is_not_a_date() -> None:
    assert _dates("The meeting may occur soon.") == []


@pytest.mark.slow
def test_dates_weekday_future_tense_is_the_coming_day(annotate: Annotate) -> None:
    article = annotate(
        "On Thursday, the minister will take part in the ministerial meeting of the Arctic Council.",
        published=TUESDAY,
    )
    (d,) = article.dates
    assert (d.text, d.value, d.relative) == ("Thursday", dt.date(2017, 5, 11), True)


@pytest.mark.slow
def test_dates_weekday_scheduled_is_future_and_past_tense_is_past(annotate: Annotate) -> None:
    article = annotate(
        "Lavrov is scheduled to meet with the secretary on Wednesday.\n\n"
        "The two ministers met on Wednesday in the capital.",
        published=TUESDAY,
    )
    assert [(d.text, d.value) for d in article.dates] == [
        ("Wednesday", dt.date(2017, 5, 10)),
        ("Wednesday", dt.date(2017, 5, 3)),
    ]
    friday = annotate("The two ministers met on Wednesday in the capital.", published=FRIDAY)
    assert [d.value for d in friday.dates] == [dt.date(2017, 5, 10)]


@pytest.mark.slow
def test_dates_weekday_present_progressive_takes_the_nearest(annotate: Annotate) -> None:
    article = annotate("The delegations are meeting on Monday.", published=FRIDAY)
    assert [d.value for d in article.dates] == [dt.date(2017, 5, 15)]
    article = annotate("The delegations are meeting on Wednesday.", published=FRIDAY)
    assert [d.value for d in article.dates] == [dt.date(2017, 5, 10)]


@pytest.mark.slow
def test_dates_month_alone_follows_the_tense(annotate: Annotate) -> None:
    article = annotate(
        "The presidents will meet in April.\n\nThe presidents met in July.", published=dt.date(2017, 5, 9)
    )
    assert [(d.text, d.value, d.precision) for d in article.dates] == [
        ("April", dt.date(2018, 4, 1), "month"),
        ("July", dt.date(2016, 7, 1), "month"),
    ]


@pytest.mark.slow
def test_dates_resolve_against_another_reference(annotate: Annotate) -> None:
    article = annotate(
        "The ministers met on Wednesday, a year after the talks of 10 May 2016.\n\n"
        "They will meet again next month.",
        published=None,
    )
    assert [d.text for d in article.dates] == ["10 May 2016"]  # no publish date: only the absolute one
    redone = resolve_dates(article, FRIDAY)
    assert [(d.text, d.value) for d in redone] == [
        ("Wednesday", dt.date(2017, 5, 10)),
        ("10 May 2016", dt.date(2016, 5, 10)),
        ("next month", dt.date(2017, 6, 1)),
    ]
    assert all(d.sentence in (0, 1) for d in redone)


@pytest.mark.slow
def test_dates_resolve_dates_uses_publish_date_by_default() -> None:
    text = "The minister arrived yesterday."
    sentences = split_sentences(text, split_paragraphs(text), "en")
    article = Article(
        id="x", location="x.txt", text=text, sentences=sentences, language="en",
        published=dt.datetime(2017, 5, 9, 6, 36),
    )  # fmt: skip
    assert [d.value for d in resolve_dates(article)] == [dt.date(2017, 5, 8)]


def test_dates_hint_is_in_every_candidate() -> None:
    """A sentence is scanned only when it holds a date hint: every pattern's match must contain one."""
    from storydesk.annotate.dates import _DATE_HINT, _FOREIGN_DMY, _PATTERNS

    examples = {
        "iso": "2017-05-09", "mdy": "Tuesday, May 9, 2017", "dmy": "the 9 May, 2017",
        "dmy_word": "the ninth of MAY 2017", "my": "May 2017", "md": "Sept. 9", "dm": "9th of Jan",
        "dm_word": "the ninth of may", "day_rel": "This Evening", "ago": "a few WEEKS ago",
        "in_n": "within two months", "period": "later this Year", "weekday": "next FRIDAY",
        "month": "last March", "year": "in 2017",
    }  # fmt: skip
    for kind, pattern in [*_PATTERNS, ("foreign", _FOREIGN_DMY)]:
        sample = examples.get(kind, "10 мая 2017 года")
        match = pattern.search(sample)
        assert match is not None, kind
        assert _DATE_HINT.search(match.group(0)), kind
    # and the filter changes nothing: a sentence without a hint has no candidate either way
    assert _dates("The minister arrived and spoke to reporters.") == []
    assert [d.text for d in _dates("He spoke on Friday. She came in May 2016.")] == ["Friday", "May 2016"]
