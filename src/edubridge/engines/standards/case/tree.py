"""The browsable tree of a framework, built from its ``isChildOf`` associations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from edubridge.engines.standards.case.model import CFAssociation, CFPackage


@dataclass
class TreeNode:
    """A node of the framework tree: the document at the root, CFItems below."""

    identifier: str
    code: str | None
    statement: str
    children: list[TreeNode] = field(default_factory=list)

    def walk(self, depth: int = 0) -> list[tuple[int, TreeNode]]:
        """Depth-first (depth, node) pairs, the root first."""
        out = [(depth, self)]
        for child in self.children:
            out.extend(child.walk(depth + 1))
        return out


@dataclass
class FrameworkTree:
    """The tree, plus items no ``isChildOf`` reaches (shown apart, never silently lost)."""

    root: TreeNode
    orphans: list[TreeNode]


def _natural(text: str | None) -> list[object]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text or "")]


def build_tree(package: CFPackage) -> FrameworkTree:
    """Children are ordered by sequenceNumber, then listEnumeration, then code."""
    nodes = {i.identifier: TreeNode(i.identifier, i.code, i.full_statement) for i in package.items}
    root = TreeNode(package.document.identifier, None, package.document.title)
    nodes[root.identifier] = root
    parent_of: dict[str, str] = {}
    edges: list[tuple[CFAssociation, str, str]] = []
    for assoc in package.associations:
        if assoc.association_type != "isChildOf":
            continue
        child, parent = assoc.origin.identifier, assoc.destination.identifier
        if (
            child in nodes
            and parent in nodes
            and child not in parent_of
            and child != root.identifier
        ):
            parent_of[child] = parent
            edges.append((assoc, child, parent))
    # Refuse cycles: a node whose ancestry loops is treated as an orphan.
    for child in list(parent_of):
        seen = {child}
        cursor = parent_of.get(child)
        while cursor is not None and cursor != root.identifier:
            if cursor in seen:
                parent_of.pop(child, None)
                break
            seen.add(cursor)
            cursor = parent_of.get(cursor)
    items = {i.identifier: i for i in package.items}

    def order(edge: tuple[CFAssociation, str, str]) -> tuple[object, ...]:
        assoc, child, _ = edge
        item = items.get(child)
        seq = assoc.sequence_number if assoc.sequence_number is not None else 10**9
        return (
            seq,
            _natural(item.list_enumeration if item else None),
            _natural(item.code if item else None),
        )

    for _assoc, child, parent in sorted(edges, key=order):
        if parent_of.get(child) == parent:
            nodes[parent].children.append(nodes[child])
    reachable = {n.identifier for _, n in root.walk()}
    orphans = [
        nodes[i.identifier]
        for i in package.items
        if i.identifier not in reachable and i.identifier not in parent_of
    ]
    return FrameworkTree(root, orphans)
