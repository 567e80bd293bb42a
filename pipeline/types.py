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


# --- comparison (compare.py builds these; report_*.py render them) ---

RELATIONS = ("equivalent", "narrower", "broader", "partial", "none")


@dataclass(frozen=True)
class Side:
    """One clause as a comparison report shows it."""

    doc: str
    id: str
    ref: str
    kind: str
    title: str
    text: str
    section: str  # the top-level unit holding it ("Chapter III", "5", "GOVERN"), for the heatmap
    themes: tuple[str, ...]
    obligation: str
    actor: str


@dataclass(frozen=True)
class Match:
    """A target unit (an article or annex, or a paragraph at --level paragraph) matched to a
    source clause, with the evidence for it."""

    unit: str  # clause id of the target unit
    ref: str  # "Article 50", "Annex IV", "Article 50(2)"
    title: str
    chapter: str  # "Chapter IV — Transparency obligations …" (the unit's top-level group)
    score: float  # 0..1, the reranker's probability that the unit corresponds
    relation: str  # equivalent, narrower, broader, partial (source relative to target)
    reason: str  # how the relation was decided, in words
    matched: tuple[Side, ...]  # the target clauses inside the unit that matched best
    shared_terms: tuple[str, ...]  # words and concepts found on both sides
    dense_rank: int | None
    keyword_rank: int | None


@dataclass(frozen=True)
class Alignment:
    source: Side
    matches: tuple[Match, ...]  # best first; empty when nothing clears the threshold

    @property
    def relation(self) -> str:
        return self.matches[0].relation if self.matches else "none"


@dataclass(frozen=True)
class TargetUnit:
    """A target article or annex and which source clauses reach it (coverage)."""

    id: str
    ref: str
    title: str
    chapter: str
    themes: tuple[str, ...]
    obligation: str
    reached_by: tuple[str, ...]  # source clause refs whose matches include this unit


@dataclass(frozen=True)
class Comparison:
    schema_version: str
    source_doc: str
    source_title: str
    target_doc: str
    target_title: str
    level: str  # article or paragraph
    themes_filter: tuple[str, ...]
    model: str  # the embedder
    threshold: float  # below it a source clause has no counterpart
    alignments: tuple[Alignment, ...]
    target_units: tuple[TargetUnit, ...]
    source_profile: dict[str, float]  # theme -> share of clauses carrying it
    target_profile: dict[str, float]

    @property
    def matched_share(self) -> float:
        return sum(1 for a in self.alignments if a.matches) / max(1, len(self.alignments))

    def coverage_by_theme(self) -> dict[str, tuple[int, int]]:
        """theme -> (source clauses with the theme, of which with a counterpart)."""
        out: dict[str, tuple[int, int]] = {}
        for a in self.alignments:
            for t in a.source.themes:
                n, m = out.get(t, (0, 0))
                out[t] = (n + 1, m + (1 if a.matches else 0))
        return out

    def gaps_by_theme(self) -> dict[str, tuple[int, int]]:
        """theme -> (target units carrying it, of which no source clause reaches)."""
        out: dict[str, tuple[int, int]] = {}
        for u in self.target_units:
            for t in u.themes:
                n, gap = out.get(t, (0, 0))
                out[t] = (n + 1, gap + (0 if u.reached_by else 1))
        return out

    def heatmap(self) -> tuple[list[str], list[str], list[list[int]]]:
        """(target chapters, source sections, counts[chapter][section]) of top matches."""
        chapters = list(dict.fromkeys(u.chapter for u in self.target_units))
        sections = list(dict.fromkeys(a.source.section for a in self.alignments))
        counts = [[0] * len(sections) for _ in chapters]
        for a in self.alignments:
            for m in a.matches[:1]:
                if m.chapter in chapters:
                    counts[chapters.index(m.chapter)][sections.index(a.source.section)] += 1
        return chapters, sections, counts
