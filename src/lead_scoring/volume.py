"""Volume guard: an empty or sharply shrunken raw table stops the build before dbt runs.

Each build counts the rows of every raw table (live leads for crm_leads: rows
not marked deleted) and records them in the warehouse (`ops.raw_volumes`, in
the same all-or-nothing copy as the build). The next build compares its counts
with the last recorded ones: a drop larger than the table's share (MAX_DROP,
or the var volume_guard_max_drop; a header-only export drops 100 %) stops it,
naming the table and both counts, unless a person confirms the purge (`lead-scoring build
--allow-shrink`). An absent optional raw table is not a shrinkage.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from lead_scoring.raw import RawError, RawSource, unreadable

# Largest share of rows a table may lose between two builds.
MAX_DROP = {
    "crm_leads": 0.5,  # live leads
    "crm_accounts": 0.5,
    "crm_opportunities": 0.1,  # outcomes: losing them demotes customers and opportunities
    "crm_lead_attributes": 0.5,
    "web_events": 0.5,
    "email_events": 0.5,
    "activities": 0.5,
}
# is_deleted values that mean deleted: the true set of macros/parse_values.sql's
# parse_boolean, which staging applies.
DELETED_VALUES = ("true", "t", "yes", "y", "1")


@dataclass
class Shrinkage:
    table: str
    before: int
    now: int
    max_drop: float

    def line(self) -> str:
        what = "live leads" if self.table == "crm_leads" else "rows"
        drop = 1 - self.now / self.before
        return (f"{self.table}: {self.now:,} {what}, {self.before:,} at the last build "
                f"({drop:.0%} fewer; more than {self.max_drop:.0%} stops the build)")


def raw_counts(source: RawSource, database: Path, tables: list[str]) -> dict[str, int]:
    """Rows per present raw table; live (not deleted) rows for crm_leads."""
    deleted = ", ".join(f"'{value}'" for value in DELETED_VALUES)
    counts = {}
    with source.connect(database) as con:
        for table in tables:
            where = (f" where coalesce(lower(trim(cast(is_deleted as varchar))) "
                     f"not in ({deleted}), true)" if table == "crm_leads" else "")
            try:
                counts[table] = con.execute(
                    f"select count(*) from {source.relation(table)}{where}").fetchall()[0][0]
            except duckdb.Error as error:
                raise RawError(unreadable(source, table, error)) from None
    return counts


def last_counts(database: Path) -> dict[str, int]:
    if not database.exists():
        return {}
    with duckdb.connect(str(database), read_only=True) as con:
        exists = con.execute("select count(*) from information_schema.tables "
                             "where table_schema = 'ops' and table_name = 'raw_volumes'"
                             ).fetchall()[0][0]
        if not exists:
            return {}
        return dict(con.execute("select table_name, row_count from ops.raw_volumes").fetchall())


def shrinkage(before: dict[str, int], now: dict[str, int],
              max_drop: dict[str, float] | None = None) -> list[Shrinkage]:
    """The tables that lost more than their share of rows; max_drop overrides MAX_DROP
    per table (var volume_guard_max_drop)."""
    limits = {**MAX_DROP, **{table: float(share) for table, share in (max_drop or {}).items()}}
    return [Shrinkage(table, before[table], count, limits[table])
            for table, count in now.items()
            if before.get(table) and 1 - count / before[table] > limits[table]]


def record(database: Path, counts: dict[str, int], score_date: str | None) -> None:
    """Keep this build's counts for the next build's comparison (tables absent this time
    keep their last count)."""
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists ops")
        con.execute("create table if not exists ops.raw_volumes (table_name varchar primary "
                    "key, row_count bigint, score_date date, recorded_at timestamp)")
        for table, count in counts.items():
            con.execute("insert or replace into ops.raw_volumes values "
                        "(?, ?, cast(? as date), now()::timestamp)", [table, count, score_date])
