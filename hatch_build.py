"""Build hook: ship the parser's LALR tables and the compiled message catalogs in the wheel.

Message catalogs (docs/i18n.md): every ``src/targetexpr/locale/<lang>/LC_MESSAGES/*.po`` is compiled
to ``.mo`` with Babel; a wheel gets them as added files, an editable install gets them written beside
the ``.po`` (ignored by git), so the installed package never needs Babel at run time.

Parser tables (docs/performance.md):

At wheel build time this builds the parser from ``grammar/targetexpr.lark`` with the same options
as at run time (``targetexpr.parser.grammar.build_parser``) and adds its tables, as JSON in the
layout of ``targetexpr.parser.tables``, to the wheel as ``targetexpr/grammar/targetexpr.tables.json``.
An editable install gets them written to ``src/targetexpr/grammar/targetexpr.tables.json`` (ignored
by git), as the catalogs are.  Nothing is committed.  The tables carry the grammar's SHA-256, so an
edited grammar is never read through old tables: the parser is then built from the grammar, and
edits stay live (reinstall to make the tables current again).
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
        if self.target_name != "wheel":
            return
        self._catalogs(version, build_data)
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
        if version == "editable":
            out = Path(src) / "targetexpr" / "grammar" / name
            out.parent.mkdir(exist_ok=True)
            out.write_text(text, encoding="utf-8")
            return
        out = Path(tempfile.mkdtemp(prefix="targetexpr-tables-")) / name
        out.write_text(text, encoding="utf-8")
        build_data["force_include"][str(out)] = f"targetexpr/grammar/{name}"

    def _catalogs(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        src = Path(self.root) / "src"
        out_dir = Path(tempfile.mkdtemp(prefix="targetexpr-mo-"))
        for po in sorted((src / "targetexpr" / "locale").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as f:
                catalog = read_po(f)
            relative = po.relative_to(src).with_suffix(".mo")
            target = po.with_suffix(".mo") if version == "editable" else out_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("wb") as f:
                write_mo(f, catalog)
            if version != "editable":
                build_data["force_include"][str(target)] = relative.as_posix()
