"""Typed, frozen records that cross module boundaries.

Every stage takes records and returns new records; nothing accumulates state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

CLAUSE_KINDS = (
    "document",
    "chapter",
    "section",
    "recital",
    "article",
    "paragraph",
    "point",
    "annex",
    "clause",
    "heading",
    "text",
)


@dataclass(frozen=True)
class Word:
    """A run of characters with one font, as the PDF backend reports it."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool


@dataclass(frozen=True)
class Line:
    """One line of text on a page, in reading order, after normalisation."""

    page: int  # 1-based page number
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # dominant font size (by characters)
    bold: bool
    column: int = 0  # 0 = full width, 1 = left column, 2 = right column


@dataclass(frozen=True)
class RawPage:
    """What the PDF backend gives for one page, before layout cleaning."""

    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    chars: int  # characters with a text mapping
    unmapped_chars: int  # glyphs without a text map, e.g. "(cid:12)"
    images: int


@dataclass(frozen=True)
class RemovedLine:
    """A line kept out of the body text, and why (header, footer, toc, cover...)."""

    page: int
    kind: str
    text: str


@dataclass(frozen=True)
class Footnote:
    page: int
    label: str
    text: str
    clause_id: str | None = None  # the clause that cites it, once segmented


@dataclass(frozen=True)
class Document:
    """A cleaned document: body lines in reading order plus what was set aside."""

    slug: str
    path: str
    sha256: str
    title: str
    language: str
    page_count: int
    lines: tuple[Line, ...]
    removed: tuple[RemovedLine, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    needs_ocr_pages: tuple[int, ...] = ()
    body_size: float = 0.0


@dataclass(frozen=True)
class Clause:
    doc: str
    id: str
    ref: str
    kind: str
    title: str
    text: str
    parent: str | None
    order: int
    page_start: int
    page_end: int
    start: int  # offset into the document body text
    end: int
    content_hash: str


@dataclass(frozen=True)
class Segmentation:
    """Segmenter output: the body text every offset points into, and the clause tree."""

    scheme: str
    text: str
    clauses: tuple[Clause, ...]
    footnotes: tuple[Footnote, ...] = ()


class IngestStatus(str, Enum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True)
class IngestResult:
    path: str
    status: IngestStatus
    slug: str | None = None
    pages: int = 0
    clauses: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document as listed by `normscope docs`."""

    slug: str
    title: str
    path: str
    language: str
    scheme: str
    pages: int
    clauses: int
    removed_lines: int
    needs_ocr_pages: tuple[int, ...]
    sha256: str


@dataclass(frozen=True)
class Entity:
    text: str
    label: str
    start: int  # offsets into the tagged text (a clause's own text is a prefix of clause.text)
    end: int


@dataclass(frozen=True)
class Obligation:
    type: str  # mandatory, prohibited, recommended, permitted, none
    marker: str = ""
    actor: str = ""


@dataclass(frozen=True)
class ThemeScore:
    theme: str
    score: float
    evidence: tuple[str, ...] = ()  # matched terms, or "similar to <id> [themes]"


@dataclass(frozen=True)
class Tags:
    """What the tagger says about one text (a clause, or anything given to `normscope tag`)."""

    language: str
    entities: tuple[Entity, ...]
    obligation: Obligation
    scores: tuple[ThemeScore, ...]  # every theme, in taxonomy order
    themes: tuple[str, ...]  # the themes above their calibrated thresholds

    def theme_scores(self) -> dict[str, float]:
        return {s.theme: s.score for s in self.scores}


@dataclass(frozen=True)
class SearchHit:
    rank: int
    score: float  # reciprocal-rank-fusion score in hybrid mode; cosine or BM25 otherwise
    id: str
    doc: str
    doc_title: str
    ref: str
    kind: str
    title: str
    text: str
    snippet: str  # with the query's terms in **bold**
    themes: tuple[str, ...]
    dense_rank: int | None
    keyword_rank: int | None
    matched_terms: tuple[str, ...]
