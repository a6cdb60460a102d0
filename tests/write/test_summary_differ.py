"""A summary sentence whose claim the sources disagree on carries every side's value, in all three
writers (hand-built brief, no models)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from storydesk.records import Brief, DifferingValue, SourcesDiffer
from storydesk.write.brief_json import brief_to_dict
from storydesk.write.html import render_html
from storydesk.write.markdown import render_markdown
from tests.write.briefs import hand_built_brief

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "brief.schema.json").read_text())


def _brief_with_note() -> Brief:
    brief = hand_built_brief()
    story = brief.stories[0]
    story.summary[0].sources_differ = [
        SourcesDiffer(
            about="cars stranded",
            kind="count",
            values=[
                DifferingValue(value="30 cars", articles=["post"]),
                DifferingValue(value="40 cars", articles=["herald", "wire"]),
            ],
        )
    ]
    return brief


def test_summary_differ_json_carries_the_values_and_validates() -> None:
    data = brief_to_dict(_brief_with_note())
    jsonschema.validate(data, SCHEMA)
    (note,) = data["stories"][0]["summary"][0]["sources_differ"]
    assert note == {
        "about": "cars stranded",
        "kind": "count",
        "values": [
            {"value": "30 cars", "articles": ["post"]},
            {"value": "40 cars", "articles": ["herald", "wire"]},
        ],
    }
    # A sentence the sources agree on has an empty list; a one-sided "disagreement" is not one.
    assert brief_to_dict(hand_built_brief())["stories"][0]["summary"][0]["sources_differ"] == []
    note["values"] = note["values"][:1]
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a disagreement with one value must not validate")


def test_summary_differ_markdown_and_html_show_the_note() -> None:
    brief = _brief_with_note()
    md = render_markdown(brief)
    assert (
        "- The bridge reopened on Monday. [herald] [wire] (sources differ: 30 cars in post; 40 cars in herald, wire)"
        in md
    )
    assert "sources differ" not in render_markdown(hand_built_brief())
    page = render_html(brief)
    summary = page.split('class="summary"')[1].split("</p>")[0]
    note = summary.split('class="differ"')[1].split("</span></span>")[0]
    assert "(sources differ: 30 cars in" in note and "40 cars in" in note
    assert 'href="#article-post"' in note and 'href="#article-herald"' in note
    assert 'class="differ"' not in render_html(hand_built_brief())
