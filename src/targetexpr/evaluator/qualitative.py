"""Qualitative targets (及时, 持续改善, 无重大安全事故) and the self-evaluation grades (达成/部分达成/未达成)."""

from __future__ import annotations

import functools
from fractions import Fraction

from .. import datafiles as _data
from ..i18n import say
from ..nodes import (
    Comparison,
    Direction,
    FreeText,
    Op,
    Polarity,
    Qualitative,
    Relative,
    Target,
    Value,
)
from ..parser.normalize import normalize_with_map
from ..scoring import Band
from .actuals import Observed
from .result import _UNJUDGED, _Run, _Verdict

# --- qualitative --------------------------------------------------------------------------------

_ANSWERS = ("affirm", "achievement")
_POLARITY_BAND = {Polarity.POSITIVE: Band.MET, Polarity.PARTIAL: Band.PARTIAL, Polarity.NEGATIVE: Band.NOT_MET}


def _band_verdict(band: Band, direction: Direction | None, run: _Run, completion: Fraction | None = None) -> _Verdict:
    score = None
    score_range = None
    if run.points is not None:
        low, high = run.rules.band_range(band)
        points = Fraction(run.points)
        default = run.rules.band_default(band)
        run.unrounded = default * points
        score = run.rules.round(run.unrounded)
        score_range = (run.rules.round(low * points), run.rules.round(high * points))
        closing = "]" if high == 1 else ")"
        run.reasons.append(
            say(
                "{band}: score in [{low}, {high}{closing}; proposed {score}",
                band=_BAND_NAMES[band],
                low=score_range[0],
                high=score_range[1],
                closing=closing,
                score=score,
            )
        )
    met = band is Band.MET
    return _Verdict(met, completion, direction, band, score, score_range)


_BAND_NAMES = {band: _data.bands()[band.value].full for band in Band}  # data/bands.tsv


@functools.cache
def _degree_words() -> tuple[tuple[str, int], ...]:
    return tuple((r[0], int(r[1])) for r in _data.table_rows("degrees.tsv", 2))


@functools.cache
def _grades() -> dict[str, int]:
    return {r[0]: int(r[1]) for r in _data.table_rows("grades.tsv", 2)}


def degree(label: str) -> tuple[int, str]:
    """How strong an effect ``label`` claims (``data/degrees.tsv``), or the rank of the grade it is
    (``data/grades.tsv``: 优 above 良), and the word that says so."""
    grade = _grades().get(label)
    if grade is not None:
        return grade, label
    best = (1, "")
    for word, degree in _degree_words():
        if word in label and degree > best[0]:
            best = (degree, word)
    return best


def _quality_verdict(target: Target, observed: Observed, run: _Run) -> _Verdict:
    """A qualitative actual (及时, 达成年度指标, 无 …) against any target."""
    quality = observed.quality
    assert quality is not None
    if observed.note:
        run.flag("heuristic_match", observed.note)
    band = _POLARITY_BAND[quality.polarity]
    if quality.category == "achievement":
        run.reasons.append(say("the actual is the self-evaluation grade {grade}", grade=quality.label))
        return _band_verdict(band, None, run)
    if isinstance(target, Qualitative):
        if _same_words(quality.label, target.label):
            # AAA级 is aaa级 (labels keep their capitals); 定性按照…执行 is 按照…执行 (data/name_like.tsv)
            run.reasons.append(say("the actual restates the target {target}", target=target.label))
            return _band_verdict(Band.MET, None, run)
        if target.category is not None and quality.category in (target.category, "affirm"):
            if target.polarity is Polarity.NEGATIVE:
                band = {Band.MET: Band.NOT_MET, Band.NOT_MET: Band.MET, Band.PARTIAL: Band.PARTIAL}[band]
            if band is Band.MET:
                run.reasons.append(say("{actual} affirms {target}", actual=quality.label, target=target.label))
            elif band is Band.PARTIAL:
                run.reasons.append(say("{actual} partly affirms {target}", actual=quality.label, target=target.label))
            else:
                run.reasons.append(say("{actual} denies {target}", actual=quality.label, target=target.label))
            wanted, word = degree(target.label)
            got, _ = degree(quality.label)
            if band is Band.MET and quality.category == target.category and got < wanted:
                if run.rules.weaker_degree == "partial":
                    band = Band.PARTIAL
                    run.flag(
                        "weaker_degree",
                        say(
                            "{actual} claims a weaker degree than {target} ({word}): 部分达成 "
                            "(rule set {rules}: qualitative.weaker_degree = 'partial')",
                            actual=quality.label,
                            target=target.label,
                            word=word,
                            rules=repr(run.rules.name),
                        ),
                    )
                else:
                    run.flag(
                        "weaker_degree",
                        say(
                            "{actual} claims a weaker degree than {target} ({word})",
                            actual=quality.label,
                            target=target.label,
                            word=word,
                        ),
                    )
            return _band_verdict(band, None, run)
        run.reasons.append(
            say(
                "{actual} does not answer {target}: give 达成/部分达成/未达成年度指标 or a word of the same kind",
                actual=repr(quality.label),
                target=repr(target.label),
            )
        )
        return _UNJUDGED
    if _within_reference(target, quality):
        # 在预算内, 未超预算 against 不超过预算: the actual says it kept to the target's own bound.
        if band is Band.MET:
            run.reasons.append(say("{actual} affirms {target}", actual=quality.label, target=target))
        else:
            run.reasons.append(say("{actual} denies {target}", actual=quality.label, target=target))
        return _band_verdict(band, Direction.LOWER, run)
    if isinstance(target, FreeText) and quality.label == target.text:
        run.reasons.append(say("the actual restates the target"))
        return _band_verdict(Band.MET, None, run)
    if quality.category == "affirm" and _in_full(target) and any(w in quality.label for w in _data.work_done()):
        # "100%" against "完成": the work is done in full, which is what the target asks.
        if band is Band.MET:
            sentence = say(
                "{actual} says the work is done in full, which is the target's {target}",
                actual=repr(quality.label),
                target=target,
            )
        elif band is Band.PARTIAL:
            sentence = say(
                "{actual} says the work is partly done; the target {target} asks for all of it",
                actual=repr(quality.label),
                target=target,
            )
        else:
            sentence = say(
                "{actual} says the work is not done; the target {target} asks for all of it",
                actual=repr(quality.label),
                target=target,
            )
        run.flag("stated_in_full", sentence)
        return _band_verdict(band, Direction.HIGHER, run, Fraction(1) if band is Band.MET else None)
    run.reasons.append(
        say(
            "{actual} is not a measured value: {target} cannot be judged from it",
            actual=repr(quality.label),
            target=target,
        )
    )
    return _UNJUDGED


