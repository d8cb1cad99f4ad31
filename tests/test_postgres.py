"""The same models on a real PostgreSQL server (Debian package, started here on
127.0.0.1): they build, their data tests pass, the scores equal DuckDB's, and
the BI role can read the marts and nothing upstream."""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from lead_scoring.dbt_runner import Warehouse, query, run_dbt

from .conftest import FIXTURES, SCORE_DATE

pytestmark = pytest.mark.postgres

psycopg2 = pytest.importorskip("psycopg2")


def _bin_dir() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        pytest.fail("PostgreSQL is not installed: `make test` installs it "
                    "(apt-get install postgresql)")
    return versions[-1].parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: use the package's postgres user."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="module")
def server() -> Iterator[dict[str, str]]:
    bin_dir = _bin_dir()
    # Not under pytest's root-only temp folder: the server user must reach it.
    folder = Path(tempfile.mkdtemp(prefix="lead-scoring-pg-"))
    data, sockets = folder / "data", folder / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                                    "--auth=trust", "-E", "UTF8"]),
                   check=True, capture_output=True)
    subprocess.run(_as_server_user([
        str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l", str(folder / "server.log"),
        "-o", f"-p {port} -h 127.0.0.1 -k {sockets}", "start"]), check=True,
        capture_output=True)
    try:
        admin = psycopg2.connect(host="127.0.0.1", port=port, user="postgres",
                                 dbname="postgres")
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute("create role lead_scoring login createrole")
            cur.execute("create database lead_scoring owner lead_scoring")
            cur.execute("create role bi_reader login")
        admin.close()
        yield {"PGHOST": "127.0.0.1", "PGPORT": str(port), "PGUSER": "lead_scoring",
               "PGPASSWORD": "", "PGDATABASE": "lead_scoring"}
    finally:
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                        "stop"]), check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def _load_raw_fixtures(settings: dict[str, str]) -> None:
    """The raw tables as an export would land them: every column as text."""
    con = psycopg2.connect(host=settings["PGHOST"], port=settings["PGPORT"],
                           user=settings["PGUSER"], dbname=settings["PGDATABASE"])
    with con, con.cursor() as cur:
        cur.execute("create schema raw")
        for path in sorted(FIXTURES.glob("*.csv")):
            with path.open(newline="") as handle:
                header = next(csv.reader(handle))
            columns = ", ".join(f'"{name}" text' for name in header)
            cur.execute(f"create table raw.{path.stem} ({columns})")
            with path.open() as handle:
                cur.copy_expert(f"copy raw.{path.stem} from stdin with (format csv, header true)",
                                handle)
    con.close()


@pytest.fixture(scope="module")
def postgres_build(server, tmp_path_factory) -> dict[str, str]:
    _load_raw_fixtures(server)
    saved = {key: os.environ.get(key) for key in server}
    os.environ.update(server)
    try:
        warehouse = Warehouse(database=tmp_path_factory.mktemp("pg") / "unused.duckdb",
                              score_date=SCORE_DATE, target="postgres",
                              extra_vars={"bi_reader_roles": ["bi_reader"]})
        run_dbt(["build", "--exclude", "test_type:unit"], warehouse)
        # Again: the incremental path (pre-hooks, delete+insert on composite
        # keys, batches) runs on Postgres too, and changes no score.
        run_dbt(["build", "--exclude", "test_type:unit"], warehouse)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return server


def _pg_rows(settings: dict[str, str], sql: str, user: str | None = None) -> list[tuple]:
    con = psycopg2.connect(host=settings["PGHOST"], port=settings["PGPORT"],
                           user=user or settings["PGUSER"], dbname=settings["PGDATABASE"])
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


SCORES = ("select lead_id, grade, rating, grade_engagement_cell, lifecycle_stage, fit_points, "
          "behaviour_score, priority_rank, top_reasons, rules_version "
          "from marts.lead_scores order by lead_id")


def test_scores_on_postgres_equal_duckdb(postgres_build, warehouse):
    on_postgres = _pg_rows(postgres_build, SCORES)
    on_duckdb = query(warehouse.database, SCORES)
    assert len(on_postgres) == 6
    assert on_postgres == on_duckdb


def test_quarantine_on_postgres_equals_duckdb(postgres_build, sql):
    statement = ("select source_table, record_key, quarantine_reason "
                 "from marts.quarantined_records order by 1, 2, 3")
    assert _pg_rows(postgres_build, statement) == sql(statement)


def test_bi_role_reads_marts_and_nothing_upstream(postgres_build):
    assert _pg_rows(postgres_build, "select count(*) from marts.lead_scores",
                    user="bi_reader") == [(6,)]
    for upstream in ("intermediate.int_leads_enriched", "staging.stg_crm__leads",
                     "raw.crm_leads"):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            _pg_rows(postgres_build, f"select count(*) from {upstream}", user="bi_reader")
