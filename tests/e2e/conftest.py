from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.records import Brief


@pytest.fixture(scope="session")
def seeds_brief(seeds_dir: Path) -> Brief:
    """One pipeline run over ../shared/seeds, shared by the end-to-end tests."""
    from storydesk.pipeline import build_brief
    from storydesk.settings import load_settings

    return build_brief([str(seeds_dir)], load_settings())
