"""The dict form of targets: :func:`to_dict` (on the nodes) and its inverse :func:`from_dict`.

The dict form tags every target with ``"kind"`` and writes every number as a string, so that
``json.dumps(to_dict(t))`` works and ``from_dict(to_dict(t)) == t`` exactly; the cell as written
(``"written"``, when the node has it) comes back too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .errors import TargetValueError, brief
from .i18n import gettext, say
from .nodes import (
    TARGET_CLASSES,
    CalendarDate,
    Change,
    Comparison,
    Compound,
    Deadline,
    FreeText,
    Masked,
    Op,
    Period,
    Polarity,
    Qualitative,
    Quantity,
    Range,
    Relative,
    Target,
    Unit,
    Value,
    Words,
    to_dict,
)

__all__ = ["from_dict", "to_dict"]

_OPS_BY_NAME = {op.name.lower(): op for op in Op}


_DECIMAL_TEXT = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,12})?")


class _Reader:
    """Reads one dict, naming the path of every field in its errors."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            message = say("{path} must be a mapping, not {type}", path=path or "target", type=type(data).__name__)
            raise TargetValueError(message, field=path)
        self.data = data
        self.path = path

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, types: tuple[type, ...], *, optional: bool = False) -> Any:
        if key not in self.data:
            if optional:
                return None
            raise TargetValueError(say("{path} is missing", path=self._where(key)), field=self._where(key))
        value = self.data[key]
        if value is None and optional:
            return None
        if isinstance(value, bool) and bool not in types:
            raise TargetValueError(say("{path} must not be a bool", path=self._where(key)), field=self._where(key))
        if not isinstance(value, types):
            names = gettext(" or ").join(t.__name__ for t in types)
            message = say(
                "{path} must be {types}, not {type}", path=self._where(key), types=names, type=type(value).__name__
            )
            raise TargetValueError(message, field=self._where(key))
        return value

    def decimal(self, key: str) -> Decimal:
        value = self.get(key, (str, int))
        if isinstance(value, int) and value.bit_length() > 128:
            # str() of an int over 4,300 digits raises ValueError; no valid value is this long.
            message = say("{path} is out of range: {value}", path=self._where(key), value=brief(value))
            raise TargetValueError(message, field=self._where(key))
        text = str(value)
        if not _DECIMAL_TEXT.fullmatch(text):
            message = say("{path} is not a decimal number: {value}", path=self._where(key), value=repr(text[:40]))
            raise TargetValueError(message, field=self._where(key))
        return Decimal(text)

    def sub(self, key: str, *, optional: bool = False) -> _Reader | None:
        value = self.get(key, (Mapping,), optional=optional)
        return None if value is None else _Reader(value, self._where(key))

    def enum(self, key: str, table: Mapping[str, Any], *, optional: bool = False) -> Any:
        value = self.get(key, (str,), optional=optional)
        if value is None:
            return None
        if value not in table:
            message = say(
                "{path} must be one of {choices}, not {value}",
                path=self._where(key),
                choices=", ".join(map(repr, table)),
                value=brief(value),
            )
            raise TargetValueError(message, field=self._where(key))
        return table[value]


def _unit_from(r: _Reader | None) -> Unit | None:
    if r is None:
        return None
    per = r.get("per", (list, tuple), optional=True) or ()
    if not all(isinstance(p, str) and p for p in per):
        raise TargetValueError(say("{path}.per must be a list of unit names", path=r.path), field=r.path)
    base = r.get("base", (str,))
    prefix = r.get("prefix", (str,), optional=True) or ""
    return Unit(base, prefix, tuple(per))


def _quantity_from(r: _Reader | None) -> Quantity | None:
    if r is None:
        return None
    return Quantity(r.decimal("value"), _unit_from(r.sub("unit", optional=True)))


def _int_or_none(r: _Reader, key: str) -> int | None:
    value = r.get(key, (int,), optional=True)
    return None if value is None else int(value)


def _date_from(r: _Reader | None) -> CalendarDate:
    assert r is not None
    return CalendarDate(
        _int_or_none(r, "year"),
        _int_or_none(r, "month"),
        _int_or_none(r, "day"),
        _int_or_none(r, "quarter"),
        _int_or_none(r, "half"),
        bool(r.get("end", (bool,), optional=True) or False),
    )


