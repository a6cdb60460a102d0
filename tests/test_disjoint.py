from __future__ import annotations

from storydesk.disjoint import DisjointSets


def test_disjoint_joins_transitively_and_keeps_singletons() -> None:
    sets = DisjointSets(["d", "b", "a", "c", "e"])
    sets.union("d", "b")
    sets.union("c", "b")
    assert sets.find("d") == sets.find("c") == "b"  # the smallest member is the root
    assert sets.groups() == [["d", "b", "c"], ["a"], ["e"]]
    assert "a" in sets and "z" not in sets


def test_disjoint_result_does_not_depend_on_union_order() -> None:
    pairs = [(0, 5), (5, 3), (7, 8), (3, 1)]
    one, two = DisjointSets(range(10)), DisjointSets(range(10))
    for a, b in pairs:
        one.union(a, b)
    for a, b in reversed(pairs):
        two.union(b, a)
    assert one.groups() == two.groups() == [[0, 1, 3, 5], [2], [4], [6], [7, 8], [9]]
