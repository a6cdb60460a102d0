from __future__ import annotations

from storydesk.write.markdown import render_markdown
from tests.write.briefs import hand_built_brief


def test_markdown_lists_every_section_with_citations() -> None:
    md = render_markdown(hand_built_brief())
    assert "## Bridge reopens after storm" in md
    assert "- The bridge reopened on Monday. [herald] [wire]" in md
    assert "**Ana Ruiz** (also: Ruiz)" in md
    assert "(2 independent) The bridge reopened on Monday." in md
    assert "**cars stranded**" in md and "  - 30:" in md and "  - 40:" in md
    assert "- 2026-02: Storm hits [post]" in md
    assert "[herald] → [wire]: duplicate (0.97)" in md
    assert "- junk.bin: skipped (binary): binary file (NUL bytes), not text" in md  # the path once


def test_markdown_counts_read_as_english() -> None:
    md = render_markdown(hand_built_brief())
    assert "**Coverage:** 3 articles from 2 independent sources" in md
    assert "1 stories" not in md and "1 story." in md
    assert " in 1 articles" not in md and " 1 mentions" not in md
