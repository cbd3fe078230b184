"""``python -m targetexpr``: the command line (see :mod:`targetexpr.cli`)."""

from __future__ import annotations

from .cli import main

raise SystemExit(main())
