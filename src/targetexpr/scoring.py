"""Scoring rule sets (data in ``data/rules/*.toml``) and the arithmetic they define.

A :class:`RuleSet` is a plain frozen object: load a shipped one by name (``"national"``, the
default; ``"system"``; ``"legacy"``; ``"hubei"``; ``"sichuan"``; ``"tianjin"``), load your own TOML file, or
``attrs.evolve`` one to change a single value.  All arithmetic is exact (fractions) until the final
rounding, which follows the rule set (2 places, half-up by default, as Oracle's ROUND does).
"""

from __future__ import annotations

import decimal
import enum
import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from . import datafiles as _data
from .errors import RuleSetError, brief
from .i18n import current_language, say
from .nodes import Direction

__all__ = ["CONTEXT", "Band", "RuleSet", "load_rules"]

#: The decimal context of every score and rate: explicit precision, exponent limits and traps, so
#: that no caller's global context changes a result and no huge number runs away.
CONTEXT = decimal.Context(
    prec=34,
    rounding=decimal.ROUND_HALF_UP,
    Emax=999,
    Emin=-999,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)


class Band(enum.Enum):
    """The self-evaluation band of a result: 达成, 部分达成 or 未达成年度指标 (DOMAIN.md §4.3)."""

    MET = "met"
    PARTIAL = "partial"
    NOT_MET = "not_met"


#: The rows a rule set may mark for manual scoring (Tianjin): a missed 反向 row, an ``=`` row whose
#: actual differs from the target.
MANUAL_SCORING = ("lower_missed", "equal_unequal")

_ROUNDING = {"half_up": decimal.ROUND_HALF_UP, "half_even": decimal.ROUND_HALF_EVEN}
#: The quantum of each number of places a rule set may round to (0 to 6): 1, 0.1, 0.01 ...
_PLACES = {places: Decimal(1).scaleb(-places) for places in range(7)}


_RATIO = re.compile(r"\s*-?[0-9]{1,30}\s*/\s*[0-9]{1,30}\s*")


