"""Check that the built docs site finds Chinese words: run after ``sphinx-build -b html docs docs/_build/html``.

    python docs/check_search.py [docs/_build/html]

Reads the search index Sphinx wrote and fails (exit 1) unless each domain word below is a term of
it and leads to a page that uses it, and unless English words are still found.  CI runs it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: A word of the domain (as jieba is taught it in docs/_search/words.txt, or an English stem) and a
#: page that uses it.
WORDS = {
    "完成率": "tutorial",
    "指标值": "syntax",
    "实际完成值": "tutorial",
    "反向指标": "review",
    "满意度": "evaluation",
    "pars": "reference",
}


def main(argv: list[str]) -> int:
    root = Path(argv[1] if len(argv) > 1 else Path(__file__).parent / "_build" / "html")
    text = (root / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    terms, docnames = index["terms"], index["docnames"]
    failures = []
    for word, page in WORDS.items():
        found = terms.get(word)
        pages = {docnames[i] for i in ([found] if isinstance(found, int) else found or [])}
        if not any(name.endswith(page) for name in pages):
            failures.append(f"{word!r}: expected on a page named *{page}, found on {sorted(pages) or 'no page'}")
    for line in failures:
        print("search:", line, file=sys.stderr)
    print(f"search index: {len(terms)} terms, {len(WORDS) - len(failures)} of {len(WORDS)} checked words found")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
