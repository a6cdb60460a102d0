"""Disjoint sets (union-find), shared by every stage that joins things transitively: copies into
independent sources, name variants into entities, wordings into one quote.

The smallest member is always a set's root, so results do not depend on the order of the unions.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class DisjointSets(Generic[K]):
    def __init__(self, items: Iterable[K]) -> None:
        self.parent: dict[K, K] = {item: item for item in items}

    def __contains__(self, item: object) -> bool:
        return item in self.parent

    def find(self, item: K) -> K:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]  # path halving
            item = parent[item]
        return item

    def union(self, a: K, b: K) -> K:
        """Join the sets of ``a`` and ``b``; returns the root of the joined set."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        keep, drop = (ra, rb) if ra < rb else (rb, ra)  # type: ignore[operator]
        self.parent[drop] = keep
        return keep

    def groups(self) -> list[list[K]]:
        """The sets, members in insertion order, sets in the order of their first member."""
        out: dict[K, list[K]] = {}
        for item in self.parent:
            out.setdefault(self.find(item), []).append(item)
        return list(out.values())
