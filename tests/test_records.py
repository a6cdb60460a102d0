from __future__ import annotations

from storydesk.records import Story


def test_records_count_sources_counts_copy_groups_once() -> None:
    story = Story(id="S1", articles=["a", "b", "c", "d"], source_groups=[["a", "b"], ["c"], ["d"]])
    assert story.count_sources(["a", "b"]) == 1
    assert story.count_sources(["a", "b", "c"]) == 2
    assert story.count_sources(["a", "c", "d"]) == 3


def test_records_count_sources_without_groups_counts_each_article() -> None:
    story = Story(id="S1", articles=["a", "b", "c"])
    assert story.count_sources(["a", "b"]) == 2
    groups = story.source_group_of()
    assert len(set(groups.values())) == 3
