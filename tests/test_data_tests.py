"""The project's own generic data tests catch what they name: primary_key fails
for a duplicated key and for a null key, not_null_columns for a null in any of
its columns (their compiled SQL run on a warehouse with such rows planted)."""

from __future__ import annotations

import dataclasses
import re

import duckdb

from lead_scoring.dbt_runner import query, run_dbt

from .conftest import copy_of

STREAM = "intermediate.int_activities_flagged"


def _failing_rows(warehouse, test_name: str) -> list[tuple]:
    result = run_dbt(["compile", "--select", f"int_activities_flagged,test_name:{test_name}"],
                     warehouse)
    [compiled] = [node_result.node.compiled_code for node_result in result.results]
    return query(warehouse.database, compiled)


def test_primary_key_and_not_null_columns_fail_on_planted_rows(tmp_path, warehouse):
    warehouse = copy_of(warehouse, tmp_path / "planted")
    assert _failing_rows(warehouse, "primary_key") == []
    assert _failing_rows(warehouse, "not_null_columns") == []
    with duckdb.connect(str(warehouse.database)) as con:
        # web:W01 twice; a copy of crm:A1 with no key; a copy of email:E1
        # under a new key, with no lead and no time
        con.execute(f"insert into {STREAM} select * from {STREAM} where activity_id = 'web:W01'")
        con.execute(f"insert into {STREAM} select * replace (null as activity_id) "
                    f"from {STREAM} where activity_id = 'crm:A1'")
        con.execute(f"insert into {STREAM} select * replace ('email:E99' as activity_id, "
                    "null as lead_id, null as occurred_at) "
                    f"from {STREAM} where activity_id = 'email:E1'")
    assert set(_failing_rows(warehouse, "primary_key")) == {(None, 1), ("web:W01", 2)}
    [(lead_id, activity_type, occurred_at)] = _failing_rows(warehouse, "not_null_columns")
    assert lead_id is None and occurred_at is None and activity_type is not None


def test_one_row_per_key_fails_when_two_activities_share_a_key(tmp_path, warehouse):
    """The stream's activity_key is a 64-bit hash of activity_id: were two ids ever to
    share one, the test fails, on every row and, in a daily build that tests the rows
    it wrote, when only the new row is this run's (the key is looked up in the whole
    table)."""
    warehouse = copy_of(warehouse, tmp_path / "collision")
    assert _failing_rows(warehouse, "one_row_per_key") == []
    with duckdb.connect(str(warehouse.database)) as con:
        [(key,)] = con.execute(f"select activity_key from {STREAM} "
                               "where activity_id = 'web:W01'").fetchall()
        con.execute(f"insert into {STREAM} select * replace ('web:W99' as activity_id, "
                    f"'a later run' as loaded_run) from {STREAM} where activity_id = 'web:W01'")
    assert _failing_rows(warehouse, "one_row_per_key") == [(key, 2)]
    assert _failing_rows(warehouse, "primary_key") == []
    # as a daily build compiles it: only the rows of its own run
    result = run_dbt(["compile", "--select", "int_activities_flagged,test_name:one_row_per_key"],
                     dataclasses.replace(warehouse, test_scope="written"))
    [compiled] = [node_result.node.compiled_code for node_result in result.results]
    this_run = re.search(r"loaded_run = '([^']+)'", compiled).group(1)
    assert query(warehouse.database, compiled) == []  # the compile wrote no row
    assert query(warehouse.database, compiled.replace(this_run, "a later run")) == [(key, 2)]
