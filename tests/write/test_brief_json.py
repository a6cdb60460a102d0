from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from storydesk.write.brief_json import brief_to_dict, write_json
from tests.write.briefs import hand_built_brief

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "brief.schema.json").read_text())


def test_brief_json_hand_built_brief_validates_against_schema(tmp_path: Path) -> None:
    path = write_json(hand_built_brief(), tmp_path / "brief.json")
    data = json.loads(path.read_text())
    jsonschema.validate(data, SCHEMA)
    story = data["stories"][0]
    assert story["event_date"] == "2026-02-02"
    # Timeline dates are written at their precision.
    assert [t["date"] for t in story["timeline"]] == ["2026-02", "2026-02-02"]
    assert data["inputs"][3]["status"] == "skipped"
    assert data["stats"]["read"]["dropped"] == {"binary": 1}


def test_brief_json_schema_rejects_a_broken_brief() -> None:
    data = brief_to_dict(hand_built_brief())
    data["stories"][0]["provenance"][0]["relation"] = "copied"
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError as exc:
        assert "copied" in str(exc.message)
    else:
        raise AssertionError("an unknown relation must not validate")
    data = brief_to_dict(hand_built_brief())
    data["stories"][0]["summary"][0]["citations"] = []
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError:
        pass
    else:
        raise AssertionError("a summary sentence without citations must not validate")
