"""The CLI on real and broken inputs."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from storydesk.cli import main

pytestmark = pytest.mark.slow


def test_cli_brief_writes_outputs_and_reports_bad_inputs(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for name in sorted(p.name for p in seeds_dir.iterdir())[:2]:
        shutil.copy(seeds_dir / name, corpus / name)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    out = tmp_path / "out"
    code = main(["brief", str(corpus), "-o", str(out), "--format", "json,md", "--quiet"])
    assert code == 0
    err = capsys.readouterr().err
    assert "empty.txt" in err and "binary.txt" in err
    data = json.loads((out / "brief.json").read_text())
    statuses = {r["id"]: r["status"] for r in data["inputs"]}
    assert statuses["empty"] == "skipped" and statuses["binary"] == "skipped"
    assert sum(1 for s in statuses.values() if s == "ok") == 2
    assert (out / "brief.md").read_text().startswith("# Story brief")
    assert (out / "settings.resolved.toml").exists()


def test_cli_brief_exits_non_zero_when_nothing_is_readable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_text("   \n")
    code = main(["brief", str(tmp_path / "empty.txt"), "-o", str(tmp_path / "out"), "--quiet"])
    assert code == 1
    assert "no input could be read" in capsys.readouterr().err


def test_cli_brief_reads_jsonl_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"id": "one", "title": "Dam opens spillway", "outlet": "River News",
         "text": "Engineers opened the spillway of the Kestrel Dam on Monday after heavy rain. "
                 "The water level had risen by two metres, the operator said."},
        {"id": "two", "title": "Kestrel Dam releases water", "outlet": "Valley Post",
         "text": "The operator of the Kestrel Dam released water through the spillway on Monday. "
                 "Heavy rain had raised the reservoir by two metres."},
    ]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(json.dumps(x) for x in lines) + "\n"))
    out = tmp_path / "out"
    assert main(["brief", "-", "-o", str(out), "--format", "json", "--quiet"]) == 0
    data = json.loads((out / "brief.json").read_text())
    assert sorted(a["id"] for a in data["articles"]) == ["one", "two"]
    assert {a["outlet"] for a in data["articles"]} == {"River News", "Valley Post"}


def test_cli_bad_settings_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "s.toml"
    bad.write_text("[nope]\nx = 1\n")
    assert main(["brief", "x.txt", "--settings", str(bad)]) == 2
    assert "unknown settings section [nope]" in capsys.readouterr().err


@pytest.mark.parametrize("quiet", [False, True])
def test_cli_each_bad_input_is_reported_once_naming_the_file_once(
    tmp_path: Path, seeds_dir: Path, capsys: pytest.CaptureFixture[str], quiet: bool
) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    shutil.copy(sorted(seeds_dir.iterdir())[0], corpus / "story.txt")
    (corpus / "empty.txt").write_text("")
    (corpus / "scripts.html").write_text("<html><body><script>var x = 1;</script></body></html>")
    code = main(["brief", str(corpus), "-o", str(tmp_path / "out"), "--format", "json", *(["-q"] if quiet else [])])
    assert code == 0
    lines = capsys.readouterr().err.splitlines()
    for name in ("empty.txt", "scripts.html"):
        about = [line for line in lines if name in line]
        assert len(about) == 1, lines  # reported as it was read, or (quiet) in the closing list: not both
        assert about[0].count(name) == 1
    assert any("scripts.html" in line and "no text outside markup" in line for line in lines)
