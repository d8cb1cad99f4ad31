"""BI readers of the published marts never see a half-built state and never
block the run: a real reader process reads while the marts are republished."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lead_scoring.dbt_runner import Warehouse, run_dbt
from lead_scoring.publish import publish

from .conftest import DB_FILE, FIXTURES

READER = Path(__file__).parent / "bi_reader.py"


@pytest.fixture(scope="module")
def two_days(tmp_path_factory):
    folder = tmp_path_factory.mktemp("publish")
    database = folder / "warehouse" / DB_FILE
    for score_date, tests in (("2026-03-30", "test"), ("2026-03-31", "unit_test")):
        # the second day's build runs the data tests on both days' history
        warehouse = Warehouse(database=database, raw_path=FIXTURES, raw_format="csv",
                              score_date=score_date)
        run_dbt(["build", "--exclude-resource-type", tests, "--exclude-resource-type",
                 "unit_test"], warehouse)
        shutil.copy(database, folder / f"{score_date}.duckdb")
    return folder


def test_published_marts_match_the_warehouse(two_days, tmp_path):
    published = tmp_path / "published.duckdb"
    tables = publish(two_days / "2026-03-31.duckdb", published)
    assert {"lead_scores", "lead_score_history", "lead_threshold_events", "account_scores"
            } <= set(tables)
    assert "quarantined_records" not in tables  # its detail holds raw values


def test_the_bi_file_holds_no_email_or_name(two_days, tmp_path):
    """Every text value of every published table, scanned for the raw leads' emails and
    names and for anything shaped like an email."""
    import duckdb

    published = tmp_path / "published.duckdb"
    publish(two_days / "2026-03-31.duckdb", published)
    # Emails and full names anywhere in a value; a first or last name as a whole value
    # (names such as "No Key" or "Val Value" are words, too).
    anywhere, whole = set(), set()
    with duckdb.connect() as con:
        for email, first, last in con.execute(
                f"select email, first_name, last_name from read_csv("
                f"'{FIXTURES / 'crm_leads.csv'}', all_varchar = true)").fetchall():
            anywhere |= {email.lower(), f"{first} {last}".lower()} if email else set()
            whole |= {first.lower(), last.lower()}
    found = []
    with duckdb.connect(str(published), read_only=True) as con:
        columns = con.execute("select table_schema, table_name, column_name "
                              "from information_schema.columns "
                              "where data_type = 'VARCHAR'").fetchall()
        assert len(columns) > 20
        for schema, table, column in columns:
            for (value,) in con.execute(f"select distinct {column} from {schema}.{table} "
                                        f"where {column} is not null").fetchall():
                text = value.lower()
                if (text in whole or any(item in text for item in anywhere)
                        or re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", value)):
                    found.append((table, column, value))
    assert found == []
    assert not list(tmp_path.glob(".*.tmp"))


def test_reader_never_sees_a_half_built_state(two_days, tmp_path):
    published = tmp_path / "published.duckdb"
    day_one, day_two = two_days / "2026-03-30.duckdb", two_days / "2026-03-31.duckdb"
    publish(day_one, published)
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, str(READER), str(published), str(stop), "120"],
                              stdout=subprocess.PIPE, text=True)
    time.sleep(1.0)  # let the reader start reading
    swaps = 0
    for swap in range(30):
        publish(day_two if swap % 2 == 0 else day_one, published)
        swaps += 1
    stop.touch()
    out, _ = reader.communicate(timeout=120)
    result = json.loads(out)
    assert swaps == 30
    assert result["errors"] == []
    # Each snapshot is one of the two published states, whole: lead count,
    # one score date, and the history that goes with it (6 leads x 2 scoring models a day).
    assert set(result["snapshots"]) <= {"6|1|2026-03-30|12|2026-03-30",
                                        "6|1|2026-03-31|24|2026-03-31"}
    assert len(result["snapshots"]) == 2
    assert result["reads"] > 30


READERS = Path(os.environ.get("LEAD_SCORING_READERS_VENV",
                              Path(__file__).parents[1] / ".venv-readers"))
OLD_READER = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
counts = {table: con.execute(f"select count(*) from marts.{table}").fetchall()[0][0]
          for table in sys.argv[2:]}
print(json.dumps({"version": duckdb.__version__, "counts": counts}))
"""


def _reader(name: str) -> Path:
    path = READERS / "bin" / name
    if not path.exists():
        pytest.fail(f"{path} is missing: `make test` installs the older DuckDB readers")
    return path


