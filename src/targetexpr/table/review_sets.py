"""Review rule sets built on another: a locality's set (``data/review/shanghai.toml``) ``extends``
the national one and changes only what the locality says differently.

* ``extends = "national"``: start from that shipped set's rules (and its ``[grade]``);
* a ``[[rule]]`` with the ``id`` of an inherited rule replaces it, in its place; a new id is added
  at the end;
* ``drop = ["weights.total"]`` removes inherited rules.

One level only: the set extended must not itself extend another (no chains, no cycles).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from typing import Any

from ..errors import RuleSetError, brief
from ..i18n import say

__all__ = ["extended", "shipped_review_sets"]


def shipped_review_sets() -> tuple[str, ...]:
    """The names of the review rule sets shipped in ``data/review/``."""
    folder = resources.files("targetexpr").joinpath("data", "review")
    return tuple(sorted(e.name[: -len(".toml")] for e in folder.iterdir() if e.name.endswith(".toml")))


def _shipped(name: str) -> Mapping[str, Any]:
    resource = resources.files("targetexpr").joinpath("data", "review", f"{name}.toml")
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def extended(data: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    """``data`` with the shipped set it ``extends`` merged in (``data`` itself when it extends none)."""
    base_name = data.get("extends")
    if base_name is None:
        return data
    if not isinstance(base_name, str) or base_name not in shipped_review_sets():
        raise RuleSetError(
            say(
                "review rule set {where}: extends {base}, which is not a shipped review rule set ({shipped})",
                where=where,
                base=brief(base_name),
                shipped=", ".join(shipped_review_sets()),
            ),
            name=where,
        )
    base = _shipped(base_name)
    if "extends" in base:
        raise RuleSetError(
            say(
                "review rule set {where}: extends {base}, which extends another set; extend that one instead",
                where=where,
                base=base_name,
            ),
            name=where,
        )
    own = data.get("rule", [])
    drop = data.get("drop", [])
    if not isinstance(own, list) or not isinstance(drop, list):
        raise RuleSetError(say("review rule set {where}: `rule` and `drop` must be arrays", where=where), name=where)
    by_id = {r.get("id"): r for r in own if isinstance(r, Mapping)}
    rules = [by_id.pop(r.get("id"), r) for r in base.get("rule", []) if r.get("id") not in drop]
    rules += [r for r in own if not isinstance(r, Mapping) or r.get("id") in by_id]
    merged = {**{k: v for k, v in base.items() if k != "rule"}, **data, "rule": rules}
    merged.pop("extends", None)
    return merged
