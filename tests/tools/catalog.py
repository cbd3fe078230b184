"""Extract the messages of the code and bring the Chinese catalogs up to date (Babel).

    python tests/tools/catalog.py          # add new message ids, drop unused ones, keep translations
    python tests/tools/catalog.py --check  # exit 1 when a message has no Chinese translation

Messages are the first argument of ``_``, ``gettext``, ``N_`` and ``say`` (targetexpr.i18n) in
``src/targetexpr``.  There is one catalog per part of the package (``parser.po`` for
``targetexpr/parser/``, ``core.po`` for the modules at the top …), so work on different parts
never edits the same file.  New ids get an empty translation, which tests/test_i18n.py refuses.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "targetexpr"
LOCALE = SRC / "locale" / "zh" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "N_": None, "say": None}
HEADER = """\
# Simplified Chinese messages of targetexpr: {domain}.
# The source of every translation, compiled to .mo when the wheel is built (hatch_build.py) or in
# memory from a source checkout (targetexpr.i18n).  Regenerate the ids: python tests/tools/catalog.py
"""


def domain_of(filename: str) -> str:
    """The catalog a source file's messages go to: its subpackage, or ``core`` for top modules."""
    parts = Path(filename).parts
    return parts[0] if len(parts) > 1 else "core"


#: Data files whose rows carry a message for the reader: file -> (catalog, column of the message).
#: The code translates these with gettext(row.message) (data/noise.tsv: parser/repair.py).
DATA_MESSAGES = {"noise.tsv": ("parser", 3)}


def _data_messages(found: dict[str, dict[str, list[tuple[str, int]]]]) -> None:
    for name, (domain, column) in DATA_MESSAGES.items():
        lines = (SRC / "data" / name).read_text(encoding="utf-8").splitlines()
        for lineno, line in enumerate(lines, 1):
            cells = line.split("\t")
            if line.startswith("#") or len(cells) <= column or not cells[column]:
                continue
            found.setdefault(domain, {}).setdefault(cells[column], []).append((f"data/{name}", lineno))


def extracted() -> dict[str, dict[str, list[tuple[str, int]]]]:
    """Every message id of the code (and of the data files that hold messages), per catalog, with
    the places it is written."""
    found: dict[str, dict[str, list[tuple[str, int]]]] = {}
    _data_messages(found)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(SRC), method_map=[("**.py", "python")], keywords=KEYWORDS, strip_comment_tags=True
    ):
        if isinstance(message, tuple):
            message = message[0]
        if message:
            found.setdefault(domain_of(filename), {}).setdefault(message, []).append((filename, lineno))
    return found


def load(domain: str) -> Catalog:
    path = LOCALE / f"{domain}.po"
    if not path.exists():
        return Catalog(locale="zh", project="targetexpr")
    with path.open("rb") as f:
        return read_po(f)


def update() -> int:
    missing = 0
    domains = extracted()
    for stale in LOCALE.glob("*.po"):
        if stale.stem not in domains:
            stale.unlink()
    for domain, messages in sorted(domains.items()):
        catalog = load(domain)
        template = Catalog(locale="zh")
        for message, places in sorted(messages.items()):
            template.add(message, locations=places)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        out = io.BytesIO()
        write_po(out, catalog, width=0, sort_output=True, no_location=True)
        text = out.getvalue().decode("utf-8")
        text = re.sub(r'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*\\n"\n', "", text, flags=re.M)
        body = text[text.index('msgid ""') :]
        LOCALE.mkdir(parents=True, exist_ok=True)
        (LOCALE / f"{domain}.po").write_text(HEADER.format(domain=domain) + body, encoding="utf-8")
        untranslated = [m.id for m in catalog if m.id and not m.string]
        missing += len(untranslated)
        print(f"{domain}.po: {len(catalog)} messages, {len(untranslated)} without a Chinese translation")
    return missing


def untranslated() -> list[str]:
    out = []
    for domain, messages in extracted().items():
        catalog = load(domain)
        out += [m for m in messages if not ((found := catalog.get(m)) and found.string)]
    return out


if __name__ == "__main__":
    if "--check" in sys.argv:
        gaps = untranslated()
        for m in gaps:
            print("untranslated:", m)
        sys.exit(1 if gaps else 0)
    update()
