"""The same models on Spark through dbt-spark's session mode (pyspark from
PyPI, local master, Java from the machine): the raw files become raw tables,
the project builds, the marts' data tests pass, the scores equal DuckDB's, and a
second score date adds a history partition without touching the first.

dbt runs in its own process (one Spark JVM per command). Spark writes every
table as parquet under LEAD_SCORING_SPARK_DIR, so the results are read back
from those files with DuckDB."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from lead_scoring.dbt_runner import PROJECT_DIR, query

from .conftest import FIXTURES, SCORE_DATE

pytestmark = pytest.mark.spark

pytest.importorskip("pyspark")

NEXT_DATE = "2026-04-01"


# dbt's commands in one process: one Spark JVM and one parse for all of them (the
# score date goes in the environment, so it does not make dbt parse again).
# Each command's run_results.json is kept as results_<number>.json.
_RUNNER = """
import json, os, shutil, sys
from dbt.cli.main import dbtRunner
for number, (score_date, arguments) in enumerate(json.loads(sys.argv[1])):
    os.environ["LEAD_SCORING_SCORE_DATE"] = score_date
    result = dbtRunner().invoke(arguments)
    if not result.success:
        print("FAILED: dbt", arguments[0], flush=True)
        sys.exit(1)
    if os.path.exists("target/run_results.json"):
        shutil.copy("target/run_results.json", f"results_{number}.json")
