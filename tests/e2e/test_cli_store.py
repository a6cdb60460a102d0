"""The store commands of the CLI: ingest, stories, brief --story."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storydesk.cli import main

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "harbour-closure"


def test_cli_ingest_is_idempotent_and_stories_can_be_briefed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "store.db")
    assert main(["ingest", str(EXAMPLE), "--db", db]) == 0
    first = capsys.readouterr().out
    assert first.startswith("6 new, 0 duplicates")
    assert main(["ingest", str(EXAMPLE), "--db", db]) == 0
    assert capsys.readouterr().out.startswith("0 new, 6 duplicates")

    assert main(["stories", "--db", db, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sum(r["size"] for r in rows) == 6
    story_id = max(rows, key=lambda r: r["size"])["id"]

    out = tmp_path / "out"
    assert main(["brief", "--story", story_id, "--db", db, "-o", str(out), "--format", "json", "-q"]) == 0
    brief = json.loads((out / "brief.json").read_text())
    assert brief["stories"][0]["articles"]
    assert brief["stories"][0]["summary"]


def test_cli_brief_unknown_story_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "empty.db")
    assert main(["brief", "--story", "S404", "--db", db, "-o", str(tmp_path / "o")]) == 1
    assert "no story 'S404'" in capsys.readouterr().err


def test_cli_watch_missing_folder_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["watch", str(tmp_path / "nowhere"), "--db", str(tmp_path / "w.db"), "--interval", "0.1"])
    assert code == 1
    assert "nowhere" in capsys.readouterr().err
