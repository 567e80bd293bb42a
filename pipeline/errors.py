"""Errors with messages that name the file, the problem and, where there is one, the fix."""

from __future__ import annotations


class NormScopeError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero."""


class BadInputError(NormScopeError):
    """A file that cannot be ingested (not a PDF, damaged, encrypted, empty, no text)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class StoreError(NormScopeError):
    """The store is missing, locked or from a newer version."""


class NotFoundError(NormScopeError):
    """A document or clause that is not in the store."""
