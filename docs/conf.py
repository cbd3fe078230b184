"""Sphinx configuration of the targetexpr documentation (MyST Markdown pages).

Build: ``sphinx-build -W -b html docs docs/_build/html`` (the ``[docs]`` extra); CI builds it with
warnings as errors.
"""

from __future__ import annotations

import targetexpr

project = "targetexpr"
author = "targetexpr developers"
copyright = "2026, targetexpr developers"
release = targetexpr.__version__
version = release

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_search"]
language = "en"
# Search in Chinese words as well as English ones: the Chinese splitter of Sphinx cuts the pages'
# text with jieba (the [docs] extra), taught the domain's words (docs/_search/words.txt); Latin words
# are still indexed as in English.  docs/check_search.py checks the built index.
html_search_language = "zh"
html_search_options = {"dict": str(__import__("pathlib").Path(__file__).parent / "_search" / "words.txt")}

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = "furo"
html_title = f"targetexpr {release}"
html_static_path: list[str] = []
napoleon_use_ivar = True