def test_older_duckdb_readers_open_every_published_mart(two_days, tmp_path):
    """The BI file is written in DuckDB 1.4's storage format, also when a publish syncs
    the last one: the 1.4 LTS Python package and the newest DuckDB command line read
    every mart; counts are BIGINT, and NOT NULL and the column comments survive."""
    import duckdb

    from lead_scoring.publish import BI_MARTS

    published = tmp_path / "published.duckdb"
    # day two synced into day one's file (SYNCED_BY), as a daily run publishes
    publish(two_days / "2026-03-30.duckdb", published)
    tables = publish(two_days / "2026-03-31.duckdb", published)
    assert set(tables) == set(BI_MARTS)
    expected = {table: query_count(two_days / "2026-03-31.duckdb", table) for table in tables}
    result = json.loads(subprocess.run(
        [str(_reader("python")), "-c", OLD_READER, str(published), *tables],
        capture_output=True, text=True, check=True).stdout)
    assert result["version"].startswith("1.4.")
    assert result["counts"] == expected
    for table in tables:
        out = subprocess.run([str(_reader("duckdb")), "-readonly", "-csv", str(published),
                              "-c", f"select count(*) as n from marts.{table}"],
                             capture_output=True, text=True, check=True).stdout
        assert out.split() == ["n", str(expected[table])], table
    with duckdb.connect(str(published), read_only=True) as con:
        types = {row[0] for row in con.execute(
            "select distinct data_type from duckdb_columns() where schema_name = 'marts'"
        ).fetchall()}
        assert "HUGEINT" not in types
        lead_id = con.execute(
            "select is_nullable, comment from duckdb_columns() where schema_name = 'marts' "
            "and table_name = 'lead_scores' and column_name = 'lead_id'").fetchall()
        assert lead_id == [(False, "CRM key of the lead.")]


def query_count(database: Path, table: str) -> int:
    from lead_scoring.dbt_runner import query

    return query(database, f"select count(*) from marts.{table}")[0][0]


SNAPSHOT = ("leads", "mql_leads", "sql_leads", "converted_leads", "conversion_rate",
            "average_behaviour_score")


# `mf query` for several queries in one process (MetricFlow imported once: about 2.5 s
# a query apart, 3.2 s for three together); each query's rows go to mf_<number>.csv.
_MF_RUNNER = """
import json, sys
from dbt_metricflow.cli.main import cli
for number, (metrics, group_by) in enumerate(json.loads(sys.argv[1])):
    try:
        cli.main(["query", "--metrics", ",".join(metrics), "--group-by", group_by,
                  "--csv", f"mf_{number}.csv", "--quiet"], standalone_mode=False)
    except SystemExit as exit:
        if exit.code:
            raise
"""


def _metricflow(project: Path, database: Path, queries: list[tuple[list[str], str]],
                parse: bool = True) -> list[list[dict]]:
    """mf query's rows (as dicts) for each (metrics, group by) on `database` (the dbt
    project parsed against it, unless parse is False: a file of the same name, so of
    the same catalog, as the one parsed)."""
    import csv

    env = {key: value for key, value in os.environ.items()
           if key not in ("DBT_TARGET_PATH", "DBT_LOG_PATH")}
    env.update(LEAD_SCORING_DB=str(database), DBT_PROFILES_DIR=str(project))
    if parse:
        # --write-json: MetricFlow reads the semantic manifest dbt writes.
        subprocess.run([str(Path(sys.executable).parent / "dbt"), "parse", "--quiet",
                        "--write-json"],
                       cwd=project, env=env, check=True, capture_output=True)
    outputs = [project / f"mf_{number}.csv" for number in range(len(queries))]
    for output in outputs:  # none left from an earlier call
        output.unlink(missing_ok=True)
    subprocess.run([sys.executable, "-c", _MF_RUNNER, json.dumps(queries)],
                   cwd=project, env=env, check=True, capture_output=True)
    rows = []
    for output in outputs:
        with output.open() as handle:
            rows.append(list(csv.DictReader(handle)))
    return rows