def _fraction(value: Any, where: str) -> Fraction:
    """A number of a rule set (``0.8``, ``"4/5"``, ``50``), exactly, within sane bounds.

    The bounds matter: ``Fraction("1e-999999999")`` would build a billion-digit denominator.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise RuleSetError(say("{where} must be a number, not {value}", where=where, value=brief(value)), setting=where)
    if isinstance(value, int):
        if value.bit_length() > 64:
            raise RuleSetError(say("{where} is out of range: {value}", where=where, value=brief(value)), setting=where)
        return Fraction(value)
    text = str(value)
    if len(text) > 64:
        raise RuleSetError(say("{where} is out of range: {value}", where=where, value=brief(value)), setting=where)
    if _RATIO.fullmatch(text):
        try:
            return Fraction(text.replace(" ", ""))
        except ZeroDivisionError:
            raise RuleSetError(
                say("{where} divides by zero: {value}", where=where, value=brief(value)), setting=where
            ) from None
    try:
        number = Decimal(text.strip())
    except decimal.InvalidOperation:
        raise RuleSetError(
            say("{where} must be a number, not {value}", where=where, value=brief(value)), setting=where
        ) from None
    if not number.is_finite():
        raise RuleSetError(say("{where} must be finite, not {value}", where=where, value=brief(value)), setting=where)
    if number and not -20 <= number.adjusted() <= 20:
        raise RuleSetError(say("{where} is out of range: {value}", where=where, value=brief(value)), setting=where)
    return Fraction(number)


def _section(data: Mapping[str, Any], key: str, name: object) -> Mapping[str, Any]:
    """A ``[table]`` of a rule set: absent is empty, anything but a table is an error."""
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise RuleSetError(
            say(
                "rule set {name}: [{key}] must be a table, not {type}",
                name=brief(name),
                key=key,
                type=type(value).__name__,
            ),
            name=name,
            setting=key,
        )
    return value


@attrs.frozen(cache_hash=True)
class RuleSet:
    """A complete set of scoring rules.  See ``data/rules/national.toml`` for every field."""

    name: str
    title: str = ""
    sources: tuple[str, ...] = ()
    title_zh: str = ""
    sources_zh: tuple[str, ...] = ()
    lower: str = "ratio"
    equal: str = "system"
    cap: bool = True
    places: int = 2
    rounding: str = "half_up"
    deadline_missed: Fraction = Fraction(0)
    bands: tuple[tuple[Band, Fraction, Fraction], ...] = (
        (Band.MET, Fraction(4, 5), Fraction(1)),
        (Band.PARTIAL, Fraction(3, 5), Fraction(4, 5)),
        (Band.NOT_MET, Fraction(0), Fraction(3, 5)),
    )
    band_defaults: tuple[tuple[Band, Fraction], ...] = (
        (Band.MET, Fraction(1)),
        (Band.PARTIAL, Fraction(7, 10)),
        (Band.NOT_MET, Fraction(0)),
    )
    execution_cap: bool = True
    weights: tuple[tuple[str, Decimal], ...] = ()
    grades: tuple[tuple[str, Decimal], ...] = ()
    equal_above: str = "not_met"
    over_completion: Fraction | None = Fraction(6, 5)
    manual_scoring: tuple[str, ...] = ()
    deviation_flag: bool = True
    weaker_degree: str = "partial"
    grade_on: str = "rounded"
    grade_required: bool = True
    bonus_points: bool = False

    def __attrs_post_init__(self) -> None:
        if self.lower not in ("ratio", "linear"):
            raise RuleSetError(
                say("rule set {name}: quantitative.lower must be 'ratio' or 'linear'", name=repr(self.name)),
                name=self.name,
                setting="quantitative.lower",
            )
        if self.equal != "system":
            raise RuleSetError(
                say("rule set {name}: quantitative.equal must be 'system'", name=repr(self.name)),
                name=self.name,
                setting="quantitative.equal",
            )
        if self.rounding not in _ROUNDING:
            raise RuleSetError(
                say(
                    "rule set {name}: rounding must be one of {choices}",
                    name=repr(self.name),
                    choices=", ".join(_ROUNDING),
                ),
                name=self.name,
                setting="rounding",
            )
        if self.equal_above not in ("met", "not_met"):
            raise RuleSetError(
                say("rule set {name}: quantitative.equal_above must be 'met' or 'not_met'", name=repr(self.name)),
                name=self.name,
                setting="quantitative.equal_above",
            )
        if self.weaker_degree not in ("partial", "met"):
            raise RuleSetError(
                say("rule set {name}: qualitative.weaker_degree must be 'partial' or 'met'", name=repr(self.name)),
                name=self.name,
                setting="qualitative.weaker_degree",
            )
        if self.grade_on not in ("rounded", "unrounded"):
            raise RuleSetError(
                say("rule set {name}: grading.total must be 'rounded' or 'unrounded'", name=repr(self.name)),
                name=self.name,
                setting="grading.total",
            )
        unknown = set(self.manual_scoring) - set(MANUAL_SCORING)
        if unknown:
            raise RuleSetError(
                say(
                    "rule set {name}: quantitative.manual_scoring may name {choices}, not {names}",
                    name=repr(self.name),
                    choices=", ".join(MANUAL_SCORING),
                    names=", ".join(sorted(unknown)),
                )
            )
        if self.over_completion is not None and self.over_completion <= 1:
            raise RuleSetError(
                say("rule set {name}: quantitative.over_completion must be above 1 (or false)", name=repr(self.name)),
                name=self.name,
                setting="quantitative.over_completion",
            )
        if not 0 <= self.places <= 6:
            raise RuleSetError(
                say("rule set {name}: places must be from 0 to 6", name=repr(self.name)),
                name=self.name,
                setting="places",
            )

    # --- what a reader sees -----------------------------------------------------------------------
    def title_in(self, lang: str | None = None) -> str:
        """The title in ``lang`` or the language in effect (``title_zh`` in Chinese, when given)."""
        return self.title_zh if current_language(lang) == "zh" and self.title_zh else self.title

    def sources_in(self, lang: str | None = None) -> tuple[str, ...]:
        """The sources in ``lang`` or the language in effect (``sources_zh`` in Chinese, when given)."""
        return self.sources_zh if current_language(lang) == "zh" and self.sources_zh else self.sources

    # --- arithmetic -----------------------------------------------------------------------------
    def round(self, value: Fraction) -> Decimal:
        """``value`` rounded to the rule set's places, as a Decimal (exact up to the rounding)."""
        exact = CONTEXT.divide(Decimal(value.numerator), Decimal(value.denominator))
        quantum = _PLACES.get(self.places) or Decimal(1).scaleb(-self.places)
        return exact.quantize(quantum, rounding=_ROUNDING[self.rounding], context=CONTEXT)

    def band_range(self, band: Band) -> tuple[Fraction, Fraction]:
        """``(low, high)`` fractions of the points for ``band``; ``high`` is excluded except for 1."""
        for b, low, high in self.bands:
            if b is band:
                return low, high
        raise AssertionError(band)  # pragma: no cover

    def band_default(self, band: Band) -> Fraction:
        """The fraction of the points the scorer proposes inside ``band``."""
        return dict(self.band_defaults)[band]

    def in_band(self, band: Band, score: Decimal, points: Decimal) -> bool:
        """Whether a given score lies in ``band`` for a row of ``points``."""
        low, high = self.band_range(band)
        if points <= 0:
            return score == 0
        share = Fraction(score) / Fraction(points)
        return low <= share and (share < high or (high == 1 and share == 1))

    def grade(self, total: Decimal) -> str | None:
        """The grade (优/良/中/差) of a total on a 100-point scale; bands are half-open ([80, 90))."""
        for name, bound in sorted(self.grades, key=lambda g: g[1], reverse=True):
            if total >= bound:
                return name
        return None

    def weight(self, level1: str) -> Decimal | None:
        """The first-level weight of ``level1`` (产出指标 …), or ``None`` when the rule set has none."""
        for names, points in self.weights:
            if level1 in names.split("+"):
                return points if "+" not in names else None
        return None


