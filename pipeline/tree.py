"""Walking a document's clause tree (pure functions over Clause records)."""

from __future__ import annotations

from .types import Clause


def by_parent(clauses: list[Clause]) -> dict[str, list[Clause]]:
    out: dict[str, list[Clause]] = {}
    for c in clauses:
        if c.parent:
            out.setdefault(c.parent, []).append(c)
    return out


def depths(clauses: list[Clause]) -> dict[str, int]:
    out: dict[str, int] = {}
    for c in clauses:  # parents come before children in document order
        out[c.id] = out.get(c.parent, -1) + 1 if c.parent else 0
    return out


def own_text(clause: Clause, children: dict[str, list[Clause]]) -> str:
    """The clause's text before its first child: its heading and introductory words (a prefix
    of clause.text, so offsets into it are offsets into the clause)."""
    kids = children.get(clause.id, [])
    if not kids:
        return clause.text
    return clause.text[: max(0, kids[0].start - clause.start)].rstrip()


def heading_paths(clauses: list[Clause]) -> dict[str, list[str]]:
    """Each clause's ancestors below the document, as "ref title" strings."""
    by_id = {c.id: c for c in clauses}
    out: dict[str, list[str]] = {}
    for c in clauses:
        parent = by_id.get(c.parent) if c.parent else None
        if parent is None or parent.kind == "document":
            out[c.id] = []
        else:
            label = f"{parent.ref} {parent.title}".strip() if parent.title != parent.ref else parent.ref
            out[c.id] = out[parent.id] + [label]
    return out
