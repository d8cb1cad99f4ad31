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
    "account_scores", "calibration_conversion", "calibration_performance",
    "calibration_rules", "calibration_thresholds", "dim_leads", "fct_lead_activity_daily",
    "lead_reason_history", "lead_scores",
    "lead_scores_by_model", "lead_score_history", "lead_segments", "lead_segment_history",
    "lead_threshold_events", "metricflow_time_spine",
)


def publish(warehouse: Path, published: Path, schema: str = "marts") -> list[str]:
    """Copy the BI marts (BI_MARTS) of `schema` into `published` atomically; return the
    table names."""
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(f".{published.name}.{os.getpid()}.tmp")
    staging.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(staging)) as con:
            path = warehouse.resolve().as_posix().replace("'", "''")
            con.execute(f"attach '{path}' as source (read_only)")
            tables = [row[0] for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_catalog = 'source' and table_schema = ? "
                "and table_type = 'BASE TABLE' order by table_name", [schema]).fetchall()
                if row[0] in BI_MARTS]
            if "lead_scores" not in tables:
                raise FileNotFoundError(f"{warehouse} has no {schema}.lead_scores to publish")
            con.execute(f"create schema {schema}")
            for table in tables:
                con.execute(f"create table {schema}.{table} as "
                            f"select * from source.{schema}.{table}")
            con.execute("detach source")
            con.execute("checkpoint")
        os.replace(staging, published)
    finally:
        staging.unlink(missing_ok=True)
    return tables