def _expected(database: Path, group_by: str, latest_only: bool) -> dict:
    """The snapshot metrics in hand-written SQL: the latest score date's leads (per
    grade), or every score date's (per day), of the default scoring model."""
    from lead_scoring.dbt_runner import query

    where = ("and score_date = (select max(score_date) from marts.lead_score_history)"
             if latest_only else "")
    rows = query(database, f"""
        select {group_by} as key, count(distinct lead_id),
            sum(case when lifecycle_stage = 'mql' then 1 else 0 end),
            sum(case when lifecycle_stage = 'sql' then 1 else 0 end),
            sum(case when lifecycle_stage in ('opportunity', 'customer') then 1 else 0 end),
            sum(behaviour_score)
        from marts.lead_score_history where scoring_model = 'default' {where}
        group by 1""")
    return {str(key): (leads, mql, sql, converted, converted / leads, behaviour / leads)
            for key, leads, mql, sql, converted, behaviour in rows}


def test_metricflow_metrics_match_hand_written_sql(two_days, tmp_path):
    """Snapshot metrics read the latest score date of a period (never the sum over
    days), by grade and by day; conversions add up by the date they happened. On the
    build file and on the published file."""
    from lead_scoring.dbt_runner import query

    from .conftest import copy_project

    project = copy_project(tmp_path / "project")
    warehouse = two_days / "2026-03-31.duckdb"
    # The published file under the warehouse's file name: the same catalog name, so
    # MetricFlow reads it with the project parsed once (as a BI profile pointing at it).
    published = tmp_path / "published" / warehouse.name
    published.parent.mkdir()
    publish(warehouse, published)
    conversions = {str(day): count for day, count in query(warehouse, """
        select score_date, sum(case when event_type = 'stage_changed'
            and to_value in ('opportunity', 'customer')
            and coalesce(from_value, '') not in ('opportunity', 'customer') then 1 else 0 end)
        from marts.lead_threshold_events where scoring_model = 'default' group by 1""")}
    by_grade = _expected(warehouse, "grade", latest_only=True)
    by_day = _expected(warehouse, "score_date", latest_only=False)
    # Summing the days would add the first day's behaviour scores into the average: the
    # fixture tells the two apart.
    assert abs(by_day["2026-03-30"][5]) > 1
    queries = [(SNAPSHOT, "lead_day__grade"), (SNAPSHOT, "metric_time__day"),
               (["new_conversions"], "metric_time__day")]
    for database in (warehouse, published):
        grades, days, conversion_days = _metricflow(project, database, queries,
                                                    parse=database == warehouse)
        assert _flat({row["lead_day__grade"]: tuple(float(row[m]) for m in SNAPSHOT)
                      for row in grades}) == pytest.approx(_flat(by_grade))
        assert _flat({row["metric_time__day"][:10]: tuple(float(row[m]) for m in SNAPSHOT)
                      for row in days}) == pytest.approx(_flat(by_day))
        assert {row["metric_time__day"][:10]: float(row["new_conversions"])
                for row in conversion_days} == pytest.approx(conversions)


def _flat(table: dict) -> dict:
    return {(key, index): value for key, values in table.items()
            for index, value in enumerate(values)}


def _tables(database: Path) -> dict[str, list[tuple]]:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        names = [row[0] for row in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' "
            "order by 1").fetchall()]
        return {name: con.execute(f"select * from marts.{name} order by all").fetchall()
                for name in names}


@pytest.fixture
def copied(monkeypatch) -> list[str]:
    """The marts a publish copies whole (the others it syncs), in order."""
    from lead_scoring import publish as publishing

    tables: list[str] = []
    copy_table = publishing._copy_table
    monkeypatch.setattr(publishing, "_copy_table",
                        lambda con, schema, table: (tables.append(table),
                                                    copy_table(con, schema, table)))
    return tables


