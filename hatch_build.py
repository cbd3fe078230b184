"""Build hook: ship the parser's LALR tables in the wheel (docs/performance.md).

At wheel build time this builds the parser from ``grammar/targetexpr.lark`` with the same options
as at run time (``targetexpr.parser.grammar.build_parser``) and adds its tables, as JSON, to the wheel as
``targetexpr/grammar/targetexpr.tables.json``.  Nothing is committed; editable installs get no
tables and build the parser from the grammar, so grammar edits stay live.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class TablesBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the prebuilt parser tables to regular (not editable) wheels."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        src = str(Path(self.root) / "src")
        sys.path.insert(0, src)
        try:
            from targetexpr.parser import grammar as _grammar

            text = _grammar.tables_json(_grammar.build_parser())
            name = _grammar.TABLES_NAME
        finally:
            sys.path.remove(src)
            for module in [m for m in sys.modules if m == "targetexpr" or m.startswith("targetexpr.")]:
                del sys.modules[module]
        out = Path(tempfile.mkdtemp(prefix="targetexpr-tables-")) / name
        out.write_text(text, encoding="utf-8")
        build_data["force_include"][str(out)] = f"targetexpr/grammar/{name}"
