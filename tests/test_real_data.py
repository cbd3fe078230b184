"""The real data: the seed table and the 232-row public corpus (copied into tests/data/)."""

from __future__ import annotations

import pytest

import targetexpr
from support import DATA, read_dicts, read_tsv

CORPUS = read_dicts(DATA / "real_targets.tsv")
KINDS = {row[0]: row[1:] for row in read_tsv(DATA / "corpus_kinds.tsv")}
SEED = read_dicts(DATA / "seed_targets.tsv")


def test_corpus_file_is_complete() -> None:
    assert len(CORPUS) == 232
    assert len({r["target"] for r in CORPUS if r["target"]}) == 152
    assert len(SEED) == 41


@pytest.mark.parametrize("target", sorted(KINDS), ids=str)
def test_corpus_target_kind(target: str) -> None:
    kind, canonical, needs_repair = KINDS[target]
    analysis = targetexpr.analyze(target, repair=needs_repair == "yes")
    assert analysis.ok, analysis.error
    assert analysis.target is not None
    assert analysis.target.kind == kind
    assert str(analysis.target) == canonical
    strict = targetexpr.analyze(target, repair=False)
    assert strict.ok == (needs_repair == "no")


def test_every_corpus_row_parses() -> None:
    failures = []
    for row in CORPUS:
        if row["target"]:
            a = targetexpr.analyze(row["target"])
            if not a.ok:
                failures.append((row["target"], str(a.error)))
    assert failures == []


def test_no_measurable_corpus_target_is_free_text() -> None:
    # Free text is only for the 总体目标/年度目标 sentences, never for an indicator's value.
    for row in CORPUS:
        if row["target"] and KINDS[row["target"]][0] == "text":
            assert row["level1"] in ("总体目标",), row


def test_suspicious_two_is_flagged_not_repaired() -> None:
    # l.94 and l.161: "292%" and "290%" are likely "≥92%", "≥90%" (DOMAIN.md §2.3).
    for text in ("292%", "290%"):
        a = targetexpr.analyze(text)
        assert str(a.target) == text
        assert a.repairs == ()
        assert any("misread" in w for w in a.warnings)


@pytest.mark.parametrize("row", SEED, ids=[r["indicator"] for r in SEED])
def test_seed_value(row: dict[str, str]) -> None:
    text, repairs = row["target"], row["repairs"]
    if repairs == "blank":
        with pytest.raises(targetexpr.TargetSyntaxError, match="empty target"):
            targetexpr.parse(text)
        return
    analysis = targetexpr.analyze(text, year=2022)
    if repairs == "error":
        assert not analysis.ok
        assert "two readings" in str(analysis.error)
        return
    assert analysis.ok, analysis.error
    assert analysis.target is not None
    assert analysis.target.kind == row["kind"]
    assert str(analysis.target) == row["canonical"]
    assert [r.kind for r in analysis.repairs] == ([] if repairs == "-" else repairs.split(","))
    if repairs != "-":
        # Strict parsing refuses the noise, and says how to repair it.
        with pytest.raises(targetexpr.TargetSyntaxError, match="repair=True"):
            targetexpr.parse(text)
        assert targetexpr.parse(text, repair=True) == analysis.target


def test_seed_figures() -> None:
    readable = [r for r in SEED if r["repairs"] not in ("blank", "error")]
    repaired = [r for r in readable if r["repairs"] != "-"]
    assert (len(readable), len(repaired)) == (39, 6)
