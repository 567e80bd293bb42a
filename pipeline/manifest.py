"""The corpus manifest (corpora/MANIFEST.tsv): official titles and languages by sha256 or name."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MANIFEST = Path(__file__).resolve().parent.parent / "corpora" / "MANIFEST.tsv"


@dataclass(frozen=True)
class ManifestEntry:
    file: str
    title: str
    issuer: str
    year: str
    language: str
    url: str
    sha256: str


@lru_cache(maxsize=1)
def _entries(path: Path = MANIFEST) -> tuple[ManifestEntry, ...]:
    if not path.exists():
        return ()
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return tuple(
        ManifestEntry(
            r["file"], r["title"], r["issuer"], r["year"], r["language"], r["official_source_url"], r["sha256"]
        )
        for r in rows
    )


def lookup(name: str, sha256: str) -> ManifestEntry | None:
    for e in _entries():
        if e.sha256 == sha256:
            return e
    for e in _entries():
        if e.file == name:
            return e
    return None
