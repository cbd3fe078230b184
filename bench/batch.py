"""Rows per second: evaluate_many in one process, Dask with 2 workers, Spark local[2]; and
parse_many against a plain loop over parse() (same memo).  ``--quick``: 20,000 rows."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import targetexpr  # noqa: E402
from batch_table import as_text, generate  # noqa: E402
from targetexpr.batch import evaluate_many, parse_many  # noqa: E402


def timed(label: str, rows: int, run: object) -> float:
    start = time.perf_counter()
    run()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"{label:<34} {rows:>9,} rows {seconds:8.2f} s {rows / seconds:>12,.0f} rows/s", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rows", type=int)
    parser.add_argument("--no-spark", action="store_true")
    args = parser.parse_args()
    rows = args.rows or (20_000 if args.quick else 1_000_000)
    table = as_text(generate(rows, seed=0))
    import pandas as pd

    frame = pd.DataFrame(table)
    timed(
        "one process (evaluate_many)",
        rows,
        lambda: evaluate_many(frame["target"], frame["actual"], points=frame["points"]),
    )

    import dask.dataframe as dd

    from targetexpr.engines import dask_meta, score_partition

    ddf = dd.from_pandas(frame, npartitions=16)
    dask_job = ddf.map_partitions(score_partition, meta=dask_meta())
    timed("Dask, 2 worker processes", rows, lambda: dask_job.compute(scheduler="processes", num_workers=2))

    if not args.no_spark:
        os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
        from pyspark.sql import SparkSession

        from targetexpr.engines import spark_udf

        spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
                 .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())  # fmt: skip
        df = spark.createDataFrame(frame).repartition(4).cache()
        df.count()
        score = spark_udf(spark)
        job = df.select(score("target", "actual", "points").alias("r")).select("r.score")
        timed("Spark local[2] (pandas_udf)", rows, lambda: job.write.format("noop").mode("overwrite").save())
        spark.stop()

    cells = table["target"]
    targetexpr.parse("≥95%")

    def loop() -> None:
        for cell in cells:
            try:  # noqa: SIM105 - the loop a user would write
                targetexpr.parse(cell)  # type: ignore[arg-type]
            except targetexpr.TargetError:
                pass

    loop_s = timed("plain loop over parse()", rows, loop)
    many_s = timed("parse_many()", rows, lambda: parse_many(cells))
    print(f"parse_many / loop: {many_s / loop_s:.2f}x")


if __name__ == "__main__":
    main()
