"""One place for defaults: home folder, extraction tolerances, worker counts."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "NORMSCOPE_HOME"
EMBED_ENV = "NORMSCOPE_EMBED_MODEL"
DEFAULT_EMBED_MODEL = "use-multilingual-v3"
DEFAULT_HOME = ".normscope"
MODELS = Path(__file__).resolve().parent.parent / "models"  # taxonomy, patterns, labels, trained weights
# Bump when extraction or segmentation changes what is stored: unchanged files re-ingest then.
PIPELINE_VERSION = "2"


@dataclass(frozen=True)
class Settings:
    home: Path
    workers: int = max(1, min(2, os.cpu_count() or 1))
    # Running headers/footers: a line repeated at the same height on at least this share of pages.
    repeat_share: float = 0.3
    repeat_similarity: float = 85.0  # rapidfuzz token_sort_ratio, 0..100
    x_tolerance: float = 3.0
    y_tolerance: float = 3.0
    embed_model: str = DEFAULT_EMBED_MODEL

    @property
    def db_path(self) -> Path:
        return self.home / "normscope.db"


def load_settings(home: str | Path | None = None) -> Settings:
    chosen = home or os.environ.get(HOME_ENV) or DEFAULT_HOME
    return Settings(home=Path(chosen), embed_model=os.environ.get(EMBED_ENV) or DEFAULT_EMBED_MODEL)
