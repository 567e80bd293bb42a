"""Segmentation (pure text logic): Document -> clause tree by the document's own numbering.

Lines are read in order; a grammar rule that matches the start of a line, and whose number
continues its sequence, opens a clause; other lines belong to the innermost open clause.
Every clause spans a contiguous stretch of the body text: its own lines and its descendants'.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

from .assemble import assemble, block_lengths, block_starts
from .grammar_rules import Grammar, Rule
from .grammars import choose_grammar, nist_ref
from .types import Clause, Document, Footnote, Line, Segmentation

_NOTE = re.compile(r"^(?:注\s*\d*\s*[:：]|NOTE\b|Note\s*\d*\s*[:：])")
_SENTENCE_END = re.compile(r"[.;:!?。；：！？]\s*$")


@dataclass
class _Node:
    """Mutable while the tree is built; turned into frozen Clause records at the end."""

    kind: str
    level: int
    path: str
    ref: str
    title: str = ""
    rule: Rule | None = None
    family: str = ""
    ordinal: int = 0
    parent: _Node | None = None
    first_line: int = -1
    last_line: int = -1
    children: list[_Node] = field(default_factory=list)
    last_of: dict[str, int] = field(default_factory=dict)  # family -> last ordinal among children


def _heading_like(line: Line, body_size: float, m: re.Match[str]) -> bool:
    if line.bold or line.size >= body_size + 0.8:
        return True
    title = (m.groupdict().get("title") or "").strip()
    return not title or (len(title) <= 80 and not _SENTENCE_END.search(title))


class _Builder:
    def __init__(self, doc: Document, grammar: Grammar) -> None:
        self.doc = doc
        self.grammar = grammar
        self.root = _Node("document", 0, "doc", doc.title, title=doc.title)
        self.stack: list[_Node] = [self.root]
        self.by_path: dict[str, _Node] = {"doc": self.root}
        self.global_last: dict[str, int] = {}
        self.zone = "preamble" if grammar.barriers else "body"
        self.starts: set[int] = set()  # line indices that open a clause
        self.pending_title: tuple[_Node, int] | None = None
        self.order: list[_Node] = [self.root]
        self.index = 0  # the line being read
        self.heading: _Node | None = None  # an unnumbered heading that may wrap onto the next line
        self.heading_style: tuple[float, bool] = (0.0, False)
        self.heading_sizes = _heading_sizes(doc.lines, doc.body_size)
        self.block_len: list[int] = []  # lines in the block each line starts, set by segment()

    # -- matching
    def _family(self, rule: Rule, m: re.Match[str]) -> str:
        fn = m.groupdict().get("fn")
        return f"{rule.name}:{fn}" if fn else rule.name

    def _parent_for(self, rule: Rule, m: re.Match[str], label: str) -> _Node | None:
        if rule.name == "nist-subcategory":
            return self.by_path.get(f"{m.group('fn').lower()}-{label.split('.')[0]}")
        if rule.parent_by_label is not None:
            want = rule.parent_by_label(label)
            return next((n for n in reversed(self.stack) if n.path == want), None)
        for n in reversed(self.stack):
            if n.level < rule.level:
                return n
        return self.root

    def _match(self, line: Line) -> tuple[Rule, re.Match[str], _Node, str, int] | None:
        for rule in self.grammar.rules:
            m = rule.pattern.match(line.text)
            if not m:
                continue
            if rule.zone and rule.zone != self.zone:
                continue
            if rule.heading_like and not _heading_like(line, self.doc.body_size, m):
                continue
            if rule.name == "annex-point" and not any(n.kind == "annex" for n in self.stack):
                continue
            if rule.name in ("paragraph", "point-num") and not any(n.kind == "article" for n in self.stack):
                continue
            label = m.group("label")
            ordinal = rule.ordinal(label)
            if ordinal is None:
                continue
            if rule.name == "point" and label == "i" and self._roman_list_follows(rule):
                continue  # "(i)" right after "(h)" opens sub-points when "(ii)" comes next
            parent = self._parent_for(rule, m, label)
            if parent is None:
                continue
            family = self._family(rule, m)
            last = self.global_last.get(family) if rule.scope == "global" else parent.last_of.get(family)
            if (last is None and ordinal not in rule.first) or (last is not None and ordinal != last + 1):
                continue
            return rule, m, parent, label, ordinal
        return None

    def _roman_list_follows(self, rule: Rule) -> bool:
        """Is the next list label after this line "ii" (sub-points) rather than "j"?"""
        for line in self.doc.lines[self.index + 1 : self.index + 40]:
            if re.match(r"^\(?ii\)", line.text):
                return True
            if rule.pattern.match(line.text):
                return False  # the next letter point, e.g. "(j)"
        return False

    def _open(self, i: int, rule: Rule, m: re.Match[str], parent: _Node, label: str, ordinal: int) -> None:
        if rule.name.startswith("nist-"):
            path, ref = nist_ref(m)
        else:
            path = rule.path(parent.path, parent.ref, label)
            ref = rule.ref(parent.path, parent.ref, label)
        if path in self.by_path:  # a duplicate number: keep ids unique and stable
            k = 2
            while f"{path}~{k}" in self.by_path:
                k += 1
            path = f"{path}~{k}"
        title = ""
        if rule.title_inline:
            title = re.sub(
                r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", (m.groupdict().get("title") or "").strip()
            )
        node = _Node(
            rule.kind,
            rule.level,
            path,
            ref,
            title=title,
            rule=rule,
            family=self._family(rule, m),
            ordinal=ordinal,
            parent=parent,
            first_line=i,
            last_line=i,
        )
        parent.children.append(node)
        parent.last_of[node.family] = ordinal
        self.global_last[node.family] = ordinal
        chain = []
        n: _Node | None = parent
        while n is not None:
            chain.append(n)
            n = n.parent
        self.stack = list(reversed(chain)) + [node]
        self.by_path[path] = node
        self.order.append(node)
        self.starts.add(i)
        self._extend(i)
        if rule.kind == "article" or rule.kind in ("chapter", "annex") and not rule.title_inline:
            self.zone = "body"
        self.pending_title = (node, rule.title_next) if rule.title_next else None

    def _text_node(self, i: int, kind: str, path: str, ref: str) -> None:
        node = _Node(kind, 1, path, ref, parent=self.root, first_line=i, last_line=i)
        self.root.children.append(node)
        self.stack = [self.root, node]
        self.by_path[path] = node
        self.order.append(node)
        self.starts.add(i)
        self._extend(i)

    def feed(self, i: int, line: Line, block_start: bool) -> None:
        self.index = i
        text = line.text
        if self.pending_title is not None:
            node, left = self.pending_title
            first = not node.title
            titled = first and len(text) < 200 or (line.bold or text.isupper())
            if left > 0 and titled and self._match(line) is None:
                node.title = (node.title + " " + text).strip().rstrip("`´'")
                node.last_line = i
                self.pending_title = (node, left - 1)
                self._extend(i)
                return
            self.pending_title = None
        for barrier in self.grammar.barriers:
            if barrier.match(text):
                self.zone = "body"
                self._text_node(i, "text", "enacting-terms", "Enacting terms")
                return
        hit = self._match(line)
        if hit is not None:
            self._open(i, *hit)
            return
        top = self.stack[-1]
        if block_start and top.level in self.grammar.list_levels and not _NOTE.match(text):
            # An unnumbered paragraph after a list belongs to the list's parent (a note such as
            # "注1：" or "NOTE" annotates the item before it and keeps the list open).
            while len(self.stack) > 1 and self.stack[-1].level in self.grammar.list_levels:
                self.stack.pop()
        if self.grammar.paragraphs:
            heading = self.heading
            if (
                heading is not None
                and not block_start
                and self.stack[-1] is heading
                and _style(line) == self.heading_style
            ):
                heading.title = f"{heading.title} {text}"  # a heading that wraps onto a second line
                heading.ref = heading.title[:80]
                self._extend(i)
                return
            self.heading = None
            if block_start:
                while len(self.stack) > 1 and self.stack[-1].kind == "text":
                    self.stack.pop()  # the previous paragraph ends
                level = self._heading_level(line)
                if level is not None:
                    while len(self.stack) > 1 and self.stack[-1].level >= level:
                        self.stack.pop()
                    self.heading = self._child(i, "heading", level, _slug(text), text[:80], title=text)
                    self.heading_style = _style(line)
                    return
                owner = self.stack[-1]
                k = sum(1 for c in owner.children if c.kind == "text") + 1
                ref = f"{owner.ref}, para {k}" if owner is not self.root else f"para {k}"
                self._child(i, "text", owner.level + 50, f"p{k}", ref)
                return
        self._extend(i)

    def _heading_level(self, line: Line) -> int | None:
        """Unnumbered headings by font: levels 6-9 by size rank, under numbered headings (1-5)
        and above list items (10-11)."""
        if not _looks_like_heading(line, self.doc.body_size) or self.block_len[self.index] > 2:
            return None
        block = " ".join(ln.text for ln in self.doc.lines[self.index : self.index + self.block_len[self.index]])
        if len(block) > 150 or (block.endswith(".") and len(block.split()) > 4):
            return None  # a short paragraph in a larger font, not a heading
        size = line.size if line.size >= self.doc.body_size + 1.0 else self.doc.body_size
        rank = self.heading_sizes.index(size) if size in self.heading_sizes else len(self.heading_sizes)
        return 6 + min(3, rank)

    def _child(self, i: int, kind: str, level: int, part: str, ref: str, title: str = "") -> _Node:
        owner = self.stack[-1]
        path = part if owner.path == "doc" else f"{owner.path}.{part}"
        if path in self.by_path:
            k = 2
            while f"{path}~{k}" in self.by_path:
                k += 1
            path = f"{path}~{k}"
        node = _Node(kind, level, path, ref, title=title, parent=owner, first_line=i, last_line=i)
        owner.children.append(node)
        self.stack.append(node)
        self.by_path[path] = node
        self.order.append(node)
        self.starts.add(i)
        self._extend(i)
        return node

    def _extend(self, i: int) -> None:
        for n in self.stack:
            n.last_line = max(n.last_line, i)
        if self.root.first_line < 0:
            self.root.first_line = i


def _style(line: Line) -> tuple[float, bool]:
    return (line.size, line.bold)


def _looks_like_heading(line: Line, body_size: float) -> bool:
    text = line.text
    if len(text) > 120 or len(text) < 3 or text[0].islower() or re.search(r"[,;:]$", text):
        return False
    if not any(c.isalpha() for c in text):
        return False
    return line.size >= body_size + 1.0 or (line.bold and line.size >= body_size - 0.6)


def _heading_sizes(lines: tuple[Line, ...], body_size: float) -> list[float]:
    sizes = {ln.size if ln.size >= body_size + 1.0 else body_size for ln in lines if _looks_like_heading(ln, body_size)}
    return sorted(sizes, reverse=True)


def _slug(text: str) -> str:
    words = re.findall(r"\w+", text.lower())[:6]
    return "-".join(words)[:48] or "heading"


def _content_hash(kind: str, ref: str, title: str, text: str) -> str:
    return hashlib.sha256(f"{kind}\x1f{ref}\x1f{title}\x1f{text}".encode()).hexdigest()[:32]


def segment(doc: Document, grammar: Grammar | None = None) -> Segmentation:
    grammar = grammar or choose_grammar(doc.lines, doc.language)
    b = _Builder(doc, grammar)
    blocks = block_starts(doc.lines)
    b.block_len = block_lengths(blocks)
    for i, line in enumerate(doc.lines):
        b.feed(i, line, blocks[i])
    text, begin, end = assemble(doc.lines, b.starts, blocks)

    clauses: list[Clause] = []
    for order, node in enumerate(b.order):
        if node is b.root:
            start, stop, p0, p1 = 0, len(text), 1, max(doc.page_count, 1)
            if doc.lines:
                p0, p1 = doc.lines[0].page, doc.lines[-1].page
        else:
            start, stop = begin[node.first_line], end[node.last_line]
            p0, p1 = doc.lines[node.first_line].page, doc.lines[node.last_line].page
        body = text[start:stop]
        clauses.append(
            Clause(
                doc=doc.slug,
                id=f"{doc.slug}:{node.path}",
                ref=node.ref or node.title or doc.slug,
                kind=node.kind,
                title=node.title,
                text=body,
                parent=f"{doc.slug}:{node.parent.path}" if node.parent is not None else None,
                order=order,
                page_start=p0,
                page_end=p1,
                start=start,
                end=stop,
                content_hash=_content_hash(node.kind, node.ref, node.title, body),
            )
        )
    return Segmentation(grammar.scheme, text, tuple(clauses), _link_footnotes(doc.footnotes, clauses))


def _link_footnotes(notes: tuple[Footnote, ...], clauses: list[Clause]) -> tuple[Footnote, ...]:
    """Link each footnote to the innermost clause on its page whose text cites its marker."""
    out = []
    for note in notes:
        marker = note.label if note.label.startswith(("(", "[")) else f"({note.label})"
        best: Clause | None = None
        for c in clauses:
            if c.page_start <= note.page <= c.page_end and (marker in c.text or note.label in c.text):
                if best is None or (c.end - c.start) <= (best.end - best.start):
                    best = c
        out.append(replace(note, clause_id=best.id if best else None))
    return tuple(out)
