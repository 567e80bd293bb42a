"""NormScope: AI standards and policy PDFs as a searchable, comparable clause store."""

from .errors import BadInputError, NormScopeError, NotFoundError, StoreError
from .ingest import ingest_file, ingest_paths, process
from .segment import segment
from .settings import Settings, load_settings
from .store import Store
from .types import Clause, Document, Footnote, IngestResult, IngestStatus, Line, RemovedLine, Segmentation

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
    "Segmentation",
    "Settings",
    "Store",
    "StoreError",
    "ingest_file",
    "ingest_paths",
    "load_settings",
    "process",
    "segment",
]
