"""Errors that name their file: every :class:`~targetexpr.errors.TableError` raised while a file is
read or written carries that file in ``path`` (set here, at the few places every reader and writer
passes through, so that no raise site can forget it)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from ..errors import TableError

__all__ = ["at_path", "located", "rows_at"]

T = TypeVar("T")


def at_path(error: TableError, path: str | Path | None) -> TableError:
    """``error`` with ``path`` set, unless it names a file already (the innermost file wins)."""
    if error.path is None and path is not None and str(path):
        error.path = str(path)
    return error


@contextlib.contextmanager
def located(path: str | Path | None) -> Iterator[None]:
    """Inside the block, a :class:`TableError` without a file is given ``path``."""
    try:
        yield
    except TableError as e:
        raise at_path(e, path)  # noqa: B904 - the same error, re-raised with its file


def rows_at(rows: Iterator[T], path: str | Path) -> Iterator[T]:
    """``rows``, streamed; a :class:`TableError` raised while reading them names ``path``."""
    with located(path):
        yield from rows
