"""Dask and Spark score a generated table exactly as one process does, warming each worker once."""

from __future__ import annotations

import os
import shutil
import sys
from decimal import Decimal
from typing import Any

import pytest

from batch_table import as_text, generate
from targetexpr.batch import evaluate_many
from targetexpr.engines import RESULT_COLUMNS, dask_meta, score_partition, warm_count

pd = pytest.importorskip("pandas")

ROWS = 1000
SPARK_ROWS = 400


def _reference(table: dict[str, list[Any]]) -> list[tuple[Any, ...]]:
    rows = evaluate_many(table["target"], table["actual"], points=table["points"])
    return [tuple(getattr(r, c) for c in RESULT_COLUMNS) for r in rows]


def _total(rows: list[tuple[Any, ...]]) -> Decimal:
    score = RESULT_COLUMNS.index("score")
    return sum((r[score] for r in rows if r[score] is not None), Decimal(0))


def _tuples(frame: Any) -> list[tuple[Any, ...]]:
    def plain(v: Any) -> Any:
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return None
        if isinstance(v, list) or type(v).__name__ == "ndarray":
            return tuple(v.tolist() if hasattr(v, "tolist") else v)
        if hasattr(v, "item") and not isinstance(v, (str, Decimal)):
            return v.item()
        return v

    return [tuple(plain(v) for v in row) for row in frame[list(RESULT_COLUMNS)].itertuples(index=False)]


def _warm_in_worker(_: int) -> tuple[int, int]:
    return warm_count()


def test_dask_two_workers_match_one_process() -> None:
    dd = pytest.importorskip("dask.dataframe")
    table = generate(ROWS, seed=3)
    expected = _reference(table)
    ddf = dd.from_pandas(pd.DataFrame(table), npartitions=6)

    def scored(part: Any) -> Any:
        out = score_partition(part)
        pid, warmups = warm_count()
        return out.assign(pid=pid, warmups=warmups)

    meta = dask_meta().assign(pid=pd.Series([], dtype="int64"), warmups=pd.Series([], dtype="int64"))
    result = ddf.map_partitions(scored, meta=meta).compute(scheduler="processes", num_workers=2)
    result = result.sort_index()
    assert _tuples(result) == expected
    assert _total(_tuples(result)) == _total(expected)
    assert _total(expected) > 0
    # 6 partitions over 2 worker processes, each warmed once
    assert result["pid"].nunique() <= 2
    assert set(result["warmups"]) == {1}


@pytest.mark.spark
def test_spark_local2_matches_one_process() -> None:
    """One pandas_udf over 400 rows in 2 partitions (4 Arrow batches of 100): the JVM start is most of it."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("Spark needs Java 17+")
    # The workers must run this interpreter (the one with targetexpr installed), not "python3".
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    from targetexpr.engines import spark_udf

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("targetexpr-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "100")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.python.worker.reuse", "true")
        .getOrCreate()
    )
    try:
        table = as_text(generate(SPARK_ROWS, seed=4))
        expected = _reference(table)
        df = spark.createDataFrame(pd.DataFrame(table)).coalesce(2)
        score = spark_udf(spark)
        out = df.select("row_id", score("target", "actual", "points").alias("r")).select("row_id", "r.*")
        result = out.toPandas().sort_values("row_id").reset_index(drop=True)
        assert _tuples(result) == expected
        assert _total(_tuples(result)) == _total(expected)
        assert _total(expected) > 0
    finally:
        spark.stop()
