"""Canonical text of every node, and its JSON-safe dict form.

Canonical text is what ``str(node)`` returns: one spelling per meaning (``≥`` for 不低于, ASCII
digits, canonical units), chosen so that ``parse(str(t)) == t`` for every target ``t`` (with the
default options).  Numbers keep the digits they were written with (``856.80``).

The dict form tags every target with ``"kind"`` and writes every number as a string, so that
``json.dumps(to_dict(t))`` works and ``from_dict(to_dict(t)) == t`` exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .errors import TargetValueError, brief
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
)

__all__ = ["from_dict", "render", "render_date", "render_quantity", "render_unit", "to_dict"]

_CHANGE_WORD = {Change.UP: "增长", Change.DOWN: "下降"}


def render_unit(unit: Unit) -> str:
    """``万元``, ``元/人·个月``, ``%``."""
    text = unit.prefix + unit.base
    if unit.per:
        text += "/" + "·".join(unit.per)
    return text


def _number(value: Decimal) -> str:
    return format(value, "f")


def render_quantity(quantity: Quantity) -> str:
    """``99.9%``, ``400万元``, ``15个``, ``43.2``."""
    text = _number(quantity.value)
    if quantity.unit is not None:
        text += render_unit(quantity.unit)
    return text


def render_date(date: CalendarDate) -> str:
    """``2022年12月31日``, ``6月``, ``2022年第3季度``, ``上半年``, ``2022年`` (``""`` for an unknown year)."""
    year = f"{date.year}年" if date.year is not None else ""
    if date.day is not None:
        return f"{year}{date.month}月{date.day}日"
    if date.month is not None:
        return f"{year}{date.month}月"
    if date.quarter is not None:
        return f"{year}第{date.quarter}季度"
    if date.half is not None:
        return f"{year}{'上' if date.half == 1 else '下'}半年"
    return year


def _deadline(node: Deadline) -> str:
    date = node.date
    exclusive = "" if node.inclusive else ("(不含当日)" if date.precision == "day" else "(不含)")
    if date.precision == "year":
        year = f"{date.year}年" if date.year is not None else "年"
        if date.end:
            return f"{year}底前{exclusive}"
        return f"{year}内{exclusive}"
    end = ""
    if date.end:
        end = "末" if date.precision in ("quarter", "half") else "底"
    return f"{render_date(date)}{end}前{exclusive}"


def _reference_prefix(reference: str | None) -> str:
    if reference is None:
        return ""
    if reference == "上年同期":
        return "同比"
    if reference == "上期":
        return "环比"
    return f"较{reference}"


def _relative(node: Relative) -> str:
    if node.change is None:
        assert node.op is not None
        if node.op is Op.EQ:
            return f"与{node.reference}持平"
        return f"{node.op.value}{node.reference}"
    prefix = _reference_prefix(node.reference)
    word = _CHANGE_WORD[node.change]
    if node.amount is None:
        if node.op is Op.GT:
            return f"{prefix}有所{word}"
        if node.op is None:
            return f"{prefix}{word}"
        # A comparator without an amount cannot be written in the grammar; say it with zero.
        return f"{prefix}{word}{node.op.value}0"
    op = node.op.value if node.op is not None else ""
    return f"{prefix}{word}{op}{render_quantity(node.amount)}"


def render(node: Target) -> str:
    """Canonical text of a target (what ``str(node)`` returns)."""
    if isinstance(node, Comparison):
        return node.op.value + render_quantity(node.quantity)
    if isinstance(node, Value):
        return render_quantity(node.quantity)
    if isinstance(node, Range):
        low, high = render_quantity(node.low), render_quantity(node.high)
        if node.low_inclusive and node.high_inclusive:
            return f"{low}~{high}"
        return f"{'[' if node.low_inclusive else '('}{low},{high}{']' if node.high_inclusive else ')'}"
    if isinstance(node, Deadline):
        return _deadline(node)
    if isinstance(node, Period):
        return f"{render_date(node.start)}-{render_date(node.end)}"
    if isinstance(node, Relative):
        return _relative(node)
    if isinstance(node, Qualitative):
        return node.label
    if isinstance(node, Masked):
        op = node.op.value if node.op is not None else ""
        unit = render_unit(node.unit) if node.unit is not None else ""
        return f"{op}{node.digits}{unit}"
    if isinstance(node, Compound):
        return ";".join(render(p) for p in node.parts)
    if isinstance(node, FreeText):
        return node.text
    raise TypeError(f"not a target node: {node!r}")


# --- dict form ----------------------------------------------------------------------------------

_OP_NAMES = {op: op.name.lower() for op in Op}
_OPS_BY_NAME = {name: op for op, name in _OP_NAMES.items()}


def _unit_dict(unit: Unit | None) -> dict[str, Any] | None:
    if unit is None:
        return None
    return {"base": unit.base, "prefix": unit.prefix, "per": list(unit.per)}


def _quantity_dict(q: Quantity | None) -> dict[str, Any] | None:
    if q is None:
        return None
    return {"value": str(q.value), "unit": _unit_dict(q.unit)}


def _date_dict(d: CalendarDate) -> dict[str, Any]:
    return {"year": d.year, "month": d.month, "day": d.day, "quarter": d.quarter, "half": d.half, "end": d.end}


def to_dict(node: Target) -> dict[str, Any]:
    """The JSON-safe dict of a target, tagged with ``"kind"``; numbers are strings.

    >>> from targetexpr import parse
    >>> to_dict(parse("≤400 万元"))
    {'kind': 'comparison', 'op': 'le', 'quantity': {'value': '400', 'unit': {'base': '元', 'prefix': '万', 'per': []}}}
    """
    kind = getattr(node, "kind", None)
    if kind not in TARGET_CLASSES or not isinstance(node, TARGET_CLASSES[kind]):
        raise TargetValueError(f"not a target node: {type(node).__name__}")
    out: dict[str, Any] = {"kind": kind}
    if isinstance(node, Comparison):
        out.update(op=_OP_NAMES[node.op], quantity=_quantity_dict(node.quantity))
    elif isinstance(node, Value):
        out.update(quantity=_quantity_dict(node.quantity))
    elif isinstance(node, Range):
        out.update(
            low=_quantity_dict(node.low),
            high=_quantity_dict(node.high),
            low_inclusive=node.low_inclusive,
            high_inclusive=node.high_inclusive,
        )
    elif isinstance(node, Deadline):
        out.update(date=_date_dict(node.date), inclusive=node.inclusive)
    elif isinstance(node, Period):
        out.update(start=_date_dict(node.start), end=_date_dict(node.end))
    elif isinstance(node, Relative):
        out.update(
            reference=node.reference,
            change=node.change.value if node.change is not None else None,
            op=_OP_NAMES[node.op] if node.op is not None else None,
            amount=_quantity_dict(node.amount),
        )
    elif isinstance(node, Qualitative):
        out.update(label=node.label, category=node.category, polarity=node.polarity.value)
    elif isinstance(node, Masked):
        out.update(
            op=_OP_NAMES[node.op] if node.op is not None else None, digits=node.digits, unit=_unit_dict(node.unit)
        )
    elif isinstance(node, Compound):
        out.update(parts=[to_dict(p) for p in node.parts])
    elif isinstance(node, FreeText):
        out.update(text=node.text, quantities=[_quantity_dict(q) for q in node.quantities])
    return out


_DECIMAL_TEXT = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,12})?")


class _Reader:
    """Reads one dict, naming the path of every field in its errors."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise TargetValueError(f"{path or 'target'} must be a mapping, not {type(data).__name__}", path=path)
        self.data = data
        self.path = path

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, types: tuple[type, ...], *, optional: bool = False) -> Any:
        if key not in self.data:
            if optional:
                return None
            raise TargetValueError(f"{self._where(key)} is missing", path=self._where(key))
        value = self.data[key]
        if value is None and optional:
            return None
        if isinstance(value, bool) and bool not in types:
            raise TargetValueError(f"{self._where(key)} must not be a bool", path=self._where(key))
        if not isinstance(value, types):
            names = " or ".join(t.__name__ for t in types)
            raise TargetValueError(
                f"{self._where(key)} must be {names}, not {type(value).__name__}", path=self._where(key)
            )
        return value

    def decimal(self, key: str) -> Decimal:
        value = self.get(key, (str, int))
        if isinstance(value, int) and value.bit_length() > 128:
            # str() of an int over 4,300 digits raises ValueError; no valid value is this long.
            raise TargetValueError(f"{self._where(key)} is out of range: {brief(value)}", path=self._where(key))
        text = str(value)
        if not _DECIMAL_TEXT.fullmatch(text):
            raise TargetValueError(f"{self._where(key)} is not a decimal number: {text[:40]!r}", path=self._where(key))
        return Decimal(text)

    def sub(self, key: str, *, optional: bool = False) -> _Reader | None:
        value = self.get(key, (Mapping,), optional=optional)
        return None if value is None else _Reader(value, self._where(key))

    def enum(self, key: str, table: Mapping[str, Any], *, optional: bool = False) -> Any:
        value = self.get(key, (str,), optional=optional)
        if value is None:
            return None
        if value not in table:
            raise TargetValueError(
                f"{self._where(key)} must be one of {', '.join(map(repr, table))}, not {brief(value)}",
                path=self._where(key),
            )
        return table[value]


def _unit_from(r: _Reader | None) -> Unit | None:
    if r is None:
        return None
    per = r.get("per", (list, tuple), optional=True) or ()
    if not all(isinstance(p, str) and p for p in per):
        raise TargetValueError(f"{r.path}.per must be a list of unit names", path=r.path)
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
        return Deadline(_date_from(r.sub("date")), bool(r.get("inclusive", (bool,))))
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
                raise TargetValueError(f"{part.path}: a compound target's parts are not compounds", path=part.path)
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
        )
    raise AssertionError(kind)  # pragma: no cover


def from_dict(data: Mapping[str, Any]) -> Target:
    """Rebuild a target from :func:`to_dict`'s output; a malformed dict raises ``TargetValueError``.

    >>> from targetexpr import parse
    >>> from_dict(to_dict(parse("较上年增长5%"))) == parse("较上年增长5%")
    True
    """
    return _from(_Reader(data, ""))
