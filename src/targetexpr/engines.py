"""Scoring on Dask and Spark: the per-partition function, the Spark UDF, the warm-up per worker.

Both engines run :func:`score_partition` on pandas batches in worker processes.  Each worker warms
its caches (builds the parser, loads the rule set) the first time it sees a batch, never again:
:func:`warm` is idempotent per process and :func:`warm_count` says how often it really ran.

* Dask: ``ddf.map_partitions(score_partition, meta=dask_meta())``.
* Spark: ``df.select(spark_udf(spark)(*columns).alias("r"))``; the rule set is broadcast once.

Results are exactly those of :func:`targetexpr.batch.evaluate_many` in one process: Decimal
columns stay Decimal (``decimal128(38, 12)`` / ``DecimalType(38, 12)``).
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING, Any

import targetexpr
from targetexpr.batch import ARROW_DECIMAL, EVALUATED_COLUMNS, evaluate_many

if TYPE_CHECKING:  # pragma: no cover
    from targetexpr.scoring import RuleSet

__all__ = ["RESULT_COLUMNS", "dask_meta", "score_partition", "spark_schema", "spark_udf", "warm", "warm_count"]

#: The columns score_partition returns (the evaluated columns less the echoed inputs).
RESULT_COLUMNS: tuple[str, ...] = tuple(c for c in EVALUATED_COLUMNS if c not in ("text", "indicator"))

_lock = threading.Lock()
_warm: dict[object, RuleSet] = {}
_warmups = 0


def warm(rules: str | RuleSet | Any = "national") -> RuleSet:
    """Build the parser and load ``rules`` once in this process; later calls return the cached set."""
    global _warmups
    try:
        key: object = (rules.__class__, rules)
        hash(key)
    except TypeError:
        key = id(rules)
    found = _warm.get(key)
    if found is not None:
        return found
    with _lock:
        found = _warm.get(key)
        if found is None:
            targetexpr.parse("≥95%")  # builds the parser
            targetexpr.evaluate("≥95%", "96%", points=10)
            found = targetexpr.load_rules(rules)
            _warm[key] = found
            _warmups += 1
        return found


def warm_count() -> tuple[int, int]:
    """(this process's id, how many warm-ups it has run): 1 per rule set, however many batches."""
    return os.getpid(), _warmups


def score_partition(
    part: Any,
    *,
    target: str = "target",
    actual: str = "actual",
    points: str | None = "points",
    baseline: str | None = None,
    indicator: str | None = None,
    rules: str | RuleSet | Any = "national",
    year: int | None = None,
) -> Any:
    """Evaluate one pandas DataFrame partition: its index, and the result columns (:data:`RESULT_COLUMNS`).

    Column arguments name the partition's columns; ``None`` leaves that input out.
    """
    rule_set = warm(rules)
    frame = evaluate_many(
        part[target],
        part[actual],
        points=part[points] if points is not None else None,
        baselines=part[baseline] if baseline is not None else None,
        indicator=part[indicator] if indicator is not None else None,
        rules=rule_set,
        year=year,
        as_="pandas",
    )
    frame.index = part.index
    return frame[list(RESULT_COLUMNS)]


def dask_meta() -> Any:
    """The empty pandas frame Dask needs as ``meta`` for :func:`score_partition`."""
    return evaluate_many([], [], as_="pandas")[list(RESULT_COLUMNS)]


def spark_schema() -> Any:
    """The Spark ``StructType`` of the result struct (Decimal columns are ``DecimalType(38, 12)``)."""
    from pyspark.sql import types as spark_types

    from targetexpr.batch import COLUMN_TYPES

    kinds = {
        "str": spark_types.StringType(),
        "decimal": spark_types.DecimalType(*ARROW_DECIMAL),
        "date": spark_types.DateType(),
        "bool": spark_types.BooleanType(),
        "int": spark_types.IntegerType(),
        "flags": spark_types.ArrayType(spark_types.StringType()),
    }
    return spark_types.StructType([spark_types.StructField(c, kinds[COLUMN_TYPES[c]], True) for c in RESULT_COLUMNS])


def spark_udf(spark: Any, *, rules: str | RuleSet | Any = "national", year: int | None = None) -> Any:
    """A ``pandas_udf`` (target, actual, points) → the result struct, with the rule set broadcast.

    Usage (needs a SparkSession)::

        score = spark_udf(spark)
        df.select("*", score("指标值", "实际完成值", "分值").alias("r")).select("*", "r.*")
    """
    import pandas as pd
    from pyspark.sql.functions import pandas_udf  # type: ignore[attr-defined]

    shared = spark.sparkContext.broadcast(targetexpr.load_rules(rules))

    def score(targets: pd.Series, actuals: pd.Series, points: pd.Series) -> pd.DataFrame:
        rule_set = warm(shared.value)
        frame = evaluate_many(targets, actuals, points=points, rules=rule_set, year=year, as_="pandas")
        out = frame[list(RESULT_COLUMNS)].astype(object)
        out["flags"] = [list(f) for f in out["flags"]]
        return out.where(out.notna(), None)

    # Real classes, not the strings of postponed annotations: Spark reads the UDF's kind from them.
    score.__annotations__ = {"targets": pd.Series, "actuals": pd.Series, "points": pd.Series, "return": pd.DataFrame}
    return pandas_udf(score, returnType=spark_schema())