def _from(r: _Reader) -> Target:
    node = _from_core(r)
    written = r.get("written", (str,), optional=True)
    if written is not None:
        node = attrs.evolve(node, written=str(written))
    if r.data.get("words") is None:
        return node
    words = r.sub("words")
    assert words is not None
    if not hasattr(node, "words"):
        message = say("{path}: a {kind} carries no words", path=r.path or "target", kind=node.kind)
        raise TargetValueError(message, field=r.path)
    before, after = words.get("before", (str,)), words.get("after", (str,))
    return attrs.evolve(node, words=Words(str(before), str(after)))  # type: ignore[arg-type]


def _from_core(r: _Reader) -> Target:
    kind = r.enum("kind", {k: k for k in TARGET_CLASSES})
    if kind == "comparison":
        q = _quantity_from(r.sub("quantity"))
        assert q is not None
        return Comparison(r.enum("op", _OPS_BY_NAME), q)
    if kind == "value":
        q = _quantity_from(r.sub("quantity"))
        assert q is not None
        return Value(q)
    if kind == "range":
        low, high = _quantity_from(r.sub("low")), _quantity_from(r.sub("high"))
        assert low is not None
        assert high is not None
        return Range(
            low,
            high,
            bool(r.get("low_inclusive", (bool,))),
            bool(r.get("high_inclusive", (bool,))),
        )
    if kind == "deadline":
        recurring = bool(r.get("recurring", (bool,), optional=True) or False)
        return Deadline(_date_from(r.sub("date")), bool(r.get("inclusive", (bool,))), recurring=recurring)
    if kind == "period":
        return Period(_date_from(r.sub("start")), _date_from(r.sub("end")))
    if kind == "relative":
        return Relative(
            r.get("reference", (str,), optional=True),
            r.enum("change", {c.value: c for c in Change}, optional=True),
            r.enum("op", _OPS_BY_NAME, optional=True),
            _quantity_from(r.sub("amount", optional=True)),
        )
    if kind == "qualitative":
        return Qualitative(
            r.get("label", (str,)),
            r.get("category", (str,), optional=True),
            r.enum("polarity", {p.value: p for p in Polarity}),
        )
    if kind == "masked":
        return Masked(
            r.enum("op", _OPS_BY_NAME, optional=True), r.get("digits", (str,)), _unit_from(r.sub("unit", optional=True))
        )
    if kind == "compound":
        parts = r.get("parts", (list, tuple))
        readers = [_Reader(p, f"{r._where('parts')}[{i}]") for i, p in enumerate(parts)]
        for part in readers:
            # Checked before reading the parts: a dict nested thousands deep must not recurse.
            if part.data.get("kind") == "compound":
                message = say("{path}: a compound target's parts are not compounds", path=part.path)
                raise TargetValueError(message, field=part.path)
        return Compound(tuple(_from(part) for part in readers))
    if kind == "text":
        quantities = r.get("quantities", (list, tuple), optional=True) or ()
        return FreeText(
            r.get("text", (str,)),
            tuple(
                q
                for i, item in enumerate(quantities)
                if (q := _quantity_from(_Reader(item, f"{r._where('quantities')}[{i}]"))) is not None
            ),
            dates=tuple(
                _date_from(_Reader(item, f"{r._where('dates')}[{i}]"))
                for i, item in enumerate(r.get("dates", (list, tuple), optional=True) or ())
            ),
            labels=tuple(r.get("labels", (list, tuple), optional=True) or ()),
            reason=r.get("reason", (str,), optional=True),
        )
    raise AssertionError(kind)  # pragma: no cover


def from_dict(data: Mapping[str, Any]) -> Target:
    """Rebuild a target from :func:`to_dict`'s output; a malformed dict raises ``TargetValueError``.

    >>> from targetexpr import parse
    >>> from_dict(to_dict(parse("较上年增长5%"))) == parse("较上年增长5%")
    True
    """
    return _from(_Reader(data, ""))
