"""The project's own generic data tests catch what they name: primary_key fails
for a duplicated key and for a null key, not_null_columns for a null in any of
its columns (their compiled SQL run on a warehouse with such rows planted)."""

from __future__ import annotations

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
