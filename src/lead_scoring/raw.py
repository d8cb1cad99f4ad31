"""Where a build reads its raw tables, and which of them are there.

A build reads one file per raw table from a folder (DuckDB), or the tables of
the raw schema. crm_leads is required; every other raw table may be absent and
is then built as empty (macros/raw_table.sql does the same inside dbt).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from lead_scoring.generator import RAW_TABLES

REQUIRED = "crm_leads"
DEFAULT_RAW = Path("data/raw")


class RawError(ValueError):
    """No raw data where the build was pointed: the message says what to do."""


@dataclass
class RawSource:
    """Raw files (folder and format) or, when folder is None, the raw schema."""

    folder: Path | None
    file_format: str = "parquet"
    schema: str = "raw"

    def describe(self) -> str:
        if self.folder is None:
            return f"the {self.schema} schema"
        return f"{self.folder} ({self.file_format})"

    def relation(self, table: str) -> str:
        """SQL to read the raw table with DuckDB (CSV as text, RFC 4180 quoting)."""
        if self.folder is None:
            return f"{self.schema}.{table}"
        path = (self.folder / f"{table}.{self.file_format}").resolve().as_posix()
        literal = "'" + path.replace("'", "''") + "'"
        if self.file_format == "csv":
            return (f"read_csv({literal}, header = true, all_varchar = true, delim = ',', "
                    f"quote = '\"', escape = '\"')")
        return f"read_parquet({literal})"

    def connect(self, database: Path):  # -> duckdb.DuckDBPyConnection
        """A DuckDB connection that reads relation(): the warehouse (read-only) for the
        raw schema, an in-memory one for files."""
        import duckdb

        if self.folder is None:
            return duckdb.connect(str(database), read_only=True)
        return duckdb.connect()


def extra_attribute_names(source: RawSource, database: Path, absent: list[str]) -> set[str]:
    """The attribute names crm_lead_attributes holds (lower case), for the rules check;
    absent: the raw tables the source lacks (absent_tables)."""
    if "crm_lead_attributes" in absent:
        return set()
    with source.connect(database) as con:
        rows = con.execute(f"select distinct lower(trim(cast(attribute as varchar))) from "
                           f"{source.relation('crm_lead_attributes')} "
                           f"where attribute is not null").fetchall()
    return {name for (name,) in rows if name}


def _detect_format(folder: Path) -> str:
    for file_format in ("parquet", "csv"):
        if (folder / f"{REQUIRED}.{file_format}").exists():
            return file_format
    return "parquet"


def _schema_tables(database: Path, schema: str) -> set[str] | None:
    """Tables of the raw schema in the DuckDB warehouse; None without the file."""
    import duckdb

    if not database.exists():
        return None
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute("select table_name from information_schema.tables "
                           "where table_schema = ?", [schema]).fetchall()
    return {name for (name,) in rows}


def resolve(folder: Path | None, file_format: str | None, database: Path,
            schema: str = "raw") -> RawSource:
    """The raw data a build reads: the folder given, else data/raw when it exists,
    else the raw schema of the warehouse when it holds crm_leads."""
    if folder is not None:
        if not folder.is_dir():
            raise RawError(f"raw data folder {folder} does not exist "
                           f"(run lead-scoring generate, or pass --raw PATH)")
        return RawSource(folder, file_format or _detect_format(folder), schema)
    if DEFAULT_RAW.is_dir():
        return RawSource(DEFAULT_RAW, file_format or _detect_format(DEFAULT_RAW), schema)
    tables = _schema_tables(database, schema)
    if tables and REQUIRED in tables:
        return RawSource(None, schema=schema)
    raise RawError(f"no raw data: {DEFAULT_RAW} does not exist and {database} has no "
                   f"{schema}.{REQUIRED}. Pass --raw FOLDER (one file per raw table), load "
                   f"the raw tables into schema {schema}, or run lead-scoring generate.")


def absent_tables(source: RawSource, database: Path) -> list[str]:
    """The raw tables the source lacks; RawError when crm_leads is one of them."""
    if source.folder is not None:
        present = {name for name in RAW_TABLES
                   if (source.folder / f"{name}.{source.file_format}").exists()}
    else:
        present = _schema_tables(database, source.schema) or set()
    if REQUIRED not in present:
        where = (source.folder / f"{REQUIRED}.{source.file_format}"
                 if source.folder is not None else f"{source.schema}.{REQUIRED}")
        raise RawError(f"raw table {REQUIRED} not found ({where}): it is the one raw "
                       f"table a build needs")
    return [name for name in RAW_TABLES if name not in present]


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")


def redact(text: str) -> str:
    """An engine's error without raw values: no 'Original Line' row, no email."""
    kept = [line for line in text.splitlines()
            if not line.strip().lower().startswith(("original line", "line:"))]
    return EMAIL.sub("<email>", "\n".join(kept))


def _csv_problem(path: Path) -> str | None:
    """Where a CSV breaks RFC 4180 (line and what), never the row's values."""
    with path.open(newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            width = len(next(reader))
            for row in reader:
                if len(row) != width and row:
                    return (f"line {reader.line_num} has {len(row)} fields, the header "
                            f"{width}")
        except csv.Error as error:
            return f"line {reader.line_num}: {error}"
    return None


def unreadable(source: RawSource, table: str, error: Exception) -> str:
    """One line for a raw table the engine could not read: table, line, what; no values."""
    where = source.folder / f"{table}.{source.file_format}" if source.folder else None
    problem = _csv_problem(where) if where and source.file_format == "csv" else None
    reason = problem or redact(str(error)).splitlines()[0]
    return (f"raw table {table} cannot be read ({where or source.schema + '.' + table}): "
            f"{reason}. Fix the export (standard CSV: comma, double quotes, quotes doubled "
            f"inside quoted fields)")
