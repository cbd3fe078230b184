"""The golden case files under tests/cases/: one parametrised test per file."""

from __future__ import annotations

import json
from typing import Any

import pytest

import targetexpr
from support import CASES, read_tsv

PARSE_CASES = list(read_tsv(CASES / "parse.tsv"))
ERROR_CASES = list(read_tsv(CASES / "errors.tsv"))


def _without_written(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k != "written"}
    if "parts" in out:
        out["parts"] = [_without_written(p) for p in out["parts"]]
    return out


def _id(row: list[str]) -> str:
    return f"{row[0]!r}{' ' + row[1] if row[1] else ''}"


@pytest.mark.parametrize("row", PARSE_CASES, ids=[_id(r) for r in PARSE_CASES])
def test_parse_case(row: list[str]) -> None:
    text, options, kind, canonical, as_json, _note = row
    kwargs = json.loads(options) if options else {}
    target = targetexpr.parse(text, **kwargs)
    assert target.kind == kind
    assert str(target) == canonical
    as_dict = targetexpr.to_dict(target)
    # The dict carries the cell as written (#16); the golden column states the meaning only.
    assert as_dict["written"] == text
    assert _without_written(as_dict) == json.loads(as_json)
    # The canonical text reads back as the same target (with the same context).
    context = {k: v for k, v in kwargs.items() if k in ("year", "date_order")}
    assert targetexpr.parse(canonical, **context) == target
    assert targetexpr.from_dict(json.loads(as_json)) == target


@pytest.mark.parametrize("row", ERROR_CASES, ids=[_id(r) for r in ERROR_CASES])
def test_error_case(row: list[str]) -> None:
    text, options, error_class, column, expected, message, _note = row
    kwargs = json.loads(options) if options else {}
    with pytest.raises(getattr(targetexpr, error_class)) as info:
        targetexpr.parse(text, **kwargs)
    error = info.value
    assert isinstance(error, ValueError)
    if column:
        assert error.column == int(column)
    for name in filter(None, expected.split("|")):
        assert name in error.expected
    assert message in str(error)
    # The caret line points at the column, measured in display width.
    lines = str(error).splitlines()
    caret = next(line for line in lines if line.strip() == "^")
    width = targetexpr.errors.display_width(text[: error.position])
    assert caret == "  " + " " * width + "^"


def test_every_issue3_form_has_a_case() -> None:
    kinds = {row[2] for row in PARSE_CASES}
    assert kinds == set(targetexpr.nodes.TARGET_CLASSES)


EVALUATE_CASES = list(read_tsv(CASES / "evaluate.tsv"))


@pytest.mark.parametrize("row", EVALUATE_CASES, ids=[f"{r[0]!r} {r[1]!r} {r[2]}" for r in EVALUATE_CASES])
def test_evaluate_case(row: list[str]) -> None:
    target, actual_text, options, met, completion, score, band, reason, _note = row
    kwargs = json.loads(options) if options else {}
    actual: object = None if actual_text == "None" else actual_text
    if met.startswith("error:"):
        with pytest.raises(getattr(targetexpr, met[6:])) as info:
            targetexpr.evaluate(target, actual, **kwargs)
        assert reason in str(info.value)
        return
    result = targetexpr.evaluate(target, actual, **kwargs)
    assert result.met == {"yes": True, "no": False, "-": None}[met]
    assert (str(result.completion) if result.completion is not None else "") == completion
    assert (str(result.score) if result.score is not None else "") == score
    assert (result.band.value if result.band is not None else "") == band
    assert reason in result.reason, result.reason