def test_a_publish_copies_only_what_changed(tmp_path, copied):
    """The history marts and the activity fact are brought up to date by run from the
    last published file (the keys new runs wrote, the keys runs lost); the result
    equals a publish from scratch, and a file the sync cannot follow (other columns,
    an older warehouse, not a DuckDB file) is written afresh."""
    import duckdb

    warehouse, published = tmp_path / "warehouse.duckdb", tmp_path / "published.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.lead_scores (lead_id varchar, score integer)")
        con.execute("insert into marts.lead_scores values ('L1', 10), ('L2', 20)")
        con.execute("create table marts.lead_score_history (lead_id varchar, "
                    "score integer, score_date date, loaded_run varchar)")
        con.execute("insert into marts.lead_score_history values "
                    "('L1', 10, '2026-03-30', 'r1'), ('L2', 20, '2026-03-30', 'r1')")
        con.execute("create table marts.fct_lead_activity_daily (lead_id varchar, "
                    "activity_type varchar, human_activity_count bigint, "
                    "activity_date date, loaded_run varchar)")
        con.execute("insert into marts.fct_lead_activity_daily values "
                    "('L1', 'page_view', 2, '2026-03-29', 'r1'), "
                    "('L1', 'email_open', 1, '2026-03-29', 'r1'), "
                    "('L2', 'page_view', 5, '2026-03-29', 'r1'), "
                    "('L2', 'page_view', 1, '2026-03-30', 'r1')")

    def publish_and_check(expect_copied: list[str]) -> None:
        copied.clear()
        publish(warehouse, published)
        assert copied == expect_copied
        fresh = tmp_path / "fresh.duckdb"
        fresh.unlink(missing_ok=True)
        publish(warehouse, fresh)
        assert _tables(published) == _tables(fresh) == _tables(warehouse)

    # the first publish copies everything
    publish_and_check(["fct_lead_activity_daily", "lead_score_history", "lead_scores"])
    # run r2: a new history day; L1's 2026-03-29 rewritten (a late open), L2's
    # 2026-03-30 left empty (its visit moved to L3), L3's new
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.lead_scores set score = score + 1")
        con.execute("insert into marts.lead_score_history values "
                    "('L1', 11, '2026-03-31', 'r2'), ('L2', 21, '2026-03-31', 'r2')")
        con.execute("delete from marts.fct_lead_activity_daily where (lead_id, activity_date) "
                    "in (('L1', '2026-03-29'), ('L2', '2026-03-30'))")
        con.execute("insert into marts.fct_lead_activity_daily values "
                    "('L1', 'page_view', 2, '2026-03-29', 'r2'), "
                    "('L1', 'email_open', 2, '2026-03-29', 'r2'), "
                    "('L3', 'page_view', 1, '2026-03-30', 'r2')")
    publish_and_check(["lead_scores"])
    # run r3 for 2026-03-30 again: that history day replaced, the day after kept
    with duckdb.connect(str(warehouse)) as con:
        con.execute("delete from marts.lead_score_history where score_date = '2026-03-30'")
        con.execute("insert into marts.lead_score_history values "
                    "('L1', 9, '2026-03-30', 'r3')")
    publish_and_check(["lead_scores"])
    # a new column: that table is copied whole
    with duckdb.connect(str(warehouse)) as con:
        con.execute("alter table marts.lead_score_history add column grade varchar")
    publish_and_check(["lead_score_history", "lead_scores"])
    # an older warehouse (r1 only) over the newer file: copied whole, not synced
    older = tmp_path / "older.duckdb"
    with duckdb.connect(str(older)) as con:
        con.execute(f"attach '{warehouse}' as newer (read_only)")
        con.execute("create schema marts")
        for table in ("lead_scores", "lead_score_history", "fct_lead_activity_daily"):
            con.execute(f"create table marts.{table} as select * from newer.marts.{table}")
        con.execute("delete from marts.fct_lead_activity_daily")
        con.execute("insert into marts.fct_lead_activity_daily values "
                    "('L1', 'page_view', 2, '2026-03-29', 'r1'), "
                    "('L2', 'page_view', 5, '2026-03-29', 'r1')")
    copied.clear()
    publish(older, published)
    assert copied == ["fct_lead_activity_daily", "lead_scores"]
    assert _tables(published) == _tables(older)
    # not a DuckDB file: published afresh
    published.write_text("not a database")
    copied.clear()
    publish(warehouse, published)
    assert len(copied) == 3 and _tables(published) == _tables(warehouse)


def test_the_next_days_publish_syncs_the_history_and_the_fact(two_days, tmp_path, copied):
    """On the warehouse the build writes: publishing day two over day one's file syncs
    the history marts and the activity fact (their loaded_run) and equals a publish
    from scratch."""
    from lead_scoring import publish as publishing

    published, fresh = tmp_path / "published.duckdb", tmp_path / "fresh.duckdb"
    publish(two_days / "2026-03-30.duckdb", published)
    copied.clear()
    tables = publish(two_days / "2026-03-31.duckdb", published)
    assert set(publishing.SYNCED_BY) <= set(tables)
    assert set(copied) == set(tables) - set(publishing.SYNCED_BY)
    publish(two_days / "2026-03-31.duckdb", fresh)
    assert _tables(published) == _tables(fresh)
