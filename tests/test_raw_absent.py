"""Raw tables other than crm_leads may be absent: a build treats them as empty, in raw
files and in the raw schema alike, and says which; without crm_leads it stops with
one line."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from lead_scoring.cli import main
from lead_scoring.dbt_runner import DbtError, Warehouse, query, run_dbt

from .conftest import DB_FILE, FIXTURES, SCORE_DATE

ABSENT = ("activities", "email_events", "crm_lead_attributes")
SCORES = ("select lead_id, grade, fit_points, behaviour_score, lifecycle_stage, priority_rank "
          "from marts.lead_scores order by lead_id")
BUILD = ["build", "--exclude-resource-type", "unit_test"]


@pytest.fixture(scope="module")
def files_without(tmp_path_factory):
    """The fixtures as files, three optional tables absent, built."""
    folder = tmp_path_factory.mktemp("absent")
    raw = folder / "raw"
    shutil.copytree(FIXTURES, raw)
    for name in ABSENT:
        (raw / f"{name}.csv").unlink()
    database = folder / "files" / DB_FILE
    run_dbt(BUILD, Warehouse(database=database, raw_path=raw, raw_format="csv",
                             score_date=SCORE_DATE))
    return database


def test_absent_files_build_as_empty_like_the_raw_schema(files_without, tmp_path):
    # The raw schema: activities absent, the other two present but empty.
    database = tmp_path / "schema" / DB_FILE
    database.parent.mkdir()
    with duckdb.connect(str(database)) as con:
        con.execute("create schema raw")
        for path in sorted(FIXTURES.glob("*.csv")):
            if path.stem == "activities":
                continue
            empty = "where false" if path.stem in ABSENT else ""
            con.execute(f"create table raw.{path.stem} as select * from read_csv("
                        f"'{path}', header = true, all_varchar = true) {empty}")
    run_dbt(BUILD, Warehouse(database=database, score_date=SCORE_DATE))
    rows = query(files_without, SCORES)
    assert rows == query(database, SCORES)
    assert len(rows) == 6
    # No email or logged activity scored: every remaining behaviour point is web.
    assert query(files_without, "select distinct activity_source "
                                "from intermediate.int_activities_flagged") == [("web",)]


def test_the_build_names_absent_tables(tmp_path, monkeypatch, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES, raw)
    for name in ABSENT:
        (raw / f"{name}.csv").unlink()
    monkeypatch.setattr("lead_scoring.cli.run_dbt", lambda *args, **kwargs: None)
    assert main(["build", "--raw", str(raw), "--db", str(tmp_path / "w" / DB_FILE),
                 "--no-publish", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "from " + str(raw) + " (csv)" in out  # the format is the one crm_leads has
    assert "raw tables absent, built as empty: crm_lead_attributes, email_events, " \
           "activities" in out


def test_without_crm_leads_one_line_says_so(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(FIXTURES, raw)
    (raw / "crm_leads.csv").unlink()
    with pytest.raises(SystemExit, match=r"raw table crm_leads not found .*crm_leads\.parquet"):
        main(["build", "--raw", str(raw), "--db", str(tmp_path / "w" / DB_FILE)])
    # dbt itself (a scheduler running dbt directly) stops with the same reason.
    warehouse = Warehouse(database=tmp_path / "w" / DB_FILE, raw_path=raw, raw_format="csv",
                          score_date=SCORE_DATE)
    with pytest.raises(DbtError, match="raw table crm_leads not found"):
        run_dbt(["run", "--select", "stg_crm__leads"], warehouse)
