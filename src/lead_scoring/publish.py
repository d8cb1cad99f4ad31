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

from lead_scoring.transaction import clone_or_copy

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


# Marts a publish brings up to date instead of copying them whole, with the
# columns that key what one run writes: every row carries the run that wrote it
# (loaded_run), and a run rewrites whole keys (a history mart's score_date, the
# activity fact's lead-days). The other marts are small or rewritten daily.
SYNCED_BY = {
    "lead_score_history": ("score_date",), "lead_segment_history": ("score_date",),
    "lead_threshold_events": ("score_date",), "lead_reason_history": ("score_date",),
    "fct_lead_activity_daily": ("lead_id", "activity_date"),
}

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


def _columns(con: duckdb.DuckDBPyConnection, database: str, schema: str,
             table: str) -> list[tuple[str, str, bool, str | None]]:
    """(name, published type, nullable, comment) of each column, in order."""
    return [(name, PUBLISHED_TYPES.get(data_type, data_type), nullable, comment)
            for name, data_type, nullable, comment in con.execute(
                "select column_name, data_type, is_nullable, comment from duckdb_columns() "
                "where database_name = ? and schema_name = ? and table_name = ? "
                "order by column_index", [database, schema, table]).fetchall()]


def _casts(columns: list[tuple[str, str, bool, str | None]]) -> str:
    """The select list that casts every column to its published type."""
    return ", ".join(f"cast({_quote(name)} as {data_type})" for name, data_type, _, _ in columns)


def _copy_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> None:
    """Create the table in `out` with the warehouse's column types (counts as BIGINT),
    NOT NULL constraints and comments, then copy its rows."""
    columns = _columns(con, "source", schema, table)
    definitions = [f"{_quote(name)} {data_type}{'' if nullable else ' not null'}"
                   for name, data_type, nullable, _ in columns]
    target = f"out.{_quote(schema)}.{_quote(table)}"
    con.execute(f"drop table if exists {target}")
    con.execute(f"create table {target} ({', '.join(definitions)})")
    con.execute(f"insert into {target} select {_casts(columns)} "
                f"from source.{_quote(schema)}.{_quote(table)}")
    _comment(con, schema, table, columns)


def _sync_table(con: duckdb.DuckDBPyConnection, schema: str, table: str,
                keys: tuple[str, ...]) -> bool:
    """Bring the table in `out` (the last publish's copy) up to date with the
    warehouse by run (SYNCED_BY): replace the keys that runs new to `out` wrote, and
    delete the keys a run lost since (a run for an earlier date, activity moved to
    another lead). False when `out` cannot be synced (other columns, or row counts
    that disagree after): the caller copies the table whole."""
    columns = _columns(con, "source", schema, table)
    if ([column[:3] for column in columns]
            != [column[:3] for column in _columns(con, "out", schema, table)]):
        return False
    source = f"source.{_quote(schema)}.{_quote(table)}"
    target = f"out.{_quote(schema)}.{_quote(table)}"
    key_list = ", ".join(_quote(key) for key in keys)

    def same_key(left: str, right: str) -> str:
        return " and ".join(f"{left}.{_quote(key)} = {right}.{_quote(key)}" for key in keys)

    def runs_per_side() -> str:
        return (f"select coalesce(now_.loaded_run, before.loaded_run) as loaded_run, "
                f"now_.n as now_rows, before.n as out_rows "
                f"from source_runs as now_ "
                f"full join (select loaded_run, count(*) as n from {target} group by all) "
                f"as before on now_.loaded_run is not distinct from before.loaded_run")

    # the warehouse's rows per run, counted once (the sync changes only `out`)
    con.execute(f"create or replace temp table source_runs as "
                f"select loaded_run, count(*) as n from {source} group by all")
    con.execute(f"create or replace temp table runs as {runs_per_side()}")
    # Only forward: a run writes its keys once, so a run `out` has can only have
    # lost keys since (else, e.g. an older warehouse, the table is copied whole).
    if con.execute("select count(*) from runs where out_rows < now_rows").fetchone()[0]:
        return False
    # The keys runs new to `out` wrote: replaced whole (the daily case).
    con.execute(f"create or replace temp table new_keys as select distinct {key_list} "
                f"from {source} where loaded_run in "
                f"(select loaded_run from runs where out_rows is null)")
    con.execute(f"delete from {target} where exists (select 1 from new_keys as changed "
                f"where {same_key('changed', target)})")
    # Keys a run of `out` lost without a new run rewriting them (a run for an earlier
    # date, activity that moved to another lead): looked up only for such runs.
    con.execute(f"create or replace temp table runs as {runs_per_side()}")
    con.execute(f"""
        delete from {target} as before
        where
            exists (select 1 from runs
                    where runs.loaded_run is not distinct from before.loaded_run
                    and runs.out_rows > coalesce(runs.now_rows, 0))
            and not exists (select 1 from {source} as now_
                            where now_.loaded_run is not distinct from before.loaded_run
                            and {same_key('now_', 'before')})""")
    con.execute(f"insert into {target} select {_casts(columns)} from {source} "
                f"where loaded_run in (select loaded_run from runs where out_rows is null)")
    (now_rows,), (out_rows,) = (con.execute(f"select count(*) from {name}").fetchone()
                                for name in (source, target))
    if now_rows != out_rows:
        return False
    _comment(con, schema, table, columns)
    return True


def _comment(con: duckdb.DuckDBPyConnection, schema: str, table: str,
             columns: list[tuple[str, str, bool, str | None]]) -> None:
    """The warehouse's table and column comments, on the table in `out`."""
    target = f"out.{_quote(schema)}.{_quote(table)}"
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
    storage format STORAGE_VERSION; return the table names. A copy of the last
    published file is brought up to date (SYNCED_BY marts by run, the others copied
    whole) and renamed over it."""
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
            # Start from the last publish's file when there is one: the marts of
            # SYNCED_BY then get only what changed, the others are copied whole.
            # (a copy-on-write clone where the file system makes one: no bytes copied)
            if published.exists():
                clone_or_copy(published, staging)
            try:
                con.execute(f"attach {_literal(staging.as_posix())} as out "
                            f"(storage_version '{STORAGE_VERSION}')")
            except duckdb.Error:  # not a readable DuckDB file: publish afresh
                staging.unlink()
                con.execute(f"attach {_literal(staging.as_posix())} as out "
                            f"(storage_version '{STORAGE_VERSION}')")
            con.execute(f"create schema if not exists out.{_quote(schema)}")
            kept = {row[0] for row in con.execute(
                "select table_name from duckdb_tables() where database_name = 'out' "
                "and schema_name = ?", [schema]).fetchall()}
            for table in kept - set(tables):
                con.execute(f"drop table out.{_quote(schema)}.{_quote(table)}")
            for table in tables:
                if not (table in kept and table in SYNCED_BY
                        and _sync_table(con, schema, table, SYNCED_BY[table])):
                    _copy_table(con, schema, table)
            con.execute("detach source")
            con.execute("checkpoint out")
            con.execute("detach out")
        os.replace(staging, published)
    finally:
        staging.unlink(missing_ok=True)
    return tables
