"""Number, unit, age and date normalisation (analyse/numbers.py): hand-made sentences."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storydesk.analyse.numbers import (
    Quantity,
    consistent,
    extract_quantities,
    format_value,
    parse_number_words,
    resolve_undated,
    story_reference_date,
)
from storydesk.records import Article, DateMention, Sentence, Story


def one(text: str, kind: str | None = None) -> Quantity:
    found = [q for q in extract_quantities(text) if kind is None or q.kind == kind]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("twenty - five", 25),
        ("one hundred and five", 105),
        ("1.5 million", 1_500_000),
        ("a dozen", 12),
        ("3,000", 3000),
        ("two thousand three hundred", 2300),
    ],
)
def test_numbers_parse_number_words(words: str, value: float) -> None:
    parsed = parse_number_words(words.split())
    assert parsed is not None
    assert parsed[0] == value


def test_numbers_age_now_and_at_upcoming_birthday_agree() -> None:
    now = one("After the minister, the president met 93-year-old Henry Kissinger.")
    birthday = one("Kissinger, who turns 94 on May 27, was in the Oval Office.")
    assert (now.kind, now.value, now.birthday) == ("age", 93, False)
    assert (birthday.kind, birthday.value, birthday.birthday) == ("age", 94, True)
    assert consistent(now, birthday)
    assert not consistent(now, one("Kissinger, who turns 96 on May 27, was there."))
    assert not consistent(now, one("The 89-year-old diplomat was there."))


def test_numbers_one_quantity_in_two_units_agrees() -> None:
    miles = one("The convoy travelled 5 miles before it stopped.")
    km = one("The convoy travelled 8 km before it stopped.")
    assert miles.kind == km.kind == "distance"
    assert consistent(miles, km)
    assert not consistent(miles, one("The convoy travelled 5 km before it stopped."))
    assert consistent(one("The meeting lasted two hours."), one("The meeting lasted 120 minutes."))


def test_numbers_part_fits_in_a_stated_total() -> None:
    total = one("In total, the negotiations in the White House and the State Department lasted more than two hours.")
    part = one("The meeting in the Oval Office lasted only 40 minutes.")
    assert total.aggregate and total.bound == "lower"
    assert consistent(total, part)
    # Without the total the same figures disagree.
    assert not consistent(one("The meeting lasted two hours."), part)


def test_numbers_qualifiers_widen_the_range() -> None:
    assert consistent(one("about 100 people attended"), one("110 people attended"))
    assert not consistent(one("100 people attended"), one("150 people attended"))
    assert consistent(one("more than 100 people attended"), one("150 people attended"))
    assert not consistent(one("fewer than 100 people attended"), one("150 people attended"))


def test_numbers_counts_of_different_things_are_not_compared() -> None:
    soldiers = one("12 soldiers were killed")
    civilians = one("20 civilians were killed")
    assert consistent(soldiers, civilians)  # not comparable, so never a conflict
    assert not consistent(soldiers, one("twenty soldiers were killed"))


def test_numbers_names_formats_and_dates_are_not_quantities() -> None:
    assert extract_quantities("They met at the G20 summit in a 2+2 format on April 12.") == []
    assert one("the 2016 election").kind == "year"
    assert one("2000 troops arrived").kind == "count"
    assert one("5 per cent of voters").value == one("5% of voters").value == 5
    assert one("$1.5 million in aid").unit == "USD"


def test_numbers_whole_of_a_part_is_not_a_count() -> None:
    counts = [(q.kind, q.value) for q in extract_quantities("Jurors found him guilty on four of five charges.")]
    assert ("count", 5.0) not in counts
    assert [(q.kind, q.value) for q in extract_quantities("Three out of the 12 jurors were women.")] == []
    assert [(q.kind, q.value) for q in extract_quantities("Police arrested 12 protesters on Friday.")] == [("count", 12.0)]


def test_numbers_format_value_is_readable() -> None:
    assert format_value(one("in 2013")) == "2013"
    assert format_value(one("It lasted only 40 minutes.")) == "40 minutes"
    assert format_value(one("She was given a nine-month sentence.")) == "9 months"
    assert format_value(one("He was given a one-year sentence.")) == "1 year"
    assert format_value(one("The talks lasted 36 hours.")) == "36 hours"
    assert format_value(one("The strike lasted two weeks.")) == "2 weeks"
    assert format_value(one("who turns 94 on May 27")) == "turning 94"


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2, max_value=10_000_000))
def test_numbers_written_counts_round_trip(n: int) -> None:
    q = one(f"Officials said {n:,} people were evacuated.")
    assert q.value == n
    assert q.noun == "people"


def _sentence_article(aid: str, text: str, published: dt.datetime | None) -> Article:
    return Article(
        id=aid, location=f"{aid}.txt", text=text, published=published,
        sentences=[Sentence(index=0, text=text, start=0, end=len(text), paragraph=0)],
    )


def test_numbers_undated_article_resolved_against_story_reference() -> None:
    a = _sentence_article("a", "The talks ended on Wednesday.", dt.datetime(2017, 5, 9))
    b = _sentence_article("b", "The talks ended on Wednesday.", dt.datetime(2017, 5, 11))
    c = _sentence_article("c", "The minister met him on Wednesday.", None)
    story = Story(id="S1", articles=["a", "b", "c"])
    seen: list[tuple[str, dt.date | None]] = []

    def resolver(article: Article, reference: dt.date | None) -> list[DateMention]:
        seen.append((article.id, reference))
        assert reference is not None
        return [DateMention(text="Wednesday", value=reference, precision="day", start=0, end=9, sentence=0, relative=True)]

    by_id = {x.id: x for x in (a, b, c)}
    assert story_reference_date(story, by_id) == dt.date(2017, 5, 11)  # upper median
    assert resolve_undated(story, by_id, resolver) == dt.date(2017, 5, 11)
    assert seen == [("c", dt.date(2017, 5, 11))]  # only the article without a publish date
    assert c.dates[0].value == dt.date(2017, 5, 11)
    resolve_undated(story, by_id, resolver)
    assert len(seen) == 1  # resolved once per article and reference
    # A second run over the same files builds fresh Articles (same id and text) holding the
    # annotator's dates again: they must be resolved again, not skipped as already done.
    fresh = _sentence_article("c", "The minister met him on Wednesday.", None)
    resolve_undated(story, {**by_id, "c": fresh}, resolver)
    assert len(seen) == 2
    assert fresh.dates and fresh.dates[0].value == dt.date(2017, 5, 11)


def test_numbers_appositive_age_and_compound_counted_noun() -> None:
    """ "Jane Doe, 28, was charged" states an age; "12 dock workers" and "12 workers" count one thing."""
    age = one("Jane Doe, 28, was charged on Wednesday.")
    assert age.kind == "age" and age.value == 28
    assert one("Jane Doe, 28, of Springfield was charged.").kind == "age"
    assert [q.kind for q in extract_quantities("On March 3, 12 people died.")] == ["count"]
    docks = one("Twelve dock workers were taken to hospital.")
    plain = one("Fourteen workers were treated in hospital.")
    assert docks.noun == plain.noun == "worker"
    assert not consistent(docks, plain)
    assert one("Five police officers arrived.").noun == "officer"
    assert one("Five police arrived at the scene.").noun == "police"
    assert one("Three people died in the fire.").noun == "people"


def test_numbers_space_grouped_digits_are_one_value() -> None:
    from storydesk.analyse.numbers import extract_quantities

    spaced = [q.value for q in extract_quantities("the old song is 1 000 000 times better")]
    commas = [q.value for q in extract_quantities("the old song is 1,000,000 times better")]
    assert spaced == commas == [1_000_000]
    # A year followed by a count stays two numbers.
    assert [q.value for q in extract_quantities("In 2019 200 people left.")] != [2019200]


def test_numbers_clock_times_decades_and_abbreviated_dates_are_not_counts() -> None:
    assert extract_quantities("A Sept. 25 complaint noted that both lifts were out.") == []
    assert [q.kind for q in extract_quantities("posted on Jun 20, 2017 at 11:20am PDT")] == ["year"]
    assert extract_quantities("She sang in a 1960s girl group and in the '60s revival.") == []
    glued = extract_quantities("a 5km race with 200 runners raised 2bn dollars")
    assert [(q.kind, q.value) for q in glued] == [("distance", 5000.0), ("count", 200.0), ("amount", 2e9)]