_SHIPPED: dict[str, RuleSet] = {}


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping) and key not in ("weights", "grades"):
            merged[key] = _merge(dict(merged[key]), value)
        else:
            merged[key] = value
    return merged


def _resolve(data: Mapping[str, Any], seen: tuple[str, ...] = ()) -> dict[str, Any]:
    parent = data.get("extends")
    if parent is None:
        return dict(data)
    if not isinstance(parent, str) or parent in seen:
        raise RuleSetError(say("rule set extends {value}: not a rule set name, or a cycle", value=brief(parent)))
    base = _resolve(_data.rule_set_data(parent), (*seen, parent))
    return _merge(base, data)


def _bands(
    section: Mapping[str, Any], name: str
) -> tuple[tuple[tuple[Band, Fraction, Fraction], ...], tuple[tuple[Band, Fraction], ...]]:
    bands = []
    for band in Band:
        pair = section.get(band.value)
        if not isinstance(pair, list) or len(pair) != 2:
            raise RuleSetError(
                say("rule set {name}: qualitative.{band} must be [low, high]", name=repr(name), band=band.value),
                name=name,
                setting=f"qualitative.{band.value}",
            )
        low, high = (_fraction(v, f"qualitative.{band.value}") for v in pair)
        if not 0 <= low <= high <= 1:
            raise RuleSetError(
                say("rule set {name}: qualitative.{band} must lie within [0, 1]", name=repr(name), band=band.value),
                name=name,
                setting=f"qualitative.{band.value}",
            )
        bands.append((band, low, high))
    defaults_section = _section(section, "default", name)
    defaults = []
    for band, low, high in bands:
        value = _fraction(defaults_section.get(band.value, low), f"qualitative.default.{band.value}")
        if not (low <= value <= high):
            raise RuleSetError(
                say("rule set {name}: the default for {band} lies outside its band", name=repr(name), band=band.value),
                name=name,
            )
        defaults.append((band, value))
    return tuple(bands), tuple(defaults)


