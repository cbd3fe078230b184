"""The JSON Schema (draft 2020-12) of the dict form of a target (:func:`targetexpr.to_dict`).

The schema ships in the wheel as ``targetexpr/data/target.schema.json``; every ``kind`` has its
own definition under ``$defs``.

>>> schema = target_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> schema["properties"]["kind"]["enum"][:3]
['comparison', 'value', 'range']
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

__all__ = ["SCHEMA_RESOURCE", "target_schema"]

#: Where the schema lives inside the package.
SCHEMA_RESOURCE = "data/target.schema.json"


@functools.cache
def _schema() -> dict[str, Any]:
    text = resources.files("targetexpr").joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def target_schema() -> dict[str, Any]:
    """The JSON Schema of :func:`targetexpr.to_dict`'s output, as a fresh dict (safe to change)."""
    return copy.deepcopy(_schema())
