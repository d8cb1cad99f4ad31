"""Publish the marts for BI readers: a separate DuckDB file, swapped atomically.

The build writes to the warehouse file, which dbt holds with a write lock. BI
tools read the published file instead. It is written under a temporary name
beside the target and renamed over it (an atomic rename on one file system), so
a reader sees the old marts or the new ones, never a half-built table, and a
reader never blocks the build: a connection opened before the swap keeps
reading the old file until it closes.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_PUBLISHED = Path("warehouse/published.duckdb")
# What BI tools and the CRM sync may read: scores, history, segments, events,
# accounts, calibration, and MetricFlow's time spine. Not the quarantine listing
# (its detail holds raw values: emails of malformed or duplicate rows); a new
# mart is published only once it is added here.
BI_MARTS = (
    "account_scores", "account_scores_by_model", "calibration_conversion",
    "calibration_performance",
    "calibration_rules", "calibration_thresholds", "dim_leads", "fct_lead_activity_daily",
    "lead_reason_history", "lead_scores",
    "lead_scores_by_model", "lead_score_history", "lead_segments", "lead_segment_history",
    "lead_threshold_events", "metricflow_time_spine",
)


# The oldest DuckDB storage format the published file is written in: DuckDB 1.4
# (the long-term-support release) and every later release read it; BI tools embed
# older DuckDB builds than the one that builds the warehouse.
STORAGE_VERSION = "v1.4.0"
# Column types a BI reader may not handle, and what they are published as.
PUBLISHED_TYPES = {"HUGEINT": "BIGINT", "UHUGEINT": "BIGINT"}


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _copy_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    """Create the table in `out` with the warehouse's column types (counts as BIGINT),
    NOT NULL constraints and comments, then copy its rows."""
    columns = con.execute(
        "select column_name, data_type, is_nullable, comment from duckdb_columns() "
        "where database_name = 'source' and schema_name = ? and table_name = ? "
        "order by column_index", [schema, table]).fetchall()
    definitions, selects = [], []
    for name, data_type, nullable, _ in columns:
        published = PUBLISHED_TYPES.get(data_type, data_type)
        definitions.append(f"{_quote(name)} {published}{'' if nullable else ' not null'}")
        selects.append(f"cast({_quote(name)} as {published})")
    target = f"out.{_quote(schema)}.{_quote(table)}"
    con.execute(f"create table {target} ({', '.join(definitions)})")
    con.execute(f"insert into {target} select {', '.join(selects)} "
                f"from source.{_quote(schema)}.{_quote(table)}")
    (comment,) = con.execute(
        "select comment from duckdb_tables() where database_name = 'source' "
        "and schema_name = ? and table_name = ?", [schema, table]).fetchall()[0]
    if comment:
        con.execute(f"comment on table {target} is {_literal(comment)}")
    for name, _, _, column_comment in columns:
        if column_comment:
            con.execute(f"comment on column {target}.{_quote(name)} "
                        f"is {_literal(column_comment)}")


def publish(warehouse: Path, published: Path, schema: str = "marts") -> list[str]:
    """Copy the BI marts (BI_MARTS) of `schema` into `published` atomically, in the
    storage format STORAGE_VERSION; return the table names."""
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    try:
        with duckdb.connect() as con:
            source = warehouse.resolve().as_posix()
            con.execute(f"attach {_literal(source)} as source (read_only)")
            tables = [row[0] for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'source' and table_schema = ? "
                "and table_type = 'BASE TABLE' order by table_name", [schema]).fetchall()
                if row[0] in BI_MARTS]
            if "lead_scores" not in tables:
                raise FileNotFoundError(f"{warehouse} has no {schema}.lead_scores to publish")
            con.execute(f"attach {_literal(staging.as_posix())} as out "
                        f"(storage_version '{STORAGE_VERSION}')")
            con.execute(f"create schema out.{_quote(schema)}")
            for table in tables:
                _copy_table(con, schema, table)
            con.execute("detach source")
            con.execute("checkpoint out")
            con.execute("detach out")
        os.replace(staging, published)
    finally:
        staging.unlink(missing_ok=True)
    return tables