"""


def _dbt(spark_dir: Path, *commands: tuple[str, list[str]]) -> None:
    """Run (score date, dbt arguments) commands in one process, in order."""
    # The catalog in memory: the commands share one process, and the results are
    # read from the table files (a Derby metastore cost the fixture build ~15 s more).
    # The JVM's quick-start JIT (C1 only) and serial GC suit a build of a few rows:
    # 126 CPU-seconds for this file against 159, CPU the other test workers share.
    # C1 alone reserves a 48 MB code cache; Spark's generated code for the whole
    # build can fill it ("Out of space in CodeCache", which stops the SparkContext
    # mid-build), so the cache gets the size it has with tiered compilation.
    environment = dict(os.environ, LEAD_SCORING_TARGET="spark",
                       LEAD_SCORING_SPARK_DIR=spark_dir.as_posix(),
                       LEAD_SCORING_SPARK_CATALOG="in-memory",
                       LEAD_SCORING_SPARK_JAVA_OPTIONS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
                                                       "-XX:ReservedCodeCacheSize=240m")
    common = ["--write-json", "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
              "--target-path", str(spark_dir / "target"), "--log-path", str(spark_dir / "logs")]
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER,
         json.dumps([[date, [*arguments, *common]] for date, arguments in commands])],
        cwd=spark_dir, env=environment, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        failures = [line for line in done.stdout.splitlines()
                    if "ERROR" in line or "FAIL" in line or "Error" in line]
        # and Spark's own causes, which the lines above leave out
        causes = [line for line in (done.stdout + done.stderr).splitlines()
                  if "Caused by" in line or "Exception:" in line]
        pytest.fail("dbt on Spark failed:\n" + "\n".join(failures[-40:] + causes[:20]))


@pytest.fixture(scope="module")
def spark_build(tmp_path_factory) -> dict:
    if shutil.which("java") is None:
        pytest.fail("Java is not installed: `make test` installs it "
                    "(apt-get install openjdk-17-jre-headless)")
    spark_dir = tmp_path_factory.mktemp("spark")
    _dbt(
        spark_dir,
        (SCORE_DATE, ["run-operation", "create_raw_tables", "--args",
                      json.dumps({"path": FIXTURES.as_posix(), "file_format": "csv"})]),
        # Unit tests carry DuckDB SQL fixtures; the marts' data tests run (the layers
        # below are checked on DuckDB and Postgres: Spark's JVM makes every query slow).
        (SCORE_DATE, ["build", "--exclude", "test_type:unit",
                      "test_type:data,path:models/staging",
                      "test_type:data,path:models/intermediate",
                      "test_type:data,path:seeds"]),
        # The second date writes its history partition (from the first date's upstream
        # tables: the test is about partitions, not the second day's scores).
        (NEXT_DATE, ["run", "--select", "lead_score_history"]),
    )
    first_results = spark_dir / "results_1.json"
    return {"dir": spark_dir, "first_results": json.loads(first_results.read_text())}


def _table(spark_build: dict, schema: str, name: str) -> str:
    folder = spark_build["dir"] / "tables" / f"{schema}.db" / name
    assert folder.is_dir(), f"Spark wrote no table {schema}.{name}"
    return (f"read_parquet('{folder.as_posix()}/**/*.parquet', hive_partitioning = true, "
            f"union_by_name = true)")


def _rows(statement: str) -> list[tuple]:
    with duckdb.connect() as con:
        return con.execute(statement).fetchall()


SCORES = ("select lead_id, grade, rating, grade_engagement_cell, lifecycle_stage, fit_points, "
          "behaviour_score, priority_rank, top_reasons, rules_version "
          "from {table} order by lead_id")


def test_spark_build_runs_every_model_and_the_marts_data_tests(spark_build):
    results = [result for result in spark_build["first_results"]["results"]
               if result["unique_id"].split(".")[0] in {"seed", "model", "test"}]
    statuses = {result["status"] for result in results}
    assert statuses <= {"success", "pass"}, statuses
    kinds = {result["unique_id"].split(".")[0] for result in results}
    assert {"seed", "model", "test"} <= kinds
    # every data test of the marts ran (the layers below are excluded: see spark_build)
    manifest = json.loads((spark_build["dir"] / "target" / "manifest.json").read_text())
    marts_tests = {unique_id for unique_id, node in manifest["nodes"].items()
                   if node["resource_type"] == "test" and not node["original_file_path"]
                   .startswith(("models/staging", "models/intermediate", "seeds"))}
    assert {r["unique_id"] for r in results if r["unique_id"].startswith("test.")} == marts_tests
    assert len(marts_tests) > 40
    assert sum(result["unique_id"].startswith("model.") for result in results) > 50


def test_scores_on_spark_equal_duckdb(spark_build, warehouse):
    on_spark = _rows(SCORES.format(table=_table(spark_build, "marts", "lead_scores")))
    on_duckdb = query(warehouse.database, SCORES.format(table="marts.lead_scores"))
    assert len(on_spark) == 6
    assert on_spark == on_duckdb


def test_quarantine_on_spark_equals_duckdb(spark_build, sql):
    statement = ("select source_table, record_key, quarantine_reason "
                 "from {table} order by 1, 2, 3")
    on_spark = _rows(statement.format(
        table=_table(spark_build, "marts", "quarantined_records")))
    assert on_spark == sql(statement.format(table="marts.quarantined_records"))
    assert len(on_spark) > 10


def test_history_partitions_accumulate_on_spark(spark_build, sql):
    history = _table(spark_build, "marts", "lead_score_history")
    per_day = _rows(f"select cast(score_date as varchar), count(*) from {history} "
                    "group by 1 order by 1")
    assert per_day == [(SCORE_DATE, 12), (NEXT_DATE, 12)]  # 6 leads x 2 scoring models
    # The first day's partition is the one the first build wrote, unchanged.
    first_day = _rows(f"select lead_id, scoring_model, lifecycle_stage, behaviour_score "
                      f"from {history} where score_date = date '{SCORE_DATE}' order by 1, 2")
    assert first_day == sql("select lead_id, scoring_model, lifecycle_stage, behaviour_score "
                            "from marts.lead_score_history "
                            f"where score_date = date '{SCORE_DATE}' order by 1, 2")


def test_time_spine_on_spark_has_every_day(spark_build, sql):
    """Spark makes the days with sequence(), DuckDB with dbt's date_spine: the same
    4,018 days, 2020-01-01 to 2030-12-31."""
    statement = "select count(*), min(date_day), max(date_day) from {table}"
    expected = [(4018, date(2020, 1, 1), date(2030, 12, 31))]
    assert _rows(statement.format(
        table=_table(spark_build, "marts", "metricflow_time_spine"))) == expected
    assert sql(statement.format(table="marts.metricflow_time_spine")) == expected
