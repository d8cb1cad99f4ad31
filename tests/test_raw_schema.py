"""Sources read from the raw schema (any engine) give the same scores as files."""

from __future__ import annotations

import duckdb

from lead_scoring.dbt_runner import Warehouse, query, run_dbt

from .conftest import DB_FILE, FIXTURES, SCORE_DATE

MART = ("select lead_id, grade, rating, fit_points, behaviour_score, priority_rank "
        "from marts.lead_scores order by lead_id")


def test_raw_schema_matches_file_mode(tmp_path, warehouse):
    database = tmp_path / "schema_mode" / DB_FILE
    database.parent.mkdir()
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw")
        for path in sorted(FIXTURES.glob("*.csv")):
            con.execute(f"create table raw.{path.stem} as "
                        f"select * from read_csv('{path}', header = true, all_varchar = true)")
    run_dbt(["build", "--exclude-resource-type", "unit_test"],
            Warehouse(database=database, score_date=SCORE_DATE))
    assert query(database, MART) == query(warehouse.database, MART)
    assert len(query(database, MART)) == 6