def _from_data(data: Mapping[str, Any]) -> RuleSet:
    resolved = _resolve(data)
    name = resolved.get("name")
    if not isinstance(name, str) or not name:
        raise RuleSetError(say("a rule set needs a name"))
    q = _section(resolved, "quantitative", name)
    bands, defaults = _bands(_section(resolved, "qualitative", name), name)
    execution = _section(resolved, "execution", name)
    grading = _section(resolved, "grading", name)
    qual = _section(resolved, "qualitative", name)
    deviation = _section(resolved, "deviation", name)
    over = q.get("over_completion", 1.2)
    manual = q.get("manual_scoring", [])
    if isinstance(manual, str) or not isinstance(manual, (list, tuple)):
        raise RuleSetError(
            say("rule set {name}: quantitative.manual_scoring must be a list of names", name=repr(name)),
            name=name,
            setting="quantitative.manual_scoring",
        )
    sources = resolved.get("sources", ())
    # A file that states its own title or sources in one language only does not show the Chinese
    # ones of the rule set it extends.
    title_zh = resolved.get("title_zh", "") if "title" not in data or "title_zh" in data else ""
    sources_zh = resolved.get("sources_zh", ()) if "sources" not in data or "sources_zh" in data else ()
    if isinstance(sources_zh, str) or not isinstance(sources_zh, (list, tuple)):
        raise RuleSetError(
            say("rule set {name}: sources_zh must be a list of strings", name=repr(name)),
            name=name,
            setting="sources_zh",
        )
    if isinstance(sources, str) or not isinstance(sources, (list, tuple)):
        raise RuleSetError(
            say("rule set {name}: sources must be a list of strings", name=repr(name)), name=name, setting="sources"
        )

    def points_table(key: str) -> tuple[tuple[str, Decimal], ...]:
        table = _section(resolved, key, name)
        out = []
        for label, value in table.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise RuleSetError(
                    say(
                        "rule set {name}: {key}.{label} must be a number", name=repr(name), key=key, label=brief(label)
                    ),
                    name=name,
                )
            number = _fraction(value, f"{key}.{brief(label)}")
            if number < 0:
                raise RuleSetError(
                    say(
                        "rule set {name}: {key}.{label} must not be negative",
                        name=repr(name),
                        key=key,
                        label=brief(label),
                    ),
                    name=name,
                )
            out.append((str(label), Decimal(str(value))))
        return tuple(out)

    try:
        return RuleSet(
            name=name,
            title=str(resolved.get("title", "")),
            sources=tuple(str(s) for s in sources),
            title_zh=str(title_zh),
            sources_zh=tuple(str(s) for s in sources_zh),
            lower=str(q.get("lower", "ratio")),
            equal=str(q.get("equal", "system")),
            cap=bool(q.get("cap", True)),
            places=int(q.get("places", 2)),
            rounding=str(q.get("rounding", "half_up")),
            deadline_missed=_fraction(q.get("deadline_missed", 0), "quantitative.deadline_missed"),
            bands=bands,
            band_defaults=defaults,
            execution_cap=bool(execution.get("cap", True)),
            weights=points_table("weights"),
            grades=points_table("grades"),
            equal_above=str(q.get("equal_above", "not_met")),
            over_completion=None if over is False else _fraction(over, "quantitative.over_completion"),
            manual_scoring=tuple(str(m) for m in manual),
            deviation_flag=bool(deviation.get("flag", True)),
            weaker_degree=str(qual.get("weaker_degree", "partial")),
            grade_on=str(grading.get("total", "rounded")),
            grade_required=bool(grading.get("required", True)),
            bonus_points=bool(grading.get("bonus_points", False)),
        )
    except (TypeError, ValueError, OverflowError) as e:
        if isinstance(e, RuleSetError):
            raise
        raise RuleSetError(say("rule set {name}: {error}", name=repr(name), error=e), name=name) from None


#: The largest rule set file read (real ones are under 2 KB).
MAX_RULES_BYTES = 2**20


