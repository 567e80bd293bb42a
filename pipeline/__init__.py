"""NormScope: AI standards and policy PDFs as a searchable, comparable clause store."""

from .compare import Comparer, compare
from .errors import BadInputError, NormScopeError, NotFoundError, StoreError
from .ingest import ingest_file, ingest_paths, process
from .search import search, similar
from .segment import segment
from .settings import Settings, load_settings
from .store import Store
from .types import (
    Alignment,
    Clause,
    Comparison,
    Document,
    Footnote,
    IngestResult,
    IngestStatus,
    Line,
    Match,
    RemovedLine,
    SearchHit,
    Segmentation,
    Tags,
)

__all__ = [
    "Alignment",
    "BadInputError",
    "Clause",
    "Comparer",
    "Comparison",
    "Document",
    "Footnote",
    "IngestResult",
    "IngestStatus",
    "Line",
    "Match",
    "NormScopeError",
    "NotFoundError",
    "RemovedLine",
    "SearchHit",
    "Segmentation",
    "Settings",
    "Store",
    "StoreError",
    "Tags",
    "ingest_file",
    "ingest_paths",
    "load_settings",
    "compare",
    "process",
    "search",
    "segment",
    "similar",
]