def _without_nature(label: str) -> str:
    """A label without the 指标性质 word a 定性 sentence keeps (``定性按照…执行`` → ``按照…执行``)."""
    word = next((w for w in _data.nature_words() if label.startswith(w)), "")
    return label[len(word) :]


def _same_words(said: str, label: str) -> bool:
    """Whether an actual's words repeat a target's label: letters in any case, the sentence's closing
    punctuation and the label's 指标性质 word (定性) aside."""
    words = said.rstrip("。.;；").casefold()
    return words in {x.rstrip("。.;；").casefold() for x in (label, _without_nature(label))}


def restated_sentence(target: Target, observed: Observed, run: _Run) -> _Verdict | None:
    """An actual in words that no vocabulary reads, repeating a qualitative target's own words
    (``按照…标准执行`` against ``定性 按照…标准执行``): met, as a restated label is; else ``None``."""
    if not isinstance(target, Qualitative) or not observed.text:
        return None
    if not _same_words(normalize_with_map(observed.text).text, target.label):
        return None
    run.reasons.append(say("the actual restates the target {target}", target=target.label))
    return _band_verdict(Band.MET, None, run)


def _within_reference(target: Target, quality: Qualitative) -> bool:
    """Whether ``quality`` is a word of compliance (``data/qualitative.tsv``) that speaks of the very
    baseline an upper bound without an amount names (``在预算内``, ``未超预算`` for ``不超过预算``): a
    claim about the bound.  Other words that name the baseline (``严重超预算``) give no verdict."""
    if not isinstance(target, Relative) or target.amount is not None or target.change is not None:
        return False
    reference = target.reference
    known = quality.category == "compliant"  # data/qualitative.tsv: 在预算内, 未超预算 …; 严重超预算 is no claim
    return known and target.op in (Op.LE, Op.LT) and reference is not None and reference in quality.label


def _in_full(target: Target) -> bool:
    """Whether ``target`` asks for 100%, the whole of the work (``100%``, ``≥100%``, ``=100%``)."""
    if isinstance(target, Value) or (isinstance(target, Comparison) and target.op in (Op.GE, Op.EQ)):
        q = target.quantity
        return q.unit is not None and q.unit.base == "%" and not q.unit.prefix and not q.unit.per and q.value == 100
    return False


def _no_incident_verdict(target: Qualitative, observed: Observed, run: _Run) -> _Verdict:
    assert observed.quantity is not None
    value = observed.quantity.value
    met = value == 0
    if met:
        run.reasons.append(say("{actual} means none: {target} met", actual=observed.text, target=target.label))
    else:
        run.reasons.append(say("{actual} is not none: {target} not met", actual=observed.text, target=target.label))
    return _band_verdict(Band.MET if met else Band.NOT_MET, Direction.LOWER, run)