def _read_rule_file(path: Path) -> str:
    """The text of a rule set file: a regular file of at most :data:`MAX_RULES_BYTES` (a device, a
    FIFO or ``/dev/zero`` is refused without reading it)."""
    import os
    import stat

    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise RuleSetError(
            say("cannot read rule set {path}: {error}", path=brief(str(path)), error=e.strerror), name=str(path)
        ) from None
    except ValueError as e:  # a NUL in the path
        raise RuleSetError(
            say("cannot read rule set {path}: {error}", path=brief(str(path)), error=e), name=str(path)
        ) from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise RuleSetError(
                say("rule set {path} is not a regular file: give a .toml file", path=brief(str(path))), name=str(path)
            )
        try:
            data = f.read(MAX_RULES_BYTES + 1)
        except OSError as e:
            raise RuleSetError(
                say("cannot read rule set {path}: {error}", path=brief(str(path)), error=e.strerror), name=str(path)
            ) from None
    if len(data) > MAX_RULES_BYTES:
        raise RuleSetError(
            say(
                "rule set {path} is larger than {size} MB: not a rule set",
                path=brief(str(path)),
                size=MAX_RULES_BYTES // 2**20,
            ),
            name=str(path),
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RuleSetError(
            say("cannot read rule set {path}: {error}", path=brief(str(path)), error=e), name=str(path)
        ) from None


def load_rules(rules: str | Path | Mapping[str, Any] | RuleSet = "national") -> RuleSet:
    """A rule set: a shipped name, a path to a TOML file, a mapping like the TOML, or a RuleSet.

    >>> load_rules().name, load_rules("system").lower
    ('national', 'linear')
    """
    if isinstance(rules, RuleSet):
        return rules
    if isinstance(rules, Mapping):
        return _from_data(rules)
    if isinstance(rules, Path) or (isinstance(rules, str) and rules.endswith(".toml")):
        text = _read_rule_file(Path(rules))
        path = Path(rules)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise RuleSetError(
                say("rule set {path} is not valid TOML: {error}", path=brief(str(path)), error=e), name=str(path)
            ) from None
        except RecursionError:
            raise RuleSetError(say("rule set {path} nests too deeply", path=brief(str(path))), name=str(path)) from None
        return _from_data(data)
    if isinstance(rules, str):
        cached = _SHIPPED.get(rules)
        if cached is None:
            if rules not in _data.rule_set_names():
                names = ", ".join(_data.rule_set_names())
                raise RuleSetError(
                    say("unknown rule set {name}; shipped: {names}", name=brief(rules), names=names), name=rules[:100]
                )
            cached = _from_data(_data.rule_set_data(rules))
            chinese = _shipped_chinese().get(rules, {})
            if not cached.title_zh and chinese:
                cached = attrs.evolve(
                    cached, title_zh=str(chinese["title"]), sources_zh=tuple(str(s) for s in chinese["sources"])
                )
            _SHIPPED[rules] = cached
        return cached
    raise RuleSetError(
        say("rules must be a name, a path, a mapping or a RuleSet, not {type}", type=type(rules).__name__)
    )


def _shipped_chinese() -> dict[str, Any]:
    """The Chinese titles and sources of the shipped rule sets (``data/rule_titles_zh.toml``)."""
    return tomllib.loads(_data._read("rule_titles_zh.toml"))


# --- the arithmetic of one row ------------------------------------------------------------------


def completion_ratio(a: Fraction, b: Fraction, direction: Direction, rules: RuleSet) -> Fraction | None:
    """The completion ratio of target ``a`` by actual ``b`` under the rule set; ``None`` where no
    proportional rule applies (a negative or zero target the rule cannot divide by)."""
    if direction is Direction.HIGHER:
        if a > 0 and b >= 0:
            return b / a
        return None
    if direction is Direction.LOWER:
        if rules.lower == "ratio":
            if b > 0 and a >= 0:
                return a / b
            return Fraction(1) if b <= 0 <= a else None
        if a > 0 and b >= 0:
            return max(Fraction(0), 1 - (b - a) / a)
        if a == 0:
            return Fraction(1) if b <= 0 else Fraction(0)
        return None
    # Equal (the national system's rule): A = 0 → full if B ≤ 0, else 0; A > 0 → as 正向.
    if a == 0:
        return Fraction(1) if b <= 0 else Fraction(0)
    if a > 0 and b >= 0:
        return b / a
    return None


def formula_text(direction: Direction, rules: RuleSet) -> str:
    """The formula :func:`completion_ratio` applies, as a reader sees it in a reason (in the language
    in effect: ``B/A (正向)``, ``正向指标:实际值÷目标值``)."""
    if direction is Direction.HIGHER:
        return say("B/A (正向)")
    if direction is Direction.LOWER:
        return say("A/B (反向)") if rules.lower == "ratio" else say("1 − (B−A)/A (反向, linear; 0 at B ≥ 2A)")
    return say("the national system's rule for = (A = 0: B ≤ 0; A > 0: B/A)")


def row_score(met: bool, completion: Fraction | None, points: Decimal, rules: RuleSet) -> Decimal:
    """The score of a row worth ``points``: full when met, else the completion share (capped when
    the rule set caps), rounded as the rule set says; 0 when missed with no proportional rule."""
    return rules.round(row_share(met, completion, rules) * Fraction(points))


def row_share(met: bool, completion: Fraction | None, rules: RuleSet) -> Fraction:
    """The share of the points :func:`row_score` gives, exactly (before rounding)."""
    if completion is None:
        share = Fraction(1) if met else Fraction(0)
    else:
        share = completion
        if met and share < 1:
            share = Fraction(1)
        if rules.cap:
            share = min(share, Fraction(1))
    return share
