"""NormScope: AI standards and policy PDFs as a searchable, comparable clause store."""

from .errors import BadInputError, NormScopeError, NotFoundError, StoreError
from .ingest import ingest_file, ingest_paths, process
from .search import search, similar
from .segment import segment
from .settings import Settings, load_settings
from .store import Store
from .types import (
    Clause,
    Document,
    Footnote,
    IngestResult,
    IngestStatus,
    Line,
    RemovedLine,
    SearchHit,
    Segmentation,
    Tags,
)

__all__ = [
    "BadInputError",
    "Clause",
    "Document",
    "Footnote",
    "IngestResult",
    "IngestStatus",
    "Line",
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
    "process",
    "search",
    "segment",
    "similar",
]
